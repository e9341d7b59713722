//! The wire: how telnums talks HTTP, in one place.
//!
//! Everything that touches bytes between a response head and a typed value lives here,
//! so that every path shares it: generated operations (the xtask rewrites progenitor's
//! body reads into [`read_json`]), the hand-written next-link path
//! ([`crate::Runtime::get_json`]), bodies of undocumented statuses, and the OAuth2 token
//! endpoint. It owns:
//!
//! * the one limited body reader (`read_limited`): it counts *decoded* bytes (after
//!   gzip), stops at the limit, and never holds more than the limit;
//! * the HTTP client settings telnums builds with (`http_client`): connect and read
//!   timeouts, gzip, and a redirect policy that never leaves the request's origin;
//! * the description of transport failures (`describe`): the cause chain and the
//!   phase (connect, read, total) with the origin, never a path, query or credential;
//! * the one-line excerpt of an error body ([`one_line`]).
//!
//! The pure functions here ([`one_line`], [`describe_chain`], [`BodyBuffer`], and what a
//! complete body becomes: [`decode`], [`error_message`]) do no I/O so that they can be
//! fuzzed on their own (`fuzz/` in the repository).

use std::error::Error as StdError;
use std::time::Duration;

use bytes::Bytes;
use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorBody, ErrorKind};
use crate::runtime::stash;
use crate::throughput::{Meter, MinThroughput, Stalled};
use crate::Runtime;

/// Default time allowed to establish a connection.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed without receiving a byte (also the limit for the response head
/// to arrive once the request is sent).
pub(crate) const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one attempt, from sending to the end of the body.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default largest response body accepted from a provider.
pub(crate) const DEFAULT_MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;
/// Largest token-endpoint response accepted: an OAuth2 token response is a few
/// kilobytes, even with a long JWT.
pub(crate) const TOKEN_MAX_BODY_BYTES: u64 = 256 * 1024;
/// Redirects followed (same origin only) before the 3xx is returned as it is.
const MAX_REDIRECTS: usize = 5;
/// Longest excerpt of an error body kept as a message, in characters.
#[doc(hidden)]
pub const EXCERPT_CHARS: usize = 200;

/// The timeouts a client was built with, kept for error messages and the per-attempt
/// deadline.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeouts {
    pub(crate) connect: Duration,
    pub(crate) read: Duration,
    pub(crate) total: Duration,
    /// False when the caller supplied its own `reqwest::Client`: its connect and read
    /// timeouts are unknown here (the total is still enforced by the runtime).
    pub(crate) own_http: bool,
    /// The floor a body's transfer rate must keep, if any.
    pub(crate) min_throughput: Option<MinThroughput>,
}

/// Builds the `reqwest::Client` behind a provider client or a token endpoint: connect
/// and read timeouts (the total per attempt is enforced by the runtime, which can tell
/// it apart from a read timeout that way), `Accept-Encoding: gzip` with transparent
/// decoding, and redirects followed only within the request's origin.
pub(crate) fn http_client(
    connect: Duration,
    read: Duration,
    user_agent: &str,
) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(connect)
        .read_timeout(read)
        .user_agent(user_agent)
        .gzip(true)
        .redirect(redirect_policy())
        .build()
}

/// Follows a redirect only when it stays on the origin (scheme, host and port) of the
/// request that started the chain, at most [`MAX_REDIRECTS`] times. Anything else stops
/// the chain and hands the 3xx response back as it is, so it becomes a typed API error
/// naming the status; a request never carries its credentials to another origin.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// Why a limited read stopped.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The body (decoded) is longer than the limit; reading stopped there.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The transfer failed part-way (reset, read timeout, bad gzip).
    Transport(reqwest::Error),
    /// The body came in slower than the floor allows.
    Stalled(Stalled),
}

/// Accumulates a body's chunks up to a limit. No I/O: `read_limited` feeds it, and a
/// fuzzer or test can too.
///
/// A body that arrives in one chunk is kept as that chunk, without a copy; otherwise the
/// chunks are appended to one buffer whose capacity never exceeds the limit (so memory
/// stays near the limit however the server slices the body).
#[derive(Debug)]
pub struct BodyBuffer {
    limit: u64,
    expected: Option<u64>,
    first: Option<Bytes>,
    rest: Vec<u8>,
    len: u64,
}

/// The body passed its limit; nothing past the limit was kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge {
    /// The limit in bytes.
    pub limit: u64,
}

impl BodyBuffer {
    /// An empty buffer accepting at most `limit` bytes. `expected` (a declared
    /// `Content-Length`) sizes the buffer in one step when the body comes in pieces.
    pub fn new(limit: u64, expected: Option<u64>) -> Self {
        Self {
            limit,
            expected,
            first: None,
            rest: Vec::new(),
            len: 0,
        }
    }

    /// Bytes accepted so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when nothing has been accepted.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `chunk`, or refuses it when the body would pass the limit.
    pub fn push(&mut self, chunk: Bytes) -> Result<(), TooLarge> {
        let len = self.len.saturating_add(chunk.len() as u64);
        if len > self.limit {
            return Err(TooLarge { limit: self.limit });
        }
        self.len = len;
        if chunk.is_empty() {
            return Ok(());
        }
        if self.first.is_none() && self.rest.is_empty() {
            self.first = Some(chunk);
            return Ok(());
        }
        if let Some(first) = self.first.take() {
            self.reserve(first.len() + chunk.len());
            self.rest.extend_from_slice(&first);
        } else {
            self.reserve(chunk.len());
        }
        self.rest.extend_from_slice(&chunk);
        Ok(())
    }

    /// Makes room for `additional` more bytes: the declared length when it fits, else
    /// double, never more than the limit (the caller checked that the bytes fit in it).
    fn reserve(&mut self, additional: usize) {
        let needed = self.rest.len().saturating_add(additional);
        if needed <= self.rest.capacity() {
            return;
        }
        let cap = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let declared = self
            .expected
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n >= needed);
        let target = declared
            .unwrap_or_else(|| self.rest.capacity().saturating_mul(2))
            .max(needed)
            .min(cap.max(needed));
        self.rest.reserve_exact(target - self.rest.len());
    }

    /// Bytes allocated for the body when it came in pieces (for the fuzz targets' check
    /// that the buffer never grows past its limit).
    #[doc(hidden)]
    pub fn capacity(&self) -> usize {
        self.rest.capacity()
    }

    /// The whole body.
    pub fn finish(self) -> Bytes {
        match self.first {
            Some(first) => first,
            None => Bytes::from(self.rest),
        }
    }
}

/// Reads `response`'s body, decoded, refusing more than `limit` bytes: a declared
/// `Content-Length` over the limit is refused before reading, and a body without one
/// stops at the limit. With a `floor`, a body whose transfer rate falls below it over a
/// whole grace window is given up ([`crate::throughput`]). The only way telnums reads a
/// body.
pub(crate) async fn read_limited(
    mut response: reqwest::Response,
    limit: u64,
    floor: Option<MinThroughput>,
) -> Result<Bytes, ReadError> {
    // `content_length` is the declared length of what `chunk` yields: reqwest drops it
    // for gzip bodies, whose decoded length is unknown until read.
    let expected = response.content_length();
    if expected.is_some_and(|n| n > limit) {
        return Err(ReadError::TooLarge { limit });
    }
    let mut body = BodyBuffer::new(limit, expected);
    let mut meter = floor.map(|floor| Meter::new(floor, tokio::time::Instant::now()));
    loop {
        let next = match &meter {
            None => response.chunk().await,
            Some(m) => {
                let wake = m.next_check(tokio::time::Instant::now());
                match tokio::time::timeout_at(wake, response.chunk()).await {
                    Ok(next) => next,
                    Err(_) => {
                        // Nothing came before the check was due: is the body below the
                        // floor? (`chunk` keeps no partial state, so it can be polled
                        // afresh.)
                        m.check(tokio::time::Instant::now())
                            .map_err(ReadError::Stalled)?;
                        continue;
                    }
                }
            }
        };
        let Some(chunk) = next.map_err(ReadError::Transport)? else {
            break;
        };
        if let Some(m) = &mut meter {
            let now = tokio::time::Instant::now();
            m.record(now, chunk.len());
            m.check(now).map_err(ReadError::Stalled)?;
        }
        body.push(chunk)
            .map_err(|TooLarge { limit }| ReadError::TooLarge { limit })?;
    }
    Ok(body.finish())
}

/// What generated operations call instead of progenitor's
/// `ResponseValue::from_response` (the xtask rewrites the call): reads the body through
/// `read_limited` with the client's `max_body_bytes`, then decodes it once with
/// `serde_json`.
///
/// It returns what the generated code expects. A body over the limit comes back as
/// `Error::Custom` with the typed [`ErrorKind::BodyTooLarge`] error (status and request
/// id) waiting in the call's record, the way hook errors travel; a transfer broken off
/// part-way is `Error::ResponseBodyError`, which [`Runtime::send`] turns into a
/// retryable transport or timeout error.
pub async fn read_json<T, E>(
    runtime: &Runtime,
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>>
where
    T: DeserializeOwned,
{
    let status = response.status();
    // The body reader does not need the headers: take them instead of cloning.
    let headers = std::mem::take(response.headers_mut());
    let body = match read_limited(response, runtime.max_body_bytes(), runtime.min_throughput())
        .await
    {
        Ok(body) => body,
        Err(ReadError::Transport(e)) => return Err(progenitor_client::Error::ResponseBodyError(e)),
        Err(ReadError::TooLarge { limit }) => {
            let err = runtime.too_large(limit, status, &headers);
            return Err(progenitor_client::Error::Custom(stash(err).to_string()));
        }
        Err(ReadError::Stalled(stalled)) => {
            let err = runtime.stalled(stalled, status, &headers);
            return Err(progenitor_client::Error::Custom(stash(err).to_string()));
        }
    };
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(e) => Err(progenitor_client::Error::InvalidResponsePayload(body, e)),
    }
}

/// What a success body becomes on the hand-written (next-link) path: the typed value, or
/// [`ErrorKind::Decode`] with the path of the bad value. Generated operations decode the
/// same way in [`read_json`] and build the same error with [`decode_error`].
#[doc(hidden)]
pub fn decode<T: DeserializeOwned>(provider: &'static str, body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| decode_error::<T>(provider, body, e))
}

/// The [`ErrorKind::Decode`] error for a success `body` that `serde_json` refused with
/// `source`: decoded a second time, only now, to find the JSON path of the bad value (so
/// that a good body is decoded once, without the path tracking's cost).
#[doc(hidden)]
pub fn decode_error<T: DeserializeOwned>(
    provider: &'static str,
    body: &[u8],
    source: serde_json::Error,
) -> Error {
    // The path holds the body's own keys and the message may quote its values: both are
    // server data, so control characters are escaped and the length capped (found by the
    // `page_*` fuzz targets: a key with a newline made a two-line error).
    let path = decode_path::<T>(body).map_or_else(|| ".".to_owned(), |p| printable(&p, 200));
    Error::new(provider, ErrorKind::Decode { path })
        .with_message(printable(&source.to_string(), 300))
        .with_source(source)
}

/// `text` with control characters escaped (`\n`, `\u{7f}`), cut with `…` so that the
/// result, escapes included, has at most `max` characters before the `…` (counting the
/// input's characters instead let a path of escaped DELs grow sixfold: `page_*` fuzz
/// targets).
fn printable(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in text.chars() {
        let escaped = c.is_control().then(|| c.escape_debug().to_string());
        let width = escaped.as_ref().map_or(1, |e| e.chars().count());
        if len + width > max {
            out.push('…');
            break;
        }
        len += width;
        match escaped {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
    }
    out
}

/// The JSON path at which `body` fails to decode as `T`.
fn decode_path<T: DeserializeOwned>(body: &[u8]) -> Option<String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize::<_, T>(&mut de)
        .err()
        .map(|e| e.path().to_string())
}

/// The message of an error status's `body`: the provider's own, when the body is the
/// error shape `E` and carries one, else the start of the body as one line.
#[doc(hidden)]
pub fn error_message<E: DeserializeOwned + ErrorBody>(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<E>(body)
        .ok()
        .and_then(|b| b.message())
        .or_else(|| body_excerpt(body))
}

/// The start of an error body that is not the documented shape, as one short line.
#[doc(hidden)]
pub fn body_excerpt(body: &[u8]) -> Option<String> {
    // Only the start is needed: a few characters per byte at most.
    let head = &body[..body.len().min(EXCERPT_CHARS * 16)];
    one_line(&String::from_utf8_lossy(head), EXCERPT_CHARS)
}

/// What kind of failure a `reqwest` error is, a one-line description of it naming the
/// phase and `origin` (`scheme://host:port`, never a path or query), and the error
/// itself with its URL removed (to keep as the source).
pub(crate) fn describe(
    e: reqwest::Error,
    origin: &str,
    timeouts: &Timeouts,
) -> (ErrorKind, String, reqwest::Error) {
    let e = e.without_url();
    let (kind, message) = classify(&e, origin, timeouts);
    (kind, message, e)
}

fn classify(e: &reqwest::Error, origin: &str, timeouts: &Timeouts) -> (ErrorKind, String) {
    let chain = describe_chain(e);
    if e.is_builder() {
        return (ErrorKind::InvalidRequest, chain);
    }
    if e.is_timeout() {
        let message = if e.is_connect() {
            if timeouts.own_http {
                format!(
                    "no connection to {origin} within {} (connect timeout)",
                    secs(timeouts.connect)
                )
            } else {
                format!("no connection to {origin} in time (connect timeout)")
            }
        } else if timeouts.own_http {
            format!(
                "{origin} sent nothing for {} (read timeout)",
                secs(timeouts.read)
            )
        } else {
            format!("{origin} did not answer in time (the HTTP client's own timeout)")
        };
        return (ErrorKind::Timeout, message);
    }
    let phase = if e.is_connect() {
        "cannot connect to"
    } else if e.is_body() || e.is_decode() {
        "response body broken off from"
    } else if e.is_redirect() {
        "redirect refused from"
    } else {
        "request failed to"
    };
    (ErrorKind::Transport, format!("{phase} {origin}: {chain}"))
}

/// The message of the timeout that ends an attempt taking longer than `limit`; `cut`
/// when the limit was the call's remaining budget rather than the per-attempt timeout.
pub(crate) fn total_timeout_message(origin: &str, limit: Duration, cut: bool) -> String {
    if cut {
        format!(
            "{origin}: attempt stopped after {}, when the call's retry budget ran out (total timeout)",
            secs(limit)
        )
    } else {
        format!(
            "{origin}: attempt took longer than {} (total timeout)",
            secs(limit)
        )
    }
}

fn secs(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// An error and its sources as one line, `a: b: c`, leaving out a message that repeats
/// the one before it (hyper and reqwest often wrap an error and print part of it again)
/// and reqwest's generic "error sending request" wrapper when more specific causes
/// follow.
pub fn describe_chain(e: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(err) = next {
        let text = one_line(&err.to_string(), usize::MAX).unwrap_or_default();
        let repeated = parts
            .last()
            .is_some_and(|prev| prev.contains(text.as_str()) || text.contains(prev.as_str()));
        if !text.is_empty() {
            if repeated {
                // Keep the longer (more specific) of the two.
                if let Some(prev) = parts.last_mut() {
                    if text.len() > prev.len() {
                        *prev = text;
                    }
                }
            } else {
                parts.push(text);
            }
        }
        next = err.source();
    }
    const GENERIC: &[&str] = &[
        "error sending request",
        "request or response body error",
        "error decoding response body",
        "client error (Connect)",
        "client error (SendRequest)",
    ];
    if parts.len() > 1 {
        parts.retain(|p| !GENERIC.contains(&p.as_str()));
    }
    parts.join(": ")
}

/// `text` as one short line: control characters dropped, runs of whitespace (newlines
/// included) collapsed to one space, HTML tags removed when the text is an HTML page,
/// cut to `max` characters with `…`. `None` when nothing is left.
pub fn one_line(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    // An HTML page starts with `<` once whitespace and control characters (which are
    // dropped) are skipped; deciding on the first raw character instead made the
    // function give a different line when applied to its own output (found by the
    // `wire_text` fuzz target), and messages go through it twice.
    let html = text.chars().find(|c| !c.is_whitespace() && !c.is_control()) == Some('<');
    let mut out = String::new();
    let mut count = 0usize;
    let mut in_tag = false;
    let mut pending_space = false;
    let mut cut = false;
    for c in text.chars() {
        if html {
            match c {
                '<' => {
                    in_tag = true;
                    pending_space = true;
                    continue;
                }
                '>' if in_tag => {
                    in_tag = false;
                    continue;
                }
                _ if in_tag => continue,
                _ => {}
            }
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if c.is_control() {
            continue;
        }
        if pending_space && !out.is_empty() {
            if count >= max {
                cut = true;
                break;
            }
            out.push(' ');
            count += 1;
        }
        pending_space = false;
        if count >= max {
            cut = true;
            break;
        }
        out.push(c);
        count += 1;
    }
    if cut {
        out.truncate(out.trim_end().len());
        out.push('…');
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error with a message and an optional cause, to build chains.
    #[derive(Debug)]
    struct Chain(&'static str, Option<Box<Chain>>);

    impl std::fmt::Display for Chain {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl StdError for Chain {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            self.1.as_deref().map(|c| c as &(dyn StdError + 'static))
        }
    }

    fn chain(messages: &[&'static str]) -> Chain {
        messages
            .iter()
            .rev()
            .fold(None, |cause, m| Some(Chain(m, cause.map(Box::new))))
            .expect("at least one")
    }

    #[test]
    fn describe_chain_keeps_each_cause_once() {
        assert_eq!(describe_chain(&chain(&["a", "b", "c"])), "a: b: c");
        // A message repeating (part of) the one before it: the longer one stays.
        assert_eq!(
            describe_chain(&chain(&[
                "tcp connect error",
                "tcp connect error: refused",
                "refused"
            ])),
            "tcp connect error: refused"
        );
        assert_eq!(
            describe_chain(&chain(&[
                "connection closed before message completed",
                "closed"
            ])),
            "connection closed before message completed"
        );
        assert_eq!(
            describe_chain(&chain(&[
                "connection error",
                "connection error (os error 111)"
            ])),
            "connection error (os error 111)"
        );
        // reqwest's generic wrapper goes when something more specific follows, and
        // stays when it is all there is.
        assert_eq!(
            describe_chain(&chain(&[
                "error sending request",
                "dns error",
                "no such host"
            ])),
            "dns error: no such host"
        );
        assert_eq!(
            describe_chain(&chain(&["error sending request"])),
            "error sending request"
        );
        // Blank messages are skipped; line breaks collapse.
        assert_eq!(describe_chain(&chain(&["a", " ", "b\nc"])), "a: b c");
    }

    #[test]
    fn timeout_messages_name_the_limit() {
        assert_eq!(secs(Duration::from_secs(10)), "10 s");
        assert_eq!(secs(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(secs(Duration::from_millis(200)), "0.2 s");
        assert_eq!(
            total_timeout_message("https://x.example:443", Duration::from_secs(30), false),
            "https://x.example:443: attempt took longer than 30 s (total timeout)"
        );
        assert_eq!(
            total_timeout_message("https://x.example:443", Duration::from_millis(2500), true),
            "https://x.example:443: attempt stopped after 2.5 s, when the call's retry budget ran out (total timeout)"
        );
    }

    #[test]
    fn one_line_collapses_and_cuts() {
        assert_eq!(one_line("  a \n\t b\r\n", 10).as_deref(), Some("a b"));
        assert_eq!(one_line("abcdef", 3).as_deref(), Some("abc…"));
        assert_eq!(one_line("ab cd", 3).as_deref(), Some("ab…"));
        assert_eq!(one_line("a\u{7}b", 10).as_deref(), Some("ab"));
        assert_eq!(one_line(" \n ", 10), None);
        let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                    <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
                    </body>\r\n</html>\r\n";
        assert_eq!(
            one_line(page, 200).as_deref(),
            Some("502 Bad Gateway 502 Bad Gateway nginx")
        );
        // Not HTML: angle brackets stay.
        assert_eq!(one_line("a <b> c", 20).as_deref(), Some("a <b> c"));
        // In an HTML page, a `>` outside a tag is text.
        assert_eq!(one_line("<p>1 > 0</p>", 20).as_deref(), Some("1 > 0"));
        // Multi-byte characters are counted, not cut in half.
        assert_eq!(one_line("ééé", 2).as_deref(), Some("éé…"));
        // A control character before the `<` does not hide an HTML page, so the
        // function gives the same line on its own output (fuzz target `wire_text`).
        assert_eq!(one_line("\0<b>x", 10).as_deref(), Some("x"));
        assert_eq!(one_line("x", 10).as_deref(), Some("x"));
    }

    #[test]
    fn decode_errors_are_one_bounded_line() {
        #[derive(Debug, serde::Deserialize)]
        struct Page {
            #[allow(dead_code)]
            items: Vec<u32>,
        }
        // A key with a newline around a broken value (fuzz targets `page_*`).
        let body = br#"{"items": [], "a\nb": [}"#;
        let e = decode::<Page>("p", body).expect_err("broken");
        let text = e.to_string();
        assert!(!text.chars().any(char::is_control), "{text}");
        assert!(text.contains(r"a\nb"), "{text}");
        // A long key of control characters: the escapes count towards the cap.
        let body = format!(r#"{{"items": [], "{}": [}}"#, "\\u007f".repeat(500));
        let e = decode::<Page>("p", body.as_bytes()).expect_err("broken");
        assert!(
            e.to_string().chars().count() < 600,
            "{}",
            e.to_string().len()
        );
        // A huge value quoted in the message is cut.
        let long = format!(r#"{{"items": "{}"}}"#, "x".repeat(10_000));
        let e = decode::<Page>("p", long.as_bytes()).expect_err("not a list");
        assert!(
            e.to_string().chars().count() < 600,
            "{}",
            e.to_string().len()
        );
    }

    #[test]
    fn body_buffer_keeps_one_chunk_and_stops_at_the_limit() {
        let mut b = BodyBuffer::new(10, None);
        assert!(b.is_empty());
        b.push(Bytes::new()).expect("empty fits");
        assert!(b.is_empty());
        assert_eq!(b.len(), 0);
        b.push(Bytes::from_static(b"hello")).expect("fits");
        assert!(!b.is_empty());
        assert_eq!(b.len(), 5);
        let one = b.finish();
        assert_eq!(&one[..], b"hello");

        let mut b = BodyBuffer::new(10, None);
        b.push(Bytes::from_static(b"hello")).expect("fits");
        b.push(Bytes::new()).expect("empty fits");
        b.push(Bytes::from_static(b"world"))
            .expect("exactly the limit");
        assert_eq!(
            b.push(Bytes::from_static(b"!")),
            Err(TooLarge { limit: 10 })
        );
        assert_eq!(b.len(), 10);
        assert_eq!(&b.finish()[..], b"helloworld");

        // The buffer never grows past the limit, however the chunks come.
        let mut b = BodyBuffer::new(1000, None);
        for _ in 0..100 {
            b.push(Bytes::from_static(b"0123456789")).expect("fits");
        }
        assert!(b.capacity() <= 1000, "{}", b.capacity());
        assert!(b.push(Bytes::from_static(b"x")).is_err());

        // The first two chunks are put together in a buffer of their size, no more.
        let mut b = BodyBuffer::new(1000, None);
        b.push(Bytes::from_static(b"0123456789")).expect("fits");
        b.push(Bytes::from_static(b"0123456789")).expect("fits");
        assert_eq!(b.capacity(), 20);
        // A chunk that the buffer must grow for never grows it past the limit (a Vec
        // left to grow by itself would double to 1200 here).
        let mut b = BodyBuffer::new(1000, None);
        for size in [300, 300, 390] {
            b.push(Bytes::from(vec![b'x'; size])).expect("fits");
        }
        assert_eq!(b.len(), 990);
        assert!(b.capacity() <= 1000, "{}", b.capacity());

        // A declared length sizes the buffer once.
        let mut b = BodyBuffer::new(1000, Some(300));
        for _ in 0..30 {
            b.push(Bytes::from_static(b"0123456789")).expect("fits");
        }
        assert_eq!(b.capacity(), 300);
    }

    #[test]
    fn printable_keeps_exactly_max_and_cuts_after() {
        assert_eq!(printable("abc", 3), "abc");
        assert_eq!(printable("abcd", 3), "abc…");
        // An escape counts with its full width: `\n` is two characters.
        assert_eq!(printable("a\nb", 3), "a\\n…");
        assert_eq!(printable("a\nb", 4), "a\\nb");
    }
}
