//! The functions generated code calls around every request (wired in by the xtask with
//! progenitor's `with_pre_hook_async` / `with_post_hook_async`).

use reqwest::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION};

use crate::error::ErrorKind;
use crate::runtime::{accept_header, HookError, CALL};
use crate::{Error, Runtime};

fn stash(err: Error) -> HookError {
    let text = err.to_string();
    // Outside a telnums call (someone using the raw generated client directly) there is
    // no record to fill; the text still reaches progenitor's `Error::Custom`.
    let _ = CALL.try_with(|s| s.borrow_mut().hook_error = Some(err));
    HookError(text)
}

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
            Err(e) => {
                return Err(stash(
                    Error::new(provider.key, ErrorKind::Auth)
                        .with_message(e.to_string())
                        .with_source(e),
                ))
            }
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
        let err = Error::new(rt.provider().key, ErrorKind::BodyTooLarge { limit })
            .with_status(response.status())
            .with_request_id(rt.request_id(response.headers()));
        return Err(stash(err));
    }
    Ok(())
}
