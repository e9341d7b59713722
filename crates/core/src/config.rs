//! One builder shape for every provider client.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{BasicAuth, BearerToken, Credentials};
use crate::error::{Error, ErrorKind};
use crate::retry::RetryPolicy;
use crate::runtime::{ProviderInfo, Runtime};
use crate::Secret;

/// Implemented by each provider crate's client type so that [`ClientBuilder`] can
/// assemble it.
pub trait Provider: Sized {
    /// Facts about the provider.
    const INFO: ProviderInfo;
    /// Builds the client from its parts.
    fn assemble(base_url: &str, http: reqwest::Client, runtime: Runtime) -> Self;
}

/// Configuration of a provider client: base URL, timeouts, retries, credentials.
///
/// Defaults: the provider's public base URL, 10 s connect timeout, 30 s per-request
/// timeout (per attempt), [`RetryPolicy::default`], 64 MiB body limit,
/// `User-Agent: telnums-<key>/<version>`.
pub struct ClientBuilder<P> {
    base_url: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    credentials: Option<Arc<dyn Credentials>>,
    user_agent: Option<String>,
    max_body_bytes: u64,
    http: Option<reqwest::Client>,
    _provider: PhantomData<fn() -> P>,
}

impl<P> std::fmt::Debug for ClientBuilder<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("credentials", &self.credentials)
            .field("user_agent", &self.user_agent)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

/// Default connect timeout of every HTTP client telnums builds.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default per-request (per-attempt) timeout of every HTTP client telnums builds.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

impl<P: Provider> Default for ClientBuilder<P> {
    fn default() -> Self {
        Self {
            base_url: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            credentials: None,
            user_agent: None,
            max_body_bytes: 64 * 1024 * 1024,
            http: None,
            _provider: PhantomData,
        }
    }
}

impl<P: Provider> ClientBuilder<P> {
    /// A builder with the defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sends requests to `url` instead of the provider's default (a mock server, another
    /// region or environment).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }
    /// Time allowed to establish a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }
    /// Time allowed for one attempt, from sending to the end of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// How failed requests are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }
    /// Any credential source, e.g. [`crate::ClientCredentials`].
    pub fn credentials(mut self, credentials: impl Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }
    /// A shared credential source.
    pub fn shared_credentials(mut self, credentials: Arc<dyn Credentials>) -> Self {
        self.credentials = Some(credentials);
        self
    }
    /// A fixed bearer token.
    pub fn bearer_token(self, token: impl Into<Secret>) -> Self {
        self.credentials(BearerToken::new(token))
    }
    /// HTTP Basic credentials.
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials(BasicAuth::new(username, password))
    }
    /// Overrides the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }
    /// Largest response body accepted (default 64 MiB). Enforced from `Content-Length`
    /// before the body is read, and while reading on hand-written paths; a chunked
    /// response to a generated operation is read whole by progenitor's support code
    /// first.
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = limit;
        self
    }
    /// Uses this `reqwest::Client` as is (its own timeouts and user agent apply).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<P, Error> {
        let info = P::INFO;
        let invalid =
            |message: String| Error::new(info.key, ErrorKind::InvalidRequest).with_message(message);
        let raw = self
            .base_url
            .unwrap_or_else(|| info.default_base_url.to_owned());
        let base = raw.trim_end_matches('/').to_owned();
        let parsed = url::Url::parse(&base)
            .map_err(|e| invalid(format!("invalid base URL `{raw}`: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid(format!("base URL `{raw}` is not http(s)")));
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .user_agent(self.user_agent.as_deref().unwrap_or(info.user_agent))
                .build()
                .map_err(|e| invalid(format!("cannot build the HTTP client: {e}")))?,
        };
        let runtime = Runtime::new(
            info,
            self.credentials,
            self.retry,
            self.max_body_bytes,
            http.clone(),
            parsed,
        );
        Ok(P::assemble(&base, http, runtime))
    }
}
