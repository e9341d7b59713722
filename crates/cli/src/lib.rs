//! The `telnums` command line, as a library so that tests can reach the demo server.
//!
//! Exit codes: 0 on success, 2 on usage errors, 1 on API or transport errors (with one
//! line naming the provider, HTTP status and request id).
#![warn(missing_docs)]

mod args;
mod config;
pub mod demo;
mod list;
mod logs;
mod output;
mod progress;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use telnums::Query;

use crate::args::Command;
pub use crate::args::{command, parse_from, Cli, Format};

/// Entry points for the fuzz targets in the repository's `fuzz/` directory; not a stable
/// API.
#[doc(hidden)]
pub mod fuzzing {
    use crate::{args::Common, config, Failure};

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
            &Common::default(),
            &env,
            telnums::Query::default(),
        )?;
        Ok((sources.iter().map(|s| s.provider().key()).collect(), query))
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
        Command::List(list) => list::run(&list.target, &cli.filters, !logging).await,
        Command::Demo { format } => {
            let format = format.unwrap_or_else(default_format);
            let mock = demo::start().await;
            let sources = demo::sources(&mock).map_err(|e| Failure::api(e.to_string()))?;
            list::emit(
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

fn io_failure(e: std::io::Error) -> Failure {
    Failure::api(format!("cannot write output: {e}"))
}

/// A record for unit tests: `provider`'s `+12025550100` with `id`, nothing else.
#[cfg(test)]
fn test_number(provider: telnums::Provider, id: &str) -> telnums::PhoneNumber {
    telnums::PhoneNumber {
        provider,
        id: Some(id.to_owned()),
        number: Some("+12025550100".to_owned()),
        number_raw: None,
        extension: None,
        label: None,
        status: None,
        kind: None,
        owner: None,
        location: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fuzzing_entry_reads_a_config_text_as_the_cli_does() {
        let vars = ["TELNUMS_WEBEX_CALLING_TOKEN", "TELNUMS_ZOOM_PHONE_TOKEN"]
            .map(|name| (name.to_owned(), "t-not-real".to_owned()));
        let text = "[webex-calling]\nbase_url = \"http://127.0.0.1:9\"\nowner_type = \"PEOPLE\"\n\
                    [zoom-phone]\nbase_url = \"http://127.0.0.1:9\"\n";
        let (keys, query) = fuzzing::config(text, &vars).expect("a valid config");
        assert_eq!(keys, ["webex-calling", "zoom-phone"]);
        assert!(format!("{query:?}").contains("PEOPLE"), "{query:?}");
        let err = fuzzing::config("[mars]\n", &vars).expect_err("no such provider");
        assert_eq!(err.code, 2);
    }
}
