//! Behaviour scenarios every provider client must pass, written once and run per
//! provider by `tests/tests/runtime_<key>.rs` through the [`Case`] trait.
//!
//! Every scenario runs under [`bounded`] (see [`scenario_tests!`](crate::scenario_tests)): one that exercises
//! retries, timeouts or a loop guard fails within seconds when that behaviour breaks,
//! instead of hanging the suite.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use base64::Engine as _;
use futures::stream::BoxStream;
use futures::TryStreamExt;
use telnums_core::{BearerToken, ClientCredentials, Credentials, Error, ErrorKind, RetryPolicy};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The token every scenario uses; no output may ever contain it.
pub const TOKEN: &str = "tok_scenario_value_do_not_print";
/// The OAuth2 client secret in the OAuth2 scenarios; never printed either.
pub const CLIENT_SECRET: &str = "cs_scenario_value_do_not_print";
/// The OAuth2 client id in the OAuth2 scenarios.
pub const CLIENT_ID: &str = "client-id-for-tests";
/// The access tokens the scenarios' token endpoints issue start with this; never
/// printed either.
pub const ACCESS_TOKEN: &str = "at_scenario_value_do_not_print";

/// How long any one scenario may take before it counts as hung.
pub const SCENARIO_LIMIT: Duration = Duration::from_secs(30);

/// Runs `f`, failing the test if it takes longer than `limit`: a broken retry loop,
/// timeout or pagination guard then fails in seconds instead of hanging the suite.
pub async fn bounded_by<T>(limit: Duration, f: impl Future<Output = T>) -> T {
    match tokio::time::timeout(limit, f).await {
        Ok(v) => v,
        Err(_) => panic!("did not finish within {limit:?}: a loop, a stall or a missing timeout"),
    }
}

/// [`bounded_by`] with [`SCENARIO_LIMIT`].
pub async fn bounded<T>(f: impl Future<Output = T>) -> T {
    bounded_by(SCENARIO_LIMIT, f).await
}

/// `Basic base64(user:password)`, the HTTP Basic header value.
pub fn basic(user: &str, password: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

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
    /// The credentials the provider really uses, holding `token`, and the
    /// `Authorization` header they must produce. A bearer token unless the provider
    /// overrides it (Fone Dynamics: HTTP Basic with the account SID).
    fn credentials(token: &str) -> (Arc<dyn Credentials>, String) {
        (Arc::new(BearerToken::new(token)), format!("Bearer {token}"))
    }
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
    /// Requests a one-page listing makes after its page to learn that it ended: 1 for a
    /// provider whose only end signal there is an empty page (Fone Dynamics, Webex without
    /// `Link` headers), else 0.
    const END_REQUESTS: usize = 0;
    /// The same for the listing of several pages that [`Case::mount_listing`] mounts.
    const LISTING_END_REQUESTS: usize = 0;
    /// Mounts the empty page that such a provider asks for once `entries` entries were
    /// listed (nothing for the others).
    fn mount_end(server: &MockServer, entries: usize) -> impl std::future::Future<Output = ()> {
        let _ = (server, entries);
        async {}
    }
}

/// Builds any provider client from scenario settings.
pub fn build<P: telnums_core::ProviderClient>(s: Settings) -> P {
    telnums_core::ClientBuilder::<P>::new()
        .base_url(s.base_url)
        .retry(s.retry)
        .timeout(s.timeout)
        .shared_credentials(s.credentials)
        .build()
        .expect("client builds")
}

fn settings<C: Case>(server: &MockServer, retry: RetryPolicy) -> Settings {
    Settings {
        base_url: server.uri(),
        retry,
        timeout: Duration::from_secs(5),
        credentials: C::credentials(TOKEN).0,
    }
}

/// The `Authorization` header every scenario request must carry.
fn authorization<C: Case>() -> String {
    C::credentials(TOKEN).1
}

/// A client whose OAuth2 grant goes to `/oauth/token` on `server`.
fn oauth_settings<C: Case>(server: &MockServer, retry: RetryPolicy) -> Settings {
    let creds = ClientCredentials::new(
        format!("{}/oauth/token", server.uri()),
        CLIENT_ID,
        CLIENT_SECRET,
    )
    .refresh_margin(Duration::ZERO);
    Settings {
        credentials: Arc::new(creds),
        ..settings::<C>(server, retry)
    }
}

/// The token request a client-credentials client must send: `POST`, HTTP Basic with
/// the client id and secret, a form body with the grant type.
fn token_request() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", basic(CLIENT_ID, CLIENT_SECRET)))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials"))
}

/// When each request reached a mock, in order (wall clock, to compare with the
/// timestamps a `Retry-After` names).
#[derive(Clone, Default)]
struct Arrivals(Arc<Mutex<Vec<SystemTime>>>);

impl Arrivals {
    /// Records an arrival; returns how many came before it.
    fn record(&self) -> usize {
        let mut all = self.0.lock().expect("lock");
        all.push(SystemTime::now());
        all.len() - 1
    }
    fn all(&self) -> Vec<SystemTime> {
        self.0.lock().expect("lock").clone()
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

/// Fails when `text` holds any credential a scenario uses, raw or in the encoded form
/// it takes on the wire: the token, the provider's `Authorization` value (for HTTP
/// Basic, base64 of `user:token`), the OAuth2 client secret and its Basic form, and
/// the access tokens the token endpoints issue.
fn no_secret<C: Case>(text: &str) {
    let header = authorization::<C>();
    let credential = header.split_once(' ').map_or(header.as_str(), |(_, c)| c);
    let client_basic = basic(CLIENT_ID, CLIENT_SECRET);
    let client_credential = client_basic.trim_start_matches("Basic ");
    for (what, secret) in [
        ("token", TOKEN),
        ("authorization credential", credential),
        ("client secret", CLIENT_SECRET),
        ("client secret (Basic)", client_credential),
        ("access token", ACCESS_TOKEN),
    ] {
        assert!(!text.contains(secret), "{}: {what} leaked: {text}", C::KEY);
    }
}

/// A multi-page listing yields every item exactly once, filters kept on later pages.
pub async fn lists_all_pages<C: Case>() {
    let server = MockServer::start().await;
    let expected = C::mount_listing(&server, 3).await;
    assert!(expected.len() >= 3, "fixture has items on every page");
    let client = C::client(settings::<C>(&server, RetryPolicy::never()));
    let got = collect::<C>(&client).await.expect("listing succeeds");
    assert_eq!(got, expected, "{}: every item once, in order", C::KEY);
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(
        requests.len(),
        3 + C::LISTING_END_REQUESTS,
        "{}: one request per page",
        C::KEY
    );
    for r in &requests {
        let auth = r.headers.get("authorization").and_then(|v| v.to_str().ok());
        assert_eq!(
            auth,
            Some(authorization::<C>().as_str()),
            "{}: auth on every page",
            C::KEY
        );
    }
}

async fn mount_then_ok<C: Case>(server: &MockServer, first: ResponseTemplate, times: u64) {
    C::mount_end(server, 1).await;
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
    let client = C::client(settings::<C>(&server, RetryPolicy::never()));
    collect::<C>(&client).await.expect("listing");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1 + C::END_REQUESTS);
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
    assert_eq!(get("authorization"), authorization::<C>());
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

/// Mounts `first(n)` for the first `times` requests (`n` counting from 0), then the
/// one-item last page, recording when each request arrived.
async fn mount_then_ok_recorded<C: Case>(
    server: &MockServer,
    times: u64,
    first: impl Fn(usize) -> ResponseTemplate + Send + Sync + 'static,
) -> Arrivals {
    C::mount_end(server, 1).await;
    let arrivals = Arrivals::default();
    let a = arrivals.clone();
    Mock::given(method("GET"))
        .and(path(C::list_path()))
        .respond_with(move |_: &wiremock::Request| first(a.record()))
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    let a = arrivals.clone();
    Mock::given(method("GET"))
        .and(path(C::list_path()))
        .respond_with(move |_: &wiremock::Request| {
            a.record();
            ResponseTemplate::new(200).set_body_json(C::single_page("only"))
        })
        .with_priority(2)
        .mount(server)
        .await;
    arrivals
}

/// How long after the first request the second one arrived.
fn gap(arrivals: &Arrivals) -> Duration {
    let all = arrivals.all();
    assert_eq!(all.len(), 2, "one retry: {all:?}");
    all[1].duration_since(all[0]).unwrap_or(Duration::ZERO)
}

/// 429 with `Retry-After: 1`: the retry goes out a second after the 429, not sooner,
/// and the listing succeeds.
pub async fn honours_retry_after_seconds<C: Case>() {
    let server = MockServer::start().await;
    let arrivals = mount_then_ok_recorded::<C>(&server, 1, |_| {
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "1")
            .set_body_json(serde_json::json!({}))
    })
    .await;
    let client = C::client(settings::<C>(&server, fast_retries()));
    let got = collect::<C>(&client)
        .await
        .expect("succeeds after the wait");
    assert_eq!(got, ["only"]);
    // The second request left at least a second after the first one's answer, which
    // came after the first request arrived. Backoff alone would wait 20 ms.
    let waited = gap(&arrivals);
    assert!(
        waited >= Duration::from_secs(1),
        "{}: retried after {waited:?}",
        C::KEY
    );
    assert!(
        waited < Duration::from_secs(4),
        "{}: retried after {waited:?}",
        C::KEY
    );
}

/// A 429 whose `Retry-After` is a point in time, written by `format` (the whole second
/// at least one second ahead of when the 429 is sent): the retry arrives at or after
/// that time. The timestamp is made when the 429 is served, so the check does not
/// depend on how long the test took to get there.
async fn honours_retry_after_at<C: Case>(format: fn(chrono::DateTime<chrono::Utc>) -> String) {
    let server = MockServer::start().await;
    let at = Arc::new(Mutex::new(None::<SystemTime>));
    let slot = at.clone();
    let arrivals = mount_then_ok_recorded::<C>(&server, 1, move |_| {
        // Whole seconds, so that the form carries the instant exactly.
        let now = chrono::Utc::now();
        let whole = chrono::DateTime::from_timestamp(now.timestamp() + 2, 0).expect("time");
        *slot.lock().expect("lock") = Some(SystemTime::from(whole));
        ResponseTemplate::new(429).insert_header("Retry-After", format(whole).as_str())
    })
    .await;
    let client = C::client(settings::<C>(&server, fast_retries()));
    collect::<C>(&client)
        .await
        .expect("succeeds after the wait");
    let at = at.lock().expect("lock").expect("the 429 was served");
    let retried = arrivals.all()[1];
    assert!(
        retried >= at,
        "{}: retried {:?} before the time the server named",
        C::KEY,
        at.duration_since(retried).unwrap_or_default()
    );
    let late = retried.duration_since(at).unwrap_or_default();
    assert!(
        late < Duration::from_secs(3),
        "{}: retried {late:?} after it",
        C::KEY
    );
    assert_eq!(arrivals.all().len(), 2);
}

/// 429 with `Retry-After` as an ISO-8601 timestamp (Zoom's form) waits until then.
pub async fn honours_retry_after_timestamp<C: Case>() {
    honours_retry_after_at::<C>(|at| at.format("%Y-%m-%dT%H:%M:%SZ").to_string()).await
}

/// 429 with `Retry-After` as an HTTP-date (RFC 9110's form) waits until then.
pub async fn honours_retry_after_http_date<C: Case>() {
    honours_retry_after_at::<C>(|at| at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()).await
}

/// A `Retry-After` too large for any clock (`u64::MAX` seconds) is capped, exceeds the
/// policy's total wait, and ends the call at once with the server's error: no panic, no
/// sleep.
pub async fn absurd_retry_after_fails_fast<C: Case>() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", "18446744073709551615");
    mount_then_ok::<C>(&server, limited, 1).await;
    let client = C::client(settings::<C>(&server, fast_retries()));
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
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
}

/// 503 twice, then success: backoff retries and succeeds.
pub async fn backs_off_on_503<C: Case>() {
    let server = MockServer::start().await;
    mount_then_ok::<C>(&server, ResponseTemplate::new(503), 2).await;
    let client = C::client(settings::<C>(&server, fast_retries()));
    let got = collect::<C>(&client)
        .await
        .expect("succeeds on the third attempt");
    assert_eq!(got, ["only"]);
    assert_eq!(
        server.received_requests().await.map(|r| r.len()),
        Some(3 + C::END_REQUESTS)
    );
}

/// Each status that means "try again later" (423, 429 without `Retry-After`, 502, 503,
/// 504) is retried once and the listing succeeds; 400, 403, 404 and 500 are not
/// retried.
pub async fn retries_exactly_the_transient_statuses<C: Case>() {
    for status in [423u16, 429, 502, 503, 504] {
        let server = MockServer::start().await;
        let body = serde_json::json!({ "message": "later" });
        mount_then_ok::<C>(
            &server,
            ResponseTemplate::new(status).set_body_json(body),
            1,
        )
        .await;
        let client = C::client(settings::<C>(&server, fast_retries()));
        let got = collect::<C>(&client).await;
        assert_eq!(
            got.map_err(|e| e.to_string()).as_deref(),
            Ok(&["only".to_owned()][..]),
            "{}: {status} is retried",
            C::KEY
        );
        assert_eq!(
            server.received_requests().await.map(|r| r.len()),
            Some(2 + C::END_REQUESTS),
            "{}: {status}",
            C::KEY
        );
    }
    for status in [400u16, 403, 404, 500] {
        let server = MockServer::start().await;
        let body = serde_json::json!({ "message": "no" });
        mount_then_ok::<C>(
            &server,
            ResponseTemplate::new(status).set_body_json(body),
            1,
        )
        .await;
        let client = C::client(settings::<C>(&server, fast_retries()));
        let err = collect::<C>(&client).await.expect_err("not retried");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(!err.is_retryable(), "{}: {status}", C::KEY);
        assert_eq!(err.attempts(), 1, "{}: {status}", C::KEY);
        assert_eq!(
            server.received_requests().await.map(|r| r.len()),
            Some(1),
            "{}: {status}",
            C::KEY
        );
    }
}

/// An attempt that runs out of time is retried like any transient failure.
pub async fn retries_a_timed_out_attempt<C: Case>() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200)
        .set_body_json(C::single_page("late"))
        .set_delay(Duration::from_secs(3));
    mount_then_ok::<C>(&server, slow, 1).await;
    let mut s = settings::<C>(&server, fast_retries());
    s.timeout = Duration::from_millis(300);
    let client = C::client(s);
    let started = Instant::now();
    let got = collect::<C>(&client).await.expect("the retry succeeds");
    assert_eq!(got, ["only"]);
    assert_eq!(
        server.received_requests().await.map(|r| r.len()),
        Some(2 + C::END_REQUESTS)
    );
    assert!(started.elapsed() < Duration::from_secs(3), "{}", C::KEY);
}

/// `max_total_wait` bounds a call that keeps failing with plain backoff (no
/// `Retry-After`): with waits of 300 ms, 600 ms, 1.2 s, … and a 2 s budget, the third
/// wait would end past the budget, so the call ends after three attempts however many
/// it was allowed.
pub async fn max_total_wait_bounds_backoff<C: Case>() {
    let server = MockServer::start().await;
    Mock::given(path(C::list_path()))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let policy = RetryPolicy::default()
        .with_jitter(false)
        .with_initial_backoff(Duration::from_millis(300))
        .with_max_backoff(Duration::from_secs(10))
        .with_max_attempts(50)
        .with_max_total_wait(Duration::from_secs(2));
    let client = C::client(settings::<C>(&server, policy));
    let started = Instant::now();
    // Without the budget this would take minutes.
    let err = bounded_by(Duration::from_secs(10), collect::<C>(&client))
        .await
        .expect_err("503 forever");
    let took = started.elapsed();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), 3, "{}: {err:?}", C::KEY);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(3));
    assert!(took >= Duration::from_millis(900), "{}: {took:?}", C::KEY);
    assert!(took < Duration::from_secs(3), "{}: {took:?}", C::KEY);
}

/// A 503 that never clears ends with a typed error after exactly the capped attempts;
/// a 500 is not retried at all. Neither body is the documented error shape: the
/// message is its text.
pub async fn gives_up_after_capped_attempts<C: Case>() {
    let server = MockServer::start().await;
    Mock::given(path(C::list_path()))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream down"))
        .mount(&server)
        .await;
    let client = C::client(settings::<C>(&server, fast_retries()));
    let err = collect::<C>(&client).await.expect_err("never succeeds");
    assert_eq!(err.kind(), &ErrorKind::Api, "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.provider(), C::KEY);
    assert_eq!(err.message(), Some("upstream down"), "{}", C::KEY);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(3));
    no_secret::<C>(&format!("{err} {err:?}"));

    let server = MockServer::start().await;
    Mock::given(path(C::list_path()))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom\n  at line 3"))
        .mount(&server)
        .await;
    let client = C::client(settings::<C>(&server, fast_retries()));
    let err = collect::<C>(&client).await.expect_err("500");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(!err.is_retryable());
    assert_eq!(
        server.received_requests().await.map(|r| r.len()),
        Some(1),
        "500 is not retried"
    );
    assert_eq!(err.message(), Some("boom at line 3"), "{}", C::KEY);
    // Webex adds the TrackingID it sent between the two.
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "{}: API error, HTTP 500 Internal Server Error",
            C::KEY
        )) && text.ends_with(": boom at line 3"),
        "{text}"
    );
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
    let mut s = settings::<C>(&server, RetryPolicy::never());
    s.timeout = Duration::from_millis(200);
    let client = C::client(s);
    let started = Instant::now();
    let err = collect::<C>(&client).await.expect_err("times out");
    assert_eq!(err.kind(), &ErrorKind::Timeout, "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(err.to_string().starts_with(C::KEY), "{err}");
    assert_eq!(
        err.message(),
        Some(
            format!(
                "{}: attempt took longer than 0.2 s (total timeout)",
                server.uri()
            )
            .as_str()
        )
    );
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
    let client = C::client(settings::<C>(&server, RetryPolicy::never()));
    let err = collect::<C>(&client).await.expect_err("truncated");
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert_eq!(err.provider(), C::KEY);
    assert!(err.to_string().starts_with(C::KEY), "{err}");
}

/// A server that hands back an earlier cursor ends the stream with the loop error.
pub async fn repeated_cursor_stops<C: Case>() {
    let server = MockServer::start().await;
    C::mount_loop(&server).await;
    let client = C::client(settings::<C>(&server, RetryPolicy::never()));
    // At most a few dozen items: a broken guard fails here, not by listing forever.
    let results: Vec<Result<String, Error>> =
        futures::StreamExt::collect(futures::StreamExt::take(C::list(&client), 50)).await;
    let last = results.last().expect("something came back");
    let err = last.as_ref().expect_err("ends with an error");
    assert!(
        matches!(err.kind(), ErrorKind::PaginationLoop { .. }),
        "{err:?}"
    );
    assert_eq!(err.provider(), C::KEY, "{err}");
    assert!(results.len() < 10, "stopped promptly");
}

/// OAuth2 client credentials: the token request is a `POST` with HTTP Basic client
/// authentication and the grant in a form body; one token serves many requests; an
/// expired token is refreshed.
pub async fn oauth2_token_is_cached_and_refreshed<C: Case>() {
    let server = MockServer::start().await;
    let issued = Arc::new(Mutex::new(0u32));
    let counter = issued.clone();
    token_request()
        .respond_with(move |_: &wiremock::Request| {
            let mut n = counter.lock().expect("lock");
            *n += 1;
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": format!("{ACCESS_TOKEN}-{n}"),
                "token_type": "Bearer",
                "expires_in": 1
            }))
        })
        .mount(&server)
        .await;
    C::mount_end(&server, 1).await;
    Mock::given(method("GET"))
        .and(path(C::list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(C::single_page("x")))
        .mount(&server)
        .await;
    let client = C::client(oauth_settings::<C>(&server, RetryPolicy::never()));
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
    let bearer = |n: u32| format!("Bearer {ACCESS_TOKEN}-{n}");
    // Each listing's requests (its page, and the end page where there is one).
    let per_listing = 1 + C::END_REQUESTS;
    let expected: Vec<String> = [1, 1, 1, 2]
        .into_iter()
        .flat_map(|n| std::iter::repeat_n(bearer(n), per_listing))
        .collect();
    assert_eq!(auths, expected);
    no_secret::<C>(&format!("{client:?}"));
}

/// A token endpoint that refuses the client: an authentication error with the
/// endpoint's own message, not retried, and the API never called.
pub async fn token_endpoint_failure_is_an_auth_error<C: Case>() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": "Client authentication failed"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = C::client(oauth_settings::<C>(&server, fast_retries()));
    let err = collect::<C>(&client).await.expect_err("no token");
    assert_eq!(err.kind(), &ErrorKind::Auth, "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(err.provider(), C::KEY);
    assert_eq!(
        err.message(),
        Some("token endpoint answered HTTP 401: Client authentication failed"),
        "{err:?}"
    );
    let requests = server.received_requests().await.expect("recorded");
    assert!(
        requests.iter().all(|r| r.url.path() == "/oauth/token"),
        "{}: the API was called without a token",
        C::KEY
    );
    no_secret::<C>(&format!("{err} {err:?}"));
}

/// Neither the client's `Debug`, nor errors, nor trace-level logs show a credential in
/// any form: the provider's own credentials (for Fone Dynamics HTTP Basic, whose
/// header carries base64 of `AccountSid:Token`), and an OAuth2 grant's client secret and
/// access token.
pub async fn secrets_never_printed<C: Case>() {
    let logs = capture_logs();

    // The provider's own credentials: a listing, then a 401.
    let server = MockServer::start().await;
    C::mount_listing(&server, 2).await;
    let client = C::client(settings::<C>(&server, fast_retries()));
    collect::<C>(&client).await.expect("listing");
    no_secret::<C>(&format!("{client:?}"));

    let server = MockServer::start().await;
    Mock::given(path(C::list_path()))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(serde_json::json!({"message": "bad token"})),
        )
        .mount(&server)
        .await;
    let client = C::client(settings::<C>(&server, fast_retries()));
    let err = collect::<C>(&client).await.expect_err("401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    no_secret::<C>(&format!("{err} {err:?}"));

    // OAuth2: a token is fetched and used, then revoked (401), refreshed and refused.
    let server = MockServer::start().await;
    token_request()
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    Mock::given(path(C::list_path()))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(serde_json::json!({"message": "revoked"})),
        )
        .mount(&server)
        .await;
    let client = C::client(oauth_settings::<C>(&server, fast_retries()));
    let err = collect::<C>(&client).await.expect_err("401");
    assert_eq!(err.attempts(), 2, "refreshed once: {err:?}");
    let sent = server.received_requests().await.expect("recorded");
    assert!(
        sent.iter().any(|r| r
            .headers
            .get("authorization")
            .is_some_and(|v| v.as_bytes() == format!("Bearer {ACCESS_TOKEN}").as_bytes())),
        "the access token was used"
    );
    no_secret::<C>(&format!("{client:?} {err} {err:?}"));

    let text = logs.text();
    for expected in [
        "telnums.request",
        "request failed",
        "fetched OAuth2 access token",
    ] {
        assert!(
            text.contains(expected),
            "{}: `{expected}` was logged: {text}",
            C::KEY
        );
    }
    no_secret::<C>(&text);
}

/// Captures, at trace level, everything logged on the current thread until dropped.
///
/// One global subscriber serves every test of the binary and writes only for threads
/// that are capturing. A thread-scoped subscriber (`set_default`) is not enough: while
/// it is the only one registered, `tracing` caches whether a call site is enabled
/// according to whichever thread reaches it first, so a call site first reached by
/// another test (without a subscriber) would stay disabled and its events would be
/// lost here, now and then, depending on test order.
fn capture_logs() -> LogCapture {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(|| ThreadLog)
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global subscriber in the test binary");
    });
    CAPTURED.with(|c| *c.borrow_mut() = Some(Vec::new()));
    LogCapture(std::marker::PhantomData)
}

thread_local! {
    static CAPTURED: std::cell::RefCell<Option<Vec<u8>>> = const { std::cell::RefCell::new(None) };
}

/// Logs captured on this thread by [`capture_logs`]; stops capturing when dropped.
struct LogCapture(std::marker::PhantomData<*const ()>);

impl LogCapture {
    fn text(&self) -> String {
        CAPTURED
            .with(|c| String::from_utf8_lossy(c.borrow().as_deref().unwrap_or(&[])).into_owned())
    }
}

impl Drop for LogCapture {
    fn drop(&mut self) {
        CAPTURED.with(|c| *c.borrow_mut() = None);
    }
}

/// Appends to the current thread's capture, if it has one.
struct ThreadLog;

impl std::io::Write for ThreadLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURED.with(|c| {
            if let Some(log) = c.borrow_mut().as_mut() {
                log.extend_from_slice(buf);
            }
        });
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

/// Runs every scenario for one provider as separate `#[tokio::test]`s, each under
/// [`bounded`].
#[macro_export]
macro_rules! scenario_tests {
    ($case:ty) => {
        $crate::scenario_tests!(@each $case;
            sends_expected_request,
            lists_all_pages,
            honours_retry_after_seconds,
            honours_retry_after_timestamp,
            honours_retry_after_http_date,
            absurd_retry_after_fails_fast,
            backs_off_on_503,
            retries_exactly_the_transient_statuses,
            retries_a_timed_out_attempt,
            max_total_wait_bounds_backoff,
            gives_up_after_capped_attempts,
            times_out,
            truncated_json_is_a_typed_error,
            repeated_cursor_stops,
            oauth2_token_is_cached_and_refreshed,
            token_endpoint_failure_is_an_auth_error,
            secrets_never_printed,
        );
    };
    (@each $case:ty; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                $crate::scenarios::bounded($crate::scenarios::$name::<$case>()).await
            }
        )*
    };
}
