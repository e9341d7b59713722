//! Lists the published caller IDs of an Apple Business Connect brand, signing in with the
//! OAuth2 client-credentials grant.
//!
//! ```sh
//! export TELNUMS_APPLE_BUSINESS_TOKEN_URL=…       # all three come with your API access
//! export TELNUMS_APPLE_BUSINESS_CLIENT_ID=…
//! export TELNUMS_APPLE_BUSINESS_CLIENT_SECRET=…
//! export TELNUMS_APPLE_ORG_ID=… TELNUMS_APPLE_BRAND_ID=…
//! cargo run -p telnums --example apple_business
//! ```
//!
//! `TELNUMS_BASE_URL`, when set, replaces `https://businessconnect.apple.com/api/v1` (a
//! proxy, or the local mock server the workspace's tests start); the version is part of it.

use std::process::ExitCode;

use futures::TryStreamExt;
use telnums::apple_business::{AppleBusinessClient, Ql, QlField};
use telnums::ClientCredentials;

use common::required;

mod common;

const EXAMPLE: &str = "apple_business";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::exit(EXAMPLE, run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // The token is fetched on the first request, cached until shortly before it expires,
    // and fetched again once if the API answers 401.
    let credentials = ClientCredentials::new(
        required(EXAMPLE, "TELNUMS_APPLE_BUSINESS_TOKEN_URL")?,
        required(EXAMPLE, "TELNUMS_APPLE_BUSINESS_CLIENT_ID")?,
        required(EXAMPLE, "TELNUMS_APPLE_BUSINESS_CLIENT_SECRET")?,
    );
    let org = required(EXAMPLE, "TELNUMS_APPLE_ORG_ID")?;
    let brand = required(EXAMPLE, "TELNUMS_APPLE_BRAND_ID")?;

    let mut builder = AppleBusinessClient::builder().credentials(credentials);
    if let Ok(url) = std::env::var("TELNUMS_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // `ql` conditions from typed fields; several `.eq(…)` are ANDed. Values containing `;`
    // are refused before anything is sent.
    let published = Ql::new().eq(QlField::State, "PUBLISHED");
    // Pages follow the `after` cursor until a page names none.
    let caller_ids = client
        .list_caller_ids(org, brand)
        .query(|q| q.ql(published))
        .items();
    // Pinned, because `try_next` polls the stream in place.
    let mut caller_ids = std::pin::pin!(caller_ids);
    let mut count = 0;
    while let Some(c) = caller_ids.try_next().await? {
        count += 1;
        println!(
            "{}\t{}\t{}",
            c.caller_id_details.phone_number.as_deref().unwrap_or("-"),
            c.caller_id_details.department.as_deref().unwrap_or("-"),
            c.id,
        );
    }
    println!("{count} caller ids");
    Ok(())
}
