//! Listings are complete whatever the server's page sizes and whatever the concurrency.
//!
//! Each offset-paged provider (Vonage CC, Webex Calling, Fone Dynamics) is listed from a
//! local server that pages the way real list endpoints often do: it caps the page size
//! below what was asked and shrinks some pages, so its pages (and Webex's next links)
//! start elsewhere than a client counting in the size it asked for would compute; with
//! links, an offset the server never named answers entries no listing may show. The
//! expected result is every entry the server holds, in order, once each, at 1, 2, 4 and
//! 8 requests in flight. The named tests are three such servers: a Webex server capping
//! `max`, a short first Webex page with a next link, and a Fone server answering 50 per
//! request.

use std::sync::Arc;

use futures::TryStreamExt;
use proptest::prelude::*;
use serde_json::{json, Value};
use telnums::{list, Query, Source};
use telnums_fone_dynamics::FoneDynamicsClient;
use telnums_vonage_cc::VonageCcClient;
use telnums_webex_calling::WebexClient;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ACCOUNT: &str = "AC0000000000000000000000000000000A";

/// How a server pages: `entries` in all; a page holds at most `cap` entries whatever is
/// asked, less where `shrink` says (page `i` of the listing holds at most
/// `shrink[i % len]` entries, 0 meaning an empty page where the provider allows one).
#[derive(Clone, Debug)]
struct Server {
    entries: usize,
    cap: usize,
    shrink: Vec<usize>,
    /// Webex: send `Link` headers (else the client pages by offset).
    links: bool,
}

impl Server {
    /// How many entries the server's page `index`, starting at offset `at`, holds when
    /// `asked` were asked for: never 0 before the end (an empty page is the end).
    fn len(&self, index: usize, at: usize, asked: usize) -> usize {
        let left = self.entries.saturating_sub(at);
        if left == 0 {
            return 0;
        }
        let limit = match self.shrink.len() {
            0 => usize::MAX,
            n => self.shrink[index % n],
        };
        asked.min(self.cap).min(limit).clamp(1, left)
    }

    /// The pages a correct client reads, walking the server one page at a time: their
    /// offsets and lengths. With links the last page is the last entry's; without, the
    /// empty page after it.
    fn chain(&self, asked: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            let len = self.len(out.len(), at, asked);
            out.push((at, len));
            at += len;
            if len == 0 || (self.links && at >= self.entries) {
                return out;
            }
        }
    }

    /// The entries of the page at offset `at` (a page of the chain, or any other offset
    /// for a server that pages by offset).
    fn page(&self, chain: &[(usize, usize)], at: usize, asked: usize) -> std::ops::Range<usize> {
        let index = chain
            .iter()
            .position(|(start, _)| *start == at)
            .unwrap_or(0);
        at..at + self.len(index, at, asked)
    }
}

fn id(i: usize) -> String {
    format!("+6125550{i:04}")
}

fn expected(server: &Server) -> Vec<String> {
    (0..server.entries).map(id).collect()
}

fn query(request: &Request, name: &str) -> Option<usize> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
}

async fn fone_server(server: Server, asked: usize) -> MockServer {
    let mock = MockServer::start().await;
    let chain = Arc::new(server.chain(asked));
    Mock::given(wiremock::matchers::path(format!(
        "/v2/Accounts/{ACCOUNT}/Numbers"
    )))
    .respond_with(move |r: &Request| {
        let skip = query(r, "Results_Skip").unwrap_or(0);
        let count = query(r, "Results_Count").unwrap_or(200);
        let numbers: Vec<Value> = server
            .page(&chain, skip, count)
            .map(|i| json!({ "Number": id(i) }))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "Numbers": numbers }))
    })
    .mount(&mock)
    .await;
    mock
}

async fn webex_server(server: Server, asked: usize) -> MockServer {
    let mock = MockServer::start().await;
    let chain = Arc::new(server.chain(asked));
    let uri = mock.uri();
    Mock::given(wiremock::matchers::path("/v1/telephony/config/numbers"))
        .respond_with(move |r: &Request| {
            let start = query(r, "start").unwrap_or(0);
            let max = query(r, "max").unwrap_or(2000);
            let numbers = |entries: std::ops::Range<usize>| -> Value {
                let entries: Vec<Value> = entries
                    .map(|i| json!({ "phoneNumber": id(i), "extension": i.to_string() }))
                    .collect();
                json!({ "phoneNumbers": entries })
            };
            if !server.links {
                return ResponseTemplate::new(200)
                    .set_body_json(numbers(server.page(&chain, start, max)));
            }
            // With links, only the offsets the chain names are pages; the next link says
            // where the next one starts.
            if start >= server.entries {
                return ResponseTemplate::new(200).set_body_json(numbers(0..0));
            }
            let Some(index) = chain.iter().position(|(s, _)| *s == start) else {
                // An offset the server never named: an entry no listing may show.
                return ResponseTemplate::new(200).set_body_json(json!({ "phoneNumbers": [
                    { "phoneNumber": "+19999999999", "extension": "guessed" }
                ]}));
            };
            let (first, len) = chain[index];
            let mut response =
                ResponseTemplate::new(200).set_body_json(numbers(first..first + len));
            if let Some((next, _)) = chain.get(index + 1) {
                response = response.insert_header(
                    "Link",
                    format!(
                        "<{uri}/v1/telephony/config/numbers?start={next}&max={max}>; rel=\"next\""
                    )
                    .as_str(),
                );
            }
            response
        })
        .mount(&mock)
        .await;
    mock
}

async fn vonage_server(server: Server, with_page_count: bool) -> MockServer {
    let mock = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/useradmin/callbackNumbers"))
        .respond_with(move |r: &Request| {
            // Pages numbered in the server's own page size: its cap.
            let page = query(r, "page").unwrap_or(1).max(1);
            let size = server.cap;
            let first = (page - 1) * size;
            let len = size.min(server.entries.saturating_sub(first));
            let numbers: Vec<Value> = (first..first + len)
                .map(|i| json!({ "callbackNumberId": id(i), "callbackNumberClid": id(i) }))
                .collect();
            let mut meta = json!({ "page": page, "count": len, "totalCount": server.entries });
            if with_page_count {
                meta["pageCount"] = json!(server.entries.div_ceil(size));
            }
            ResponseTemplate::new(200)
                .set_body_json(json!({ "meta": meta, "callbackNumbers": numbers }))
        })
        .mount(&mock)
        .await;
    mock
}

fn fone(mock: &MockServer) -> Source {
    Source::FoneDynamics {
        client: FoneDynamicsClient::builder()
            .base_url(mock.uri())
            .basic_auth(ACCOUNT, "paging-test-token")
            .build()
            .expect("client"),
        scope: telnums_fone_dynamics::Scope::Account(ACCOUNT.to_owned()),
    }
}

fn webex(mock: &MockServer) -> Source {
    Source::webex_calling(
        WebexClient::builder()
            .base_url(mock.uri())
            .bearer_token("paging-test-token")
            .build()
            .expect("client"),
        None,
    )
}

fn vonage(mock: &MockServer) -> Source {
    Source::VonageCc(
        VonageCcClient::builder()
            .base_url(mock.uri())
            .bearer_token("paging-test-token")
            .build()
            .expect("client"),
    )
}

/// The numbers `source` lists with `query`, within 30 s.
async fn numbers(source: Source, query: &Query) -> Result<Vec<String>, telnums::Error> {
    let listing = list(source, query)
        .map_ok(|n| n.number.or(n.number_raw).unwrap_or_default())
        .try_collect::<Vec<_>>();
    tokio::time::timeout(std::time::Duration::from_secs(30), listing)
        .await
        .expect("the listing ends within 30 s")
}

/// Lists `source` at every concurrency and checks the result is `want` each time.
async fn complete_at_every_concurrency(
    name: &str,
    source: impl Fn() -> Source,
    page_size: u32,
    want: &[String],
) {
    for concurrency in [1, 2, 4, 8] {
        let query = Query::default()
            .page_size(page_size)
            .concurrency(concurrency);
        let got = numbers(source(), &query).await.expect("listing");
        assert_eq!(got.len(), want.len(), "{name}, {concurrency} in flight");
        assert_eq!(got, want, "{name}, {concurrency} in flight");
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// A Webex server that answers at most 1,000 entries whatever `max` asks, with a next
/// link on each page: all 5,000, at the default concurrency and one at a time.
#[tokio::test(flavor = "multi_thread")]
async fn webex_capping_max_lists_every_number() {
    let server = Server {
        entries: 5000,
        cap: 1000,
        shrink: Vec::new(),
        links: true,
    };
    let mock = webex_server(server.clone(), 2000).await;
    for query in [Query::default(), Query::default().concurrency(1)] {
        let got = numbers(webex(&mock), &query).await.expect("listing");
        assert_eq!(got, expected(&server), "{query:?}");
    }
}

/// A 9-entry first page with a link to `start=9`, then an 8-entry last page: all 17.
#[tokio::test(flavor = "multi_thread")]
async fn webex_short_first_page_with_a_next_link() {
    let server = Server {
        entries: 17,
        cap: 9,
        shrink: Vec::new(),
        links: true,
    };
    let mock = webex_server(server.clone(), 2000).await;
    let got = numbers(webex(&mock), &Query::default())
        .await
        .expect("listing");
    assert_eq!(got, expected(&server));
    complete_at_every_concurrency("webex 9 + 8", || webex(&mock), 2000, &expected(&server)).await;
}

/// A Fone Dynamics server that answers 50 numbers per request (below the documented
/// 200): all 620, at every concurrency.
#[tokio::test(flavor = "multi_thread")]
async fn fone_answering_fifty_per_request_lists_every_number() {
    let server = Server {
        entries: 620,
        cap: 50,
        shrink: Vec::new(),
        links: false,
    };
    let mock = fone_server(server.clone(), 200).await;
    complete_at_every_concurrency("fone 50 of 620", || fone(&mock), 200, &expected(&server)).await;
}

fn servers() -> impl Strategy<Value = (Server, u32)> {
    (
        0usize..80,
        1usize..15,
        proptest::collection::vec(0usize..15, 0..6),
        any::<bool>(),
        1u32..20,
    )
        .prop_map(|(entries, cap, shrink, links, asked)| {
            (
                Server {
                    entries,
                    cap,
                    shrink,
                    links,
                },
                asked,
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn fone_lists_every_number_at_every_concurrency((server, asked) in servers()) {
        runtime().block_on(async {
            let mock = fone_server(server.clone(), asked as usize).await;
            complete_at_every_concurrency("fone", || fone(&mock), asked, &expected(&server)).await;
        });
    }

    #[test]
    fn webex_lists_every_number_at_every_concurrency((server, asked) in servers()) {
        runtime().block_on(async {
            let mock = webex_server(server.clone(), asked as usize).await;
            complete_at_every_concurrency("webex", || webex(&mock), asked, &expected(&server)).await;
        });
    }

    #[test]
    fn vonage_lists_every_number_at_every_concurrency(
        (server, asked) in servers(),
        with_page_count in any::<bool>(),
    ) {
        runtime().block_on(async {
            let mock = vonage_server(server.clone(), with_page_count).await;
            complete_at_every_concurrency("vonage", || vonage(&mock), asked, &expected(&server)).await;
        });
    }
}
