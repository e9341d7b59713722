//! `cargo xtask`: project automation. See `cargo xtask --help`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod mutants;

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
    /// Check the project rules for specs/ that no linter has (the others are in
    /// redocly.yaml): documented enums, header examples, open responses, error schemas.
    Lint,
    /// Render an HTML reference of every spec into docs-html/ (needs Node.js and npx).
    Docs,
    /// Classify the spec changes since a base revision (breaking or not, for users of the
    /// generated crates), with the version bump each crate needs.
    Diff {
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
    },
    /// Run the benchmarks in benches/ and write BENCHMARKS.md (quick criterion timings
    /// by default).
    Bench(bench::BenchArgs),
    /// Fuzzing (README: Fuzzing): write seed corpora, run the cargo-fuzz targets in fuzz/
    /// (nightly) recording each run in fuzz/runs.json, write or check FUZZING.md.
    Fuzz(FuzzArgs),
    /// Run cargo-mutants over the hand-written code, one file at a time with the tests
    /// that cover it, and write TESTING.md from its outcomes (needs cargo-mutants).
    Mutants(mutants::MutantsArgs),
}

#[derive(Debug, clap::Args)]
struct FuzzArgs {
    /// Rewrite fuzz/seeds/ from the specs' examples and the tests' fixtures.
    #[arg(long)]
    seed: bool,
    /// Run the targets (`cargo +nightly fuzz run`, under `nice`) and record each run.
    #[arg(long)]
    run: bool,
    /// With --run: only this target.
    #[arg(long)]
    target: Option<String>,
    /// With --run: executions per target (default: its `min_runs` in fuzz/targets.toml).
    #[arg(long)]
    runs: Option<u64>,
    /// With --run: stop each target after this many seconds, recording the executions
    /// it reached (FUZZING.md then says when that is fewer than it needs).
    #[arg(long)]
    max_time: Option<u64>,
    /// With --run: cargo-fuzz's target directory (default: $CARGO_TARGET_DIR/nightly, or
    /// fuzz/target).
    #[arg(long)]
    target_dir: Option<std::path::PathBuf>,
    /// Write FUZZING.md from fuzz/runs.json.
    #[arg(long)]
    report: bool,
    /// Fail when FUZZING.md is not what --report would write.
    #[arg(long)]
    check: bool,
}

fn fuzz(root: &std::path::Path, args: FuzzArgs) -> anyhow::Result<bool> {
    use xtask::fuzz;
    if !(args.seed || args.run || args.report || args.check) {
        anyhow::bail!("say what to do: --seed, --run, --report or --check");
    }
    let mut ok = true;
    if args.seed {
        println!("wrote {} seed files under fuzz/seeds/", fuzz::seed(root)?);
    }
    if args.run {
        let options = fuzz::RunOptions {
            target: args.target,
            runs: args.runs,
            max_time: args.max_time,
            target_dir: args
                .target_dir
                .unwrap_or_else(|| fuzz::default_target_dir(root)),
        };
        ok &= fuzz::run(root, &options)?;
    }
    let path = root.join("FUZZING.md");
    if args.report {
        std::fs::write(&path, fuzz::report(root)?)?;
        println!("wrote FUZZING.md");
    }
    if args.check {
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != fuzz::report(root)? {
            eprintln!(
                "FUZZING.md is not up to date with fuzz/runs.json: run `cargo xtask fuzz --report`"
            );
            return Ok(false);
        }
        println!("FUZZING.md matches fuzz/runs.json");
    }
    Ok(ok)
}

fn diff(
    root: &std::path::Path,
    base: Option<String>,
    only: Option<String>,
    changelog: bool,
    check: bool,
) -> anyhow::Result<bool> {
    let report = xtask::diff::run(root, &xtask::diff::Options { base, only })?;
    print!("{}", report.render());
    if changelog {
        for path in report.write_changelogs(root)? {
            println!(
                "wrote {}",
                path.strip_prefix(root).unwrap_or(&path).display()
            );
        }
    }
    if check {
        if let Some(failure) = report.check_failure() {
            eprint!("{failure}");
            return Ok(false);
        }
        println!("xtask diff --check: every breaking change has its version bump");
    }
    Ok(true)
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
        Command::Diff {
            base,
            only,
            changelog,
            check,
        } => diff(&root, base, only, changelog, check),
        Command::Fuzz(args) => fuzz(&root, args),
        Command::Bench(args) => bench::run(&root, &args).map(|path| {
            println!(
                "wrote {}",
                path.strip_prefix(&root).unwrap_or(&path).display()
            );
            true
        }),
        Command::Mutants(args) => mutants::run(&root, &args).map(|(path, clean)| {
            if let Some(path) = path {
                println!(
                    "wrote {}",
                    path.strip_prefix(&root).unwrap_or(&path).display()
                );
            }
            if !clean {
                eprintln!("xtask mutants: missed mutants or timeouts (see TESTING.md)");
            }
            clean
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
