//! The seam between telnums and progenitor: the only module that knows the generated
//! code's types.
//!
//! * Each provider crate's client implements progenitor's `ClientHooks` (in
//!   [`define_client!`](crate::define_client)) by calling [`pre_request`] and
//!   [`post_response`], which run the runtime's [`hooks`](crate::hooks).
//! * The xtask rewrites the generated body reads into [`read_json`], so that every body
//!   goes through the wire's limited reader.
//! * [`Runtime::send`] runs a generated operation in the runtime's retry driver and turns
//!   progenitor's error into a typed [`Error`].
//!
//! Errors that have to pass through generated code travel as `Error::Custom` text, with
//! the typed error waiting in the call's record (`hooks::stash`); `send` takes it
//! back out.

use std::future::Future;

use progenitor_client::{Error as P, ResponseValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorBody, ErrorKind};
use crate::hooks::{capture, stash, CallState};
use crate::response::Response;
use crate::runtime::Runtime;
use crate::wire::{self, ReadError};

/// progenitor's `ClientHooks::pre`: the runtime's pre-request hook, its error passed on
/// as `Error::Custom`.
#[doc(hidden)]
pub async fn pre_request<E>(rt: &Runtime, request: &mut reqwest::Request) -> Result<(), P<E>> {
    rt.hooks()
        .pre_request(request)
        .await
        .map_err(|e| P::Custom(stash(e)))
}

/// progenitor's `ClientHooks::post`: the runtime's post-response hook, which only
/// records and never fails.
#[doc(hidden)]
pub async fn post_response<E>(
    rt: &Runtime,
    result: &reqwest::Result<reqwest::Response>,
) -> Result<(), P<E>> {
    rt.hooks().post_response(result);
    Ok(())
}

/// What generated operations call instead of progenitor's
/// `ResponseValue::from_response`: reads the body through the wire's limited reader with
/// the client's `max_body_bytes`, then decodes it once with `serde_json`.
///
/// A body over the limit, or one that stalls, comes back as `Error::Custom` with the
/// typed error (status and request id) waiting in the call's record; a transfer broken
/// off part-way is `Error::ResponseBodyError`, which [`Runtime::send`] turns into a
/// retryable transport or timeout error.
pub async fn read_json<T, E>(
    rt: &Runtime,
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, P<E>>
where
    T: DeserializeOwned,
{
    let status = response.status();
    // The body reader does not need the headers: take them instead of cloning.
    let headers = std::mem::take(response.headers_mut());
    let body = match wire::read_limited(response, rt.max_body_bytes(), rt.min_throughput()).await {
        Ok(body) => body,
        Err(ReadError::Transport(e)) => return Err(P::ResponseBodyError(e)),
        Err(ReadError::TooLarge { limit }) => {
            return Err(P::Custom(stash(
                rt.hooks().too_large(limit, status, &headers),
            )));
        }
        Err(ReadError::Stalled(stalled)) => {
            return Err(P::Custom(stash(rt.stalled(stalled, status, &headers))));
        }
    };
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(e) => Err(P::InvalidResponsePayload(body, e)),
    }
}

impl Runtime {
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
        Fut: Future<Output = Result<ResponseValue<T>, P<E>>>,
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
                        let request_id = state.request_id(self.hooks());
                        // The post-response hook kept a copy of the headers already.
                        let headers = state
                            .headers
                            .take()
                            .unwrap_or_else(|| value.headers().clone());
                        Ok(Response::from_parts(
                            value.into_inner(),
                            status,
                            headers,
                            request_id,
                        ))
                    }
                    Err(e) => Err(convert::<T, E>(self, e, state).await),
                }
            }
        })
        .await
    }
}

/// Turns a progenitor error into a typed [`Error`], using what the hooks recorded.
async fn convert<T, E>(rt: &Runtime, err: P<E>, mut state: CallState) -> Error
where
    T: DeserializeOwned,
    E: ErrorBody,
{
    let request_id = state.request_id(rt.hooks());
    match err {
        P::InvalidRequest(message) => rt.error(ErrorKind::InvalidRequest).with_message(message),
        P::CommunicationError(e) | P::InvalidUpgrade(e) => {
            rt.transport_error(e).with_request_id(request_id)
        }
        P::ResponseBodyError(e) => {
            // The head arrived (its status is in the record), the body broke off.
            let mut err = rt.transport_error(e).with_request_id(request_id);
            if let Some(status) = state.status {
                err = err.with_status(status);
            }
            err
        }
        P::ErrorResponse(value) => {
            let status = value.status();
            let headers = value.headers().clone();
            let message = value.into_inner().message();
            let request_id = rt.request_id(&headers).or(request_id);
            rt.api_error(status, &headers, request_id, message)
        }
        P::InvalidResponsePayload(body, source) => {
            let status = state.status.unwrap_or(StatusCode::OK);
            if status.is_success() {
                wire::decode_error::<T>(rt.provider().key, &body, source)
                    .with_status(status)
                    .with_request_id(request_id)
            } else {
                // An error status whose body is not the documented error shape.
                let headers = state.headers.take().unwrap_or_default();
                rt.api_error(status, &headers, request_id, wire::body_excerpt(&body))
            }
        }
        P::UnexpectedResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            let request_id = rt.request_id(&headers).or(request_id);
            let body = match rt.read_body(response, status, &headers).await {
                Ok(body) => body,
                Err(e) => return e.with_request_id(request_id),
            };
            let message = wire::error_message::<serde_json::Value>(&body);
            rt.api_error(status, &headers, request_id, message)
        }
        P::Custom(message) => {
            let err = state
                .hook_error
                .take()
                .unwrap_or_else(|| rt.error(ErrorKind::InvalidRequest).with_message(message));
            state.finish(err, rt.hooks())
        }
    }
}
