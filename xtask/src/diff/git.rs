//! The base revision `cargo xtask diff` compares against, and reading files at it.
//!
//! Without `--base`, the base is chosen so that the diff is never empty by accident:
//! 1. the newest tag reachable from `HEAD` (`git describe --tags --abbrev=0`), when one
//!    exists: everything since the last release;
//! 2. otherwise, when `specs/` in the work tree (or the index) differs from `HEAD`: `HEAD`
//!    (you are editing a spec and have not committed yet);
//! 3. otherwise the parent of the last commit on the first-parent line that changed
//!    `specs/` (`git log -1 --first-parent -- specs/`, then `^`): the state of `specs/`
//!    before its last change. When `HEAD` is that commit, its parent is the base, so CI
//!    on a commit that edits a spec checks that very edit; a merge is compared with its
//!    first parent, i.e. with the main line before the merge;
//! 4. when that commit is the root commit (the specs were added, not changed), there is
//!    no base and nothing to compare.
//!
//! Versions are read at the same base, so "the version bump" always means: between the
//! base and now.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The revision to compare against, and why it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    /// What to pass to `git show REV:path`, e.g. `v0.1.0`, `HEAD`, `1a2b3c4^`.
    pub rev: String,
    /// The commit it names, abbreviated (for messages).
    pub short: String,
    /// Why this revision, in a sentence.
    pub reason: String,
}

fn git(root: &Path, args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .with_context(|| format!("running git {}", args.join(" ")))
}

fn git_text(root: &Path, args: &[&str]) -> Result<Option<String>> {
    let out = git(root, args)?;
    if out.status.success() {
        Ok(Some(String::from_utf8_lossy(&out.stdout).trim().to_owned()))
    } else {
        Ok(None)
    }
}

/// The abbreviated commit a revision names.
pub fn short(root: &Path, rev: &str) -> Result<String> {
    git_text(
        root,
        &["rev-parse", "--short", &format!("{rev}^{{commit}}")],
    )?
    .with_context(|| format!("`{rev}` is not a commit in this repository"))
}

/// Resolves `--base` (or the default described in the module docs). `Ok(None)`: there
/// is no earlier state of `specs/` to compare with.
pub fn base(root: &Path, explicit: Option<&str>) -> Result<Option<Base>> {
    if git_text(root, &["rev-parse", "--git-dir"])?.is_none() {
        bail!(
            "{} is not a git repository; pass --base with a git checkout",
            root.display()
        );
    }
    let base = |rev: &str, reason: String| {
        let (rev, short) = (rev.to_owned(), short(root, rev)?);
        Ok(Some(Base { rev, short, reason }))
    };
    if let Some(rev) = explicit {
        return base(rev, format!("--base {rev}"));
    }
    let tag = git_text(root, &["describe", "--tags", "--abbrev=0", "HEAD"])?;
    if let Some(tag) = tag.filter(|t| !t.is_empty()) {
        return base(&tag, format!("the newest tag reachable from HEAD, `{tag}`"));
    }
    let dirty = git_text(root, &["status", "--porcelain", "--", "specs"])?.unwrap_or_default();
    if !dirty.is_empty() {
        return base("HEAD", "HEAD: specs/ has uncommitted changes".into());
    }
    let last = git_text(
        root,
        &["log", "-1", "--first-parent", "--format=%H", "--", "specs"],
    )?
    .filter(|s| !s.is_empty())
    .context("no commit touches specs/; pass --base")?;
    let parent = format!("{last}^");
    let commit = format!("{parent}^{{commit}}");
    if git_text(root, &["rev-parse", "--verify", "--quiet", &commit])?.is_none() {
        if git_text(root, &["rev-parse", "--is-shallow-repository"])?.as_deref() == Some("true") {
            bail!(
                "this clone is shallow and lacks the parent of {last}, the last commit that \
                 changed specs/; run `git fetch --unshallow` or pass --base"
            );
        }
        return Ok(None);
    }
    let last_short = short(root, &last)?;
    base(
        &parent,
        format!("the parent of {last_short}, the last commit that changed specs/"),
    )
}

/// The text of `path` (relative to the repository root, `/`-separated) at `rev`, or
/// `None` when the file does not exist there.
pub fn show(root: &Path, rev: &str, path: &str) -> Result<Option<String>> {
    let out = git(root, &["show", &format!("{rev}:{path}")])?;
    if out.status.success() {
        Ok(Some(
            String::from_utf8(out.stdout).with_context(|| format!("{rev}:{path} is not UTF-8"))?,
        ))
    } else {
        Ok(None)
    }
}
