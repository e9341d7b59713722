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
    empty_run: u32,
    fetch: F,
}

/// How many pages in a row may be empty while still naming a next page before
/// [`pages`] gives up: a server that keeps minting fresh cursors for nothing would
/// otherwise be followed forever.
pub const MAX_EMPTY_PAGES: u32 = 8;

/// Streams pages starting at `first`, calling `fetch(cursor)` for each.
///
/// The stream ends when a page has no next cursor, after `limits.max_pages` pages, or
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
        empty_run: 0,
        fetch,
    };
    stream::unfold(state, move |mut st| async move {
        let cursor = st.next.take()?;
        if limits.max_pages.is_some_and(|max| st.pages >= max) {
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
                Some((Ok(page.items), st))
            }
            Err(e) => Some((Err(e), st)),
        }
    })
}

/// Streams offset-style pages (page `i` at offset `i × size`, or page number `i + 1`)
/// with up to `concurrency` requests in flight, in order.
///
/// `fetch(i)` returns page `i`'s items and whether more pages follow. With
/// `concurrency > 1` pages are requested ahead speculatively, so up to
/// `concurrency - 1` requests past the last page may be sent (and their results
/// dropped). The stream ends after the last page, after `limits.max_pages`, or after the
/// first error; a full page identical to the previous one ends it with
/// [`ErrorKind::PaginationLoop`].
pub fn offset_pages<T, F, Fut>(
    provider: &'static str,
    concurrency: usize,
    limits: Limits,
    fingerprint: fn(&[T]) -> String,
    fetch: F,
) -> impl Stream<Item = Result<Vec<T>, Error>>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, bool), Error>>,
{
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let max_pages = limits.max_pages.unwrap_or(u64::MAX);
    let guard = RepeatGuard::new();
    // Set once the last page is seen, so no further requests are started.
    let finished = Arc::new(AtomicBool::new(false));
    let seen = finished.clone();
    stream::iter(0..max_pages)
        .take_while(move |_| futures::future::ready(!seen.load(Ordering::Acquire)))
        .map(fetch)
        .buffered(concurrency.max(1))
        .scan(false, move |done, result| {
            if *done {
                return futures::future::ready(None);
            }
            let out = match result {
                Ok((items, more)) => {
                    let check = if items.is_empty() {
                        Ok(())
                    } else {
                        guard.check(provider, "offset page", fingerprint(&items))
                    };
                    match check {
                        Ok(()) => {
                            *done = !more || items.is_empty();
                            Ok(items)
                        }
                        Err(e) => {
                            *done = true;
                            Err(e)
                        }
                    }
                }
                Err(e) => {
                    *done = true;
                    Err(e)
                }
            };
            if *done {
                finished.store(true, Ordering::Release);
            }
            futures::future::ready(Some(out))
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    fn collect<T>(s: impl Stream<Item = Result<T, Error>>) -> Vec<Result<T, Error>> {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime")
            .block_on(s.collect::<Vec<_>>())
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

    #[test]
    fn offset_pages_keep_order_and_stop_at_the_short_page() {
        let fetched = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = fetched.clone();
        let s = offset_pages(
            "test",
            4,
            Limits::default(),
            |v: &[u64]| format!("{v:?}"),
            move |i| {
                log.lock().expect("lock").push(i);
                async move {
                    // Later pages answer first: order must still hold.
                    tokio::time::sleep(std::time::Duration::from_millis(20 - i.min(10))).await;
                    let items: Vec<u64> = if i < 5 {
                        vec![i * 10, i * 10 + 1]
                    } else if i == 5 {
                        vec![50]
                    } else {
                        vec![]
                    };
                    let more = items.len() == 2;
                    Ok((items, more))
                }
            },
        );
        let got: Vec<u64> = collect(items(s, Limits::default()))
            .into_iter()
            .map(|r| r.expect("ok"))
            .collect();
        assert_eq!(got, [0, 1, 10, 11, 20, 21, 30, 31, 40, 41, 50]);
        let n = fetched.lock().expect("lock").len();
        // Pages 0-5 exist; with 4 in flight at most 3 more were requested.
        assert!(
            (6..=9).contains(&n),
            "at most concurrency-1 pages past the end: {n}"
        );
    }

    #[test]
    fn offset_pages_catch_a_server_that_ignores_the_offset() {
        let s = offset_pages(
            "test",
            2,
            Limits::default(),
            |v: &[u64]| format!("{v:?}"),
            |_| async { Ok((vec![1u64, 2], true)) },
        );
        let got = collect(items(s, Limits::default()));
        let err = got.last().expect("some").as_ref().expect_err("loop");
        assert!(matches!(err.kind(), ErrorKind::PaginationLoop { .. }));
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
