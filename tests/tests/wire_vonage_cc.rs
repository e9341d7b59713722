//! Vonage Contact Center: what goes on the wire, and how responses come back.

use futures::TryStreamExt;
use serde_json::json;
use telnums_vonage_cc::{ErrorKind, RetryPolicy, VonageCcClient};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "test-token-vonage";

fn client(server: &MockServer) -> VonageCcClient {
    VonageCcClient::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry(RetryPolicy::never())
        .build()
        .expect("client builds")
}

fn page(page: u32, page_count: u32, names: &[&str]) -> serde_json::Value {
    json!({
        "meta": { "page": page, "count": names.len(), "pageCount": page_count, "totalCount": 7 },
        "callbackNumbers": names.iter().map(|n| json!({
            "callbackNumberId": format!("id-{n}"),
            "callbackNumberName": n,
            "callbackNumberClid": "+441632960001"
        })).collect::<Vec<_>>()
    })
}

#[tokio::test]
async fn one_call_sends_method_path_query_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/useradmin/callbackNumbers"))
        .and(query_param("page", "2"))
        .and(query_param("limit", "50"))
        .and(header("accept", "application/vnd.newvoicemedia.v4+json"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(2, 2, &["a"])))
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .list_callback_numbers()
        .page_size(50)
        .page(2)
        .await
        .expect("page");
    assert_eq!(response.callback_numbers.len(), 1);
    assert_eq!(response.status(), 200);

    let requests = server.received_requests().await.expect("recorded");
    let sent: &Request = &requests[0];
    assert!(sent.headers.get("api-version").is_none(), "generator header must not leak");
    let ua = sent.headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(ua.starts_with("telnums-vonage-cc/"), "user agent: {ua}");
}

#[tokio::test]
async fn lists_every_page_once() {
    let server = MockServer::start().await;
    for (p, names) in [(1, vec!["a", "b", "c"]), (2, vec!["d", "e", "f"]), (3, vec!["g"])] {
        Mock::given(path("/useradmin/callbackNumbers"))
            .and(query_param("page", p.to_string()))
            .and(query_param("limit", "3"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(p, 3, &names)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let items: Vec<_> = client(&server)
        .list_callback_numbers()
        .page_size(3)
        .items()
        .try_collect()
        .await
        .expect("listing");
    let names: Vec<_> = items.iter().filter_map(|n| n.callback_number_name.as_deref()).collect();
    assert_eq!(names, ["a", "b", "c", "d", "e", "f", "g"]);
}

#[tokio::test]
async fn unknown_fields_are_tolerated_and_truncated_json_is_a_typed_error() {
    let server = MockServer::start().await;
    let mut body = page(1, 1, &["a"]);
    body["callbackNumbers"][0]["addedLater"] = json!({"x": 1});
    Mock::given(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    Mock::given(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"meta":{"page":2},"callbackNumbers":[{"callbackNumberId":"x""#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let c = client(&server);
    let ok = c.list_callback_numbers().page(1).await.expect("decodes");
    assert_eq!(ok.callback_numbers[0].callback_number_name.as_deref(), Some("a"));

    let err = c.list_callback_numbers().page(2).await.expect_err("truncated");
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert_eq!(err.provider(), "vonage-cc");
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}
