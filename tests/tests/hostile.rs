//! Hostile servers: responses no provider should send but a client must survive with a
//! typed error, bounded time and bounded memory. Each case names the path it takes
//! through the client: a generated operation (every provider, since each generated file
//! is rewritten separately by the xtask), Apple's next-link path, or the OAuth2 token
//! endpoint. Memory bounds are measured in `hostile_memory.rs`, its own test binary.
//!
//! Every test runs under [`bounded`], so a regression that loops or hangs fails in
//! seconds instead of stalling the suite.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use telnums_apple_business::AppleBusinessClient;
use telnums_core::{
    ClientBuilder, ClientCredentials, Error, ErrorKind, ProviderClient, RetryPolicy,
};
use telnums_fone_dynamics::FoneDynamicsClient;
use telnums_tests::raw::{self, RawRequest, RawServer};
use telnums_vonage_cc::VonageCcClient;
use telnums_webex_calling::WebexClient;
use telnums_zoom_phone::ZoomPhoneClient;
use tokio::net::TcpStream;

const TOKEN: &str = "tok_hostile_do_not_forward";
const RID: &str = "rid-hostile-1";
const ORG: &str = "9467895078742654934";
const BRAND: &str = "9467895078742654921";
const SID: &str = "AC00000000000000000000000000000000";

/// Every request-id header the five providers use, so each reports [`RID`].
const RID_HEADERS: &[(&str, &str)] = &[
    ("x-request-id", RID),
    ("x-zm-trackingid", RID),
    ("apple-request-id", RID),
    ("TrackingID", RID),
];

/// Runs `f`, failing the test if it takes longer than `limit`.
async fn bounded<T>(limit: Duration, f: impl Future<Output = T>) -> T {
    match tokio::time::timeout(limit, f).await {
        Ok(v) => v,
        Err(_) => panic!("did not finish within {limit:?}: a loop, a stall or a missing timeout"),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Prov {
    Vonage,
    Webex,
    Fone,
    Apple,
    Zoom,
}

const ALL: [Prov; 5] = [
    Prov::Vonage,
    Prov::Webex,
    Prov::Fone,
    Prov::Apple,
    Prov::Zoom,
];

impl Prov {
    fn key(self) -> &'static str {
        match self {
            Prov::Vonage => "vonage-cc",
            Prov::Webex => "webex-calling",
            Prov::Fone => "fone-dynamics",
            Prov::Apple => "apple-business",
            Prov::Zoom => "zoom-phone",
        }
    }
}

/// Client settings of a case.
#[derive(Clone, Debug)]
struct Tune {
    limit: u64,
    retry: RetryPolicy,
    read: Duration,
    total: Duration,
}

impl Default for Tune {
    fn default() -> Self {
        Self {
            limit: 256 * 1024,
            retry: fast_retries(3),
            read: Duration::from_secs(5),
            total: Duration::from_secs(10),
        }
    }
}

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(50))
        .with_max_attempts(attempts)
}

fn builder<P: ProviderClient>(base: &str, t: &Tune) -> ClientBuilder<P> {
    ClientBuilder::<P>::new()
        .base_url(base)
        .max_body_bytes(t.limit)
        .retry(t.retry.clone())
        .read_timeout(t.read)
        .timeout(t.total)
}

fn client<P: ProviderClient>(base: &str, t: &Tune) -> P {
    builder::<P>(base, t)
        .bearer_token(TOKEN)
        .build()
        .expect("client")
}

/// Lists everything from `p` at `base`, yielding item ids.
async fn list(p: Prov, base: &str, t: &Tune) -> Result<Vec<String>, Error> {
    match p {
        Prov::Vonage => {
            client::<VonageCcClient>(base, t)
                .list_callback_numbers()
                .items()
                .map_ok(|n| n.callback_number_id.unwrap_or_default())
                .try_collect()
                .await
        }
        Prov::Webex => {
            client::<WebexClient>(base, t)
                .list_numbers()
                .items()
                .map_ok(|n| n.extension.unwrap_or_default())
                .try_collect()
                .await
        }
        Prov::Fone => {
            client::<FoneDynamicsClient>(base, t)
                .list_account_numbers(SID)
                .items()
                .map_ok(|n| n.number.unwrap_or_default())
                .try_collect()
                .await
        }
        Prov::Apple => list_apple(client::<AppleBusinessClient>(base, t)).await,
        Prov::Zoom => list_zoom(client::<ZoomPhoneClient>(base, t)).await,
    }
}

async fn list_apple(c: AppleBusinessClient) -> Result<Vec<String>, Error> {
    c.list_caller_ids(ORG, BRAND)
        .items()
        .map_ok(|n| n.id)
        .try_collect()
        .await
}

async fn list_zoom(c: ZoomPhoneClient) -> Result<Vec<String>, Error> {
    c.list_phone_numbers()
        .items()
        .map_ok(|n| n.id.unwrap_or_default())
        .try_collect()
        .await
}

fn zoom_page(ids: &[&str], next: &str) -> serde_json::Value {
    json!({
        "next_page_token": next,
        "page_size": 100,
        "phone_numbers": ids.iter().map(|id| json!({ "id": id, "number": "+12055550100" })).collect::<Vec<_>>()
    })
}

fn apple_page(ids: &[&str], next: Option<&str>) -> serde_json::Value {
    let pagination = match next {
        Some(next) => json!({ "next": next }),
        None => json!({}),
    };
    json!({
        "data": ids.iter().map(|id| json!({
            "orgId": ORG, "brandId": BRAND, "id": id, "state": "PUBLISHED",
            "createdDate": "2026-10-02T11:41:00Z", "updatedDate": "2026-10-11T18:34:00Z",
            "etag": "5c556a5e-5d47-11ee-863f-325096b39f47",
            "callerIdDetails": { "phoneNumber": "+18005550100" }
        })).collect::<Vec<_>>(),
        "pagination": pagination,
        "total": ids.len()
    })
}

fn apple_path() -> String {
    format!("/api/v1/orgs/{ORG}/brands/{BRAND}/caller-ids")
}

fn expect_too_large(err: &Error, limit: u64, status: u16, key: &str) {
    assert_eq!(
        err.kind(),
        &ErrorKind::BodyTooLarge { limit },
        "{key}: {err:?}"
    );
    assert_eq!(
        err.status().map(|s| s.as_u16()),
        Some(status),
        "{key}: {err:?}"
    );
    assert_eq!(err.request_id(), Some(RID), "{key}: {err:?}");
    assert_eq!(err.provider(), key);
    assert!(!err.is_retryable(), "{key}: the same body would come again");
    assert_eq!(err.attempts(), 1, "{key}: {err:?}");
}

/// An endless chunked `200` body (no `Content-Length`) stops at the limit with
/// `BodyTooLarge`, status and request id, on every provider's generated operation.
#[tokio::test]
async fn endless_chunked_body_stops_at_the_limit() {
    bounded(Duration::from_secs(60), async {
        let server = RawServer::start(|_, mut s: TcpStream| async move {
            raw::endless_chunked(
                &mut s,
                200,
                RID_HEADERS,
                b"{\"items\":[",
                b"\"0123456789\",",
                64 << 20,
            )
            .await;
        })
        .await;
        let t = Tune::default();
        for p in ALL {
            let started = Instant::now();
            let err = list(p, &server.uri(), &t).await.expect_err("endless");
            expect_too_large(&err, t.limit, 200, p.key());
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{p:?}: {:?}",
                started.elapsed()
            );
        }
        assert_eq!(
            server.requests().len(),
            ALL.len(),
            "one request each, not retried"
        );
    })
    .await;
}

/// Endless error bodies: a documented error status (Zoom's 429, read by the generated
/// code as its error type) and an undocumented one (502, read by the runtime).
#[tokio::test]
async fn endless_error_bodies_stop_at_the_limit() {
    bounded(Duration::from_secs(30), async {
        for status in [429u16, 502] {
            let server = RawServer::start(move |_, mut s: TcpStream| async move {
                raw::endless_chunked(
                    &mut s,
                    status,
                    RID_HEADERS,
                    b"{\"message\":\"",
                    b"aaaaaaaaaa",
                    64 << 20,
                )
                .await;
            })
            .await;
            let t = Tune::default();
            let err = list(Prov::Zoom, &server.uri(), &t)
                .await
                .expect_err("endless");
            expect_too_large(&err, t.limit, status, "zoom-phone");
        }
    })
    .await;
}

/// Apple's next-link path reads through the same limit.
#[tokio::test]
async fn endless_body_on_the_next_link_path() {
    bounded(Duration::from_secs(30), async {
        let server = RawServer::start(|r: RawRequest, mut s: TcpStream| async move {
            if r.target.contains("after=") || r.target.contains("page=2") {
                raw::endless_chunked(
                    &mut s,
                    200,
                    RID_HEADERS,
                    b"{\"data\":[",
                    b"{\"id\":\"x\"},",
                    64 << 20,
                )
                .await;
            } else {
                let next = format!("{}?page=2", apple_path());
                raw::respond_json(&mut s, 200, RID_HEADERS, &apple_page(&["a1"], Some(&next)))
                    .await;
            }
        })
        .await;
        let t = Tune::default();
        let err = list(Prov::Apple, &server.uri(), &t)
            .await
            .expect_err("endless");
        expect_too_large(&err, t.limit, 200, "apple-business");
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert!(
            requests[1].target.ends_with("?page=2"),
            "{:?}",
            requests[1].target
        );
        assert_eq!(
            requests[1].header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    })
    .await;
}

/// A token endpoint that never stops sending: the token client's own limit applies, the
/// listing ends with `BodyTooLarge`, and the API is never called.
#[tokio::test]
async fn endless_token_response_stops_at_the_token_limit() {
    bounded(Duration::from_secs(30), async {
        let server = RawServer::start(|r: RawRequest, mut s: TcpStream| async move {
            if r.path() == "/oauth/token" {
                raw::endless_chunked(
                    &mut s,
                    200,
                    &[],
                    b"{\"access_token\":\"",
                    b"aaaaaaaaaa",
                    64 << 20,
                )
                .await;
            } else {
                raw::respond_json(&mut s, 200, &[], &zoom_page(&["z1"], "")).await;
            }
        })
        .await;
        let creds = ClientCredentials::new(format!("{}/oauth/token", server.uri()), "id", "secret");
        let c = builder::<ZoomPhoneClient>(&server.uri(), &Tune::default())
            .credentials(creds)
            .build()
            .expect("client");
        let err = list_zoom(c).await.expect_err("endless token");
        assert!(
            // The token client's own limit: 256 KiB, whatever the API's is.
            err.kind() == &ErrorKind::BodyTooLarge { limit: 256 * 1024 },
            "{err:?}"
        );
        assert!(err.to_string().contains("token endpoint"), "{err}");
        assert_eq!(err.attempts(), 1);
        assert!(
            server.requests().iter().all(|r| r.path() == "/oauth/token"),
            "the API was called"
        );
    })
    .await;
}

/// A declared `Content-Length` of a terabyte is refused from the head, before any body
/// arrives (the server sends none and holds the connection: waiting would hit the read
/// timeout instead). Generated operation, next link and token endpoint alike.
#[tokio::test]
async fn huge_content_length_is_refused_before_reading() {
    bounded(Duration::from_secs(30), async {
        let huge: &'static str = "1099511627776";
        let server = RawServer::start(move |r: RawRequest, mut s: TcpStream| async move {
            let mut headers = RID_HEADERS.to_vec();
            headers.push(("Content-Length", huge));
            headers.push(("Content-Type", "application/json"));
            if r.path() == "/oauth/token"
                || r.target.contains("page=2")
                || r.path() == "/phone/numbers"
            {
                raw::stall(&mut s, &raw::head(200, &headers), Duration::from_secs(20)).await;
            } else {
                let next = format!("{}?page=2", apple_path());
                raw::respond_json(&mut s, 200, RID_HEADERS, &apple_page(&["a1"], Some(&next)))
                    .await;
            }
        })
        .await;
        let t = Tune {
            read: Duration::from_secs(15),
            ..Tune::default()
        };
        let started = Instant::now();
        let err = list(Prov::Zoom, &server.uri(), &t).await.expect_err("huge");
        expect_too_large(&err, t.limit, 200, "zoom-phone");
        let err = list(Prov::Apple, &server.uri(), &t)
            .await
            .expect_err("huge");
        expect_too_large(&err, t.limit, 200, "apple-business");

        let creds = ClientCredentials::new(format!("{}/oauth/token", server.uri()), "id", "secret");
        let c = builder::<ZoomPhoneClient>(&server.uri(), &t)
            .credentials(creds)
            .build()
            .expect("client");
        let err = list_zoom(c).await.expect_err("huge token response");
        assert!(
            matches!(err.kind(), ErrorKind::BodyTooLarge { .. }),
            "{err:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    })
    .await;
}

/// A gzip body is decoded (the client asks for it), and the limit counts decoded bytes:
/// a small gzip bomb stops at the limit.
#[tokio::test]
async fn gzip_is_decoded_and_a_bomb_stops_at_the_limit() {
    bounded(Duration::from_secs(60), async {
        let page = serde_json::to_vec(&zoom_page(&["z1", "z2"], "")).expect("json");
        let page_gz = Arc::new(gzip(&page));
        let bomb = Arc::new(gzip_bomb(b"{\"phone_numbers\":[", 16));
        let (p, b) = (page_gz.clone(), bomb.clone());
        let server = RawServer::start(move |r: RawRequest, mut s: TcpStream| {
            let (p, b) = (p.clone(), b.clone());
            async move {
                let body = if r.target.contains("bomb") { b } else { p };
                let mut headers = RID_HEADERS.to_vec();
                headers.push(("Content-Encoding", "gzip"));
                headers.push(("Content-Type", "application/json"));
                raw::respond(&mut s, 200, &headers, &body).await;
            }
        })
        .await;
        let t = Tune::default();
        let got = list(Prov::Zoom, &server.uri(), &t)
            .await
            .expect("gzip page decodes");
        assert_eq!(got, ["z1", "z2"]);
        let sent = server.requests();
        assert!(
            sent[0]
                .header("accept-encoding")
                .is_some_and(|v| v.contains("gzip")),
            "{:?}",
            sent[0].headers
        );

        assert!(
            bomb.len() < 1 << 20,
            "the bomb is small on the wire: {}",
            bomb.len()
        );
        let c = client::<ZoomPhoneClient>(&format!("{}/bomb", server.uri()), &t);
        let err = list_zoom(c).await.expect_err("bomb");
        expect_too_large(&err, t.limit, 200, "zoom-phone");
    })
    .await;
}

/// `data` gzip-compressed.
fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).expect("gzip");
    enc.finish().expect("gzip")
}

/// `prefix` then `mib` MiB of spaces, gzip-compressed: about a kilobyte per MiB on the
/// wire.
fn gzip_bomb(prefix: &[u8], mib: usize) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(prefix).expect("gzip");
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..mib {
        enc.write_all(&spaces).expect("gzip");
    }
    enc.finish().expect("gzip")
}

/// A response head and then nothing: each attempt fails on the read timeout, is
/// retried, and the call ends after the capped attempts with a timeout naming the read
/// phase. Before the head (the server reads the request and says nothing) the same.
#[tokio::test]
async fn stalled_responses_fail_on_the_read_timeout() {
    bounded(Duration::from_secs(30), async {
        for before_head in [false, true] {
            let server = RawServer::start(move |r: RawRequest, mut s: TcpStream| async move {
                if r.path() == apple_path() && !r.target.contains("page=2") {
                    // Apple's first page is fine: its next link stalls.
                    let next = format!("{}?page=2", apple_path());
                    return raw::respond_json(&mut s, 200, &[], &apple_page(&["a1"], Some(&next)))
                        .await;
                }
                let head = if before_head {
                    Vec::new()
                } else {
                    let mut h = RID_HEADERS.to_vec();
                    h.push(("Content-Length", "100"));
                    raw::head(200, &h)
                };
                raw::stall(&mut s, &head, Duration::from_secs(20)).await;
            })
            .await;
            let t = Tune {
                read: Duration::from_millis(300),
                ..Tune::default()
            };
            for p in [Prov::Zoom, Prov::Apple] {
                let started = Instant::now();
                let err = list(p, &server.uri(), &t).await.expect_err("stalled");
                let took = started.elapsed();
                assert_eq!(err.kind(), &ErrorKind::Timeout, "{p:?}: {err:?}");
                assert_eq!(err.attempts(), 3, "{p:?}: {err:?}");
                assert!(err.is_retryable());
                let text = err.to_string();
                assert!(
                    text.contains(&format!(
                        "{} sent nothing for 0.3 s (read timeout)",
                        server.uri()
                    )),
                    "{text}"
                );
                if !before_head {
                    assert_eq!(err.status().map(|s| s.as_u16()), Some(200), "{err:?}");
                    assert_eq!(err.request_id(), Some(RID), "{err:?}");
                }
                assert!(
                    took >= Duration::from_millis(900),
                    "{p:?}: three read timeouts, {took:?}"
                );
                assert!(took < Duration::from_secs(4), "{p:?}: {took:?}");
            }
        }
    })
    .await;
}

/// A token endpoint that stalls fails on the read timeout too (the token client's own,
/// 10 s by default): here the per-attempt total of the API call stops it first.
#[tokio::test]
async fn stalled_token_endpoint_is_stopped() {
    bounded(Duration::from_secs(30), async {
        let server = RawServer::start(|_, mut s: TcpStream| async move {
            raw::stall(
                &mut s,
                &raw::head(200, &[("Content-Length", "100")]),
                Duration::from_secs(25),
            )
            .await;
        })
        .await;
        let creds = ClientCredentials::new(format!("{}/oauth/token", server.uri()), "id", "secret");
        let t = Tune {
            total: Duration::from_millis(400),
            retry: fast_retries(2),
            ..Tune::default()
        };
        let c = builder::<ZoomPhoneClient>(&server.uri(), &t)
            .credentials(creds)
            .build()
            .expect("client");
        let started = Instant::now();
        let err = list_zoom(c).await.expect_err("stalled token endpoint");
        assert_eq!(err.kind(), &ErrorKind::Timeout, "{err:?}");
        assert_eq!(err.attempts(), 2);
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    })
    .await;
}

/// One byte every 100 ms keeps the read timeout from firing; the per-attempt total
/// stops each attempt, and the retry policy's budget (`max_total_wait`, which counts
/// attempts too) ends the call: it cannot take attempts × timeout.
#[tokio::test]
async fn trickled_body_is_bounded_by_the_call_budget() {
    bounded(Duration::from_secs(30), async {
        let server = RawServer::start(|_, mut s: TcpStream| async move {
            let mut h = RID_HEADERS.to_vec();
            h.push(("Content-Length", "100000"));
            let head = raw::head(200, &h);
            raw::trickle(
                &mut s,
                &head,
                b"{\"phone_numbers\":[",
                Duration::from_millis(100),
                Duration::from_secs(20),
            )
            .await;
        })
        .await;
        let t = Tune {
            read: Duration::from_secs(1),
            total: Duration::from_secs(1),
            retry: fast_retries(10).with_max_total_wait(Duration::from_millis(2500)),
            ..Tune::default()
        };
        let started = Instant::now();
        let err = list(Prov::Zoom, &server.uri(), &t)
            .await
            .expect_err("trickle");
        let took = started.elapsed();
        assert_eq!(err.kind(), &ErrorKind::Timeout, "{err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
        assert_eq!(err.request_id(), Some(RID));
        // 1 s + 1 s + what is left of 2.5 s: three attempts, the last one cut short.
        assert_eq!(err.attempts(), 3, "{err:?}");
        assert!(err.to_string().contains("budget ran out"), "{err}");
        assert!(took >= Duration::from_millis(2400), "{took:?}");
        assert!(took < Duration::from_millis(3500), "{took:?}");
    })
    .await;
}

/// A connection reset part-way through a body is a retryable transport error: the
/// listing retries that page and completes with every number once. Generated
/// operation (Zoom) and next-link path (Apple).
#[tokio::test]
async fn reset_mid_body_is_retried_and_the_listing_completes() {
    bounded(Duration::from_secs(30), async {
        // Zoom: page 2 is cut off the first time it is asked for.
        let server = RawServer::start(|r: RawRequest, s: TcpStream| async move {
            let page2_attempts = r.index; // requests: p1, p2 (reset), p2, p3
            let mut s = s;
            match r
                .target
                .split("next_page_token=")
                .nth(1)
                .map(|t| t.split('&').next().unwrap_or(""))
            {
                None | Some("") => {
                    raw::respond_json(&mut s, 200, &[], &zoom_page(&["z1", "z2"], "p2")).await
                }
                Some("p2") if page2_attempts == 1 => {
                    let body = serde_json::to_vec(&zoom_page(&["z3", "z4"], "p3")).expect("json");
                    let length = body.len().to_string();
                    let mut bytes = raw::head(200, &[("Content-Length", &length)]);
                    bytes.extend_from_slice(&body[..body.len() / 2]);
                    raw::send_then_reset(s, &bytes).await;
                }
                Some("p2") => {
                    raw::respond_json(&mut s, 200, &[], &zoom_page(&["z3", "z4"], "p3")).await
                }
                Some(_) => raw::respond_json(&mut s, 200, &[], &zoom_page(&["z5"], "")).await,
            }
        })
        .await;
        let got = list(Prov::Zoom, &server.uri(), &Tune::default())
            .await
            .expect("completes");
        assert_eq!(got, ["z1", "z2", "z3", "z4", "z5"]);
        assert_eq!(server.requests().len(), 4, "page 2 asked twice");

        // Apple: the next link's page is cut off the first time.
        let server = RawServer::start(|r: RawRequest, s: TcpStream| async move {
            let mut s = s;
            let next = format!("{}?page=2", apple_path());
            if !r.target.contains("page=2") {
                raw::respond_json(&mut s, 200, &[], &apple_page(&["a1"], Some(&next))).await;
            } else if r.index == 1 {
                let body = serde_json::to_vec(&apple_page(&["a2", "a3"], None)).expect("json");
                let length = body.len().to_string();
                let mut bytes = raw::head(200, &[("Content-Length", &length)]);
                bytes.extend_from_slice(&body[..body.len() / 2]);
                raw::send_then_reset(s, &bytes).await;
            } else {
                raw::respond_json(&mut s, 200, &[], &apple_page(&["a2", "a3"], None)).await;
            }
        })
        .await;
        let got = list(Prov::Apple, &server.uri(), &Tune::default())
            .await
            .expect("completes");
        assert_eq!(got, ["a1", "a2", "a3"]);
        assert_eq!(server.requests().len(), 3, "page 2 asked twice");
    })
    .await;
}

/// A reset that never clears ends with a transport error that says what happened.
#[tokio::test]
async fn reset_every_time_names_the_cause() {
    bounded(Duration::from_secs(30), async {
        let server = RawServer::start(|_, s: TcpStream| async move {
            let mut bytes = raw::head(200, &[("Content-Length", "1000"), ("x-zm-trackingid", RID)]);
            bytes.extend_from_slice(b"{\"phone_numbers\":[");
            raw::send_then_reset(s, &bytes).await;
        })
        .await;
        let err = list(Prov::Zoom, &server.uri(), &Tune::default())
            .await
            .expect_err("reset");
        assert_eq!(err.kind(), &ErrorKind::Transport, "{err:?}");
        assert_eq!(err.attempts(), 3);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
        assert_eq!(err.request_id(), Some(RID));
        let text = err.to_string();
        assert!(text.contains(&server.uri()), "{text}");
        assert!(
            text.contains(&format!("response body broken off from {}: ", server.uri()))
                && (text.contains("reset")
                    || text.contains("closed")
                    || text.contains("incomplete")),
            "names the cause: {text}"
        );
    })
    .await;
}

/// Invalid UTF-8 inside a JSON string is a decode error with a path; in an error body
/// it is replaced, not a panic.
#[tokio::test]
async fn invalid_utf8_is_a_typed_error() {
    bounded(Duration::from_secs(30), async {
        let server = RawServer::start(|r: RawRequest, mut s: TcpStream| async move {
            let body: &[u8] =
                b"{\"next_page_token\":\"\",\"phone_numbers\":[{\"id\":\"z\xff\xfe1\"}]}";
            let err_body: &[u8] = b"{\"message\":\"bad \xff\xfe token\"}";
            let mut h = RID_HEADERS.to_vec();
            h.push(("Content-Type", "application/json"));
            if r.target.contains("err") {
                raw::respond(&mut s, 401, &h, err_body).await;
            } else {
                raw::respond(&mut s, 200, &h, body).await;
            }
        })
        .await;
        let t = Tune::default();
        let err = list(Prov::Zoom, &server.uri(), &t)
            .await
            .expect_err("bad utf-8");
        match err.kind() {
            ErrorKind::Decode { path } => assert!(path.contains("phone_numbers"), "{path}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(err.request_id(), Some(RID));
        let c = client::<ZoomPhoneClient>(&format!("{}/err", server.uri()), &t);
        let err = list_zoom(c).await.expect_err("401");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
        let message = err.message().expect("a message");
        assert!(
            message.contains("bad") && message.contains('\u{fffd}'),
            "{message}"
        );
    })
    .await;
}

/// JSON nested 100,000 deep cannot overflow the stack. In a field the types ignore,
/// serde_json skips it without recursing (the page decodes, on every provider); where a
/// type buffers it (an open enum, decoded untagged) or an error body is read as a JSON
/// value, serde_json's recursion limit refuses it with a typed error.
#[tokio::test]
async fn deep_nesting_is_refused_without_overflow() {
    bounded(Duration::from_secs(30), async {
        let depth = 100_000;
        let nested = Arc::new(format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        let n = nested.clone();
        let server = RawServer::start(move |r: RawRequest, mut s: TcpStream| {
            let n = n.clone();
            async move {
                let path = r.path().to_owned();
                let (status, body) = if path.starts_with("/err") {
                    (503, format!("{{\"message\":{n}}}"))
                } else if path.starts_with("/enum") {
                    (200, format!(
                        "{{\"next_page_token\":\"\",\"phone_numbers\":[{{\"id\":\"z1\",\"assignee\":{{\"type\":{n}}}}}]}}"
                    ))
                } else {
                    let page = if path.contains("callbackNumbers") {
                        r#""meta":{"page":1,"count":0,"pageCount":1,"totalCount":0},"callbackNumbers":[]"#
                    } else if path.contains("telephony") {
                        r#""phoneNumbers":[]"#
                    } else if path.contains("Accounts") {
                        r#""Numbers":[]"#
                    } else if path.contains("caller-ids") {
                        r#""data":[],"pagination":{},"total":0"#
                    } else {
                        r#""next_page_token":"","phone_numbers":[]"#
                    };
                    (200, format!("{{\"extra\":{n},{page}}}"))
                };
                raw::respond(&mut s, status, &[("Content-Type", "application/json")], body.as_bytes()).await;
            }
        })
        .await;
        let t = Tune {
            limit: 1 << 20,
            ..Tune::default()
        };
        for p in ALL {
            let got = list(p, &server.uri(), &t).await;
            assert_eq!(got.map_err(|e| e.to_string()), Ok(Vec::new()), "{p:?}");
        }
        let c = client::<ZoomPhoneClient>(&format!("{}/enum", server.uri()), &t);
        let err = list_zoom(c).await.expect_err("too deep");
        assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
        assert!(err.to_string().contains("recursion limit"), "{err}");

        let c = client::<ZoomPhoneClient>(&format!("{}/err", server.uri()), &t);
        let err = list_zoom(c).await.expect_err("503");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        assert!(err.message().is_some_and(|m| m.chars().count() <= 201), "{err}");
    })
    .await;
}

/// A proxy's HTML 502 page is retried, then reported as one short line.
#[tokio::test]
async fn html_502_page_is_one_short_line() {
    bounded(Duration::from_secs(30), async {
        let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                    <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
                    <!-- padding -->\r\n"
            .to_owned()
            + &"<p>\n  filler text that goes on\n</p>\n".repeat(200)
            + "</body>\r\n</html>\r\n";
        let page = Arc::new(page);
        let server = RawServer::start(move |_, mut s: TcpStream| {
            let page = page.clone();
            async move {
                raw::respond(
                    &mut s,
                    502,
                    &[("Content-Type", "text/html"), ("x-zm-trackingid", RID)],
                    page.as_bytes(),
                )
                .await;
            }
        })
        .await;
        // Zoom does not document 502 (the runtime reads the body); Webex does (the
        // generated code reads it, as its error type, and fails to decode it).
        for p in [Prov::Zoom, Prov::Webex] {
            let err = list(p, &server.uri(), &Tune::default())
                .await
                .expect_err("502");
            assert_eq!(err.kind(), &ErrorKind::Api);
            assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
            assert_eq!(err.attempts(), 3, "502 is retried");
            let text = err.to_string();
            assert!(!text.contains('\n') && !text.contains('\r'), "{text:?}");
            let message = err.message().expect("message");
            assert!(
                message.chars().count() <= 201,
                "{} chars: {message}",
                message.chars().count()
            );
            assert!(
                text.chars().count() < 400,
                "{} chars: {text}",
                text.chars().count()
            );
            assert!(text.contains("502 Bad Gateway"), "{text}");
            assert!(
                !text.contains("<html>") && !text.contains("<center>"),
                "{text}"
            );
        }
    })
    .await;
}

/// A redirect to another origin is not followed, so the credential never reaches it:
/// the 3xx comes back as a typed error naming where it pointed. A redirect within the
/// origin is followed, with the credential. Generated operation, next link, token
/// endpoint.
#[tokio::test]
async fn redirect_to_another_origin_is_not_followed() {
    bounded(Duration::from_secs(30), async {
        let elsewhere = RawServer::start(|_, mut s: TcpStream| async move {
            raw::respond_json(&mut s, 200, &[], &json!({"access_token": "stolen"})).await;
        })
        .await;
        let away = elsewhere.uri();
        let server = RawServer::start(move |r: RawRequest, mut s: TcpStream| {
            let away = away.clone();
            async move {
                let to_other = format!("{away}/collect?from={}", r.target);
                if r.path() == apple_path() && !r.target.contains("page=2") {
                    // Apple's first page is fine; its next link is redirected.
                    let next = format!("{}?page=2", apple_path());
                    raw::respond_json(&mut s, 200, &[], &apple_page(&["a1"], Some(&next))).await;
                } else {
                    let h = [
                        ("Location", to_other.as_str()),
                        ("x-zm-trackingid", RID),
                        ("apple-request-id", RID),
                    ];
                    raw::respond(&mut s, 302, &h, b"").await;
                }
            }
        })
        .await;
        let t = Tune::default();
        for p in [Prov::Zoom, Prov::Apple] {
            let err = list(p, &server.uri(), &t)
                .await
                .expect_err("redirect refused");
            assert_eq!(err.kind(), &ErrorKind::Api, "{p:?}: {err:?}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
            assert_eq!(err.request_id(), Some(RID));
            assert_eq!(err.attempts(), 1);
            let text = err.to_string();
            assert!(
                text.contains(&format!("redirect to {} not followed", elsewhere.uri())),
                "{text}"
            );
            assert!(
                !text.contains("collect"),
                "no path or query in the message: {text}"
            );
        }
        // The token endpoint redirects elsewhere too: the client secret stays home.
        let creds = ClientCredentials::new(format!("{}/oauth/token", server.uri()), "id", "secret");
        let c = builder::<ZoomPhoneClient>(&server.uri(), &t)
            .credentials(creds)
            .build()
            .expect("client");
        let err = list_zoom(c).await.expect_err("token redirect refused");
        assert_eq!(err.kind(), &ErrorKind::Auth, "{err:?}");
        assert!(err.to_string().contains("302"), "{err}");
        assert!(
            elsewhere.requests().is_empty(),
            "nothing reached the other origin: {:?}",
            elsewhere.requests()
        );

        // Within the origin: followed, with the credential.
        let server2 = RawServer::start(|r: RawRequest, mut s: TcpStream| async move {
            if r.path() == "/moved/phone/numbers" {
                raw::respond(&mut s, 308, &[("Location", "/phone/numbers")], b"").await;
            } else {
                raw::respond_json(&mut s, 200, &[], &zoom_page(&["z1"], "")).await;
            }
        })
        .await;
        let got = list(Prov::Zoom, &format!("{}/moved", server2.uri()), &t)
            .await
            .expect("followed");
        assert_eq!(got, ["z1"]);
        let requests = server2.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(
            requests[1].header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    })
    .await;
}

/// Cursors that cycle A → B → A end with `PaginationLoop` after the pages seen, on the
/// generated operation (Zoom tokens) and the next-link path (Apple links).
#[tokio::test]
async fn cursor_cycles_end_the_listing() {
    bounded(Duration::from_secs(30), async {
        let server = RawServer::start(|r: RawRequest, mut s: TcpStream| async move {
            let next = if r.target.contains("next_page_token=A") {
                "B"
            } else {
                "A"
            };
            raw::respond_json(
                &mut s,
                200,
                &[],
                &zoom_page(&[&format!("z{}", r.index)], next),
            )
            .await;
        })
        .await;
        let items: Vec<Result<String, Error>> =
            client::<ZoomPhoneClient>(&server.uri(), &Tune::default())
                .list_phone_numbers()
                .items()
                .map_ok(|n| n.id.unwrap_or_default())
                .collect()
                .await;
        let (last, ok) = items.split_last().expect("items");
        assert_eq!(ok.len(), 3, "first, A, B: {items:?}");
        let err = last.as_ref().expect_err("loop");
        assert!(
            matches!(err.kind(), ErrorKind::PaginationLoop { .. }),
            "{err:?}"
        );
        assert_eq!(server.requests().len(), 3);

        let server = RawServer::start(|r: RawRequest, mut s: TcpStream| async move {
            let base = apple_path();
            let next = if r.target.contains("c=A") {
                format!("{base}?c=B")
            } else {
                format!("{base}?c=A")
            };
            raw::respond_json(
                &mut s,
                200,
                &[],
                &apple_page(&[&format!("a{}", r.index)], Some(&next)),
            )
            .await;
        })
        .await;
        let err = list(Prov::Apple, &server.uri(), &Tune::default())
            .await
            .expect_err("loop");
        assert!(
            matches!(err.kind(), ErrorKind::PaginationLoop { .. }),
            "{err:?}"
        );
        assert_eq!(server.requests().len(), 3);
    })
    .await;
}

/// `Retry-After: 86400` is over the policy's budget: the call ends at once with the
/// server's 429 and the wait it asked for.
#[tokio::test]
async fn retry_after_a_day_ends_the_call_at_once() {
    bounded(Duration::from_secs(30), async {
        let server = RawServer::start(|_, mut s: TcpStream| async move {
            let h = [("Retry-After", "86400"), ("x-zm-trackingid", RID)];
            raw::respond_json(
                &mut s,
                429,
                &h,
                &json!({"code": 429, "message": "slow down"}),
            )
            .await;
        })
        .await;
        let started = Instant::now();
        let err = list(Prov::Zoom, &server.uri(), &Tune::default())
            .await
            .expect_err("429");
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(err.kind(), &ErrorKind::Api);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
        assert_eq!(err.retry_after(), Some(Duration::from_secs(86_400)));
        assert_eq!(err.request_id(), Some(RID));
        assert_eq!(err.attempts(), 1);
        assert_eq!(server.requests().len(), 1);
    })
    .await;
}

/// 429 forever: retried up to the attempt cap, then the 429; and with `Retry-After` of
/// a second and a 2.5 s budget, the budget ends it.
#[tokio::test]
async fn too_many_requests_forever_gives_up() {
    bounded(Duration::from_secs(30), async {
        let server = RawServer::start(|r: RawRequest, mut s: TcpStream| async move {
            let wait = if r.target.contains("slow") { "1" } else { "0" };
            raw::respond_json(
                &mut s,
                429,
                &[("Retry-After", wait)],
                &json!({"message": "slow down"}),
            )
            .await;
        })
        .await;
        let t = Tune {
            retry: fast_retries(4),
            ..Tune::default()
        };
        let err = list(Prov::Zoom, &server.uri(), &t)
            .await
            .expect_err("429 forever");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
        assert_eq!(err.attempts(), 4);
        assert_eq!(server.requests().len(), 4);

        let t = Tune {
            retry: fast_retries(100).with_max_total_wait(Duration::from_millis(2500)),
            ..Tune::default()
        };
        let started = Instant::now();
        let c = client::<ZoomPhoneClient>(&format!("{}/slow", server.uri()), &t);
        let err = list_zoom(c).await.expect_err("429 forever");
        let took = started.elapsed();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
        assert_eq!(err.attempts(), 3, "waits of 1 s fit twice in 2.5 s");
        assert!(
            took >= Duration::from_secs(2) && took < Duration::from_secs(3),
            "{took:?}"
        );
    })
    .await;
}

/// An access token with CR/LF cannot be put in a header: an auth error, nothing sent to
/// the API, no header injected.
#[tokio::test]
async fn token_with_crlf_is_refused() {
    bounded(Duration::from_secs(30), async {
        let server = RawServer::start(|r: RawRequest, mut s: TcpStream| async move {
            if r.path() == "/oauth/token" {
                let body = json!({"access_token": "abc\r\nX-Injected: yes", "expires_in": 3600});
                raw::respond_json(&mut s, 200, &[], &body).await;
            } else {
                raw::respond_json(&mut s, 200, &[], &zoom_page(&["z1"], "")).await;
            }
        })
        .await;
        let creds = ClientCredentials::new(format!("{}/oauth/token", server.uri()), "id", "secret");
        let c = builder::<ZoomPhoneClient>(&server.uri(), &Tune::default())
            .credentials(creds)
            .build()
            .expect("client");
        let err = list_zoom(c).await.expect_err("bad token");
        assert_eq!(err.kind(), &ErrorKind::Auth, "{err:?}");
        assert_eq!(err.attempts(), 1);
        assert!(!err.to_string().contains("abc"), "{err}");
        let requests = server.requests();
        assert!(
            requests.iter().all(|r| r.path() == "/oauth/token"),
            "{requests:?}"
        );
        assert!(requests.iter().all(|r| r.header("x-injected").is_none()));
    })
    .await;
}

/// The base URL of a port nothing listens on (bound, then let go): connecting is
/// refused at once.
fn refused_base() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    format!("http://127.0.0.1:{port}")
}

/// A refused connection names the cause and the origin, not the path or query.
#[tokio::test]
async fn connection_refused_names_cause_and_origin() {
    bounded(Duration::from_secs(30), async {
        let base = refused_base();
        let err = list(Prov::Zoom, &base, &Tune::default())
            .await
            .expect_err("refused");
        assert_eq!(err.kind(), &ErrorKind::Transport);
        assert_eq!(err.attempts(), 3);
        let text = err.to_string();
        assert!(text.contains(&base), "{text}");
        assert!(text.to_lowercase().contains("connection refused"), "{text}");
        assert!(
            !text.contains("/phone/numbers") && !text.contains("page_size"),
            "{text}"
        );
        assert_eq!(text.matches("error sending request").count(), 0, "{text}");
    })
    .await;
}

/// A request that never reached a server has no request id, even for Webex, whose
/// client sends a `TrackingID` of its own: no server ever saw it.
#[tokio::test]
async fn a_refused_connection_has_no_request_id() {
    bounded(Duration::from_secs(30), async {
        let base = refused_base();
        let tune = Tune {
            retry: RetryPolicy::never(),
            ..Tune::default()
        };
        let err = list(Prov::Webex, &base, &tune).await.expect_err("refused");
        assert_eq!(err.kind(), &ErrorKind::Transport);
        assert_eq!(err.request_id(), None, "{err}");
        assert!(!err.to_string().contains("request id"), "{err}");
    })
    .await;
}

/// TLS to a server that does not speak it names the connect phase and the TLS cause,
/// not just "error sending request".
#[tokio::test]
async fn tls_failure_names_the_cause() {
    bounded(Duration::from_secs(30), async {
        // Answers plain HTTP at once, without reading the TLS ClientHello.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let plain = tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                use tokio::io::AsyncWriteExt;
                let _ = s
                    .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                    .await;
            }
        });
        let base = format!("https://127.0.0.1:{port}");
        let t = Tune {
            retry: RetryPolicy::never(),
            ..Tune::default()
        };
        let err = list(Prov::Zoom, &base, &t).await.expect_err("not TLS");
        plain.abort();
        assert_eq!(err.kind(), &ErrorKind::Transport, "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains(&format!("cannot connect to {base}: ")),
            "{text}"
        );
        let lower = text.to_lowercase();
        assert!(
            lower.contains("tls") || lower.contains("corrupt") || lower.contains("handshake"),
            "{text}"
        );
    })
    .await;
}

/// A token endpoint that fails in transit is a transport failure or a timeout, named as
/// the token endpoint's and retried like any other: nobody listening (refused), and a
/// stalled answer read by the caller's own HTTP client (its read timeout).
#[tokio::test]
async fn token_endpoint_transport_failures_are_retried() {
    bounded(Duration::from_secs(30), async {
        let api = RawServer::start(|_, mut s: TcpStream| async move {
            raw::respond_json(&mut s, 200, &[], &zoom_page(&["z1"], "")).await;
        })
        .await;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let nobody = format!("http://127.0.0.1:{port}");
        let creds = ClientCredentials::new(format!("{nobody}/oauth/token"), "id", "secret");
        let c = builder::<ZoomPhoneClient>(&api.uri(), &Tune::default())
            .credentials(creds)
            .build()
            .expect("client");
        let err = list_zoom(c).await.expect_err("refused");
        assert_eq!(err.kind(), &ErrorKind::Transport, "{err:?}");
        assert!(err.is_retryable());
        assert_eq!(err.attempts(), 3, "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains(&format!("token endpoint: cannot connect to {nobody}")),
            "{text}"
        );

        let stalled = RawServer::start(|_, mut s: TcpStream| async move {
            raw::stall(
                &mut s,
                &raw::head(200, &[("Content-Length", "100")]),
                Duration::from_secs(20),
            )
            .await;
        })
        .await;
        let http = reqwest_client(Duration::from_millis(300));
        let creds =
            ClientCredentials::new(format!("{}/oauth/token", stalled.uri()), "id", "secret")
                .http_client(http);
        let c = builder::<ZoomPhoneClient>(&api.uri(), &Tune::default())
            .credentials(creds)
            .build()
            .expect("client");
        let started = Instant::now();
        let err = list_zoom(c).await.expect_err("stalled");
        assert_eq!(err.kind(), &ErrorKind::Timeout, "{err:?}");
        assert!(err.is_retryable());
        assert_eq!(err.attempts(), 3, "{err:?}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        let text = err.to_string();
        assert!(text.contains("token endpoint:"), "{text}");
        assert!(
            api.requests().is_empty(),
            "the API is never called without a token"
        );
    })
    .await;
}

/// A `reqwest` client with this read timeout, as a caller might supply.
fn reqwest_client(read: Duration) -> telnums_core::reqwest::Client {
    telnums_core::reqwest::Client::builder()
        .read_timeout(read)
        .build()
        .expect("client")
}

/// A body exactly at the limit is accepted, declared (`Content-Length`) or chunked; one
/// byte more is refused either way.
#[tokio::test]
async fn a_body_exactly_at_the_limit_is_accepted() {
    bounded(Duration::from_secs(30), async {
        let page = serde_json::to_vec(&zoom_page(&["z1"], "")).expect("json");
        let limit = page.len() as u64;
        let page = Arc::new(page);
        let p = page.clone();
        let server = RawServer::start(move |r: RawRequest, mut s: TcpStream| {
            let p = p.clone();
            async move {
                let mut body = p.to_vec();
                if r.target.contains("longer") {
                    body.push(b' ');
                }
                if r.target.contains("chunked") {
                    let mut h = raw::head(
                        200,
                        &[
                            ("Content-Type", "application/json"),
                            ("Transfer-Encoding", "chunked"),
                        ],
                    );
                    for piece in body.chunks(7) {
                        h.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                        h.extend_from_slice(piece);
                        h.extend_from_slice(b"\r\n");
                    }
                    h.extend_from_slice(b"0\r\n\r\n");
                    use tokio::io::AsyncWriteExt;
                    let _ = s.write_all(&h).await;
                } else {
                    raw::respond(&mut s, 200, &[("Content-Type", "application/json")], &body).await;
                }
            }
        })
        .await;
        let t = Tune {
            limit,
            retry: RetryPolicy::never(),
            ..Tune::default()
        };
        for way in ["declared", "chunked"] {
            let c = client::<ZoomPhoneClient>(&format!("{}/{way}", server.uri()), &t);
            assert_eq!(list_zoom(c).await.expect(way), ["z1"], "{way}");
            let c = client::<ZoomPhoneClient>(&format!("{}/{way}/longer", server.uri()), &t);
            let err = list_zoom(c).await.expect_err("one byte over");
            assert_eq!(
                err.kind(),
                &ErrorKind::BodyTooLarge { limit },
                "{way}: {err:?}"
            );
        }
    })
    .await;
}

/// An error page whose text comes after a long run of markup and blank space (more
/// than the 200 characters kept): the message is still that text, on the runtime's
/// path (Zoom's undocumented 502) and the generated code's (Webex documents 502).
#[tokio::test]
async fn error_page_text_after_long_markup() {
    bounded(Duration::from_secs(30), async {
        let page = Arc::new(format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>{}</style></head>{}\
             <body><p>Upstream maintenance</p></body></html>",
            "\n".repeat(300),
            "<div>\n</div>".repeat(60)
        ));
        let server = RawServer::start(move |_, mut s: TcpStream| {
            let page = page.clone();
            async move {
                raw::respond(
                    &mut s,
                    502,
                    &[("Content-Type", "text/html")],
                    page.as_bytes(),
                )
                .await;
            }
        })
        .await;
        let t = Tune {
            retry: RetryPolicy::never(),
            ..Tune::default()
        };
        for p in [Prov::Zoom, Prov::Webex] {
            let err = list(p, &server.uri(), &t).await.expect_err("502");
            assert_eq!(
                err.message(),
                Some("Upstream maintenance"),
                "{p:?}: {err:?}"
            );
        }
    })
    .await;
}
