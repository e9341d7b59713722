//! Credentials: where the `Authorization` header of each request comes from.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use futures::future::BoxFuture;
use reqwest::header::HeaderValue;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::{Error, ErrorKind};
use crate::throughput::MinThroughput;
use crate::wire::{self, ReadError, Timeouts};
use crate::Secret;

/// Why credentials could not be produced. Never contains the secret itself.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The secret contains bytes that cannot go in an HTTP header.
    #[error("the credential contains characters that are not allowed in an HTTP header")]
    InvalidHeader,
    /// The OAuth2 token endpoint answered with an error.
    #[error("token endpoint answered HTTP {status}: {message}")]
    TokenEndpoint {
        /// HTTP status of the token response.
        status: u16,
        /// `error`/`error_description` from the body, or the start of the body.
        message: String,
    },
    /// The token endpoint could not be reached, or the transfer broke off or timed out.
    #[error("token endpoint: {message}")]
    Transport {
        /// The phase and cause, naming the endpoint's origin (never its path or query).
        message: String,
        /// True when it timed out (connecting, reading or in total).
        timeout: bool,
        /// The HTTP client's error, when there was one (not for the total timeout).
        #[source]
        source: Option<reqwest::Error>,
    },
    /// The token response was larger than the token client accepts.
    #[error("token endpoint response larger than {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The token URL is plain HTTP to another machine and plain HTTP was not allowed
    /// ([`ClientCredentials::allow_insecure_http`]); nothing was sent.
    #[error("{0}")]
    Insecure(String),
    /// The token response was not the JSON an OAuth2 server sends.
    #[error("token endpoint sent an invalid response: {0}")]
    InvalidResponse(String),
}

impl AuthError {
    /// The client error for this failure: a failed or slow transfer is a
    /// [`ErrorKind::Transport`] or [`ErrorKind::Timeout`] (retried like any other), an
    /// oversized response [`ErrorKind::BodyTooLarge`], a refused plain-HTTP token URL
    /// [`ErrorKind::InvalidRequest`], everything else [`ErrorKind::Auth`].
    pub(crate) fn into_error(self, provider: &'static str) -> Error {
        let kind = match &self {
            AuthError::Transport { timeout: true, .. } => ErrorKind::Timeout,
            AuthError::Transport { .. } => ErrorKind::Transport,
            AuthError::TooLarge { limit } => ErrorKind::BodyTooLarge { limit: *limit },
            AuthError::Insecure(_) => ErrorKind::InvalidRequest,
            _ => ErrorKind::Auth,
        };
        Error::new(provider, kind)
            .with_message(self.to_string())
            .with_source(self)
    }
}

/// A source of `Authorization` header values.
///
/// Implementations must be cheap to call on every request (cache what is expensive) and
/// must never log or print the secret.
pub trait Credentials: Send + Sync + fmt::Debug + 'static {
    /// The `Authorization` header value for the next request, marked sensitive.
    fn authorization(&self) -> BoxFuture<'_, Result<HeaderValue, AuthError>>;

    /// Drops any cached token, so the next call fetches a fresh one. Called after a 401.
    /// Returns true when there was something to refresh (a retry can help).
    fn invalidate(&self) -> BoxFuture<'_, bool> {
        Box::pin(async { false })
    }

    /// A URL other than the client's base URL that this source sends a secret to (an
    /// OAuth2 token endpoint), checked like the base URL when the client is built:
    /// `(the URL, whether the source allows plain HTTP to it)`.
    fn endpoint(&self) -> Option<(&str, bool)> {
        None
    }

    /// Which required part is empty (`"the bearer token"`), if one is: the client's
    /// builder refuses such credentials, since every request would be sent with them
    /// and fail at the provider with a 401.
    fn empty_part(&self) -> Option<&'static str> {
        None
    }
}

/// The longest an OAuth2 access token is cached, whatever its `expires_in` says.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(86_400);

/// The token endpoint's timeouts: the provider clients' defaults, so a token endpoint
/// that never answers (or trickles) cannot hang a listing.
const TOKEN_TIMEOUTS: Timeouts = Timeouts {
    connect: wire::DEFAULT_CONNECT_TIMEOUT,
    read: wire::DEFAULT_READ_TIMEOUT,
    total: wire::DEFAULT_TIMEOUT,
    own_http: true,
    min_throughput: Some(MinThroughput::DEFAULT),
};

/// The token endpoint's default HTTP client, built like the provider clients' (see
/// [`wire::http_client`]).
fn token_http_client() -> reqwest::Client {
    wire::http_client(
        TOKEN_TIMEOUTS.connect,
        TOKEN_TIMEOUTS.read,
        concat!("telnums/", env!("CARGO_PKG_VERSION")),
    )
    .unwrap_or_default()
}

fn sensitive(value: String) -> Result<HeaderValue, AuthError> {
    let mut header = HeaderValue::try_from(value).map_err(|_| AuthError::InvalidHeader)?;
    header.set_sensitive(true);
    Ok(header)
}

/// A fixed header value, built once: cloning a `HeaderValue` shares its bytes, so
/// every request gets it without formatting or validating anything again. `Debug` never
/// shows it.
#[derive(Clone)]
struct FixedHeader(Result<HeaderValue, ()>);

impl FixedHeader {
    fn new(value: String) -> Self {
        Self(sensitive(value).map_err(|_| ()))
    }

    fn get(&self) -> BoxFuture<'_, Result<HeaderValue, AuthError>> {
        let header = self.0.clone().map_err(|()| AuthError::InvalidHeader);
        Box::pin(std::future::ready(header))
    }
}

impl fmt::Debug for FixedHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A fixed bearer token (`Authorization: Bearer <token>`).
#[derive(Clone, Debug)]
pub struct BearerToken {
    header: FixedHeader,
    empty: bool,
}

impl BearerToken {
    /// Wraps `token`.
    pub fn new(token: impl Into<Secret>) -> Self {
        let token: Secret = token.into();
        Self {
            header: FixedHeader::new(format!("Bearer {}", token.expose())),
            empty: token.expose().trim().is_empty(),
        }
    }
}

impl Credentials for BearerToken {
    fn authorization(&self) -> BoxFuture<'_, Result<HeaderValue, AuthError>> {
        self.header.get()
    }

    fn empty_part(&self) -> Option<&'static str> {
        self.empty.then_some("the bearer token")
    }
}

/// HTTP Basic credentials (`Authorization: Basic base64(user:password)`); Fone Dynamics
/// uses the account SID as the user and the account token as the password.
#[derive(Clone, Debug)]
pub struct BasicAuth {
    username: String,
    header: FixedHeader,
    empty_password: bool,
}

impl BasicAuth {
    /// Credentials for `username` with `password`.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        let username = username.into();
        let password: Secret = password.into();
        let raw = format!("{}:{}", username, password.expose());
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
        Self {
            username,
            header: FixedHeader::new(format!("Basic {encoded}")),
            empty_password: password.expose().is_empty(),
        }
    }

    /// The user name (not secret).
    pub fn username(&self) -> &str {
        &self.username
    }
}

impl Credentials for BasicAuth {
    fn authorization(&self) -> BoxFuture<'_, Result<HeaderValue, AuthError>> {
        self.header.get()
    }

    fn empty_part(&self) -> Option<&'static str> {
        if self.username.trim().is_empty() {
            Some("the Basic auth user name")
        } else if self.empty_password {
            Some("the Basic auth password")
        } else {
            None
        }
    }
}

/// The OAuth 2.0 client-credentials grant: fetches an access token from `token_url`,
/// caches it until shortly before it expires, and refreshes it then (or after a 401).
///
/// Concurrent requests share one fetch. The client authenticates to the token endpoint
/// with HTTP Basic (`client_id:client_secret`), as Vonage, Apple and Zoom accept.
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
    grant_type: String,
    params: Vec<(String, String)>,
    refresh_margin: Duration,
    timeouts: Timeouts,
    http: reqwest::Client,
    allow_insecure_http: bool,
    cache: Mutex<Option<Cached>>,
}

struct Cached {
    header: HeaderValue,
    refresh_at: Instant,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .field("grant_type", &self.grant_type)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    /// A source that fetches tokens from `token_url` for `client_id`.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Self {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scopes: Vec::new(),
            grant_type: "client_credentials".to_owned(),
            params: Vec::new(),
            refresh_margin: Duration::from_secs(60),
            timeouts: TOKEN_TIMEOUTS,
            http: token_http_client(),
            allow_insecure_http: false,
            cache: Mutex::new(None),
        }
    }
    /// Requests `scope` (sent space-separated).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }
    /// Overrides `grant_type` (Zoom server-to-server apps use `account_credentials`).
    pub fn grant_type(mut self, grant_type: impl Into<String>) -> Self {
        self.grant_type = grant_type.into();
        self
    }
    /// Adds a form parameter to the token request (e.g. Zoom's `account_id`).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }
    /// How long before expiry a token is replaced (default 60 s).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }
    /// The HTTP client used for the token endpoint (default: one built like the provider
    /// clients', with their default timeouts: 10 s to connect, 10 s without a byte, 30 s
    /// per request). The 30 s total still applies to a client given here.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self.timeouts.own_http = false;
        self
    }

    /// Allows a plain `http://` token URL on another machine than this one. The client
    /// secret then crosses the network in cleartext; without this, such a token URL is
    /// refused when the client is built and before any token request.
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// `scheme://host:port` of the token URL, for messages (its path or query may carry
    /// a tenant id).
    fn origin(&self) -> String {
        url::Url::parse(&self.token_url)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|_| "the token URL".to_owned())
    }

    fn transport(&self, e: reqwest::Error) -> AuthError {
        let (kind, message, e) = wire::describe(e, &self.origin(), &self.timeouts);
        AuthError::Transport {
            message,
            timeout: kind == ErrorKind::Timeout,
            source: Some(e),
        }
    }

    /// One token request, stopped after the total timeout.
    async fn fetch(&self) -> Result<Cached, AuthError> {
        let total = self.timeouts.total;
        match tokio::time::timeout(total, self.request_token()).await {
            Ok(result) => result,
            Err(_) => Err(AuthError::Transport {
                message: wire::total_timeout_message(&self.origin(), total, false),
                timeout: true,
                source: None,
            }),
        }
    }

    async fn request_token(&self) -> Result<Cached, AuthError> {
        if let Ok(url) = url::Url::parse(&self.token_url) {
            if let Some(refusal) =
                crate::cleartext::refusal(&url, "the token URL", self.allow_insecure_http)
            {
                return Err(AuthError::Insecure(refusal));
            }
        }
        let body = {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", &self.grant_type);
            if !self.scopes.is_empty() {
                form.append_pair("scope", &self.scopes.join(" "));
            }
            for (k, v) in &self.params {
                form.append_pair(k, v);
            }
            form.finish()
        };
        let started = std::time::Instant::now();
        let response = self
            .http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| self.transport(e))?;
        let status = response.status();
        tracing::debug!(
            token_origin = %self.origin(),
            status = status.as_u16(),
            elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "OAuth2 token request"
        );
        let body = wire::read_limited(
            response,
            wire::TOKEN_MAX_BODY_BYTES,
            Some(MinThroughput::DEFAULT),
        )
        .await
        .map_err(|e| match e {
            ReadError::TooLarge { limit } => AuthError::TooLarge { limit },
            ReadError::Stalled(stalled) => AuthError::Transport {
                message: format!("{}: {stalled}", self.origin()),
                timeout: true,
                source: None,
            },
            ReadError::Transport(e) => self.transport(e),
        })?;
        let (header, lifetime) = token_response(status.as_u16(), &body)?;
        tracing::debug!(
            token_origin = %self.origin(),
            lifetime_s = lifetime.as_secs(),
            "fetched OAuth2 access token"
        );
        Ok(Cached {
            header,
            refresh_at: Instant::now() + lifetime.saturating_sub(self.refresh_margin),
        })
    }
}

/// What a token endpoint's answer becomes: the `Authorization` value (marked sensitive)
/// and how long the token lives, or why there is none. `status` and `body` are the
/// server's, untrusted: an error status gives its `error_description`/`error`/`reason`
/// or the start of the body as one line; a success body must be JSON with a string
/// `access_token`, and `expires_in` (seconds, a number or a numeric string) is kept
/// between 0 and a day, one hour when absent or unusable. The token never appears in an
/// error.
#[doc(hidden)]
pub fn token_response(status: u16, body: &[u8]) -> Result<(HeaderValue, Duration), AuthError> {
    if !(200..300).contains(&status) {
        let message = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| {
                let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
                field("error_description")
                    .or_else(|| field("error"))
                    .or_else(|| field("reason"))
            })
            .and_then(|m| wire::one_line(&m, wire::EXCERPT_CHARS))
            .or_else(|| wire::body_excerpt(body))
            .unwrap_or_default();
        return Err(AuthError::TokenEndpoint { status, message });
    }
    #[derive(serde::Deserialize)]
    struct TokenResponse {
        access_token: String,
        #[serde(default)]
        expires_in: Option<serde_json::Value>,
    }
    let token: TokenResponse =
        serde_json::from_slice(body).map_err(|e| AuthError::InvalidResponse(e.to_string()))?;
    let lifetime = match token.expires_in {
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|s| s.is_finite() && *s >= 0.0)
    // A token said to live longer than a day is refreshed after a day anyway; this
    // also keeps an absurd `expires_in` from overflowing the clock.
    .map(|s| Duration::from_secs_f64(s.min(MAX_TOKEN_LIFETIME.as_secs_f64())))
    .unwrap_or(Duration::from_secs(3600));
    let header = sensitive(format!("Bearer {}", token.access_token))?;
    Ok((header, lifetime))
}

impl Credentials for ClientCredentials {
    fn authorization(&self) -> BoxFuture<'_, Result<HeaderValue, AuthError>> {
        Box::pin(async move {
            let mut cache = self.cache.lock().await;
            if let Some(cached) = cache.as_ref() {
                if Instant::now() < cached.refresh_at {
                    return Ok(cached.header.clone());
                }
            }
            let fresh = self.fetch().await?;
            let header = fresh.header.clone();
            *cache = Some(fresh);
            Ok(header)
        })
    }

    fn invalidate(&self) -> BoxFuture<'_, bool> {
        Box::pin(async move { self.cache.lock().await.take().is_some() })
    }

    fn endpoint(&self) -> Option<(&str, bool)> {
        Some((&self.token_url, self.allow_insecure_http))
    }

    fn empty_part(&self) -> Option<&'static str> {
        if self.client_id.trim().is_empty() {
            Some("the OAuth2 client id")
        } else if self.client_secret.is_empty() {
            Some("the OAuth2 client secret")
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_keeps_the_user_and_hides_the_password() {
        let basic = BasicAuth::new("AC1", "pw-not-real");
        assert_eq!(basic.username(), "AC1");
        let debug = format!("{basic:?}");
        assert!(
            debug.contains("AC1") && !debug.contains("pw-not-real"),
            "{debug}"
        );
    }

    #[test]
    fn bearer_debug_says_redacted_and_the_header_is_sensitive() {
        let bearer = BearerToken::new("bt-not-real");
        assert_eq!(
            format!("{bearer:?}"),
            "BearerToken { header: [redacted], empty: false }"
        );
        let header = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(bearer.authorization())
            .expect("header");
        assert_eq!(header.to_str().ok(), Some("Bearer bt-not-real"));
        assert!(header.is_sensitive());
    }

    #[test]
    fn client_credentials_debug_shows_the_grant_not_the_secret() {
        let cc =
            ClientCredentials::new("https://auth.example/oauth/token", "the-id", "cs-not-real")
                .scope("phone:read")
                .grant_type("account_credentials");
        let debug = format!("{cc:?}");
        for shown in [
            "https://auth.example/oauth/token",
            "the-id",
            "phone:read",
            "account_credentials",
            "[redacted]",
        ] {
            assert!(debug.contains(shown), "{shown} in {debug}");
        }
        assert!(!debug.contains("cs-not-real"), "{debug}");
    }

    #[test]
    fn a_token_lives_as_long_as_expires_in_says_within_a_day() {
        let lifetime = |expires_in: &str| {
            let body = format!(r#"{{"access_token": "t-not-real"{expires_in}}}"#);
            token_response(200, body.as_bytes()).expect("a token").1
        };
        let secs = Duration::from_secs;
        assert_eq!(lifetime(r#", "expires_in": 120"#), secs(120));
        assert_eq!(lifetime(r#", "expires_in": 0"#), secs(0));
        assert_eq!(lifetime(r#", "expires_in": " 90 ""#), secs(90));
        assert_eq!(lifetime(r#", "expires_in": 1e12"#), MAX_TOKEN_LIFETIME);
        for unusable in [
            "",
            r#", "expires_in": -5"#,
            r#", "expires_in": "soon""#,
            r#", "expires_in": null"#,
            r#", "expires_in": [60]"#,
        ] {
            assert_eq!(lifetime(unusable), secs(3600), "{unusable}");
        }
    }

    #[test]
    fn a_source_without_parts_or_endpoint_of_its_own_is_never_refused_for_them() {
        #[derive(Debug)]
        struct Fixed;
        impl Credentials for Fixed {
            fn authorization(&self) -> BoxFuture<'_, Result<HeaderValue, AuthError>> {
                Box::pin(async { Ok(HeaderValue::from_static("Fixed not-real")) })
            }
        }
        assert_eq!(Fixed.empty_part(), None);
        assert_eq!(Fixed.endpoint(), None);
    }

    #[test]
    fn errors_map_to_client_error_kinds() {
        let kind = |e: AuthError| e.into_error("zoom-phone").kind().clone();
        let transport = |timeout| AuthError::Transport {
            message: "m".into(),
            timeout,
            source: None,
        };
        assert_eq!(kind(transport(true)), ErrorKind::Timeout);
        assert_eq!(kind(transport(false)), ErrorKind::Transport);
        assert_eq!(
            kind(AuthError::TooLarge { limit: 7 }),
            ErrorKind::BodyTooLarge { limit: 7 }
        );
        assert_eq!(kind(AuthError::InvalidHeader), ErrorKind::Auth);
        assert_eq!(
            kind(AuthError::InvalidResponse("x".into())),
            ErrorKind::Auth
        );
        let err = AuthError::TokenEndpoint {
            status: 401,
            message: "bad client".into(),
        }
        .into_error("zoom-phone");
        assert_eq!(err.kind(), &ErrorKind::Auth);
        assert_eq!(
            err.message(),
            Some("token endpoint answered HTTP 401: bad client")
        );
    }
}
