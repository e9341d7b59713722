//! Per-request overhead: one page through each provider client against a plain
//! `reqwest::Client` GET of the same URL and body (read and decoded into the baseline
//! type), both served by the same local wiremock server on 127.0.0.1.
//!
//! Loopback round trips on a small shared machine drift by tens of percent from one
//! second to the next, more than the few microseconds being measured. So the criterion
//! functions interleave the two sides (every iteration makes one client call and one
//! raw call, and each function times only its own half), and after them a paired run
//! makes the client, raw and default-client calls in rotating order, 3,000 rounds in
//! the same time window, and writes their means to
//! `target/telnums-bench/overhead_paired.json`: the ratio from that run is the one
//! `cargo tools bench` judges. `client` is built with `.http_client(…)` around the very
//! `reqwest::Client` the raw side uses (same connection pool, no timeouts), so it
//! measures the telnums layer alone; `client_default` is the client as
//! `builder().build()` makes it (its own reqwest with connect and request timeouts),
//! for reference.

use std::future::Future;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use telnums_apple_business::AppleBusinessClient;
use telnums_benches::{
    apple_page, apple_path, baseline, fone_page, fone_path, runtime, start_server, vonage_page,
    webex_page, zoom_page, APPLE_BRAND, APPLE_ORG, FONE_ACCOUNT, VONAGE_PATH, WEBEX_PATH,
    ZOOM_PATH,
};
use telnums_fone_dynamics::FoneDynamicsClient;
use telnums_vonage_cc::VonageCcClient;
use telnums_webex_calling::WebexClient;
use telnums_zoom_phone::ZoomPhoneClient;
use tokio::runtime::Runtime;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Items on each page: a small body, so that the request path dominates.
const ITEMS: usize = 5;

async fn mount(server: &MockServer, at: &str, body: Vec<u8>) {
    Mock::given(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(server)
        .await;
}

async fn raw<T: DeserializeOwned>(http: &reqwest::Client, url: &str) -> T {
    let response = http.get(url).send().await.expect("raw GET");
    assert!(response.status().is_success());
    let body = response.bytes().await.expect("raw body");
    serde_json::from_slice(&body).expect("raw decode")
}

/// Runs `iters` rounds of one `timed` call then one `other` call; returns the time
/// spent in the `timed` calls only.
async fn interleaved<T, O, TF, OF>(iters: u64, timed: &T, other: &O) -> Duration
where
    T: Fn() -> TF,
    TF: Future<Output = ()>,
    O: Fn() -> OF,
    OF: Future<Output = ()>,
{
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let started = Instant::now();
        timed().await;
        total += started.elapsed();
        other().await;
    }
    total
}

async fn time<F, Fut>(f: &F) -> f64
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    let started = Instant::now();
    f().await;
    started.elapsed().as_nanos() as f64
}

/// Rounds of the paired measurement after [`WARM_UP_ROUNDS`].
const PAIRED_ROUNDS: u32 = 3000;
const WARM_UP_ROUNDS: u32 = 200;

/// The three calls measured in the same time window: every round makes one call of
/// each, in an order that rotates from round to round. Returns the mean of each, in
/// nanoseconds: `(client, raw, client_default)`.
async fn paired<S, SF, D, DF, R, RF>(shared: &S, default: &D, raw: &R) -> (f64, f64, f64)
where
    S: Fn() -> SF,
    SF: Future<Output = ()>,
    D: Fn() -> DF,
    DF: Future<Output = ()>,
    R: Fn() -> RF,
    RF: Future<Output = ()>,
{
    let (mut s, mut d, mut r) = (0.0, 0.0, 0.0);
    for round in 0..WARM_UP_ROUNDS + PAIRED_ROUNDS {
        let (ts, td, tr) = match round % 3 {
            0 => {
                let ts = time(shared).await;
                let tr = time(raw).await;
                (ts, time(default).await, tr)
            }
            1 => {
                let tr = time(raw).await;
                let td = time(default).await;
                (time(shared).await, td, tr)
            }
            _ => {
                let td = time(default).await;
                let ts = time(shared).await;
                (ts, td, time(raw).await)
            }
        };
        if round >= WARM_UP_ROUNDS {
            s += ts;
            d += td;
            r += tr;
        }
    }
    let n = f64::from(PAIRED_ROUNDS);
    (s / n, r / n, d / n)
}

/// One criterion group (`client` on the shared reqwest, `raw_reqwest`,
/// `client_default`), then the paired measurement of the same three calls; returns the
/// latter as JSON.
fn group<S, SF, D, DF, R, RF>(
    c: &mut Criterion,
    rt: &Runtime,
    name: &str,
    shared: S,
    default: D,
    raw: R,
) -> Value
where
    S: Fn() -> SF,
    SF: Future<Output = ()>,
    D: Fn() -> DF,
    DF: Future<Output = ()>,
    R: Fn() -> RF,
    RF: Future<Output = ()>,
{
    let (shared, default, raw) = (&shared, &default, &raw);
    let mut g = c.benchmark_group(name);
    g.bench_function("client", |b| {
        b.to_async(rt)
            .iter_custom(|iters| async move { interleaved(iters, shared, raw).await })
    });
    g.bench_function("raw_reqwest", |b| {
        b.to_async(rt)
            .iter_custom(|iters| async move { interleaved(iters, raw, shared).await })
    });
    g.bench_function("client_default", |b| {
        b.to_async(rt)
            .iter_custom(|iters| async move { interleaved(iters, default, raw).await })
    });
    g.finish();
    if std::env::args().any(|a| a == "--list") {
        return Value::Null;
    }
    let (client, raw_ns, default_ns) = rt.block_on(paired(shared, default, raw));
    json!({
        "rounds": PAIRED_ROUNDS,
        "client_ns": client,
        "raw_ns": raw_ns,
        "client_default_ns": default_ns,
        "ratio": client / raw_ns,
        "default_ratio": default_ns / raw_ns,
    })
}

fn overhead(c: &mut Criterion) {
    let rt = runtime();
    let server = rt.block_on(async {
        let server = start_server().await;
        let vonage = vonage_page(0, ITEMS, 1, 1, ITEMS as u64);
        mount(&server, VONAGE_PATH, vonage).await;
        mount(&server, WEBEX_PATH, webex_page(0, ITEMS)).await;
        mount(&server, &fone_path(), fone_page(0, ITEMS)).await;
        mount(&server, &apple_path(), apple_page(0, ITEMS)).await;
        mount(&server, ZOOM_PATH, zoom_page(0, ITEMS)).await;
        server
    });
    let base = server.uri();
    let http = reqwest::Client::new();
    let mut paired = json!({});
    // Each builder chain is spelled out: a helper closure called twice with the same
    // `X::builder()` temporary is miscompiled into a double free by rustc 1.95's MIR GVN
    // (rust-lang/rust#158830, fixed in 1.97).

    let shared = VonageCcClient::builder()
        .base_url(&base)
        .bearer_token("bench")
        .http_client(http.clone())
        .build()
        .expect("client");
    let default = VonageCcClient::builder()
        .base_url(&base)
        .bearer_token("bench")
        .build()
        .expect("client");
    let url = format!("{base}{VONAGE_PATH}?limit=5000&page=1");
    paired["vonage-cc"] = group(
        c,
        &rt,
        "overhead_vonage-cc",
        || async {
            black_box(shared.list_callback_numbers().page(1).await.expect("page"));
        },
        || async {
            black_box(default.list_callback_numbers().page(1).await.expect("page"));
        },
        || async {
            black_box(raw::<baseline::vonage::List>(&http, &url).await);
        },
    );

    let shared = WebexClient::builder()
        .base_url(&base)
        .bearer_token("bench")
        .http_client(http.clone())
        .build()
        .expect("client");
    let default = WebexClient::builder()
        .base_url(&base)
        .bearer_token("bench")
        .build()
        .expect("client");
    let url = format!("{base}{WEBEX_PATH}?max=2000&start=0");
    paired["webex-calling"] = group(
        c,
        &rt,
        "overhead_webex-calling",
        || async {
            black_box(shared.list_numbers().page(0.into()).await.expect("page"));
        },
        || async {
            black_box(default.list_numbers().page(0.into()).await.expect("page"));
        },
        || async {
            black_box(raw::<baseline::webex::List>(&http, &url).await);
        },
    );

    let shared = FoneDynamicsClient::builder()
        .base_url(&base)
        .basic_auth(FONE_ACCOUNT, "bench")
        .http_client(http.clone())
        .build()
        .expect("client");
    let default = FoneDynamicsClient::builder()
        .base_url(&base)
        .basic_auth(FONE_ACCOUNT, "bench")
        .build()
        .expect("client");
    let url = format!("{base}{}?Results_Count=200&Results_Skip=0", fone_path());
    paired["fone-dynamics"] = group(
        c,
        &rt,
        "overhead_fone-dynamics",
        || async {
            let page = shared.list_account_numbers(FONE_ACCOUNT).page(0).await;
            black_box(page.expect("page"));
        },
        || async {
            let page = default.list_account_numbers(FONE_ACCOUNT).page(0).await;
            black_box(page.expect("page"));
        },
        || async {
            black_box(raw::<baseline::fone::Envelope>(&http, &url).await);
        },
    );

    let shared = AppleBusinessClient::builder()
        .base_url(format!("{base}/api/v1"))
        .bearer_token("bench")
        .http_client(http.clone())
        .build()
        .expect("client");
    let default = AppleBusinessClient::builder()
        .base_url(format!("{base}/api/v1"))
        .bearer_token("bench")
        .build()
        .expect("client");
    let url = format!("{base}{}", apple_path());
    paired["apple-business"] = group(
        c,
        &rt,
        "overhead_apple-business",
        || async {
            let page = shared
                .list_caller_ids(APPLE_ORG, APPLE_BRAND)
                .first_page()
                .await;
            black_box(page.expect("page"));
        },
        || async {
            let page = default
                .list_caller_ids(APPLE_ORG, APPLE_BRAND)
                .first_page()
                .await;
            black_box(page.expect("page"));
        },
        || async {
            black_box(raw::<baseline::apple::List>(&http, &url).await);
        },
    );

    let shared = ZoomPhoneClient::builder()
        .base_url(&base)
        .bearer_token("bench")
        .http_client(http.clone())
        .build()
        .expect("client");
    let default = ZoomPhoneClient::builder()
        .base_url(&base)
        .bearer_token("bench")
        .build()
        .expect("client");
    let url = format!("{base}{ZOOM_PATH}?page_size=100");
    paired["zoom-phone"] = group(
        c,
        &rt,
        "overhead_zoom-phone",
        || async {
            black_box(shared.list_phone_numbers().page(None).await.expect("page"));
        },
        || async {
            black_box(default.list_phone_numbers().page(None).await.expect("page"));
        },
        || async {
            black_box(raw::<baseline::zoom::List>(&http, &url).await);
        },
    );
    drop(server);
    if !paired
        .as_object()
        .is_some_and(|m| m.values().all(Value::is_null))
    {
        telnums_benches::write_result("overhead_paired.json", &paired);
    }
}

criterion_group!(benches, overhead);
criterion_main!(benches);
