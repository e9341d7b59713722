//! `cargo tools fuzz`: seed corpora, run the cargo-fuzz targets in `fuzz/` and record
//! each run in `fuzz/runs.json`, and write `FUZZING.md` from that record.
//!
//! * `--seed` writes `fuzz/seeds/<target>/` from the specs' response examples and the
//!   tests' fixtures (committed; the regression test runs them on stable too).
//! * `--run [--target T] [--runs N] [--max-time S]` runs `cargo +nightly fuzz run` for each target (or
//!   `T`) under `nice`, one process, until N executions (default: the target's
//!   `min_runs` from `fuzz/targets.toml`), and appends what libFuzzer's final statistics
//!   say to `fuzz/runs.json`: executions, seconds, corpus size, and for a crash the
//!   artifact and the panic message.
//! * `--report` writes `FUZZING.md` from `fuzz/runs.json`; `--check` fails when
//!   `FUZZING.md` is not what `--report` would write (cheap: CI runs it, never a fuzzer).
//!
//! A crash counts as fixed once its input is committed under
//! `fuzz/regressions/<target>/` (with the artifact's file name) and a later run of the
//! target is clean; anything else is an open crash.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use xtask::spec;

use crate::common::{output, thousands, utc, write_report};

/// Options of `cargo tools fuzz`.
#[derive(Debug, clap::Args)]
pub struct Args {
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
    target_dir: Option<PathBuf>,
    /// Write FUZZING.md from fuzz/runs.json.
    #[arg(long)]
    report: bool,
    /// Fail when FUZZING.md is not what --report would write.
    #[arg(long)]
    check: bool,
}

/// Runs `cargo tools fuzz`; false when a run crashed or FUZZING.md is stale.
pub fn main(root: &Path, args: Args) -> Result<bool> {
    if !(args.seed || args.run || args.report || args.check) {
        bail!("say what to do: --seed, --run, --report or --check");
    }
    let mut ok = true;
    if args.seed {
        println!("wrote {} seed files under fuzz/seeds/", seed(root)?);
    }
    if args.run {
        let options = RunOptions {
            target: args.target,
            runs: args.runs,
            max_time: args.max_time,
            target_dir: args.target_dir.unwrap_or_else(|| default_target_dir(root)),
        };
        ok &= run(root, &options)?;
    }
    if args.report {
        write_report(root, "FUZZING.md", &report(root)?)?;
    }
    if args.check {
        let current = std::fs::read_to_string(root.join("FUZZING.md")).unwrap_or_default();
        if current != report(root)? {
            eprintln!(
                "FUZZING.md is not up to date with fuzz/runs.json: run `cargo tools fuzz --report`"
            );
            return Ok(false);
        }
        println!("FUZZING.md matches fuzz/runs.json");
    }
    Ok(ok)
}

/// The libFuzzer flags every run uses besides `-runs`.
const LIBFUZZER_FLAGS: &[&str] = &[
    "-print_final_stats=1",
    "-timeout=10",
    "-rss_limit_mb=2048",
    "-max_len=8192",
];

/// The cargo-fuzz build flags: no sanitizer (the workspace forbids `unsafe`; what is
/// looked for are panics, arithmetic overflow and broken properties) and debug
/// assertions on, so an overflow panics as it would in a debug build.
const BUILD_FLAGS: &[&str] = &["--sanitizer", "none", "--debug-assertions"];

/// One target as `fuzz/targets.toml` describes it.
#[derive(Debug, Clone)]
pub struct TargetInfo {
    /// The cargo-fuzz target name.
    pub name: String,
    /// What it checks.
    pub checks: String,
    /// Executions a run must reach.
    pub min_runs: u64,
}

/// Reads `fuzz/targets.toml`.
fn targets(root: &Path) -> Result<Vec<TargetInfo>> {
    let path = root.join("fuzz/targets.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let table: toml::Table = toml::from_str(&text).context("parsing fuzz/targets.toml")?;
    let list = table
        .get("target")
        .and_then(|t| t.as_array())
        .context("fuzz/targets.toml has no [[target]]")?;
    list.iter()
        .map(|t| {
            let field = |k: &str| t.get(k).with_context(|| format!("a target has no `{k}`"));
            Ok(TargetInfo {
                name: field("name")?.as_str().context("name")?.to_owned(),
                checks: field("checks")?
                    .as_str()
                    .context("checks")?
                    .trim()
                    .to_owned(),
                min_runs: u64::try_from(field("min_runs")?.as_integer().context("min_runs")?)?,
            })
        })
        .collect()
}

fn runs_path(root: &Path) -> PathBuf {
    root.join("fuzz/runs.json")
}

fn load_runs(root: &Path) -> Result<Value> {
    match std::fs::read_to_string(runs_path(root)) {
        Ok(text) => serde_json::from_str(&text).context("parsing fuzz/runs.json"),
        Err(_) => Ok(json!({ "runs": [] })),
    }
}

fn save_runs(root: &Path, runs: &Value) -> Result<()> {
    let text = serde_json::to_string_pretty(runs)? + "\n";
    std::fs::write(runs_path(root), text).context("writing fuzz/runs.json")
}

// --- seeds ---------------------------------------------------------------------------

/// Writes `fuzz/seeds/<target>/`: response examples of each spec for the page decoders
/// and the Fone envelope, and the values the unit tests use for the text parsers.
/// Returns how many files were written.
fn seed(root: &Path) -> Result<usize> {
    let dir = root.join("fuzz/seeds");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).context("clearing fuzz/seeds")?;
    }
    let mut written = 0;
    let mut put = |target: &str, name: &str, bytes: &[u8]| -> Result<()> {
        let d = dir.join(target);
        std::fs::create_dir_all(&d)?;
        std::fs::write(d.join(name), bytes)?;
        written += 1;
        Ok(())
    };
    for key in xtask::PROVIDERS {
        let spec = xtask::load_spec(&xtask::spec_path(root, key))?;
        let target = format!("page_{}", key.split('-').next().unwrap_or(key));
        for (i, example) in response_examples(&spec).iter().enumerate() {
            let body = serde_json::to_vec_pretty(example)?;
            // First byte: the chunk size the body is fed to `BodyBuffer` in (0: whole).
            let chunk = if i % 2 == 0 { 0u8 } else { 7u8 };
            put(
                &target,
                &format!("spec-{i:02}.bin"),
                &[&[chunk], &body[..]].concat(),
            )?;
            if *key == "fone-dynamics" {
                put("fone_envelope", &format!("spec-{i:02}.json"), &body)?;
            }
        }
    }
    // Link headers from the Webex tests (crates/webex-calling/src/paging.rs, the
    // runtime tests): 12 bytes of start/count/page size, then the header lines.
    let link_params: Vec<u8> = [0u32, 2, 2].iter().flat_map(|v| v.to_le_bytes()).collect();
    for (i, link) in [
        r#"<https://webexapis.com/v1/telephony/config/numbers?start=0&max=2>; rel="prev", <https://webexapis.com/v1/telephony/config/numbers?orgId=a,b&start=4&max=2>; rel="next""#,
        "</v1/x?start=6>; rel=next",
        "</v1/x?start=6>;REL=\"first next\"",
        "  < /v1/x?start=6 > ; rel=\"next\"  ",
        "</v1/x?start=0>; rel=\"first\"",
        "</v1/x?start=2>; rel=\"prev\"\n</v1/x?start=4>; rel=\"next\"",
    ]
    .iter()
    .enumerate()
    {
        put(
            "link_header",
            &format!("test-{i:02}.bin"),
            &[&link_params[..], link.as_bytes()].concat(),
        )?;
    }
    // Retry-After values from crates/core/src/retry.rs's tests: mode 0, "now" =
    // 1_700_000_000, then the text; and one round-trip input (mode 1).
    let now = 1_700_000_000u32.to_le_bytes();
    for (i, value) in [
        " 7 ",
        "1.5",
        "Tue, 14 Nov 2023 22:13:30 GMT",
        "2023-11-14T22:13:22.500Z",
        "2023-11-14T23:13:21+01:00",
        "2023-11-14T22:13:24",
        "-3",
        "18446744073709551615",
        "1e300",
        "86400",
    ]
    .iter()
    .enumerate()
    {
        put(
            "retry_after",
            &format!("test-{i:02}.bin"),
            &[&[0u8][..], &now, value.as_bytes()].concat(),
        )?;
    }
    put(
        "retry_after",
        "roundtrip.bin",
        &[&[1u8][..], &now, &120u32.to_le_bytes()].concat(),
    )?;
    // E.164 from the facade's docs and the README.
    for (i, value) in [
        "61 2 5550-1234",
        "0061 2 5550 1234",
        "+1 (202) 555-0100",
        "ext. 12",
        "02 5550 1234",
        "+1234567890123456",
        "+61 2 5550-1234",
        "4155551234",
        "+1800FLOWERS",
        "+18005555555",
    ]
    .iter()
    .enumerate()
    {
        put("e164", &format!("doc-{i:02}.txt"), value.as_bytes())?;
    }
    // OAuth2 token responses as in the runtime tests: 2 bytes of status - 100, then
    // the body.
    let status = |s: u16| (s - 100).to_le_bytes();
    for (i, (code, body)) in [
        (
            200,
            r#"{"access_token":"tok-1","token_type":"bearer","expires_in":3599}"#,
        ),
        (200, r#"{"access_token":"tok-2","expires_in":"3600"}"#),
        (200, r#"{"access_token":"tok-3"}"#),
        (
            401,
            r#"{"error":"invalid_client","error_description":"Bad client"}"#,
        ),
        (400, r#"{"reason":"Invalid account"}"#),
        (502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
    ]
    .iter()
    .enumerate()
    {
        put(
            "oauth_token",
            &format!("test-{i:02}.bin"),
            &[&status(*code)[..], body.as_bytes()].concat(),
        )?;
    }
    // wire helpers: an nginx error page for one_line (mode 0, max 200), a reqwest-like
    // chain for describe_chain (mode 1), chunk sizes for BodyBuffer (mode 2).
    put(
        "wire_text",
        "one-line-502.bin",
        &[
            &[0u8, 200][..],
            b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
        ]
        .concat(),
    )?;
    put(
        "wire_text",
        "chain.bin",
        &[
            &[1u8, 0][..],
            b"error sending request\0client error (Connect)\0tcp connect error: Connection refused (os error 111)\0Connection refused (os error 111)",
        ]
        .concat(),
    )?;
    put(
        "wire_text",
        "buffer.bin",
        &[
            0x02, 0, 0x00, 0x04, 1, 0x00, 0x01, 0, 3, 0x10, 0, 0x40, 0, 0x00, 0x02,
        ][..],
    )?;
    // telnums.toml from the README and the CLI tests.
    for (i, text) in [
        "[webex-calling]\norg_id = \"Y2lzY29z\"\ntoken_env = \"WEBEX_TOKEN\"\n\n[apple-business]\nbase_url = \"https://businessconnect.apple.com/api/v1\"\norg_id = \"9467895078742654934\"\nbrand_id = \"9467895078742654921\"\n\n[fone-dynamics]\naccount_sid = \"AC0001\"\n\n[vonage-cc]\nregion = \"nam\"\n\n[zoom-phone]\n",
        "[zoom-phone]\n",
        "[vonage-cc]\nregion = \"mars\"\n",
        "[webex-calling]\ntoken_env = \"UNSET\"\n",
        "[zoom-phone]\nbase_url = \"ftp://x\"\n",
        "[fone-dynamics]\nproperty_sid = \"PR1\"\ntoken_env = \"T\"\n",
    ]
    .iter()
    .enumerate()
    {
        put("cli_config", &format!("readme-{i:02}.toml"), text.as_bytes())?;
    }
    Ok(written)
}

/// Every response-body example of `doc` (`example` and `examples.*.value`), `$ref`s
/// resolved, in document order.
fn response_examples(doc: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for op in spec::operations(doc) {
        for (_, response) in op.responses(doc) {
            for (_, body) in spec::entries(response.value.get("content")) {
                out.extend(body.get("example").cloned());
                for (_, example) in spec::entries(body.get("examples")) {
                    let (example, _) = spec::resolve(doc, example, "");
                    out.extend(example.get("value").cloned());
                }
            }
        }
    }
    out
}

// --- runs ----------------------------------------------------------------------------

/// Options of `cargo tools fuzz --run`.
#[derive(Debug)]
struct RunOptions {
    /// Only this target.
    target: Option<String>,
    /// Executions per target instead of its `min_runs`.
    runs: Option<u64>,
    /// Stop each target after this many seconds even if it has not reached its
    /// executions (libFuzzer's `-max_total_time`); the run is recorded with what it did.
    max_time: Option<u64>,
    /// cargo-fuzz's target directory.
    target_dir: PathBuf,
}

/// The default target directory of the nightly fuzz build: `$CARGO_TARGET_DIR/nightly`
/// when that is set (keeping the instrumented build apart from the stable one), else
/// `fuzz/target`.
fn default_target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir).join("nightly"),
        None => root.join("fuzz/target"),
    }
}

/// Runs the targets and records each run in `fuzz/runs.json` as soon as it ends.
/// Returns false when any run crashed.
fn run(root: &Path, options: &RunOptions) -> Result<bool> {
    let all = targets(root)?;
    let selected: Vec<&TargetInfo> = match &options.target {
        Some(name) => vec![all
            .iter()
            .find(|t| &t.name == name)
            .with_context(|| format!("no fuzz target `{name}` in fuzz/targets.toml"))?],
        None => all.iter().collect(),
    };
    let toolchain = output("rustc", &["+nightly", "--version"])?;
    let commit = output("git", &["rev-parse", "--short", "HEAD"])?;
    let mut clean = true;
    for target in selected {
        let runs = options.runs.unwrap_or(target.min_runs);
        let corpus = root.join("fuzz/corpus").join(&target.name);
        let seeds = root.join("fuzz/seeds").join(&target.name);
        std::fs::create_dir_all(&corpus)?;
        let mut cmd = Command::new("nice");
        cmd.current_dir(root)
            .args(["cargo", "+nightly", "fuzz", "run"])
            .args(BUILD_FLAGS)
            .arg("--target-dir")
            .arg(&options.target_dir)
            .arg(&target.name)
            .arg(&corpus);
        if seeds.is_dir() {
            cmd.arg(&seeds);
        }
        cmd.arg("--")
            .arg(format!("-runs={runs}"))
            .args(LIBFUZZER_FLAGS);
        if let Some(secs) = options.max_time {
            cmd.arg(format!("-max_total_time={secs}"));
        }
        println!("fuzz: {} for {runs} executions", target.name);
        let started = Instant::now();
        let output = cmd.output().context("running cargo +nightly fuzz run")?;
        let seconds = started.elapsed().as_secs_f64();
        let log = String::from_utf8_lossy(&output.stderr).into_owned()
            + &String::from_utf8_lossy(&output.stdout);
        let log_path = root
            .join("fuzz/artifacts")
            .join(format!("{}.log", target.name));
        if let Some(dir) = log_path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&log_path, &log)?;
        let stats = Stats::parse(&log);
        let Some(executions) = stats.executions else {
            bail!(
                "{}: no libFuzzer statistics in the output (build failed?); see {}",
                target.name,
                log_path.display()
            );
        };
        let (files, bytes) = corpus_size(&corpus)?;
        let crashed = !output.status.success() || stats.artifact.is_some();
        clean &= !crashed;
        let mut entry = json!({
            "target": target.name,
            "date": utc("%Y-%m-%dT%H:%M:%SZ")?,
            "commit": commit,
            "toolchain": toolchain,
            "build": BUILD_FLAGS.join(" "),
            "requested_runs": runs,
            "max_time": options.max_time,
            "executions": executions,
            "seconds": (seconds * 10.0).round() / 10.0,
            "exec_per_sec": stats.exec_per_sec,
            "new_units": stats.new_units,
            "peak_rss_mb": stats.peak_rss_mb,
            "corpus_files": files,
            "corpus_bytes": bytes,
            "result": if crashed { "crash" } else { "ok" },
        });
        if crashed {
            entry["artifact"] = json!(stats
                .artifact
                .as_deref()
                .and_then(|a| Path::new(a).file_name())
                .map(|f| f.to_string_lossy().into_owned()));
            entry["panic"] = json!(stats.panic);
        }
        println!(
            "fuzz: {}: {} executions in {:.0} s, corpus {files} files, {}",
            target.name,
            executions,
            seconds,
            if crashed { "CRASH" } else { "ok" }
        );
        if let Some(p) = &stats.panic {
            println!("fuzz: {}: {p}", target.name);
        }
        let mut record = load_runs(root)?;
        record["runs"]
            .as_array_mut()
            .context("fuzz/runs.json: `runs` is not a list")?
            .push(entry);
        save_runs(root, &record)?;
    }
    Ok(clean)
}

fn corpus_size(dir: &Path) -> Result<(u64, u64)> {
    let mut files = 0;
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir)? {
        let meta = entry?.metadata()?;
        if meta.is_file() {
            files += 1;
            bytes += meta.len();
        }
    }
    Ok((files, bytes))
}

/// What libFuzzer's output says about a run.
#[derive(Debug, Default, PartialEq)]
pub struct Stats {
    /// `stat::number_of_executed_units`.
    pub executions: Option<u64>,
    /// `stat::average_exec_per_sec`.
    pub exec_per_sec: Option<u64>,
    /// `stat::new_units_added`.
    pub new_units: Option<u64>,
    /// `stat::peak_rss_mb`.
    pub peak_rss_mb: Option<u64>,
    /// The input that crashed (`Test unit written to …`).
    pub artifact: Option<String>,
    /// The first line of the panic message, when a check panicked.
    pub panic: Option<String>,
}

impl Stats {
    /// Reads the final statistics (`-print_final_stats=1`) and any crash from `log`.
    pub fn parse(log: &str) -> Self {
        let mut stats = Stats::default();
        let mut lines = log.lines().peekable();
        while let Some(line) = lines.next() {
            let stat = |name: &str| {
                line.strip_prefix(name)
                    .and_then(|rest| rest.trim().parse::<u64>().ok())
            };
            if let Some(n) = stat("stat::number_of_executed_units:") {
                stats.executions = Some(n);
            } else if let Some(n) = stat("stat::average_exec_per_sec:") {
                stats.exec_per_sec = Some(n);
            } else if let Some(n) = stat("stat::new_units_added:") {
                stats.new_units = Some(n);
            } else if let Some(n) = stat("stat::peak_rss_mb:") {
                stats.peak_rss_mb = Some(n);
            } else if let Some(rest) = line.split_once("Test unit written to ") {
                stats.artifact = Some(rest.1.trim().to_owned());
            } else if line.contains("panicked at ") && stats.panic.is_none() {
                // Rust prints the location, then the message on the next line.
                let message = lines.peek().map(|l| l.trim()).unwrap_or_default();
                stats.panic = Some(truncate(message, 300));
            }
        }
        stats
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        text.chars().take(max).collect::<String>() + "…"
    }
}

// --- report --------------------------------------------------------------------------

/// A crash and what became of it.
#[derive(Debug)]
struct Finding {
    target: String,
    date: String,
    artifact: String,
    panic: String,
    regression: Option<String>,
    fixed_by: Option<String>,
    fixed: bool,
    /// Why a recorded crash was not a defect (set by hand in runs.json, e.g. a timeout
    /// caused by suspending the fuzzer); such a run's executions count as clean.
    spurious: Option<String>,
}

/// A run that found nothing: `ok`, or a crash recorded as spurious (see
/// [`Finding::spurious`]).
fn is_clean(run: &Value) -> bool {
    run["result"] == "ok" || (run["result"] == "crash" && run["spurious"].is_string())
}

/// The text of `FUZZING.md` from `fuzz/runs.json`, `fuzz/targets.toml`, the committed
/// regression inputs and their commits.
fn report(root: &Path) -> Result<String> {
    let targets = targets(root)?;
    let record = load_runs(root)?;
    let runs: Vec<&Value> = record["runs"]
        .as_array()
        .map(|r| r.iter().collect())
        .unwrap_or_default();
    let str_of = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
    let u64_of = |v: &Value, k: &str| v[k].as_u64().unwrap_or(0);

    let mut findings = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        if run["result"] != "crash" {
            continue;
        }
        let target = str_of(run, "target");
        let artifact = str_of(run, "artifact");
        let regression = format!("fuzz/regressions/{target}/{artifact}");
        let committed = !artifact.is_empty() && root.join(&regression).is_file();
        let clean_after = runs[i + 1..]
            .iter()
            .any(|r| r["target"] == target.as_str() && is_clean(r));
        let fixed_by = if committed {
            let log = output(
                "git",
                &[
                    "log",
                    "--diff-filter=A",
                    "--format=%h %s",
                    "--",
                    &regression,
                ],
            )?;
            log.lines().last().map(str::to_owned)
        } else {
            None
        };
        findings.push(Finding {
            spurious: run["spurious"].as_str().map(str::to_owned),
            date: str_of(run, "date"),
            panic: str_of(run, "panic"),
            regression: committed.then_some(regression),
            fixed: committed && clean_after,
            fixed_by,
            artifact,
            target,
        });
    }
    let open = findings
        .iter()
        .filter(|f| !f.fixed && f.spurious.is_none())
        .count();

    let mut out = String::new();
    out.push_str("# Fuzzing\n\n");
    out.push_str(
        "Generated by `cargo tools fuzz --report` from [fuzz/runs.json](fuzz/runs.json) \
         (written by `cargo tools fuzz --run`, which drives `cargo +nightly fuzz run` and \
         reads libFuzzer's final statistics) and [fuzz/targets.toml](fuzz/targets.toml); \
         do not edit. How to run the fuzzers: README, *Fuzzing*.\n\n",
    );
    out.push_str(&format!(
        "Build: `cargo fuzz run {}` (no sanitizer: the workspace forbids `unsafe`, and what \
         the checks look for are panics, arithmetic overflow and broken properties); one \
         libFuzzer process per target under `nice`, flags `{}`. Machine: 2 cores shared \
         with other builds, so executions per second are low and vary.\n\n",
        BUILD_FLAGS.join(" "),
        LIBFUZZER_FLAGS.join(" ")
    ));
    out.push_str(&format!(
        "**Open crashes: {open}.** Findings: {} (each with the commit that fixed it, in \
         the code or, where the check itself was wrong, in the check; its input is \
         committed under `fuzz/regressions/<target>/` and run by `cargo test` on \
         stable).\n\n",
        findings.len()
    ));
    out.push_str(
        "| target | executions (last clean run) | clean since last finding | needed | time \
         (last run) | exec/s | corpus | total executions | findings | status |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    let mut details = String::new();
    for t in &targets {
        let mine: Vec<&&Value> = runs
            .iter()
            .filter(|r| r["target"] == t.name.as_str())
            .collect();
        let last_clean = mine.iter().rev().find(|r| is_clean(r));
        let last_crash = mine.iter().rposition(|r| !is_clean(r));
        let clean_after_crash = match (last_crash, mine.iter().rposition(|r| is_clean(r))) {
            (Some(c), Some(o)) => o > c,
            (None, _) => true,
            (Some(_), None) => false,
        };
        let total: u64 = mine.iter().map(|r| u64_of(r, "executions")).sum();
        let found = findings.iter().filter(|f| f.target == t.name).count();
        let (execs, time, speed, corpus) = match last_clean {
            Some(r) => (
                group(u64_of(r, "executions")),
                format!("{:.0} s", r["seconds"].as_f64().unwrap_or(0.0)),
                match u64_of(r, "exec_per_sec") {
                    // libFuzzer reports 0 for runs shorter than a second.
                    0 => "—".to_owned(),
                    n => group(n),
                },
                format!(
                    "{} files, {} KiB",
                    u64_of(r, "corpus_files"),
                    u64_of(r, "corpus_bytes").div_ceil(1024)
                ),
            ),
            None => ("—".into(), "—".into(), "—".into(), "—".into()),
        };
        // Clean executions since the last crash (runs resume from the saved corpus, so a
        // target may reach its minimum over several runs).
        let since_fix: u64 = mine[last_crash.map_or(0, |c| c + 1)..]
            .iter()
            .filter(|r| is_clean(r))
            .map(|r| u64_of(r, "executions"))
            .sum();
        let enough = since_fix >= t.min_runs;
        let status = match (enough && clean_after_crash, last_clean.is_some()) {
            (true, _) => "done",
            (false, true) => "too few executions",
            (false, false) => "not run",
        };
        out.push_str(&format!(
            "| `{}` | {execs} | {} | {} | {time} | {speed} | {corpus} | {} | {found} | {status} |\n",
            t.name,
            group(since_fix),
            group(t.min_runs),
            group(total),
        ));
        details.push_str(&format!("- **`{}`**: {}\n", t.name, t.checks));
    }
    out.push_str("\n## What each target checks\n\n");
    out.push_str(
        "Each target calls one function of [fuzz/checks](fuzz/checks/src/lib.rs) \
         (`telnums-fuzz-checks`), which feeds the input to the parser's own entry point \
         (a `#[doc(hidden)] pub` item of the crate that owns it) and panics when a \
         property fails.\n\n",
    );
    out.push_str(&details);
    out.push_str("\n## Findings\n\n");
    if findings.is_empty() {
        out.push_str("None.\n");
    }
    for f in &findings {
        out.push_str(&format!(
            "- `{}`, {}: {}\n  - input: {}\n  - fix: {}\n  - status: {}\n",
            f.target,
            f.date,
            if f.panic.is_empty() {
                "(no panic message)"
            } else {
                &f.panic
            },
            f.regression
                .as_deref()
                .map(|r| format!("[{r}]({r})"))
                .unwrap_or_else(|| format!("`{}` (not committed)", f.artifact)),
            match (&f.spurious, f.fixed_by.as_deref()) {
                (Some(_), _) => "none needed",
                (None, fixed_by) => fixed_by.unwrap_or("—"),
            },
            match (&f.spurious, f.fixed) {
                (Some(why), _) => format!("not a defect: {why}"),
                (None, true) => "fixed, later run clean".to_owned(),
                (None, false) => "OPEN".to_owned(),
            },
        ));
    }
    Ok(out)
}

/// `1234567` as `1,234,567`.
fn group(n: u64) -> String {
    thousands(n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_final_stats_and_crashes() {
        let log = "#1000000\tDONE   cov: 10 ft: 20 corp: 5/100b exec/s: 50000 rss: 40Mb\n\
                   Done 1000000 runs in 20 second(s)\n\
                   stat::number_of_executed_units: 1000000\n\
                   stat::average_exec_per_sec:     50000\n\
                   stat::new_units_added:          12\n\
                   stat::slowest_unit_time_sec:    0\n\
                   stat::peak_rss_mb:              40\n";
        let s = Stats::parse(log);
        assert_eq!(s.executions, Some(1_000_000));
        assert_eq!(s.exec_per_sec, Some(50_000));
        assert_eq!(s.new_units, Some(12));
        assert_eq!(s.peak_rss_mb, Some(40));
        assert_eq!(s.artifact, None);

        let crash = "thread '<unnamed>' panicked at fuzz/checks/src/lib.rs:10:5:\n\
                     next 5 after page 5\n\
                     ==1== ERROR: libFuzzer: deadly signal\n\
                     artifact_prefix='fuzz/artifacts/cursors/'; Test unit written to fuzz/artifacts/cursors/crash-abc\n\
                     stat::number_of_executed_units: 4242\n";
        let s = Stats::parse(crash);
        assert_eq!(s.executions, Some(4242));
        assert_eq!(
            s.artifact.as_deref(),
            Some("fuzz/artifacts/cursors/crash-abc")
        );
        assert_eq!(s.panic.as_deref(), Some("next 5 after page 5"));
    }

    #[test]
    fn a_crash_is_clean_only_when_marked_spurious() {
        let ok = serde_json::json!({ "result": "ok" });
        let crash = serde_json::json!({ "result": "crash", "artifact": "timeout-1" });
        let spurious = serde_json::json!({
            "result": "crash",
            "artifact": "timeout-1",
            "spurious": "suspended"
        });
        assert!(is_clean(&ok));
        assert!(!is_clean(&crash));
        assert!(is_clean(&spurious));
        assert!(!is_clean(&serde_json::json!({ "result": "ok?" })));
    }
}
