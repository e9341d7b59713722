//! The filter table of each provider crate: `crates/<key>/src/filters.rs`, generated from
//! the query parameters of the spec's list operations (operations whose `operationId`
//! starts with `list`).
//!
//! For every parameter the client does not set itself ([`PAGING`], [`MANAGED`]) the file
//! holds one
//! `telnums_core::filter::QueryParam` row (wire name, flag, the spec's description, type,
//! documented values with their descriptions, open or closed, list separator) in
//! `pub static FILTERS`, and one `apply_<operation>` function per list operation that
//! hands validated values to the generated builder's typed setters. The setters and the
//! table come from the same spec, so a renamed or retyped parameter fails to compile
//! instead of being sent wrong.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use heck::{ToKebabCase, ToPascalCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::{load_spec, spec, spec_path, GENERATE_COMMAND};

/// Query parameters the listing engine sets, the page size and then the position:
/// `(provider, wire name)`. They are neither filters nor setters of the typed query
/// ([`crate::query`]). Every entry must exist in its spec.
pub const PAGING: &[(&str, &str)] = &[
    ("vonage-cc", "limit"),
    ("vonage-cc", "page"),
    ("webex-calling", "max"),
    ("webex-calling", "start"),
    ("fone-dynamics", "Results_Count"),
    ("fone-dynamics", "Results_Skip"),
    ("apple-business", "limit"),
    ("apple-business", "after"),
    ("zoom-phone", "page_size"),
    ("zoom-phone", "next_page_token"),
];

/// Other query parameters the clients set themselves, so they are not filters (the typed
/// query has them): `(provider, wire name)`, set from the source's organisation
/// (`--org-id`) and by `Query::phone_number` (`--phone-number`). Every entry must exist
/// in its spec.
pub const MANAGED: &[(&str, &str)] =
    &[("webex-calling", "orgId"), ("webex-calling", "phoneNumber")];

/// What the spec cannot say about a filter: `(provider, wire name, override)`.
pub const OVERRIDES: &[(&str, &str, Override)] = &[
    (
        "fone-dynamics",
        "Capabilites",
        Override {
            // The wire name is misspelt by the provider; users get the word.
            flag: Some("capabilities"),
            separator: None,
            check: None,
        },
    ),
    (
        "apple-business",
        "ql",
        Override {
            flag: None,
            // Clauses are joined by `;`; each one is checked against the fields and
            // operators of the hand-written `Ql` type.
            separator: Some(';'),
            check: Some("crate::ql::check_clause"),
        },
    ),
];

/// A correction to one generated row.
#[derive(Debug)]
pub struct Override {
    /// The flag, when the kebab-case wire name is not right.
    pub flag: Option<&'static str>,
    /// A list separator for a parameter the spec types as one string.
    pub separator: Option<char>,
    /// Path of a `fn(&str) -> Result<(), String>` checking each item.
    pub check: Option<&'static str>,
}

/// Path of the generated filter table for `key`.
pub fn filters_path(root: &Path, key: &str) -> PathBuf {
    crate::crate_file(root, key, "src/filters.rs")
}

/// One filter as read from the spec.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    name: String,
    flag: String,
    setter: String,
    summary: String,
    description: String,
    ty: Ty,
    values: Vec<(String, String)>,
    open: bool,
    separator: Option<char>,
    check: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Ty {
    String,
    Boolean,
    Integer(Option<i64>, Option<i64>),
}

/// Produces the full text of `crates/<key>/src/filters.rs` from `specs/<key>.yaml`.
pub fn generate_filters_source(root: &Path, key: &str) -> Result<String> {
    let path = spec_path(root, key);
    let spec = load_spec(&path)?;
    let ops = list_operations(&spec, key).with_context(|| format!("{}", path.display()))?;
    let table = union(&path, &ops, |row| &row.name)?;
    let mut flags = BTreeMap::new();
    for row in &table {
        if let Some(other) = flags.insert(row.flag.clone(), row.name.clone()) {
            let (path, name, flag) = (path.display(), &row.name, &row.flag);
            bail!("{path}: `{other}` and `{name}` both become the filter `{flag}`");
        }
    }

    let rows = table.iter().map(row_tokens);
    let doc = [
        format!(" The documented query filters of {key}'s list operations, from"),
        format!(" specs/{key}.yaml; paging parameters and the ones the client sets itself"),
        " are left out.".to_owned(),
    ];
    let imports = match table.is_empty() {
        true => quote!(
            use ::telnums_core::filter::FilterTable;
        ),
        false => quote!(
            use ::telnums_core::filter::{FilterTable, ParamType, QueryParam};
        ),
    };
    let applies = ops
        .iter()
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(op, rows)| apply_tokens(key, op, rows));
    let file = quote! {
        #imports

        #(#[doc = #doc])*
        pub static FILTERS: FilterTable = FilterTable {
            provider: #key,
            params: &[#(#rows),*],
        };

        #(#applies)*
    };
    let file: syn::File = syn::parse2(file).context("filter table tokens do not parse")?;
    let mut out = format!(
        "// @generated by `{GENERATE_COMMAND}` from specs/{key}.yaml: the query filters of\n\
         // its list operations. Do not edit by hand: change the spec or xtask/src/filters.rs,\n\
         // then run `{GENERATE_COMMAND}`. `cargo xtask check` (and `cargo test`) fail when\n\
         // this file is stale.\n\n"
    );
    out.push_str(&prettyplease::unparse(&file));
    Ok(out)
}

fn row_tokens(row: &Row) -> TokenStream {
    let (name, flag) = (&row.name, &row.flag);
    let (summary, description) = (&row.summary, &row.description);
    let ty = match row.ty {
        Ty::String => quote!(ParamType::String),
        Ty::Boolean => quote!(ParamType::Boolean),
        Ty::Integer(min, max) => {
            let (min, max) = (option(min), option(max));
            quote!(ParamType::Integer { min: #min, max: #max })
        }
    };
    let values = row.values.iter().map(|(v, d)| quote!((#v, #d)));
    let (open, separator) = (row.open, option(row.separator));
    let path = |p: &String| syn::parse_str::<syn::Path>(p).expect("override paths parse");
    let check = option(row.check.as_ref().map(path));
    quote! {
        QueryParam {
            name: #name,
            flag: #flag,
            summary: #summary,
            description: #description,
            ty: #ty,
            values: &[#(#values),*],
            open: #open,
            separator: #separator,
            check: #check,
        }
    }
}

/// `Some(value)` or `None`, as tokens.
fn option(value: Option<impl quote::ToTokens>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

fn apply_tokens(key: &str, op: &str, rows: &[Row]) -> TokenStream {
    let builder = format_ident!("{}", op.to_pascal_case());
    let function = format_ident!("apply_{}", op.to_snake_case());
    let doc = format!(" Hands `filters` to a `{op}` request through its typed setters.");
    let arms = rows.iter().map(|row| {
        let name = &row.name;
        let setter = format_ident!("{}", row.setter);
        let value = match row.ty {
            Ty::Boolean => quote!(value == "true"),
            Ty::Integer(..) => quote!(value.parse::<i64>().unwrap_or_default()),
            Ty::String => quote!(value),
        };
        quote!(#name => b.#setter(#value),)
    });
    quote! {
        #[doc = #doc]
        pub(crate) fn #function<'a>(
            mut b: crate::builder::#builder<'a>,
            filters: &::telnums_core::filter::Filters,
        ) -> Result<crate::builder::#builder<'a>, ::telnums_core::Error> {
            filters.check_provider(#key)?;
            for (param, value) in filters.iter() {
                b = match param.name {
                    #(#arms)*
                    _ => b,
                };
            }
            Ok(b)
        }
    }
}

/// A list operation's id and its query parameters (name, parameter object).
pub(crate) type ListOperation<'a> = (String, Vec<(String, &'a Value)>);

/// The parameters of every list operation, each once: one table per provider, whose list
/// operations must agree on a parameter they share (Fone's account and property
/// listings). `name` says which parameter an entry is.
pub(crate) fn union<T: Clone + PartialEq>(
    path: &Path,
    ops: &[(String, Vec<T>)],
    name: impl Fn(&T) -> &str,
) -> Result<Vec<T>> {
    let mut table: Vec<T> = Vec::new();
    for param in ops.iter().flat_map(|(_, params)| params) {
        match table.iter().find(|p| name(p) == name(param)) {
            Some(existing) if existing != param => bail!(
                "{}: query parameter `{}` differs between list operations",
                path.display(),
                name(param)
            ),
            Some(_) => {}
            None => table.push(param.clone()),
        }
    }
    Ok(table)
}

/// Whether `(key, name)` is in `list`.
pub(crate) fn listed(list: &[(&str, &str)], key: &str, name: &str) -> bool {
    list.iter().any(|(k, n)| *k == key && *n == name)
}

/// The description of a parameter (empty when it has none).
pub(crate) fn description(param: &Value) -> &str {
    param
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The query parameters of every list operation (a `get` whose `operationId` starts
/// with `list`), in path order: `(operationId, [(name, parameter)])`. The one list the
/// filter table and the typed query are both made from.
pub(crate) fn list_query_parameters(doc: &Value) -> Result<Vec<ListOperation<'_>>> {
    if !doc.get("paths").is_some_and(Value::is_object) {
        bail!("no paths");
    }
    let mut out = Vec::new();
    for op in spec::operations(doc) {
        let Some(id) = op
            .id()
            .filter(|id| op.method == "get" && id.starts_with("list"))
        else {
            continue;
        };
        let mut params = Vec::new();
        for param in op.parameters(doc) {
            let param = defined(param.value)?;
            if param.get("in").and_then(Value::as_str) != Some("query") {
                continue;
            }
            let name = param.get("name").and_then(Value::as_str);
            let name = name.with_context(|| format!("{id}: parameter without a name"))?;
            params.push((name.to_owned(), param));
        }
        out.push((id.to_owned(), params));
    }
    Ok(out)
}

/// `(operationId, its filter rows)` for every list operation, in path order.
fn list_operations(doc: &Value, key: &str) -> Result<Vec<(String, Vec<Row>)>> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (id, params) in list_query_parameters(doc)? {
        let mut rows = Vec::new();
        for (name, param) in params {
            if listed(PAGING, key, &name) || listed(MANAGED, key, &name) {
                seen.push(name);
                continue;
            }
            rows.push(row(doc, key, &name, param).with_context(|| format!("{id}: {name}"))?);
        }
        out.push((id, rows));
    }
    for (list, entries) in [("PAGING", PAGING), ("MANAGED", MANAGED)] {
        for (k, name) in entries {
            if *k == key && !seen.iter().any(|n| n == name) {
                bail!("xtask::filters::{list} names `{name}`, which no list operation has");
            }
        }
    }
    let filters: Vec<&str> = out
        .iter()
        .flat_map(|(_, rows)| rows)
        .map(|r| &*r.name)
        .collect();
    for (k, name, _) in OVERRIDES {
        if *k == key && !filters.contains(name) {
            bail!("xtask::filters::OVERRIDES names `{name}`, which is not a filter");
        }
    }
    Ok(out)
}

fn row(doc: &Value, key: &str, name: &str, param: &Value) -> Result<Row> {
    let schema = resolve(doc, param.get("schema").context("no schema")?)?;
    let text = description(param);
    let (item, separator) = match schema.get("type").and_then(Value::as_str) {
        Some("array") => {
            let comma_joined = param.get("explode") == Some(&Value::Bool(false))
                && param.get("style").and_then(Value::as_str).unwrap_or("form") == "form";
            if !comma_joined {
                bail!("only comma-joined arrays (`style: form, explode: false`) are supported");
            }
            let items = schema.get("items").context("array without items")?;
            (resolve(doc, items)?, Some(','))
        }
        _ => (schema, None),
    };
    let bound = |key| item.get(key).and_then(Value::as_i64);
    let ty = match item.get("type").and_then(Value::as_str) {
        Some("string") => Ty::String,
        Some("boolean") => Ty::Boolean,
        Some("integer") => Ty::Integer(bound("minimum"), bound("maximum")),
        other => bail!("unsupported parameter type {other:?}"),
    };
    let enum_values: Vec<String> = spec::items(item.get("enum"))
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    // Each value's description: a `* `VALUE` - text` bullet of the parameter's or the
    // item schema's description.
    let mut bullets = parse_bullets(text);
    if let Some(d) = item.get("description").and_then(Value::as_str) {
        bullets.extend(parse_bullets(d));
    }
    let documented = |v: &String| bullets.iter().find(|(k, _)| k == v).map(|(_, d)| d.clone());
    let values = enum_values
        .iter()
        .map(|v| (v.clone(), documented(v).unwrap_or_default()));
    let (summary, description) = prose(text, &enum_values);
    let open = param.get("x-open-enum") == Some(&Value::Bool(true));
    let over = OVERRIDES
        .iter()
        .find(|(k, n, _)| *k == key && *n == name)
        .map(|(_, _, o)| o);
    let flag = over.and_then(|o| o.flag);
    Ok(Row {
        name: name.to_owned(),
        flag: flag.map_or_else(|| name.to_kebab_case(), str::to_owned),
        setter: setter_name(name),
        summary,
        description,
        ty,
        values: values.collect(),
        open,
        separator: over.and_then(|o| o.separator).or(separator),
        check: over.and_then(|o| o.check).map(str::to_owned),
    })
}

/// The name progenitor gives the builder setter of parameter `name` (its `sanitize` with
/// snake case: a keyword gets a trailing `_`).
pub(crate) fn setter_name(name: &str) -> String {
    let snake = name
        .replace('\'', "")
        .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-")
        .to_snake_case();
    if syn::parse_str::<syn::Ident>(&snake).is_ok() {
        snake
    } else {
        format!("{snake}_")
    }
}

/// Follows a local `$ref` (to a parameter or a schema); fails on one that does not
/// resolve.
pub(crate) fn resolve<'a>(doc: &'a Value, value: &'a Value) -> Result<&'a Value> {
    let value = defined(spec::resolve(doc, value, "").0)?;
    // An open enum's documented values are those of its known half.
    match spec::open_enum(doc, value) {
        Some(known) => defined(spec::resolve(doc, known, "").0),
        None => Ok(value),
    }
}

/// `value`, unless it is a `$ref` the resolver could not follow.
fn defined(value: &Value) -> Result<&Value> {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => bail!("$ref {r} does not resolve"),
        None => Ok(value),
    }
}

/// The `* `VALUE` - text` items of a description, with continuation lines joined.
fn parse_bullets(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("* `") {
            open = false;
            if let Some((value, doc)) = bullet(line) {
                let doc = doc.trim_start().trim_start_matches('-').trim();
                out.push((value.to_owned(), doc.to_owned()));
                open = true;
            }
        } else if open && line.starts_with("  ") && !trimmed.is_empty() {
            if let Some((_, doc)) = out.last_mut() {
                doc.push(' ');
                doc.push_str(trimmed);
            }
        } else {
            open = false;
        }
    }
    out
}

/// The value and the text of a `* `VALUE` text` bullet line.
fn bullet(line: &str) -> Option<(&str, &str)> {
    line.trim_start().strip_prefix("* `")?.split_once('`')
}

/// `(summary, description)`: the first paragraph on one line, and the whole text
/// without the bullets that document `values` (front ends list those themselves).
pub(crate) fn prose(text: &str, values: &[String]) -> (String, String) {
    let mut kept = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if bullet(line).is_some_and(|(v, _)| values.iter().any(|x| x == v)) {
            skipping = true;
            continue;
        }
        if skipping && line.starts_with("  ") && !trimmed.is_empty() {
            continue;
        }
        skipping = false;
        kept.push(line.trim_end());
    }
    while kept.last().is_some_and(|l| l.is_empty()) {
        kept.pop();
    }
    let description = kept.join("\n");
    // The first paragraph, up to a blank line or a list.
    let summary = description
        .lines()
        .take_while(|l| !l.trim().is_empty() && !l.trim_start().starts_with("* "))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    (summary, description)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_operations_share_a_parameter_only_when_they_agree() {
        let op = |id: &str, params: &[(&str, i32)]| {
            let params = params.iter().map(|(n, v)| (n.to_string(), *v)).collect();
            (id.to_owned(), params)
        };
        let name = |p: &(String, i32)| p.0.clone();
        let path = Path::new("specs/x.yaml");
        let agree = [op("listA", &[("q", 1), ("a", 2)]), op("listB", &[("q", 1)])];
        let table = union(path, &agree, |p| p.0.as_str()).expect("they agree");
        assert_eq!(table.iter().map(name).collect::<Vec<_>>(), ["q", "a"]);
        let differ = [op("listA", &[("q", 1)]), op("listB", &[("q", 3)])];
        let err = union(path, &differ, |p| p.0.as_str()).expect_err("they differ");
        assert_eq!(
            err.to_string(),
            "specs/x.yaml: query parameter `q` differs between list operations"
        );
    }

    #[test]
    fn list_operations_are_the_gets_whose_id_starts_with_list() {
        let param = serde_json::json!({"name": "q", "in": "query", "schema": {"type": "string"}});
        let doc = serde_json::json!({"paths": {
            "/a": {"get": {"operationId": "listA", "parameters": [param,
                {"name": "id", "in": "header", "schema": {"type": "string"}}]}},
            "/b": {"post": {"operationId": "listB", "parameters": [param]}},
            "/c": {"get": {"operationId": "getC", "parameters": [param]}},
        }});
        let ops = list_query_parameters(&doc).expect("lists");
        let ids: Vec<(&str, Vec<&str>)> = ops
            .iter()
            .map(|(id, params)| (id.as_str(), params.iter().map(|p| p.0.as_str()).collect()))
            .collect();
        assert_eq!(ids, [("listA", vec!["q"])]);
    }

    #[test]
    fn a_paging_parameter_no_list_operation_has_is_refused() {
        let param = |name: &str| serde_json::json!({"name": name, "in": "query", "schema": {"type": "string"}});
        let doc = |names: &[&str]| {
            let params: Vec<Value> = names.iter().map(|n| param(n)).collect();
            serde_json::json!({"paths": {"/n": {"get": {"operationId": "listN", "parameters": params}}}})
        };
        let both = list_operations(&doc(&["page_size", "next_page_token", "q"]), "zoom-phone");
        let rows = both.expect("both paging parameters are there");
        let filters: Vec<&str> = rows[0].1.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(filters, ["q"], "paging parameters are not filters");
        let err = list_operations(&doc(&["page_size", "q"]), "zoom-phone").expect_err("one gone");
        assert_eq!(
            err.to_string(),
            "xtask::filters::PAGING names `next_page_token`, which no list operation has"
        );
    }

    #[test]
    fn only_comma_joined_arrays_of_known_types_are_filters() {
        let doc = serde_json::json!({});
        let array = |extra: Value| {
            let mut param = serde_json::json!({"name": "ids", "in": "query",
                "schema": {"type": "array", "items": {"type": "integer", "minimum": 1}}});
            param
                .as_object_mut()
                .expect("object")
                .extend(extra.as_object().expect("object").clone());
            param
        };
        let joined = row(
            &doc,
            "x",
            "ids",
            &array(serde_json::json!({"explode": false})),
        );
        let joined = joined.expect("form style by default");
        assert_eq!(
            (joined.separator, &joined.ty),
            (Some(','), &Ty::Integer(Some(1), None))
        );
        let form = serde_json::json!({"explode": false, "style": "form"});
        assert!(row(&doc, "x", "ids", &array(form)).is_ok());
        for refused in [
            serde_json::json!({}),
            serde_json::json!({"explode": true}),
            serde_json::json!({"explode": false, "style": "spaceDelimited"}),
        ] {
            let err = row(&doc, "x", "ids", &array(refused.clone())).expect_err("not joined");
            assert!(
                err.to_string().starts_with("only comma-joined arrays"),
                "{refused}: {err}"
            );
        }
        let typed = |schema: Value| {
            let param = serde_json::json!({"name": "p", "in": "query", "schema": schema});
            row(&doc, "x", "p", &param).map(|r| r.ty)
        };
        assert_eq!(
            typed(serde_json::json!({"type": "boolean"})).ok(),
            Some(Ty::Boolean)
        );
        let bounded = serde_json::json!({"type": "integer", "minimum": 2, "maximum": 9});
        assert_eq!(typed(bounded).ok(), Some(Ty::Integer(Some(2), Some(9))));
        let err = typed(serde_json::json!({"type": "number"})).expect_err("no numbers");
        assert_eq!(
            err.to_string(),
            "unsupported parameter type Some(\"number\")"
        );
    }

    #[test]
    fn setter_names_follow_progenitor() {
        assert_eq!(setter_name("type"), "type_");
        assert_eq!(setter_name("Type"), "type_");
        assert_eq!(setter_name("Capabilites"), "capabilites");
        assert_eq!(setter_name("tollFreeNumbers"), "toll_free_numbers");
        assert_eq!(setter_name("extension_type"), "extension_type");
        assert_eq!(setter_name("ql"), "ql");
    }

    #[test]
    fn bullets_and_prose() {
        let text = "Restricts the numbers:\n* `assigned` - only numbers assigned to a user,\n  or a queue.\n* `all` - all.\n\nMore text.\n";
        assert_eq!(
            parse_bullets(text),
            [
                (
                    "assigned".to_owned(),
                    "only numbers assigned to a user, or a queue.".to_owned()
                ),
                ("all".to_owned(), "all.".to_owned())
            ]
        );
        let values = ["assigned".to_owned(), "all".to_owned()];
        let (summary, description) = prose(text, &values);
        assert_eq!(summary, "Restricts the numbers:");
        assert_eq!(description, "Restricts the numbers:\n\nMore text.");
        // Bullets that are not values (Apple's ql grammar) stay.
        let (_, kept) = prose(text, &[]);
        assert!(kept.contains("* `all` - all."));
        // Only the bullets of the values given go, each with its continuation lines.
        let (_, some) = prose(text, &["assigned".to_owned()]);
        assert_eq!(some, "Restricts the numbers:\n* `all` - all.\n\nMore text.");
    }
}
