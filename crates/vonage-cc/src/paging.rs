//! The `page`/`meta.pageCount` rule of `GET /useradmin/callbackNumbers`: pages are
//! numbered in the server's own page size, the next one is the page after the one the
//! server says it served, and there is none past `meta.pageCount` or after an empty page
//! (a page shorter than asked is not the end: the server numbers pages in its own size).

use telnums_core::filter::FilterTable;
use telnums_core::listing::{Fetched, PageRequest, PageSizes, Paging};
use telnums_core::{Error, Listing, Response};

use crate::{filters, types, VonageCcClient};

/// Largest `limit` the API accepts; the default page size.
pub const MAX_PAGE_SIZE: u32 = 5000;

/// A listing of callback numbers (see [`Listing`]). With
/// [`concurrency`](Listing::concurrency) above 1, the pages after the first are
/// requested ahead by number, never past `meta.pageCount`.
pub type ListCallbackNumbers = Listing<CallbackNumbers>;

/// Vonage's part of [`ListCallbackNumbers`]: pages by one-based page number.
#[derive(Clone, Debug)]
pub struct CallbackNumbers {
    client: VonageCcClient,
}

impl CallbackNumbers {
    pub(crate) fn new(client: VonageCcClient) -> Self {
        Self { client }
    }
}

impl Paging for CallbackNumbers {
    type Item = types::CallbackNumber;
    type Body = types::CallbackNumberList;
    /// The one-based page number.
    type Position = u32;
    type Query = ();

    const FILTERS: &'static FilterTable = &filters::FILTERS;
    const PAGE_SIZES: PageSizes = PageSizes::up_to(MAX_PAGE_SIZE);

    fn first(&self) -> u32 {
        1
    }

    async fn fetch(
        &self,
        at: &u32,
        request: &PageRequest<'_, ()>,
    ) -> Result<Response<types::CallbackNumberList>, Error> {
        let mut builder = self.client.raw().list_callback_numbers().page(*at);
        if let Some(size) = request.size {
            builder = builder.limit(size);
        }
        self.client
            .runtime()
            .send("list_callback_numbers", || builder.clone().send())
            .await
    }

    fn read(
        &self,
        at: &u32,
        _asked: Option<u32>,
        page: Response<types::CallbackNumberList>,
    ) -> Fetched<u32, types::CallbackNumber> {
        let page = page.into_inner();
        let next = next_page(*at, &page.meta, page.callback_numbers.len());
        let total = page.meta.total_count.and_then(|n| u64::try_from(n).ok());
        let left = pages_left(next, &page.meta);
        Fetched::new(page.callback_numbers, next)
            .reported_total(total)
            .pages_left(left)
    }

    fn after(&self, _before: &u32, at: &u32) -> Option<u32> {
        at.checked_add(1)
    }

    fn identify(&self, items: &[types::CallbackNumber]) -> Option<String> {
        let id = |n: Option<&types::CallbackNumber>| {
            n.and_then(|n| n.callback_number_id.clone())
                .unwrap_or_default()
        };
        Some(format!("{}..{}", id(items.first()), id(items.last())))
    }
}

/// The page after page `requested`, which came back with `meta` and `count` entries, or
/// `None` after the last: the page after the one the server says it served
/// (`meta.page`, else the one asked for), while that is within `meta.pageCount` (when
/// the server gives one) and the page held entries.
#[doc(hidden)]
pub fn next_page(requested: u32, meta: &types::PageMeta, count: usize) -> Option<u32> {
    let served = meta
        .page
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or(requested);
    let within = meta
        .page_count
        .is_none_or(|page_count| i64::from(served) < i64::from(page_count));
    if within && count > 0 {
        served.checked_add(1)
    } else {
        None
    }
}

/// How many pages exist from `next` on by `meta.pageCount` (`None` when either is
/// unknown).
#[doc(hidden)]
pub fn pages_left(next: Option<u32>, meta: &types::PageMeta) -> Option<u64> {
    let next = i64::from(next?);
    let count = i64::from(meta.page_count?);
    Some(u64::try_from(count - next + 1).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(page: Option<i32>, page_count: Option<i32>) -> types::PageMeta {
        types::PageMeta {
            page,
            page_count,
            ..Default::default()
        }
    }

    #[test]
    fn next_page_moves_forward_or_ends() {
        assert_eq!(next_page(1, &meta(Some(1), Some(3)), 10), Some(2));
        assert_eq!(next_page(3, &meta(Some(3), Some(3)), 10), None);
        // Without a page count, a short page is not the end; an empty one is.
        assert_eq!(next_page(2, &meta(None, None), 10), Some(3));
        assert_eq!(next_page(2, &meta(None, None), 9), Some(3));
        assert_eq!(next_page(2, &meta(None, None), 0), None);
        // An empty page ends the listing even when the page count says more follow.
        assert_eq!(next_page(2, &meta(None, Some(9)), 0), None);
        // The server's page number wins over the one asked for.
        assert_eq!(next_page(2, &meta(Some(5), Some(9)), 10), Some(6));
        // At the last page number there is no next one.
        assert_eq!(next_page(u32::MAX, &meta(None, None), 10), None);
    }

    #[test]
    fn pages_left_counts_from_the_next_page() {
        assert_eq!(pages_left(Some(2), &meta(Some(1), Some(3))), Some(2));
        assert_eq!(pages_left(Some(3), &meta(Some(2), Some(3))), Some(1));
        assert_eq!(pages_left(Some(5), &meta(Some(4), Some(3))), Some(0));
        assert_eq!(pages_left(None, &meta(Some(3), Some(3))), None);
        assert_eq!(pages_left(Some(2), &meta(Some(1), None)), None);
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

    fn client(base: &str) -> VonageCcClient {
        VonageCcClient::builder()
            .base_url(base)
            .bearer_token("t")
            .build()
            .expect("client")
    }

    fn page(page: u32, ids: &[&str], page_count: Option<u32>) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({
            "meta": { "page": page, "count": ids.len(), "pageCount": page_count, "totalCount": 5 },
            "callbackNumbers": ids.iter().map(|id| json!({ "callbackNumberId": id })).collect::<Vec<_>>()
        }))
    }

    #[test]
    fn pages_are_numbered_from_one_and_guessed_one_ahead() {
        let paging = CallbackNumbers::new(client("http://127.0.0.1:9"));
        assert_eq!(<CallbackNumbers as Paging>::FILTERS.provider, "vonage-cc");
        assert_eq!(paging.first(), 1);
        assert_eq!(paging.after(&1, &2), Some(3));
        assert_eq!(paging.after(&4, &9), Some(10));
        assert_eq!(paging.after(&1, &u32::MAX), None);
    }

    /// Every page by number up to `meta.pageCount`, two in flight, each naming the
    /// provider and the reported total; any other request gets the mock's 404.
    #[tokio::test]
    async fn pages_are_read_by_number_to_the_page_count() {
        let server = MockServer::start().await;
        let ids = [["a", "b"], ["c", "d"], ["e", "f"]];
        for (i, ids) in ids.iter().enumerate() {
            let n = i as u32 + 1;
            Mock::given(path("/useradmin/callbackNumbers"))
                .and(query_param("page", n.to_string()))
                .respond_with(page(n, ids, Some(3)))
                .mount(&server)
                .await;
        }
        let mut pages = client(&server.uri())
            .list_callback_numbers()
            .concurrency(2)
            .pages();
        let mut got = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.expect("page");
            assert_eq!(page.provider, "vonage-cc");
            assert_eq!(page.reported_total, Some(5));
            got.extend(page.items.into_iter().filter_map(|n| n.callback_number_id));
        }
        assert_eq!(got, ["a", "b", "c", "d", "e", "f"]);
    }

    /// A server that answers every page number with the same page: the loop guard
    /// stops it (the pages' identity), within a few requests.
    #[tokio::test]
    async fn a_server_that_ignores_the_page_number_is_a_loop_error() {
        let server = MockServer::start().await;
        Mock::given(path("/useradmin/callbackNumbers"))
            .respond_with(page(1, &["a", "b"], None))
            .mount(&server)
            .await;
        let listing = client(&server.uri()).list_callback_numbers().items();
        let collected = tokio::time::timeout(Duration::from_secs(10), async move {
            let mut items = listing;
            let mut seen = 0;
            while let Some(item) = items.next().await {
                match item {
                    Ok(_) => seen += 1,
                    Err(e) => return (seen, Some(e)),
                }
            }
            (seen, None)
        })
        .await
        .expect("the guard ends the listing");
        let (seen, err) = collected;
        let err = err.expect("a loop error");
        assert!(
            matches!(err.kind(), ErrorKind::PaginationLoop { .. }),
            "{err}"
        );
        assert_eq!(err.provider(), "vonage-cc");
        assert_eq!(seen, 2, "the first page, then the error");
    }
}
