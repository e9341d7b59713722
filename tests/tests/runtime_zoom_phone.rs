//! Shared runtime scenarios for Zoom Phone.

use futures::stream::BoxStream;
use futures::StreamExt;
use serde_json::json;
use telnums_core::{Error, RetryPolicy};
use telnums_tests::scenarios::{bounded, Case, Settings};
use telnums_zoom_phone::{types, ZoomPhoneClient};
use wiremock::matchers::{path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Zoom;

/// A client of `server` with a bearer token and the default settings.
fn bearer_client(server: &MockServer) -> ZoomPhoneClient {
    ZoomPhoneClient::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .expect("client")
}

fn body(ids: &[String], next: Option<&str>) -> serde_json::Value {
    json!({
        "next_page_token": next.unwrap_or(""),
        "page_size": 100,
        "total_records": 6,
        "phone_numbers": ids.iter().map(|id| json!({
            "id": id,
            "number": "+12055550100",
            "display_name": "Front desk",
            "number_type": "toll",
            "source": "internal",
            "status": "available",
            "assignee": { "id": "u1", "name": "Alex", "type": "user", "extension_number": 101 }
        })).collect::<Vec<_>>()
    })
}

impl Case for Zoom {
    const KEY: &'static str = "zoom-phone";
    type Client = ZoomPhoneClient;

    fn client(s: Settings) -> ZoomPhoneClient {
        telnums_tests::scenarios::build(s)
    }

    fn list_path() -> String {
        "/phone/numbers".into()
    }

    async fn mount_listing(server: &MockServer, pages: usize) -> Vec<String> {
        let mut all = Vec::new();
        for p in 0..pages {
            let ids: Vec<String> = (0..2).map(|i| format!("zn-{p}-{i}")).collect();
            all.extend(ids.clone());
            let next = (p + 1 < pages).then(|| format!("tok{}", p + 1));
            let mock = Mock::given(path(Self::list_path()))
                .and(query_param("type", "assigned"))
                .and(query_param("page_size", "100"));
            let mock = if p == 0 {
                mock.and(query_param_is_missing("next_page_token"))
            } else {
                mock.and(query_param("next_page_token", format!("tok{p}")))
            };
            mock.respond_with(
                ResponseTemplate::new(200).set_body_json(body(&ids, next.as_deref())),
            )
            .expect(1)
            .mount(server)
            .await;
        }
        all
    }

    async fn mount_loop(server: &MockServer) {
        Mock::given(path(Self::list_path()))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(body(&["x".into()], Some("same"))),
            )
            .mount(server)
            .await;
    }

    fn single_page(id: &str) -> serde_json::Value {
        body(&[id.to_owned()], None)
    }

    fn list(client: &ZoomPhoneClient) -> BoxStream<'static, Result<String, Error>> {
        client
            .list_phone_numbers()
            .query(|q| q.type_(types::ListPhoneNumbersType::Assigned))
            .items()
            .map(|r| r.map(|n| n.id.unwrap_or_default()))
            .boxed()
    }
}

telnums_tests::scenario_tests!(Zoom);

/// A missing `next_page_token` ends the listing like an empty one.
#[tokio::test]
async fn missing_token_ends() {
    let server = MockServer::start().await;
    let mut b = body(&["only".into()], None);
    b.as_object_mut().expect("object").remove("next_page_token");
    Mock::given(path("/phone/numbers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(b))
        .expect(1)
        .mount(&server)
        .await;
    let client = bearer_client(&server);
    let n = client.list_phone_numbers().items().count().await;
    assert_eq!(n, 1);
}

/// The tracking id Zoom returns is carried into errors.
#[tokio::test]
async fn tracking_id_in_errors() {
    let server = MockServer::start().await;
    Mock::given(path("/phone/numbers"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-zm-trackingid", "v=2.0;clid=us06;rid=WEB_abc")
                .set_body_json(json!({"code": 300, "message": "Invalid site_id"})),
        )
        .mount(&server)
        .await;
    let client = bearer_client(&server);
    let err = client
        .list_phone_numbers()
        .page(None)
        .await
        .expect_err("400");
    assert_eq!(err.request_id(), Some("v=2.0;clid=us06;rid=WEB_abc"));
    assert_eq!(err.message(), Some("Invalid site_id (code 300)"));
    assert_eq!(err.attempts(), 1, "400 is not retried");
}

/// A 401 with OAuth2 credentials refreshes the token once and retries once, never more.
#[tokio::test]
async fn unauthorized_after_refresh_is_not_retried_forever() {
    bounded(unauthorized_after_refresh_is_not_retried_forever_run()).await
}

async fn unauthorized_after_refresh_is_not_retried_forever_run() {
    use wiremock::matchers::method;
    let server = MockServer::start().await;
    // Zoom's server-to-server grant: `account_credentials` with the account id, the
    // client authenticated with HTTP Basic.
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(wiremock::matchers::header(
            "authorization",
            telnums_tests::scenarios::basic("id", "secret-value"),
        ))
        .and(wiremock::matchers::body_string(
            "grant_type=account_credentials&account_id=acct",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "access_token": "revoked-soon", "expires_in": 3600 })),
        )
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/phone/numbers"))
        .and(wiremock::matchers::header(
            "authorization",
            "Bearer revoked-soon",
        ))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"code": 124, "message": "Invalid access token."})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let creds = telnums_core::ClientCredentials::new(
        format!("{}/oauth/token", server.uri()),
        "id",
        "secret-value",
    )
    .grant_type("account_credentials")
    .param("account_id", "acct");
    let client = ZoomPhoneClient::builder()
        .base_url(server.uri())
        .credentials(creds)
        .build()
        .expect("client");
    let err = client
        .list_phone_numbers()
        .page(None)
        .await
        .expect_err("401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.attempts(), 2);
    assert_eq!(err.message(), Some("Invalid access token. (code 124)"));
}

/// A body larger than the configured limit is refused with a typed error.
#[tokio::test]
async fn oversized_body_is_a_typed_error() {
    let server = MockServer::start().await;
    let ids: Vec<String> = (0..50).map(|i| format!("zn-{i}")).collect();
    Mock::given(path("/phone/numbers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(&ids, None)))
        .mount(&server)
        .await;
    let client = ZoomPhoneClient::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .max_body_bytes(1024)
        .build()
        .expect("client");
    let err = client
        .list_phone_numbers()
        .page(None)
        .await
        .expect_err("too large");
    assert_eq!(
        err.kind(),
        &telnums_core::ErrorKind::BodyTooLarge { limit: 1024 }
    );
}

/// Connection failures are retried up to the cap, then reported as transport errors.
#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    bounded(connection_refused_is_retried_then_reported_run()).await
}

async fn connection_refused_is_retried_then_reported_run() {
    // Bind and drop a listener: nothing listens on that port afterwards.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let client = ZoomPhoneClient::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer_token("t")
        .retry(
            RetryPolicy::default()
                .with_initial_backoff(std::time::Duration::from_millis(10))
                .with_max_attempts(3),
        )
        .build()
        .expect("client");
    let err = client
        .list_phone_numbers()
        .page(None)
        .await
        .expect_err("refused");
    assert_eq!(err.kind(), &telnums_core::ErrorKind::Transport);
    assert_eq!(err.attempts(), 3);
    assert!(err.is_retryable());
}

/// A token endpoint claiming an absurd lifetime (or a non-number) does not break the
/// client: the lifetime is capped, the token used.
#[tokio::test]
async fn absurd_token_lifetime_is_capped() {
    use wiremock::matchers::method;
    for expires_in in [json!(1e300), json!("forever"), json!(-5)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(
                    json!({ "access_token": "long-lived", "expires_in": expires_in }),
                ),
            )
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(path("/phone/numbers"))
            .and(wiremock::matchers::header(
                "authorization",
                "Bearer long-lived",
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(body(&["a".to_owned()], None)))
            .expect(2)
            .mount(&server)
            .await;
        let creds = telnums_core::ClientCredentials::new(
            format!("{}/oauth/token", server.uri()),
            "id",
            "secret-value",
        );
        let client = ZoomPhoneClient::builder()
            .base_url(server.uri())
            .credentials(creds)
            .build()
            .expect("client");
        for _ in 0..2 {
            let page = client.list_phone_numbers().page(None).await;
            assert!(page.is_ok(), "{expires_in}: {page:?}");
        }
    }
}

/// Page sizes outside the documented 1..=100 are clamped, never sent as is.
#[tokio::test]
async fn page_size_is_clamped_to_the_documented_range() {
    for (asked, sent) in [(0u32, "1"), (1000, "100"), (42, "42")] {
        let server = MockServer::start().await;
        Mock::given(path("/phone/numbers"))
            .and(query_param("page_size", sent))
            .respond_with(ResponseTemplate::new(200).set_body_json(body(&["a".to_owned()], None)))
            .expect(1)
            .mount(&server)
            .await;
        let client = bearer_client(&server);
        let page = client
            .list_phone_numbers()
            .page_size(asked)
            .page(None)
            .await;
        assert!(page.is_ok(), "{asked}: {page:?}");
    }
}

/// `expires_in` sent as a string (`"1"`) is a lifetime like a number: the token is
/// refreshed after it.
#[tokio::test]
async fn expires_in_as_a_string_is_honoured() {
    bounded(async {
        use wiremock::matchers::method;
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "access_token": "short-lived", "expires_in": " 1 " })),
            )
            .expect(2)
            .mount(&server)
            .await;
        Mock::given(path("/phone/numbers"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body(&["a".to_owned()], None)))
            .mount(&server)
            .await;
        let creds = telnums_core::ClientCredentials::new(
            format!("{}/oauth/token", server.uri()),
            "id",
            "secret-value",
        )
        .refresh_margin(std::time::Duration::ZERO);
        let client = ZoomPhoneClient::builder()
            .base_url(server.uri())
            .credentials(creds)
            .build()
            .expect("client");
        client.list_phone_numbers().page(None).await.expect("page");
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        client.list_phone_numbers().page(None).await.expect("page");
    })
    .await
}

/// A token endpoint's error page that is not JSON becomes one line of its text, even
/// when the text comes after a long run of markup and blank space.
#[tokio::test]
async fn token_endpoint_error_page_is_one_line() {
    bounded(async {
        use wiremock::matchers::method;
        let server = MockServer::start().await;
        let page = format!(
            "<html><head><title></title></head>{}<body><h1>Access denied</h1></body></html>",
            " \n".repeat(400)
        );
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(403).set_body_raw(page, "text/html"))
            .expect(1)
            .mount(&server)
            .await;
        let creds = telnums_core::ClientCredentials::new(
            format!("{}/oauth/token", server.uri()),
            "id",
            "secret-value",
        );
        let client = ZoomPhoneClient::builder()
            .base_url(server.uri())
            .credentials(creds)
            .build()
            .expect("client");
        let err = client
            .list_phone_numbers()
            .page(None)
            .await
            .expect_err("403");
        assert_eq!(err.kind(), &telnums_core::ErrorKind::Auth);
        assert_eq!(
            err.message(),
            Some("token endpoint answered HTTP 403: Access denied")
        );
    })
    .await
}

/// `user_agent` replaces the telnums default on the wire; a caller's own
/// `reqwest::Client` is the one that sends (its default headers arrive).
#[tokio::test]
async fn user_agent_and_a_callers_http_client_reach_the_server() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(path("/phone/numbers"))
            .and(wiremock::matchers::header("user-agent", "custom-agent/1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body(&["a".to_owned()], None)))
            .expect(1)
            .mount(&server)
            .await;
        let client = ZoomPhoneClient::builder()
            .base_url(server.uri())
            .bearer_token("t")
            .user_agent("custom-agent/1")
            .build()
            .expect("client");
        client.list_phone_numbers().page(None).await.expect("page");

        let server = MockServer::start().await;
        Mock::given(path("/phone/numbers"))
            .and(wiremock::matchers::header("x-caller", "mine"))
            .and(wiremock::matchers::header("authorization", "Bearer t"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body(&["a".to_owned()], None)))
            .expect(1)
            .mount(&server)
            .await;
        let mut headers = telnums_core::reqwest::header::HeaderMap::new();
        headers.insert(
            "x-caller",
            telnums_core::reqwest::header::HeaderValue::from_static("mine"),
        );
        let http = telnums_core::reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .expect("http");
        let client = ZoomPhoneClient::builder()
            .base_url(server.uri())
            .bearer_token("t")
            .http_client(http)
            .build()
            .expect("client");
        client.list_phone_numbers().page(None).await.expect("page");
    })
    .await
}

/// With no retries allowed, a 401 is not retried even with OAuth2 credentials: one
/// token, one attempt.
#[tokio::test]
async fn unauthorized_without_retries_is_not_refreshed() {
    bounded(async {
        use wiremock::matchers::method;
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "access_token": "revoked", "expires_in": 3600 })),
            )
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(path("/phone/numbers"))
            .respond_with(
                ResponseTemplate::new(401)
                    .set_body_json(json!({"code": 124, "message": "Invalid access token."})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let creds = telnums_core::ClientCredentials::new(
            format!("{}/oauth/token", server.uri()),
            "id",
            "secret-value",
        );
        let client = ZoomPhoneClient::builder()
            .base_url(server.uri())
            .credentials(creds)
            .retry(RetryPolicy::never())
            .build()
            .expect("client");
        let err = client
            .list_phone_numbers()
            .page(None)
            .await
            .expect_err("401");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
        assert_eq!(err.attempts(), 1);
    })
    .await
}
