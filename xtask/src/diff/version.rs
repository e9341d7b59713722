//! Crate versions: read from the manifests (at a git revision or on disk), and the bump
//! a level of change needs.
//!
//! A member either states `version = "x.y.z"` in its own `[package]` or inherits it
//! with `version.workspace = true` from `[workspace.package]` in the root manifest
//! (all crates do today). A manifest without a version is `0.0.0`, as for Cargo.

use anyhow::{bail, Context, Result};
use semver::Version;

use super::Level;

/// Where a crate's version is written, so the report can say what to edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `[package] version` of the crate's own manifest.
    Own,
    /// `[workspace.package] version` of the root manifest, shared by every crate that
    /// inherits it.
    Workspace,
    /// No version at all (Cargo's default, 0.0.0).
    Missing,
}

/// A crate's version and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateVersion {
    /// The version.
    pub version: Version,
    /// Where it is written.
    pub source: Source,
}

/// Reads the version of a member from its manifest text and the root manifest text.
pub fn crate_version(member_manifest: &str, root_manifest: &str) -> Result<CrateVersion> {
    let member: toml::Table = member_manifest
        .parse()
        .context("parsing the crate manifest")?;
    let package = member.get("package").and_then(toml::Value::as_table);
    let package = package.context("the crate manifest has no [package]")?;
    let (version, source) = match package.get("version") {
        None => (Version::new(0, 0, 0), Source::Missing),
        Some(toml::Value::String(v)) => (
            Version::parse(v).with_context(|| format!("version `{v}`"))?,
            Source::Own,
        ),
        Some(toml::Value::Table(t)) if t.get("workspace") == Some(&toml::Value::Boolean(true)) => {
            let root: toml::Table = root_manifest.parse().context("parsing the root manifest")?;
            let v = root
                .get("workspace")
                .and_then(|w| w.get("package"))
                .and_then(|p| p.get("version"))
                .and_then(toml::Value::as_str)
                .context("version.workspace = true, but [workspace.package] has no version")?;
            let version = Version::parse(v).with_context(|| format!("workspace version `{v}`"))?;
            (version, Source::Workspace)
        }
        Some(other) => bail!("unexpected `version = {other:?}` in [package]"),
    };
    Ok(CrateVersion { version, source })
}

/// The smallest version after `base` that a change of `level` requires, or `None`
/// when nothing changed. Before 1.0 a breaking change bumps the minor and anything else
/// the patch; from 1.0 on: breaking → major, addition → minor, anything else → patch.
/// A pre-release base (`0.2.0-rc.1`) only needs the release (`0.2.0`) for any change
/// the pre-release already allows.
pub fn required(base: &Version, level: Level) -> Option<Version> {
    let pre_1 = base.major == 0;
    let next = match level {
        Level::None => return None,
        Level::Breaking if pre_1 => Version::new(0, base.minor + 1, 0),
        Level::Breaking => Version::new(base.major + 1, 0, 0),
        Level::Addition if !pre_1 => Version::new(base.major, base.minor + 1, 0),
        Level::Addition | Level::Patch => Version::new(base.major, base.minor, base.patch + 1),
    };
    if !base.pre.is_empty() {
        let release = Version::new(base.major, base.minor, base.patch);
        // 0.2.0-rc.1 → 0.2.0 is itself a minor step over 0.1.x.
        let release_step = if pre_1 {
            if release.patch == 0 {
                Level::Breaking
            } else {
                Level::Patch
            }
        } else if release.minor == 0 && release.patch == 0 {
            Level::Breaking
        } else if release.patch == 0 {
            Level::Addition
        } else {
            Level::Patch
        };
        if level <= release_step {
            return Some(release);
        }
    }
    Some(next)
}

/// The bump name of going from `base` to `next` (`major`, `minor`, `patch`).
pub fn bump_name(base: &Version, next: &Version) -> &'static str {
    if next.major != base.major {
        "major"
    } else if next.minor != base.minor {
        "minor"
    } else {
        "patch"
    }
}

/// Whether `now` satisfies the `needed` version (equal or later).
pub fn satisfies(now: &Version, needed: &Version) -> bool {
    now >= needed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).expect("valid")
    }

    #[test]
    fn zero_x_rules() {
        assert_eq!(required(&v("0.1.0"), Level::Breaking), Some(v("0.2.0")));
        assert_eq!(required(&v("0.1.3"), Level::Breaking), Some(v("0.2.0")));
        assert_eq!(required(&v("0.1.3"), Level::Addition), Some(v("0.1.4")));
        assert_eq!(required(&v("0.1.3"), Level::Patch), Some(v("0.1.4")));
        assert_eq!(required(&v("0.1.3"), Level::None), None);
    }

    #[test]
    fn one_x_rules() {
        assert_eq!(required(&v("1.4.2"), Level::Breaking), Some(v("2.0.0")));
        assert_eq!(required(&v("1.4.2"), Level::Addition), Some(v("1.5.0")));
        assert_eq!(required(&v("1.4.2"), Level::Patch), Some(v("1.4.3")));
    }

    #[test]
    fn pre_release_base() {
        assert_eq!(
            required(&v("0.2.0-rc.1"), Level::Breaking),
            Some(v("0.2.0"))
        );
        assert_eq!(
            required(&v("2.0.0-rc.1"), Level::Breaking),
            Some(v("2.0.0"))
        );
        assert_eq!(
            required(&v("1.0.1-rc.1"), Level::Addition),
            Some(v("1.1.0"))
        );
    }

    #[test]
    fn inherited_own_and_missing_versions() {
        let root = "[workspace.package]\nversion = \"0.3.1\"\n";
        let inherited = "[package]\nname = \"a\"\nversion.workspace = true\n";
        let own = "[package]\nname = \"a\"\nversion = \"1.2.0\"\n";
        let missing = "[package]\nname = \"a\"\n";
        assert_eq!(
            crate_version(inherited, root).expect("reads"),
            CrateVersion {
                version: v("0.3.1"),
                source: Source::Workspace
            }
        );
        assert_eq!(crate_version(own, root).expect("reads").version, v("1.2.0"));
        assert_eq!(
            crate_version(missing, root).expect("reads").source,
            Source::Missing
        );
        assert!(crate_version(inherited, "[workspace]\n").is_err());
        // A version table other than `workspace = true` is not the workspace's version.
        for odd in [
            "version.workspace = false",
            "version = { path = \"x\" }",
            "version = 3",
        ] {
            let manifest = format!("[package]\nname = \"a\"\n{odd}\n");
            let err = crate_version(&manifest, root).expect_err(odd);
            assert!(
                err.to_string().starts_with("unexpected `version = "),
                "{odd}: {err}"
            );
        }
    }
}
