//! `.concurrency(n)` on the offset-style paginators really has `n` requests in flight,
//! and still yields every item once, in order, when later pages answer first.
//!
//! The evidence is the server's, not a clock's: a gated server holds the requests for
//! pages 1 to `n` until all `n` of them are waiting at once, then answers them last page
//! first, and records the most requests it ever held unanswered. A paginator that sends
//! fewer than `n` at once never gets past page 1 (the time limit fails the test); one
//! that sends more shows a higher peak.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::TryStreamExt;
use serde_json::json;
use telnums_fone_dynamics::FoneDynamicsClient;
use telnums_tests::raw::{self, RawRequest, RawServer};
use telnums_vonage_cc::VonageCcClient;
use telnums_webex_calling::WebexClient;
use tokio::net::TcpStream;

/// Pages in each listing; the last holds `SIZE - 1` items.
const PAGES: usize = 7;
/// Items per page.
const SIZE: usize = 3;

fn ids(p: usize) -> Vec<String> {
    let n = if p + 1 == PAGES { SIZE - 1 } else { SIZE };
    (0..n).map(|i| format!("{p:02}-{i:02}")).collect()
}

fn expected() -> Vec<String> {
    (0..PAGES).flat_map(ids).collect()
}

/// What the gate has seen.
#[derive(Debug, Default)]
struct Seen {
    /// Requests received and not yet answered.
    waiting: usize,
    /// The most `waiting` ever was.
    peak: usize,
    /// Gated pages that have arrived / been answered.
    arrived: BTreeSet<usize>,
    answered: BTreeSet<usize>,
    /// Every page index requested, in arrival order.
    requested: Vec<usize>,
    /// Pages past the window asked for before page 1 was answered: more than `window`
    /// requests outstanding at once.
    early: Vec<usize>,
}

/// Holds pages `1..=window` until all of them are waiting, then releases them from the
/// last to the first; other pages are answered at once.
struct Gate {
    window: usize,
    seen: Mutex<Seen>,
}

impl Gate {
    fn new(window: usize) -> Arc<Self> {
        Arc::new(Self {
            window,
            seen: Mutex::new(Seen::default()),
        })
    }

    fn seen<T>(&self, f: impl FnOnce(&mut Seen) -> T) -> T {
        f(&mut self.seen.lock().expect("lock"))
    }

    /// Waits (polling: the gate only ever waits, so no timing is asserted) until `cond`.
    async fn until(&self, cond: impl Fn(&Seen) -> bool) {
        while !self.seen(|s| cond(s)) {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// Serves page `page` with `respond` once the gate lets it through.
    async fn serve<F: Future<Output = ()>>(&self, page: usize, respond: F) {
        let gated = (1..=self.window).contains(&page);
        self.seen(|s| {
            s.requested.push(page);
            s.waiting += 1;
            s.peak = s.peak.max(s.waiting);
            if gated {
                s.arrived.insert(page);
            }
            if page > self.window && !s.answered.contains(&1) {
                s.early.push(page);
            }
        });
        if gated {
            let window = self.window;
            self.until(|s| s.arrived.len() == window).await;
            // Later pages first: page p waits for page p + 1 of the window.
            self.until(|s| page == window || s.answered.contains(&(page + 1)))
                .await;
        }
        // Counted as answered before the bytes leave, so that the client's next request
        // can never overlap this one in the count.
        self.seen(|s| {
            s.waiting -= 1;
            if gated {
                s.answered.insert(page);
            }
        });
        respond.await;
    }
}

/// Starts a gated server; `page_of` reads the page index from a request, `answer`
/// writes that page.
async fn gated_server<A, Fut>(
    gate: Arc<Gate>,
    page_of: fn(&RawRequest) -> usize,
    answer: A,
) -> RawServer
where
    A: Fn(usize, TcpStream) -> Fut + Send + Sync + Copy + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    RawServer::start(move |r: RawRequest, s: TcpStream| {
        let gate = gate.clone();
        async move {
            let page = page_of(&r);
            gate.serve(page, answer(page, s)).await;
        }
    })
    .await
}

/// The value of query parameter `name` in a request target.
fn query(r: &RawRequest, name: &str) -> usize {
    let q = r.target.split_once('?').map_or("", |(_, q)| q);
    q.split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {}", r.target))
}

/// Runs `list` against a gated server for each of 1 and 4 requests in flight: the items
/// come back complete and in order, and the server saw exactly that many at once.
async fn check<L, LFut>(
    name: &str,
    page_of: fn(&RawRequest) -> usize,
    answer: impl Fn(usize, TcpStream) -> LFut2 + Send + Sync + Copy + 'static,
    list: L,
    requests: impl Fn(usize, &[usize]),
) where
    L: Fn(String, usize) -> LFut,
    LFut: Future<Output = Vec<String>>,
{
    for n in [1usize, 4] {
        let gate = Gate::new(n);
        let server = gated_server(gate.clone(), page_of, answer).await;
        let got = match tokio::time::timeout(Duration::from_secs(20), list(server.uri(), n)).await {
            Ok(got) => got,
            Err(_) => panic!(
                "{name}: concurrency({n}) never had {n} requests in flight at once: {:?}",
                gate.seen(std::mem::take)
            ),
        };
        assert_eq!(
            got,
            expected(),
            "{name}, {n} in flight: every item once, in order"
        );
        let (peak, requested, early) =
            gate.seen(|s| (s.peak, s.requested.clone(), s.early.clone()));
        assert_eq!(peak, n, "{name}: at most {n} in flight: {requested:?}");
        assert_eq!(
            early,
            Vec::<usize>::new(),
            "{name}: asked for pages past the first {n} before page 1 was answered"
        );
        requests(n, &requested);
    }
}

type LFut2 = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;

/// Every page index from 0 to `PAGES - 1` was requested exactly once, plus at most
/// `n - 1` speculative requests past the end.
fn each_page_once_plus_speculation(n: usize, requested: &[usize]) {
    each_page_once_plus(n, requested, 0);
}

/// Every page requested once, the first alone, and past the end at most the `n - 1`
/// pages asked for ahead (at least one) plus `end` requests made to learn the end.
fn each_page_once_plus(n: usize, requested: &[usize], end: usize) {
    let mut sorted = requested.to_vec();
    sorted.sort_unstable();
    let (pages, past): (Vec<usize>, Vec<usize>) = sorted.iter().partition(|p| **p < PAGES);
    assert_eq!(pages, (0..PAGES).collect::<Vec<_>>(), "{requested:?}");
    assert!(past.len() < n.max(2) + end, "{n}: {requested:?}");
    assert_eq!(requested[0], 0, "the first page is asked for first, alone");
}

#[tokio::test(flavor = "multi_thread")]
async fn vonage_has_n_pages_in_flight() {
    check(
        "vonage-cc",
        |r| query(r, "page") - 1,
        |p, mut s| -> LFut2 {
            Box::pin(async move {
                let items = if p < PAGES { ids(p) } else { Vec::new() };
                let body = json!({
                    "meta": { "page": p + 1, "pageCount": PAGES },
                    "callbackNumbers": items.iter().map(|id| json!({ "callbackNumberId": id })).collect::<Vec<_>>()
                });
                raw::respond_json(&mut s, 200, &[], &body).await;
            })
        },
        |base, n| async move {
            VonageCcClient::builder()
                .base_url(base)
                .bearer_token("t")
                .build()
                .expect("client")
                .list_callback_numbers()
                .page_size(SIZE as u32)
                .concurrency(n)
                .items()
                .map_ok(|c| c.callback_number_id.unwrap_or_default())
                .try_collect::<Vec<_>>()
                .await
                .expect("listing")
        },
        |n, requested| {
            // `meta.pageCount` is known from the first page: nothing past it.
            let mut sorted = requested.to_vec();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..PAGES).collect::<Vec<_>>(), "{n}: {requested:?}");
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn webex_has_n_pages_in_flight() {
    check(
        "webex-calling",
        |r| query(r, "start") / SIZE,
        |p, mut s| -> LFut2 {
            Box::pin(async move {
                let items = if p < PAGES { ids(p) } else { Vec::new() };
                let body = json!({ "phoneNumbers": items.iter().map(|id| json!({ "extension": id })).collect::<Vec<_>>() });
                let link = format!(
                    "</v1/telephony/config/numbers?start={}&max={SIZE}>; rel=\"next\"",
                    (p + 1) * SIZE
                );
                let headers: Vec<(&str, &str)> = if p + 1 < PAGES {
                    vec![("Link", link.as_str())]
                } else {
                    Vec::new()
                };
                raw::respond_json(&mut s, 200, &headers, &body).await;
            })
        },
        |base, n| async move {
            WebexClient::builder()
                .base_url(base)
                .bearer_token("t")
                .build()
                .expect("client")
                .list_numbers()
                .page_size(SIZE as u32)
                .concurrency(n)
                .items()
                .map_ok(|c| c.extension.unwrap_or_default())
                .try_collect::<Vec<_>>()
                .await
                .expect("listing")
        },
        each_page_once_plus_speculation,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn fone_has_n_pages_in_flight() {
    check(
        "fone-dynamics",
        // An offset between pages (the one after the short last page) is past the end.
        |r| {
            let skip = query(r, "Results_Skip");
            if skip.is_multiple_of(SIZE) {
                skip / SIZE
            } else {
                usize::MAX
            }
        },
        |p, mut s| -> LFut2 {
            Box::pin(async move {
                let items = if p < PAGES { ids(p) } else { Vec::new() };
                let body = json!({ "Numbers": items.iter().map(|id| json!({ "Number": id })).collect::<Vec<_>>() });
                raw::respond_json(&mut s, 200, &[], &body).await;
            })
        },
        |base, n| async move {
            FoneDynamicsClient::builder()
                .base_url(base)
                .basic_auth("AC1", "t")
                .build()
                .expect("client")
                .list_account_numbers("AC1")
                .page_size(SIZE as u32)
                .concurrency(n)
                .items()
                .map_ok(|c| c.number.unwrap_or_default())
                .try_collect::<Vec<_>>()
                .await
                .expect("listing")
        },
        // The empty page after the short last one is how Fone's listing ends.
        |n, requested| each_page_once_plus(n, requested, 1),
    )
    .await;
}
