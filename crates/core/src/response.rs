//! What a successful call returns: the typed body with its status, headers and request
//! id.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

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
    pub(crate) fn from_parts(
        value: T,
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
    ) -> Self {
        Self {
            value,
            status,
            headers,
            request_id,
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
