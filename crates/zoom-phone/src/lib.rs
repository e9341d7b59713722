#![doc = include_str!("../README.md")]
//!
//! ## Entry points
//!
//! [`ZoomPhoneClient`] is the hand-written client: auth (a bearer token, or the OAuth2
//! [`ClientCredentials`] source with Zoom's
//! `account_credentials` grant), retries that honour `Retry-After` in seconds or as a
//! timestamp, `x-zm-trackingid` in errors, and [`ListPhoneNumbers`] for
//! `next_page_token` pagination. The generated client is in [`raw`] and its types in [`types`], both generated
//! by progenitor from the OpenAPI spec this package carries as `openapi.yaml` (a copy of
//! the workspace's `specs/zoom-phone.yaml`, written by `cargo xtask generate`).
#![warn(missing_docs)]

telnums_core::generated_modules!();

use generated::builder;
pub use generated::types;

mod paging;

/// The paging rule of [`ListPhoneNumbers`], for the fuzz targets in `fuzz/`.
#[doc(hidden)]
pub use paging::next_token;
pub use paging::{ListPhoneNumbers, PhoneNumbers};

use telnums_core::{ErrorBody, ProviderInfo};

telnums_core::define_client!(
    /// Client for the Zoom Phone numbers API. Cheap to clone.
    ZoomPhoneClient,
    ProviderInfo {
        key: "zoom-phone",
        default_base_url: "https://api.zoom.us/v2",
        accept: None,
        request_id_headers: &["x-zm-trackingid"],
        send_request_id: None,
        user_agent: concat!("telnums-zoom-phone/", env!("CARGO_PKG_VERSION")),
    }
);

impl ZoomPhoneClient {
    /// Lists phone numbers; see [`ListPhoneNumbers`].
    pub fn list_phone_numbers(&self) -> ListPhoneNumbers {
        ListPhoneNumbers::new(paging::PhoneNumbers::new(self.clone()))
    }
}

impl ErrorBody for types::Error {
    fn message(&self) -> Option<String> {
        match (&self.message, self.code) {
            (Some(m), Some(c)) => Some(format!("{m} (code {c})")),
            (Some(m), None) => Some(m.clone()),
            (None, Some(c)) => Some(format!("code {c}")),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(body: serde_json::Value) -> Option<String> {
        serde_json::from_value::<types::Error>(body)
            .expect("the documented error body")
            .message()
    }

    #[test]
    fn an_error_body_reads_as_its_message_and_code() {
        assert_eq!(
            message(json!({ "code": 124, "message": "Invalid access token." })).as_deref(),
            Some("Invalid access token. (code 124)")
        );
        assert_eq!(
            message(json!({ "message": "Invalid access token." })).as_deref(),
            Some("Invalid access token.")
        );
        assert_eq!(message(json!({ "code": 300 })).as_deref(), Some("code 300"));
        assert_eq!(message(json!({})), None);
    }
}
