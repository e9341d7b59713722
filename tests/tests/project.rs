//! Project wiring that nothing else checks: every spec is generated, drift-checked and
//! linted, and CI cannot let a snapshot pass by rewriting or forcing it.

use std::collections::BTreeSet;

use telnums_tests::root;

/// `xtask::PROVIDERS` drives generation, the drift check, the linter and the docs: a
/// spec it does not name would be validated by CI's third-party tools but never
/// generated or checked. The facade, its features and CI's per-feature build must list
/// the same providers, in the same order.
#[test]
fn providers_list_matches_specs_crates_and_features() {
    let root = root();
    let listed: Vec<&str> = xtask::PROVIDERS.to_vec();
    let specs: BTreeSet<String> = std::fs::read_dir(root.join("specs"))
        .expect("specs/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".yaml").map(str::to_owned))
        .collect();
    let expected: BTreeSet<String> = listed.iter().map(|k| (*k).to_owned()).collect();
    assert_eq!(
        specs, expected,
        "specs/*.yaml and xtask::PROVIDERS differ: add the key to PROVIDERS (xtask/src/lib.rs)"
    );
    for key in &listed {
        assert!(
            xtask::generated_path(&root, key).is_file(),
            "{key}: no crates/{key}/src/generated.rs"
        );
    }
    let facade: Vec<&str> = telnums::Provider::ALL.iter().map(|p| p.key()).collect();
    assert_eq!(facade, listed, "telnums::Provider::ALL");

    let manifest: toml::Table = toml::from_str(
        &std::fs::read_to_string(root.join("crates/telnums/Cargo.toml")).expect("manifest"),
    )
    .expect("toml");
    let defaults: Vec<&str> = manifest["features"]["default"]
        .as_array()
        .expect("default features")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(defaults, listed, "the facade's default features");

    let ci = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run");
    let line = ci
        .lines()
        .find(|l| l.trim_start().starts_with("for feature in "))
        .expect("CI's per-feature loop");
    let features: Vec<&str> = line
        .trim_start()
        .trim_start_matches("for feature in ")
        .trim_end_matches("; do")
        .split_whitespace()
        .collect();
    assert_eq!(
        features, listed,
        ".ci/run builds each provider feature alone"
    );
}

/// CI pins insta: snapshots are compared, never written or forced to pass, whatever the
/// environment CI runs in says.
#[test]
fn ci_pins_snapshot_behaviour() {
    let ci = std::fs::read_to_string(root().join(".ci/run")).expect(".ci/run");
    let lines: Vec<&str> = ci.lines().map(str::trim).collect();
    let position = |wanted: &str| {
        lines
            .iter()
            .position(|l| *l == wanted)
            .unwrap_or_else(|| panic!(".ci/run lacks the line `{wanted}`"))
    };
    let pinned = position("export INSTA_UPDATE=no");
    let unset = position("unset INSTA_FORCE_PASS INSTA_FORCE_UPDATE");
    let tests = position("cargo test --workspace --locked");
    assert!(pinned < tests && unset < tests, "set before the tests run");
    assert!(
        !lines.iter().any(|l| !l.starts_with('#')
            && (l.contains("INSTA_FORCE_PASS=") || l.contains("INSTA_UPDATE=always"))),
        "nothing in .ci/run forces snapshots"
    );
}
