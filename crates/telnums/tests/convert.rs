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

#[tokio::test]
async fn webex_entries_map_to_phone_numbers() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/telephony/config/numbers"))
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
}
