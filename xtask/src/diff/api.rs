//! The Rust half of `cargo xtask diff`: the public items of two generated files, and
//! what changed between them.
//!
//! Each public item becomes one line keyed by what it is and where it lives: a struct, a
//! field with its type, an enum, a variant with its fields, a derived or implemented
//! trait, a public function with its signature, a constant, an alias. Bodies, docs and
//! attributes other than `derive` are left out, and so is `types::builder` (the struct
//! builders mirror the fields one to one), as in the public-API snapshots of
//! `tests/`.
//!
//! A removed item or a changed signature breaks callers. An added item is an addition,
//! including a variant added to an enum and a field added to a struct: by the policy in
//! the [parent module](super), generated data types are read, not built with struct
//! literals or matched without a wildcard arm.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::{ImplItem, Item, Visibility};

use super::walk::{pairs, Pair};
use super::Level;

/// One difference in the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiChange {
    /// [`Level::Breaking`] for a removal or a changed signature, [`Level::Addition`]
    /// for a new item.
    pub level: Level,
    /// `removed`, `added` or `changed`.
    pub what: &'static str,
    /// The item, e.g. `field types::ZoomPhoneNumber::carrier`.
    pub item: String,
    /// Its signature before (empty when added).
    pub old: String,
    /// Its signature after (empty when removed).
    pub new: String,
}

impl ApiChange {
    /// The item with its signature, or both signatures when it changed.
    pub fn detail(&self) -> String {
        match (self.what, self.old.as_str(), self.new.as_str()) {
            ("removed", "", _) | ("added", _, "") => self.item.clone(),
            ("removed", sig, _) | ("added", _, sig) => format!("{}: {sig}", self.item),
            (_, old, new) => format!("{}: {old} → {new}", self.item),
        }
    }
}

impl std::fmt::Display for ApiChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.what, self.detail())
    }
}

/// The public items of a generated file: item → signature.
pub fn items(source: &str) -> syn::Result<BTreeMap<String, String>> {
    let file = syn::parse_file(source)?;
    let mut out = BTreeMap::new();
    collect(&file.items, "", &mut out);
    Ok(out)
}

/// Compares the public items of two generated files.
pub fn compare(old: &str, new: &str) -> syn::Result<Vec<ApiChange>> {
    let mut out = Vec::new();
    for (item, pair) in pairs(items(old)?, items(new)?) {
        let (level, what, old, new) = match pair {
            Pair::Removed(sig) => (Level::Breaking, "removed", sig, String::new()),
            Pair::Added(sig) => (Level::Addition, "added", String::new(), sig),
            Pair::Both(a, b) if a != b => (Level::Breaking, "changed", a, b),
            Pair::Both(..) => continue,
        };
        out.push(ApiChange {
            level,
            what,
            item,
            old,
            new,
        });
    }
    out.sort_by(|x, y| y.level.cmp(&x.level).then(x.item.cmp(&y.item)));
    Ok(out)
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

/// Token text as a person would write it: `:: std :: option :: Option < i32 >` becomes
/// `Option<i32>`, and `fn send (self ,) -> :: std :: result :: Result < A , B >` becomes
/// `fn send(self) -> Result<A, B>`.
///
/// The tokens are printed one by one with Rust's usual spacing: a space after a comma
/// and around `->`, `=` and `+`, none inside brackets; a trailing comma is dropped.
/// Paths lose their leading `::`, and the std prelude types, `std::convert` and
/// `chrono::offset` their module paths.
pub(crate) fn tidy(tokens: impl ToTokens) -> String {
    let mut out = String::new();
    print_tokens(tokens.to_token_stream(), &mut out);
    for (from, to) in [
        ("std::option::Option", "Option"),
        ("std::string::String", "String"),
        ("std::vec::Vec", "Vec"),
        ("std::result::Result", "Result"),
        ("std::convert::", ""),
        ("chrono::offset::", "chrono::"),
    ] {
        out = out.replace(from, to);
    }
    out.trim_end_matches([',', ' ']).to_owned()
}

fn print_tokens(tokens: proc_macro2::TokenStream, out: &mut String) {
    use proc_macro2::{Delimiter, Spacing, TokenTree};
    let mut previous: Option<(char, Spacing)> = None;
    // Whether a `::` here would continue a path: after a segment or a closing `>`.
    let mut in_path = false;
    for token in tokens {
        let punct = match &token {
            TokenTree::Punct(p) => Some((p.as_char(), p.spacing())),
            _ => None,
        };
        let segment = match &token {
            TokenTree::Ident(word) => !KEYWORDS.contains(&word.to_string().as_str()),
            TokenTree::Punct(p) => p.as_char() == '>' && previous != Some(('-', Spacing::Joint)),
            _ => false,
        };
        match token {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                if open == "{ " {
                    space_after_word(out);
                }
                out.push_str(open);
                print_tokens(group.stream(), out);
                trim_comma(out);
                out.push_str(close);
            }
            TokenTree::Ident(word) => {
                space_after_word(out);
                out.push_str(&word.to_string());
            }
            TokenTree::Literal(literal) => {
                space_after_word(out);
                out.push_str(&literal.to_string());
            }
            TokenTree::Punct(p) => match (p.as_char(), previous) {
                // The first colon of a path separator: a leading `::` is dropped.
                (':', _) if p.spacing() == Spacing::Joint => {
                    if in_path {
                        out.push_str("::");
                    }
                }
                (':', Some((':', Spacing::Joint))) => {}
                (':', _) => out.push_str(": "),
                ('>', Some(('-', Spacing::Joint))) => out.push_str("> "),
                ('>', _) => {
                    trim_comma(out);
                    out.push('>');
                }
                // `->`; no type or signature holds another `-`.
                ('-', _) => {
                    out.truncate(out.trim_end().len());
                    out.push_str(" -");
                }
                (',', _) => out.push_str(", "),
                (';', _) => out.push_str("; "),
                ('=' | '+', _) => {
                    out.truncate(out.trim_end().len());
                    out.push(' ');
                    out.push(p.as_char());
                    out.push(' ');
                }
                (c, _) => out.push(c),
            },
        }
        previous = punct;
        in_path = segment;
    }
}

/// The keywords a path can follow (`as ::std::…`, `dyn ::std::…`); `self`, `super`,
/// `crate` and `Self` are path segments themselves.
const KEYWORDS: [&str; 12] = [
    "as", "async", "const", "dyn", "fn", "for", "impl", "in", "mut", "pub", "unsafe", "where",
];

/// A word follows a word, a closing bracket or a closing `>` with one space, and
/// anything else (`&`, `'`, `<`, `(`, a space already there) directly.
fn space_after_word(out: &mut String) {
    if out.ends_with(|c: char| c.is_alphanumeric() || matches!(c, '_' | ')' | ']' | '>')) {
        out.push(' ');
    }
}

fn trim_comma(out: &mut String) {
    let kept = out
        .trim_end_matches(' ')
        .trim_end_matches(',')
        .trim_end_matches(' ');
    out.truncate(kept.len());
}

/// Records the traits `attrs` derive for the item `full`.
fn derived(attrs: &[syn::Attribute], full: &str, out: &mut BTreeMap<String, String>) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let parsed = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        );
        for path in parsed.iter().flatten() {
            out.insert(format!("impl {} for {full}", tidy(path)), "derive".into());
        }
    }
}

fn collect(items: &[Item], path: &str, out: &mut BTreeMap<String, String>) {
    for item in items {
        let (kind, name, signature) = match item {
            Item::Mod(m) if is_pub(&m.vis) => {
                let name = m.ident.to_string();
                let skipped = (path == "types" && name == "builder") || name == "prelude";
                if let Some((_, content)) = m.content.as_ref().filter(|_| !skipped) {
                    collect(content, &join(path, &name), out);
                }
                continue;
            }
            Item::Struct(s) if is_pub(&s.vis) => {
                let full = join(path, &s.ident.to_string());
                derived(&s.attrs, &full, out);
                for (i, f) in s.fields.iter().enumerate().filter(|(_, f)| is_pub(&f.vis)) {
                    let name = f.ident.as_ref().map_or(i.to_string(), ToString::to_string);
                    out.insert(format!("field {full}::{name}"), tidy(&f.ty));
                }
                ("struct", s.ident.to_string(), tidy(&s.generics))
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let full = join(path, &e.ident.to_string());
                derived(&e.attrs, &full, out);
                for v in &e.variants {
                    out.insert(format!("variant {full}::{}", v.ident), tidy(&v.fields));
                }
                ("enum", e.ident.to_string(), tidy(&e.generics))
            }
            Item::Impl(i) => {
                let self_ty = qualify(&i.self_ty, path);
                if let Some((_, trait_path, _)) = &i.trait_ {
                    let name = format!("impl {} for {self_ty}", tidy(trait_path));
                    out.insert(name, tidy(&i.generics));
                }
                for it in i.items.iter().filter(|_| i.trait_.is_none()) {
                    let ImplItem::Fn(f) = it else {
                        continue;
                    };
                    if is_pub(&f.vis) && !(path == "types" && f.sig.ident == "builder") {
                        let name = format!("fn {}::{}", strip_generics(&self_ty), f.sig.ident);
                        out.insert(name, tidy(&f.sig));
                    }
                }
                continue;
            }
            Item::Fn(f) if is_pub(&f.vis) => ("fn", f.sig.ident.to_string(), tidy(&f.sig)),
            Item::Const(c) if is_pub(&c.vis) => ("const", c.ident.to_string(), tidy(&c.ty)),
            Item::Type(t) if is_pub(&t.vis) => ("type", t.ident.to_string(), tidy(&t.ty)),
            Item::Trait(t) if is_pub(&t.vis) => ("trait", t.ident.to_string(), tidy(&t.generics)),
            Item::Use(u) if is_pub(&u.vis) => ("use", tidy(&u.tree), String::new()),
            _ => continue,
        };
        out.insert(format!("{kind} {}", join(path, &name)), signature);
    }
}

/// `Foo<'a>` inside `builder` → `builder::Foo<'a>`: a type named by one bare segment is
/// qualified by the module the impl sits in. A path that names its module
/// (`super::Client`, `::std::string::String`) and a reference are left as written.
fn qualify(ty: &syn::Type, path: &str) -> String {
    let text = tidy(ty);
    match ty {
        syn::Type::Path(p)
            if !path.is_empty()
                && p.qself.is_none()
                && p.path.leading_colon.is_none()
                && p.path.segments.len() == 1 =>
        {
            format!("{path}::{text}")
        }
        _ => text,
    }
}

fn strip_generics(ty: &str) -> &str {
    ty.split('<').next().unwrap_or(ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = r#"
        pub mod types {
            #[derive(Clone, Debug)]
            pub struct Number { pub id: Option<String>, pub carrier: Option<String>, secret: u8 }
            pub enum Status { Active, Pending }
            impl Number { pub fn builder() -> builder::Number { todo!() } }
            pub mod builder { pub struct Number { id: u8 } }
        }
        pub struct Client {}
        impl Client { pub fn list(&self, page: u32) -> u32 { 0 } }
    "#;

    #[test]
    fn lists_public_items_without_builders_or_private_fields() {
        let items = items(OLD).expect("parses");
        let keys: Vec<&str> = items.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "enum types::Status",
                "field types::Number::carrier",
                "field types::Number::id",
                "fn Client::list",
                "impl Clone for types::Number",
                "impl Debug for types::Number",
                "struct Client",
                "struct types::Number",
                "variant types::Status::Active",
                "variant types::Status::Pending",
            ]
        );
        assert_eq!(items["field types::Number::id"], "Option<String>");
        assert_eq!(items["fn Client::list"], "fn list(&self, page: u32) -> u32");
    }

    /// One public and one private item of each kind: only the public ones are listed,
    /// and a private module is not entered.
    #[test]
    fn only_public_items_of_each_kind_are_listed() {
        let source = r#"
            pub mod open { pub struct Inside; }
            mod closed { pub struct Hidden; }
            pub struct Shown(pub u8, u16);
            struct Unshown;
            pub enum Kind { A }
            enum Private { B }
            pub fn call(x: u8) -> u8 { x }
            fn helper() {}
            pub const LIMIT: u32 = 1;
            const INNER: u32 = 2;
            pub type Alias = u64;
            type Hidden2 = u64;
            pub trait Api<T> {}
            trait Sealed {}
            pub use open::Inside as Again;
            use open::Inside;
            impl Shown { pub fn new() -> Self { todo!() } fn private(&self) {} }
        "#;
        let items = items(source).expect("parses");
        let listed: Vec<String> = items.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        assert_eq!(
            listed,
            [
                "const LIMIT = u32",
                "enum Kind = ",
                "field Shown::0 = u8",
                "fn Shown::new = fn new() -> Self",
                "fn call = fn call(x: u8) -> u8",
                "struct Shown = ",
                "struct open::Inside = ",
                "trait Api = <T>",
                "type Alias = u64",
                "use open::Inside as Again = ",
                "variant Kind::A = ",
            ]
        );
    }

    /// Only `types::builder` and its `builder()` constructors are left out, and every
    /// `prelude`; other modules and methods of those names are listed.
    #[test]
    fn only_the_type_builders_and_preludes_are_left_out() {
        let source = r#"
            pub mod types {
                pub mod inner { pub struct X; }
                pub mod builder { pub struct Y; }
                pub struct T;
                impl T { pub fn builder() -> u8 { 0 } pub fn other() -> u8 { 0 } }
            }
            pub mod builder { pub struct Z; }
            pub mod prelude { pub struct P; }
            pub struct C;
            impl C { pub fn builder() -> u8 { 0 } }
        "#;
        let items = items(source).expect("parses");
        let keys: Vec<&str> = items.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "fn C::builder",
                "fn types::T::other",
                "struct C",
                "struct builder::Z",
                "struct types::T",
                "struct types::inner::X",
            ]
        );
    }

    #[test]
    fn self_types_are_qualified_by_their_module_unless_they_name_one() {
        let ty = |s: &str| syn::parse_str::<syn::Type>(s).expect("a type");
        assert_eq!(qualify(&ty("Foo<'a>"), "builder"), "builder::Foo<'a>");
        assert_eq!(qualify(&ty("Foo"), ""), "Foo");
        assert_eq!(qualify(&ty("super::Client"), "builder"), "super::Client");
        assert_eq!(qualify(&ty("&Foo"), "types"), "&Foo");
        assert_eq!(qualify(&ty("::std::string::String"), "types"), "String");
        assert_eq!(
            qualify(&ty("<Foo as Bar>::Baz"), "types"),
            "<Foo as Bar>::Baz"
        );
    }

    #[test]
    fn token_text_is_spaced_as_rust_is_written() {
        let cases = [
            ("::std::option::Option<i32>", "Option<i32>"),
            (
                "::std::collections::HashMap<::std::string::String, ::std::string::String>",
                "std::collections::HashMap<String, String>",
            ),
            (
                "::serde_json::Map<::std::string::String, ::serde_json::Value>",
                "serde_json::Map<String, serde_json::Value>",
            ),
            (
                "::std::vec::Vec<(u8, ::std::string::String,)>",
                "Vec<(u8, String)>",
            ),
            ("::std::result::Result<A, B,>", "Result<A, B>"),
            ("&'a super::Client", "&'a super::Client"),
            (
                "::chrono::DateTime<::chrono::offset::Utc>",
                "chrono::DateTime<chrono::Utc>",
            ),
            ("::std::convert::TryFrom<&str>", "TryFrom<&str>"),
            (
                "<T as ::std::str::FromStr>::Err",
                "<T as std::str::FromStr>::Err",
            ),
            ("[u8; 4]", "[u8; 4]"),
            (
                "Box<dyn Fn(u8) -> u8 + Send>",
                "Box<dyn Fn(u8) -> u8 + Send>",
            ),
        ];
        for (ty, want) in cases {
            let parsed = syn::parse_str::<syn::Type>(ty).expect(ty);
            assert_eq!(tidy(&parsed), want, "{ty}");
        }
        let sig = |s: &str| syn::parse_str::<syn::ItemFn>(s).expect("a fn").sig;
        assert_eq!(
            tidy(sig(
                "async fn send(self,) -> ::std::result::Result<A, B> {}"
            )),
            "async fn send(self) -> Result<A, B>"
        );
        assert_eq!(
            tidy(sig(
                "fn id<V>(mut self, value: V) -> Self where V: TryInto<String>, {}"
            )),
            "fn id<V>(mut self, value: V) -> Self where V: TryInto<String>"
        );
        assert_eq!(
            tidy(sig("fn get(&self, n: u8) -> builder::Get<'_> {}")),
            "fn get(&self, n: u8) -> builder::Get<'_>"
        );
        let fields = |s: &str| {
            syn::parse_str::<syn::ItemStruct>(s)
                .expect("a struct")
                .fields
        };
        assert_eq!(
            tidy(fields(
                "struct S { #[serde(rename = \"x\")] a: u8, b: ::std::string::String, }"
            )),
            "{ #[serde(rename = \"x\")] a: u8, b: String }"
        );
        assert_eq!(tidy(fields("struct S(::std::string::String);")), "(String)");
        assert_eq!(tidy(fields("struct S;")), "");
    }

    #[test]
    fn removal_and_type_change_break_addition_does_not() {
        let new = OLD
            .replace("pub carrier: Option<String>,", "")
            .replace("pub id: Option<String>", "pub id: String")
            .replace("Active, Pending", "Active, Pending, Ported");
        let changes = compare(OLD, &new).expect("parses");
        let shown: Vec<String> = changes
            .iter()
            .map(|c| format!("{:?} {c}", c.level))
            .collect();
        assert_eq!(
            shown,
            [
                "Breaking removed field types::Number::carrier: Option<String>",
                "Breaking changed field types::Number::id: Option<String> → String",
                "Addition added variant types::Status::Ported",
            ]
        );
    }
}
