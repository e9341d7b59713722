//! From each provider's number type to [`PhoneNumber`], and the per-provider listing.

use futures::stream::{BoxStream, StreamExt};

#[allow(unused_imports)]
use crate::{Error, Location, Owner, PhoneNumber, Provider, Query, Source};

/// E.164 with a leading `+`: keeps digits (and a leading `+`), drops spaces, dashes,
/// dots and brackets. `None` when other characters are present, when the first digit
/// is 0 (a national number, not a country code) or when there are not 2 to 15 digits.
///
/// ```
/// assert_eq!(telnums::normalize_e164("61 2 5550-1234").as_deref(), Some("+61255501234"));
/// assert_eq!(telnums::normalize_e164("+1 (202) 555-0100").as_deref(), Some("+12025550100"));
/// assert_eq!(telnums::normalize_e164("ext. 12"), None);
/// assert_eq!(telnums::normalize_e164("02 5550 1234"), None); // national, no country code
/// assert_eq!(telnums::normalize_e164("+1234567890123456"), None); // 16 digits
/// ```
pub fn normalize_e164(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let mut digits = String::with_capacity(body.len() + 1);
    digits.push('+');
    for c in body.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    // E.164: a country code (never starting with 0), at most 15 digits in all.
    let count = digits.len() - 1;
    let valid = (2..=15).contains(&count) && !digits[1..].starts_with('0');
    valid.then_some(digits)
}

/// A generated enum's wire value, verbatim (known or not).
#[allow(dead_code)]
fn verbatim<T: serde::Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Some(s),
        Ok(serde_json::Value::Null) | Err(_) => None,
        Ok(other) => Some(other.to_string()),
    }
}

fn text(s: impl ToString) -> Option<String> {
    let s = s.to_string();
    (!s.trim().is_empty()).then_some(s)
}

fn number(raw: Option<&str>) -> Option<String> {
    let raw = raw?;
    // Keep a value that is not a number rather than lose it.
    normalize_e164(raw).or_else(|| text(raw))
}

pub(crate) fn stream(
    source: Source,
    query: &Query,
    wanted: Option<String>,
) -> BoxStream<'static, Result<PhoneNumber, Error>> {
    let _ = &wanted;
    let size = query.page_size;
    #[allow(unused_variables)]
    let filters = query.filters(source.provider()).cloned();
    match source {
        #[cfg(feature = "vonage-cc")]
        Source::VonageCc(client) => {
            let mut listing = client.list_callback_numbers();
            if let Some(n) = size {
                listing = listing.page_size(n);
            }
            listing.items().map(|r| r.map(from_vonage)).boxed()
        }
        #[cfg(feature = "webex-calling")]
        Source::WebexCalling { client, org_id } => {
            let mut listing = client.list_numbers();
            if let Some(n) = size {
                listing = listing.page_size(n);
            }
            if let Some(org) = org_id {
                listing = listing.query(move |q| q.org_id(org.clone()));
            }
            if let Some(n) = wanted {
                listing = listing.query(move |q| q.phone_number(n.clone()));
            }
            if let Some(f) = filters {
                listing = listing.filters(f);
            }
            listing.items().map(|r| r.map(from_webex)).boxed()
        }
        #[cfg(feature = "fone-dynamics")]
        Source::FoneDynamics { client, scope } => match (wanted, filters) {
            // The single-number path is Fone's server-side filter (unless other filters
            // are set: that path takes none, so the listing is filtered client-side). A
            // number the account does not hold (404), or one linked to another property
            // than the one listed, is simply not in the listing.
            (Some(n), None) => futures::stream::once(async move {
                match client.get_number(&n).await {
                    Ok(found) => {
                        let found = found.into_inner();
                        let in_scope = match &scope {
                            crate::fone_dynamics::Scope::Property(sid) => {
                                found.property_sid.as_deref() == Some(sid.as_str())
                            }
                            crate::fone_dynamics::Scope::Account(_) => true,
                        };
                        Ok(in_scope.then(|| from_fone(found)))
                    }
                    Err(e) if e.status().map(|s| s.as_u16()) == Some(404) => Ok(None),
                    Err(e) => Err(e),
                }
            })
            .filter_map(|r| futures::future::ready(r.transpose()))
            .boxed(),
            (_, filters) => {
                let mut listing = match scope {
                    crate::fone_dynamics::Scope::Account(sid) => client.list_account_numbers(sid),
                    crate::fone_dynamics::Scope::Property(sid) => client.list_property_numbers(sid),
                };
                if let Some(n) = size {
                    listing = listing.page_size(n);
                }
                if let Some(f) = filters {
                    listing = listing.filters(f);
                }
                listing.items().map(|r| r.map(from_fone)).boxed()
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
            if let Some(n) = size {
                listing = listing.page_size(n);
            }
            if let Some(n) = wanted {
                listing = listing.ql(Ql::new().eq(QlField::PhoneNumber, n));
            }
            if let Some(f) = filters {
                listing = listing.filters(f);
            }
            listing.items().map(|r| r.map(from_apple)).boxed()
        }
        #[cfg(feature = "zoom-phone")]
        Source::ZoomPhone(client) => {
            let mut listing = client.list_phone_numbers();
            if let Some(n) = size {
                listing = listing.page_size(n);
            }
            if let Some(f) = filters {
                listing = listing.filters(f);
            }
            listing.items().map(|r| r.map(from_zoom)).boxed()
        }
    }
}

/// Vonage CC callback number.
#[cfg(feature = "vonage-cc")]
pub fn from_vonage(n: crate::vonage_cc::types::CallbackNumber) -> PhoneNumber {
    PhoneNumber {
        provider: Provider::VonageCc,
        id: n.callback_number_id,
        number: number(n.callback_number_clid.as_deref()),
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
        Owner {
            kind: o.type_.as_ref().and_then(verbatim),
            id: o.id,
            name: text(name),
        }
    });
    PhoneNumber {
        provider: Provider::WebexCalling,
        id: None,
        number: number(n.phone_number.as_deref()),
        extension: n.extension,
        label: None,
        status: n.state.as_ref().and_then(verbatim),
        kind: n
            .phone_number_type
            .as_ref()
            .and_then(verbatim)
            .or_else(|| n.included_telephony_types.as_ref().and_then(verbatim)),
        owner,
        location: n.location.map(|l| Location {
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
    PhoneNumber {
        provider: Provider::FoneDynamics,
        id: None,
        number: number(n.number.as_deref()),
        extension: None,
        label: n.friendly,
        status: n.status.as_ref().and_then(verbatim),
        kind: n.type_.as_ref().and_then(verbatim),
        owner: None,
        location: text(place).map(|name| Location {
            id: n.property_sid,
            name: Some(name),
        }),
    }
}

/// Apple Business Connect caller ID.
#[cfg(feature = "apple-business")]
pub fn from_apple(c: crate::apple_business::types::AppleCallerId) -> PhoneNumber {
    PhoneNumber {
        provider: Provider::AppleBusiness,
        id: Some(c.id),
        number: number(c.caller_id_details.phone_number.as_deref()),
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
    PhoneNumber {
        provider: Provider::ZoomPhone,
        id: n.id,
        number: number(n.number.as_deref()),
        extension,
        label: n.display_name,
        status: n.status.as_ref().and_then(verbatim),
        kind: n.number_type.as_ref().and_then(verbatim),
        owner: n.assignee.map(|a| Owner {
            kind: a.type_.as_ref().and_then(verbatim),
            id: a.id,
            name: a.name,
        }),
        location: n
            .site
            .map(|s| Location {
                id: s.id,
                name: s.name,
            })
            .or_else(|| {
                n.location.map(|l| Location {
                    id: None,
                    name: Some(l),
                })
            }),
    }
}
