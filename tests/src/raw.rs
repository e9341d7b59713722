//! A raw HTTP/1.1 server on 127.0.0.1 for hostile-server tests: it answers each
//! connection with whatever bytes a test scripts, including what no well-behaved server
//! (and so no mock library) would send: endless chunked bodies, stalls, trickles,
//! resets mid-body.
//!
//! Every connection serves one request and is then closed. Dropping the server stops it
//! and every connection it still holds. Every writer here is bounded in bytes or time,
//! so a client that stops reading cannot make a test run forever.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct RawRequest {
    /// 0 for the first request the server received, 1 for the next, …
    pub index: usize,
    /// `GET`, `POST`, …
    pub method: String,
    /// The request target: path and query.
    pub target: String,
    /// Header names (lower case) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body (read by `Content-Length`).
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// A running raw server.
#[derive(Debug)]
pub struct RawServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    tasks: Arc<Mutex<Vec<AbortHandle>>>,
}

impl RawServer {
    /// Starts a server that calls `handler` with each request and its connection.
    pub async fn start<F, Fut>(handler: F) -> Self
    where
        F: Fn(RawRequest, TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let tasks = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let (reqs, conns) = (requests.clone(), tasks.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (handler, reqs) = (handler.clone(), reqs.clone());
                let task = tokio::spawn(async move {
                    let Some(mut request) = read_request(&mut stream).await else {
                        return;
                    };
                    {
                        let mut all = reqs.lock().expect("lock");
                        request.index = all.len();
                        all.push(request.clone());
                    }
                    handler(request, stream).await;
                });
                conns.lock().expect("lock").push(task.abort_handle());
            }
        });
        tasks.lock().expect("lock").push(accept.abort_handle());
        Self {
            addr,
            requests,
            tasks,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().expect("lock").clone()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        if let Ok(tasks) = self.tasks.lock() {
            for t in tasks.iter() {
                t.abort();
            }
        }
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<RawRequest> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length.min(1 << 20) {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(RawRequest {
        index: 0,
        method,
        target,
        headers,
        body,
    })
}

/// A response head: status line, `headers`, `Connection: close`, blank line.
pub fn head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("Connection: close\r\n\r\n");
    out.into_bytes()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        401 => "Unauthorized",
        429 => "Too Many Requests",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// A complete response with `Content-Length`.
pub async fn respond(stream: &mut TcpStream, status: u16, headers: &[(&str, &str)], body: &[u8]) {
    let length = body.len().to_string();
    let mut all: Vec<(&str, &str)> = headers.to_vec();
    all.push(("Content-Length", &length));
    let _ = stream.write_all(&head(status, &all)).await;
    let _ = stream.write_all(body).await;
    let _ = stream.flush().await;
}

/// A JSON response with `Content-Length`.
pub async fn respond_json(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&str, &str)],
    body: &serde_json::Value,
) {
    let mut all: Vec<(&str, &str)> = headers.to_vec();
    all.push(("Content-Type", "application/json"));
    let text = serde_json::to_vec(body).expect("json");
    respond(stream, status, &all, &text).await;
}

/// A chunked body that starts with `prefix` and then repeats `unit` in chunks of about
/// 64 KiB until `max_bytes` have been sent or the client hangs up. Returns the bytes
/// sent. Meant to be "endless" to the client: `max_bytes` only keeps a broken client
/// from exhausting the machine.
pub async fn endless_chunked(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&str, &str)],
    prefix: &[u8],
    unit: &[u8],
    max_bytes: u64,
) -> u64 {
    let mut all: Vec<(&str, &str)> = headers.to_vec();
    all.push(("Content-Type", "application/json"));
    all.push(("Transfer-Encoding", "chunked"));
    if stream.write_all(&head(status, &all)).await.is_err() {
        return 0;
    }
    let mut block = Vec::with_capacity(64 * 1024 + unit.len());
    while block.len() < 64 * 1024 {
        block.extend_from_slice(unit);
    }
    let mut sent = 0u64;
    let mut first = true;
    while sent < max_bytes {
        let data: &[u8] = if first { prefix } else { &block };
        first = false;
        let frame = [
            format!("{:x}\r\n", data.len()).as_bytes(),
            data,
            b"\r\n".as_slice(),
        ]
        .concat();
        if stream.write_all(&frame).await.is_err() {
            break;
        }
        sent += data.len() as u64;
    }
    sent
}

/// Sends `head_bytes`, then nothing for `hold` (the connection stays open).
pub async fn stall(stream: &mut TcpStream, head_bytes: &[u8], hold: Duration) {
    let _ = stream.write_all(head_bytes).await;
    let _ = stream.flush().await;
    tokio::time::sleep(hold).await;
}

/// Sends `head_bytes`, then one byte of `body` every `every`, for at most `hold`.
pub async fn trickle(
    stream: &mut TcpStream,
    head_bytes: &[u8],
    body: &[u8],
    every: Duration,
    hold: Duration,
) {
    let started = tokio::time::Instant::now();
    if stream.write_all(head_bytes).await.is_err() {
        return;
    }
    for byte in body.iter().cycle() {
        if started.elapsed() > hold || stream.write_all(&[*byte]).await.is_err() {
            return;
        }
        let _ = stream.flush().await;
        tokio::time::sleep(every).await;
    }
}

/// Sends `bytes`, then resets the connection (RST, not a clean close).
pub async fn send_then_reset(mut stream: TcpStream, bytes: &[u8]) {
    let _ = stream.write_all(bytes).await;
    let _ = stream.flush().await;
    // Give the client a moment to read what was sent before the reset discards it.
    tokio::time::sleep(Duration::from_millis(50)).await;
    #[allow(deprecated)] // zero linger does not block on drop
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

/// The resident set size of this process now, and its peak since the last
/// [`reset_peak_rss`], in bytes (Linux `/proc/self/status`).
pub fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| kb * 1024)
            .expect("field in /proc/self/status")
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets the peak RSS (`VmHWM`) to the current RSS.
pub fn reset_peak_rss() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM via /proc/self/clear_refs");
}
