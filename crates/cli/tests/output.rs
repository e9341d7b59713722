//! Where `telnums list` writes: `--output FILE` replaced atomically (only on success),
//! in the format its extension names, with what a failed listing had listed kept in
//! FILE's `.partial` sibling; and the progress display, which appears on a terminal and
//! nowhere else.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "cli-output-test-token";

fn telnums(args: &[&str]) -> Output {
    Command::cargo_bin("telnums")
        .expect("binary")
        .args(args)
        .env("TELNUMS_TOKEN", TOKEN)
        .env_remove("RUST_LOG")
        .env_remove("COLUMNS")
        .output()
        .expect("runs")
}

fn vonage_page(page: u64, pages: u64, per_page: u64) -> Value {
    let items: Vec<Value> = (0..per_page)
        .map(|i| {
            let n = (page - 1) * per_page + i;
            json!({ "callbackNumberId": format!("cb-{n}"), "callbackNumberName": format!("Line {n}"),
                    "callbackNumberClid": format!("+4420700{n:05}") })
        })
        .collect();
    json!({ "meta": { "page": page, "pageCount": pages, "count": per_page }, "callbackNumbers": items })
}

/// Mounts a Vonage listing of `pages` pages of 2; page `fail` (if any) answers 500.
async fn vonage(server: &MockServer, pages: u64, fail: Option<u64>) {
    for page in 1..=pages {
        let response = if Some(page) == fail {
            ResponseTemplate::new(500).set_body_json(json!({ "message": "boom" }))
        } else {
            ResponseTemplate::new(200).set_body_json(vonage_page(page, pages, 2))
        };
        Mock::given(method("GET"))
            .and(path("/useradmin/callbackNumbers"))
            .and(query_param("page", page.to_string()))
            .and(query_param("limit", "2"))
            .and(header("authorization", format!("Bearer {TOKEN}")))
            .respond_with(response)
            .mount(server)
            .await;
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn output_file_is_written_whole_and_only_on_success() {
    let server = MockServer::start().await;
    vonage(&server, 3, None).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("numbers.csv");
    std::fs::write(&file, "old contents\n").expect("seed");
    let base = server.uri();
    let args = |out: Option<&str>| {
        let mut a = vec![
            "list",
            "vonage-cc",
            "--base-url",
            base.as_str(),
            "--page-size",
            "2",
            "--format",
            "csv",
        ];
        if let Some(out) = out {
            a.extend(["--output", out]);
        }
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let to_stdout = tokio::task::block_in_place(|| {
        telnums(&args(None).iter().map(String::as_str).collect::<Vec<_>>())
    });
    assert!(to_stdout.status.success());
    let file_arg = file.to_string_lossy().into_owned();
    let to_file = tokio::task::block_in_place(|| {
        telnums(
            &args(Some(&file_arg))
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        )
    });
    assert!(
        to_file.status.success(),
        "{}",
        String::from_utf8_lossy(&to_file.stderr)
    );
    assert!(to_file.stdout.is_empty(), "nothing on stdout with --output");
    let written = std::fs::read(&file).expect("written");
    assert_eq!(written, to_stdout.stdout, "the same bytes as on stdout");
    assert_eq!(
        written.iter().filter(|&&b| b == b'\n').count(),
        7,
        "header + 6"
    );
    assert_eq!(
        names_in(dir.path()),
        ["numbers.csv"],
        "no temporary file left"
    );
}

/// A listing that fails part-way leaves FILE as it was (or absent), and keeps the
/// numbers it had listed in FILE's `.partial` sibling, named on stderr.
#[tokio::test(flavor = "multi_thread")]
async fn a_failed_listing_leaves_the_output_file_as_it_was() {
    let server = MockServer::start().await;
    // Pages 1 and 2 list fine, page 3 fails: what was written must not reach the file.
    vonage(&server, 4, Some(3)).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("numbers.ndjson");
    std::fs::write(&file, "old contents\n").expect("seed");
    let file_arg = file.to_string_lossy().into_owned();
    let base = server.uri();
    let run = tokio::task::block_in_place(|| {
        telnums(&[
            "list",
            "vonage-cc",
            "--base-url",
            &base,
            "--page-size",
            "2",
            "--concurrency",
            "1",
            "--output",
            &file_arg,
        ])
    });
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("HTTP 500"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("kept"),
        "old contents\n"
    );
    assert_eq!(
        names_in(dir.path()),
        ["numbers.ndjson", "numbers.partial.ndjson"],
        "no temporary file left"
    );
    let partial = dir.path().join("numbers.partial.ndjson");
    assert_eq!(
        std::fs::read_to_string(&partial)
            .expect("partial")
            .lines()
            .count(),
        4,
        "pages 1 and 2"
    );
    assert!(
        stderr.contains(&format!(
            "vonage-cc failed, so {} was left as it was; the 4 numbers listed (vonage-cc 4 before it failed) are in {}",
            file.display(),
            partial.display()
        )),
        "{stderr}"
    );
    std::fs::remove_file(&partial).expect("remove");
    // A file that did not exist is not created either.
    let fresh = dir.path().join("fresh.ndjson");
    let fresh_arg = fresh.to_string_lossy().into_owned();
    let run = tokio::task::block_in_place(|| {
        telnums(&[
            "list",
            "vonage-cc",
            "--base-url",
            &base,
            "--page-size",
            "2",
            "--output",
            &fresh_arg,
        ])
    });
    assert_eq!(run.status.code(), Some(1));
    assert!(!fresh.exists());
    assert_eq!(
        names_in(dir.path()),
        ["fresh.partial.ndjson", "numbers.ndjson"]
    );
    // Nothing listed, nothing kept.
    let none = MockServer::start().await;
    vonage(&none, 2, Some(1)).await;
    let uri = none.uri();
    let run = tokio::task::block_in_place(|| {
        telnums(&[
            "list",
            "vonage-cc",
            "--base-url",
            &uri,
            "--page-size",
            "2",
            "--output",
            &fresh_arg,
        ])
    });
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!stderr.contains("partial"), "{stderr}");
    assert_eq!(
        names_in(dir.path()),
        ["fresh.partial.ndjson", "numbers.ndjson"],
        "the earlier partial file is left alone, no new one"
    );
}

/// `-o FILE` writes the format FILE's extension names, in any case; `--format` wins
/// over it; any other extension is ndjson.
#[tokio::test(flavor = "multi_thread")]
async fn the_output_format_follows_the_file_extension() {
    let server = MockServer::start().await;
    vonage(&server, 1, None).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let base = server.uri();
    let write = |name: &str, extra: &[&str]| {
        let file = dir.path().join(name);
        let target = file.to_string_lossy().into_owned();
        let mut args = vec![
            "list",
            "vonage-cc",
            "--base-url",
            &base,
            "--page-size",
            "2",
            "-o",
            &target,
        ];
        args.extend_from_slice(extra);
        let run = tokio::task::block_in_place(|| telnums(&args));
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        std::fs::read_to_string(&file).expect("written")
    };
    let json: Value = serde_json::from_str(&write("numbers.json", &[])).expect("a JSON array");
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    let upper: Value = serde_json::from_str(&write("NUMBERS.JSON", &[])).expect("a JSON array");
    assert_eq!(upper, json);
    assert!(write("numbers.csv", &[]).starts_with("provider,id,number,"));
    for name in ["numbers.ndjson", "numbers.jsonl", "numbers.txt", "numbers"] {
        let text = write(name, &[]);
        assert_eq!(text.lines().count(), 2, "{name}: {text}");
        for line in text.lines() {
            let record: Value = serde_json::from_str(line).expect("one JSON object a line");
            assert_eq!(record["provider"], "vonage-cc", "{name}");
        }
    }
    let csv = write("numbers.json", &["--format", "csv"]);
    assert!(
        csv.starts_with("provider,id,number,"),
        "--format wins: {csv}"
    );
}

/// `list all -o FILE` with one provider failing: FILE is not written, the numbers the
/// others listed are in FILE's `.partial` sibling (a whole JSON document, in FILE's
/// format), and stderr names both files and what failed.
#[tokio::test(flavor = "multi_thread")]
async fn list_all_keeps_what_was_listed_in_a_partial_file_when_one_provider_fails() {
    let good = MockServer::start().await;
    vonage(&good, 2, None).await;
    let bad = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/phone/numbers"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(json!({ "message": "No permission" })),
        )
        .mount(&bad)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("telnums.toml");
    std::fs::write(
        &config,
        format!(
            "[vonage-cc]\nbase_url = \"{}\"\ntoken_env = \"TELNUMS_TOKEN\"\n\n[zoom-phone]\nbase_url = \"{}\"\ntoken_env = \"TELNUMS_TOKEN\"\n",
            good.uri(),
            bad.uri()
        ),
    )
    .expect("config");
    let file = dir.path().join("numbers.json");
    let args = [
        "list",
        "all",
        "--config",
        &config.to_string_lossy(),
        "--page-size",
        "2",
        "-o",
        &file.to_string_lossy(),
    ]
    .map(|a| a.to_owned());
    let run = tokio::task::block_in_place(|| {
        telnums(&args.iter().map(String::as_str).collect::<Vec<_>>())
    });
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!file.exists(), "no complete-looking file: {stderr}");
    let partial = dir.path().join("numbers.partial.json");
    let kept: Value = serde_json::from_str(&std::fs::read_to_string(&partial).expect("partial"))
        .expect("a whole JSON array");
    let kept = kept.as_array().expect("array");
    assert_eq!(kept.len(), 4, "both Vonage pages");
    assert!(kept.iter().all(|r| r["provider"] == "vonage-cc"));
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "the error, then where the numbers are: {stderr}"
    );
    assert!(
        lines[0].contains("zoom-phone") && lines[0].contains("403"),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        format!(
            "telnums: zoom-phone failed, so {} was left as it was; the 4 numbers listed (vonage-cc 4) are in {}",
            file.display(),
            partial.display()
        )
    );
    assert_eq!(
        names_in(dir.path()),
        ["numbers.partial.json", "telnums.toml"]
    );
}

/// Runs `command` (a shell command line) with a pseudo-terminal as its terminal, through
/// util-linux `script`; returns everything it printed there.
fn on_a_terminal(command: &str) -> Option<String> {
    let output = std::process::Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .env("TELNUMS_TOKEN", TOKEN)
        .env_remove("RUST_LOG")
        .env_remove("COLUMNS")
        .output()
        .ok()?;
    assert!(output.status.success(), "{output:?}");
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn progress_shows_on_a_terminal_and_nowhere_else() {
    let server = MockServer::start().await;
    vonage(&server, 3, None).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("numbers.ndjson");
    let bin = assert_cmd::cargo::cargo_bin("telnums");
    let command = format!(
        "{} list vonage-cc --base-url {} --page-size 2 --output {}",
        bin.display(),
        server.uri(),
        file.display()
    );
    let Some(terminal) = tokio::task::block_in_place(|| on_a_terminal(&command)) else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    // The final line of the provider's progress: its key, numbers and pages.
    assert!(terminal.contains("vonage-cc"), "{terminal:?}");
    assert!(
        terminal.contains("6 numbers") && terminal.contains("3 pages"),
        "{terminal:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&file)
            .expect("written")
            .lines()
            .count(),
        6
    );
    // Piped, the same listing prints nothing on stderr.
    let base = server.uri();
    let piped = tokio::task::block_in_place(|| {
        telnums(&["list", "vonage-cc", "--base-url", &base, "--page-size", "2"])
    });
    assert!(piped.status.success());
    assert!(
        piped.stderr.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&piped.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&piped.stdout).lines().count(), 6);
}

/// `telnums demo` shows each provider's progress on a terminal too, and `-v` turns it
/// off there as for `list` (its log lines would interleave with it). The records go to
/// a file so that the progress stays on screen when the listing ends.
#[test]
fn demo_progress_shows_on_a_terminal_unless_logging() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.ndjson");
    let bin = assert_cmd::cargo::cargo_bin("telnums");
    let run = |flags: &str| {
        let command = format!(
            "{} {flags} demo --format ndjson > {}",
            bin.display(),
            file.display()
        );
        on_a_terminal(&command).map(|terminal| visible(&terminal))
    };
    let Some(quiet) = run("") else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    let listed = std::fs::read_to_string(&file).expect("written");
    assert!(listed.lines().count() > 5, "{listed}");
    for key in [
        "apple-business",
        "fone-dynamics",
        "vonage-cc",
        "webex-calling",
        "zoom-phone",
    ] {
        let line = quiet
            .lines()
            .find(|line| line.contains(key) && line.contains(" pages, "))
            .unwrap_or_else(|| panic!("no progress of {key} in {quiet:?}"));
        assert!(line.contains(" numbers, "), "{line:?}");
    }
    let logging = run("-v").expect("script ran before");
    assert!(!logging.contains(" pages, "), "{logging:?}");
}

/// `text` without terminal control sequences (CSI `ESC [ … letter`) and carriage
/// returns: what a line shows.
fn visible(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                if chars.next() == Some('[') {
                    for c in chars.by_ref() {
                        if c.is_ascii_alphabetic() {
                            break;
                        }
                    }
                }
            }
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The table on a terminal: a waiting line shows while the first page is on its way,
/// and goes when the rows come; the rows fit the terminal's own width (no COLUMNS).
#[tokio::test(flavor = "multi_thread")]
async fn a_table_on_a_terminal_waits_visibly_and_fits_the_terminal() {
    let server = MockServer::start().await;
    let label = "Reception desk by the main entrance of the building";
    Mock::given(method("GET"))
        .and(path("/phone/numbers"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(std::time::Duration::from_millis(1500))
                .set_body_json(json!({ "next_page_token": "", "phone_numbers": [
                    { "id": "zn-0123456789abcdef01234567", "number": "+12055550100",
                      "display_name": label, "status": "available", "number_type": "toll",
                      "assignee": { "id": "u1", "name": "Jordan Park", "type": "user" },
                      "site": { "id": "s1", "name": "Main office" } } ] })),
        )
        .mount(&server)
        .await;
    let bin = assert_cmd::cargo::cargo_bin("telnums");
    let command = format!(
        "stty rows 24 cols 80; {} list zoom-phone --base-url {}",
        bin.display(),
        server.uri()
    );
    let Some(terminal) = tokio::task::block_in_place(|| on_a_terminal(&command)) else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    let waiting = terminal
        .find("waiting for the first page")
        .unwrap_or_else(|| panic!("no waiting line: {terminal:?}"));
    let header = terminal
        .find("NUMBER")
        .unwrap_or_else(|| panic!("no table: {terminal:?}"));
    assert!(waiting < header, "{terminal:?}");
    // Once the rows start, the progress line is gone: neither the waiting line nor
    // the counts it would move on to are drawn among them.
    let after = &terminal[header..];
    assert!(
        !after.contains("waiting for the first page") && !after.contains("1 number"),
        "{terminal:?}"
    );
    let rows: Vec<String> = terminal[header..].lines().map(visible).collect();
    let row = rows
        .iter()
        .find(|l| l.contains("zn-0123456789abcdef01234567"))
        .unwrap_or_else(|| panic!("the id whole: {rows:?}"));
    for line in &rows {
        assert!(line.chars().count() <= 80, "{line:?} in {rows:?}");
    }
    assert!(row.contains('…'), "the label cut to fit: {row:?}");
}
