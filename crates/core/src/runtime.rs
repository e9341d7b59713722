//! The runtime every generated client carries as its `inner` value: credentials, retry
//! policy, provider facts. Generated code reaches it through [`crate::hooks`]; the
//! hand-written provider layers call [`Runtime::send`] and [`Runtime::get_json`].

use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::auth::Credentials;
use crate::error::{Error, ErrorBody, ErrorKind};
use crate::retry::{parse_retry_after, RetryPolicy};
use crate::wire::{self, ReadError, Timeouts};

/// Facts about a provider that the runtime needs.
#[derive(Clone, Copy, Debug)]
pub struct ProviderInfo {
    /// Provider key, e.g. `webex-calling`.
    pub key: &'static str,
    /// Base URL used when the caller sets none.
    pub default_base_url: &'static str,
    /// `Accept` value to send instead of the generator's `application/json`.
    pub accept: Option<&'static str>,
    /// Response headers that carry the provider's request id, in order of preference.
    pub request_id_headers: &'static [&'static str],
    /// Request header in which the client sends its own request id (Webex `TrackingID`).
    pub send_request_id: Option<&'static str>,
    /// `User-Agent` value, `telnums-<key>/<version>`.
    pub user_agent: &'static str,
}

/// Shared state of one configured client. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    provider: ProviderInfo,
    credentials: Option<Arc<dyn Credentials>>,
    retry: RetryPolicy,
    max_body_bytes: u64,
    timeouts: Timeouts,
    http: reqwest::Client,
    base_url: url::Url,
    /// `scheme://host:port` of the base URL, the only place requests go: named in
    /// transport errors instead of the URL, whose path or query may carry ids.
    origin: String,
    /// The provider's `Accept` and request-id header, parsed once instead of per request.
    accept: Option<HeaderValue>,
    request_id_header: Option<reqwest::header::HeaderName>,
    /// [`ProviderInfo::request_id_headers`], parsed once: looking a header up by `&str`
    /// parses and lower-cases the name on every response.
    response_id_headers: Vec<reqwest::header::HeaderName>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("provider", &self.inner.provider.key)
            .field("base_url", &self.inner.base_url.as_str())
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .field("max_body_bytes", &self.inner.max_body_bytes)
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
        let origin = base_url.origin().ascii_serialization();
        let accept = provider.accept.and_then(|v| HeaderValue::from_str(v).ok());
        let request_id_header = provider
            .send_request_id
            .and_then(|name| reqwest::header::HeaderName::from_bytes(name.as_bytes()).ok());
        let response_id_headers = provider
            .request_id_headers
            .iter()
            .filter_map(|name| reqwest::header::HeaderName::from_bytes(name.as_bytes()).ok())
            .collect();
        Self {
            inner: Arc::new(Inner {
                provider,
                credentials,
                retry,
                max_body_bytes,
                timeouts,
                http,
                base_url,
                origin,
                accept,
                request_id_header,
                response_id_headers,
            }),
        }
    }

    /// The provider facts.
    pub fn provider(&self) -> &ProviderInfo {
        &self.inner.provider
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
        self.inner.max_body_bytes
    }
    /// Time allowed for one attempt, from sending to the end of the body.
    pub fn timeout(&self) -> Duration {
        self.inner.timeouts.total
    }

    fn error(&self, kind: ErrorKind) -> Error {
        Error::new(self.inner.provider.key, kind)
    }

    /// The provider's request id in `headers`, if any.
    pub fn request_id(&self, headers: &HeaderMap) -> Option<String> {
        self.inner
            .response_id_headers
            .iter()
            .find_map(|name| headers.get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Runs a generated operation with retries, returning its typed page or a typed
    /// [`Error`]. `make` builds and sends the request afresh for each attempt (generated
    /// builders are cheap to clone).
    pub async fn send<T, E, F, Fut>(
        &self,
        operation: &'static str,
        mut make: F,
    ) -> Result<Response<T>, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<
            Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
        >,
        T: DeserializeOwned,
        E: ErrorBody,
    {
        self.with_retries(operation, |deadline| {
            // Boxed once here: the generated future is a few kilobytes, and the wrappers
            // below (task-local record, timeout, span) would otherwise move it by value.
            let call = Box::pin(make());
            async move {
                let (result, mut state) = capture(call, deadline.limit).await;
                let Some(result) = result else {
                    return Err(self.attempt_timed_out(deadline, &state));
                };
                match result {
                    Ok(value) => {
                        let status = value.status();
                        // The post-response hook kept a copy of the headers already.
                        let headers = state
                            .headers
                            .take()
                            .unwrap_or_else(|| value.headers().clone());
                        let request_id = self.request_id(&headers).or(state.sent_request_id);
                        Ok(Response {
                            value: value.into_inner(),
                            status,
                            headers,
                            request_id,
                        })
                    }
                    Err(e) => Err(self.convert::<T, E>(e, state).await),
                }
            }
        })
        .await
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
                    if let Err(e) = crate::hooks::pre_request(self, &mut request).await {
                        return Err(self.hook_failure(e));
                    }
                    let result = self.inner.http.execute(request).await;
                    if let Err(e) = crate::hooks::post_response(self, &result).await {
                        return Err(self.hook_failure(e));
                    }
                    let response = result.map_err(|e| self.transport_error(e))?;
                    let status = response.status();
                    let headers = response.headers().clone();
                    let body = self.read_body(response, status, &headers).await?;
                    Ok((status, headers, body))
                };
                let (result, state) = capture(call, deadline.limit).await;
                let (status, headers, body) = match result {
                    Some(Ok(parts)) => parts,
                    Some(Err(e)) => return Err(self.finish(e, &state)),
                    None => return Err(self.attempt_timed_out(deadline, &state)),
                };
                let request_id = self.request_id(&headers).or(state.sent_request_id);
                if status.is_success() {
                    let value = wire::decode::<T>(self.inner.provider.key, &body)
                        .map_err(|e| e.with_status(status).with_request_id(request_id.clone()))?;
                    Ok(Response {
                        value,
                        status,
                        headers,
                        request_id,
                    })
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
    async fn with_retries<T, F, Fut>(
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
                provider = self.inner.provider.key,
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
                    span.record("status", response.status.as_u16());
                    if let Some(id) = &response.request_id {
                        span.record("request_id", id.as_str());
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
                if let Some(creds) = &self.inner.credentials {
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
    fn attempt_timed_out(&self, deadline: Deadline, state: &CallState) -> Error {
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
        self.finish(err, state)
    }

    /// Turns a progenitor error into a typed [`Error`], using what the hooks captured.
    async fn convert<T, E>(&self, err: progenitor_client::Error<E>, state: CallState) -> Error
    where
        T: DeserializeOwned,
        E: ErrorBody,
    {
        use progenitor_client::Error as P;
        let request_id = state
            .headers
            .as_ref()
            .and_then(|h| self.request_id(h))
            .or_else(|| state.status.and(state.sent_request_id.clone()));
        match err {
            P::InvalidRequest(message) => {
                self.error(ErrorKind::InvalidRequest).with_message(message)
            }
            P::CommunicationError(e) | P::InvalidUpgrade(e) => {
                self.transport_error(e).with_request_id(request_id)
            }
            P::ResponseBodyError(e) => {
                // The head arrived (its status is in the record), the body broke off.
                let mut err = self.transport_error(e).with_request_id(request_id);
                if let Some(status) = state.status {
                    err = err.with_status(status);
                }
                err
            }
            P::ErrorResponse(value) => {
                let status = value.status();
                let headers = value.headers().clone();
                let message = value.into_inner().message();
                let request_id = self.request_id(&headers).or(request_id);
                self.api_error(status, &headers, request_id, message)
            }
            P::InvalidResponsePayload(body, source) => {
                let status = state.status.unwrap_or(StatusCode::OK);
                let headers = state.headers.clone().unwrap_or_default();
                if status.is_success() {
                    wire::decode_error::<T>(self.inner.provider.key, &body, source)
                        .with_status(status)
                        .with_request_id(request_id)
                } else {
                    // An error status whose body is not the documented error shape.
                    self.api_error(status, &headers, request_id, wire::body_excerpt(&body))
                }
            }
            P::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                let request_id = self.request_id(&headers).or(request_id);
                let body = match self.read_body(response, status, &headers).await {
                    Ok(body) => body,
                    Err(e) => return e.with_request_id(request_id),
                };
                let message = wire::error_message::<serde_json::Value>(&body);
                self.api_error(status, &headers, request_id, message)
            }
            P::Custom(message) => {
                let mut state = state;
                let err = state
                    .hook_error
                    .take()
                    .unwrap_or_else(|| self.error(ErrorKind::InvalidRequest).with_message(message));
                self.finish(err, &state)
            }
        }
    }

    fn finish(&self, err: Error, state: &CallState) -> Error {
        let id = state
            .headers
            .as_ref()
            .and_then(|h| self.request_id(h))
            .or_else(|| state.status.and(state.sent_request_id.clone()));
        if err.request_id().is_none() {
            err.with_request_id(id)
        } else {
            err
        }
    }

    fn hook_failure(&self, message: HookError) -> Error {
        CALL.try_with(|s| s.borrow_mut().hook_error.take())
            .ok()
            .flatten()
            .unwrap_or_else(|| {
                self.error(ErrorKind::InvalidRequest)
                    .with_message(message.0)
            })
    }

    fn api_error(
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
    fn transport_error(&self, e: reqwest::Error) -> Error {
        let (kind, message, e) = wire::describe(e, &self.inner.origin, &self.inner.timeouts);
        self.error(kind).with_message(message).with_source(e)
    }

    /// The floor a body's transfer rate must keep, if any.
    pub(crate) fn min_throughput(&self) -> Option<crate::throughput::MinThroughput> {
        self.inner.timeouts.min_throughput
    }

    /// The error for a body that came in slower than the floor.
    pub(crate) fn stalled(
        &self,
        stalled: crate::throughput::Stalled,
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

    /// The error for a body over `limit` (or declared so).
    pub(crate) fn too_large(&self, limit: u64, status: StatusCode, headers: &HeaderMap) -> Error {
        self.error(ErrorKind::BodyTooLarge { limit })
            .with_status(status)
            .with_request_id(self.request_id(headers))
    }

    /// Reads a body through the wire's limited reader, with typed errors.
    async fn read_body(
        &self,
        response: reqwest::Response,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Result<bytes::Bytes, Error> {
        wire::read_limited(response, self.inner.max_body_bytes, self.min_throughput())
            .await
            .map_err(|e| match e {
                ReadError::TooLarge { limit } => self.too_large(limit, status, headers),
                ReadError::Stalled(stalled) => self.stalled(stalled, status, headers),
                ReadError::Transport(e) => self
                    .transport_error(e)
                    .with_status(status)
                    .with_request_id(self.request_id(headers)),
            })
    }

    pub(crate) fn credentials(&self) -> Option<&Arc<dyn Credentials>> {
        self.inner.credentials.as_ref()
    }
}

/// A successful response: the typed body plus status, headers and request id.
#[derive(Clone, Debug)]
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
}

impl<T> Response<T> {
    /// A response holding `value`, with status 200, no headers and no request id: for
    /// pages made by hand (test doubles, a [`Paging`](crate::Paging) that assembles its
    /// page from several calls).
    pub fn new(value: T) -> Self {
        Self {
            value,
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            request_id: None,
        }
    }
    /// The typed body.
    pub fn value(&self) -> &T {
        &self.value
    }
    /// The typed body, by value.
    pub fn into_inner(self) -> T {
        self.value
    }
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// The provider's request id for this response.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// Transforms the body, keeping status, headers and request id.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
        }
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// How long one attempt may take.
#[derive(Clone, Copy, Debug)]
struct Deadline {
    limit: Duration,
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

/// What the hooks learn about one attempt, kept in a task-local for the attempt's
/// duration (so concurrent calls on one client do not mix their records).
#[derive(Default)]
pub(crate) struct CallState {
    pub(crate) status: Option<StatusCode>,
    pub(crate) headers: Option<HeaderMap>,
    pub(crate) sent_request_id: Option<String>,
    pub(crate) hook_error: Option<Error>,
}

tokio::task_local! {
    pub(crate) static CALL: RefCell<CallState>;
}

/// Runs one attempt with a fresh call record, stopping it after `limit` (`None` then).
/// The record is returned either way, so a timed-out attempt still reports the status
/// and request id of a response head that did arrive.
async fn capture<R>(call: impl Future<Output = R>, limit: Duration) -> (Option<R>, CallState) {
    CALL.scope(RefCell::new(CallState::default()), async {
        let result = tokio::time::timeout(limit, call).await.ok();
        let state = CALL.with(|s| std::mem::take(&mut *s.borrow_mut()));
        (result, state)
    })
    .await
}

/// Puts `err` in the current call's record for [`Runtime::send`] to pick up, and returns
/// the text that travels through progenitor's `Error::Custom`.
pub(crate) fn stash(err: Error) -> HookError {
    let text = err.to_string();
    // Outside a telnums call (someone using the raw generated client directly) there is
    // no record to fill; the text still reaches progenitor's `Error::Custom`.
    let _ = CALL.try_with(|s| s.borrow_mut().hook_error = Some(err));
    HookError(text)
}

/// Error returned by the generated code's hooks; its text is only a fallback, the typed
/// error travels through the task-local record.
#[derive(Debug)]
pub struct HookError(pub(crate) String);

impl std::fmt::Display for HookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Runtime {
    /// The provider's `Accept` value, when it is not the generator's JSON.
    pub(crate) fn accept_header(&self) -> Option<&HeaderValue> {
        self.inner.accept.as_ref()
    }
    /// The header in which the client sends its own request id, when the provider has
    /// one.
    pub(crate) fn request_id_header(&self) -> Option<&reqwest::header::HeaderName> {
        self.inner.request_id_header.as_ref()
    }
}
