//! Lists 1,000,000 callback numbers through `VonageCcClient::list_callback_numbers()
//! .items()` (200 pages of 5,000) from a local wiremock server that builds each page on
//! the fly, and reports items per second and peak RSS growth.
//!
//! Not a criterion benchmark: it runs once. The result is printed as one JSON line and
//! written to `target/telnums-bench/stream_million.json`. The server runs in the same
//! process (on its own thread), so the RSS figures include its buffers too.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use futures::TryStreamExt;
use telnums_benches::{proc_status_kib, reset_peak_rss, runtime, start_server, VONAGE_PATH};
use telnums_vonage_cc::VonageCcClient;
use wiremock::matchers::path;
use wiremock::{Mock, Request, Respond, ResponseTemplate};

const TOTAL: u64 = 1_000_000;
const PAGE: u64 = 5_000;
const PAGES: u64 = TOTAL / PAGE;
/// Digits of the item number written into each id, name and CLID.
const WIDTH: usize = 7;

/// One page of items as bytes, with the positions where each item's number goes; a
/// response copies it and writes the numbers of the requested page in place.
struct PageTemplate {
    items: Vec<u8>,
    slots: Vec<usize>,
    served: AtomicU64,
}

impl PageTemplate {
    fn new() -> Self {
        let mut items = Vec::new();
        let mut slots = Vec::new();
        let digits = "0".repeat(WIDTH);
        for i in 0..PAGE {
            if i > 0 {
                items.push(b',');
            }
            let kind = ["Sales", "Support", "Billing", "Callback"][(i % 4) as usize];
            let mut push = |s: &str| items.extend_from_slice(s.as_bytes());
            push("{\"callbackNumberId\":\"4e29556d-6f8c-934a-abbf-00000");
            slots.push(items.len());
            items.extend_from_slice(digits.as_bytes());
            let mut push = |s: &str| items.extend_from_slice(s.as_bytes());
            push("\",\"callbackNumberName\":\"");
            push(kind);
            push(" line ");
            slots.push(items.len());
            items.extend_from_slice(digits.as_bytes());
            items.extend_from_slice(b"\",\"callbackNumberClid\":\"+44207");
            slots.push(items.len());
            items.extend_from_slice(digits.as_bytes());
            items.extend_from_slice(b"\"}");
        }
        Self {
            items,
            slots,
            served: AtomicU64::new(0),
        }
    }

    fn page(&self, page: u64) -> Vec<u8> {
        let head = format!(
            "{{\"meta\":{{\"page\":{page},\"count\":{PAGE},\"pageCount\":{PAGES},\"totalCount\":{TOTAL}}},\"callbackNumbers\":["
        );
        let in_range = (1..=PAGES).contains(&page);
        let mut body = Vec::with_capacity(head.len() + self.items.len() + 2);
        body.extend_from_slice(head.as_bytes());
        if in_range {
            let start = body.len();
            body.extend_from_slice(&self.items);
            let first = (page - 1) * PAGE;
            for (k, slot) in self.slots.iter().enumerate() {
                let mut n = first + (k / 3) as u64;
                let at = start + slot;
                for d in body[at..at + WIDTH].iter_mut().rev() {
                    *d = b'0' + (n % 10) as u8;
                    n /= 10;
                }
            }
        }
        body.extend_from_slice(b"]}");
        body
    }
}

struct Pages(Arc<PageTemplate>);

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse::<u64>().ok())
            .unwrap_or(1);
        self.0.served.fetch_add(1, Ordering::Relaxed);
        ResponseTemplate::new(200).set_body_raw(self.0.page(page), "application/json")
    }
}

fn main() {
    let rt = runtime();
    let template = Arc::new(PageTemplate::new());
    let (server, client) = rt.block_on(async {
        let server = start_server().await;
        Mock::given(path(VONAGE_PATH))
            .respond_with(Pages(template.clone()))
            .mount(&server)
            .await;
        let client = VonageCcClient::builder()
            .base_url(server.uri())
            .bearer_token("bench")
            .build()
            .expect("client");
        (server, client)
    });

    let rss_before = proc_status_kib("VmRSS").unwrap_or(0);
    let hwm_reset = reset_peak_rss();
    let started = Instant::now();
    let (count, last_id) = rt.block_on(async {
        let mut count = 0u64;
        let mut last = String::new();
        let mut items = std::pin::pin!(client.list_callback_numbers().items());
        while let Some(n) = items.try_next().await.expect("listing") {
            count += 1;
            if count == TOTAL {
                last = n.callback_number_id.unwrap_or_default();
            }
        }
        (count, last)
    });
    let seconds = started.elapsed().as_secs_f64();
    let hwm_after = proc_status_kib("VmHWM").unwrap_or(0);
    assert_eq!(count, TOTAL, "every number listed once");
    assert!(
        last_id.ends_with(&format!("{:0WIDTH$}", TOTAL - 1)),
        "{last_id}"
    );

    let growth_kib = hwm_after.saturating_sub(rss_before);
    let result = serde_json::json!({
        "items": count,
        "pages": template.served.load(Ordering::Relaxed),
        "page_size": PAGE,
        "page_bytes": template.page(1).len(),
        "seconds": seconds,
        "items_per_second": count as f64 / seconds,
        "rss_before_kib": rss_before,
        "hwm_after_kib": hwm_after,
        "hwm_reset": hwm_reset,
        "rss_growth_kib": growth_kib,
        "rss_growth_mib": growth_kib as f64 / 1024.0,
        "server_in_process": true,
        "note": "VmRSS before the listing, VmHWM after it (peak reset first when hwm_reset); the wiremock server runs in the same process, so its buffers are included",
    });
    println!("{result}");
    telnums_benches::write_result("stream_million.json", &result);
    drop(server);
}
