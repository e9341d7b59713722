//! Per-request overhead counted in instructions rather than time: makes `N` page calls
//! through one provider client, or `N` plain reqwest GETs of the same URL decoded into
//! the baseline type, against an in-process wiremock server. Run it under
//! `valgrind --tool=callgrind` with two values of `N`; the difference of the totals
//! divided by the difference of `N` is the cost of one call, without the set-up, and
//! repeatable whatever else the machine is doing (loopback timings here drift by tens
//! of percent). `cargo tools bench` does this for every provider.
//!
//! ```text
//! overhead-instructions <provider> client|raw <calls>
//! ```

use std::hint::black_box;

use serde::de::DeserializeOwned;
use telnums_apple_business::AppleBusinessClient;
use telnums_benches::{
    apple_page, apple_path, baseline, fone_page, fone_path, start_server, vonage_page, webex_page,
    zoom_page, APPLE_BRAND, APPLE_ORG, FONE_ACCOUNT, VONAGE_PATH, WEBEX_PATH, ZOOM_PATH,
};
use telnums_fone_dynamics::FoneDynamicsClient;
use telnums_vonage_cc::VonageCcClient;
use telnums_webex_calling::WebexClient;
use telnums_zoom_phone::ZoomPhoneClient;
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

/// Items on each page, as in the criterion overhead bench.
const ITEMS: usize = 5;

async fn raw<T: DeserializeOwned>(http: &reqwest::Client, url: &str) {
    let response = http.get(url).send().await.expect("raw GET");
    assert!(response.status().is_success());
    let body = response.bytes().await.expect("raw body");
    black_box(serde_json::from_slice::<T>(&body).expect("raw decode"));
}

fn usage() -> ! {
    eprintln!("usage: overhead-instructions <provider> client|raw <calls>");
    std::process::exit(2);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [provider, side, calls] = &args[..] else {
        usage()
    };
    let calls: u64 = calls.parse().unwrap_or_else(|_| usage());
    let client_side = match side.as_str() {
        "client" => true,
        "raw" => false,
        _ => usage(),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let server = start_server().await;
        let (at, body) = match provider.as_str() {
            "vonage-cc" => (
                VONAGE_PATH.to_owned(),
                vonage_page(0, ITEMS, 1, 1, ITEMS as u64),
            ),
            "webex-calling" => (WEBEX_PATH.to_owned(), webex_page(0, ITEMS)),
            "fone-dynamics" => (fone_path(), fone_page(0, ITEMS)),
            "apple-business" => (apple_path(), apple_page(0, ITEMS)),
            "zoom-phone" => (ZOOM_PATH.to_owned(), zoom_page(0, ITEMS)),
            _ => usage(),
        };
        Mock::given(path(at.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
        let base = server.uri();
        // The client side uses this very reqwest client, so both share one pool and
        // the difference is the telnums layer.
        let http = reqwest::Client::new();
        match (provider.as_str(), client_side) {
            ("vonage-cc", true) => {
                let client = VonageCcClient::builder()
                    .base_url(&base)
                    .bearer_token("bench")
                    .http_client(http.clone())
                    .build()
                    .expect("client");
                for _ in 0..calls {
                    black_box(client.list_callback_numbers().page(1).await.expect("page"));
                }
            }
            ("webex-calling", true) => {
                let client = WebexClient::builder()
                    .base_url(&base)
                    .bearer_token("bench")
                    .http_client(http.clone())
                    .build()
                    .expect("client");
                for _ in 0..calls {
                    black_box(client.list_numbers().page(0.into()).await.expect("page"));
                }
            }
            ("fone-dynamics", true) => {
                let client = FoneDynamicsClient::builder()
                    .base_url(&base)
                    .basic_auth(FONE_ACCOUNT, "bench")
                    .http_client(http.clone())
                    .build()
                    .expect("client");
                for _ in 0..calls {
                    let page = client.list_account_numbers(FONE_ACCOUNT).page(0).await;
                    black_box(page.expect("page"));
                }
            }
            ("apple-business", true) => {
                let client = AppleBusinessClient::builder()
                    .base_url(format!("{base}/api/v1"))
                    .bearer_token("bench")
                    .http_client(http.clone())
                    .build()
                    .expect("client");
                for _ in 0..calls {
                    let listing = client.list_caller_ids(APPLE_ORG, APPLE_BRAND);
                    black_box(listing.first_page().await.expect("page"));
                }
            }
            ("zoom-phone", true) => {
                let client = ZoomPhoneClient::builder()
                    .base_url(&base)
                    .bearer_token("bench")
                    .http_client(http.clone())
                    .build()
                    .expect("client");
                for _ in 0..calls {
                    black_box(client.list_phone_numbers().page(None).await.expect("page"));
                }
            }
            ("vonage-cc", false) => {
                let url = format!("{base}{VONAGE_PATH}?limit=5000&page=1");
                for _ in 0..calls {
                    raw::<baseline::vonage::List>(&http, &url).await;
                }
            }
            ("webex-calling", false) => {
                let url = format!("{base}{WEBEX_PATH}?max=2000&start=0");
                for _ in 0..calls {
                    raw::<baseline::webex::List>(&http, &url).await;
                }
            }
            ("fone-dynamics", false) => {
                let url = format!("{base}{}?Results_Count=200&Results_Skip=0", fone_path());
                for _ in 0..calls {
                    raw::<baseline::fone::Envelope>(&http, &url).await;
                }
            }
            ("apple-business", false) => {
                let url = format!("{base}{}", apple_path());
                for _ in 0..calls {
                    raw::<baseline::apple::List>(&http, &url).await;
                }
            }
            ("zoom-phone", false) => {
                let url = format!("{base}{ZOOM_PATH}?page_size=100");
                for _ in 0..calls {
                    raw::<baseline::zoom::List>(&http, &url).await;
                }
            }
            _ => usage(),
        }
    });
}
