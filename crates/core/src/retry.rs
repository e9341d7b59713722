//! Retry policy: which failures are retried, and how long to wait between attempts.

use std::time::{Duration, SystemTime};

use backon::BackoffBuilder;

/// How a client retries its idempotent `GET`s.
///
/// A failed attempt is retried when it is a timeout, a transport failure, or HTTP 423,
/// 429, 502, 503 or 504, until `max_attempts` attempts have been made or the next wait
/// would end past `max_total_wait` counted from the start of the call (attempts and
/// waits both count; a retry's attempt is cut to what is left), so a call ends within
/// `max(per-attempt timeout, max_total_wait)`. The wait is the server's `Retry-After`
/// when it sent one (seconds, HTTP-date or ISO-8601 timestamp), otherwise exponential
/// backoff with jitter from `initial_backoff` up to `max_backoff`.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_total_wait: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts, backoff from 250 ms to 10 s, at most 60 s for a call in total.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            max_total_wait: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }
    /// Total attempts including the first (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }
    /// First backoff delay.
    pub fn with_initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }
    /// Largest backoff delay.
    pub fn with_max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }
    /// Cap on the time one call may take, from the start of its first attempt: attempts
    /// and waits (`Retry-After` included) both count. No retry whose wait would end past
    /// it is made (a `Retry-After` longer than what is left ends the call at once with the
    /// server's error), and a retry's attempt is stopped when it is reached. The first
    /// attempt always gets the whole per-attempt timeout; `Duration::ZERO` means no
    /// retries.
    pub fn with_max_total_wait(mut self, total: Duration) -> Self {
        self.max_total_wait = total;
        self
    }
    /// Whether backoff delays are randomised (on by default).
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }
    /// Total attempts including the first.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }
    /// Cap on the time of one call, retries included.
    pub fn max_total_wait(&self) -> Duration {
        self.max_total_wait
    }

    /// The backoff delays for successive retries.
    pub(crate) fn backoff(&self) -> impl Iterator<Item = Duration> + Send {
        let mut builder = backon::ExponentialBuilder::default()
            .with_min_delay(self.initial_backoff)
            .with_max_delay(self.max_backoff)
            .with_factor(2.0)
            .with_max_times(self.max_attempts as usize);
        if self.jitter {
            builder = builder.with_jitter();
        }
        builder.build()
    }
}

/// HTTP statuses that mean "try again later" for an idempotent request.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 423 | 429 | 502 | 503 | 504)
}

/// Parses a `Retry-After` value: delay seconds (`120`), an HTTP-date
/// (`Wed, 21 Oct 2026 07:28:00 GMT`) or an ISO-8601 timestamp (`2026-10-21T07:28:00Z`,
/// as Zoom sends). A time in the past means "now"; anything longer than a day is taken
/// as a day (a server asking for more will not be waited for anyway, since
/// [`RetryPolicy::max_total_wait`] is far shorter). Returns `None` for anything else.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use telnums_core::retry::parse_retry_after;
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
/// assert_eq!(parse_retry_after("2023-11-14T22:13:25Z", now), Some(Duration::from_secs(5)));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    parse_retry_after_uncapped(value.trim(), now).map(|wait| wait.min(MAX_RETRY_AFTER))
}

/// The longest `Retry-After` [`parse_retry_after`] returns: one day.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(86_400);

fn parse_retry_after_uncapped(value: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Delay-seconds too large for a u64 (or, past about 309 digits, for an f64, which
        // would parse it as infinite) is still a delay, and longer than a day.
        return Some(MAX_RETRY_AFTER);
    }
    if let Ok(secs) = value.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Some(Duration::from_secs_f64(
                secs.min(MAX_RETRY_AFTER.as_secs_f64()),
            ));
        }
        return None;
    }
    let until = |at: SystemTime| Some(at.duration_since(now).unwrap_or(Duration::ZERO));
    if let Ok(at) = httpdate::parse_http_date(value) {
        return until(at);
    }
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(value) {
        return until(SystemTime::from(at.with_timezone(&chrono::Utc)));
    }
    // A timestamp without an offset is taken as UTC.
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(value, format) {
            return until(SystemTime::from(naive.and_utc()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(
            parse_retry_after(" 7 ", now()),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("1.5", now()),
            Some(Duration::from_millis(1500))
        );
        // 1_700_000_000 is Tue, 14 Nov 2023 22:13:20 GMT.
        assert_eq!(
            parse_retry_after("Tue, 14 Nov 2023 22:13:30 GMT", now()),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("2023-11-14T22:13:22.500Z", now()),
            Some(Duration::from_millis(2500))
        );
        assert_eq!(
            parse_retry_after("2023-11-14T23:13:21+01:00", now()),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            parse_retry_after("2023-11-14T22:13:24", now()),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            parse_retry_after("2001-01-01T00:00:00Z", now()),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("-3", now()), None);
        // Absurd values are capped, never an overflow.
        assert_eq!(
            parse_retry_after("18446744073709551615", now()),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(parse_retry_after("1e300", now()), Some(MAX_RETRY_AFTER));
        let huge = format!("8{}", "0".repeat(500));
        assert_eq!(parse_retry_after(&huge, now()), Some(MAX_RETRY_AFTER));
        assert_eq!(
            parse_retry_after("9999-12-31T23:59:59Z", now()),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(parse_retry_after("", now()), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::default()
            .with_jitter(false)
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(300));
        let delays: Vec<u128> = policy.backoff().take(4).map(|d| d.as_millis()).collect();
        assert_eq!(delays, [100, 200, 300, 300]);
    }
}
