//! The runtime every generated client carries as its `inner` value: credentials, retry
//! policy, provider facts, and the retry driver every call goes through. It knows
//! nothing of the generator: generated operations reach it through
//! [`crate::progenitor`], and the hand-written next-link path calls
//! [`Runtime::get_json`].

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::auth::Credentials;
use crate::error::{Error, ErrorBody, ErrorKind};
use crate::hooks::{capture, CallState, Hooks};
use crate::info::ProviderInfo;
use crate::response::Response;
use crate::retry::{parse_retry_after, RetryPolicy};
use crate::throughput::{MinThroughput, Stalled};
use crate::wire::{self, ReadError, Timeouts};

/// Shared state of one configured client. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    hooks: Hooks,
    retry: RetryPolicy,
    timeouts: Timeouts,
    http: reqwest::Client,
    base_url: url::Url,
    /// `scheme://host:port` of the base URL, the only place requests go: named in
    /// transport errors instead of the URL, whose path or query may carry ids.
    origin: String,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("provider", &self.provider().key)
            .field("base_url", &self.inner.base_url.as_str())
            .field("credentials", &self.inner.hooks.credentials())
            .field("retry", &self.inner.retry)
            .field("max_body_bytes", &self.max_body_bytes())
            .field("timeouts", &self.inner.timeouts)
            .finish()
    }
}

impl Runtime {
    pub(crate) fn new(
        provider: ProviderInfo,
        credentials: Option<Arc<dyn Credentials>>,
        retry: RetryPolicy,
        max_body_bytes: u64,
        timeouts: Timeouts,
        http: reqwest::Client,
        base_url: url::Url,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                hooks: Hooks::new(provider, credentials, max_body_bytes),
                retry,
                timeouts,
                http,
                origin: base_url.origin().ascii_serialization(),
                base_url,
            }),
        }
    }

    /// The provider facts.
    pub fn provider(&self) -> &ProviderInfo {
        self.inner.hooks.provider()
    }
    /// The base URL requests go to.
    pub fn base_url(&self) -> &url::Url {
        &self.inner.base_url
    }
    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }
    /// Largest response body accepted, in bytes.
    pub fn max_body_bytes(&self) -> u64 {
        self.inner.hooks.max_body_bytes()
    }
    /// Time allowed for one attempt, from sending to the end of the body.
    pub fn timeout(&self) -> Duration {
        self.inner.timeouts.total
    }

    /// The hooks run around each request.
    pub(crate) fn hooks(&self) -> &Hooks {
        &self.inner.hooks
    }

    pub(crate) fn error(&self, kind: ErrorKind) -> Error {
        self.inner.hooks.error(kind)
    }

    /// The provider's request id in `headers`, if any.
    pub fn request_id(&self, headers: &HeaderMap) -> Option<String> {
        self.inner.hooks.request_id(headers)
    }

    /// `GET` an absolute URL (a provider's "next page" link) with the same credentials,
    /// headers, retries and limits as generated operations, decoding the body as `T` and
    /// error bodies as `E`. A URL on another origin (scheme, host, port) than the base URL
    /// is refused with [`ErrorKind::InvalidRequest`] before anything is sent.
    pub async fn get_json<T, E>(
        &self,
        operation: &'static str,
        url: url::Url,
    ) -> Result<Response<T>, Error>
    where
        T: DeserializeOwned,
        E: DeserializeOwned + ErrorBody,
    {
        if url.origin() != self.base_url().origin() {
            // The request would carry this client's credentials to another host.
            return Err(self.error(ErrorKind::InvalidRequest).with_message(format!(
                "refusing to follow a link to {}: not the client's base URL ({})",
                url.origin().ascii_serialization(),
                self.base_url().origin().ascii_serialization()
            )));
        }
        self.with_retries(operation, |deadline| {
            let url = url.clone();
            async move {
                let call = async {
                    let mut request = self
                        .inner
                        .http
                        .get(url)
                        .header(reqwest::header::ACCEPT, "application/json")
                        .build()
                        .map_err(|e| self.error(ErrorKind::InvalidRequest).with_source(e))?;
                    let hooks = self.hooks();
                    hooks.pre_request(&mut request).await?;
                    let result = self.inner.http.execute(request).await;
                    hooks.post_response(&result);
                    let response = result.map_err(|e| self.transport_error(e))?;
                    let status = response.status();
                    let headers = response.headers().clone();
                    let body = self.read_body(response, status, &headers).await?;
                    Ok((status, headers, body))
                };
                let (result, state) = capture(call, deadline.limit).await;
                let request_id = state.request_id(self.hooks());
                let (status, headers, body) = match result {
                    Some(Ok(parts)) => parts,
                    Some(Err(e)) => return Err(state.finish(e, self.hooks())),
                    None => return Err(self.attempt_timed_out(deadline, &state)),
                };
                if status.is_success() {
                    let value = wire::decode::<T>(self.provider().key, &body)
                        .map_err(|e| e.with_status(status).with_request_id(request_id.clone()))?;
                    Ok(Response::from_parts(value, status, headers, request_id))
                } else {
                    let message = wire::error_message::<E>(&body);
                    Err(self.api_error(status, &headers, request_id, message))
                }
            }
        })
        .await
    }

    /// Runs `attempt` until it succeeds or the policy gives up. Each attempt gets a
    /// [`Deadline`]: the per-attempt timeout, cut to what is left of the policy's
    /// `max_total_wait` for retries, so that a whole call ends within
    /// `max(timeout, max_total_wait)` whatever the server does.
    pub(crate) async fn with_retries<T, F, Fut>(
        &self,
        operation: &'static str,
        mut attempt: F,
    ) -> Result<Response<T>, Error>
    where
        F: FnMut(Deadline) -> Fut,
        Fut: Future<Output = Result<Response<T>, Error>>,
    {
        let policy = &self.inner.retry;
        let timeout = self.inner.timeouts.total;
        let budget = policy.max_total_wait();
        let started = tokio::time::Instant::now();
        let mut backoff = policy.backoff();
        let mut refreshed = false;
        let mut stalls = 0u32;
        let mut deadline = Deadline {
            limit: timeout,
            cut: false,
        };
        let mut n = 0u32;
        loop {
            n += 1;
            // `method`, `path` and `query` (token-bearing values redacted) are recorded by
            // the pre-request hook; see `hooks::record_request`.
            let span = tracing::debug_span!(
                "telnums.request",
                provider = self.provider().key,
                operation,
                attempt = n,
                method = tracing::field::Empty,
                path = tracing::field::Empty,
                query = tracing::field::Empty,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            // No clock reads when nothing listens.
            let attempt_started = (!span.is_disabled()).then(std::time::Instant::now);
            // Boxed so the span and the retry loop move a pointer, not the attempt.
            let outcome = Box::pin(attempt(deadline)).instrument(span.clone()).await;
            let elapsed_ms =
                attempt_started.map(|t| u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX));
            let err = match outcome {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    if let Some(id) = response.request_id() {
                        span.record("request_id", id);
                    }
                    tracing::debug!(parent: &span, elapsed_ms, "response");
                    return Ok(response);
                }
                Err(e) => e.with_operation(operation),
            };
            if let Some(status) = err.status() {
                span.record("status", status.as_u16());
            }
            if let Some(id) = err.request_id() {
                span.record("request_id", id);
            }
            // A 401 may mean a cached OAuth2 token was revoked early: refresh once (a
            // retry like the others, so only within the budget).
            if err.status() == Some(StatusCode::UNAUTHORIZED)
                && !refreshed
                && n < policy.max_attempts()
                && started.elapsed() < budget
            {
                refreshed = true;
                if let Some(creds) = self.inner.hooks.credentials() {
                    if creds.invalidate().await {
                        tracing::debug!(parent: &span, elapsed_ms, "401: refreshing credentials and retrying once");
                        deadline = Deadline::within(timeout, budget, started.elapsed());
                        continue;
                    }
                }
            }
            // A stalled transfer is retried once: a server that stalls twice in a row
            // is not waited for again.
            if matches!(err.kind(), ErrorKind::Stalled { .. }) {
                stalls += 1;
            }
            let wait = if err.is_retryable() && n < policy.max_attempts() && stalls < 2 {
                let backoff_delay = backoff.next();
                err.retry_after().or(backoff_delay)
            } else {
                None
            };
            // A retry is made only when its wait ends inside the budget; its attempt is
            // then cut to what is left.
            let resume = wait.and_then(|wait| {
                let at = started.elapsed().checked_add(wait)?;
                (at < budget).then_some((wait, at))
            });
            match resume {
                Some((wait, at)) => {
                    tracing::debug!(parent: &span, elapsed_ms, wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), error = %err, "retrying");
                    tokio::time::sleep(wait).await;
                    deadline = Deadline::within(timeout, budget, at.max(started.elapsed()));
                }
                None => {
                    let mut err = err;
                    err.set_attempts(n);
                    tracing::debug!(parent: &span, elapsed_ms, error = %err, "request failed");
                    return Err(err);
                }
            }
        }
    }

    /// The error for an attempt that ran out of time as a whole (the response head or
    /// the body kept coming too slowly for the read timeout to fire).
    pub(crate) fn attempt_timed_out(&self, deadline: Deadline, state: &CallState) -> Error {
        let mut err = self
            .error(ErrorKind::Timeout)
            .with_message(wire::total_timeout_message(
                &self.inner.origin,
                deadline.limit,
                deadline.cut,
            ));
        if let Some(status) = state.status {
            err = err.with_status(status);
        }
        state.finish(err, self.hooks())
    }

    pub(crate) fn api_error(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        request_id: Option<String>,
        message: Option<String>,
    ) -> Error {
        let retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let mut err = self
            .error(ErrorKind::Api)
            .with_status(status)
            .with_request_id(request_id)
            .with_retry_after(retry_after);
        // A provider's message is server data: one short line, whatever it contains.
        let message = message.and_then(|m| wire::one_line(&m, wire::EXCERPT_CHARS));
        let message = if status.is_redirection() {
            // Only redirects within the origin are followed (see `wire`).
            let to = headers
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| self.inner.base_url.join(v).ok())
                .map(|u| u.origin().ascii_serialization())
                .unwrap_or_else(|| "an unknown place".to_owned());
            Some(format!("redirect to {to} not followed"))
        } else {
            message
        };
        if let Some(message) = message {
            err = err.with_message(message);
        }
        err
    }

    /// A typed error for a failed transfer: the phase and cause chain in the message,
    /// the `reqwest` error (without its URL) as the source.
    pub(crate) fn transport_error(&self, e: reqwest::Error) -> Error {
        let (kind, message, e) = wire::describe(e, &self.inner.origin, &self.inner.timeouts);
        self.error(kind).with_message(message).with_source(e)
    }

    /// The floor a body's transfer rate must keep, if any.
    pub(crate) fn min_throughput(&self) -> Option<MinThroughput> {
        self.inner.timeouts.min_throughput
    }

    /// The error for a body that came in slower than the floor.
    pub(crate) fn stalled(
        &self,
        stalled: Stalled,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Error {
        self.error(ErrorKind::Stalled {
            received: stalled.received,
            elapsed: stalled.elapsed,
        })
        .with_message(format!("{}: {stalled}", self.inner.origin))
        .with_status(status)
        .with_request_id(self.request_id(headers))
    }

    /// Reads a body through the wire's limited reader, with typed errors.
    pub(crate) async fn read_body(
        &self,
        response: reqwest::Response,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Result<bytes::Bytes, Error> {
        wire::read_limited(response, self.max_body_bytes(), self.min_throughput())
            .await
            .map_err(|e| match e {
                ReadError::TooLarge { limit } => self.hooks().too_large(limit, status, headers),
                ReadError::Stalled(stalled) => self.stalled(stalled, status, headers),
                ReadError::Transport(e) => self
                    .transport_error(e)
                    .with_status(status)
                    .with_request_id(self.request_id(headers)),
            })
    }
}

/// How long one attempt may take.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    pub(crate) limit: Duration,
    /// True when `limit` is what was left of the call's budget, shorter than the
    /// per-attempt timeout.
    cut: bool,
}

impl Deadline {
    /// The deadline of an attempt starting `at` into a call with `budget`.
    fn within(timeout: Duration, budget: Duration, at: Duration) -> Self {
        let left = budget.saturating_sub(at);
        if left < timeout {
            Self {
                limit: left,
                cut: true,
            }
        } else {
            Self {
                limit: timeout,
                cut: false,
            }
        }
    }
}
