//! Behaviour scenarios every provider client must pass, written once and run per
//! provider by `tests/tests/runtime_<key>.rs` through the [`Case`] trait.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::stream::BoxStream;
use futures::TryStreamExt;
use telnums_core::{ClientCredentials, Credentials, Error, ErrorKind, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The token every scenario uses; no output may ever contain it.
pub const TOKEN: &str = "tok_scenario_value_do_not_print";
/// The OAuth2 client secret in the OAuth2 scenario; never printed either.
pub const CLIENT_SECRET: &str = "cs_scenario_value_do_not_print";

/// Client settings a scenario asks for.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Mock server URL (the provider's base URL in the test).
    pub base_url: String,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Per-attempt timeout.
    pub timeout: Duration,
    /// Credentials.
    pub credentials: Arc<dyn Credentials>,
}

/// What a provider supplies to the shared scenarios.
pub trait Case {
    /// Provider key.
    const KEY: &'static str;
    /// The `Accept` header the provider must receive.
    const ACCEPT: &'static str = "application/json";
    /// The hand-written client.
    type Client: std::fmt::Debug;
    /// Builds a client.
    fn client(settings: Settings) -> Self::Client;
    /// Path of the list endpoint as the mock sees it.
    fn list_path() -> String;
    /// Mounts a listing of `pages` pages that only answers when the scenario's filter
    /// is present on every request; returns the ids the listing must yield, in order.
    fn mount_listing(
        server: &MockServer,
        pages: usize,
    ) -> impl std::future::Future<Output = Vec<String>>;
    /// Mounts a listing whose second page points back at the first.
    fn mount_loop(server: &MockServer) -> impl std::future::Future<Output = ()>;
    /// Body of a last page with one item whose id is `id`.
    fn single_page(id: &str) -> serde_json::Value;
    /// Lists every item (with the scenario's filter set), yielding ids.
    fn list(client: &Self::Client) -> BoxStream<'static, Result<String, Error>>;
}

/// Builds any provider client from scenario settings.
pub fn build<P: telnums_core::Provider>(s: Settings) -> P {
    telnums_core::ClientBuilder::<P>::new()
        .base_url(s.base_url)
        .retry(s.retry)
        .timeout(s.timeout)
        .shared_credentials(s.credentials)
        .build()
        .expect("client builds")
}

fn settings(server: &MockServer, retry: RetryPolicy) -> Settings {
    Settings {
        base_url: server.uri(),
        retry,
        timeout: Duration::from_secs(5),
        credentials: Arc::new(telnums_core::BearerToken::new(TOKEN)),
    }
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(20))
        .with_max_backoff(Duration::from_millis(100))
        .with_max_attempts(3)
}

async fn collect<C: Case>(client: &C::Client) -> Result<Vec<String>, Error> {
    C::list(client).try_collect().await
}

fn no_secret(text: &str) {
    assert!(!text.contains(TOKEN), "token leaked: {text}");
    assert!(
        !text.contains(CLIENT_SECRET),
        "client secret leaked: {text}"
    );
}

/// A multi-page listing yields every item exactly once, filters kept on later pages.
pub async fn lists_all_pages<C: Case>() {
    let server = MockServer::start().await;
    let expected = C::mount_listing(&server, 3).await;
    assert!(expected.len() >= 3, "fixture has items on every page");
    let client = C::client(settings(&server, RetryPolicy::never()));
    let got = collect::<C>(&client).await.expect("listing succeeds");
    assert_eq!(got, expected, "{}: every item once, in order", C::KEY);
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 3, "{}: one request per page", C::KEY);
    for r in &requests {
        let auth = r.headers.get("authorization").and_then(|v| v.to_str().ok());
        assert_eq!(
            auth,
            Some(format!("Bearer {TOKEN}").as_str()),
            "{}: auth on every page",
            C::KEY
        );
    }
}

async fn mount_then_ok<C: Case>(server: &MockServer, first: ResponseTemplate, times: u64) {
    Mock::given(method("GET"))
        .and(path(C::list_path()))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(C::list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(C::single_page("only")))
        .with_priority(2)
        .mount(server)
        .await;
}

/// One call: `GET`, the documented path, the bearer token, the provider's `Accept`, the
/// telnums `User-Agent`, and no `api-version` header from the generator.
pub async fn sends_expected_request<C: Case>() {
    let server = MockServer::start().await;
    C::mount_listing(&server, 1).await;
    let client = C::client(settings(&server, RetryPolicy::never()));
    collect::<C>(&client).await.expect("listing");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    let get = |name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(r.url.path(), C::list_path());
    assert_eq!(get("authorization"), format!("Bearer {TOKEN}"));
    assert_eq!(get("accept"), C::ACCEPT);
    assert!(
        get("user-agent").starts_with(&format!("telnums-{}/", C::KEY)),
        "{}",
        get("user-agent")
    );
    assert!(
        r.headers.get("api-version").is_none(),
        "generator header leaked"
    );
}

/// 429 with `Retry-After: 1` waits a second, then succeeds.
pub async fn honours_retry_after_seconds<C: Case>() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("Retry-After", "1")
        .set_body_json(serde_json::json!({}));
    mount_then_ok::<C>(&server, limited, 1).await;
    let client = C::client(settings(&server, fast_retries()));
    let started = Instant::now();
    let got = collect::<C>(&client)
        .await
        .expect("succeeds after the wait");
    let waited = started.elapsed();
    assert_eq!(got, ["only"]);
    assert!(
        waited >= Duration::from_millis(950),
        "{}: waited only {waited:?}",
        C::KEY
    );
    assert!(
        waited < Duration::from_secs(4),
        "{}: waited {waited:?}",
        C::KEY
    );
}

/// 429 with `Retry-After` as an ISO-8601 timestamp (Zoom's form) waits until then.
pub async fn honours_retry_after_timestamp<C: Case>() {
    let server = MockServer::start().await;
    let at = chrono_like_timestamp(Duration::from_secs(2));
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", at.as_str());
    mount_then_ok::<C>(&server, limited, 1).await;
    let client = C::client(settings(&server, fast_retries()));
    let started = Instant::now();
    collect::<C>(&client)
        .await
        .expect("succeeds after the wait");
    let waited = started.elapsed();
    // The timestamp has whole-second precision: the wait is between 1 and 2 seconds.
    assert!(
        waited >= Duration::from_millis(950),
        "{}: waited only {waited:?}",
        C::KEY
    );
    assert!(
        waited < Duration::from_secs(4),
        "{}: waited {waited:?}",
        C::KEY
    );
}

/// A `Retry-After` too large for any clock (`u64::MAX` seconds) is capped, exceeds the
/// policy's total wait, and ends the call at once with the server's error: no panic, no
/// sleep.
pub async fn absurd_retry_after_fails_fast<C: Case>() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", "18446744073709551615");
    mount_then_ok::<C>(&server, limited, 1).await;
    let client = C::client(settings(&server, fast_retries()));
    let started = Instant::now();
    let err = collect::<C>(&client)
        .await
        .expect_err("a day's wait is over the policy's limit");
    assert!(started.elapsed() < Duration::from_secs(2), "{}", C::KEY);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(
        err.retry_after(),
        Some(telnums_core::retry::MAX_RETRY_AFTER)
    );
    assert_eq!(err.attempts(), 1);
}

/// `now + ahead` as `YYYY-MM-DDTHH:MM:SSZ` (whole seconds, truncated).
fn chrono_like_timestamp(ahead: Duration) -> String {
    let at = chrono::Utc::now() + ahead;
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// 503 twice, then success: backoff retries and succeeds.
pub async fn backs_off_on_503<C: Case>() {
    let server = MockServer::start().await;
    mount_then_ok::<C>(&server, ResponseTemplate::new(503), 2).await;
    let client = C::client(settings(&server, fast_retries()));
    let got = collect::<C>(&client)
        .await
        .expect("succeeds on the third attempt");
    assert_eq!(got, ["only"]);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(3));
}

/// A 503 that never clears ends with a typed error after exactly the capped attempts;
/// a 500 is not retried at all.
pub async fn gives_up_after_capped_attempts<C: Case>() {
    let server = MockServer::start().await;
    Mock::given(path(C::list_path()))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream down"))
        .mount(&server)
        .await;
    let client = C::client(settings(&server, fast_retries()));
    let err = collect::<C>(&client).await.expect_err("never succeeds");
    assert_eq!(err.kind(), &ErrorKind::Api, "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.provider(), C::KEY);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(3));
    no_secret(&format!("{err} {err:?}"));

    let server = MockServer::start().await;
    Mock::given(path(C::list_path()))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let client = C::client(settings(&server, fast_retries()));
    let err = collect::<C>(&client).await.expect_err("500");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(!err.is_retryable());
    assert_eq!(
        server.received_requests().await.map(|r| r.len()),
        Some(1),
        "500 is not retried"
    );
    let text = err.to_string();
    assert!(text.contains(C::KEY) && text.contains("500"), "{text}");
}

/// A server slower than the timeout ends with a typed timeout error.
pub async fn times_out<C: Case>() {
    let server = MockServer::start().await;
    Mock::given(path(C::list_path()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(C::single_page("late"))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let mut s = settings(&server, RetryPolicy::never());
    s.timeout = Duration::from_millis(200);
    let client = C::client(s);
    let started = Instant::now();
    let err = collect::<C>(&client).await.expect_err("times out");
    assert_eq!(err.kind(), &ErrorKind::Timeout, "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(err.to_string().contains(C::KEY));
}

/// A body cut off mid-way ends with a decode error that names the provider.
pub async fn truncated_json_is_a_typed_error<C: Case>() {
    let server = MockServer::start().await;
    let full = serde_json::to_string(&C::single_page("cut")).expect("json");
    let cut = &full[..full.len() / 2];
    Mock::given(path(C::list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_raw(cut.to_owned(), "application/json"))
        .mount(&server)
        .await;
    let client = C::client(settings(&server, RetryPolicy::never()));
    let err = collect::<C>(&client).await.expect_err("truncated");
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert_eq!(err.provider(), C::KEY);
    assert!(err.to_string().starts_with(C::KEY), "{err}");
}

/// A server that hands back an earlier cursor ends the stream with the loop error.
pub async fn repeated_cursor_stops<C: Case>() {
    let server = MockServer::start().await;
    C::mount_loop(&server).await;
    let client = C::client(settings(&server, RetryPolicy::never()));
    let results: Vec<Result<String, Error>> = C::list(&client).collect_all().await;
    let last = results.last().expect("something came back");
    let err = last.as_ref().expect_err("ends with an error");
    assert!(
        matches!(err.kind(), ErrorKind::PaginationLoop { .. }),
        "{err:?}"
    );
    assert!(results.len() < 10, "stopped promptly");
}

/// OAuth2 client credentials: one token fetch serves many requests; an expired token
/// is refreshed.
pub async fn oauth2_token_is_cached_and_refreshed<C: Case>() {
    let server = MockServer::start().await;
    let issued = Arc::new(Mutex::new(0u32));
    let counter = issued.clone();
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(wiremock::matchers::body_string_contains(
            "grant_type=client_credentials",
        ))
        .respond_with(move |_: &wiremock::Request| {
            let mut n = counter.lock().expect("lock");
            *n += 1;
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": format!("oauth-access-{n}"),
                "token_type": "Bearer",
                "expires_in": 1
            }))
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(C::list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(C::single_page("x")))
        .mount(&server)
        .await;
    let creds = ClientCredentials::new(
        format!("{}/oauth/token", server.uri()),
        "client-id-for-tests",
        CLIENT_SECRET,
    )
    .refresh_margin(Duration::ZERO);
    let mut s = settings(&server, RetryPolicy::never());
    s.credentials = Arc::new(creds);
    let client = C::client(s);
    for _ in 0..3 {
        collect::<C>(&client).await.expect("listing");
    }
    assert_eq!(
        *issued.lock().expect("lock"),
        1,
        "one token for three requests"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    collect::<C>(&client).await.expect("listing after expiry");
    assert_eq!(*issued.lock().expect("lock"), 2, "refreshed after expiry");

    let requests = server.received_requests().await.expect("recorded");
    let auths: Vec<String> = requests
        .iter()
        .filter(|r| r.url.path() == C::list_path())
        .filter_map(|r| {
            r.headers
                .get("authorization")?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(
        auths,
        [
            "Bearer oauth-access-1",
            "Bearer oauth-access-1",
            "Bearer oauth-access-1",
            "Bearer oauth-access-2"
        ]
    );
    no_secret(&format!("{client:?}"));
}

/// Neither the client's `Debug`, nor errors, nor trace-level logs show the token.
pub async fn secrets_never_printed<C: Case>() {
    let logs = Arc::new(Mutex::new(Vec::<u8>::new()));
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || LogWriter(sink.clone()))
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // tracing-core caches each callsite's interest globally and, while exactly one
    // dispatcher is registered, computes it from the default subscriber of the thread
    // that hits the callsite first. Other tests of this binary run on threads without a
    // subscriber, so a callsite they reach first would be cached as "never" and this
    // test would miss its spans (about one run in ten). A second, no-op dispatcher kept
    // alive for the test makes tracing consult every registered dispatcher instead.
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());

    let server = MockServer::start().await;
    C::mount_listing(&server, 2).await;
    let client = C::client(settings(&server, fast_retries()));
    collect::<C>(&client).await.expect("listing");
    no_secret(&format!("{client:?}"));

    let server = MockServer::start().await;
    Mock::given(path(C::list_path()))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(serde_json::json!({"message": "bad token"})),
        )
        .mount(&server)
        .await;
    let client = C::client(settings(&server, fast_retries()));
    let err = collect::<C>(&client).await.expect_err("401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    no_secret(&format!("{err} {err:?}"));

    let text = String::from_utf8(logs.lock().expect("lock").clone()).expect("utf8");
    assert!(
        text.contains("telnums.request"),
        "spans were logged: {text}"
    );
    no_secret(&text);
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Collects a stream of results without stopping at the first error.
pub trait CollectAll<T> {
    /// Every item, errors included.
    fn collect_all(self) -> impl std::future::Future<Output = Vec<T>>;
}

impl<S: futures::Stream + Send> CollectAll<S::Item> for S {
    fn collect_all(self) -> impl std::future::Future<Output = Vec<S::Item>> {
        futures::StreamExt::collect(self)
    }
}

/// Runs every scenario for one provider as separate `#[tokio::test]`s.
#[macro_export]
macro_rules! scenario_tests {
    ($case:ty) => {
        #[tokio::test]
        async fn sends_expected_request() {
            $crate::scenarios::sends_expected_request::<$case>().await
        }
        #[tokio::test]
        async fn lists_all_pages() {
            $crate::scenarios::lists_all_pages::<$case>().await
        }
        #[tokio::test]
        async fn honours_retry_after_seconds() {
            $crate::scenarios::honours_retry_after_seconds::<$case>().await
        }
        #[tokio::test]
        async fn honours_retry_after_timestamp() {
            $crate::scenarios::honours_retry_after_timestamp::<$case>().await
        }
        #[tokio::test]
        async fn absurd_retry_after_fails_fast() {
            $crate::scenarios::absurd_retry_after_fails_fast::<$case>().await
        }
        #[tokio::test]
        async fn backs_off_on_503() {
            $crate::scenarios::backs_off_on_503::<$case>().await
        }
        #[tokio::test]
        async fn gives_up_after_capped_attempts() {
            $crate::scenarios::gives_up_after_capped_attempts::<$case>().await
        }
        #[tokio::test]
        async fn times_out() {
            $crate::scenarios::times_out::<$case>().await
        }
        #[tokio::test]
        async fn truncated_json_is_a_typed_error() {
            $crate::scenarios::truncated_json_is_a_typed_error::<$case>().await
        }
        #[tokio::test]
        async fn repeated_cursor_stops() {
            $crate::scenarios::repeated_cursor_stops::<$case>().await
        }
        #[tokio::test]
        async fn oauth2_token_is_cached_and_refreshed() {
            $crate::scenarios::oauth2_token_is_cached_and_refreshed::<$case>().await
        }
        #[tokio::test]
        async fn secrets_never_printed() {
            $crate::scenarios::secrets_never_printed::<$case>().await
        }
    };
}
