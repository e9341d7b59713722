#![doc = include_str!("../README.md")]
//!
//! ## Entry points
//!
//! [`AppleBusinessClient`] is the hand-written client: auth (a bearer token or the OAuth2
//! [`ClientCredentials`] source), retries,
//! `apple-request-id` in errors, the typed [`Ql`] filter builder, and
//! [`ListCallerIds`] for pagination by `pagination.cursors.after`. The base URL
//! is per environment and includes the API version, e.g.
//! `https://businessconnect.apple.com/api/v1`. The generated client is in [`raw`] and its types in [`types`], both generated
//! by progenitor from the OpenAPI spec this package carries as `openapi.yaml` (a copy of
//! the workspace's `specs/apple-business.yaml`, written by `cargo xtask generate`).
#![warn(missing_docs)]

telnums_core::generated_modules!();

use generated::builder;
pub use generated::types;

mod paging;
mod ql;

/// The cursor logic of [`ListCallerIds`], for the fuzz targets in `fuzz/`.
#[doc(hidden)]
pub use paging::{next_cursor, next_url, Cursor};
pub use paging::{CallerIds, ListCallerIds};
pub use ql::{Ql, QlField, QlOp};

use telnums_core::{ErrorBody, ProviderInfo};

telnums_core::define_client!(
    /// Client for the Apple Business Connect caller IDs API. Cheap to clone.
    AppleBusinessClient,
    ProviderInfo {
        key: "apple-business",
        default_base_url: "https://businessconnect.apple.com/api/v1",
        accept: None,
        request_id_headers: &["apple-request-id"],
        send_request_id: None,
        user_agent: concat!("telnums-apple-business/", env!("CARGO_PKG_VERSION")),
    }
);

impl AppleBusinessClient {
    /// Lists the caller IDs of brand `brand_id` in organisation `org_id`; see
    /// [`ListCallerIds`].
    pub fn list_caller_ids(
        &self,
        org_id: impl Into<String>,
        brand_id: impl Into<String>,
    ) -> ListCallerIds {
        ListCallerIds::new(paging::CallerIds::new(
            self.clone(),
            org_id.into(),
            brand_id.into(),
        ))
    }
}

impl ErrorBody for types::Error {
    fn message(&self) -> Option<String> {
        let details: Vec<String> = self
            .details
            .iter()
            .filter_map(|d| {
                let m = d.message.as_deref()?;
                Some(match &d.field {
                    Some(f) => format!("{f}: {m}"),
                    None => m.to_owned(),
                })
            })
            .collect();
        let head = match (&self.message, &self.code) {
            (Some(m), Some(c)) => Some(format!("{m} ({c})")),
            (Some(m), None) => Some(m.clone()),
            (None, Some(c)) => Some(c.clone()),
            (None, None) => None,
        };
        match (head, details.is_empty()) {
            (Some(h), true) => Some(h),
            (Some(h), false) => Some(format!("{h}: {}", details.join("; "))),
            (None, false) => Some(details.join("; ")),
            (None, true) => None,
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
    fn an_error_body_reads_as_its_message_code_and_field_details() {
        let detail = json!({ "field": "ql", "message": "unknown field" });
        assert_eq!(
            message(json!({
                "code": "INVALID_QUERY", "message": "Bad query", "details": [detail, { "message": "one more" }]
            }))
            .as_deref(),
            Some("Bad query (INVALID_QUERY): ql: unknown field; one more")
        );
        assert_eq!(
            message(json!({ "message": "Bad query" })).as_deref(),
            Some("Bad query")
        );
        assert_eq!(
            message(json!({ "code": "NOT_FOUND" })).as_deref(),
            Some("NOT_FOUND")
        );
        assert_eq!(
            message(json!({ "details": [detail] })).as_deref(),
            Some("ql: unknown field")
        );
        assert_eq!(message(json!({ "details": [{ "field": "ql" }] })), None);
    }
}
