//! The functions generated code calls around every request (wired in by the xtask with
//! progenitor's `with_pre_hook_async` / `with_post_hook_async`).

use reqwest::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION};

use crate::runtime::{accept_header, stash, HookError, CALL};
use crate::Runtime;

/// Before sending: drop the generator's `api-version` header, set the provider's
/// `Accept`, the `Authorization` header and (Webex) a fresh `TrackingID`.
pub async fn pre_request(rt: &Runtime, request: &mut reqwest::Request) -> Result<(), HookError> {
    let provider = rt.provider();
    let headers = request.headers_mut();
    headers.remove("api-version");
    if let Some(accept) = accept_header(provider) {
        headers.insert(ACCEPT, accept);
    }
    if let Some(credentials) = rt.credentials() {
        match credentials.authorization().await {
            Ok(value) => {
                request.headers_mut().insert(AUTHORIZATION, value);
            }
            Err(e) => return Err(stash(e.into_error(provider.key))),
        }
    }
    if let Some(name) = provider.send_request_id {
        let id = format!("telnums_{}", uuid::Uuid::new_v4());
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&id),
        ) {
            request.headers_mut().insert(name, value);
        }
        let _ = CALL.try_with(|s| s.borrow_mut().sent_request_id = Some(id));
    }
    tracing::trace!(method = %request.method(), path = request.url().path(), "sending");
    Ok(())
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
