//! The `telnums` command line, as a library so that tests can reach the demo server.
//!
//! Exit codes: 0 on success, 2 on usage errors, 1 on API or transport errors (with one
//! line naming the provider, HTTP status and request id).
#![warn(missing_docs)]

mod config;
pub mod demo;
mod logs;
mod output;
mod progress;

use std::ffi::OsString;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use futures::StreamExt;
use telnums::{normalize_e164, ParamType, Provider, Query, QueryParam, Source};

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "telnums",
    version,
    about = "List phone numbers from Vonage CC, Webex Calling, Fone Dynamics, Apple Business Connect and Zoom Phone"
)]
pub struct Cli {
    /// Log each request on stderr: -v one line per attempt (method, path, query,
    /// status, attempt, wait before a retry, request id, milliseconds), -vv also each
    /// request as it is sent. Token-bearing query values and credentials are never
    /// logged. RUST_LOG (`target=level,…`, e.g. `telnums_core=debug`) overrides.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
    /// The provider filters given as flags of `list <provider>`: (flag, values).
    #[arg(skip)]
    filters: Vec<(&'static str, Vec<String>)>,
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
    ///
    /// Each provider takes the filters its API documents (see `telnums list <provider>
    /// --help`); they are checked before anything is sent.
    List(Box<ListCommand>),
    /// List all five providers from a built-in local mock server; no account needed.
    Demo {
        /// Output format (default: table on a terminal, ndjson otherwise).
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Print a shell completion script, e.g. `telnums completions bash >
    /// ~/.local/share/bash-completion/completions/telnums`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff), e.g. `telnums man | man -l -`, or write them all.
    Man {
        /// Write a page per command (telnums.1, telnums-list.1, telnums-list-zoom-phone.1,
        /// …) into this directory instead of printing one.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// The command whose page to print, e.g. `list webex-calling` (default: telnums).
        command: Vec<String>,
    },
}

#[derive(Debug, clap::Args)]
struct ListCommand {
    #[command(subcommand)]
    target: ListTarget,
}

/// Which provider `list` lists.
#[derive(Debug, Subcommand)]
enum ListTarget {
    /// Vonage Contact Center callback numbers (--region, or --base-url).
    VonageCc(ListArgs),
    /// Webex Calling numbers and extensions (of --org-id, or the caller's organisation).
    WebexCalling(ListArgs),
    /// Fone Dynamics numbers of an account (--account-sid or TELNUMS_ACCOUNT_SID) or of
    /// a property (--property-sid).
    FoneDynamics(ListArgs),
    /// Apple Business Connect caller IDs of a brand (--org-id and --brand-id).
    AppleBusiness(ListArgs),
    /// Zoom Phone numbers of the account.
    ZoomPhone(ListArgs),
    /// Every provider configured in --config FILE, concurrently; filters go in the
    /// file's sections.
    All(ListArgs),
}

impl ListTarget {
    /// The provider (`None` for `all`) and the flags.
    fn parts(&self) -> (Option<Provider>, &ListArgs) {
        match self {
            ListTarget::VonageCc(a) => (Some(Provider::VonageCc), a),
            ListTarget::WebexCalling(a) => (Some(Provider::WebexCalling), a),
            ListTarget::FoneDynamics(a) => (Some(Provider::FoneDynamics), a),
            ListTarget::AppleBusiness(a) => (Some(Provider::AppleBusiness), a),
            ListTarget::ZoomPhone(a) => (Some(Provider::ZoomPhone), a),
            ListTarget::All(a) => (None, a),
        }
    }
}

#[derive(Debug, Default, clap::Args)]
struct ListArgs {
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
    /// Output format (default: with --output, the file's extension: .json, .ndjson or
    /// .jsonl, .csv, and ndjson for any other; else table on a terminal, ndjson
    /// otherwise). A table fits the terminal's width, or COLUMNS when set.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Stop after this many numbers (per provider).
    #[arg(long)]
    max_items: Option<u64>,
    /// Numbers per request, at least 1 (default: the largest each provider allows;
    /// larger values are lowered to each provider's maximum).
    #[arg(long, value_name = "N", value_parser = page_size)]
    page_size: Option<u32>,
    /// Requests in flight at once for providers that page by offset (vonage-cc,
    /// webex-calling, fone-dynamics), 1 to 16 (default 4). Cursor-paged providers ask
    /// for the next page as soon as the current one is decoded.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=16))]
    concurrency: Option<u8>,
    /// Seconds allowed for each request, from sending it to the last byte of the page
    /// (default 30). A server that sends nothing for 10 s fails sooner; failed requests
    /// are retried within 60 s per page.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    timeout: Option<u64>,
    /// With `all`: the TOML file naming the providers to list.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Exit 1 when a listing ends with another number of entries than its provider
    /// reported (Vonage CC `meta.totalCount`, Webex `count.total`, Apple `total`, Zoom
    /// `total_records`), instead of a warning on stderr. Only listings without filters or
    /// --max-items are checked: a total counts the provider's whole set.
    #[arg(long)]
    strict: bool,
    /// Send credentials over plain http:// to a host other than this machine (refused
    /// by default: the token would cross the network unencrypted). `localhost`,
    /// 127.0.0.0/8 and [::1] need no opt-in. In a config file: `allow_insecure_http =
    /// true` in a section.
    #[arg(long)]
    allow_insecure_http: bool,
    /// Write the listing to FILE instead of standard output, in the format its
    /// extension names (unless --format says otherwise). FILE is replaced atomically,
    /// and only when the whole listing succeeded (a temporary file beside it is
    /// renamed); on a failure it is left as it was, and the numbers that were listed
    /// (if any) are kept in FILE's `.partial` sibling (numbers.json:
    /// numbers.partial.json), named on stderr.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

/// The whole command line: the derived definition plus, on each `list <provider>`, one
/// flag per filter of the provider's spec (`telnums::Provider::filters`, generated by
/// `cargo xtask generate`), with the spec's descriptions and values.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommand("list", |list| {
        let list = Provider::ALL.into_iter().fold(list, |list, provider| {
            list.mut_subcommand(provider.key(), |sub| with_filter_flags(sub, provider))
        });
        // Apple's caller ids are listed per brand: clap names every missing id at once
        // and shows them in the usage line.
        list.mut_subcommand(Provider::AppleBusiness.key(), |sub| {
            sub.mut_arg("org_id", |a| a.required(true))
                .mut_arg("brand_id", |a| a.required(true))
        })
    })
}

fn with_filter_flags(mut cmd: clap::Command, provider: Provider) -> clap::Command {
    let table = provider.filters();
    if table.params.is_empty() {
        return cmd;
    }
    cmd = cmd.next_help_heading("Filters (from the provider's API reference)");
    for param in table.params {
        cmd = cmd.arg(filter_flag(param));
    }
    cmd
}

/// The flag of one filter. Closed lists of values are checked by clap (and completed by
/// shells); everything is checked again by `Query::filter`.
fn filter_flag(param: &'static QueryParam) -> Arg {
    let mut arg = Arg::new(param.flag)
        .long(param.flag)
        .help(param.summary)
        .value_name(match param.ty {
            ParamType::Boolean => "BOOL",
            ParamType::Integer { .. } => "N",
            ParamType::String if param.check.is_some() => "CLAUSE",
            ParamType::String if param.values.is_empty() => "TEXT",
            ParamType::String => "VALUE",
        });
    let mut long = reflow(param.description);
    long.push_str(&format!("\n\nSent as `{}`.", param.name));
    if param.open {
        long.push_str(&format!(
            " Documented values: {}; others are sent as given (the provider adds values).",
            param.value_names()
        ));
    }
    match param.separator {
        Some(',') => {
            long.push_str(" Several values: comma-separated, or repeat the flag.");
            arg = arg.action(ArgAction::Append).value_delimiter(',');
        }
        Some(sep) => {
            long.push_str(&format!(
                " Several: repeat the flag (they are joined with `{sep}`)."
            ));
            arg = arg.action(ArgAction::Append);
        }
        None => {}
    }
    arg = arg.long_help(long);
    match param.ty {
        ParamType::Boolean => arg.value_parser(PossibleValuesParser::new(["true", "false"])),
        ParamType::String if !param.values.is_empty() && !param.open => arg
            .value_parser(PossibleValuesParser::new(
                param
                    .values
                    .iter()
                    .map(|(v, help)| PossibleValue::new(*v).help(*help)),
            ))
            .ignore_case(true),
        _ => arg,
    }
}

/// The spec's hard-wrapped text with each paragraph (and each `* ` item) on one line, so
/// that clap wraps it to the terminal like the other help texts.
fn reflow(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            out.push_str("\n\n");
        } else if trimmed.starts_with("* ") && !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
            out.push_str(trimmed);
        } else {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push(' ');
            }
            out.push_str(trimmed);
        }
    }
    out
}

/// Parses `args` (the program name first) with [`command`].
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = command().try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    if let Some(("list", list)) = matches.subcommand() {
        if let Some((key, sub)) = list.subcommand() {
            if let Ok(provider) = key.parse::<Provider>() {
                for param in provider.filters().params {
                    if let Some(values) = sub.get_many::<String>(param.flag) {
                        cli.filters.push((param.flag, values.cloned().collect()));
                    }
                }
            }
        }
    }
    Ok(cli)
}

/// Entry points for the fuzz targets in the repository's `fuzz/` directory; not a stable
/// API.
#[doc(hidden)]
pub mod fuzzing {
    use crate::{config, Failure, ListArgs};

    /// What `telnums list all --config FILE` makes of FILE's `text` when the environment
    /// holds exactly `vars`: the provider key of each source built, in order, and the
    /// query its filters made, or the usage error. No file, network or process
    /// environment is touched.
    pub fn config(
        text: &str,
        vars: &[(String, String)],
    ) -> Result<(Vec<&'static str>, telnums::Query), Failure> {
        let env = config::Env::fixed(vars.iter().cloned());
        let (sources, query) = config::sources_from_toml(
            text,
            "telnums.toml",
            &ListArgs::default(),
            &env,
            telnums::Query::default(),
        )?;
        Ok((sources.iter().map(|s| s.provider().key()).collect(), query))
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

impl Format {
    /// The format a file's extension names (`.json`, `.csv`, `.ndjson` or `.jsonl`, in
    /// any case); ndjson for any other.
    fn for_file(path: &Path) -> Self {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("json") => Format::Json,
            Some("csv") => Format::Csv,
            _ => Format::Ndjson,
        }
    }
}

/// `--page-size`: a whole number, at least 1. Values past `u32::MAX` become `u32::MAX`:
/// each provider lowers any size to its own maximum anyway.
fn page_size(text: &str) -> Result<u32, String> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<u64>() {
        Ok(0) => Err("must be at least 1 (it is how many numbers each request asks for)".into()),
        Ok(n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
        Err(_) if digits => Ok(u32::MAX),
        Err(_) => Err("must be a whole number, at least 1".into()),
    }
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
    let logging = logs::init(cli.verbose);
    match cli.command {
        Command::List(list) => {
            let (provider, args) = list.target.parts();
            // A file named by --output is not a terminal, whatever stdout is: its
            // extension names the format.
            let format = args.format.unwrap_or_else(|| match &args.output {
                Some(path) => Format::for_file(path),
                None => default_format(),
            });
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
            if let Some(n) = args.concurrency {
                query = query.concurrency(usize::from(n));
            }
            if let Some(n) = args.page_size {
                query = query.page_size(n);
            }
            let sources = match provider {
                None => {
                    let path = args
                        .config
                        .as_deref()
                        .ok_or_else(|| Failure::usage("`list all` needs --config FILE"))?;
                    let (sources, with_filters) =
                        config::sources_from_file(path, args, &config::Env::from_process(), query)?;
                    query = with_filters;
                    sources
                }
                Some(provider) => {
                    for (flag, values) in &cli.filters {
                        for value in values {
                            query = query
                                .filter(provider, flag, value)
                                .map_err(|e| Failure::usage(e.to_string()))?;
                        }
                    }
                    vec![config::source_from_args(
                        provider,
                        args,
                        &config::Env::from_process(),
                    )?]
                }
            };
            let progress = !logging;
            let output = args.output.as_deref();
            emit(sources, &query, format, output, progress, args.strict).await
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
                !logging,
                true,
            )
            .await
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command(), "telnums", &mut out);
            write_stdout(&out)
        }
        Command::Man { dir, command: path } => man(dir, &path),
    }
}

/// `telnums man`: the page of the command at `path`, or every page into `dir`.
fn man(dir: Option<PathBuf>, path: &[String]) -> Result<(), Failure> {
    let mut cmd = command().disable_help_subcommand(true);
    cmd.build();
    if let Some(dir) = dir {
        return clap_mangen::generate_to(cmd, &dir)
            .map_err(|e| Failure::api(format!("cannot write to {}: {e}", dir.display())));
    }
    for name in path {
        cmd = cmd
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| Failure::usage(format!("no command `{}`", path.join(" "))))?;
    }
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(io_failure)?;
    write_stdout(&out)
}

fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(io_failure)
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

/// The width a table on stdout is fitted to: `COLUMNS` when it is set to a number (so a
/// pipe or a test can ask for one), else the terminal's; `None` (nothing cut) when
/// neither says.
fn table_width() -> Option<usize> {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0);
    from_env.or_else(|| {
        console::Term::stdout()
            .size_checked()
            .map(|(_rows, columns)| usize::from(columns))
            .filter(|&n| n > 0)
    })
}

/// Streams every source's numbers to stdout (or `output`) page by page as they arrive.
/// Errors are reported on stderr as they happen; the others' numbers still come out.
/// Exit 1 if any failed.
async fn emit(
    sources: Vec<Source>,
    query: &Query,
    format: Format,
    output: Option<&Path>,
    progress_allowed: bool,
    strict: bool,
) -> Result<(), Failure> {
    let records_on_terminal = output.is_none() && std::io::stdout().is_terminal();
    // Progress goes to a terminal on stderr, unless log lines (`-v`) would interleave
    // with it. When the records go to that terminal too, it shows only until they start
    // (from then on the records are the progress).
    let show_progress = progress_allowed && std::io::stderr().is_terminal();
    let progress = progress::Progress::new(show_progress, &sources, records_on_terminal);
    let table = output::TableOptions {
        // A table in a file is laid out for its contents, not for a screen.
        width: output.is_none().then(table_width).flatten(),
        providers: sources.iter().map(Source::provider).collect(),
    };
    let pages = telnums::list_all_pages(sources, query);
    let Some(path) = output else {
        let stdout = std::io::stdout();
        let out = BufWriter::with_capacity(OUTPUT_BUFFER, stdout.lock());
        let outcome = write_pages(pages, out, format, table, &progress, strict).await;
        progress.finish();
        return match outcome {
            Outcome::Done { tally, .. } if tally.failed.is_empty() => Ok(()),
            Outcome::Done { .. } => Err(Failure::reported()),
            // `telnums list … | head`: the reader has what it wanted.
            Outcome::Closed { failed: 0 } => Ok(()),
            Outcome::Closed { .. } => Err(Failure::reported()),
            Outcome::Io(e) => Err(io_failure(e)),
        };
    };
    let file = output_file(path)?;
    let out = BufWriter::with_capacity(OUTPUT_BUFFER, file);
    let outcome = write_pages(pages, out, format, table, &progress, strict).await;
    progress.finish();
    match outcome {
        Outcome::Done { tally, out } => {
            let file = out
                .into_inner()
                .map_err(|e| file_failure(path, e.error()))?;
            if tally.failed.is_empty() {
                return file
                    .persist(path)
                    .map(|_| ())
                    .map_err(|e| file_failure(path, &e.error));
            }
            if tally.listed() == 0 {
                // Nothing to keep: the temporary file is removed when dropped.
                return Err(Failure::reported());
            }
            let partial = partial_path(path);
            file.persist(&partial)
                .map_err(|e| file_failure(&partial, &e.error))?;
            Err(Failure::api(tally.kept_in(path, &partial)))
        }
        // Files do not close on their reader; an error writing one is reported. The
        // temporary file is removed when dropped; the target is untouched.
        Outcome::Closed { .. } => Err(Failure::reported()),
        Outcome::Io(e) => Err(file_failure(path, &e)),
    }
}

/// Where the numbers of a failed listing to `path` are kept: `numbers.json` →
/// `numbers.partial.json`, `numbers` → `numbers.partial`.
fn partial_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().unwrap_or(path.as_os_str());
    let mut name = stem.to_os_string();
    name.push(".partial");
    if let Some(ext) = path.extension() {
        name.push(".");
        name.push(ext);
    }
    path.with_file_name(name)
}

/// What a listing wrote: numbers per provider (in the order they first came), and the
/// providers that failed (an error, or a total that did not match under --strict).
#[derive(Debug, Default)]
struct Tally {
    listed: Vec<(&'static str, u64)>,
    failed: Vec<&'static str>,
}

impl Tally {
    fn count(&mut self, provider: &'static str, numbers: usize) {
        let numbers = numbers as u64;
        match self.listed.iter_mut().find(|(p, _)| *p == provider) {
            Some((_, n)) => *n += numbers,
            None => self.listed.push((provider, numbers)),
        }
    }

    fn fail(&mut self, provider: &'static str) {
        if !self.failed.contains(&provider) {
            self.failed.push(provider);
        }
    }

    fn listed(&self) -> u64 {
        self.listed.iter().map(|(_, n)| n).sum()
    }

    /// The message for a failed listing whose numbers were kept in `partial` while
    /// `target` was left as it was.
    fn kept_in(&self, target: &Path, partial: &Path) -> String {
        let which = self.failed.join(", ");
        let counts: Vec<String> = self
            .listed
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(p, n)| match self.failed.contains(p) {
                true => format!("{p} {n} before it failed"),
                false => format!("{p} {n}"),
            })
            .collect();
        let total = self.listed();
        format!(
            "{which} failed, so {} was left as it was; the {total} {} listed ({}) {} in {}",
            target.display(),
            if total == 1 { "number" } else { "numbers" },
            counts.join(", "),
            if total == 1 { "is" } else { "are" },
            partial.display()
        )
    }
}

/// How writing the listing ended.
enum Outcome<W> {
    /// Every page was written; `tally` says what, and which providers failed.
    Done { tally: Tally, out: W },
    /// The reader went away (broken pipe) after `failed` provider failures.
    Closed { failed: usize },
    /// The output could not be written.
    Io(std::io::Error),
}

async fn write_pages<W: Write>(
    mut pages: futures::stream::BoxStream<'static, Result<telnums::Page, telnums::Error>>,
    out: W,
    format: Format,
    table: output::TableOptions,
    progress: &progress::Progress,
    strict: bool,
) -> Outcome<W> {
    let mut tally = Tally::default();
    let io = |e: std::io::Error, tally: &Tally| {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Outcome::Closed {
                failed: tally.failed.len(),
            }
        } else {
            Outcome::Io(e)
        }
    };
    let several = table.providers.len() > 1;
    let keys: Vec<&'static str> = table.providers.iter().map(|p| p.key()).collect();
    let mut writer = match output::Writer::new(out, format, table) {
        Ok(w) => w,
        Err(e) => return io(e, &tally),
    };
    let mut held = Vec::new().into_iter();
    if format == Format::Table && several {
        let first = first_pages(&mut pages, keys).await;
        writer.plan(
            first
                .iter()
                .flat_map(|p| p.as_ref().map_or(&[][..], |p| &p.items)),
        );
        held = first.into_iter();
    }
    loop {
        let page = match held.next() {
            Some(page) => page,
            None => match pages.next().await {
                Some(page) => page,
                None => break,
            },
        };
        match page {
            Ok(page) => {
                tally.count(page.provider, page.items.len());
                if !page.items.is_empty() {
                    // Records about to reach the terminal clear the waiting lines first.
                    progress.output_starts();
                    let written = writer.write_page(&page.items).and_then(|()| writer.flush());
                    if let Err(e) = written {
                        return io(e, &tally);
                    }
                }
                if let Ok(provider) = page.provider.parse() {
                    progress.page(provider, &page.items);
                }
                if let Some(mismatch) = page.total_mismatch() {
                    let line = match strict {
                        true => {
                            tally.fail(page.provider);
                            format!("telnums: {}: {mismatch} (--strict)", page.provider)
                        }
                        false => format!("telnums: warning: {}: {mismatch}", page.provider),
                    };
                    progress.error(page.provider, &line);
                }
            }
            Err(e) => {
                // Reported now, while the other providers keep streaming.
                tally.fail(e.provider());
                progress.error(e.provider(), &format!("telnums: {e}"));
            }
        }
    }
    progress.output_starts();
    match writer.finish(tally.failed.is_empty()) {
        Ok(out) => Outcome::Done { tally, out },
        Err(e) => io(e, &tally),
    }
}

/// How long a table of several providers waits, after the first page with numbers, for
/// the other providers' first pages before it is laid out without them.
const LAYOUT_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// The pages (and errors) that come until every provider in `keys` has sent a page with
/// numbers, its last page or an error, or until [`LAYOUT_WAIT`] after the first page
/// with numbers. A table of several providers is laid out for all of them: one
/// provider's short ids (or none) would otherwise make the ID column too narrow for the
/// next one's.
async fn first_pages(
    pages: &mut futures::stream::BoxStream<'static, Result<telnums::Page, telnums::Error>>,
    mut keys: Vec<&'static str>,
) -> Vec<Result<telnums::Page, telnums::Error>> {
    let mut held = Vec::new();
    let mut deadline = None;
    while !keys.is_empty() {
        let next = match deadline {
            None => pages.next().await,
            Some(at) => match tokio::time::timeout_at(at, pages.next()).await {
                Ok(next) => next,
                Err(_) => break,
            },
        };
        let Some(page) = next else { break };
        let (provider, settled) = match &page {
            Ok(page) => (page.provider, !page.items.is_empty() || page.is_last()),
            Err(e) => (e.provider(), true),
        };
        if settled {
            keys.retain(|k| *k != provider);
        }
        if deadline.is_none() && page.as_ref().is_ok_and(|p| !p.items.is_empty()) {
            deadline = Some(tokio::time::Instant::now() + LAYOUT_WAIT);
        }
        held.push(page);
    }
    held
}

/// A temporary file beside `path`, to be renamed over it once the listing succeeded.
fn output_file(path: &Path) -> Result<tempfile::NamedTempFile, Failure> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if let Err(e) = std::fs::metadata(dir) {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => format!("no directory {}", dir.display()),
            _ => format!("{}: {}", dir.display(), os_message(&e)),
        };
        return Err(Failure::usage(format!(
            "cannot write {}: {why}",
            path.display()
        )));
    }
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
    builder.tempfile_in(dir).map_err(|e| {
        Failure::usage(format!(
            "cannot write {}: {}",
            path.display(),
            os_message(&e)
        ))
    })
}

/// `e`'s text without the temporary file's name that `tempfile` appends to its errors
/// (` at path ".telnums-….tmp"`): the user named `--output`'s path, not that one.
fn os_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" at path ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// An error writing the file the user named with --output.
fn file_failure(path: &Path, e: &std::io::Error) -> Failure {
    Failure::api(format!(
        "cannot write {}: {}",
        path.display(),
        os_message(e)
    ))
}

fn io_failure(e: std::io::Error) -> Failure {
    Failure::api(format!("cannot write output: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own consistency checks over the whole definition, filter flags included
    /// (a filter whose flag clashed with a common flag would fail here).
    #[test]
    fn command_definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn every_filter_of_every_provider_is_a_flag_of_its_subcommand() {
        let cmd = command();
        let list = cmd.find_subcommand("list").expect("list");
        for provider in Provider::ALL {
            let sub = list.find_subcommand(provider.key()).expect("subcommand");
            for param in provider.filters().params {
                let arg = sub
                    .get_arguments()
                    .find(|a| a.get_long() == Some(param.flag))
                    .unwrap_or_else(|| panic!("{provider}: no --{}", param.flag));
                assert_eq!(
                    arg.get_help().map(ToString::to_string).as_deref(),
                    Some(param.summary)
                );
            }
        }
    }

    #[test]
    fn filter_flags_reach_the_parsed_command_line() {
        let cli = parse_from([
            "telnums",
            "list",
            "webex-calling",
            "--owner-type",
            "PLACE",
            "--order",
            "dn,extension",
            "--order",
            "lastName",
            "-v",
        ])
        .expect("parses");
        assert_eq!(cli.verbose, 1);
        assert_eq!(
            cli.filters,
            [
                (
                    "order",
                    vec![
                        "dn".to_owned(),
                        "extension".to_owned(),
                        "lastName".to_owned()
                    ]
                ),
                ("owner-type", vec!["PLACE".to_owned()]),
            ]
        );
    }

    /// `tempfile` names its temporary file in its errors; the messages do not.
    #[test]
    fn file_errors_do_not_name_the_temporary_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").expect("write");
        let err = tempfile::Builder::new()
            .prefix(".telnums-")
            .tempfile_in(&file)
            .expect_err("not a directory");
        assert!(err.to_string().contains(" at path "), "{err}");
        let message = os_message(&err);
        assert!(message.starts_with("Not a directory"), "{message}");
        assert!(!message.contains(".telnums-"), "{message}");
        let plain = std::io::Error::from_raw_os_error(2);
        assert_eq!(os_message(&plain), plain.to_string());
    }

    #[test]
    fn partial_files_sit_beside_the_target_with_its_extension() {
        let partial = |p: &str| partial_path(Path::new(p)).display().to_string();
        assert_eq!(partial("numbers.json"), "numbers.partial.json");
        assert_eq!(partial("out/numbers.csv"), "out/numbers.partial.csv");
        assert_eq!(partial("numbers"), "numbers.partial");
        assert_eq!(partial("/tmp/a.b.ndjson"), "/tmp/a.b.partial.ndjson");
        assert_eq!(partial(".hidden"), ".hidden.partial");
    }

    #[test]
    fn the_extension_names_the_format() {
        let format = |p: &str| Format::for_file(Path::new(p));
        assert_eq!(format("a.json"), Format::Json);
        assert_eq!(format("A.JSON"), Format::Json);
        assert_eq!(format("a.csv"), Format::Csv);
        assert_eq!(format("a.ndjson"), Format::Ndjson);
        assert_eq!(format("a.jsonl"), Format::Ndjson);
        assert_eq!(format("a.txt"), Format::Ndjson);
        assert_eq!(format("json"), Format::Ndjson);
    }

    #[test]
    fn page_size_says_what_it_takes() {
        assert_eq!(page_size("1"), Ok(1));
        assert_eq!(page_size("4294967295"), Ok(u32::MAX));
        assert_eq!(page_size("4294967296"), Ok(u32::MAX));
        assert_eq!(page_size("99999999999999999999999"), Ok(u32::MAX));
        let zero = page_size("0").expect_err("0");
        assert!(zero.starts_with("must be at least 1"), "{zero}");
        for bad in ["", "-1", "1.5", "ten", " 5"] {
            let err = page_size(bad).expect_err(bad);
            assert_eq!(err, "must be a whole number, at least 1", "{bad:?}");
        }
    }

    /// clap names every one of Apple's missing ids, and its usage line shows them.
    #[test]
    fn apple_business_requires_both_ids() {
        let err = parse_from(["telnums", "list", "apple-business"]).expect_err("ids");
        let text = err.to_string();
        assert!(
            text.contains("--org-id <ORG_ID>") && text.contains("--brand-id <BRAND_ID>"),
            "{text}"
        );
        assert!(parse_from([
            "telnums",
            "list",
            "apple-business",
            "--org-id",
            "o",
            "--brand-id",
            "b"
        ])
        .is_ok());
        // Other providers are not affected.
        assert!(parse_from(["telnums", "list", "webex-calling"]).is_ok());
    }

    #[test]
    fn reflow_joins_wrapped_lines_but_keeps_paragraphs_and_items() {
        assert_eq!(
            reflow("One\ntwo.\n\nItems:\n* `a` - first\n* `b` - second\n"),
            "One two.\n\nItems:\n* `a` - first\n* `b` - second"
        );
    }
}
