//! The functions generated code calls around every request (wired in by the xtask with
//! progenitor's `with_pre_hook_async` / `with_post_hook_async`).

use reqwest::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION};

use crate::runtime::{stash, HookError, CALL};

/// The header progenitor adds to every request (`api-version: <info.version>`), which
/// no provider should see.
const API_VERSION: HeaderName = HeaderName::from_static("api-version");
use crate::Runtime;

/// Before sending: drop the generator's `api-version` header, set the provider's
/// `Accept`, the `Authorization` header and (Webex) a fresh `TrackingID`.
pub async fn pre_request(rt: &Runtime, request: &mut reqwest::Request) -> Result<(), HookError> {
    let provider = rt.provider();
    let headers = request.headers_mut();
    headers.remove(API_VERSION);
    if let Some(accept) = rt.accept_header() {
        headers.insert(ACCEPT, accept.clone());
    }
    if let Some(credentials) = rt.credentials() {
        match credentials.authorization().await {
            Ok(value) => {
                request.headers_mut().insert(AUTHORIZATION, value);
            }
            Err(e) => return Err(stash(e.into_error(provider.key))),
        }
    }
    if let Some(name) = rt.request_id_header() {
        let id = tracking_id();
        if let Ok(value) = HeaderValue::from_str(&id) {
            request.headers_mut().insert(name.clone(), value);
        }
        let _ = CALL.try_with(|s| s.borrow_mut().sent_request_id = Some(id));
    }
    record_request(request);
    Ok(())
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

/// After the response head arrives: record status and headers for error reporting and
/// retries, and refuse a body whose declared length exceeds the limit.
pub async fn post_response(
    rt: &Runtime,
    result: &reqwest::Result<reqwest::Response>,
) -> Result<(), HookError> {
    let Ok(response) = result else {
        return Ok(());
    };
    let _ = CALL.try_with(|s| {
        let mut s = s.borrow_mut();
        s.status = Some(response.status());
        s.headers = Some(response.headers().clone());
    });
    let limit = rt.max_body_bytes();
    if response.content_length().is_some_and(|len| len > limit) {
        return Err(stash(rt.too_large(
            limit,
            response.status(),
            response.headers(),
        )));
    }
    Ok(())
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
