//! `page`/`limit` pagination over `GET /useradmin/callbackNumbers`.

use futures::stream::{BoxStream, Stream, StreamExt};
use telnums_core::paginate::{self, OffsetPage, Page};
use telnums_core::{Error, Limits, Provider, Response};

use crate::{types, VonageCcClient};

/// Largest `limit` the API accepts; the default page size.
pub const MAX_PAGE_SIZE: u32 = 5000;

/// A listing of callback numbers: fetch one page, or stream every item.
#[derive(Clone, Debug)]
#[must_use = "a listing does nothing until you call `page`, `pages` or `items`"]
pub struct ListCallbackNumbers {
    client: VonageCcClient,
    page_size: u32,
    limits: Limits,
    concurrency: usize,
}

impl ListCallbackNumbers {
    pub(crate) fn new(client: VonageCcClient) -> Self {
        Self {
            client,
            page_size: MAX_PAGE_SIZE,
            limits: Limits::default(),
            concurrency: 1,
        }
    }

    /// Items per page, 1 to 5000 (default 5000); other values are clamped to that range.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.clamp(1, MAX_PAGE_SIZE);
        self
    }
    /// Requests up to `n` pages at once (default 1), keeping item order. Pages are
    /// fetched ahead by number, so up to `n - 1` requests may go past the last page.
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }
    /// Stop after `n` items.
    pub fn max_items(mut self, n: u64) -> Self {
        self.limits.max_items = Some(n);
        self
    }
    /// Stop after `n` pages.
    pub fn max_pages(mut self, n: u64) -> Self {
        self.limits.max_pages = Some(n);
        self
    }

    /// Fetches page `page` (one-based), with its headers.
    pub async fn page(&self, page: u32) -> Result<Response<types::CallbackNumberList>, Error> {
        let builder = self
            .client
            .raw()
            .list_callback_numbers()
            .limit(self.page_size)
            .page(page);
        self.client
            .runtime()
            .send("list_callback_numbers", || builder.clone().send())
            .await
    }

    /// Streams the pages' items, page by page, until `meta.pageCount` is reached.
    pub fn pages(self) -> BoxStream<'static, Result<Vec<types::CallbackNumber>, Error>> {
        let limits = self.limits;
        if self.concurrency > 1 {
            let fingerprint: fn(&[types::CallbackNumber]) -> String = |items| {
                let id = |n: Option<&types::CallbackNumber>| {
                    n.and_then(|n| n.callback_number_id.clone())
                        .unwrap_or_default()
                };
                format!("{}..{}", id(items.first()), id(items.last()))
            };
            return paginate::offset_pages(
                VonageCcClient::INFO.key,
                self.concurrency,
                limits,
                fingerprint,
                move |i| {
                    let this = self.clone();
                    async move {
                        let page = u32::try_from(i + 1).unwrap_or(u32::MAX);
                        let response = this.page(page).await?.into_inner();
                        let (more, page_count) = offset_more(
                            page,
                            &response.meta,
                            response.callback_numbers.len(),
                            this.page_size,
                        );
                        Ok(OffsetPage {
                            items: response.callback_numbers,
                            more,
                            page_count,
                        })
                    }
                },
            )
            .boxed();
        }
        paginate::pages(VonageCcClient::INFO.key, 1u32, limits, move |page| {
            let this = self.clone();
            async move {
                let response = this.page(page).await?.into_inner();
                let next = next_page(
                    page,
                    &response.meta,
                    response.callback_numbers.len(),
                    this.page_size,
                );
                Ok(Page {
                    items: response.callback_numbers,
                    next,
                })
            }
        })
        .boxed()
    }

    /// Streams every callback number across all pages.
    pub fn items(self) -> impl Stream<Item = Result<types::CallbackNumber, Error>> + Send {
        let limits = self.limits;
        paginate::items(self.pages(), limits)
    }
}

/// The page to request after page `requested` came back with `meta` and `count` items
/// (pages of `page_size`), or `None` after the last; always a page after the one
/// served. Continues from the page the server
/// says it served: a server that keeps serving the same page then repeats a cursor and
/// the loop guard stops it.
#[doc(hidden)]
pub fn next_page(
    requested: u32,
    meta: &types::PageMeta,
    count: usize,
    page_size: u32,
) -> Option<u32> {
    let count = count as u64;
    let served = meta
        .page
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or(requested);
    let more = match meta.page_count {
        Some(page_count) => i64::from(served) < i64::from(page_count),
        None => count >= u64::from(page_size),
    };
    // At the last page number there is no next one: a saturating add would ask for the
    // same page again (found by the `cursors` fuzz target).
    if more && count > 0 {
        served.checked_add(1)
    } else {
        None
    }
}

/// For pages fetched ahead by number: whether a page after `page` exists, and the page
/// count the server gave (negative taken as 0).
#[doc(hidden)]
pub fn offset_more(
    page: u32,
    meta: &types::PageMeta,
    count: usize,
    page_size: u32,
) -> (bool, Option<u64>) {
    let page_count = meta.page_count.map(|c| c.max(0) as u64);
    let more = match page_count {
        Some(pages) => u64::from(page) < pages,
        None => count >= page_size as usize,
    };
    (more, page_count)
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
        assert_eq!(next_page(1, &meta(Some(1), Some(3)), 10, 10), Some(2));
        assert_eq!(next_page(3, &meta(Some(3), Some(3)), 10, 10), None);
        assert_eq!(next_page(2, &meta(None, None), 10, 10), Some(3));
        assert_eq!(next_page(2, &meta(None, None), 9, 10), None);
        assert_eq!(next_page(2, &meta(None, Some(9)), 0, 10), None);
        // The server's page number wins over the one asked for.
        assert_eq!(next_page(2, &meta(Some(5), Some(9)), 10, 10), Some(6));
        // Found by the `cursors` fuzz target: at the last page number the next page
        // was the same page.
        assert_eq!(next_page(u32::MAX, &meta(None, None), 10, 10), None);
    }
}
