// The README's example uses the Webex and Zoom clients, so it is the crate doc (and a
// doctest) only when both features are on, as they are by default and on docs.rs.
#![cfg_attr(
    all(feature = "webex-calling", feature = "zoom-phone"),
    doc = include_str!("../README.md")
)]
#![cfg_attr(
    not(all(feature = "webex-calling", feature = "zoom-phone")),
    doc = "One Rust API over five \"list phone numbers\" APIs (the full documentation, with its \
           example, is built with the default features)."
)]
//!
//! ## Entry points
//!
//! [`PhoneNumber`] is the common record and [`Provider`] names where it came from. Build
//! a [`Source`] from a provider client (re-exported as the modules `vonage_cc`,
//! `webex_calling`, `fone_dynamics`, `apple_business` and `zoom_phone`, each behind its
//! cargo feature), then [`list`] it, or [`list_all`] several concurrently, with a
//! [`Query`] (phone number filter, item cap, page size, requests in flight). Errors are
//! [`telnums_core::Error`]. [`list_pages`] and [`list_all_pages`] give the same numbers
//! one provider page at a time, for consumers that write and flush per page; every
//! listing runs a few pages ahead of its consumer.
//!
//! Numbers are never guessed: [`PhoneNumber::number`] is E.164 only when the provider
//! sent E.164 (a `+` and 2 to 15 digits, separators dropped, see [`strict_e164`]);
//! anything else (a national-format `4155551234`, a vanity number) is kept verbatim in
//! [`PhoneNumber::number_raw`] and never given a `+`. Numbers people type
//! ([`Query::phone_number`]) are read with [`normalize_e164`], which also accepts the
//! `00` prefix and bare digits that include the country code.
#![warn(missing_docs)]

#[cfg(not(any(
    feature = "vonage-cc",
    feature = "webex-calling",
    feature = "fone-dynamics",
    feature = "apple-business",
    feature = "zoom-phone"
)))]
compile_error!(
    "enable at least one provider feature of `telnums`, e.g. `features = [\"zoom-phone\"]`"
);

use std::fmt;

use futures::stream::{self, BoxStream, StreamExt};
use serde::{Deserialize, Serialize};

pub use telnums_core as core;
pub use telnums_core::filter::{FilterError, FilterTable, Filters, ParamType, QueryParam};
pub use telnums_core::listing::{End, TotalMismatch};
pub use telnums_core::{ClientCredentials, Error, ErrorKind, RetryPolicy, Secret};

/// One provider page of [`PhoneNumber`]s, with what the listing knows about the whole
/// ([`list_pages`], [`list_all_pages`]).
pub type Page = telnums_core::Page<PhoneNumber>;

mod convert;

pub use convert::{normalize_e164, strict_e164};

#[macro_use]
mod registry;

providers! {
    /// Vonage Contact Center callback numbers.
    VonageCc {
        key: "vonage-cc",
        module: vonage_cc,
        krate: telnums_vonage_cc,
        client: VonageCcClient,
        convert: from_vonage,
    }
    /// Webex Calling numbers.
    WebexCalling {
        key: "webex-calling",
        module: webex_calling,
        krate: telnums_webex_calling,
        client: WebexClient,
        convert: from_webex,
    }
    /// Fone Dynamics numbers.
    FoneDynamics {
        key: "fone-dynamics",
        module: fone_dynamics,
        krate: telnums_fone_dynamics,
        client: FoneDynamicsClient,
        convert: from_fone,
    }
    /// Apple Business Connect caller IDs.
    AppleBusiness {
        key: "apple-business",
        module: apple_business,
        krate: telnums_apple_business,
        client: AppleBusinessClient,
        convert: from_apple,
    }
    /// Zoom Phone numbers.
    ZoomPhone {
        key: "zoom-phone",
        module: zoom_phone,
        krate: telnums_zoom_phone,
        client: ZoomPhoneClient,
        convert: from_zoom,
    }
}

/// The key (`zoom-phone`); width, fill and alignment apply (`{:<14}`).
impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.key())
    }
}

impl std::str::FromStr for Provider {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Provider::ALL
            .into_iter()
            .find(|p| p.key() == s)
            .ok_or_else(|| {
                let keys: Vec<_> = Provider::ALL.iter().map(|p| p.key()).collect();
                format!(
                    "unknown provider `{s}` (expected one of {})",
                    keys.join(", ")
                )
            })
    }
}

/// The one record users see, whatever the provider.
///
/// It holds what every provider has in some form. What only one provider reports (Webex's
/// `elinEnabled` and `isReservedNumber`, Zoom's emergency address and carrier, Fone
/// Dynamics' routing and recording) is on that provider crate's own item type: list
/// through the provider crate (re-exported here, e.g. `telnums::webex_calling`) when you
/// need it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// Which provider listed it.
    pub provider: Provider,
    /// The provider's id for the entry, when it has one.
    pub id: Option<String>,
    /// The number in E.164 form with its leading `+` (`+12025550100`), only when the
    /// provider sent an E.164 number (with or without separators, which are dropped; see
    /// [`strict_e164`]). `None` for extension-only entries and for values that are not
    /// E.164: a national-format `4155551234` is never given a `+`, since that would be a
    /// guess at its country.
    pub number: Option<String>,
    /// The provider's number text exactly as received, whenever it is not exactly
    /// [`number`](Self::number): a value that is not E.164 (national format, vanity
    /// letters, an empty string; `number` is then `None`), or E.164 written with
    /// separators (`+1 202-555-0100`). `None` when the provider sent no number or sent
    /// `number` as is. So `number_raw.or(number)` is always the provider's own text.
    pub number_raw: Option<String>,
    /// Extension, when the provider has one.
    pub extension: Option<String>,
    /// Friendly or display name.
    pub label: Option<String>,
    /// The provider's status value, verbatim (unknown values too).
    pub status: Option<String>,
    /// The provider's number type, verbatim.
    pub kind: Option<String>,
    /// Who or what the number is assigned to.
    pub owner: Option<Owner>,
    /// Where the number belongs.
    pub location: Option<Location>,
}

/// The assignee of a number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// The provider's owner type (`PEOPLE`, `callQueue`, …), verbatim.
    pub kind: Option<String>,
    /// The owner's id.
    pub id: Option<String>,
    /// The owner's name.
    pub name: Option<String>,
}

/// The location or site of a number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The location's id.
    pub id: Option<String>,
    /// The location's name.
    pub name: Option<String>,
}

/// Options that apply to any provider.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Query {
    /// Only this number, read with [`normalize_e164`]: `+` and the country code, `00`
    /// and the country code, or bare digits that include the country code (never a
    /// national number with its trunk `0`). Sent in E.164 form as the provider's
    /// server-side filter where one exists (Webex `phoneNumber`, Apple `ql`, Fone
    /// Dynamics' single-number path), and matched client-side against
    /// [`PhoneNumber::number`] in every case, so a provider value that is not E.164
    /// never matches.
    pub phone_number: Option<String>,
    /// Stop after this many numbers from each provider.
    pub max_items: Option<u64>,
    /// Numbers per request (default: the largest each provider allows).
    pub page_size: Option<u32>,
    /// Requests in flight at once for providers that page by offset (Vonage CC, Webex
    /// Calling, Fone Dynamics); default [`DEFAULT_CONCURRENCY`]. Cursor-paged providers
    /// (Apple, Zoom) can only ask for the next page once the current one names it, which
    /// they do as soon as it is decoded.
    pub concurrency: Option<usize>,
    /// Provider filters, at most one set per provider; see [`Query::filter`].
    filters: Vec<Filters>,
}

impl Query {
    /// Only `number`.
    pub fn phone_number(mut self, number: impl Into<String>) -> Self {
        self.phone_number = Some(number.into());
        self
    }
    /// At most `n` numbers per provider.
    pub fn max_items(mut self, n: u64) -> Self {
        self.max_items = Some(n);
        self
    }
    /// `n` numbers per request, for every provider.
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }
    /// Up to `n` requests in flight at once for offset-paged providers (at least 1).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = Some(n.max(1));
        self
    }
    /// Adds one of `provider`'s own filters (see [`Provider::filters`]): `name` is the
    /// spec's parameter name or its flag (`ownerType`, `owner-type` or `owner_type`).
    /// Values are checked now, so a typo fails here and nothing is sent: a value must be
    /// one the spec lists unless the list is open (the provider adds values). A list
    /// filter takes several values joined by its separator (`,`; `;` for Apple's `ql`
    /// clauses), and calls add to it; other filters are replaced. The filter is sent on
    /// every page request of that provider's sources.
    ///
    /// ```
    /// use telnums::{Provider, Query};
    /// let query = Query::default()
    ///     .filter(Provider::ZoomPhone, "type", "assigned")?
    ///     .filter(Provider::ZoomPhone, "extension-type", "callQueue")?
    ///     .filter(Provider::AppleBusiness, "ql", "state==PUBLISHED")?;
    /// assert_eq!(query.filters(Provider::ZoomPhone).and_then(|f| f.get("type")), Some("assigned"));
    /// assert!(Query::default().filter(Provider::ZoomPhone, "type", "everything").is_err());
    /// assert!(Query::default().filter(Provider::VonageCc, "type", "all").is_err());
    /// # Ok::<(), telnums::FilterError>(())
    /// ```
    pub fn filter(
        mut self,
        provider: Provider,
        name: &str,
        value: &str,
    ) -> Result<Self, FilterError> {
        let key = provider.key();
        let index = match self.filters.iter().position(|f| f.provider() == key) {
            Some(i) => i,
            None => {
                self.filters.push(Filters::new(provider.filters()));
                self.filters.len() - 1
            }
        };
        self.filters[index].set(name, value)?;
        Ok(self)
    }
    /// The filters set for `provider`, if any.
    pub fn filters(&self, provider: Provider) -> Option<&Filters> {
        self.filters
            .iter()
            .find(|f| f.provider() == provider.key() && !f.is_empty())
    }
}

/// Requests in flight at once, per offset-paged provider, unless
/// [`Query::concurrency`] says otherwise. 4 is the most that keeps a million-number
/// listing under 32 MiB of peak RSS, and against a server 20 ms away it is about four
/// times as fast as one request at a time (BENCHMARKS.md, "pages in flight"); callers
/// facing slower servers can raise it.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Pages converted and buffered ahead of the consumer, per source (see [`list_pages`]).
/// One is enough for the producer and the consumer to overlap; a second one costs
/// memory and buys no speed.
pub const PREFETCH_PAGES: usize = 1;

/// A configured provider to list numbers from.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Source {
    /// Vonage CC callback numbers of the account.
    #[cfg(feature = "vonage-cc")]
    VonageCc(vonage_cc::VonageCcClient),
    /// Webex Calling numbers, of `org_id` or the caller's organisation.
    #[cfg(feature = "webex-calling")]
    WebexCalling {
        /// The client.
        client: webex_calling::WebexClient,
        /// The organisation, when not the caller's own.
        org_id: Option<String>,
    },
    /// Fone Dynamics numbers of an account or a property.
    #[cfg(feature = "fone-dynamics")]
    FoneDynamics {
        /// The client.
        client: fone_dynamics::FoneDynamicsClient,
        /// Whose numbers.
        scope: fone_dynamics::Scope,
    },
    /// Apple Business Connect caller IDs of a brand.
    #[cfg(feature = "apple-business")]
    AppleBusiness {
        /// The client.
        client: apple_business::AppleBusinessClient,
        /// The organisation id.
        org_id: String,
        /// The brand id.
        brand_id: String,
    },
    /// Zoom Phone numbers of the account.
    #[cfg(feature = "zoom-phone")]
    ZoomPhone(zoom_phone::ZoomPhoneClient),
}

impl Source {
    /// A Webex source.
    #[cfg(feature = "webex-calling")]
    pub fn webex_calling(client: webex_calling::WebexClient, org_id: Option<String>) -> Self {
        Source::WebexCalling { client, org_id }
    }

    /// Which provider this is.
    pub fn provider(&self) -> Provider {
        match self {
            #[cfg(feature = "vonage-cc")]
            Source::VonageCc(_) => Provider::VonageCc,
            #[cfg(feature = "webex-calling")]
            Source::WebexCalling { .. } => Provider::WebexCalling,
            #[cfg(feature = "fone-dynamics")]
            Source::FoneDynamics { .. } => Provider::FoneDynamics,
            #[cfg(feature = "apple-business")]
            Source::AppleBusiness { .. } => Provider::AppleBusiness,
            #[cfg(feature = "zoom-phone")]
            Source::ZoomPhone(_) => Provider::ZoomPhone,
        }
    }
}

/// Lists every number of one source as a stream of [`PhoneNumber`]s. The stream ends
/// after the last number or after the first error.
///
/// A [`Query::phone_number`] that [`normalize_e164`] does not accept gives one
/// [`ErrorKind::InvalidRequest`] error and nothing is sent. Pages are fetched ahead of
/// the consumer as [`list_pages`] describes.
pub fn list(source: Source, query: &Query) -> BoxStream<'static, Result<PhoneNumber, Error>> {
    flatten(list_pages(source, query))
}

/// Lists one source page by page: each item is one provider page's numbers, in order,
/// so a consumer can write and flush per page. The stream ends after the last page or
/// after the first error. Only the last page may be empty; it says how the listing ended
/// ([`Page::end`]) and, where the provider reports a total, whether the numbers received
/// match it ([`Page::total_mismatch`]).
///
/// The listing runs ahead of the consumer: a background task on the current tokio
/// runtime requests, decodes and converts up to [`PREFETCH_PAGES`] pages beyond the one
/// being consumed (with offset-paged providers, up to [`Query::concurrency`] requests
/// at once), so the network and the consumer's work overlap. Memory stays bounded by
/// those few pages. Dropping the stream cancels the requests in flight. Without a
/// tokio runtime the pages are fetched when polled.
pub fn list_pages(source: Source, query: &Query) -> BoxStream<'static, Result<Page, Error>> {
    let wanted = match query.phone_number.as_deref() {
        None => None,
        Some(raw) => match normalize_e164(raw) {
            Some(n) => Some(n),
            None => {
                let err = Error::new(source.provider().key(), ErrorKind::InvalidRequest)
                    .with_message(format!(
                        "`{raw}` is not a phone number with its country code \
                         (+61255501234, 0061255501234 or 61255501234)"
                    ));
                return stream::once(futures::future::ready(Err(err))).boxed();
            }
        },
    };
    // Without a client-side filter the provider's listing stops at the cap itself, so no
    // page past it is requested.
    let pages = convert::pages(source, query, wanted.clone(), wanted.is_none());
    let pages = match wanted {
        None => pages,
        Some(wanted) => matching(pages, wanted, query.max_items.unwrap_or(u64::MAX)),
    };
    telnums_core::prefetch::prefetch(pages, PREFETCH_PAGES).boxed()
}

/// The numbers of `pages` that are `wanted`, at most `max`: the client-side filter where
/// the provider has no server-side one, and a safety net where it has.
fn matching(
    pages: BoxStream<'static, Result<Page, Error>>,
    wanted: String,
    max: u64,
) -> BoxStream<'static, Result<Page, Error>> {
    stream::unfold(Some((pages, max)), move |state| {
        let wanted = wanted.clone();
        async move {
            let (mut pages, mut left) = state?;
            loop {
                if left == 0 {
                    return None;
                }
                let mut page = match pages.next().await? {
                    Ok(page) => page,
                    Err(e) => return Some((Err(e), None)),
                };
                page.filtered = true;
                page.items
                    .retain(|n| n.number.as_deref() == Some(wanted.as_str()));
                let cut = page.items.len() as u64 > left;
                page.items
                    .truncate(usize::try_from(left).unwrap_or(usize::MAX));
                left -= page.items.len() as u64;
                if cut || (left == 0 && page.end.is_none()) {
                    page.end = Some(End::Capped);
                }
                if page.is_last() {
                    return Some((Ok(page), None));
                }
                if !page.items.is_empty() {
                    return Some((Ok(page), Some((pages, left))));
                }
            }
        }
    })
    .boxed()
}

/// Lists several sources concurrently, interleaving their numbers as they arrive. Every
/// record names its provider; an error from one provider ([`Error::provider`] says which)
/// ends only that provider's part.
pub fn list_all(
    sources: Vec<Source>,
    query: &Query,
) -> BoxStream<'static, Result<PhoneNumber, Error>> {
    flatten(list_all_pages(sources, query))
}

/// [`list_all`] page by page: each item is one page of one provider (all its numbers
/// name the same provider), pages of different providers interleaved as they arrive.
pub fn list_all_pages(
    sources: Vec<Source>,
    query: &Query,
) -> BoxStream<'static, Result<Page, Error>> {
    stream::select_all(sources.into_iter().map(|s| list_pages(s, query))).boxed()
}

fn flatten(
    pages: BoxStream<'static, Result<Page, Error>>,
) -> BoxStream<'static, Result<PhoneNumber, Error>> {
    pages
        .flat_map(|page| match page {
            Ok(page) => stream::iter(page.items.into_iter().map(Ok)).left_stream(),
            Err(e) => stream::once(futures::future::ready(Err(e))).right_stream(),
        })
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_provider_displays_as_its_key_and_honours_width() {
        assert_eq!(Provider::ZoomPhone.to_string(), "zoom-phone");
        assert_eq!(format!("{:<12}|", Provider::ZoomPhone), "zoom-phone  |");
        assert_eq!(format!("{:>12}", Provider::VonageCc), "   vonage-cc");
        assert_eq!(format!("{:.4}", Provider::VonageCc), "vona");
    }
}
