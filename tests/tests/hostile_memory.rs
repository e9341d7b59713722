//! Memory stays near the body limit whatever a server sends. Its own test binary (one
//! test, cases in sequence) so that nothing else in the process moves the resident set
//! size while a case is measured: peak RSS (`VmHWM`, reset before each case) minus the
//! RSS before it must stay under twice the limit.
//!
//! The servers are "endless" to the client but stop after 256 MiB, so that a client
//! without the limit fails this test (its growth passes 16 MiB) rather than the machine.

use std::future::Future;
use std::time::Duration;

use futures::TryStreamExt;
use serde_json::json;
use telnums_apple_business::AppleBusinessClient;
use telnums_core::{
    ClientBuilder, ClientCredentials, Error, ErrorKind, ProviderClient, RetryPolicy,
};
use telnums_tests::raw::{self, RawRequest, RawServer};
use telnums_zoom_phone::ZoomPhoneClient;
use tokio::net::TcpStream;

const LIMIT: u64 = 8 << 20;
const SERVER_CAP: u64 = 256 << 20;
/// Decoded size of the gzip bomb: eight times the limit, about 64 KiB on the wire.
const BOMB_MIB: usize = 64;
const ORG: &str = "o1";
const BRAND: &str = "b1";

fn builder<P: ProviderClient>(base: &str) -> ClientBuilder<P> {
    ClientBuilder::<P>::new()
        .base_url(base)
        .max_body_bytes(LIMIT)
        .retry(RetryPolicy::never())
}

async fn zoom(c: ZoomPhoneClient) -> Result<usize, Error> {
    let items: Vec<_> = c.list_phone_numbers().items().try_collect().await?;
    Ok(items.len())
}

async fn apple(c: AppleBusinessClient) -> Result<usize, Error> {
    let items: Vec<_> = c.list_caller_ids(ORG, BRAND).items().try_collect().await?;
    Ok(items.len())
}

/// Runs `case`, returning its result and the peak RSS growth while it ran.
async fn measured<T>(case: impl Future<Output = T>) -> (T, u64) {
    raw::reset_peak_rss();
    let (before, _) = raw::rss();
    let out = tokio::time::timeout(Duration::from_secs(60), case)
        .await
        .expect("case finished within 60 s");
    let (_, peak) = raw::rss();
    (out, peak.saturating_sub(before))
}

fn check(name: &str, result: Result<usize, Error>, growth: u64, limit: u64) {
    println!(
        "{name}: peak RSS growth {:.1} MiB",
        growth as f64 / (1 << 20) as f64
    );
    assert!(
        growth < 2 * LIMIT,
        "{name}: peak RSS grew {growth} bytes, over twice the {LIMIT}-byte limit"
    );
    let err = result.expect_err(name);
    assert!(
        matches!(err.kind(), ErrorKind::BodyTooLarge { limit: l } if *l == limit),
        "{name}: {err:?}"
    );
}

fn endless_page(
    prefix: &'static [u8],
) -> impl Fn(RawRequest, TcpStream) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>
       + Send
       + Sync
       + 'static {
    move |r: RawRequest, mut s: TcpStream| {
        Box::pin(async move {
            let apple_first = r.path().contains("caller-ids") && !r.target.contains("page=2");
            if r.path() == "/warm/phone/numbers" {
                let body = json!({"next_page_token": "", "phone_numbers": [{"id": "w"}]});
                raw::respond_json(&mut s, 200, &[], &body).await;
            } else if apple_first {
                let next = format!("{}?page=2", r.path());
                let body = json!({
                    "data": [{ "orgId": ORG, "brandId": BRAND, "id": "a1", "state": "PUBLISHED",
                               "createdDate": "2026-10-02T11:41:00Z", "updatedDate": "2026-10-11T18:34:00Z",
                               "etag": "5c556a5e-5d47-11ee-863f-325096b39f47",
                               "callerIdDetails": { "phoneNumber": "+18005550100" } }],
                    "pagination": { "next": next },
                    "total": 1
                });
                raw::respond_json(&mut s, 200, &[], &body).await;
            } else if r.path().contains("bomb") {
                let bomb = gzip_bomb(b"{\"phone_numbers\":[", BOMB_MIB);
                let h = [
                    ("Content-Encoding", "gzip"),
                    ("Content-Type", "application/json"),
                ];
                raw::respond(&mut s, 200, &h, &bomb).await;
            } else {
                raw::endless_chunked(
                    &mut s,
                    200,
                    &[],
                    prefix,
                    b"{\"id\":\"0123456789\"},",
                    SERVER_CAP,
                )
                .await;
            }
        })
    }
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

const CASES: &[&str] = &["generated", "gzip-bomb", "next-link", "token"];
const CASE_VAR: &str = "TELNUMS_HOSTILE_MEMORY_CASE";

/// Runs each case in a child process of this test binary (the ignored `one_case` test
/// below), so that no case inherits memory another case freed but the allocator kept:
/// each measures from a fresh process after one warm-up request.
#[test]
fn endless_bodies_keep_memory_near_the_limit() {
    let exe = std::env::current_exe().expect("test binary");
    for case in CASES {
        let out = std::process::Command::new(&exe)
            .args([
                "one_case",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CASE_VAR, case)
            .output()
            .expect("run the case");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stdout.contains("1 passed"),
            "case {case} failed:\n{stdout}\n{stderr}"
        );
        for line in stdout.lines().filter(|l| l.contains("peak RSS growth")) {
            println!("{line}");
        }
    }
}

/// One case, chosen by `TELNUMS_HOSTILE_MEMORY_CASE`; run by the test above.
#[test]
#[ignore = "run by endless_bodies_keep_memory_near_the_limit, one process per case"]
fn one_case() {
    let case = std::env::var(CASE_VAR).expect("which case");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let server = RawServer::start(endless_page(b"{\"phone_numbers\":[")).await;
        let uri = server.uri();

        // Warm up: the connection pool, the runtime's threads, tracing statics.
        let warm = builder::<ZoomPhoneClient>(&format!("{uri}/warm"))
            .bearer_token("t")
            .build()
            .expect("client");
        assert_eq!(zoom(warm).await.expect("warm-up"), 1);

        match case.as_str() {
            "generated" => {
                let c = builder::<ZoomPhoneClient>(&uri)
                    .bearer_token("t")
                    .build()
                    .expect("client");
                let (result, growth) = measured(zoom(c)).await;
                check(
                    "generated operation, endless chunked",
                    result,
                    growth,
                    LIMIT,
                );
            }
            "gzip-bomb" => {
                let c = builder::<ZoomPhoneClient>(&format!("{uri}/bomb"))
                    .bearer_token("t")
                    .build()
                    .expect("client");
                let (result, growth) = measured(zoom(c)).await;
                check("generated operation, gzip bomb", result, growth, LIMIT);
            }
            "next-link" => {
                let c = builder::<AppleBusinessClient>(&uri)
                    .bearer_token("t")
                    .build()
                    .expect("client");
                let (result, growth) = measured(apple(c)).await;
                check("next-link path, endless chunked", result, growth, LIMIT);
            }
            "token" => {
                let creds = ClientCredentials::new(format!("{uri}/oauth/token"), "id", "secret");
                let c = builder::<ZoomPhoneClient>(&uri)
                    .credentials(creds)
                    .build()
                    .expect("client");
                let (result, growth) = measured(zoom(c)).await;
                let token_limit = match result.as_ref().map_err(|e| e.kind().clone()) {
                    Err(ErrorKind::BodyTooLarge { limit }) => limit,
                    other => panic!("token endpoint: {other:?}"),
                };
                assert!(
                    token_limit < LIMIT,
                    "the token client has its own, smaller limit"
                );
                check(
                    "token endpoint, endless chunked",
                    result,
                    growth,
                    token_limit,
                );
            }
            other => panic!("unknown case {other}"),
        }
    });
}
