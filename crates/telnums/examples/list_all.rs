//! Lists every provider you have credentials for at once, as one stream of
//! `telnums::PhoneNumber` records, and exits non-zero if any provider failed.
//!
//! ```sh
//! export TELNUMS_WEBEX_CALLING_TOKEN=…                       # any of these; unset ones are skipped
//! export TELNUMS_ZOOM_PHONE_TOKEN=…
//! export TELNUMS_ACCOUNT_SID=AC… TELNUMS_FONE_DYNAMICS_TOKEN=…
//! export TELNUMS_VONAGE_CC_TOKEN=…
//! cargo run -p telnums --example list_all
//! ```
//!
//! Each provider gets its own token, so no vendor ever sees another's. `TELNUMS_BASE_URL`,
//! when set, sends every provider's requests there instead (the local mock server the
//! workspace's tests start serves all of them).

use std::process::ExitCode;

use futures::StreamExt;
use telnums::fone_dynamics::{FoneDynamicsClient, Scope};
use telnums::vonage_cc::VonageCcClient;
use telnums::webex_calling::WebexClient;
use telnums::zoom_phone::ZoomPhoneClient;
use telnums::{list_all, Error, Query, Source};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let sources = match sources() {
        Ok(s) if s.is_empty() => {
            eprintln!("list_all: no credentials set (see the top of examples/list_all.rs)");
            return ExitCode::from(2);
        }
        Ok(s) => s,
        Err(e) => {
            eprintln!("list_all: {e}");
            return ExitCode::FAILURE;
        }
    };

    // Stop after 1000 numbers per provider; the listing asks each provider for its
    // largest page unless `page_size` says otherwise.
    let query = Query::default().max_items(1000);
    // The providers are listed concurrently and their records interleave as pages arrive.
    let mut numbers = list_all(sources, &query);
    let mut failed = false;
    while let Some(result) = numbers.next().await {
        match result {
            Ok(n) => println!(
                "{}\t{}\t{}",
                n.provider,
                // Webex lists extensions without a number, so both are optional.
                n.number
                    .as_deref()
                    .or(n.extension.as_deref())
                    .unwrap_or("-"),
                n.label.as_deref().unwrap_or("-"),
            ),
            // A failure ends only that provider's part of the stream; the others go on.
            Err(e) => {
                eprintln!("list_all: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// One `Source` per provider whose credentials are in the environment.
fn sources() -> Result<Vec<Source>, Error> {
    let var = |name: &str| std::env::var(name).ok();
    let base_url = var("TELNUMS_BASE_URL");
    let mut sources = Vec::new();

    if let Some(token) = var("TELNUMS_VONAGE_CC_TOKEN") {
        let mut b = VonageCcClient::builder().bearer_token(token);
        if let Some(url) = &base_url {
            b = b.base_url(url);
        }
        sources.push(Source::VonageCc(b.build()?));
    }
    if let Some(token) = var("TELNUMS_WEBEX_CALLING_TOKEN") {
        let mut b = WebexClient::builder().bearer_token(token);
        if let Some(url) = &base_url {
            b = b.base_url(url);
        }
        // `None`: the organisation the token belongs to.
        sources.push(Source::webex_calling(b.build()?, None));
    }
    if let (Some(sid), Some(token)) = (
        var("TELNUMS_ACCOUNT_SID"),
        var("TELNUMS_FONE_DYNAMICS_TOKEN"),
    ) {
        let mut b = FoneDynamicsClient::builder().basic_auth(sid.clone(), token);
        if let Some(url) = &base_url {
            b = b.base_url(url);
        }
        sources.push(Source::FoneDynamics {
            client: b.build()?,
            scope: Scope::Account(sid),
        });
    }
    if let Some(token) = var("TELNUMS_ZOOM_PHONE_TOKEN") {
        let mut b = ZoomPhoneClient::builder().bearer_token(token);
        if let Some(url) = &base_url {
            b = b.base_url(url);
        }
        sources.push(Source::ZoomPhone(b.build()?));
    }
    Ok(sources)
}
