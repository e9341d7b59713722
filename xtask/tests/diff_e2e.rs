//! End to end: a copy of the real `specs/zoom-phone.yaml` (the repository's file is only
//! read), edited once in a breaking way and once in a compatible way, regenerated in
//! memory; the report, the suggested bump and the changelog line are checked. The second
//! half does the same through git, as CI does: a scratch repository with the manifests
//! and the spec, a commit that edits the spec, `--check` failing until the version is
//! raised, and the base chosen as documented.

use std::path::{Path, PathBuf};
use std::process::Command;

use semver::Version;
use serde_json::{json, Value};
use xtask::diff::{self, version, CrateBump, Level, Options};

const KEY: &str = "zoom-phone";
const OP: &str = "/paths/~1phone~1numbers/get";

fn repo_root() -> PathBuf {
    xtask::workspace_root()
}

fn real_spec() -> Value {
    xtask::load_spec(&xtask::spec_path(&repo_root(), KEY)).expect("the real spec loads")
}

fn write_spec(root: &Path, spec: &Value) {
    std::fs::create_dir_all(root.join("specs")).expect("mkdir specs");
    let text = serde_norway::to_string(spec).expect("yaml");
    std::fs::write(xtask::spec_path(root, KEY), text).expect("write spec");
}

/// Removes the response property `carrier` and adds a required query parameter.
fn breaking_edit(spec: &mut Value) {
    spec.pointer_mut("/components/schemas/ZoomPhoneNumber/properties")
        .and_then(Value::as_object_mut)
        .expect("ZoomPhoneNumber properties")
        .remove("carrier")
        .expect("carrier exists");
    add_parameter(spec, "account_id", true);
}

/// Adds a value to a response enum and an optional query parameter.
fn compatible_edit(spec: &mut Value) {
    spec.pointer_mut("/components/schemas/ZoomPhoneNumber/properties/status/anyOf/0/enum")
        .and_then(Value::as_array_mut)
        .expect("status enum")
        .push(json!("porting"));
    add_parameter(spec, "region", false);
}

fn add_parameter(spec: &mut Value, name: &str, required: bool) {
    spec.pointer_mut(&format!("{OP}/parameters"))
        .and_then(Value::as_array_mut)
        .expect("parameters")
        .push(json!({
            "name": name,
            "in": "query",
            "required": required,
            "description": format!("The {name} to list numbers of."),
            "schema": { "type": "string" }
        }));
}

fn parameter_index(spec: &Value) -> usize {
    spec.pointer(&format!("{OP}/parameters"))
        .and_then(Value::as_array)
        .expect("parameters")
        .len()
        - 1
}

/// The diff between the real spec and the edited copy, both written to scratch roots.
fn diff_of(edit: fn(&mut Value)) -> (diff::ProviderDiff, Value) {
    let scratch = tempfile::tempdir().expect("tempdir");
    let (old_root, new_root) = (scratch.path().join("old"), scratch.path().join("new"));
    std::fs::create_dir_all(old_root.join("specs")).expect("mkdir");
    std::fs::copy(
        xtask::spec_path(&repo_root(), KEY),
        xtask::spec_path(&old_root, KEY),
    )
    .expect("copy spec");
    let mut spec = real_spec();
    edit(&mut spec);
    write_spec(&new_root, &spec);
    let result = diff::diff_roots(KEY, &old_root, &new_root).expect("diff");
    assert_eq!(result.api_error, None);
    (result, spec)
}

fn has(result: &diff::ProviderDiff, level: Level, kind: &str, pointer: &str) -> bool {
    result
        .spec
        .iter()
        .any(|c| c.level == level && c.kind == kind && c.pointer == pointer)
}

/// Asserts that the spec changes are exactly `expected`, as `(level, kind, pointer)`.
fn assert_changes(result: &diff::ProviderDiff, expected: &[(Level, &str, &str)]) {
    for (level, kind, pointer) in expected {
        assert!(
            has(result, *level, kind, pointer),
            "{kind} at {pointer}: {result:#?}"
        );
    }
    let edits = expected.len();
    assert_eq!(
        result.spec.len(),
        edits,
        "only the {edits} edits: {:#?}",
        result.spec
    );
}

/// Asserts that the Rust API has the change `what` (`removed`, `added`, `changed`) of `item`.
fn assert_api(result: &diff::ProviderDiff, level: Level, what: &str, item: &str) {
    let found = result
        .api
        .iter()
        .any(|c| c.level == level && c.what == what && c.item == item);
    assert!(found, "{what} {item}: {:#?}", result.api);
}

fn bump_from_0_1_0(result: &diff::ProviderDiff) -> CrateBump {
    let now = version::CrateVersion {
        version: Version::new(0, 1, 0),
        source: version::Source::Workspace,
    };
    CrateBump::new(
        "telnums-zoom-phone".into(),
        "crates/zoom-phone".into(),
        result.level(),
        Version::new(0, 1, 0),
        now,
    )
}

#[test]
fn breaking_edit_reports_breaking_changes_a_minor_bump_and_changelog_lines() {
    let (result, spec) = diff_of(breaking_edit);
    let param = format!("{OP}/parameters/{}", parameter_index(&spec));
    let carrier = "/components/schemas/ZoomPhoneNumber/properties/carrier";
    assert_changes(
        &result,
        &[
            (Level::Breaking, "property-removed", carrier),
            (Level::Breaking, "required-parameter-added", &param),
        ],
    );
    assert_api(
        &result,
        Level::Breaking,
        "removed",
        "field types::ZoomPhoneNumber::carrier",
    );
    assert_api(
        &result,
        Level::Addition,
        "added",
        "fn builder::ListPhoneNumbers::account_id",
    );
    assert_eq!(result.level(), Level::Breaking);

    let bump = bump_from_0_1_0(&result);
    assert_eq!(bump.needed, Some(Version::new(0, 2, 0)));
    assert!(!bump.satisfied());
    assert_eq!(
        bump.summary(),
        "telnums-zoom-phone: minor bump 0.1.0 → 0.2.0 for breaking changes (MISSING, still 0.1.0)"
    );

    let entry = diff::provider_entry(&result, &bump, "abc1234");
    let file = diff::changelog::insert(
        &diff::changelog::new_file(&bump.name),
        &bump.target().to_string(),
        "abc1234",
        &entry,
    );
    let section = file
        .split("## 0.2.0 (unreleased)")
        .nth(1)
        .expect("a 0.2.0 section");
    let breaking = section
        .split("### Breaking")
        .nth(1)
        .expect("a Breaking list");
    assert!(breaking.contains(&format!(
        "- GET /phone/numbers: query parameter `account_id` added as required: calls that do not set it fail in `send()` (`specs/zoom-phone.yaml#{param}`)"
    )), "{file}");
    assert!(
        breaking.contains("- ZoomPhoneNumber.carrier removed from a response schema"),
        "{file}"
    );
    assert!(
        file.contains("- removed `field types::ZoomPhoneNumber::carrier: Option<ZoomCarrier>`"),
        "{file}"
    );
}

#[test]
fn compatible_edit_reports_additions_a_patch_bump_and_changelog_lines() {
    let (result, spec) = diff_of(compatible_edit);
    let param = format!("{OP}/parameters/{}", parameter_index(&spec));
    let porting = "/components/schemas/ZoomPhoneNumber/properties/status/anyOf/0/enum/2";
    assert_changes(
        &result,
        &[
            (Level::Addition, "enum-value-added", porting),
            (Level::Addition, "optional-parameter-added", &param),
        ],
    );
    assert_api(
        &result,
        Level::Addition,
        "added",
        "variant types::ZoomPhoneNumberStatusKnown::Porting",
    );
    assert!(
        result.api.iter().all(|c| c.level == Level::Addition),
        "{:#?}",
        result.api
    );
    assert_eq!(result.level(), Level::Addition);

    let bump = bump_from_0_1_0(&result);
    assert_eq!(bump.needed, Some(Version::new(0, 1, 1)));
    let entry = diff::provider_entry(&result, &bump, "abc1234");
    assert!(!entry.contains("### Breaking"), "{entry}");
    let added = entry.split("### Added").nth(1).expect("an Added list");
    assert!(added.contains(&format!("- GET /phone/numbers: query parameter `region` added (optional) (`specs/zoom-phone.yaml#{param}`)")), "{entry}");
    assert!(
        added.contains("- ZoomPhoneNumber.status: enum value \"porting\" added"),
        "{entry}"
    );
}

/// Writes the response enum `status` closed, and the request enum `type` open.
/// A description changes only the generated docs: no API change, but the generated file
/// differs, which alone asks for a patch. An untouched spec asks for nothing.
#[test]
fn a_description_edit_changes_only_the_generated_file() {
    let (result, _) = diff_of(|spec| {
        let op = spec.pointer_mut(OP).expect("operation");
        op["description"] = json!("Lists the account's phone numbers, a page at a time.");
    });
    assert!(result.api.is_empty(), "{:#?}", result.api);
    assert!(result.generated_changed);
    assert_eq!(result.level(), Level::Patch, "{:#?}", result.spec);
    let (untouched, _) = diff_of(|_| {});
    assert!(untouched.spec.is_empty() && untouched.api.is_empty());
    assert!(!untouched.generated_changed);
    assert_eq!(untouched.level(), Level::None);
}

fn reopened_edit(spec: &mut Value) {
    let status = spec
        .pointer_mut("/components/schemas/ZoomPhoneNumber/properties/status")
        .and_then(Value::as_object_mut)
        .expect("status");
    let known = status.remove("anyOf").expect("status is open")[0].clone();
    status.insert("type".into(), json!("string"));
    status.insert("enum".into(), known["enum"].clone());
    let param = spec
        .pointer_mut(&format!("{OP}/parameters"))
        .and_then(Value::as_array_mut)
        .expect("parameters")
        .iter_mut()
        .find(|p| p["name"] == "type")
        .expect("type");
    let closed = param["schema"].clone();
    param["schema"] = json!({"anyOf": [closed, {"type": "string", "description": "Any other."}]});
}

/// An open enum is compared by its known half: writing one closed breaks other
/// languages' clients, writing one open is an addition, and the Rust API stays.
#[test]
fn opening_and_closing_an_enum() {
    let (result, spec) = diff_of(reopened_edit);
    let index = spec
        .pointer(&format!("{OP}/parameters"))
        .and_then(Value::as_array)
        .and_then(|ps| ps.iter().position(|p| p["name"] == "type"))
        .expect("type");
    let kinds: Vec<(&str, &str)> = result
        .spec
        .iter()
        .map(|c| (c.kind, c.pointer.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "enum-closed",
                "/components/schemas/ZoomPhoneNumber/properties/status/anyOf"
            ),
            (
                "enum-opened",
                &*format!("{OP}/parameters/{index}/schema/anyOf")
            ),
        ],
        "{result:#?}"
    );
    assert_eq!(result.spec[0].level, Level::Breaking);
    assert_eq!(result.spec[1].level, Level::Addition);
    assert!(result.api.is_empty(), "{:#?}", result.api);
}

// --- through git, as CI runs it ----------------------------------------------------

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=xtask test",
            "-c",
            "user.email=xtask@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A scratch repository holding the manifests, the zoom-phone spec and its commit.
fn scratch_repo() -> tempfile::TempDir {
    scratch_repo_with(|_| {})
}

/// [`scratch_repo`], with `prepare` run on the files before the first commit.
fn scratch_repo_with(prepare: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    for rel in [
        "Cargo.toml",
        "crates/zoom-phone/Cargo.toml",
        "crates/telnums/Cargo.toml",
        "specs/zoom-phone.yaml",
        "crates/zoom-phone/CHANGELOG.md",
        "crates/telnums/CHANGELOG.md",
    ] {
        std::fs::create_dir_all(root.join(rel).parent().expect("parent")).expect("mkdir");
        std::fs::copy(repo_root().join(rel), root.join(rel)).expect("copy");
    }
    prepare(root);
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "specs as in the repository"]);
    dir
}

fn version_of(root: &Path, dir: &str) -> version::CrateVersion {
    let member = std::fs::read_to_string(root.join(dir).join("Cargo.toml")).expect("manifest");
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).expect("manifest");
    version::crate_version(&member, &workspace).expect("version")
}

/// Raises the version of the crate in `dir` where it is written: its own manifest, or
/// `[workspace.package]` when it inherits (an earlier call may have done that already).
fn raise_version(root: &Path, dir: &str, to: &Version) {
    let current = version_of(root, dir);
    if current.version >= *to {
        return;
    }
    let path = match current.source {
        version::Source::Workspace => root.join("Cargo.toml"),
        _ => root.join(dir).join("Cargo.toml"),
    };
    let text = std::fs::read_to_string(&path).expect("manifest");
    let from = format!("version = \"{}\"", current.version);
    assert!(text.contains(&from), "{} has no `{from}`", path.display());
    let text = text.replacen(&from, &format!("version = \"{to}\""), 1);
    std::fs::write(&path, text).expect("write manifest");
}

fn options() -> Options {
    Options {
        base: None,
        only: Some(KEY.into()),
    }
}

#[test]
fn check_fails_on_an_unbumped_breaking_commit_and_passes_once_bumped() {
    let repo = scratch_repo();
    let root = repo.path();
    let at_base = version_of(root, "crates/zoom-phone").version;
    let facade_at_base = version_of(root, "crates/telnums").version;
    let needed = version::required(&at_base, Level::Breaking).expect("a bump");
    let facade_needed = version::required(&facade_at_base, Level::Breaking).expect("a bump");

    // Uncommitted edit: the base is HEAD.
    let mut spec = real_spec();
    breaking_edit(&mut spec);
    write_spec(root, &spec);
    let report = diff::run(root, &options()).expect("diff runs");
    assert_eq!(report.base.as_ref().map(|b| b.rev.as_str()), Some("HEAD"));

    // Committed: HEAD is the last commit that changed specs/, so its parent is the base.
    git(root, &["commit", "-q", "-am", "a breaking spec edit"]);
    let head = git(root, &["rev-parse", "HEAD"]);
    let report = diff::run(root, &options()).expect("diff runs");
    assert_eq!(
        report.base.as_ref().map(|b| b.rev.clone()),
        Some(format!("{head}^"))
    );
    let base = report.base.as_ref().expect("a base");
    assert_eq!(base.short, git(root, &["rev-parse", "--short", "HEAD^"]));
    let last = git(root, &["rev-parse", "--short", "HEAD"]);
    assert_eq!(
        base.reason,
        format!("the parent of {last}, the last commit that changed specs/")
    );
    let failure = report
        .check_failure()
        .expect("--check fails without a bump");
    for (name, from, to) in [
        ("telnums-zoom-phone", &at_base, &needed),
        ("telnums", &facade_at_base, &facade_needed),
    ] {
        let kind = version::bump_name(from, to);
        let line = format!("{name} needs a {kind} bump ({from} → {to})");
        assert!(failure.contains(&line), "no `{line}` in {failure}");
    }
    for cause in [
        "ZoomPhoneNumber.carrier removed from a response schema",
        "query parameter `account_id` added as required",
        "Fix: raise `version` in",
    ] {
        assert!(failure.contains(cause), "no `{cause}` in {failure}");
    }

    let (mut out, mut err) = (Vec::new(), Vec::new());
    let passed = diff::command(root, &options(), false, true, &mut out, &mut err);
    assert!(!passed.expect("diff runs"), "--check fails");
    assert_eq!(String::from_utf8_lossy(&err), failure);
    assert_eq!(String::from_utf8_lossy(&out), report.render());

    // A commit that only bumps the versions: the base stays before the spec edit.
    raise_version(root, "crates/zoom-phone", &needed);
    raise_version(root, "crates/telnums", &facade_needed);
    git(
        root,
        &["commit", "-q", "-am", "bump for the breaking spec edit"],
    );
    let report = diff::run(root, &options()).expect("diff runs");
    assert_eq!(report.check_failure(), None, "{}", report.render());
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let passed = diff::command(root, &options(), false, true, &mut out, &mut err);
    assert!(
        passed.expect("diff runs"),
        "{}",
        String::from_utf8_lossy(&err)
    );
    let out = String::from_utf8_lossy(&out);
    assert!(
        out.ends_with("xtask diff --check: every breaking change has its version bump\n"),
        "{out}"
    );

    // The changelogs name the version and the change.
    let written = report.write_changelogs(root).expect("changelogs");
    assert_eq!(written.len(), 2, "provider and facade: {written:?}");
    let provider = std::fs::read_to_string(root.join("crates/zoom-phone/CHANGELOG.md"))
        .expect("provider changelog");
    let new_section = provider.find(&format!("## {needed} (unreleased)"));
    let first_section = provider.find("## 0.1.0\n");
    assert!(
        new_section.is_some() && new_section < first_section,
        "{provider}"
    );
    assert!(
        provider.contains("query parameter `account_id` added as required"),
        "{provider}"
    );
    let facade = std::fs::read_to_string(root.join("crates/telnums/CHANGELOG.md"))
        .expect("facade changelog");
    assert!(
        facade.contains(&format!("## {facade_needed} (unreleased)")),
        "{facade}"
    );
    let line = format!("- `telnums::zoom_phone` (telnums-zoom-phone {needed}): breaking changes");
    assert!(facade.contains(&line), "{facade}");
    // Written twice: the same entry, not two.
    report.write_changelogs(root).expect("changelogs again");
    let again =
        std::fs::read_to_string(root.join("crates/zoom-phone/CHANGELOG.md")).expect("again");
    assert_eq!(again, provider);

    // A release tag becomes the base: nothing changed since.
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "changelogs"]);
    git(root, &["tag", "release-after-the-edit"]);
    let report = diff::run(root, &options()).expect("diff runs");
    let base = report.base.as_ref().map(|b| b.rev.as_str());
    assert_eq!(base, Some("release-after-the-edit"));
    assert!(report.providers.is_empty(), "{}", report.render());
}

#[test]
fn compatible_commit_passes_check_without_a_bump() {
    let repo = scratch_repo();
    let root = repo.path();
    let mut spec = real_spec();
    compatible_edit(&mut spec);
    write_spec(root, &spec);
    git(root, &["commit", "-q", "-am", "a compatible spec edit"]);
    let report = diff::run(root, &options()).expect("diff runs");
    assert_eq!(report.check_failure(), None);
    let (diff, bump) = &report.providers[0];
    assert_eq!(diff.level(), Level::Addition);
    let needed = bump.needed.clone().expect("a bump");
    assert_eq!(
        Some(&needed),
        version::required(&bump.base, Level::Addition).as_ref()
    );
    if bump.base.major == 0 {
        assert_eq!(version::bump_name(&bump.base, &needed), "patch");
    }
    assert!(
        report.render().contains("patch bump"),
        "{}",
        report.render()
    );
}

/// A spec rewritten with the same content (YAML laid out anew) changes nothing: the
/// provider is listed with no bump, and the facade is not mentioned at all.
#[test]
fn a_spec_laid_out_anew_asks_for_no_bump() {
    let repo = scratch_repo();
    let root = repo.path();
    let before = std::fs::read_to_string(xtask::spec_path(root, KEY)).expect("spec");
    write_spec(root, &real_spec());
    let after = std::fs::read_to_string(xtask::spec_path(root, KEY)).expect("spec");
    assert_ne!(before, after, "the YAML text must differ for this test");
    git(root, &["commit", "-q", "-am", "the spec laid out anew"]);
    let report = diff::run(root, &options()).expect("diff runs");
    let [(diff, bump)] = report.providers.as_slice() else {
        panic!("one provider: {}", report.render());
    };
    assert_eq!((diff.level(), bump.needed.as_ref()), (Level::None, None));
    assert!(report.facade.is_none(), "{}", report.render());
    assert_eq!(report.check_failure(), None);
}

/// Crates may state their own versions instead of inheriting the workspace's: each is
/// then read, judged and raised on its own (a 1.x facade needs a major bump).
#[test]
fn own_versions_are_read_and_judged_per_crate() {
    let own = |root: &Path, dir: &str, v: &str| {
        let path = root.join(dir).join("Cargo.toml");
        let text = std::fs::read_to_string(&path).expect("manifest");
        assert!(
            text.contains("version.workspace = true"),
            "{dir} inherits today"
        );
        let text = text.replacen("version.workspace = true", &format!("version = \"{v}\""), 1);
        std::fs::write(path, text).expect("write manifest");
    };
    let repo = scratch_repo_with(|root| {
        own(root, "crates/zoom-phone", "0.5.2");
        own(root, "crates/telnums", "1.2.0");
    });
    let root = repo.path();
    let mut spec = real_spec();
    breaking_edit(&mut spec);
    write_spec(root, &spec);
    git(root, &["commit", "-q", "-am", "a breaking spec edit"]);
    let failure = diff::run(root, &options())
        .expect("diff runs")
        .check_failure()
        .expect("--check fails without a bump");
    assert!(
        failure.contains("telnums-zoom-phone needs a minor bump (0.5.2 → 0.6.0)"),
        "{failure}"
    );
    assert!(
        failure.contains("telnums needs a major bump (1.2.0 → 2.0.0)"),
        "{failure}"
    );
    assert!(
        failure.contains("raise `version` in crates/zoom-phone/Cargo.toml to 0.6.0"),
        "{failure}"
    );

    // Only the provider raised: the facade still fails.
    raise_version(root, "crates/zoom-phone", &Version::new(0, 6, 0));
    let failure = diff::run(root, &options())
        .expect("diff runs")
        .check_failure()
        .expect("facade");
    assert!(!failure.contains("telnums-zoom-phone needs"), "{failure}");
    assert!(failure.contains("telnums needs a major bump"), "{failure}");
    raise_version(root, "crates/telnums", &Version::new(2, 0, 0));
    assert_eq!(
        diff::run(root, &options())
            .expect("diff runs")
            .check_failure(),
        None
    );
}

#[test]
fn specs_that_were_only_added_have_no_base_unless_the_clone_is_shallow() {
    let repo = scratch_repo();
    let root = repo.path();
    let report = diff::run(root, &options()).expect("diff runs");
    assert_eq!(report.base, None, "the root commit added the specs");

    // The same history one commit further, cloned with only its last commit.
    let mut spec = real_spec();
    breaking_edit(&mut spec);
    write_spec(root, &spec);
    git(root, &["commit", "-q", "-am", "a spec edit"]);
    let shallow = tempfile::tempdir().expect("tempdir");
    let source = format!("file://{}", root.display());
    let target = shallow.path().join("clone");
    let target_arg = target.display().to_string();
    git(root, &["clone", "-q", "--depth", "1", &source, &target_arg]);
    let err = diff::run(&target, &options()).expect_err("the base is not in the clone");
    assert!(
        err.to_string()
            .starts_with("this clone is shallow and lacks the parent of "),
        "{err:#}"
    );
}
