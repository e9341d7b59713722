//! The runtime and the progenitor seam, driven the way a generated operation drives them
//! (`pre_request`, send, `post_response`, `read_json`), against a local mock server. The
//! provider crates' tests cover the same paths through their generated clients; these
//! keep core's own behaviour pinned where core is built and tested alone.

use std::time::Duration;

use telnums_core::{ClientBuilder, ErrorKind, RetryPolicy};
use wiremock::matchers::{header, header_exists, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod common;
use common::*;

#[tokio::test]
async fn a_call_sends_the_providers_headers_and_returns_the_typed_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/ok"))
        .and(header("authorization", "Bearer probe-token-not-real"))
        .and(header("accept", "application/vnd.probe+json"))
        .and(header_exists("x-track"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-other-id", "other-1")
                .set_body_string(r#"{"n": 7}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = probe(&server);
    let response = send(&client, "/ok").await.expect("ok");
    assert_eq!(response.value(), &Body { n: 7 });
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("other-1"));
    assert_eq!(response.headers()["x-other-id"], "other-1");
    let sent = &server.received_requests().await.expect("recorded")[0];
    assert!(
        !sent.headers.contains_key("api-version"),
        "the generator's api-version header is dropped"
    );
}

#[tokio::test]
async fn without_a_provider_id_the_sent_one_is_reported_once_a_response_came() {
    let server = MockServer::start().await;
    Mock::given(path("/plain"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"n": 1}"#))
        .mount(&server)
        .await;
    let client = probe(&server);
    let response = send(&client, "/plain").await.expect("ok");
    let sent = &server.received_requests().await.expect("recorded")[0];
    let track = sent.headers["x-track"].to_str().expect("ascii");
    assert!(track.starts_with("telnums_"), "{track}");
    assert_eq!(response.request_id(), Some(track));
}

#[tokio::test]
async fn a_documented_error_body_gives_its_message_and_the_providers_id() {
    let server = MockServer::start().await;
    Mock::given(path("/bad"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-probe-id", "probe-9")
                .set_body_string("{\"detail\": \"bad\\nvalue\"}"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = send(&probe(&server), "/bad").await.expect_err("400");
    assert!(matches!(err.kind(), ErrorKind::Api), "{err:?}");
    assert_eq!(err.status(), Some(reqwest::StatusCode::BAD_REQUEST));
    assert_eq!(err.request_id(), Some("probe-9"));
    assert_eq!(err.message(), Some("bad value"), "one line");
    assert_eq!(err.operation(), Some("probe_op"));
    assert_eq!(err.attempts(), 1, "a 400 is not retried");
}

#[tokio::test]
async fn an_undocumented_status_is_read_for_its_message() {
    let server = MockServer::start().await;
    Mock::given(path("/teapot"))
        .respond_with(
            ResponseTemplate::new(418)
                .insert_header("x-probe-id", "probe-t")
                .set_body_string(r#"{"error": "short and stout"}"#),
        )
        .mount(&server)
        .await;
    let err = send(&probe(&server), "/teapot").await.expect_err("418");
    assert!(matches!(err.kind(), ErrorKind::Api), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
    assert_eq!(err.request_id(), Some("probe-t"));
    assert_eq!(
        err.message(),
        Some("short and stout"),
        "the usual `error` key"
    );
}

#[tokio::test]
async fn a_503_is_retried_and_retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(path("/busy"))
        .respond_with(sequence(
            ResponseTemplate::new(503).insert_header("retry-after", "1"),
            ResponseTemplate::new(200).set_body_string(r#"{"n": 2}"#),
        ))
        .expect(2)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let response = send(&probe(&server), "/busy").await.expect("retried");
    assert_eq!(response.value().n, 2);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited {:?}, not the server's second",
        started.elapsed()
    );
}

#[tokio::test]
async fn retries_stop_at_the_policys_attempts_and_say_how_many() {
    let server = MockServer::start().await;
    Mock::given(path("/down"))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let client = builder(&server)
        .retry(fast().with_max_attempts(3))
        .build()
        .expect("builds");
    let err = send(&client, "/down").await.expect_err("503");
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test]
async fn a_retry_after_past_the_budget_is_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(path("/later"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .retry(fast().with_max_total_wait(Duration::from_secs(2)))
        .build()
        .expect("builds");
    let started = std::time::Instant::now();
    let err = send(&client, "/later").await.expect_err("429");
    assert!(started.elapsed() < Duration::from_secs(2), "did not wait");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(err.attempts(), 1);
}

#[tokio::test]
async fn a_slow_attempt_is_cut_at_the_timeout_with_the_head_it_got() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"n": 3}"#)
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::never())
        .build()
        .expect("builds");
    let err = send(&client, "/slow").await.expect_err("times out");
    assert!(matches!(err.kind(), ErrorKind::Timeout), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("attempt took longer than 0.3 s (total timeout)"),
        "{text}"
    );
    assert!(text.contains(&server.uri()), "names the origin: {text}");
}

#[tokio::test]
async fn a_body_that_is_not_the_schema_names_the_bad_path() {
    let server = MockServer::start().await;
    Mock::given(path("/odd"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-probe-id", "probe-o")
                .set_body_string(r#"{"n": "seven"}"#),
        )
        .mount(&server)
        .await;
    let err = send(&probe(&server), "/odd").await.expect_err("decode");
    assert!(
        matches!(err.kind(), ErrorKind::Decode { path } if path == "n"),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(reqwest::StatusCode::OK));
    assert_eq!(err.request_id(), Some("probe-o"));
}

#[tokio::test]
async fn an_error_status_with_another_body_keeps_an_excerpt() {
    let server = MockServer::start().await;
    Mock::given(path("/html"))
        .respond_with(
            ResponseTemplate::new(400).set_body_string("<html><b>Bad</b> gateway page</html>"),
        )
        .mount(&server)
        .await;
    let err = send(&probe(&server), "/html").await.expect_err("400");
    assert!(matches!(err.kind(), ErrorKind::Api), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.message(), Some("Bad gateway page"));
}

#[tokio::test]
async fn a_declared_body_over_the_limit_is_refused_before_reading() {
    let server = MockServer::start().await;
    Mock::given(path("/big"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-probe-id", "probe-b")
                .set_body_string(format!(r#"{{"n": 1, "pad": "{}"}}"#, "x".repeat(500))),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .max_body_bytes(100)
        .build()
        .expect("builds");
    let err = send(&client, "/big").await.expect_err("too large");
    assert!(
        matches!(err.kind(), ErrorKind::BodyTooLarge { limit: 100 }),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(reqwest::StatusCode::OK));
    assert_eq!(err.request_id(), Some("probe-b"));
}

#[tokio::test]
async fn failed_credentials_are_a_typed_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let client = oauth(&server, "/token", RetryPolicy::never());
    Mock::given(path("/token"))
        .respond_with(ResponseTemplate::new(401).set_body_string(r#"{"error":"invalid_client"}"#))
        .mount(&server)
        .await;
    let err = send(&client, "/ok").await.expect_err("no token");
    assert!(matches!(err.kind(), ErrorKind::Auth), "{err:?}");
    assert!(!err.to_string().contains("probe-secret-not-real"), "{err}");
    let sent = server.received_requests().await.expect("recorded");
    assert!(sent.iter().all(|r| r.url.path() == "/token"), "{sent:?}");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // A port that was just free: nothing listens on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let client = ClientBuilder::<Probe>::new()
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(RetryPolicy::never())
        .build()
        .expect("builds");
    let err = send(&client, "/gone").await.expect_err("refused");
    assert!(matches!(err.kind(), ErrorKind::Transport), "{err:?}");
    assert!(err.to_string().contains("cannot connect to"), "{err}");
    assert_eq!(err.request_id(), None, "no response, no request id");
    assert!(err.is_retryable());
    assert_eq!(err.attempts(), 1, "RetryPolicy::never makes one attempt");
}

#[tokio::test]
async fn get_json_follows_links_on_the_origin_only() {
    let server = MockServer::start().await;
    Mock::given(path("/next"))
        .and(header("authorization", "Bearer probe-token-not-real"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"n": 4}"#))
        .mount(&server)
        .await;
    Mock::given(path("/next-bad"))
        .respond_with(ResponseTemplate::new(400).set_body_string(r#"{"detail": "nope"}"#))
        .mount(&server)
        .await;
    let client = probe(&server);
    let url = |p: &str| url::Url::parse(&format!("{}{p}", server.uri())).expect("url");
    let page = client
        .runtime
        .get_json::<Body, Problem>("next", url("/next"))
        .await
        .expect("followed");
    assert_eq!(page.value().n, 4);
    assert!(page
        .request_id()
        .is_some_and(|id| id.starts_with("telnums_")));
    let err = client
        .runtime
        .get_json::<Body, Problem>("next", url("/next-bad"))
        .await
        .expect_err("400");
    assert_eq!(err.message(), Some("nope"));
    let away = url::Url::parse("http://127.0.0.2:9/next").expect("url");
    let err = client
        .runtime
        .get_json::<Body, Problem>("next", away)
        .await
        .expect_err("another origin");
    assert!(matches!(err.kind(), ErrorKind::InvalidRequest), "{err:?}");
    assert!(err
        .to_string()
        .contains("refusing to follow a link to http://127.0.0.2:9"));
}

#[tokio::test]
async fn the_runtime_reports_its_settings_without_the_token() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .max_body_bytes(1234)
        .timeout(Duration::from_secs(7))
        .build()
        .expect("builds");
    let rt = &client.runtime;
    assert_eq!(rt.provider().key, "probe");
    assert_eq!(rt.max_body_bytes(), 1234);
    assert_eq!(rt.timeout(), Duration::from_secs(7));
    assert_eq!(rt.base_url().as_str(), format!("{}/", server.uri()));
    let debug = format!("{rt:?}");
    assert!(debug.contains("probe") && debug.contains("1234"), "{debug}");
    assert!(!debug.contains("probe-token-not-real"), "{debug}");
}

/// A server on 127.0.0.1 that answers every connection with `head` and `body` and then
/// closes it.
async fn raw_server(head: &'static str, body: &'static [u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(body).await;
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_body_broken_off_is_a_transport_error_with_the_status_it_had() {
    let base = raw_server(
        "HTTP/1.1 200 OK\r\ncontent-length: 100\r\nx-probe-id: probe-cut\r\n\r\n",
        b"{\"n\": 1",
    )
    .await;
    let client = ClientBuilder::<Probe>::new()
        .base_url(&base)
        .retry(RetryPolicy::never())
        .build()
        .expect("builds");
    let err = send(&client, "/cut").await.expect_err("broken off");
    assert!(matches!(err.kind(), ErrorKind::Transport), "{err:?}");
    assert!(
        err.to_string().contains("response body broken off from"),
        "{err}"
    );
    assert_eq!(err.status(), Some(reqwest::StatusCode::OK));
    assert_eq!(err.request_id(), Some("probe-cut"));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn redirects_are_followed_on_the_origin_only_and_a_few_times() {
    let server = MockServer::start().await;
    Mock::given(path("/hop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/ok"))
        .mount(&server)
        .await;
    Mock::given(path("/ok"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"n": 8}"#))
        .mount(&server)
        .await;
    Mock::given(path("/away"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "http://127.0.0.2:9/x"))
        .mount(&server)
        .await;
    Mock::given(path("/loop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/loop"))
        .mount(&server)
        .await;
    let client = builder(&server)
        .retry(RetryPolicy::never())
        .build()
        .expect("builds");
    assert_eq!(send(&client, "/hop").await.expect("followed").value().n, 8);

    let err = send(&client, "/away").await.expect_err("not followed");
    assert!(matches!(err.kind(), ErrorKind::Api), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert_eq!(
        err.message(),
        Some("redirect to http://127.0.0.2:9 not followed")
    );

    let err = send(&client, "/loop").await.expect_err("stops");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    let loops = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .filter(|r| r.url.path() == "/loop")
        .count();
    assert_eq!(loops, 6, "the request and five redirects");
}

#[tokio::test]
async fn the_built_http_client_names_itself_and_takes_gzip() {
    use std::io::Write as _;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gzip.write_all(br#"{"n": 9}"#).expect("compress");
    let server = MockServer::start().await;
    Mock::given(path("/gz"))
        .and(header("user-agent", "telnums-probe/0"))
        .and(header("accept-encoding", "gzip"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .set_body_bytes(gzip.finish().expect("gzip")),
        )
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(send(&probe(&server), "/gz").await.expect("ok").value().n, 9);
    let defaults = ClientBuilder::<Probe>::new().build().expect("builds");
    assert_eq!(defaults.runtime.max_body_bytes(), 64 * 1024 * 1024);
}

#[tokio::test]
async fn a_long_token_is_taken_and_a_huge_token_response_is_not() {
    let server = MockServer::start().await;
    let long = "t".repeat(20_000);
    Mock::given(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"access_token": "{long}", "token_type": "bearer", "expires_in": 3600}}"#
        )))
        .mount(&server)
        .await;
    Mock::given(path("/huge-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"access_token": "{}", "token_type": "bearer"}}"#,
            "t".repeat(300 * 1024)
        )))
        .mount(&server)
        .await;
    Mock::given(path("/ok"))
        .and(header("authorization", format!("Bearer {long}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"n": 6}"#))
        .expect(1)
        .mount(&server)
        .await;
    let with = |token_path: &str| oauth(&server, token_path, RetryPolicy::never());
    let page = send(&with("/token"), "/ok").await.expect("a 20 kB token");
    assert_eq!(page.value().n, 6);
    let err = send(&with("/huge-token"), "/ok")
        .await
        .expect_err("a token response over 256 KiB");
    assert!(
        matches!(err.kind(), ErrorKind::BodyTooLarge { limit: 262_144 }),
        "{err:?}"
    );
    assert!(err.to_string().contains("token endpoint"), "{err}");
}

#[test]
fn the_request_id_is_read_from_the_providers_headers_in_order() {
    let client = ClientBuilder::<Probe>::new().build().expect("builds");
    let mut headers = reqwest::header::HeaderMap::new();
    assert_eq!(client.runtime.request_id(&headers), None);
    headers.insert("x-other-id", "second".parse().expect("value"));
    assert_eq!(
        client.runtime.request_id(&headers).as_deref(),
        Some("second")
    );
    headers.insert("x-probe-id", "first".parse().expect("value"));
    assert_eq!(
        client.runtime.request_id(&headers).as_deref(),
        Some("first")
    );
}

/// A client whose token comes from `/token` on `server`.
fn oauth_client(server: &MockServer) -> Probe {
    oauth(server, "/token", fast())
}

/// Hands out `token-1`, `token-2`, … one per request.
struct Tokens(std::sync::atomic::AtomicUsize);

impl Respond for Tokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"access_token": "token-{n}", "token_type": "bearer", "expires_in": 3600}}"#
        ))
    }
}

#[tokio::test]
async fn a_401_refreshes_the_token_once() {
    let server = MockServer::start().await;
    Mock::given(path("/token"))
        .respond_with(Tokens(Default::default()))
        .mount(&server)
        .await;
    Mock::given(path("/revoked"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(path("/revoked"))
        .and(header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"n": 10}"#))
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    let page = send(&client, "/revoked").await.expect("refreshed");
    assert_eq!(page.value().n, 10);

    // A 401 that a fresh token does not cure is not refreshed a second time.
    let server = MockServer::start().await;
    Mock::given(path("/token"))
        .respond_with(Tokens(Default::default()))
        .mount(&server)
        .await;
    Mock::given(path("/denied"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    let err = send(&client, "/denied").await.expect_err("still 401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        err.attempts(),
        2,
        "the request and one retry with a new token"
    );
    let tokens = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .filter(|r| r.url.path() == "/token")
        .count();
    assert_eq!(tokens, 2);

    // A static bearer token has nothing to refresh: the 401 is the answer.
    let err = send(&probe(&server), "/denied").await.expect_err("401");
    assert_eq!(err.attempts(), 1);
}

#[tokio::test]
async fn a_401_after_the_budget_is_not_refreshed() {
    let server = MockServer::start().await;
    Mock::given(path("/token"))
        .respond_with(Tokens(Default::default()))
        .mount(&server)
        .await;
    Mock::given(path("/late"))
        .respond_with(ResponseTemplate::new(401).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let client = oauth(
        &server,
        "/token",
        fast().with_max_total_wait(Duration::from_millis(200)),
    );
    let err = send(&client, "/late").await.expect_err("401");
    assert_eq!(err.attempts(), 1, "the budget was spent: {err:?}");
    let client = oauth(&server, "/token", fast().with_max_attempts(1));
    let err = send(&client, "/late").await.expect_err("401");
    assert_eq!(err.attempts(), 1, "no attempt left: {err:?}");
}

#[tokio::test]
async fn a_server_that_stalls_twice_is_not_waited_for_a_third_time() {
    // The head and a few bytes, then nothing: under the floor.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let _ = socket
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n{\"n\":")
                    .await;
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    let client = ClientBuilder::<Probe>::new()
        .base_url(format!("http://{addr}"))
        .min_throughput(telnums_core::MinThroughput::new(
            1024,
            Duration::from_millis(300),
        ))
        .retry(fast())
        .build()
        .expect("builds");
    let started = std::time::Instant::now();
    let err = send(&client, "/stall").await.expect_err("stalls");
    assert!(matches!(err.kind(), ErrorKind::Stalled { .. }), "{err:?}");
    assert_eq!(err.attempts(), 2, "one retry after a stall, not more");
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_attempt_is_cut_to_what_is_left_of_the_budget() {
    let server = MockServer::start().await;
    Mock::given(path("/slower"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"n": 11}"#)
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    Mock::given(path("/first-fails"))
        .respond_with(sequence(
            ResponseTemplate::new(503),
            ResponseTemplate::new(200)
                .set_body_string(r#"{"n": 12}"#)
                .set_delay(Duration::from_secs(3)),
        ))
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_secs(10))
        .retry(fast().with_max_total_wait(Duration::from_millis(800)))
        .build()
        .expect("builds");
    // The first attempt has the whole timeout; a retry only what the budget leaves.
    let started = std::time::Instant::now();
    let err = send(&client, "/first-fails").await.expect_err("cut");
    assert!(matches!(err.kind(), ErrorKind::Timeout), "{err:?}");
    assert!(err.to_string().contains("retry budget ran out"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let page = send(&client, "/slower")
        .await
        .expect("the first attempt may take 3 s");
    assert_eq!(page.value().n, 11);
}
