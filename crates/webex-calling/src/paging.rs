//! The `Link` rule of `GET /v1/telephony/config/numbers`: the next page is at the `start`
//! of the `rel="next"` link. Once the server has sent a `Link` header, a page without a
//! next link is the last. Until it has (a listing whose first page carries no `Link`
//! header), the server is paged by offset: the next page starts after the entries
//! received, and an empty page is the end, since a short page may only mean a cap.

use reqwest::header::{HeaderMap, LINK};
use telnums_core::filter::FilterTable;
use telnums_core::listing::{Fetched, PageRequest, PageSizes, Paging};
use telnums_core::{Error, Listing, Response};

use crate::{filters, query, types, WebexClient};

/// Default page size: the API's documented default for `max`.
pub const DEFAULT_PAGE_SIZE: u32 = 2000;

/// A listing of Webex numbers and extensions (see [`Listing`]): typed parameters with
/// [`query`](Listing::query) (a [`ListQuery`](crate::ListQuery)), or [`Filters`] checked
/// against [`FILTERS`](crate::FILTERS). With [`concurrency`](Listing::concurrency) above
/// 1, pages are requested ahead at the offsets the server's own page size and links
/// suggest; only pages its `Link` headers lead to are used.
///
/// [`Filters`]: telnums_core::filter::Filters
pub type ListNumbers = Listing<Numbers>;

/// Webex's part of [`ListNumbers`]: pages by `start` offset.
#[derive(Clone, Debug)]
pub struct Numbers {
    client: WebexClient,
}

impl Numbers {
    pub(crate) fn new(client: WebexClient) -> Self {
        Self { client }
    }
}

/// Where a Webex page is: its `start` offset, and whether the server has sent `Link`
/// headers in this listing (then a page without a next link is the last).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Start {
    /// The `start` offset.
    pub start: u32,
    /// Whether an earlier page of the listing carried a `Link` header.
    pub linked: bool,
}

impl From<u32> for Start {
    /// The page at offset `start` of a listing that has not seen a `Link` header yet.
    fn from(start: u32) -> Self {
        Self {
            start,
            linked: false,
        }
    }
}

impl Paging for Numbers {
    type Item = types::WebexNumber;
    type Body = types::WebexNumberList;
    type Position = Start;
    type Query = query::ListQuery;

    const FILTERS: &'static FilterTable = &filters::FILTERS;
    const PAGE_SIZES: PageSizes = PageSizes {
        default: Some(DEFAULT_PAGE_SIZE),
        max: None,
    };

    fn first(&self) -> Start {
        Start {
            start: 0,
            linked: false,
        }
    }

    async fn fetch(
        &self,
        at: &Start,
        request: &PageRequest<'_, query::ListQuery>,
    ) -> Result<Response<types::WebexNumberList>, Error> {
        let builder = query::apply_list_numbers(self.client.raw().list_numbers(), request.query);
        let mut builder = filters::apply_list_numbers(builder, request.filters)?
            .start(i32::try_from(at.start).unwrap_or(i32::MAX));
        if let Some(size) = request.size {
            builder = builder.max(size);
        }
        self.client
            .runtime()
            .send("list_numbers", || builder.clone().send())
            .await
    }

    fn read(
        &self,
        at: &Start,
        _asked: Option<u32>,
        page: Response<types::WebexNumberList>,
    ) -> Fetched<Start, types::WebexNumber> {
        let linked = at.linked || page.headers().contains_key(LINK);
        let next = next_start(
            page.headers(),
            self.client.runtime().base_url(),
            at.start,
            page.phone_numbers.len(),
        )
        // Without a next link on a listing that has sent links, this was the last page.
        .filter(|_| !at.linked || page.headers().contains_key(LINK))
        .map(|start| Start { start, linked });
        let page = page.into_inner();
        let total = page
            .count
            .and_then(|c| c.total)
            .and_then(|n| u64::try_from(n).ok());
        Fetched::new(page.phone_numbers, next).reported_total(total)
    }

    fn after(&self, before: &Start, at: &Start) -> Option<Start> {
        let step = at.start.checked_sub(before.start).filter(|s| *s > 0)?;
        Some(Start {
            start: at.start.checked_add(step)?,
            linked: at.linked,
        })
    }

    fn identify(&self, items: &[types::WebexNumber]) -> Option<String> {
        let key = |n: Option<&types::WebexNumber>| {
            n.map(|n| format!("{:?}/{:?}", n.phone_number, n.extension))
                .unwrap_or_default()
        };
        Some(format!("{}..{}", key(items.first()), key(items.last())))
    }
}

/// Offset of the page after the one at `start` that held `count` entries: the `start` of
/// the `rel="next"` link when the response has a `Link` header (none without such a
/// link; the offset after the entries received when the link gives no `start`); without
/// any `Link` header, the offset after the entries received, unless the page was empty.
#[doc(hidden)]
pub fn next_start(headers: &HeaderMap, base: &url::Url, start: u32, count: usize) -> Option<u32> {
    let count = u32::try_from(count).unwrap_or(u32::MAX);
    let after = start.checked_add(count);
    if headers.contains_key(LINK) {
        let next = next_link(headers, base)?;
        let from_link = next
            .query_pairs()
            .find(|(k, _)| k == "start")
            .and_then(|(_, v)| v.parse::<u32>().ok());
        return from_link.or(after);
    }
    after.filter(|_| count > 0)
}

/// The `rel="next"` target of the `Link` headers in `headers` (RFC 8288), resolved
/// against `base`. Lenient: several headers or comma-joined links, quoted or bare `rel`,
/// several relation types, any case.
pub fn next_link(headers: &HeaderMap, base: &url::Url) -> Option<url::Url> {
    // Each field is read lossily: a byte outside visible ASCII (say in a `title`) must
    // not hide the field's other links, rel=next included.
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
        assert_eq!(next_start(&h, &base(), 2, 2), Some(4));
    }

    #[test]
    fn lenient_forms() {
        for v in [
            "</v1/x?start=6>; rel=next",
            "</v1/x?start=6>;REL=\"first next\"",
            "  < /v1/x?start=6 > ; rel=\"next\"  ",
        ] {
            let h = headers(&[v]);
            assert_eq!(next_start(&h, &base(), 0, 1), Some(6), "{v}");
        }
    }

    #[test]
    fn a_comma_outside_quotes_ends_the_params() {
        // A field line that is not a link, joined on after a comma, does not lend its
        // `rel="next"` to the link before it.
        let joined = headers(&["</v1/x?start=2>; rel=\"e\", ; rel=\"next\""]);
        assert_eq!(next_link(&joined, &base()), None);
        // A trailing comma (an empty list element) does not hide `rel=next`.
        let trailing = headers(&["</v1/x?start=6>; rel=\"next\","]);
        assert_eq!(next_start(&trailing, &base(), 0, 1), Some(6));
        // A quoted comma is part of its value.
        let quoted = headers(&["</v1/x?start=6>; title=\"a, b\"; rel=next, </v1/y>; rel=prev"]);
        assert_eq!(next_start(&quoted, &base(), 0, 1), Some(6));
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
        assert_eq!(next_start(&h, &base(), 0, 1), Some(6));
    }

    #[test]
    fn link_without_next_ends_and_no_link_falls_back_to_offsets() {
        let h = headers(&["</v1/x?start=0>; rel=\"first\""]);
        assert_eq!(next_start(&h, &base(), 0, 10), None);
        // A next link without `start`: after the entries received.
        let h = headers(&["</v1/x?max=10>; rel=\"next\""]);
        assert_eq!(next_start(&h, &base(), 20, 7), Some(27));
        // No `Link` at all: a short page is not the end, an empty one is.
        let none = HeaderMap::new();
        assert_eq!(next_start(&none, &base(), 20, 10), Some(30));
        assert_eq!(next_start(&none, &base(), 20, 7), Some(27));
        assert_eq!(next_start(&none, &base(), 20, 0), None);
        assert_eq!(next_start(&none, &base(), u32::MAX, 1), None);
    }
}

#[cfg(test)]
mod listing_tests {
    use std::time::Duration;

    use super::*;
    use serde_json::json;
    use telnums_core::ErrorKind;
    use wiremock::matchers::{path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const LIST: &str = "/v1/telephony/config/numbers";

    fn client(base: &str) -> WebexClient {
        WebexClient::builder()
            .base_url(base)
            .bearer_token("t")
            .build()
            .expect("client")
    }

    fn page(numbers: &[&str]) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({
            "phoneNumbers": numbers.iter().map(|n| json!({ "phoneNumber": n })).collect::<Vec<_>>(),
            "count": { "total": 3 }
        }))
    }

    async fn list(server: &MockServer) -> Result<Vec<String>, Error> {
        let mut pages = client(&server.uri()).list_numbers().concurrency(2).pages();
        let mut got = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page?;
            assert_eq!(page.provider, "webex-calling");
            assert_eq!(page.reported_total, Some(3));
            got.extend(page.items.into_iter().filter_map(|n| n.phone_number));
        }
        Ok(got)
    }

    #[test]
    fn offsets_start_at_zero_and_are_guessed_from_the_step() {
        let paging = Numbers::new(client("http://127.0.0.1:9"));
        assert_eq!(<Numbers as Paging>::FILTERS.provider, "webex-calling");
        assert_eq!(paging.first(), 0.into());
        let at = |start, linked| Start { start, linked };
        assert_eq!(
            paging.after(&at(0, false), &at(9, false)),
            Some(at(18, false))
        );
        assert_eq!(paging.after(&at(0, true), &at(9, true)), Some(at(18, true)));
        assert_eq!(paging.after(&at(9, false), &at(9, false)), None);
        assert_eq!(paging.after(&at(0, false), &at(u32::MAX, false)), None);
    }

    /// Once the server sends `Link` headers, the next page is at the link's `start`,
    /// and a page without a link is the last: nothing past it is asked for (the mock
    /// answers 404 to anything else).
    #[tokio::test]
    async fn with_links_the_link_decides_and_no_link_is_the_end() {
        let server = MockServer::start().await;
        let link = format!("<{}{LIST}?start=2&max=2000>; rel=\"next\"", server.uri());
        Mock::given(path(LIST))
            .and(query_param("start", "0"))
            .respond_with(
                page(&["+1205550001", "+1205550002"]).insert_header("Link", link.as_str()),
            )
            .mount(&server)
            .await;
        Mock::given(path(LIST))
            .and(query_param("start", "2"))
            .respond_with(page(&["+1205550003"]))
            .mount(&server)
            .await;
        let got = list(&server).await.expect("listing");
        assert_eq!(got, ["+1205550001", "+1205550002", "+1205550003"]);
    }

    /// Without `Link` headers, pages by offset until an empty page.
    #[tokio::test]
    async fn without_links_offsets_until_an_empty_page() {
        let server = MockServer::start().await;
        for (start, numbers) in [
            ("0", &["+1205550001", "+1205550002"][..]),
            ("2", &["+1205550003"]),
            ("3", &[]),
        ] {
            Mock::given(path(LIST))
                .and(query_param("start", start))
                .respond_with(page(numbers))
                .mount(&server)
                .await;
        }
        let got = list(&server).await.expect("listing");
        assert_eq!(got, ["+1205550001", "+1205550002", "+1205550003"]);
    }

    /// A server that answers every offset with the same page: the loop guard stops it.
    #[tokio::test]
    async fn a_server_that_ignores_the_offset_is_a_loop_error() {
        let server = MockServer::start().await;
        Mock::given(path(LIST))
            .respond_with(page(&["+1205550001", "+1205550002"]))
            .mount(&server)
            .await;
        let err = tokio::time::timeout(Duration::from_secs(10), list(&server))
            .await
            .expect("the guard ends the listing")
            .expect_err("a loop error");
        assert!(
            matches!(err.kind(), ErrorKind::PaginationLoop { .. }),
            "{err}"
        );
    }

    /// A backslash escapes the next character inside a quoted value only.
    #[test]
    fn escapes_count_inside_quotes_only() {
        assert_eq!(
            split_links(r#"<a>; title="x\", y"; rel=next, <b>; rel=prev"#),
            vec![("a", r#"; title="x\", y"; rel=next"#), ("b", "; rel=prev")]
        );
        assert_eq!(
            split_links(r"<a>; x=a\, <b>; rel=next"),
            vec![("a", r"; x=a\"), ("b", "; rel=next")]
        );
    }
}
