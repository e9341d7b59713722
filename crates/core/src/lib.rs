#![doc = include_str!("../README.md")]
//!
//! ## Where things are
//!
//! * [`ClientBuilder`]: base URL, timeouts, `User-Agent`, retry policy, credentials;
//! * [`Credentials`]: [`BearerToken`], [`BasicAuth`] and the OAuth2
//!   [`ClientCredentials`] grant with token caching, all holding a [`Secret`] that never
//!   prints;
//! * [`RetryPolicy`]: what is retried and for how long;
//! * [`Error`] and [`ErrorKind`]: the one error type of every provider crate;
//! * [`listing`]: the one listing engine ([`Listing`] over a provider's [`Paging`]):
//!   page size, typed query, filters, caps, requests in flight, loop guards and the
//!   reported total, with page and item streams that need no pinning;
//! * [`prefetch`]: a stream run ahead of its consumer;
//! * [`filter`]: the query filters each provider crate generates from its spec, and
//!   values checked against them;
//! * [`hooks`]: the functions generated code calls before and after each request;
//! * [`wire`]: the one limited body reader every response goes through (generated code
//!   reaches it via [`wire::read_json`]), timeouts, gzip, redirects and the description of
//!   transport failures.
#![warn(missing_docs)]

pub mod auth;
mod cleartext;
mod config;
mod error;
pub mod filter;
pub mod hooks;
pub mod listing;
mod macros;
pub mod prefetch;
pub mod retry;
mod runtime;
mod secret;
mod throughput;
pub mod wire;

pub use auth::{AuthError, BasicAuth, BearerToken, ClientCredentials, Credentials};
pub use config::{ClientBuilder, Provider};
pub use error::{Error, ErrorBody, ErrorKind};
pub use listing::{Items, Limits, Listing, Page, Pages, Paging, TotalMismatch};
pub use retry::RetryPolicy;
pub use runtime::{HookError, ProviderInfo, Response, Runtime};
pub use secret::Secret;
pub use throughput::MinThroughput;

/// Re-exported so provider crates and users agree on one version.
pub use futures::Stream;
pub use reqwest;
