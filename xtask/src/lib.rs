//! Library half of `cargo xtask`: code generation from the specs (loading, the shared spec
//! walker, preprocessing, progenitor, postprocessing, the filter tables), the drift
//! check, the spec diff, the project lint and the HTML reference.
//!
//! The binary (`src/main.rs`) is a thin command-line wrapper; the test crate calls
//! [`check`] directly so that `cargo test` fails when generated code is stale.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub mod diff;
pub mod filters;
pub mod lint;
pub mod postprocess;
pub mod preprocess;
pub mod query;
pub mod spec;

pub use lint::{lint, Problem};

/// The provider keys, in the order the project lists them. Each key names both the spec
/// (`specs/<key>.yaml`) and the crate directory (`crates/<key>/`).
pub const PROVIDERS: &[&str] = &[
    "vonage-cc",
    "webex-calling",
    "fone-dynamics",
    "apple-business",
    "zoom-phone",
];

/// The command that rewrites generated files; named in headers and in failure messages.
pub const GENERATE_COMMAND: &str = "cargo xtask generate";

/// Root of the workspace (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// `path` relative to the workspace root, for messages.
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Path of the spec for `key`.
pub fn spec_path(root: &Path, key: &str) -> PathBuf {
    root.join("specs").join(format!("{key}.yaml"))
}

/// `crates/<key>/<file>`: a file of the provider crate for `key`.
pub fn crate_file(root: &Path, key: &str, file: &str) -> PathBuf {
    root.join("crates").join(key).join(file)
}

/// Path of the generated file for `key`.
pub fn generated_path(root: &Path, key: &str) -> PathBuf {
    crate_file(root, key, "src/generated.rs")
}

/// `crates/<key>/openapi.yaml`: the copy of `specs/<key>.yaml` inside the provider
/// crate, so its package carries the spec its code was generated from.
pub fn packaged_spec_path(root: &Path, key: &str) -> PathBuf {
    crate_file(root, key, "openapi.yaml")
}

/// Reads a YAML spec into a JSON value (the form every later step works on).
pub fn load_spec(path: &Path) -> Result<serde_json::Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_norway::from_str(&text).with_context(|| format!("parsing {} as YAML", path.display()))
}

/// Component schemas whose generated type is replaced by a hand-written one in the
/// provider crate: `(provider key, schema name, Rust path of the replacement)`.
///
/// Fone Dynamics' list body is `oneOf: [envelope object, bare array]`, which progenitor
/// turns into a `#[serde(untagged)]` enum; serde then buffers the whole body before
/// trying each variant (1.4x the decode time of a plain struct, see BENCHMARKS.md).
/// The replacement has the same variants and picks one from the first JSON token.
pub const REPLACEMENTS: &[(&str, &str, &str)] = &[(
    "fone-dynamics",
    "FoneNumberListResponse",
    "crate::envelope::FoneNumberListResponse",
)];

/// Produces the full text of `crates/<key>/src/generated.rs` from `specs/<key>.yaml`.
pub fn generate_source(root: &Path, key: &str) -> Result<String> {
    let path = spec_path(root, key);
    let mut value = load_spec(&path)?;
    preprocess::run(&mut value);
    let spec: openapiv3::OpenAPI = serde_json::from_value(value)
        .with_context(|| format!("{} is not an OpenAPI 3.0 document", path.display()))?;

    let mut settings = progenitor::GenerationSettings::default();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        .with_inner_type(tokens("::telnums_core::Runtime"))
        // Each provider crate implements `ClientHooks` for the generated client
        // (`telnums_core::define_client!`), so every operation runs the runtime's hooks.
        .with_hooks(progenitor::HooksMode::Expected);
    for (provider, schema, replacement) in REPLACEMENTS {
        if *provider == key {
            settings.with_replacement(schema, replacement, std::iter::empty());
        }
    }
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| anyhow::anyhow!("progenitor failed on {}: {e}", path.display()))?;
    let mut file: syn::File = syn::parse2(tokens).context("progenitor produced unparsable Rust")?;
    // Every body read goes through the runtime's limited reader (see postprocess.rs).
    postprocess::route_body_reads(&mut file)
        .with_context(|| format!("post-processing the code generated from {}", path.display()))?;
    postprocess::open_enum_debug(&mut file);

    let header = format!(
        "// @generated by `{GENERATE_COMMAND}` from specs/{key}.yaml with progenitor.\n\
         // Do not edit by hand: change the spec or the generator settings in xtask/, then\n\
         // run `{GENERATE_COMMAND}`. `cargo xtask check` (and `cargo test`) fail when this\n\
         // file is stale.\n\n"
    );
    Ok(header + &prettyplease::unparse(&file))
}

fn tokens(s: &str) -> proc_macro2::TokenStream {
    s.parse().expect("static token string parses")
}

/// Which providers to work on: all, or the one named by `--only`.
pub fn selected(only: Option<&str>) -> Result<Vec<&'static str>> {
    let Some(k) = only else {
        return Ok(PROVIDERS.to_vec());
    };
    let known = PROVIDERS.iter().find(|p| **p == k).map(|p| vec![*p]);
    known.with_context(|| format!("unknown provider `{k}`; known: {}", PROVIDERS.join(", ")))
}

/// Every file generated for `key`, with its fresh text: the client (`generated.rs`), the
/// filter table (`filters.rs`, see [`filters`]), the typed query (`query.rs`, see
/// [`query`]) and the copy of the spec the crate's package carries (`openapi.yaml`).
pub fn generated_files(root: &Path, key: &str) -> Result<Vec<(PathBuf, String)>> {
    let spec = spec_path(root, key);
    let spec_text =
        std::fs::read_to_string(&spec).with_context(|| format!("reading {}", spec.display()))?;
    Ok(vec![
        (packaged_spec_path(root, key), spec_text),
        (generated_path(root, key), generate_source(root, key)?),
        (
            filters::filters_path(root, key),
            filters::generate_filters_source(root, key)?,
        ),
        (
            query::query_path(root, key),
            query::generate_query_source(root, key)?,
        ),
    ])
}

/// Writes the generated files of every selected provider. Returns the files that changed.
pub fn generate(root: &Path, only: Option<&str>) -> Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for key in selected(only)? {
        for (path, source) in generated_files(root, key)? {
            let old = std::fs::read_to_string(&path).unwrap_or_default();
            if old != source {
                std::fs::write(&path, source)
                    .with_context(|| format!("writing {}", path.display()))?;
                changed.push(path);
            }
        }
    }
    Ok(changed)
}

/// A generated file that does not match what its spec produces now.
#[derive(Debug)]
pub struct Stale {
    /// The committed file.
    pub path: PathBuf,
    /// Unified diff from the committed file to the fresh output.
    pub diff: String,
}

/// Regenerates in memory and compares with the files on disk.
pub fn check(root: &Path) -> Result<Vec<Stale>> {
    let mut stale = Vec::new();
    for key in PROVIDERS {
        for (path, fresh) in generated_files(root, key)? {
            let old = std::fs::read_to_string(&path).unwrap_or_default();
            if old != fresh {
                let rel = relative(root, &path);
                let diff = similar::TextDiff::from_lines(&old, &fresh)
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{rel}"), &format!("b/{rel}"))
                    .to_string();
                stale.push(Stale { path, diff });
            }
        }
    }
    Ok(stale)
}

/// Renders a check failure: the diffs, then one line naming the fix.
pub fn report_stale(root: &Path, stale: &[Stale]) -> String {
    let mut out = String::new();
    for s in stale {
        out.push_str(&s.diff);
    }
    let names: Vec<String> = stale.iter().map(|s| relative(root, &s.path)).collect();
    out.push_str(&format!(
        "\nstale generated code: {}\nrun `{GENERATE_COMMAND}` and commit the result\n",
        names.join(", ")
    ));
    out
}
