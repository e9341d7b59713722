//! Conversions from each provider's record to `PhoneNumber`.
// These tests use every provider: they run with the default features.
#![cfg(all(
    feature = "vonage-cc",
    feature = "webex-calling",
    feature = "fone-dynamics",
    feature = "apple-business",
    feature = "zoom-phone"
))]

use futures::TryStreamExt;
use serde_json::json;
use telnums::{list, Provider, Query, Source};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts what `path` answers for any page after the first (whose mock matches `key=0`):
/// an empty page, the end of a listing for providers with no other end signal (Fone
/// Dynamics, and Webex while it sends no `Link` header).
async fn empty_after_first(server: &MockServer, path: &str, empty: serde_json::Value) {
    Mock::given(wiremock::matchers::path(path))
        .respond_with(ResponseTemplate::new(200).set_body_json(empty))
        .with_priority(10)
        .mount(server)
        .await;
}

#[tokio::test]
async fn webex_entries_map_to_phone_numbers() {
    let server = MockServer::start().await;
    empty_after_first(
        &server,
        "/v1/telephony/config/numbers",
        json!({ "phoneNumbers": [] }),
    )
    .await;
    Mock::given(path("/v1/telephony/config/numbers"))
        .and(wiremock::matchers::query_param("start", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "phoneNumbers": [
            { "phoneNumber": "+1 202 555 0100", "extension": "11", "state": "PORTING", "phoneNumberType": "PRIMARY",
              "location": { "id": "l1", "name": "Richardson" },
              "owner": { "id": "p1", "type": "PEOPLE", "firstName": "Alex", "lastName": "Rivera" } },
            { "phoneNumber": null, "extension": "568", "includedTelephonyTypes": "PSTN_NUMBER" }
        ]})))
        .mount(&server)
        .await;
    let client = telnums::webex_calling::WebexClient::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .expect("client");
    let got: Vec<_> = list(Source::webex_calling(client, None), &Query::default())
        .try_collect()
        .await
        .expect("listing");
    assert_eq!(got[0].provider, Provider::WebexCalling);
    assert_eq!(
        got[0].number.as_deref(),
        Some("+12025550100"),
        "normalised E.164"
    );
    assert_eq!(
        got[0].status.as_deref(),
        Some("PORTING"),
        "unknown status kept verbatim"
    );
    assert_eq!(got[0].kind.as_deref(), Some("PRIMARY"));
    let owner = got[0].owner.as_ref().expect("owner");
    assert_eq!(
        (owner.kind.as_deref(), owner.name.as_deref()),
        (Some("PEOPLE"), Some("Alex Rivera"))
    );
    assert_eq!(
        got[0].location.as_ref().and_then(|l| l.name.as_deref()),
        Some("Richardson")
    );
    // Extension-only entries are kept, with no number.
    assert_eq!(got[1].number, None);
    assert_eq!(got[1].extension.as_deref(), Some("568"));

    let record = serde_json::to_value(&got[1]).expect("serialises");
    assert_eq!(record["provider"], "webex-calling");
    assert!(record["number"].is_null());
    let keys: Vec<_> = record
        .as_object()
        .expect("object")
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        [
            "extension",
            "id",
            "kind",
            "label",
            "location",
            "number",
            "number_raw",
            "owner",
            "provider",
            "status"
        ]
    );
}

#[test]
fn provider_keys_round_trip() {
    for p in Provider::ALL {
        assert_eq!(p.key().parse::<Provider>(), Ok(p));
        assert_eq!(serde_json::to_value(p).expect("json"), p.key());
        assert_eq!(p.to_string(), p.key());
        assert!(p.is_enabled());
    }
    assert!("teams".parse::<Provider>().is_err());
}

/// A phone-number filter that is not E.164 is a typed error, and nothing is sent.
#[tokio::test]
async fn invalid_phone_number_filter_is_refused() {
    let server = MockServer::start().await;
    let client = telnums::zoom_phone::ZoomPhoneClient::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .expect("client");
    let got: Vec<_> = futures::StreamExt::collect(list(
        Source::ZoomPhone(client),
        &Query::default().phone_number("0255501234"),
    ))
    .await;
    assert_eq!(got.len(), 1);
    let err = got[0].as_ref().expect_err("refused");
    assert_eq!(err.kind(), &telnums::ErrorKind::InvalidRequest);
    assert_eq!(err.provider(), "zoom-phone");
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

/// Fone Dynamics' single-number lookup respects a property scope, and a number the
/// account does not hold (404) is simply absent.
#[tokio::test]
async fn fone_number_lookup_respects_scope_and_absence() {
    use telnums::fone_dynamics::{FoneDynamicsClient, Scope};
    let server = MockServer::start().await;
    Mock::given(path("/v2/Numbers/61255501234"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "Number": {
            "Number": "+61255501234", "PropertySid": "PR0000000000000000000000000000000A",
            "AccountSid": "AC0000000000000000000000000000000A", "Status": "Active"
        }})))
        .mount(&server)
        .await;
    Mock::given(path("/v2/Numbers/61255509999"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({ "ResponseStatus": {
            "ErrorCode": "NotFound", "Message": "No such number" }})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v2/Numbers/61255500403"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(json!({ "ResponseStatus": {
            "ErrorCode": "Forbidden", "Message": "Not allowed" }})),
        )
        .mount(&server)
        .await;
    let client = FoneDynamicsClient::builder()
        .base_url(server.uri())
        .basic_auth("AC0000000000000000000000000000000A", "test-token")
        .build()
        .expect("client");
    let lookup = |scope: Scope, number: &str| {
        let source = Source::FoneDynamics {
            client: client.clone(),
            scope,
        };
        list(source, &Query::default().phone_number(number)).try_collect::<Vec<_>>()
    };
    let account = || Scope::Account("AC0000000000000000000000000000000A".to_owned());
    let found = lookup(account(), "+61 2 5550 1234").await.expect("lookup");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].number.as_deref(), Some("+61255501234"));
    let same = Scope::Property("PR0000000000000000000000000000000A".to_owned());
    assert_eq!(lookup(same, "+61255501234").await.expect("lookup").len(), 1);
    let other = Scope::Property("PR0000000000000000000000000000000B".to_owned());
    assert!(lookup(other, "+61255501234")
        .await
        .expect("lookup")
        .is_empty());
    assert!(lookup(account(), "+61255509999")
        .await
        .expect("404")
        .is_empty());
    // Only a 404 means "not held": any other failure is reported, not hidden as an
    // empty listing.
    let err = lookup(account(), "+61255500403")
        .await
        .expect_err("403 is an error");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    // 403 is not a documented status of this operation: its body comes back as text.
    assert!(
        err.message().is_some_and(|m| m.contains("Not allowed")),
        "{err:?}"
    );
}

/// The number field values every provider is tried with, and the `(number, number_raw)`
/// each must produce: a `+` is never added, and what is not E.164 is kept verbatim.
fn number_cases() -> Vec<(
    serde_json::Value,
    Option<&'static str>,
    Option<&'static str>,
)> {
    vec![
        // E.164 with `+`: as is, nothing raw.
        (json!("+12025550100"), Some("+12025550100"), None),
        // E.164 written with separators: normalised, and the text kept.
        (
            json!("+1 202-555-0100"),
            Some("+12025550100"),
            Some("+1 202-555-0100"),
        ),
        // National format, no country code: never guessed.
        (json!("(202) 555-0100"), None, Some("(202) 555-0100")),
        (json!("4155551234"), None, Some("4155551234")),
        // Digits that would be E.164 with a `+`: still not given one.
        (json!("12025550100"), None, Some("12025550100")),
        (json!("0061255501234"), None, Some("0061255501234")),
        // Letters (a vanity number).
        (json!("+1-800-FLOWERS"), None, Some("+1-800-FLOWERS")),
        // More than 15 digits, or a country code starting with 0.
        (json!("+1234567890123456"), None, Some("+1234567890123456")),
        (json!("+0123456789"), None, Some("+0123456789")),
        // Empty string: nothing to show, but not silently dropped.
        (json!(""), None, Some("")),
        // Null: no number.
        (json!(null), None, None),
    ]
}

/// Lists one page built from `item(number)` for every case and checks each record
/// exactly: `expected` is the record with `number`/`number_raw` still unset.
async fn check_numbers(
    provider: Provider,
    list_path: &str,
    page: impl Fn(Vec<serde_json::Value>) -> serde_json::Value,
    item: impl Fn(usize, &serde_json::Value) -> serde_json::Value,
    source: impl FnOnce(&MockServer) -> Source,
    expected: impl Fn(usize) -> telnums::PhoneNumber,
) {
    let cases = number_cases();
    let server = MockServer::start().await;
    let items = cases
        .iter()
        .enumerate()
        .map(|(i, (value, _, _))| item(i, value))
        .collect();
    let first = match provider {
        Provider::WebexCalling => Some("start"),
        Provider::FoneDynamics => Some("Results_Skip"),
        _ => None,
    };
    let mut first_page = Mock::given(path(list_path));
    if let Some(key) = first {
        first_page = first_page.and(wiremock::matchers::query_param(key, "0"));
        empty_after_first(&server, list_path, page(Vec::new())).await;
    }
    first_page
        .respond_with(ResponseTemplate::new(200).set_body_json(page(items)))
        .expect(1)
        .mount(&server)
        .await;
    let got: Vec<_> = list(source(&server), &Query::default())
        .try_collect()
        .await
        .expect("listing");
    assert_eq!(got.len(), cases.len(), "{provider}: one record per item");
    for (i, ((value, number, raw), record)) in cases.iter().zip(&got).enumerate() {
        let want = telnums::PhoneNumber {
            number: number.map(str::to_owned),
            number_raw: raw.map(str::to_owned),
            ..expected(i)
        };
        assert_eq!(record, &want, "{provider}: number {value}");
    }
}

fn record(provider: Provider) -> telnums::PhoneNumber {
    telnums::PhoneNumber {
        provider,
        id: None,
        number: None,
        number_raw: None,
        extension: None,
        label: None,
        status: None,
        kind: None,
        owner: None,
        location: None,
    }
}

#[tokio::test]
async fn vonage_numbers_are_never_guessed() {
    check_numbers(
        Provider::VonageCc,
        "/useradmin/callbackNumbers",
        |items| json!({ "meta": { "page": 1, "pageCount": 1 }, "callbackNumbers": items }),
        |i, n| json!({ "callbackNumberId": format!("cb-{i}"), "callbackNumberName": "Main line", "callbackNumberClid": n }),
        |server| {
            Source::VonageCc(
                telnums::vonage_cc::VonageCcClient::builder()
                    .base_url(server.uri())
                    .bearer_token("t")
                    .build()
                    .expect("client"),
            )
        },
        |i| telnums::PhoneNumber {
            id: Some(format!("cb-{i}")),
            label: Some("Main line".into()),
            kind: Some("callback".into()),
            ..record(Provider::VonageCc)
        },
    )
    .await;
}

#[tokio::test]
async fn webex_numbers_are_never_guessed() {
    check_numbers(
        Provider::WebexCalling,
        "/v1/telephony/config/numbers",
        |items| json!({ "phoneNumbers": items }),
        |i, n| json!({ "phoneNumber": n, "extension": format!("{}", 100 + i), "state": "ACTIVE", "phoneNumberType": "PRIMARY" }),
        |server| {
            Source::webex_calling(
                telnums::webex_calling::WebexClient::builder()
                    .base_url(server.uri())
                    .bearer_token("t")
                    .build()
                    .expect("client"),
                None,
            )
        },
        |i| telnums::PhoneNumber {
            extension: Some(format!("{}", 100 + i)),
            status: Some("ACTIVE".into()),
            kind: Some("PRIMARY".into()),
            ..record(Provider::WebexCalling)
        },
    )
    .await;
}

#[tokio::test]
async fn fone_numbers_are_never_guessed() {
    const ACCOUNT: &str = "AC0000000000000000000000000000000A";
    check_numbers(
        Provider::FoneDynamics,
        &format!("/v2/Accounts/{ACCOUNT}/Numbers"),
        |items| json!({ "Numbers": items }),
        |i, n| json!({ "Number": n, "Friendly": format!("Line {i}"), "Status": "Active", "Type": "Local" }),
        |server| Source::FoneDynamics {
            client: telnums::fone_dynamics::FoneDynamicsClient::builder()
                .base_url(server.uri())
                .basic_auth(ACCOUNT, "t")
                .build()
                .expect("client"),
            scope: telnums::fone_dynamics::Scope::Account(ACCOUNT.into()),
        },
        |i| telnums::PhoneNumber {
            label: Some(format!("Line {i}")),
            status: Some("Active".into()),
            kind: Some("Local".into()),
            ..record(Provider::FoneDynamics)
        },
    )
    .await;
}

#[tokio::test]
async fn apple_numbers_are_never_guessed() {
    check_numbers(
        Provider::AppleBusiness,
        "/api/v1/orgs/o1/brands/b1/caller-ids",
        |items| json!({ "data": items, "total": items.len(), "pagination": {} }),
        |i, n| {
            json!({ "orgId": "o1", "brandId": "b1", "id": format!("c{i}"),
                    "createdDate": "2026-10-02T11:41:00Z", "updatedDate": "2026-10-02T11:41:00Z",
                    "state": "PUBLISHED", "etag": "e1",
                    "callerIdDetails": { "phoneNumber": n, "department": "Sales" } })
        },
        |server| Source::AppleBusiness {
            client: telnums::apple_business::AppleBusinessClient::builder()
                .base_url(format!("{}/api/v1", server.uri()))
                .bearer_token("t")
                .build()
                .expect("client"),
            org_id: "o1".into(),
            brand_id: "b1".into(),
        },
        |i| telnums::PhoneNumber {
            id: Some(format!("c{i}")),
            label: Some("Sales".into()),
            status: Some("PUBLISHED".into()),
            kind: Some("caller-id".into()),
            ..record(Provider::AppleBusiness)
        },
    )
    .await;
}

#[tokio::test]
async fn zoom_numbers_are_never_guessed() {
    check_numbers(
        Provider::ZoomPhone,
        "/phone/numbers",
        |items| json!({ "next_page_token": "", "phone_numbers": items }),
        |i, n| json!({ "id": format!("z{i}"), "number": n, "display_name": "Desk", "status": "available", "number_type": "toll" }),
        |server| {
            Source::ZoomPhone(
                telnums::zoom_phone::ZoomPhoneClient::builder()
                    .base_url(server.uri())
                    .bearer_token("t")
                    .build()
                    .expect("client"),
            )
        },
        |i| telnums::PhoneNumber {
            id: Some(format!("z{i}")),
            label: Some("Desk".into()),
            status: Some("available".into()),
            kind: Some("toll".into()),
            ..record(Provider::ZoomPhone)
        },
    )
    .await;
}

/// `--phone-number` forms a person may type all reach the provider as E.164, and the
/// client-side match uses the same form: a provider value without `+` never matches.
#[tokio::test]
async fn phone_number_filter_sends_and_matches_e164() {
    for typed in ["+1 202 555 0100", "001 202 555 0100", "12025550100"] {
        let server = MockServer::start().await;
        empty_after_first(
            &server,
            "/v1/telephony/config/numbers",
            json!({ "phoneNumbers": [] }),
        )
        .await;
        Mock::given(path("/v1/telephony/config/numbers"))
            .and(wiremock::matchers::query_param("start", "0"))
            .and(wiremock::matchers::query_param(
                "phoneNumber",
                "+12025550100",
            ))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({ "phoneNumbers": [
                    { "phoneNumber": "+1 202-555-0100", "extension": "1" },
                    { "phoneNumber": "12025550100", "extension": "2" },
                    { "phoneNumber": "+12025550199", "extension": "3" }
                ]})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let client = telnums::webex_calling::WebexClient::builder()
            .base_url(server.uri())
            .bearer_token("t")
            .build()
            .expect("client");
        let got: Vec<_> = list(
            Source::webex_calling(client, None),
            &Query::default().phone_number(typed),
        )
        .try_collect()
        .await
        .expect("listing");
        let extensions: Vec<_> = got.iter().map(|n| n.extension.as_deref()).collect();
        assert_eq!(extensions, [Some("1")], "{typed}");
    }
}

#[test]
fn typed_numbers_need_their_country_code() {
    use telnums::normalize_e164;
    for (typed, want) in [
        ("+61 2 5550 1234", Some("+61255501234")),
        ("0061 2 5550 1234", Some("+61255501234")),
        ("61255501234", Some("+61255501234")),
        ("+1 (202) 555-0100", Some("+12025550100")),
        // A national number with its trunk 0: which country?
        ("02 5550 1234", None),
        ("0", None),
        // `00` after `+` is not an international prefix.
        ("+0061255501234", None),
        ("+1-800-FLOWERS", None),
        ("", None),
        ("+", None),
        // 2 to 15 digits.
        ("+1", None),
        ("+12", Some("+12")),
        ("+123456789012345", Some("+123456789012345")),
        ("+1234567890123456", None),
        ("001234567890123456", None),
    ] {
        assert_eq!(normalize_e164(typed).as_deref(), want, "{typed:?}");
    }
}
