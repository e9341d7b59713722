//! Stalled-transfer protection: a floor on the bytes per second a response body must
//! keep once it has started, measured over a grace window.
//!
//! The read timeout only catches silence: a server that sends one byte every few seconds
//! never trips it, and would hold a listing until the per-attempt timeout. The meter
//! here fails such a body as soon as a whole grace window has passed with fewer bytes
//! than the floor asks for, while a slow transfer that keeps moving above the floor
//! (say 50 KiB/s) is never cut.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// The least a response body must deliver: `bytes_per_second` on average over any
/// `grace` window once the body has started (the first window starts with the response
/// head). Set with [`ClientBuilder::min_throughput`](crate::ClientBuilder::min_throughput).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MinThroughput {
    bytes_per_second: u64,
    grace: Duration,
}

impl MinThroughput {
    /// The default: 1 KiB/s over 5 s. A page of a few hundred kilobytes that comes in
    /// slower than that would take minutes; 50 KiB/s is fifty times above it.
    pub const DEFAULT: MinThroughput = MinThroughput {
        bytes_per_second: 1024,
        grace: Duration::from_secs(5),
    };

    /// At least `bytes_per_second` over every `grace` window (a zero window is taken as
    /// one second).
    pub fn new(bytes_per_second: u64, grace: Duration) -> Self {
        Self {
            bytes_per_second,
            grace: if grace.is_zero() {
                Duration::from_secs(1)
            } else {
                grace
            },
        }
    }

    /// The floor, in bytes per second.
    pub fn bytes_per_second(&self) -> u64 {
        self.bytes_per_second
    }

    /// The window the floor is averaged over.
    pub fn grace(&self) -> Duration {
        self.grace
    }

    /// Bytes a whole window must hold.
    fn per_window(&self) -> u64 {
        let millis = u64::try_from(self.grace.as_millis()).unwrap_or(u64::MAX);
        self.bytes_per_second.saturating_mul(millis) / 1000
    }
}

impl Default for MinThroughput {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A body that fell below the floor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Stalled {
    /// Bytes received in all.
    pub(crate) received: u64,
    /// Since the body started.
    pub(crate) elapsed: Duration,
    /// Bytes received in the last window.
    pub(crate) in_window: u64,
    pub(crate) floor: MinThroughput,
}

impl std::fmt::Display for Stalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the transfer stalled: {} bytes in {:.1} s, {} in the last {:.1} s (at least {} bytes/s \
             are needed)",
            self.received,
            self.elapsed.as_secs_f64(),
            self.in_window,
            self.floor.grace.as_secs_f64(),
            self.floor.bytes_per_second
        )
    }
}

/// How often a body that is below the floor is looked at again once the first window
/// has passed.
const RECHECK: Duration = Duration::from_millis(250);

/// The least time between two samples the meter keeps.
const SPACING: Duration = Duration::from_millis(250);

/// Counts a body's bytes over time against a [`MinThroughput`].
#[derive(Debug)]
pub(crate) struct Meter {
    floor: MinThroughput,
    started: Instant,
    received: u64,
    /// `(when, bytes received by then)`, oldest first: enough to know how many bytes
    /// came in the last window.
    samples: VecDeque<(Instant, u64)>,
}

impl Meter {
    pub(crate) fn new(floor: MinThroughput, started: Instant) -> Self {
        Self {
            floor,
            started,
            received: 0,
            samples: VecDeque::new(),
        }
    }

    /// Counts `bytes` more, received at `now`.
    pub(crate) fn record(&mut self, now: Instant, bytes: usize) {
        self.received = self.received.saturating_add(bytes as u64);
        // Samples at least SPACING apart: a fast body brings many chunks a window, and
        // a window's start is only needed to within that much. Taking the newer one as
        // the start can only count more bytes in the window, never fewer.
        let len = self.samples.len();
        let close = len >= 2 && now.saturating_duration_since(self.samples[len - 2].0) < SPACING;
        if close {
            self.samples[len - 1] = (now, self.received);
        } else {
            self.samples.push_back((now, self.received));
        }
        // Keep one sample at or before the window's start, drop older ones.
        let start = now.checked_sub(self.floor.grace);
        while let (Some(start), Some(second)) = (start, self.samples.get(1)) {
            if second.0 <= start {
                self.samples.pop_front();
            } else {
                break;
            }
        }
    }

    /// When to look at the body next if no bytes come: the end of the first window, or
    /// a little later once it has passed.
    pub(crate) fn next_check(&self, now: Instant) -> Instant {
        let first = self.started + self.floor.grace;
        if now < first {
            first
        } else {
            now + RECHECK
        }
    }

    /// `Err` when a whole window has passed and the last one held fewer bytes than the
    /// floor asks for.
    pub(crate) fn check(&self, now: Instant) -> Result<(), Stalled> {
        let elapsed = now.saturating_duration_since(self.started);
        if elapsed < self.floor.grace {
            return Ok(());
        }
        let window_start = now - self.floor.grace;
        // Bytes received by the window's start: the newest sample at or before it (none
        // before the body started).
        let before = self
            .samples
            .iter()
            .rev()
            .find(|(at, _)| *at <= window_start)
            .map_or(0, |(_, bytes)| *bytes);
        let in_window = self.received - before;
        if in_window >= self.floor.per_window() {
            return Ok(());
        }
        Err(Stalled {
            received: self.received,
            elapsed,
            in_window,
            floor: self.floor,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: Instant, millis: u64) -> Instant {
        start + Duration::from_millis(millis)
    }

    #[test]
    fn a_drip_below_the_floor_stalls_after_one_window() {
        let t0 = Instant::now();
        let mut meter = Meter::new(MinThroughput::DEFAULT, t0);
        // One byte every 2 s.
        for s in [2000, 4000] {
            meter.record(at(t0, s), 1);
            assert!(meter.check(at(t0, s)).is_ok(), "within the first window");
        }
        assert_eq!(meter.next_check(at(t0, 4000)), at(t0, 5000));
        let stalled = meter.check(at(t0, 5000)).expect_err("stalled");
        assert_eq!(stalled.received, 2);
        assert_eq!(stalled.in_window, 2);
        assert_eq!(stalled.elapsed, Duration::from_secs(5));
        assert_eq!(
            stalled.to_string(),
            "the transfer stalled: 2 bytes in 5.0 s, 2 in the last 5.0 s (at least 1024 bytes/s \
             are needed)"
        );
        assert_eq!(meter.next_check(at(t0, 5000)), at(t0, 5250));
    }

    /// A sample replaces the newest one while it is less than SPACING after the one
    /// before that, so kept samples stand about SPACING apart.
    #[test]
    fn samples_are_kept_about_a_spacing_apart() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let kept = |meter: &Meter| -> Vec<u128> {
            meter
                .samples
                .iter()
                .map(|(t, _)| t.duration_since(t0).as_millis())
                .collect()
        };
        let mut meter = Meter::new(MinThroughput::DEFAULT, t0);
        for ms in (0..=1000).step_by(100) {
            meter.record(at(ms), 1);
        }
        assert_eq!(kept(&meter), [0, 200, 400, 600, 800, 1000]);
        assert_eq!(meter.samples.back().map(|s| s.1), Some(11));
        // Exactly SPACING after the sample before the newest: a new sample.
        let mut meter = Meter::new(MinThroughput::DEFAULT, t0);
        for ms in [0, 100, 250] {
            meter.record(at(ms), 1);
        }
        assert_eq!(kept(&meter), [0, 100, 250]);
    }

    #[test]
    fn a_slow_transfer_above_the_floor_never_stalls() {
        let t0 = Instant::now();
        let mut meter = Meter::new(MinThroughput::DEFAULT, t0);
        // 50 KiB/s in 5 KiB chunks every 100 ms, for 20 s.
        for tick in 1..=200u64 {
            meter.record(at(t0, tick * 100), 5 * 1024);
            assert!(meter.check(at(t0, tick * 100)).is_ok(), "tick {tick}");
        }
        // Samples about SPACING apart over one window (not one per 100 ms chunk), plus
        // the one before it.
        assert!(meter.samples.len() <= 30, "{}", meter.samples.len());
    }

    #[test]
    fn the_window_slides() {
        let t0 = Instant::now();
        let floor = MinThroughput::new(100, Duration::from_secs(2));
        let mut meter = Meter::new(floor, t0);
        // A burst at once, then nothing: fine while the burst is in the window.
        meter.record(at(t0, 100), 1000);
        assert!(meter.check(at(t0, 2000)).is_ok());
        assert!(
            meter.check(at(t0, 2050)).is_ok(),
            "the burst is still in the window"
        );
        let stalled = meter
            .check(at(t0, 2100))
            .expect_err("the burst left the window");
        assert_eq!(stalled.in_window, 0);
        // Exactly the floor is enough.
        let mut meter = Meter::new(floor, t0);
        meter.record(at(t0, 1000), 200);
        assert!(meter.check(at(t0, 2000)).is_ok());
        meter.record(at(t0, 2500), 199);
        assert!(
            meter.check(at(t0, 3000)).is_err(),
            "199 bytes in the last 2 s"
        );
    }

    #[test]
    fn a_zero_window_is_one_second() {
        let floor = MinThroughput::new(10, Duration::ZERO);
        assert_eq!(floor.grace(), Duration::from_secs(1));
        assert_eq!(floor.bytes_per_second(), 10);
        assert_eq!(MinThroughput::default(), MinThroughput::DEFAULT);
    }
}
