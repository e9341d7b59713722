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
//! * [`paginate`]: page streams with a repeated-cursor guard and item/page caps;
//! * [`filter`]: the query filters each provider crate generates from its spec, and
//!   values checked against them;
//! * [`hooks`]: the functions generated code calls before and after each request;
//! * [`wire`]: the one limited body reader every response goes through (generated code
//!   reaches it via [`wire::read_json`]), timeouts, gzip, redirects and the description of
//!   transport failures.
#![warn(missing_docs)]

pub mod auth;
mod config;
mod error;
pub mod filter;
pub mod hooks;
mod macros;
pub mod paginate;
pub mod retry;
mod runtime;
mod secret;
pub mod wire;

pub use auth::{AuthError, BasicAuth, BearerToken, ClientCredentials, Credentials};
pub use config::{ClientBuilder, Provider};
pub use error::{Error, ErrorBody, ErrorKind};
pub use paginate::Limits;
pub use retry::RetryPolicy;
pub use runtime::{HookError, ProviderInfo, Response, Runtime};
pub use secret::Secret;

/// Re-exported so provider crates and users agree on one version.
pub use futures::Stream;
pub use reqwest;
