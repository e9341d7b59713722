//! The `telnums` command line, as a library so that tests can reach the demo server.
//!
//! Exit codes: 0 on success, 2 on usage errors, 1 on API or transport errors (with one
//! line naming the provider, HTTP status and request id).
#![warn(missing_docs)]

mod config;
pub mod demo;
mod output;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use futures::StreamExt;
use telnums::{normalize_e164, Provider, Query, Source};

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "telnums",
    version,
    about = "List phone numbers from Vonage CC, Webex Calling, Fone Dynamics, Apple Business Connect and Zoom Phone"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the numbers of one provider, or of every provider in a config file (`all`).
    ///
    /// Credentials come from the environment: the provider's own TELNUMS_<KEY>_TOKEN
    /// (e.g. TELNUMS_ZOOM_PHONE_TOKEN) or, for one provider, TELNUMS_TOKEN; or an
    /// OAuth2 client-credentials grant from TELNUMS_<KEY>_CLIENT_ID, _CLIENT_SECRET and
    /// _TOKEN_URL (TELNUMS_CLIENT_ID, … for one provider). Fone Dynamics also needs
    /// TELNUMS_ACCOUNT_SID. With `all`, a section's `token_env` names its variable.
    List(Box<ListArgs>),
    /// List all five providers from a built-in local mock server; no account needed.
    Demo {
        /// Output format (default: table on a terminal, ndjson otherwise).
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
}

#[derive(Debug, clap::Args)]
struct ListArgs {
    /// Provider key (vonage-cc, webex-calling, fone-dynamics, apple-business, zoom-phone)
    /// or `all` with --config.
    provider: String,
    /// Send requests here instead of the provider's public API.
    #[arg(long)]
    base_url: Option<String>,
    /// Vonage CC region: emea, nam or apac.
    #[arg(long)]
    region: Option<String>,
    /// Organisation id (Webex: optional; Apple: required).
    #[arg(long)]
    org_id: Option<String>,
    /// Apple Business Connect brand id.
    #[arg(long)]
    brand_id: Option<String>,
    /// Fone Dynamics account SID (default: TELNUMS_ACCOUNT_SID).
    #[arg(long, conflicts_with = "property_sid")]
    account_sid: Option<String>,
    /// Fone Dynamics property SID.
    #[arg(long)]
    property_sid: Option<String>,
    /// Only this number (E.164); uses the provider's server-side filter where it has one.
    #[arg(long)]
    phone_number: Option<String>,
    /// Output format (default: table on a terminal, ndjson otherwise).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Stop after this many numbers (per provider).
    #[arg(long)]
    max_items: Option<u64>,
    /// Numbers per request, at least 1 (default: the largest each provider allows;
    /// larger values are lowered to each provider's maximum).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    page_size: Option<u32>,
    /// With `all`: the TOML file naming the providers to list.
    #[arg(long)]
    config: Option<PathBuf>,
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated values with a header row.
    Csv,
}

/// A failure and the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    /// Process exit code: 1 for API/transport errors, 2 for usage errors.
    pub code: u8,
    /// What went wrong, without the `telnums: ` prefix; empty when it was already
    /// reported (listing errors are printed as they happen).
    pub message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }
    fn api(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
    /// Exit 1 for failures already printed on stderr.
    fn reported() -> Self {
        Self::api(String::new())
    }
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::List(args) => {
            let format = args.format.unwrap_or_else(default_format);
            let mut query = Query::default();
            if let Some(n) = &args.phone_number {
                // Checked here so that a bad number is a usage error (exit 2); the facade
                // would report it as a listing error.
                let number = normalize_e164(n).ok_or_else(|| {
                    Failure::usage(format!(
                        "--phone-number {n:?} is not an E.164 number (e.g. +61255501234)"
                    ))
                })?;
                query = query.phone_number(number);
            }
            if let Some(n) = args.max_items {
                query = query.max_items(n);
            }
            if let Some(n) = args.page_size {
                query = query.page_size(n);
            }
            let sources = if args.provider == "all" {
                let path = args
                    .config
                    .as_deref()
                    .ok_or_else(|| Failure::usage("`list all` needs --config FILE"))?;
                config::sources_from_file(path, &args, &config::Env::from_process())?
            } else {
                let provider: Provider = args.provider.parse().map_err(Failure::usage)?;
                vec![config::source_from_args(
                    provider,
                    &args,
                    &config::Env::from_process(),
                )?]
            };
            emit(sources, &query, format).await
        }
        Command::Demo { format } => {
            let format = format.unwrap_or_else(default_format);
            let mock = demo::start().await;
            let sources = demo::sources(&mock).map_err(|e| Failure::api(e.to_string()))?;
            emit(
                sources,
                &Query::default().page_size(demo::PAGE_SIZE),
                format,
            )
            .await
        }
    }
}

fn default_format() -> Format {
    if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Ndjson
    }
}

/// Streams every source's numbers to stdout as they arrive. Errors are reported on
/// stderr as they happen; the others' numbers still come out. Exit 1 if any failed.
async fn emit(sources: Vec<Source>, query: &Query, format: Format) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    let mut out = output::Writer::new(stdout.lock(), format).map_err(io_failure)?;
    let progress = std::io::stderr().is_terminal();
    let mut numbers = telnums::list_all(sources, query);
    let mut failed = 0usize;
    let mut count = 0u64;
    while let Some(result) = numbers.next().await {
        match result {
            Ok(n) => {
                out.write(&n).map_err(io_failure)?;
                count += 1;
                if progress && count.is_multiple_of(100) {
                    eprint!("\r{count} numbers…");
                }
            }
            Err(e) => {
                // Reported now, while the other providers keep streaming.
                failed += 1;
                eprintln!("{}telnums: {e}", if progress { "\r" } else { "" });
            }
        }
    }
    if progress && count >= 100 {
        eprint!("\r");
    }
    out.finish().map_err(io_failure)?;
    match failed {
        0 => Ok(()),
        _ => Err(Failure::reported()),
    }
}

fn io_failure(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        // `telnums list … | head`: the reader has what it wanted.
        std::process::exit(0);
    }
    Failure::api(format!("cannot write output: {e}"))
}
