//! `cargo tools docs`: a browsable HTML reference of every spec, rendered by Redocly's
//! `build-docs` into the git-ignored `docs-html/`, plus an `index.html` linking them.
//!
//! Redocly CLI runs through `npx --yes` at the version pinned in `.ci/specs/package.json`
//! (the same pin `.ci/specs.sh` installs), so the docs and CI use one tool version. Its
//! pages are prerendered but load the Redoc script from a CDN; so that they also work
//! offline, that script tag is pointed at `docs-html/redoc.standalone.js`, taken (with
//! `npm pack`) from the `redoc` package of the very version the tag names.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde_json::Value;

use xtask::{load_spec, spec_path, PROVIDERS};

/// Output folder, relative to the workspace root (listed in `.gitignore`).
pub const DOCS_DIR: &str = "docs-html";

/// The `@redocly/cli` version pinned in `.ci/specs/package.json`.
pub fn redocly_version(root: &Path) -> Result<String> {
    let path = root.join(".ci").join("specs").join("package.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    manifest
        .pointer("/dependencies/@redocly~1cli")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("{} pins no @redocly/cli version", path.display()))
}

/// Renders `docs-html/<key>.html` for every spec and `docs-html/index.html`; returns the
/// index's path.
pub fn docs(root: &Path) -> Result<PathBuf> {
    let version = redocly_version(root)?;
    let out = root.join(DOCS_DIR);
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let mut entries = Vec::new();
    for key in PROVIDERS {
        let spec = load_spec(&spec_path(root, key))?;
        let title = info(&spec, "title").unwrap_or(key).to_owned();
        let page = format!("{key}.html");
        let rendered = Command::new("npx")
            .current_dir(root)
            .args(["--yes", &format!("@redocly/cli@{version}"), "build-docs"])
            .arg(format!("specs/{key}.yaml"))
            .args(["--output", &format!("{DOCS_DIR}/{page}")])
            .args(["--title", &title, "--disableGoogleFont"])
            .env("REDOCLY_TELEMETRY", "off")
            .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
            .env("NPM_CONFIG_UPDATE_NOTIFIER", "false")
            .env("NPM_CONFIG_FUND", "false")
            .output()
            .context("running npx (Node.js 20.19 or newer with npm must be installed)")?;
        // Redocly prints notices in boxes on every run; show its output only on failure.
        if !rendered.status.success() {
            bail!(
                "redocly build-docs failed for specs/{key}.yaml ({}):\n{}{}",
                rendered.status,
                String::from_utf8_lossy(&rendered.stdout),
                String::from_utf8_lossy(&rendered.stderr)
            );
        }
        println!("rendered specs/{key}.yaml -> {DOCS_DIR}/{page}");
        let redoc = localize_redoc_script(&out.join(&page))?;
        if let Some(version) = redoc {
            fetch_redoc_bundle(&out, &version)?;
        }
        entries.push((key, title, spec, page));
    }

    let mut list = String::new();
    for (key, title, spec, page) in &entries {
        let version = info(spec, "version").unwrap_or("?");
        let description = info(spec, "description").unwrap_or("");
        let first = description.split("\n\n").next().unwrap_or("");
        let summary = first.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(
            list,
            "  <li><a href=\"{page}\">{title}</a> <small>(<code>{key}</code>, API version \
             {version}, <a href=\"../specs/{key}.yaml\">spec</a>)</small><p>{summary}</p></li>",
            title = html(title),
            summary = code_spans(&html(&summary)),
        );
    }
    let index = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>telnums: provider API reference</title>\n\
         <style>body{{font-family:sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}}\
         li{{margin-bottom:1rem}}p{{margin:.3rem 0}}</style>\n</head>\n<body>\n\
         <h1>telnums: provider API reference</h1>\n\
         <p>Rendered from <code>specs/*.yaml</code> by <code>cargo xtask docs</code> \
         (Redocly CLI {version}).</p>\n<ul>\n{list}</ul>\n</body>\n</html>\n"
    );
    let index_path = out.join("index.html");
    std::fs::write(&index_path, index)
        .with_context(|| format!("writing {}", index_path.display()))?;
    Ok(index_path)
}

const REDOC_CDN: &str = "<script src=\"https://cdn.redocly.com/redoc/v";
const REDOC_BUNDLE: &str = "redoc.standalone.js";

/// Replaces the page's CDN `<script>` for Redoc with one loading `redoc.standalone.js`
/// from the page's folder; returns the Redoc version the CDN URL named.
fn localize_redoc_script(page: &Path) -> Result<Option<String>> {
    let html =
        std::fs::read_to_string(page).with_context(|| format!("reading {}", page.display()))?;
    let Some(start) = html.find(REDOC_CDN) else {
        return Ok(None);
    };
    let rest = &html[start + REDOC_CDN.len()..];
    let version = rest.split('/').next().unwrap_or_default().to_owned();
    let end = rest
        .find("</script>")
        .with_context(|| format!("unterminated Redoc <script> in {}", page.display()))?;
    let replaced = format!(
        "{}<script src=\"{REDOC_BUNDLE}\"></script>{}",
        &html[..start],
        &rest[end + "</script>".len()..]
    );
    std::fs::write(page, replaced).with_context(|| format!("writing {}", page.display()))?;
    Ok(Some(version))
}

/// Puts `redoc.standalone.js` of Redoc `version` into `out` (once per version).
fn fetch_redoc_bundle(out: &Path, version: &str) -> Result<()> {
    let marker = out.join(".redoc-version");
    let bundle = out.join(REDOC_BUNDLE);
    if bundle.exists() && std::fs::read_to_string(&marker).ok().as_deref() == Some(version) {
        return Ok(());
    }
    let scratch = out.join(".redoc-pack");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let packed = crate::common::succeed(
        Command::new("npm")
            .current_dir(&scratch)
            .args(["pack", "--silent", &format!("redoc@{version}")])
            .env("NPM_CONFIG_UPDATE_NOTIFIER", "false"),
        &format!("npm pack redoc@{version}"),
    )?;
    let tarball = String::from_utf8_lossy(&packed.stdout).trim().to_owned();
    let member = format!("package/bundles/{REDOC_BUNDLE}");
    let status = Command::new("tar")
        .current_dir(&scratch)
        .args(["-xzf", &tarball, &member])
        .status()
        .context("running tar")?;
    if !status.success() {
        bail!("could not extract {member} from {tarball}");
    }
    std::fs::rename(scratch.join(&member), &bundle)
        .with_context(|| format!("moving {member} to {}", bundle.display()))?;
    std::fs::write(&marker, version)?;
    std::fs::remove_dir_all(&scratch)?;
    Ok(())
}

/// `info.<key>` of a spec, when it is a string.
fn info<'a>(spec: &'a Value, key: &str) -> Option<&'a str> {
    spec.get("info")?.get(key)?.as_str()
}

/// Turns Markdown `code` spans into `<code>` elements.
fn code_spans(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return s.to_owned(); // an unpaired backtick: leave the text alone
    }
    let span = |(i, part)| match i % 2 {
        1 => format!("<code>{part}</code>"),
        _ => String::from(part),
    };
    parts.into_iter().enumerate().map(span).collect()
}

/// Escapes text for HTML element content and attribute values.
fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_become_code_elements_unless_a_backtick_is_unpaired() {
        assert_eq!(
            code_spans("a `b` c `d`"),
            "a <code>b</code> c <code>d</code>"
        );
        assert_eq!(code_spans("no spans"), "no spans");
        assert_eq!(code_spans("one ` alone"), "one ` alone");
    }
}
