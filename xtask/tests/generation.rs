//! `cargo xtask check` and generation on the real specs and on a scratch copy: the
//! committed code is up to date, generation is deterministic, and a spec edited without
//! regenerating is reported with the fix.

fn root() -> std::path::PathBuf {
    xtask::workspace_root()
}

/// Fails when any `crates/<key>/src/generated.rs` differs from what its spec produces;
/// the message carries the diff and names `cargo xtask generate`.
#[test]
fn generated_code_matches_specs() {
    let root = root();
    let stale = xtask::check(&root).expect("generation runs");
    assert!(stale.is_empty(), "{}", xtask::report_stale(&root, &stale));
}

/// Generation is deterministic: two runs produce the same bytes.
#[test]
fn generation_is_deterministic() {
    let root = root();
    for key in xtask::PROVIDERS {
        let a = xtask::generated_files(&root, key).expect("generates");
        let b = xtask::generated_files(&root, key).expect("generates");
        assert!(a == b, "{key}: two generations differ");
    }
}

/// Adding a property to a spec without regenerating is caught, and the message says how
/// to fix it. Runs the real check against a scratch copy of the workspace layout.
#[test]
fn a_spec_change_without_regeneration_is_reported() {
    let root = root();
    let scratch = std::env::temp_dir().join(format!("telnums-drift-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    for key in xtask::PROVIDERS {
        let spec = xtask::spec_path(&scratch, key);
        std::fs::create_dir_all(spec.parent().expect("parent")).expect("mkdir");
        std::fs::copy(xtask::spec_path(&root, key), &spec).expect("copy spec");
        let generated = xtask::generated_path(&scratch, key);
        std::fs::create_dir_all(generated.parent().expect("parent")).expect("mkdir");
        std::fs::copy(xtask::generated_path(&root, key), &generated).expect("copy generated");
        let filters = xtask::filters::filters_path(&scratch, key);
        std::fs::copy(xtask::filters::filters_path(&root, key), &filters).expect("copy filters");
        let query = xtask::query::query_path(&scratch, key);
        std::fs::copy(xtask::query::query_path(&root, key), &query).expect("copy query");
        let packaged = xtask::packaged_spec_path(&scratch, key);
        std::fs::copy(xtask::packaged_spec_path(&root, key), &packaged).expect("copy spec");
    }
    assert!(
        xtask::check(&scratch).expect("check runs").is_empty(),
        "scratch copy starts clean"
    );

    // Add a property to the first component schema of one spec.
    let path = xtask::spec_path(&scratch, "zoom-phone");
    let mut spec = xtask::load_spec(&path).expect("load");
    let schemas = spec
        .pointer_mut("/components/schemas")
        .and_then(|s| s.as_object_mut())
        .expect("schemas");
    let first = schemas
        .values_mut()
        .find(|s| s.get("properties").is_some())
        .expect("an object schema");
    first["properties"]["addedForDriftTest"] =
        serde_json::json!({ "type": "string", "description": "Added by a test." });
    std::fs::write(&path, serde_json::to_string_pretty(&spec).expect("json")).expect("write");

    let stale = xtask::check(&scratch).expect("check runs");
    let paths: Vec<_> = stale.iter().map(|s| s.path.clone()).collect();
    assert_eq!(
        paths,
        [
            xtask::packaged_spec_path(&scratch, "zoom-phone"),
            xtask::generated_path(&scratch, "zoom-phone"),
        ],
        "exactly the edited provider's client and the spec its package carries are stale"
    );
    let report = xtask::report_stale(&scratch, &stale);
    assert!(
        report.contains("added_for_drift_test"),
        "diff shows the new field:\n{report}"
    );
    assert!(
        report.contains("cargo xtask generate"),
        "names the fix:\n{report}"
    );
    assert!(
        report.contains("crates/zoom-phone/src/generated.rs"),
        "names the file:\n{report}"
    );

    // A new query parameter changes the filter table too.
    spec["paths"]["/phone/numbers"]["get"]["parameters"]
        .as_array_mut()
        .expect("parameters")
        .push(serde_json::json!({
            "name": "addedFilter", "in": "query", "required": false,
            "description": "Added by a test.", "schema": { "type": "string" }
        }));
    std::fs::write(&path, serde_json::to_string_pretty(&spec).expect("json")).expect("write");
    let stale = xtask::check(&scratch).expect("check runs");
    let filters = stale
        .iter()
        .find(|s| s.path.ends_with("crates/zoom-phone/src/filters.rs"))
        .expect("the filter table is stale");
    assert!(
        filters.diff.contains("flag: \"added-filter\""),
        "diff shows the new filter:\n{}",
        filters.diff
    );

    // Generating writes exactly the stale files, after which the check is clean and a
    // second run writes nothing.
    let stale: Vec<_> = stale.into_iter().map(|s| s.path).collect();
    let written = xtask::generate(&scratch, None).expect("generates");
    assert_eq!(written, stale);
    assert!(xtask::check(&scratch).expect("check runs").is_empty());
    assert!(xtask::generate(&scratch, None)
        .expect("generates")
        .is_empty());
    let _ = std::fs::remove_dir_all(&scratch);
}
