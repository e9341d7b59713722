//! The spec half of `cargo xtask diff`: two OpenAPI 3.0 documents in, a classified list
//! of [`Change`]s out. The rules are the table in the [parent module](super).
//!
//! Both documents are read as written (not preprocessed), so every pointer names a place
//! in the real file. What the preprocessing does to the Rust output (open response enums,
//! comma-joined arrays as strings, no length limits on parameters) is taken into account
//! by the rules themselves. Everything is compared with the two-document walker
//! ([`super::walk`]): the entries of a section matched into removed, added and kept ones,
//! and the keys of an object that changed, each with the rule that says what it means.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::walk::{changed_keys, members, pairs, At, Loc, Members, Pair};
use super::{Change, Level, Side};
use crate::spec::{self, entries, flag, items, Operation, Reach, Used};

use Level::{Addition, Breaking, Patch};
use Pair::{Added, Both, Removed};

/// Compares `old` with `new` and returns every change found, most severe first, then in
/// document order of their pointers. Both must be OpenAPI 3.0 documents as JSON.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut reach = spec::reach(old);
    for (name, r) in spec::reach(new) {
        let entry = reach.entry(name).or_default();
        *entry = entry.union(r);
    }
    let changes = Vec::new();
    let mut d = Differ {
        old,
        new,
        reach,
        changes,
    };
    for (key, x, y) in changed_keys(old, new) {
        let at = At::same(&spec::child("", key));
        match key {
            "info" => d.info(&old[key], &new[key], &at),
            "servers" => d.servers((x, y), &at, "API"),
            "security" => d.security((x, y), &at, "API"),
            _ => {}
        }
    }
    d.security_schemes();
    d.operations();
    d.component_schemas();
    let mut seen = BTreeSet::new();
    let mut changes = d.changes;
    // A shared component (a `$ref`'d parameter or response) is met once per operation
    // that uses it: report each change of it once.
    changes.retain(|c| seen.insert((c.side, c.pointer.clone(), c.kind)));
    changes.sort_by(|a, b| b.level.cmp(&a.level).then(a.pointer.cmp(&b.pointer)));
    changes
}

impl Reach {
    fn label(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => "request and response",
            (true, false) => "request",
            (false, true) => "response",
            (false, false) => "unused",
        }
    }

    /// The level of a change that narrows what is accepted: breaking when requests carry
    /// the value (calls that passed may now be refused), a patch otherwise.
    fn narrowed(self) -> Level {
        if self.request {
            Breaking
        } else {
            Patch
        }
    }
}

/// Schema keywords that carry documentation only.
const DOC_KEYS: &[&str] = &["description", "title", "externalDocs"];
/// Keywords whose changes never reach the generated crate.
const INFO_KEYS: &[&str] = &["example", "examples", "xml"];
/// Schema keywords whose changes are judged with others (`type` first, `properties` with
/// `required`, a property's `nullable` with its optionality), not on their own.
const SCHEMA_KEYS: &str = "type properties required nullable";
/// The schema keywords that limit the values accepted (see [`constraint`]).
const CONSTRAINTS: &str = "minimum minLength minItems minProperties maximum maxLength maxItems \
    maxProperties exclusiveMinimum exclusiveMaximum uniqueItems pattern multipleOf";
/// Raising one of these bounds narrows what is accepted.
const LOWER: &[&str] = &["minimum", "minLength", "minItems", "minProperties"];
/// Lowering one of these bounds narrows what is accepted.
const UPPER: &[&str] = &["maximum", "maxLength", "maxItems", "maxProperties"];
/// What [`rust_scalar`] cannot tell.
const BY_BOUNDS: &str = "decided by bounds";

/// A value for a message, cut at 60 characters.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 60 {
        format!("{}…", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

/// `old → new` for a message, each cut by [`short`] or `missing` when absent.
fn arrow(x: Option<&Value>, y: Option<&Value>, missing: &str) -> String {
    let show = |v: Option<&Value>| v.map(short).unwrap_or_else(|| missing.to_owned());
    format!("{} → {}", show(x), show(y))
}

/// The `$ref` of a schema, whatever it points at.
fn reference(schema: &Value) -> Option<&str> {
    schema.get("$ref").and_then(Value::as_str)
}

/// Whether `key` is one of the space-separated `keys`.
fn among(keys: &str, key: &str) -> bool {
    keys.split_whitespace().any(|k| k == key)
}

/// The operation key that survives renaming a path parameter: the path template with
/// the parameter names blanked out, and the method.
fn operation_key(op: &Operation<'_>) -> (String, &'static str) {
    let mut depth = 0;
    let blanked = op.path.chars().filter(|c| {
        depth += i32::from(*c == '{') - i32::from(*c == '}');
        matches!(c, '{' | '}') || depth <= 0
    });
    (blanked.collect(), op.method)
}

/// `listPhoneNumbers` → `list_phone_numbers`, as progenitor names client methods.
fn snake(id: &str) -> String {
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        let c = if c.is_ascii_alphanumeric() { c } else { '_' };
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Where a schema sits, for the rules that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A property of an object: optionality is judged by the property loop.
    Property,
    /// The `schema` of a parameter: the preprocessing drops its length limits.
    Parameter,
    /// Anywhere else (a body, `items`, a component, a header).
    Other,
}

/// The Rust scalar type typify gives a `type` + `format`, when the format alone decides
/// it (`None` for integers without a known format: their bounds decide).
fn rust_scalar(schema: &Value) -> Option<&'static str> {
    let format = schema.get("format").and_then(Value::as_str);
    match schema.get("type").and_then(Value::as_str)? {
        "string" => Some(match format {
            Some("uuid") => "uuid::Uuid",
            Some("date") => "chrono::NaiveDate",
            Some("date-time") => "chrono::DateTime<Utc>",
            Some("ip") => "std::net::IpAddr",
            Some("ipv4") => "std::net::Ipv4Addr",
            Some("ipv6") => "std::net::Ipv6Addr",
            _ => "String",
        }),
        "integer" => {
            let minimum_one = schema.get("minimum").and_then(Value::as_f64) == Some(1.0)
                && !flag(schema, "exclusiveMinimum");
            let (plain, nonzero) = match format? {
                "int8" => ("i8", "NonZeroU8"),
                "uint8" => ("u8", "NonZeroU8"),
                "int16" => ("i16", "NonZeroU16"),
                "uint16" => ("u16", "NonZeroU16"),
                "int" | "int32" => ("i32", "NonZeroU32"),
                "uint" | "uint32" => ("u32", "NonZeroU32"),
                "int64" => ("i64", "NonZeroU64"),
                "uint64" => ("u64", "NonZeroU64"),
                _ => return None,
            };
            Some(if minimum_one { nonzero } else { plain })
        }
        "number" if format == Some("float") => Some("f32"),
        "number" => Some("f64"),
        "boolean" => Some("bool"),
        _ => None,
    }
}

/// The Rust types of two schemas, `old → new`, as far as [`rust_scalar`] tells.
fn rust_types(a: &Value, b: &Value) -> String {
    let rust = |s| rust_scalar(s).unwrap_or(BY_BOUNDS);
    format!("{} → {}", rust(a), rust(b))
}

/// Whether typify wraps a string in a checking newtype (length limits or a pattern; the
/// preprocessing removes length limits from parameters).
fn constrained_string(schema: &Value, place: Place) -> bool {
    let limited = schema.get("maxLength").is_some() || schema.get("minLength").is_some();
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("enum").is_none()
        && rust_scalar(schema) == Some("String")
        && (schema.get("pattern").is_some() || (place != Place::Parameter && limited))
}

/// Whether a property comes out as `Option<T>` in Rust: nullable, or not required and
/// without a default, unless it is an array (typify uses an empty `Vec` for a missing one).
fn rust_optional(doc: &Value, schema: &Value, required: bool) -> bool {
    let target = spec::resolve(doc, schema, "").0;
    let nullable = flag(schema, "nullable") || flag(target, "nullable");
    let container = target.get("type").and_then(Value::as_str) == Some("array");
    let default = schema.get("default").is_some() || target.get("default").is_some();
    nullable || (!required && !container && !default)
}

/// The scopes a token needs for one security requirement, per scheme.
type Scopes = BTreeMap<String, BTreeSet<String>>;

/// The alternatives of a security requirement list, with their index in it, grouped by
/// the schemes they name.
type Alternatives = BTreeMap<BTreeSet<String>, Vec<(usize, Scopes)>>;

/// The [`Alternatives`] of a security requirement list.
fn alternatives(v: Option<&Value>) -> Alternatives {
    let mut groups: BTreeMap<_, Vec<_>> = BTreeMap::new();
    let names = |list| {
        items(Some(list))
            .filter_map(Value::as_str)
            .map(str::to_owned)
    };
    for (i, req) in items(v).enumerate().filter(|(_, req)| req.is_object()) {
        let scopes: Scopes = entries(Some(req))
            .map(|(s, l)| (s.clone(), names(l).collect()))
            .collect();
        let schemes = scopes.keys().cloned().collect();
        groups.entry(schemes).or_default().push((i, scopes));
    }
    groups
}

/// What a change is: how much it matters, the name of its rule, and its message.
type Rule = (Level, &'static str, String);

/// An entry both documents have: its place, and its value in the old and the new.
type Kept<'a> = (At, &'a Value, &'a Value);

/// The kinds of two rules: of a removed and an added entry, or of a required and an
/// optional one.
type Kinds = [&'static str; 2];

/// A key's value in the old and in the new document, where it has one.
type Values<'a> = (Option<&'a Value>, Option<&'a Value>);

/// Two schemas being compared: their place, what reaches them, how messages name them,
/// and where they sit.
struct Cx(At, Reach, String, Place);

impl Cx {
    /// A schema nested in this one (`items`, a map's values, a composition member), at
    /// `at`, named with `suffix` after this one's name.
    fn nested(&self, at: At, suffix: &str) -> Cx {
        Cx(at, self.1, format!("{}{suffix}", self.2), Place::Other)
    }
}

struct Differ<'a> {
    old: &'a Value,
    new: &'a Value,
    /// Of every component schema, what reaches it in either document.
    reach: BTreeMap<String, Reach>,
    changes: Vec<Change>,
}

impl<'a> Differ<'a> {
    fn push(&mut self, level: Level, kind: &'static str, (side, pointer): Loc, message: String) {
        let change = Change {
            level,
            kind,
            side,
            pointer,
            message,
        };
        self.changes.push(change);
    }

    /// Reports a removed entry by `removed` and an added one by `added`, pointed at where
    /// they are used; returns a kept one, placed where it is defined.
    fn entry(&mut self, pair: Pair<Used<'a>>, removed: Rule, added: Rule) -> Option<Kept<'a>> {
        let ((level, kind, message), loc) = match pair {
            Removed(o) => (removed, (Side::Old, o.site)),
            Added(n) => (added, (Side::New, n.site)),
            Both(o, n) => return Some((At::new(o.pointer, n.pointer), o.value, n.value)),
        };
        self.push(level, kind, loc, message);
        None
    }

    /// [`Differ::entry`] for an entry whose removal breaks and whose addition adds, with
    /// the messages `{noun} removed` and `{noun} added`.
    fn plain_entry(&mut self, pair: Pair<Used<'a>>, noun: &str, kinds: Kinds) -> Option<Kept<'a>> {
        let removed = (Breaking, kinds[0], format!("{noun} removed"));
        self.entry(pair, removed, (Addition, kinds[1], format!("{noun} added")))
    }

    /// A documentation-only value.
    fn docs(&mut self, a: Option<&'a Value>, b: Option<&'a Value>, at: &At, what: &str) {
        if a != b {
            let message = format!("{what} changed (documentation in the generated code)");
            self.push(Patch, "description-changed", at.kept(b.is_some()), message);
        }
    }

    /// The `required` flag of a parameter, request body or header: `made` when it is set
    /// now, `dropped` when it was set before.
    fn required_flag(&mut self, a: &'a Value, b: &'a Value, at: &At, made: Rule, dropped: Rule) {
        let (level, kind, message) = match (flag(a, "required"), flag(b, "required")) {
            (false, true) => made,
            (true, false) => dropped,
            _ => return,
        };
        self.push(level, kind, at.new_at("required"), message);
    }

    /// A changed `key` (of the object at `at`) that no rule of its own covers: `x-`
    /// extensions and examples as information, documentation as a patch, anything else
    /// as an unclassified patch to review by hand.
    fn other(&mut self, key: &str, (x, y): Values<'a>, at: &At, what: &str) {
        let (at, loc) = (at.child(key), at.child(key).kept(y.is_some()));
        if key.starts_with("x-") || INFO_KEYS.contains(&key) {
            let message = format!("{what}: `{key}` changed (not part of the generated crate)");
            self.push(Level::None, "example-changed", loc, message);
        } else if DOC_KEYS.contains(&key) {
            self.docs(x, y, &at, &format!("{what}: `{key}`"));
        } else {
            let message = format!("{what}: `{key}` changed; no rule covers it, review by hand");
            self.push(Patch, "unclassified", loc, message);
        }
    }

    /// [`Differ::other`] for every changed key of `a`/`b` outside `handled`
    /// (space-separated).
    fn rest(&mut self, a: &'a Value, b: &'a Value, at: &At, handled: &str, what: &str) {
        for (key, x, y) in changed_keys(a, b) {
            if !among(handled, key) {
                self.other(key, (x, y), at, what);
            }
        }
    }

    fn info(&mut self, a: &'a Value, b: &'a Value, at: &At) {
        for (key, x, y) in changed_keys(a, b) {
            if key == "version" {
                let how = "the generated `api_version()` and its header";
                let message = format!("API version {} ({how})", arrow(x, y, ""));
                self.push(Patch, "api-version-changed", at.new_at(key), message);
            } else if key == "title" || key == "description" {
                self.docs(x, y, &at.child(key), &format!("info.{key}"));
            } else {
                self.other(key, (x, y), at, "info");
            }
        }
    }

    /// `servers` of the document, a path or an operation, matched by URL.
    fn servers(&mut self, (a, b): Values<'a>, at: &At, what: &str) {
        let list = |v: Option<&'a Value>, base: &str| -> Vec<(String, Used<'a>)> {
            let url = |s: &Value| s.get("url")?.as_str().map(str::to_owned);
            let used = |(i, s)| Some((url(s)?, Used::at(s, format!("{base}/{i}"))));
            items(v).enumerate().filter_map(used).collect()
        };
        for (url, pair) in pairs(list(a, &at.old), list(b, &at.new)) {
            let gone = format!(
                "{what}: server `{url}` removed: clients configured with it (or a hand-written \
                 default base URL) stop reaching the API"
            );
            let removed = (Breaking, "server-removed", gone);
            let message = format!("{what}: server `{url}` added");
            let added = (Addition, "server-added", message);
            let Some((at, o, n)) = self.entry(pair, removed, added) else {
                continue;
            };
            let what = format!("server `{url}`");
            for (name, pair) in members(o, n, &at, "variables") {
                // A variable only one side has is part of the URL template, so the URL
                // itself changed.
                if let Both(a, b) = pair {
                    self.server_variable(&what, &name, a, b);
                }
            }
            let (x, y) = (o.get("description"), n.get("description"));
            let what = format!("{what} description");
            self.docs(x, y, &at.child("description"), &what);
        }
    }

    fn server_variable(&mut self, what: &str, name: &str, a: Used<'a>, b: Used<'a>) {
        let at = At::new(a.pointer, b.pointer);
        let values = |v: &Value| items(v.get("enum")).map(short).collect::<BTreeSet<_>>();
        let (av, bv) = (values(a.value), values(b.value));
        for gone in av.difference(&bv) {
            let message = format!("{what}: `{name}` no longer allows {gone}");
            let loc = at.old_at("enum");
            self.push(Breaking, "server-variable-value-removed", loc, message);
        }
        for added in bv.difference(&av) {
            let message = format!("{what}: `{name}` now allows {added}");
            let loc = at.new_at("enum");
            self.push(Addition, "server-variable-value-added", loc, message);
        }
        let (x, y) = (a.value.get("default"), b.value.get("default"));
        if x != y {
            let how = "check the hand-written default base URL";
            let message = format!("{what}: default of `{name}` {} ({how})", arrow(x, y, ""));
            let loc = at.new_at("default");
            self.push(Patch, "server-variable-default-changed", loc, message);
        }
    }

    /// A security requirement list: alternatives, each naming schemes with the scopes a
    /// token needs. Alternatives over the same schemes are grouped (Zoom lists one scope
    /// set per entry), and every scope set that was enough before must still be enough.
    fn security(&mut self, (old, new): Values<'a>, at: &At, what: &str) {
        let (a, b) = (alternatives(old), alternatives(new));
        let open = |alts: &Alternatives| alts.is_empty() || alts.contains_key(&BTreeSet::new());
        if open(&a) && !open(&b) {
            let message = format!("{what}: authentication is now required");
            return self.push(Breaking, "security-required", at.in_new(), message);
        }
        // A token holding `had` satisfies `need` when every needed scope is held.
        let enough = |had: &Scopes, need: &Scopes| {
            need.iter()
                .all(|(s, n)| had.get(s).is_some_and(|h| n.is_subset(h)))
        };
        for (schemes, pair) in pairs(a, b) {
            let quoted: Vec<String> = schemes.iter().map(|s| format!("`{s}`")).collect();
            let names = match quoted.is_empty() {
                true => "no authentication".to_owned(),
                false => quoted.join(" + "),
            };
            let alternative = format!("{what}: authenticating with {names}");
            let (olds, news) = match pair {
                Both(olds, news) => (olds, news),
                Removed(olds) => {
                    let message = format!("{alternative} is no longer accepted");
                    let loc = at.old_at(&olds[0].0.to_string());
                    self.push(Breaking, "security-alternative-removed", loc, message);
                    continue;
                }
                Added(news) => {
                    let message = format!("{alternative} is now accepted");
                    let loc = at.new_at(&news[0].0.to_string());
                    self.push(Addition, "security-alternative-added", loc, message);
                    continue;
                }
            };
            let (first, need) = &news[0];
            let lost = olds
                .iter()
                .filter(|(_, had)| !news.iter().any(|(_, n)| enough(had, n)));
            let lost: Vec<&Scopes> = lost.map(|(_, had)| had).collect();
            for had in &lost {
                let held = |s: &String, x: &String| had.get(s).is_some_and(|h| h.contains(x));
                let missing = need
                    .iter()
                    .flat_map(|(s, n)| n.iter().filter(move |x| !held(s, x)));
                let extra: Vec<String> = missing.map(|x| format!("`{x}`")).collect();
                let message = format!(
                    "{what}: a {names} token with the scopes accepted before is no longer \
                     enough (now needs {})",
                    extra.join(", ")
                );
                let loc = at.new_at(&first.to_string());
                self.push(Breaking, "security-scopes-narrowed", loc, message);
            }
            // Every token that worked still does; a new scope set is one more way in.
            let widened = news
                .iter()
                .filter(|n| lost.is_empty() && !olds.iter().any(|o| o.1 == n.1));
            for (i, _) in widened {
                let message = format!("{what}: {names} accepts a new scope set");
                let loc = at.new_at(&i.to_string());
                self.push(Patch, "security-scopes-widened", loc, message);
            }
        }
    }

    /// The members of the `components` section `key` of both documents. Parameters,
    /// responses and headers are compared where operations use them.
    fn components(&self, key: &str) -> Members<'a> {
        let (a, b) = (&self.old["components"], &self.new["components"]);
        members(a, b, &At::same("/components"), key)
    }

    fn security_schemes(&mut self) {
        for (name, pair) in self.components("securitySchemes") {
            let what = format!("security scheme `{name}`");
            let kinds = ["security-scheme-removed", "security-scheme-added"];
            if let Some((at, a, b)) = self.plain_entry(pair, &what, kinds) {
                self.security_scheme(&what, &at, a, b);
            }
        }
    }

    fn security_scheme(&mut self, what: &str, at: &At, a: &'a Value, b: &'a Value) {
        for (key, x, y) in changed_keys(a, b) {
            let level = match key {
                "type" | "scheme" | "in" | "name" | "openIdConnectUrl" => Breaking,
                "bearerFormat" => Patch,
                "description" => {
                    self.docs(x, y, &at.child(key), &format!("{what} description"));
                    continue;
                }
                _ => continue,
            };
            let how = if level == Breaking {
                "credentials travel differently"
            } else {
                "a hint for readers; credentials travel as before"
            };
            let message = format!("{what}: `{key}` {} ({how})", arrow(x, y, "unset"));
            self.push(level, "security-scheme-changed", at.new_at(key), message);
        }
        for (flow, pair) in members(a, b, at, "flows") {
            let noun = format!("{what}: OAuth flow `{flow}`");
            let kinds = ["oauth-flow-removed", "oauth-flow-added"];
            let Some((at, x, y)) = self.plain_entry(pair, &noun, kinds) else {
                continue;
            };
            for (key, u, v) in changed_keys(x, y) {
                if among("tokenUrl authorizationUrl refreshUrl", key) {
                    let how = "callers pass this URL to the client";
                    let message =
                        format!("{what}: `{flow}.{key}` {} ({how})", arrow(u, v, "unset"));
                    self.push(Breaking, "oauth-url-changed", at.new_at(key), message);
                }
            }
            for (scope, pair) in members(x, y, &at, "scopes") {
                let noun = format!("{what}: scope `{scope}`");
                self.plain_entry(pair, &noun, ["oauth-scope-removed", "oauth-scope-added"]);
            }
        }
    }

    fn component_schemas(&mut self) {
        for (name, pair) in self.components("schemas") {
            let reach = self.reach.get(&name).copied().unwrap_or_default();
            let gone = format!("schema `{name}` removed (its Rust type `types::{name}` goes away)");
            let removed = (Breaking, "schema-removed", gone);
            let added = (Addition, "schema-added", format!("schema `{name}` added"));
            if let Some((at, x, y)) = self.entry(pair, removed, added) {
                let what = format!("{name} ({})", reach.label());
                self.schema(x, y, &Cx(at, reach, what, Place::Other));
            }
        }
    }

    fn operations(&mut self) {
        let keyed = |doc| {
            spec::operations(doc)
                .into_iter()
                .map(|op| (operation_key(&op), op))
        };
        for (_, pair) in pairs(keyed(self.old), keyed(self.new)) {
            let (label, method) = match &pair {
                Both(o, n) => {
                    self.operation(o, n);
                    continue;
                }
                Removed(op) | Added(op) => (op.label(), snake(op.id().unwrap_or("?"))),
            };
            let how = format!("the client method `{method}` goes away");
            let message = format!("{label}: operation removed ({how})");
            let removed = (Breaking, "operation-removed", message);
            let message = format!("{label}: operation added (client method `{method}`)");
            let added = (Addition, "operation-added", message);
            self.entry(
                pair.map(|op| Used::at(op.value, op.pointer)),
                removed,
                added,
            );
        }
    }

    fn operation(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        let (label, at) = (n.label(), At::new(o.pointer.clone(), n.pointer.clone()));
        for (key, x, y) in changed_keys(o.value, n.value) {
            let loc = at.new_at(key);
            match key {
                "operationId" => {
                    let how = "the Rust method and builder are renamed";
                    let message = format!("{label}: operationId {} ({how})", arrow(x, y, ""));
                    self.push(Breaking, "operation-id-changed", loc, message);
                }
                "deprecated" => {
                    let message = format!("{label}: deprecated flag changed");
                    self.push(Patch, "deprecated-changed", loc, message);
                }
                "tags" => {
                    let message = format!("{label}: tags changed (the generator merges tags)");
                    self.push(Level::None, "tags-changed", loc, message);
                }
                "parameters" | "requestBody" | "responses" | "security" | "servers" => {}
                _ => self.other(key, (x, y), &at, &label),
            }
        }
        self.parameters(o, n, &label);
        self.request_body(o, n, &label);
        self.responses(o, n, &label);
        // Operation-level security and servers override the document's.
        let (os, ns) = (o.value.get("security"), n.value.get("security"));
        if os.is_some() || ns.is_some() {
            let (os, ns) = (
                os.or(self.old.get("security")),
                ns.or(self.new.get("security")),
            );
            self.security((os, ns), &at.child("security"), &label);
        }
        let item_at = At::new(o.item_pointer.clone(), n.item_pointer.clone());
        for (a, b, at) in [(o.item, n.item, &item_at), (o.value, n.value, &at)] {
            let servers = (a.get("servers"), b.get("servers"));
            self.servers(servers, &at.child("servers"), &label);
        }
    }

    fn parameters(&mut self, o: &Operation<'a>, n: &Operation<'a>, label: &str) {
        let keyed = |doc, op: &Operation<'a>| {
            let text = |p: &Value, k| p.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            let list = op.parameters(doc).into_iter();
            list.map(move |p| ((text(p.value, "in"), text(p.value, "name")), p))
        };
        for ((location, name), pair) in pairs(keyed(self.old, o), keyed(self.new, n)) {
            let what = format!("{label}: {location} parameter `{name}`");
            let message = format!("{what} removed (its builder method goes away)");
            let removed = (Breaking, "parameter-removed", message);
            let why = "calls that do not set it fail in `send()`";
            let kinds = ["required-parameter-added", "optional-parameter-added"];
            let added = added(&pair, &what, why, kinds);
            if let Some((at, p, q)) = self.entry(pair, removed, added) {
                self.parameter(p, q, &at, &what);
            }
        }
    }

    fn parameter(&mut self, p: &'a Value, q: &'a Value, at: &At, what: &str) {
        let why = "calls that do not set it fail in `send()`";
        let made = format!("{what} is now required: {why}");
        let made = (Breaking, "parameter-became-required", made);
        let why = "the builder method keeps its signature";
        let dropped = format!("{what} is now optional ({why})");
        let dropped = (Patch, "parameter-became-optional", dropped);
        self.required_flag(p, q, at, made, dropped);
        for (key, x, y) in changed_keys(p, q) {
            let loc = at.new_at(key);
            match key {
                "style" | "explode" => {
                    let message = format!(
                        "{what}: `{key}` {} (sent differently on the wire; an array may become \
                         a comma-joined string in Rust)",
                        arrow(x, y, "default")
                    );
                    self.push(Breaking, "parameter-serialization-changed", loc, message);
                }
                "deprecated" => {
                    let message = format!("{what}: deprecated flag changed");
                    self.push(Patch, "deprecated-changed", loc, message);
                }
                "schema" => {
                    let cx = Cx(at.child(key), Reach::REQUEST, what.into(), Place::Parameter);
                    if self.sub_schema((x, y), &cx) {
                        let message = format!("{what}: schema added or removed");
                        self.push(Breaking, "parameter-schema-changed", at.in_new(), message);
                    }
                }
                "content" => self.content(p, q, at, (Reach::REQUEST, true), what),
                "name" | "in" | "required" => {}
                _ => self.other(key, (x, y), at, what),
            }
        }
    }

    fn request_body(&mut self, o: &Operation<'a>, n: &Operation<'a>, label: &str) {
        let what = format!("{label}: request body");
        // An added request body is pointed at where it is defined.
        let new = n.request_body(self.new).map(Used::at_definition);
        let Some(pair) = Pair::of(o.request_body(self.old), new) else {
            return;
        };
        let message = format!("{what} removed (the builder's body methods go away)");
        let removed = (Breaking, "request-body-removed", message);
        let kinds = ["required-request-body-added", "optional-request-body-added"];
        let added = added(&pair, &what, "calls without one fail", kinds);
        if let Some((at, a, b)) = self.entry(pair, removed, added) {
            let kind = "request-body-required-changed";
            let made = (Breaking, kind, format!("{what} is now required"));
            let dropped = (Patch, kind, format!("{what} is now optional"));
            self.required_flag(a, b, &at, made, dropped);
            self.content(a, b, &at, (Reach::REQUEST, true), &what);
            self.rest(a, b, &at, "required content", &what);
        }
    }

    /// The media types (`content`) of `a` and `b`, reached from requests or responses.
    /// `essential`: losing one breaks callers (request bodies and success responses);
    /// for error responses it is a patch.
    fn content(
        &mut self,
        a: &'a Value,
        b: &'a Value,
        at: &At,
        (reach, essential): (Reach, bool),
        what: &str,
    ) {
        let (gone, new) = if essential {
            (Breaking, Addition)
        } else {
            (Patch, Patch)
        };
        for (media, pair) in members(a, b, at, "content") {
            let message = format!("{what}: media type `{media}` removed");
            let removed = (gone, "media-type-removed", message);
            let message = format!("{what}: media type `{media}` added");
            let Some((at, x, y)) = self.entry(pair, removed, (new, "media-type-added", message))
            else {
                continue;
            };
            let what = format!("{what} ({media})");
            let cx = Cx(at.child("schema"), reach, what.clone(), Place::Other);
            if self.sub_schema((x.get("schema"), y.get("schema")), &cx) {
                let message = format!("{what}: schema added or removed");
                self.push(Breaking, "body-schema-changed", at.in_new(), message);
            }
            self.rest(x, y, &at, "schema", &what);
        }
    }

    fn responses(&mut self, o: &Operation<'a>, n: &Operation<'a>, label: &str) {
        for (code, pair) in pairs(o.responses(self.old), n.responses(self.new)) {
            let success = code.starts_with('2');
            let what = format!("{label}: response {code}");
            let removed = if success {
                let why = "the generated `send()` no longer accepts it as success";
                let message = format!("{what} removed: {why}");
                (Breaking, "response-removed", message)
            } else {
                let why = "telnums_core::Error reports the status either way";
                (Patch, "response-removed", format!("{what} removed ({why})"))
            };
            let level = if success { Addition } else { Patch };
            let added = (level, "response-added", format!("{what} added"));
            if let Some((at, a, b)) = self.entry(pair, removed, added) {
                self.content(a, b, &at, (Reach::RESPONSE, success), &what);
                self.response_headers(a, b, &at, &what);
                self.rest(a, b, &at, "content headers links", &what);
            }
        }
    }

    fn response_headers(&mut self, a: &'a Value, b: &'a Value, at: &At, what: &str) {
        // Header names are case-insensitive; a header is pointed at where it is defined.
        let keyed = |doc, v, pointer| {
            let list = spec::headers(doc, v, pointer).into_iter();
            list.map(|(name, h)| (name.to_ascii_lowercase(), h.at_definition()))
        };
        for (name, pair) in pairs(keyed(self.old, a, &at.old), keyed(self.new, b, &at.new)) {
            let what = format!("{what}: header `{name}`");
            let (level, how) = match matches!(&pair, Removed(h) if flag(h.value, "required")) {
                true => (Breaking, "it was documented as always present"),
                false => (Patch, "it was optional"),
            };
            let message = format!("{what} removed ({how})");
            let removed = (level, "response-header-removed", message);
            let added = (Addition, "response-header-added", format!("{what} added"));
            let Some((at, h, g)) = self.entry(pair, removed, added) else {
                continue;
            };
            let kind = "response-header-required-changed";
            let made = (Patch, kind, format!("{what} is now always present"));
            let dropped = (Breaking, kind, format!("{what} is now optional"));
            self.required_flag(h, g, &at, made, dropped);
            if let (Some(s), Some(t)) = (h.get("schema"), g.get("schema")) {
                let (at, what) = (at.child("schema"), what.clone());
                self.schema(s, t, &Cx(at, Reach::RESPONSE, what, Place::Other));
            }
            self.rest(h, g, &at, "schema required", &what);
        }
    }

    /// Compares the sub-schemas `x` and `y` as `cx`; returns whether only one side has one.
    fn sub_schema(&mut self, (x, y): Values<'a>, cx: &Cx) -> bool {
        match (x, y) {
            (Some(x), Some(y)) => self.schema(x, y, cx),
            (None, None) => {}
            _ => return true,
        }
        false
    }

    /// Compares two schemas.
    fn schema(&mut self, a: &'a Value, b: &'a Value, cx: &Cx) {
        let Cx(at, reach, what, place) = cx;
        if a == b || self.open_enums(a, b, cx) {
            return;
        }
        // References: the component is compared once on its own; here only which one.
        let replaced = match (reference(a), reference(b)) {
            (None, None) => None,
            (Some(x), Some(y)) if x == y => return,
            (Some(x), Some(y)) => Some((at.child("$ref"), format!("now `{y}` instead of `{x}`"))),
            (Some(x), None) => Some((at.clone(), format!("`{x}` replaced by an inline schema"))),
            (None, Some(y)) => Some((at.clone(), format!("inline schema replaced by `{y}`"))),
        };
        if let Some((at, how)) = replaced {
            let message = format!("{what}: {how} (the Rust type changes)");
            return self.push(Breaking, "reference-changed", at.in_new(), message);
        }
        let (ta, tb) = (a.get("type"), b.get("type"));
        if ta != tb {
            let types = arrow(ta, tb, "any");
            let message = format!("{what}: type {types} (the Rust type changes)");
            return self.push(Breaking, "type-changed", at.new_at("type"), message);
        }
        // A newly wrapped or unwrapped string changes the Rust type whatever the direction.
        let wrapped = constrained_string(b, *place);
        if constrained_string(a, *place) != wrapped {
            let how = match wrapped {
                true => "gains length limits or a pattern",
                false => "loses its length limits and pattern",
            };
            let why = "the Rust type changes between `String` and a checked newtype";
            let message = format!("{what}: {how} ({why})");
            self.push(Breaking, "string-constraints-changed", at.in_new(), message);
        }
        // Rust integer types follow format and a minimum of 1 (NonZero types).
        let integer = ta.and_then(Value::as_str) == Some("integer");
        if integer && a.get("format") == b.get("format") && rust_scalar(a) != rust_scalar(b) {
            let message = format!("{what}: bounds change the Rust type {}", rust_types(a, b));
            self.push(Breaking, "integer-type-changed", at.in_new(), message);
        }
        for (key, x, y) in changed_keys(a, b) {
            let loc = at.new_at(key);
            match key {
                "format" => self.format(a, b, cx),
                "enum" => self.enumeration(a, b, cx),
                _ if among(CONSTRAINTS, key) => {
                    let Some((narrows, change, how, kept)) = constraint(key, a, b) else {
                        continue;
                    };
                    let (level, kind) = match narrows {
                        true => (reach.narrowed(), "constraint-narrowed"),
                        false => (Patch, "constraint-widened"),
                    };
                    let values = reach.label();
                    let message = format!("{what}: `{key}` {change} ({how}{values} values)");
                    self.push(level, kind, at.child(key).kept(kept), message);
                }
                "nullable" if *place != Place::Property => {
                    let (now, how) = match flag(b, "nullable") {
                        true => ("now", "gains an"),
                        false => ("no longer", "loses its"),
                    };
                    let message =
                        format!("{what}: may {now} be null (the Rust type {how} `Option`)");
                    self.push(Breaking, "nullable-changed", loc, message);
                }
                "default" => {
                    let how = "what an omitted value means";
                    let message = format!("{what}: default {} ({how})", arrow(x, y, "none"));
                    self.push(Patch, "default-changed", loc, message);
                }
                "readOnly" | "writeOnly" | "deprecated" => {
                    let message = format!("{what}: `{key}` changed");
                    self.push(Patch, "flag-changed", loc, message);
                }
                "discriminator" => {
                    let message =
                        format!("{what}: discriminator changed (how variants are told apart)");
                    self.push(Breaking, "discriminator-changed", loc, message);
                }
                "additionalProperties" => self.additional_properties((x, y), cx),
                "items" => {
                    if self.sub_schema((x, y), &cx.nested(at.child(key), "[]")) {
                        let how = "array items added or removed (the Rust type changes)";
                        let message = format!("{what}: {how}");
                        self.push(Breaking, "items-changed", at.in_new(), message);
                    }
                }
                "oneOf" | "anyOf" | "allOf" => self.composition(a, b, cx, key),
                "not" => {
                    let message = format!("{what}: `not` changed");
                    self.push(Breaking, "not-changed", at.in_new(), message);
                }
                _ if among(SCHEMA_KEYS, key) => {}
                _ => self.other(key, (x, y), at, what),
            }
        }
        self.properties(a, b, cx);
    }

    /// Open enums ([`spec::open_enum`]): the Rust crates see the known half only (the
    /// preprocessing closes the form again), so an enum written open on one side is
    /// compared by its known half. Opening an enum is an addition for other languages'
    /// clients (they now accept any other string) and changes no Rust type; closing one
    /// breaks them. Returns whether `a` and `b` were compared here.
    fn open_enums(&mut self, a: &'a Value, b: &'a Value, cx: &Cx) -> bool {
        let (x, y) = (spec::open_enum(self.old, a), spec::open_enum(self.new, b));
        let Cx(at, _, what, _) = cx;
        match (x, y) {
            (None, None) => return false,
            (None, Some(_)) => {
                let message = format!(
                    "{what}: enum written open (`anyOf` with any other string): generated \
                     clients in other languages now accept values it does not list; the \
                     Rust type is unchanged"
                );
                self.push(Addition, "enum-opened", at.new_at("anyOf"), message);
            }
            (Some(_), None) => {
                let message = format!(
                    "{what}: enum no longer written open: generated clients in other \
                     languages reject values it does not list; the Rust type is unchanged"
                );
                self.push(Breaking, "enum-closed", at.old_at("anyOf"), message);
            }
            (Some(_), Some(_)) => {}
        }
        self.docs(a.get("description"), b.get("description"), at, what);
        let half = |open: Option<&Value>, p: &str| match open {
            Some(_) => format!("{p}/anyOf/0"),
            None => p.to_owned(),
        };
        let cx = cx.nested(At::new(half(x, &at.old), half(y, &at.new)), "");
        let (ka, kb) = (x.unwrap_or(a), y.unwrap_or(b));
        // The closed side's own description and example belong to the whole schema,
        // not to the known half: compare what reaches the Rust type.
        if reference(ka).is_some() || reference(kb).is_some() || x.is_some() == y.is_some() {
            self.schema(ka, kb, &cx);
        } else {
            self.format(ka, kb, &cx);
            self.enumeration(ka, kb, &cx);
        }
        true
    }

    fn format(&mut self, a: &'a Value, b: &'a Value, cx: &Cx) {
        let Cx(at, reach, what, _) = cx;
        let (fa, fb) = (a.get("format"), b.get("format"));
        if fa == fb {
            return;
        }
        // Same Rust type: only the wire meaning narrows or widens.
        let (level, how) = match rust_scalar(a) == rust_scalar(b) {
            true => (
                fb.map_or(Patch, |_| reach.narrowed()),
                format!("{} values", reach.label()),
            ),
            false => (Breaking, format!("Rust type {}", rust_types(a, b))),
        };
        // A removed format is pointed at in the old spec.
        let loc = at.child("format").kept(fb.is_some());
        let message = format!("{what}: format {} ({how})", arrow(fa, fb, "none"));
        self.push(level, "format-changed", loc, message);
    }

    fn enumeration(&mut self, a: &'a Value, b: &'a Value, cx: &Cx) {
        let Cx(at, reach, what, _) = cx;
        let list = |v: &'a Value| v.get("enum").and_then(Value::as_array);
        let at = at.child("enum");
        let (x, y) = match Pair::of(list(a), list(b)) {
            None => return,
            Some(Both(x, y)) => (x, y),
            Some(Removed(_)) => {
                let how = "no longer an enumeration (the Rust enum becomes a plain type)";
                let message = format!("{what}: {how}");
                return self.push(Breaking, "enum-removed", at.in_old(), message);
            }
            Some(Added(_)) => {
                let how = "now an enumeration (a plain type becomes a Rust enum)";
                let message = format!("{what}: {how}");
                return self.push(Breaking, "enum-added", at.in_new(), message);
            }
        };
        let refused = if reach.request {
            "; the server refuses it in requests"
        } else {
            ""
        };
        for (i, v) in x.iter().enumerate().filter(|(_, v)| !y.contains(v)) {
            let how = format!("removed (its Rust variant goes away{refused})");
            let message = format!("{what}: enum value {} {how}", short(v));
            let loc = at.old_at(&i.to_string());
            self.push(Breaking, "enum-value-removed", loc, message);
        }
        let open = match reach.response {
            true => " (response enums are open: it was kept as `Other` before, now it is a known variant)",
            false => "",
        };
        for (i, v) in y.iter().enumerate().filter(|(_, v)| !x.contains(v)) {
            let message = format!("{what}: enum value {} added{open}", short(v));
            let loc = at.new_at(&i.to_string());
            self.push(Addition, "enum-value-added", loc, message);
        }
    }

    fn properties(&mut self, a: &'a Value, b: &'a Value, cx: &Cx) {
        let Cx(at, reach, what, _) = cx;
        let required = |v: &'a Value| items(v.get("required")).filter_map(Value::as_str).collect();
        let (ra, rb): (BTreeSet<_>, BTreeSet<_>) = (required(a), required(b));
        let base = what.split(" (").next().unwrap_or(what);
        let (schema, request) = (reach.label(), reach.request);
        let does = if request && !reach.response {
            "sets"
        } else {
            "reads"
        };
        for (name, pair) in members(a, b, at, "properties") {
            let label = format!("{base}.{name}");
            let (r0, r1) = (ra.contains(name.as_str()), rb.contains(name.as_str()));
            let gone = format!(
                "{label} removed from a {schema} schema (code that {does} the field no longer \
                 compiles)"
            );
            let added = if r1 && request {
                let why = "requests without it are refused";
                let message = format!("{label} added as required to a request schema: {why}");
                (Breaking, "required-property-added", message)
            } else {
                let how = if r1 { " as required" } else { "" };
                let message = format!("{label} added{how} ({schema} schema)");
                (Addition, "property-added", message)
            };
            let removed = (Breaking, "property-removed", gone);
            let Some((place, x, y)) = self.entry(pair, removed, added) else {
                continue;
            };
            let (o0, o1) = (
                rust_optional(self.old, x, r0),
                rust_optional(self.new, y, r1),
            );
            let rust = match (o0, o1) {
                (false, true) => "; the Rust field changes from `T` to `Option<T>`",
                (true, false) => "; the Rust field changes from `Option<T>` to `T`",
                _ => "",
            };
            let level = if o0 != o1 { Breaking } else { Patch };
            if r0 != r1 {
                let level = if r1 && request { Breaking } else { level };
                let (kind, now) = match r1 {
                    true => ("property-became-required", "required"),
                    false => ("property-became-optional", "optional"),
                };
                let message = format!("{label} is now {now} ({schema} schema){rust}");
                self.push(level, kind, at.new_at("required"), message);
            } else if x.get("nullable") != y.get("nullable") || o0 != o1 {
                // Without a change of Rust type, null only ever meant "absent".
                let nullable = flag(y, "nullable");
                let now = if nullable { "now" } else { "no longer" };
                let message = format!("{label}: may {now} be null{rust}");
                let loc = place.in_new();
                self.push(level, "property-nullability-changed", loc, message);
            }
            self.schema(x, y, &Cx(place, *reach, label, Place::Property));
        }
    }

    /// `additionalProperties`: absent, `true` and `{}` all allow any extra field (and
    /// generate the same Rust type); `false` refuses them; a schema types their values.
    fn additional_properties(&mut self, (x, y): Values<'a>, cx: &Cx) {
        let Cx(at, reach, what, _) = cx;
        let closed = |v: Option<&Value>| v == Some(&Value::Bool(false));
        let open = |v: Option<&Value>| match v {
            None | Some(Value::Bool(true)) => true,
            Some(Value::Object(schema)) => schema.is_empty(),
            Some(_) => false,
        };
        let at = at.child("additionalProperties");
        let (level, kind, in_new, how) = if open(x) && open(y) {
            return;
        } else if closed(y) {
            let later = " (a field the provider adds later fails decoding)";
            let (level, later) = if reach.response {
                (Breaking, later)
            } else {
                (Patch, "")
            };
            let how = format!("unknown fields are now refused{later}");
            (level, "additional-properties-closed", true, how)
        } else if closed(x) {
            let how = "unknown fields are allowed again".to_owned();
            (Patch, "additional-properties-opened", false, how)
        } else if open(x) {
            let (level, later) = if reach.response {
                let later = " (an extra field whose value does not match fails decoding)";
                (Breaking, later)
            } else {
                (Addition, "")
            };
            let how = format!("now a map of extra values{later}");
            (level, "additional-properties-added", true, how)
        } else if open(y) {
            let how = "no longer a map of extra values".to_owned();
            (Breaking, "additional-properties-removed", false, how)
        } else if let (Some(s), Some(t)) = (x, y) {
            return self.schema(s, t, &cx.nested(at, "{*}"));
        } else {
            return;
        };
        self.push(level, kind, at.kept(in_new), format!("{what}: {how}"));
    }

    /// The members of a `oneOf`, `anyOf` or `allOf`, paired by their `$ref` where they
    /// have one, the inline ones by position.
    fn composition(&mut self, a: &'a Value, b: &'a Value, cx: &Cx, keyword: &str) {
        let list = |v: &'a Value| items(v.get(keyword)).collect::<Vec<_>>();
        let (x, y) = (list(a), list(b));
        if x == y {
            return;
        }
        let Cx(at, _, what, _) = cx;
        let mut unmatched: Vec<usize> = (0..y.len()).collect();
        let (mut pairs, mut inline_old) = (Vec::new(), Vec::new());
        for (i, m) in x.iter().enumerate() {
            let same = |j: &usize| reference(y[*j]) == reference(m);
            match reference(m).and_then(|_| unmatched.iter().position(same)) {
                Some(pos) => pairs.push((i, unmatched.remove(pos))),
                None => inline_old.push(i),
            }
        }
        let mut inline_new = unmatched.into_iter().filter(|&j| reference(y[j]).is_none());
        let at = at.child(keyword);
        for i in inline_old {
            match inline_new.next().filter(|_| reference(x[i]).is_none()) {
                Some(j) => pairs.push((i, j)),
                None => {
                    let how = "removed (a Rust variant or field set goes away)";
                    let message = format!("{what}: `{keyword}` member {i} {how}");
                    let loc = at.old_at(&i.to_string());
                    self.push(Breaking, "composition-member-removed", loc, message);
                }
            }
        }
        let (level, how) = match keyword {
            "allOf" => (Breaking, " (every value must now also match it)"),
            _ => (Addition, " (a new Rust variant)"),
        };
        for j in (0..y.len()).filter(|j| !pairs.iter().any(|(_, k)| k == j)) {
            let message = format!("{what}: `{keyword}` member {j} added{how}");
            let loc = at.new_at(&j.to_string());
            self.push(level, "composition-member-added", loc, message);
        }
        for (i, j) in pairs {
            let at = At::new(at.old_at(&i.to_string()).1, at.new_at(&j.to_string()).1);
            self.schema(x[i], y[j], &cx.nested(at, &format!(".{keyword}[{j}]")));
        }
    }
}

/// The rule for an added parameter or request body: breaking when it is required (calls
/// without it fail: `why`), an addition otherwise. `kinds`: required, then optional.
fn added(pair: &Pair<Used<'_>>, what: &str, why: &str, kinds: Kinds) -> Rule {
    if !matches!(pair, Added(new) if flag(new.value, "required")) {
        return (Addition, kinds[1], format!("{what} added (optional)"));
    }
    let message = format!("{what} added as required: {why}");
    (Breaking, kinds[0], message)
}

/// A change of the constraint `key` (one of [`CONSTRAINTS`]) from `a` to `b`: whether it
/// narrows what is accepted, the change as shown, `narrows `/`widens ` for a bound, and
/// whether the new schema still has the key; `None` when the value accepted is the same.
fn constraint(key: &str, a: &Value, b: &Value) -> Option<(bool, String, &'static str, bool)> {
    let (x, y) = (a.get(key), b.get(key));
    if !LOWER.contains(&key) && !UPPER.contains(&key) {
        if key == "pattern" || key == "multipleOf" {
            return Some((y.is_some(), arrow(x, y, "none"), "", y.is_some()));
        }
        // A flag: setting it narrows what is accepted, clearing it widens.
        let set = flag(b, key);
        let change = if set { "set" } else { "cleared" };
        return (flag(a, key) != set).then(|| (set, change.to_owned(), "", true));
    }
    // Raising a lower bound or lowering an upper one narrows what is accepted.
    let (x, y) = (x.and_then(Value::as_f64), y.and_then(Value::as_f64));
    let narrows = match (x, y) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) if x != y => (y > x) == LOWER.contains(&key),
        (Some(_), None) => false,
        _ => return None,
    };
    let shown = |v: Option<f64>| v.map_or_else(|| "none".into(), |v| v.to_string());
    let how = if narrows { "narrows " } else { "widens " };
    let change = format!("{} → {}", shown(x), shown(y));
    Some((narrows, change, how, y.is_some()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_operation_key_blanks_path_parameter_names() {
        let key = |path: &str| {
            let (value, item) = (json!({}), json!({}));
            let op = Operation {
                path,
                method: "get",
                value: &value,
                pointer: String::new(),
                item: &item,
                item_pointer: String::new(),
            };
            operation_key(&op)
        };
        assert_eq!(
            key("/pets/{petId}/toys/{toyId}"),
            ("/pets/{}/toys/{}".into(), "get")
        );
        assert_eq!(key("/pets/{id}x"), ("/pets/{}x".into(), "get"));
        assert_eq!(key("/pets"), ("/pets".into(), "get"));
    }

    #[test]
    fn snake_names_methods_as_progenitor_does() {
        assert_eq!(snake("listPhoneNumbers"), "list_phone_numbers");
        assert_eq!(snake("ListPets"), "list_pets");
        assert_eq!(snake("get-v2.numbers"), "get_v2_numbers");
    }

    #[test]
    fn rust_scalar_follows_type_format_and_a_minimum_of_one() {
        let cases = [
            (json!({"type": "string"}), Some("String")),
            (json!({"type": "string", "format": "email"}), Some("String")),
            (
                json!({"type": "string", "format": "uuid"}),
                Some("uuid::Uuid"),
            ),
            (
                json!({"type": "string", "format": "date"}),
                Some("chrono::NaiveDate"),
            ),
            (
                json!({"type": "string", "format": "date-time"}),
                Some("chrono::DateTime<Utc>"),
            ),
            (
                json!({"type": "string", "format": "ip"}),
                Some("std::net::IpAddr"),
            ),
            (
                json!({"type": "string", "format": "ipv4"}),
                Some("std::net::Ipv4Addr"),
            ),
            (
                json!({"type": "string", "format": "ipv6"}),
                Some("std::net::Ipv6Addr"),
            ),
            (json!({"type": "integer"}), None),
            (json!({"type": "integer", "format": "decimal"}), None),
            (json!({"type": "integer", "format": "int8"}), Some("i8")),
            (json!({"type": "integer", "format": "uint8"}), Some("u8")),
            (json!({"type": "integer", "format": "int16"}), Some("i16")),
            (json!({"type": "integer", "format": "uint16"}), Some("u16")),
            (json!({"type": "integer", "format": "int"}), Some("i32")),
            (json!({"type": "integer", "format": "int32"}), Some("i32")),
            (json!({"type": "integer", "format": "uint"}), Some("u32")),
            (json!({"type": "integer", "format": "uint32"}), Some("u32")),
            (json!({"type": "integer", "format": "int64"}), Some("i64")),
            (json!({"type": "integer", "format": "uint64"}), Some("u64")),
            (
                json!({"type": "integer", "format": "int8", "minimum": 1}),
                Some("NonZeroU8"),
            ),
            (
                json!({"type": "integer", "format": "uint8", "minimum": 1}),
                Some("NonZeroU8"),
            ),
            (
                json!({"type": "integer", "format": "int16", "minimum": 1}),
                Some("NonZeroU16"),
            ),
            (
                json!({"type": "integer", "format": "uint16", "minimum": 1}),
                Some("NonZeroU16"),
            ),
            (
                json!({"type": "integer", "format": "int32", "minimum": 1}),
                Some("NonZeroU32"),
            ),
            (
                json!({"type": "integer", "format": "uint32", "minimum": 1}),
                Some("NonZeroU32"),
            ),
            (
                json!({"type": "integer", "format": "int64", "minimum": 1}),
                Some("NonZeroU64"),
            ),
            (
                json!({"type": "integer", "format": "uint64", "minimum": 1}),
                Some("NonZeroU64"),
            ),
            (
                json!({"type": "integer", "format": "int32", "minimum": 2}),
                Some("i32"),
            ),
            (
                json!({"type": "integer", "format": "int32", "minimum": 1, "exclusiveMinimum": true}),
                Some("i32"),
            ),
            (json!({"type": "number"}), Some("f64")),
            (json!({"type": "number", "format": "double"}), Some("f64")),
            (json!({"type": "number", "format": "float"}), Some("f32")),
            (json!({"type": "boolean"}), Some("bool")),
            (json!({"type": "object"}), None),
            (json!({"format": "int32"}), None),
        ];
        for (schema, want) in cases {
            assert_eq!(rust_scalar(&schema), want, "{schema}");
        }
        let (a, b) = (json!({"type": "integer"}), json!({"type": "boolean"}));
        assert_eq!(rust_types(&a, &b), "decided by bounds → bool");
    }

    #[test]
    fn rust_optional_reads_nullable_and_default_on_either_side_of_a_ref() {
        let doc = json!({"components": {"schemas": {
            "Nullable": {"type": "string", "nullable": true},
            "Defaulted": {"type": "string", "default": "a"},
            "List": {"type": "array", "items": {"type": "string"}},
            "Plain": {"type": "string"},
        }}});
        let to = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        let cases = [
            (json!({"type": "string"}), true, false),
            (json!({"type": "string"}), false, true),
            (json!({"type": "string", "nullable": true}), true, true),
            (to("Nullable"), true, true),
            (
                json!({"$ref": "#/components/schemas/Plain", "nullable": true}),
                true,
                true,
            ),
            (json!({"type": "string", "default": "a"}), false, false),
            (to("Defaulted"), false, false),
            (to("List"), false, false),
            (to("Plain"), false, true),
        ];
        for (schema, required, optional) in cases {
            let got = rust_optional(&doc, &schema, required);
            assert_eq!(got, optional, "{schema} required: {required}");
        }
    }

    #[test]
    fn constraints_narrow_or_widen_by_kind() {
        let some = |n, change: &str, how, kept| Some((n, change.to_owned(), how, kept));
        let cases = [
            (
                "pattern",
                json!({}),
                json!({"pattern": "a"}),
                some(true, r#"none → "a""#, "", true),
            ),
            (
                "pattern",
                json!({"pattern": "a"}),
                json!({}),
                some(false, r#""a" → none"#, "", false),
            ),
            (
                "multipleOf",
                json!({"multipleOf": 2}),
                json!({}),
                some(false, "2 → none", "", false),
            ),
            (
                "uniqueItems",
                json!({}),
                json!({"uniqueItems": true}),
                some(true, "set", "", true),
            ),
            (
                "uniqueItems",
                json!({"uniqueItems": true}),
                json!({}),
                some(false, "cleared", "", true),
            ),
            (
                "uniqueItems",
                json!({}),
                json!({"uniqueItems": false}),
                None,
            ),
            (
                "minimum",
                json!({}),
                json!({"minimum": 1}),
                some(true, "none → 1", "narrows ", true),
            ),
            (
                "minimum",
                json!({"minimum": 1}),
                json!({"minimum": 2}),
                some(true, "1 → 2", "narrows ", true),
            ),
            (
                "minimum",
                json!({"minimum": 2}),
                json!({"minimum": 1}),
                some(false, "2 → 1", "widens ", true),
            ),
            (
                "minimum",
                json!({"minimum": 1}),
                json!({}),
                some(false, "1 → none", "widens ", false),
            ),
            (
                "minimum",
                json!({"minimum": 1}),
                json!({"minimum": 1.0}),
                None,
            ),
            (
                "maximum",
                json!({"maximum": 9}),
                json!({"maximum": 5}),
                some(true, "9 → 5", "narrows ", true),
            ),
            (
                "maxLength",
                json!({"maxLength": 5}),
                json!({"maxLength": 9}),
                some(false, "5 → 9", "widens ", true),
            ),
        ];
        for (key, a, b, want) in cases {
            assert_eq!(constraint(key, &a, &b), want, "{key}: {a} → {b}");
        }
    }

    #[test]
    fn a_value_over_60_characters_is_cut_to_57_and_an_ellipsis() {
        let sixty = Value::String("x".repeat(58));
        assert_eq!(short(&sixty).chars().count(), 60, "two quotes and 58 x");
        assert_eq!(short(&sixty), sixty.to_string());
        let long = Value::String("y".repeat(59));
        assert_eq!(short(&long), format!("\"{}…", "y".repeat(56)));
    }
}
