//! The table of `--format table`. It streams like the other formats, so its layout is decided once, before its first row: from the
//! first page that has numbers, or with several providers from each one's first page
//! (see `first_pages` in `list.rs`). It is fitted to the width it is given (the
//! terminal's, or `COLUMNS`):
//!
//! - Provider keys, ids, numbers and extensions are never cut: they are what people
//!   copy. When a later value is wider than its column it is printed whole and the cut
//!   cells after it on that row give up the room, so the rest of the row stays aligned
//!   when they can make up for it.
//! - Labels, statuses, kinds, owners and locations are cut with `…` to their column; the
//!   last column runs to the end of the line.
//! - When the natural widths do not fit: listing one provider, the columns that are
//!   empty on the first page go first, then the PROVIDER column (it would repeat one
//!   key); then the cut columns are narrowed, widest first, down to 8 characters (6 for
//!   STATUS and KIND); then whole columns are dropped, in this order: LOCATION, KIND,
//!   STATUS, OWNER, LABEL, EXT. PROVIDER (with several providers), ID and NUMBER are
//!   always shown, even when they alone are wider than the line.
//! - When they fit with room to spare, the columns that have values are widened into it
//!   (labels, owners and locations up to 32, statuses and kinds up to 12, numbers up to
//!   the 16 of the longest E.164 number), since later pages may hold longer values.
//! - Without a width (a pipe without `COLUMNS`, or a file named by `--output`), nothing
//!   is cut, dropped or widened: each column is as wide as the first page needs, and a
//!   longer value later pushes the rest of its row along.

use std::io::{self, Write};

use telnums::{PhoneNumber, Provider};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::s;

/// A column of the table. The discriminant is the cell's index in [`Cells`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Provider,
    Id,
    Number,
    Ext,
    Label,
    Status,
    Kind,
    Owner,
    Location,
}

use Column::*;

/// Every column, in the order they are shown.
const ALL: [Column; 9] = [
    Provider, Id, Number, Ext, Label, Status, Kind, Owner, Location,
];

/// The columns dropped, in this order, when narrowing the others is not enough.
const DROP_ORDER: [Column; 6] = [Location, Kind, Status, Owner, Label, Ext];

/// Spaces between two columns.
const GAP: usize = 2;

impl Column {
    fn header(self) -> &'static str {
        match self {
            Provider => "PROVIDER",
            Id => "ID",
            Number => "NUMBER",
            Ext => "EXT",
            Label => "LABEL",
            Status => "STATUS",
            Kind => "KIND",
            Owner => "OWNER",
            Location => "LOCATION",
        }
    }

    /// Whether cells may be cut to fit. Provider keys, ids, numbers and extensions are
    /// what people copy, so they are always whole.
    fn cut(self) -> bool {
        matches!(self, Label | Status | Kind | Owner | Location)
    }

    /// The narrowest a cut column is made before columns are dropped; never less than
    /// its header.
    fn min(self) -> usize {
        match self {
            Status | Kind => 6,
            _ => 8,
        }
    }

    /// The width a column with values is widened to when the line has room to spare:
    /// the first page is not every page. Numbers get room for the longest E.164 number;
    /// ids, extensions and provider keys are as wide as the first page needs.
    fn roomy(self) -> usize {
        match self {
            Status | Kind => 12,
            Number => 16,
            Provider | Id | Ext => 0,
            Label | Owner | Location => 32,
        }
    }
}

/// One row's cells, indexed by [`Column`], with control characters replaced.
type Cells = [String; 9];

/// Fills `cells` from `n`.
fn fill(cells: &mut Cells, n: &PhoneNumber) {
    for cell in cells.iter_mut() {
        cell.clear();
    }
    let mut put = |column: Column, value: &str| printable(&mut cells[column as usize], value);
    put(Provider, n.provider.key());
    put(Id, s(&n.id));
    // The E.164 form, or what the provider sent when it is not E.164.
    put(
        Number,
        n.number
            .as_deref()
            .or(n.number_raw.as_deref())
            .unwrap_or(""),
    );
    put(Ext, s(&n.extension));
    put(Label, s(&n.label));
    put(Status, s(&n.status));
    put(Kind, s(&n.kind));
    if let Some(o) = &n.owner {
        match o.name.as_deref() {
            Some(name) => {
                put(Owner, name);
                if let Some(kind) = o.kind.as_deref() {
                    put(Owner, " (");
                    put(Owner, kind);
                    put(Owner, ")");
                }
            }
            None => put(Owner, s(&o.id)),
        }
    }
    if let Some(l) = &n.location {
        put(
            Location,
            l.name.as_deref().or(l.id.as_deref()).unwrap_or(""),
        );
    }
}

/// What the table is fitted to and what it lists.
#[derive(Clone, Debug)]
pub struct TableOptions {
    /// The line width to fit rows to; `None`: nothing is cut or dropped.
    pub width: Option<usize>,
    /// The providers listed: with one, its provider column can go when space is short,
    /// and the provider column is as wide as the longest key.
    pub providers: Vec<Provider>,
}

/// Which columns the table shows, how wide each is, and the width rows are fitted to.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Layout {
    columns: Vec<(Column, usize)>,
    width: Option<usize>,
}

/// The width of `columns` with their gaps.
fn total(columns: &[(Column, usize)]) -> usize {
    columns.iter().map(|(_, w)| w).sum::<usize>() + GAP * columns.len().saturating_sub(1)
}

impl Layout {
    /// The layout for a table whose first page is `sample` (no rows: headers only).
    fn new(sample: &[Cells], options: &TableOptions) -> Self {
        let keys = options
            .providers
            .iter()
            .map(|p| p.key().len())
            .max()
            .unwrap_or(0);
        let natural = |column: Column| {
            let data = sample
                .iter()
                .map(|cells| text_width(&cells[column as usize]))
                .max()
                .unwrap_or(0);
            let width = data.max(column.header().len());
            match column {
                Provider => width.max(keys),
                _ => width,
            }
        };
        let columns: Vec<(Column, usize)> = ALL.iter().map(|&c| (c, natural(c))).collect();
        let width = options.width;
        let Some(limit) = width else {
            return Self { columns, width };
        };
        let mut columns = fit(columns, sample, options.providers.len() == 1, limit);
        let filled = |column: Column| {
            sample
                .iter()
                .any(|cells| !cells[column as usize].is_empty())
        };
        grow(&mut columns, limit, filled);
        Self { columns, width }
    }

    /// Appends one line to `row`: `cell(column)` for every column shown.
    fn render<'a>(&self, row: &mut String, cell: impl Fn(Column) -> &'a str) {
        row.clear();
        // `pos`: display columns written so far; `start`: where the next column begins.
        let mut pos = 0;
        let mut start = 0;
        let last = self.columns.len().saturating_sub(1);
        for (i, &(column, width)) in self.columns.iter().enumerate() {
            if i > 0 {
                let at = start.max(pos + GAP);
                row.extend(std::iter::repeat_n(' ', at - pos));
                pos = at;
            }
            let text = cell(column);
            pos += match self.width {
                Some(limit) if column.cut() => {
                    // What an earlier overflow left of this column; the last column
                    // runs to the end of the line.
                    let end = if i == last { limit } else { start + width };
                    put_cut(row, text, end.saturating_sub(pos).max(1))
                }
                _ => {
                    row.push_str(text);
                    text_width(text)
                }
            };
            start += width + GAP;
        }
        end_row(row);
    }
}

/// The columns of `natural` (every column at its natural width) that fit `limit`, in the
/// order the module docs give: with `one_provider`, the columns that tell nothing go first,
/// without cutting anything; then the cut columns are narrowed; then whole columns are
/// dropped until that fits.
fn fit(
    mut columns: Vec<(Column, usize)>,
    sample: &[Cells],
    one_provider: bool,
    limit: usize,
) -> Vec<(Column, usize)> {
    if one_provider {
        let empty = |column: Column| sample.iter().all(|cells| cells[column as usize].is_empty());
        // Empty columns right to left, then the provider key every row would repeat.
        let idle = ALL
            .iter()
            .rev()
            .copied()
            .filter(|&c| (c.cut() || c == Ext) && empty(c))
            .chain([Provider]);
        for column in idle {
            if total(&columns) <= limit {
                return columns;
            }
            columns.retain(|(c, _)| *c != column);
        }
    }
    // Drop the first `dropped` columns of DROP_ORDER, fewest first; with all of them gone
    // the rest stays whatever its width.
    let mut candidate = Vec::new();
    for dropped in 0..=DROP_ORDER.len() {
        candidate = columns
            .iter()
            .copied()
            .filter(|(c, _)| !DROP_ORDER[..dropped].contains(c))
            .collect();
        if narrow(&mut candidate, limit) {
            break;
        }
    }
    candidate
}

/// Widens the columns that have values on the first page (`filled`), but the last
/// (which runs to the end of the line anyway), narrowest first, into the room `limit`
/// leaves, up to [`Column::roomy`], so that later values are cut or pushed out of line
/// less often.
fn grow(columns: &mut [(Column, usize)], limit: usize, filled: impl Fn(Column) -> bool) {
    let last = columns.len().saturating_sub(1);
    let mut spare = limit.saturating_sub(total(columns));
    while spare > 0 {
        let narrowest = columns[..last]
            .iter_mut()
            .filter(|(c, w)| *w < c.roomy() && filled(*c))
            .min_by_key(|(_, w)| *w);
        let Some((_, w)) = narrowest else {
            return;
        };
        *w += 1;
        spare -= 1;
    }
}

/// Narrows the cut columns of `columns`, widest first, until they fit `limit` or are
/// all at their minimum; returns whether they fit.
fn narrow(columns: &mut [(Column, usize)], limit: usize) -> bool {
    let mut over = total(columns).saturating_sub(limit);
    while over > 0 {
        let widest = columns
            .iter_mut()
            .filter(|(c, w)| c.cut() && *w > c.min())
            .max_by_key(|(_, w)| *w);
        let Some((_, w)) = widest else {
            return false;
        };
        *w -= 1;
        over -= 1;
    }
    true
}

/// Appends `text` to `row` in at most `room` display columns (cut with `…` when wider);
/// returns the display columns written.
fn put_cut(row: &mut String, text: &str, room: usize) -> usize {
    let width = text_width(text);
    if width <= room {
        row.push_str(text);
        return width;
    }
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room - 1 {
            break;
        }
        row.push(c);
        used += w;
    }
    row.push('…');
    used + 1
}

/// Display columns of `text` on a terminal (wide characters count two).
fn text_width(text: &str) -> usize {
    text.width()
}

/// The table's state: its options, the layout once decided, and reused buffers.
pub(super) struct Table {
    options: TableOptions,
    layout: Option<Layout>,
    /// Whether the header line is out (it waits for the first rows).
    header: bool,
    cells: Cells,
    row: String,
}

impl Table {
    pub(super) fn new(options: TableOptions) -> Self {
        Self {
            options,
            layout: None,
            header: false,
            cells: Cells::default(),
            row: String::with_capacity(256),
        }
    }

    /// Lays the table out for `sample`, unless it was laid out already.
    pub(super) fn plan<'a>(&mut self, sample: impl IntoIterator<Item = &'a PhoneNumber>) {
        if self.layout.is_some() {
            return;
        }
        let sample: Vec<Cells> = sample
            .into_iter()
            .map(|n| {
                let mut cells = Cells::default();
                fill(&mut cells, n);
                cells
            })
            .collect();
        self.layout = Some(Layout::new(&sample, &self.options));
    }

    /// Writes the header line, once.
    fn header(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.header {
            return Ok(());
        }
        if let Some(layout) = &self.layout {
            layout.render(&mut self.row, Column::header);
            out.write_all(self.row.as_bytes())?;
            self.header = true;
        }
        Ok(())
    }

    /// Writes one page's rows, laying the table out for this page when no earlier
    /// [`Table::plan`] did, and the header before the first rows.
    pub(super) fn page(&mut self, out: &mut impl Write, items: &[PhoneNumber]) -> io::Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        self.plan(items);
        self.header(out)?;
        let Some(layout) = &self.layout else {
            return Ok(());
        };
        for n in items {
            fill(&mut self.cells, n);
            let cells = &self.cells;
            layout.render(&mut self.row, |c| cells[c as usize].as_str());
            out.write_all(self.row.as_bytes())?;
        }
        Ok(())
    }

    /// Ends the table: one without rows gets its header when `succeeded` (an empty
    /// listing), and nothing at all otherwise, so a failure prints only its error.
    pub(super) fn finish(&mut self, out: &mut impl Write, succeeded: bool) -> io::Result<()> {
        if !self.header && succeeded {
            self.plan([]);
            self.header(out)?;
        }
        Ok(())
    }
}

/// Appends `value` with control characters (a provider's value could carry terminal
/// escape sequences or line breaks) replaced by `�`.
fn printable(row: &mut String, value: &str) {
    if value.chars().any(char::is_control) {
        row.extend(
            value
                .chars()
                .map(|c| if c.is_control() { '\u{fffd}' } else { c }),
        );
    } else {
        row.push_str(value);
    }
}

/// Trims the row's trailing spaces and ends the line.
fn end_row(row: &mut String) {
    row.truncate(row.trim_end().len());
    row.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Writer;
    use crate::Format;

    fn number(provider: Provider, id: &str, label: &str) -> PhoneNumber {
        PhoneNumber {
            provider,
            id: Some(id.to_owned()).filter(|s| !s.is_empty()),
            number: Some("+12025550100".to_owned()),
            number_raw: None,
            extension: None,
            label: Some(label.to_owned()).filter(|s| !s.is_empty()),
            status: Some("ACTIVE".to_owned()),
            kind: Some("PSTN_NUMBER".to_owned()),
            owner: Some(telnums::Owner {
                kind: Some("PEOPLE".to_owned()),
                id: Some("person-1".to_owned()),
                name: Some("Alex Rivera".to_owned()),
            }),
            location: Some(telnums::Location {
                id: Some("loc-1".to_owned()),
                name: Some("Bangalore".to_owned()),
            }),
        }
    }

    /// The table of `pages` fitted to `width`, as lines.
    fn table(width: Option<usize>, providers: &[Provider], pages: &[Vec<PhoneNumber>]) -> String {
        let options = TableOptions {
            width,
            providers: providers.to_vec(),
        };
        let mut writer = Writer::new(Vec::new(), Format::Table, options).expect("writer");
        for page in pages {
            writer.write_page(page).expect("page");
        }
        String::from_utf8(writer.finish(true).expect("finish")).expect("utf-8")
    }

    fn widest(text: &str) -> usize {
        text.lines().map(text_width).max().unwrap_or(0)
    }

    #[test]
    fn table_cells_cannot_carry_terminal_escapes_or_line_breaks() {
        let mut n = number(Provider::ZoomPhone, "id\u{1b}[2J", "two\nlines");
        n.location = Some(telnums::Location {
            id: None,
            name: Some("x\r".to_owned()),
        });
        for width in [None, Some(80)] {
            let out = table(width, &[Provider::ZoomPhone], &[vec![n.clone()]]);
            let line = out.lines().nth(1).expect("a row");
            assert!(!line.chars().any(char::is_control), "{line:?}");
            assert!(
                line.contains("id\u{fffd}[2J") && line.contains("two\u{fffd}lines"),
                "{line}"
            );
        }
    }

    #[test]
    fn long_cells_are_cut_to_their_room() {
        let mut row = String::new();
        assert_eq!(put_cut(&mut row, "abcdefghij", 5), 5);
        assert_eq!(row, "abcd…");
        row.clear();
        assert_eq!(put_cut(&mut row, "ab", 5), 2);
        assert_eq!(row, "ab");
        row.clear();
        // Characters, not bytes.
        put_cut(&mut row, "ééééééé", 4);
        assert_eq!(row, "ééé…");
        row.clear();
        // Display columns: a wide character counts two and is never split.
        assert_eq!(put_cut(&mut row, "東京本社受付", 6), 5);
        assert_eq!(row, "東京…");
        row.clear();
        assert_eq!(put_cut(&mut row, "abc", 1), 1);
        assert_eq!(row, "…");
    }

    #[test]
    fn ids_are_never_cut_and_rows_fit_the_width() {
        let long_id = "Y2lzY29zcGFyazovL3VzL05VTUJFUi8xMjM0NTY3ODkwYWJjZGVm";
        let label = "department.general.support.customer_service";
        let page = vec![
            number(Provider::WebexCalling, long_id, label),
            number(Provider::WebexCalling, "short", "Front desk"),
        ];
        for width in [80, 100, 160] {
            let out = table(
                Some(width),
                &[Provider::WebexCalling],
                std::slice::from_ref(&page),
            );
            assert!(out.contains(long_id), "{width}: {out}");
            assert!(widest(&out) <= width, "{width}:\n{out}");
        }
        // Narrower than the id and the number together: both whole all the same, and
        // nothing else.
        let out = table(
            Some(40),
            &[Provider::WebexCalling],
            std::slice::from_ref(&page),
        );
        assert!(out.contains(long_id), "{out}");
        let header = format!("ID{}NUMBER", " ".repeat(long_id.len()));
        assert_eq!(out.lines().next(), Some(header.as_str()), "{out}");
        // Unfitted, nothing is cut.
        let out = table(None, &[Provider::WebexCalling], &[page]);
        assert!(out.contains(long_id) && out.contains(label), "{out}");
        assert!(!out.contains('…'), "{out}");
    }

    #[test]
    fn a_later_id_wider_than_its_column_takes_room_from_the_cells_after_it() {
        let first = vec![number(Provider::ZoomPhone, "zn-1", "Front desk")];
        let later_id = "zn-01234";
        let later = vec![number(Provider::ZoomPhone, later_id, "Front desk")];
        let out = table(Some(100), &[Provider::ZoomPhone], &[first.clone(), later]);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[2].contains(later_id), "{out}");
        assert!(widest(&out) <= 100, "{out}");
        // The label gave up the room; the columns after it are where the header says.
        assert!(lines[2].contains("Front…"), "{out}");
        let at = |line: &str, text: &str| text_width(&line[..line.find(text).expect(text)]);
        assert_eq!(
            at(lines[0], "STATUS"),
            at(lines[2], "ACTIVE"),
            "realigned:\n{out}"
        );
        // An id longer than the cut cells can make up for: whole, and the row longer.
        let huge = "zn-".repeat(40);
        let later = vec![number(Provider::ZoomPhone, &huge, "Front desk")];
        let out = table(Some(100), &[Provider::ZoomPhone], &[first, later]);
        assert!(out.lines().nth(2).expect("row").contains(&huge), "{out}");
    }

    #[test]
    fn narrow_tables_drop_columns_in_order_but_keep_ids_and_numbers() {
        let id = "4e29556d-6f8c-934a-abbf-2539ac72b9aa";
        let page = vec![number(Provider::VonageCc, id, "Support callback")];
        let headers = |width| {
            let out = table(
                Some(width),
                &[Provider::VonageCc, Provider::ZoomPhone],
                std::slice::from_ref(&page),
            );
            assert!(out.contains(id), "{out}");
            out.lines()
                .next()
                .expect("header")
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            headers(200),
            ["PROVIDER", "ID", "NUMBER", "EXT", "LABEL", "STATUS", "KIND", "OWNER", "LOCATION"]
        );
        assert_eq!(
            headers(120),
            ["PROVIDER", "ID", "NUMBER", "EXT", "LABEL", "STATUS", "KIND", "OWNER", "LOCATION"]
        );
        assert_eq!(
            headers(100),
            ["PROVIDER", "ID", "NUMBER", "EXT", "LABEL", "STATUS", "OWNER"]
        );
        assert_eq!(headers(40), ["PROVIDER", "ID", "NUMBER"]);
    }

    #[test]
    fn status_and_kind_are_cut_to_six_columns_before_a_column_is_dropped() {
        let page = vec![number(Provider::VonageCc, "n-1", "Support callback")];
        let providers = [Provider::VonageCc, Provider::ZoomPhone];
        let all_nine = (40..200)
            .map(|width| table(Some(width), &providers, std::slice::from_ref(&page)))
            .find(|out| {
                out.lines()
                    .next()
                    .expect("header")
                    .split_whitespace()
                    .count()
                    == 9
            })
            .expect("a width that keeps every column");
        let row = all_nine.lines().nth(1).expect("a row");
        // The narrowest table that keeps them all: the other cut columns at 8.
        assert!(
            row.contains("ACTIVE  PSTN_…  Alex Ri…  Bangalo…"),
            "{all_nine}"
        );
    }

    #[test]
    fn with_one_provider_empty_columns_and_the_provider_go_first() {
        let mut n = number(
            Provider::VonageCc,
            "4e29556d-6f8c-934a-abbf-2539ac72b9aa",
            "Support callback",
        );
        n.kind = Some("callback".to_owned());
        n.owner = None;
        n.location = None;
        n.status = None;
        let out = table(Some(80), &[Provider::VonageCc], &[vec![n]]);
        let header: Vec<&str> = out
            .lines()
            .next()
            .expect("header")
            .split_whitespace()
            .collect();
        assert_eq!(header, ["ID", "NUMBER", "LABEL", "KIND"], "{out}");
        assert!(out.contains("Support callback"), "nothing cut:\n{out}");
    }

    #[test]
    fn a_table_without_rows_has_a_header_only_when_the_listing_succeeded() {
        let options = TableOptions {
            width: Some(80),
            providers: vec![Provider::ZoomPhone],
        };
        let writer = Writer::new(Vec::new(), Format::Table, options.clone()).expect("writer");
        let out = String::from_utf8(writer.finish(true).expect("finish")).expect("utf-8");
        let header: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(header, ALL.map(Column::header), "{out}");
        assert_eq!(out.lines().count(), 1, "{out}");
        let mut writer = Writer::new(Vec::new(), Format::Table, options).expect("writer");
        writer.write_page(&[]).expect("an empty page");
        assert_eq!(writer.finish(false).expect("finish"), b"");
    }
}
