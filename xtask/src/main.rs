//! `cargo xtask`: code generation from the specs. See `cargo xtask --help`; the report
//! drivers (fuzzing, mutation testing, benchmarks) are `cargo tools`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "xtask",
    about = "telnums code generation: generate, check, diff, lint"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate crates/<key>/src/generated.rs and filters.rs from specs/<key>.yaml.
    Generate {
        /// Only this provider (e.g. `webex-calling`).
        #[arg(long)]
        only: Option<String>,
    },
    /// Fail with a diff when any generated file differs from what its spec produces.
    Check,
    /// Check the project rules for specs/ that no linter has (the others are in
    /// redocly.yaml): documented enums, header examples, open responses, error schemas.
    Lint,
    /// Classify the spec changes since a base revision (breaking or not, for users of the
    /// generated crates), with the version bump each crate needs.
    Diff(DiffArgs),
}

#[derive(Debug, clap::Args)]
struct DiffArgs {
    /// Compare with this revision instead of the default (the newest tag, else the
    /// state of specs/ before their last change; see xtask/src/diff/git.rs).
    #[arg(long)]
    base: Option<String>,
    /// Only this provider (e.g. `zoom-phone`).
    #[arg(long)]
    only: Option<String>,
    /// Write an entry per affected crate into crates/<key>/CHANGELOG.md.
    #[arg(long)]
    changelog: bool,
    /// Fail when a breaking change lacks the version bump it needs (CI).
    #[arg(long)]
    check: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = xtask::workspace_root();
    let result = match cli.command {
        Command::Generate { only } => xtask::generate(&root, only.as_deref()).map(|changed| {
            if changed.is_empty() {
                println!("generated code is up to date");
            }
            for path in changed {
                println!("wrote {}", xtask::relative(&root, &path));
            }
            true
        }),
        Command::Check => xtask::check(&root).map(|stale| {
            if stale.is_empty() {
                println!("generated code matches specs/");
                true
            } else {
                eprint!("{}", xtask::report_stale(&root, &stale));
                false
            }
        }),
        Command::Lint => xtask::lint(&root).map(|problems| {
            for problem in &problems {
                println!("{problem}");
            }
            if problems.is_empty() {
                println!("{} specs lint clean", xtask::PROVIDERS.len());
                true
            } else {
                eprintln!("xtask lint: {} problem(s)", problems.len());
                false
            }
        }),
        Command::Diff(DiffArgs {
            base,
            only,
            changelog,
            check,
        }) => xtask::diff::command(
            &root,
            &xtask::diff::Options { base, only },
            changelog,
            check,
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        ),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}
