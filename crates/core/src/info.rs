//! The facts about a provider that its crate states once and the runtime reads.

/// Facts about a provider that the runtime needs.
#[derive(Clone, Copy, Debug)]
pub struct ProviderInfo {
    /// Provider key, e.g. `webex-calling`.
    pub key: &'static str,
    /// Base URL used when the caller sets none.
    pub default_base_url: &'static str,
    /// `Accept` value to send instead of the generator's `application/json`.
    pub accept: Option<&'static str>,
    /// Response headers that carry the provider's request id, in order of preference.
    pub request_id_headers: &'static [&'static str],
    /// Request header in which the client sends its own request id (Webex `TrackingID`).
    pub send_request_id: Option<&'static str>,
    /// `User-Agent` value, `telnums-<key>/<version>`.
    pub user_agent: &'static str,
}
