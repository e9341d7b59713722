//! Lists the SMS-capable local and toll-free numbers of a Fone Dynamics account, then
//! looks one number up.
//!
//! ```sh
//! export TELNUMS_ACCOUNT_SID=AC…               # the account SID (the Basic auth user name)
//! export TELNUMS_FONE_DYNAMICS_TOKEN=…         # the account's API token (the password)
//! export TELNUMS_FONE_LOOKUP=+61255501234      # optional: a number to fetch on its own
//! cargo run -p telnums --example fone_dynamics
//! ```
//!
//! `TELNUMS_BASE_URL`, when set, replaces `https://api.fonedynamics.com` (a proxy, or the
//! local mock server the workspace's tests start).

use std::process::ExitCode;

use futures::TryStreamExt;
use telnums::fone_dynamics::{Capability, FoneDynamicsClient, NumberType};

use common::required;

mod common;

const EXAMPLE: &str = "fone_dynamics";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::exit(EXAMPLE, run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let sid = required(EXAMPLE, "TELNUMS_ACCOUNT_SID")?;
    let token = required(EXAMPLE, "TELNUMS_FONE_DYNAMICS_TOKEN")?;
    // Fone Dynamics uses HTTP Basic auth: the account SID and its token.
    let mut builder = FoneDynamicsClient::builder().basic_auth(sid.clone(), token);
    if let Ok(url) = std::env::var("TELNUMS_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // Typed filters; on the wire they become `Type=Local,Toll-Free&Capabilites=SMS`
    // (sic: the API spells it that way).
    let numbers = client
        .list_account_numbers(sid)
        .query(|q| {
            q.type_([NumberType::Local, NumberType::TollFree])
                .capabilities([Capability::Sms])
        })
        .items();
    // Pinned, because `try_next` polls the stream in place.
    let mut numbers = std::pin::pin!(numbers);
    let mut count = 0;
    while let Some(n) = numbers.try_next().await? {
        count += 1;
        println!(
            "{}\t{}",
            n.number.as_deref().unwrap_or("-"),
            n.friendly.as_deref().unwrap_or("-"),
        );
    }
    println!("{count} numbers");

    // One number: E.164 with or without the '+'; the client sends it without, as the API
    // requires, and refuses anything that is not a number before sending.
    if let Ok(number) = std::env::var("TELNUMS_FONE_LOOKUP") {
        let response = client.get_number(&number).await?;
        // A `Response` has the status, headers and request id; `into_inner` is the body.
        let one = response.into_inner();
        println!(
            "{number}\t{}",
            one.status
                .as_ref()
                .map_or("-".to_owned(), ToString::to_string)
        );
    }
    Ok(())
}
