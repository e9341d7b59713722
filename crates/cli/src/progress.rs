//! Progress on a terminal: one line per provider with its pages, numbers and rate
//! ("waiting for the first page" until one arrives), drawn on stderr by `indicatif`.
//! When the records go to the same terminal, the lines show only until the first
//! records are written and are then cleared for good: from there on the records are
//! the progress, and the lines would only get in their way. When progress is off
//! (stderr is not a terminal, or `-v` logs), nothing extra is printed and errors are
//! plain lines on stderr.

use std::cell::Cell;
use std::time::{Duration, Instant};

use indicatif::{HumanCount, MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use telnums::{PhoneNumber, Provider, Source};

/// The progress display of one listing.
pub struct Progress {
    multi: Option<MultiProgress>,
    bars: Vec<Bar>,
    /// The records go to the same terminal: the lines are cleared when they start.
    transient: bool,
    /// Set once a transient display has been cleared.
    cleared: Cell<bool>,
}

struct Bar {
    provider: Provider,
    bar: ProgressBar,
    pages: Cell<u64>,
    numbers: Cell<u64>,
    started: Instant,
}

impl Progress {
    /// A line per source when `show`, otherwise nothing. `transient`: the records go to
    /// the same terminal, so the lines are cleared once they start
    /// ([`Progress::output_starts`]).
    pub fn new(show: bool, sources: &[Source], transient: bool) -> Self {
        if !show {
            return Self {
                multi: None,
                bars: Vec::new(),
                transient,
                cleared: Cell::new(false),
            };
        }
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{prefix:>14} {spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bars = sources
            .iter()
            .map(|source| {
                let bar = multi.add(ProgressBar::new_spinner().with_style(style.clone()));
                bar.set_prefix(source.provider().key());
                bar.set_message("waiting for the first page");
                bar.enable_steady_tick(Duration::from_millis(120));
                Bar {
                    provider: source.provider(),
                    bar,
                    pages: Cell::new(0),
                    numbers: Cell::new(0),
                    started: Instant::now(),
                }
            })
            .collect();
        Self {
            multi: Some(multi),
            bars,
            transient,
            cleared: Cell::new(false),
        }
    }

    /// The display while it is drawn: `None` when off or cleared.
    fn live(&self) -> Option<&MultiProgress> {
        self.multi.as_ref().filter(|_| !self.cleared.get())
    }

    /// Records are about to be written. A transient display is cleared for good; any
    /// other is left as it is.
    pub fn output_starts(&self) {
        if !self.transient {
            return;
        }
        let Some(multi) = self.live() else {
            return;
        };
        for bar in &self.bars {
            bar.bar.finish_and_clear();
        }
        let _ = multi.clear();
        self.cleared.set(true);
    }

    fn bar(&self, provider: Provider) -> Option<&Bar> {
        self.bars.iter().find(|b| b.provider == provider)
    }

    /// Counts one page of `provider`'s numbers.
    pub fn page(&self, provider: Provider, numbers: &[PhoneNumber]) {
        let Some(bar) = self.bar(provider).filter(|_| !self.cleared.get()) else {
            return;
        };
        bar.pages.set(bar.pages.get() + 1);
        bar.numbers.set(bar.numbers.get() + numbers.len() as u64);
        let rate = per_second(bar.numbers.get(), bar.started.elapsed());
        bar.bar
            .set_message(counts(bar.numbers.get(), bar.pages.get(), rate));
    }

    /// Prints `message` on its own line (above the progress lines, when shown) and stops
    /// the provider's line (removing it, when the display is transient).
    pub fn error(&self, provider: &str, message: &str) {
        match self.live() {
            Some(multi) => {
                if let Some(bar) = self.bars.iter().find(|b| b.provider.key() == provider) {
                    if self.transient {
                        bar.bar.finish_and_clear();
                        multi.remove(&bar.bar);
                    } else {
                        bar.bar.abandon();
                    }
                }
                if multi.println(message).is_err() {
                    eprintln!("{message}");
                }
            }
            None => eprintln!("{message}"),
        }
    }

    /// Stops every line, leaving its final counts on the terminal (or, when transient,
    /// clearing it).
    pub fn finish(&self) {
        if self.transient {
            self.output_starts();
            return;
        }
        for bar in &self.bars {
            if !bar.bar.is_finished() {
                bar.bar.finish();
            }
        }
    }
}

/// `numbers` over `elapsed`, per second; 0 before any time has passed.
fn per_second(numbers: u64, elapsed: Duration) -> f64 {
    let seconds = elapsed.as_secs_f64();
    if seconds > 0.0 {
        numbers as f64 / seconds
    } else {
        0.0
    }
}

/// `12,345 numbers, 3 pages, 4,115/s`.
fn counts(numbers: u64, pages: u64, rate: f64) -> String {
    let plural = |n: u64, one: &str, many: &str| {
        format!("{} {}", HumanCount(n), if n == 1 { one } else { many })
    };
    format!(
        "{}, {}, {}/s",
        plural(numbers, "number", "numbers"),
        plural(pages, "page", "pages"),
        HumanCount(rate.round() as u64)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(provider: Provider) -> Source {
        let base = "http://127.0.0.1:9";
        match provider {
            Provider::ZoomPhone => Source::ZoomPhone(
                telnums::zoom_phone::ZoomPhoneClient::builder()
                    .base_url(base)
                    .build()
                    .expect("client"),
            ),
            _ => Source::webex_calling(
                telnums::webex_calling::WebexClient::builder()
                    .base_url(base)
                    .build()
                    .expect("client"),
                None,
            ),
        }
    }

    fn numbers(provider: Provider, n: usize) -> Vec<PhoneNumber> {
        (0..n)
            .map(|i| crate::test_number(provider, &i.to_string()))
            .collect()
    }

    /// (numbers, pages, finished) of `provider`'s line.
    fn line(progress: &Progress, provider: Provider) -> (u64, u64, bool) {
        let bar = progress.bar(provider).expect("a line per source");
        (bar.numbers.get(), bar.pages.get(), bar.bar.is_finished())
    }

    #[test]
    fn each_provider_counts_its_own_pages_and_numbers() {
        let sources = [source(Provider::ZoomPhone), source(Provider::WebexCalling)];
        let progress = Progress::new(true, &sources, false);
        progress.page(Provider::ZoomPhone, &numbers(Provider::ZoomPhone, 3));
        progress.page(Provider::ZoomPhone, &numbers(Provider::ZoomPhone, 2));
        // An empty last page is a page too.
        progress.page(Provider::ZoomPhone, &[]);
        progress.page(Provider::WebexCalling, &numbers(Provider::WebexCalling, 1));
        assert_eq!(line(&progress, Provider::ZoomPhone), (5, 3, false));
        assert_eq!(line(&progress, Provider::WebexCalling), (1, 1, false));
        let message = progress
            .bar(Provider::ZoomPhone)
            .expect("line")
            .bar
            .message();
        assert!(message.starts_with("5 numbers, 3 pages, "), "{message}");
        // An error stops that provider's line only.
        progress.error("webex-calling", "telnums: webex-calling: API error");
        assert!(line(&progress, Provider::WebexCalling).2);
        assert!(!line(&progress, Provider::ZoomPhone).2);
        progress.finish();
        assert!(line(&progress, Provider::ZoomPhone).2);
    }

    #[test]
    fn the_rate_is_numbers_per_second_and_zero_at_the_start() {
        assert_eq!(per_second(100, Duration::from_secs(2)), 50.0);
        assert_eq!(per_second(3, Duration::from_millis(500)), 6.0);
        assert_eq!(per_second(5, Duration::ZERO), 0.0);
        assert_eq!(per_second(0, Duration::ZERO), 0.0);
    }

    #[test]
    fn counts_are_grouped_and_singular_when_one() {
        assert_eq!(counts(0, 0, 0.0), "0 numbers, 0 pages, 0/s");
        assert_eq!(counts(1, 1, 0.4), "1 number, 1 page, 0/s");
        assert_eq!(
            counts(1_234_567, 247, 4114.6),
            "1,234,567 numbers, 247 pages, 4,115/s"
        );
    }

    /// Records on the same terminal: the lines wait for them, then go for good.
    #[test]
    fn a_transient_display_is_cleared_when_output_starts() {
        let sources = [source(Provider::ZoomPhone), source(Provider::WebexCalling)];
        let progress = Progress::new(true, &sources, true);
        let message = |p| progress.bar(p).expect("line").bar.message();
        assert_eq!(message(Provider::ZoomPhone), "waiting for the first page");
        // An empty page is no output.
        progress.page(Provider::ZoomPhone, &[]);
        assert_eq!(line(&progress, Provider::ZoomPhone), (0, 1, false));
        progress.output_starts();
        assert!(progress.live().is_none());
        for provider in [Provider::ZoomPhone, Provider::WebexCalling] {
            assert!(line(&progress, provider).2, "{provider} stopped");
        }
        // Nothing is counted or drawn after that.
        progress.page(Provider::WebexCalling, &numbers(Provider::WebexCalling, 2));
        assert_eq!(line(&progress, Provider::WebexCalling), (0, 0, true));
        progress.error("webex-calling", "telnums: webex-calling: API error");
        progress.finish();
        // A display that is not transient stays until the end.
        let progress = Progress::new(true, &sources, false);
        progress.output_starts();
        assert!(progress.live().is_some());
        assert!(!line(&progress, Provider::ZoomPhone).2);
        progress.finish();
    }

    #[test]
    fn off_means_no_lines() {
        let progress = Progress::new(false, &[source(Provider::ZoomPhone)], false);
        assert!(progress.bar(Provider::ZoomPhone).is_none());
        progress.page(Provider::ZoomPhone, &numbers(Provider::ZoomPhone, 1));
        progress.finish();
    }
}
