//! Streaming writers for the four output formats: each record is written as it arrives.

use std::io::Write;

use telnums::PhoneNumber;

use crate::Format;

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

/// Writes records in one format.
pub struct Writer<W: Write> {
    out: W,
    format: Format,
    count: u64,
}

fn cells(n: &PhoneNumber) -> [String; 12] {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let owner = n.owner.clone().unwrap_or_default();
    let location = n
        .location
        .as_ref()
        .and_then(|l| l.name.clone().or_else(|| l.id.clone()))
        .unwrap_or_default();
    [
        n.provider.to_string(),
        s(&n.id),
        s(&n.number),
        s(&n.number_raw),
        s(&n.extension),
        s(&n.label),
        s(&n.status),
        s(&n.kind),
        s(&owner.kind),
        s(&owner.id),
        s(&owner.name),
        location,
    ]
}

/// One CSV record (quoted as needed), with its line ending.
fn csv_line<I, T>(record: I) -> std::io::Result<Vec<u8>>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(record).map_err(std::io::Error::other)?;
    w.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// Table column widths; longer values are cut with `…` so rows stream aligned.
const WIDTHS: [usize; 7] = [14, 20, 16, 9, 24, 10, 12];
const TABLE: [&str; 7] = ["PROVIDER", "ID", "NUMBER", "EXT", "LABEL", "STATUS", "KIND"];

fn fit(value: &str, width: usize) -> String {
    let count = value.chars().count();
    if count <= width {
        format!("{value:<width$}")
    } else {
        let cut: String = value.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// A value as the table shows it: control characters (a provider's value could carry
/// terminal escape sequences or line breaks) become `�`.
fn printable(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

fn table_row(values: &[&str]) -> String {
    let mut row: Vec<String> = values
        .iter()
        .zip(WIDTHS)
        .map(|(v, w)| fit(&printable(v), w))
        .collect();
    // The owner column is last and not cut.
    if let Some(owner) = values.get(WIDTHS.len()) {
        row.push(printable(owner));
    }
    row.join("  ").trim_end().to_owned()
}

impl<W: Write> Writer<W> {
    /// Starts the output (headers, the JSON array's opening bracket).
    pub fn new(mut out: W, format: Format) -> std::io::Result<Self> {
        match format {
            Format::Table => {
                let mut header: Vec<&str> = TABLE.to_vec();
                header.push("OWNER");
                writeln!(out, "{}", table_row(&header))?;
            }
            Format::Json => writeln!(out, "[")?,
            Format::Ndjson => {}
            Format::Csv => out.write_all(&csv_line(COLUMNS)?)?,
        }
        Ok(Self {
            out,
            format,
            count: 0,
        })
    }

    /// Writes one record and flushes it.
    pub fn write(&mut self, n: &PhoneNumber) -> std::io::Result<()> {
        match self.format {
            Format::Table => {
                let c = cells(n);
                let owner = match (&n.owner, n.owner.as_ref().and_then(|o| o.name.clone())) {
                    (Some(o), Some(name)) => {
                        format!("{name} ({})", o.kind.clone().unwrap_or_default())
                    }
                    (Some(o), None) => o.id.clone().unwrap_or_default(),
                    (None, _) => String::new(),
                };
                // The E.164 form, or what the provider sent when it is not E.164.
                let number = if c[2].is_empty() { &c[3] } else { &c[2] };
                let values = [&c[0], &c[1], number, &c[4], &c[5], &c[6], &c[7], &owner];
                let values: Vec<&str> = values.iter().map(|s| s.as_str()).collect();
                writeln!(self.out, "{}", table_row(&values))?;
            }
            Format::Json => {
                if self.count > 0 {
                    writeln!(self.out, ",")?;
                }
                let json = serde_json::to_string_pretty(n).map_err(std::io::Error::other)?;
                let indented = json
                    .lines()
                    .map(|l| format!("  {l}"))
                    .collect::<Vec<_>>()
                    .join("\n");
                write!(self.out, "{indented}")?;
            }
            Format::Ndjson => {
                let json = serde_json::to_string(n).map_err(std::io::Error::other)?;
                writeln!(self.out, "{json}")?;
            }
            Format::Csv => self.out.write_all(&csv_line(cells(n))?)?,
        }
        self.count += 1;
        self.out.flush()
    }

    /// Ends the output (the JSON array's closing bracket).
    pub fn finish(mut self) -> std::io::Result<()> {
        if self.format == Format::Json {
            if self.count > 0 {
                writeln!(self.out)?;
            }
            writeln!(self.out, "]")?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_cannot_carry_terminal_escapes_or_line_breaks() {
        let row = table_row(&[
            "zoom-phone",
            "id\u{1b}[2J",
            "+1",
            "",
            "two\nlines",
            "",
            "",
            "x\r",
        ]);
        assert!(!row.chars().any(char::is_control), "{row:?}");
        assert!(
            row.contains("id\u{fffd}[2J") && row.contains("two\u{fffd}lines"),
            "{row}"
        );
    }
}
