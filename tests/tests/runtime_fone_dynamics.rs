//! Shared runtime scenarios for Fone Dynamics, plus its body shapes and number path.

use std::sync::Arc;

use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use telnums_core::{BasicAuth, Credentials, Error, ErrorKind, RetryPolicy};
use telnums_fone_dynamics::{Capability, FoneDynamicsClient, NumberType};
use telnums_tests::scenarios::{Case, Settings};
use wiremock::matchers::{header, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Fone;

const SID: &str = "AC0000000000000000000000000000000A";

fn number(n: &str) -> serde_json::Value {
    json!({
        "Number": n,
        "AccountSid": SID,
        "PropertySid": "PR0000000000000000000000000000000A",
        "Friendly": format!("Line {n}"),
        "RoutingMethod": "Endpoint",
        "Recording": "Off",
        "Type": "Local",
        "Capabilities": "Voice,SMS",
        "CountryCode": "AU",
        "Status": "Active"
    })
}

fn wrapped(ids: &[String]) -> serde_json::Value {
    json!({ "Numbers": ids.iter().map(|n| number(n)).collect::<Vec<_>>() })
}

impl Case for Fone {
    const KEY: &'static str = "fone-dynamics";
    type Client = FoneDynamicsClient;

    fn client(s: Settings) -> FoneDynamicsClient {
        telnums_tests::scenarios::build(s)
    }

    /// HTTP Basic with the account SID as the user and the token as the password.
    fn credentials(token: &str) -> (Arc<dyn Credentials>, String) {
        (
            Arc::new(BasicAuth::new(SID, token)),
            telnums_tests::scenarios::basic(SID, token),
        )
    }

    fn list_path() -> String {
        format!("/v2/Accounts/{SID}/Numbers")
    }

    const END_REQUESTS: usize = 1;
    const LISTING_END_REQUESTS: usize = 1;

    async fn mount_end(server: &MockServer, entries: usize) {
        Mock::given(path(Self::list_path()))
            .and(query_param("Results_Skip", entries.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(wrapped(&[])))
            .with_priority(1)
            .mount(server)
            .await;
    }

    async fn mount_listing(server: &MockServer, pages: usize) -> Vec<String> {
        let mut all = Vec::new();
        for p in 0..pages {
            let n = if p + 1 < pages { 2 } else { 1 };
            let ids: Vec<String> = (0..n).map(|i| format!("+6125550{p}{i:03}")).collect();
            all.extend(ids.clone());
            // Alternate the two body shapes the API may use.
            let body = if p % 2 == 0 {
                wrapped(&ids)
            } else {
                json!(ids.iter().map(|n| number(n)).collect::<Vec<_>>())
            };
            Mock::given(path(Self::list_path()))
                .and(query_param("Type", "Local,Toll-Free"))
                .and(query_param("Capabilites", "SMS"))
                .and(query_param("Results_Count", "2"))
                .and(query_param("Results_Skip", (p * 2).to_string()))
                .respond_with(ResponseTemplate::new(200).set_body_json(body))
                .expect(1)
                .mount(server)
                .await;
        }
        Self::mount_end(server, all.len()).await;
        all
    }

    async fn mount_loop(server: &MockServer) {
        // A server that ignores Results_Skip and returns the same full page forever.
        Mock::given(path(Self::list_path()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(wrapped(&["+61255500001".into(), "+61255500002".into()])),
            )
            .mount(server)
            .await;
    }

    fn single_page(id: &str) -> serde_json::Value {
        wrapped(&[id.to_owned()])
    }

    fn list(client: &FoneDynamicsClient) -> BoxStream<'static, Result<String, Error>> {
        client
            .list_account_numbers(SID)
            .query(|q| {
                q.type_([NumberType::Local, NumberType::TollFree])
                    .capabilities([Capability::Sms])
            })
            .page_size(2)
            .items()
            .map(|r| r.map(|n| n.number.unwrap_or_default()))
            .boxed()
    }
}

telnums_tests::scenario_tests!(Fone);

fn client(server: &MockServer) -> FoneDynamicsClient {
    FoneDynamicsClient::builder()
        .base_url(server.uri())
        .basic_auth(SID, "fone-token-for-tests")
        .retry(RetryPolicy::never())
        .build()
        .expect("client")
}

/// The single-number path takes the number without `+`, whatever the caller passed, and
/// both body shapes decode; Basic auth carries `AccountSid:Token`.
#[tokio::test]
async fn single_number_both_shapes() {
    let server = MockServer::start().await;
    // base64("AC0000000000000000000000000000000A:fone-token-for-tests")
    let basic =
        "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwQTpmb25lLXRva2VuLWZvci10ZXN0cw==";
    Mock::given(path("/v2/Numbers/61255501234"))
        .and(header("authorization", basic))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "Number": number("+61255501234") })),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v2/Numbers/61255509999"))
        .respond_with(ResponseTemplate::new(200).set_body_json(number("+61255509999")))
        .mount(&server)
        .await;
    let c = client(&server);
    let a = c.get_number("+61255501234").await.expect("wrapped");
    assert_eq!(a.number.as_deref(), Some("+61255501234"));
    let b = c.get_number("61255509999").await.expect("bare");
    assert_eq!(b.friendly.as_deref(), Some("Line +61255509999"));
    let err = c
        .get_number("+61 2 5550 abc")
        .await
        .expect_err("not a number");
    assert_eq!(err.kind(), &ErrorKind::InvalidRequest);
}

/// The default page size is the API's maximum, 200, and a property listing uses its path.
#[tokio::test]
async fn property_listing_defaults_to_200() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/Properties/PR1/Numbers"))
        .and(query_param("Results_Count", "200"))
        .and(query_param("Results_Skip", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(wrapped(&["+61255500001".into()])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v2/Properties/PR1/Numbers"))
        .and(query_param("Results_Count", "200"))
        .and(query_param("Results_Skip", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(wrapped(&[])))
        .expect(1)
        .mount(&server)
        .await;
    let got: Vec<_> = client(&server)
        .list_property_numbers("PR1")
        .items()
        .try_collect()
        .await
        .expect("listing");
    assert_eq!(got.len(), 1);
}

/// Fone's `ResponseStatus` error body reaches the error message; `RoutingMethod` values
/// added since the docs (e.g. `Flow`) are kept.
#[tokio::test]
async fn error_body_and_new_routing_method() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/Numbers/61255500000"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "ResponseStatus": { "ErrorCode": "NumberNotFound", "Message": "The number was not found." }
        })))
        .mount(&server)
        .await;
    let mut flow = number("+61255500001");
    flow["RoutingMethod"] = json!("Flow");
    Mock::given(path("/v2/Numbers/61255500001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(flow))
        .mount(&server)
        .await;
    let c = client(&server);
    let err = c.get_number("61255500000").await.expect_err("400");
    assert_eq!(
        err.message(),
        Some("The number was not found. (NumberNotFound)")
    );
    let n = c.get_number("61255500001").await.expect("decodes");
    assert_eq!(
        n.routing_method
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("Flow")
    );
}

/// `Results_Count` outside the documented 1..=200 is clamped, never sent as is.
#[tokio::test]
async fn page_size_is_clamped_to_the_documented_range() {
    for (asked, sent) in [
        (0u32, "1"),
        (1, "1"),
        (200, "200"),
        (201, "200"),
        (42, "42"),
    ] {
        let server = MockServer::start().await;
        Mock::given(path(format!("/v2/Accounts/{SID}/Numbers")))
            .and(query_param("Results_Count", sent))
            .and(query_param("Results_Skip", "0"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(wrapped(&["+61255500001".into()])),
            )
            .expect(1)
            .mount(&server)
            .await;
        let page = client(&server)
            .list_account_numbers(SID)
            .page_size(asked)
            .page(0)
            .await;
        assert!(page.is_ok(), "{asked}: {page:?}");
    }
}

/// No types or capabilities means no filter on the wire (not an empty one), and a value
/// given twice is sent once.
#[tokio::test]
async fn filters_are_sent_only_when_set_and_once_each() {
    use wiremock::matchers::query_param_is_missing;
    let server = MockServer::start().await;
    Mock::given(path(format!("/v2/Accounts/{SID}/Numbers")))
        .and(query_param_is_missing("Type"))
        .and(query_param_is_missing("Capabilites"))
        .respond_with(ResponseTemplate::new(200).set_body_json(wrapped(&["+61255500001".into()])))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .list_account_numbers(SID)
        .query(|q| {
            q.type_(Vec::<NumberType>::new())
                .capabilities(Vec::<Capability>::new())
        })
        .page(0)
        .await
        .expect("no filters");

    let server = MockServer::start().await;
    Mock::given(path(format!("/v2/Accounts/{SID}/Numbers")))
        .and(query_param("Type", "Local,National"))
        .and(query_param("Capabilites", "Voice"))
        .respond_with(ResponseTemplate::new(200).set_body_json(wrapped(&["+61255500001".into()])))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .list_account_numbers(SID)
        .query(|q| {
            q.type_([NumberType::Local, NumberType::National, NumberType::Local])
                .capabilities([Capability::Voice, Capability::Voice])
        })
        .page(0)
        .await
        .expect("deduplicated filters");
}

/// An empty page after a page whose only entry has no number ends the listing: it is
/// not "the same page twice".
#[tokio::test]
async fn an_empty_page_after_an_unnamed_entry_ends_the_listing() {
    let server = MockServer::start().await;
    let mut unnamed = number("+61255500001");
    unnamed.as_object_mut().expect("object").remove("Number");
    Mock::given(path(format!("/v2/Accounts/{SID}/Numbers")))
        .and(query_param("Results_Skip", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "Numbers": [unnamed] })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(format!("/v2/Accounts/{SID}/Numbers")))
        .and(query_param("Results_Skip", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "Numbers": [] })))
        .expect(1)
        .mount(&server)
        .await;
    let got: Vec<_> = client(&server)
        .list_account_numbers(SID)
        .page_size(1)
        .items()
        .try_collect()
        .await
        .expect("listing");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].number, None);
}

/// A server that sends more than `Results_Count` asked for: the next page starts after
/// what it sent, so nothing is listed twice; the empty page ends the listing.
#[tokio::test]
async fn the_next_page_starts_after_what_was_sent() {
    let server = MockServer::start().await;
    for (skip, ids) in [
        (0, vec!["+61255500001", "+61255500002", "+61255500003"]),
        (3, vec!["+61255500004"]),
        (4, vec![]),
    ] {
        let ids: Vec<String> = ids.into_iter().map(String::from).collect();
        Mock::given(path(format!("/v2/Accounts/{SID}/Numbers")))
            .and(query_param("Results_Skip", skip.to_string()))
            .and(query_param("Results_Count", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(wrapped(&ids)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let got: Vec<_> = client(&server)
        .list_account_numbers(SID)
        .page_size(2)
        .items()
        .map_ok(|n| n.number.unwrap_or_default())
        .try_collect()
        .await
        .expect("listing");
    assert_eq!(
        got,
        [
            "+61255500001",
            "+61255500002",
            "+61255500003",
            "+61255500004"
        ]
    );
}
