//! The wire: how telnums talks HTTP, in one place, split by job.
//!
//! Every path that reads a response shares it: generated operations (through
//! [`crate::progenitor::read_json`]), the hand-written next-link path
//! ([`crate::Runtime::get_json`]), bodies of undocumented statuses, and the OAuth2 token
//! endpoint.
//!
//! * `client`: the HTTP client settings telnums builds with (connect and read timeouts,
//!   gzip, a redirect policy that never leaves the request's origin);
//! * `body`: the one limited body reader (it counts *decoded* bytes, stops at the limit
//!   and never holds more than the limit), and what a complete body becomes:
//!   [`decode`], [`error_message`];
//! * `text`: server text as one short line ([`one_line`]) and the description of
//!   transport failures: the cause chain and the phase (connect, read, total) with the
//!   origin, never a path, query or credential.
//!
//! The pure functions ([`one_line`], [`describe_chain`], [`BodyBuffer`], [`decode`],
//! [`error_message`]) do no I/O so that they can be fuzzed on their own (`fuzz/` in the
//! repository).

mod body;
mod client;
mod text;

pub use body::{body_excerpt, decode, decode_error, error_message, BodyBuffer, TooLarge};
pub(crate) use body::{read_limited, ReadError};
pub(crate) use client::{
    http_client, Timeouts, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_BYTES, DEFAULT_READ_TIMEOUT,
    DEFAULT_TIMEOUT, TOKEN_MAX_BODY_BYTES,
};
pub(crate) use text::{describe, total_timeout_message};
pub use text::{describe_chain, one_line, EXCERPT_CHARS};

#[cfg(test)]
mod tests;
