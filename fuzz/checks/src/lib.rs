//! The checks behind the fuzz targets in `fuzz/`, one function per target.
//!
//! Each function takes the fuzzer's bytes, runs them through the real parser's entry
//! point (a `#[doc(hidden)] pub` item of the crate that owns it; nothing is copied here)
//! and panics when a property fails. The cargo-fuzz crate in `fuzz/` (nightly only, not a
//! workspace member) wraps each in `fuzz_target!`; this crate is a workspace member, so
//! `cargo test` on stable feeds the same functions every committed regression input
//! (`fuzz/regressions/<target>/`) and every seed (`fuzz/seeds/<target>/`).
//!
//! To point a target at new code (say, a reworked CLI config or a `ql` parser), change
//! the entry point it calls here; the fuzz crate and the regression test follow.
#![warn(missing_docs)]

use std::time::{Duration, SystemTime};

use arbitrary::{Arbitrary, Unstructured};
use serde::de::DeserializeOwned;
use serde::Serialize;
use telnums_core::{reqwest, wire, ErrorBody, ErrorKind};

mod targets;

pub use targets::{Target, TARGETS};

/// The target called `name`, if there is one.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// Splits `data` into a fixed-size parameter block (zero-padded when `data` is short)
/// and the rest.
fn params<const N: usize>(data: &[u8]) -> ([u8; N], &[u8]) {
    let mut block = [0u8; N];
    let n = data.len().min(N);
    block[..n].copy_from_slice(&data[..n]);
    (block, &data[n..])
}

fn u32_at(block: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([block[at], block[at + 1], block[at + 2], block[at + 3]])
}

/// An error message as a user sees it must stay one line: no control characters (a
/// newline from server data would let a response forge log lines).
fn assert_one_line(text: &str, what: &str) {
    assert!(
        !text.chars().any(char::is_control),
        "{what} has a control character: {text:?}"
    );
}

// --- Webex `Link` header -------------------------------------------------------------

/// `next_link`, `split_links` and `next_start` of `telnums-webex-calling`.
///
/// Input: 12 bytes (`start`, item count, page size as little-endian `u32`s), then the
/// `Link` header text; each line is one header field.
pub fn link_header(data: &[u8]) {
    use telnums_webex_calling::{next_link, next_start, split_links};
    let (block, rest) = params::<12>(data);
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let start = u32_at(&block, 0);
    let count = (u32_at(&block, 4) % 100_000) as usize;
    let page_size = u32_at(&block, 8) % 10_000;
    let base = url::Url::parse("https://webexapis.com").expect("base URL");

    let mut headers = reqwest::header::HeaderMap::new();
    let mut fields = Vec::new();
    for line in text.split('\n') {
        if let Ok(value) = reqwest::header::HeaderValue::from_str(line) {
            headers.append(reqwest::header::LINK, value);
            fields.push(line);
        }
    }

    for field in &fields {
        let pairs = split_links(field);
        assert!(pairs.len() <= field.matches('<').count(), "{field:?}");
        for (target, params) in &pairs {
            assert!(!target.contains('>'), "target {target:?} of {field:?}");
            // Both are slices of the field, in order.
            assert!(
                field.contains(target) && field.contains(params),
                "{field:?}"
            );
        }
    }

    let next = next_link(&headers, &base);
    if let Some(url) = &next {
        let candidates: Vec<url::Url> = fields
            .iter()
            .flat_map(|f| split_links(f))
            .filter_map(|(t, _)| base.join(t.trim()).ok())
            .collect();
        assert!(
            candidates.contains(url),
            "{url} is none of the links in {fields:?}"
        );
    }

    // RFC 9110 §5.3: several field lines mean the same as one comma-joined line. Only
    // checked for fields whose brackets are balanced on their own (a `<` in one line and
    // its `>` in the next is not a link either way).
    // Nor for a field with an unterminated quoted string in a link's parameters, which per
    // RFC 8288 swallows the rest of the value, a joined-on link included (a `"` inside
    // `<…>` is not even a URI character).
    let balanced = fields.iter().all(|f| {
        let opens = f.matches('<').count();
        opens == f.matches('>').count()
            && split_links(f).len() == opens
            && !f.contains('\\')
            && !f.split('<').next().unwrap_or_default().contains('"')
            && split_links(f)
                .iter()
                .all(|(t, p)| !t.contains('"') && p.matches('"').count().is_multiple_of(2))
    });
    if balanced && fields.len() > 1 {
        let joined = fields.join(", ");
        if let Ok(value) = reqwest::header::HeaderValue::from_str(&joined) {
            let mut one = reqwest::header::HeaderMap::new();
            one.insert(reqwest::header::LINK, value);
            assert_eq!(
                next_link(&one, &base),
                next,
                "{fields:?} as one field {joined:?}"
            );
        }
    }

    // The page size asked for plays no part: only the links and the entries received
    // decide.
    let _ = page_size;
    let got = next_start(&headers, &base, start, count);
    let count32 = u32::try_from(count).unwrap_or(u32::MAX);
    let after = start.checked_add(count32);
    if fields.is_empty() {
        assert_eq!(got, after.filter(|_| count > 0));
    } else {
        match &next {
            None => assert_eq!(got, None, "no rel=next in {fields:?}"),
            Some(url) => {
                let from_link = url
                    .query_pairs()
                    .find(|(k, _)| k == "start")
                    .and_then(|(_, v)| v.parse::<u32>().ok());
                assert_eq!(got, from_link.or(after));
            }
        }
    }
}

// --- Retry-After ---------------------------------------------------------------------

/// `telnums_core::retry::parse_retry_after`.
///
/// Input: a mode byte and 4 bytes of "now" (seconds since 1970), then either the header
/// text (even mode) or, odd mode, 4 bytes of delay written by the check in the three
/// forms the parser accepts, which must come back as that delay.
pub fn retry_after(data: &[u8]) {
    use telnums_core::retry::{parse_retry_after, MAX_RETRY_AFTER};
    let (block, rest) = params::<5>(data);
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::from(u32_at(&block, 1)));
    if block[0] % 2 == 0 {
        let Ok(text) = std::str::from_utf8(rest) else {
            return;
        };
        let got = parse_retry_after(text, now);
        if let Some(wait) = got {
            assert!(wait <= MAX_RETRY_AFTER, "{text:?} -> {wait:?}");
        }
        assert_eq!(
            parse_retry_after(&format!(" \t{text} "), now),
            got,
            "{text:?}"
        );
        let trimmed = text.trim();
        if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            let expected = match trimmed.parse::<u64>() {
                Ok(secs) => Duration::from_secs(secs).min(MAX_RETRY_AFTER),
                Err(_) => MAX_RETRY_AFTER, // more digits than a u64 holds
            };
            // Digits beyond u64 fall through to the float reading, which caps too.
            assert_eq!(got, Some(expected), "{text:?}");
        }
    } else {
        let (delay, _) = params::<4>(rest);
        let delay = Duration::from_secs(u64::from(u32_at(&delay, 0) % 200_000));
        let expected = Some(delay.min(MAX_RETRY_AFTER));
        let at = now + delay;
        let seconds = delay.as_secs().to_string();
        let http = httpdate::fmt_http_date(at);
        let iso = chrono::DateTime::<chrono::Utc>::from(at).to_rfc3339();
        for text in [seconds, http, iso] {
            assert_eq!(parse_retry_after(&text, now), expected, "{text:?}");
        }
    }
}

// --- E.164 ---------------------------------------------------------------------------

fn assert_e164(out: &str, input: &str) {
    let digits = out
        .strip_prefix('+')
        .unwrap_or_else(|| panic!("{input:?} -> {out:?}"));
    assert!(
        (2..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0'),
        "{input:?} -> {out:?}"
    );
}

/// `telnums::normalize_e164` (typed input) and `telnums::strict_e164` (provider data).
///
/// Input: the text.
pub fn e164(data: &[u8]) {
    use telnums::{normalize_e164, strict_e164};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ascii_digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let strict = strict_e164(text);
    if let Some(out) = &strict {
        assert_e164(out, text);
        // Nothing invented, nothing dropped: the same digits.
        assert_eq!(&out[1..], ascii_digits, "{text:?}");
        assert_eq!(strict_e164(out).as_ref(), Some(out), "strict is idempotent");
        assert_eq!(
            normalize_e164(out).as_ref(),
            Some(out),
            "normalize(strict(x))"
        );
    }
    let normal = normalize_e164(text);
    if strict.is_some() {
        // What providers may send as E.164 is read the same way from a person.
        assert_eq!(normal, strict, "{text:?}");
    }
    if let Some(out) = &normal {
        assert_e164(out, text);
        let digits = &out[1..];
        assert!(
            digits == ascii_digits || format!("00{digits}") == ascii_digits,
            "{text:?} -> {out:?}: digits changed"
        );
        assert_eq!(
            normalize_e164(out).as_ref(),
            Some(out),
            "normalize is idempotent"
        );
        assert_eq!(strict_e164(out).as_ref(), Some(out), "strict(normalize(x))");
    }
}

// --- Apple ql ------------------------------------------------------------------------

/// One clause as the fuzzer chooses it.
#[derive(Debug, Arbitrary)]
struct Clause {
    field: u8,
    op: u8,
    value: String,
}

/// `Ql`'s `Display` and `validate` (`telnums-apple-business`), and the query string the
/// generated operation builds from it.
///
/// Input: clauses, decoded with `arbitrary`.
pub fn apple_ql(data: &[u8]) {
    use telnums_apple_business::{Ql, QlField, QlOp};
    const FIELDS: [QlField; 6] = [
        QlField::Id,
        QlField::State,
        QlField::CreatedDate,
        QlField::UpdatedDate,
        QlField::PhoneNumber,
        QlField::Department,
    ];
    const OPS: [QlOp; 5] = [QlOp::Eq, QlOp::Gt, QlOp::Ge, QlOp::Lt, QlOp::Le];
    let Ok(clauses) = Vec::<Clause>::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let added: Vec<(QlField, QlOp, &str)> = clauses
        .iter()
        .map(|c| {
            (
                FIELDS[usize::from(c.field) % FIELDS.len()],
                OPS[usize::from(c.op) % OPS.len()],
                c.value.as_str(),
            )
        })
        .collect();
    let ql = added
        .iter()
        .fold(Ql::new(), |q, (f, o, v)| q.clause(*f, *o, v));
    assert_eq!(ql.is_empty(), added.is_empty());
    let valid = added
        .iter()
        .all(|(_, _, v)| !v.is_empty() && !v.contains(';'));
    assert_eq!(ql.validate().is_ok(), valid, "{added:?}");
    if !valid {
        return;
    }
    let text = ql.to_string();
    if added.is_empty() {
        assert_eq!(text, "");
        return;
    }
    // Exactly the clauses added, each reading back as its field, operator and value.
    let parts: Vec<&str> = text.split(';').collect();
    assert_eq!(parts.len(), added.len(), "{text:?} from {added:?}");
    for (part, (field, op, value)) in parts.iter().zip(&added) {
        let field_name = FIELDS
            .iter()
            .map(|f| f.as_str())
            .find(|name| part.starts_with(name))
            .unwrap_or_else(|| panic!("{part:?} starts with no field"));
        assert_eq!(field_name, field.as_str(), "{part:?}");
        let rest = &part[field_name.len()..];
        let op_name = OPS
            .iter()
            .map(|o| o.as_str())
            .find(|name| rest.starts_with(name))
            .unwrap_or_else(|| panic!("{part:?} has no operator"));
        assert_eq!(op_name, op.as_str(), "{part:?}");
        assert_eq!(&rest[op_name.len()..], *value, "{part:?}");
    }
    // What reaches the server: the generated operation adds `ql` with progenitor's
    // `QueryParam` to a reqwest request; build that request the same way and read its
    // URL. Every reserved byte is percent-encoded (`+` as `%2B`, `;` as `%3B`), and the
    // server decodes exactly the filter.
    let request = http_client()
        .get("https://businessconnect.apple.com/api/v1/orgs/o/brands/b/caller-ids")
        .query(&progenitor_client::QueryParam::new(
            "ql",
            &Some(text.clone()),
        ))
        .build()
        .expect("request builds");
    let query = request.url().query().unwrap_or_default().to_owned();
    let raw = query
        .strip_prefix("ql=")
        .unwrap_or_else(|| panic!("{query:?}"));
    assert!(
        raw.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"%*-._+".contains(&b)),
        "unencoded byte in {raw:?}"
    );
    assert_eq!(
        raw.matches("%2B").count(),
        text.matches('+').count(),
        "{raw:?}"
    );
    let decoded: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(decoded, vec![("ql".to_owned(), text)]);
}

fn http_client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(reqwest::Client::new)
}

// --- cursors and page numbers --------------------------------------------------------

#[derive(Debug, Arbitrary)]
struct CursorInput {
    pagination: Option<(Option<Option<String>>, Option<String>)>,
    zoom_token: Option<String>,
    requested: u32,
    page: Option<i32>,
    page_count: Option<i32>,
    count: u16,
    page_size: u16,
}

/// Apple's `pagination.cursors.after` / `pagination.next`, Zoom's `next_page_token`,
/// Vonage's page numbers.
///
/// Input: decoded with `arbitrary`.
pub fn cursors(data: &[u8]) {
    use telnums_apple_business::{next_cursor, next_url, types, Cursor};
    let Ok(input) = CursorInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let present = |s: &Option<String>| s.as_ref().filter(|s| !s.trim().is_empty()).cloned();

    // Apple.
    let pagination = input.pagination.as_ref().map(|(cursors, next)| {
        let mut p = serde_json::Map::new();
        if let Some(after) = cursors {
            let c = after
                .as_ref()
                .map_or(serde_json::json!({}), |a| serde_json::json!({ "after": a }));
            p.insert("cursors".into(), c);
        }
        if let Some(next) = next {
            p.insert("next".into(), serde_json::Value::String(next.clone()));
        }
        serde_json::from_value::<types::AppleCallerIdPagination>(p.into())
            .expect("pagination decodes")
    });
    let got = next_cursor(pagination);
    let (after, next) = match &input.pagination {
        None => (None, None),
        Some((cursors, next)) => (present(&cursors.clone().flatten()), present(next)),
    };
    let expected = match (after, next) {
        (Some(a), _) => Some(Cursor::After(a)),
        (None, Some(n)) => Some(Cursor::Next(n)),
        (None, None) => None,
    };
    assert_eq!(got, expected, "{input:?}");
    if let Some(Cursor::Next(next)) = &got {
        let base = url::Url::parse("https://businessconnect.apple.com/api/v1").expect("base");
        match next_url(&base, next) {
            Ok(url) => assert_eq!(Some(url), base.join(next).ok()),
            Err(e) => {
                assert!(matches!(e.kind(), ErrorKind::Decode { .. }), "{e}");
                assert!(base.join(next).is_err());
            }
        }
    }

    // Zoom.
    assert_eq!(
        telnums_zoom_phone::next_token(input.zoom_token.clone()),
        present(&input.zoom_token)
    );

    // Vonage.
    let meta: telnums_vonage_cc::types::PageMeta = serde_json::from_value(serde_json::json!({
        "page": input.page,
        "pageCount": input.page_count,
    }))
    .expect("meta decodes");
    let count = usize::from(input.count);
    // The page size asked for plays no part in the rule.
    let _ = input.page_size;
    let next = telnums_vonage_cc::next_page(input.requested, &meta, count);
    let served = input
        .page
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or(input.requested);
    if let Some(n) = next {
        // Only a page with entries leads on.
        assert!(count > 0, "{input:?}");
        // Always forward from the page served, so a listing cannot go back.
        assert!(n > served, "{input:?}: next {n} after page {served}");
        if let Some(pages) = input.page_count {
            assert!(i64::from(n) <= i64::from(pages), "{input:?}");
        }
    }
    let left = telnums_vonage_cc::pages_left(next, &meta);
    match (next, input.page_count) {
        (Some(n), Some(c)) => {
            assert_eq!(
                left,
                Some(u64::try_from(i64::from(c) - i64::from(n) + 1).unwrap_or(0))
            );
            assert!(
                left >= Some(1),
                "{input:?}: the next page is within the count"
            );
        }
        _ => assert_eq!(left, None),
    }
}

// --- Fone Dynamics envelope ----------------------------------------------------------

/// `telnums_fone_dynamics::types::FoneNumberListResponse`, the hand-written decoder that
/// chooses the shape by the first JSON token, against the `#[serde(untagged)]` enum the
/// generator would have produced from the spec's `oneOf`.
///
/// Input: the body.
pub fn fone_envelope(data: &[u8]) {
    use telnums_fone_dynamics::types::{self, FoneNumberListResponse};
    #[derive(serde::Deserialize, Serialize)]
    #[serde(untagged)]
    enum Generated {
        Envelope(types::FoneNumberListEnvelope),
        Array(Vec<types::FoneNumber>),
    }
    let ours = serde_json::from_slice::<FoneNumberListResponse>(data);
    let spec = serde_json::from_slice::<Generated>(data);
    let first = data.iter().find(|b| !b.is_ascii_whitespace());
    // It decodes straight into the variant its first token names, so it accepts exactly
    // what that variant's own type accepts.
    let direct = match first {
        Some(b'{') => serde_json::from_slice::<types::FoneNumberListEnvelope>(data).is_ok(),
        Some(b'[') => serde_json::from_slice::<Vec<types::FoneNumber>>(data).is_ok(),
        _ => false,
    };
    assert_eq!(
        ours.is_ok(),
        direct,
        "{:?}",
        ours.as_ref().err().map(ToString::to_string)
    );
    // What the untagged enum accepts, it accepts with the same value. (Not the
    // converse: the untagged enum buffers the body and so also validates strings in
    // fields nobody reads, e.g. invalid UTF-8, which direct decoding skips like every
    // other generated type does.)
    // Only where the variant it chose matches the first token: serde also reads a struct
    // from a sequence, so the untagged enum takes `[[]]` for an envelope, which the
    // hand-written decoder rightly refuses.
    let same_shape = match &spec {
        Ok(Generated::Envelope(_)) => first == Some(&b'{'),
        Ok(Generated::Array(_)) => first == Some(&b'['),
        Err(_) => false,
    };
    if let (Ok(spec), true) = (&spec, same_shape) {
        let ours = ours.as_ref().expect("accepted by the untagged enum");
        let a = serde_json::to_value(ours).expect("encodes");
        let b = serde_json::to_value(spec).expect("encodes");
        assert_eq!(a, b);
    }
    if let Ok(ours) = &ours {
        match ours {
            FoneNumberListResponse::Array(_) => assert_eq!(first, Some(&b'[')),
            FoneNumberListResponse::FoneNumberListEnvelope(_) => {
                assert_eq!(first, Some(&b'{'))
            }
        }
        roundtrip(ours);
    }
    // The single-number body (generated untagged enum) must not panic either.
    let _ = serde_json::from_slice::<types::FoneNumberResponse>(data);
}

/// Encoding a decoded value and decoding that again gives the same encoding.
fn roundtrip<T: Serialize + DeserializeOwned>(value: &T) {
    let first = serde_json::to_value(value).expect("encodes");
    let again: T = serde_json::from_value(first.clone())
        .unwrap_or_else(|e| panic!("own encoding does not decode: {e}: {first}"));
    assert_eq!(serde_json::to_value(&again).expect("encodes"), first);
}

// --- whole pages ---------------------------------------------------------------------

/// What the runtime does with a page body, for one provider: collect it through the
/// limited `BodyBuffer` in the chunks the first byte chooses, decode it as the generated
/// operation does (`serde_json::from_slice`) and as the next-link path does
/// (`wire::decode`), build the error a bad body gives, the message an error status
/// gives (`wire::error_message` with the provider's error type), convert every item to a
/// `PhoneNumber`, and find the next page.
fn page<T, E>(data: &[u8], provider: &'static str, after: impl FnOnce(T))
where
    T: Serialize + DeserializeOwned,
    E: DeserializeOwned + ErrorBody,
{
    let (block, body) = params::<1>(data);
    let body = buffered(body, usize::from(block[0]));

    let plain = serde_json::from_slice::<T>(&body);
    let decoded = wire::decode::<T>(provider, &body);
    assert_eq!(
        plain.is_ok(),
        decoded.is_ok(),
        "generated and next-link paths disagree"
    );
    match decoded {
        Ok(value) => {
            roundtrip(&value);
            after(value);
        }
        Err(e) => {
            assert!(matches!(e.kind(), ErrorKind::Decode { .. }), "{e}");
            let source = plain.err().expect("failed above");
            let generated = wire::decode_error::<T>(provider, &body, source);
            assert_eq!(generated.kind(), e.kind());
            assert_error_text(&e.to_string());
        }
    }
    if let Some(message) = wire::error_message::<E>(&body) {
        // The runtime keeps a provider's message as one short line.
        let kept = wire::one_line(&message, wire::EXCERPT_CHARS);
        if let Some(kept) = kept {
            assert_one_line(&kept, "error message");
            assert!(kept.chars().count() <= wire::EXCERPT_CHARS + 1, "{kept:?}");
        }
    }
    if let Some(excerpt) = wire::body_excerpt(&body) {
        assert_one_line(&excerpt, "body excerpt");
        assert!(excerpt.chars().count() <= wire::EXCERPT_CHARS + 1);
    }
}

/// The longest error text a body may cause, in characters.
const MAX_ERROR_CHARS: usize = 1024;

fn assert_error_text(text: &str) {
    assert_one_line(text, "error");
    assert!(
        text.chars().count() <= MAX_ERROR_CHARS,
        "error of {} characters: {}…",
        text.chars().count(),
        text.chars().take(200).collect::<String>()
    );
}

/// `body` pushed through a `BodyBuffer` in pieces of `chunk` bytes (0: one piece), with
/// a limit of the body's length; the buffer gives back the same bytes.
fn buffered(body: &[u8], chunk: usize) -> bytes::Bytes {
    let limit = body.len() as u64;
    let mut buffer = wire::BodyBuffer::new(limit, None);
    let pieces: Vec<&[u8]> = if chunk == 0 {
        vec![body]
    } else {
        body.chunks(chunk).collect()
    };
    for piece in pieces {
        buffer
            .push(bytes::Bytes::copy_from_slice(piece))
            .expect("within the limit");
    }
    assert!(buffer.capacity() as u64 <= limit.max(1));
    let out = buffer.finish();
    assert_eq!(&out[..], body);
    out
}

/// A provider's number as `telnums` reports it: `number` is the E.164 form of the raw
/// value when it is E.164, and the raw value is kept whenever it differs.
fn assert_number(raw: Option<String>, n: &telnums::PhoneNumber) {
    match raw {
        None => assert_eq!((&n.number, &n.number_raw), (&None, &None)),
        Some(raw) => {
            assert_eq!(n.number, telnums::strict_e164(&raw), "{raw:?}");
            let expected_raw = (n.number.as_deref() != Some(raw.as_str())).then_some(&raw);
            assert_eq!(n.number_raw.as_ref(), expected_raw, "{raw:?}");
        }
    }
}

/// A Vonage CC `callbackNumbers` page. Input: a chunk-size byte, then the body.
pub fn page_vonage(data: &[u8]) {
    use telnums_vonage_cc::types;
    page::<types::CallbackNumberList, types::Error>(data, "vonage-cc", |list| {
        let count = list.callback_numbers.len();
        let _ = telnums_vonage_cc::next_page(1, &list.meta, count);
        for n in list.callback_numbers {
            let raw = n.callback_number_clid.clone();
            assert_number(raw, &telnums::fuzzing::from_vonage(n));
        }
    });
}

/// A Webex Calling numbers page. Input: a chunk-size byte, then the body.
pub fn page_webex(data: &[u8]) {
    use telnums_webex_calling::types;
    page::<types::WebexNumberList, types::Error>(data, "webex-calling", |list| {
        for n in list.phone_numbers {
            let raw = n.phone_number.clone();
            assert_number(raw, &telnums::fuzzing::from_webex(n));
        }
    });
}

/// A Fone Dynamics list page (either shape). Input: a chunk-size byte, then the body.
pub fn page_fone(data: &[u8]) {
    use telnums_fone_dynamics::types;
    page::<types::FoneNumberListResponse, types::Error>(data, "fone-dynamics", |list| {
        let numbers = match list {
            types::FoneNumberListResponse::FoneNumberListEnvelope(e) => e.numbers,
            types::FoneNumberListResponse::Array(a) => a,
        };
        for n in numbers {
            let raw = n.number.clone();
            assert_number(raw, &telnums::fuzzing::from_fone(n));
        }
    });
}

/// An Apple Business Connect caller-ID page. Input: a chunk-size byte, then the body.
pub fn page_apple(data: &[u8]) {
    use telnums_apple_business::types;
    page::<types::AppleCallerIdList, types::Error>(data, "apple-business", |list| {
        if let Some(telnums_apple_business::Cursor::Next(next)) =
            telnums_apple_business::next_cursor(list.pagination.clone())
        {
            let base = url::Url::parse("https://businessconnect.apple.com/api/v1").expect("url");
            let _ = telnums_apple_business::next_url(&base, &next);
        }
        for c in list.data {
            let raw = c.caller_id_details.phone_number.clone();
            assert_number(raw, &telnums::fuzzing::from_apple(c));
        }
    });
}

/// A Zoom Phone numbers page. Input: a chunk-size byte, then the body.
pub fn page_zoom(data: &[u8]) {
    use telnums_zoom_phone::types;
    page::<types::ZoomPhoneNumberList, types::Error>(data, "zoom-phone", |list| {
        let token = list.next_page_token.clone();
        assert_eq!(
            telnums_zoom_phone::next_token(token.clone()).is_some(),
            token.is_some_and(|t| !t.trim().is_empty())
        );
        for n in list.phone_numbers {
            let raw = n.number.clone();
            assert_number(raw, &telnums::fuzzing::from_zoom(n));
        }
    });
}

// --- wire helpers --------------------------------------------------------------------

/// An error whose message and sources the fuzzer chooses.
#[derive(Debug)]
struct Chain {
    message: String,
    source: Option<Box<Chain>>,
}

impl std::fmt::Display for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Chain {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// `telnums_core::wire`: `one_line`, `describe_chain` and `BodyBuffer`.
///
/// Input: a mode byte, then for `one_line` a length byte and the text; for
/// `describe_chain` the messages separated by NUL; for `BodyBuffer` a limit, a declared
/// length and chunk sizes.
pub fn wire_text(data: &[u8]) {
    let (block, rest) = params::<2>(data);
    match block[0] % 3 {
        0 => {
            let text = String::from_utf8_lossy(rest);
            let max = usize::from(block[1]);
            let Some(out) = wire::one_line(&text, max) else {
                let html =
                    text.chars().find(|c| !c.is_whitespace() && !c.is_control()) == Some('<');
                assert!(
                    html || text.chars().all(|c| c.is_whitespace() || c.is_control()),
                    "{text:?} gave nothing"
                );
                return;
            };
            assert_one_line(&out, "one_line");
            assert_eq!(out.trim(), out, "{text:?}");
            assert!(!out.contains("  "), "{out:?}");
            assert!(out.chars().count() <= max + 1, "{out:?} longer than {max}");
            assert_eq!(
                wire::one_line(&out, max).as_deref(),
                Some(out.as_str()),
                "one_line is not idempotent on {text:?}"
            );
        }
        1 => {
            let text = String::from_utf8_lossy(rest);
            let chain = text.split('\0').rev().fold(None, |source, message| {
                Some(Box::new(Chain {
                    message: message.to_owned(),
                    source,
                }))
            });
            let Some(chain) = chain else { return };
            let line = wire::describe_chain(chain.as_ref());
            assert_one_line(&line, "describe_chain");
        }
        _ => {
            let mut u = Unstructured::new(rest);
            let (Ok(limit), Ok(declared), Ok(sizes)) = (
                u.arbitrary::<u16>(),
                u.arbitrary::<Option<u32>>(),
                u.arbitrary::<Vec<u16>>(),
            ) else {
                return;
            };
            let limit = u64::from(limit);
            let mut buffer = wire::BodyBuffer::new(limit, declared.map(u64::from));
            let mut kept = Vec::new();
            for (i, size) in sizes.iter().enumerate() {
                let chunk = vec![i as u8; usize::from(*size % 4096)];
                let fits = (kept.len() + chunk.len()) as u64 <= limit;
                match buffer.push(bytes::Bytes::from(chunk.clone())) {
                    Ok(()) => {
                        assert!(fits);
                        kept.extend_from_slice(&chunk);
                    }
                    Err(e) => {
                        assert!(!fits);
                        assert_eq!(e.limit, limit);
                        break;
                    }
                }
                assert_eq!(buffer.len(), kept.len() as u64);
                assert!(buffer.capacity() as u64 <= limit, "capacity past the limit");
            }
            assert_eq!(&buffer.finish()[..], &kept[..]);
        }
    }
}

// --- OAuth2 token response -----------------------------------------------------------

/// `telnums_core::auth::token_response`: a token endpoint's status and body.
///
/// Input: 2 bytes of status, then the body.
pub fn oauth_token(data: &[u8]) {
    let (block, body) = params::<2>(data);
    let status = 100 + u16::from_le_bytes(block) % 500;
    let token = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("access_token")?.as_str().map(str::to_owned));
    match telnums_core::auth::token_response(status, body) {
        Ok((header, lifetime)) => {
            assert!((200..300).contains(&status));
            assert!(header.is_sensitive());
            assert!(lifetime <= Duration::from_secs(86_400), "{lifetime:?}");
            assert!(header.as_bytes().starts_with(b"Bearer "));
            if let Some(token) = token {
                assert_eq!(header.as_bytes(), format!("Bearer {token}").as_bytes());
            }
        }
        Err(e) => {
            let text = e.to_string();
            assert_one_line(&text, "token error");
            if let Some(token) = token.filter(|t| t.len() >= 8) {
                if (200..300).contains(&status) {
                    assert!(!text.contains(&token), "the token leaked: {text}");
                }
            }
        }
    }
}

// --- CLI config ----------------------------------------------------------------------

/// Values of the environment the config is read with; none may appear in a message.
const SECRETS: [(&str, &str); 6] = [
    ("TELNUMS_TOKEN", "sekrit-global-7f3a"),
    ("TELNUMS_ZOOM_PHONE_TOKEN", "sekrit-zoom-91c2"),
    ("TELNUMS_CLIENT_SECRET", "sekrit-client-5d0e"),
    ("WEBEX_TOKEN", "sekrit-webex-2b8d"),
    ("T", "sekrit-t-77aa"),
    ("TELNUMS_FONE_DYNAMICS_TOKEN", "sekrit-fone-4e19"),
];

/// What `telnums list all --config FILE` does with FILE's text
/// (`telnums_cli::fuzzing::config`), with a fixed environment holding tokens.
///
/// Input: the TOML text.
pub fn cli_config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut vars: Vec<(String, String)> = SECRETS
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    vars.push(("TELNUMS_CLIENT_ID".into(), "client".into()));
    vars.push((
        "TELNUMS_TOKEN_URL".into(),
        "http://127.0.0.1:9/token".into(),
    ));
    vars.push(("TELNUMS_ACCOUNT_SID".into(), "AC0001".into()));
    match telnums_cli::fuzzing::config(text, &vars) {
        Ok((keys, _filters)) => {
            let tables: toml::Table = toml::from_str(text).expect("accepted text is TOML");
            let names: Vec<&str> = tables.keys().map(String::as_str).collect();
            assert_eq!(keys, names, "one source per table, in the file's key order");
        }
        Err(failure) => {
            assert_eq!(failure.code, 2, "a config problem is a usage error");
            // A value the file itself contains may be quoted back (serde echoes an unknown
            // field's text); one only in the environment never.
            for (_, secret) in SECRETS.iter().filter(|(_, v)| !text.contains(v)) {
                assert!(
                    !failure.message.contains(secret),
                    "secret in {:?}",
                    failure.message
                );
            }
        }
    }
}
