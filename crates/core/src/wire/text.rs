//! Server text and transport failures as short, safe lines: the one-line excerpt, the
//! escaped form of server data, the cause chain and the timeout messages.

use std::error::Error as StdError;
use std::time::Duration;

use super::client::Timeouts;
use crate::error::ErrorKind;

/// Longest excerpt of an error body kept as a message, in characters.
#[doc(hidden)]
pub const EXCERPT_CHARS: usize = 200;

/// `text` with control characters escaped (`\n`, `\u{7f}`), cut with `…` so that the
/// result, escapes included, has at most `max` characters before the `…` (escapes are
/// counted, so that a text of control characters cannot grow sixfold).
pub(crate) fn printable(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in text.chars() {
        let escaped = c.is_control().then(|| c.escape_debug().to_string());
        let width = escaped.as_ref().map_or(1, |e| e.chars().count());
        if len + width > max {
            out.push('…');
            break;
        }
        len += width;
        match escaped {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
    }
    out
}

/// What kind of failure a `reqwest` error is, a one-line description of it naming the
/// phase and `origin` (`scheme://host:port`, never a path or query), and the error
/// itself with its URL removed (to keep as the source).
pub(crate) fn describe(
    e: reqwest::Error,
    origin: &str,
    timeouts: &Timeouts,
) -> (ErrorKind, String, reqwest::Error) {
    let e = e.without_url();
    let (kind, message) = classify(&e, origin, timeouts);
    (kind, message, e)
}

fn classify(e: &reqwest::Error, origin: &str, timeouts: &Timeouts) -> (ErrorKind, String) {
    let chain = describe_chain(e);
    if e.is_builder() {
        return (ErrorKind::InvalidRequest, chain);
    }
    if e.is_timeout() {
        let message = if e.is_connect() {
            if timeouts.own_http {
                format!(
                    "no connection to {origin} within {} (connect timeout)",
                    secs(timeouts.connect)
                )
            } else {
                format!("no connection to {origin} in time (connect timeout)")
            }
        } else if timeouts.own_http {
            format!(
                "{origin} sent nothing for {} (read timeout)",
                secs(timeouts.read)
            )
        } else {
            format!("{origin} did not answer in time (the HTTP client's own timeout)")
        };
        return (ErrorKind::Timeout, message);
    }
    let phase = if e.is_connect() {
        "cannot connect to"
    } else if e.is_body() || e.is_decode() {
        "response body broken off from"
    } else if e.is_redirect() {
        "redirect refused from"
    } else {
        "request failed to"
    };
    (ErrorKind::Transport, format!("{phase} {origin}: {chain}"))
}

/// The message of the timeout that ends an attempt taking longer than `limit`; `cut`
/// when the limit was the call's remaining budget rather than the per-attempt timeout.
pub(crate) fn total_timeout_message(origin: &str, limit: Duration, cut: bool) -> String {
    if cut {
        format!(
            "{origin}: attempt stopped after {}, when the call's retry budget ran out (total timeout)",
            secs(limit)
        )
    } else {
        format!(
            "{origin}: attempt took longer than {} (total timeout)",
            secs(limit)
        )
    }
}

pub(super) fn secs(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// An error and its sources as one line, `a: b: c`, leaving out a message that repeats
/// the one before it (hyper and reqwest often wrap an error and print part of it again)
/// and reqwest's generic "error sending request" wrapper when more specific causes
/// follow.
pub fn describe_chain(e: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(err) = next {
        let text = one_line(&err.to_string(), usize::MAX).unwrap_or_default();
        let repeated = parts
            .last()
            .is_some_and(|prev| prev.contains(text.as_str()) || text.contains(prev.as_str()));
        if !text.is_empty() {
            if repeated {
                // Keep the longer (more specific) of the two.
                if let Some(prev) = parts.last_mut() {
                    if text.len() > prev.len() {
                        *prev = text;
                    }
                }
            } else {
                parts.push(text);
            }
        }
        next = err.source();
    }
    const GENERIC: &[&str] = &[
        "error sending request",
        "request or response body error",
        "error decoding response body",
        "client error (Connect)",
        "client error (SendRequest)",
    ];
    if parts.len() > 1 {
        parts.retain(|p| !GENERIC.contains(&p.as_str()));
    }
    parts.join(": ")
}

/// `text` as one short line: control characters dropped, runs of whitespace (newlines
/// included) collapsed to one space, HTML tags removed when the text is an HTML page,
/// cut to `max` characters with `…`. `None` when nothing is left.
pub fn one_line(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    // An HTML page starts with `<` once whitespace and control characters (which are
    // dropped) are skipped. Deciding on the first raw character would make the function
    // give another line when applied to its own output, and messages go through it
    // twice.
    let html = text.chars().find(|c| !c.is_whitespace() && !c.is_control()) == Some('<');
    let mut out = String::new();
    let mut count = 0usize;
    let mut in_tag = false;
    let mut pending_space = false;
    let mut cut = false;
    for c in text.chars() {
        if html {
            match c {
                '<' => {
                    in_tag = true;
                    pending_space = true;
                    continue;
                }
                '>' if in_tag => {
                    in_tag = false;
                    continue;
                }
                _ if in_tag => continue,
                _ => {}
            }
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if c.is_control() {
            continue;
        }
        if pending_space && !out.is_empty() {
            if count >= max {
                cut = true;
                break;
            }
            out.push(' ');
            count += 1;
        }
        pending_space = false;
        if count >= max {
            cut = true;
            break;
        }
        out.push(c);
        count += 1;
    }
    if cut {
        out.truncate(out.trim_end().len());
        out.push('…');
    }
    (!out.is_empty()).then_some(out)
}
