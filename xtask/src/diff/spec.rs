//! The spec half of `cargo xtask diff`: two OpenAPI 3.0 documents in, a classified list
//! of [`Change`]s out. The rules are the table in the [parent module](super).
//!
//! Both documents are read as written (not preprocessed), so every pointer names a place
//! in the real file. What the preprocessing does to the Rust output (open response enums,
//! comma-joined arrays as strings, no length limits on parameters) is taken into account
//! by the rules themselves.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::{Map, Value};

use super::{Change, Level, Side};

/// Compares `old` with `new` and returns every change found, most severe first, then in
/// document order of their pointers. Both must be OpenAPI 3.0 documents as JSON.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut d = Differ {
        old,
        new,
        old_reach: reach_of_components(old),
        new_reach: reach_of_components(new),
        changes: Vec::new(),
    };
    d.info();
    d.servers(
        old.get("servers"),
        new.get("servers"),
        "/servers",
        "/servers",
        "API",
    );
    d.security(
        old.get("security"),
        new.get("security"),
        "/security",
        "/security",
        "API",
    );
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

/// Where a schema's values travel: in requests the client sends, in responses it decodes,
/// or both. Rules that narrow or widen what is accepted depend on it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    /// Reached from a parameter or a request body.
    pub request: bool,
    /// Reached from a response body or a response header.
    pub response: bool,
}

impl Reach {
    const REQUEST: Reach = Reach {
        request: true,
        response: false,
    };
    const RESPONSE: Reach = Reach {
        request: false,
        response: true,
    };

    fn union(self, other: Reach) -> Reach {
        Reach {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }

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
            Level::Breaking
        } else {
            Level::Patch
        }
    }
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Schema keywords that carry documentation only.
const DOC_KEYS: &[&str] = &["description", "title", "externalDocs"];
/// Keywords whose changes never reach the generated crate.
const INFO_KEYS: &[&str] = &["example", "examples", "xml"];

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn child(base: &str, token: &str) -> String {
    format!("{base}/{}", escape(token))
}

fn obj(v: Option<&Value>) -> Option<&Map<String, Value>> {
    v.and_then(Value::as_object)
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 60 {
        format!("{}…", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

/// Follows `$ref`s (of parameters, responses, headers, request bodies) to their target;
/// returns the target and its pointer. Stops at a dangling or repeated reference.
fn resolve<'a>(doc: &'a Value, value: &'a Value, pointer: String) -> (&'a Value, String) {
    let mut current = value;
    let mut pointer = pointer;
    let mut seen = BTreeSet::new();
    while let Some(target) = current
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        if !seen.insert(target.to_owned()) {
            break;
        }
        match doc.pointer(target) {
            Some(found) => {
                current = found;
                pointer = target.to_owned();
            }
            None => break,
        }
    }
    (current, pointer)
}

/// The schema a `$ref` names, or the schema itself (cycle-safe).
fn deref_schema<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    resolve(doc, schema, String::new()).0
}

fn schema_ref(schema: &Value) -> Option<&str> {
    schema.get("$ref").and_then(Value::as_str)
}

/// Names of the component schemas a subtree refers to directly.
fn collect_schema_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                out.push(name.replace("~1", "/").replace("~0", "~"));
            }
            map.values().for_each(|v| collect_schema_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_schema_refs(v, out)),
        _ => {}
    }
}

/// One operation of a document.
struct Operation<'a> {
    /// `GET /phone/numbers`.
    label: String,
    pointer: String,
    op: &'a Value,
    path_item: &'a Value,
    path_pointer: String,
}

/// Operations keyed by method and path template with parameter names blanked out, so a
/// renamed path parameter shows up as a parameter change, not as a new operation.
fn operations(doc: &Value) -> BTreeMap<(String, String), Operation<'_>> {
    let mut out = BTreeMap::new();
    for (path, item) in obj(doc.get("paths")).into_iter().flatten() {
        let path_pointer = child("/paths", path);
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                out.insert(
                    (blank_params(path), (*method).to_owned()),
                    Operation {
                        label: format!("{} {path}", method.to_uppercase()),
                        pointer: child(&path_pointer, method),
                        op,
                        path_item: item,
                        path_pointer: path_pointer.clone(),
                    },
                );
            }
        }
    }
    out
}

fn blank_params(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push('{');
            }
            '}' => {
                depth -= 1;
                out.push('}');
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// A parameter: its definition (references followed), the pointer of that definition,
/// and the pointer of its entry in the operation's list (where a `$ref` sits).
type Param<'a> = (&'a Value, String, String);

/// Parameters of an operation (path-level ones overridden by the operation's), resolved,
/// keyed by `(in, name)`.
fn parameters<'a>(doc: &'a Value, op: &Operation<'a>) -> BTreeMap<(String, String), Param<'a>> {
    let mut out = BTreeMap::new();
    let lists = [
        (
            op.path_item.get("parameters"),
            child(&op.path_pointer, "parameters"),
        ),
        (op.op.get("parameters"), child(&op.pointer, "parameters")),
    ];
    for (list, base) in lists {
        for (i, p) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let site = format!("{base}/{i}");
            let (p, ptr) = resolve(doc, p, site.clone());
            let location = p.get("in").and_then(Value::as_str).unwrap_or("").to_owned();
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            out.insert((location, name), (p, ptr, site));
        }
    }
    out
}

/// For every component schema, whether requests and/or responses reach it (following
/// `$ref`s transitively, each schema visited once so cycles end).
pub fn reach_of_components(doc: &Value) -> BTreeMap<String, Reach> {
    let mut roots: Vec<(String, Reach)> = Vec::new();
    for op in operations(doc).values() {
        for (p, _, _) in parameters(doc, op).values() {
            let mut refs = Vec::new();
            collect_schema_refs(p, &mut refs);
            roots.extend(refs.into_iter().map(|r| (r, Reach::REQUEST)));
        }
        if let Some(body) = op.op.get("requestBody") {
            let (body, _) = resolve(doc, body, String::new());
            let mut refs = Vec::new();
            collect_schema_refs(body, &mut refs);
            roots.extend(refs.into_iter().map(|r| (r, Reach::REQUEST)));
        }
        for response in obj(op.op.get("responses"))
            .into_iter()
            .flatten()
            .map(|(_, r)| r)
        {
            let (response, _) = resolve(doc, response, String::new());
            let mut refs = Vec::new();
            collect_schema_refs(response, &mut refs);
            for header in obj(response.get("headers"))
                .into_iter()
                .flatten()
                .map(|(_, h)| h)
            {
                collect_schema_refs(resolve(doc, header, String::new()).0, &mut refs);
            }
            roots.extend(refs.into_iter().map(|r| (r, Reach::RESPONSE)));
        }
    }
    let mut reach: BTreeMap<String, Reach> = BTreeMap::new();
    for (root, direction) in roots {
        let mut queue = VecDeque::from([root]);
        let mut visited = BTreeSet::new();
        while let Some(name) = queue.pop_front() {
            if !visited.insert(name.clone()) {
                continue;
            }
            let entry = reach.entry(name.clone()).or_default();
            *entry = entry.union(direction);
            if let Some(schema) = doc.pointer(&child("/components/schemas", &name)) {
                let mut refs = Vec::new();
                collect_schema_refs(schema, &mut refs);
                queue.extend(refs);
            }
        }
    }
    reach
}

type Scopes = BTreeMap<String, BTreeSet<String>>;
/// One security requirement: its index in the list and the scopes per scheme.
type Requirement = (usize, Scopes);

fn requirements(v: Option<&Value>) -> Vec<Requirement> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, req)| {
            let scopes = req
                .as_object()?
                .iter()
                .map(|(scheme, list)| {
                    let list = list
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    (scheme.clone(), list)
                })
                .collect();
            Some((i, scopes))
        })
        .collect()
}

/// Servers by URL, with their index.
fn server_list(v: Option<&Value>) -> BTreeMap<String, (usize, &Value)> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, s)| Some((s.get("url")?.as_str()?.to_owned(), (i, s))))
        .collect()
}

/// Response headers by lower-cased name (names are case-insensitive), resolved.
fn headers<'v>(
    response: &'v Value,
    doc: &'v Value,
    base: &str,
) -> BTreeMap<String, (&'v Value, String)> {
    obj(response.get("headers"))
        .into_iter()
        .flatten()
        .map(|(k, h)| {
            (
                k.to_ascii_lowercase(),
                resolve(doc, h, child(&child(base, "headers"), k)),
            )
        })
        .collect()
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
                && schema.get("exclusiveMinimum") != Some(&Value::Bool(true));
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
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("enum").is_none()
        && rust_scalar(schema) == Some("String")
        && (schema.get("pattern").is_some()
            || (place != Place::Parameter
                && (schema.get("maxLength").is_some() || schema.get("minLength").is_some())))
}

/// Whether a property comes out as `Option<T>` in Rust: nullable, or not required and
/// without a default, unless it is an array (typify uses an empty `Vec` for a missing one).
fn rust_optional(doc: &Value, schema: &Value, required: bool) -> bool {
    let target = deref_schema(doc, schema);
    let nullable = schema.get("nullable") == Some(&Value::Bool(true))
        || target.get("nullable") == Some(&Value::Bool(true));
    let container = target.get("type").and_then(Value::as_str) == Some("array");
    let default = schema.get("default").is_some() || target.get("default").is_some();
    nullable || (!required && !container && !default)
}

fn required_set(schema: &Value) -> BTreeSet<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

struct Differ<'a> {
    old: &'a Value,
    new: &'a Value,
    old_reach: BTreeMap<String, Reach>,
    new_reach: BTreeMap<String, Reach>,
    changes: Vec<Change>,
}

impl<'a> Differ<'a> {
    fn push(
        &mut self,
        level: Level,
        kind: &'static str,
        side: Side,
        pointer: &str,
        message: String,
    ) {
        self.changes.push(Change {
            level,
            kind,
            side,
            pointer: pointer.to_owned(),
            message,
        });
    }

    /// Reports a change of a documentation-only value.
    fn docs(&mut self, old: Option<&Value>, new: Option<&Value>, np: &str, op_: &str, what: &str) {
        if old != new {
            let (side, ptr) = if new.is_some() {
                (Side::New, np)
            } else {
                (Side::Old, op_)
            };
            self.push(
                Level::Patch,
                "description-changed",
                side,
                ptr,
                format!("{what} changed (documentation in the generated code)"),
            );
        }
    }

    /// Reports keys of `old`/`new` outside `handled` that changed: `x-` extensions and
    /// examples as information, anything else as an unclassified patch to review by hand.
    fn rest(
        &mut self,
        old: &Value,
        new: &Value,
        op_: &str,
        np: &str,
        handled: &[&str],
        what: &str,
    ) {
        let keys: BTreeSet<&String> = obj(Some(old))
            .into_iter()
            .flat_map(|m| m.keys())
            .chain(obj(Some(new)).into_iter().flat_map(|m| m.keys()))
            .collect();
        for key in keys {
            if handled.contains(&key.as_str()) {
                continue;
            }
            let (a, b) = (old.get(key), new.get(key));
            if a == b {
                continue;
            }
            let (side, ptr) = if b.is_some() {
                (Side::New, child(np, key))
            } else {
                (Side::Old, child(op_, key))
            };
            if key.starts_with("x-") || INFO_KEYS.contains(&key.as_str()) {
                self.push(
                    Level::None,
                    "example-changed",
                    side,
                    &ptr,
                    format!("{what}: `{key}` changed (not part of the generated crate)"),
                );
            } else if DOC_KEYS.contains(&key.as_str()) {
                self.docs(
                    a,
                    b,
                    &child(np, key),
                    &child(op_, key),
                    &format!("{what}: `{key}`"),
                );
            } else {
                self.push(
                    Level::Patch,
                    "unclassified",
                    side,
                    &ptr,
                    format!("{what}: `{key}` changed; no rule covers it, review by hand"),
                );
            }
        }
    }

    fn info(&mut self) {
        let (o, n) = (self.old.get("info"), self.new.get("info"));
        let (ov, nv) = (
            o.and_then(|i| i.get("version")),
            n.and_then(|i| i.get("version")),
        );
        if ov != nv {
            self.push(
                Level::Patch,
                "api-version-changed",
                Side::New,
                "/info/version",
                format!(
                    "API version {} → {} (the generated `api_version()` and its header)",
                    ov.map(short).unwrap_or_default(),
                    nv.map(short).unwrap_or_default()
                ),
            );
        }
        let null = Value::Null;
        self.rest(
            o.unwrap_or(&null),
            n.unwrap_or(&null),
            "/info",
            "/info",
            &["version", "description", "title"],
            "info",
        );
        for key in ["title", "description"] {
            self.docs(
                o.and_then(|i| i.get(key)),
                n.and_then(|i| i.get(key)),
                &format!("/info/{key}"),
                &format!("/info/{key}"),
                &format!("info.{key}"),
            );
        }
    }

    /// `servers` of the document, a path or an operation.
    fn servers(
        &mut self,
        old: Option<&Value>,
        new: Option<&Value>,
        op_: &str,
        np: &str,
        what: &str,
    ) {
        let (old_list, new_list) = (server_list(old), server_list(new));
        for (url, (i, o)) in &old_list {
            let ptr = format!("{op_}/{i}");
            match new_list.get(url) {
                None => self.push(
                    Level::Breaking,
                    "server-removed",
                    Side::Old,
                    &ptr,
                    format!(
                        "{what}: server `{url}` removed: clients configured with it (or a \
                         hand-written default base URL) stop reaching the API"
                    ),
                ),
                Some((j, n)) => {
                    let nptr = format!("{np}/{j}");
                    self.server_variables(o, n, &ptr, &nptr, url);
                    self.docs(
                        o.get("description"),
                        n.get("description"),
                        &child(&nptr, "description"),
                        &child(&ptr, "description"),
                        &format!("server `{url}` description"),
                    );
                }
            }
        }
        for (url, (j, _)) in &new_list {
            if !old_list.contains_key(url) {
                self.push(
                    Level::Addition,
                    "server-added",
                    Side::New,
                    &format!("{np}/{j}"),
                    format!("{what}: server `{url}` added"),
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn server_variables(&mut self, o: &Value, n: &Value, op_: &str, np: &str, url: &str) {
        let (ov, nv) = (obj(o.get("variables")), obj(n.get("variables")));
        let names: BTreeSet<&String> = ov
            .into_iter()
            .flatten()
            .chain(nv.into_iter().flatten())
            .map(|(k, _)| k)
            .collect();
        for name in names {
            let optr = child(&child(op_, "variables"), name);
            let nptr = child(&child(np, "variables"), name);
            let (a, b) = (ov.and_then(|m| m.get(name)), nv.and_then(|m| m.get(name)));
            let (Some(a), Some(b)) = (a, b) else {
                // A variable is part of the URL template, so the URL itself changed.
                continue;
            };
            let values = |v: &Value| -> BTreeSet<String> {
                v.get("enum")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(short)
                    .collect()
            };
            let (av, bv) = (values(a), values(b));
            for gone in av.difference(&bv) {
                self.push(
                    Level::Breaking,
                    "server-variable-value-removed",
                    Side::Old,
                    &child(&optr, "enum"),
                    format!("server `{url}`: `{name}` no longer allows {gone}"),
                );
            }
            for added in bv.difference(&av) {
                self.push(
                    Level::Addition,
                    "server-variable-value-added",
                    Side::New,
                    &child(&nptr, "enum"),
                    format!("server `{url}`: `{name}` now allows {added}"),
                );
            }
            if a.get("default") != b.get("default") {
                self.push(
                    Level::Patch,
                    "server-variable-default-changed",
                    Side::New,
                    &child(&nptr, "default"),
                    format!(
                        "server `{url}`: default of `{name}` {} → {} (check the hand-written \
                         default base URL)",
                        a.get("default").map(short).unwrap_or_default(),
                        b.get("default").map(short).unwrap_or_default()
                    ),
                );
            }
        }
    }

    /// A security requirement list: alternatives, each naming schemes with the scopes a
    /// token needs. Alternatives over the same schemes are grouped (Zoom lists one scope
    /// set per entry), and every scope set that was enough before must still be enough.
    fn security(
        &mut self,
        old: Option<&Value>,
        new: Option<&Value>,
        op_: &str,
        np: &str,
        what: &str,
    ) {
        let (a, b) = (requirements(old), requirements(new));
        let open = |alts: &[Requirement]| alts.is_empty() || alts.iter().any(|r| r.1.is_empty());
        if open(&a) && !open(&b) {
            self.push(
                Level::Breaking,
                "security-required",
                Side::New,
                np,
                format!("{what}: authentication is now required"),
            );
            return;
        }
        let mut groups: BTreeMap<BTreeSet<String>, (Vec<&Requirement>, Vec<&Requirement>)> =
            BTreeMap::new();
        for r in &a {
            groups
                .entry(r.1.keys().cloned().collect())
                .or_default()
                .0
                .push(r);
        }
        for r in &b {
            groups
                .entry(r.1.keys().cloned().collect())
                .or_default()
                .1
                .push(r);
        }
        // A token holding `had` satisfies `need` when every needed scope is held.
        let enough = |had: &Scopes, need: &Scopes| {
            need.iter()
                .all(|(s, n)| had.get(s).is_some_and(|h| n.is_subset(h)))
        };
        for (schemes, (olds, news)) in groups {
            let names = if schemes.is_empty() {
                "no authentication".to_owned()
            } else {
                schemes
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" + ")
            };
            if news.is_empty() {
                self.push(
                    Level::Breaking,
                    "security-alternative-removed",
                    Side::Old,
                    &format!("{op_}/{}", olds[0].0),
                    format!("{what}: authenticating with {names} is no longer accepted"),
                );
                continue;
            }
            if olds.is_empty() {
                self.push(
                    Level::Addition,
                    "security-alternative-added",
                    Side::New,
                    &format!("{np}/{}", news[0].0),
                    format!("{what}: authenticating with {names} is now accepted"),
                );
                continue;
            }
            let mut narrowed = false;
            for old_req in &olds {
                if !news.iter().any(|n| enough(&old_req.1, &n.1)) {
                    narrowed = true;
                    let (j, need) = (news[0].0, &news[0].1);
                    let extra: Vec<String> = need
                        .iter()
                        .flat_map(|(s, n)| {
                            let had = old_req.1.get(s).cloned().unwrap_or_default();
                            n.difference(&had)
                                .map(|x| format!("`{x}`"))
                                .collect::<Vec<_>>()
                        })
                        .collect();
                    self.push(
                        Level::Breaking,
                        "security-scopes-narrowed",
                        Side::New,
                        &format!("{np}/{j}"),
                        format!(
                            "{what}: a {names} token with the scopes accepted before is no \
                             longer enough (now needs {})",
                            extra.join(", ")
                        ),
                    );
                }
            }
            // Every token that worked still does; a new scope set is one more way in.
            for new_req in news.iter().filter(|_| !narrowed) {
                if !olds.iter().any(|o| o.1 == new_req.1) {
                    self.push(
                        Level::Patch,
                        "security-scopes-widened",
                        Side::New,
                        &format!("{np}/{}", new_req.0),
                        format!("{what}: {names} accepts a new scope set"),
                    );
                }
            }
        }
    }

    fn security_schemes(&mut self) {
        let (o, n) = (
            obj(self.old.pointer("/components/securitySchemes")),
            obj(self.new.pointer("/components/securitySchemes")),
        );
        let names: BTreeSet<&String> = o
            .into_iter()
            .flatten()
            .chain(n.into_iter().flatten())
            .map(|(k, _)| k)
            .collect();
        for name in names {
            let ptr = child("/components/securitySchemes", name);
            match (o.and_then(|m| m.get(name)), n.and_then(|m| m.get(name))) {
                (Some(_), None) => self.push(
                    Level::Breaking,
                    "security-scheme-removed",
                    Side::Old,
                    &ptr,
                    format!("security scheme `{name}` removed"),
                ),
                (None, Some(_)) => self.push(
                    Level::Addition,
                    "security-scheme-added",
                    Side::New,
                    &ptr,
                    format!("security scheme `{name}` added"),
                ),
                (Some(a), Some(b)) => self.security_scheme(a, b, &ptr, name),
                (None, None) => {}
            }
        }
    }

    fn security_scheme(&mut self, a: &Value, b: &Value, ptr: &str, name: &str) {
        for key in [
            "type",
            "scheme",
            "in",
            "name",
            "bearerFormat",
            "openIdConnectUrl",
        ] {
            if a.get(key) != b.get(key) {
                let level = if key == "bearerFormat" {
                    Level::Patch
                } else {
                    Level::Breaking
                };
                self.push(
                    level,
                    "security-scheme-changed",
                    Side::New,
                    &child(ptr, key),
                    format!(
                        "security scheme `{name}`: `{key}` {} → {} (credentials travel differently)",
                        a.get(key).map(short).unwrap_or_else(|| "unset".into()),
                        b.get(key).map(short).unwrap_or_else(|| "unset".into())
                    ),
                );
            }
        }
        let (af, bf) = (obj(a.get("flows")), obj(b.get("flows")));
        let flows: BTreeSet<&String> = af
            .into_iter()
            .flatten()
            .chain(bf.into_iter().flatten())
            .map(|(k, _)| k)
            .collect();
        for flow in flows {
            let fptr = child(&child(ptr, "flows"), flow);
            match (af.and_then(|m| m.get(flow)), bf.and_then(|m| m.get(flow))) {
                (Some(_), None) => self.push(
                    Level::Breaking,
                    "oauth-flow-removed",
                    Side::Old,
                    &fptr,
                    format!("security scheme `{name}`: OAuth flow `{flow}` removed"),
                ),
                (None, Some(_)) => self.push(
                    Level::Addition,
                    "oauth-flow-added",
                    Side::New,
                    &fptr,
                    format!("security scheme `{name}`: OAuth flow `{flow}` added"),
                ),
                (Some(x), Some(y)) => {
                    for key in ["tokenUrl", "authorizationUrl", "refreshUrl"] {
                        if x.get(key) != y.get(key) {
                            self.push(
                                Level::Breaking,
                                "oauth-url-changed",
                                Side::New,
                                &child(&fptr, key),
                                format!(
                                    "security scheme `{name}`: `{flow}.{key}` {} → {} (callers \
                                     pass this URL to the client)",
                                    x.get(key).map(short).unwrap_or_else(|| "unset".into()),
                                    y.get(key).map(short).unwrap_or_else(|| "unset".into())
                                ),
                            );
                        }
                    }
                    let scopes = |v: &Value| -> BTreeSet<String> {
                        obj(v.get("scopes"))
                            .into_iter()
                            .flatten()
                            .map(|(k, _)| k.clone())
                            .collect()
                    };
                    let (xs, ys) = (scopes(x), scopes(y));
                    for gone in xs.difference(&ys) {
                        self.push(
                            Level::Breaking,
                            "oauth-scope-removed",
                            Side::Old,
                            &child(&child(&fptr, "scopes"), gone),
                            format!("security scheme `{name}`: scope `{gone}` removed"),
                        );
                    }
                    for added in ys.difference(&xs) {
                        self.push(
                            Level::Addition,
                            "oauth-scope-added",
                            Side::New,
                            &child(&child(&fptr, "scopes"), added),
                            format!("security scheme `{name}`: scope `{added}` added"),
                        );
                    }
                }
                (None, None) => {}
            }
        }
        self.docs(
            a.get("description"),
            b.get("description"),
            &child(ptr, "description"),
            &child(ptr, "description"),
            &format!("security scheme `{name}` description"),
        );
    }

    fn operations(&mut self) {
        let (old_ops, new_ops) = (operations(self.old), operations(self.new));
        for (key, o) in &old_ops {
            match new_ops.get(key) {
                None => {
                    let id =
                        o.op.get("operationId")
                            .and_then(Value::as_str)
                            .unwrap_or("?");
                    self.push(
                        Level::Breaking,
                        "operation-removed",
                        Side::Old,
                        &o.pointer,
                        format!(
                            "{}: operation removed (the client method `{}` goes away)",
                            o.label,
                            snake(id)
                        ),
                    );
                }
                Some(n) => self.operation(o, n),
            }
        }
        for (key, n) in &new_ops {
            if !old_ops.contains_key(key) {
                let id =
                    n.op.get("operationId")
                        .and_then(Value::as_str)
                        .unwrap_or("?");
                self.push(
                    Level::Addition,
                    "operation-added",
                    Side::New,
                    &n.pointer,
                    format!(
                        "{}: operation added (client method `{}`)",
                        n.label,
                        snake(id)
                    ),
                );
            }
        }
    }

    fn operation(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        let label = n.label.clone();
        let (oid, nid) = (o.op.get("operationId"), n.op.get("operationId"));
        if oid != nid {
            self.push(
                Level::Breaking,
                "operation-id-changed",
                Side::New,
                &child(&n.pointer, "operationId"),
                format!(
                    "{label}: operationId {} → {} (the Rust method and builder are renamed)",
                    oid.map(short).unwrap_or_default(),
                    nid.map(short).unwrap_or_default()
                ),
            );
        }
        if o.op.get("deprecated") != n.op.get("deprecated") {
            self.push(
                Level::Patch,
                "deprecated-changed",
                Side::New,
                &child(&n.pointer, "deprecated"),
                format!("{label}: deprecated flag changed"),
            );
        }
        self.parameters(o, n, &label);
        self.request_body(o, n, &label);
        self.responses(o, n, &label);
        // Operation-level security and servers override the document's.
        if o.op.get("security").is_some() || n.op.get("security").is_some() {
            let (os, ns) = (
                o.op.get("security").or(self.old.get("security")),
                n.op.get("security").or(self.new.get("security")),
            );
            self.security(
                os,
                ns,
                &child(&o.pointer, "security"),
                &child(&n.pointer, "security"),
                &label,
            );
        }
        for (old_item, new_item, optr, nptr) in [
            (o.path_item, n.path_item, &o.path_pointer, &n.path_pointer),
            (o.op, n.op, &o.pointer, &n.pointer),
        ] {
            if old_item.get("servers").is_some() || new_item.get("servers").is_some() {
                self.servers(
                    old_item.get("servers"),
                    new_item.get("servers"),
                    &child(optr, "servers"),
                    &child(nptr, "servers"),
                    &label,
                );
            }
        }
        self.rest(
            o.op,
            n.op,
            &o.pointer,
            &n.pointer,
            &[
                "operationId",
                "deprecated",
                "parameters",
                "requestBody",
                "responses",
                "security",
                "servers",
                "tags",
            ],
            &label,
        );
        if o.op.get("tags") != n.op.get("tags") {
            self.push(
                Level::None,
                "tags-changed",
                Side::New,
                &child(&n.pointer, "tags"),
                format!("{label}: tags changed (the generator merges tags)"),
            );
        }
    }

    fn parameters(&mut self, o: &Operation<'a>, n: &Operation<'a>, label: &str) {
        let (op_, np) = (parameters(self.old, o), parameters(self.new, n));
        for ((location, name), (p, ptr, site)) in &op_ {
            let what = format!("{label}: {location} parameter `{name}`");
            match np.get(&(location.clone(), name.clone())) {
                None => self.push(
                    Level::Breaking,
                    "parameter-removed",
                    Side::Old,
                    site,
                    format!("{what} removed (its builder method goes away)"),
                ),
                Some((q, qptr, _)) => self.parameter(p, q, ptr, qptr, &what),
            }
        }
        for ((location, name), (q, _, qptr)) in &np {
            if op_.contains_key(&(location.clone(), name.clone())) {
                continue;
            }
            let required = q.get("required") == Some(&Value::Bool(true));
            let what = format!("{label}: {location} parameter `{name}`");
            if required {
                self.push(
                    Level::Breaking,
                    "required-parameter-added",
                    Side::New,
                    qptr,
                    format!("{what} added as required: calls that do not set it fail in `send()`"),
                );
            } else {
                self.push(
                    Level::Addition,
                    "optional-parameter-added",
                    Side::New,
                    qptr,
                    format!("{what} added (optional)"),
                );
            }
        }
    }

    fn parameter(&mut self, p: &Value, q: &Value, ptr: &str, qptr: &str, what: &str) {
        let (r0, r1) = (
            p.get("required") == Some(&Value::Bool(true)),
            q.get("required") == Some(&Value::Bool(true)),
        );
        if !r0 && r1 {
            self.push(
                Level::Breaking,
                "parameter-became-required",
                Side::New,
                &child(qptr, "required"),
                format!("{what} is now required: calls that do not set it fail in `send()`"),
            );
        } else if r0 && !r1 {
            self.push(
                Level::Patch,
                "parameter-became-optional",
                Side::New,
                &child(qptr, "required"),
                format!("{what} is now optional (the builder method keeps its signature)"),
            );
        }
        for key in ["style", "explode"] {
            if p.get(key) != q.get(key) {
                self.push(
                    Level::Breaking,
                    "parameter-serialization-changed",
                    Side::New,
                    &child(qptr, key),
                    format!(
                        "{what}: `{key}` {} → {} (sent differently on the wire; an array may \
                         become a comma-joined string in Rust)",
                        p.get(key).map(short).unwrap_or_else(|| "default".into()),
                        q.get(key).map(short).unwrap_or_else(|| "default".into())
                    ),
                );
            }
        }
        if p.get("deprecated") != q.get("deprecated") {
            self.push(
                Level::Patch,
                "deprecated-changed",
                Side::New,
                &child(qptr, "deprecated"),
                format!("{what}: deprecated flag changed"),
            );
        }
        match (p.get("schema"), q.get("schema")) {
            (Some(a), Some(b)) => self.schema(
                a,
                b,
                &child(ptr, "schema"),
                &child(qptr, "schema"),
                Reach::REQUEST,
                what,
                Place::Parameter,
            ),
            (a, b) if a != b => self.push(
                Level::Breaking,
                "parameter-schema-changed",
                Side::New,
                qptr,
                format!("{what}: schema added or removed"),
            ),
            _ => {}
        }
        if p.get("content").is_some() || q.get("content").is_some() {
            self.content(
                p.get("content"),
                q.get("content"),
                &child(ptr, "content"),
                &child(qptr, "content"),
                Reach::REQUEST,
                what,
                true,
            );
        }
        self.rest(
            p,
            q,
            ptr,
            qptr,
            &[
                "name",
                "in",
                "required",
                "style",
                "explode",
                "deprecated",
                "schema",
                "content",
            ],
            what,
        );
    }

    fn request_body(&mut self, o: &Operation<'a>, n: &Operation<'a>, label: &str) {
        let what = format!("{label}: request body");
        let (a, b) = (o.op.get("requestBody"), n.op.get("requestBody"));
        let optr = child(&o.pointer, "requestBody");
        let nptr = child(&n.pointer, "requestBody");
        match (a, b) {
            (None, None) => {}
            (Some(_), None) => self.push(
                Level::Breaking,
                "request-body-removed",
                Side::Old,
                &optr,
                format!("{what} removed (the builder's body methods go away)"),
            ),
            (None, Some(b)) => {
                let (b, bptr) = resolve(self.new, b, nptr);
                let required = b.get("required") == Some(&Value::Bool(true));
                self.push(
                    if required {
                        Level::Breaking
                    } else {
                        Level::Addition
                    },
                    if required {
                        "required-request-body-added"
                    } else {
                        "optional-request-body-added"
                    },
                    Side::New,
                    &bptr,
                    format!(
                        "{what} added{}",
                        if required {
                            " as required: calls without one fail"
                        } else {
                            " (optional)"
                        }
                    ),
                );
            }
            (Some(a), Some(b)) => {
                let (a, aptr) = resolve(self.old, a, optr);
                let (b, bptr) = resolve(self.new, b, nptr);
                let (r0, r1) = (
                    a.get("required") == Some(&Value::Bool(true)),
                    b.get("required") == Some(&Value::Bool(true)),
                );
                if r0 != r1 {
                    self.push(
                        if r1 { Level::Breaking } else { Level::Patch },
                        "request-body-required-changed",
                        Side::New,
                        &child(&bptr, "required"),
                        format!("{what} is now {}", if r1 { "required" } else { "optional" }),
                    );
                }
                self.content(
                    a.get("content"),
                    b.get("content"),
                    &child(&aptr, "content"),
                    &child(&bptr, "content"),
                    Reach::REQUEST,
                    &what,
                    true,
                );
                self.rest(a, b, &aptr, &bptr, &["required", "content"], &what);
            }
        }
    }

    /// Media types of a body. `essential`: losing one breaks callers (request bodies and
    /// success responses); for error responses it is a patch.
    #[allow(clippy::too_many_arguments)]
    fn content(
        &mut self,
        a: Option<&Value>,
        b: Option<&Value>,
        optr: &str,
        nptr: &str,
        reach: Reach,
        what: &str,
        essential: bool,
    ) {
        let (am, bm) = (obj(a), obj(b));
        let types: BTreeSet<&String> = am
            .into_iter()
            .flatten()
            .chain(bm.into_iter().flatten())
            .map(|(k, _)| k)
            .collect();
        for media in types {
            let (mo, mn) = (child(optr, media), child(nptr, media));
            match (am.and_then(|m| m.get(media)), bm.and_then(|m| m.get(media))) {
                (Some(_), None) => self.push(
                    if essential {
                        Level::Breaking
                    } else {
                        Level::Patch
                    },
                    "media-type-removed",
                    Side::Old,
                    &mo,
                    format!("{what}: media type `{media}` removed"),
                ),
                (None, Some(_)) => self.push(
                    if essential {
                        Level::Addition
                    } else {
                        Level::Patch
                    },
                    "media-type-added",
                    Side::New,
                    &mn,
                    format!("{what}: media type `{media}` added"),
                ),
                (Some(x), Some(y)) => {
                    match (x.get("schema"), y.get("schema")) {
                        (Some(s), Some(t)) => self.schema(
                            s,
                            t,
                            &child(&mo, "schema"),
                            &child(&mn, "schema"),
                            reach,
                            &format!("{what} ({media})"),
                            Place::Other,
                        ),
                        (s, t) if s != t => self.push(
                            Level::Breaking,
                            "body-schema-changed",
                            Side::New,
                            &mn,
                            format!("{what} ({media}): schema added or removed"),
                        ),
                        _ => {}
                    }
                    self.rest(x, y, &mo, &mn, &["schema"], &format!("{what} ({media})"));
                }
                (None, None) => {}
            }
        }
    }

    fn responses(&mut self, o: &Operation<'a>, n: &Operation<'a>, label: &str) {
        let (am, bm) = (obj(o.op.get("responses")), obj(n.op.get("responses")));
        let optr = child(&o.pointer, "responses");
        let nptr = child(&n.pointer, "responses");
        let codes: BTreeSet<&String> = am
            .into_iter()
            .flatten()
            .chain(bm.into_iter().flatten())
            .map(|(k, _)| k)
            .collect();
        for code in codes {
            let success = is_success(code);
            let what = format!("{label}: response {code}");
            match (am.and_then(|m| m.get(code)), bm.and_then(|m| m.get(code))) {
                (Some(_), None) => self.push(
                    if success { Level::Breaking } else { Level::Patch },
                    "response-removed",
                    Side::Old,
                    &child(&optr, code),
                    if success {
                        format!("{what} removed: the generated `send()` no longer accepts it as success")
                    } else {
                        format!("{what} removed (telnums_core::Error reports the status either way)")
                    },
                ),
                (None, Some(_)) => self.push(
                    if success { Level::Addition } else { Level::Patch },
                    "response-added",
                    Side::New,
                    &child(&nptr, code),
                    format!("{what} added"),
                ),
                (Some(a), Some(b)) => {
                    let (a, aptr) = resolve(self.old, a, child(&optr, code));
                    let (b, bptr) = resolve(self.new, b, child(&nptr, code));
                    self.content(a.get("content"), b.get("content"), &child(&aptr, "content"), &child(&bptr, "content"), Reach::RESPONSE, &what, success);
                    self.response_headers(a, b, &aptr, &bptr, &what);
                    self.rest(a, b, &aptr, &bptr, &["content", "headers", "links"], &what);
                }
                (None, None) => {}
            }
        }
    }

    fn response_headers(&mut self, a: &Value, b: &Value, aptr: &str, bptr: &str, what: &str) {
        // Header names are case-insensitive.
        let (ha, hb) = (headers(a, self.old, aptr), headers(b, self.new, bptr));
        for (name, (h, hptr)) in &ha {
            let required = h.get("required") == Some(&Value::Bool(true));
            match hb.get(name) {
                None => self.push(
                    if required {
                        Level::Breaking
                    } else {
                        Level::Patch
                    },
                    "response-header-removed",
                    Side::Old,
                    hptr,
                    format!(
                        "{what}: header `{name}` removed{}",
                        if required {
                            " (it was documented as always present)"
                        } else {
                            " (it was optional)"
                        }
                    ),
                ),
                Some((g, gptr)) => {
                    let now_required = g.get("required") == Some(&Value::Bool(true));
                    if required != now_required {
                        self.push(
                            if required {
                                Level::Breaking
                            } else {
                                Level::Patch
                            },
                            "response-header-required-changed",
                            Side::New,
                            &child(gptr, "required"),
                            format!(
                                "{what}: header `{name}` is now {}",
                                if now_required {
                                    "always present"
                                } else {
                                    "optional"
                                }
                            ),
                        );
                    }
                    if let (Some(s), Some(t)) = (h.get("schema"), g.get("schema")) {
                        self.schema(
                            s,
                            t,
                            &child(hptr, "schema"),
                            &child(gptr, "schema"),
                            Reach::RESPONSE,
                            &format!("{what}: header `{name}`"),
                            Place::Other,
                        );
                    }
                    self.rest(
                        h,
                        g,
                        hptr,
                        gptr,
                        &["schema", "required"],
                        &format!("{what}: header `{name}`"),
                    );
                }
            }
        }
        for (name, (_, gptr)) in &hb {
            if !ha.contains_key(name) {
                self.push(
                    Level::Addition,
                    "response-header-added",
                    Side::New,
                    gptr,
                    format!("{what}: header `{name}` added"),
                );
            }
        }
    }

    fn component_schemas(&mut self) {
        let (a, b) = (
            obj(self.old.pointer("/components/schemas")),
            obj(self.new.pointer("/components/schemas")),
        );
        let names: BTreeSet<&String> = a
            .into_iter()
            .flatten()
            .chain(b.into_iter().flatten())
            .map(|(k, _)| k)
            .collect();
        for name in names {
            let ptr = child("/components/schemas", name);
            let reach = self
                .old_reach
                .get(name.as_str())
                .copied()
                .unwrap_or_default()
                .union(
                    self.new_reach
                        .get(name.as_str())
                        .copied()
                        .unwrap_or_default(),
                );
            match (a.and_then(|m| m.get(name)), b.and_then(|m| m.get(name))) {
                (Some(_), None) => self.push(
                    Level::Breaking,
                    "schema-removed",
                    Side::Old,
                    &ptr,
                    format!("schema `{name}` removed (its Rust type `types::{name}` goes away)"),
                ),
                (None, Some(_)) => self.push(
                    Level::Addition,
                    "schema-added",
                    Side::New,
                    &ptr,
                    format!("schema `{name}` added"),
                ),
                (Some(x), Some(y)) => self.schema(
                    x,
                    y,
                    &ptr,
                    &ptr,
                    reach,
                    &format!("{name} ({})", reach.label()),
                    Place::Other,
                ),
                (None, None) => {}
            }
        }
    }

    /// Compares two schemas at the given pointers.
    #[allow(clippy::too_many_arguments)]
    fn schema(
        &mut self,
        a: &Value,
        b: &Value,
        ap: &str,
        bp: &str,
        reach: Reach,
        what: &str,
        place: Place,
    ) {
        if a == b {
            return;
        }
        // References: the component is compared once on its own; here only which one.
        match (schema_ref(a), schema_ref(b)) {
            (Some(x), Some(y)) => {
                if x != y {
                    self.push(
                        Level::Breaking,
                        "reference-changed",
                        Side::New,
                        &child(bp, "$ref"),
                        format!("{what}: now `{y}` instead of `{x}` (the Rust type changes)"),
                    );
                }
                return;
            }
            (Some(x), None) | (None, Some(x)) => {
                self.push(
                    Level::Breaking,
                    "reference-changed",
                    Side::New,
                    bp,
                    format!(
                        "{what}: {} (the Rust type changes)",
                        if schema_ref(b).is_some() {
                            format!("inline schema replaced by `{x}`")
                        } else {
                            format!("`{x}` replaced by an inline schema")
                        }
                    ),
                );
                return;
            }
            (None, None) => {}
        }
        let (ta, tb) = (a.get("type"), b.get("type"));
        if ta != tb {
            self.push(
                Level::Breaking,
                "type-changed",
                Side::New,
                &child(bp, "type"),
                format!(
                    "{what}: type {} → {} (the Rust type changes)",
                    ta.map(short).unwrap_or_else(|| "any".into()),
                    tb.map(short).unwrap_or_else(|| "any".into())
                ),
            );
            return;
        }
        self.format(a, b, ap, bp, reach, what);
        self.enumeration(a, b, ap, bp, reach, what);
        self.constraints(a, b, ap, bp, reach, what, place);
        if place != Place::Property && a.get("nullable") != b.get("nullable") {
            let now = b.get("nullable") == Some(&Value::Bool(true));
            self.push(
                Level::Breaking,
                "nullable-changed",
                Side::New,
                &child(bp, "nullable"),
                format!(
                    "{what}: {} (the Rust type {} `Option`)",
                    if now {
                        "may now be null"
                    } else {
                        "may no longer be null"
                    },
                    if now { "gains an" } else { "loses its" }
                ),
            );
        }
        if a.get("default") != b.get("default") {
            self.push(
                Level::Patch,
                "default-changed",
                Side::New,
                &child(bp, "default"),
                format!(
                    "{what}: default {} → {} (what an omitted value means)",
                    a.get("default").map(short).unwrap_or_else(|| "none".into()),
                    b.get("default").map(short).unwrap_or_else(|| "none".into())
                ),
            );
        }
        for key in ["readOnly", "writeOnly", "deprecated"] {
            if a.get(key) != b.get(key) {
                self.push(
                    Level::Patch,
                    "flag-changed",
                    Side::New,
                    &child(bp, key),
                    format!("{what}: `{key}` changed"),
                );
            }
        }
        if a.get("discriminator") != b.get("discriminator") {
            self.push(
                Level::Breaking,
                "discriminator-changed",
                Side::New,
                &child(bp, "discriminator"),
                format!("{what}: discriminator changed (how variants are told apart)"),
            );
        }
        self.properties(a, b, ap, bp, reach, what);
        self.additional_properties(a, b, ap, bp, reach, what);
        match (a.get("items"), b.get("items")) {
            (Some(x), Some(y)) => self.schema(
                x,
                y,
                &child(ap, "items"),
                &child(bp, "items"),
                reach,
                &format!("{what}[]"),
                Place::Other,
            ),
            (None, None) => {}
            _ => self.push(
                Level::Breaking,
                "items-changed",
                Side::New,
                bp,
                format!("{what}: array items added or removed (the Rust type changes)"),
            ),
        }
        for keyword in ["oneOf", "anyOf", "allOf"] {
            self.composition(a, b, ap, bp, reach, what, keyword);
        }
        if a.get("not") != b.get("not") {
            self.push(
                Level::Breaking,
                "not-changed",
                Side::New,
                bp,
                format!("{what}: `not` changed"),
            );
        }
        self.rest(
            a,
            b,
            ap,
            bp,
            &[
                "type",
                "format",
                "enum",
                "nullable",
                "default",
                "readOnly",
                "writeOnly",
                "deprecated",
                "discriminator",
                "properties",
                "required",
                "additionalProperties",
                "items",
                "oneOf",
                "anyOf",
                "allOf",
                "not",
                "minimum",
                "maximum",
                "exclusiveMinimum",
                "exclusiveMaximum",
                "multipleOf",
                "minLength",
                "maxLength",
                "pattern",
                "minItems",
                "maxItems",
                "uniqueItems",
                "minProperties",
                "maxProperties",
            ],
            what,
        );
    }

    fn format(&mut self, a: &Value, b: &Value, ap: &str, bp: &str, reach: Reach, what: &str) {
        let (fa, fb) = (a.get("format"), b.get("format"));
        if fa == fb {
            return;
        }
        let (ra, rb) = (rust_scalar(a), rust_scalar(b));
        let describe = |f: Option<&Value>| f.map(short).unwrap_or_else(|| "none".into());
        // A removed format is pointed at in the old spec.
        let (side, ptr) = if fb.is_some() {
            (Side::New, child(bp, "format"))
        } else {
            (Side::Old, child(ap, "format"))
        };
        if ra != rb {
            self.push(
                Level::Breaking,
                "format-changed",
                side,
                &ptr,
                format!(
                    "{what}: format {} → {} (Rust type {} → {})",
                    describe(fa),
                    describe(fb),
                    ra.unwrap_or("decided by bounds"),
                    rb.unwrap_or("decided by bounds")
                ),
            );
        } else {
            // Same Rust type: only the wire meaning narrows or widens.
            let level = if fb.is_some() {
                reach.narrowed()
            } else {
                Level::Patch
            };
            self.push(
                level,
                "format-changed",
                side,
                &ptr,
                format!(
                    "{what}: format {} → {} ({} values)",
                    describe(fa),
                    describe(fb),
                    reach.label()
                ),
            );
        }
    }

    fn enumeration(&mut self, a: &Value, b: &Value, ap: &str, bp: &str, reach: Reach, what: &str) {
        let (ea, eb) = (
            a.get("enum").and_then(Value::as_array),
            b.get("enum").and_then(Value::as_array),
        );
        match (ea, eb) {
            (None, None) => {}
            (Some(_), None) => self.push(
                Level::Breaking,
                "enum-removed",
                Side::Old,
                &child(ap, "enum"),
                format!("{what}: no longer an enumeration (the Rust enum becomes a plain type)"),
            ),
            (None, Some(_)) => self.push(
                Level::Breaking,
                "enum-added",
                Side::New,
                &child(bp, "enum"),
                format!("{what}: now an enumeration (a plain type becomes a Rust enum)"),
            ),
            (Some(x), Some(y)) => {
                for (i, v) in x.iter().enumerate() {
                    if !y.contains(v) {
                        self.push(
                            Level::Breaking,
                            "enum-value-removed",
                            Side::Old,
                            &format!("{ap}/enum/{i}"),
                            format!(
                                "{what}: enum value {} removed (its Rust variant goes away{})",
                                short(v),
                                if reach.request {
                                    "; the server refuses it in requests"
                                } else {
                                    ""
                                }
                            ),
                        );
                    }
                }
                for (i, v) in y.iter().enumerate() {
                    if !x.contains(v) {
                        self.push(
                            Level::Addition,
                            "enum-value-added",
                            Side::New,
                            &format!("{bp}/enum/{i}"),
                            format!(
                                "{what}: enum value {} added{}",
                                short(v),
                                if reach.response {
                                    " (response enums are open: it was kept as `Other` before, now it is a known variant)"
                                } else {
                                    ""
                                }
                            ),
                        );
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn constraints(
        &mut self,
        a: &Value,
        b: &Value,
        ap: &str,
        bp: &str,
        reach: Reach,
        what: &str,
        place: Place,
    ) {
        // Raising a lower bound or lowering an upper one narrows what is accepted.
        const LOWER: &[&str] = &["minimum", "minLength", "minItems", "minProperties"];
        const UPPER: &[&str] = &["maximum", "maxLength", "maxItems", "maxProperties"];
        // A newly wrapped or unwrapped string changes the Rust type whatever the direction.
        let (ca, cb) = (constrained_string(a, place), constrained_string(b, place));
        if ca != cb {
            self.push(
                Level::Breaking,
                "string-constraints-changed",
                Side::New,
                bp,
                format!(
                    "{what}: {} (the Rust type changes between `String` and a checked newtype)",
                    if cb {
                        "gains length limits or a pattern"
                    } else {
                        "loses its length limits and pattern"
                    }
                ),
            );
        }
        let num = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64);
        for key in LOWER.iter().chain(UPPER) {
            let (x, y) = (num(a, key), num(b, key));
            if x == y {
                continue;
            }
            let lower = LOWER.contains(key);
            let narrowed = match (x, y) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => (lower && y > x) || (!lower && y < x),
                (None, None) => false,
            };
            let level = if narrowed {
                reach.narrowed()
            } else {
                Level::Patch
            };
            let ptr = if y.is_some() {
                child(bp, key)
            } else {
                child(ap, key)
            };
            self.push(
                level,
                if narrowed {
                    "constraint-narrowed"
                } else {
                    "constraint-widened"
                },
                if y.is_some() { Side::New } else { Side::Old },
                &ptr,
                format!(
                    "{what}: `{key}` {} → {} ({} {} values)",
                    x.map(|v| v.to_string()).unwrap_or_else(|| "none".into()),
                    y.map(|v| v.to_string()).unwrap_or_else(|| "none".into()),
                    if narrowed { "narrows" } else { "widens" },
                    reach.label()
                ),
            );
        }
        // Rust integer types follow format and a minimum of 1 (NonZero types).
        if a.get("type").and_then(Value::as_str) == Some("integer")
            && a.get("format") == b.get("format")
        {
            let (ra, rb) = (rust_scalar(a), rust_scalar(b));
            if ra != rb {
                self.push(
                    Level::Breaking,
                    "integer-type-changed",
                    Side::New,
                    bp,
                    format!(
                        "{what}: bounds change the Rust type {} → {}",
                        ra.unwrap_or("decided by bounds"),
                        rb.unwrap_or("decided by bounds")
                    ),
                );
            }
        }
        // Setting one of these flags narrows what is accepted, clearing it widens.
        for key in ["exclusiveMinimum", "exclusiveMaximum", "uniqueItems"] {
            let flag = |v: &Value| v.get(key) == Some(&Value::Bool(true));
            if flag(a) != flag(b) {
                let narrowed = flag(b);
                self.push(
                    if narrowed {
                        reach.narrowed()
                    } else {
                        Level::Patch
                    },
                    if narrowed {
                        "constraint-narrowed"
                    } else {
                        "constraint-widened"
                    },
                    Side::New,
                    &child(bp, key),
                    format!(
                        "{what}: `{key}` {} ({} values)",
                        if flag(b) { "set" } else { "cleared" },
                        reach.label()
                    ),
                );
            }
        }
        for key in ["pattern", "multipleOf"] {
            let (x, y) = (a.get(key), b.get(key));
            if x == y {
                continue;
            }
            let narrowed = y.is_some();
            self.push(
                if narrowed {
                    reach.narrowed()
                } else {
                    Level::Patch
                },
                if narrowed {
                    "constraint-narrowed"
                } else {
                    "constraint-widened"
                },
                if y.is_some() { Side::New } else { Side::Old },
                &if y.is_some() {
                    child(bp, key)
                } else {
                    child(ap, key)
                },
                format!(
                    "{what}: `{key}` {} → {} ({} values)",
                    x.map(short).unwrap_or_else(|| "none".into()),
                    y.map(short).unwrap_or_else(|| "none".into()),
                    reach.label()
                ),
            );
        }
    }

    fn properties(&mut self, a: &Value, b: &Value, ap: &str, bp: &str, reach: Reach, what: &str) {
        let (pa, pb) = (obj(a.get("properties")), obj(b.get("properties")));
        let (ra, rb) = (required_set(a), required_set(b));
        let names: BTreeSet<&String> = pa
            .into_iter()
            .flatten()
            .chain(pb.into_iter().flatten())
            .map(|(k, _)| k)
            .collect();
        let base = what.split(" (").next().unwrap_or(what).to_owned();
        for name in names {
            let label = format!("{base}.{name}");
            let aptr = child(&child(ap, "properties"), name);
            let bptr = child(&child(bp, "properties"), name);
            match (pa.and_then(|m| m.get(name)), pb.and_then(|m| m.get(name))) {
                (Some(_), None) => self.push(
                    Level::Breaking,
                    "property-removed",
                    Side::Old,
                    &aptr,
                    format!(
                        "{label} removed from a {} schema (code that {} the field no longer compiles)",
                        reach.label(),
                        if reach.request && !reach.response { "sets" } else { "reads" }
                    ),
                ),
                (None, Some(_)) => {
                    let required = rb.contains(name.as_str());
                    if required && reach.request {
                        self.push(
                            Level::Breaking,
                            "required-property-added",
                            Side::New,
                            &bptr,
                            format!("{label} added as required to a request schema: requests without it are refused"),
                        );
                    } else {
                        self.push(
                            Level::Addition,
                            "property-added",
                            Side::New,
                            &bptr,
                            format!("{label} added{} ({} schema)", if required { " as required" } else { "" }, reach.label()),
                        );
                    }
                }
                (Some(x), Some(y)) => {
                    let (r0, r1) = (ra.contains(name.as_str()), rb.contains(name.as_str()));
                    let (o0, o1) = (rust_optional(self.old, x, r0), rust_optional(self.new, y, r1));
                    let rust = if o0 == o1 {
                        String::new()
                    } else if o1 {
                        "; the Rust field changes from `T` to `Option<T>`".to_owned()
                    } else {
                        "; the Rust field changes from `Option<T>` to `T`".to_owned()
                    };
                    if r0 != r1 {
                        let level = if (r1 && reach.request) || o0 != o1 {
                            Level::Breaking
                        } else {
                            Level::Patch
                        };
                        self.push(
                            level,
                            if r1 { "property-became-required" } else { "property-became-optional" },
                            Side::New,
                            &child(bp, "required"),
                            format!("{label} is now {} ({} schema){rust}", if r1 { "required" } else { "optional" }, reach.label()),
                        );
                    } else if x.get("nullable") != y.get("nullable") || o0 != o1 {
                        let now = y.get("nullable") == Some(&Value::Bool(true));
                        // Without a change of Rust type, null only ever meant "absent".
                        let level = if o0 != o1 { Level::Breaking } else { Level::Patch };
                        self.push(
                            level,
                            "property-nullability-changed",
                            Side::New,
                            &bptr,
                            format!("{label}: {}{rust}", if now { "may now be null" } else { "may no longer be null" }),
                        );
                    }
                    self.schema(x, y, &aptr, &bptr, reach, &label, Place::Property);
                }
                (None, None) => {}
            }
        }
    }

    fn additional_properties(
        &mut self,
        a: &Value,
        b: &Value,
        ap: &str,
        bp: &str,
        reach: Reach,
        what: &str,
    ) {
        let (x, y) = (a.get("additionalProperties"), b.get("additionalProperties"));
        if x == y {
            return;
        }
        let closed = |v: Option<&Value>| v == Some(&Value::Bool(false));
        let ptr = child(bp, "additionalProperties");
        match (x, y) {
            (Some(s), Some(t)) if s.is_object() && t.is_object() => {
                self.schema(
                    s,
                    t,
                    &child(ap, "additionalProperties"),
                    &ptr,
                    reach,
                    &format!("{what}{{*}}"),
                    Place::Other,
                );
            }
            _ if closed(y) => self.push(
                if reach.response {
                    Level::Breaking
                } else {
                    Level::Patch
                },
                "additional-properties-closed",
                Side::New,
                &ptr,
                format!(
                    "{what}: unknown fields are now refused{}",
                    if reach.response {
                        " (a field the provider adds later fails decoding)"
                    } else {
                        ""
                    }
                ),
            ),
            _ if closed(x) => self.push(
                Level::Patch,
                "additional-properties-opened",
                Side::Old,
                &child(ap, "additionalProperties"),
                format!("{what}: unknown fields are allowed again"),
            ),
            (_, Some(t)) if t.is_object() => self.push(
                Level::Addition,
                "additional-properties-added",
                Side::New,
                &ptr,
                format!("{what}: now a map of extra values"),
            ),
            _ => self.push(
                Level::Breaking,
                "additional-properties-removed",
                Side::Old,
                &child(ap, "additionalProperties"),
                format!("{what}: no longer a map of extra values"),
            ),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn composition(
        &mut self,
        a: &Value,
        b: &Value,
        ap: &str,
        bp: &str,
        reach: Reach,
        what: &str,
        keyword: &str,
    ) {
        let empty = Vec::new();
        let x = a.get(keyword).and_then(Value::as_array).unwrap_or(&empty);
        let y = b.get(keyword).and_then(Value::as_array).unwrap_or(&empty);
        if x == y {
            return;
        }
        // Pair members by their `$ref` where they have one, the rest by position.
        let mut unmatched_new: Vec<usize> = (0..y.len()).collect();
        let mut pairs = Vec::new();
        let mut unmatched_old = Vec::new();
        for (i, m) in x.iter().enumerate() {
            let found = schema_ref(m).and_then(|r| {
                unmatched_new
                    .iter()
                    .position(|&j| schema_ref(&y[j]) == Some(r))
            });
            match found {
                Some(pos) => pairs.push((i, unmatched_new.remove(pos))),
                None => unmatched_old.push(i),
            }
        }
        let mut rest_new = unmatched_new
            .into_iter()
            .filter(|&j| schema_ref(&y[j]).is_none())
            .collect::<Vec<_>>();
        let mut still_old = Vec::new();
        for i in unmatched_old {
            if schema_ref(&x[i]).is_none() && !rest_new.is_empty() {
                pairs.push((i, rest_new.remove(0)));
            } else {
                still_old.push(i);
            }
        }
        let added: Vec<usize> = (0..y.len())
            .filter(|j| !pairs.iter().any(|(_, k)| k == j))
            .collect();
        let is_all = keyword == "allOf";
        for i in still_old {
            self.push(
                Level::Breaking,
                "composition-member-removed",
                Side::Old,
                &format!("{ap}/{keyword}/{i}"),
                format!("{what}: `{keyword}` member {i} removed (a Rust variant or field set goes away)"),
            );
        }
        for j in added {
            self.push(
                if is_all {
                    Level::Breaking
                } else {
                    Level::Addition
                },
                "composition-member-added",
                Side::New,
                &format!("{bp}/{keyword}/{j}"),
                format!(
                    "{what}: `{keyword}` member {j} added{}",
                    if is_all {
                        " (every value must now also match it)"
                    } else {
                        " (a new Rust variant)"
                    }
                ),
            );
        }
        for (i, j) in pairs {
            self.schema(
                &x[i],
                &y[j],
                &format!("{ap}/{keyword}/{i}"),
                &format!("{bp}/{keyword}/{j}"),
                reach,
                &format!("{what}.{keyword}[{j}]"),
                Place::Other,
            );
        }
    }
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
