//! The HTTP client telnums builds with: timeouts, gzip, and redirects that never leave
//! the request's origin.

use std::time::Duration;

use crate::throughput::MinThroughput;

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
