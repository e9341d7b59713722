//! The end-to-end benchmark of `cargo tools bench`: the release `telnums` binary listing
//! numbers from a local provider server (`e2e-server`, its own process) against the
//! hand-written sequential lister `e2e-baseline`, in one run, for every output format,
//! with and without added latency. Each listing is timed by `/usr/bin/time` (wall, user
//! and system CPU, peak RSS), its `write` system calls are counted by `strace -c` in a
//! separate run, and both listers' outputs are compared byte for byte once.
//!
//! Results go to `target/telnums-bench/e2e.json`, which `BENCHMARKS.md` is rendered from.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::common::cargo;

/// The token both listers send; the local server does not check it.
const TOKEN: &str = "bench-token-not-a-secret";

/// Where the server and the listers run.
#[derive(Clone, Copy, PartialEq)]
enum Placement {
    /// Wherever the kernel puts them (on this 2-core machine they share the cores).
    Free,
    /// The server and the lister both pinned to CPU 0 (`taskset -c 0`): every cycle the
    /// lister spends is one the server does not get.
    Shared,
    /// The server on CPU 1, the lister on CPU 0.
    Apart,
}

impl Placement {
    fn name(self) -> &'static str {
        match self {
            Placement::Free => "free",
            Placement::Shared => "shared",
            Placement::Apart => "apart",
        }
    }
    /// The CPU list for `taskset -c` of the server and of the lister, when pinned.
    fn cpus(self) -> Option<(&'static str, &'static str)> {
        match self {
            Placement::Free => None,
            Placement::Shared => Some(("0", "0")),
            Placement::Apart => Some(("1", "0")),
        }
    }
}

/// `argv` run through `taskset -c cpus`, when pinned.
fn pinned(cpus: Option<&str>, argv: Vec<String>) -> Vec<String> {
    match cpus {
        None => argv,
        Some(cpus) => ["taskset".to_owned(), "-c".to_owned(), cpus.to_owned()]
            .into_iter()
            .chain(argv)
            .collect(),
    }
}

/// One listing scenario: a server configuration, a placement and a format.
struct Scenario {
    provider: &'static str,
    total: u64,
    latency_ms: u64,
    format: &'static str,
    runs: usize,
    placement: Placement,
}

/// What one lister measured in a scenario: minimum over the runs of each figure.
#[derive(Debug, Default)]
struct Measured {
    wall: f64,
    cpu: f64,
    rss_kib: u64,
    rss_max_kib: u64,
    writes: Option<u64>,
}

/// A running `e2e-server`; stopped on drop.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(
        bin: &Path,
        provider: &str,
        total: u64,
        latency_ms: u64,
        placement: Placement,
    ) -> Result<Self> {
        let argv = pinned(
            placement.cpus().map(|(server, _)| server),
            vec![bin.display().to_string()],
        );
        let mut child = Command::new(&argv[0])
            .args(&argv[1..])
            .args(["--provider", provider, "--total", &total.to_string()])
            .args(["--latency-ms", &latency_ms.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().context("server stdout")?;
        let mut url = String::new();
        BufReader::new(stdout)
            .read_line(&mut url)
            .context("reading the server's URL")?;
        let url = url.trim().to_owned();
        if !url.starts_with("http://127.0.0.1:") {
            bail!("e2e-server printed {url:?}, not its URL");
        }
        Ok(Self { child, url })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Closing stdin asks it to stop; kill in case it does not.
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The two listers' command lines for a scenario.
fn commands(bins: &Bins, s: &Scenario, url: &str, concurrency: Option<u8>) -> [Vec<String>; 2] {
    // Both take the base URL and the format the same way; the CLI names the provider
    // as its subcommand, the baseline as a flag.
    let with_common = |mut argv: Vec<String>| {
        argv.extend(["--base-url", url, "--format", s.format].map(String::from));
        argv
    };
    let mut cli = with_common(vec![
        bins.telnums.display().to_string(),
        "list".into(),
        s.provider.into(),
    ]);
    if let Some(n) = concurrency {
        cli.extend(["--concurrency".into(), n.to_string()]);
    }
    let baseline = with_common(vec![
        bins.baseline.display().to_string(),
        "--provider".into(),
        s.provider.into(),
    ]);
    let cpus = s.placement.cpus().map(|(_, lister)| lister);
    [pinned(cpus, cli), pinned(cpus, baseline)]
}

struct Bins {
    telnums: PathBuf,
    server: PathBuf,
    baseline: PathBuf,
    scratch: PathBuf,
}

/// Runs `argv` under `/usr/bin/time`, output to /dev/null; returns (wall s, CPU s, peak
/// RSS KiB).
fn timed(bins: &Bins, argv: &[String]) -> Result<(f64, f64, u64)> {
    let report = bins.scratch.join("time.txt");
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%e %U %S %M", "-o"])
        .arg(&report)
        .args(argv)
        .env("TELNUMS_TOKEN", TOKEN)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .context("running /usr/bin/time (Debian package `time`)")?;
    if !status.success() {
        bail!("{} failed ({status})", argv.join(" "));
    }
    let text = std::fs::read_to_string(&report)?;
    let fields: Vec<f64> = text
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [wall, user, sys, rss] = fields[..] else {
        bail!("unexpected /usr/bin/time output {text:?}");
    };
    Ok((wall, user + sys, rss as u64))
}

/// `write`/`writev` system calls of `argv` (and its threads), counted by `strace -c`;
/// `None` when strace is not installed.
fn writes(bins: &Bins, argv: &[String]) -> Result<Option<u64>> {
    let report = bins.scratch.join("strace.txt");
    let status = match Command::new("strace")
        .args(["-f", "-c", "-e", "trace=write,writev", "-o"])
        .arg(&report)
        .args(argv)
        .env("TELNUMS_TOKEN", TOKEN)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(status) => status,
        Err(_) => return Ok(None),
    };
    if !status.success() {
        bail!("strace {} failed ({status})", argv.join(" "));
    }
    let text = std::fs::read_to_string(&report)?;
    // Rows: % time, seconds, usecs/call, calls, [errors,] syscall.
    let count = text
        .lines()
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            match cols.last() {
                Some(&"write") | Some(&"writev") => cols.get(3)?.parse::<u64>().ok(),
                _ => None,
            }
        })
        .sum();
    Ok(Some(count))
}

/// Length and hash of `argv`'s standard output.
fn output_digest(argv: &[String]) -> Result<(u64, u64)> {
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .env("TELNUMS_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("running {}", argv[0]))?;
    let mut out = child.stdout.take().context("stdout")?;
    let mut hasher = DefaultHasher::new();
    let mut len = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = out.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.write(&buf[..n]);
        len += n as u64;
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("{} failed ({status})", argv.join(" "));
    }
    Ok((len, hasher.finish()))
}

fn measure(bins: &Bins, argvs: &[Vec<String>], runs: usize) -> Result<Vec<Measured>> {
    let mut out: Vec<Measured> = argvs
        .iter()
        .map(|_| Measured {
            wall: f64::INFINITY,
            cpu: f64::INFINITY,
            rss_kib: u64::MAX,
            ..Measured::default()
        })
        .collect();
    // Alternate the listers so drift on the machine reaches both alike.
    for _ in 0..runs {
        for (argv, m) in argvs.iter().zip(out.iter_mut()) {
            let (wall, cpu, rss) = timed(bins, argv)?;
            m.wall = m.wall.min(wall);
            m.cpu = m.cpu.min(cpu);
            m.rss_kib = m.rss_kib.min(rss);
            m.rss_max_kib = m.rss_max_kib.max(rss);
        }
    }
    Ok(out)
}

fn measured_json(m: &Measured) -> Value {
    json!({
        "wall_s": m.wall,
        "cpu_s": m.cpu,
        "rss_kib": m.rss_kib,
        "rss_max_kib": m.rss_max_kib,
        "writes": m.writes,
    })
}

/// Builds the release binaries, runs every scenario and writes `e2e.json` under
/// `target/telnums-bench/`; returns the results.
pub fn run(root: &Path, target: &Path, runs: usize) -> Result<Value> {
    eprintln!("tools bench: building the release telnums, e2e-server and e2e-baseline");
    let status = cargo()
        .current_dir(root)
        .args([
            "build",
            "--release",
            "-p",
            "telnums-cli",
            "-p",
            "telnums-benches",
        ])
        .args([
            "--bin",
            "telnums",
            "--bin",
            "e2e-server",
            "--bin",
            "e2e-baseline",
        ])
        .status()
        .context("cargo build --release")?;
    if !status.success() {
        bail!("building the end-to-end binaries failed ({status})");
    }
    let release = target.join("release");
    let scratch = target.join("telnums-bench");
    std::fs::create_dir_all(&scratch)?;
    let bins = Bins {
        telnums: release.join("telnums"),
        server: release.join("e2e-server"),
        baseline: release.join("e2e-baseline"),
        scratch,
    };
    let slow_runs = runs.clamp(1, 3);
    let vonage = |latency_ms, format, placement| Scenario {
        provider: "vonage-cc",
        total: 1_000_000,
        latency_ms,
        format,
        runs: if latency_ms == 0 { runs } else { slow_runs },
        placement,
    };
    let mut scenarios: Vec<Scenario> = ["ndjson", "csv", "table", "json"]
        .into_iter()
        .map(|format| vonage(0, format, Placement::Free))
        .collect();
    scenarios.push(vonage(20, "ndjson", Placement::Free));
    scenarios.extend([0, 20].map(|latency_ms| Scenario {
        provider: "zoom-phone",
        total: 100_000,
        latency_ms,
        format: "ndjson",
        runs: slow_runs,
        placement: Placement::Free,
    }));
    // The server pinned to the lister's CPU, and to the other one.
    scenarios.extend([
        vonage(0, "ndjson", Placement::Shared),
        vonage(0, "csv", Placement::Shared),
        vonage(0, "ndjson", Placement::Apart),
    ]);

    let mut results = Vec::new();
    // The running server and what it serves: provider, total, latency, placement.
    type Serving = (String, u64, u64, &'static str);
    let mut server: Option<(Serving, Server)> = None;
    for s in &scenarios {
        let key = (
            s.provider.to_owned(),
            s.total,
            s.latency_ms,
            s.placement.name(),
        );
        if server.as_ref().map(|(k, _)| k) != Some(&key) {
            // Stop the previous server first: it would compete for the cores.
            drop(server.take());
            let started =
                Server::start(&bins.server, s.provider, s.total, s.latency_ms, s.placement)?;
            server = Some((key, started));
        }
        let url = server
            .as_ref()
            .map(|(_, srv)| srv.url.clone())
            .unwrap_or_default();
        eprintln!(
            "tools bench: e2e {} {} numbers, {} ms, {}, {}",
            s.provider,
            s.total,
            s.latency_ms,
            s.format,
            s.placement.name()
        );
        let argvs = commands(&bins, s, &url, None);
        let digests = [output_digest(&argvs[0])?, output_digest(&argvs[1])?];
        let mut measured = measure(&bins, &argvs, s.runs)?;
        if s.latency_ms == 0 {
            for (argv, m) in argvs.iter().zip(measured.iter_mut()) {
                m.writes = writes(&bins, argv)?;
            }
        }
        results.push(json!({
            "provider": s.provider,
            "total": s.total,
            "latency_ms": s.latency_ms,
            "format": s.format,
            "placement": s.placement.name(),
            "runs": s.runs,
            "bytes": digests[0].0,
            "identical": digests[0] == digests[1],
            "cli": measured_json(&measured[0]),
            "baseline": measured_json(&measured[1]),
        }));
    }

    // Pages in flight: the CLI alone at 1, 2, 4 and 8 requests at once.
    let mut sweep = Vec::new();
    for latency_ms in [0, 20] {
        let srv = Server::start(
            &bins.server,
            "vonage-cc",
            1_000_000,
            latency_ms,
            Placement::Free,
        )?;
        let s = Scenario {
            provider: "vonage-cc",
            total: 1_000_000,
            latency_ms,
            format: "ndjson",
            runs: slow_runs,
            placement: Placement::Free,
        };
        for n in [1u8, 2, 4, 8] {
            eprintln!("tools bench: e2e concurrency {n} at {latency_ms} ms");
            let [cli, _] = commands(&bins, &s, &srv.url, Some(n));
            let m = measure(&bins, &[cli], s.runs)?;
            sweep.push(json!({
                "latency_ms": latency_ms,
                "concurrency": n,
                "result": measured_json(&m[0]),
            }));
        }
    }

    // Memory growth with the listing's length.
    let mut memory = Vec::new();
    for total in [100_000u64, 1_000_000] {
        let srv = Server::start(&bins.server, "vonage-cc", total, 0, Placement::Free)?;
        let s = Scenario {
            provider: "vonage-cc",
            total,
            latency_ms: 0,
            format: "ndjson",
            runs: slow_runs,
            placement: Placement::Free,
        };
        let [cli, _] = commands(&bins, &s, &srv.url, None);
        let m = measure(&bins, &[cli], s.runs)?;
        memory.push(json!({ "total": total, "result": measured_json(&m[0]) }));
    }

    let result = json!({
        "runs": runs,
        "scenarios": results,
        "concurrency_sweep": sweep,
        "memory": memory,
    });
    std::fs::write(
        bins.scratch.join("e2e.json"),
        format!("{}\n", serde_json::to_string_pretty(&result)?),
    )
    .context("writing e2e.json")?;
    Ok(result)
}

/// Instructions per page call through each provider client and per raw reqwest GET of
/// the same page (`overhead-instructions` under `valgrind --tool=callgrind`, run with
/// 100 and 600 calls so that the set-up cancels out). `None` without valgrind.
pub fn instructions(root: &Path, target: &Path) -> Result<Option<Value>> {
    if Command::new("valgrind").arg("--version").output().is_err() {
        eprintln!("tools bench: valgrind not found; instruction counts skipped");
        return Ok(None);
    }
    let status = cargo()
        .current_dir(root)
        .args(["build", "--release", "-p", "telnums-benches"])
        .args(["--bin", "overhead-instructions"])
        .status()
        .context("cargo build --release")?;
    if !status.success() {
        bail!("building overhead-instructions failed ({status})");
    }
    let bin = target.join("release").join("overhead-instructions");
    let count = |provider: &str, side: &str, calls: u64| -> Result<u64> {
        let output = Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
            .arg(&bin)
            .args([provider, side, &calls.to_string()])
            .output()
            .context("running valgrind")?;
        if !output.status.success() {
            bail!("overhead-instructions {provider} {side} {calls} failed");
        }
        let text = String::from_utf8_lossy(&output.stderr);
        text.lines()
            .find_map(|line| {
                let rest = line.split("Collected :").nth(1)?;
                rest.trim().parse::<u64>().ok()
            })
            .context("no `Collected` line from callgrind")
    };
    let (few, many) = (100u64, 600u64);
    let mut out = serde_json::Map::new();
    for &key in xtask::PROVIDERS {
        eprintln!("tools bench: instructions per call, {key}");
        let per_call = |side: &str| -> Result<f64> {
            let (a, b) = (count(key, side, few)?, count(key, side, many)?);
            Ok(b.saturating_sub(a) as f64 / (many - few) as f64)
        };
        let (client, raw) = (per_call("client")?, per_call("raw")?);
        out.insert(key.to_owned(), json!({ "client": client, "raw": raw }));
    }
    let result = json!({ "calls": [few, many], "providers": out });
    std::fs::write(
        target.join("telnums-bench").join("instructions.json"),
        format!("{}\n", serde_json::to_string_pretty(&result)?),
    )
    .context("writing instructions.json")?;
    Ok(Some(result))
}
