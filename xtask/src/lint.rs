//! `cargo xtask lint`: the project's rules for the hand-written specs that no external
//! linter checks. Everything Redocly can check is in `redocly.yaml` and runs in
//! `.ci/specs.sh` (unique operation ids, descriptions, examples of schemas, parameters
//! and media types, servers, security, `$ref`s that resolve).
//!
//! Each spec is checked as written (not preprocessed) for:
//! 1. every `enum` value mentioned in a description: the schema's own, else the
//!    enclosing parameter's, header's or array's (server variables: their own);
//! 2. every response header's `example` and `examples.*.value` valid against its schema
//!    (Redocly validates the examples of schemas, parameters and media types, not of
//!    headers). Schemas are translated to JSON Schema draft 4 ([`to_json_schema`]) and
//!    validated with the `jsonschema` crate, with `components.schemas` embedded so
//!    `$ref`s resolve;
//! 3. response schemas stay open ([`closed`]): generated clients must keep decoding what
//!    the provider adds later;
//! 4. one shared `$ref` error schema for all error responses (status 400 and above) of an
//!    operation, directly or through `#/components/responses/...`: progenitor panics on
//!    two error body types;
//! 5. enums a client must not close are written open ([`spec::open_enum`]): every string
//!    `enum` reachable from a response, and the enum of every query parameter marked
//!    `x-open-enum`. Generators for other languages take the file as it is, and a closed
//!    enum makes their clients fail on the first value a provider adds.
//!
//! Every problem carries a JSON pointer into the spec.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use anyhow::Result;
use serde_json::{json, Map, Value};

use crate::spec::{self, child, entries, items};
use crate::{load_spec, spec_path, PROVIDERS};

/// One finding: which spec, where (a JSON pointer into it) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Provider key; the file is `specs/<spec>.yaml`.
    pub spec: String,
    /// JSON pointer (RFC 6901) to the offending value, `""` for the whole document.
    pub pointer: String,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "specs/{}.yaml#{}: {}",
            self.spec, self.pointer, self.message
        )
    }
}

/// Lints every provider's spec under `root/specs/`.
pub fn lint(root: &Path) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    for key in PROVIDERS {
        let spec = load_spec(&spec_path(root, key))?;
        problems.extend(lint_spec(key, &spec));
    }
    Ok(problems)
}

/// Lints one spec (an OpenAPI 3.0 document as JSON); `key` only labels the problems.
pub fn lint_spec(key: &str, doc: &Value) -> Vec<Problem> {
    let mut linter = Linter {
        key,
        doc,
        problems: Vec::new(),
    };
    linter.enums();
    linter.header_examples();
    linter.open_responses();
    linter.open_enums();
    linter.error_schemas();
    let mut problems = linter.problems;
    problems.sort_by(|a, b| (&a.pointer, &a.message).cmp(&(&b.pointer, &b.message)));
    problems.dedup();
    problems
}

/// What makes a schema reachable from a response closed: each construct that would make
/// a generated client refuse a page the provider sends, as `(keyword, why)`.
pub fn closed(schema: &Map<String, Value>) -> Vec<(&'static str, &'static str)> {
    let mut found = Vec::new();
    if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
        found.push((
            "additionalProperties",
            "`additionalProperties: false` in a schema reachable from a response: generated \
             clients would reject every field the provider adds later; remove it",
        ));
    }
    if schema.contains_key("pattern") {
        found.push((
            "pattern",
            "`pattern` in a schema reachable from a response: generated clients would reject \
             values that do not match it; describe the format in the description instead",
        ));
    }
    found
}

fn non_empty_str(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

/// A schema nested directly in another: the schema, its pointer, and whether the
/// descriptions that document the parent's enum values also apply to it (not for
/// properties, which describe themselves, nor for a `not`).
type Nested<'v> = (&'v Value, String, bool);

/// Every schema nested directly in `map` (at `pointer`): properties, `items`, an object
/// `additionalProperties`, `oneOf`/`anyOf`/`allOf` members and `not`.
fn nested<'v>(map: &'v Map<String, Value>, pointer: &str) -> Vec<Nested<'v>> {
    let mut out = Vec::new();
    let mut push = |schema, pointer, inherits| out.push((schema, pointer, inherits));
    for (name, prop) in entries(map.get("properties")) {
        push(prop, child(&child(pointer, "properties"), name), false);
    }
    match map.get("items") {
        Some(Value::Array(list)) => {
            for (i, item) in list.iter().enumerate() {
                push(item, format!("{pointer}/items/{i}"), true);
            }
        }
        Some(item) => push(item, child(pointer, "items"), true),
        None => {}
    }
    if let Some(extra) = map.get("additionalProperties").filter(|v| v.is_object()) {
        push(extra, child(pointer, "additionalProperties"), true);
    }
    for keyword in ["oneOf", "anyOf", "allOf"] {
        for (i, member) in items(map.get(keyword)).enumerate() {
            push(member, format!("{pointer}/{keyword}/{i}"), true);
        }
    }
    if let Some(not) = map.get("not") {
        push(not, child(pointer, "not"), false);
    }
    out
}

struct Linter<'a> {
    key: &'a str,
    doc: &'a Value,
    problems: Vec<Problem>,
}

impl<'a> Linter<'a> {
    fn report(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            spec: self.key.to_owned(),
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    // ---- 1. enum values are documented -------------------------------------------------

    fn enums(&mut self) {
        let doc = self.doc;
        for (i, server) in items(doc.get("servers")).enumerate() {
            for (name, variable) in entries(server.get("variables")) {
                let pointer = child(&format!("/servers/{i}/variables"), name);
                let own = non_empty_str(variable.get("description"));
                self.enum_values(variable, &pointer, own.into_iter().collect());
            }
        }
        for used in spec::schema_uses(doc) {
            let owner = used.owner.and_then(|o| non_empty_str(o.get("description")));
            let fallback: Vec<&str> = owner.into_iter().collect();
            self.schema_enums(used.schema, &used.pointer, &fallback);
        }
        for (name, schema) in entries(doc.pointer("/components/schemas")) {
            self.schema_enums(schema, &child("/components/schemas", name), &[]);
        }
    }

    /// Checks the enums of one schema and of everything nested in it. `fallback` holds
    /// the descriptions that may document this schema's enum values when its own
    /// description does not.
    fn schema_enums(&mut self, schema: &'a Value, pointer: &str, fallback: &[&'a str]) {
        let Some(map) = schema.as_object() else {
            return;
        };
        if map.contains_key("$ref") {
            return; // checked where it is defined
        }
        let own = non_empty_str(map.get("description"));
        // Nested element schemas may fall back on this schema's description, then on
        // whatever this schema could fall back on (e.g. the parameter's).
        let texts: Vec<&'a str> = own.into_iter().chain(fallback.iter().copied()).collect();
        self.enum_values(schema, pointer, texts.clone());
        for (schema, pointer, inherits) in nested(map, pointer) {
            let fallback: &[&'a str] = if inherits { &texts } else { &[] };
            self.schema_enums(schema, &pointer, fallback);
        }
    }

    /// Reports each value of `owner.enum` that none of `texts` mentions.
    fn enum_values(&mut self, owner: &Value, pointer: &str, texts: Vec<&str>) {
        for (i, value) in items(owner.get("enum")).enumerate() {
            let shown = match value {
                Value::Null => continue,
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if !texts.iter().any(|t| mentions(t, &shown)) {
                let whose = if texts.is_empty() {
                    "there is no description to explain it"
                } else {
                    "the description does not mention it"
                };
                self.report(
                    format!("{pointer}/enum/{i}"),
                    format!("enum value `{shown}` is not documented: {whose}"),
                );
            }
        }
    }

    // ---- 2. header examples ------------------------------------------------------------

    fn header_examples(&mut self) {
        let doc = self.doc;
        let mut seen = BTreeSet::new();
        let responses = spec::operations(doc)
            .into_iter()
            .flat_map(|op| op.responses(doc));
        let headers = responses.flat_map(|(_, r)| spec::headers(doc, r.value, &r.pointer));
        for (_, header) in headers {
            let schema = header.value.get("schema");
            let Some(schema) = schema.filter(|_| seen.insert(header.pointer.clone())) else {
                continue;
            };
            if let Some(example) = header.value.get("example") {
                self.validate(example, &child(&header.pointer, "example"), schema);
            }
            let examples = child(&header.pointer, "examples");
            for (name, entry) in entries(header.value.get("examples")) {
                let (entry, at) = spec::resolve(doc, entry, &child(&examples, name));
                if let Some(value) = entry.get("value") {
                    self.validate(value, &child(&at, "value"), schema);
                }
            }
        }
    }

    /// Validates `example` (found at `pointer`) against the OpenAPI `schema`.
    fn validate(&mut self, example: &Value, pointer: &str, schema: &Value) {
        let components: Map<String, Value> = entries(self.doc.pointer("/components/schemas"))
            .map(|(k, v)| (k.clone(), to_json_schema(v)))
            .collect();
        let root = json!({
            "allOf": [to_json_schema(schema)],
            "components": { "schemas": components },
        });
        let options = jsonschema::draft4::options().should_validate_formats(true);
        let validator = match options.build(&root) {
            Ok(v) => v,
            Err(e) => {
                let why = "its schema does not compile";
                return self.report(pointer, format!("cannot check this example: {why}: {e}"));
            }
        };
        let mut found: Vec<(String, String)> = validator
            .iter_errors(example)
            .map(|e| (e.instance_path().to_string(), e.to_string()))
            .collect();
        found.sort();
        found.dedup_by(|a, b| a.0 == b.0);
        for (at, error) in found {
            let place = if at.is_empty() {
                String::new()
            } else {
                format!(" at `{at}`")
            };
            let message = format!("example does not match its schema{place}: {error}");
            self.report(format!("{pointer}{at}"), message);
        }
    }

    /// Calls `visit` on every schema object reachable from `roots` through `$ref`s and
    /// nested schemas, each once, with its pointer; `visit` says whether to look inside.
    fn schemas(
        &mut self,
        mut stack: Vec<(&'a Value, String)>,
        visit: impl Fn(&mut Self, &'a Value, &str) -> bool,
    ) {
        let mut visited = BTreeSet::new();
        while let Some((schema, pointer)) = stack.pop() {
            let (schema, pointer) = spec::resolve(self.doc, schema, &pointer);
            let Some(map) = schema.as_object() else {
                continue;
            };
            if visited.insert(pointer.clone()) && visit(self, schema, &pointer) {
                let inside = nested(map, &pointer).into_iter();
                stack.extend(inside.map(|(schema, pointer, _)| (schema, pointer)));
            }
        }
    }

    /// The schemas the operations use directly that `keep` selects, with their pointers.
    fn uses(&self, keep: impl Fn(&spec::SchemaUse<'a>) -> bool) -> Vec<(&'a Value, String)> {
        let uses = spec::schema_uses(self.doc).into_iter().filter(keep);
        uses.map(|used| (used.schema, used.pointer)).collect()
    }

    // ---- 3. response schemas stay open -------------------------------------------------

    fn open_responses(&mut self) {
        let mut roots = self.uses(|used| used.reach.response);
        for (name, reach) in spec::reach(self.doc) {
            let pointer = child("/components/schemas", &name);
            if let Some(schema) = self.doc.pointer(&pointer).filter(|_| reach.response) {
                roots.push((schema, pointer));
            }
        }
        self.schemas(roots, |linter, schema, pointer| {
            // A `$ref` that does not resolve is left to Redocly.
            if schema.get("$ref").is_some() {
                return false;
            }
            for (keyword, why) in schema.as_object().map(closed).unwrap_or_default() {
                linter.report(child(pointer, keyword), why);
            }
            true
        });
    }

    // ---- 5. open enums ------------------------------------------------------------------

    fn open_enums(&mut self) {
        let open = |used: &spec::SchemaUse<'_>| {
            used.reach.response || used.owner.is_some_and(|o| spec::flag(o, "x-open-enum"))
        };
        self.schemas(self.uses(open), |linter, schema, pointer| {
            // The known half of an open enum is closed on purpose.
            if spec::open_enum(linter.doc, schema).is_some() {
                return false;
            }
            if schema.get("type") == Some(&json!("string")) && schema.get("enum").is_some() {
                linter.report(
                    child(pointer, "enum"),
                    "closed `enum` where a client must accept values added later (a \
                     response, or a query parameter marked `x-open-enum`): generated \
                     clients would fail on the first one; write it as `anyOf: [{type: \
                     string, enum: [...]}, {type: string}]`",
                );
            }
            true
        });
    }

    // ---- 4. one error schema per operation ---------------------------------------------

    fn error_schemas(&mut self) {
        let doc = self.doc;
        for op in spec::operations(doc) {
            // (status, referenced schema) of the first error response seen.
            let mut first: Option<(&str, &str)> = None;
            for (status, response) in op.responses(doc) {
                if !is_error_status(status) {
                    continue;
                }
                let content = response.value.get("content").and_then(Value::as_object);
                let Some(content) = content.filter(|c| !c.is_empty()) else {
                    let message = format!(
                        "error response {status} has no body schema; give every error \
                         response of the operation the same `$ref` error schema"
                    );
                    self.report(response.site, message);
                    continue;
                };
                for (media, body) in content {
                    let media_at = child(&child(&response.pointer, "content"), media);
                    let schema_at = child(&media_at, "schema");
                    let reference = body
                        .pointer("/schema/$ref")
                        .and_then(Value::as_str)
                        .filter(|r| r.starts_with("#/components/schemas/"));
                    let message = match (reference, first) {
                        (None, _) => format!(
                            "error response {status} does not use a `$ref` to \
                             #/components/schemas/...; all error responses of an operation \
                             must share one error schema"
                        ),
                        (Some(r), None) => {
                            first = Some((status, r));
                            continue;
                        }
                        (Some(r), Some((_, other))) if r == other => continue,
                        (Some(r), Some((first_status, other))) => format!(
                            "error response {status} uses {r} but {first_status} uses {other}; \
                             all error responses of an operation must share one error schema"
                        ),
                    };
                    self.report(schema_at, message);
                }
            }
        }
    }
}

/// `400`..`599` and the `4XX` / `5XX` ranges.
fn is_error_status(status: &str) -> bool {
    match status.parse::<u16>() {
        Ok(code) => code >= 400,
        Err(_) => matches!(status.to_ascii_uppercase().as_str(), "4XX" | "5XX"),
    }
}

/// Whether `text` mentions `value` as a whole token (not as part of a longer word).
fn mentions(text: &str, value: &str) -> bool {
    if value.is_empty() {
        return text.contains("``") || text.contains("\"\"");
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(value).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + value.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// Translates an OpenAPI 3.0 Schema Object into JSON Schema (draft 4, which OpenAPI 3.0's
/// schema dialect extends), recursively:
/// * `nullable: true` allows `null`: `null` joins `type` (and `enum`, when there is one,
///   so the value set matches what generated clients accept); a schema without `type`
///   (e.g. a composition) becomes `anyOf: [<schema>, {type: null}]`;
/// * a `$ref` stands alone, as OpenAPI 3.0 ignores its siblings;
/// * OpenAPI-only annotations (`example`, `discriminator`, `xml`, `externalDocs`,
///   `deprecated`, `readOnly`, `writeOnly`, `x-*`) are dropped.
///
/// `$ref`s keep pointing at `#/components/schemas/...`: validate with the translated
/// components embedded at that location in the root schema.
pub fn to_json_schema(schema: &Value) -> Value {
    let Some(map) = schema.as_object() else {
        return schema.clone(); // `true` / `false` schemas and malformed input pass through
    };
    if let Some(r) = map.get("$ref") {
        return json!({ "$ref": r });
    }
    let mut out = Map::new();
    let list = |v| Value::Array(items(Some(v)).map(to_json_schema).collect());
    for (key, value) in map {
        let translated = match key.as_str() {
            "nullable" | "example" | "discriminator" | "xml" | "externalDocs" | "deprecated"
            | "readOnly" | "writeOnly" => continue,
            k if k.starts_with("x-") => continue,
            "properties" | "patternProperties" => {
                let schemas = entries(Some(value)).map(|(k, v)| (k.clone(), to_json_schema(v)));
                Value::Object(schemas.collect())
            }
            "allOf" | "anyOf" | "oneOf" => list(value),
            "items" if value.is_array() => list(value),
            "items" | "additionalProperties" | "not" => to_json_schema(value),
            _ => value.clone(),
        };
        out.insert(key.clone(), translated);
    }
    if map.get("nullable") != Some(&Value::Bool(true)) {
        return Value::Object(out);
    }
    let add = |list: &mut Vec<Value>, value: Value| {
        if !list.contains(&value) {
            list.push(value);
        }
    };
    match out.get("type").cloned() {
        Some(Value::String(t)) => {
            out.insert("type".to_owned(), json!([t, "null"]));
            if let Some(values) = out.get_mut("enum").and_then(Value::as_array_mut) {
                add(values, Value::Null);
            }
        }
        Some(Value::Array(mut types)) => {
            add(&mut types, json!("null"));
            out.insert("type".to_owned(), Value::Array(types));
        }
        _ => return json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_whole_tokens_only() {
        assert!(mentions("* `all` - every number", "all"));
        assert!(mentions("Toll-Free numbers", "Toll-Free"));
        assert!(!mentions("assigned and unassigned numbers", "assign"));
        assert!(!mentions("calls are billed", "all"));
        assert!(mentions("an empty `` value", ""));
        assert!(mentions("an empty \"\" value", ""));
        assert!(!mentions("an empty value", ""));
    }

    #[test]
    fn nullable_allows_null() {
        let s = to_json_schema(&json!({"type": "string", "nullable": true, "example": "x"}));
        assert_eq!(s, json!({"type": ["string", "null"]}));
        let e = to_json_schema(&json!({"type": "string", "enum": ["A"], "nullable": true}));
        assert_eq!(e, json!({"type": ["string", "null"], "enum": ["A", null]}));
        let c = to_json_schema(&json!({"allOf": [{"$ref": "#/x"}], "nullable": true}));
        assert_eq!(
            c,
            json!({"anyOf": [{"allOf": [{"$ref": "#/x"}]}, {"type": "null"}]})
        );
        let nested = to_json_schema(&json!({
            "type": "object",
            "properties": {"a": {"type": "integer", "nullable": true}}
        }));
        assert_eq!(
            nested["properties"]["a"]["type"],
            json!(["integer", "null"])
        );
    }

    #[test]
    fn nested_schemas_are_translated_wherever_they_sit() {
        let nullable = json!({"type": "string", "nullable": true, "x-note": "n"});
        let translated = json!({"type": ["string", "null"]});
        let s = to_json_schema(&json!({
            "x-internal": true,
            "allOf": [nullable], "anyOf": [nullable], "oneOf": [nullable],
            "items": nullable, "additionalProperties": nullable, "not": nullable,
        }));
        assert_eq!(
            s,
            json!({
                "allOf": [translated], "anyOf": [translated], "oneOf": [translated],
                "items": translated, "additionalProperties": translated, "not": translated,
            })
        );
        // Draft 4 tuples: `items` as a list of schemas.
        let tuple =
            to_json_schema(&json!({"type": "array", "items": [nullable, {"type": "integer"}]}));
        assert_eq!(
            tuple,
            json!({"type": "array", "items": [translated, {"type": "integer"}]})
        );
        // A type list gains `null` once.
        let listed = to_json_schema(&json!({"type": ["string", "integer"], "nullable": true}));
        assert_eq!(listed, json!({"type": ["string", "integer", "null"]}));
        let already = to_json_schema(&json!({"type": ["string", "null"], "nullable": true}));
        assert_eq!(already, json!({"type": ["string", "null"]}));
    }

    #[test]
    fn ref_siblings_are_dropped() {
        let s = to_json_schema(&json!({"$ref": "#/components/schemas/A", "description": "d"}));
        assert_eq!(s, json!({"$ref": "#/components/schemas/A"}));
    }

    #[test]
    fn error_statuses() {
        assert!(is_error_status("400"));
        assert!(is_error_status("5XX"));
        assert!(!is_error_status("200"));
        assert!(!is_error_status("default"));
    }
}
