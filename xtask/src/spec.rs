//! The one walker over a spec, shared by the preprocessing, the filter tables, the lint
//! and the diff: JSON pointers, the `$ref` resolver, the operations with their
//! parameters and responses, the schemas they use, and which component schemas
//! requests and responses reach.
//!
//! It reads the document as JSON (`serde_json::Value`, as [`crate::load_spec`] returns
//! it) rather than as typed `openapiv3`: the lint and the diff report JSON pointers into
//! the file as written, the diff also compares keys no typed model keeps, and the
//! preprocessing rewrites the JSON before `openapiv3` parses it for progenitor.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;

/// The HTTP methods of a path item, in the order OpenAPI lists them.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `base` + `/token`, escaped.
pub fn child(base: &str, token: &str) -> String {
    format!("{base}/{}", escape(token))
}

/// `value` as an object's entries (none when it is absent or not an object).
pub fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

/// `value` as a list's items (none when it is absent or not a list).
pub fn items(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    value.and_then(Value::as_array).into_iter().flatten()
}

/// Whether `value[key]` is `true`.
pub fn flag(value: &Value, key: &str) -> bool {
    value.get(key) == Some(&Value::Bool(true))
}

/// Follows local `$ref`s from `value` (found at `pointer`) to what they name; returns
/// the target and its pointer. Stops at a dangling or repeated reference, returning the
/// `$ref` object itself.
pub fn resolve<'a>(doc: &'a Value, value: &'a Value, pointer: &str) -> (&'a Value, String) {
    let (mut current, mut pointer) = (value, pointer.to_owned());
    let mut seen = BTreeSet::new();
    while let Some(target) = current
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        let Some(found) = doc.pointer(target).filter(|_| seen.insert(target)) else {
            break;
        };
        (current, pointer) = (found, target.to_owned());
    }
    (current, pointer)
}

/// The known half of an open enum as the specs write it: `anyOf: [K, {type: string}]`,
/// where `K` is a string `enum` or a `$ref` to one (resolved against `doc`) and the
/// second member is any other string. A value the enum lists matches both members,
/// which is why the form is `anyOf` rather than `oneOf`. Returns `K` as written (a
/// `$ref` stays a `$ref`), or `None` when `schema` is not of that form.
pub fn open_enum<'a>(doc: &Value, schema: &'a Value) -> Option<&'a Value> {
    let [known, other] = schema.get("anyOf")?.as_array()?.as_slice() else {
        return None;
    };
    let string = Some(&Value::from("string"));
    let other_is_any_string = other.get("type") == string
        && ["enum", "format", "pattern", "$ref"]
            .iter()
            .all(|k| other.get(k).is_none());
    let (target, _) = resolve(doc, known, "");
    let known_is_enum = target.get("type") == string && target.get("enum").is_some();
    (other_is_any_string && known_is_enum).then_some(known)
}

/// The name of the component schema a `$ref` in `value` names, if it names one.
pub fn schema_ref(value: &Value) -> Option<&str> {
    value
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// One operation: a method of a path item.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// The path template, e.g. `/phone/numbers`.
    pub path: &'a str,
    /// `get`, `post`, …
    pub method: &'static str,
    /// The operation object and its pointer.
    pub value: &'a Value,
    pub pointer: String,
    /// The path item it belongs to and its pointer.
    pub item: &'a Value,
    pub item_pointer: String,
}

/// A value as a spec uses it: its definition (`$ref`s followed) with that definition's
/// pointer, and the pointer of the place that uses it (where a `$ref` would stand).
#[derive(Debug, Clone)]
pub struct Used<'a> {
    pub value: &'a Value,
    pub pointer: String,
    pub site: String,
}

impl<'a> Used<'a> {
    /// `value`, found at `site`, with any `$ref` in it followed.
    pub fn resolved(doc: &'a Value, value: &'a Value, site: String) -> Self {
        let (value, pointer) = resolve(doc, value, &site);
        Used {
            value,
            pointer,
            site,
        }
    }

    /// A value used where it is defined.
    pub fn at(value: &'a Value, pointer: String) -> Self {
        let site = pointer.clone();
        Used {
            value,
            pointer,
            site,
        }
    }

    /// This value, as if used where it is defined.
    pub fn at_definition(self) -> Self {
        Used::at(self.value, self.pointer)
    }
}

/// Every operation of `doc`, in path order.
pub fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    for (path, item) in entries(doc.get("paths")) {
        let item_pointer = child("/paths", path);
        for method in METHODS {
            if let Some(value) = item.get(*method) {
                out.push(Operation {
                    path,
                    method,
                    value,
                    pointer: child(&item_pointer, method),
                    item,
                    item_pointer: item_pointer.clone(),
                });
            }
        }
    }
    out
}

impl<'a> Operation<'a> {
    /// `GET /phone/numbers`.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    /// The `operationId`.
    pub fn id(&self) -> Option<&'a str> {
        self.value.get("operationId").and_then(Value::as_str)
    }

    /// The parameters: the path item's (unless the operation redefines one with the same
    /// `in` and `name`), then the operation's, in document order.
    pub fn parameters(&self, doc: &'a Value) -> Vec<Used<'a>> {
        let list = |owner: &'a Value, base: &str| -> Vec<Used<'a>> {
            items(owner.get("parameters"))
                .enumerate()
                .map(|(i, p)| Used::resolved(doc, p, format!("{base}/parameters/{i}")))
                .collect()
        };
        let own = list(self.value, &self.pointer);
        let key = |p: &Used<'_>| (p.value.get("in").cloned(), p.value.get("name").cloned());
        let mut out: Vec<Used<'a>> = list(self.item, &self.item_pointer)
            .into_iter()
            .filter(|p| !own.iter().any(|o| key(o) == key(p)))
            .collect();
        out.extend(own);
        out
    }

    /// The request body, if any.
    pub fn request_body(&self, doc: &'a Value) -> Option<Used<'a>> {
        let site = child(&self.pointer, "requestBody");
        Some(Used::resolved(doc, self.value.get("requestBody")?, site))
    }

    /// The responses, keyed by status.
    pub fn responses(&self, doc: &'a Value) -> Vec<(&'a str, Used<'a>)> {
        let base = child(&self.pointer, "responses");
        entries(self.value.get("responses"))
            .map(|(code, r)| (code.as_str(), Used::resolved(doc, r, child(&base, code))))
            .collect()
    }
}

/// The headers of a response (`owner`, found at `pointer`), resolved.
pub fn headers<'a>(doc: &'a Value, owner: &'a Value, pointer: &str) -> Vec<(&'a str, Used<'a>)> {
    let base = child(pointer, "headers");
    entries(owner.get("headers"))
        .map(|(name, h)| (name.as_str(), Used::resolved(doc, h, child(&base, name))))
        .collect()
}

/// Where a schema's values travel: in requests the client sends, in responses it
/// decodes, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    /// Reached from a parameter or a request body.
    pub request: bool,
    /// Reached from a response body or a response header.
    pub response: bool,
}

impl Reach {
    /// Reached from a request.
    pub const REQUEST: Reach = Reach {
        request: true,
        response: false,
    };
    /// Reached from a response.
    pub const RESPONSE: Reach = Reach {
        request: false,
        response: true,
    };

    /// Reached from either.
    pub fn union(self, other: Reach) -> Reach {
        Reach {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }
}

/// A schema an operation uses directly, before any `$ref` in it is followed.
#[derive(Debug, Clone)]
pub struct SchemaUse<'a> {
    /// The schema and its pointer.
    pub schema: &'a Value,
    pub pointer: String,
    /// The parameter or header whose `schema` it is, which describes it.
    pub owner: Option<&'a Value>,
    /// A request or a response schema.
    pub reach: Reach,
}

/// Every schema the operations use, each definition once: the `schema` and the media
/// types of parameters, of request bodies, of responses and of their headers.
pub fn schema_uses<'a>(doc: &'a Value) -> Vec<SchemaUse<'a>> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut push = |owner: &Used<'a>, described: bool, reach: Reach| {
        let owner_ref = described.then_some(owner.value);
        if !seen.insert(owner.pointer.clone()) {
            return;
        }
        if let Some(schema) = owner.value.get("schema") {
            out.push(SchemaUse {
                schema,
                pointer: child(&owner.pointer, "schema"),
                owner: owner_ref,
                reach,
            });
        }
        for (media, body) in entries(owner.value.get("content")) {
            if let Some(schema) = body.get("schema") {
                let media_pointer = child(&child(&owner.pointer, "content"), media);
                out.push(SchemaUse {
                    schema,
                    pointer: child(&media_pointer, "schema"),
                    owner: None,
                    reach,
                });
            }
        }
    };
    for op in operations(doc) {
        for p in op.parameters(doc) {
            push(&p, true, Reach::REQUEST);
        }
        if let Some(body) = op.request_body(doc) {
            push(&body, false, Reach::REQUEST);
        }
        for (_, response) in op.responses(doc) {
            push(&response, false, Reach::RESPONSE);
            for (_, header) in headers(doc, response.value, &response.pointer) {
                push(&header, true, Reach::RESPONSE);
            }
        }
    }
    out
}

/// The names of the component schemas `value` refers to, anywhere inside it.
pub fn schema_refs(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(name) = schema_ref(v) {
                    out.push(name.replace("~1", "/").replace("~0", "~"));
                }
                stack.extend(map.values().rev());
            }
            Value::Array(list) => stack.extend(list.iter().rev()),
            _ => {}
        }
    }
    out
}

/// For every component schema the operations reach, whether requests and/or responses
/// reach it (following `$ref`s transitively; each schema is visited once, so cycles end).
pub fn reach(doc: &Value) -> BTreeMap<String, Reach> {
    let mut reach: BTreeMap<String, Reach> = BTreeMap::new();
    for used in schema_uses(doc) {
        let mut queue = VecDeque::from(schema_refs(used.schema));
        let mut visited = BTreeSet::new();
        while let Some(name) = queue.pop_front() {
            if !visited.insert(name.clone()) {
                continue;
            }
            let entry = reach.entry(name.clone()).or_default();
            *entry = entry.union(used.reach);
            if let Some(schema) = doc.pointer(&child("/components/schemas", &name)) {
                queue.extend(schema_refs(schema));
            }
        }
    }
    reach
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "paths": {
                "/a/{id}": {
                    "parameters": [
                        {"name": "id", "in": "path", "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "schema": {"$ref": "#/components/schemas/Q"}}
                    ],
                    "get": {
                        "parameters": [
                            {"$ref": "#/components/parameters/Id"},
                            {"name": "limit", "in": "query", "schema": {"type": "integer"}}
                        ],
                        "responses": {
                            "200": {"$ref": "#/components/responses/Page"}
                        }
                    }
                }
            },
            "components": {
                "parameters": {"Id": {"name": "id", "in": "path", "schema": {"type": "integer"}}},
                "responses": {"Page": {
                    "headers": {"X-Id": {"$ref": "#/components/headers/Id"}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}
                }},
                "headers": {"Id": {"schema": {"$ref": "#/components/schemas/Id"}}},
                "schemas": {
                    "Page": {"properties": {"next": {"$ref": "#/components/schemas/Page"},
                                            "q": {"$ref": "#/components/schemas/Q"}}},
                    "Q": {"type": "string"},
                    "Id": {"type": "string"},
                    "Loop": {"$ref": "#/components/schemas/Loop"}
                }
            }
        })
    }

    #[test]
    fn operation_parameters_override_the_path_items() {
        let doc = doc();
        let ops = operations(&doc);
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].label(), "GET /a/{id}");
        let params: Vec<(String, String)> = ops[0]
            .parameters(&doc)
            .into_iter()
            .map(|p| (p.pointer, p.site))
            .collect();
        assert_eq!(
            params,
            [
                (
                    "/paths/~1a~1{id}/parameters/1".to_owned(),
                    "/paths/~1a~1{id}/parameters/1".to_owned()
                ),
                (
                    "/components/parameters/Id".to_owned(),
                    "/paths/~1a~1{id}/get/parameters/0".to_owned()
                ),
                (
                    "/paths/~1a~1{id}/get/parameters/1".to_owned(),
                    "/paths/~1a~1{id}/get/parameters/1".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn references_resolve_and_cycles_end() {
        let doc = doc();
        let looping = &doc["components"]["schemas"]["Loop"];
        let (value, pointer) = resolve(&doc, looping, "/x");
        assert_eq!(pointer, "/components/schemas/Loop");
        assert_eq!(value, looping);
        let dangling = json!({"$ref": "#/components/schemas/Nope"});
        assert_eq!(resolve(&doc, &dangling, "/y"), (&dangling, "/y".to_owned()));
    }

    #[test]
    fn reach_follows_responses_headers_and_parameters() {
        let doc = doc();
        let reach = reach(&doc);
        assert_eq!(reach["Page"], Reach::RESPONSE);
        assert_eq!(reach["Id"], Reach::RESPONSE);
        assert_eq!(reach["Q"], Reach::REQUEST.union(Reach::RESPONSE));
        assert!(!reach.contains_key("Loop"));
    }

    #[test]
    fn open_enums_are_recognised_inline_and_by_reference() {
        let doc = json!({"components": {"schemas": {
            "E": {"type": "string", "enum": ["A"]},
            "S": {"type": "string"}
        }}});
        let any = json!({"type": "string", "description": "other"});
        let inline = json!({"anyOf": [{"type": "string", "enum": ["A"]}, any]});
        assert_eq!(open_enum(&doc, &inline), Some(&inline["anyOf"][0]));
        let by_ref = json!({"anyOf": [{"$ref": "#/components/schemas/E"}, any]});
        assert_eq!(open_enum(&doc, &by_ref), Some(&by_ref["anyOf"][0]));
        for not_open in [
            // a oneOf, the order swapped, a third member, a second member that is
            // itself limited, a first member that is no enum
            json!({"oneOf": [{"type": "string", "enum": ["A"]}, any]}),
            json!({"anyOf": [any, {"type": "string", "enum": ["A"]}]}),
            json!({"anyOf": [{"type": "string", "enum": ["A"]}, any, any]}),
            json!({"anyOf": [{"type": "string", "enum": ["A"]}, {"type": "string", "enum": ["B"]}]}),
            json!({"anyOf": [{"type": "string", "enum": ["A"]}, {"type": "string", "pattern": "x"}]}),
            json!({"anyOf": [{"type": "string", "enum": ["A"]}, {"type": "string", "format": "date"}]}),
            json!({"anyOf": [{"type": "string", "enum": ["A"]}, {"$ref": "#/components/schemas/S"}]}),
            json!({"anyOf": [{"$ref": "#/components/schemas/S"}, any]}),
            json!({"anyOf": [{"type": "integer", "enum": [1]}, any]}),
            json!({"anyOf": [{"type": "string", "enum": ["A"]}, {"type": "integer"}]}),
        ] {
            assert_eq!(open_enum(&doc, &not_open), None, "{not_open}");
        }
    }
}
