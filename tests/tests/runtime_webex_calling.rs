//! Shared runtime scenarios for Webex Calling, plus its TrackingID handling.

use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use telnums_core::{Error, RetryPolicy};
use telnums_tests::scenarios::{Case, Settings};
use telnums_webex_calling::WebexClient;
use wiremock::matchers::{header_exists, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Webex;

const ORG: &str = "org-under-test";

fn body(ids: &[String]) -> serde_json::Value {
    json!({
        "phoneNumbers": ids.iter().map(|id| json!({
            "phoneNumber": format!("+1202555{:04}", id.len()),
            "extension": id,
            "state": "ACTIVE",
            "phoneNumberType": "PRIMARY",
            "mainNumber": false,
            "includedTelephonyTypes": "PSTN_NUMBER",
            "tollFreeNumber": false,
            "isServiceNumber": false,
            "location": { "id": "loc-1", "name": "Richardson" },
            "owner": { "id": "own-1", "type": "PEOPLE", "firstName": "Alex", "lastName": "Rivera" }
        })).collect::<Vec<_>>()
    })
}

fn link(server: &MockServer, start: usize) -> String {
    format!(
        "<{}/v1/telephony/config/numbers?orgId={ORG}&start={start}&max=2000>; rel=\"next\"",
        server.uri()
    )
}

impl Case for Webex {
    const KEY: &'static str = "webex-calling";
    type Client = WebexClient;

    fn client(s: Settings) -> WebexClient {
        telnums_tests::scenarios::build(s)
    }

    fn list_path() -> String {
        "/v1/telephony/config/numbers".into()
    }

    async fn mount_listing(server: &MockServer, pages: usize) -> Vec<String> {
        let mut all = Vec::new();
        for p in 0..pages {
            let ids: Vec<String> = (0..2).map(|i| format!("{p}{i}")).collect();
            all.extend(ids.clone());
            let start = p * 2;
            let mut response = ResponseTemplate::new(200).set_body_json(body(&ids));
            if p + 1 < pages {
                response = response.insert_header("Link", link(server, start + 2).as_str());
            }
            Mock::given(path(Self::list_path()))
                .and(query_param("orgId", ORG))
                .and(query_param("start", start.to_string()))
                .and(query_param("max", "2000"))
                .and(header_exists("TrackingID"))
                .respond_with(response)
                .expect(1)
                .mount(server)
                .await;
        }
        all
    }

    async fn mount_loop(server: &MockServer) {
        // Every page's next link points at offset 2 again.
        Mock::given(path(Self::list_path()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(body(&["x".into()]))
                    .insert_header("Link", link(server, 2).as_str()),
            )
            .mount(server)
            .await;
    }

    fn single_page(id: &str) -> serde_json::Value {
        body(&[id.to_owned()])
    }

    fn list(client: &WebexClient) -> BoxStream<'static, Result<String, Error>> {
        client
            .list_numbers()
            .query(|q| q.org_id(ORG))
            .items()
            .map(|r| r.map(|n| n.extension.unwrap_or_default()))
            .boxed()
    }
}

telnums_tests::scenario_tests!(Webex);

/// Without a `Link` header the client falls back to `start`/`max` offsets.
#[tokio::test]
async fn falls_back_to_offsets_without_link() {
    let server = MockServer::start().await;
    for (start, ids) in [(0, vec!["a", "b"]), (2, vec!["c", "d"]), (4, vec!["e"])] {
        let ids: Vec<String> = ids.into_iter().map(String::from).collect();
        Mock::given(query_param("start", start.to_string()))
            .and(query_param("max", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body(&ids)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = WebexClient::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .expect("client");
    let got: Vec<_> = client
        .list_numbers()
        .page_size(2)
        .items()
        .map_ok(|n| n.extension.unwrap_or_default())
        .try_collect()
        .await
        .expect("listing");
    assert_eq!(got, ["a", "b", "c", "d", "e"]);
}

/// Each request carries its own `TrackingID`; an error reports the server's echo of it.
#[tokio::test]
async fn tracking_id_is_sent_and_reported() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/telephony/config/numbers"))
        .respond_with(|req: &wiremock::Request| {
            let id = req
                .headers
                .get("trackingid")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_owned();
            ResponseTemplate::new(403)
                .insert_header("TrackingID", id.as_str())
                .set_body_json(json!({
                    "message": "Not authorized",
                    "errors": [{ "description": "Not authorized" }],
                    "trackingId": id
                }))
        })
        .mount(&server)
        .await;
    let client = WebexClient::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .retry(RetryPolicy::never())
        .build()
        .expect("client");
    let err = client.list_numbers().page(0).await.expect_err("403");
    let id = err.request_id().expect("request id").to_owned();
    assert!(id.starts_with("telnums_"), "{id}");
    assert_eq!(err.message(), Some("Not authorized"));
    let sent = server.received_requests().await.expect("recorded");
    assert_eq!(
        sent[0]
            .headers
            .get("trackingid")
            .and_then(|v| v.to_str().ok()),
        Some(id.as_str())
    );
    let text = err.to_string();
    assert!(
        text.contains("webex-calling") && text.contains("403") && text.contains(&id),
        "{text}"
    );
}

/// 423 Locked is retried and honours its `Retry-After`.
#[tokio::test]
async fn locked_is_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/telephony/config/numbers"))
        .respond_with(ResponseTemplate::new(423).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/telephony/config/numbers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(&["z".into()])))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = WebexClient::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .expect("client");
    let page = client.list_numbers().page(0).await.expect("retried");
    assert_eq!(page.phone_numbers.len(), 1);
}

/// The typed list filters go out comma-joined in one value each, and checked table
/// filters (`Filters`) win over typed ones naming the same parameter.
#[tokio::test]
async fn typed_lists_are_comma_joined_and_table_filters_apply() {
    use telnums_webex_calling::{types, Filters, FILTERS};
    let server = MockServer::start().await;
    Mock::given(path("/v1/telephony/config/numbers"))
        .and(query_param("order", "lastName,extension"))
        .and(query_param(
            "includedTelephonyTypes",
            "PSTN_NUMBER,MOBILE_NUMBER",
        ))
        .and(query_param("ownerType", "FUTURE_KIND"))
        .and(query_param("state", "INACTIVE"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(&["a".to_owned()])))
        .expect(1)
        .mount(&server)
        .await;
    let client = WebexClient::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .expect("client");
    let mut filters = Filters::new(&FILTERS);
    filters.set("ownerType", "FUTURE_KIND").expect("open list");
    filters.set("state", "inactive").expect("documented value");
    let got: Vec<_> = client
        .list_numbers()
        .order(&[types::NumberOrder::LastName, types::NumberOrder::Extension])
        .included_telephony_types(&[
            types::TelephonyType::PstnNumber,
            types::TelephonyType::MobileNumber,
        ])
        .query(|q| q.state(types::ListNumbersState::Active))
        .filters(filters)
        .items()
        .try_collect()
        .await
        .expect("listing");
    assert_eq!(got.len(), 1);

    // Filters checked against another provider's table are refused before sending.
    let mut zoom = Filters::new(&telnums_zoom_phone::FILTERS);
    zoom.set("type", "all").expect("zoom filter");
    let err = client
        .list_numbers()
        .filters(zoom)
        .items()
        .try_collect::<Vec<_>>()
        .await
        .expect_err("wrong table");
    assert_eq!(err.kind(), &telnums_core::ErrorKind::InvalidRequest);
    assert!(err.to_string().contains("zoom-phone"), "{err}");
}
