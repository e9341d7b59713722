//! One builder shape for every provider client.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{BasicAuth, BearerToken, Credentials};
use crate::cleartext;
use crate::error::{Error, ErrorKind};
use crate::info::ProviderInfo;
use crate::retry::RetryPolicy;
use crate::runtime::Runtime;
use crate::throughput::MinThroughput;
use crate::wire::{self, Timeouts};
use crate::Secret;

/// The client type of a provider crate (its `define_client!`), so that [`ClientBuilder`] can
/// assemble it.
pub trait ProviderClient: Sized {
    /// Facts about the provider.
    const INFO: ProviderInfo;
    /// Builds the client from its parts.
    fn assemble(base_url: &str, http: reqwest::Client, runtime: Runtime) -> Self;
}

/// Configuration of a provider client: base URL, timeouts, retries, credentials.
///
/// Defaults: the provider's public base URL, 10 s connect timeout, 10 s read timeout
/// (without a byte), 30 s per attempt, a body floor of 1 KiB/s over 5 s, [`RetryPolicy::default`] (at most 60 s for a
/// whole call, retries included), 64 MiB body limit, `Accept-Encoding: gzip`,
/// redirects followed only within the base URL's origin,
/// `User-Agent: telnums-<key>/<version>`.
pub struct ClientBuilder<P> {
    base_url: Option<String>,
    connect_timeout: Duration,
    read_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    credentials: Option<Arc<dyn Credentials>>,
    user_agent: Option<String>,
    max_body_bytes: u64,
    min_throughput: Option<MinThroughput>,
    allow_insecure_http: bool,
    http: Option<reqwest::Client>,
    _provider: PhantomData<fn() -> P>,
}

impl<P> std::fmt::Debug for ClientBuilder<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("credentials", &self.credentials)
            .field("user_agent", &self.user_agent)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("min_throughput", &self.min_throughput)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

impl<P: ProviderClient> Default for ClientBuilder<P> {
    fn default() -> Self {
        Self {
            base_url: None,
            connect_timeout: wire::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: wire::DEFAULT_READ_TIMEOUT,
            timeout: wire::DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            credentials: None,
            user_agent: None,
            max_body_bytes: wire::DEFAULT_MAX_BODY_BYTES,
            min_throughput: Some(MinThroughput::DEFAULT),
            allow_insecure_http: false,
            http: None,
            _provider: PhantomData,
        }
    }
}

impl<P: ProviderClient> ClientBuilder<P> {
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
    /// Time allowed to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }
    /// Time allowed without receiving anything (default 10 s): from sending the request
    /// to the response head, and then between two pieces of the body. A stalled server
    /// fails in about this time, with [`ErrorKind::Timeout`] naming the read phase, and
    /// is retried like any timeout.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }
    /// Time allowed for one attempt, from sending to the end of the body (default 30 s).
    /// Catches a body that keeps trickling in fast enough for the read timeout. Enforced
    /// by the runtime, so it also holds with [`ClientBuilder::http_client`]; a retry's
    /// attempt is cut shorter when the retry policy's
    /// [`max_total_wait`](RetryPolicy::with_max_total_wait) has less time left.
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
    /// Largest response body accepted (default 64 MiB), counted after decompression.
    /// Every body is read through one limited reader: success and error bodies of
    /// generated operations, next-page links and undocumented statuses. A declared
    /// `Content-Length` over the limit is refused before reading; otherwise reading stops
    /// at the limit, so memory stays near it. Either way the result is
    /// [`ErrorKind::BodyTooLarge`] with the status and request id.
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = limit;
        self
    }
    /// The least a response body must deliver once it has started (default
    /// [`MinThroughput::DEFAULT`], 1 KiB/s over 5 s), or `None` for no floor. A body that
    /// falls below it over a whole window fails with [`ErrorKind::Stalled`] (naming the
    /// bytes received and over how long), which is retried once. This catches a server
    /// that keeps a transfer alive with a byte now and then, which the read timeout
    /// cannot; a slow transfer that keeps moving above the floor is never cut.
    pub fn min_throughput(mut self, floor: impl Into<Option<MinThroughput>>) -> Self {
        self.min_throughput = floor.into();
        self
    }
    /// Allows credentials to go over plain `http://` to another machine than this one.
    /// Without it, a base URL that is `http://` to any host but `localhost`,
    /// `127.0.0.0/8` or `[::1]` makes [`build`](Self::build) fail with
    /// [`ErrorKind::InvalidRequest`] when credentials are set: one missing `s` in a
    /// config file would otherwise send the token unencrypted. An OAuth2 token URL is
    /// checked the same way at build time, against
    /// [`ClientCredentials::allow_insecure_http`](crate::ClientCredentials::allow_insecure_http). (Links the client follows
    /// never leave the base URL's origin, so an `https` client never sends to `http`.)
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }
    /// Uses this `reqwest::Client` as is: its own connect and read timeouts, redirect
    /// policy, compression and user agent apply instead of the builder's. The per-attempt
    /// [`timeout`](ClientBuilder::timeout), the body limit and the retry policy still
    /// apply.
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
        if let Some(credentials) = &self.credentials {
            if let Some(part) = credentials.empty_part() {
                return Err(invalid(format!(
                    "{part} is empty: every request would be refused (is the variable or \
                     file it comes from set?)"
                )));
            }
            if let Some(refusal) =
                cleartext::refusal(&parsed, "the base URL", self.allow_insecure_http)
            {
                return Err(invalid(refusal));
            }
            if let Some((endpoint, allowed)) = credentials.endpoint() {
                let url = url::Url::parse(endpoint)
                    .map_err(|e| invalid(format!("invalid token URL: {e}")))?;
                // The token source sends the secret itself: its own opt-in decides.
                if let Some(refusal) = cleartext::refusal(&url, "the token URL", allowed) {
                    return Err(invalid(refusal));
                }
            }
            if self.allow_insecure_http && cleartext::leaves_the_machine_in_cleartext(&parsed) {
                tracing::warn!(
                    provider = info.key,
                    origin = %parsed.origin().ascii_serialization(),
                    "credentials will be sent over plain HTTP (allow_insecure_http)"
                );
            }
        }
        let timeouts = Timeouts {
            connect: self.connect_timeout,
            read: self.read_timeout,
            total: self.timeout,
            own_http: self.http.is_none(),
            min_throughput: self.min_throughput,
        };
        let http = match self.http {
            Some(http) => http,
            None => wire::http_client(
                self.connect_timeout,
                self.read_timeout,
                self.user_agent.as_deref().unwrap_or(info.user_agent),
            )
            .map_err(|e| invalid(format!("cannot build the HTTP client: {e}")))?,
        };
        let runtime = Runtime::new(
            info,
            self.credentials,
            self.retry,
            self.max_body_bytes,
            timeouts,
            http.clone(),
            parsed,
        );
        Ok(P::assemble(&base, http, runtime))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A provider that keeps what the builder hands it.
    #[derive(Debug)]
    struct Probe {
        base: String,
        runtime: Runtime,
    }

    impl ProviderClient for Probe {
        const INFO: ProviderInfo = ProviderInfo {
            key: "probe",
            default_base_url: "https://probe.example/api/",
            accept: None,
            request_id_headers: &[],
            send_request_id: None,
            user_agent: "telnums-probe/0",
        };
        fn assemble(base_url: &str, _http: reqwest::Client, runtime: Runtime) -> Self {
            Self {
                base: base_url.to_owned(),
                runtime,
            }
        }
    }

    fn authorization(probe: &Probe) -> String {
        let credentials = probe.runtime.hooks().credentials().expect("credentials");
        let header = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(credentials.authorization())
            .expect("header");
        header.to_str().expect("ascii").to_owned()
    }

    #[test]
    fn shared_credentials_are_the_ones_sent() {
        let shared: Arc<dyn Credentials> = Arc::new(BearerToken::new("shared-not-real"));
        let probe = ClientBuilder::<Probe>::new()
            .shared_credentials(shared.clone())
            .build()
            .expect("builds");
        assert_eq!(authorization(&probe), "Bearer shared-not-real");
        let again = ClientBuilder::<Probe>::new()
            .shared_credentials(shared)
            .build()
            .expect("builds");
        assert!(Arc::ptr_eq(
            probe.runtime.hooks().credentials().expect("credentials"),
            again.runtime.hooks().credentials().expect("credentials"),
        ));
    }

    #[test]
    fn defaults() {
        let probe = ClientBuilder::<Probe>::new().build().expect("builds");
        // The trailing slash is dropped, so generated paths join cleanly.
        assert_eq!(probe.base, "https://probe.example/api");
        assert_eq!(probe.runtime.timeout(), Duration::from_secs(30));
        assert_eq!(probe.runtime.max_body_bytes(), 64 * 1024 * 1024);
        assert_eq!(probe.runtime.retry_policy(), &RetryPolicy::default());
        assert!(probe.runtime.hooks().credentials().is_none());
        let debug = format!("{:?}", probe.runtime);
        assert!(
            debug.contains("connect: 10s") && debug.contains("read: 10s"),
            "{debug}"
        );
    }

    /// An empty secret is refused when the client is built, naming the part, instead of
    /// being sent with every request.
    #[test]
    fn empty_credentials_are_refused() {
        let cases: Vec<(ClientBuilder<Probe>, &str)> = vec![
            (ClientBuilder::new().bearer_token(""), "the bearer token"),
            (ClientBuilder::new().bearer_token("  "), "the bearer token"),
            (
                ClientBuilder::new().basic_auth("", "pw"),
                "the Basic auth user name",
            ),
            (
                ClientBuilder::new().basic_auth("AC1", ""),
                "the Basic auth password",
            ),
            (
                ClientBuilder::new().credentials(crate::ClientCredentials::new(
                    "https://probe.example/token",
                    "",
                    "secret",
                )),
                "the OAuth2 client id",
            ),
            (
                ClientBuilder::new().credentials(crate::ClientCredentials::new(
                    "https://probe.example/token",
                    "id",
                    "",
                )),
                "the OAuth2 client secret",
            ),
        ];
        for (builder, part) in cases {
            let err = builder.build().expect_err(part);
            assert_eq!(err.kind(), &ErrorKind::InvalidRequest, "{part}");
            assert!(
                err.to_string().contains(&format!("{part} is empty")),
                "{err}"
            );
        }
        // Set parts build.
        ClientBuilder::<Probe>::new()
            .bearer_token("t")
            .build()
            .expect("a token builds");
        ClientBuilder::<Probe>::new()
            .basic_auth("AC1", "t")
            .build()
            .expect("basic builds");
    }

    #[test]
    fn every_setting_reaches_the_client() {
        let probe = ClientBuilder::<Probe>::new()
            .base_url("http://127.0.0.1:9/v2/")
            .connect_timeout(Duration::from_secs(3))
            .read_timeout(Duration::from_secs(4))
            .timeout(Duration::from_secs(5))
            .retry(RetryPolicy::never())
            .max_body_bytes(1234)
            .user_agent("custom/1")
            .basic_auth("user", "pw-not-real")
            .build()
            .expect("builds");
        assert_eq!(probe.base, "http://127.0.0.1:9/v2");
        assert_eq!(probe.runtime.base_url().as_str(), "http://127.0.0.1:9/v2");
        assert_eq!(probe.runtime.timeout(), Duration::from_secs(5));
        assert_eq!(probe.runtime.max_body_bytes(), 1234);
        assert_eq!(probe.runtime.retry_policy(), &RetryPolicy::never());
        let debug = format!("{:?}", probe.runtime);
        assert!(
            debug.contains("connect: 3s")
                && debug.contains("read: 4s")
                && debug.contains("total: 5s"),
            "{debug}"
        );
        assert!(debug.contains("own_http: true"), "{debug}");
        // base64("user:pw-not-real")
        assert_eq!(authorization(&probe), "Basic dXNlcjpwdy1ub3QtcmVhbA==");

        let probe = ClientBuilder::<Probe>::new()
            .bearer_token("tok-not-real")
            .http_client(reqwest::Client::new())
            .build()
            .expect("builds");
        assert_eq!(authorization(&probe), "Bearer tok-not-real");
        assert!(
            format!("{:?}", probe.runtime).contains("own_http: false"),
            "a caller's client: its own timeouts apply"
        );
    }

    #[test]
    fn debug_shows_settings_but_no_secret() {
        let builder = ClientBuilder::<Probe>::new()
            .base_url("http://127.0.0.1:9")
            .bearer_token("tok-not-real")
            .user_agent("custom/1");
        let debug = format!("{builder:?}");
        for shown in [
            "127.0.0.1:9",
            "custom/1",
            "connect_timeout",
            "max_body_bytes",
        ] {
            assert!(debug.contains(shown), "{shown} in {debug}");
        }
        assert!(!debug.contains("tok-not-real"), "{debug}");
    }

    #[test]
    fn bad_base_urls_are_refused() {
        for (url, wanted) in [
            ("not a url", "invalid base URL `not a url`"),
            (
                "ftp://example.com",
                "base URL `ftp://example.com` is not http(s)",
            ),
        ] {
            let err = ClientBuilder::<Probe>::new()
                .base_url(url)
                .build()
                .expect_err("refused");
            assert_eq!(err.kind(), &ErrorKind::InvalidRequest);
            assert_eq!(err.provider(), "probe");
            assert!(
                err.message().is_some_and(|m| m.starts_with(wanted)),
                "{err}"
            );
        }
    }

    /// Plain HTTP with a credential is refused at build time unless the host is this
    /// machine or the caller opted in. The URLs are only strings here: building a client
    /// connects to nothing.
    #[test]
    fn credentials_never_go_over_plain_http_to_another_machine() {
        let refused = |builder: ClientBuilder<Probe>| {
            let err = builder.build().expect_err("refused");
            assert_eq!(err.kind(), &ErrorKind::InvalidRequest);
            err.message().unwrap_or_default().to_owned()
        };
        let message = refused(
            ClientBuilder::new()
                .base_url("http://api.zoom.us/v2")
                .bearer_token("tok-not-real"),
        );
        assert!(
            message.starts_with(
                "refusing to send credentials to http://api.zoom.us (the base URL) over plain HTTP"
            ),
            "{message}"
        );
        assert!(message.contains("allow_insecure_http()"), "{message}");
        refused(
            ClientBuilder::new()
                .base_url("http://10.1.2.3")
                .basic_auth("AC1", "pw-not-real"),
        );
        // A plain-HTTP token URL, behind an https base URL.
        let oauth = || {
            crate::ClientCredentials::new(
                "http://zoom.example/oauth/token",
                "id",
                "secret-not-real",
            )
        };
        let message = refused(ClientBuilder::new().credentials(oauth()));
        assert!(
            message.contains("http://zoom.example (the token URL)"),
            "{message}"
        );
        // The builder's opt-in is for the base URL; the token source has its own.
        refused(
            ClientBuilder::new()
                .allow_insecure_http()
                .credentials(oauth()),
        );
        ClientBuilder::<Probe>::new()
            .credentials(oauth().allow_insecure_http())
            .build()
            .expect("the token source opted in");

        // Opted in: built, with the base URL and the credentials it was given.
        let opted_in = ClientBuilder::<Probe>::new()
            .base_url("http://api.zoom.us/v2")
            .bearer_token("tok-not-real")
            .allow_insecure_http()
            .build()
            .expect("opted in");
        assert_eq!(opted_in.base, "http://api.zoom.us/v2");
        assert_eq!(authorization(&opted_in), "Bearer tok-not-real");

        // Opted in, on this machine, over https, or without credentials: built.
        for builder in [
            ClientBuilder::<Probe>::new()
                .base_url("http://api.zoom.us/v2")
                .bearer_token("tok-not-real")
                .allow_insecure_http(),
            ClientBuilder::new()
                .base_url("http://127.0.0.1:9")
                .bearer_token("tok-not-real"),
            ClientBuilder::new()
                .base_url("http://localhost:9")
                .bearer_token("tok-not-real"),
            ClientBuilder::new()
                .base_url("http://[::1]:9")
                .bearer_token("tok-not-real"),
            ClientBuilder::new()
                .base_url("https://api.zoom.us/v2")
                .bearer_token("tok-not-real"),
            ClientBuilder::new().base_url("http://api.zoom.us/v2"),
        ] {
            builder.build().expect("built");
        }
    }

    /// The token source itself refuses before sending, so a plain-HTTP token URL is
    /// never contacted even by a caller who skips the builder's check.
    #[test]
    fn the_token_source_refuses_before_any_request() {
        let credentials = crate::ClientCredentials::new(
            "http://zoom.example/oauth/token",
            "id",
            "secret-not-real",
        );
        let err = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(credentials.authorization())
            .expect_err("refused");
        assert!(matches!(err, crate::AuthError::Insecure(_)), "{err:?}");
        assert!(
            err.to_string()
                .contains("http://zoom.example (the token URL)"),
            "{err}"
        );
        assert_eq!(err.into_error("probe").kind(), &ErrorKind::InvalidRequest);
    }
}
