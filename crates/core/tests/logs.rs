//! What the runtime logs, read through a `tracing` subscriber of the test's own. A binary
//! of its own with one test: `tracing` caches whether a log site is enabled, and a test
//! running beside others that set their own subscribers can see that cache computed
//! without its subscriber.

use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::*;

/// A subscriber writing plain text into `logs`, up to `level`.
fn plain_text(logs: &Logs, level: tracing::Level) -> impl tracing::Subscriber {
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish()
}

#[test]
fn the_runtime_logs_each_attempt_without_secrets() {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(a_success_keeps_its_own_status_and_each_attempt_logs_its_time());
    the_request_is_logged_at_trace_level_even_without_its_span();
    plain_http_credentials_are_warned_about_only_when_opted_in();
}

fn plain_http_credentials_are_warned_about_only_when_opted_in() {
    let buffer = Logs::default();
    let subscriber = plain_text(&buffer, tracing::Level::WARN);
    let _guard = tracing::subscriber::set_default(subscriber);
    telnums_core::ClientBuilder::<Probe>::new()
        .base_url("https://probe.invalid")
        .bearer_token("probe-token-not-real")
        .build()
        .expect("builds");
    telnums_core::ClientBuilder::<Probe>::new()
        .base_url("http://127.0.0.1:9")
        .bearer_token("probe-token-not-real")
        .allow_insecure_http()
        .build()
        .expect("builds");
    assert_eq!(
        buffer.text(),
        "",
        "nothing to warn about over https or on this machine, opted in or not"
    );
    telnums_core::ClientBuilder::<Probe>::new()
        .base_url("http://probe.invalid")
        .bearer_token("probe-token-not-real")
        .allow_insecure_http()
        .build()
        .expect("opted in");
    let logs = buffer.text();
    assert!(
        logs.contains("credentials will be sent over plain HTTP"),
        "{logs}"
    );
    assert!(!logs.contains("probe-token-not-real"), "{logs}");
}

async fn a_success_keeps_its_own_status_and_each_attempt_logs_its_time() {
    let buffer = Logs::default();
    let subscriber = plain_text(&buffer, tracing::Level::DEBUG);
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(path("/partial"))
        .respond_with(ResponseTemplate::new(203).set_body_string(r#"{"n": 5}"#))
        .mount(&server)
        .await;
    let response = send(&probe(&server), "/partial?next_page_token=abc&size=2")
        .await
        .expect("ok");
    assert_eq!(response.status().as_u16(), 203);
    let logs = buffer.text();
    let line = logs
        .lines()
        .find(|l| l.contains("response"))
        .unwrap_or_else(|| panic!("no response event:\n{logs}"));
    assert!(line.contains("elapsed_ms="), "{line}");
    assert!(line.contains("status=203"), "{line}");
    assert!(line.contains(r#"method="GET""#), "{line}");
    assert!(line.contains(r#"path="/partial""#), "{line}");
    assert!(
        line.contains(r#"query="next_page_token=[redacted]&size=2""#),
        "a paging token is not logged: {line}"
    );
    assert!(!logs.contains("probe-token-not-real"), "{logs}");
}

fn the_request_is_logged_at_trace_level_even_without_its_span() {
    use tracing_subscriber::layer::SubscriberExt as _;
    let buffer = Logs::default();
    // The hooks' trace events on, the runtime's request span off.
    let subscriber = plain_text(&buffer, tracing::Level::TRACE).with(
        tracing_subscriber::filter::Targets::new()
            .with_target("telnums_core::hooks", tracing::Level::TRACE),
    );
    let _guard = tracing::subscriber::set_default(subscriber);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let server = MockServer::start().await;
            Mock::given(path("/quiet"))
                .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"n": 1}"#))
                .mount(&server)
                .await;
            send(&probe(&server), "/quiet").await.expect("ok");
        });
    let logs = buffer.text();
    assert!(logs.contains("sending"), "{logs}");
    assert!(!logs.contains("telnums.request"), "the span is off: {logs}");
}
