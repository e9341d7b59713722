//! Writers for the four output formats. Records are written straight from the
//! [`PhoneNumber`] into one buffered writer (no per-record `String`s), and the output is
//! flushed once per provider page, so records still appear as pages arrive and a reader
//! that stops early (`| head`) stops the listing at the next page.

use std::io::{self, Write};

use telnums::PhoneNumber;

use crate::Format;

/// The CSV header; one column per scalar of the record.
const COLUMNS: [&str; 12] = [
    "provider",
    "id",
    "number",
    "number_raw",
    "extension",
    "label",
    "status",
    "kind",
    "owner_kind",
    "owner_id",
    "owner_name",
    "location",
];

/// Table column widths; longer values are cut with `…` so rows stream aligned. The
/// owner column comes last and is not cut.
const WIDTHS: [usize; 7] = [14, 20, 16, 9, 24, 10, 12];
const TABLE: [&str; 8] = [
    "PROVIDER", "ID", "NUMBER", "EXT", "LABEL", "STATUS", "KIND", "OWNER",
];

/// Writes records in one format to a buffered writer.
pub struct Writer<W: Write> {
    sink: Sink<W>,
    count: u64,
    /// The table row being assembled, reused for every row.
    row: String,
}

enum Sink<W: Write> {
    Table(W),
    Json(W),
    Ndjson(W),
    // Boxed: the CSV writer carries its own state and buffer.
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> Writer<W> {
    /// Starts the output (headers, the JSON array's opening bracket). `out` should be
    /// buffered: nothing here writes less than a record at a time, and [`Writer::flush`]
    /// is called per page.
    pub fn new(out: W, format: Format) -> io::Result<Self> {
        let mut writer = Self {
            sink: match format {
                Format::Table => Sink::Table(out),
                Format::Json => Sink::Json(out),
                Format::Ndjson => Sink::Ndjson(out),
                Format::Csv => Sink::Csv(Box::new(
                    csv::WriterBuilder::new()
                        // The caller's writer is buffered already.
                        .buffer_capacity(8 * 1024)
                        .from_writer(out),
                )),
            },
            count: 0,
            row: String::with_capacity(256),
        };
        match &mut writer.sink {
            Sink::Table(out) => {
                let (cells, owner) = TABLE.split_at(7);
                table_row(&mut writer.row, cells, owner[0]);
                out.write_all(writer.row.as_bytes())?;
            }
            Sink::Json(out) => out.write_all(b"[\n")?,
            Sink::Ndjson(_) => {}
            Sink::Csv(csv) => csv.write_record(COLUMNS)?,
        }
        Ok(writer)
    }

    /// Writes one record.
    pub fn write(&mut self, n: &PhoneNumber) -> io::Result<()> {
        match &mut self.sink {
            Sink::Table(out) => {
                // The E.164 form, or what the provider sent when it is not E.164.
                let number = n.number.as_deref().or(n.number_raw.as_deref());
                let cells = [
                    n.provider.key(),
                    s(&n.id),
                    number.unwrap_or(""),
                    s(&n.extension),
                    s(&n.label),
                    s(&n.status),
                    s(&n.kind),
                ];
                let row = &mut self.row;
                row.clear();
                for (cell, width) in cells.into_iter().zip(WIDTHS) {
                    fit(row, cell, width);
                    row.push_str("  ");
                }
                if let Some(o) = &n.owner {
                    match o.name.as_deref() {
                        Some(name) => {
                            printable(row, name);
                            row.push_str(" (");
                            printable(row, s(&o.kind));
                            row.push(')');
                        }
                        None => printable(row, s(&o.id)),
                    }
                }
                end_row(row);
                out.write_all(row.as_bytes())?;
            }
            Sink::Json(out) => {
                if self.count > 0 {
                    out.write_all(b",\n")?;
                }
                // Each record pretty-printed one level in: two spaces before every line.
                out.write_all(b"  ")?;
                serde_json::to_writer_pretty(Indent(&mut *out), n).map_err(io::Error::other)?;
            }
            Sink::Ndjson(out) => {
                serde_json::to_writer(&mut *out, n).map_err(io::Error::other)?;
                out.write_all(b"\n")?;
            }
            Sink::Csv(csv) => {
                let owner = n.owner.as_ref();
                let location = n
                    .location
                    .as_ref()
                    .and_then(|l| l.name.as_deref().or(l.id.as_deref()))
                    .unwrap_or("");
                csv.write_record([
                    n.provider.key(),
                    s(&n.id),
                    s(&n.number),
                    s(&n.number_raw),
                    s(&n.extension),
                    s(&n.label),
                    s(&n.status),
                    s(&n.kind),
                    owner.map_or("", |o| s(&o.kind)),
                    owner.map_or("", |o| s(&o.id)),
                    owner.map_or("", |o| s(&o.name)),
                    location,
                ])?;
            }
        }
        self.count += 1;
        Ok(())
    }

    /// Pushes everything written so far to the underlying writer (called per page).
    pub fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Table(out) | Sink::Json(out) | Sink::Ndjson(out) => out.flush(),
            Sink::Csv(csv) => csv.flush(),
        }
    }

    /// Ends the output (the JSON array's closing bracket), flushes it and returns the
    /// underlying writer.
    pub fn finish(mut self) -> io::Result<W> {
        if let Sink::Json(out) = &mut self.sink {
            if self.count > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(b"]\n")?;
        }
        self.flush()?;
        match self.sink {
            Sink::Table(out) | Sink::Json(out) | Sink::Ndjson(out) => Ok(out),
            Sink::Csv(csv) => csv.into_inner().map_err(|e| e.into_error()),
        }
    }
}

/// An optional field as a cell: empty when absent.
fn s(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

/// A writer that puts two spaces after every line break it passes on, so pretty JSON
/// comes out one level in.
struct Indent<W>(W);

impl<W: Write> Write for Indent<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while let Some(i) = buf.iter().position(|&b| b == b'\n') {
            self.0.write_all(&buf[..=i])?;
            self.0.write_all(b"  ")?;
            buf = &buf[i + 1..];
        }
        self.0.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Appends `value` to `row` as a table cell of `width` characters: padded with spaces,
/// or cut with `…` when longer.
fn fit(row: &mut String, value: &str, width: usize) {
    let count = value.chars().count();
    if count <= width {
        printable(row, value);
        row.extend(std::iter::repeat_n(' ', width - count));
    } else {
        let cut = value
            .char_indices()
            .nth(width.saturating_sub(1))
            .map_or(value.len(), |(i, _)| i);
        printable(row, &value[..cut]);
        row.push('…');
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

/// The header or any fixed row: `cells` fitted to [`WIDTHS`], then `last`.
fn table_row(row: &mut String, cells: &[&str], last: &str) {
    row.clear();
    for (cell, width) in cells.iter().zip(WIDTHS) {
        fit(row, cell, width);
        row.push_str("  ");
    }
    printable(row, last);
    end_row(row);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_cannot_carry_terminal_escapes_or_line_breaks() {
        let mut row = String::new();
        table_row(
            &mut row,
            &["zoom-phone", "id\u{1b}[2J", "+1", "", "two\nlines", "", ""],
            "x\r",
        );
        let line = row.strip_suffix('\n').expect("one line");
        assert!(!line.chars().any(char::is_control), "{line:?}");
        assert!(
            line.contains("id\u{fffd}[2J") && line.contains("two\u{fffd}lines"),
            "{line}"
        );
    }

    #[test]
    fn long_cells_are_cut_to_their_width() {
        let mut row = String::new();
        fit(&mut row, "abcdefghij", 5);
        assert_eq!(row, "abcd…");
        row.clear();
        fit(&mut row, "ab", 5);
        assert_eq!(row, "ab   ");
        row.clear();
        // Characters, not bytes.
        fit(&mut row, "ééééééé", 4);
        assert_eq!(row, "ééé…");
    }

    #[test]
    fn indent_puts_two_spaces_after_each_line_break() {
        let mut out = Vec::new();
        Indent(&mut out)
            .write_all(b"{\n  \"a\": 1\n}")
            .expect("write");
        assert_eq!(out, b"{\n    \"a\": 1\n  }");
        // `write` takes the whole buffer the same way, and `flush` reaches the writer
        // below.
        let mut indent = Indent(io::BufWriter::new(Vec::new()));
        assert_eq!(indent.write(b"a\nb").expect("write"), 3);
        indent.flush().expect("flush");
        assert_eq!(indent.0.get_ref().as_slice(), b"a\n  b");
    }
}
