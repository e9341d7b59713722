//! Writers for the four output formats. Records are written straight from the
//! [`PhoneNumber`] into one buffered writer (no per-record `String`s outside the table),
//! and the output is flushed once per provider page, so records still appear as pages
//! arrive and a reader that stops early (`| head`) stops the listing at the next page.
//! The table (`table.rs`) is laid out once, before its first row, and fitted to the
//! terminal.

mod table;

use std::io::{self, Write};

use telnums::PhoneNumber;

use crate::Format;
use table::Table;
pub use table::TableOptions;

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

/// Writes records in one format to a buffered writer.
pub struct Writer<W: Write> {
    sink: Sink<W>,
    /// Records written one at a time (every format but the table): the JSON array
    /// needs to know whether a record came before.
    count: u64,
}

enum Sink<W: Write> {
    // Boxed: the table carries its layout and buffers.
    Table(W, Box<Table>),
    Json(W),
    Ndjson(W),
    // Boxed: the CSV writer carries its own state and buffer.
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> Writer<W> {
    /// Starts the output (the CSV header, the JSON array's opening bracket; the table's
    /// header waits for its first rows). `out` should be buffered: nothing here writes
    /// less than a record at a time, and [`Writer::flush`] is called per page.
    pub fn new(out: W, format: Format, table: TableOptions) -> io::Result<Self> {
        let mut writer = Self {
            sink: match format {
                Format::Table => Sink::Table(out, Box::new(Table::new(table))),
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
        };
        match &mut writer.sink {
            Sink::Table(..) | Sink::Ndjson(_) => {}
            Sink::Json(out) => out.write_all(b"[\n")?,
            Sink::Csv(csv) => csv.write_record(COLUMNS)?,
        }
        Ok(writer)
    }

    /// Lays a table out for `sample` (the first pages of several providers) before its
    /// first rows are written; without it, the first page with numbers decides. Other
    /// formats have no layout.
    pub fn plan<'a>(&mut self, sample: impl IntoIterator<Item = &'a PhoneNumber>) {
        if let Sink::Table(_, table) = &mut self.sink {
            table.plan(sample);
        }
    }

    /// Writes one page of records.
    pub fn write_page(&mut self, items: &[PhoneNumber]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Table(out, table) => table.page(out, items),
            _ => items.iter().try_for_each(|n| self.write(n)),
        }
    }

    /// Writes one record (any format but the table, which is written a page at a time).
    fn write(&mut self, n: &PhoneNumber) -> io::Result<()> {
        match &mut self.sink {
            Sink::Table(out, table) => table.page(out, std::slice::from_ref(n))?,
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
            Sink::Table(out, _) | Sink::Json(out) | Sink::Ndjson(out) => out.flush(),
            Sink::Csv(csv) => csv.flush(),
        }
    }

    /// Ends the output (the JSON array's closing bracket), flushes it and returns the
    /// underlying writer. A table without rows gets its header when `succeeded` (an
    /// empty listing), and nothing at all otherwise, so a failure prints only its error.
    pub fn finish(mut self, succeeded: bool) -> io::Result<W> {
        match &mut self.sink {
            Sink::Json(out) => {
                if self.count > 0 {
                    out.write_all(b"\n")?;
                }
                out.write_all(b"]\n")?;
            }
            Sink::Table(out, table) => table.finish(out, succeeded)?,
            Sink::Ndjson(_) | Sink::Csv(_) => {}
        }
        self.flush()?;
        match self.sink {
            Sink::Table(out, _) | Sink::Json(out) | Sink::Ndjson(out) => Ok(out),
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

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        for line in buf.split_inclusive(|&b| b == b'\n') {
            self.0.write_all(line)?;
            if line.ends_with(b"\n") {
                self.0.write_all(b"  ")?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
