//! The hand-written lister `telnums list` is measured against in the end-to-end
//! benchmark: what a user would write in an afternoon with reqwest and serde_json.
//! Sequential (one request at a time, in page order), one `BufWriter` over stdout, the
//! same records and bytes as `telnums list` in each format (the benchmark compares the
//! two outputs byte for byte).
//!
//! ```text
//! e2e-baseline --provider vonage-cc|zoom-phone --base-url URL --format ndjson|json|csv|table
//! ```

use std::io::{BufWriter, Write};

use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct Record<'a> {
    provider: &'static str,
    id: Option<&'a str>,
    number: Option<&'a str>,
    number_raw: Option<&'a str>,
    extension: Option<String>,
    label: Option<&'a str>,
    status: Option<&'a str>,
    kind: Option<&'a str>,
    owner: Option<Owner<'a>>,
    location: Option<Location<'a>>,
}

#[derive(Serialize)]
struct Owner<'a> {
    kind: Option<&'a str>,
    id: Option<&'a str>,
    name: Option<&'a str>,
}

#[derive(Serialize)]
struct Location<'a> {
    id: Option<&'a str>,
    name: Option<&'a str>,
}

mod vonage {
    use super::Deserialize;

    #[derive(Deserialize)]
    pub struct Page {
        pub meta: Meta,
        #[serde(rename = "callbackNumbers")]
        pub items: Vec<Item>,
    }
    #[derive(Deserialize)]
    pub struct Meta {
        #[serde(rename = "pageCount")]
        pub page_count: Option<u64>,
    }
    #[derive(Deserialize)]
    pub struct Item {
        #[serde(rename = "callbackNumberId")]
        pub id: Option<String>,
        #[serde(rename = "callbackNumberName")]
        pub name: Option<String>,
        #[serde(rename = "callbackNumberClid")]
        pub clid: Option<String>,
    }
}

mod zoom {
    use super::Deserialize;

    #[derive(Deserialize)]
    pub struct Page {
        pub next_page_token: Option<String>,
        #[serde(default)]
        pub phone_numbers: Vec<Item>,
    }
    #[derive(Deserialize)]
    pub struct Item {
        pub id: Option<String>,
        pub number: Option<String>,
        pub display_name: Option<String>,
        pub status: Option<String>,
        pub number_type: Option<String>,
        pub location: Option<String>,
        pub assignee: Option<Assignee>,
        pub site: Option<Site>,
    }
    #[derive(Deserialize)]
    pub struct Assignee {
        pub extension_number: Option<i64>,
        pub id: Option<String>,
        pub name: Option<String>,
        #[serde(rename = "type")]
        pub kind: Option<String>,
    }
    #[derive(Deserialize)]
    pub struct Site {
        pub id: Option<String>,
        pub name: Option<String>,
    }
}

/// `number` when the value is E.164 (`+` and 2-15 digits); the raw text otherwise.
fn split_number(raw: Option<&str>) -> (Option<&str>, Option<&str>) {
    match raw {
        Some(s)
            if s.len() > 2
                && s.len() <= 16
                && s.starts_with('+')
                && s.as_bytes()[1] != b'0'
                && s[1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            (Some(s), None)
        }
        Some(s) => (None, Some(s)),
        None => (None, None),
    }
}

/// The table's columns. Piped, `telnums list --format table` fits nothing: each column
/// is as wide as the first page with numbers needs (and the PROVIDER column at least as
/// wide as the key), no cell is cut, and a longer value on a later page pushes the rest
/// of its row along. Widths here count characters, which are the terminal columns the
/// CLI counts for the benchmark's ASCII data (a wide character would count one, not
/// two).
const HEADERS: [&str; 9] = [
    "PROVIDER", "ID", "NUMBER", "EXT", "LABEL", "STATUS", "KIND", "OWNER", "LOCATION",
];

struct Out<W: Write> {
    w: W,
    format: String,
    count: u64,
    csv: Option<csv::Writer<W>>,
    /// Table: the rows of the page being read.
    rows: Vec<[String; 9]>,
    /// Table: the column widths, once the first page with numbers has set them.
    widths: Option<[usize; 9]>,
}

impl<W: Write> Out<W> {
    fn record(&mut self, r: &Record<'_>) -> std::io::Result<()> {
        match self.format.as_str() {
            "ndjson" => {
                serde_json::to_writer(&mut self.w, r)?;
                self.w.write_all(b"\n")?;
            }
            "json" => {
                if self.count > 0 {
                    self.w.write_all(b",\n")?;
                }
                let text = serde_json::to_string_pretty(r)?;
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        self.w.write_all(b"\n")?;
                    }
                    write!(self.w, "  {line}")?;
                }
            }
            "csv" => {
                let location = r.location.as_ref().and_then(|l| l.name.or(l.id));
                let owner = r.owner.as_ref();
                let ext = r.extension.as_deref();
                let row = [
                    Some(r.provider),
                    r.id,
                    r.number,
                    r.number_raw,
                    ext,
                    r.label,
                    r.status,
                    r.kind,
                    owner.and_then(|o| o.kind),
                    owner.and_then(|o| o.id),
                    owner.and_then(|o| o.name),
                    location,
                ];
                let csv = self.csv.as_mut().expect("csv writer");
                csv.write_record(row.iter().map(|c| c.unwrap_or("")))?;
            }
            _ => {
                let owner = match &r.owner {
                    Some(o) => match (o.name, o.kind) {
                        (Some(name), Some(kind)) => format!("{name} ({kind})"),
                        (Some(name), None) => name.to_owned(),
                        (None, _) => o.id.unwrap_or("").to_owned(),
                    },
                    None => String::new(),
                };
                let location = r.location.as_ref().and_then(|l| l.name.or(l.id));
                let cells = [
                    r.provider,
                    r.id.unwrap_or(""),
                    r.number.or(r.number_raw).unwrap_or(""),
                    r.extension.as_deref().unwrap_or(""),
                    r.label.unwrap_or(""),
                    r.status.unwrap_or(""),
                    r.kind.unwrap_or(""),
                    &owner,
                    location.unwrap_or(""),
                ];
                // Control characters (terminal escapes, line breaks) become U+FFFD.
                self.rows.push(cells.map(|cell| {
                    cell.chars()
                        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
                        .collect()
                }));
            }
        }
        self.count += 1;
        Ok(())
    }

    /// Table: writes the page's rows, and before the first ones the header, with the
    /// widths this page sets.
    fn end_page(&mut self, provider: &str) -> std::io::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        if self.widths.is_none() {
            let mut widths = header_widths(provider);
            for row in &self.rows {
                for (width, cell) in widths.iter_mut().zip(row) {
                    *width = (*width).max(cell.chars().count());
                }
            }
            self.widths = Some(widths);
            table_row(&mut self.w, &HEADERS, &widths)?;
        }
        let widths = self.widths.unwrap_or_default();
        for row in self.rows.drain(..) {
            table_row(&mut self.w, &row, &widths)?;
        }
        Ok(())
    }
}

/// The narrowest each column can be: its header, and for PROVIDER the key.
fn header_widths(provider: &str) -> [usize; 9] {
    let mut widths = HEADERS.map(str::len);
    widths[0] = widths[0].max(provider.len());
    widths
}

/// One line of the table: each cell whole, starting where its column starts, or two
/// spaces after the previous cell when that one was wider than its column.
fn table_row<S: AsRef<str>>(
    w: &mut impl Write,
    cells: &[S; 9],
    widths: &[usize; 9],
) -> std::io::Result<()> {
    let mut line = String::new();
    let (mut pos, mut start) = (0, 0);
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            let at = start.max(pos + 2);
            line.extend(std::iter::repeat_n(' ', at - pos));
            pos = at;
        }
        line.push_str(cell.as_ref());
        pos += cell.as_ref().chars().count();
        start += width + 2;
    }
    writeln!(w, "{}", line.trim_end())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut provider = String::new();
    let mut base = String::new();
    let mut format = "ndjson".to_owned();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or("missing value")?;
        match flag.as_str() {
            "--provider" => provider = value,
            "--base-url" => base = value,
            "--format" => format = value,
            _ => return Err(format!("unknown argument {flag}").into()),
        }
    }
    let token = std::env::var("TELNUMS_TOKEN")?;
    let http = reqwest::Client::new();
    let stdout = std::io::stdout();
    let mut out = Out {
        w: BufWriter::new(stdout.lock()),
        format,
        count: 0,
        csv: None,
        rows: Vec::new(),
        widths: None,
    };
    match out.format.as_str() {
        "json" => out.w.write_all(b"[\n")?,
        "csv" => {
            let mut csv = csv::Writer::from_writer(BufWriter::new(std::io::stdout().lock()));
            csv.write_record([
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
            ])?;
            out.csv = Some(csv);
        }
        _ => {}
    }
    match provider.as_str() {
        "vonage-cc" => {
            let mut page = 1u64;
            loop {
                let url = format!("{base}/useradmin/callbackNumbers?limit=5000&page={page}");
                let body = http
                    .get(url)
                    .bearer_auth(&token)
                    .header("Accept", "application/vnd.newvoicemedia.v4+json")
                    .send()
                    .await?
                    .error_for_status()?
                    .bytes()
                    .await?;
                let list: vonage::Page = serde_json::from_slice(&body)?;
                for n in &list.items {
                    let (number, number_raw) = split_number(n.clid.as_deref());
                    out.record(&Record {
                        provider: "vonage-cc",
                        id: n.id.as_deref(),
                        number,
                        number_raw,
                        extension: None,
                        label: n.name.as_deref(),
                        status: None,
                        kind: Some("callback"),
                        owner: None,
                        location: None,
                    })?;
                }
                out.end_page("vonage-cc")?;
                if list.items.is_empty() || page >= list.meta.page_count.unwrap_or(0) {
                    break;
                }
                page += 1;
            }
        }
        "zoom-phone" => {
            let mut token_param: Option<String> = None;
            loop {
                let mut url = format!("{base}/phone/numbers?page_size=100");
                if let Some(t) = &token_param {
                    url.push_str("&next_page_token=");
                    url.push_str(t);
                }
                let body = http
                    .get(url)
                    .bearer_auth(&token)
                    .send()
                    .await?
                    .error_for_status()?
                    .bytes()
                    .await?;
                let list: zoom::Page = serde_json::from_slice(&body)?;
                for n in &list.phone_numbers {
                    let (number, number_raw) = split_number(n.number.as_deref());
                    let a = n.assignee.as_ref();
                    out.record(&Record {
                        provider: "zoom-phone",
                        id: n.id.as_deref(),
                        number,
                        number_raw,
                        extension: a.and_then(|a| a.extension_number).map(|e| e.to_string()),
                        label: n.display_name.as_deref(),
                        status: n.status.as_deref(),
                        kind: n.number_type.as_deref(),
                        owner: a.map(|a| Owner {
                            kind: a.kind.as_deref(),
                            id: a.id.as_deref(),
                            name: a.name.as_deref(),
                        }),
                        location: match &n.site {
                            Some(s) => Some(Location {
                                id: s.id.as_deref(),
                                name: s.name.as_deref(),
                            }),
                            None => n.location.as_deref().map(|l| Location {
                                id: None,
                                name: Some(l),
                            }),
                        },
                    })?;
                }
                out.end_page("zoom-phone")?;
                match list.next_page_token.filter(|t| !t.is_empty()) {
                    Some(t) => token_param = Some(t),
                    None => break,
                }
            }
        }
        other => return Err(format!("unsupported provider {other}").into()),
    }
    if out.format == "table" && out.widths.is_none() {
        // No numbers: the header alone.
        table_row(&mut out.w, &HEADERS, &header_widths(&provider))?;
    }
    if out.format == "json" {
        if out.count > 0 {
            out.w.write_all(b"\n")?;
        }
        out.w.write_all(b"]\n")?;
    }
    if let Some(mut csv) = out.csv.take() {
        csv.flush()?;
    }
    out.w.flush()?;
    Ok(())
}
