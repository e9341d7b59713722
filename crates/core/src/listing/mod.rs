//! The one listing engine: every provider's paginated listing is a [`Listing`] over a
//! small provider part, its [`Paging`] implementation.
//!
//! The engine owns what every listing has: the page size, the typed query and the
//! [`Filters`], the caps ([`Limits`]), how many requests may be in flight, the loop
//! guards, the reported total and the streams ([`Listing::pages`], [`Listing::items`]).
//! A provider contributes only how to fetch the page at a position and how to read the
//! position of the next page from the response (its *continuation*: a `Link` header, a
//! page count, a token, a cursor, or the page length where that is all there is).
//!
//! With more than one request in flight the engine guesses the positions that follow
//! from the step between the last two ([`Paging::after`]) and fetches them ahead, but a
//! page is only accepted at the position the previous page's continuation names. When a
//! guess turns out wrong (a short page, a next link pointing elsewhere), the requests
//! past that point are dropped and the listing goes on from where the server says. So
//! concurrency changes how fast a listing runs, never what it returns.

mod engine;
pub use engine::MAX_EMPTY_PAGES;
#[cfg(test)]
mod tests;

use std::fmt::Debug;
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{BoxStream, Stream, StreamExt, TryStreamExt};

use crate::error::Error;
use crate::filter::{FilterError, FilterTable, Filters};
use crate::response::Response;

/// Optional caps on a listing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Stop after this many items.
    pub max_items: Option<u64>,
    /// Stop after this many pages.
    pub max_pages: Option<u64>,
}

/// The page sizes a provider accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageSizes {
    /// What is asked for when the caller sets nothing; `None` sends no size and takes the
    /// server's default.
    pub default: Option<u32>,
    /// The largest size the provider documents; larger requests are lowered to it.
    pub max: Option<u32>,
}

impl PageSizes {
    /// Up to `max`, and `max` unless the caller asks for less: for providers whose
    /// largest page is also the cheapest way to list everything.
    pub const fn up_to(max: u32) -> Self {
        Self {
            default: Some(max),
            max: Some(max),
        }
    }

    /// `size` within 1 and [`max`](Self::max).
    pub fn clamp(&self, size: u32) -> u32 {
        let size = size.max(1);
        self.max.map_or(size, |max| size.min(max))
    }
}

/// The typed query parameters of a provider's listing (generated from its spec as
/// `ListQuery`, beside the filter table).
pub trait QueryParams: Clone + Debug + Default + Send + Sync + 'static {
    /// True when a parameter that narrows the set of entries is set (not one that only
    /// says whose entries they are, such as an organisation id).
    fn is_filtered(&self) -> bool;
}

impl QueryParams for () {
    fn is_filtered(&self) -> bool {
        false
    }
}

/// What one page request carries besides its position.
#[derive(Debug)]
#[non_exhaustive]
pub struct PageRequest<'a, Q> {
    /// Entries asked for (`None`: the server's default).
    pub size: Option<u32>,
    /// The typed query parameters.
    pub query: &'a Q,
    /// The filters checked against the provider's table.
    pub filters: &'a Filters,
}

/// What the engine needs to know of one fetched page.
#[derive(Debug)]
pub struct Fetched<K, T> {
    /// The page's entries, in server order.
    pub items: Vec<T>,
    /// Where the next page is, by the provider's continuation; `None` at the end.
    pub next: Option<K>,
    /// How many entries the provider says the whole listing has, when it says.
    pub reported_total: Option<u64>,
    /// How many pages the server says exist from [`next`](Self::next) on (Vonage's
    /// `meta.pageCount` minus the pages served): nothing past them is requested ahead.
    pub pages_left: Option<u64>,
}

impl<K, T> Fetched<K, T> {
    /// A page with `items` whose continuation is `next`, and nothing else known.
    pub fn new(items: Vec<T>, next: Option<K>) -> Self {
        Self {
            items,
            next,
            reported_total: None,
            pages_left: None,
        }
    }
    /// Sets the total the provider reported.
    pub fn reported_total(mut self, total: Option<u64>) -> Self {
        self.reported_total = total;
        self
    }
    /// Sets how many pages exist from the next one on.
    pub fn pages_left(mut self, pages: Option<u64>) -> Self {
        self.pages_left = pages;
        self
    }
}

/// A provider's part of a listing: how to fetch the page at a position and read where
/// the next one is. Implemented by each provider crate for its listing (a client plus
/// whatever the path needs, such as an account id).
pub trait Paging: Clone + Send + Sync + 'static {
    /// One entry of a page.
    type Item: Send + 'static;
    /// The decoded response body of one page.
    type Body: Send + 'static;
    /// Where a page is: a page number, an offset, a token, a cursor. Positions name pages
    /// for the loop guard, so a position must not come back once fetched.
    type Position: Clone + Eq + Hash + Debug + Send + Sync + 'static;
    /// The typed query parameters (`()` when the operation has none).
    type Query: QueryParams;

    /// The provider's filter table, generated from its spec; its `provider` is the key
    /// every page and error of the listing names.
    const FILTERS: &'static FilterTable;
    /// The page sizes the provider accepts.
    const PAGE_SIZES: PageSizes;
    /// The position of the first page.
    fn first(&self) -> Self::Position;
    /// Fetches the page at `at`.
    fn fetch(
        &self,
        at: &Self::Position,
        request: &PageRequest<'_, Self::Query>,
    ) -> impl Future<Output = Result<Response<Self::Body>, Error>> + Send;
    /// Reads a fetched page: its entries and the provider's continuation. `asked` is the
    /// page size the request carried, if any.
    fn read(
        &self,
        at: &Self::Position,
        asked: Option<u32>,
        page: Response<Self::Body>,
    ) -> Fetched<Self::Position, Self::Item>;
    /// A guess at the position after `at`, from the step between `before` and `at`,
    /// for fetching ahead; `None` (the default) where positions cannot be guessed
    /// (tokens, cursors), which keeps the listing to one request at a time.
    fn after(&self, before: &Self::Position, at: &Self::Position) -> Option<Self::Position> {
        let _ = (before, at);
        None
    }
    /// What identifies a page's entries (say, its first and last ids), for catching a
    /// server that ignores the position and keeps sending the same page; `None` (the
    /// default) where positions alone guard against that.
    fn identify(&self, items: &[Self::Item]) -> Option<String> {
        let _ = items;
        None
    }
}

/// A listing of a provider's entries: configure it, then stream its [`pages`] or
/// [`items`], or fetch one [`page`].
///
/// [`pages`]: Listing::pages
/// [`items`]: Listing::items
/// [`page`]: Listing::page
#[derive(Clone)]
#[must_use = "a listing does nothing until you call `page`, `pages` or `items`"]
pub struct Listing<P: Paging> {
    paging: P,
    query: P::Query,
    filters: Filters,
    page_size: Option<u32>,
    limits: Limits,
    concurrency: usize,
}

impl<P: Paging + Debug> Debug for Listing<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listing")
            .field("paging", &self.paging)
            .field("query", &self.query)
            .field("filters", &self.filters)
            .field("page_size", &self.page_size)
            .field("limits", &self.limits)
            .field("concurrency", &self.concurrency)
            .finish()
    }
}

impl<P: Paging> Listing<P> {
    /// A listing over `paging` with the provider's default page size, no query, no
    /// filters, no caps and one request at a time.
    pub fn new(paging: P) -> Self {
        let page_size = P::PAGE_SIZES.default;
        let filters = Filters::new(P::FILTERS);
        Self {
            paging,
            query: P::Query::default(),
            filters,
            page_size,
            limits: Limits::default(),
            concurrency: 1,
        }
    }

    /// Sets typed query parameters: `f` gets the query set so far and returns the new
    /// one. The parameters apply to every page.
    pub fn query(mut self, f: impl FnOnce(P::Query) -> P::Query) -> Self {
        self.query = f(std::mem::take(&mut self.query));
        self
    }

    /// Sets filters checked against the provider's filter table, replacing any set
    /// before. Where they name a parameter the typed [`query`](Self::query) also sets,
    /// the filter wins.
    pub fn filters(mut self, filters: Filters) -> Self {
        self.filters = filters;
        self
    }

    /// Adds one filter by its spec name or flag (`ownerType` or `owner-type`), checked now
    /// against the provider's filter table: a typo or a value the spec does not allow is
    /// an error naming what is allowed, and nothing is sent.
    pub fn filter(mut self, name: &str, value: &str) -> Result<Self, FilterError> {
        self.filters.set(name, value)?;
        Ok(self)
    }

    /// Entries per page, lowered to the provider's documented maximum (0 is taken as 1).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(P::PAGE_SIZES.clamp(size));
        self
    }

    /// Stop after `n` entries; no page past the one that reaches `n` is requested.
    pub fn max_items(mut self, n: u64) -> Self {
        self.limits.max_items = Some(n);
        self
    }

    /// Stop after `n` pages.
    pub fn max_pages(mut self, n: u64) -> Self {
        self.limits.max_pages = Some(n);
        self
    }

    /// Sets both caps at once.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Up to `n` requests in flight at once (default 1, at least 1), for providers whose
    /// positions can be guessed (page numbers and offsets). Order and completeness do not
    /// depend on it: pages fetched ahead are used only where the server's continuation
    /// leads to them, so a few requests may be wasted but no entry is skipped or
    /// repeated.
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// The provider part.
    pub fn paging(&self) -> &P {
        &self.paging
    }

    /// The typed query set so far.
    pub fn query_params(&self) -> &P::Query {
        &self.query
    }

    /// The filters set so far.
    pub fn filter_values(&self) -> &Filters {
        &self.filters
    }

    /// The page size that will be asked for (`None`: the server's default).
    pub fn requested_page_size(&self) -> Option<u32> {
        self.page_size
    }

    /// The caps.
    pub fn caps(&self) -> Limits {
        self.limits
    }

    /// True when a filter or a narrowing query parameter is set, so the provider's
    /// reported total may count other entries than this listing's.
    pub fn is_filtered(&self) -> bool {
        !self.filters.is_empty() || self.query.is_filtered()
    }

    /// Fetches the page at `at` alone (an offset, a page number, a token: the provider's
    /// [`Paging::Position`]), with its headers.
    pub async fn page(&self, at: P::Position) -> Result<Response<P::Body>, Error> {
        let request = PageRequest {
            size: self.page_size,
            query: &self.query,
            filters: &self.filters,
        };
        self.paging.fetch(&at, &request).await
    }

    /// Fetches the first page alone, with its headers.
    pub async fn first_page(&self) -> Result<Response<P::Body>, Error> {
        self.page(self.paging.first()).await
    }

    /// Streams the listing page by page, in order. The stream ends after the last page
    /// (by the provider's continuation), at a cap, or after the first error; see
    /// [`Page`] for what each page says about the whole listing.
    pub fn pages(self) -> Pages<P::Item> {
        Pages {
            inner: engine::pages(self).boxed(),
        }
    }

    /// Streams every entry, in order, across all pages.
    pub fn items(self) -> Items<P::Item> {
        Items {
            inner: self
                .pages()
                .map_ok(|page| futures::stream::iter(page.items.into_iter().map(Ok)))
                .try_flatten()
                .boxed(),
        }
    }
}

/// How a listing ended, on its last page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum End {
    /// The provider's continuation said there is nothing more.
    Complete,
    /// A cap ([`Limits`]) stopped the listing.
    Capped,
}

/// One page of a listing, with what the listing knows so far about the whole.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The provider key.
    pub provider: &'static str,
    /// The page's entries, in server order. Only the last page may be empty.
    pub items: Vec<T>,
    /// The total the provider reported most recently, when it reports one.
    pub reported_total: Option<u64>,
    /// Entries received so far, this page's included.
    pub received: u64,
    /// On the listing's last page, how it ended.
    pub end: Option<End>,
    /// Whether the listing was filtered (so a reported total may count other entries).
    pub filtered: bool,
}

impl<T> Page<T> {
    /// A page of `provider`'s `items` that is all there is: complete, unfiltered, no
    /// total reported.
    pub fn single(provider: &'static str, items: Vec<T>) -> Self {
        Self {
            provider,
            received: items.len() as u64,
            items,
            reported_total: None,
            end: Some(End::Complete),
            filtered: false,
        }
    }

    /// True on the listing's last page.
    pub fn is_last(&self) -> bool {
        self.end.is_some()
    }

    /// On the last page of a complete, unfiltered listing: the provider's reported total
    /// and the number of entries received, when they differ. Totals can move while a
    /// listing runs (numbers added or released), so this is a reason to look, not proof
    /// of a fault.
    pub fn total_mismatch(&self) -> Option<TotalMismatch> {
        let reported = self.reported_total?;
        let checked = self.end == Some(End::Complete) && !self.filtered;
        (checked && reported != self.received).then_some(TotalMismatch {
            reported,
            received: self.received,
        })
    }

    /// The same page with its entries transformed.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            provider: self.provider,
            items: self.items.into_iter().map(f).collect(),
            reported_total: self.reported_total,
            received: self.received,
            end: self.end,
            filtered: self.filtered,
        }
    }
}

/// A listing's received count against the total its provider reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TotalMismatch {
    /// The provider's reported total.
    pub reported: u64,
    /// Entries the listing received.
    pub received: u64,
}

impl std::fmt::Display for TotalMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the provider reported {} entries, {} were received",
            self.reported, self.received
        )
    }
}

/// The pages of a listing: a [`Stream`] that needs no pinning, so `while let Some(page)
/// = pages.next().await` works as is.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T> {
    inner: BoxStream<'static, Result<Page<T>, Error>>,
}

impl<T> Pages<T> {
    /// The next page, or `None` after the last.
    pub async fn next(&mut self) -> Option<Result<Page<T>, Error>> {
        self.inner.next().await
    }
}

impl<T> Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<T> Stream for Pages<T> {
    type Item = Result<Page<T>, Error>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

/// The entries of a listing, across pages: a [`Stream`] that needs no pinning.
#[must_use = "streams do nothing unless polled"]
pub struct Items<T> {
    inner: BoxStream<'static, Result<T, Error>>,
}

impl<T> Items<T> {
    /// The next entry, or `None` after the last.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        self.inner.next().await
    }
}

impl<T> Debug for Items<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}
