//! Shared runtime scenarios for Apple Business Connect, plus `ql` encoding.

use std::time::Duration;

use futures::stream::BoxStream;
use futures::StreamExt;
use serde_json::json;
use telnums_apple_business::{AppleBusinessClient, ErrorKind, Ql, QlField};
use telnums_core::{Error, RetryPolicy};
use telnums_tests::scenarios::{bounded, Case, Settings};
use wiremock::matchers::{header, header_regex, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Apple;

const ORG: &str = "9467895078742654934";
const BRAND: &str = "9467895078742654921";
const QL: &str = "state==PUBLISHED";

fn list_path() -> String {
    format!("/api/v1/orgs/{ORG}/brands/{BRAND}/caller-ids")
}

/// A page of `ids`; with `next = Some(n)`, its pagination names cursor `cur{n}` both as
/// `cursors.after` and inside the `next` link, as Apple does.
fn body(ids: &[String], next: Option<usize>) -> serde_json::Value {
    let pagination = match next {
        Some(n) => json!({ "cursors": { "after": format!("cur{n}") }, "next": next_url(n) }),
        None => json!({}),
    };
    page(ids, pagination)
}

fn page(ids: &[String], pagination: serde_json::Value) -> serde_json::Value {
    json!({
        "data": ids.iter().map(|id| json!({
            "orgId": ORG,
            "brandId": BRAND,
            "id": id,
            "createdDate": "2026-10-02T11:41:00Z",
            "updatedDate": "2026-10-11T18:34:00Z",
            "state": "PUBLISHED",
            "etag": "5c556a5e-5d47-11ee-863f-325096b39f47",
            "callerIdDetails": { "phoneNumber": "+18005550100", "department": "department.general.support.customer_service" }
        })).collect::<Vec<_>>(),
        "pagination": pagination,
        "total": 6
    })
}

fn next_url(after: usize) -> String {
    format!("{}?ql={QL}&limit=2&after=cur{after}", list_path())
}

impl Case for Apple {
    const KEY: &'static str = "apple-business";
    type Client = AppleBusinessClient;

    fn client(s: Settings) -> AppleBusinessClient {
        let base_url = format!("{}/api/v1", s.base_url);
        telnums_tests::scenarios::build(Settings { base_url, ..s })
    }

    fn list_path() -> String {
        list_path()
    }

    async fn mount_listing(server: &MockServer, pages: usize) -> Vec<String> {
        let mut all = Vec::new();
        for p in 0..pages {
            let ids: Vec<String> = (0..2).map(|i| format!("cid-{p}-{i}")).collect();
            all.extend(ids.clone());
            let next = (p + 1 < pages).then_some(p + 1);
            let mock = Mock::given(path(list_path())).and(query_param("ql", QL));
            let mock = if p == 0 {
                mock.and(query_param_is_missing("after"))
            } else {
                mock.and(query_param("after", format!("cur{p}")))
            };
            mock.respond_with(
                ResponseTemplate::new(200)
                    .insert_header("apple-request-id", format!("req-{p}").as_str())
                    .set_body_json(body(&ids, next)),
            )
            .expect(1)
            .mount(server)
            .await;
        }
        all
    }

    async fn mount_loop(server: &MockServer) {
        Mock::given(path(list_path()))
            .respond_with(ResponseTemplate::new(200).set_body_json(body(&["x".into()], Some(1))))
            .mount(server)
            .await;
    }

    fn single_page(id: &str) -> serde_json::Value {
        body(&[id.to_owned()], None)
    }

    fn list(client: &AppleBusinessClient) -> BoxStream<'static, Result<String, Error>> {
        client
            .list_caller_ids(ORG, BRAND)
            .query(|q| q.ql(Ql::new().eq(QlField::State, "PUBLISHED")))
            .items()
            .map(|r| r.map(|c| c.id))
            .boxed()
    }
}

telnums_tests::scenario_tests!(Apple);

fn client(server: &MockServer) -> AppleBusinessClient {
    AppleBusinessClient::builder()
        .base_url(format!("{}/api/v1", server.uri()))
        .bearer_token("t")
        .retry(RetryPolicy::never())
        .build()
        .expect("client")
}

/// A `+` in a ql value reaches the server percent-encoded as `%2B`.
#[tokio::test]
async fn plus_is_sent_as_percent_2b() {
    let server = MockServer::start().await;
    Mock::given(path(list_path()))
        .and(query_param(
            "ql",
            "callerIdDetails.phoneNumber==+18005555555",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(&["a".into()], None)))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server)
        .list_caller_ids(ORG, BRAND)
        .query(|q| q.ql(Ql::new().eq(QlField::PhoneNumber, "+18005555555")))
        .first_page()
        .await
        .expect("page");
    assert_eq!(page.data.len(), 1);
    let sent = server.received_requests().await.expect("recorded");
    let query = sent[0].url.query().unwrap_or_default().to_owned();
    assert!(query.contains("%2B18005555555"), "{query}");
    assert!(!query.contains('+'), "{query}");
}

/// An empty collection (`{"data": [], "pagination": {}, "total": 0}`) ends at once.
#[tokio::test]
async fn empty_collection_ends() {
    let server = MockServer::start().await;
    Mock::given(path(list_path()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": [], "pagination": {}, "total": 0})),
        )
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(
        client(&server)
            .list_caller_ids(ORG, BRAND)
            .items()
            .count()
            .await,
        0
    );
}

/// A value that would split the ql expression is refused before anything is sent.
#[tokio::test]
async fn bad_ql_is_refused_locally() {
    let server = MockServer::start().await;
    let err = client(&server)
        .list_caller_ids(ORG, BRAND)
        .query(|q| q.ql(Ql::new().eq(QlField::Id, "1;state==X")))
        .first_page()
        .await
        .expect_err("refused");
    assert_eq!(err.kind(), &ErrorKind::InvalidRequest);
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

/// Errors carry `apple-request-id` and Apple's message.
#[tokio::test]
async fn request_id_in_errors() {
    let server = MockServer::start().await;
    Mock::given(path(list_path()))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("apple-request-id", "cbc6080e-53c8-43cb-8d46-082859226bfb")
                .set_body_json(json!({"code": "NOT_FOUND", "message": "Brand not found"})),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .list_caller_ids(ORG, BRAND)
        .first_page()
        .await
        .expect_err("404");
    assert_eq!(
        err.request_id(),
        Some("cbc6080e-53c8-43cb-8d46-082859226bfb")
    );
    assert_eq!(err.message(), Some("Brand not found (NOT_FOUND)"));
}

/// Without `cursors.after`, the relative `next` link is followed on the client's host,
/// with what every request carries: the credentials, `Accept: application/json`, the
/// telnums `User-Agent`, and retries (the linked page fails once with a 503).
#[tokio::test]
async fn follows_next_link_without_cursor() {
    bounded(async {
        let server = MockServer::start().await;
        let first = page(&["a".into()], json!({ "next": next_url(1) }));
        let common = || {
            Mock::given(method("GET"))
                .and(path(list_path()))
                .and(header("authorization", "Bearer t"))
                .and(header("accept", "application/json"))
                .and(header_regex("user-agent", "^telnums-apple-business/"))
        };
        common()
            .and(query_param_is_missing("after"))
            .respond_with(ResponseTemplate::new(200).set_body_json(first))
            .expect(1)
            .mount(&server)
            .await;
        common()
            .and(query_param("after", "cur1"))
            .and(query_param("ql", QL))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(1)
            .expect(1)
            .mount(&server)
            .await;
        common()
            .and(query_param("after", "cur1"))
            .and(query_param("ql", QL))
            .respond_with(ResponseTemplate::new(200).set_body_json(body(&["b".into()], None)))
            .with_priority(2)
            .expect(1)
            .mount(&server)
            .await;
        let client = AppleBusinessClient::builder()
            .base_url(format!("{}/api/v1", server.uri()))
            .bearer_token("t")
            .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(10)))
            .build()
            .expect("client");
        let ids: Vec<String> = client
            .list_caller_ids(ORG, BRAND)
            .items()
            .map(|r| r.expect("item").id)
            .collect()
            .await;
        assert_eq!(ids, ["a", "b"]);
        let sent = server.received_requests().await.expect("recorded");
        assert_eq!(sent.len(), 3, "first page, the linked page twice");
        assert!(
            sent.iter().all(|r| r.headers.get("api-version").is_none()),
            "generator header leaked"
        );
    })
    .await
}

/// `limit` below 1 is raised to 1; no `limit` is sent unless one is set.
#[tokio::test]
async fn page_size_is_clamped_to_the_documented_range() {
    for (asked, sent) in [(Some(0u32), Some("1")), (Some(7), Some("7")), (None, None)] {
        let server = MockServer::start().await;
        let mock = Mock::given(path(list_path()));
        let mock = match sent {
            Some(limit) => mock.and(query_param("limit", limit)),
            None => mock.and(query_param_is_missing("limit")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body(&["a".into()], None)))
            .expect(1)
            .mount(&server)
            .await;
        let mut listing = client(&server).list_caller_ids(ORG, BRAND);
        if let Some(n) = asked {
            listing = listing.page_size(n);
        }
        let page = listing.first_page().await;
        assert!(page.is_ok(), "{asked:?}: {page:?}");
    }
}

/// A `next` link to another host is refused before anything is sent there: the
/// request would carry the bearer token.
#[tokio::test]
async fn next_link_to_another_host_is_refused() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let link = format!("{}{}", elsewhere.uri(), next_url(1));
    Mock::given(path(list_path()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(page(&["a".into()], json!({ "next": link }))),
        )
        .expect(1)
        .mount(&server)
        .await;
    let got: Vec<_> = client(&server)
        .list_caller_ids(ORG, BRAND)
        .items()
        .collect()
        .await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].as_ref().expect("first item").id, "a");
    let err = got[1].as_ref().expect_err("refused");
    assert_eq!(err.kind(), &ErrorKind::InvalidRequest);
    assert!(format!("{err}").contains("refusing"), "{err}");
    assert!(elsewhere
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

/// The hand-written `Ql` knows exactly the fields and operators the spec documents for
/// `ql`, which the CLI's `--ql` and `FILTERS` validate against.
#[test]
fn ql_fields_and_operators_match_the_spec() {
    use telnums_apple_business::QlOp;
    let root = telnums_tests::root();
    let spec = xtask::load_spec(&xtask::spec_path(&root, "apple-business")).expect("spec");
    let params = spec["paths"]["/orgs/{orgId}/brands/{brandId}/caller-ids"]["get"]["parameters"]
        .as_array()
        .expect("parameters");
    let ql = params
        .iter()
        .find(|p| p["name"] == "ql")
        .and_then(|p| p["description"].as_str())
        .expect("ql description");
    let (grammar, fields) = ql
        .split_once("Fields that can be filtered on:")
        .expect("fields");
    let bullets = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.trim_start().strip_prefix("* `"))
            .filter_map(|l| l.split_once('`').map(|(name, _)| name.to_owned()))
            .collect()
    };
    let documented: Vec<String> = bullets(fields);
    let known: Vec<String> = QlField::ALL.iter().map(|f| f.as_str().to_owned()).collect();
    assert_eq!(documented, known);
    let operators: Vec<String> = bullets(grammar)
        .iter()
        .map(|b| {
            b.trim_start_matches("field")
                .trim_end_matches("value")
                .to_owned()
        })
        .collect();
    let known: Vec<String> = QlOp::ALL.iter().map(|o| o.as_str().to_owned()).collect();
    assert_eq!(operators, known);
}

/// A page carries the `apple-request-id` it came with, and its status.
#[tokio::test]
async fn request_id_on_success() {
    let server = MockServer::start().await;
    Mock::given(path(list_path()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("apple-request-id", "cbc6080e-53c8-43cb-8d46-082859226bfb")
                .set_body_json(body(&["a".into()], None)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server)
        .list_caller_ids(ORG, BRAND)
        .first_page()
        .await
        .expect("page");
    assert_eq!(
        page.request_id(),
        Some("cbc6080e-53c8-43cb-8d46-082859226bfb")
    );
    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(
        page.headers()
            .get("apple-request-id")
            .and_then(|v| v.to_str().ok()),
        page.request_id()
    );
    assert_eq!(page.into_inner().data.len(), 1);
}

/// A blank `cursors.after` is no cursor: the `next` link is followed instead; blank
/// both ways, the listing ends.
#[tokio::test]
async fn blank_cursors_are_no_cursors() {
    let server = MockServer::start().await;
    Mock::given(path(list_path()))
        .and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            &["a".into()],
            json!({ "cursors": { "after": "  " }, "next": next_url(1) }),
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(list_path()))
        .and(query_param("after", "cur1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            &["b".into()],
            json!({ "cursors": { "after": "" }, "next": " " }),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let ids: Vec<String> = client(&server)
        .list_caller_ids(ORG, BRAND)
        .items()
        .map(|r| r.expect("item").id)
        .collect()
        .await;
    assert_eq!(ids, ["a", "b"]);
}

/// An `https` client never follows a next link to `http` (another origin, even on the
/// same host): refused before anything is sent. The URLs are only strings here.
#[tokio::test]
async fn an_https_listing_does_not_follow_a_link_to_http() {
    let client = AppleBusinessClient::builder()
        .base_url("https://businessconnect.apple.com/api/v1")
        .bearer_token("apple-token-not-real")
        .retry(RetryPolicy::never())
        .build()
        .expect("client");
    let listing = client.list_caller_ids(ORG, BRAND);
    let err = listing
        .paging()
        .next_page("http://businessconnect.apple.com/api/v1/orgs/o/brands/b/caller-ids?after=x")
        .await
        .expect_err("refused");
    assert_eq!(err.kind(), &ErrorKind::InvalidRequest, "{err}");
    assert!(
        err.to_string()
            .contains("refusing to follow a link to http://businessconnect.apple.com"),
        "{err}"
    );
    assert_eq!(err.attempts(), 0, "nothing was sent");
}
