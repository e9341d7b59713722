#![doc = include_str!("../README.md")]
//!
//! ## Entry points
//!
//! [`VonageCcClient`] is the hand-written client: it configures auth, retries and
//! timeouts through [`ClientBuilder`], sends the vendor `Accept` header on every
//! request, and pages through `page`/`limit` ([`ListCallbackNumbers`]). [`Region`]
//! picks the API host. The generated client is in [`raw`] and its types in [`types`], both generated
//! by progenitor from the OpenAPI spec this package carries as `openapi.yaml` (a copy of
//! the workspace's `specs/vonage-cc.yaml`, written by `cargo xtask generate`).
#![warn(missing_docs)]

telnums_core::generated_modules!();

pub use generated::types;

mod paging;

/// The paging rule of [`ListCallbackNumbers`], for the fuzz targets in `fuzz/`.
#[doc(hidden)]
pub use paging::{next_page, pages_left};
pub use paging::{CallbackNumbers, ListCallbackNumbers};

use telnums_core::{ErrorBody, ProviderInfo};

/// The region a VCC account is hosted in; picks the API host.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Region {
    /// Europe, Middle East and Africa (`emea.api.newvoicemedia.com`).
    #[default]
    Emea,
    /// North America (`nam.api.newvoicemedia.com`).
    Nam,
    /// Asia Pacific (`apac.api.newvoicemedia.com`).
    Apac,
}

impl Region {
    /// The API base URL of this region.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Emea => "https://emea.api.newvoicemedia.com",
            Region::Nam => "https://nam.api.newvoicemedia.com",
            Region::Apac => "https://apac.api.newvoicemedia.com",
        }
    }
}

impl std::str::FromStr for Region {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "emea" => Ok(Region::Emea),
            "nam" => Ok(Region::Nam),
            "apac" => Ok(Region::Apac),
            other => Err(format!(
                "unknown region `{other}` (expected emea, nam or apac)"
            )),
        }
    }
}

telnums_core::define_client!(
    /// Client for the VCC callback numbers API. Cheap to clone.
    VonageCcClient,
    ProviderInfo {
        key: "vonage-cc",
        default_base_url: "https://emea.api.newvoicemedia.com",
        accept: Some("application/vnd.newvoicemedia.v4+json"),
        request_id_headers: &["x-request-id", "x-correlation-id"],
        send_request_id: None,
        user_agent: concat!("telnums-vonage-cc/", env!("CARGO_PKG_VERSION")),
    }
);

impl VonageCcClient {
    /// Lists callback numbers; see [`ListCallbackNumbers`].
    pub fn list_callback_numbers(&self) -> ListCallbackNumbers {
        ListCallbackNumbers::new(paging::CallbackNumbers::new(self.clone()))
    }
}

impl ErrorBody for types::Error {
    fn message(&self) -> Option<String> {
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => Some(format!("{message} ({code})")),
            (None, Some(message)) => Some(message.clone()),
            (Some(code), None) => Some(code.clone()),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_name_their_hosts() {
        assert_eq!(Region::default(), Region::Emea);
        for (text, region, url) in [
            ("emea", Region::Emea, "https://emea.api.newvoicemedia.com"),
            ("NAM", Region::Nam, "https://nam.api.newvoicemedia.com"),
            ("Apac", Region::Apac, "https://apac.api.newvoicemedia.com"),
        ] {
            assert_eq!(text.parse::<Region>(), Ok(region));
            assert_eq!(region.base_url(), url);
        }
        let err = "mars".parse::<Region>().expect_err("unknown");
        assert_eq!(err, "unknown region `mars` (expected emea, nam or apac)");
    }

    #[test]
    fn error_body_message() {
        let message = |body: serde_json::Value| {
            serde_json::from_value::<types::Error>(body)
                .expect("error body")
                .message()
        };
        assert_eq!(
            message(serde_json::json!({"code": "FORBIDDEN", "message": "Missing scope"}))
                .as_deref(),
            Some("Missing scope (FORBIDDEN)")
        );
        assert_eq!(
            message(serde_json::json!({"message": "Missing scope"})).as_deref(),
            Some("Missing scope")
        );
        assert_eq!(
            message(serde_json::json!({"code": "FORBIDDEN"})).as_deref(),
            Some("FORBIDDEN")
        );
        assert_eq!(message(serde_json::json!({})), None);
    }
}
