//! The per-call record and the hooks that fill it.
//!
//! Around every request, generated or hand-written, the runtime runs
//! `Hooks::pre_request` (drop the generator's `api-version` header, set the provider's
//! `Accept`, `Authorization` and, for Webex, a fresh `TrackingID`) and
//! `Hooks::post_response` (note the status and headers). What they learn goes into a `CallState` kept in a task-local for the
//! attempt's duration (`capture`), so concurrent calls on one client never mix their
//! records and an error that has to travel through generated code as text
//! (`stash`) comes out typed on the other side.

use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION};
use reqwest::StatusCode;

use crate::auth::Credentials;
use crate::error::{Error, ErrorKind};
use crate::info::ProviderInfo;

/// The header progenitor adds to every request (`api-version: <info.version>`), which
/// no provider should see.
const API_VERSION: HeaderName = HeaderName::from_static("api-version");

/// What the hooks of one client need, parsed once when the client is built.
pub(crate) struct Hooks {
    provider: ProviderInfo,
    credentials: Option<Arc<dyn Credentials>>,
    max_body_bytes: u64,
    accept: Option<HeaderValue>,
    request_id_header: Option<HeaderName>,
    /// [`ProviderInfo::request_id_headers`], parsed once: looking a header up by `&str`
    /// parses and lower-cases the name on every response.
    response_id_headers: Vec<HeaderName>,
}

impl Hooks {
    pub(crate) fn new(
        provider: ProviderInfo,
        credentials: Option<Arc<dyn Credentials>>,
        max_body_bytes: u64,
    ) -> Self {
        let header = |name: &str| HeaderName::from_bytes(name.as_bytes()).ok();
        Self {
            accept: provider.accept.and_then(|v| HeaderValue::from_str(v).ok()),
            request_id_header: provider.send_request_id.and_then(header),
            response_id_headers: provider
                .request_id_headers
                .iter()
                .filter_map(|name| header(name))
                .collect(),
            provider,
            credentials,
            max_body_bytes,
        }
    }

    pub(crate) fn provider(&self) -> &ProviderInfo {
        &self.provider
    }

    pub(crate) fn credentials(&self) -> Option<&Arc<dyn Credentials>> {
        self.credentials.as_ref()
    }

    pub(crate) fn max_body_bytes(&self) -> u64 {
        self.max_body_bytes
    }

    /// A typed error of this provider.
    pub(crate) fn error(&self, kind: ErrorKind) -> Error {
        Error::new(self.provider.key, kind)
    }

    /// The provider's request id in `headers`, if any.
    pub(crate) fn request_id(&self, headers: &HeaderMap) -> Option<String> {
        self.response_id_headers
            .iter()
            .find_map(|name| headers.get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// The error for a body over `limit` (or declared so).
    pub(crate) fn too_large(&self, limit: u64, status: StatusCode, headers: &HeaderMap) -> Error {
        self.error(ErrorKind::BodyTooLarge { limit })
            .with_status(status)
            .with_request_id(self.request_id(headers))
    }

    /// Before sending: drop the generator's `api-version` header, set the provider's
    /// `Accept`, the `Authorization` header and (Webex) a fresh `TrackingID`.
    pub(crate) async fn pre_request(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        let headers = request.headers_mut();
        headers.remove(API_VERSION);
        if let Some(accept) = &self.accept {
            headers.insert(ACCEPT, accept.clone());
        }
        if let Some(credentials) = &self.credentials {
            let value = credentials
                .authorization()
                .await
                .map_err(|e| e.into_error(self.provider.key))?;
            request.headers_mut().insert(AUTHORIZATION, value);
        }
        if let Some(name) = &self.request_id_header {
            let id = tracking_id();
            if let Ok(value) = HeaderValue::from_str(&id) {
                request.headers_mut().insert(name.clone(), value);
            }
            let _ = CALL.try_with(|s| s.borrow_mut().sent_request_id = Some(id));
        }
        record_request(request);
        Ok(())
    }

    /// After the response head arrives: record status and headers for error reporting
    /// and retries. (A body's declared length is checked where every body is read, in
    /// the wire's limited reader.)
    pub(crate) fn post_response(&self, result: &reqwest::Result<reqwest::Response>) {
        if let Ok(response) = result {
            let _ = CALL.try_with(|s| {
                let mut s = s.borrow_mut();
                s.status = Some(response.status());
                s.headers = Some(response.headers().clone());
            });
        }
    }
}

/// What the hooks learn about one attempt.
#[derive(Default)]
pub(crate) struct CallState {
    pub(crate) status: Option<StatusCode>,
    pub(crate) headers: Option<HeaderMap>,
    pub(crate) sent_request_id: Option<String>,
    pub(crate) hook_error: Option<Error>,
}

impl CallState {
    /// The request id to report: the provider's, from the response head, or else the
    /// one the client sent, but only when a response came (an id the server never saw
    /// helps no one find the request in its logs).
    pub(crate) fn request_id(&self, hooks: &Hooks) -> Option<String> {
        self.headers
            .as_ref()
            .and_then(|h| hooks.request_id(h))
            .or_else(|| self.status.and(self.sent_request_id.clone()))
    }

    /// `err` with the request id of this attempt, unless it names one already.
    pub(crate) fn finish(&self, err: Error, hooks: &Hooks) -> Error {
        if err.request_id().is_none() {
            err.with_request_id(self.request_id(hooks))
        } else {
            err
        }
    }
}

tokio::task_local! {
    static CALL: RefCell<CallState>;
}

/// Runs one attempt with a fresh call record, stopping it after `limit` (`None` then).
/// The record is returned either way, so a timed-out attempt still reports the status
/// and request id of a response head that did arrive.
pub(crate) async fn capture<R>(
    call: impl Future<Output = R>,
    limit: Duration,
) -> (Option<R>, CallState) {
    CALL.scope(RefCell::new(CallState::default()), async {
        let result = tokio::time::timeout(limit, call).await.ok();
        let state = CALL.with(|s| std::mem::take(&mut *s.borrow_mut()));
        (result, state)
    })
    .await
}

/// Puts `err` in the current call's record, for the runtime to pick up once the
/// generated code has passed it on as text, and returns that text. Outside a telnums
/// call (someone driving the generated client without the runtime's retry loop) there
/// is no record to fill, and the text is all that travels.
pub(crate) fn stash(err: Error) -> String {
    let text = err.to_string();
    let _ = CALL.try_with(|s| s.borrow_mut().hook_error = Some(err));
    text
}

/// A fresh request id for providers that take one from the client (Webex `TrackingID`):
/// `telnums_<uuid of this process>_<n>`, unique per request. The random part is drawn
/// once per process, so a request costs a counter increment, not a call to the OS's
/// random source.
pub fn tracking_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    static PROCESS: OnceLock<uuid::Uuid> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let process = PROCESS.get_or_init(uuid::Uuid::new_v4);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("telnums_{process}_{n}")
}

/// Puts the method, path and query of `request` on the current span (the runtime's
/// `telnums.request`) and logs a `sending` event at trace level. Values of query
/// parameters that may carry a token or cursor ([`is_sensitive`]) are replaced by
/// `[redacted]`; headers are never logged. Does nothing when no subscriber listens.
fn record_request(request: &reqwest::Request) {
    let span = tracing::Span::current();
    if span.is_disabled() && !tracing::enabled!(tracing::Level::TRACE) {
        return;
    }
    let url = request.url();
    let query = url.query().map(redact_query);
    span.record("method", request.method().as_str());
    span.record("path", url.path());
    if let Some(q) = &query {
        span.record("query", q.as_str());
    }
    // The span carries method, path and query.
    tracing::trace!("sending");
}

/// Whether a query parameter named `name` may carry a secret, a paging token or a
/// cursor (Zoom `next_page_token`, Apple `after`), by its name: such values are not
/// logged.
pub fn is_sensitive(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "token",
        "secret",
        "password",
        "passwd",
        "key",
        "signature",
        "auth",
        "code",
        "session",
        "cursor",
        "after",
        "before",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// `query` as sent, with the values of [sensitive](is_sensitive) parameters replaced.
fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) => {
                let decoded = url::form_urlencoded::parse(name.as_bytes())
                    .next()
                    .map(|(k, _)| k.into_owned())
                    .unwrap_or_default();
                if is_sensitive(&decoded) {
                    format!("{name}=[redacted]")
                } else {
                    pair.to_owned()
                }
            }
            None => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_ids_differ_per_request() {
        let ids: Vec<String> = (0..3).map(|_| tracking_id()).collect();
        assert!(
            ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2],
            "{ids:?}"
        );
        for id in &ids {
            assert!(id.starts_with("telnums_"), "{id}");
            assert!(HeaderValue::from_str(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn cursors_and_tokens_are_redacted() {
        assert_eq!(
            redact_query("type=assigned&next_page_token=abc%2Bdef&page_size=100"),
            "type=assigned&next_page_token=[redacted]&page_size=100"
        );
        assert_eq!(
            redact_query("ql=state%3D%3DPUBLISHED&limit=2&after=8U54a61d9b495324&flag"),
            "ql=state%3D%3DPUBLISHED&limit=2&after=[redacted]&flag"
        );
        assert_eq!(
            redact_query("access%5Ftoken=x"),
            "access%5Ftoken=[redacted]"
        );
        for name in ["client_secret", "api_key", "Authorization", "pageCursor"] {
            assert!(is_sensitive(name), "{name}");
        }
        for name in [
            "type",
            "ownerType",
            "start",
            "max",
            "Results_Skip",
            "ql",
            "order",
        ] {
            assert!(!is_sensitive(name), "{name}");
        }
    }
}
