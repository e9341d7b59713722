//! What core's integration tests share: a probe provider with every runtime setting, a
//! stand-in for a generated operation, retry policies, log capture and mock responders.
#![allow(dead_code, reason = "each test binary uses part of it")]

use std::time::Duration;

use progenitor_client::{Error as P, ResponseValue};
use serde::Deserialize;
use telnums_core::{
    progenitor, ClientBuilder, Error, ErrorBody, ProviderClient, ProviderInfo, RetryPolicy, Runtime,
};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

/// A provider with everything the runtime can be told: a vendor `Accept`, a request-id
/// header of its own and one the client sends.
#[derive(Debug)]
pub struct Probe {
    pub http: reqwest::Client,
    pub runtime: Runtime,
    pub base: String,
}

impl ProviderClient for Probe {
    const INFO: ProviderInfo = ProviderInfo {
        key: "probe",
        default_base_url: "https://probe.invalid",
        accept: Some("application/vnd.probe+json"),
        request_id_headers: &["x-probe-id", "x-other-id"],
        send_request_id: Some("x-track"),
        user_agent: "telnums-probe/0",
    };
    fn assemble(base_url: &str, http: reqwest::Client, runtime: Runtime) -> Self {
        Self {
            http,
            runtime,
            base: base_url.to_owned(),
        }
    }
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct Body {
    pub n: u32,
}

/// The probe's documented error body.
#[derive(Debug, Deserialize)]
pub struct Problem {
    pub detail: Option<String>,
}

impl ErrorBody for Problem {
    fn message(&self) -> Option<String> {
        self.detail.clone()
    }
}

/// Collects what a `tracing` subscriber writes.
#[derive(Clone, Default)]
pub struct Logs(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("lock").clone()).expect("utf-8")
    }
}

/// A client on `server` whose OAuth2 token comes from `token_path` there.
pub fn oauth(server: &MockServer, token_path: &str, retry: RetryPolicy) -> Probe {
    ClientBuilder::<Probe>::new()
        .base_url(server.uri())
        .credentials(telnums_core::ClientCredentials::new(
            format!("{}{token_path}", server.uri()),
            "probe-id",
            "probe-secret-not-real",
        ))
        .retry(retry)
        .build()
        .expect("builds")
}

/// Retries without waiting long, within a budget short enough that a retry loop gone
/// wrong fails its test instead of outlasting it.
pub fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(2))
        .with_max_total_wait(Duration::from_secs(5))
        .with_jitter(false)
}

pub fn probe(server: &MockServer) -> Probe {
    builder(server).build().expect("builds")
}

pub fn builder(server: &MockServer) -> ClientBuilder<Probe> {
    ClientBuilder::<Probe>::new()
        .base_url(server.uri())
        .bearer_token("probe-token-not-real")
        .retry(fast())
}

/// What a generated operation does: the request with the generator's `api-version`
/// header, the hooks around it, the documented 400 read as the error body, and any other
/// status handed back unread.
pub async fn operation(client: &Probe, at: &str) -> Result<ResponseValue<Body>, P<Problem>> {
    let rt = &client.runtime;
    let mut request = client
        .http
        .get(format!("{}{at}", client.base))
        .header("api-version", "1.0")
        .header("accept", "application/json")
        .build()?;
    progenitor::pre_request(rt, &mut request).await?;
    let result = client.http.execute(request).await;
    progenitor::post_response(rt, &result).await?;
    let response = result?;
    match response.status().as_u16() {
        200..=299 => progenitor::read_json(rt, response).await,
        400 => Err(P::ErrorResponse(progenitor::read_json(rt, response).await?)),
        _ => Err(P::UnexpectedResponse(response)),
    }
}

pub async fn send(client: &Probe, at: &str) -> Result<telnums_core::Response<Body>, Error> {
    client
        .runtime
        .send("probe_op", || operation(client, at))
        .await
}

/// Answers with `first` the first time, then with `then`.
pub struct Sequence {
    first: ResponseTemplate,
    then: ResponseTemplate,
    calls: std::sync::atomic::AtomicUsize,
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        match self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
            0 => self.first.clone(),
            _ => self.then.clone(),
        }
    }
}

pub fn sequence(first: ResponseTemplate, then: ResponseTemplate) -> Sequence {
    Sequence {
        first,
        then,
        calls: Default::default(),
    }
}
