//! Conversions from each provider's record to `PhoneNumber`.

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
