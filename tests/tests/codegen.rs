//! Generated code under snapshot review: the public API of each generated crate and
//! what each provider crate's root offers. That the code is up to date with the specs is
//! the xtask's own test (`xtask/tests/generation.rs`).

use telnums_tests::{api, root};

/// The public items of each generated crate, for review when a spec changes.
#[test]
fn public_api_snapshots() {
    let root = root();
    for key in xtask::PROVIDERS {
        let source = std::fs::read_to_string(xtask::generated_path(&root, key)).expect("read");
        insta::assert_snapshot!(
            format!("public_api_{}", key.replace('-', "_")),
            api::summarize(&source)
        );
    }
}

/// The items `telnums_core::generated_modules!()` declares, as a provider crate's root
/// gets them (read from the macro's definition in `crates/core/src/macros.rs`).
fn generated_modules(root: &std::path::Path) -> String {
    let macros = std::fs::read_to_string(root.join("crates/core/src/macros.rs")).expect("read");
    let start = macros
        .find("macro_rules! generated_modules {")
        .expect("the generated_modules! macro");
    let body = &macros[start..];
    let open = body.find("() => {").expect("its one arm") + "() => {".len();
    let close = body.find("\n    };\n}").expect("the arm's end");
    body[open..close].replace("$crate", "telnums_core")
}

/// What each provider crate's root offers (its `lib.rs`, with what
/// `generated_modules!()` declares: the hand-written client and listing, the
/// re-exports, the `raw` module), for review when it changes.
#[test]
fn crate_root_snapshots() {
    let root = root();
    let generated = generated_modules(&root);
    for key in xtask::PROVIDERS {
        let lib = root.join("crates").join(key).join("src").join("lib.rs");
        let source = std::fs::read_to_string(lib).expect("read");
        assert!(
            source.contains("telnums_core::generated_modules!();"),
            "{key}: lib.rs declares its generated modules with telnums_core::generated_modules!()"
        );
        let source = source.replace("telnums_core::generated_modules!();", &generated);
        insta::assert_snapshot!(
            format!("crate_root_{}", key.replace('-', "_")),
            api::summarize(&source)
        );
    }
}
