//! The engine against in-memory servers: offsets that cap, shrink and filter pages, next
//! links that point elsewhere than planned, page counts, cursors, loops, caps.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;

use super::*;
use crate::error::ErrorKind;
use crate::filter::FilterTable;

static NO_FILTERS: FilterTable = FilterTable {
    provider: "test",
    params: &[],
};

/// What a fake server answers for the page at an offset, asked for `size` entries:
/// the entries and the continuation.
type Rule = dyn Fn(u64, u32) -> (Vec<u64>, Option<u64>) + Send + Sync;

/// An offset-paged provider over a [`Rule`], recording the offsets requested and the
/// most requests in flight at once. Later offsets answer sooner, so pages fetched ahead
/// arrive out of order.
#[derive(Clone)]
struct Fake {
    rule: Arc<Rule>,
    log: Arc<Mutex<Log>>,
    total: Option<u64>,
    guess: bool,
    /// A fixed guess for every position ahead, instead of the step between the last two.
    fixed_guess: Option<u64>,
    /// Pages of 10 the server counts: it names no page past them, and says how many are
    /// left.
    page_count: Option<u64>,
}

#[derive(Default)]
struct Log {
    requested: Vec<u64>,
    /// Requests in flight as each one started (itself included).
    in_flight_at_start: Vec<usize>,
    now: usize,
    peak: usize,
    guesses: usize,
}

/// More requests than any listing here makes: a runaway plan fails the test instead of
/// hanging it.
const MAX_REQUESTS: usize = 60;

impl Fake {
    fn new(rule: impl Fn(u64, u32) -> (Vec<u64>, Option<u64>) + Send + Sync + 'static) -> Self {
        Self {
            rule: Arc::new(rule),
            log: Arc::default(),
            total: None,
            guess: true,
            fixed_guess: None,
            page_count: None,
        }
    }
    fn requested(&self) -> Vec<u64> {
        self.log.lock().expect("lock").requested.clone()
    }
    fn peak(&self) -> usize {
        self.log.lock().expect("lock").peak
    }
}

impl Paging for Fake {
    type Item = u64;
    type Body = (Vec<u64>, Option<u64>);
    type Position = u64;
    type Query = ();

    const FILTERS: &'static FilterTable = &NO_FILTERS;
    const PAGE_SIZES: PageSizes = PageSizes {
        default: Some(10),
        max: Some(100),
    };
    fn first(&self) -> u64 {
        0
    }
    async fn fetch(
        &self,
        at: &u64,
        request: &PageRequest<'_, ()>,
    ) -> Result<Response<Self::Body>, Error> {
        {
            let mut log = self.log.lock().expect("lock");
            assert!(log.requested.len() < MAX_REQUESTS, "runaway requests");
            log.requested.push(*at);
            log.now += 1;
            let now = log.now;
            log.in_flight_at_start.push(now);
            log.peak = log.peak.max(now);
        }
        // Counts the request out when it ends or is dropped (cancelled).
        struct InFlight<'a>(&'a Mutex<Log>);
        impl Drop for InFlight<'_> {
            fn drop(&mut self) {
                self.0.lock().expect("lock").now -= 1;
            }
        }
        let _in_flight = InFlight(&self.log);
        tokio::time::sleep(Duration::from_millis(20 - (*at % 10))).await;
        let page = (self.rule)(*at, request.size.unwrap_or(10));
        Ok(Response::new(page))
    }
    fn read(
        &self,
        _at: &u64,
        _asked: Option<u32>,
        page: Response<Self::Body>,
    ) -> Fetched<u64, u64> {
        let (items, next) = page.into_inner();
        let Some(count) = self.page_count else {
            return Fetched::new(items, next).reported_total(self.total);
        };
        let next = next.filter(|n| *n < count * 10);
        let left = next.map(|n| count - n / 10);
        Fetched::new(items, next).pages_left(left)
    }
    fn after(&self, before: &u64, at: &u64) -> Option<u64> {
        // Planning runs without awaiting, where no time limit reaches: bound it here.
        {
            let mut log = self.log.lock().expect("lock");
            log.guesses += 1;
            assert!(log.guesses < 10 * MAX_REQUESTS, "runaway planning");
        }
        if self.fixed_guess.is_some() {
            return self.fixed_guess;
        }
        let step = at.checked_sub(*before).filter(|s| *s > 0)?;
        self.guess.then(|| at + step)
    }
    fn identify(&self, items: &[u64]) -> Option<String> {
        Some(format!("{:?}..{:?}", items.first(), items.last()))
    }
}

/// `n` entries `0..n`, at most `cap` per page whatever is asked; the next page is after
/// the entries sent, and an empty page is the end (Fone Dynamics' rule).
fn capped(n: u64, cap: u32) -> Fake {
    Fake::new(move |at, size| {
        let len = u64::from(size.min(cap));
        let items: Vec<u64> = (at..(at + len).min(n)).collect();
        let next = (!items.is_empty()).then(|| at + items.len() as u64);
        (items, next)
    })
}

/// Runs `listing` to its end within 10 s: the pages, or the error that ended them.
fn run<P: Paging>(listing: Listing<P>) -> (Vec<Page<P::Item>>, Option<Error>) {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime")
        .block_on(async {
            let all = listing.pages().take(MAX_REQUESTS).collect::<Vec<_>>();
            let all = tokio::time::timeout(Duration::from_secs(10), all)
                .await
                .expect("the listing ended within 10 s");
            let mut pages = Vec::new();
            for page in all {
                match page {
                    Ok(p) => pages.push(p),
                    Err(e) => return (pages, Some(e)),
                }
            }
            (pages, None)
        })
}

fn items<T: Clone>(pages: &[Page<T>]) -> Vec<T> {
    pages.iter().flat_map(|p| p.items.clone()).collect()
}

#[test]
fn a_server_cap_below_the_page_size_is_not_the_end_at_any_concurrency() {
    for concurrency in [1, 2, 4, 8] {
        let fake = capped(620, 50);
        let listing = Listing::new(fake.clone())
            .page_size(100)
            .concurrency(concurrency);
        let (pages, err) = run(listing);
        assert!(err.is_none(), "{err:?}");
        assert_eq!(items(&pages), (0..620).collect::<Vec<_>>(), "{concurrency}");
        let last = pages.last().expect("pages");
        assert_eq!(last.end, Some(End::Complete));
        assert_eq!(last.received, 620);
        if concurrency == 1 {
            // 13 pages of 50 (the last of 20), then the empty page that ends it.
            let expected: Vec<u64> = (0..13).map(|i| i * 50).chain([620]).collect();
            assert_eq!(fake.requested(), expected);
            assert_eq!(fake.peak(), 1);
        } else {
            assert_eq!(fake.peak(), concurrency, "requests really overlapped");
        }
    }
}

#[test]
fn after_a_shorter_page_only_its_continuation_is_requested() {
    // Pages of 50, the last of 20 (at 600). The guesses in flight when it arrives (650,
    // 700, …) are dropped; what follows is the one request at 620 that finds the end,
    // not a window of guesses at 620, 640, 660, ….
    for concurrency in [2, 4, 8] {
        let fake = capped(620, 50);
        let (pages, err) = run(Listing::new(fake.clone())
            .page_size(100)
            .concurrency(concurrency));
        assert!(err.is_none(), "{err:?}");
        assert_eq!(items(&pages), (0..620).collect::<Vec<_>>());
        let after_short: Vec<u64> = fake
            .requested()
            .into_iter()
            .filter(|at| at % 50 != 0)
            .collect();
        assert_eq!(after_short, [620], "{concurrency}: {:?}", fake.requested());
    }
}

#[test]
fn pages_of_one_length_keep_the_window_full_to_the_end() {
    // 40 pages of 10: a page as long as the one before is no sign of the end, so
    // requests keep overlapping after the first pages too.
    let fake = capped(400, 10);
    let (pages, err) = run(Listing::new(fake.clone()).page_size(10).concurrency(4));
    assert!(err.is_none(), "{err:?}");
    assert_eq!(items(&pages).len(), 400);
    let late = fake.log.lock().expect("lock").in_flight_at_start[20..].to_vec();
    assert!(late.iter().any(|n| *n >= 3), "{late:?}");
}

#[test]
fn a_next_link_elsewhere_than_planned_is_followed() {
    // Pages of 9, then of 8, each naming the next offset (a Link's `start`): the
    // guesses from the first step (9, 18, 27, …) go wrong after the second page.
    for concurrency in [1, 2, 4, 8] {
        let fake = Fake::new(|at, _| match at {
            0 => ((0..9).collect(), Some(9)),
            9 => ((9..17).collect(), Some(17)),
            17 => ((17..25).collect(), None),
            _ => ((1000..1009).collect(), Some(at + 9)),
        });
        let (pages, err) = run(Listing::new(fake.clone()).concurrency(concurrency));
        assert!(err.is_none(), "{err:?}");
        assert_eq!(items(&pages), (0..25).collect::<Vec<_>>(), "{concurrency}");
    }
}

#[test]
fn pages_that_shrink_and_grow_are_read_where_the_server_says() {
    // Page lengths vary with the offset; each page names the offset after it.
    let lengths = [7u64, 3, 12, 1, 1, 9, 4];
    let starts: Vec<u64> = lengths
        .iter()
        .scan(0, |at, len| {
            let start = *at;
            *at += len;
            Some(start)
        })
        .collect();
    let n: u64 = lengths.iter().sum();
    for concurrency in [1, 2, 4, 8] {
        let starts = starts.clone();
        let fake = Fake::new(move |at, _| match starts.iter().position(|s| *s == at) {
            Some(i) => {
                let items: Vec<u64> = (at..at + lengths[i]).collect();
                let next = (i + 1 < lengths.len()).then(|| at + lengths[i]);
                (items, next)
            }
            // An offset the server never names: entries that must not be listed.
            None => (vec![9999], Some(at + 1)),
        });
        let (pages, err) = run(Listing::new(fake).concurrency(concurrency));
        assert!(err.is_none(), "{err:?}");
        assert_eq!(items(&pages), (0..n).collect::<Vec<_>>(), "{concurrency}");
    }
}

#[test]
fn a_page_count_bounds_what_is_requested_ahead() {
    // Page numbers 1..=3 of 2 entries; `pages_left` says how many follow.
    #[derive(Clone)]
    struct Numbered(Arc<Mutex<Vec<u32>>>);
    impl Paging for Numbered {
        type Item = u32;
        type Body = u32;
        type Position = u32;
        type Query = ();
        const FILTERS: &'static FilterTable = &NO_FILTERS;
        const PAGE_SIZES: PageSizes = PageSizes {
            default: None,
            max: None,
        };
        fn first(&self) -> u32 {
            1
        }
        async fn fetch(&self, at: &u32, _: &PageRequest<'_, ()>) -> Result<Response<u32>, Error> {
            let mut log = self.0.lock().expect("lock");
            assert!(log.len() < MAX_REQUESTS, "runaway requests");
            log.push(*at);
            Ok(Response::new(*at))
        }
        fn read(&self, at: &u32, _: Option<u32>, _: Response<u32>) -> Fetched<u32, u32> {
            let next = (*at < 3).then_some(at + 1);
            Fetched::new(vec![at * 10, at * 10 + 1], next)
                .pages_left(next.map(|n| u64::from(3 - n + 1)))
                .reported_total(Some(6))
        }
        fn after(&self, _: &u32, at: &u32) -> Option<u32> {
            Some(at + 1)
        }
    }
    let log = Arc::new(Mutex::new(Vec::new()));
    let (pages, err) = run(Listing::new(Numbered(log.clone())).concurrency(8));
    assert!(err.is_none(), "{err:?}");
    assert_eq!(items(&pages), [10, 11, 20, 21, 30, 31]);
    assert_eq!(
        *log.lock().expect("lock"),
        [1, 2, 3],
        "nothing past the count"
    );
    assert_eq!(pages.last().and_then(Page::total_mismatch), None);
    // Within the count, pages are asked for ahead: a server that counts 5 pages.
    let mut fake = capped(1000, 10);
    fake.page_count = Some(5);
    let (pages, _) = run(Listing::new(fake.clone()).concurrency(8));
    assert_eq!(items(&pages), (0..50).collect::<Vec<_>>());
    assert_eq!(
        fake.requested(),
        [0, 10, 20, 30, 40],
        "nothing past the count"
    );
    assert_eq!(fake.peak(), 4, "the four pages after the first at once");
}

#[test]
fn cursors_are_followed_one_at_a_time() {
    let mut fake = Fake::new(|at, _| match at {
        0 => (vec![1, 2], Some(40)),
        40 => (vec![3], Some(7)),
        7 => (vec![4], None),
        _ => (vec![99], None),
    });
    fake.guess = false;
    let (pages, err) = run(Listing::new(fake.clone()).concurrency(8));
    assert!(err.is_none(), "{err:?}");
    assert_eq!(items(&pages), [1, 2, 3, 4]);
    assert_eq!(fake.requested(), [0, 40, 7]);
    assert_eq!(fake.peak(), 1);
}

#[test]
fn the_item_cap_ends_the_listing_and_requests_little_past_it() {
    for concurrency in [1, 4] {
        let fake = capped(1000, 10);
        let (pages, err) = run(Listing::new(fake.clone())
            .concurrency(concurrency)
            .max_items(25));
        assert!(err.is_none(), "{err:?}");
        assert_eq!(items(&pages), (0..25).collect::<Vec<_>>());
        let last = pages.last().expect("pages");
        assert_eq!(last.end, Some(End::Capped));
        assert_eq!(
            last.total_mismatch(),
            None,
            "a capped listing is not checked"
        );
        // Three pages hold the 25 entries; fetching ahead plans no more than the cap
        // needs.
        assert_eq!(fake.requested(), [0, 10, 20], "{concurrency}");
    }
    // A cap at the end of a page: that page is the last, nothing more is asked for.
    let fake = capped(1000, 10);
    let (pages, _) = run(Listing::new(fake.clone()).concurrency(4).max_items(20));
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].end, Some(End::Capped));
    assert_eq!(fake.requested(), [0, 10]);
    // A cap of zero asks for nothing.
    let fake = capped(1000, 10);
    let (pages, _) = run(Listing::new(fake.clone()).max_items(0));
    assert!(pages.is_empty());
    assert!(fake.requested().is_empty());
}

#[test]
fn a_last_page_cut_by_the_item_cap_is_capped_not_complete() {
    let mut fake = Fake::new(|_, _| (vec![1, 2, 3], None));
    fake.total = Some(3);
    let (pages, _) = run(Listing::new(fake).max_items(2));
    assert_eq!(items(&pages), [1, 2]);
    assert_eq!(pages[0].end, Some(End::Capped));
    assert_eq!(pages[0].total_mismatch(), None);
}

#[test]
fn the_page_cap_ends_the_listing() {
    let fake = capped(1000, 10);
    let (pages, err) = run(Listing::new(fake.clone()).concurrency(8).max_pages(3));
    assert!(err.is_none());
    assert_eq!(items(&pages), (0..30).collect::<Vec<_>>());
    assert_eq!(pages[2].end, Some(End::Capped));
    assert_eq!(fake.requested(), [0, 10, 20], "no page past the cap");
}

#[test]
fn a_server_that_ignores_the_offset_is_a_loop_error() {
    for concurrency in [1, 4] {
        let fake = Fake::new(|at, _| (vec![1, 2], Some(at + 2)));
        let (pages, err) = run(Listing::new(fake).concurrency(concurrency));
        assert_eq!(items(&pages), [1, 2], "the first page, then the error");
        let err = err.expect("a loop error");
        assert!(
            matches!(err.kind(), ErrorKind::PaginationLoop { .. }),
            "{err:?}"
        );
    }
}

#[test]
fn a_repeated_position_is_a_loop_error() {
    let fake = Fake::new(|at, _| match at {
        0 => (vec![1], Some(5)),
        _ => (vec![2], Some(0)),
    });
    let (pages, err) = run(Listing::new(fake));
    assert_eq!(items(&pages), [1, 2]);
    assert_eq!(
        err.expect("loop").kind(),
        &ErrorKind::PaginationLoop { cursor: "0".into() }
    );
}

#[test]
fn endless_empty_pages_end_in_an_error() {
    let mut fake = Fake::new(|at, _| (Vec::new(), Some(at + 1)));
    fake.guess = false;
    let (pages, err) = run(Listing::new(fake.clone()));
    assert!(
        pages.is_empty(),
        "empty pages in the middle are not yielded"
    );
    assert!(matches!(
        err.expect("gives up").kind(),
        ErrorKind::PaginationLoop { .. }
    ));
    assert_eq!(fake.requested().len() as u32, MAX_EMPTY_PAGES);
    // A few empty pages between full ones are fine.
    let fake = Fake::new(|at, _| match at {
        0 | 5 => (vec![at], Some(at + 1)),
        9 => (vec![at], None),
        _ => (Vec::new(), Some(at + 1)),
    });
    let (pages, err) = run(Listing::new(fake));
    assert!(err.is_none(), "{err:?}");
    assert_eq!(items(&pages), [0, 5, 9]);
}

#[test]
fn a_failed_page_ends_the_listing_with_its_error() {
    #[derive(Clone)]
    struct Failing;
    impl Paging for Failing {
        type Item = u32;
        type Body = ();
        type Position = u32;
        type Query = ();
        const FILTERS: &'static FilterTable = &NO_FILTERS;
        const PAGE_SIZES: PageSizes = PageSizes {
            default: None,
            max: None,
        };
        fn first(&self) -> u32 {
            0
        }
        async fn fetch(&self, at: &u32, _: &PageRequest<'_, ()>) -> Result<Response<()>, Error> {
            static REQUESTS: std::sync::atomic::AtomicUsize =
                std::sync::atomic::AtomicUsize::new(0);
            let n = REQUESTS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            assert!(n < MAX_REQUESTS, "runaway requests");
            match at {
                0 => Ok(Response::new(())),
                _ => Err(Error::new("test", ErrorKind::Transport)),
            }
        }
        fn read(&self, at: &u32, _: Option<u32>, _: Response<()>) -> Fetched<u32, u32> {
            Fetched::new(vec![*at], Some(at + 1))
        }
    }
    let (pages, err) = run(Listing::new(Failing));
    assert_eq!(items(&pages), [0]);
    assert_eq!(err.expect("error").kind(), &ErrorKind::Transport);
}

#[test]
fn the_reported_total_is_checked_on_the_last_page_of_a_complete_listing() {
    let mut fake = capped(30, 10);
    fake.total = Some(31);
    let (pages, _) = run(Listing::new(fake.clone()));
    let last = pages.last().expect("pages");
    assert!(last.is_last());
    assert_eq!(
        last.total_mismatch(),
        Some(TotalMismatch {
            reported: 31,
            received: 30
        })
    );
    assert_eq!(
        last.total_mismatch().expect("mismatch").to_string(),
        "the provider reported 31 entries, 30 were received"
    );
    assert!(pages[..pages.len() - 1].iter().all(|p| !p.is_last()));
    fake.total = Some(30);
    let (pages, _) = run(Listing::new(fake));
    assert_eq!(pages.last().and_then(Page::total_mismatch), None);
}

#[test]
fn page_sizes_are_clamped_and_caps_are_kept() {
    let listing = Listing::new(capped(1, 1))
        .page_size(0)
        .max_items(4)
        .max_pages(2)
        .concurrency(0);
    assert_eq!(listing.requested_page_size(), Some(1));
    assert_eq!(
        listing.caps(),
        Limits {
            max_items: Some(4),
            max_pages: Some(2)
        }
    );
    assert_eq!(
        Listing::new(capped(1, 1))
            .page_size(1000)
            .requested_page_size(),
        Some(100)
    );
    let sizes = PageSizes {
        default: None,
        max: None,
    };
    assert_eq!(sizes.clamp(0), 1);
    assert_eq!(sizes.clamp(7000), 7000);
    assert!(!Listing::new(capped(1, 1)).is_filtered());
}

#[test]
fn pages_name_their_provider_and_a_cap_at_the_end_is_complete() {
    // Three pages of 10, the last naming no next page.
    let mut fake = Fake::new(|at, _| ((at..at + 10).collect(), (at < 20).then_some(at + 10)));
    fake.total = Some(30);
    let (pages, _) = run(Listing::new(fake).max_items(30));
    assert!(pages.iter().all(|p| p.provider == "test"));
    let last = pages.last().expect("pages");
    // The cap is reached on the server's own last page: nothing was left out.
    assert_eq!(last.end, Some(End::Complete));
    assert_eq!(last.received, 30);
    // Errors name the provider too.
    let (_, err) = run(Listing::new(Fake::new(|at, _| {
        (vec![1], Some(at + 1 - at))
    })));
    assert_eq!(err.expect("a loop").provider(), "test");
}

#[test]
fn a_guess_at_a_position_already_read_is_not_requested() {
    // The guess is always the first page's position.
    let fake = Fake::new(|at, _| match at {
        0 => (vec![0, 1], Some(2)),
        2 => (vec![2], Some(3)),
        _ => (vec![3], None),
    });
    let mut fake = fake;
    fake.fixed_guess = Some(0);
    let (pages, err) = run(Listing::new(fake.clone()).concurrency(4));
    assert!(err.is_none(), "{err:?}");
    assert_eq!(items(&pages), [0, 1, 2, 3]);
    assert_eq!(
        fake.requested(),
        [0, 2, 3],
        "page 0 is never asked for again"
    );
}

#[test]
fn pages_are_asked_for_ahead_under_a_page_cap() {
    let fake = capped(1000, 10);
    let (pages, _) = run(Listing::new(fake.clone()).concurrency(4).max_pages(6));
    assert_eq!(items(&pages).len(), 60);
    assert_eq!(
        fake.peak(),
        4,
        "the page cap still leaves room to fetch ahead"
    );
    assert!(fake.requested().len() <= 6, "{:?}", fake.requested());
}

#[test]
fn the_streams_need_no_pinning_and_say_what_they_are() {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime")
        .block_on(async {
            let listing = Listing::new(capped(25, 10));
            let mut items = listing.clone().items();
            let mut got = Vec::new();
            while let Some(item) = items.next().await {
                got.push(item.expect("item"));
            }
            assert_eq!(got, (0..25).collect::<Vec<_>>());
            // Through `StreamExt` as well.
            let all: Vec<u64> = StreamExt::map(listing.clone().items(), |r| r.expect("item"))
                .collect()
                .await;
            assert_eq!(all.len(), 25);
            let mut pages = listing.clone().pages();
            let mut count = 0;
            while let Some(page) = pages.next().await {
                count += page.expect("page").items.len();
            }
            assert_eq!(count, 25);
            assert_eq!(format!("{:?}", listing.clone().pages()), "Pages { .. }");
            assert_eq!(format!("{:?}", listing.items()), "Items { .. }");
        });
}

#[test]
fn a_listing_shows_its_settings_and_knows_when_it_is_filtered() {
    use crate::filter::{ParamType, QueryParam};
    static TABLE: FilterTable = FilterTable {
        provider: "test",
        params: &[QueryParam {
            name: "state",
            flag: "state",
            summary: "",
            description: "",
            ty: ParamType::String,
            values: &[],
            open: false,
            separator: None,
            check: None,
        }],
    };
    #[derive(Clone, Debug, Default)]
    struct Narrow(bool);
    impl QueryParams for Narrow {
        fn is_filtered(&self) -> bool {
            self.0
        }
    }
    #[derive(Clone, Debug)]
    struct WithQuery;
    impl Paging for WithQuery {
        type Item = u32;
        type Body = ();
        type Position = u32;
        type Query = Narrow;
        const FILTERS: &'static FilterTable = &TABLE;
        const PAGE_SIZES: PageSizes = PageSizes {
            default: Some(7),
            max: None,
        };
        fn first(&self) -> u32 {
            0
        }
        async fn fetch(&self, _: &u32, _: &PageRequest<'_, Narrow>) -> Result<Response<()>, Error> {
            Ok(Response::new(()))
        }
        fn read(&self, _: &u32, _: Option<u32>, _: Response<()>) -> Fetched<u32, u32> {
            Fetched::new(Vec::new(), None)
        }
    }
    let plain = Listing::new(WithQuery);
    assert!(!plain.is_filtered());
    assert!(!plain.query_params().0);
    let typed = plain.clone().query(|_| Narrow(true));
    assert!(typed.is_filtered(), "a narrowing typed parameter");
    assert!(typed.query_params().0);
    let filtered = plain.clone().filter("state", "x").expect("known filter");
    assert!(filtered.is_filtered(), "a table filter");
    assert_eq!(filtered.filter_values().get("state"), Some("x"));
    assert!(plain.clone().filter("colour", "red").is_err());
    let debug = format!("{:?}", filtered.concurrency(3));
    for shown in [
        "WithQuery",
        "page_size: Some(7)",
        "concurrency: 3",
        "\"state\": \"x\"",
    ] {
        assert!(debug.contains(shown), "{shown} in {debug}");
    }
}
