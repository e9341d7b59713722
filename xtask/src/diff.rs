//! `cargo xtask diff`: what a spec change does to the users of a generated crate, the
//! version bump it needs, and the changelog entry that says so.
//!
//! For every provider whose spec differs from the base revision (see [`git`] for how the
//! base is chosen), two comparisons are made:
//! 1. **the specs** ([`spec`]), read as written, so every change carries a JSON pointer
//!    into the new spec (into the base spec for removals);
//! 2. **the public Rust API** ([`api`]) of the code `cargo xtask generate` makes from each
//!    spec, both generated in memory by the current generator, so the Rust side shows
//!    exactly what the spec change does to the crate (and catches what the spec rules
//!    cannot see, such as typify picking `NonZeroU32` for `minimum: 1`).
//!
//! Both walk the two sides with [`walk`]: the entries of each section matched into
//! removed, added and kept ones, each case a rule.
//!
//! The crate's level is the most severe of both (and at least [`Level::Patch`] when the
//! generated file changed at all); the version it needs follows from the version at the
//! base ([`version::required`]). The facade `telnums` re-exports every provider crate
//! whole (`telnums::zoom_phone` *is* `telnums_zoom_phone`), so it takes the most severe
//! level of the providers that changed.
//!
//! # What "breaking" means here
//!
//! Code that compiled and worked against the crate generated from the old spec no
//! longer compiles, or fails or behaves differently at run time, against the crate
//! generated from the new spec, talking to a server that behaves as the new spec says.
//! Two policies make the list usable, and are part of the crates' contract:
//! - the generated data types (`types::*`) are *read*: building them with struct
//!   literals, or matching on their enums without a wildcard arm, is not supported, so a
//!   new field or a new variant is an addition, not a break;
//! - response enums are open (the preprocessing turns each into `Known(..)` /
//!   `Other(String)`), so a value the spec did not list was already delivered, as
//!   `Other`; once listed it arrives as `Known(..)`.
//!
//! # Rules
//!
//! "Narrowed" means fewer values are accepted; "request" means the schema is reached
//! from a parameter or request body, "response" from a response body or header (a
//! component schema reached from both takes the stricter column; `$ref`s are followed
//! with a guard against cycles).
//!
//! | change | request | response | why |
//! |---|---|---|---|
//! | operation removed / `operationId` changed | breaking | breaking | the client method goes away or is renamed |
//! | operation added | addition | addition | a new method |
//! | parameter removed | breaking | — | its builder method goes away |
//! | required parameter added, optional → required | breaking | — | `send()` fails until callers set it |
//! | optional parameter added | addition | — | a new builder method |
//! | required → optional parameter | patch | — | the setter keeps its signature |
//! | parameter `style` / `explode` changed | breaking | — | sent differently; may change the Rust type |
//! | request body added (required) / removed | breaking | — | calls change shape |
//! | response 2xx removed | — | breaking | `send()` treats it as an error |
//! | response 2xx added | — | addition | |
//! | error response added or removed | — | patch | `telnums_core::Error` reports any status alike |
//! | media type removed (body, 2xx) | breaking | breaking | the client's format is gone |
//! | media type added | addition | addition | |
//! | property removed | breaking | breaking | the field goes away |
//! | property added | addition (breaking if required) | addition | new field; a required one must be sent |
//! | property optional ↔ required | breaking | breaking when Rust changes `Option<T>` ↔ `T` | non-array fields change type |
//! | property nullable changed | patch, breaking when `Option<T>` ↔ `T` | same | |
//! | `type` changed, `$ref` target changed, inline ↔ `$ref` | breaking | breaking | the Rust type changes |
//! | `format` changed, Rust type differs (`date-time`, `int64`, `uuid`…) | breaking | breaking | the Rust type changes |
//! | `format` changed, same Rust type (`email`…) | breaking (patch if removed) | patch | the server validates it |
//! | enum value removed | breaking | breaking | the Rust variant goes away; the server refuses it |
//! | enum value added | addition | addition | response enums are open |
//! | enum introduced or dropped | breaking | breaking | `String` ↔ Rust enum |
//! | bound narrowed (`maximum`↓, `minimum`↑, `maxLength`↓, `minItems`↑, `pattern`, `multipleOf`, `uniqueItems`, exclusive bounds) | breaking | patch | calls that passed may be refused; the server sends a subset |
//! | bound widened | patch | patch | |
//! | string gains / loses limits or `pattern` (not on parameters) | breaking | breaking | `String` ↔ checked newtype |
//! | integer bounds change the Rust type (`minimum: 1` ↔ `NonZeroU32`) | breaking | breaking | the Rust type changes |
//! | `additionalProperties: false` added | patch | breaking | `deny_unknown_fields`: a field added later fails decoding |
//! | `oneOf`/`anyOf` member removed / added | breaking / addition | breaking / addition | a Rust variant goes or comes |
//! | `allOf` member added or removed, `discriminator`, `not` | breaking | breaking | the shape changes |
//! | `default` changed, `deprecated`, `readOnly`, `writeOnly` | patch | patch | |
//! | description, summary, title | patch | patch | docs of the generated code |
//! | `example(s)`, `x-*`, tags | none | none | not part of the crate |
//! | `info.version` | patch | patch | `api_version()` changes |
//! | server removed / variable value removed | breaking | breaking | a configured base URL stops working |
//! | server added / variable value added | addition | addition | |
//! | server variable default changed | patch | patch | review the hand-written default |
//! | response header removed (required / optional), required → optional | — | breaking / patch | readers of a documented header |
//! | response header added | — | addition | |
//! | authentication now required, an alternative removed, more scopes needed | breaking | breaking | existing credentials are refused |
//! | alternative added, fewer scopes needed | addition / patch | same | |
//! | security scheme removed / `type`, `scheme`, `in`, `name` changed / flow removed / token or authorization URL changed / scope removed | breaking | breaking | credentials travel differently; callers pass these URLs |
//! | security scheme, flow or scope added | addition | addition | |
//! | anything else | patch, flagged "unclassified" | | a human reads it |
//!
//! On the Rust side, a removed public item or a changed signature is breaking and a new
//! item is an addition.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use semver::Version;

use crate::{generate_source, load_spec, spec_path};

pub mod api;
pub mod changelog;
pub mod git;
pub mod spec;
pub mod version;
pub mod walk;

pub use api::ApiChange;

/// How much a change matters to users of the generated crate, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Not part of the crate (examples, extensions, tags): no bump.
    None,
    /// Compatible change (docs, widened bounds, relaxed requirements): a patch.
    Patch,
    /// New API (an operation, a parameter, a field, an enum value): a patch before 1.0,
    /// a minor from 1.0.
    Addition,
    /// Code that worked stops compiling or working: a minor before 1.0, a major from 1.0.
    Breaking,
}

impl Level {
    /// `none`, `patch`, `addition`, `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Patch => "patch",
            Level::Addition => "addition",
            Level::Breaking => "breaking",
        }
    }

    /// Parses [`Level::as_str`].
    pub fn parse(s: &str) -> Option<Level> {
        [Level::None, Level::Patch, Level::Addition, Level::Breaking]
            .into_iter()
            .find(|l| l.as_str() == s)
    }
}

/// Which spec a pointer points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The base spec (for what was removed).
    Old,
    /// The new spec.
    New,
}

/// One classified change between two specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// How much it matters.
    pub level: Level,
    /// A stable name of the rule that found it, e.g. `property-removed`.
    pub kind: &'static str,
    /// Which spec [`Change::pointer`] points into.
    pub side: Side,
    /// JSON pointer (RFC 6901) to the changed value.
    pub pointer: String,
    /// What changed and what it does to users, in a sentence.
    pub message: String,
}

pub use spec::compare as compare_specs;

/// Everything found for one provider.
#[derive(Debug, Clone)]
pub struct ProviderDiff {
    /// Provider key.
    pub key: String,
    /// Spec changes, most severe first.
    pub spec: Vec<Change>,
    /// Public Rust API changes, most severe first.
    pub api: Vec<ApiChange>,
    /// Why the Rust API could not be compared, if it could not.
    pub api_error: Option<String>,
    /// Whether the generated file differs at all.
    pub generated_changed: bool,
}

impl ProviderDiff {
    /// The spec changes of `level`.
    pub fn at(&self, level: Level) -> impl Iterator<Item = &Change> {
        self.spec.iter().filter(move |c| c.level == level)
    }

    /// The crate's level: the most severe change, and at least a patch when the
    /// generated file changed.
    pub fn level(&self) -> Level {
        let spec = self.spec.iter().map(|c| c.level);
        let api = self.api.iter().map(|c| c.level);
        let generated = self.generated_changed.then_some(Level::Patch);
        let all = spec.chain(api).chain(generated);
        all.max().unwrap_or(Level::None)
    }
}

/// Compares the spec of `key` under two workspace roots (`<root>/specs/<key>.yaml`),
/// generating both in memory.
pub fn diff_roots(key: &str, old_root: &Path, new_root: &Path) -> Result<ProviderDiff> {
    let old = load_spec(&spec_path(old_root, key))?;
    let new = load_spec(&spec_path(new_root, key))?;
    let spec = compare_specs(&old, &new);
    let (mut api, mut api_error, mut generated_changed) = (Vec::new(), None, false);
    let generated = (
        generate_source(old_root, key),
        generate_source(new_root, key),
    );
    match generated {
        (Ok(a), Ok(b)) => {
            generated_changed = a != b;
            match api::compare(&a, &b) {
                Ok(changes) => api = changes,
                Err(e) => api_error = Some(format!("generated code does not parse: {e}")),
            }
        }
        (Err(e), _) => api_error = Some(format!("the base spec does not generate: {e:#}")),
        (_, Err(e)) => api_error = Some(format!("the new spec does not generate: {e:#}")),
    }
    Ok(ProviderDiff {
        key: key.to_owned(),
        spec,
        api,
        api_error,
        generated_changed,
    })
}

/// A crate's version at the base and now, and what the changes require.
#[derive(Debug, Clone)]
pub struct CrateBump {
    /// Package name, e.g. `telnums-zoom-phone`.
    pub name: String,
    /// Its directory relative to the root, e.g. `crates/zoom-phone`.
    pub dir: String,
    /// The level of its changes.
    pub level: Level,
    /// Its version at the base.
    pub base: Version,
    /// Its version now, and where that is written.
    pub now: version::CrateVersion,
    /// The least version the changes require, if any.
    pub needed: Option<Version>,
}

impl CrateBump {
    /// The bump a crate at `base` (its version now: `now`) needs for changes of `level`.
    pub fn new(
        name: String,
        dir: String,
        level: Level,
        base: Version,
        now: version::CrateVersion,
    ) -> Self {
        let needed = version::required(&base, level);
        CrateBump {
            name,
            dir,
            level,
            base,
            now,
            needed,
        }
    }

    /// `major`, `minor` or `patch`: the bump the changes need, if any.
    pub fn kind(&self) -> Option<&'static str> {
        let needed = self.needed.as_ref();
        needed.map(|n| version::bump_name(&self.base, n))
    }

    /// Whether the version now is at least the one needed.
    pub fn satisfied(&self) -> bool {
        let needed = self.needed.as_ref();
        needed.is_none_or(|n| version::satisfies(&self.now.version, n))
    }

    /// The version the changelog entry goes under: the version now when it suffices,
    /// else the one needed.
    pub fn target(&self) -> Version {
        match &self.needed {
            Some(n) if !self.satisfied() => n.clone(),
            _ => self.now.version.clone(),
        }
    }

    /// One line: the bump, and whether the version has it.
    pub fn summary(&self) -> String {
        let Some(needed) = &self.needed else {
            return format!("{}: no version bump needed", self.name);
        };
        let kind = version::bump_name(&self.base, needed);
        let reason = match self.level {
            Level::Breaking => "breaking changes",
            Level::Addition => "additions",
            _ => "compatible changes",
        };
        let (name, base, now) = (&self.name, &self.base, &self.now.version);
        let state = if self.satisfied() {
            format!("done, now {now}")
        } else if self.level == Level::Breaking {
            format!("MISSING, still {now}")
        } else {
            format!("not done yet, still {now}; --check requires bumps for breaking changes only")
        };
        format!("{name}: {kind} bump {base} → {needed} for {reason} ({state})")
    }

    /// Where to raise the version.
    pub fn how(&self) -> String {
        let (name, dir, target) = (&self.name, &self.dir, self.target());
        match self.now.source {
            version::Source::Workspace => format!(
                "raise `version` in [workspace.package] of Cargo.toml (every crate inherits it) \
                 to {target} or later, or give {name} its own `version` in {dir}/Cargo.toml"
            ),
            _ => format!("raise `version` in {dir}/Cargo.toml to {target} or later"),
        }
    }
}

/// The whole report.
#[derive(Debug)]
pub struct Report {
    /// What was compared against (`None`: no earlier state of `specs/`).
    pub base: Option<git::Base>,
    /// Providers whose spec changed, with their crate.
    pub providers: Vec<(ProviderDiff, CrateBump)>,
    /// Providers new since the base (nothing to compare).
    pub new_providers: Vec<String>,
    /// The facade, when any provider crate changed.
    pub facade: Option<CrateBump>,
}

/// Options of `cargo xtask diff`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--base REV`.
    pub base: Option<String>,
    /// `--only KEY`.
    pub only: Option<String>,
}

fn read(root: &Path, rel: &str) -> Result<String> {
    std::fs::read_to_string(root.join(rel)).with_context(|| format!("reading {rel}"))
}

/// The bump the crate in `dir` needs for changes of `level`: its version at the base
/// (manifests read with `git show`) and now. `None` when the crate is new since the base.
fn crate_bump(
    root: &Path,
    base: &git::Base,
    dir: String,
    level: Level,
) -> Result<Option<CrateBump>> {
    let manifest = format!("{dir}/Cargo.toml");
    let Some(member) = git::show(root, &base.rev, &manifest)? else {
        return Ok(None);
    };
    let workspace = git::show(root, &base.rev, "Cargo.toml")?.unwrap_or_default();
    let at_base = version::crate_version(&member, &workspace)?.version;
    let (member, workspace) = (read(root, &manifest)?, read(root, "Cargo.toml")?);
    let table: toml::Table = member.parse().context("parsing a crate manifest")?;
    let name = table
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(toml::Value::as_str);
    let name = name.context("[package] has no name")?.to_owned();
    let now = version::crate_version(&member, &workspace)?;
    Ok(Some(CrateBump::new(name, dir, level, at_base, now)))
}

/// `cargo xtask diff`: the report on `out`, then with `changelog` an entry written into
/// each affected crate's CHANGELOG.md, and with `check` the failure on `err` when a
/// breaking change lacks its version bump. Returns whether the command passed.
pub fn command(
    root: &Path,
    options: &Options,
    changelog: bool,
    check: bool,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> Result<bool> {
    let report = run(root, options)?;
    write!(out, "{}", report.render())?;
    if changelog {
        for path in report.write_changelogs(root)? {
            writeln!(out, "wrote {}", crate::relative(root, &path))?;
        }
    }
    if check {
        if let Some(failure) = report.check_failure() {
            write!(err, "{failure}")?;
            return Ok(false);
        }
        writeln!(
            out,
            "xtask diff --check: every breaking change has its version bump"
        )?;
    }
    Ok(true)
}

/// Computes the report for the work tree at `root`.
pub fn run(root: &Path, options: &Options) -> Result<Report> {
    let keys = crate::selected(options.only.as_deref())?;
    let base = git::base(root, options.base.as_deref())?;
    let mut report = Report {
        base: base.clone(),
        providers: Vec::new(),
        new_providers: Vec::new(),
        facade: None,
    };
    let Some(base) = base else {
        return Ok(report);
    };
    // The base spec is generated from a scratch root, removed when it drops.
    let scratch = tempfile::tempdir().context("creating a scratch directory")?;
    std::fs::create_dir_all(scratch.path().join("specs"))?;
    for key in keys {
        let rel = format!("specs/{key}.yaml");
        let Some(old_text) = git::show(root, &base.rev, &rel)? else {
            report.new_providers.push(key.to_owned());
            continue;
        };
        let new_text = read(root, &rel)?;
        if old_text == new_text {
            continue;
        }
        std::fs::write(spec_path(scratch.path(), key), &old_text)?;
        let diff = diff_roots(key, scratch.path(), root)?;
        match crate_bump(root, &base, format!("crates/{key}"), diff.level())? {
            Some(bump) => report.providers.push((diff, bump)),
            None => report.new_providers.push(key.to_owned()),
        }
    }
    let facade_level = report.providers.iter().map(|(d, _)| d.level()).max();
    if let Some(level) = facade_level.filter(|l| *l > Level::None) {
        report.facade = crate_bump(root, &base, "crates/telnums".to_owned(), level)?;
    }
    Ok(report)
}

/// `specs/<key>.yaml#<pointer>`, prefixed with the base commit for the old spec.
pub fn location(key: &str, change: &Change, base_short: &str) -> String {
    match change.side {
        Side::New => format!("specs/{key}.yaml#{}", change.pointer),
        Side::Old => format!("{base_short}:specs/{key}.yaml#{}", change.pointer),
    }
}

impl Report {
    fn base_short(&self) -> &str {
        self.base.as_ref().map_or("base", |b| b.short.as_str())
    }

    /// The human-readable report.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let Some(base) = &self.base else {
            out.push_str(
                "no earlier state of specs/ to compare with (they were added in the root commit)\n",
            );
            return out;
        };
        let _ = writeln!(out, "base: {} ({})", base.short, base.reason);
        for key in &self.new_providers {
            let _ = writeln!(out, "\n{key}: new since the base; nothing to compare");
        }
        if self.providers.is_empty() {
            let _ = writeln!(out, "\nno spec changed since {}", base.short);
        }
        for (diff, bump) in &self.providers {
            let counts = [Level::Breaking, Level::Addition, Level::Patch, Level::None]
                .into_iter()
                .map(|l| (l, diff.at(l).count()))
                .filter(|(_, n)| *n > 0)
                .map(|(l, n)| format!("{n} {}", l.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(out, "\n{} (specs/{}.yaml): {counts}", diff.key, diff.key);
            for c in &diff.spec {
                let (level, at) = (c.level.as_str(), location(&diff.key, c, &base.short));
                let _ = writeln!(out, "  {level:<8}  {}\n            {at}", c.message);
            }
            match (&diff.api_error, diff.api.is_empty()) {
                (Some(e), _) => {
                    let _ = writeln!(out, "  Rust API not compared: {e}");
                }
                (None, true) => {
                    let docs = " (the generated file changed: docs or bodies)";
                    let docs = if diff.generated_changed { docs } else { "" };
                    let _ = writeln!(out, "  Rust API: unchanged{docs}");
                }
                (None, false) => {
                    let _ = writeln!(out, "  Rust API ({}/src/generated.rs):", bump.dir);
                    for c in &diff.api {
                        let _ = writeln!(out, "  {:<8}  {c}", c.level.as_str());
                    }
                }
            }
            let _ = writeln!(out, "  => {}", bump.summary());
        }
        if let Some(facade) = &self.facade {
            let (name, summary) = (&facade.name, facade.summary());
            let _ = writeln!(
                out,
                "\n{name} re-exports the provider crates whole => {summary}"
            );
        }
        out
    }

    /// Crates with a breaking change and without the version it needs.
    pub fn unbumped_breaking(&self) -> Vec<&CrateBump> {
        self.providers
            .iter()
            .map(|(_, b)| b)
            .chain(self.facade.iter())
            .filter(|b| b.level == Level::Breaking && !b.satisfied())
            .collect()
    }

    /// The failure message of `--check`, or `None` when it passes.
    pub fn check_failure(&self) -> Option<String> {
        let missing = self.unbumped_breaking();
        if missing.is_empty() {
            return None;
        }
        let mut out = String::new();
        for bump in missing {
            let needed = bump.needed.as_ref().map(ToString::to_string);
            let (name, needed, kind) = (&bump.name, needed.unwrap_or_default(), bump.kind());
            let (kind, base, since, now) = (
                kind.unwrap_or("?"),
                &bump.base,
                self.base_short(),
                &bump.now.version,
            );
            let _ = writeln!(
                out,
                "xtask diff --check: {name} needs a {kind} bump ({base} → {needed}) for breaking \
                 changes since {since}, but its version is {now}."
            );
            let own = self.providers.iter().find(|(_, b)| b.name == bump.name);
            let causes: Vec<String> = match own {
                Some((diff, _)) => {
                    let at = |c| location(&diff.key, c, self.base_short());
                    let spec = diff
                        .at(Level::Breaking)
                        .map(|c| format!("{} ({})", c.message, at(c)));
                    let api = diff.api.iter().filter(|c| c.level == Level::Breaking);
                    spec.chain(api.map(|c| format!("Rust API: {c}"))).collect()
                }
                None => self
                    .providers
                    .iter()
                    .filter(|(d, _)| d.level() == Level::Breaking)
                    .map(|(_, b)| format!("re-exported {} has breaking changes", b.name))
                    .collect(),
            };
            for cause in causes.iter().take(8) {
                let _ = writeln!(out, "  - {cause}");
            }
            if let Some(more) = causes.len().checked_sub(8).filter(|n| *n > 0) {
                let _ = writeln!(out, "  - … and {more} more (run `cargo xtask diff`)");
            }
            let _ = writeln!(
                out,
                "  Fix: {}; then `cargo xtask diff --changelog`.",
                bump.how()
            );
        }
        Some(out)
    }

    /// Writes a `CHANGELOG.md` entry for every crate that needs a bump; returns the
    /// files written.
    pub fn write_changelogs(&self, root: &Path) -> Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        let base = self.base_short().to_owned();
        for (diff, bump) in &self.providers {
            if bump.needed.is_none() {
                continue;
            }
            let block = provider_entry(diff, bump, &base);
            written.push(write_entry(root, bump, &base, &block)?);
        }
        if let Some(facade) = self.facade.as_ref().filter(|f| f.needed.is_some()) {
            let block = facade_entry(&self.providers, facade, &base);
            written.push(write_entry(root, facade, &base, &block)?);
        }
        Ok(written)
    }
}

fn write_entry(root: &Path, bump: &CrateBump, base: &str, block: &str) -> Result<PathBuf> {
    let path = root.join(&bump.dir).join("CHANGELOG.md");
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => changelog::new_file(&bump.name),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let text = changelog::insert(&existing, &bump.target().to_string(), base, block);
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// The changelog block of a provider crate.
pub fn provider_entry(diff: &ProviderDiff, bump: &CrateBump, base: &str) -> String {
    let mut out = changelog::marker(base);
    let bump_kind = bump.kind().unwrap_or("no");
    let _ = write!(
        out,
        "\nChanges to `specs/{}.yaml` since {base} ({bump_kind} bump).\n",
        diff.key
    );
    for (level, title) in [
        (Level::Breaking, "Breaking"),
        (Level::Addition, "Added"),
        (Level::Patch, "Changed"),
    ] {
        let items: Vec<&Change> = diff.at(level).collect();
        if items.is_empty() {
            continue;
        }
        let _ = write!(out, "\n### {title}\n\n");
        for c in items {
            let _ = writeln!(out, "- {} (`{}`)", c.message, location(&diff.key, c, base));
        }
    }
    if !diff.api.is_empty() {
        let _ = write!(out, "\n### Rust API\n\n");
        for c in diff.api.iter().take(40) {
            let _ = writeln!(out, "- {} `{}`", c.what, c.detail());
        }
        if diff.api.len() > 40 {
            let _ = writeln!(out, "- … and {} more", diff.api.len() - 40);
        }
    }
    out
}

/// The changelog block of the facade: which re-exported crates changed, how much.
pub fn facade_entry(
    providers: &[(ProviderDiff, CrateBump)],
    facade: &CrateBump,
    base: &str,
) -> String {
    let mut out = changelog::marker(base);
    let bump_kind = facade.kind().unwrap_or("no");
    let _ = write!(
        out,
        "\nRe-exported provider crates changed since {base} ({bump_kind} bump).\n\n"
    );
    for (diff, bump) in providers.iter().filter(|(d, _)| d.level() > Level::None) {
        let module = diff.key.replace('-', "_");
        let _ = writeln!(
            out,
            "- `telnums::{module}` ({} {}): {} changes, see `{}/CHANGELOG.md`.",
            bump.name,
            bump.target(),
            diff.level().as_str(),
            bump.dir
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).expect("valid")
    }

    /// A bump of `telnums-x` from 0.1.0 for changes of `level`, its version now `now`.
    fn bump(level: Level, now: &str, source: version::Source) -> CrateBump {
        let now = version::CrateVersion {
            version: v(now),
            source,
        };
        CrateBump::new(
            "telnums-x".into(),
            "crates/x".into(),
            level,
            v("0.1.0"),
            now,
        )
    }

    fn change(level: Level, side: Side, n: usize) -> Change {
        Change {
            level,
            kind: "rule",
            side,
            pointer: format!("/paths/p{n}"),
            message: format!("change {n}"),
        }
    }

    /// zoom-phone with nine breaking spec changes (one more than `--check` lists), an
    /// addition and a breaking API change, none of it bumped; webex-calling with only a
    /// change of no consequence; the facade, unbumped.
    fn report() -> Report {
        let mut spec: Vec<Change> = (1..=9)
            .map(|n| {
                change(
                    Level::Breaking,
                    if n == 1 { Side::Old } else { Side::New },
                    n,
                )
            })
            .collect();
        spec.push(change(Level::Addition, Side::New, 10));
        let zoom = ProviderDiff {
            key: "zoom-phone".into(),
            spec,
            api: vec![ApiChange {
                level: Level::Breaking,
                what: "removed",
                item: "field types::N::carrier".into(),
                old: "Option<String>".into(),
                new: String::new(),
            }],
            api_error: None,
            generated_changed: true,
        };
        let webex = ProviderDiff {
            key: "webex-calling".into(),
            spec: vec![change(Level::None, Side::New, 11)],
            api: Vec::new(),
            api_error: None,
            generated_changed: false,
        };
        let at = |level, dir: &str| {
            let now = version::CrateVersion {
                version: v("0.1.0"),
                source: version::Source::Own,
            };
            let name = format!("telnums-{}", dir.trim_start_matches("crates/"));
            let name = name.replace("telnums-telnums", "telnums");
            CrateBump::new(name, dir.into(), level, v("0.1.0"), now)
        };
        Report {
            base: Some(git::Base {
                rev: "HEAD".into(),
                short: "abc1234".into(),
                reason: "the working tree against HEAD".into(),
            }),
            providers: vec![
                (zoom, at(Level::Breaking, "crates/zoom-phone")),
                (webex, at(Level::None, "crates/webex-calling")),
            ],
            new_providers: vec!["apple-business".into()],
            facade: Some(at(Level::Breaking, "crates/telnums")),
        }
    }

    #[test]
    fn the_report_and_the_check_failure_read_as_recorded() {
        let report = report();
        insta::assert_snapshot!("render", report.render());
        let failure = report.check_failure().expect("unbumped breaking changes");
        insta::assert_snapshot!("check_failure", failure);
        // Without a base commit, an old-side change is located in `base`.
        let without = Report {
            base: None,
            ..report
        };
        let failure = without.check_failure().expect("still unbumped");
        assert!(failure.contains("changes since base, but"), "{failure}");
        assert!(
            failure.contains("(base:specs/zoom-phone.yaml#/paths/p1)"),
            "{failure}"
        );
    }

    #[test]
    fn changelogs_are_started_where_missing_and_unreadable_ones_are_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for crate_dir in ["crates/zoom-phone", "crates/telnums"] {
            std::fs::create_dir_all(root.join(crate_dir)).expect("mkdir");
        }
        let report = report();
        let written = report.write_changelogs(root).expect("written");
        let files = [
            "crates/zoom-phone/CHANGELOG.md",
            "crates/telnums/CHANGELOG.md",
        ];
        assert_eq!(
            written,
            files.map(|f| root.join(f)),
            "webex-calling needs none"
        );
        let zoom = std::fs::read_to_string(&written[0]).expect("zoom changelog");
        assert!(
            zoom.starts_with("# Changelog of telnums-zoom-phone\n"),
            "{zoom}"
        );
        insta::assert_snapshot!("provider_changelog", zoom);
        let facade = std::fs::read_to_string(&written[1]).expect("facade changelog");
        insta::assert_snapshot!("facade_changelog", facade);

        let broken = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(broken.path().join(files[0])).expect("a directory");
        let err = report
            .write_changelogs(broken.path())
            .expect_err("not a file");
        assert!(err.to_string().starts_with("reading "), "{err:#}");
    }

    #[test]
    fn a_changelog_lists_forty_api_changes_and_counts_the_rest() {
        let report = report();
        let (zoom, bump) = &report.providers[0];
        let api = |n: usize| ProviderDiff {
            api: vec![zoom.api[0].clone(); n],
            ..zoom.clone()
        };
        let listed = |entry: &str| entry.matches("- removed `field").count();
        let forty = provider_entry(&api(40), bump, "abc1234");
        assert_eq!(listed(&forty), 40);
        assert!(!forty.contains("more"), "{forty}");
        let more = provider_entry(&api(41), bump, "abc1234");
        assert_eq!(listed(&more), 40);
        assert!(more.ends_with("\n- … and 1 more\n"), "{more}");
    }

    #[test]
    fn eight_causes_are_listed_without_a_remainder() {
        let mut report = report();
        // Seven breaking spec changes and the API removal: eight causes.
        report.providers[0].0.spec.drain(7..9);
        let failure = report.check_failure().expect("unbumped");
        assert!(failure.contains("  - change 7 ("), "{failure}");
        assert!(failure.contains("  - Rust API: removed field"), "{failure}");
        assert!(!failure.contains("more"), "{failure}");
    }

    #[test]
    fn check_passes_once_every_breaking_change_is_bumped() {
        let mut report = report();
        for (_, bump) in &mut report.providers {
            bump.now.version = v("0.2.0");
        }
        assert!(
            report.check_failure().is_some(),
            "the facade is still unbumped"
        );
        if let Some(facade) = &mut report.facade {
            facade.now.version = v("0.2.0");
        }
        assert_eq!(report.check_failure(), None);
    }

    #[test]
    fn the_bump_kind_and_the_changelog_target() {
        let own = |level, now| bump(level, now, version::Source::Own);
        assert_eq!(own(Level::Breaking, "0.1.0").kind(), Some("minor"));
        assert_eq!(own(Level::Patch, "0.1.0").kind(), Some("patch"));
        assert_eq!(own(Level::None, "0.1.0").kind(), None);
        // The version needed until the crate has it, then the version it has.
        assert_eq!(own(Level::Breaking, "0.1.0").target(), v("0.2.0"));
        assert_eq!(own(Level::Breaking, "0.2.0").target(), v("0.2.0"));
        assert_eq!(own(Level::Breaking, "0.3.1").target(), v("0.3.1"));
        assert_eq!(own(Level::None, "0.1.0").target(), v("0.1.0"));
    }

    #[test]
    fn a_summary_names_the_bump_its_reason_and_whether_it_is_done() {
        let cases = [
            (
                Level::Breaking,
                "0.1.0",
                "telnums-x: minor bump 0.1.0 → 0.2.0 for breaking changes (MISSING, still 0.1.0)",
            ),
            (
                Level::Breaking,
                "0.2.0",
                "telnums-x: minor bump 0.1.0 → 0.2.0 for breaking changes (done, now 0.2.0)",
            ),
            (
                Level::Addition,
                "0.1.0",
                "telnums-x: patch bump 0.1.0 → 0.1.1 for additions (not done yet, still 0.1.0; \
                 --check requires bumps for breaking changes only)",
            ),
            (
                Level::Patch,
                "0.1.1",
                "telnums-x: patch bump 0.1.0 → 0.1.1 for compatible changes (done, now 0.1.1)",
            ),
            (Level::None, "0.1.0", "telnums-x: no version bump needed"),
        ];
        for (level, now, want) in cases {
            assert_eq!(
                bump(level, now, version::Source::Own).summary(),
                want,
                "{level:?} at {now}"
            );
        }
    }

    #[test]
    fn how_names_the_manifest_the_version_comes_from() {
        let shared = bump(Level::Breaking, "0.1.0", version::Source::Workspace).how();
        assert_eq!(
            shared,
            "raise `version` in [workspace.package] of Cargo.toml (every crate inherits it) \
             to 0.2.0 or later, or give telnums-x its own `version` in crates/x/Cargo.toml"
        );
        for source in [version::Source::Own, version::Source::Missing] {
            let own = bump(Level::Breaking, "0.1.0", source).how();
            assert_eq!(
                own,
                "raise `version` in crates/x/Cargo.toml to 0.2.0 or later"
            );
        }
    }
}
