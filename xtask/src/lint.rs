//! `cargo xtask lint`: checks that keep the hand-written specs fit for every generator,
//! not only for progenitor.
//!
//! Each spec is checked as written (not preprocessed) for:
//! 1. a unique `operationId` on every operation;
//! 2. a non-empty `description` on every operation, parameter, schema and schema
//!    property (a `$ref` is described where it points; the `schema` of a parameter or
//!    header is described by the parameter or header; the members of an `allOf` and the
//!    non-object `items` of an array are described by their parent);
//! 3. every `enum` value mentioned in a description: the schema's own, else the
//!    enclosing parameter's, header's or array's (server variables: their own);
//! 4. every example valid against its schema: schema and property `example`s, and the
//!    `example` / `examples.*.value` of parameters, headers and media types. Schemas are
//!    translated to JSON Schema draft 4 ([`to_json_schema`]) and validated with the
//!    `jsonschema` crate, with `components.schemas` embedded so `$ref`s resolve;
//! 5. a non-empty `servers` list, a top-level `security` requirement and
//!    `components.securitySchemes` that define every scheme it names;
//! 6. no `additionalProperties: false` and no `pattern` in any schema reachable from a
//!    response (generated clients would reject fields or values the provider adds
//!    later);
//! 7. one shared `$ref` error schema for all error responses (status 400 and above) of an
//!    operation, directly or through `#/components/responses/...`.
//!
//! Besides, every `$ref` must resolve within the document. Every problem carries a JSON
//! pointer into the spec.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use anyhow::Result;
use serde_json::{json, Map, Value};

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
pub fn lint_spec(key: &str, spec: &Value) -> Vec<Problem> {
    let mut linter = Linter::new(key, spec);
    linter.operation_ids();
    linter.dangling_refs(spec, "");
    linter.servers_and_security();
    linter.walk_document();
    linter.response_schemas();
    linter.error_schemas();
    let mut problems = linter.problems;
    problems.sort_by(|a, b| (&a.pointer, &a.message).cmp(&(&b.pointer, &b.message)));
    problems.dedup();
    problems
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Escapes one reference token of a JSON pointer.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `base` + `/token`, escaped.
fn child(base: &str, token: &str) -> String {
    format!("{base}/{}", escape(token))
}

fn non_empty_str(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

/// Why a schema is visited; decides whether it needs its own description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `components.schemas.<name>`.
    Component,
    /// A member of `properties`.
    Property,
    /// The `schema` of a parameter or header: they carry the description.
    Described,
    /// The `schema` of a media type.
    Body,
    /// `items`, `additionalProperties`: need a description only when they are objects.
    Element,
    /// A `oneOf` / `anyOf` alternative.
    Alternative,
    /// An `allOf` member or a `not`: merged into (or negating) the parent.
    Part,
}

/// A schema nested directly in another: the schema, its pointer, its [`Role`], and
/// whether the descriptions that document the parent's enum values also apply to it
/// (not for properties, which describe themselves, nor for a `not`).
struct Nested<'v> {
    schema: &'v Value,
    pointer: String,
    role: Role,
    inherits: bool,
}

/// Every schema nested directly in `map` (at `pointer`): properties, `items`, an object
/// `additionalProperties`, `oneOf`/`anyOf`/`allOf` members and `not`.
fn nested<'v>(map: &'v Map<String, Value>, pointer: &str) -> Vec<Nested<'v>> {
    let mut out = Vec::new();
    let mut push = |schema, pointer, role, inherits| {
        out.push(Nested {
            schema,
            pointer,
            role,
            inherits,
        })
    };
    if let Some(props) = map.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let p = child(&child(pointer, "properties"), name);
            push(prop, p, Role::Property, false);
        }
    }
    match map.get("items") {
        Some(Value::Array(list)) => {
            for (i, item) in list.iter().enumerate() {
                push(item, format!("{pointer}/items/{i}"), Role::Element, true);
            }
        }
        Some(item) => push(item, child(pointer, "items"), Role::Element, true),
        None => {}
    }
    if let Some(extra) = map.get("additionalProperties").filter(|v| v.is_object()) {
        let p = child(pointer, "additionalProperties");
        push(extra, p, Role::Element, true);
    }
    for (keyword, role) in [
        ("oneOf", Role::Alternative),
        ("anyOf", Role::Alternative),
        ("allOf", Role::Part),
    ] {
        let members = map.get(keyword).and_then(Value::as_array);
        for (i, member) in members.into_iter().flatten().enumerate() {
            push(member, format!("{pointer}/{keyword}/{i}"), role, true);
        }
    }
    if let Some(not) = map.get("not") {
        push(not, child(pointer, "not"), Role::Part, false);
    }
    out
}

struct Linter<'a> {
    key: &'a str,
    spec: &'a Value,
    /// `components.schemas`, translated once, embedded in every validated schema.
    components: Value,
    problems: Vec<Problem>,
}

impl<'a> Linter<'a> {
    fn new(key: &'a str, spec: &'a Value) -> Self {
        let schemas = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), to_json_schema(v)))
                    .collect::<Map<_, _>>()
            })
            .unwrap_or_default();
        Linter {
            key,
            spec,
            components: json!({ "schemas": schemas }),
            problems: Vec::new(),
        }
    }

    fn report(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            spec: self.key.to_owned(),
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    /// Follows a local `$ref` (any depth); returns the target and its pointer.
    fn resolve(&self, value: &'a Value, pointer: &str) -> (&'a Value, String) {
        let mut current = (value, pointer.to_owned());
        for _ in 0..16 {
            let Some(r) = current.0.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match r.strip_prefix('#').and_then(|p| self.spec.pointer(p)) {
                Some(target) => current = (target, r.trim_start_matches('#').to_owned()),
                None => break,
            }
        }
        current
    }

    /// Every operation: (pointer, operation object).
    fn operations(&self) -> Vec<(String, &'a Value)> {
        let mut out = Vec::new();
        let Some(paths) = self.spec.get("paths").and_then(Value::as_object) else {
            return out;
        };
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                if METHODS.contains(&method.as_str()) {
                    out.push((child(&child("/paths", path), method), op));
                }
            }
        }
        out
    }

    // ---- 1. operationIds -------------------------------------------------------------

    fn operation_ids(&mut self) {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (pointer, op) in self.operations() {
            match op.get("operationId").and_then(Value::as_str) {
                None | Some("") => {
                    self.report(pointer, "operation has no operationId");
                }
                Some(id) => {
                    if let Some(first) = seen.get(id) {
                        let message = format!("operationId `{id}` is already used by {first}");
                        self.report(child(&pointer, "operationId"), message);
                    } else {
                        seen.insert(id.to_owned(), pointer);
                    }
                }
            }
        }
    }

    /// Every `$ref` must resolve inside the document (all later checks follow them).
    fn dangling_refs(&mut self, value: &Value, pointer: &str) {
        match value {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                    let found = r.strip_prefix('#').and_then(|p| self.spec.pointer(p));
                    if found.is_none() {
                        self.report(
                            child(pointer, "$ref"),
                            format!("`$ref` {r} does not point into this document"),
                        );
                    }
                }
                for (k, v) in map {
                    self.dangling_refs(v, &child(pointer, k));
                }
            }
            Value::Array(list) => {
                for (i, v) in list.iter().enumerate() {
                    self.dangling_refs(v, &format!("{pointer}/{i}"));
                }
            }
            _ => {}
        }
    }

    // ---- 5. servers and security -------------------------------------------------------

    fn servers_and_security(&mut self) {
        let servers = self.spec.get("servers").and_then(Value::as_array);
        if servers.is_none_or(|s| s.is_empty()) {
            self.report(
                "/servers",
                "`servers` is missing or empty; list the API's base URL",
            );
        }
        // Server variables' enums are documented like schema enums.
        for (i, server) in servers.into_iter().flatten().enumerate() {
            for (name, variable) in server
                .get("variables")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let pointer = format!("/servers/{i}/variables/{}", escape(name));
                let description = non_empty_str(variable.get("description"));
                self.enum_values(variable, &pointer, description.into_iter().collect());
            }
        }
        let schemes = self
            .spec
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object);
        if schemes.is_none_or(|s| s.is_empty()) {
            self.report(
                "/components/securitySchemes",
                "`components.securitySchemes` is missing or empty; describe how requests authenticate",
            );
        }
        match self.spec.get("security").and_then(Value::as_array) {
            None => self.report(
                "/security",
                "top-level `security` is missing; name the scheme every operation uses",
            ),
            Some(list) if list.is_empty() => self.report(
                "/security",
                "top-level `security` is empty; name the scheme every operation uses",
            ),
            Some(list) => {
                for (i, requirement) in list.iter().enumerate() {
                    for name in requirement.as_object().into_iter().flatten().map(|e| e.0) {
                        if !schemes.is_some_and(|s| s.contains_key(name)) {
                            self.report(
                                format!("/security/{i}/{}", escape(name)),
                                format!(
                                    "security requirement names `{name}`, which \
                                     components.securitySchemes does not define"
                                ),
                            );
                        }
                    }
                }
            }
        }
    }

    // ---- 2, 3, 4: descriptions, enums, examples over the whole document ----------------

    fn walk_document(&mut self) {
        let spec = self.spec;
        for (pointer, op) in self.operations() {
            if non_empty_str(op.get("description")).is_none() {
                self.report(pointer.clone(), "operation has no description");
            }
            self.parameters(op.get("parameters"), &child(&pointer, "parameters"));
            if let Some(body) = op.get("requestBody") {
                self.request_body(body, &child(&pointer, "requestBody"));
            }
            if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                for (status, response) in responses {
                    let p = child(&child(&pointer, "responses"), status);
                    self.response(response, &p);
                }
            }
        }
        if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                let p = child(&child("/paths", path), "parameters");
                self.parameters(item.get("parameters"), &p);
            }
        }
        let Some(components) = spec.get("components").and_then(Value::as_object) else {
            return;
        };
        let section = |name: &'static str| -> Vec<(String, &'a Value)> {
            components
                .get(name)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| (child(&child("/components", name), k), v))
                .collect()
        };
        for (p, schema) in section("schemas") {
            self.schema(schema, &p, Role::Component, &[]);
        }
        for (p, parameter) in section("parameters") {
            self.parameter(parameter, &p);
        }
        for (p, header) in section("headers") {
            self.header(header, &p);
        }
        for (p, response) in section("responses") {
            self.response(response, &p);
        }
        for (p, body) in section("requestBodies") {
            self.request_body(body, &p);
        }
    }

    fn parameters(&mut self, list: Option<&'a Value>, pointer: &str) {
        for (i, parameter) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            self.parameter(parameter, &format!("{pointer}/{i}"));
        }
    }

    fn parameter(&mut self, parameter: &'a Value, pointer: &str) {
        if parameter.get("$ref").is_some() {
            return; // checked where it is defined
        }
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
        let description = non_empty_str(parameter.get("description"));
        if description.is_none() {
            self.report(pointer, format!("parameter `{name}` has no description"));
        }
        self.described_schema_and_examples(parameter, pointer, description);
        self.content(parameter.get("content"), pointer);
    }

    fn header(&mut self, header: &'a Value, pointer: &str) {
        if header.get("$ref").is_some() {
            return;
        }
        let description = non_empty_str(header.get("description"));
        self.described_schema_and_examples(header, pointer, description);
        self.content(header.get("content"), pointer);
    }

    /// The `schema`, `example` and `examples` of a parameter or header.
    fn described_schema_and_examples(
        &mut self,
        owner: &'a Value,
        pointer: &str,
        description: Option<&'a str>,
    ) {
        let Some(schema) = owner.get("schema") else {
            return;
        };
        let fallback: Vec<&str> = description.into_iter().collect();
        self.schema(
            schema,
            &child(pointer, "schema"),
            Role::Described,
            &fallback,
        );
        self.examples(owner, pointer, schema);
    }

    fn request_body(&mut self, body: &'a Value, pointer: &str) {
        if body.get("$ref").is_none() {
            self.content(body.get("content"), pointer);
        }
    }

    fn response(&mut self, response: &'a Value, pointer: &str) {
        if response.get("$ref").is_some() {
            return;
        }
        if let Some(headers) = response.get("headers").and_then(Value::as_object) {
            for (name, header) in headers {
                self.header(header, &child(&child(pointer, "headers"), name));
            }
        }
        self.content(response.get("content"), pointer);
    }

    fn content(&mut self, content: Option<&'a Value>, pointer: &str) {
        let Some(content) = content.and_then(Value::as_object) else {
            return;
        };
        for (media, body) in content {
            let p = child(&child(pointer, "content"), media);
            if let Some(schema) = body.get("schema") {
                self.schema(schema, &child(&p, "schema"), Role::Body, &[]);
                self.examples(body, &p, schema);
            }
        }
    }

    /// `example` and `examples.*.value` of a parameter, header or media type.
    fn examples(&mut self, owner: &'a Value, pointer: &str, schema: &'a Value) {
        if let Some(example) = owner.get("example") {
            self.validate(example, &child(pointer, "example"), schema);
        }
        let Some(examples) = owner.get("examples").and_then(Value::as_object) else {
            return;
        };
        for (name, entry) in examples {
            let p = child(&child(pointer, "examples"), name);
            let (entry, p) = self.resolve(entry, &p);
            if let Some(value) = entry.get("value") {
                self.validate(value, &child(&p, "value"), schema);
            }
        }
    }

    /// Checks one schema and everything nested in it. `fallback` holds the descriptions
    /// that may document this schema's enum values when its own description does not.
    fn schema(&mut self, schema: &'a Value, pointer: &str, role: Role, fallback: &[&'a str]) {
        let Some(map) = schema.as_object() else {
            return;
        };
        if map.contains_key("$ref") {
            return; // described, enumerated and exemplified where it is defined
        }
        let own = non_empty_str(map.get("description"));
        let is_object = map.get("type") == Some(&json!("object")) || map.contains_key("properties");
        let needs_description = match role {
            Role::Component | Role::Property | Role::Body | Role::Alternative => true,
            Role::Element => is_object,
            Role::Described | Role::Part => false,
        };
        if needs_description && own.is_none() {
            let what = match role {
                Role::Property => format!(
                    "property `{}`",
                    pointer.rsplit('/').next().unwrap_or_default()
                ),
                Role::Component => format!(
                    "schema `{}`",
                    pointer.rsplit('/').next().unwrap_or_default()
                ),
                _ => "schema".to_owned(),
            };
            self.report(pointer, format!("{what} has no description"));
        }

        let texts: Vec<&str> = own.into_iter().chain(fallback.iter().copied()).collect();
        self.enum_values(schema, pointer, texts);

        if let Some(example) = map.get("example") {
            self.validate(example, &child(pointer, "example"), schema);
        }

        // What nested element schemas may fall back on: this schema's description, then
        // whatever this schema could fall back on (e.g. the parameter's).
        let inherited: Vec<&'a str> = own.into_iter().chain(fallback.iter().copied()).collect();
        for n in nested(map, pointer) {
            let fallback: &[&'a str] = if n.inherits { &inherited } else { &[] };
            self.schema(n.schema, &n.pointer, n.role, fallback);
        }
    }

    /// Reports each value of `owner.enum` that none of `texts` mentions.
    fn enum_values(&mut self, owner: &Value, pointer: &str, texts: Vec<&str>) {
        let Some(values) = owner.get("enum").and_then(Value::as_array) else {
            return;
        };
        for (i, value) in values.iter().enumerate() {
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

    /// Validates `example` (found at `pointer`) against the OpenAPI `schema`.
    fn validate(&mut self, example: &Value, pointer: &str, schema: &Value) {
        let root = json!({
            "allOf": [to_json_schema(schema)],
            "components": self.components.clone(),
        });
        let validator = match jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&root)
        {
            Ok(v) => v,
            Err(e) => {
                self.report(
                    pointer,
                    format!("cannot check this example: its schema does not compile: {e}"),
                );
                return;
            }
        };
        let mut found: Vec<(String, String)> = validator
            .iter_errors(example)
            .map(|e| (e.instance_path().to_string(), e.to_string()))
            .collect();
        found.sort();
        found.dedup_by(|a, b| a.0 == b.0);
        for (at, error) in found {
            let at_msg = if at.is_empty() {
                String::new()
            } else {
                format!(" at `{at}`")
            };
            self.report(
                format!("{pointer}{at}"),
                format!("example does not match its schema{at_msg}: {error}"),
            );
        }
    }

    // ---- 6. response schemas stay open ------------------------------------------------

    fn response_schemas(&mut self) {
        let mut roots: Vec<(String, &'a Value)> = Vec::new();
        let mut responses: Vec<(String, &'a Value)> = Vec::new();
        for (pointer, op) in self.operations() {
            for (status, r) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let (r, p) = self.resolve(r, &child(&child(&pointer, "responses"), status));
                responses.push((p, r));
            }
        }
        if let Some(shared) = self
            .spec
            .pointer("/components/responses")
            .and_then(Value::as_object)
        {
            for (name, r) in shared {
                let (r, p) = self.resolve(r, &child("/components/responses", name));
                responses.push((p, r));
            }
        }
        for (pointer, response) in responses {
            for (media, body) in response
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some(schema) = body.get("schema") {
                    let p = child(&child(&child(&pointer, "content"), media), "schema");
                    roots.push((p, schema));
                }
            }
            for (name, header) in response
                .get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let p = child(&child(&pointer, "headers"), name);
                let (header, p) = self.resolve(header, &p);
                if let Some(schema) = header.get("schema") {
                    roots.push((child(&p, "schema"), schema));
                }
            }
        }
        let mut visited = BTreeSet::new();
        while let Some((pointer, schema)) = roots.pop() {
            if !visited.insert(pointer.clone()) {
                continue;
            }
            self.open_schema(schema, &pointer, &mut roots);
        }
    }

    /// Reports closed constructs in `schema`; queues the component schemas it refers to.
    fn open_schema(
        &mut self,
        schema: &'a Value,
        pointer: &str,
        queue: &mut Vec<(String, &'a Value)>,
    ) {
        let Some(map) = schema.as_object() else {
            return;
        };
        if let Some(r) = map.get("$ref").and_then(Value::as_str) {
            if let Some(target) = r.strip_prefix('#').and_then(|p| self.spec.pointer(p)) {
                queue.push((r.trim_start_matches('#').to_owned(), target));
            }
            return;
        }
        if map.get("additionalProperties") == Some(&Value::Bool(false)) {
            self.report(
                child(pointer, "additionalProperties"),
                "`additionalProperties: false` in a schema reachable from a response: generated \
                 clients would reject every field the provider adds later; remove it",
            );
        }
        if map.contains_key("pattern") {
            self.report(
                child(pointer, "pattern"),
                "`pattern` in a schema reachable from a response: generated clients would reject \
                 values that do not match it; describe the format in the description instead",
            );
        }
        for n in nested(map, pointer) {
            self.open_schema(n.schema, &n.pointer, queue);
        }
    }

    // ---- 7. one error schema per operation ---------------------------------------------

    fn error_schemas(&mut self) {
        for (pointer, op) in self.operations() {
            // (status, pointer of the response as written, referenced schema)
            let mut first: Option<(String, String)> = None;
            for (status, response) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if !is_error_status(status) {
                    continue;
                }
                let at = child(&child(&pointer, "responses"), status);
                let (resolved, resolved_at) = self.resolve(response, &at);
                let content = resolved.get("content").and_then(Value::as_object);
                let Some(content) = content.filter(|c| !c.is_empty()) else {
                    self.report(
                        at,
                        format!(
                            "error response {status} has no body schema; give every error \
                             response of the operation the same `$ref` error schema"
                        ),
                    );
                    continue;
                };
                for (media, body) in content {
                    let schema_at = child(&child(&child(&resolved_at, "content"), media), "schema");
                    let reference = body
                        .pointer("/schema/$ref")
                        .and_then(Value::as_str)
                        .filter(|r| r.starts_with("#/components/schemas/"));
                    let Some(reference) = reference else {
                        self.report(
                            schema_at,
                            format!(
                                "error response {status} does not use a `$ref` to \
                                 #/components/schemas/...; all error responses of an operation \
                                 must share one error schema"
                            ),
                        );
                        continue;
                    };
                    match &first {
                        None => first = Some((status.clone(), reference.to_owned())),
                        Some((first_status, first_ref)) if first_ref != reference => {
                            let message = format!(
                                "error response {status} uses {reference} but {first_status} uses \
                                 {first_ref}; all error responses of an operation must share one \
                                 error schema"
                            );
                            self.report(schema_at, message);
                        }
                        Some(_) => {}
                    }
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
    for (key, value) in map {
        let translated = match key.as_str() {
            "nullable" | "example" | "discriminator" | "xml" | "externalDocs" | "deprecated"
            | "readOnly" | "writeOnly" => continue,
            k if k.starts_with("x-") => continue,
            "properties" | "patternProperties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), to_json_schema(v)))
                    .collect(),
            ),
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(to_json_schema)
                    .collect(),
            ),
            "items" => match value {
                Value::Array(list) => Value::Array(list.iter().map(to_json_schema).collect()),
                other => to_json_schema(other),
            },
            "additionalProperties" | "not" => to_json_schema(value),
            _ => value.clone(),
        };
        out.insert(key.clone(), translated);
    }
    if map.get("nullable") != Some(&Value::Bool(true)) {
        return Value::Object(out);
    }
    match out.get("type").cloned() {
        Some(Value::String(t)) => {
            out.insert("type".to_owned(), json!([t, "null"]));
            if let Some(values) = out.get_mut("enum").and_then(Value::as_array_mut) {
                if !values.contains(&Value::Null) {
                    values.push(Value::Null);
                }
            }
            Value::Object(out)
        }
        Some(Value::Array(mut types)) => {
            if !types.contains(&json!("null")) {
                types.push(json!("null"));
            }
            out.insert("type".to_owned(), Value::Array(types));
            Value::Object(out)
        }
        _ => json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
    }
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
