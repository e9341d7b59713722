//! `cargo tools mutants`: runs cargo-mutants over the hand-written code, one file at a
//! time with the tests that can see it, and writes the figures to `TESTING.md` from
//! cargo-mutants' own `outcomes.json`.
//!
//! The files are every hand-written `.rs` file under `crates/*/src` and `xtask/src`
//! (generated ones open with `// @generated` and are left out). Which tests run for a
//! file comes from `cargo metadata`: those of the package whose directory holds it and of
//! every workspace package that depends on that one, directly or through others (normal,
//! dev and build dependencies alike), so a new test or a new dependent is picked up
//! without editing anything here. Mutants that no test can or should catch are excluded
//! in `.cargo/mutants.toml`, each with its reason on the same line; `TESTING.md` lists
//! them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::common::{cargo, read_json, target_dir, write_report};

/// Options of `cargo tools mutants`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this file (one of `--list`, e.g. crates/core/src/retry.rs); repeatable.
    /// Default: every file.
    #[arg(long = "file", value_name = "PATH")]
    files: Vec<String>,
    /// Mutate the working tree instead of a copy of it: reuses the target directory's
    /// incremental builds, so it is much faster; do not edit the tree while it runs.
    #[arg(long)]
    in_place: bool,
    /// Run only the tests of the package that holds the file, not those of its
    /// dependents: one crate is rebuilt per mutant instead of the workspace, which for a
    /// file low in the graph (`crates/core`) is the difference between minutes and hours.
    /// The row's tests-run column names the package, so the narrower run shows.
    #[arg(long)]
    own_tests: bool,
    /// With `--own-tests`, the tests of this package too (repeatable), e.g.
    /// `--also telnums-tests`.
    #[arg(long, value_name = "PACKAGE", requires = "own_tests")]
    also: Vec<String>,
    /// Of the packages whose tests run, only the unit tests and these integration-test
    /// targets (repeatable); `{provider}` stands for the file's provider crate in snake
    /// case, e.g. `--test-target runtime_{provider}`.
    #[arg(long, value_name = "TARGET")]
    test_target: Vec<String>,
    /// Print the files and the packages whose tests each one runs; run nothing.
    #[arg(long)]
    list: bool,
    /// Run nothing: rewrite TESTING.md from the outcomes already under the target
    /// directory (`target/mutants/<file>/mutants.out/outcomes.json`); a file without any
    /// keeps its row.
    #[arg(long)]
    report_only: bool,
}

/// A file and the packages whose tests run for its mutants (its own first), and when
/// only some test targets run, which (besides the unit tests).
#[derive(Debug, Clone, PartialEq)]
struct Scope {
    file: String,
    packages: Vec<String>,
    targets: Vec<String>,
}

/// A workspace package: its name, its directory relative to the workspace root, and the
/// workspace packages it depends on.
#[derive(Debug, Clone)]
struct Package {
    name: String,
    dir: String,
    deps: Vec<String>,
}

/// The workspace's packages, from `cargo metadata --no-deps`.
fn packages(root: &Path) -> Result<Vec<Package>> {
    let out = crate::common::succeed(
        cargo()
            .current_dir(root)
            .args(["metadata", "--no-deps", "--format-version", "1"]),
        "cargo metadata",
    )?;
    let metadata: Value = serde_json::from_slice(&out.stdout).context("parsing cargo metadata")?;
    let list = metadata["packages"]
        .as_array()
        .context("cargo metadata: no packages")?;
    let names: BTreeSet<&str> = list.iter().filter_map(|p| p["name"].as_str()).collect();
    list.iter()
        .map(|p| {
            let manifest = Path::new(p["manifest_path"].as_str().context("manifest_path")?);
            let dir = manifest.parent().unwrap_or(manifest);
            let dir = dir.strip_prefix(root).unwrap_or(dir);
            let deps = p["dependencies"].as_array().into_iter().flatten();
            Ok(Package {
                name: p["name"].as_str().context("package name")?.to_owned(),
                dir: dir.to_string_lossy().into_owned(),
                deps: deps
                    .filter_map(|d| d["name"].as_str())
                    .filter(|d| names.contains(d))
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect()
}

/// The scope of `file`: the package whose directory holds it (the deepest one), then
/// every package that depends on it, directly or not, by name.
fn scope(file: &str, packages: &[Package]) -> Result<Scope> {
    let owner = packages
        .iter()
        .filter(|p| p.dir.is_empty() || Path::new(file).starts_with(&p.dir))
        .max_by_key(|p| p.dir.len())
        .with_context(|| format!("no workspace package holds {file}"))?;
    let mut seen = BTreeSet::from([owner.name.as_str()]);
    let mut queue = vec![owner.name.as_str()];
    while let Some(name) = queue.pop() {
        for p in packages.iter().filter(|p| p.deps.iter().any(|d| d == name)) {
            if seen.insert(&p.name) {
                queue.push(&p.name);
            }
        }
    }
    seen.remove(owner.name.as_str());
    let packages = std::iter::once(owner.name.as_str()).chain(seen);
    Ok(Scope {
        file: file.to_owned(),
        packages: packages.map(str::to_owned).collect(),
        targets: Vec::new(),
    })
}

/// Every hand-written `.rs` file under `crates/*/src` and `xtask/src`, sorted.
fn files(root: &Path) -> Result<Vec<String>> {
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("crates"))
        .context("reading crates/")?
        .map(|e| Ok(e?.path().join("src")))
        .collect::<Result<_>>()?;
    dirs.push(root.join("xtask/src"));
    let mut out = Vec::new();
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)?;
                if !text.starts_with("// @generated") {
                    let rel = path.strip_prefix(root).unwrap_or(&path);
                    out.push(rel.to_string_lossy().into_owned());
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Runs `cargo tools mutants`; false when a file has missed mutants or timeouts.
pub fn main(root: &Path, args: &Args) -> Result<bool> {
    let all = files(root)?;
    let selected: Vec<&str> = if args.files.is_empty() {
        all.iter().map(String::as_str).collect()
    } else {
        args.files
            .iter()
            .map(|f| {
                let f = f.trim_start_matches("./");
                all.iter()
                    .map(String::as_str)
                    .find(|a| *a == f)
                    .with_context(|| {
                        format!("{f} is not a hand-written file of crates/*/src or xtask/src")
                    })
            })
            .collect::<Result<_>>()?
    };
    let packages = packages(root)?;
    let mut scopes: Vec<Scope> = selected
        .iter()
        .map(|f| scope(f, &packages))
        .collect::<Result<_>>()?;
    for scope in &mut scopes {
        if args.own_tests {
            scope.packages.truncate(1);
            scope.packages.extend(args.also.iter().cloned());
        }
        let provider = scope.packages[0]
            .trim_start_matches("telnums-")
            .replace('-', "_");
        scope.targets = args
            .test_target
            .iter()
            .map(|t| t.replace("{provider}", &provider))
            .collect();
    }
    if args.list {
        for scope in &scopes {
            println!(
                "{}: cargo test -p {}",
                scope.file,
                scope.packages.join(" -p ")
            );
        }
        return Ok(true);
    }
    let exclusions = read_exclusions(&root.join(".cargo").join("mutants.toml"))?;
    if !args.report_only {
        refuse_stale(&exclusions, &list_unfiltered(root)?)?;
    }
    let path = root.join("TESTING.md");
    let out_root = target_dir(root).join("mutants");
    let mut clean = true;
    let mut rows = read_rows(&path);
    for scope in &scopes {
        let out = out_root.join(scope.file.trim_end_matches(".rs").replace(['/', '.'], "-"));
        let results = out.join("mutants.out");
        // Which tests ran (the row's column), kept beside the outcomes for
        // `--report-only`, whose own options may differ from the run's.
        let ran = out.join("tests-run.txt");
        let mut tests = tests_column(scope);
        if !args.report_only {
            run_one(root, scope, &out, args.in_place)?;
            std::fs::write(&ran, &tests).with_context(|| format!("writing {}", ran.display()))?;
        } else if args.files.is_empty() && !Counts::measured(&results) {
            continue;
        } else if let Ok(text) = std::fs::read_to_string(&ran) {
            tests = text.trim().to_owned();
        }
        let counts = Counts::read(&results, &scope.file)?;
        clean &= counts.missed.is_empty() && counts.timeouts.is_empty();
        eprintln!(
            "tools mutants: {}: {} tested, {} caught, {} missed, {} unviable, {} timeouts",
            scope.file,
            counts.tested(),
            counts.caught,
            counts.missed.len(),
            counts.unviable,
            counts.timeouts.len()
        );
        rows.insert(scope.file.clone(), counts.row(scope, tests));
    }
    // A file that is gone keeps no row.
    rows.retain(|file, _| all.contains(file));
    write_report(root, "TESTING.md", &render(&all, &rows, &exclusions))?;
    if !clean {
        eprintln!("tools mutants: missed mutants or timeouts (see TESTING.md)");
    }
    Ok(clean)
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

/// Runs cargo-mutants on one file. Its baseline (the tests, unmutated) must pass, and
/// sets the time each mutant's tests may take: four times as long, at least a minute.
/// Every test that waits carries its own time limit, so a mutant that reaches it has
/// hung the tests, which is a bug in the tests rather than a slow machine.
fn run_one(root: &Path, scope: &Scope, out: &Path, in_place: bool) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    touch(root, &scope.file)?;
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args([
            "mutants",
            "--file",
            &scope.file,
            "--no-shuffle",
            "--colors",
            "never",
        ])
        .args(["--timeout-multiplier", "4", "--minimum-test-timeout", "60"])
        .args(["--build-timeout", "600", "--output"])
        .arg(out)
        .args(scope.packages.iter().map(|p| format!("--test-package={p}")));
    if !scope.targets.is_empty() {
        cmd.arg("--cargo-test-arg=--lib");
        for target in &scope.targets {
            cmd.arg("--cargo-test-arg=--test")
                .arg(format!("--cargo-test-arg={target}"));
        }
    }
    // In place there is one tree, so one mutant at a time anyway; in a copy, one at a
    // time too: each build already uses every core.
    if in_place {
        cmd.arg("--in-place");
    } else {
        cmd.args(["--jobs", "1"]);
    }
    eprintln!("tools mutants: running {cmd:?}");
    let status = cmd
        .status()
        .context("running cargo mutants (install it: cargo install --locked cargo-mutants)")?;
    touch(root, &scope.file)?;
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
    /// Whether cargo-mutants left results in `dir` (its `mutants.out`).
    fn measured(dir: &Path) -> bool {
        dir.join("outcomes.json").is_file() || Self::none_found(dir)
    }

    /// Whether cargo-mutants found no mutant to make: it then writes an empty
    /// `mutants.json` and no `outcomes.json`.
    fn none_found(dir: &Path) -> bool {
        !dir.join("outcomes.json").is_file()
            && std::fs::read_to_string(dir.join("mutants.json"))
                .is_ok_and(|text| text.split_whitespace().collect::<String>() == "[]")
    }

    /// The counts of `file` in the results under `dir`.
    fn read(dir: &Path, file: &str) -> Result<Self> {
        let name = if Self::none_found(dir) {
            "lock.json"
        } else {
            "outcomes.json"
        };
        let json = read_json(&dir.join(name), "run without --report-only first")?;
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
        if name == "lock.json" {
            return Ok(counts);
        }
        let outcomes = json["outcomes"]
            .as_array()
            .with_context(|| format!("{}: no outcomes", dir.display()))?;
        for outcome in outcomes {
            let mutant = &outcome["scenario"]["Mutant"];
            if mutant.is_null() {
                // The unmutated baseline.
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

    fn row(&self, scope: &Scope, tests: String) -> Row {
        Row {
            file: scope.file.to_owned(),
            tests,
            tested: self.tested(),
            caught: self.caught,
            missed: self.missed.clone(),
            unviable: self.unviable,
            timeouts: self.timeouts.clone(),
            run: format!("{}, cargo-mutants {}", self.when, self.version),
        }
    }
}

/// The tests-run column of a row: the packages, and the targets when only some ran.
fn tests_column(scope: &Scope) -> String {
    let packages = scope.packages.join(", ");
    if scope.targets.is_empty() {
        packages
    } else {
        format!("{packages} (unit tests and {})", scope.targets.join(", "))
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

const BEGIN: &str = "<!-- mutants:begin (written by cargo tools mutants) -->";
const END: &str = "<!-- mutants:end -->";

/// The rows already in TESTING.md, so that a run over one file keeps the others.
fn read_rows(path: &Path) -> BTreeMap<String, Row> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    // The marker's own line may name an older command: the table starts after it.
    let Some(table) = text
        .split_once("<!-- mutants:begin")
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

/// Every mutant of the workspace as cargo-mutants names it, exclusions not applied.
fn list_unfiltered(root: &Path) -> Result<Vec<String>> {
    let output = cargo()
        .current_dir(root)
        .args(["mutants", "--list", "--no-config", "--colors", "never"])
        .stderr(std::process::Stdio::inherit())
        .output()
        .context(
            "running cargo mutants --list (install it: cargo install --locked cargo-mutants)",
        )?;
    if !output.status.success() {
        bail!("cargo mutants --list failed ({})", output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// Refuses an exclusion that matches none of `mutants`: once the code it named has
/// moved, it excludes nothing today and could silently hide a new mutant later.
fn refuse_stale(exclusions: &[Exclusion], mutants: &[String]) -> Result<()> {
    let mut stale = Vec::new();
    for exclusion in exclusions {
        let re = regex::Regex::new(&exclusion.pattern)
            .with_context(|| format!("exclusion `{}` is not a regex", exclusion.pattern))?;
        if !mutants.iter().any(|m| re.is_match(m)) {
            stale.push(format!("  {}", exclusion.pattern));
        }
    }
    if !stale.is_empty() {
        bail!(
            "these exclusions in .cargo/mutants.toml match no mutant; remove them or fix \
             their patterns:\n{}",
            stale.join("\n")
        );
    }
    Ok(())
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

/// TESTING.md: the rows in the order of `files`, then any other rows kept from before.
fn render(files: &[String], rows: &BTreeMap<String, Row>, exclusions: &[Exclusion]) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push_str(BEGIN);
    out.push_str(
        "\n\n| file | tests run | tested | caught | missed | unviable | timeouts | run |\n\
         |---|---|---:|---:|---:|---:|---:|---|\n",
    );
    let order = files.iter().chain(rows.keys()).map(String::as_str);
    let mut done = BTreeSet::new();
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
    let unmeasured: Vec<&String> = files.iter().filter(|f| !rows.contains_key(*f)).collect();
    if !unmeasured.is_empty() {
        out.push_str("\nNot measured yet:\n\n");
        for file in unmeasured {
            let _ = writeln!(out, "- `{file}`");
        }
    }
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
         mutant; a run refuses to start while a pattern matches no mutant of the \
         workspace.\n\n| pattern | why |\n|---|---|\n",
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

The table is written by `cargo tools mutants` from cargo-mutants' `outcomes.json`:

```sh
cargo install --locked cargo-mutants      # once
cargo tools mutants --list                # the files and the tests each one runs
cargo tools mutants --file crates/core/src/retry.rs
cargo tools mutants --file crates/core/src/listing/engine.rs --in-place --own-tests
cargo tools mutants                       # every file (many hours on 2 cores)
cargo tools mutants --report-only         # TESTING.md from the outcomes under target/
```

The files are every hand-written `.rs` file under `crates/*/src` and `xtask/src`. Each
is run with the tests of the packages that can see it, as `cargo metadata` tells: its
own package and every workspace package that depends on it, directly or not (the *tests
run* column), one mutant at a time (`-j 1`). cargo-mutants first runs those tests
unmutated; each mutant's tests may then take four times as long, at least a minute.
`--in-place` mutates the working tree instead of a copy and reuses its target directory
(much faster; leave the tree alone while it runs). `--own-tests` runs only the tests of
the file's own package (`--also P` adds package P's, `--test-target T` keeps only
integration target T besides the unit tests): a row made that way names just those in
its *tests run* column. Generated code (`generated.rs`,
`filters.rs`) is not mutated: it is progenitor's and the xtask's output, checked byte for
byte by `cargo xtask check`. A file cargo-mutants finds nothing to mutate in (only
declarations, macro definitions or tests) has a row of zeros; a file with no row yet is
listed under the table as not measured.

";

#[cfg(test)]
mod tests {
    use super::*;

    fn package(name: &str, dir: &str, deps: &[&str]) -> Package {
        let deps = deps.iter().map(|d| (*d).to_owned()).collect();
        Package {
            name: name.to_owned(),
            dir: dir.to_owned(),
            deps,
        }
    }

    #[test]
    fn a_file_is_tested_by_its_package_and_every_dependent() {
        let packages = [
            package("core", "crates/core", &[]),
            package("zoom", "crates/zoom", &["core"]),
            package("vonage", "crates/vonage", &["core"]),
            package("facade", "crates/facade", &["zoom", "vonage"]),
            package("tests", "tests", &["facade", "core"]),
            package("xtask", "xtask", &[]),
            package("tools", "tools", &["xtask"]),
            package("inner", "crates/zoom/inner", &[]),
        ];
        let tested = |file: &str| scope(file, &packages).expect("a scope").packages;
        assert_eq!(
            tested("crates/zoom/src/paging.rs"),
            ["zoom", "facade", "tests"]
        );
        assert_eq!(
            tested("crates/core/src/retry.rs"),
            ["core", "facade", "tests", "vonage", "zoom"]
        );
        assert_eq!(tested("xtask/src/spec.rs"), ["xtask", "tools"]);
        // The deepest package directory holds the file.
        assert_eq!(tested("crates/zoom/inner/src/lib.rs"), ["inner"]);
        assert!(scope("elsewhere/x.rs", &packages).is_err());
    }

    #[test]
    fn the_list_holds_every_hand_written_file_and_no_generated_one() {
        let root = xtask::workspace_root();
        let files = files(&root).expect("files");
        for file in [
            "crates/core/src/retry.rs",
            "crates/cli/src/main.rs",
            "xtask/src/preprocess.rs",
            "xtask/src/spec.rs",
        ] {
            assert!(files.iter().any(|f| f == file), "{file} is listed");
        }
        let generated =
            |f: &String| f.ends_with("src/generated.rs") || f.ends_with("src/filters.rs");
        assert!(!files
            .iter()
            .any(|f| f.starts_with("crates/") && generated(f)));
        let scopes = packages(&root).expect("cargo metadata");
        let retry = scope("crates/core/src/retry.rs", &scopes).expect("a scope");
        assert_eq!(retry.packages[0], "telnums-core");
        assert!(
            retry.packages.iter().any(|p| p == "telnums-tests"),
            "{retry:?}"
        );
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
        let files = ["crates/core/src/retry.rs", "crates/core/src/info.rs"].map(String::from);
        let text = render(&files, &rows, &[]);
        assert!(
            text.contains("Not measured yet:\n\n- `crates/core/src/info.rs`\n"),
            "{text}"
        );
        assert!(!text.contains("- `crates/core/src/retry.rs`"), "{text}");
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

    #[test]
    fn a_file_without_mutants_counts_as_measured_with_nothing_tested() {
        let dir = tempfile::tempdir().expect("tempdir");
        let results = dir.path();
        assert!(!Counts::measured(results), "nothing there yet");
        let lock = r#"{"cargo_mutants_version": "27.1.0", "start_time": "2026-12-03T18:38:46Z"}"#;
        std::fs::write(results.join("lock.json"), lock).expect("write");
        std::fs::write(results.join("mutants.json"), "[\n]\n").expect("write");
        assert!(Counts::measured(results));
        let none = Counts::read(results, "crates/a/src/info.rs").expect("reads");
        assert_eq!((none.tested(), none.version.as_str()), (0, "27.1.0"));
        assert_eq!(none.when, "2026-12-03");
        // A list with mutants but no outcomes is a run that did not finish.
        std::fs::write(results.join("mutants.json"), r#"[{"name": "m"}]"#).expect("write");
        assert!(!Counts::measured(results));
        assert!(Counts::read(results, "crates/a/src/info.rs").is_err());
        let outcomes = r#"{"cargo_mutants_version": "27.1.0", "start_time": "2026-12-04T00:00:00Z",
            "outcomes": [{"scenario": "Baseline", "summary": "Success"},
            {"scenario": {"Mutant": {"file": "crates/a/src/info.rs", "name": "m"}},
             "summary": "CaughtMutant"}]}"#;
        std::fs::write(results.join("outcomes.json"), outcomes).expect("write");
        assert!(Counts::measured(results));
        let one = Counts::read(results, "crates/a/src/info.rs").expect("reads");
        assert_eq!(
            (one.tested(), one.caught, one.when.as_str()),
            (1, 1, "2026-12-04")
        );
    }

    #[test]
    fn an_exclusion_that_matches_no_mutant_is_refused() {
        let exclusion = |pattern: &str| Exclusion {
            pattern: pattern.to_owned(),
            reason: "equivalent".to_owned(),
        };
        let mutants = [
            "crates/a/src/lib.rs:3:9: replace < with <= in f".to_owned(),
            "crates/a/src/lib.rs:7:5: delete ! in g".to_owned(),
        ];
        let live = [
            exclusion(r"crates/a/src/lib\.rs:\d+:9: replace < with <= in f$"),
            exclusion(r"delete ! in g$"),
        ];
        refuse_stale(&live, &mutants).expect("both match");
        let stale = [
            live[0].clone(),
            exclusion(r"lib\.rs:\d+:62: delete ! in g$"),
        ];
        let err = refuse_stale(&stale, &mutants).expect_err("one matches nothing");
        let text = err.to_string();
        assert!(text.contains(":62: delete ! in g$"), "{text}");
        assert!(!text.contains("in f$"), "{text}");
        let err = refuse_stale(&[exclusion("(")], &mutants).expect_err("not a regex");
        assert!(err.to_string().contains("not a regex"), "{err}");
    }
}
