//! From each provider's number type to [`PhoneNumber`], and the per-provider listing.

use futures::stream::{BoxStream, StreamExt};
use telnums_core::listing::{Listing, Page, Paging};

use crate::{Error, PhoneNumber, Provider, Query, Source};

/// A phone number typed by a person (`--phone-number`, [`Query::phone_number`]) in
/// E.164 form with its leading `+`.
///
/// Accepted: `+` and the country code (`+61 2 5550 1234`), the international `00` prefix
/// (`0061 2 5550 1234`), or bare digits that *include* the country code
/// (`61255501234`). Spaces, dashes, dots and brackets are dropped. Refused (`None`):
/// a national number with its trunk `0` (`02 5550 1234`: which country?), letters, and
/// anything that does not leave 2 to 15 digits after the country code's first digit
/// (never 0).
///
/// Provider data is never read this way: see [`strict_e164`].
///
/// ```
/// assert_eq!(telnums::normalize_e164("61 2 5550-1234").as_deref(), Some("+61255501234"));
/// assert_eq!(telnums::normalize_e164("0061 2 5550 1234").as_deref(), Some("+61255501234"));
/// assert_eq!(telnums::normalize_e164("+1 (202) 555-0100").as_deref(), Some("+12025550100"));
/// assert_eq!(telnums::normalize_e164("ext. 12"), None);
/// assert_eq!(telnums::normalize_e164("02 5550 1234"), None); // national, no country code
/// assert_eq!(telnums::normalize_e164("+1234567890123456"), None); // 16 digits
/// ```
pub fn normalize_e164(input: &str) -> Option<String> {
    let trimmed = input.trim();
    let (international, body) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let digits = digits_of(body)?;
    let digits = match digits.strip_prefix("00") {
        // `00` is the international call prefix; after a `+` it is just wrong.
        Some(rest) if !international => rest,
        _ => digits.as_str(),
    };
    e164_digits(digits)
}

/// A provider's value as E.164, only when it already is E.164: a `+`, then 2 to 15
/// digits whose first is not 0, written with or without spaces, dashes, dots or
/// brackets (which are dropped). Anything else is `None` and never gets a `+`: a
/// national-format value such as `4155551234` could be a number in the US or in
/// Switzerland, so guessing would invent a different, valid-looking number.
///
/// ```
/// assert_eq!(telnums::strict_e164("+61 2 5550-1234").as_deref(), Some("+61255501234"));
/// assert_eq!(telnums::strict_e164("4155551234"), None); // no `+`: not guessed
/// assert_eq!(telnums::strict_e164("0061255501234"), None);
/// assert_eq!(telnums::strict_e164("+1800FLOWERS"), None);
/// ```
pub fn strict_e164(value: &str) -> Option<String> {
    let body = value.trim().strip_prefix('+')?;
    e164_digits(&digits_of(body)?)
}

/// The digits of `text` with the separators people write between them removed; `None`
/// when anything else is present.
fn digits_of(text: &str) -> Option<String> {
    let mut digits = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    Some(digits)
}

/// `+digits` when `digits` can be an E.164 number: a country code (never starting
/// with 0) and at most 15 digits in all.
fn e164_digits(digits: &str) -> Option<String> {
    let valid = (2..=15).contains(&digits.len()) && !digits.starts_with('0');
    valid.then(|| format!("+{digits}"))
}

/// A generated enum's wire value, verbatim (known or not).
#[cfg(any(
    feature = "webex-calling",
    feature = "fone-dynamics",
    feature = "zoom-phone"
))]
fn verbatim<T: serde::Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Some(s),
        Ok(serde_json::Value::Null) | Err(_) => None,
        Ok(other) => Some(other.to_string()),
    }
}

/// Text, unless blank.
#[cfg(any(
    feature = "webex-calling",
    feature = "fone-dynamics",
    feature = "apple-business"
))]
fn text(s: impl ToString) -> Option<String> {
    let s = s.to_string();
    (!s.trim().is_empty()).then_some(s)
}

/// A provider's number field as `(number, number_raw)`: the E.164 form when the value
/// is E.164 ([`strict_e164`]), and the value verbatim whenever it is not exactly that
/// form (not E.164 at all, or E.164 written with separators). Nothing is invented and
/// nothing is lost.
fn number(raw: Option<String>) -> (Option<String>, Option<String>) {
    let Some(raw) = raw else {
        return (None, None);
    };
    if is_canonical_e164(&raw) {
        // What providers send almost always: kept as it is, without the copies the
        // general reading below makes.
        return (Some(raw), None);
    }
    // Not canonical, so any E.164 reading differs from the text, which is kept.
    match strict_e164(&raw) {
        Some(e164) => (Some(e164), Some(raw)),
        None => (None, Some(raw)),
    }
}

/// Whether `text` is already what [`strict_e164`] would make of it: `+`, a country code
/// that does not start with 0, and 2 to 15 digits in all, nothing else.
fn is_canonical_e164(text: &str) -> bool {
    let bytes = text.as_bytes();
    (3..=16).contains(&bytes.len())
        && bytes[0] == b'+'
        && bytes[1] != b'0'
        && bytes[1..].iter().all(u8::is_ascii_digit)
}

/// The pages of one source as [`PhoneNumber`]s: the provider's listing with the query's
/// page size, filters, concurrency and (when `push_limit`) its item cap, and `wanted`
/// sent as the provider's server-side phone-number filter where it has one.
pub(crate) fn pages(
    source: Source,
    query: &Query,
    wanted: Option<String>,
    push_limit: bool,
) -> BoxStream<'static, Result<Page<PhoneNumber>, Error>> {
    let provider = source.provider();
    let setup = Setup {
        page_size: query.page_size,
        filters: query.filters(provider).cloned(),
        concurrency: query.concurrency.unwrap_or(crate::DEFAULT_CONCURRENCY),
        max_items: query.max_items.filter(|_| push_limit),
    };
    match source {
        #[cfg(feature = "vonage-cc")]
        Source::VonageCc(client) => {
            // No server-side phone-number filter: the facade matches client-side.
            drop(wanted);
            setup.run(client.list_callback_numbers(), from_vonage)
        }
        #[cfg(feature = "webex-calling")]
        Source::WebexCalling { client, org_id } => setup.run(
            client.list_numbers().query(|mut q| {
                if let Some(org) = org_id {
                    q = q.org_id(org);
                }
                if let Some(n) = wanted {
                    q = q.phone_number(n);
                }
                q
            }),
            from_webex,
        ),
        #[cfg(feature = "fone-dynamics")]
        Source::FoneDynamics { client, scope } => match (wanted, setup.filters.is_some()) {
            // The single-number path is Fone's server-side filter (unless other filters
            // are set: that path takes none, so the listing is filtered client-side). A
            // number the account does not hold (404), or one linked to another property
            // than the one listed, is simply not in the listing.
            (Some(n), false) => futures::stream::once(async move {
                match client.get_number(&n).await {
                    Ok(found) => {
                        let found = found.into_inner();
                        let in_scope = match &scope {
                            crate::fone_dynamics::Scope::Property(sid) => {
                                found.property_sid.as_deref() == Some(sid.as_str())
                            }
                            crate::fone_dynamics::Scope::Account(_) => true,
                        };
                        let numbers = in_scope.then(|| from_fone(found)).into_iter().collect();
                        Ok(Page::single(provider.key(), numbers))
                    }
                    Err(e) if e.status().map(|s| s.as_u16()) == Some(404) => {
                        Ok(Page::single(provider.key(), Vec::new()))
                    }
                    Err(e) => Err(e),
                }
            })
            .boxed(),
            _ => {
                let listing = match scope {
                    crate::fone_dynamics::Scope::Account(sid) => client.list_account_numbers(sid),
                    crate::fone_dynamics::Scope::Property(sid) => client.list_property_numbers(sid),
                };
                setup.run(listing, from_fone)
            }
        },
        #[cfg(feature = "apple-business")]
        Source::AppleBusiness {
            client,
            org_id,
            brand_id,
        } => {
            use crate::apple_business::{Ql, QlField};
            let mut listing = client.list_caller_ids(org_id, brand_id);
            if let Some(n) = wanted {
                listing = listing.query(|q| q.ql(Ql::new().eq(QlField::PhoneNumber, n)));
            }
            setup.run(listing, from_apple)
        }
        #[cfg(feature = "zoom-phone")]
        Source::ZoomPhone(client) => {
            // No server-side phone-number filter: the facade matches client-side.
            drop(wanted);
            setup.run(client.list_phone_numbers(), from_zoom)
        }
    }
}

/// What the facade's [`Query`] sets on any provider's listing.
struct Setup {
    page_size: Option<u32>,
    filters: Option<crate::Filters>,
    concurrency: usize,
    max_items: Option<u64>,
}

impl Setup {
    /// Configures `listing` and converts its pages with `convert`.
    fn run<P: Paging>(
        self,
        mut listing: Listing<P>,
        convert: fn(P::Item) -> PhoneNumber,
    ) -> BoxStream<'static, Result<Page<PhoneNumber>, Error>> {
        listing = listing.concurrency(self.concurrency);
        if let Some(n) = self.page_size {
            listing = listing.page_size(n);
        }
        if let Some(n) = self.max_items {
            listing = listing.max_items(n);
        }
        if let Some(f) = self.filters {
            listing = listing.filters(f);
        }
        listing
            .pages()
            .map(move |page| page.map(|page| page.map(convert)))
            .boxed()
    }
}

/// Vonage CC callback number.
#[cfg(feature = "vonage-cc")]
pub fn from_vonage(n: crate::vonage_cc::types::CallbackNumber) -> PhoneNumber {
    let (number, number_raw) = number(n.callback_number_clid);
    PhoneNumber {
        provider: Provider::VonageCc,
        id: n.callback_number_id,
        number,
        number_raw,
        extension: None,
        label: n.callback_number_name,
        status: None,
        kind: Some("callback".to_owned()),
        owner: None,
        location: None,
    }
}

/// Webex number or extension-only entry.
#[cfg(feature = "webex-calling")]
pub fn from_webex(n: crate::webex_calling::types::WebexNumber) -> PhoneNumber {
    let owner = n.owner.map(|o| {
        let name = [o.first_name.as_deref(), o.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        crate::Owner {
            kind: o.type_.as_ref().and_then(verbatim),
            id: o.id,
            name: text(name),
        }
    });
    let (number, number_raw) = number(n.phone_number);
    PhoneNumber {
        provider: Provider::WebexCalling,
        id: None,
        number,
        number_raw,
        extension: n.extension,
        label: None,
        status: n.state.as_ref().and_then(verbatim),
        kind: n
            .phone_number_type
            .as_ref()
            .and_then(verbatim)
            .or_else(|| n.included_telephony_types.as_ref().and_then(verbatim)),
        owner,
        location: n.location.map(|l| crate::Location {
            id: l.id,
            name: l.name,
        }),
    }
}

/// Fone Dynamics number.
#[cfg(feature = "fone-dynamics")]
pub fn from_fone(n: crate::fone_dynamics::types::FoneNumber) -> PhoneNumber {
    let place = [
        n.city.as_deref(),
        n.region.as_deref(),
        n.country_code.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let (number, number_raw) = number(n.number);
    PhoneNumber {
        provider: Provider::FoneDynamics,
        id: None,
        number,
        number_raw,
        extension: None,
        label: n.friendly,
        status: n.status.as_ref().and_then(verbatim),
        kind: n.type_.as_ref().and_then(verbatim),
        owner: None,
        location: text(place).map(|name| crate::Location {
            id: n.property_sid,
            name: Some(name),
        }),
    }
}

/// Apple Business Connect caller ID.
#[cfg(feature = "apple-business")]
pub fn from_apple(c: crate::apple_business::types::AppleCallerId) -> PhoneNumber {
    let (number, number_raw) = number(c.caller_id_details.phone_number);
    PhoneNumber {
        provider: Provider::AppleBusiness,
        id: Some(c.id),
        number,
        number_raw,
        extension: None,
        label: c.caller_id_details.department,
        status: text(c.state),
        kind: Some("caller-id".to_owned()),
        owner: None,
        location: None,
    }
}

/// Zoom Phone number.
#[cfg(feature = "zoom-phone")]
pub fn from_zoom(n: crate::zoom_phone::types::ZoomPhoneNumber) -> PhoneNumber {
    let extension = n
        .assignee
        .as_ref()
        .and_then(|a| a.extension_number)
        .as_ref()
        .and_then(verbatim);
    let (number, number_raw) = number(n.number);
    PhoneNumber {
        provider: Provider::ZoomPhone,
        id: n.id,
        number,
        number_raw,
        extension,
        label: n.display_name,
        status: n.status.as_ref().and_then(verbatim),
        kind: n.number_type.as_ref().and_then(verbatim),
        owner: n.assignee.map(|a| crate::Owner {
            kind: a.type_.as_ref().and_then(verbatim),
            id: a.id,
            name: a.name,
        }),
        location: n
            .site
            .map(|s| crate::Location {
                id: s.id,
                name: s.name,
            })
            .or_else(|| {
                n.location.map(|l| crate::Location {
                    id: None,
                    name: Some(l),
                })
            }),
    }
}
