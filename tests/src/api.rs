//! A reviewable summary of a generated file's public API: the types with their fields or
//! variants, and the public methods of the client and the operation builders with their
//! signatures, and the public re-exports, printed as Rust without attributes (but
//! `#[doc(hidden)]`), docs or bodies. Trait impls, private items and the
//! `types::builder` helpers are left out.

use syn::{parse_quote, Fields, ImplItem, Item, Visibility};

/// Summarises the Rust source `source`.
pub fn summarize(source: &str) -> String {
    let file = syn::parse_file(source).expect("generated code parses");
    let items = skeleton(&file.items, "");
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    })
}

fn skeleton(items: &[Item], path: &str) -> Vec<Item> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Mod(m) if is_pub(&m.vis) => {
                let name = m.ident.to_string();
                // Struct-builder helpers for every type are mechanical noise for review.
                if (path == "types" && name == "builder") || name == "prelude" {
                    continue;
                }
                if let Some((brace, content)) = &m.content {
                    let mut m = m.clone();
                    m.attrs.clear();
                    m.content = Some((*brace, skeleton(content, &name)));
                    out.push(Item::Mod(m));
                }
            }
            Item::Struct(s) if is_pub(&s.vis) => {
                let mut s = s.clone();
                s.attrs.clear();
                if let Fields::Named(named) = &mut s.fields {
                    named.named = named
                        .named
                        .iter()
                        .filter(|f| is_pub(&f.vis))
                        .cloned()
                        .map(|mut f| {
                            f.attrs.clear();
                            f
                        })
                        .collect();
                }
                out.push(Item::Struct(s));
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let mut e = e.clone();
                e.attrs.clear();
                for v in &mut e.variants {
                    v.attrs.clear();
                }
                out.push(Item::Enum(e));
            }
            // Re-exports, with `#[doc(hidden)]` kept so hidden ones show as such.
            Item::Use(u) if is_pub(&u.vis) => {
                let mut u = u.clone();
                u.attrs.retain(|a| {
                    a.path().is_ident("doc")
                        && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "hidden")
                });
                out.push(Item::Use(u));
            }
            Item::Impl(i) if i.trait_.is_none() => {
                let mut i = i.clone();
                i.attrs.clear();
                i.items = i
                    .items
                    .iter()
                    .filter_map(|it| match it {
                        ImplItem::Fn(f) if is_pub(&f.vis) => {
                            // `builder()` on every type returns its struct builder: noise.
                            if path == "types" && f.sig.ident == "builder" {
                                return None;
                            }
                            let mut f = f.clone();
                            f.attrs.clear();
                            f.block = parse_quote!({});
                            Some(ImplItem::Fn(f))
                        }
                        _ => None,
                    })
                    .collect();
                if !i.items.is_empty() {
                    out.push(Item::Impl(i));
                }
            }
            _ => {}
        }
    }
    out
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}
