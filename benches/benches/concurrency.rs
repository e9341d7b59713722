//! Listing 24 small pages with `.concurrency(4)` against `.concurrency(1)` on a local
//! wiremock server that answers every request after 20 ms (Vonage page/limit, Webex
//! start/max, Fone Dynamics skip/count).

use std::future::Future;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use futures::TryStreamExt;
use telnums_benches::{
    fone_page, fone_path, runtime, start_server, vonage_page, webex_page, FONE_ACCOUNT,
    VONAGE_PATH, WEBEX_PATH,
};
use telnums_fone_dynamics::FoneDynamicsClient;
use telnums_vonage_cc::VonageCcClient;
use telnums_webex_calling::WebexClient;
use tokio::runtime::Runtime;
use wiremock::matchers::path;
use wiremock::{Mock, Request, ResponseTemplate};

const PAGES: u64 = 24;
const SIZE: u64 = 50;
const LATENCY: Duration = Duration::from_millis(20);

fn query(request: &Request, key: &str) -> u64 {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}

/// The page an offset names, as a real server answers it: the page starting there, or
/// the empty page `last` for an offset at or past the end (the one after the short last
/// page, where the offset-paged providers learn that the listing ended).
fn page_at(offset: u64, last: usize) -> usize {
    if offset.is_multiple_of(SIZE) {
        ((offset / SIZE) as usize).min(last)
    } else {
        last
    }
}

/// Items on page `p` (zero-based): full pages, the last one short by one; nothing past
/// the end.
fn items_on(p: u64) -> usize {
    match p {
        p if p + 1 < PAGES => SIZE as usize,
        p if p + 1 == PAGES => SIZE as usize - 1,
        _ => 0,
    }
}

fn respond(body: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_raw(body, "application/json")
        .set_delay(LATENCY)
}

/// Collects a listing (the items are kept, as a caller would) and returns how many.
async fn count<T, E: std::fmt::Debug>(items: impl futures::Stream<Item = Result<T, E>>) -> usize {
    let items: Vec<T> = items.try_collect().await.expect("listing");
    black_box(items).len()
}

/// Checks that `list(n)` sees every item once with 1 and 4 pages in flight, then times
/// both in the criterion group `concurrency_<key>`.
fn group<F, Fut>(c: &mut Criterion, rt: &Runtime, key: &str, expected: usize, list: F)
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = usize>,
{
    const RUNS: [(&str, usize); 2] = [("sequential", 1), ("concurrent_4", 4)];
    // Each listing must see every item once, or the timing means nothing.
    for (name, n) in RUNS {
        assert_eq!(rt.block_on(list(n)), expected, "{key} {name}");
    }
    let mut g = c.benchmark_group(format!("concurrency_{key}"));
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    for (name, n) in RUNS {
        g.bench_function(name, |b| b.to_async(rt).iter(|| list(n)));
    }
    g.finish();
}

fn concurrency(c: &mut Criterion) {
    let rt = runtime();
    let server = rt.block_on(async {
        let server = start_server().await;
        // Bodies are precomputed so the server's cost per request stays small.
        let vonage: Vec<Vec<u8>> = (0..PAGES + 8)
            .map(|p| {
                let n = if p < PAGES { SIZE as usize } else { 0 };
                vonage_page(p * SIZE, n, (p + 1) as u32, PAGES as u32, PAGES * SIZE)
            })
            .collect();
        let webex: Vec<Vec<u8>> = (0..PAGES + 8)
            .map(|p| webex_page(p * SIZE, items_on(p)))
            .collect();
        let fone: Vec<Vec<u8>> = (0..PAGES + 8)
            .map(|p| fone_page(p * SIZE, items_on(p)))
            .collect();
        let last = PAGES as usize + 7;
        Mock::given(path(VONAGE_PATH))
            .respond_with(move |r: &Request| {
                let p = query(r, "page").saturating_sub(1) as usize;
                respond(vonage[p.min(last)].clone())
            })
            .mount(&server)
            .await;
        Mock::given(path(WEBEX_PATH))
            .respond_with(move |r: &Request| {
                let p = page_at(query(r, "start"), last);
                respond(webex[p.min(last)].clone())
            })
            .mount(&server)
            .await;
        Mock::given(path(fone_path()))
            .respond_with(move |r: &Request| {
                let p = page_at(query(r, "Results_Skip"), last);
                respond(fone[p.min(last)].clone())
            })
            .mount(&server)
            .await;
        server
    });
    let base = server.uri();
    let expected = (PAGES * SIZE - 1) as usize;

    let vonage = VonageCcClient::builder()
        .base_url(&base)
        .bearer_token("bench")
        .build()
        .expect("client");
    let webex = WebexClient::builder()
        .base_url(&base)
        .bearer_token("bench")
        .build()
        .expect("client");
    let fone = FoneDynamicsClient::builder()
        .base_url(&base)
        .basic_auth(FONE_ACCOUNT, "bench")
        .build()
        .expect("client");

    let (vonage, webex, fone) = (&vonage, &webex, &fone);
    let all = (PAGES * SIZE) as usize;
    group(c, &rt, "vonage-cc", all, |n| async move {
        let listing = vonage.list_callback_numbers().page_size(SIZE as u32);
        count(listing.concurrency(n).items()).await
    });
    group(c, &rt, "webex-calling", expected, |n| async move {
        let listing = webex.list_numbers().page_size(SIZE as u32);
        count(listing.concurrency(n).items()).await
    });
    group(c, &rt, "fone-dynamics", expected, |n| async move {
        let listing = fone
            .list_account_numbers(FONE_ACCOUNT)
            .page_size(SIZE as u32);
        count(listing.concurrency(n).items()).await
    });
    drop(server);
}

criterion_group!(benches, concurrency);
criterion_main!(benches);
