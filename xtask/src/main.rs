//! `cargo xtask`: project automation. See `cargo xtask --help`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;

#[derive(Debug, Parser)]
#[command(name = "xtask", about = "telnums project automation")]
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
    /// Check the specs themselves: descriptions, enums, examples, security, error schemas.
    Lint,
    /// Render an HTML reference of every spec into docs-html/ (needs Node.js and npx).
    Docs,
    /// Run the benchmarks in benches/ and write BENCHMARKS.md (quick criterion timings
    /// by default).
    Bench(bench::BenchArgs),
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
        Command::Docs => xtask::docs(&root).map(|index| {
            println!(
                "wrote {}",
                index.strip_prefix(&root).unwrap_or(&index).display()
            );
            true
        }),
        Command::Bench(args) => bench::run(&root, &args).map(|path| {
            println!(
                "wrote {}",
                path.strip_prefix(&root).unwrap_or(&path).display()
            );
            true
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
