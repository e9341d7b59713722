//! The `telnums` command line, as a library so that tests can reach the demo server.
//!
//! Exit codes: 0 on success, 2 on usage errors, 1 on API or transport errors (with one
//! line naming the provider, HTTP status and request id).
#![warn(missing_docs)]

mod config;
pub mod demo;
mod output;
mod progress;

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

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

#[derive(Debug, Default, clap::Args)]
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
    /// Only this number, with its country code: +61255501234, 0061255501234 or
    /// 61255501234 (bare digits are read as including the country code; a national
    /// number such as 0255501234 is refused). Uses the provider's server-side filter
    /// where it has one.
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
    /// Seconds allowed for each request, from sending it to the last byte of the page
    /// (default 30). A server that sends nothing for 10 s fails sooner; failed requests
    /// are retried within 60 s per page.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    timeout: Option<u64>,
    /// With `all`: the TOML file naming the providers to list.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Write the listing to FILE instead of standard output. The file is replaced
    /// atomically when the listing succeeds (a temporary file beside it is renamed);
    /// on any failure it is left as it was and nothing else is left behind.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Entry points for the fuzz targets in the repository's `fuzz/` directory; not a stable
/// API.
#[doc(hidden)]
pub mod fuzzing {
    use crate::{config, Failure, ListArgs};

    /// What `telnums list all --config FILE` makes of FILE's `text` when the environment
    /// holds exactly `vars`: the provider key of each source built, in order, or the
    /// usage error. No file, network or process environment is touched.
    pub fn config(text: &str, vars: &[(String, String)]) -> Result<Vec<&'static str>, Failure> {
        let env = config::Env::fixed(vars.iter().cloned());
        let sources = config::sources_from_toml(text, "telnums.toml", &ListArgs::default(), &env)?;
        Ok(sources.iter().map(|s| s.provider().key()).collect())
    }
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
                        "--phone-number {n:?} is not a phone number with its country code \
                         (e.g. +61255501234, 0061255501234 or 61255501234)"
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
            emit(sources, &query, format, args.output.as_deref()).await
        }
        Command::Demo { format } => {
            let format = format.unwrap_or_else(default_format);
            let mock = demo::start().await;
            let sources = demo::sources(&mock).map_err(|e| Failure::api(e.to_string()))?;
            emit(
                sources,
                &Query::default().page_size(demo::PAGE_SIZE),
                format,
                None,
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

/// Size of the output buffer; it is also flushed at the end of every page.
const OUTPUT_BUFFER: usize = 64 * 1024;

/// Streams every source's numbers to stdout (or `output`) page by page as they arrive.
/// Errors are reported on stderr as they happen; the others' numbers still come out.
/// Exit 1 if any failed.
async fn emit(
    sources: Vec<Source>,
    query: &Query,
    format: Format,
    output: Option<&Path>,
) -> Result<(), Failure> {
    let stdout_is_terminal = std::io::stdout().is_terminal();
    // Progress goes to a terminal on stderr, and only when the records do not go to
    // that terminal too (they are the progress then).
    let show_progress =
        std::io::stderr().is_terminal() && (output.is_some() || !stdout_is_terminal);
    let progress = progress::Progress::new(show_progress, &sources);
    let pages = telnums::list_all_pages(sources, query);
    let outcome = match output {
        None => {
            let stdout = std::io::stdout();
            let out = BufWriter::with_capacity(OUTPUT_BUFFER, stdout.lock());
            write_pages(pages, out, format, &progress).await.ended()
        }
        Some(path) => {
            let file = output_file(path)?;
            let out = BufWriter::with_capacity(OUTPUT_BUFFER, file);
            let outcome = write_pages(pages, out, format, &progress).await;
            if let Outcome::Done { failed: 0, out } = outcome {
                let file = out.into_inner().map_err(|e| io_failure(e.into_error()))?;
                file.persist(path).map_err(|e| {
                    Failure::api(format!("cannot write {}: {}", path.display(), e.error))
                })?;
                return Ok(());
            }
            // The temporary file is removed when dropped; the target is untouched.
            outcome.ended()
        }
    };
    progress.finish();
    match outcome {
        Outcome::Done { failed: 0, .. } => Ok(()),
        Outcome::Done { .. } => Err(Failure::reported()),
        // `telnums list … | head`: the reader has what it wanted.
        Outcome::Closed { failed: 0 } => Ok(()),
        Outcome::Closed { .. } => Err(Failure::reported()),
        Outcome::Io(e) => Err(io_failure(e)),
    }
}

impl<W> Outcome<W> {
    /// The same outcome without the writer.
    fn ended(self) -> Outcome<()> {
        match self {
            Outcome::Done { failed, .. } => Outcome::Done { failed, out: () },
            Outcome::Closed { failed } => Outcome::Closed { failed },
            Outcome::Io(e) => Outcome::Io(e),
        }
    }
}

/// How writing the listing ended.
enum Outcome<W> {
    /// Every page was written; `failed` providers reported an error.
    Done { failed: usize, out: W },
    /// The reader went away (broken pipe) after `failed` provider errors.
    Closed { failed: usize },
    /// The output could not be written.
    Io(std::io::Error),
}

async fn write_pages<W: Write>(
    mut pages: futures::stream::BoxStream<
        'static,
        Result<Vec<telnums::PhoneNumber>, telnums::Error>,
    >,
    out: W,
    format: Format,
    progress: &progress::Progress,
) -> Outcome<W> {
    let mut failed = 0usize;
    let io = |e: std::io::Error, failed| {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Outcome::Closed { failed }
        } else {
            Outcome::Io(e)
        }
    };
    let mut writer = match output::Writer::new(out, format) {
        Ok(w) => w,
        Err(e) => return io(e, failed),
    };
    while let Some(page) = pages.next().await {
        match page {
            Ok(numbers) => {
                let written = numbers
                    .iter()
                    .try_for_each(|n| writer.write(n))
                    .and_then(|()| writer.flush());
                if let Err(e) = written {
                    return io(e, failed);
                }
                progress.page(&numbers);
            }
            Err(e) => {
                // Reported now, while the other providers keep streaming.
                failed += 1;
                progress.error(e.provider(), &format!("telnums: {e}"));
            }
        }
    }
    match writer.finish() {
        Ok(out) => Outcome::Done { failed, out },
        Err(e) => io(e, failed),
    }
}

/// A temporary file beside `path`, to be renamed over it once the listing succeeded.
fn output_file(path: &Path) -> Result<tempfile::NamedTempFile, Failure> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".telnums-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // Like a file the shell would create: readable by others unless the target
        // already exists with its own permissions, which are kept.
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    builder
        .tempfile_in(dir)
        .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))
}

fn io_failure(e: std::io::Error) -> Failure {
    Failure::api(format!("cannot write output: {e}"))
}
