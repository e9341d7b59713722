//! ARCHITECTURE.md's tables, checked against the code: core's modules form the layers it
//! lists (so no module circle can come back unseen), and every provider is in every
//! place its "Adding a provider" table names.

use std::collections::BTreeMap;
use std::path::Path;

use telnums_tests::root;

/// The rows of the Markdown table that follows `heading` in `doc`, as trimmed cells
/// (header and separator rows left out; backticks around a cell removed).
fn table(doc: &str, heading: &str) -> Vec<Vec<String>> {
    let start = doc
        .find(heading)
        .unwrap_or_else(|| panic!("ARCHITECTURE.md has no `{heading}`"));
    let rows: Vec<Vec<String>> = doc[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().trim_matches('`').to_owned())
                .collect()
        })
        .collect();
    assert!(!rows.is_empty(), "the table under `{heading}` is empty");
    rows
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md")
}

/// The code of a source file without comments and without its `#[cfg(test)]` part.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    text.lines()
        .take_while(|l| !l.starts_with("#[cfg(test)]"))
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Core's modules (a file `x.rs`, or a directory `x/` whose files other than `tests.rs`
/// are its code), each with its code.
fn core_modules() -> BTreeMap<String, String> {
    let src = root().join("crates/core/src");
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("crates/core/src") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name == "lib" {
            continue;
        }
        let text = if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(&path)
                .expect("module directory")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.file_name().is_some_and(|n| n != "tests.rs"))
                .collect();
            files.sort();
            files.iter().map(|f| code(f)).collect::<Vec<_>>().join("\n")
        } else {
            code(&path)
        };
        modules.insert(name, text);
    }
    modules
}

/// The module each name re-exported at the crate root comes from (`Runtime` →
/// `runtime`), read from `lib.rs`'s `pub use module::{…}` lines.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = rest.trim_end_matches(';').split_once("::") else {
            continue;
        };
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = name.trim();
            if !name.is_empty() {
                map.insert(name.to_owned(), module.to_owned());
            }
        }
    }
    map
}

/// The modules `code` names through `crate::` or `$crate::`: directly
/// (`crate::wire::…`) or through a root re-export (`crate::Runtime`).
fn dependencies(
    code: &str,
    modules: &BTreeMap<String, String>,
    reexports: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut deps: Vec<String> = code
        .split("crate::")
        .skip(1)
        .filter_map(|rest| {
            let ident: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if modules.contains_key(&ident) {
                Some(ident)
            } else {
                reexports.get(&ident).cloned()
            }
        })
        .collect();
    deps.sort();
    deps.dedup();
    deps
}

#[test]
fn core_modules_depend_only_on_lower_layers() {
    let doc = architecture();
    let mut layer_of: BTreeMap<String, u32> = BTreeMap::new();
    for row in table(&doc, "| layer | modules |") {
        let layer: u32 = row[0].parse().expect("a layer number");
        for module in row[1].split(',') {
            let old = layer_of.insert(module.trim().to_owned(), layer);
            assert!(old.is_none(), "ARCHITECTURE.md lists `{module}` twice");
        }
    }
    let modules = core_modules();
    let names: Vec<&String> = modules.keys().collect();
    let listed: Vec<&String> = layer_of.keys().collect();
    assert_eq!(
        listed, names,
        "ARCHITECTURE.md's layer table must list exactly core's modules"
    );
    let lib = std::fs::read_to_string(root().join("crates/core/src/lib.rs")).expect("lib.rs");
    let reexports = reexports(&lib);
    let mut wrong = Vec::new();
    for (module, text) in &modules {
        for dep in dependencies(text, &modules, &reexports) {
            if dep != *module && layer_of[&dep] >= layer_of[module] {
                wrong.push(format!(
                    "{module} (layer {}) uses {dep} (layer {})",
                    layer_of[module], layer_of[&dep]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "core modules must use only lower layers (ARCHITECTURE.md):\n{}",
        wrong.join("\n")
    );
}

/// `zoom-phone` → `ZoomPhone`.
fn variant(key: &str) -> String {
    key.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn every_provider_is_in_every_place_a_provider_needs() {
    let doc = architecture();
    let rows = table(&doc, "| # | file | what goes there | must contain |");
    let mut missing = Vec::new();
    for key in xtask::PROVIDERS {
        let fill = |text: &str| {
            text.replace("{key}", key)
                .replace("{snake}", &key.replace('-', "_"))
                .replace("{Variant}", &variant(key))
        };
        for row in &rows {
            let (file, needle) = (fill(&row[1]), fill(&row[3]));
            let text = std::fs::read_to_string(root().join(&file)).unwrap_or_default();
            if !text.contains(&needle) {
                missing.push(format!("{key}: step {} — {file} has no `{needle}`", row[0]));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_helpers_read_what_they_should() {
    assert_eq!(variant("vonage-cc"), "VonageCc");
    let modules: BTreeMap<String, String> = [("wire", ""), ("runtime", "")]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
    let reexports = reexports("pub use runtime::{Response, Runtime};\npub use reqwest;");
    assert_eq!(
        dependencies(
            "use crate::wire::{self};\nlet r: crate::Runtime; $crate::Runtime; crate::reqwest",
            &modules,
            &reexports,
        ),
        ["runtime", "wire"]
    );
    let doc = "## T\n\n| a | b |\n|---|---|\n| `x` | y |\n\nafter";
    assert_eq!(table(doc, "## T"), [vec!["x".to_owned(), "y".to_owned()]]);
}

/// The hand-written `.rs` files under `dir`, recursively (generated ones open with
/// `// @generated` or are progenitor's `generated.rs`).
fn hand_written(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            hand_written(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "generated.rs")
        {
            let text = std::fs::read_to_string(&path).expect("read");
            if !text.contains("@generated") {
                out.push(path);
            }
        }
    }
}

/// One idea per file: no hand-written file in `crates/` holds more than about 600 lines
/// of code besides its tests.
#[test]
fn no_hand_written_file_in_crates_is_over_600_lines() {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root().join("crates")).expect("crates/") {
        let src = entry.expect("entry").path().join("src");
        if src.is_dir() {
            hand_written(&src, &mut files);
        }
    }
    assert!(files.len() > 20, "found {} files", files.len());
    let long: Vec<String> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "tests.rs"))
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).expect("read");
            let lines = text
                .lines()
                .take_while(|l| !l.starts_with("#[cfg(test)]"))
                .count();
            (lines > 600).then(|| format!("{}: {lines} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these by job:\n{}", long.join("\n"));
}
