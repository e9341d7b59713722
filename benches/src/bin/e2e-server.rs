//! A local provider server for the end-to-end benchmark (`cargo tools bench`): serves a
//! listing of `--total` numbers on 127.0.0.1, with an optional delay per response, until
//! its standard input closes. Prints its base URL as the first line of standard output.
//!
//! ```text
//! e2e-server --provider vonage-cc --total 1000000 [--page-size 5000] [--latency-ms 20]
//! e2e-server --provider zoom-phone --total 1000000 [--latency-ms 20]
//! ```
//!
//! Page bodies are built once at start-up (Vonage: every page; Zoom: a cycle of
//! distinct pages whose `next_page_token` is written per request), so serving costs a
//! copy and little CPU: on a 2-core machine the server must not compete with the
//! listers it serves. Responses are never compressed.

use std::io::Read;
use std::time::Duration;

use telnums_benches::{start_server, vonage_item, zoom_item, VONAGE_PATH, ZOOM_PATH};
use wiremock::matchers::path;
use wiremock::{Mock, Request, Respond, ResponseTemplate};

struct Args {
    provider: String,
    total: u64,
    page_size: u64,
    latency: Duration,
}

fn args() -> Args {
    let mut args = Args {
        provider: "vonage-cc".to_owned(),
        total: 1_000_000,
        page_size: 0,
        latency: Duration::ZERO,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| usage(&format!("{flag} needs a value")))
        };
        match flag.as_str() {
            "--provider" => args.provider = value(),
            "--total" => args.total = value().parse().unwrap_or_else(|_| usage("--total")),
            "--page-size" => {
                args.page_size = value().parse().unwrap_or_else(|_| usage("--page-size"))
            }
            "--latency-ms" => {
                args.latency =
                    Duration::from_millis(value().parse().unwrap_or_else(|_| usage("--latency-ms")))
            }
            other => usage(&format!("unknown argument {other}")),
        }
    }
    if args.page_size == 0 {
        args.page_size = match args.provider.as_str() {
            "zoom-phone" => 100,
            _ => 5000,
        };
    }
    args
}

fn usage(problem: &str) -> ! {
    eprintln!("e2e-server: {problem}");
    eprintln!("usage: e2e-server --provider vonage-cc|zoom-phone [--total N] [--page-size N] [--latency-ms MS]");
    std::process::exit(2);
}

/// Vonage: every page body, built once; `page` and `limit` pick one.
struct Vonage {
    pages: Vec<Vec<u8>>,
    page_size: u64,
    latency: Duration,
}

impl Vonage {
    fn new(total: u64, page_size: u64, latency: Duration) -> Self {
        let count = total.div_ceil(page_size);
        let pages = (0..count)
            .map(|p| {
                let start = p * page_size;
                let end = (start + page_size).min(total);
                let items: Vec<serde_json::Value> = (start..end).map(vonage_item).collect();
                serde_json::to_vec(&serde_json::json!({
                    "meta": { "page": p + 1, "count": end - start, "pageCount": count, "totalCount": total },
                    "callbackNumbers": items,
                }))
                .expect("page serialises")
            })
            .collect();
        Self {
            pages,
            page_size,
            latency,
        }
    }
}

impl Respond for Vonage {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<u64>().ok())
        };
        if query("limit") != Some(self.page_size) {
            return ResponseTemplate::new(400).set_body_string("limit must match --page-size");
        }
        let page = query("page").unwrap_or(1);
        let body = match page.checked_sub(1).and_then(|i| self.pages.get(i as usize)) {
            Some(body) => body.clone(),
            None => format!(
                "{{\"meta\":{{\"page\":{page},\"count\":0,\"pageCount\":{}}},\"callbackNumbers\":[]}}",
                self.pages.len()
            )
            .into_bytes(),
        };
        ResponseTemplate::new(200)
            .set_body_raw(body, "application/json")
            .set_delay(self.latency)
    }
}

/// Zoom: a cycle of distinct pages of items; the token `p<N>` names page N.
struct Zoom {
    cycle: Vec<Vec<u8>>,
    pages: u64,
    page_size: u64,
    latency: Duration,
}

const ZOOM_CYCLE: u64 = 64;

impl Zoom {
    fn new(total: u64, page_size: u64, latency: Duration) -> Self {
        let cycle = (0..ZOOM_CYCLE)
            .map(|p| {
                let items: Vec<serde_json::Value> = (p * page_size..(p + 1) * page_size)
                    .map(zoom_item)
                    .collect();
                serde_json::to_vec(&items).expect("items serialise")
            })
            .collect();
        Self {
            cycle,
            pages: total.div_ceil(page_size),
            page_size,
            latency,
        }
    }
}

impl Respond for Zoom {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let param = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        if param("page_size").and_then(|v| v.parse::<u64>().ok()) != Some(self.page_size) {
            return ResponseTemplate::new(400).set_body_string("page_size must match");
        }
        let page = match param("next_page_token") {
            None => 0,
            Some(t) => match t.strip_prefix('p').and_then(|n| n.parse::<u64>().ok()) {
                Some(n) if n < self.pages => n,
                _ => return ResponseTemplate::new(400).set_body_string("bad token"),
            },
        };
        let next = if page + 1 < self.pages {
            format!("p{}", page + 1)
        } else {
            String::new()
        };
        let items = &self.cycle[(page % ZOOM_CYCLE) as usize];
        let mut body = Vec::with_capacity(items.len() + 128);
        body.extend_from_slice(
            format!(
                "{{\"next_page_token\":\"{next}\",\"page_size\":{},\"total_records\":{},\"phone_numbers\":",
                self.page_size,
                self.pages * self.page_size
            )
            .as_bytes(),
        );
        body.extend_from_slice(items);
        body.push(b'}');
        ResponseTemplate::new(200)
            .set_body_raw(body, "application/json")
            .set_delay(self.latency)
    }
}

fn main() {
    let args = args();
    let rt = telnums_benches::runtime();
    let server = rt.block_on(async {
        let server = start_server().await;
        match args.provider.as_str() {
            "vonage-cc" => {
                let pages = Vonage::new(args.total, args.page_size, args.latency);
                Mock::given(path(VONAGE_PATH))
                    .respond_with(pages)
                    .mount(&server)
                    .await
            }
            "zoom-phone" => {
                let pages = Zoom::new(args.total, args.page_size, args.latency);
                Mock::given(path(ZOOM_PATH))
                    .respond_with(pages)
                    .mount(&server)
                    .await
            }
            other => usage(&format!("unsupported provider {other}")),
        }
        server
    });
    println!("{}", server.uri());
    // Serve until the parent closes our stdin (or exits).
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    drop(server);
}
