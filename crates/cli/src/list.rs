//! `telnums list`: the sources and query its flags make, and the listing streamed to
//! stdout or to the file named by --output.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use futures::StreamExt;
use telnums::{normalize_e164, Query, Source};

use crate::args::{Format, ListTarget, Listed, Which};
use crate::{config, default_format, io_failure, output, progress, Failure};

/// Lists what `target` names. `filters`: the provider's filter flags (flag, values);
/// `progress_allowed`: whether progress may be shown (not while requests are logged).
pub(crate) async fn run(
    target: &ListTarget,
    filters: &[(&'static str, Vec<String>)],
    progress_allowed: bool,
) -> Result<(), Failure> {
    let Listed {
        which,
        common,
        concurrency,
        strict,
    } = target.listed();
    // A file named by --output is not a terminal, whatever stdout is: its extension
    // names the format.
    let format = common.format.unwrap_or_else(|| match &common.output {
        Some(path) => Format::for_file(path),
        None => default_format(),
    });
    let mut query = Query::default();
    if let Some(n) = &common.phone_number {
        // Checked here so that a bad number is a usage error (exit 2); the facade would
        // report it as a listing error.
        let number = normalize_e164(n).ok_or_else(|| {
            Failure::usage(format!(
                "--phone-number {n:?} is not a phone number with its country code \
                 (e.g. +61255501234, 0061255501234 or 61255501234)"
            ))
        })?;
        query = query.phone_number(number);
    }
    if let Some(n) = common.max_items {
        query = query.max_items(n);
    }
    if let Some(n) = concurrency {
        query = query.concurrency(usize::from(n));
    }
    if let Some(n) = common.page_size {
        query = query.page_size(n);
    }
    let env = config::Env::from_process();
    let sources = match which {
        Which::All(path) => {
            let (sources, with_filters) = config::sources_from_file(path, common, &env, query)?;
            query = with_filters;
            sources
        }
        Which::One(provider, ids) => {
            for (flag, values) in filters {
                for value in values {
                    query = query
                        .filter(provider, flag, value)
                        .map_err(|e| Failure::usage(e.to_string()))?;
                }
            }
            vec![config::source_from_args(provider, &ids, common, &env)?]
        }
    };
    let output = common.output.as_deref();
    emit(sources, &query, format, output, progress_allowed, strict).await
}

/// Size of the output buffer; it is also flushed at the end of every page.
const OUTPUT_BUFFER: usize = 64 * 1024;

/// The width a table on stdout is fitted to: `COLUMNS` when it is set to a number (so a
/// pipe or a test can ask for one), else the terminal's; `None` (nothing cut) when
/// neither says.
fn table_width() -> Option<usize> {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0);
    // `size_checked` answers only for a terminal that reports rows and columns over 0.
    from_env.or_else(|| {
        console::Term::stdout()
            .size_checked()
            .map(|(_rows, columns)| usize::from(columns))
    })
}

/// Streams every source's numbers to stdout (or `output`) page by page as they arrive.
/// Errors are reported on stderr as they happen; the others' numbers still come out.
/// Exit 1 if any failed.
pub(crate) async fn emit(
    sources: Vec<Source>,
    query: &Query,
    format: Format,
    output: Option<&Path>,
    progress_allowed: bool,
    strict: bool,
) -> Result<(), Failure> {
    let records_on_terminal = output.is_none() && std::io::stdout().is_terminal();
    // Progress goes to a terminal on stderr, unless log lines (`-v`) would interleave
    // with it. When the records go to that terminal too, it shows only until they start
    // (from then on the records are the progress).
    let show_progress = progress_allowed && std::io::stderr().is_terminal();
    let progress = progress::Progress::new(show_progress, &sources, records_on_terminal);
    let table = output::TableOptions {
        // A table in a file is laid out for its contents, not for a screen.
        width: output.is_none().then(table_width).flatten(),
        providers: sources.iter().map(Source::provider).collect(),
    };
    let pages = telnums::list_all_pages(sources, query);
    let Some(path) = output else {
        let stdout = std::io::stdout();
        let out = BufWriter::with_capacity(OUTPUT_BUFFER, stdout.lock());
        let outcome = write_pages(pages, out, format, table, &progress, strict).await;
        progress.finish();
        return match outcome {
            Outcome::Done { tally, .. } if tally.failed.is_empty() => Ok(()),
            Outcome::Done { .. } => Err(Failure::reported()),
            // `telnums list … | head`: the reader has what it wanted.
            Outcome::Closed { failed: 0 } => Ok(()),
            Outcome::Closed { .. } => Err(Failure::reported()),
            Outcome::Io(e) => Err(io_failure(e)),
        };
    };
    let file = output_file(path)?;
    let out = BufWriter::with_capacity(OUTPUT_BUFFER, file);
    let outcome = write_pages(pages, out, format, table, &progress, strict).await;
    progress.finish();
    match outcome {
        Outcome::Done { tally, out } => {
            let file = out
                .into_inner()
                .map_err(|e| file_failure(path, e.error()))?;
            if tally.failed.is_empty() {
                return file
                    .persist(path)
                    .map(|_| ())
                    .map_err(|e| file_failure(path, &e.error));
            }
            if tally.listed() == 0 {
                // Nothing to keep: the temporary file is removed when dropped.
                return Err(Failure::reported());
            }
            let partial = partial_path(path);
            file.persist(&partial)
                .map_err(|e| file_failure(&partial, &e.error))?;
            Err(Failure::api(tally.kept_in(path, &partial)))
        }
        // Files do not close on their reader; an error writing one is reported. The
        // temporary file is removed when dropped; the target is untouched.
        Outcome::Closed { .. } => Err(Failure::reported()),
        Outcome::Io(e) => Err(file_failure(path, &e)),
    }
}

/// Where the numbers of a failed listing to `path` are kept: `numbers.json` →
/// `numbers.partial.json`, `numbers` → `numbers.partial`.
fn partial_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().unwrap_or(path.as_os_str());
    let mut name = stem.to_os_string();
    name.push(".partial");
    if let Some(ext) = path.extension() {
        name.push(".");
        name.push(ext);
    }
    path.with_file_name(name)
}

/// What a listing wrote: numbers per provider (in the order they first came), and the
/// providers that failed (an error, or a total that did not match under --strict).
#[derive(Debug, Default)]
struct Tally {
    listed: Vec<(&'static str, u64)>,
    failed: Vec<&'static str>,
}

impl Tally {
    fn count(&mut self, provider: &'static str, numbers: usize) {
        let numbers = numbers as u64;
        match self.listed.iter_mut().find(|(p, _)| *p == provider) {
            Some((_, n)) => *n += numbers,
            None => self.listed.push((provider, numbers)),
        }
    }

    fn fail(&mut self, provider: &'static str) {
        if !self.failed.contains(&provider) {
            self.failed.push(provider);
        }
    }

    fn listed(&self) -> u64 {
        self.listed.iter().map(|(_, n)| n).sum()
    }

    /// The message for a failed listing whose numbers were kept in `partial` while
    /// `target` was left as it was.
    fn kept_in(&self, target: &Path, partial: &Path) -> String {
        let which = self.failed.join(", ");
        let counts: Vec<String> = self
            .listed
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(p, n)| match self.failed.contains(p) {
                true => format!("{p} {n} before it failed"),
                false => format!("{p} {n}"),
            })
            .collect();
        let total = self.listed();
        format!(
            "{which} failed, so {} was left as it was; the {total} {} listed ({}) {} in {}",
            target.display(),
            if total == 1 { "number" } else { "numbers" },
            counts.join(", "),
            if total == 1 { "is" } else { "are" },
            partial.display()
        )
    }
}

/// How writing the listing ended.
enum Outcome<W> {
    /// Every page was written; `tally` says what, and which providers failed.
    Done { tally: Tally, out: W },
    /// The reader went away (broken pipe) after `failed` provider failures.
    Closed { failed: usize },
    /// The output could not be written.
    Io(std::io::Error),
}

async fn write_pages<W: Write>(
    mut pages: futures::stream::BoxStream<'static, Result<telnums::Page, telnums::Error>>,
    out: W,
    format: Format,
    table: output::TableOptions,
    progress: &progress::Progress,
    strict: bool,
) -> Outcome<W> {
    let mut tally = Tally::default();
    let io = |e: std::io::Error, tally: &Tally| {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Outcome::Closed {
                failed: tally.failed.len(),
            }
        } else {
            Outcome::Io(e)
        }
    };
    let several = table.providers.len() > 1;
    let keys: Vec<&'static str> = table.providers.iter().map(|p| p.key()).collect();
    let mut writer = match output::Writer::new(out, format, table) {
        Ok(w) => w,
        Err(e) => return io(e, &tally),
    };
    let mut held = Vec::new().into_iter();
    if format == Format::Table && several {
        let first = first_pages(&mut pages, keys).await;
        writer.plan(
            first
                .iter()
                .flat_map(|p| p.as_ref().map_or(&[][..], |p| &p.items)),
        );
        held = first.into_iter();
    }
    loop {
        let page = match held.next() {
            Some(page) => page,
            None => match pages.next().await {
                Some(page) => page,
                None => break,
            },
        };
        match page {
            Ok(page) => {
                tally.count(page.provider, page.items.len());
                if !page.items.is_empty() {
                    // Records about to reach the terminal clear the waiting lines first.
                    progress.output_starts();
                    let written = writer.write_page(&page.items).and_then(|()| writer.flush());
                    if let Err(e) = written {
                        return io(e, &tally);
                    }
                }
                if let Ok(provider) = page.provider.parse() {
                    progress.page(provider, &page.items);
                }
                if let Some(mismatch) = page.total_mismatch() {
                    let line = match strict {
                        true => {
                            tally.fail(page.provider);
                            format!("telnums: {}: {mismatch} (--strict)", page.provider)
                        }
                        false => format!("telnums: warning: {}: {mismatch}", page.provider),
                    };
                    progress.error(page.provider, &line);
                }
            }
            Err(e) => {
                // Reported now, while the other providers keep streaming.
                tally.fail(e.provider());
                progress.error(e.provider(), &format!("telnums: {e}"));
            }
        }
    }
    progress.output_starts();
    match writer.finish(tally.failed.is_empty()) {
        Ok(out) => Outcome::Done { tally, out },
        Err(e) => io(e, &tally),
    }
}

/// How long a table of several providers waits, after the first page with numbers, for
/// the other providers' first pages before it is laid out without them.
const LAYOUT_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// The pages (and errors) that come until every provider in `keys` has sent a page with
/// numbers, its last page or an error, or until [`LAYOUT_WAIT`] after the first page
/// with numbers. A table of several providers is laid out for all of them: one
/// provider's short ids (or none) would otherwise make the ID column too narrow for the
/// next one's.
async fn first_pages(
    pages: &mut futures::stream::BoxStream<'static, Result<telnums::Page, telnums::Error>>,
    mut keys: Vec<&'static str>,
) -> Vec<Result<telnums::Page, telnums::Error>> {
    let mut held = Vec::new();
    let mut deadline = None;
    while !keys.is_empty() {
        let next = match deadline {
            None => pages.next().await,
            Some(at) => match tokio::time::timeout_at(at, pages.next()).await {
                Ok(next) => next,
                Err(_) => break,
            },
        };
        let Some(page) = next else { break };
        let (provider, settled) = match &page {
            Ok(page) => (page.provider, !page.items.is_empty() || page.is_last()),
            Err(e) => (e.provider(), true),
        };
        if settled {
            keys.retain(|k| *k != provider);
        }
        if deadline.is_none() && page.as_ref().is_ok_and(|p| !p.items.is_empty()) {
            deadline = Some(tokio::time::Instant::now() + LAYOUT_WAIT);
        }
        held.push(page);
    }
    held
}

/// A temporary file beside `path`, to be renamed over it once the listing succeeded.
fn output_file(path: &Path) -> Result<tempfile::NamedTempFile, Failure> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if let Err(e) = std::fs::metadata(dir) {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => format!("no directory {}", dir.display()),
            _ => format!("{}: {}", dir.display(), os_message(&e)),
        };
        return Err(Failure::usage(format!(
            "cannot write {}: {why}",
            path.display()
        )));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".telnums-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // Like a file the shell would create: readable by others unless the target
        // already exists with its own permissions, which are kept.
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    builder.tempfile_in(dir).map_err(|e| {
        Failure::usage(format!(
            "cannot write {}: {}",
            path.display(),
            os_message(&e)
        ))
    })
}

/// `e`'s text without the temporary file's name that `tempfile` appends to its errors
/// (` at path ".telnums-….tmp"`): the user named `--output`'s path, not that one.
fn os_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" at path ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// An error writing the file the user named with --output.
fn file_failure(path: &Path, e: &std::io::Error) -> Failure {
    Failure::api(format!(
        "cannot write {}: {}",
        path.display(),
        os_message(e)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tempfile` names its temporary file in its errors; the messages do not.
    #[test]
    fn file_errors_do_not_name_the_temporary_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").expect("write");
        let err = tempfile::Builder::new()
            .prefix(".telnums-")
            .tempfile_in(&file)
            .expect_err("not a directory");
        assert!(err.to_string().contains(" at path "), "{err}");
        let message = os_message(&err);
        assert!(message.starts_with("Not a directory"), "{message}");
        assert!(!message.contains(".telnums-"), "{message}");
        let plain = std::io::Error::from_raw_os_error(2);
        assert_eq!(os_message(&plain), plain.to_string());
    }

    use futures::stream::{self, BoxStream};
    use std::time::Duration;
    use telnums::Provider;
    use tokio::time::Instant;

    const A: Provider = Provider::VonageCc;
    const B: Provider = Provider::WebexCalling;

    type Pages = BoxStream<'static, Result<telnums::Page, telnums::Error>>;

    fn page(provider: Provider, ids: &[&str], last: bool) -> Result<telnums::Page, telnums::Error> {
        let items = ids
            .iter()
            .map(|id| crate::test_number(provider, id))
            .collect();
        let mut page = telnums::Page::single(provider.key(), items);
        if !last {
            page.end = None;
        }
        Ok(page)
    }

    /// `page` after `delay` (of tokio's clock, paused in these tests).
    fn after(delay: Duration, page: Result<telnums::Page, telnums::Error>) -> Pages {
        stream::once(async move {
            tokio::time::sleep(delay).await;
            page
        })
        .boxed()
    }

    #[tokio::test(start_paused = true)]
    async fn first_pages_are_held_until_each_provider_showed_numbers_or_ended() {
        let c = Provider::ZoomPhone;
        let mut pages = stream::iter([
            page(A, &[], false),
            page(B, &["b-1"], false),
            page(c, &[], true),
            page(A, &["a-1"], false),
            page(B, &["b-2"], true),
        ])
        .boxed();
        let started = Instant::now();
        let held = first_pages(&mut pages, vec![A.key(), B.key(), c.key()]).await;
        assert_eq!(held.len(), 4, "up to A's first numbers");
        assert_eq!(started.elapsed(), Duration::ZERO, "nothing was waited for");
        // A provider that sends nothing is waited for until LAYOUT_WAIT after the first
        // numbers, not longer.
        let mut pages = stream::iter([page(A, &["a-1"], false)])
            .chain(stream::pending())
            .boxed();
        let held = bounded(first_pages(&mut pages, vec![A.key(), B.key()])).await;
        assert_eq!(held.len(), 1);
        assert_eq!(started.elapsed(), LAYOUT_WAIT);
    }

    /// `future`, failing the test if it is not done within a minute of the paused clock
    /// (which advances at once when nothing else can run).
    async fn bounded<T>(future: impl std::future::Future<Output = T>) -> T {
        tokio::time::timeout(Duration::from_secs(60), future)
            .await
            .expect("done within the bound")
    }

    #[tokio::test(start_paused = true)]
    async fn the_layout_wait_starts_at_the_first_numbers_and_does_not_restart() {
        let ms = Duration::from_millis;
        // An empty first page starts no wait; B's numbers at 800 ms do, so A's at 1500 ms
        // are in time.
        let mut pages = stream::iter([page(A, &[], false)])
            .chain(after(ms(800), page(B, &["b-1"], false)))
            .chain(after(ms(700), page(A, &["a-1"], false)))
            .chain(stream::pending())
            .boxed();
        let started = Instant::now();
        let held = bounded(first_pages(&mut pages, vec![A.key(), B.key()])).await;
        assert_eq!(held.len(), 3);
        assert_eq!(started.elapsed(), ms(1500));
        // More numbers from a provider already seen do not extend it.
        let c = Provider::ZoomPhone;
        let mut pages = stream::iter([page(A, &["a-1"], false)])
            .chain(after(ms(600), page(A, &["a-2"], false)))
            .chain(after(ms(600), page(B, &["b-1"], false)))
            .chain(stream::pending())
            .boxed();
        let started = Instant::now();
        let held = bounded(first_pages(&mut pages, vec![A.key(), B.key(), c.key()])).await;
        assert_eq!(held.len(), 2, "B's page came after the wait");
        assert_eq!(started.elapsed(), LAYOUT_WAIT);
    }

    /// What `write_pages` wrote, and when it first wrote (of tokio's paused clock).
    #[derive(Default)]
    struct Timed {
        out: Vec<u8>,
        first: Option<Instant>,
    }

    impl Write for Timed {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if !bytes.is_empty() && self.first.is_none() {
                self.first = Some(Instant::now());
            }
            self.out.extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    async fn written(format: Format, pages: Pages) -> (String, Duration) {
        let started = Instant::now();
        let progress = progress::Progress::new(false, &[], false);
        let table = output::TableOptions {
            width: None,
            providers: vec![A, B],
        };
        let Outcome::Done { out, .. } =
            write_pages(pages, Timed::default(), format, table, &progress, false).await
        else {
            panic!("every page written");
        };
        let first = out.first.expect("something written");
        (String::from_utf8(out.out).expect("utf-8"), first - started)
    }

    #[tokio::test(start_paused = true)]
    async fn only_a_table_of_several_providers_waits_to_lay_out_their_first_pages() {
        let late = Duration::from_millis(500);
        let long_id = "b-0123456789abcdef";
        let pages = || {
            stream::iter([page(A, &["a-1"], true)])
                .chain(after(late, page(B, &[long_id], true)))
                .boxed()
        };
        let (ndjson, first) = written(Format::Ndjson, pages()).await;
        assert_eq!(first, Duration::ZERO, "streamed as it came");
        assert_eq!(ndjson.lines().count(), 2);
        let (table, first) = written(Format::Table, pages()).await;
        assert_eq!(first, late, "laid out once B's first page came");
        let at: Vec<Option<usize>> = table
            .lines()
            .map(|l| l.find("NUMBER").or(l.find("+1202")))
            .collect();
        assert_eq!(at.len(), 3, "{table}");
        assert!(
            at.iter().all(|c| *c == at[0]),
            "aligned for both providers:\n{table}"
        );
    }

    #[test]
    fn the_tally_adds_up_each_providers_pages() {
        let mut tally = Tally::default();
        tally.count("vonage-cc", 2);
        tally.count("zoom-phone", 1);
        tally.count("webex-calling", 0);
        tally.count("vonage-cc", 3);
        tally.fail("zoom-phone");
        tally.fail("zoom-phone");
        assert_eq!(tally.listed(), 6);
        assert_eq!(
            tally.kept_in(Path::new("out.csv"), Path::new("out.partial.csv")),
            "zoom-phone failed, so out.csv was left as it was; the 6 numbers listed \
             (vonage-cc 5, zoom-phone 1 before it failed) are in out.partial.csv"
        );
    }

    #[test]
    fn partial_files_sit_beside_the_target_with_its_extension() {
        let partial = |p: &str| partial_path(Path::new(p)).display().to_string();
        assert_eq!(partial("numbers.json"), "numbers.partial.json");
        assert_eq!(partial("out/numbers.csv"), "out/numbers.partial.csv");
        assert_eq!(partial("numbers"), "numbers.partial");
        assert_eq!(partial("/tmp/a.b.ndjson"), "/tmp/a.b.partial.ndjson");
        assert_eq!(partial(".hidden"), ".hidden.partial");
    }
}
