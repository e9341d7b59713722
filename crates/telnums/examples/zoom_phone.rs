//! Lists the assigned numbers of a Zoom Phone account, signing in as a server-to-server
//! OAuth app (Zoom's `account_credentials` grant).
//!
//! ```sh
//! export TELNUMS_ZOOM_ACCOUNT_ID=…                # from the app's page in the Zoom marketplace
//! export TELNUMS_ZOOM_PHONE_CLIENT_ID=…
//! export TELNUMS_ZOOM_PHONE_CLIENT_SECRET=…
//! cargo run -p telnums --example zoom_phone
//! ```
//!
//! Optional: `TELNUMS_ZOOM_PHONE_TOKEN_URL` replaces `https://zoom.us/oauth/token`, and
//! `TELNUMS_BASE_URL` replaces `https://api.zoom.us/v2` (a proxy, or the local mock server
//! the workspace's tests start).

use std::process::ExitCode;

use futures::TryStreamExt;
use telnums::zoom_phone::{types, ZoomPhoneClient};
use telnums::ClientCredentials;

use common::required;

mod common;

const EXAMPLE: &str = "zoom_phone";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::exit(EXAMPLE, run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let token_url = std::env::var("TELNUMS_ZOOM_PHONE_TOKEN_URL")
        .unwrap_or_else(|_| "https://zoom.us/oauth/token".into());
    // Zoom's variant of the client-credentials grant: its own grant type plus the account
    // id as a form parameter. The client id and secret go in the Basic auth header.
    let credentials = ClientCredentials::new(
        token_url,
        required(EXAMPLE, "TELNUMS_ZOOM_PHONE_CLIENT_ID")?,
        required(EXAMPLE, "TELNUMS_ZOOM_PHONE_CLIENT_SECRET")?,
    )
    .grant_type("account_credentials")
    .param("account_id", required(EXAMPLE, "TELNUMS_ZOOM_ACCOUNT_ID")?);

    let mut builder = ZoomPhoneClient::builder().credentials(credentials);
    if let Ok(url) = std::env::var("TELNUMS_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // Pages of 100 (Zoom's maximum), following `next_page_token` until it is empty.
    let numbers = client
        .list_phone_numbers()
        .query(|q| q.type_(types::ListPhoneNumbersType::Assigned))
        .items();
    // Pinned, because `try_next` polls the stream in place.
    let mut numbers = std::pin::pin!(numbers);
    let mut count = 0;
    while let Some(n) = numbers.try_next().await? {
        count += 1;
        let assignee = n.assignee.as_ref().and_then(|a| a.name.as_deref());
        println!(
            "{}\t{}\t{}",
            n.number.as_deref().unwrap_or("-"),
            n.display_name.as_deref().unwrap_or("-"),
            assignee.unwrap_or("-"),
        );
    }
    println!("{count} numbers");
    Ok(())
}
