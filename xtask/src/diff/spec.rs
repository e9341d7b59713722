//! The spec half of `cargo xtask diff`: two OpenAPI 3.0 documents in, a classified list
//! of [`Change`]s out. The rules are the table in the [parent module](super).
//!
//! Both documents are read as written (not preprocessed), so every pointer names a place
//! in the real file. What the preprocessing does to the Rust output (open response enums,
//! comma-joined arrays as strings, no length limits on parameters) is taken into account
//! by the rules themselves. Each section matches its entries with the two-document
//! walker ([`super::walk`]) and says what a removed, an added and a kept entry means.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::walk::{changed, changed_keys, members, pairs, At, Loc, Pair};
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
    let mut d = Differ {
        old,
        new,
        reach,
        changes: Vec::new(),
    };
    d.info();
    let at = At::same("/servers");
    d.servers(old.get("servers"), new.get("servers"), &at, "API");
    let at = At::same("/security");
    d.security(old.get("security"), new.get("security"), &at, "API");
    d.security_schemes();
    d.operations();
    d.component_schemas();
    let mut seen = BTreeSet::new();
    let mut changes: Vec<Change> = d
        .changes
        .into_iter()
        // A shared component (a `$ref`'d parameter or response) is met once per operation
        // that uses it: report each change of it once.
        .filter(|c| seen.insert((c.side, c.pointer.clone(), c.kind)))
        .collect();
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
/// Schema keywords the rules below cover; any other changed keyword goes to [`Differ::rest`].
const SCHEMA_KEYS: &str = "type format enum nullable default readOnly writeOnly deprecated \
    discriminator properties required additionalProperties items oneOf anyOf allOf not minimum \
    maximum exclusiveMinimum exclusiveMaximum multipleOf minLength maxLength pattern minItems \
    maxItems uniqueItems minProperties maxProperties";

/// A value for a message, cut at 60 characters.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 60 {
        format!("{}…", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

/// [`short`], or `missing` when there is no value.
fn show(v: Option<&Value>, missing: &str) -> String {
    v.map(short).unwrap_or_else(|| missing.to_owned())
}

/// The `$ref` of a schema, whatever it points at.
fn reference(schema: &Value) -> Option<&str> {
    schema.get("$ref").and_then(Value::as_str)
}

/// The operation key that survives renaming a path parameter: the path template with
/// the parameter names blanked out, and the method.
fn operation_key(op: &Operation<'_>) -> (String, &'static str) {
    let mut out = String::new();
    let mut depth = 0;
    for c in op.path.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ if depth > 0 => continue,
            _ => {}
        }
        out.push(c);
    }
    (out, op.method)
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
        "number" => Some(if format == Some("float") {
            "f32"
        } else {
            "f64"
        }),
        "boolean" => Some("bool"),
        _ => None,
    }
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

fn required_set(schema: &Value) -> BTreeSet<&str> {
    items(schema.get("required"))
        .filter_map(Value::as_str)
        .collect()
}

/// What a removed or an added entry means: its level, the rule's kind, the message.
type Rule = (Level, &'static str, String);

/// An entry both documents have: its place, and its value in the old and the new.
type Kept<'a> = (At, &'a Value, &'a Value);

/// One security requirement: the scopes it needs per scheme, and its index in the list.
type Requirement = (usize, BTreeMap<String, BTreeSet<String>>);

fn requirements(v: Option<&Value>) -> Vec<Requirement> {
    items(v)
        .enumerate()
        .filter(|(_, req)| req.is_object())
        .map(|(i, req)| {
            let scopes = entries(Some(req))
                .map(|(scheme, list)| {
                    let list = items(Some(list)).filter_map(Value::as_str);
                    (scheme.clone(), list.map(str::to_owned).collect())
                })
                .collect();
            (i, scopes)
        })
        .collect()
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
        self.changes.push(Change {
            level,
            kind,
            side,
            pointer,
            message,
        });
    }

    /// Reports a removed or an added entry of a section by its rule; returns a kept one.
    fn entry(
        &mut self,
        pair: Pair<Used<'a>>,
        removed: impl FnOnce(&'a Value) -> Rule,
        added: impl FnOnce(&'a Value) -> Rule,
    ) -> Option<Kept<'a>> {
        let ((level, kind, message), loc) = match pair {
            Removed(o) => (removed(o.value), (Side::Old, o.site)),
            Added(n) => (added(n.value), (Side::New, n.site)),
            Both(o, n) => return Some((At::new(o.pointer, n.pointer), o.value, n.value)),
        };
        self.push(level, kind, loc, message);
        None
    }

    /// [`Differ::entry`] for an entry whose removal breaks and whose addition adds, with
    /// the messages `{noun} removed` and `{noun} added`.
    fn plain_entry(
        &mut self,
        pair: Pair<Used<'a>>,
        noun: &str,
        kinds: [&'static str; 2],
    ) -> Option<Kept<'a>> {
        let removed = |_: &Value| (Breaking, kinds[0], format!("{noun} removed"));
        let added = |_: &Value| (Addition, kinds[1], format!("{noun} added"));
        self.entry(pair, removed, added)
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
        self.push(level, kind, at.child("required").in_new(), message);
    }

    /// The `deprecated` flag of an operation or a parameter.
    fn deprecated(&mut self, a: &'a Value, b: &'a Value, at: &At, what: &str) {
        if a.get("deprecated") != b.get("deprecated") {
            let message = format!("{what}: deprecated flag changed");
            let loc = at.child("deprecated").in_new();
            self.push(Patch, "deprecated-changed", loc, message);
        }
    }

    /// The keys of `a`/`b` outside `handled` (space-separated) that changed: `x-` extensions and examples
    /// as information, documentation as a patch, anything else as an unclassified patch
    /// to review by hand.
    fn rest(&mut self, a: &'a Value, b: &'a Value, at: &At, handled: &str, what: &str) {
        for (key, x, y) in changed_keys(a, b) {
            let at = at.child(key);
            if handled.split_whitespace().any(|h| h == key) {
                continue;
            } else if key.starts_with("x-") || INFO_KEYS.contains(&key) {
                let message = format!("{what}: `{key}` changed (not part of the generated crate)");
                let loc = at.kept(y.is_some());
                self.push(Level::None, "example-changed", loc, message);
            } else if DOC_KEYS.contains(&key) {
                self.docs(x, y, &at, &format!("{what}: `{key}`"));
            } else {
                let message = format!("{what}: `{key}` changed; no rule covers it, review by hand");
                self.push(Patch, "unclassified", at.kept(y.is_some()), message);
            }
        }
    }

    fn info(&mut self) {
        let (o, n) = (self.old.get("info"), self.new.get("info"));
        let version = |i: Option<&'a Value>| i.and_then(|i| i.get("version"));
        if version(o) != version(n) {
            let message = format!(
                "API version {} → {} (the generated `api_version()` and its header)",
                show(version(o), ""),
                show(version(n), "")
            );
            let at = (Side::New, "/info/version".to_owned());
            self.push(Patch, "api-version-changed", at, message);
        }
        let (a, b) = (o.unwrap_or(&NULL), n.unwrap_or(&NULL));
        let at = At::same("/info");
        self.rest(a, b, &at, "version description title", "info");
        for key in ["title", "description"] {
            self.docs(
                a.get(key),
                b.get(key),
                &at.child(key),
                &format!("info.{key}"),
            );
        }
    }

    /// `servers` of the document, a path or an operation, matched by URL.
    fn servers(&mut self, a: Option<&'a Value>, b: Option<&'a Value>, at: &At, what: &str) {
        let list = |v: Option<&'a Value>, base: &str| -> Vec<(String, Used<'a>)> {
            let url = |s: &Value| s.get("url")?.as_str().map(str::to_owned);
            items(v)
                .enumerate()
                .filter_map(|(i, value)| {
                    let pointer = format!("{base}/{i}");
                    Some((url(value)?, Used::at(value, pointer)))
                })
                .collect()
        };
        for (url, pair) in pairs(list(a, &at.old), list(b, &at.new)) {
            let gone = format!(
                "{what}: server `{url}` removed: clients configured with it (or a hand-written \
                 default base URL) stop reaching the API"
            );
            let removed = (Breaking, "server-removed", gone);
            let message = format!("{what}: server `{url}` added");
            let added = (Addition, "server-added", message);
            let Some((at, o, n)) = self.entry(pair, |_| removed, |_| added) else {
                continue;
            };
            self.server_variables(o, n, &at, &url);
            let what = format!("server `{url}` description");
            self.docs(
                o.get("description"),
                n.get("description"),
                &at.child("description"),
                &what,
            );
        }
    }

    fn server_variables(&mut self, o: &'a Value, n: &'a Value, at: &At, url: &str) {
        for (name, pair) in members(o, n, at, "variables") {
            // A variable only one side has is part of the URL template, so the URL itself
            // changed.
            let Both(a, b) = pair else { continue };
            let at = At::new(a.pointer, b.pointer);
            let values = |v: &Value| items(v.get("enum")).map(short).collect::<BTreeSet<_>>();
            let (av, bv) = (values(a.value), values(b.value));
            for gone in av.difference(&bv) {
                let message = format!("server `{url}`: `{name}` no longer allows {gone}");
                let loc = at.child("enum").in_old();
                self.push(Breaking, "server-variable-value-removed", loc, message);
            }
            for added in bv.difference(&av) {
                let message = format!("server `{url}`: `{name}` now allows {added}");
                let loc = at.child("enum").in_new();
                self.push(Addition, "server-variable-value-added", loc, message);
            }
            let (x, y) = (a.value.get("default"), b.value.get("default"));
            if x != y {
                let message = format!(
                    "server `{url}`: default of `{name}` {} → {} (check the hand-written \
                     default base URL)",
                    show(x, ""),
                    show(y, "")
                );
                let loc = at.child("default").in_new();
                self.push(Patch, "server-variable-default-changed", loc, message);
            }
        }
    }

    /// A security requirement list: alternatives, each naming schemes with the scopes a
    /// token needs. Alternatives over the same schemes are grouped (Zoom lists one scope
    /// set per entry), and every scope set that was enough before must still be enough.
    fn security(&mut self, old: Option<&'a Value>, new: Option<&'a Value>, at: &At, what: &str) {
        let (a, b) = (requirements(old), requirements(new));
        let open = |alts: &[Requirement]| alts.is_empty() || alts.iter().any(|r| r.1.is_empty());
        if open(&a) && !open(&b) {
            let message = format!("{what}: authentication is now required");
            self.push(Breaking, "security-required", at.in_new(), message);
            return;
        }
        let group = |alts: &[Requirement]| {
            let mut groups: BTreeMap<BTreeSet<String>, Vec<Requirement>> = BTreeMap::new();
            for r in alts {
                groups
                    .entry(r.1.keys().cloned().collect())
                    .or_default()
                    .push(r.clone());
            }
            groups
        };
        // A token holding `had` satisfies `need` when every needed scope is held.
        let enough = |had: &BTreeMap<String, BTreeSet<String>>,
                      need: &BTreeMap<String, BTreeSet<String>>| {
            need.iter()
                .all(|(s, n)| had.get(s).is_some_and(|h| n.is_subset(h)))
        };
        for (schemes, pair) in pairs(group(&a), group(&b)) {
            let names = if schemes.is_empty() {
                "no authentication".to_owned()
            } else {
                let quoted: Vec<String> = schemes.iter().map(|s| format!("`{s}`")).collect();
                quoted.join(" + ")
            };
            let (olds, news) = match pair {
                Removed(olds) => {
                    let message =
                        format!("{what}: authenticating with {names} is no longer accepted");
                    let loc = (Side::Old, format!("{}/{}", at.old, olds[0].0));
                    self.push(Breaking, "security-alternative-removed", loc, message);
                    continue;
                }
                Added(news) => {
                    let message = format!("{what}: authenticating with {names} is now accepted");
                    let loc = (Side::New, format!("{}/{}", at.new, news[0].0));
                    self.push(Addition, "security-alternative-added", loc, message);
                    continue;
                }
                Both(olds, news) => (olds, news),
            };
            let mut narrowed = false;
            for old_req in &olds {
                if news.iter().any(|n| enough(&old_req.1, &n.1)) {
                    continue;
                }
                narrowed = true;
                let extra: Vec<String> = news[0]
                    .1
                    .iter()
                    .flat_map(|(s, n)| {
                        let had = old_req.1.get(s).cloned().unwrap_or_default();
                        n.difference(&had)
                            .map(|x| format!("`{x}`"))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let message = format!(
                    "{what}: a {names} token with the scopes accepted before is no longer \
                     enough (now needs {})",
                    extra.join(", ")
                );
                let loc = (Side::New, format!("{}/{}", at.new, news[0].0));
                self.push(Breaking, "security-scopes-narrowed", loc, message);
            }
            // Every token that worked still does; a new scope set is one more way in.
            for new_req in news.iter().filter(|_| !narrowed) {
                if !olds.iter().any(|o| o.1 == new_req.1) {
                    let message = format!("{what}: {names} accepts a new scope set");
                    let loc = (Side::New, format!("{}/{}", at.new, new_req.0));
                    self.push(Patch, "security-scopes-widened", loc, message);
                }
            }
        }
    }

    fn security_schemes(&mut self) {
        let (a, b) = (components(self.old), components(self.new));
        for (name, pair) in members(a, b, &At::same("/components"), "securitySchemes") {
            self.security_scheme(&name, pair);
        }
    }

    fn security_scheme(&mut self, name: &str, pair: Pair<Used<'a>>) {
        let what = format!("security scheme `{name}`");
        let kinds = ["security-scheme-removed", "security-scheme-added"];
        let Some((at, a, b)) = self.plain_entry(pair, &what, kinds) else {
            return;
        };
        let keys = [
            "type",
            "scheme",
            "in",
            "name",
            "bearerFormat",
            "openIdConnectUrl",
        ];
        for (key, x, y) in changed(a, b, &keys) {
            let level = if key == "bearerFormat" {
                Patch
            } else {
                Breaking
            };
            let (x, y) = (show(x, "unset"), show(y, "unset"));
            let message = format!("{what}: `{key}` {x} → {y} (credentials travel differently)");
            let loc = at.child(key).in_new();
            self.push(level, "security-scheme-changed", loc, message);
        }
        for (flow, pair) in members(a, b, &at, "flows") {
            let noun = format!("{what}: OAuth flow `{flow}`");
            let kinds = ["oauth-flow-removed", "oauth-flow-added"];
            let Some((at, x, y)) = self.plain_entry(pair, &noun, kinds) else {
                continue;
            };
            for (key, u, v) in changed(x, y, &["tokenUrl", "authorizationUrl", "refreshUrl"]) {
                let (u, v) = (show(u, "unset"), show(v, "unset"));
                let message = format!(
                    "{what}: `{flow}.{key}` {u} → {v} (callers pass this URL to the client)"
                );
                let loc = at.child(key).in_new();
                self.push(Breaking, "oauth-url-changed", loc, message);
            }
            for (scope, pair) in members(x, y, &at, "scopes") {
                let noun = format!("{what}: scope `{scope}`");
                self.plain_entry(pair, &noun, ["oauth-scope-removed", "oauth-scope-added"]);
            }
        }
        let what = format!("security scheme `{name}` description");
        let (x, y) = (a.get("description"), b.get("description"));
        self.docs(x, y, &at.child("description"), &what);
    }

    fn operations(&mut self) {
        let keyed = |doc| {
            spec::operations(doc)
                .into_iter()
                .map(|op| (operation_key(&op), op))
        };
        for (_, pair) in pairs(keyed(self.old), keyed(self.new)) {
            let (op, side) = match &pair {
                Removed(o) => (o, Side::Old),
                Added(n) => (n, Side::New),
                Both(o, n) => {
                    self.operation(o, n);
                    continue;
                }
            };
            let (label, method) = (op.label(), snake(op.id().unwrap_or("?")));
            let (level, kind, message) = if side == Side::Old {
                let how = format!("the client method `{method}` goes away");
                (
                    Breaking,
                    "operation-removed",
                    format!("{label}: operation removed ({how})"),
                )
            } else {
                let how = format!("client method `{method}`");
                (
                    Addition,
                    "operation-added",
                    format!("{label}: operation added ({how})"),
                )
            };
            self.push(level, kind, (side, op.pointer.clone()), message);
        }
    }

    fn operation(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        let label = n.label();
        let at = At::new(o.pointer.clone(), n.pointer.clone());
        let (oid, nid) = (o.value.get("operationId"), n.value.get("operationId"));
        if oid != nid {
            let message = format!(
                "{label}: operationId {} → {} (the Rust method and builder are renamed)",
                show(oid, ""),
                show(nid, "")
            );
            let loc = at.child("operationId").in_new();
            self.push(Breaking, "operation-id-changed", loc, message);
        }
        self.deprecated(o.value, n.value, &at, &label);
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
            self.security(os, ns, &at.child("security"), &label);
        }
        let item_at = At::new(o.item_pointer.clone(), n.item_pointer.clone());
        for (a, b, at) in [(o.item, n.item, &item_at), (o.value, n.value, &at)] {
            let (x, y) = (a.get("servers"), b.get("servers"));
            if x.is_some() || y.is_some() {
                self.servers(x, y, &at.child("servers"), &label);
            }
        }
        let handled =
            "operationId deprecated parameters requestBody responses security servers tags";
        self.rest(o.value, n.value, &at, handled, &label);
        if o.value.get("tags") != n.value.get("tags") {
            let message = format!("{label}: tags changed (the generator merges tags)");
            let loc = at.child("tags").in_new();
            self.push(Level::None, "tags-changed", loc, message);
        }
    }

    fn parameters(&mut self, o: &Operation<'a>, n: &Operation<'a>, label: &str) {
        let keyed = |doc, op: &Operation<'a>| {
            let text =
                |p: &Value, k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            let list = op.parameters(doc).into_iter();
            list.map(move |p| ((text(p.value, "in"), text(p.value, "name")), p))
        };
        for ((location, name), pair) in pairs(keyed(self.old, o), keyed(self.new, n)) {
            let what = format!("{label}: {location} parameter `{name}`");
            let removed = |_: &Value| {
                let message = format!("{what} removed (its builder method goes away)");
                (Breaking, "parameter-removed", message)
            };
            let added = |q: &Value| {
                if !flag(q, "required") {
                    return (
                        Addition,
                        "optional-parameter-added",
                        format!("{what} added (optional)"),
                    );
                }
                let why = "calls that do not set it fail in `send()`";
                (
                    Breaking,
                    "required-parameter-added",
                    format!("{what} added as required: {why}"),
                )
            };
            if let Some((at, p, q)) = self.entry(pair, removed, added) {
                self.parameter(p, q, &at, &what);
            }
        }
    }

    fn parameter(&mut self, p: &'a Value, q: &'a Value, at: &At, what: &str) {
        let why = "calls that do not set it fail in `send()`";
        let made = format!("{what} is now required: {why}");
        let why = "the builder method keeps its signature";
        let dropped = format!("{what} is now optional ({why})");
        let made = (Breaking, "parameter-became-required", made);
        let dropped = (Patch, "parameter-became-optional", dropped);
        self.required_flag(p, q, at, made, dropped);
        for (key, x, y) in changed(p, q, &["style", "explode"]) {
            let message = format!(
                "{what}: `{key}` {} → {} (sent differently on the wire; an array may become a \
                 comma-joined string in Rust)",
                show(x, "default"),
                show(y, "default")
            );
            let loc = at.child(key).in_new();
            self.push(Breaking, "parameter-serialization-changed", loc, message);
        }
        self.deprecated(p, q, at, what);
        match Pair::of(p.get("schema"), q.get("schema")) {
            Some(Both(a, b)) => {
                let cx = Cx::new(at.child("schema"), Reach::REQUEST, what);
                self.schema(
                    a,
                    b,
                    &Cx {
                        place: Place::Parameter,
                        ..cx
                    },
                );
            }
            Some(_) => {
                let message = format!("{what}: schema added or removed");
                self.push(Breaking, "parameter-schema-changed", at.in_new(), message);
            }
            None => {}
        }
        if p.get("content").is_some() || q.get("content").is_some() {
            self.content(p, q, at, Reach::REQUEST, what, true);
        }
        let handled = "name in required style explode deprecated schema content";
        self.rest(p, q, at, handled, what);
    }

    fn request_body(&mut self, o: &Operation<'a>, n: &Operation<'a>, label: &str) {
        let what = format!("{label}: request body");
        match Pair::of(o.request_body(self.old), n.request_body(self.new)) {
            None => {}
            Some(Removed(a)) => {
                let message = format!("{what} removed (the builder's body methods go away)");
                let loc = (Side::Old, a.site);
                self.push(Breaking, "request-body-removed", loc, message);
            }
            Some(Added(b)) => {
                let (level, kind, how) = if flag(b.value, "required") {
                    let how = " as required: calls without one fail";
                    (Breaking, "required-request-body-added", how)
                } else {
                    (Addition, "optional-request-body-added", " (optional)")
                };
                self.push(
                    level,
                    kind,
                    (Side::New, b.pointer),
                    format!("{what} added{how}"),
                );
            }
            Some(Both(a, b)) => {
                let at = At::new(a.pointer, b.pointer);
                let kind = "request-body-required-changed";
                let made = (Breaking, kind, format!("{what} is now required"));
                let dropped = (Patch, kind, format!("{what} is now optional"));
                self.required_flag(a.value, b.value, &at, made, dropped);
                self.content(a.value, b.value, &at, Reach::REQUEST, &what, true);
                self.rest(a.value, b.value, &at, "required content", &what);
            }
        }
    }

    /// The media types (`content`) of `a` and `b`. `essential`: losing one breaks callers
    /// (request bodies and success responses); for error responses it is a patch.
    fn content(
        &mut self,
        a: &'a Value,
        b: &'a Value,
        at: &At,
        reach: Reach,
        what: &str,
        essential: bool,
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
            let added = (new, "media-type-added", message);
            let Some((at, x, y)) = self.entry(pair, |_| removed, |_| added) else {
                continue;
            };
            let what = format!("{what} ({media})");
            match Pair::of(x.get("schema"), y.get("schema")) {
                Some(Both(s, t)) => self.schema(s, t, &Cx::new(at.child("schema"), reach, &what)),
                Some(_) => {
                    let message = format!("{what}: schema added or removed");
                    self.push(Breaking, "body-schema-changed", at.in_new(), message);
                }
                None => {}
            }
            self.rest(x, y, &at, "schema", &what);
        }
    }

    fn responses(&mut self, o: &Operation<'a>, n: &Operation<'a>, label: &str) {
        for (code, pair) in pairs(o.responses(self.old), n.responses(self.new)) {
            let success = code.starts_with('2');
            let what = format!("{label}: response {code}");
            let removed = |_: &Value| {
                if success {
                    let why = "the generated `send()` no longer accepts it as success";
                    (
                        Breaking,
                        "response-removed",
                        format!("{what} removed: {why}"),
                    )
                } else {
                    let why = "telnums_core::Error reports the status either way";
                    (Patch, "response-removed", format!("{what} removed ({why})"))
                }
            };
            let level = if success { Addition } else { Patch };
            let added = |_: &Value| (level, "response-added", format!("{what} added"));
            if let Some((at, a, b)) = self.entry(pair, removed, added) {
                self.content(a, b, &at, Reach::RESPONSE, &what, success);
                self.response_headers(a, b, &at, &what);
                self.rest(a, b, &at, "content headers links", &what);
            }
        }
    }

    fn response_headers(&mut self, a: &'a Value, b: &'a Value, at: &At, what: &str) {
        // Header names are case-insensitive.
        // Header names are case-insensitive; a header is pointed at where it is defined.
        let keyed = |doc, v, pointer| {
            let list = spec::headers(doc, v, pointer).into_iter();
            list.map(|(name, h)| (name.to_ascii_lowercase(), h.at_definition()))
        };
        let (ha, hb) = (keyed(self.old, a, &at.old), keyed(self.new, b, &at.new));
        for (name, pair) in pairs(ha, hb) {
            let what = format!("{what}: header `{name}`");
            let removed = |h: &Value| {
                let (level, how) = if flag(h, "required") {
                    (Breaking, "it was documented as always present")
                } else {
                    (Patch, "it was optional")
                };
                (
                    level,
                    "response-header-removed",
                    format!("{what} removed ({how})"),
                )
            };
            let added = |_: &Value| (Addition, "response-header-added", format!("{what} added"));
            let Some((at, h, g)) = self.entry(pair, removed, added) else {
                continue;
            };
            let kind = "response-header-required-changed";
            let made = (Patch, kind, format!("{what} is now always present"));
            let dropped = (Breaking, kind, format!("{what} is now optional"));
            self.required_flag(h, g, &at, made, dropped);
            if let (Some(s), Some(t)) = (h.get("schema"), g.get("schema")) {
                self.schema(s, t, &Cx::new(at.child("schema"), Reach::RESPONSE, &what));
            }
            self.rest(h, g, &at, "schema required", &what);
        }
    }

    fn component_schemas(&mut self) {
        let (a, b) = (components(self.old), components(self.new));
        for (name, pair) in members(a, b, &At::same("/components"), "schemas") {
            let reach = self.reach.get(&name).copied().unwrap_or_default();
            let gone = format!("schema `{name}` removed (its Rust type `types::{name}` goes away)");
            let removed = (Breaking, "schema-removed", gone);
            let added = (Addition, "schema-added", format!("schema `{name}` added"));
            if let Some((at, x, y)) = self.entry(pair, |_| removed, |_| added) {
                self.schema(
                    x,
                    y,
                    &Cx::new(at, reach, &format!("{name} ({})", reach.label())),
                );
            }
        }
    }

    /// Compares two schemas.
    fn schema(&mut self, a: &'a Value, b: &'a Value, cx: &Cx) {
        let Cx { at, what, .. } = cx;
        if a == b {
            return;
        }
        if self.open_enums(a, b, cx) {
            return;
        }
        // References: the component is compared once on its own; here only which one.
        let replaced = match (reference(a), reference(b)) {
            (Some(x), Some(y)) if x != y => {
                let message = format!("{what}: now `{y}` instead of `{x}` (the Rust type changes)");
                let loc = at.child("$ref").in_new();
                return self.push(Breaking, "reference-changed", loc, message);
            }
            (Some(_), Some(_)) => return,
            (Some(x), None) => Some(format!("`{x}` replaced by an inline schema")),
            (None, Some(y)) => Some(format!("inline schema replaced by `{y}`")),
            (None, None) => None,
        };
        if let Some(how) = replaced {
            let message = format!("{what}: {how} (the Rust type changes)");
            return self.push(Breaking, "reference-changed", at.in_new(), message);
        }
        let (ta, tb) = (a.get("type"), b.get("type"));
        if ta != tb {
            let (ta, tb) = (show(ta, "any"), show(tb, "any"));
            let message = format!("{what}: type {ta} → {tb} (the Rust type changes)");
            return self.push(Breaking, "type-changed", at.child("type").in_new(), message);
        }
        self.format(a, b, cx);
        self.enumeration(a, b, cx);
        self.constraints(a, b, cx);
        if cx.place != Place::Property && a.get("nullable") != b.get("nullable") {
            let message = if flag(b, "nullable") {
                format!("{what}: may now be null (the Rust type gains an `Option`)")
            } else {
                format!("{what}: may no longer be null (the Rust type loses its `Option`)")
            };
            let loc = at.child("nullable").in_new();
            self.push(Breaking, "nullable-changed", loc, message);
        }
        for (key, x, y) in changed(a, b, &["default", "readOnly", "writeOnly", "deprecated"]) {
            let loc = at.child(key).in_new();
            if key == "default" {
                let (x, y) = (show(x, "none"), show(y, "none"));
                let message = format!("{what}: default {x} → {y} (what an omitted value means)");
                self.push(Patch, "default-changed", loc, message);
            } else {
                let message = format!("{what}: `{key}` changed");
                self.push(Patch, "flag-changed", loc, message);
            }
        }
        if a.get("discriminator") != b.get("discriminator") {
            let message = format!("{what}: discriminator changed (how variants are told apart)");
            let loc = at.child("discriminator").in_new();
            self.push(Breaking, "discriminator-changed", loc, message);
        }
        self.properties(a, b, cx);
        self.additional_properties(a, b, cx);
        match Pair::of(a.get("items"), b.get("items")) {
            Some(Both(x, y)) => self.schema(x, y, &cx.nested(at.child("items"), "[]")),
            Some(_) => {
                let message =
                    format!("{what}: array items added or removed (the Rust type changes)");
                self.push(Breaking, "items-changed", at.in_new(), message);
            }
            None => {}
        }
        for keyword in ["oneOf", "anyOf", "allOf"] {
            self.composition(a, b, cx, keyword);
        }
        if a.get("not") != b.get("not") {
            let loc = at.in_new();
            let message = format!("{what}: `not` changed");
            self.push(Breaking, "not-changed", loc, message);
        }
        self.rest(a, b, at, SCHEMA_KEYS, what);
    }

    /// Open enums ([`spec::open_enum`]): the Rust crates see the known half only (the
    /// preprocessing closes the form again), so an enum written open on one side is
    /// compared by its known half. Opening an enum is an addition for other languages'
    /// clients (they now accept any other string) and changes no Rust type; closing one
    /// breaks them. Returns whether `a` and `b` were compared here.
    fn open_enums(&mut self, a: &'a Value, b: &'a Value, cx: &Cx) -> bool {
        let (x, y) = (spec::open_enum(self.old, a), spec::open_enum(self.new, b));
        if x.is_none() && y.is_none() {
            return false;
        }
        let Cx { at, what, .. } = cx;
        let known = At::new(
            if x.is_some() {
                format!("{}/anyOf/0", at.old)
            } else {
                at.old.clone()
            },
            if y.is_some() {
                format!("{}/anyOf/0", at.new)
            } else {
                at.new.clone()
            },
        );
        match (x, y) {
            (None, Some(_)) => {
                let message = format!(
                    "{what}: enum written open (`anyOf` with any other string): generated \
                     clients in other languages now accept values it does not list; the \
                     Rust type is unchanged"
                );
                self.push(Addition, "enum-opened", at.child("anyOf").in_new(), message);
            }
            (Some(_), None) => {
                let message = format!(
                    "{what}: enum no longer written open: generated clients in other \
                     languages reject values it does not list; the Rust type is unchanged"
                );
                self.push(Breaking, "enum-closed", at.child("anyOf").in_old(), message);
            }
            _ => {}
        }
        self.docs(a.get("description"), b.get("description"), at, what);
        let (ka, kb) = (x.unwrap_or(a), y.unwrap_or(b));
        // The closed side's own description and example belong to the whole schema,
        // not to the known half: compare what reaches the Rust type.
        if reference(ka).is_some() || reference(kb).is_some() || x.is_some() == y.is_some() {
            self.schema(ka, kb, &cx.nested(known, ""));
        } else {
            let cx = cx.nested(known, "");
            self.format(ka, kb, &cx);
            self.enumeration(ka, kb, &cx);
        }
        true
    }

    fn format(&mut self, a: &'a Value, b: &'a Value, cx: &Cx) {
        let Cx {
            at, reach, what, ..
        } = cx;
        let (fa, fb) = (a.get("format"), b.get("format"));
        if fa == fb {
            return;
        }
        let (ra, rb) = (rust_scalar(a), rust_scalar(b));
        // A removed format is pointed at in the old spec.
        let loc = at.child("format").kept(fb.is_some());
        let formats = format!("{what}: format {} → {}", show(fa, "none"), show(fb, "none"));
        if ra != rb {
            let (ra, rb) = (ra.unwrap_or(BY_BOUNDS), rb.unwrap_or(BY_BOUNDS));
            let message = format!("{formats} (Rust type {ra} → {rb})");
            self.push(Breaking, "format-changed", loc, message);
        } else {
            // Same Rust type: only the wire meaning narrows or widens.
            let level = if fb.is_some() {
                reach.narrowed()
            } else {
                Patch
            };
            let message = format!("{formats} ({} values)", reach.label());
            self.push(level, "format-changed", loc, message);
        }
    }

    fn enumeration(&mut self, a: &'a Value, b: &'a Value, cx: &Cx) {
        let Cx {
            at, reach, what, ..
        } = cx;
        let list = |v: &'a Value| v.get("enum").and_then(Value::as_array);
        let at = at.child("enum");
        let (x, y) = match Pair::of(list(a), list(b)) {
            None => return,
            Some(Removed(_)) => {
                let how = "no longer an enumeration (the Rust enum becomes a plain type)";
                let loc = at.in_old();
                let message = format!("{what}: {how}");
                return self.push(Breaking, "enum-removed", loc, message);
            }
            Some(Added(_)) => {
                let how = "now an enumeration (a plain type becomes a Rust enum)";
                let loc = at.in_new();
                let message = format!("{what}: {how}");
                return self.push(Breaking, "enum-added", loc, message);
            }
            Some(Both(x, y)) => (x, y),
        };
        let refused = if reach.request {
            "; the server refuses it in requests"
        } else {
            ""
        };
        for (i, v) in x.iter().enumerate().filter(|(_, v)| !y.contains(v)) {
            let v = short(v);
            let message =
                format!("{what}: enum value {v} removed (its Rust variant goes away{refused})");
            let loc = at.child(&i.to_string()).in_old();
            self.push(Breaking, "enum-value-removed", loc, message);
        }
        let open = if reach.response {
            " (response enums are open: it was kept as `Other` before, now it is a known variant)"
        } else {
            ""
        };
        for (i, v) in y.iter().enumerate().filter(|(_, v)| !x.contains(v)) {
            let message = format!("{what}: enum value {} added{open}", short(v));
            let loc = at.child(&i.to_string()).in_new();
            self.push(Addition, "enum-value-added", loc, message);
        }
    }

    fn constraints(&mut self, a: &'a Value, b: &'a Value, cx: &Cx) {
        // Raising a lower bound or lowering an upper one narrows what is accepted.
        const LOWER: &[&str] = &["minimum", "minLength", "minItems", "minProperties"];
        const UPPER: &[&str] = &["maximum", "maxLength", "maxItems", "maxProperties"];
        let Cx {
            at,
            reach,
            what,
            place,
        } = cx;
        let values = reach.label();
        // A newly wrapped or unwrapped string changes the Rust type whatever the direction.
        let wrapped = constrained_string(b, *place);
        if constrained_string(a, *place) != wrapped {
            let how = if wrapped {
                "gains length limits or a pattern"
            } else {
                "loses its length limits and pattern"
            };
            let message = format!(
                "{what}: {how} (the Rust type changes between `String` and a checked newtype)"
            );
            self.push(Breaking, "string-constraints-changed", at.in_new(), message);
        }
        let narrowing = |narrowed: bool| {
            if narrowed {
                (reach.narrowed(), "constraint-narrowed")
            } else {
                (Patch, "constraint-widened")
            }
        };
        let num = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64);
        for key in LOWER.iter().chain(UPPER) {
            let (x, y) = (num(a, key), num(b, key));
            let narrowed = match (x, y) {
                (None, Some(_)) => true,
                (Some(x), Some(y)) if x != y => (y > x) == LOWER.contains(key),
                (Some(_), None) => false,
                _ => continue,
            };
            let (level, kind) = narrowing(narrowed);
            let how = if narrowed { "narrows" } else { "widens" };
            let shown = |v: Option<f64>| v.map_or_else(|| "none".into(), |v| v.to_string());
            let (x, y) = (shown(x), shown(y));
            let message = format!("{what}: `{key}` {x} → {y} ({how} {values} values)");
            self.push(level, kind, at.child(key).kept(y != "none"), message);
        }
        // Rust integer types follow format and a minimum of 1 (NonZero types).
        let (ra, rb) = (rust_scalar(a), rust_scalar(b));
        let integer = a.get("type").and_then(Value::as_str) == Some("integer");
        if integer && a.get("format") == b.get("format") && ra != rb {
            let (ra, rb) = (ra.unwrap_or(BY_BOUNDS), rb.unwrap_or(BY_BOUNDS));
            let message = format!("{what}: bounds change the Rust type {ra} → {rb}");
            self.push(Breaking, "integer-type-changed", at.in_new(), message);
        }
        // Setting one of these flags narrows what is accepted, clearing it widens.
        for key in ["exclusiveMinimum", "exclusiveMaximum", "uniqueItems"] {
            let set = flag(b, key);
            if flag(a, key) != set {
                let (level, kind) = narrowing(set);
                let how = if set { "set" } else { "cleared" };
                let message = format!("{what}: `{key}` {how} ({values} values)");
                self.push(level, kind, at.child(key).in_new(), message);
            }
        }
        for (key, x, y) in changed(a, b, &["pattern", "multipleOf"]) {
            let (level, kind) = narrowing(y.is_some());
            let loc = at.child(key).kept(y.is_some());
            let (x, y) = (show(x, "none"), show(y, "none"));
            self.push(
                level,
                kind,
                loc,
                format!("{what}: `{key}` {x} → {y} ({values} values)"),
            );
        }
    }

    fn properties(&mut self, a: &'a Value, b: &'a Value, cx: &Cx) {
        let Cx {
            at, reach, what, ..
        } = cx;
        let (ra, rb) = (required_set(a), required_set(b));
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
            let removed = (Breaking, "property-removed", gone);
            let added = if r1 && request {
                let why = "requests without it are refused";
                let message = format!("{label} added as required to a request schema: {why}");
                (Breaking, "required-property-added", message)
            } else {
                let how = if r1 { " as required" } else { "" };
                (
                    Addition,
                    "property-added",
                    format!("{label} added{how} ({schema} schema)"),
                )
            };
            let Some((place, x, y)) = self.entry(pair, |_| removed, |_| added) else {
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
                let (kind, now) = if r1 {
                    ("property-became-required", "required")
                } else {
                    ("property-became-optional", "optional")
                };
                let message = format!("{label} is now {now} ({schema} schema){rust}");
                self.push(level, kind, at.child("required").in_new(), message);
            } else if x.get("nullable") != y.get("nullable") || o0 != o1 {
                // Without a change of Rust type, null only ever meant "absent".
                let now = if flag(y, "nullable") {
                    "may now be null"
                } else {
                    "may no longer be null"
                };
                let message = format!("{label}: {now}{rust}");
                let loc = place.in_new();
                self.push(level, "property-nullability-changed", loc, message);
            }
            let cx = Cx {
                at: place,
                reach: *reach,
                what: label,
                place: Place::Property,
            };
            self.schema(x, y, &cx);
        }
    }

    fn additional_properties(&mut self, a: &'a Value, b: &'a Value, cx: &Cx) {
        let (x, y) = (a.get("additionalProperties"), b.get("additionalProperties"));
        if x == y {
            return;
        }
        let Cx {
            at, reach, what, ..
        } = cx;
        let closed = |v: Option<&Value>| v == Some(&Value::Bool(false));
        let at = at.child("additionalProperties");
        let (level, kind, loc, how) = match (x, y) {
            (Some(s), Some(t)) if s.is_object() && t.is_object() => {
                return self.schema(s, t, &cx.nested(at, "{*}"));
            }
            _ if closed(y) && reach.response => {
                let how = "unknown fields are now refused (a field the provider adds later fails decoding)";
                (Breaking, "additional-properties-closed", at.in_new(), how)
            }
            _ if closed(y) => (
                Patch,
                "additional-properties-closed",
                at.in_new(),
                "unknown fields are now refused",
            ),
            _ if closed(x) => (
                Patch,
                "additional-properties-opened",
                at.in_old(),
                "unknown fields are allowed again",
            ),
            (_, Some(t)) if t.is_object() => (
                Addition,
                "additional-properties-added",
                at.in_new(),
                "now a map of extra values",
            ),
            _ => (
                Breaking,
                "additional-properties-removed",
                at.in_old(),
                "no longer a map of extra values",
            ),
        };
        self.push(level, kind, loc, format!("{what}: {how}"));
    }

    /// The members of a `oneOf`, `anyOf` or `allOf`, paired by their `$ref` where they
    /// have one, the inline ones by position.
    fn composition(&mut self, a: &'a Value, b: &'a Value, cx: &Cx, keyword: &str) {
        let list = |v: &'a Value| items(v.get(keyword)).collect::<Vec<_>>();
        let (x, y) = (list(a), list(b));
        if x == y {
            return;
        }
        let Cx { at, what, .. } = cx;
        let mut unmatched: Vec<usize> = (0..y.len()).collect();
        let mut pairs = Vec::new();
        let mut inline_old = Vec::new();
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
                    let loc = (Side::Old, format!("{}/{i}", at.old));
                    self.push(Breaking, "composition-member-removed", loc, message);
                }
            }
        }
        let (level, how) = if keyword == "allOf" {
            (Breaking, " (every value must now also match it)")
        } else {
            (Addition, " (a new Rust variant)")
        };
        for j in (0..y.len()).filter(|j| !pairs.iter().any(|(_, k)| k == j)) {
            let message = format!("{what}: `{keyword}` member {j} added{how}");
            let loc = (Side::New, format!("{}/{j}", at.new));
            self.push(level, "composition-member-added", loc, message);
        }
        for (i, j) in pairs {
            let at = At::new(format!("{}/{i}", at.old), format!("{}/{j}", at.new));
            self.schema(x[i], y[j], &cx.nested(at, &format!(".{keyword}[{j}]")));
        }
    }
}

/// What [`rust_scalar`] cannot tell.
const BY_BOUNDS: &str = "decided by bounds";

/// Two schemas being compared: their place, what reaches them, how messages name them,
/// and where they sit.
struct Cx {
    at: At,
    reach: Reach,
    what: String,
    place: Place,
}

impl Cx {
    fn new(at: At, reach: Reach, what: &str) -> Cx {
        let what = what.to_owned();
        Cx {
            at,
            reach,
            what,
            place: Place::Other,
        }
    }

    /// A schema nested in this one (`items`, a map's values, a composition member), at
    /// `at`, named with `suffix` after this one's name.
    fn nested(&self, at: At, suffix: &str) -> Cx {
        let what = format!("{}{suffix}", self.what);
        Cx {
            at,
            reach: self.reach,
            what,
            place: Place::Other,
        }
    }
}

static NULL: Value = Value::Null;

/// The `components` of a document (`null` when it has none).
fn components(doc: &Value) -> &Value {
    doc.get("components").unwrap_or(&NULL)
}

/// `listPhoneNumbers` → `list_phone_numbers`, as progenitor names client methods.
fn snake(id: &str) -> String {
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push('_');
        }
    }
    out
}
