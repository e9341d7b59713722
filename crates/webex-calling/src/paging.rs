//! `start`/`max` pagination over `GET /v1/telephony/config/numbers`, following
//! `Link: <…>; rel="next"` when the server sends it.

use std::sync::Arc;

use futures::stream::{BoxStream, Stream, StreamExt};
use reqwest::header::{HeaderMap, LINK};
use telnums_core::filter::Filters;
use telnums_core::paginate::{self, OffsetPage, Page};
use telnums_core::{Error, Limits, Provider, Response};

use crate::{builder, filters, types, WebexClient};

/// Default page size: the API's documented default for `max`.
pub const DEFAULT_PAGE_SIZE: u32 = 2000;

type Query =
    Arc<dyn for<'b> Fn(builder::ListNumbers<'b>) -> builder::ListNumbers<'b> + Send + Sync>;

/// A listing of phone numbers: set filters with [`ListNumbers::query`] (typed) or
/// [`ListNumbers::filters`] (checked against [`FILTERS`](crate::FILTERS)), then fetch one
/// page or stream every item. Filters apply to every page.
#[derive(Clone)]
#[must_use = "a listing does nothing until you call `page`, `pages` or `items`"]
pub struct ListNumbers {
    client: WebexClient,
    query: Query,
    filters: Filters,
    page_size: u32,
    limits: Limits,
    concurrency: usize,
}

telnums_core::listing_methods!(ListNumbers, ListNumbers);

impl ListNumbers {
    pub(crate) fn new(client: WebexClient) -> Self {
        Self {
            client,
            query: Arc::new(|b| b),
            filters: Filters::new(&crate::FILTERS),
            page_size: DEFAULT_PAGE_SIZE,
            limits: Limits::default(),
            concurrency: 1,
        }
    }

    /// Restricts to these telephony types (sent comma-separated).
    pub fn included_telephony_types(self, kinds: &[types::TelephonyType]) -> Self {
        let joined = kinds
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        self.query(move |q| q.included_telephony_types(joined.clone()))
    }

    /// Sorts by these keys, in order (`order`, sent comma-separated).
    pub fn order(self, keys: &[types::NumberOrder]) -> Self {
        let joined = keys
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        self.query(move |q| q.order(joined.clone()))
    }

    /// Sets filters checked against [`FILTERS`](crate::FILTERS), replacing any set
    /// before. They are applied after those of [`query`](Self::query), so they win where
    /// both set a parameter.
    pub fn filters(mut self, filters: Filters) -> Self {
        self.filters = filters;
        self
    }

    /// Items per page (`max`, default 2000, at least 1: 0 is taken as 1).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// Requests up to `n` pages at once (default 1), keeping item order. Pages are then
    /// addressed by `start`/`max` offsets instead of following `Link` one by one, so up to
    /// `n - 1` requests may go past the last page.
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Fetches the page starting at offset `start`, with its headers.
    pub async fn page(&self, start: u32) -> Result<Response<types::WebexNumberList>, Error> {
        let builder = (self.query)(self.client.raw().list_numbers());
        let builder = filters::apply_list_numbers(builder, &self.filters)?
            .start(i32::try_from(start).unwrap_or(i32::MAX))
            .max(self.page_size);
        self.client
            .runtime()
            .send("list_numbers", || builder.clone().send())
            .await
    }

    /// Streams pages of items until the server stops offering a next page.
    pub fn pages(self) -> BoxStream<'static, Result<Vec<types::WebexNumber>, Error>> {
        let limits = self.limits;
        if self.concurrency > 1 {
            let fingerprint: fn(&[types::WebexNumber]) -> String = |items| {
                let key = |n: Option<&types::WebexNumber>| {
                    n.map(|n| format!("{:?}/{:?}", n.phone_number, n.extension))
                        .unwrap_or_default()
                };
                format!("{}..{}", key(items.first()), key(items.last()))
            };
            return paginate::offset_pages(
                WebexClient::INFO.key,
                self.concurrency,
                limits,
                fingerprint,
                move |i| {
                    let this = self.clone();
                    async move {
                        let start = u32::try_from(i.saturating_mul(u64::from(this.page_size)))
                            .unwrap_or(u32::MAX);
                        let response = this.page(start).await?;
                        let count = response.phone_numbers.len();
                        let more = if response.headers().contains_key(LINK) {
                            next_link(response.headers(), this.client.runtime().base_url())
                                .is_some()
                        } else {
                            count >= this.page_size as usize
                        };
                        Ok(OffsetPage {
                            items: response.into_inner().phone_numbers,
                            more,
                            page_count: None,
                        })
                    }
                },
            )
            .boxed();
        }
        paginate::pages(WebexClient::INFO.key, 0u32, limits, move |start| {
            let this = self.clone();
            async move {
                let response = this.page(start).await?;
                let base = this.client.runtime().base_url().clone();
                let next = next_start(
                    response.headers(),
                    &base,
                    start,
                    response.phone_numbers.len(),
                    this.page_size,
                );
                Ok(Page {
                    items: response.into_inner().phone_numbers,
                    next,
                })
            }
        })
        .boxed()
    }

    /// Streams every phone number across all pages.
    pub fn items(self) -> impl Stream<Item = Result<types::WebexNumber, Error>> + Send {
        let limits = self.limits;
        paginate::items(self.pages(), limits)
    }
}

/// Offset of the next page: `start` from the `rel="next"` link when the response has a
/// `Link` header; without one, the next offset when the page was full.
#[doc(hidden)]
pub fn next_start(
    headers: &HeaderMap,
    base: &url::Url,
    start: u32,
    count: usize,
    page_size: u32,
) -> Option<u32> {
    let count = u32::try_from(count).unwrap_or(u32::MAX);
    if headers.contains_key(LINK) {
        let next = next_link(headers, base)?;
        let from_link = next
            .query_pairs()
            .find(|(k, _)| k == "start")
            .and_then(|(_, v)| v.parse::<u32>().ok());
        return Some(from_link.unwrap_or_else(|| start.saturating_add(count)));
    }
    (count > 0 && count >= page_size).then(|| start.saturating_add(count))
}

/// The `rel="next"` target of the `Link` headers in `headers` (RFC 8288), resolved
/// against `base`. Lenient: several headers or comma-joined links, quoted or bare `rel`,
/// several relation types, any case.
pub fn next_link(headers: &HeaderMap, base: &url::Url) -> Option<url::Url> {
    // Read each field lossily: a byte outside visible ASCII (say in a `title`) used to
    // make `to_str` drop the whole field, rel=next included (found by the `link_header`
    // fuzz target: one such line hid the next link once a proxy joined the lines).
    let fields: Vec<String> = headers
        .get_all(LINK)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    fields
        .iter()
        .flat_map(|v| split_links(v))
        .find_map(|(target, params)| {
            let is_next = params.split(';').any(|p| {
                let Some((k, v)) = p.split_once('=') else {
                    return false;
                };
                k.trim().eq_ignore_ascii_case("rel")
                    && v.trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
            });
            is_next.then(|| base.join(target.trim()).ok()).flatten()
        })
}

/// Splits a `Link` value into `(target, params)` pairs. Commas inside `<…>` and inside
/// quoted parameter values stay put; any other comma ends a link's parameters (RFC 8288
/// §3), so a stray element after it (an empty one from a trailing comma, or a field line
/// that is not a link, joined on by a proxy) never becomes part of them.
#[doc(hidden)]
pub fn split_links(value: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|c| open + c) else {
            break;
        };
        let target = &rest[open + 1..close];
        let after = &rest[close + 1..];
        let end = params_end(after);
        out.push((target, &after[..end]));
        rest = &after[end..];
    }
    out
}

/// Where a link's parameters end in `after` (the text after its `>`): at the first comma
/// outside a quoted string, or at the end.
fn params_end(after: &str) -> usize {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in after.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => return i,
            _ => {}
        }
    }
    after.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(LINK, HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    fn base() -> url::Url {
        url::Url::parse("https://webexapis.com").expect("url")
    }

    #[test]
    fn finds_next_among_several_links() {
        let h = headers(&[
            r#"<https://webexapis.com/v1/telephony/config/numbers?start=0&max=2>; rel="prev", <https://webexapis.com/v1/telephony/config/numbers?orgId=a,b&start=4&max=2>; rel="next""#,
        ]);
        let next = next_link(&h, &base()).expect("next");
        assert_eq!(next.query(), Some("orgId=a,b&start=4&max=2"));
        assert_eq!(next_start(&h, &base(), 2, 2, 2), Some(4));
    }

    #[test]
    fn lenient_forms() {
        for v in [
            "</v1/x?start=6>; rel=next",
            "</v1/x?start=6>;REL=\"first next\"",
            "  < /v1/x?start=6 > ; rel=\"next\"  ",
        ] {
            let h = headers(&[v]);
            assert_eq!(next_start(&h, &base(), 0, 1, 10), Some(6), "{v}");
        }
    }

    #[test]
    fn a_comma_outside_quotes_ends_the_params() {
        // Found by the `link_header` fuzz target: a field line that is not a link, joined
        // on after a comma, used to lend its `rel="next"` to the link before it.
        let joined = headers(&["</v1/x?start=2>; rel=\"e\", ; rel=\"next\""]);
        assert_eq!(next_link(&joined, &base()), None);
        // A trailing comma (an empty list element) no longer hides `rel=next`.
        let trailing = headers(&["</v1/x?start=6>; rel=\"next\","]);
        assert_eq!(next_start(&trailing, &base(), 0, 1, 10), Some(6));
        // A quoted comma is part of its value.
        let quoted = headers(&["</v1/x?start=6>; title=\"a, b\"; rel=next, </v1/y>; rel=prev"]);
        assert_eq!(next_start(&quoted, &base(), 0, 1, 10), Some(6));
        assert_eq!(
            split_links("<a>; title=\"a, b\"; rel=next, <b>; rel=prev"),
            vec![("a", "; title=\"a, b\"; rel=next"), ("b", "; rel=prev")]
        );
    }

    #[test]
    fn a_non_ascii_byte_does_not_hide_the_field() {
        let mut h = HeaderMap::new();
        let value =
            HeaderValue::from_bytes("</v1/x?start=6>; title=\"caf\u{e9}\"; rel=next".as_bytes())
                .expect("obs-text is a valid header byte");
        h.append(LINK, value);
        assert_eq!(next_start(&h, &base(), 0, 1, 10), Some(6));
    }

    #[test]
    fn link_without_next_ends_and_no_link_falls_back_to_offsets() {
        let h = headers(&["</v1/x?start=0>; rel=\"first\""]);
        assert_eq!(next_start(&h, &base(), 0, 10, 10), None);
        let none = HeaderMap::new();
        assert_eq!(next_start(&none, &base(), 20, 10, 10), Some(30));
        assert_eq!(next_start(&none, &base(), 20, 7, 10), None);
        assert_eq!(next_start(&none, &base(), 20, 0, 10), None);
    }
}
