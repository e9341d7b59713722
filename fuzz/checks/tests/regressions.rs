//! Every committed input that once made a fuzz target fail (`fuzz/regressions/<target>/`),
//! and every seed (`fuzz/seeds/<target>/`), through the same check the target runs.

use std::path::{Path, PathBuf};

use telnums_fuzz_checks::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fuzz/")
        .to_path_buf()
}

/// The files in `dir/<target>/` for each target, sorted; a directory named after no
/// target is an error (a renamed target would silently lose its inputs).
fn inputs(dir: &str) -> Vec<(&'static str, PathBuf)> {
    let root = fuzz_dir().join(dir);
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&root) else {
        return out;
    };
    for entry in entries {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let target = TARGETS
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("{} names no fuzz target", path.display()));
        let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
            .expect("target dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        out.extend(files.into_iter().map(|f| (target.name, f)));
    }
    out.sort();
    out
}

fn run(dir: &str) -> usize {
    let all = inputs(dir);
    for (name, file) in &all {
        let data = std::fs::read(file).expect("read input");
        let target = telnums_fuzz_checks::target(name).expect("target");
        let outcome = std::panic::catch_unwind(|| (target.check)(&data));
        assert!(outcome.is_ok(), "{name}: {} fails again", file.display());
    }
    all.len()
}

#[test]
fn regression_inputs_pass() {
    let n = run("regressions");
    assert!(n > 0, "no regression inputs found under fuzz/regressions/");
}

#[test]
fn seeds_pass() {
    let n = run("seeds");
    assert!(n > 0, "no seeds found under fuzz/seeds/");
}

/// `fuzz/targets.toml` (what FUZZING.md describes), the check functions and the cargo-fuzz
/// targets name the same targets in the same order.
#[test]
fn target_lists_agree() {
    let text = std::fs::read_to_string(fuzz_dir().join("targets.toml")).expect("targets.toml");
    let table: toml::Table = toml::from_str(&text).expect("targets.toml parses");
    let described: Vec<&str> = table["target"]
        .as_array()
        .expect("[[target]]")
        .iter()
        .map(|t| t["name"].as_str().expect("name"))
        .collect();
    let checked: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
    assert_eq!(described, checked);
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).expect("manifest");
    let manifest: toml::Table = toml::from_str(&manifest).expect("manifest parses");
    let bins: Vec<&str> = manifest["bin"]
        .as_array()
        .expect("[[bin]]")
        .iter()
        .map(|b| b["name"].as_str().expect("name"))
        .collect();
    assert_eq!(bins, checked);
    for name in checked {
        let source = std::fs::read_to_string(fuzz_dir().join(format!("fuzz_targets/{name}.rs")))
            .expect("target source");
        assert!(
            source.contains(&format!("telnums_fuzz_checks::{name}(data)")),
            "fuzz_targets/{name}.rs does not call its check"
        );
    }
}
