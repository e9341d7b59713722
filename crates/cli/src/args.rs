//! The command-line definition: clap's derived types, one argument type per `list`
//! subcommand (each provider takes only the flags it uses), and the filter flags added
//! from each provider's spec at run time.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValue, PossibleValuesParser, StyledStr};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use telnums::{ParamType, Provider, QueryParam};

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
    pub(crate) verbose: u8,
    #[command(subcommand)]
    pub(crate) command: Command,
    /// The provider filters given as flags of `list <provider>`: (flag, values).
    #[arg(skip)]
    pub(crate) filters: Vec<(&'static str, Vec<String>)>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// List the numbers of one provider, or of every provider in a config file (`all`).
    ///
    /// Credentials come from the environment: the provider's own TELNUMS_<KEY>_TOKEN
    /// (e.g. TELNUMS_ZOOM_PHONE_TOKEN) or, for one provider, TELNUMS_TOKEN; or an
    /// OAuth2 client-credentials grant from TELNUMS_<KEY>_CLIENT_ID, _CLIENT_SECRET and
    /// _TOKEN_URL (TELNUMS_CLIENT_ID, … for one provider). Fone Dynamics also needs
    /// TELNUMS_ACCOUNT_SID. With `all`, a section's `token_env` names its variable.
    ///
    /// Each provider takes the flags and filters its API documents (see `telnums list
    /// <provider> --help`); they are checked before anything is sent.
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
pub(crate) struct ListCommand {
    #[command(subcommand)]
    pub(crate) target: ListTarget,
}

/// Which provider `list` lists, with the flags that provider takes.
#[derive(Debug, Subcommand)]
pub(crate) enum ListTarget {
    /// Vonage Contact Center callback numbers (--region, or --base-url).
    VonageCc(ListArgs<VonageArgs>),
    /// Webex Calling numbers and extensions (of --org-id, or the caller's organisation).
    WebexCalling(ListArgs<WebexArgs>),
    /// Fone Dynamics numbers of an account (--account-sid or TELNUMS_ACCOUNT_SID) or of
    /// a property (--property-sid).
    FoneDynamics(ListArgs<FoneArgs>),
    /// Apple Business Connect caller IDs of a brand (--org-id and --brand-id).
    AppleBusiness(ListArgs<AppleArgs>),
    /// Zoom Phone numbers of the account.
    // The token's account, paged by cursor: --strict is Zoom's only flag of its own.
    ZoomPhone(ListArgs<Totals>),
    /// Every provider configured in --config FILE, concurrently; filters go in the
    /// file's sections.
    All(ListArgs<AllArgs>),
}

/// The flags of one `list` subcommand: its own (`T`), then those of every one.
#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs<T: clap::Args> {
    #[command(flatten)]
    pub(crate) own: T,
    #[command(flatten)]
    pub(crate) common: Common,
}

/// `list vonage-cc`.
#[derive(Debug, clap::Args)]
pub(crate) struct VonageArgs {
    /// Region whose host is listed: emea (the default), nam or apac. --base-url wins
    /// over it.
    #[arg(long)]
    pub(crate) region: Option<String>,
    #[command(flatten)]
    pub(crate) listing: OffsetTotals,
}

/// `list webex-calling`: numbers of one organisation.
#[derive(Debug, clap::Args)]
pub(crate) struct WebexArgs {
    /// The organisation whose numbers are listed (default: the caller's own).
    #[arg(long)]
    pub(crate) org_id: Option<String>,
    #[command(flatten)]
    pub(crate) listing: OffsetTotals,
}

/// `list fone-dynamics`. Fone Dynamics reports no total, so there is no --strict.
#[derive(Debug, clap::Args)]
pub(crate) struct FoneArgs {
    /// Account SID: list every number of the account (default: TELNUMS_ACCOUNT_SID).
    #[arg(long, conflicts_with = "property_sid")]
    pub(crate) account_sid: Option<String>,
    /// Property SID: list the numbers linked to this property (the account that signs
    /// in is then TELNUMS_ACCOUNT_SID's).
    #[arg(long)]
    pub(crate) property_sid: Option<String>,
    #[command(flatten)]
    pub(crate) paging: OffsetPaging,
}

/// `list apple-business`: caller ids are listed per brand, so both ids are required
/// (clap names every missing one at once, and shows them in the usage line). Apple
/// pages by cursor, so there is no --concurrency.
#[derive(Debug, clap::Args)]
pub(crate) struct AppleArgs {
    /// Organisation id of the brand.
    #[arg(long)]
    pub(crate) org_id: String,
    /// Brand id whose caller ids are listed.
    #[arg(long)]
    pub(crate) brand_id: String,
    #[command(flatten)]
    pub(crate) totals: Totals,
}

/// `list all`: the ids of each provider are in its section of the file.
#[derive(Debug, clap::Args)]
pub(crate) struct AllArgs {
    /// The TOML file naming the providers to list: a section per provider key, with
    /// its settings and filters.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: PathBuf,
    #[command(flatten)]
    pub(crate) listing: OffsetTotals,
}

/// The flags of every `list` subcommand.
#[derive(Debug, Default, clap::Args)]
pub(crate) struct Common {
    /// Send requests here instead of the provider's public API (with `all`: for every
    /// section, over its `base_url`).
    #[arg(long)]
    pub(crate) base_url: Option<String>,
    /// Only this number, with its country code: +61255501234, 0061255501234 or
    /// 61255501234 (bare digits are read as including the country code; a national
    /// number such as 0255501234 is refused). Uses the provider's server-side filter
    /// where it has one.
    #[arg(long)]
    pub(crate) phone_number: Option<String>,
    /// Output format (default: with --output, the file's extension: .json, .ndjson or
    /// .jsonl, .csv, and ndjson for any other; else table on a terminal, ndjson
    /// otherwise). A table fits the terminal's width, or COLUMNS when set.
    #[arg(long, value_enum)]
    pub(crate) format: Option<Format>,
    /// Stop after this many numbers (per provider).
    #[arg(long)]
    pub(crate) max_items: Option<u64>,
    /// Numbers per request, at least 1 (default: the largest each provider allows;
    /// larger values are lowered to each provider's maximum).
    #[arg(long, value_name = "N", value_parser = page_size)]
    pub(crate) page_size: Option<u32>,
    /// Seconds allowed for each request, from sending it to the last byte of the page
    /// (default 30). A server that sends nothing for 10 s fails sooner; failed requests
    /// are retried within 60 s per page.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub(crate) timeout: Option<u64>,
    /// Send credentials over plain http:// to a host other than this machine (refused
    /// by default: the token would cross the network unencrypted). `localhost`,
    /// 127.0.0.0/8 and [::1] need no opt-in. In a config file: `allow_insecure_http =
    /// true` in a section.
    #[arg(long)]
    pub(crate) allow_insecure_http: bool,
    /// Write the listing to FILE instead of standard output, in the format its
    /// extension names (unless --format says otherwise). FILE is replaced atomically,
    /// and only when the whole listing succeeded (a temporary file beside it is
    /// renamed); on a failure it is left as it was, and the numbers that were listed
    /// (if any) are kept in FILE's `.partial` sibling (numbers.json:
    /// numbers.partial.json), named on stderr.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

/// The flag of the providers that page by offset (vonage-cc, webex-calling,
/// fone-dynamics), whose next pages can be asked for before the current one arrives.
#[derive(Debug, clap::Args)]
pub(crate) struct OffsetPaging {
    /// Requests in flight at once, 1 to 16 (default 4): pages further on are asked for
    /// by offset before the current one arrives. With `all`, for the providers that
    /// page by offset (vonage-cc, webex-calling, fone-dynamics); apple-business and
    /// zoom-phone page by cursor and ask for the next page once the current one is
    /// decoded.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=16))]
    pub(crate) concurrency: Option<u8>,
}

/// The flag of the providers that report how many entries a listing holds (all but
/// fone-dynamics).
#[derive(Debug, clap::Args)]
pub(crate) struct Totals {
    /// Exit 1 when a listing ends with another number of entries than its provider
    /// reported (Vonage CC `meta.totalCount`, Webex `count.total`, Apple `total`, Zoom
    /// `total_records`; Fone Dynamics reports none), instead of a warning on stderr.
    /// Only listings without filters or --max-items are checked: a total counts the
    /// provider's whole set.
    #[arg(long)]
    pub(crate) strict: bool,
}

/// The flags of the listings that page by offset and report a total (vonage-cc,
/// webex-calling; `all`, for the providers in its file that do).
#[derive(Debug, clap::Args)]
pub(crate) struct OffsetTotals {
    #[command(flatten)]
    pub(crate) paging: OffsetPaging,
    #[command(flatten)]
    pub(crate) totals: Totals,
}

/// What every `list` subcommand's flags come to, whichever provider it lists.
#[derive(Debug)]
pub(crate) struct Listed<'a> {
    pub(crate) which: Which<'a>,
    pub(crate) common: &'a Common,
    /// `None` also for the providers without --concurrency.
    pub(crate) concurrency: Option<u8>,
    pub(crate) strict: bool,
}

/// What `list` lists.
#[derive(Debug)]
pub(crate) enum Which<'a> {
    /// One provider, with the ids its flags gave.
    One(Provider, Ids<'a>),
    /// Every provider configured in this file.
    All(&'a Path),
}

/// The ids given as flags of `list <provider>`; `None` when not given, or when the
/// provider has no such flag.
#[derive(Debug, Default)]
pub(crate) struct Ids<'a> {
    pub(crate) region: Option<&'a str>,
    pub(crate) org_id: Option<&'a str>,
    pub(crate) brand_id: Option<&'a str>,
    pub(crate) account_sid: Option<&'a str>,
    pub(crate) property_sid: Option<&'a str>,
}

impl ListTarget {
    pub(crate) fn listed(&self) -> Listed<'_> {
        let none = Ids::default();
        let (which, common, paging, totals) = match self {
            Self::VonageCc(a) => {
                let ids = Ids {
                    region: a.own.region.as_deref(),
                    ..none
                };
                let l = &a.own.listing;
                let which = Which::One(Provider::VonageCc, ids);
                (which, &a.common, Some(&l.paging), Some(&l.totals))
            }
            Self::WebexCalling(a) => {
                let ids = Ids {
                    org_id: a.own.org_id.as_deref(),
                    ..none
                };
                let l = &a.own.listing;
                let which = Which::One(Provider::WebexCalling, ids);
                (which, &a.common, Some(&l.paging), Some(&l.totals))
            }
            Self::FoneDynamics(a) => {
                let ids = Ids {
                    account_sid: a.own.account_sid.as_deref(),
                    property_sid: a.own.property_sid.as_deref(),
                    ..none
                };
                let which = Which::One(Provider::FoneDynamics, ids);
                (which, &a.common, Some(&a.own.paging), None)
            }
            Self::AppleBusiness(a) => {
                let ids = Ids {
                    org_id: Some(&a.own.org_id),
                    brand_id: Some(&a.own.brand_id),
                    ..none
                };
                let which = Which::One(Provider::AppleBusiness, ids);
                (which, &a.common, None, Some(&a.own.totals))
            }
            Self::ZoomPhone(a) => {
                let which = Which::One(Provider::ZoomPhone, none);
                (which, &a.common, None, Some(&a.own))
            }
            Self::All(a) => {
                let l = &a.own.listing;
                let which = Which::All(&a.own.config);
                (which, &a.common, Some(&l.paging), Some(&l.totals))
            }
        };
        Listed {
            which,
            common,
            concurrency: paging.and_then(|p| p.concurrency),
            strict: totals.is_some_and(|t| t.strict),
        }
    }
}

/// The whole command line: the derived definition plus, on each `list <provider>`, one
/// flag per filter of the provider's spec (`telnums::Provider::filters`, generated by
/// `cargo xtask generate`), with the spec's descriptions and values.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommand("list", |list| {
        Provider::ALL.into_iter().fold(list, |list, provider| {
            list.mut_subcommand(provider.key(), |sub| with_filter_flags(sub, provider))
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
    let matches = command().try_get_matches_from(args).map_err(with_owners)?;
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

/// `e` with a tip naming the `list` subcommands that take the flag it refused, when
/// other subcommands take it (`telnums list zoom-phone --region nam`: `--region` is a
/// flag of `telnums list vonage-cc`).
fn with_owners(mut e: clap::Error) -> clap::Error {
    if e.kind() != ErrorKind::UnknownArgument {
        return e;
    }
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return e;
    };
    let flag = arg.split('=').next().unwrap_or_default().to_owned();
    let Some(long) = flag.strip_prefix("--") else {
        return e;
    };
    let owners: Vec<String> = flag_owners(long)
        .iter()
        .map(|name| format!("`telnums list {name}`"))
        .collect();
    let tip = match owners.as_slice() {
        [] => return e,
        [one] => format!("{flag} is a flag of {one} only"),
        [init @ .., last] => format!("{flag} is a flag of {} and {last} only", init.join(", ")),
    };
    let mut tips = match e.get(ContextKind::Suggested) {
        Some(ContextValue::StyledStrs(tips)) => tips.clone(),
        _ => Vec::new(),
    };
    tips.push(StyledStr::from(tip));
    e.insert(ContextKind::Suggested, ContextValue::StyledStrs(tips));
    e
}

/// The `list` subcommands that take the flag `--{long}`: the providers in their usual
/// order, then `all`.
pub(crate) fn flag_owners(long: &str) -> Vec<String> {
    let cmd = command();
    let mut owners: Vec<String> = cmd
        .find_subcommand("list")
        .into_iter()
        .flat_map(clap::Command::get_subcommands)
        .filter(|sub| sub.get_arguments().any(|a| a.get_long() == Some(long)))
        .map(|sub| sub.get_name().to_owned())
        .collect();
    owners.sort_by_key(|name| name == "all");
    owners
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
    pub(crate) fn for_file(path: &Path) -> Self {
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

    /// What each `list` subcommand's flags come to: --concurrency only where pages are
    /// asked for by offset, --strict only where the provider reports a total.
    #[test]
    fn each_subcommand_reports_its_own_flags() {
        let listed = |args: &[&str]| {
            let cli = parse_from(["telnums", "list"].iter().chain(args)).expect("parses");
            let Command::List(list) = cli.command else {
                panic!("not list")
            };
            let l = list.target.listed();
            let provider = match l.which {
                Which::One(provider, _) => Some(provider),
                Which::All(_) => None,
            };
            (provider, l.concurrency, l.strict)
        };
        assert_eq!(
            listed(&["vonage-cc", "--concurrency", "3", "--strict"]),
            (Some(Provider::VonageCc), Some(3), true)
        );
        assert_eq!(
            listed(&["fone-dynamics", "--concurrency", "2"]),
            (Some(Provider::FoneDynamics), Some(2), false)
        );
        assert_eq!(
            listed(&["zoom-phone", "--strict"]),
            (Some(Provider::ZoomPhone), None, true)
        );
        assert_eq!(
            listed(&["all", "--config", "t.toml", "--concurrency", "5"]),
            (None, Some(5), false)
        );
    }

    #[test]
    fn reflow_joins_wrapped_lines_but_keeps_paragraphs_and_items() {
        assert_eq!(
            reflow("One\ntwo.\n\nItems:\n* `a` - first\n* `b` - second\n"),
            "One two.\n\nItems:\n* `a` - first\n* `b` - second"
        );
    }
}
