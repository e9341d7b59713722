//! Response enums are open: a value the spec does not list decodes, is kept verbatim, and
//! encodes back unchanged, instead of failing the whole page.

use serde_json::{json, Value};
use telnums_tests::examples::load;

/// The spec's own 200 example for `path`, to be altered by each test.
fn example(key: &str, path: &str) -> Value {
    let spec = load(key);
    let mut response = &spec["paths"][path]["get"]["responses"]["200"];
    if let Some(r) = response.get("$ref").and_then(Value::as_str) {
        response = spec
            .pointer(r.trim_start_matches('#'))
            .expect("ref resolves");
    }
    let content = &response["content"];
    let media = content
        .as_object()
        .and_then(|m| m.values().next())
        .expect("a 200 body");
    media
        .get("example")
        .or_else(|| {
            // Of several named examples, the largest (not the empty page).
            media["examples"]
                .as_object()
                .and_then(|e| e.values().max_by_key(|v| v.to_string().len()))
                .map(|e| &e["value"])
        })
        .cloned()
        .expect("an example")
}

#[test]
fn webex_keeps_unknown_values() {
    use telnums_webex_calling::types::{
        WebexNumberList, WebexNumberOwnerType, WebexNumberState, WebexNumberStateKnown,
    };
    let mut body = example("webex-calling", "/v1/telephony/config/numbers");
    body["phoneNumbers"][0]["state"] = json!("PENDING_PORT");
    body["phoneNumbers"][0]["owner"]["type"] = json!("SHARED_LINE_GROUP");
    body["phoneNumbers"][0]["includedTelephonyTypes"] = json!("SATELLITE_NUMBER");
    let list: WebexNumberList = serde_json::from_value(body.clone()).expect("decodes");
    let first = &list.phone_numbers[0];
    assert!(matches!(&first.state, Some(WebexNumberState::Other(s)) if s == "PENDING_PORT"));
    let owner = first.owner.as_ref().expect("owner");
    assert!(
        matches!(&owner.type_, Some(WebexNumberOwnerType::Other(s)) if s == "SHARED_LINE_GROUP")
    );
    assert_eq!(
        first
            .included_telephony_types
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("SATELLITE_NUMBER")
    );
    // Known values still land in the closed half.
    assert!(matches!(
        list.phone_numbers[2].state,
        Some(WebexNumberState::Known(WebexNumberStateKnown::Active))
    ));
    let back = serde_json::to_value(&list).expect("encodes");
    assert_eq!(
        back["phoneNumbers"][0]["owner"]["type"],
        "SHARED_LINE_GROUP"
    );
}

#[test]
fn zoom_keeps_unknown_values() {
    use telnums_zoom_phone::types::{
        ZoomNumberAssigneeType, ZoomPhoneNumberList, ZoomPhoneNumberStatus,
    };
    let mut body = example("zoom-phone", "/phone/numbers");
    body["phone_numbers"][0]["status"] = json!("porting");
    body["phone_numbers"][0]["number_type"] = json!("premium");
    body["phone_numbers"][0]["source"] = json!("partner");
    body["phone_numbers"][0]["assignee"]["type"] = json!("sharedLineGroup");
    let list: ZoomPhoneNumberList = serde_json::from_value(body).expect("decodes");
    let first = &list.phone_numbers[0];
    assert!(matches!(&first.status, Some(ZoomPhoneNumberStatus::Other(s)) if s == "porting"));
    let assignee = first.assignee.as_ref().expect("assignee");
    assert!(
        matches!(&assignee.type_, Some(ZoomNumberAssigneeType::Other(s)) if s == "sharedLineGroup")
    );
    let back = serde_json::to_value(&list).expect("encodes");
    assert_eq!(back["phone_numbers"][0]["number_type"], "premium");
    assert_eq!(back["phone_numbers"][0]["source"], "partner");
}

#[test]
fn apple_keeps_unknown_values() {
    // `state` is a free string in the spec (the seed shows only PUBLISHED), so any value
    // is kept; fields Apple adds later are ignored rather than fatal.
    use telnums_apple_business::types::AppleCallerIdList;
    let mut body = example(
        "apple-business",
        "/orgs/{orgId}/brands/{brandId}/caller-ids",
    );
    body["data"][0]["state"] = json!("IN_REVIEW");
    body["data"][0]["addedLater"] = json!({"x": 1});
    let list: AppleCallerIdList = serde_json::from_value(body).expect("decodes");
    assert_eq!(list.data[0].state, "IN_REVIEW");
}

#[test]
fn vonage_tolerates_new_fields() {
    // The Vonage response has no enum; the equivalent risk is a field added later.
    use telnums_vonage_cc::types::CallbackNumberList;
    let mut body = example("vonage-cc", "/useradmin/callbackNumbers");
    body["callbackNumbers"][0]["callbackNumberType"] = json!("SHARED");
    body["meta"]["next"] = json!("/useradmin/callbackNumbers?page=2");
    let list: CallbackNumberList = serde_json::from_value(body).expect("decodes");
    assert_eq!(list.callback_numbers.len(), 3);
}

#[test]
fn fone_keeps_unknown_values() {
    use telnums_fone_dynamics::types::{
        FoneNumberListResponse, FoneNumberRoutingMethod, FoneNumberType,
    };
    let mut body = example("fone-dynamics", "/v2/Accounts/{AccountSid}/Numbers");
    body["Numbers"][0]["RoutingMethod"] = json!("Flow");
    body["Numbers"][0]["Type"] = json!("Mobile");
    let list: FoneNumberListResponse = serde_json::from_value(body).expect("decodes");
    let FoneNumberListResponse::FoneNumberListEnvelope(envelope) = list else {
        panic!("the example is the wrapped form")
    };
    let first = &envelope.numbers[0];
    assert!(
        matches!(&first.routing_method, Some(FoneNumberRoutingMethod::Other(s)) if s == "Flow")
    );
    assert!(matches!(&first.type_, Some(FoneNumberType::Other(s)) if s == "Mobile"));
}

/// Open enums compare with `==` and print as their value: a listed one as its variant,
/// another as `Other("…")`, not wrapped in `Known(…)`.
#[test]
fn open_enums_compare_and_print_as_their_value() {
    use telnums_zoom_phone::types::{ZoomPhoneNumberStatus, ZoomPhoneNumberStatusKnown};
    let page: telnums_zoom_phone::types::ZoomPhoneNumberList = serde_json::from_value(json!({
        "phone_numbers": [{ "status": "available" }, { "status": "porting" }]
    }))
    .expect("decodes");
    let statuses: Vec<_> = page
        .phone_numbers
        .iter()
        .map(|n| n.status.clone())
        .collect();
    assert_eq!(
        statuses,
        [
            Some(ZoomPhoneNumberStatus::Known(
                ZoomPhoneNumberStatusKnown::Available
            )),
            Some(ZoomPhoneNumberStatus::Other("porting".into())),
        ]
    );
    assert_eq!(
        format!("{statuses:?}"),
        r#"[Some(Available), Some(Other("porting"))]"#
    );
}
