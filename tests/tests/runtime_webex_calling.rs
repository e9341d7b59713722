//! Shared runtime scenarios for Webex Calling, plus its TrackingID handling.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use telnums_core::{Error, RetryPolicy};
use telnums_tests::scenarios::{bounded, Case, Settings};
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

    const END_REQUESTS: usize = 1;

    async fn mount_end(server: &MockServer, entries: usize) {
        // A page without `Link` headers: the listing asks on by offset until an empty
        // page.
        Mock::given(path(Self::list_path()))
            .and(query_param("start", entries.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(body(&[])))
            .with_priority(1)
            .mount(server)
            .await;
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
        if pages == 1 {
            Self::mount_end(server, all.len()).await;
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

/// Without a `Link` header the client falls back to `start`/`max` offsets, after the
/// entries received, until an empty page: a short page is not the end.
#[tokio::test]
async fn falls_back_to_offsets_without_link() {
    let server = MockServer::start().await;
    for (start, ids) in [
        (0, vec!["a", "b"]),
        (2, vec!["c"]),
        (3, vec!["d", "e"]),
        (5, vec![]),
    ] {
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

/// Each request carries its own `TrackingID` (`telnums_` and a fresh UUID), retries of
/// one call included; an error reports the server's echo of the last one.
#[tokio::test]
async fn tracking_id_is_sent_per_request_and_reported() {
    bounded(async {
        let server = MockServer::start().await;
        let echo = |status: u16| {
            move |req: &wiremock::Request| {
                let id = req
                    .headers
                    .get("trackingid")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("none")
                    .to_owned();
                ResponseTemplate::new(status)
                    .insert_header("TrackingID", id.as_str())
                    .set_body_json(json!({
                        "message": "Not authorized",
                        "errors": [{ "description": "Not authorized" }],
                        "trackingId": id
                    }))
            }
        };
        // Two 503s (retried), then a 403.
        Mock::given(path("/v1/telephony/config/numbers"))
            .respond_with(echo(503))
            .up_to_n_times(2)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(path("/v1/telephony/config/numbers"))
            .respond_with(echo(403))
            .with_priority(2)
            .mount(&server)
            .await;
        let client = WebexClient::builder()
            .base_url(server.uri())
            .bearer_token("t")
            .retry(
                RetryPolicy::default()
                    .with_initial_backoff(Duration::from_millis(10))
                    .with_max_attempts(4),
            )
            .build()
            .expect("client");
        let err = client.list_numbers().page(0.into()).await.expect_err("403");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
        assert_eq!(err.attempts(), 3);
        let sent: Vec<String> = server
            .received_requests()
            .await
            .expect("recorded")
            .iter()
            .map(|r| {
                r.headers
                    .get("trackingid")
                    .and_then(|v| v.to_str().ok())
                    .expect("every request carries a TrackingID")
                    .to_owned()
            })
            .collect();
        assert_eq!(sent.len(), 3);
        for id in &sent {
            // `telnums_<uuid of the process>_<counter>`.
            let rest = id.strip_prefix("telnums_").expect("prefix");
            let (uuid, counter) = rest.rsplit_once('_').expect("counter");
            assert!(counter.parse::<u64>().is_ok(), "{id}");
            let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
            assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
            assert!(
                uuid.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
                "{id}"
            );
        }
        let unique: std::collections::HashSet<&String> = sent.iter().collect();
        assert_eq!(unique.len(), 3, "one id per request: {sent:?}");
        // The error names the request that failed last.
        assert_eq!(err.request_id(), Some(sent[2].as_str()));
        assert_eq!(err.message(), Some("Not authorized"));
        let text = err.to_string();
        assert!(
            text.contains("webex-calling") && text.contains("403") && text.contains(&sent[2]),
            "{text}"
        );
    })
    .await
}

/// 423 Locked is retried after its `Retry-After`: the retry arrives a second after the
/// first request, and there are exactly two.
#[tokio::test]
async fn locked_is_retried_after_its_retry_after() {
    bounded(async {
        let server = MockServer::start().await;
        let arrivals = Arc::new(Mutex::new(Vec::<Instant>::new()));
        let a = arrivals.clone();
        Mock::given(path("/v1/telephony/config/numbers"))
            .respond_with(move |_: &wiremock::Request| {
                a.lock().expect("lock").push(Instant::now());
                ResponseTemplate::new(423).insert_header("Retry-After", "1")
            })
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        let a = arrivals.clone();
        Mock::given(path("/v1/telephony/config/numbers"))
            .respond_with(move |_: &wiremock::Request| {
                a.lock().expect("lock").push(Instant::now());
                ResponseTemplate::new(200).set_body_json(body(&["z".into()]))
            })
            .with_priority(2)
            .mount(&server)
            .await;
        let client = WebexClient::builder()
            .base_url(server.uri())
            .bearer_token("t")
            .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(10)))
            .build()
            .expect("client");
        let page = client.list_numbers().page(0.into()).await.expect("retried");
        assert_eq!(page.phone_numbers.len(), 1);
        let arrivals = arrivals.lock().expect("lock").clone();
        assert_eq!(arrivals.len(), 2, "one retry");
        let waited = arrivals[1] - arrivals[0];
        assert!(waited >= Duration::from_secs(1), "retried after {waited:?}");
        assert!(waited < Duration::from_secs(4), "retried after {waited:?}");
    })
    .await
}

/// `max` below 1 is raised to 1; any larger value is sent as is (the API documents no
/// maximum).
#[tokio::test]
async fn page_size_is_clamped_to_the_documented_range() {
    for (asked, sent) in [(0u32, "1"), (1, "1"), (5000, "5000")] {
        let server = MockServer::start().await;
        Mock::given(path("/v1/telephony/config/numbers"))
            .and(query_param("max", sent))
            .respond_with(ResponseTemplate::new(200).set_body_json(body(&["a".into()])))
            .expect(1)
            .mount(&server)
            .await;
        let client = WebexClient::builder()
            .base_url(server.uri())
            .bearer_token("t")
            .build()
            .expect("client");
        let page = client.list_numbers().page_size(asked).page(0.into()).await;
        assert!(page.is_ok(), "{asked}: {page:?}");
    }
}

/// One page at a time, the next page is where the server's `Link` says (here it skips
/// ahead), not where the client's own offset arithmetic would go.
#[tokio::test]
async fn the_link_decides_the_next_offset() {
    let server = MockServer::start().await;
    let link =
        |start: usize| format!("</v1/telephony/config/numbers?start={start}&max=2>; rel=\"next\"");
    for (start, ids, next) in [(0, vec!["a", "b"], Some(10)), (10, vec!["c"], None)] {
        let ids: Vec<String> = ids.into_iter().map(String::from).collect();
        let mut response = ResponseTemplate::new(200).set_body_json(body(&ids));
        if let Some(next) = next {
            response = response.insert_header("Link", link(next).as_str());
        }
        Mock::given(query_param("start", start.to_string()))
            .and(query_param("max", "2"))
            .respond_with(response)
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
    assert_eq!(got, ["a", "b", "c"]);
}

/// Several pages in flight without `Link` headers: offsets by `start`/`max`, ending at
/// the first short page.
#[tokio::test]
async fn concurrent_offsets_without_link_end_at_a_short_page() {
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
    // Asked for ahead of time, past the end.
    Mock::given(query_param("max", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(&[])))
        .with_priority(10)
        .mount(&server)
        .await;
    let client = WebexClient::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .expect("client");
    let got: Vec<_> = client
        .list_numbers()
        .page_size(2)
        .concurrency(3)
        .items()
        .map_ok(|n| n.extension.unwrap_or_default())
        .try_collect()
        .await
        .expect("listing");
    assert_eq!(got, ["a", "b", "c", "d", "e"]);
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
    Mock::given(path("/v1/telephony/config/numbers"))
        .and(query_param("start", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(&[])))
        .with_priority(1)
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
        .query(|q| {
            q.order([types::NumberOrder::LastName, types::NumberOrder::Extension])
                .included_telephony_types([
                    types::TelephonyType::PstnNumber,
                    types::TelephonyType::MobileNumber,
                ])
                .state(types::ListNumbersState::Active)
        })
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
