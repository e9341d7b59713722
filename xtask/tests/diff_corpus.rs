//! The classification corpus of `cargo xtask diff`: `tests/corpus/NN-name.yaml`, one
//! kind of spec change per file.
//!
//! Every case starts from `tests/corpus/base.yaml`; its `old` (when present) is merged
//! into that (an RFC 7386 merge patch: objects merge, `null` deletes, anything else
//! replaces), then its `new` into the result. `expect` lists every change the spec
//! comparison must report, exactly, as `[level, kind, JSON pointer]`; `rust` is the
//! most severe change of the public Rust API between the two generated crates (`none`
//! when the API is the same), so each case also shows what progenitor makes of it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use xtask::diff::{self, Level};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("corpus file readable");
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// RFC 7386 merge patch.
fn merge(target: &mut Value, patch: &Value) {
    match (target.as_object_mut(), patch.as_object()) {
        (Some(t), Some(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        _ => *target = patch.clone(),
    }
}

struct Case {
    name: String,
    old: Value,
    new: Value,
    expect: BTreeSet<(String, String, String)>,
    rust: Level,
    api_error: Option<String>,
}

fn cases() -> Vec<Case> {
    let dir = corpus_dir();
    let base = load(&dir.join("base.yaml"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("base.yaml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let case = load(path);
            let name = path
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            let mut old = base.clone();
            if let Some(p) = case.get("old") {
                merge(&mut old, p);
            }
            let mut new = old.clone();
            merge(
                &mut new,
                case.get("new")
                    .unwrap_or_else(|| panic!("{name}: no `new`")),
            );
            let expect = case["expect"]
                .as_array()
                .unwrap_or_else(|| panic!("{name}: no `expect` list"))
                .iter()
                .map(|e| {
                    let field = |i: usize| {
                        e[i].as_str()
                            .unwrap_or_else(|| panic!("{name}: bad expect {e}"))
                            .to_owned()
                    };
                    (field(0), field(1), field(2))
                })
                .collect();
            let api_error = case
                .get("api_error")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let rust = match (case.get("rust").and_then(Value::as_str), &api_error) {
                (Some(level), _) => Level::parse(level),
                (None, Some(_)) => Some(Level::None),
                (None, None) => None,
            }
            .unwrap_or_else(|| panic!("{name}: `rust` must be none, patch, addition or breaking"));
            Case {
                name,
                old,
                new,
                expect,
                rust,
                api_error,
            }
        })
        .collect()
}

fn found(old: &Value, new: &Value) -> BTreeSet<(String, String, String)> {
    diff::compare_specs(old, new)
        .into_iter()
        .map(|c| (c.level.as_str().to_owned(), c.kind.to_owned(), c.pointer))
        .collect()
}

#[test]
fn every_case_is_classified_as_expected() {
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        let got = found(&case.old, &case.new);
        if got != case.expect {
            let missing: Vec<_> = case.expect.difference(&got).collect();
            let extra: Vec<_> = got.difference(&case.expect).collect();
            failures.push(format!(
                "{}:\n  missing {missing:?}\n  unexpected {extra:?}",
                case.name
            ));
        }
        // Nothing changed, nothing reported: the comparison is not just noise.
        assert!(
            found(&case.new, &case.new).is_empty(),
            "{}: a spec differs from itself",
            case.name
        );
    }
    assert!(
        failures.is_empty(),
        "{} case(s) misclassified:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_covers_at_least_25_kinds_of_change() {
    let cases = cases();
    let kinds: BTreeSet<String> = cases
        .iter()
        .flat_map(|c| c.expect.iter().map(|e| e.1.clone()))
        .collect();
    assert!(
        cases.len() >= 25 && kinds.len() >= 25,
        "{} cases, {} kinds: {kinds:?}",
        cases.len(),
        kinds.len()
    );
    for level in ["breaking", "addition", "patch", "none"] {
        assert!(
            cases.iter().any(|c| c.expect.iter().any(|e| e.0 == level)),
            "no case of level {level}"
        );
    }
}

/// Writes `spec` as `<dir>/specs/corpus.yaml`, completed into a document progenitor takes.
fn write_root(dir: &Path, spec: &Value) {
    let mut spec = spec.clone();
    let object = spec.as_object_mut().expect("a mapping");
    object.entry("openapi").or_insert(json!("3.0.3"));
    object
        .entry("info")
        .or_insert(json!({ "title": "Corpus", "version": "1" }));
    std::fs::create_dir_all(dir.join("specs")).expect("mkdir");
    let text = serde_norway::to_string(&spec).expect("yaml");
    std::fs::write(dir.join("specs/corpus.yaml"), text).expect("write spec");
}

/// Also records what each case reads as: every spec change with its side and message,
/// then every Rust API change, in `snapshots/diff_corpus__messages.snap`. The levels
/// and kinds are checked above; this keeps the sentences a reviewer reads from drifting.
#[test]
fn every_case_has_the_expected_effect_on_the_generated_api() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    let mut messages = String::new();
    for case in cases() {
        let (old_root, new_root) = (
            scratch.path().join(format!("{}-old", case.name)),
            scratch.path().join(format!("{}-new", case.name)),
        );
        write_root(&old_root, &case.old);
        write_root(&new_root, &case.new);
        let result = diff::diff_roots("corpus", &old_root, &new_root).expect("specs load");
        messages.push_str(&format!("{}:\n", case.name));
        for c in &result.spec {
            let (level, kind, side) = (c.level.as_str(), c.kind, c.side);
            let line = format!(
                "  {level} {kind} {side:?} {}\n    {}\n",
                c.pointer, c.message
            );
            messages.push_str(&line);
        }
        for c in &result.api {
            messages.push_str(&format!("  rust {} {c}\n", c.level.as_str()));
        }
        if let Some(e) = &result.api_error {
            // The scratch directory's name changes from run to run, and a dump of
            // progenitor's parsed input (from a line ending in `{`) is left out.
            let e = e.replace(&scratch.path().display().to_string(), "<scratch>");
            let dump = e.find("{\n").map_or(e.len(), |at| at + 1);
            let e = &e[..dump];
            messages.push_str(&format!("  rust not compared: {e}\n"));
        }
        match (&result.api_error, &case.api_error) {
            (Some(e), Some(want)) if e.contains(want.as_str()) => continue,
            (Some(e), _) => {
                failures.push(format!("{}: {e}", case.name));
                continue;
            }
            (None, Some(want)) => {
                failures.push(format!(
                    "{}: generated, but the xtask should refuse it ({want})",
                    case.name
                ));
                continue;
            }
            (None, None) => {}
        }
        let level = result
            .api
            .iter()
            .map(|c| c.level)
            .max()
            .unwrap_or(Level::None);
        if level != case.rust {
            let shown: Vec<String> = result
                .api
                .iter()
                .map(|c| format!("    {:?} {c}", c.level))
                .collect();
            failures.push(format!(
                "{}: Rust API change is {}, expected {}\n{}",
                case.name,
                level.as_str(),
                case.rust.as_str(),
                shown.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    insta::assert_snapshot!("messages", messages);
}
