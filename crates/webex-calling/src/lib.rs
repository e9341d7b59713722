#![doc = include_str!("../README.md")]
//!
//! ## Entry points
//!
//! [`WebexClient`] is the hand-written client: auth, retries (including 423 and 429 with
//! `Retry-After`), timeouts, a fresh `TrackingID` on every request (read back into
//! errors), and [`ListNumbers`] for `Link: <…>; rel="next"` pagination with
//! `start`/`max` as fallback. The generated client is in [`raw`] and its types in [`types`], both generated
//! by progenitor from the OpenAPI spec this package carries as `openapi.yaml` (a copy of
//! the workspace's `specs/webex-calling.yaml`, written by `cargo xtask generate`).
#![warn(missing_docs)]

telnums_core::generated_modules!();

use generated::builder;
pub use generated::types;

mod paging;

pub use paging::{next_link, ListNumbers, Numbers, Start};
/// The `Link` parsing behind [`next_link`], for the fuzz targets in `fuzz/`.
#[doc(hidden)]
pub use paging::{next_start, split_links};

use telnums_core::{ErrorBody, ProviderInfo};

telnums_core::define_client!(
    /// Client for the Webex Calling numbers API. Cheap to clone.
    WebexClient,
    ProviderInfo {
        key: "webex-calling",
        default_base_url: "https://webexapis.com",
        accept: None,
        request_id_headers: &["trackingid"],
        send_request_id: Some("TrackingID"),
        user_agent: concat!("telnums-webex-calling/", env!("CARGO_PKG_VERSION")),
    }
);

impl WebexClient {
    /// Lists phone numbers; see [`ListNumbers`].
    pub fn list_numbers(&self) -> ListNumbers {
        ListNumbers::new(paging::Numbers::new(self.clone()))
    }
}

impl ErrorBody for types::Error {
    fn message(&self) -> Option<String> {
        let details: Vec<&str> = self
            .errors
            .iter()
            .filter_map(|e| e.description.as_deref())
            .collect();
        match (&self.message, details.is_empty()) {
            (Some(m), true) => Some(m.clone()),
            (Some(m), false) if details.iter().all(|d| *d == m) => Some(m.clone()),
            (Some(m), false) => Some(format!("{m} ({})", details.join("; "))),
            (None, false) => Some(details.join("; ")),
            (None, true) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(body: serde_json::Value) -> Option<String> {
        serde_json::from_value::<types::Error>(body)
            .expect("error body")
            .message()
    }

    #[test]
    fn error_body_message_names_details_once() {
        let detail = |d: &str| serde_json::json!({ "description": d });
        // Details that repeat the message add nothing.
        assert_eq!(
            message(serde_json::json!({"message": "Not authorized", "errors": [detail("Not authorized")]}))
                .as_deref(),
            Some("Not authorized")
        );
        // Details that say more are kept.
        assert_eq!(
            message(serde_json::json!({"message": "Bad request", "errors": [detail("orgId is invalid"), detail("max too big")]}))
                .as_deref(),
            Some("Bad request (orgId is invalid; max too big)")
        );
        assert_eq!(
            message(serde_json::json!({"message": "Bad request", "errors": [detail("Bad request"), detail("max too big")]}))
                .as_deref(),
            Some("Bad request (Bad request; max too big)")
        );
        assert_eq!(
            message(serde_json::json!({"errors": [detail("orgId is invalid")]})).as_deref(),
            Some("orgId is invalid")
        );
        assert_eq!(
            message(serde_json::json!({"message": "Gone"})).as_deref(),
            Some("Gone")
        );
        assert_eq!(message(serde_json::json!({})), None);
    }
}
