//! `cargo xtask`: project automation. See `cargo xtask --help`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "xtask", about = "telnums project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate crates/<key>/src/generated.rs from specs/<key>.yaml.
    Generate {
        /// Only this provider (e.g. `webex-calling`).
        #[arg(long)]
        only: Option<String>,
    },
    /// Fail with a diff when any generated file differs from what its spec produces.
    Check,
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
                println!(
                    "wrote {}",
                    path.strip_prefix(&root).unwrap_or(&path).display()
                );
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
