//! A reviewable summary of a generated file's public API: the types with their fields or
//! variants, and the public methods of the client and the operation builders, with their
//! signatures. Trait impls, private items and the `types::builder` helpers are left out.

use std::fmt::Write as _;

use quote::ToTokens;
use syn::{Fields, ImplItem, Item, Visibility};

/// Summarises the Rust source `source`.
pub fn summarize(source: &str) -> String {
    let file = syn::parse_file(source).expect("generated code parses");
    let mut out = String::new();
    walk(&file.items, "", &mut out);
    out
}

fn walk(items: &[Item], path: &str, out: &mut String) {
    for item in items {
        match item {
            Item::Mod(m) if is_pub(&m.vis) => {
                let name = m.ident.to_string();
                // Struct-builder helpers for every type: mechanical, and noise for review.
                if path == "types" && name == "builder" {
                    continue;
                }
                if name == "prelude" {
                    continue;
                }
                let sub = join(path, &name);
                if let Some((_, content)) = &m.content {
                    walk(content, &sub, out);
                }
            }
            Item::Struct(s) if is_pub(&s.vis) => {
                let _ = writeln!(out, "struct {}", join(path, &s.ident.to_string()));
                if let Fields::Named(named) = &s.fields {
                    for f in &named.named {
                        if is_pub(&f.vis) {
                            let name = f.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                            let _ = writeln!(out, "    {name}: {}", tidy(&f.ty.to_token_stream().to_string()));
                        }
                    }
                }
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let _ = writeln!(out, "enum {}", join(path, &e.ident.to_string()));
                for v in &e.variants {
                    let payload = match &v.fields {
                        Fields::Unit => String::new(),
                        fields => tidy(&fields.to_token_stream().to_string()),
                    };
                    let _ = writeln!(out, "    {}{payload}", v.ident);
                }
            }
            Item::Impl(i) if i.trait_.is_none() => {
                let self_ty = tidy(&i.self_ty.to_token_stream().to_string());
                let methods: Vec<String> = i
                    .items
                    .iter()
                    .filter_map(|it| match it {
                        ImplItem::Fn(f) if is_pub(&f.vis) => {
                            Some(tidy(&f.sig.to_token_stream().to_string()))
                        }
                        _ => None,
                    })
                    // `builder()` on every type returns its struct builder: noise.
                    .filter(|sig| !(path == "types" && sig.starts_with("fn builder()")))
                    .collect();
                if !methods.is_empty() {
                    let _ = writeln!(out, "impl {}", join(path, &self_ty));
                    for m in methods {
                        let _ = writeln!(out, "    {m}");
                    }
                }
            }
            _ => {}
        }
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}::{name}")
    }
}

/// Token-stream text with the spacing and absolute paths that make it hard to read removed.
fn tidy(s: &str) -> String {
    let mut t = s.replace(" :: ", "::").replace(":: ", "::");
    for (from, to) in [
        (" < ", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
        ("& '", "&'"),
        ("& ", "&"),
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        ("::std::option::", ""),
        ("::std::string::", ""),
        ("::std::vec::", ""),
        ("::std::num::", ""),
        ("::std::", "std::"),
        ("::chrono::", "chrono::"),
        ("super::", ""),
        ("'a>", "'a>"),
    ] {
        t = t.replace(from, to);
    }
    t
}
