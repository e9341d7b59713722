//! The `telnums` binary against servers that stall: with default settings a listing
//! whose every response stalls ends with exit code 1 within 60 s, and `--timeout` sets
//! the time allowed per request.
//!
//! The servers are plain threads on 127.0.0.1 (no mock library sends a head and then
//! nothing); every connection they hold is released after at most 90 s.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use assert_cmd::Command;

const TOKEN: &str = "cli-stall-token-never-printed";

/// What the server does after reading a request.
#[derive(Clone, Copy)]
enum Behaviour {
    /// A `200` head with `Content-Length: 1000`, then nothing.
    Stall,
    /// A `200` head, then one byte every 200 ms.
    Trickle,
}

/// Starts a server; returns its base URL.
fn serve(behaviour: Behaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream, behaviour));
        }
    });
    url
}

fn answer(mut stream: TcpStream, behaviour: Behaviour) {
    let mut buf = [0u8; 8192];
    let mut seen = Vec::new();
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    if stream.write_all(head).is_err() {
        return;
    }
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(90) {
        std::thread::sleep(Duration::from_millis(200));
        if let Behaviour::Trickle = behaviour {
            if stream.write_all(b" ").is_err() {
                return;
            }
        }
    }
}

struct Run {
    code: i32,
    stderr: String,
    took: Duration,
}

fn telnums(args: &[&str]) -> Run {
    let started = Instant::now();
    let output = Command::cargo_bin("telnums")
        .expect("binary")
        .args(args)
        .env("TELNUMS_TOKEN", TOKEN)
        .env_remove("TELNUMS_CLIENT_ID")
        .env_remove("TELNUMS_ZOOM_PHONE_TOKEN")
        .timeout(Duration::from_secs(100))
        .output()
        .expect("runs");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        took: started.elapsed(),
    };
    assert!(!run.stderr.contains(TOKEN), "token leaked");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// Every response stalls after its head: each attempt fails on the 10 s read timeout,
/// four attempts with backoff, exit 1 well within 60 s, one line naming the cause.
#[test]
fn stalled_server_exits_1_within_60_s_with_defaults() {
    let url = serve(Behaviour::Stall);
    let run = telnums(&[
        "list",
        "zoom-phone",
        "--base-url",
        &url,
        "--format",
        "ndjson",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.took < Duration::from_secs(60), "took {:?}", run.took);
    assert!(
        run.took >= Duration::from_secs(35),
        "four 10 s read timeouts: {:?}",
        run.took
    );
    let line = run.stderr.trim_end();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.contains("zoom-phone: request timed out"), "{line}");
    assert!(
        line.contains(&format!("{url} sent nothing for 10 s (read timeout)")),
        "{line}"
    );
    assert!(line.contains("after 4 attempts"), "{line}");
}

/// A body that trickles in defeats the read timeout; `--timeout 1` bounds each request.
#[test]
fn timeout_flag_bounds_each_request() {
    let url = serve(Behaviour::Trickle);
    let run = telnums(&[
        "list",
        "zoom-phone",
        "--base-url",
        &url,
        "--timeout",
        "1",
        "--format",
        "ndjson",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.took < Duration::from_secs(15), "took {:?}", run.took);
    let line = run.stderr.trim_end();
    assert!(
        line.contains("attempt took longer than 1 s (total timeout)"),
        "{line}"
    );
    assert!(line.contains("after 4 attempts"), "{line}");

    let run = telnums(&["list", "zoom-phone", "--base-url", &url, "--timeout", "0"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--timeout"), "{}", run.stderr);
}
