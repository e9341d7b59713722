//! Lists the active PSTN numbers of a Webex Calling organisation.
//!
//! ```sh
//! export TELNUMS_WEBEX_CALLING_TOKEN=…   # a token with the spark-admin:telephony_config_read scope
//! export TELNUMS_WEBEX_ORG_ID=…          # optional: another organisation you administer
//! cargo run -p telnums --example webex_calling
//! ```
//!
//! `TELNUMS_BASE_URL`, when set, replaces `https://webexapis.com` (a proxy, or the local
//! mock server the workspace's tests start). Prints one number per line, then a count.

use std::process::ExitCode;

use futures::TryStreamExt;
use telnums::webex_calling::{types, WebexClient};

use common::required;

mod common;

const EXAMPLE: &str = "webex_calling";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::exit(EXAMPLE, run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let token = required(EXAMPLE, "TELNUMS_WEBEX_CALLING_TOKEN")?;
    let mut builder = WebexClient::builder().bearer_token(token);
    if let Ok(url) = std::env::var("TELNUMS_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // Typed parameters, applied to every page. A list (here the telephony types) is
    // sent comma-joined, as Webex expects.
    let org = std::env::var("TELNUMS_WEBEX_ORG_ID").ok();
    let listing = client.list_numbers().query(|mut q| {
        q = q
            .state(types::ListNumbersState::Active)
            .included_telephony_types([types::TelephonyType::PstnNumber]);
        if let Some(org) = org {
            q = q.org_id(org);
        }
        q
    });

    // Pages follow the `Link: <…>; rel="next"` header until the last one.
    let mut numbers = listing.items();
    let mut count = 0;
    while let Some(n) = numbers.try_next().await? {
        count += 1;
        let location = n.location.as_ref().and_then(|l| l.name.as_deref());
        println!(
            "{}\text {}\t{}",
            n.phone_number.as_deref().unwrap_or("-"),
            n.extension.as_deref().unwrap_or("-"),
            location.unwrap_or("-"),
        );
    }
    println!("{count} numbers");
    Ok(())
}
