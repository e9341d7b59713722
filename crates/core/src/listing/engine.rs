//! The state machine behind [`Listing::pages`]: which positions to request, which page
//! to accept next, and when the listing ends.
//!
//! The pages of a listing form a chain: each accepted page names the position of the
//! next one. The engine keeps a plan, the positions it expects next in order (the first
//! is always the one the last accepted page named), with a request in flight for each.
//! Positions beyond the first are guesses ([`Paging::after`]); when the page at the
//! head of the plan names a position other than the plan's second, every request past
//! the head is dropped and the plan starts again from the named position. Pages are
//! accepted only at the head, so the result is the chain the server describes, whatever
//! the number of requests in flight. After a page shorter than the one before, only
//! its continuation is requested until it answers (a short page is most often the
//! last).

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use futures::future::BoxFuture;
use futures::stream::{FuturesOrdered, Stream, StreamExt};

use super::{End, Fetched, Listing, Page, PageRequest, Paging};
use crate::error::{Error, ErrorKind};
use crate::filter::Filters;
use crate::response::Response;

/// How many pages in a row may be empty while still naming a next page before the
/// listing gives up: a server that keeps minting fresh cursors for nothing would
/// otherwise be followed forever.
pub const MAX_EMPTY_PAGES: u32 = 8;

/// What every request of one listing shares.
struct Shared<P: Paging> {
    paging: P,
    query: P::Query,
    filters: Filters,
    size: Option<u32>,
}

type InFlight<P> = BoxFuture<
    'static,
    (
        <P as Paging>::Position,
        Result<Response<<P as Paging>::Body>, Error>,
    ),
>;

struct Engine<P: Paging> {
    shared: Arc<Shared<P>>,
    max_items: u64,
    max_pages: u64,
    concurrency: usize,
    /// Requests allowed in flight now: 1 until the first page is accepted.
    window: usize,
    /// The planned positions, in order, each with its request in `in_flight`.
    plan: VecDeque<P::Position>,
    in_flight: FuturesOrdered<InFlight<P>>,
    /// The last two positions of the chain (accepted pages, then the plan): guesses
    /// continue from the step between them.
    tail: (Option<P::Position>, Option<P::Position>),
    /// The position the next accepted page must have; `None` once the chain ended.
    expected: Option<P::Position>,
    /// Every position named so far, for the loop guard.
    seen: HashSet<P::Position>,
    /// The identity of the last non-empty page.
    last_identity: Option<String>,
    /// Pages in a row that held nothing but named a next page.
    empty_run: u32,
    /// Entries on the last non-empty page: how many entries one more page is worth.
    last_len: u64,
    pages: u64,
    received: u64,
    reported_total: Option<u64>,
    /// Pages the server says exist from `expected` on.
    pages_left: Option<u64>,
    filtered: bool,
    /// An error found while accepting a page, yielded after it.
    failure: Option<Error>,
    done: bool,
}

/// The page stream of `listing`.
pub(super) fn pages<P: Paging>(
    listing: Listing<P>,
) -> impl Stream<Item = Result<Page<P::Item>, Error>> + Send + 'static {
    let filtered = listing.is_filtered();
    let first = listing.paging.first();
    let Listing {
        paging,
        query,
        filters,
        page_size,
        limits,
        concurrency,
    } = listing;
    let mut seen = HashSet::new();
    seen.insert(first.clone());
    let engine = Engine {
        shared: Arc::new(Shared {
            paging,
            query,
            filters,
            size: page_size,
        }),
        max_items: limits.max_items.unwrap_or(u64::MAX),
        max_pages: limits.max_pages.unwrap_or(u64::MAX),
        concurrency: concurrency.max(1),
        window: 1,
        plan: VecDeque::new(),
        in_flight: FuturesOrdered::new(),
        tail: (None, None),
        expected: Some(first),
        seen,
        last_identity: None,
        empty_run: 0,
        last_len: 0,
        pages: 0,
        received: 0,
        reported_total: None,
        pages_left: None,
        filtered,
        failure: None,
        done: false,
    };
    futures::stream::unfold(engine, |mut engine| async move {
        let page = engine.next_page().await?;
        Some((page, engine))
    })
}

impl<P: Paging> Engine<P> {
    fn provider(&self) -> &'static str {
        P::FILTERS.provider
    }

    async fn next_page(&mut self) -> Option<Result<Page<P::Item>, Error>> {
        loop {
            if let Some(e) = self.failure.take() {
                self.finish();
                return Some(Err(e));
            }
            if self.done {
                return None;
            }
            if self.pages >= self.max_pages || self.received >= self.max_items {
                // Reached with the previous page, which was already marked last; only a
                // cap of 0 gets here before any page.
                self.finish();
                return None;
            }
            self.top_up();
            let Some((at, result)) = self.in_flight.next().await else {
                // Nothing planned: the chain ended (cannot happen while `expected` is
                // set, since `top_up` then plans at least it).
                self.finish();
                return None;
            };
            self.plan.pop_front();
            let response = match result {
                Ok(response) => response,
                Err(e) => {
                    self.finish();
                    return Some(Err(e));
                }
            };
            let fetched = self.shared.paging.read(&at, self.shared.size, response);
            if let Some(page) = self.accept(at, fetched) {
                return Some(Ok(page));
            }
        }
    }

    /// Requests the planned positions until `window` are in flight, within the caps,
    /// the pages the server says exist, and the entries still wanted.
    fn top_up(&mut self) {
        let Some(expected) = self.expected.clone() else {
            return;
        };
        if self.plan.is_empty() {
            self.request(expected.clone());
            self.tail = (self.tail.1.take(), Some(expected));
        }
        while self.plan.len() < self.window && self.may_plan_more() {
            let (Some(before), Some(at)) = (&self.tail.0, &self.tail.1) else {
                return;
            };
            let Some(next) = self.shared.paging.after(before, at) else {
                return;
            };
            if self.seen.contains(&next) || self.plan.contains(&next) {
                return;
            }
            self.request(next.clone());
            self.tail = (self.tail.1.take(), Some(next));
        }
    }

    /// Whether one more page ahead may be planned.
    fn may_plan_more(&self) -> bool {
        let planned = self.plan.len() as u64;
        if self.pages_left.is_some_and(|left| planned >= left) {
            return false;
        }
        if self.pages.saturating_add(planned) >= self.max_pages {
            return false;
        }
        // Entries the planned pages will probably bring, against those still wanted.
        let wanted = self.max_items.saturating_sub(self.received);
        self.last_len == 0 || planned.saturating_mul(self.last_len) < wanted
    }

    fn request(&mut self, at: P::Position) {
        let shared = self.shared.clone();
        let position = at.clone();
        self.in_flight.push_back(Box::pin(async move {
            let request = PageRequest {
                size: shared.size,
                query: &shared.query,
                filters: &shared.filters,
            };
            let result = shared.paging.fetch(&position, &request).await;
            (position, result)
        }));
        self.plan.push_back(at);
    }

    /// Takes the page fetched at `at` (the head of the plan) into the listing: updates
    /// the counts and guards, reconciles the plan with the page's continuation, and
    /// returns the page to yield (`None` for an empty page in the middle).
    fn accept(
        &mut self,
        at: P::Position,
        fetched: Fetched<P::Position, P::Item>,
    ) -> Option<Page<P::Item>> {
        let Fetched {
            mut items,
            next,
            reported_total,
            pages_left,
        } = fetched;
        self.pages += 1;
        // A page shorter than the one before is most often the last: until its
        // continuation answers, only that is requested, so a listing that ends there
        // costs one request past the end instead of a window of guesses. A server whose
        // pages keep one length (one that caps the page size too) keeps the full window.
        let shrunk = !items.is_empty() && (items.len() as u64) < self.last_len;
        self.window = if shrunk { 1 } else { self.concurrency };
        if reported_total.is_some() {
            self.reported_total = reported_total;
        }
        if !items.is_empty() {
            if let Some(identity) = self.shared.paging.identify(&items) {
                if self.last_identity.as_ref() == Some(&identity) {
                    self.failure = Some(
                        Error::new(
                            self.provider(),
                            ErrorKind::PaginationLoop {
                                cursor: format!("{at:?}"),
                            },
                        )
                        .with_message(
                            "the server returned the same page twice; it may be ignoring the \
                             page position",
                        ),
                    );
                    return None;
                }
                self.last_identity = Some(identity);
            }
        }
        let left = self.max_items.saturating_sub(self.received);
        let cut = items.len() as u64 > left;
        if cut {
            items.truncate(usize::try_from(left).unwrap_or(usize::MAX));
        }
        self.received += items.len() as u64;
        if !items.is_empty() {
            self.last_len = items.len() as u64;
        }
        let capped = self.pages >= self.max_pages || self.received >= self.max_items;
        let end = match next {
            // Entries left out by the item cap make even the server's last page capped.
            None if cut => Some(End::Capped),
            None => Some(End::Complete),
            Some(_) if capped => Some(End::Capped),
            Some(next) => {
                self.empty_run = if items.is_empty() {
                    self.empty_run + 1
                } else {
                    0
                };
                if self.empty_run >= MAX_EMPTY_PAGES {
                    self.failure = Some(
                        Error::new(
                            self.provider(),
                            ErrorKind::PaginationLoop {
                                cursor: format!("{next:?}"),
                            },
                        )
                        .with_message(format!(
                            "{MAX_EMPTY_PAGES} pages in a row held no entries but named a next \
                             page"
                        )),
                    );
                } else if !self.seen.insert(next.clone()) {
                    self.failure = Some(Error::new(
                        self.provider(),
                        ErrorKind::PaginationLoop {
                            cursor: format!("{next:?}"),
                        },
                    ));
                } else {
                    self.follow(at, next, pages_left);
                }
                None
            }
        };
        if end.is_some() {
            self.finish();
        }
        if items.is_empty() && end.is_none() {
            return None;
        }
        Some(Page {
            provider: self.provider(),
            items,
            reported_total: self.reported_total,
            received: self.received,
            end,
            filtered: self.filtered,
        })
    }

    /// Continues the chain from the page at `at` to `next`: keeps the requests in flight
    /// when the plan already leads there, else drops them and plans from `next`.
    fn follow(&mut self, at: P::Position, next: P::Position, pages_left: Option<u64>) {
        self.pages_left = pages_left;
        if self.plan.front() != Some(&next) {
            // Dropping the futures cancels their requests.
            self.in_flight = FuturesOrdered::new();
            self.plan.clear();
            // `top_up` plans `next` first, after `at`.
            self.tail = (None, Some(at));
        }
        self.expected = Some(next);
    }

    fn finish(&mut self) {
        self.done = true;
        self.expected = None;
        self.plan.clear();
        self.in_flight = FuturesOrdered::new();
    }
}
