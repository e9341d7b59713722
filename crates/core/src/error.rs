//! The one error type every telnums client returns.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong, coarsely. Match on this; read the details from [`Error`]'s accessors.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client was configured wrongly or a request could not be built (bad base URL,
    /// out-of-range parameter, missing credentials).
    InvalidRequest,
    /// Credentials could not be obtained or were rejected before the request was sent.
    Auth,
    /// The request or the response body took longer than the configured timeout.
    Timeout,
    /// The connection failed or broke (DNS, refused, reset, TLS).
    Transport,
    /// The provider answered with a non-success HTTP status.
    Api,
    /// A success response whose body does not match the spec.
    Decode {
        /// JSON path of the offending value (`phoneNumbers[2].owner.type`, or `.` for
        /// the whole body).
        path: String,
    },
    /// The response body came in slower than the configured floor
    /// ([`ClientBuilder::min_throughput`](crate::ClientBuilder::min_throughput)) over a
    /// whole grace window; retried once.
    Stalled {
        /// Bytes received before the transfer was given up.
        received: u64,
        /// How long the body had been coming.
        elapsed: std::time::Duration,
    },
    /// The response body is larger than the configured limit.
    BodyTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The server repeated a cursor, URL or offset: listing stopped instead of looping.
    PaginationLoop {
        /// The repeated cursor, as text.
        cursor: String,
    },
}

/// An error from a telnums client.
///
/// It names the provider, and where there was a response, the HTTP status, the provider's
/// request id (`apple-request-id`, Webex `TrackingID`, Zoom `x-zm-trackingid`) and the
/// provider's own error message. It never contains a credential.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    provider: &'static str,
    kind: ErrorKind,
    operation: Option<&'static str>,
    status: Option<StatusCode>,
    request_id: Option<String>,
    message: Option<String>,
    attempts: u32,
    retry_after: Option<Duration>,
    source: Option<Source>,
}

impl Error {
    /// A new error of `kind` for `provider` (a provider key such as `webex-calling`).
    pub fn new(provider: &'static str, kind: ErrorKind) -> Self {
        Self {
            inner: Box::new(Inner {
                provider,
                kind,
                operation: None,
                status: None,
                request_id: None,
                message: None,
                attempts: 0,
                retry_after: None,
                source: None,
            }),
        }
    }

    /// Sets the operation (the spec's operationId in snake case).
    pub fn with_operation(mut self, operation: &'static str) -> Self {
        self.inner.operation = Some(operation);
        self
    }
    /// Sets the HTTP status.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.inner.status = Some(status);
        self
    }
    /// Sets the provider's request id.
    pub fn with_request_id(mut self, id: Option<String>) -> Self {
        if id.is_some() {
            self.inner.request_id = id;
        }
        self
    }
    /// Sets a human-readable message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }
    /// Sets the underlying cause.
    pub fn with_source(mut self, source: impl Into<Source>) -> Self {
        self.inner.source = Some(source.into());
        self
    }
    pub(crate) fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.inner.retry_after = wait;
        self
    }
    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        self.inner.attempts = attempts;
    }

    /// The provider key, e.g. `zoom-phone`.
    pub fn provider(&self) -> &'static str {
        self.inner.provider
    }
    /// What kind of failure this is.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }
    /// The operation that failed, when known.
    pub fn operation(&self) -> Option<&'static str> {
        self.inner.operation
    }
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }
    /// The provider's request id, when the response carried one (or, for Webex, the
    /// `TrackingID` the client sent, once a response shows the server received it; a
    /// request that never reached a server has none).
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    /// The provider's error message, or a description of a local failure.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }
    /// How many attempts were made before giving up (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }
    /// The error underneath, when there is one (the `reqwest` error of a failed
    /// transfer, the `serde_json` error of a body that did not decode), for code that
    /// inspects it. Its text is already part of this error's message, which is why
    /// `source()` does not return it as well.
    pub fn cause(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.inner.source.as_deref()
    }
    /// The server's `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// True when trying the same request again later may succeed: timeouts, transport
    /// failures, stalled transfers, and HTTP 423, 429, 502, 503 and 504.
    pub fn is_retryable(&self) -> bool {
        match self.inner.kind {
            ErrorKind::Timeout | ErrorKind::Transport | ErrorKind::Stalled { .. } => true,
            ErrorKind::Api => self
                .inner
                .status
                .is_some_and(|s| crate::retry::is_retryable_status(s.as_u16())),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        write!(f, "{}: ", i.provider)?;
        match &i.kind {
            ErrorKind::InvalidRequest => f.write_str("invalid request")?,
            ErrorKind::Auth => f.write_str("authentication failed")?,
            ErrorKind::Timeout => f.write_str("request timed out")?,
            ErrorKind::Transport => f.write_str("connection failed")?,
            ErrorKind::Api => f.write_str("API error")?,
            ErrorKind::Decode { path } => write!(f, "unexpected response body at `{path}`")?,
            ErrorKind::Stalled { .. } => f.write_str("transfer stalled")?,
            ErrorKind::BodyTooLarge { limit } => {
                write!(f, "response body larger than {limit} bytes")?
            }
            ErrorKind::PaginationLoop { cursor } => {
                write!(f, "server repeated page cursor `{cursor}`; listing stopped")?
            }
        }
        if let Some(status) = i.status {
            write!(f, ", HTTP {}", status.as_u16())?;
            if let Some(reason) = status.canonical_reason() {
                write!(f, " {reason}")?;
            }
        }
        if let Some(id) = &i.request_id {
            write!(f, ", request id {id}")?;
        }
        if let Some(message) = &i.message {
            write!(f, ": {message}")?;
        } else if let Some(source) = &i.source {
            write!(f, ": {source}")?;
        }
        if i.attempts > 1 {
            write!(f, " (after {} attempts)", i.attempts)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Error")
            .field("provider", &i.provider)
            .field("kind", &i.kind)
            .field("operation", &i.operation)
            .field("status", &i.status)
            .field("request_id", &i.request_id)
            .field("message", &i.message)
            .field("attempts", &i.attempts)
            .field("source", &i.source)
            .finish()
    }
}

/// `source()` is `None`: the message (`Display`) already carries the cause's text, once,
/// so reporters that walk the chain (`anyhow`'s `{:?}`, `eyre`) print it once. The
/// underlying error itself is [`Error::cause`].
impl std::error::Error for Error {}

/// Implemented by each provider's error body type so that the provider's message reaches
/// [`Error::message`].
pub trait ErrorBody {
    /// The human-readable message in the body, if any.
    fn message(&self) -> Option<String>;
}

impl ErrorBody for () {
    fn message(&self) -> Option<String> {
        None
    }
}

impl ErrorBody for serde_json::Value {
    fn message(&self) -> Option<String> {
        ["message", "Message", "error_description", "error"]
            .iter()
            .find_map(|k| self.get(k).and_then(|v| v.as_str()).map(str::to_owned))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_line_with_what_is_known() {
        let err = Error::new("zoom-phone", ErrorKind::Api)
            .with_status(StatusCode::TOO_MANY_REQUESTS)
            .with_request_id(Some("rid-1".to_owned()))
            .with_message("slow down");
        assert_eq!(
            err.to_string(),
            "zoom-phone: API error, HTTP 429 Too Many Requests, request id rid-1: slow down"
        );
        // A status without a canonical reason, more than one attempt.
        let mut err = Error::new("webex-calling", ErrorKind::Api)
            .with_status(StatusCode::from_u16(599).expect("status"));
        err.set_attempts(3);
        assert_eq!(
            err.to_string(),
            "webex-calling: API error, HTTP 599 (after 3 attempts)"
        );
        err.set_attempts(1);
        assert_eq!(err.to_string(), "webex-calling: API error, HTTP 599");
        // Without a message the source speaks; a message wins over it.
        let source = std::io::Error::other("disk on fire");
        let err = Error::new("fone-dynamics", ErrorKind::Transport).with_source(source);
        assert_eq!(
            err.to_string(),
            "fone-dynamics: connection failed: disk on fire"
        );
        let err = err.with_message("cannot connect");
        assert_eq!(
            err.to_string(),
            "fone-dynamics: connection failed: cannot connect"
        );
        for (kind, text) in [
            (ErrorKind::InvalidRequest, "invalid request"),
            (ErrorKind::Auth, "authentication failed"),
            (ErrorKind::Timeout, "request timed out"),
            (
                ErrorKind::Decode {
                    path: "data[2].id".to_owned(),
                },
                "unexpected response body at `data[2].id`",
            ),
            (
                ErrorKind::BodyTooLarge { limit: 1024 },
                "response body larger than 1024 bytes",
            ),
            (
                ErrorKind::PaginationLoop {
                    cursor: "\"a\"".to_owned(),
                },
                "server repeated page cursor `\"a\"`; listing stopped",
            ),
        ] {
            assert_eq!(
                Error::new("vonage-cc", kind).to_string(),
                format!("vonage-cc: {text}")
            );
        }
    }

    #[test]
    fn accessors_return_what_was_set() {
        let err = Error::new("apple-business", ErrorKind::Api)
            .with_operation("list_caller_ids")
            .with_status(StatusCode::SERVICE_UNAVAILABLE)
            .with_request_id(Some("r".to_owned()))
            .with_request_id(None)
            .with_message("m")
            .with_retry_after(Some(Duration::from_secs(7)));
        assert_eq!(err.provider(), "apple-business");
        assert_eq!(err.kind(), &ErrorKind::Api);
        assert_eq!(err.operation(), Some("list_caller_ids"));
        assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(err.request_id(), Some("r"), "None does not erase an id");
        assert_eq!(err.message(), Some("m"));
        assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(err.attempts(), 0);
        assert!(std::error::Error::source(&err).is_none());
        let debug = format!("{err:?}");
        assert!(
            debug.contains("apple-business") && debug.contains("list_caller_ids"),
            "{debug}"
        );
        let err = Error::new("x", ErrorKind::Transport).with_source(std::io::Error::other("cause"));
        // The text is in the message once; `source()` does not repeat it.
        assert_eq!(err.to_string(), "x: connection failed: cause");
        assert!(std::error::Error::source(&err).is_none());
        let cause = err.cause().expect("cause");
        assert_eq!(cause.to_string(), "cause");
        assert!(cause.downcast_ref::<std::io::Error>().is_some());
    }

    #[test]
    fn retryable_are_timeouts_transport_and_transient_statuses() {
        let api = |status: u16| {
            Error::new("x", ErrorKind::Api).with_status(StatusCode::from_u16(status).expect("s"))
        };
        for status in [423, 429, 502, 503, 504] {
            assert!(api(status).is_retryable(), "{status}");
        }
        for status in [400, 401, 403, 404, 500, 501] {
            assert!(!api(status).is_retryable(), "{status}");
        }
        assert!(!Error::new("x", ErrorKind::Api).is_retryable(), "no status");
        assert!(Error::new("x", ErrorKind::Timeout).is_retryable());
        assert!(Error::new("x", ErrorKind::Transport).is_retryable());
        for kind in [
            ErrorKind::InvalidRequest,
            ErrorKind::Auth,
            ErrorKind::Decode { path: ".".into() },
            ErrorKind::BodyTooLarge { limit: 1 },
            ErrorKind::PaginationLoop { cursor: "c".into() },
        ] {
            assert!(!Error::new("x", kind.clone()).is_retryable(), "{kind:?}");
        }
    }

    #[test]
    fn error_bodies_give_their_message() {
        assert_eq!(ErrorBody::message(&()), None);
        for (body, want) in [
            (serde_json::json!({"message": "a"}), Some("a")),
            (serde_json::json!({"Message": "b"}), Some("b")),
            (
                serde_json::json!({"error_description": "c", "error": "d"}),
                Some("c"),
            ),
            (serde_json::json!({"error": "d"}), Some("d")),
            (serde_json::json!({"message": 5}), None),
            (serde_json::json!(["message"]), None),
        ] {
            assert_eq!(ErrorBody::message(&body).as_deref(), want, "{body}");
        }
    }
}
