//! `cargo xtask mutants`: runs cargo-mutants over the hand-written code, one file at a
//! time with only the tests that exercise it, and writes the figures to `TESTING.md`
//! from cargo-mutants' own `outcomes.json`.
//!
//! Each file in [`SCOPES`] names the test targets that cover it, so a mutant costs an
//! incremental build and a few seconds of tests instead of the whole workspace suite.
//! Mutants that no test can or should catch are excluded in `.cargo/mutants.toml`, each
//! with its reason on the same line; `TESTING.md` lists them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// Options of `cargo xtask mutants`.
#[derive(Debug, clap::Args)]
pub struct MutantsArgs {
    /// Only this file (a path from the table of `--list`, e.g. crates/core/src/retry.rs);
    /// repeatable. Default: every file in the table.
    #[arg(long = "file", value_name = "PATH")]
    files: Vec<String>,
    /// Mutate the working tree instead of a copy of it: reuses the target directory's
    /// incremental builds, so it is much faster; do not edit the tree while it runs.
    #[arg(long)]
    in_place: bool,
    /// Print the files and the tests each one runs; run nothing.
    #[arg(long)]
    list: bool,
    /// Run nothing: rewrite TESTING.md from the outcomes already under the target
    /// directory (target/mutants/<file>/mutants.out/outcomes.json).
    #[arg(long)]
    report_only: bool,
}

/// A file and the tests that exercise it.
#[derive(Debug)]
pub struct Scope {
    /// The file, relative to the workspace root.
    pub file: &'static str,
    /// Packages whose tests run (`--test-package`).
    pub packages: &'static [&'static str],
    /// Test targets of those packages (`--lib`, `--test=NAME`), passed to both the build
    /// and the test command so that nothing else is built.
    pub targets: &'static [&'static str],
}

const CORE: &[&str] = &["telnums-core", "telnums-tests"];
const RUNTIME_ALL: &[&str] = &[
    "--lib",
    "--test=runtime_vonage_cc",
    "--test=runtime_webex_calling",
    "--test=runtime_fone_dynamics",
    "--test=runtime_apple_business",
    "--test=runtime_zoom_phone",
    "--test=hostile",
];

/// Every file measured, and what it is measured with.
pub const SCOPES: &[Scope] = &[
    Scope {
        file: "crates/core/src/retry.rs",
        packages: CORE,
        targets: &["--lib", "--test=runtime_zoom_phone", "--test=hostile"],
    },
    Scope {
        file: "crates/core/src/listing/engine.rs",
        packages: CORE,
        targets: &["--lib", "--test=concurrency", "--test=paging"],
    },
    Scope {
        file: "crates/core/src/listing/mod.rs",
        packages: CORE,
        targets: &["--lib", "--test=concurrency", "--test=paging"],
    },
    Scope {
        file: "crates/core/src/prefetch.rs",
        packages: CORE,
        targets: &["--lib"],
    },
    Scope {
        file: "crates/core/src/auth.rs",
        packages: CORE,
        targets: &["--lib", "--test=runtime_zoom_phone", "--test=hostile"],
    },
    Scope {
        file: "crates/core/src/secret.rs",
        packages: CORE,
        targets: &["--lib", "--test=runtime_fone_dynamics"],
    },
    Scope {
        file: "crates/core/src/config.rs",
        packages: CORE,
        targets: &["--lib", "--test=runtime_zoom_phone", "--test=hostile"],
    },
    Scope {
        file: "crates/core/src/error.rs",
        packages: CORE,
        targets: &[
            "--lib",
            "--test=runtime_webex_calling",
            "--test=runtime_zoom_phone",
            "--test=hostile",
        ],
    },
    Scope {
        file: "crates/core/src/wire.rs",
        packages: CORE,
        targets: &[
            "--lib",
            "--test=runtime_apple_business",
            "--test=runtime_zoom_phone",
            "--test=hostile",
        ],
    },
    Scope {
        file: "crates/core/src/hooks.rs",
        // The request log lines the hooks record are asserted by the CLI's `-v`/`-vv`
        // tests (crates/cli/tests/logs.rs), not by the runtime tests.
        packages: &["telnums-core", "telnums-tests", "telnums-cli"],
        targets: &[
            "--lib",
            "--test=runtime_vonage_cc",
            "--test=runtime_webex_calling",
            "--test=runtime_fone_dynamics",
            "--test=runtime_apple_business",
            "--test=runtime_zoom_phone",
            "--test=hostile",
            "--test=logs",
        ],
    },
    Scope {
        file: "crates/core/src/runtime.rs",
        packages: CORE,
        targets: RUNTIME_ALL,
    },
    Scope {
        file: "crates/vonage-cc/src/paging.rs",
        packages: &["telnums-vonage-cc", "telnums-tests"],
        targets: VONAGE,
    },
    Scope {
        file: "crates/vonage-cc/src/lib.rs",
        packages: &["telnums-vonage-cc", "telnums-tests"],
        targets: VONAGE,
    },
    Scope {
        file: "crates/webex-calling/src/paging.rs",
        packages: &["telnums-webex-calling", "telnums-tests"],
        targets: WEBEX,
    },
    Scope {
        file: "crates/webex-calling/src/lib.rs",
        packages: &["telnums-webex-calling", "telnums-tests"],
        targets: WEBEX,
    },
    Scope {
        file: "crates/fone-dynamics/src/paging.rs",
        packages: &["telnums-fone-dynamics", "telnums-tests"],
        targets: FONE,
    },
    Scope {
        file: "crates/fone-dynamics/src/envelope.rs",
        packages: &["telnums-fone-dynamics", "telnums-tests"],
        targets: FONE,
    },
    Scope {
        file: "crates/fone-dynamics/src/lib.rs",
        packages: &["telnums-fone-dynamics", "telnums-tests"],
        targets: FONE,
    },
    Scope {
        file: "crates/apple-business/src/paging.rs",
        packages: &["telnums-apple-business", "telnums-tests"],
        targets: APPLE,
    },
    Scope {
        file: "crates/apple-business/src/ql.rs",
        packages: &["telnums-apple-business", "telnums-tests"],
        targets: APPLE,
    },
    Scope {
        file: "crates/apple-business/src/lib.rs",
        packages: &["telnums-apple-business", "telnums-tests"],
        targets: APPLE,
    },
    Scope {
        file: "crates/zoom-phone/src/paging.rs",
        packages: &["telnums-zoom-phone", "telnums-tests"],
        targets: ZOOM,
    },
    Scope {
        file: "crates/zoom-phone/src/lib.rs",
        packages: &["telnums-zoom-phone", "telnums-tests"],
        targets: ZOOM,
    },
    Scope {
        file: "crates/telnums/src/convert.rs",
        packages: &["telnums"],
        targets: FACADE,
    },
    Scope {
        file: "crates/telnums/src/lib.rs",
        packages: &["telnums"],
        targets: FACADE,
    },
    Scope {
        file: "xtask/src/preprocess.rs",
        packages: &["xtask", "telnums-tests"],
        targets: XTASK,
    },
    Scope {
        file: "xtask/src/postprocess.rs",
        packages: &["xtask", "telnums-tests"],
        targets: XTASK,
    },
    Scope {
        file: "crates/cli/src/config.rs",
        packages: &["telnums-cli"],
        targets: CLI,
    },
    Scope {
        file: "crates/cli/src/lib.rs",
        packages: &["telnums-cli"],
        targets: CLI,
    },
    Scope {
        file: "crates/cli/src/main.rs",
        packages: &["telnums-cli"],
        targets: CLI,
    },
    Scope {
        file: "crates/cli/src/output.rs",
        packages: &["telnums-cli"],
        targets: CLI,
    },
    Scope {
        file: "crates/cli/src/demo.rs",
        packages: &["telnums-cli"],
        targets: CLI,
    },
    Scope {
        file: "crates/cli/src/progress.rs",
        packages: &["telnums-cli"],
        targets: CLI,
    },
];

const VONAGE: &[&str] = &["--lib", "--test=runtime_vonage_cc", "--test=concurrency"];
const WEBEX: &[&str] = &[
    "--lib",
    "--test=runtime_webex_calling",
    "--test=concurrency",
];
const FONE: &[&str] = &[
    "--lib",
    "--test=runtime_fone_dynamics",
    "--test=concurrency",
    "--test=spec_examples",
];
const APPLE: &[&str] = &["--lib", "--test=runtime_apple_business", "--test=hostile"];
const ZOOM: &[&str] = &["--lib", "--test=runtime_zoom_phone"];
/// The facade's own tests (`examples` builds and runs every SDK example: too slow per
/// mutant, and it checks the examples rather than the facade).
const FACADE: &[&str] = &["--lib", "--test=convert", "--test=listing"];
/// The xtask's unit tests, and the drift check: a change to what is generated shows
/// as generated code that no longer matches its spec.
const XTASK: &[&str] = &["--lib", "--test=codegen"];
/// The CLI's unit tests and `tests/cli.rs` (`tests/stall.rs` waits a minute by design
/// and checks the core's timeouts, measured with the core).
const CLI: &[&str] = &["--lib", "--test=cli"];

/// The table of `--list`.
fn describe(scope: &Scope) -> String {
    format!(
        "{}: cargo test {} {}",
        scope.file,
        scope
            .packages
            .iter()
            .map(|p| format!("-p {p}"))
            .collect::<Vec<_>>()
            .join(" "),
        scope.targets.join(" ")
    )
}

/// Runs `cargo xtask mutants`; returns the path of TESTING.md when it was written, and
/// whether every file run is clean (no missed mutant, no timeout).
pub fn run(root: &Path, args: &MutantsArgs) -> Result<(Option<PathBuf>, bool)> {
    let selected: Vec<&Scope> = if args.files.is_empty() {
        SCOPES.iter().collect()
    } else {
        args.files
            .iter()
            .map(|f| {
                let f = f.trim_start_matches("./");
                SCOPES.iter().find(|s| s.file == f).with_context(|| {
                    format!(
                        "{f} is not in the table (cargo xtask mutants --list); add it to \
                         SCOPES in xtask/src/mutants.rs"
                    )
                })
            })
            .collect::<Result<_>>()?
    };
    let path = root.join("TESTING.md");
    if args.list {
        for scope in &selected {
            println!("{}", describe(scope));
        }
        return Ok((None, true));
    }
    let out_root = target_dir(root).join("mutants");
    let mut clean = true;
    let mut rows = read_rows(&path);
    for scope in selected {
        let out = out_root.join(slug(scope.file));
        if !args.report_only {
            run_one(root, scope, &out, args.in_place)?;
        }
        let outcomes = out.join("mutants.out").join("outcomes.json");
        let counts = Counts::read(&outcomes, scope.file)?;
        clean &= counts.missed.is_empty() && counts.timeouts.is_empty();
        eprintln!(
            "xtask mutants: {}: {} tested, {} caught, {} missed, {} unviable, {} timeouts",
            scope.file,
            counts.tested(),
            counts.caught,
            counts.missed.len(),
            counts.unviable,
            counts.timeouts.len()
        );
        rows.insert(scope.file.to_owned(), counts.row(scope));
    }
    let exclusions = read_exclusions(&root.join(".cargo").join("mutants.toml"))?;
    std::fs::write(&path, render(&rows, &exclusions))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok((Some(path), clean))
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// `crates/core/src/retry.rs` → `crates-core-src-retry`.
fn slug(file: &str) -> String {
    file.trim_end_matches(".rs").replace(['/', '.'], "-")
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// `cargo test` of the scope's packages and targets, unmutated: it must pass, and its
/// time sets the timeout of each mutant's tests.
///
/// cargo-mutants' own baseline tests only the mutated package, with the extra cargo
/// arguments, which name test targets of other packages; so it is skipped and this
/// stands in for it.
fn baseline(root: &Path, scope: &Scope) -> Result<Duration> {
    let test = |extra: &[&str]| {
        let mut cmd = cargo();
        cmd.current_dir(root).arg("test");
        for package in scope.packages {
            cmd.arg(format!("--package={package}"));
        }
        cmd.args(scope.targets).args(extra);
        cmd
    };
    let mut build = test(&["--no-run"]);
    eprintln!("xtask mutants: baseline {build:?}");
    if !build.status().context("running cargo test")?.success() {
        bail!("{}: the tests do not build without mutations", scope.file);
    }
    let started = Instant::now();
    let output = test(&[]).output().context("running cargo test")?;
    if !output.status.success() {
        bail!(
            "{}: the tests fail without mutations:\n{}{}",
            scope.file,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(started.elapsed())
}

/// The cargo-mutants command for one file; `timeout` bounds each mutant's tests.
fn command(root: &Path, scope: &Scope, out: &Path, in_place: bool, timeout: Duration) -> Command {
    let mut cmd = cargo();
    cmd.current_dir(root).args([
        "mutants",
        "--file",
        scope.file,
        "--no-shuffle",
        "--colors",
        "never",
        "--baseline=skip",
        "--build-timeout",
        "600",
    ]);
    cmd.arg("--timeout").arg(timeout.as_secs().to_string());
    cmd.arg("--output").arg(out);
    for package in scope.packages {
        cmd.arg(format!("--test-package={package}"));
    }
    for target in scope.targets {
        cmd.arg(format!("--cargo-arg={target}"));
    }
    if in_place {
        // In place there is one tree, so one mutant at a time anyway.
        cmd.arg("--in-place");
    } else {
        // One at a time: each build already uses every core.
        cmd.args(["--jobs", "1"]);
    }
    cmd
}

/// Marks `file` as changed now. cargo-mutants restores a file it mutated in place with
/// the file's old modification time, which is older than the build of the last mutant:
/// cargo would then keep that mutant's build. Touching the file before and after a run
/// makes the next build see the real source.
fn touch(root: &Path, file: &str) -> Result<()> {
    let path = root.join(file);
    std::fs::File::options()
        .append(true)
        .open(&path)
        .and_then(|f| f.set_modified(std::time::SystemTime::now()))
        .with_context(|| format!("touching {}", path.display()))
}

fn run_one(root: &Path, scope: &Scope, out: &Path, in_place: bool) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    touch(root, scope.file)?;
    let took = baseline(root, scope)?;
    // Four times the unmutated run, at least a minute: every test that waits carries
    // its own time limit, so a mutant that reaches this has hung the tests, which is a
    // bug in the tests rather than a slow machine.
    let timeout = (took * 4).max(Duration::from_secs(60));
    eprintln!(
        "xtask mutants: {}: tests take {:.1} s unmutated; {} s allowed per mutant",
        scope.file,
        took.as_secs_f64(),
        timeout.as_secs()
    );
    let mut cmd = command(root, scope, out, in_place, timeout);
    eprintln!("xtask mutants: running {cmd:?}");
    let status = cmd
        .status()
        .context("running cargo mutants (install it: cargo install --locked cargo-mutants)")?;
    touch(root, scope.file)?;
    // cargo-mutants exits 2 when mutants were missed and 3 when some timed out: those
    // are results, reported in TESTING.md. Anything else is a failure to run.
    match status.code() {
        Some(0 | 2 | 3) => Ok(()),
        _ => bail!("cargo mutants failed for {} ({status})", scope.file),
    }
}

/// One file's results.
#[derive(Debug, Default)]
struct Counts {
    caught: usize,
    unviable: usize,
    missed: Vec<String>,
    timeouts: Vec<String>,
    /// The run: cargo-mutants version and when.
    version: String,
    when: String,
}

impl Counts {
    fn read(path: &Path, file: &str) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "reading {} (run without --report-only first)",
                path.display()
            )
        })?;
        let json: Value =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let mut counts = Counts {
            version: json["cargo_mutants_version"]
                .as_str()
                .unwrap_or("?")
                .to_owned(),
            when: json["start_time"]
                .as_str()
                .and_then(|t| t.get(..10))
                .unwrap_or("?")
                .to_owned(),
            ..Counts::default()
        };
        let outcomes = json["outcomes"]
            .as_array()
            .with_context(|| format!("{}: no outcomes", path.display()))?;
        for outcome in outcomes {
            let mutant = &outcome["scenario"]["Mutant"];
            if mutant.is_null() {
                // A baseline (skipped by this command, which runs its own).
                continue;
            }
            if mutant["file"].as_str() != Some(file) {
                continue;
            }
            let name = mutant_name(mutant);
            match outcome["summary"].as_str() {
                Some("CaughtMutant") => counts.caught += 1,
                Some("Unviable") => counts.unviable += 1,
                Some("MissedMutant") => counts.missed.push(name),
                Some("Timeout") => counts.timeouts.push(name),
                other => bail!("{file}: unexpected outcome {other:?} for {name}"),
            }
        }
        Ok(counts)
    }

    fn tested(&self) -> usize {
        self.caught + self.unviable + self.missed.len() + self.timeouts.len()
    }

    fn row(&self, scope: &Scope) -> Row {
        Row {
            file: scope.file.to_owned(),
            tests: scope
                .targets
                .iter()
                .map(|t| match *t {
                    "--lib" => "unit".to_owned(),
                    t => t.trim_start_matches("--test=").to_owned(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            tested: self.tested(),
            caught: self.caught,
            missed: self.missed.clone(),
            unviable: self.unviable,
            timeouts: self.timeouts.clone(),
            run: format!("{}, cargo-mutants {}", self.when, self.version),
        }
    }
}

/// `file:line:col: replace f -> T with x`, cargo-mutants' own name for the mutant.
fn mutant_name(mutant: &Value) -> String {
    mutant["name"].as_str().unwrap_or("?").to_owned()
}

/// One row of the table in TESTING.md.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    file: String,
    tests: String,
    tested: usize,
    caught: usize,
    missed: Vec<String>,
    unviable: usize,
    timeouts: Vec<String>,
    run: String,
}

const BEGIN: &str = "<!-- mutants:begin (written by cargo xtask mutants) -->";
const END: &str = "<!-- mutants:end -->";

/// The rows already in TESTING.md, so that a run over one file keeps the others.
fn read_rows(path: &Path) -> BTreeMap<String, Row> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    let Some(table) = text
        .split_once(BEGIN)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(table, _)| table)
    else {
        return BTreeMap::new();
    };
    let mut rows = BTreeMap::new();
    let mut missed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut timeouts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in table.lines() {
        if let Some(item) = line.strip_prefix("- missed: ") {
            let name = unquote(item);
            if let Some(file) = name.split(':').next() {
                missed.entry(file.to_owned()).or_default().push(name);
            }
            continue;
        }
        if let Some(item) = line.strip_prefix("- timeout: ") {
            let name = unquote(item);
            if let Some(file) = name.split(':').next() {
                timeouts.entry(file.to_owned()).or_default().push(name);
            }
            continue;
        }
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() != 8 || !cells[0].starts_with('`') {
            continue;
        }
        let number = |s: &str| s.parse::<usize>().unwrap_or(0);
        let file = cells[0].trim_matches('`').to_owned();
        rows.insert(
            file.clone(),
            Row {
                file,
                tests: cells[1].to_owned(),
                tested: number(cells[2]),
                caught: number(cells[3]),
                missed: Vec::new(),
                unviable: number(cells[5]),
                timeouts: Vec::new(),
                run: cells[7].to_owned(),
            },
        );
    }
    for (file, names) in missed {
        if let Some(row) = rows.get_mut(&file) {
            row.missed = names;
        }
    }
    for (file, names) in timeouts {
        if let Some(row) = rows.get_mut(&file) {
            row.timeouts = names;
        }
    }
    rows
}

/// `item` without the one pair of backticks around it.
fn unquote(item: &str) -> String {
    let item = item.trim();
    item.strip_prefix('`')
        .and_then(|i| i.strip_suffix('`'))
        .unwrap_or(item)
        .to_owned()
}

/// One `exclude_re` entry of `.cargo/mutants.toml` and the reason on its line.
#[derive(Debug, Clone, PartialEq)]
struct Exclusion {
    pattern: String,
    reason: String,
}

/// The `exclude_re` entries of `.cargo/mutants.toml`, each of which must carry its
/// reason as a comment on the same line: `"pattern", # reason`.
fn read_exclusions(path: &Path) -> Result<Vec<Exclusion>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    let mut inside = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with("exclude_re") {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        if line.starts_with(']') {
            break;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (value, reason) = line.split_once('#').unwrap_or((line, ""));
        let pattern = value.trim().trim_end_matches(',').trim();
        let pattern: String = toml::from_str::<toml::Table>(&format!("p = {pattern}"))
            .ok()
            .and_then(|t| t.get("p").and_then(|v| v.as_str()).map(str::to_owned))
            .with_context(|| format!("{}:{}: not a TOML string", path.display(), n + 1))?;
        let reason = reason.trim();
        if reason.is_empty() {
            bail!(
                "{}:{}: exclusion `{pattern}` has no reason (a comment on its line)",
                path.display(),
                n + 1
            );
        }
        out.push(Exclusion {
            pattern,
            reason: reason.to_owned(),
        });
    }
    Ok(out)
}

fn render(rows: &BTreeMap<String, Row>, exclusions: &[Exclusion]) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push_str(BEGIN);
    out.push_str(
        "\n\n| file | tests run | tested | caught | missed | unviable | timeouts | run |\n\
         |---|---|---:|---:|---:|---:|---:|---|\n",
    );
    // In the order of SCOPES, then any other rows kept from before.
    let order: Vec<&str> = SCOPES
        .iter()
        .map(|s| s.file)
        .chain(rows.keys().map(String::as_str))
        .collect();
    let mut done = std::collections::BTreeSet::new();
    for file in order {
        let Some(row) = rows.get(file) else { continue };
        if !done.insert(file) {
            continue;
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
            row.file,
            row.tests,
            row.tested,
            row.caught,
            row.missed.len(),
            row.unviable,
            row.timeouts.len(),
            row.run
        );
    }
    let total = |f: fn(&Row) -> usize| rows.values().map(f).sum::<usize>();
    let _ = writeln!(
        out,
        "| **all** | | {} | {} | {} | {} | {} | |",
        total(|r| r.tested),
        total(|r| r.caught),
        total(|r| r.missed.len()),
        total(|r| r.unviable),
        total(|r| r.timeouts.len()),
    );
    let missed: Vec<&String> = rows.values().flat_map(|r| &r.missed).collect();
    let timeouts: Vec<&String> = rows.values().flat_map(|r| &r.timeouts).collect();
    if !missed.is_empty() || !timeouts.is_empty() {
        out.push_str("\nNot caught in the last run:\n\n");
        for name in missed {
            let _ = writeln!(out, "- missed: `{name}`");
        }
        for name in timeouts {
            let _ = writeln!(out, "- timeout: `{name}`");
        }
    }
    out.push('\n');
    out.push_str(END);
    out.push_str("\n\n## Excluded mutants\n\n");
    out.push_str(
        "`.cargo/mutants.toml` keeps these out of every run; each is a change no test can \
         or should see. The pattern is matched against cargo-mutants' name for the \
         mutant.\n\n| pattern | why |\n|---|---|\n",
    );
    if exclusions.is_empty() {
        out.push_str("| (none) | |\n");
    }
    for e in exclusions {
        let _ = writeln!(
            out,
            "| `{}` | {} |",
            e.pattern.replace('|', "\\|"),
            e.reason
        );
    }
    out
}

const HEADER: &str = "# Testing

How strong the tests are, measured with [cargo-mutants](https://mutants.rs): it changes
the hand-written code one small edit at a time (a function returns a default value, a
comparison flips, a condition becomes `true`, an arm is deleted), rebuilds, and runs the
tests that cover that file. A mutant the tests do not notice is **missed**: behaviour no
test pins down. **Unviable** mutants do not compile; a **timeout** means the tests hung,
which is itself a bug in the tests, since every test that exercises retries, timeouts or
a loop guard carries its own time limit.

The table is written by `cargo xtask mutants` from cargo-mutants' `outcomes.json`:

```sh
cargo install --locked cargo-mutants      # once
cargo xtask mutants --list                # the files and the tests each one runs
cargo xtask mutants --file crates/core/src/retry.rs
cargo xtask mutants                       # every file in the table (hours on 2 cores)
```

Each file is run with only the test targets that exercise it (the *tests run* column:
`unit` is the crate's own unit tests, the others are test targets of `telnums-tests`),
one mutant at a time (`-j 1`), so a mutant costs an incremental build and some seconds of
tests. `--in-place` mutates the working tree instead of a copy and reuses its target
directory (much faster; leave the tree alone while it runs). Generated code
(`generated.rs`) is not mutated: it is progenitor's output, checked byte for byte by
`cargo xtask check`.

";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scope_is_a_file() {
        let root = xtask::workspace_root();
        for scope in SCOPES {
            assert!(root.join(scope.file).is_file(), "{}", scope.file);
            assert!(!scope.targets.is_empty() && !scope.packages.is_empty());
        }
    }

    #[test]
    fn rows_survive_a_round_trip() {
        let mut rows = BTreeMap::new();
        rows.insert(
            "crates/core/src/retry.rs".to_owned(),
            Row {
                file: "crates/core/src/retry.rs".to_owned(),
                tests: "unit, hostile".to_owned(),
                tested: 20,
                caught: 17,
                missed: vec![
                    "crates/core/src/retry.rs:63: FnValue in x: `Default::default()`".to_owned(),
                ],
                unviable: 1,
                timeouts: vec!["crates/core/src/retry.rs:70: BinaryOperator in y: `>`".to_owned()],
                run: "2026-01-01, cargo-mutants 27.1.0".to_owned(),
            },
        );
        let text = render(&rows, &[]);
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("TESTING.md");
        std::fs::write(&path, &text).expect("write");
        assert_eq!(read_rows(&path), rows);
        assert!(
            text.contains("| **all** | | 20 | 17 | 1 | 1 | 1 | |"),
            "{text}"
        );
    }

    #[test]
    fn exclusions_need_a_reason() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("mutants.toml");
        std::fs::write(
            &path,
            "exclude_re = [\n  # a note\n  \"a\\\\.rs: x\", # equivalent\n  'b', # logging only\n]\n",
        )
        .expect("write");
        let got = read_exclusions(&path).expect("reads");
        assert_eq!(
            got,
            [
                Exclusion {
                    pattern: "a\\.rs: x".to_owned(),
                    reason: "equivalent".to_owned()
                },
                Exclusion {
                    pattern: "b".to_owned(),
                    reason: "logging only".to_owned()
                }
            ]
        );
        std::fs::write(&path, "exclude_re = [\n  \"c\",\n]\n").expect("write");
        let err = read_exclusions(&path).expect_err("no reason");
        assert!(err.to_string().contains("has no reason"), "{err}");
    }
}
