//! `cargo tools`: the drivers behind the project's reports, apart from code generation
//! (`cargo xtask`). See `cargo tools --help`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod common;
mod docs;
mod fuzz;
mod mutants;

#[derive(Debug, Parser)]
#[command(
    name = "telnums-tools",
    about = "telnums reports: fuzzing, mutation testing, benchmarks, the specs' HTML reference"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fuzzing (README: Fuzzing): write seed corpora, run the cargo-fuzz targets in fuzz/
    /// (nightly) recording each run in fuzz/runs.json, write or check FUZZING.md.
    Fuzz(fuzz::Args),
    /// Run cargo-mutants over the hand-written code, one file at a time with the tests of
    /// the packages that can see it, and write TESTING.md from its outcomes (needs
    /// cargo-mutants).
    Mutants(mutants::Args),
    /// Run the benchmarks in benches/ and write BENCHMARKS.md (quick criterion timings
    /// by default).
    Bench(bench::Args),
    /// Render an HTML reference of every spec into docs-html/ (needs Node.js and npx).
    Docs,
}

fn main() -> ExitCode {
    let root = xtask::workspace_root();
    let result = match Cli::parse().command {
        Command::Fuzz(args) => fuzz::main(&root, args),
        Command::Mutants(args) => mutants::main(&root, &args),
        Command::Bench(args) => bench::main(&root, &args),
        Command::Docs => docs::docs(&root).map(|index| {
            println!("wrote {}", xtask::relative(&root, &index));
            true
        }),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("telnums-tools: {e:#}");
            ExitCode::FAILURE
        }
    }
}
