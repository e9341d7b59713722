//! The `telnums` binary against servers that stall: with default settings a listing
//! whose body stops or drips ends with exit code 1 within 20 s (the body's transfer rate
//! is below the floor), a slow body that keeps moving is read to the end, and
//! `--timeout` sets the time allowed per request.
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
    /// A `200` head, then one byte every 2 s.
    Drip,
    /// A whole page of numbers at 50 KiB/s.
    Slow,
}

/// A Zoom page of `n` numbers, the last page.
fn zoom_page(n: usize) -> Vec<u8> {
    let numbers: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"number-{i:06}","number":"+1205555{:04}","display_name":"Line {i} of the slow server","status":"available"}}"#,
                i % 10_000
            )
        })
        .collect();
    format!(
        r#"{{"next_page_token":"","total_records":{n},"phone_numbers":[{}]}}"#,
        numbers.join(",")
    )
    .into_bytes()
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
    if let Behaviour::Slow = behaviour {
        let body = zoom_page(3000);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        // 5 KiB every 100 ms: 50 KiB/s.
        for chunk in body.chunks(5 * 1024) {
            std::thread::sleep(Duration::from_millis(100));
            if stream.write_all(chunk).is_err() {
                return;
            }
        }
        return;
    }
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    if stream.write_all(head).is_err() {
        return;
    }
    let started = Instant::now();
    let gap = match behaviour {
        Behaviour::Drip => Duration::from_secs(2),
        _ => Duration::from_millis(200),
    };
    while started.elapsed() < Duration::from_secs(90) {
        std::thread::sleep(gap);
        if let Behaviour::Trickle | Behaviour::Drip = behaviour {
            if stream.write_all(b" ").is_err() {
                return;
            }
        }
    }
}

struct Run {
    code: i32,
    stdout: String,
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
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        took: started.elapsed(),
    };
    assert!(!run.stderr.contains(TOKEN), "token leaked");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// Every response stops after its head, or drips a byte every 2 s: each attempt is given
/// up once a 5 s window brought fewer bytes than the floor (1 KiB/s), the stalled
/// transfer is retried once, and the listing exits 1 within 20 s with one line that says
/// the transfer stalled and how many bytes came in how long.
#[test]
fn stalled_and_dripping_servers_exit_1_within_20_s_with_defaults() {
    for (behaviour, bytes) in [(Behaviour::Stall, "0 bytes"), (Behaviour::Drip, "2 bytes")] {
        let url = serve(behaviour);
        let run = telnums(&[
            "list",
            "zoom-phone",
            "--base-url",
            &url,
            "--format",
            "ndjson",
        ]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.took < Duration::from_secs(20), "took {:?}", run.took);
        assert!(
            run.took >= Duration::from_secs(10),
            "two 5 s windows: {:?}",
            run.took
        );
        let line = run.stderr.trim_end();
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(line.contains("zoom-phone: transfer stalled"), "{line}");
        assert!(
            line.contains(&format!("{url}: the transfer stalled: {bytes} in 5.0 s")),
            "{line}"
        );
        assert!(line.contains("after 2 attempts"), "{line}");
    }
}

/// A page that comes in at 50 KiB/s (about 7 s for 330 KiB) is slow but moving: it is
/// read to the end.
#[test]
fn a_slow_moving_body_is_not_cut() {
    let url = serve(Behaviour::Slow);
    let run = telnums(&[
        "list",
        "zoom-phone",
        "--base-url",
        &url,
        "--format",
        "ndjson",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 3000);
    assert!(run.took >= Duration::from_secs(5), "{:?}", run.took);
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
