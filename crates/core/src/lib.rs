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
//! * [`progenitor`]: the seam to the generated code, the one module that knows
//!   progenitor's types;
//! * [`hooks`]: the per-call record and the hooks run around each request;
//! * [`wire`]: the one limited body reader every response goes through, timeouts, gzip,
//!   redirects and the description of transport failures.
#![warn(missing_docs)]

pub mod auth;
mod cleartext;
mod config;
mod error;
pub mod filter;
pub mod hooks;
mod info;
pub mod listing;
mod macros;
pub mod prefetch;
pub mod progenitor;
mod response;
pub mod retry;
mod runtime;
mod secret;
mod throughput;
pub mod wire;

pub use auth::{AuthError, BasicAuth, BearerToken, ClientCredentials, Credentials};
pub use config::{ClientBuilder, ProviderClient};
pub use error::{Error, ErrorBody, ErrorKind};
pub use info::ProviderInfo;
pub use listing::{Items, Limits, Listing, Page, Pages, Paging, TotalMismatch};
pub use response::Response;
pub use retry::RetryPolicy;
pub use runtime::Runtime;
pub use secret::Secret;
pub use throughput::MinThroughput;

/// Re-exported so provider crates and users agree on one version.
pub use futures::Stream;
pub use reqwest;

/// What [`define_client!`] expands to needs; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use progenitor_client;
}
