//! The one limited body reader, and what a complete body becomes: the typed value, a
//! decode error with the path of the bad value, or an error status's message.

use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::text::{one_line, printable, EXCERPT_CHARS};
use crate::error::{Error, ErrorBody, ErrorKind};
use crate::throughput::{Meter, MinThroughput, Stalled};

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
    // server data, so control characters are escaped (a key with a newline must not make
    // a two-line error) and the length capped.
    let path = decode_path::<T>(body).map_or_else(|| ".".to_owned(), |p| printable(&p, 200));
    Error::new(provider, ErrorKind::Decode { path })
        .with_message(printable(&source.to_string(), 300))
        .with_source(source)
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
