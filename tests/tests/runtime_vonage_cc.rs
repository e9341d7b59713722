//! Shared runtime scenarios (retries, timeouts, auth, paging guards) for Vonage CC.

use futures::stream::BoxStream;
use futures::StreamExt;
use serde_json::json;
use telnums_core::Error;
use telnums_tests::scenarios::{Case, Settings};
use telnums_vonage_cc::VonageCcClient;
use wiremock::matchers::{header, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Vonage;

fn body(page: usize, page_count: usize, ids: &[String]) -> serde_json::Value {
    json!({
        "meta": { "page": page, "count": ids.len(), "pageCount": page_count, "totalCount": page_count * 2 },
        "callbackNumbers": ids.iter().map(|id| json!({
            "callbackNumberId": id,
            "callbackNumberName": format!("Callback {id}"),
            "callbackNumberClid": "+441632960123"
        })).collect::<Vec<_>>()
    })
}

impl Case for Vonage {
    const KEY: &'static str = "vonage-cc";
    const ACCEPT: &'static str = "application/vnd.newvoicemedia.v4+json";
    type Client = VonageCcClient;

    fn client(s: Settings) -> VonageCcClient {
        telnums_tests::scenarios::build(s)
    }

    fn list_path() -> String {
        "/useradmin/callbackNumbers".into()
    }

    async fn mount_listing(server: &MockServer, pages: usize) -> Vec<String> {
        let mut all = Vec::new();
        for p in 1..=pages {
            let ids: Vec<String> = (0..2).map(|i| format!("cb-{p}-{i}")).collect();
            all.extend(ids.clone());
            // The page size (the only parameter besides `page`) is kept on every page,
            // and so is the vendor media type.
            Mock::given(path(Self::list_path()))
                .and(query_param("page", p.to_string()))
                .and(query_param("limit", "5000"))
                .and(header("accept", "application/vnd.newvoicemedia.v4+json"))
                .respond_with(ResponseTemplate::new(200).set_body_json(body(p, pages, &ids)))
                .expect(1)
                .mount(server)
                .await;
        }
        all
    }

    async fn mount_loop(server: &MockServer) {
        // Whatever page is asked for, the server says it served page 1 of 3.
        Mock::given(path(Self::list_path()))
            .respond_with(ResponseTemplate::new(200).set_body_json(body(1, 3, &["same".into()])))
            .mount(server)
            .await;
    }

    fn single_page(id: &str) -> serde_json::Value {
        body(1, 1, &[id.to_owned()])
    }

    fn list(client: &VonageCcClient) -> BoxStream<'static, Result<String, Error>> {
        client
            .list_callback_numbers()
            .items()
            .map(|r| r.map(|n| n.callback_number_id.unwrap_or_default()))
            .boxed()
    }
}

telnums_tests::scenario_tests!(Vonage);

fn client(server: &MockServer) -> VonageCcClient {
    VonageCcClient::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .retry(telnums_core::RetryPolicy::never())
        .build()
        .expect("client")
}

/// `limit` outside the documented 1..=5000 is clamped, never sent as is.
#[tokio::test]
async fn page_size_is_clamped_to_the_documented_range() {
    for (asked, sent) in [
        (0u32, "1"),
        (1, "1"),
        (5000, "5000"),
        (5001, "5000"),
        (42, "42"),
    ] {
        let server = MockServer::start().await;
        Mock::given(path("/useradmin/callbackNumbers"))
            .and(query_param("limit", sent))
            .and(query_param("page", "1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body(1, 1, &["a".into()])))
            .expect(1)
            .mount(&server)
            .await;
        let page = client(&server)
            .list_callback_numbers()
            .page_size(asked)
            .page(1)
            .await;
        assert!(page.is_ok(), "{asked}: {page:?}");
    }
}

/// Vonage's request id comes back as `x-request-id` or `x-correlation-id`; an error
/// reports it, preferring `x-request-id` when both are present.
#[tokio::test]
async fn request_id_from_either_header() {
    for (headers, want) in [
        (vec![("x-correlation-id", "corr-1")], "corr-1"),
        (vec![("x-request-id", "req-1")], "req-1"),
        (
            vec![("x-correlation-id", "corr-2"), ("x-request-id", "req-2")],
            "req-2",
        ),
    ] {
        let server = MockServer::start().await;
        let mut response = ResponseTemplate::new(403)
            .set_body_json(json!({ "code": "FORBIDDEN", "message": "Missing scope" }));
        for (name, value) in &headers {
            response = response.insert_header(*name, *value);
        }
        Mock::given(path("/useradmin/callbackNumbers"))
            .respond_with(response)
            .expect(1)
            .mount(&server)
            .await;
        let err = client(&server)
            .list_callback_numbers()
            .page(1)
            .await
            .expect_err("403");
        assert_eq!(err.request_id(), Some(want), "{headers:?}");
        assert_eq!(err.message(), Some("Missing scope (FORBIDDEN)"));
        assert!(err.to_string().contains(want), "{err}");
    }
}

/// A page body without `meta.pageCount`, or with one.
fn page_body(page: usize, page_count: Option<usize>, ids: &[&str]) -> serde_json::Value {
    let mut meta = json!({ "page": page, "count": ids.len() });
    if let Some(n) = page_count {
        meta["pageCount"] = json!(n);
    }
    json!({
        "meta": meta,
        "callbackNumbers": ids.iter().map(|id| json!({ "callbackNumberId": id })).collect::<Vec<_>>()
    })
}

/// Mounts pages of `ids` (1-based page numbers), each expected `times` times at most.
async fn mount_pages(server: &MockServer, pages: &[serde_json::Value]) {
    for (i, body) in pages.iter().enumerate() {
        Mock::given(path("/useradmin/callbackNumbers"))
            .and(query_param("page", (i + 1).to_string()))
            .and(query_param("limit", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
            .expect(1)
            .mount(server)
            .await;
    }
}

async fn list_ids(server: &MockServer, concurrency: usize) -> Result<Vec<String>, Error> {
    client(server)
        .list_callback_numbers()
        .page_size(2)
        .concurrency(concurrency)
        .items()
        .map(|r| r.map(|n| n.callback_number_id.unwrap_or_default()))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}

/// Without `meta.pageCount` the listing goes on past a short page (the server may number
/// pages in a smaller size than asked) and stops at the first empty one, one request per
/// page (asked one at a time).
#[tokio::test]
async fn without_page_count_an_empty_page_ends_the_listing() {
    let server = MockServer::start().await;
    mount_pages(
        &server,
        &[
            page_body(1, None, &["a", "b"]),
            page_body(2, None, &["c"]),
            page_body(3, None, &["d", "e"]),
            page_body(4, None, &[]),
        ],
    )
    .await;
    assert_eq!(
        list_ids(&server, 1).await.expect("listing"),
        ["a", "b", "c", "d", "e"]
    );
}

/// The same with two pages in flight: the empty page ends it, and the request made
/// past it is dropped.
#[tokio::test]
async fn without_page_count_an_empty_page_ends_a_concurrent_listing() {
    let server = MockServer::start().await;
    mount_pages(
        &server,
        &[
            page_body(1, None, &["a", "b"]),
            page_body(2, None, &["c", "d"]),
            page_body(3, None, &["e"]),
        ],
    )
    .await;
    Mock::given(path("/useradmin/callbackNumbers"))
        .and(query_param("page", "4"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(4, None, &[])))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    assert_eq!(
        list_ids(&server, 2).await.expect("listing"),
        ["a", "b", "c", "d", "e"]
    );
}

/// An empty page ends the listing even when `meta.pageCount` says more follow.
#[tokio::test]
async fn an_empty_page_ends_the_listing() {
    for concurrency in [1, 3] {
        let server = MockServer::start().await;
        mount_pages(
            &server,
            &[
                page_body(1, Some(5), &["a", "b"]),
                page_body(2, Some(5), &[]),
            ],
        )
        .await;
        // Pages asked for ahead of time (with several in flight) answer too.
        Mock::given(path("/useradmin/callbackNumbers"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page_body(3, Some(5), &["x"])))
            .with_priority(10)
            .mount(&server)
            .await;
        assert_eq!(
            list_ids(&server, concurrency).await.expect("listing"),
            ["a", "b"],
            "{concurrency} in flight"
        );
    }
}

/// Read one page at a time, the listing continues from the page the server says it
/// served (`meta.page`), so a server that skips ahead is followed, not second-guessed.
#[tokio::test]
async fn continues_from_the_page_the_server_served() {
    let server = MockServer::start().await;
    for (asked, body) in [
        (1, page_body(2, Some(3), &["a", "b"])),
        (3, page_body(3, Some(3), &["c"])),
    ] {
        Mock::given(path("/useradmin/callbackNumbers"))
            .and(query_param("page", asked.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    assert_eq!(
        list_ids(&server, 1).await.expect("listing"),
        ["a", "b", "c"]
    );
}
