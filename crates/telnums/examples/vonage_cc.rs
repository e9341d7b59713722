//! Lists the callback numbers of a Vonage Contact Center account.
//!
//! ```sh
//! export TELNUMS_VONAGE_CC_TOKEN=…      # an access token for the VCC User Admin API
//! export TELNUMS_VONAGE_CC_REGION=nam   # optional: emea (the default), nam or apac
//! cargo run -p telnums --example vonage_cc
//! ```
//!
//! `TELNUMS_BASE_URL`, when set, replaces the region's API host (a proxy, or the local mock
//! server the workspace's tests start). Prints one number per line, then a count.

use std::process::ExitCode;

use futures::TryStreamExt;
use telnums::vonage_cc::{Region, VonageCcClient};

use common::required;

mod common;

const EXAMPLE: &str = "vonage_cc";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::exit(EXAMPLE, run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let token = required(EXAMPLE, "TELNUMS_VONAGE_CC_TOKEN")?;
    // A VCC account lives in one region; the region picks the API host.
    let region: Region = match std::env::var("TELNUMS_VONAGE_CC_REGION") {
        Ok(r) => r.parse()?,
        Err(_) => Region::default(),
    };
    let base_url = std::env::var("TELNUMS_BASE_URL").unwrap_or_else(|_| region.base_url().into());

    // The builder owns everything that is not about one call: host, credentials, timeouts
    // and the retry policy (by default 4 attempts, `Retry-After` honoured).
    let client = VonageCcClient::builder()
        .base_url(base_url)
        .bearer_token(token)
        .build()?;

    // `items()` is a stream over every page (5000 numbers each, the API's maximum). The
    // client sends the `Accept: application/vnd.newvoicemedia.v4+json` header VCC needs.
    // Pinned, because `try_next` polls the stream in place.
    let mut numbers = std::pin::pin!(client.list_callback_numbers().items());
    let mut count = 0;
    while let Some(n) = numbers.try_next().await? {
        count += 1;
        println!(
            "{}\t{}",
            n.callback_number_clid.as_deref().unwrap_or("-"),
            n.callback_number_name.as_deref().unwrap_or("-"),
        );
    }
    println!("{count} callback numbers");
    Ok(())
}
