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
    fetch: F,
}

/// Streams pages starting at `first`, calling `fetch(cursor)` for each.
///
/// The stream ends when a page has no next cursor, after `limits.max_pages` pages, or
/// with an [`ErrorKind::PaginationLoop`] error when a cursor comes back that was already
/// fetched. The first error ends the stream.
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
                st.next = page.next;
                Some((Ok(page.items), st))
            }
            Err(e) => Some((Err(e), st)),
        }
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
