//! Pagination that ends: a page stream driven by a cursor (page number, offset, token or
//! URL), with a guard against servers that repeat a cursor and optional caps.

use std::collections::HashSet;
use std::fmt::Debug;
use std::future::Future;
use std::hash::Hash;

use futures::stream::{self, Stream, StreamExt, TryStreamExt};

use crate::error::{Error, ErrorKind};

/// Optional caps on a listing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Stop after this many items.
    pub max_items: Option<u64>,
    /// Stop after this many pages.
    pub max_pages: Option<u64>,
}

/// One fetched page: its items and the cursor of the next page (`None` at the end).
#[derive(Debug)]
pub struct Page<K, T> {
    /// Items on the page, in server order.
    pub items: Vec<T>,
    /// Cursor for the next page, or `None` when this was the last.
    pub next: Option<K>,
}

struct State<K, F> {
    next: Option<K>,
    seen: HashSet<K>,
    pages: u64,
    items: u64,
    empty_run: u32,
    fetch: F,
}

/// How many pages in a row may be empty while still naming a next page before
/// [`pages`] gives up: a server that keeps minting fresh cursors for nothing would
/// otherwise be followed forever.
pub const MAX_EMPTY_PAGES: u32 = 8;

/// Streams pages starting at `first`, calling `fetch(cursor)` for each.
///
/// The stream ends when a page has no next cursor, after `limits.max_pages` pages,
/// once `limits.max_items` items have been yielded (no further page is fetched), or
/// with an [`ErrorKind::PaginationLoop`] error when a cursor comes back that was already
/// fetched or when [`MAX_EMPTY_PAGES`] pages in a row hold no items yet name a next
/// page. The first error ends the stream.
pub fn pages<K, T, F, Fut>(
    provider: &'static str,
    first: K,
    limits: Limits,
    fetch: F,
) -> impl Stream<Item = Result<Vec<T>, Error>>
where
    K: Clone + Eq + Hash + Debug,
    F: FnMut(K) -> Fut,
    Fut: Future<Output = Result<Page<K, T>, Error>>,
{
    let state = State {
        next: Some(first),
        seen: HashSet::new(),
        pages: 0,
        items: 0,
        empty_run: 0,
        fetch,
    };
    stream::unfold(state, move |mut st| async move {
        let cursor = st.next.take()?;
        if limits.max_pages.is_some_and(|max| st.pages >= max)
            || limits.max_items.is_some_and(|max| st.items >= max)
        {
            return None;
        }
        if !st.seen.insert(cursor.clone()) {
            let err = Error::new(
                provider,
                ErrorKind::PaginationLoop {
                    cursor: format!("{cursor:?}"),
                },
            );
            return Some((Err(err), st));
        }
        st.pages += 1;
        match (st.fetch)(cursor).await {
            Ok(page) => {
                st.empty_run = match (page.items.is_empty(), &page.next) {
                    (true, Some(_)) => st.empty_run + 1,
                    _ => 0,
                };
                if st.empty_run >= MAX_EMPTY_PAGES {
                    let err = Error::new(
                        provider,
                        ErrorKind::PaginationLoop {
                            cursor: format!("{:?}", page.next),
                        },
                    )
                    .with_message(format!(
                        "{MAX_EMPTY_PAGES} pages in a row held no items but named a next page"
                    ));
                    return Some((Err(err), st));
                }
                st.next = page.next;
                st.items = st.items.saturating_add(page.items.len() as u64);
                Some((Ok(page.items), st))
            }
            Err(e) => Some((Err(e), st)),
        }
    })
}

/// One page of an offset-style listing, as [`offset_pages`]' `fetch` returns it.
#[derive(Debug)]
pub struct OffsetPage<T> {
    /// Items on the page, in server order.
    pub items: Vec<T>,
    /// Whether more pages follow.
    pub more: bool,
    /// How many pages the listing has, when the server says (e.g. Vonage's
    /// `meta.pageCount`): no page past it is requested.
    pub page_count: Option<u64>,
}

/// Streams offset-style pages (page `i` at offset `i × size`, or page number `i + 1`)
/// with up to `concurrency` requests in flight, in order.
///
/// The first page is requested alone, so a listing of one page costs one request; once
/// it says more pages follow, up to `concurrency` pages are requested ahead. A page
/// past the end may then be requested speculatively (at most `concurrency - 1`, none
/// past a known [`OffsetPage::page_count`]) and its result is dropped. The stream ends
/// after the last page, after `limits.max_pages` pages, once `limits.max_items` items
/// have been yielded (no further page is requested), or after the first error; a full
/// page identical to the previous one ends it with [`ErrorKind::PaginationLoop`].
pub fn offset_pages<T, F, Fut>(
    provider: &'static str,
    concurrency: usize,
    limits: Limits,
    fingerprint: fn(&[T]) -> String,
    fetch: F,
) -> impl Stream<Item = Result<Vec<T>, Error>>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<OffsetPage<T>, Error>>,
{
    let mut state = OffsetState {
        fetch,
        in_flight: futures::stream::FuturesOrdered::new(),
        next: 0,
        end: limits.max_pages.unwrap_or(u64::MAX),
        window: 1,
        concurrency: concurrency.max(1),
        yielded: 0,
        max_items: limits.max_items.unwrap_or(u64::MAX),
        finished: false,
        guard: RepeatGuard::new(),
        provider,
        fingerprint,
    };
    stream::poll_fn(move |cx| state.poll(cx))
}

struct OffsetState<T, F, Fut: Future> {
    fetch: F,
    in_flight: futures::stream::FuturesOrdered<Fut>,
    /// Index of the next page to request.
    next: u64,
    /// Pages at this index and beyond are never requested.
    end: u64,
    /// Requests allowed in flight now: 1 until the first page arrives.
    window: usize,
    concurrency: usize,
    yielded: u64,
    max_items: u64,
    finished: bool,
    guard: RepeatGuard,
    provider: &'static str,
    fingerprint: fn(&[T]) -> String,
}

impl<T, F, Fut> OffsetState<T, F, Fut>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<OffsetPage<T>, Error>>,
{
    fn poll(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Vec<T>, Error>>> {
        use std::task::Poll;
        if self.finished {
            return Poll::Ready(None);
        }
        while self.in_flight.len() < self.window
            && self.next < self.end
            && self.yielded < self.max_items
        {
            self.in_flight.push_back((self.fetch)(self.next));
            self.next += 1;
        }
        let page = match futures::ready!(self.in_flight.poll_next_unpin(cx)) {
            None => {
                self.finished = true;
                return Poll::Ready(None);
            }
            Some(Err(e)) => {
                self.finished = true;
                return Poll::Ready(Some(Err(e)));
            }
            Some(Ok(page)) => page,
        };
        self.window = self.concurrency;
        if let Some(count) = page.page_count {
            self.end = self.end.min(count);
        }
        if !page.items.is_empty() {
            let print = (self.fingerprint)(&page.items);
            if let Err(e) = self.guard.check(self.provider, "offset page", print) {
                self.finished = true;
                return Poll::Ready(Some(Err(e)));
            }
        }
        self.yielded = self.yielded.saturating_add(page.items.len() as u64);
        if !page.more || page.items.is_empty() {
            // Later pages still in flight are past the end: dropped with the state.
            self.finished = true;
            self.in_flight = futures::stream::FuturesOrdered::new();
        }
        Poll::Ready(Some(Ok(page.items)))
    }
}

/// Catches offset-paged servers that ignore the offset: remembers a fingerprint of the
/// previous page (e.g. its first and last ids) and reports a loop when a full page comes
/// back identical.
#[derive(Debug, Default)]
pub struct RepeatGuard {
    last: std::sync::Mutex<Option<String>>,
}

impl RepeatGuard {
    /// A guard with no page seen yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `fingerprint` for the page fetched at `cursor`; an error when it equals the
    /// previous page's.
    pub fn check(
        &self,
        provider: &'static str,
        cursor: impl Debug,
        fingerprint: String,
    ) -> Result<(), Error> {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.as_deref() == Some(fingerprint.as_str()) {
            return Err(Error::new(
                provider,
                ErrorKind::PaginationLoop {
                    cursor: format!("{cursor:?}"),
                },
            )
            .with_message(
                "the server returned the same page twice; it may be ignoring the offset",
            ));
        }
        *last = Some(fingerprint);
        Ok(())
    }
}

/// Flattens a page stream into items, honouring `limits.max_items`. No page is fetched
/// beyond the one that reaches the cap.
pub fn items<T>(
    pages: impl Stream<Item = Result<Vec<T>, Error>>,
    limits: Limits,
) -> impl Stream<Item = Result<T, Error>> {
    let max = limits
        .max_items
        .map_or(usize::MAX, |m| usize::try_from(m).unwrap_or(usize::MAX));
    pages
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
        .take(max)
}

/// Runs `stream` ahead of its consumer: a background task polls it and keeps up to
/// `depth` items ready in a bounded channel, so the next page is requested and decoded
/// while the consumer is still busy with the current one. Order is kept; memory stays
/// bounded by `depth` items plus the one being produced.
///
/// The task starts at the first poll, on the tokio runtime the stream is polled from
/// (on a multi-thread runtime it runs on another worker, so decoding and the
/// consumer's work overlap in time as well); without a tokio runtime the stream is
/// polled in place. Dropping the returned stream stops the task, and a panic in it
/// reaches the consumer.
pub fn prefetch<T>(
    stream: impl Stream<Item = T> + Send + 'static,
    depth: usize,
) -> impl Stream<Item = T> + Send + 'static
where
    T: Send + 'static,
{
    let stream = stream.boxed();
    stream::once(async move {
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => Prefetch::spawn(&handle, stream, depth.max(1)).boxed(),
            Err(_) => stream,
        }
    })
    .flatten()
}

/// The consumer side of [`prefetch`]: the channel, and the task to stop on drop.
struct Prefetch<T> {
    items: tokio::sync::mpsc::Receiver<T>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl<T: Send + 'static> Prefetch<T> {
    fn spawn(
        handle: &tokio::runtime::Handle,
        mut stream: futures::stream::BoxStream<'static, T>,
        depth: usize,
    ) -> Self {
        let (tx, items) = tokio::sync::mpsc::channel(depth);
        let task = handle.spawn(async move {
            while let Some(item) = stream.next().await {
                if tx.send(item).await.is_err() {
                    // The consumer is gone.
                    break;
                }
            }
        });
        Self {
            items,
            task: Some(task),
        }
    }
}

impl<T> Stream for Prefetch<T> {
    type Item = T;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<T>> {
        use std::task::Poll;
        if let Some(item) = futures::ready!(self.items.poll_recv(cx)) {
            return Poll::Ready(Some(item));
        }
        // The channel is closed: the task ended. Surface its panic, if any.
        let Some(task) = self.task.as_mut() else {
            return Poll::Ready(None);
        };
        let result = futures::ready!(std::pin::Pin::new(task).poll(cx));
        self.task = None;
        match result {
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            _ => Poll::Ready(None),
        }
    }
}

impl<T> Drop for Prefetch<T> {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// More items than any listing here yields: a broken guard or cap shows up as this
    /// many items instead of a test that never ends.
    const AT_MOST: usize = 1000;

    /// The stream's items, at most [`AT_MOST`] of them, within 10 s. Both bounds matter:
    /// a stream whose fetches are always ready never yields to the timer, and one that
    /// stalls yields nothing for `take` to count.
    fn collect<T>(s: impl Stream<Item = Result<T, Error>>) -> Vec<Result<T, Error>> {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime")
            .block_on(async {
                let all = s.take(AT_MOST).collect::<Vec<_>>();
                tokio::time::timeout(std::time::Duration::from_secs(10), all)
                    .await
                    .expect("the stream ended within 10 s")
            })
    }

    #[test]
    fn walks_until_no_cursor() {
        let s = pages("test", 0u32, Limits::default(), |k| async move {
            Ok(Page {
                items: vec![k * 10, k * 10 + 1],
                next: (k < 2).then_some(k + 1),
            })
        });
        let got: Vec<u32> = collect(items(s, Limits::default()))
            .into_iter()
            .map(|r| r.expect("ok"))
            .collect();
        assert_eq!(got, [0, 1, 10, 11, 20, 21]);
    }

    #[test]
    fn endless_empty_pages_with_fresh_cursors_end_in_an_error() {
        // Every cursor is new, so the repeat guard cannot see the loop.
        let s = pages("test", 0u64, Limits::default(), |k| async move {
            Ok(Page::<u64, u64> {
                items: Vec::new(),
                next: Some(k + 1),
            })
        });
        let got = collect(s);
        assert_eq!(got.len() as u32, MAX_EMPTY_PAGES);
        let err = got.last().expect("some").as_ref().expect_err("gives up");
        assert!(
            matches!(err.kind(), ErrorKind::PaginationLoop { .. }),
            "{err:?}"
        );
        // A few empty pages between full ones are fine.
        let s = pages("test", 0u64, Limits::default(), |k| async move {
            Ok(Page {
                items: if k % 4 == 3 { vec![k] } else { Vec::new() },
                next: (k < 12).then_some(k + 1),
            })
        });
        let got: Vec<u64> = collect(items(s, Limits::default()))
            .into_iter()
            .map(|r| r.expect("ok"))
            .collect();
        assert_eq!(got, [3, 7, 11]);
    }

    #[test]
    fn repeated_cursor_is_an_error_not_a_loop() {
        let s = pages("test", "a".to_owned(), Limits::default(), |k| async move {
            let next = if k == "a" { "b" } else { "a" };
            Ok(Page {
                items: vec![k.clone()],
                next: Some(next.to_owned()),
            })
        });
        let got = collect(items(s, Limits::default()));
        assert_eq!(got.len(), 3);
        let err = got[2].as_ref().expect_err("third is the loop error");
        assert_eq!(
            err.kind(),
            &ErrorKind::PaginationLoop {
                cursor: "\"a\"".into()
            }
        );
    }

    /// More requests than any offset listing here makes.
    const MAX_REQUESTS: usize = 50;

    /// Runs an offset listing of 5 full pages of 2 and a short sixth, where later pages
    /// answer first; returns the items, the page indices requested and the most
    /// requests that were ever in flight at once.
    fn offset_run(
        concurrency: usize,
        limits: Limits,
        page_count: Option<u64>,
    ) -> (Vec<Result<u64, Error>>, Vec<u64>, usize) {
        use std::sync::{Arc, Mutex};
        #[derive(Default)]
        struct Log {
            requested: Vec<u64>,
            now: usize,
            peak: usize,
        }
        let log = Arc::new(Mutex::new(Log::default()));
        let l = log.clone();
        let s = offset_pages(
            "test",
            concurrency,
            limits,
            |v: &[u64]| format!("{v:?}"),
            move |i| {
                {
                    let mut log = l.lock().expect("lock");
                    // A paginator that requests without end would do it inside one poll,
                    // where no time limit can reach it: stop it here.
                    assert!(log.requested.len() < MAX_REQUESTS, "runaway requests");
                    log.requested.push(i);
                    log.now += 1;
                    log.peak = log.peak.max(log.now);
                }
                let l = l.clone();
                async move {
                    tokio::time::sleep(std::time::Duration::from_millis(20 - i.min(10))).await;
                    l.lock().expect("lock").now -= 1;
                    let items: Vec<u64> = match i {
                        0..5 => vec![i * 10, i * 10 + 1],
                        5 => vec![50],
                        _ => vec![],
                    };
                    let more = items.len() == 2;
                    Ok(OffsetPage {
                        items,
                        more,
                        page_count,
                    })
                }
            },
        );
        let got = collect(items(s, limits));
        let log = log.lock().expect("lock");
        (got, log.requested.clone(), log.peak)
    }

    fn ok_items(got: Vec<Result<u64, Error>>) -> Vec<u64> {
        got.into_iter().map(|r| r.expect("ok")).collect()
    }

    #[test]
    fn offset_pages_keep_order_and_stop_at_the_short_page() {
        let all = [0, 1, 10, 11, 20, 21, 30, 31, 40, 41, 50];
        // One at a time: exactly the six pages, never two in flight.
        let (got, requested, peak) = offset_run(1, Limits::default(), None);
        assert_eq!(ok_items(got), all);
        assert_eq!(requested, [0, 1, 2, 3, 4, 5]);
        assert_eq!(peak, 1);
        // Four at once: the first page alone, then four in flight; the three requests
        // issued while the short page was awaited are past the end.
        let (got, requested, peak) = offset_run(4, Limits::default(), None);
        assert_eq!(
            ok_items(got),
            all,
            "order kept although later pages answer first"
        );
        assert_eq!(requested, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(peak, 4, "four requests really were in flight at once");
        // A known page count: nothing past it is requested.
        let (got, requested, _) = offset_run(4, Limits::default(), Some(6));
        assert_eq!(ok_items(got), all);
        assert_eq!(requested, [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn offset_pages_stop_requesting_at_the_caps() {
        let limits = Limits {
            max_items: Some(3),
            max_pages: None,
        };
        let (got, requested, _) = offset_run(1, limits, None);
        assert_eq!(ok_items(got), [0, 1, 10]);
        assert_eq!(
            requested,
            [0, 1],
            "no page after the one that reaches the cap"
        );
        // The cap reached exactly at the end of a page: no further request (with four
        // in flight, the window after the first page was already asked for).
        for (concurrency, asked) in [(1, &[0, 1][..]), (4, &[0, 1, 2, 3, 4][..])] {
            let limits = Limits {
                max_items: Some(4),
                max_pages: None,
            };
            let (got, requested, _) = offset_run(concurrency, limits, None);
            assert_eq!(ok_items(got), [0, 1, 10, 11]);
            assert_eq!(requested, asked, "{concurrency} in flight");
        }
        let limits = Limits {
            max_items: None,
            max_pages: Some(3),
        };
        let (got, requested, _) = offset_run(4, limits, None);
        assert_eq!(ok_items(got), [0, 1, 10, 11, 20, 21]);
        assert_eq!(requested, [0, 1, 2]);
    }

    fn current_thread() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime")
    }

    #[test]
    fn prefetch_runs_ahead_within_its_bound_and_keeps_order() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        current_thread().block_on(async {
            let produced = std::sync::Arc::new(AtomicUsize::new(0));
            let p = produced.clone();
            let source = stream::iter(0..20).map(move |i| {
                p.fetch_add(1, Ordering::SeqCst);
                i
            });
            let mut s = std::pin::pin!(prefetch(source, 3));
            assert_eq!(
                produced.load(Ordering::SeqCst),
                0,
                "nothing before the first poll"
            );
            assert_eq!(s.next().await, Some(0));
            // While the consumer is busy elsewhere, the task fills the channel (3) and
            // holds one more item waiting for room.
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            assert_eq!(produced.load(Ordering::SeqCst), 1 + 3 + 1);
            let rest: Vec<i32> = s.collect().await;
            assert_eq!(rest, (1..20).collect::<Vec<_>>());
        });
    }

    #[test]
    fn dropping_a_prefetch_stops_its_task() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        /// Set when the request it stands for is cancelled.
        struct InFlight(Arc<AtomicBool>);
        impl Drop for InFlight {
            fn drop(&mut self) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        current_thread().block_on(async {
            let cancelled = Arc::new(AtomicBool::new(false));
            let c = cancelled.clone();
            // The second "page" is a request that never answers.
            let source = stream::iter([1]).chain(stream::once(async move {
                let _request = InFlight(c);
                futures::future::pending::<i32>().await
            }));
            let mut s = Box::pin(prefetch(source, 2));
            assert_eq!(s.next().await, Some(1));
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            assert!(
                !cancelled.load(Ordering::SeqCst),
                "still waiting for page 2"
            );
            drop(s);
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            assert!(
                cancelled.load(Ordering::SeqCst),
                "dropping the stream cancels the request in flight"
            );
        });
    }

    #[test]
    #[should_panic(expected = "producer failed")]
    fn a_panic_in_the_prefetch_task_reaches_the_consumer() {
        current_thread().block_on(async {
            let source = stream::iter(0..5).map(|i| {
                assert!(i < 2, "producer failed");
                i
            });
            let got: Vec<i32> = prefetch(source, 2).collect().await;
            // Not reached: the panic ends the collect.
            assert_eq!(got.len(), 5);
        });
    }

    /// A page stream read on its own (as `pages()` consumers do) ends at the item cap
    /// even when its consumer keeps polling: no page past the cap is requested or
    /// yielded, also when the cap falls at the end of a page.
    #[test]
    fn offset_page_stream_ends_at_the_item_cap() {
        for max in [3u64, 4] {
            let requested = std::sync::Mutex::new(Vec::new());
            let s = offset_pages(
                "test",
                1,
                Limits {
                    max_items: Some(max),
                    max_pages: None,
                },
                |v: &[u64]| format!("{v:?}"),
                |i| {
                    requested.lock().expect("lock").push(i);
                    assert!(i < MAX_REQUESTS as u64, "runaway requests");
                    async move {
                        Ok(OffsetPage {
                            items: vec![i * 10, i * 10 + 1],
                            more: true,
                            page_count: None,
                        })
                    }
                },
            );
            let pages: Vec<Vec<u64>> = collect(s).into_iter().map(|p| p.expect("ok")).collect();
            assert_eq!(pages, [vec![0, 1], vec![10, 11]], "cap {max}");
            assert_eq!(*requested.lock().expect("lock"), [0, 1], "cap {max}");
        }
    }

    /// A prefetch whose runtime shut down (its task cancelled, not panicked) just ends.
    #[test]
    fn a_prefetch_cut_off_by_its_runtime_ends_quietly() {
        let first = current_thread();
        let mut s = first.block_on(async {
            let mut s = Box::pin(prefetch(stream::iter([1]).chain(stream::pending()), 2));
            assert_eq!(s.next().await, Some(1));
            s
        });
        // Dropping the runtime cancels the task that fills the channel.
        drop(first);
        let rest: Vec<i32> = current_thread().block_on(async {
            tokio::time::timeout(std::time::Duration::from_secs(10), s.by_ref().collect())
                .await
                .expect("ends")
        });
        assert!(rest.is_empty(), "{rest:?}");
    }

    #[test]
    fn prefetch_without_a_runtime_polls_in_place() {
        let mut s = std::pin::pin!(prefetch(stream::iter([7, 8]), 2));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        assert_eq!(
            s.as_mut().poll_next(&mut cx),
            std::task::Poll::Ready(Some(7))
        );
    }

    #[test]
    fn offset_pages_catch_a_server_that_ignores_the_offset() {
        let s = offset_pages(
            "test",
            2,
            Limits::default(),
            |v: &[u64]| format!("{v:?}"),
            |i| {
                assert!(i < MAX_REQUESTS as u64, "runaway requests");
                async {
                    Ok(OffsetPage {
                        items: vec![1u64, 2],
                        more: true,
                        page_count: None,
                    })
                }
            },
        );
        let got = collect(items(s, Limits::default()));
        let err = got.last().expect("some").as_ref().expect_err("loop");
        assert!(matches!(err.kind(), ErrorKind::PaginationLoop { .. }));
        // The first page, then the identical second: nothing after the error.
        assert_eq!(got.len(), 3, "two items, then the error");
    }

    #[test]
    fn caps_items_and_pages() {
        let fetches = std::cell::Cell::new(0);
        let fetch = |k: u32| {
            fetches.set(fetches.get() + 1);
            async move {
                Ok(Page {
                    items: vec![k; 3],
                    next: Some(k + 1),
                })
            }
        };
        let limits = Limits {
            max_items: Some(4),
            max_pages: None,
        };
        let got = collect(items(pages("test", 0, limits, fetch), limits));
        assert_eq!(got.len(), 4);
        assert_eq!(
            fetches.get(),
            2,
            "no page beyond the one that reaches the cap"
        );

        let limits = Limits {
            max_items: None,
            max_pages: Some(2),
        };
        let s = pages("test", 0u32, limits, |k| async move {
            Ok(Page {
                items: vec![k],
                next: Some(k + 1),
            })
        });
        assert_eq!(collect(items(s, limits)).len(), 2);
    }
}
