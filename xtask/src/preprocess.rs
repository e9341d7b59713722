//! Preprocessing: what progenitor 0.15 cannot express, fixed on an in-memory copy of a
//! spec before it reaches the generator. The spec files stay standard OpenAPI for every
//! other generator; only the Rust output sees these rewrites.
//!
//! Steps, in order:
//! 0. **Open enums as the specs write them, back to closed.** The specs write every
//!    enum a client must not close (response values, query parameters marked
//!    `x-open-enum`) as `anyOf: [<the enum>, {type: string}]` ([`spec::open_enum`]),
//!    which Python and TypeScript generators read as "one of these, or another
//!    string". typify would make an untagged enum of that whose first variant is a
//!    generated type named after the position (`…Variant0`), so the form is turned back
//!    into the plain enum (or the `$ref` to it) here, and steps 3 and 5 open it again
//!    the way the Rust crates name it.
//! 1. **Vendor JSON media types → `application/json`.** progenitor types only
//!    `application/json` bodies; a `+json` vendor type (Vonage's
//!    `application/vnd.newvoicemedia.v4+json`) would become an untyped byte stream. The
//!    runtime still sends the vendor type as `Accept`.
//! 2. **Comma-joined query arrays → string.** progenitor ignores `explode: false` and
//!    would send repeated keys; such parameters become plain strings, and the hand-written
//!    layer joins typed lists with commas.
//! 3. **Open response enums.** progenitor's enums are closed, so one unknown value would
//!    fail a whole page. Every string enum reachable from a response becomes
//!    `oneOf: [<the enum>, string]`, which generates an untagged Rust enum whose last
//!    variant keeps any value the spec does not list.
//! 4. **No client-side length limits on parameters.** typify turns `maxLength` into a
//!    newtype that rejects longer values; Webex documents `locationId` as at most 36
//!    characters while the ids its own API returns are longer, so such limits are left
//!    to the server.
//! 5. **Open query enums.** A query parameter marked `x-open-enum: true` (the provider
//!    adds values over time) loses its `enum`, so the generated setter takes any string;
//!    the documented values stay in the spec and in the filter table
//!    (`crates/<key>/src/filters.rs`) that front ends validate and complete from.

use serde_json::{json, Map, Value};

use crate::spec;

/// Applies every step to `spec` (an OpenAPI 3.0 document as JSON).
pub fn run(doc: &mut Value) {
    let snapshot = doc.clone();
    close_written_open_enums(&snapshot, doc);
    let ops = spec::operations(doc);
    let responses = ops
        .iter()
        .flat_map(|op| op.responses(doc))
        .map(|(_, r)| r.pointer);
    let responses: Vec<String> = responses.collect();
    let parameters = ops
        .iter()
        .flat_map(|op| op.parameters(doc))
        .map(|p| p.pointer);
    let parameters: Vec<String> = parameters.collect();
    let open = spec::reach(doc)
        .into_iter()
        .filter(|(_, reach)| reach.response);
    let open: Vec<String> = open.map(|(name, _)| name).collect();
    for pointer in dedup(responses) {
        if let Some(content) = object_at(doc, &format!("{pointer}/content")) {
            vendor_media_types(content);
        }
    }
    for pointer in dedup(parameters) {
        if let Some(parameter) = object_at(doc, &pointer) {
            comma_joined_array(parameter);
            loosen_parameter(parameter);
        }
    }
    for name in open {
        if let Some(schema) = doc.pointer_mut(&spec::child("/components/schemas", &name)) {
            open_enums_in(schema, &name);
        }
    }
}

fn dedup(mut pointers: Vec<String>) -> Vec<String> {
    pointers.sort();
    pointers.dedup();
    pointers
}

fn object_at<'a>(doc: &'a mut Value, pointer: &str) -> Option<&'a mut Map<String, Value>> {
    doc.pointer_mut(pointer).and_then(Value::as_object_mut)
}

/// Step 0, everywhere in the document but in examples (which are data). `doc` is the
/// unchanged document, against which `$ref`s are resolved.
fn close_written_open_enums(doc: &Value, value: &mut Value) {
    let known = spec::open_enum(doc, value).cloned();
    match value {
        Value::Object(map) => {
            if let Some(known) = known {
                map.remove("anyOf");
                if known.get("$ref").is_some() {
                    // A `$ref` replaces its siblings in OpenAPI 3.0: the referenced
                    // enum describes itself.
                    *map = known.as_object().cloned().unwrap_or_default();
                } else {
                    for key in ["type", "enum", "format"] {
                        if let Some(v) = known.get(key) {
                            map.insert(key.to_owned(), v.clone());
                        }
                    }
                }
                return;
            }
            for (key, v) in map.iter_mut() {
                if key != "example" && key != "examples" {
                    close_written_open_enums(doc, v);
                }
            }
        }
        Value::Array(list) => {
            for v in list {
                close_written_open_enums(doc, v);
            }
        }
        _ => {}
    }
}

/// Step 1, on the `content` of one response.
fn vendor_media_types(content: &mut Map<String, Value>) {
    if content.contains_key("application/json") {
        return;
    }
    let vendor = content
        .keys()
        .find(|k| k.split(';').next().unwrap_or("").trim().ends_with("+json"))
        .cloned();
    if let Some(media) = vendor.and_then(|key| content.remove(&key)) {
        content.insert("application/json".to_owned(), media);
    }
}

/// Step 2, on one parameter.
fn comma_joined_array(p: &mut Map<String, Value>) {
    let is_joined = p.get("in") == Some(&json!("query"))
        && p.get("explode") == Some(&json!(false))
        && p.get("schema").and_then(|s| s.get("type")) == Some(&json!("array"));
    if is_joined {
        let description = p
            .get("schema")
            .and_then(|s| s.get("description"))
            .cloned()
            .unwrap_or_else(|| json!("Comma-separated list."));
        p.insert(
            "schema".to_owned(),
            json!({ "type": "string", "description": description }),
        );
        p.remove("style");
        p.remove("explode");
        p.remove("example");
    }
}

/// Steps 4 and 5, on one parameter.
fn loosen_parameter(p: &mut Map<String, Value>) {
    let open_enum =
        p.get("in") == Some(&json!("query")) && p.get("x-open-enum") == Some(&json!(true));
    if let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) {
        schema.remove("maxLength");
        schema.remove("minLength");
        if open_enum && schema.get("type") == Some(&json!("string")) {
            schema.remove("enum");
        }
    }
}

/// `name` is the Rust type name typify gives this subschema (`Parent` + `Property`), used
/// to name the closed half `<name>Known`; the variants come out as `Known` and `Other`.
fn open_enums_in(schema: &mut Value, name: &str) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    let is_string_enum = map.contains_key("enum") && map.get("type") == Some(&json!("string"));
    if is_string_enum {
        let mut known = Map::new();
        known.insert("title".to_owned(), json!(format!("{name}Known")));
        known.insert("type".to_owned(), json!("string"));
        for key in ["enum", "format"] {
            if let Some(v) = map.remove(key) {
                known.insert(key.to_owned(), v);
            }
        }
        map.remove("type");
        let other = json!({
            "title": format!("{name}Other"),
            "type": "string",
            "description": "A value this version of the spec does not list, kept verbatim."
        });
        map.insert("oneOf".to_owned(), json!([Value::Object(known), other]));
        return;
    }
    for key in ["properties", "patternProperties"] {
        if let Some(props) = map.get_mut(key).and_then(Value::as_object_mut) {
            for (prop, v) in props.iter_mut() {
                open_enums_in(v, &format!("{name}{}", pascal(prop)));
            }
        }
    }
    if let Some(v) = map.get_mut("items") {
        open_enums_in(v, &format!("{name}Item"));
    }
    if let Some(v) = map.get_mut("additionalProperties") {
        open_enums_in(v, &format!("{name}Value"));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = map.get_mut(key).and_then(Value::as_array_mut) {
            for (i, v) in list.iter_mut().enumerate() {
                open_enums_in(v, &format!("{name}Variant{i}"));
            }
        }
    }
}

/// `callbackNumber_id` → `CallbackNumberId`, the way typify names property types.
fn pascal(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One operation with every case the steps tell apart.
    fn doc() -> Value {
        let open = |values: &[&str]| json!({ "anyOf": [{ "type": "string", "enum": values }, { "type": "string" }] });
        let list = json!({ "type": "array", "items": { "type": "string" } });
        json!({
            "openapi": "3.0.3",
            "info": { "title": "t", "version": "1" },
            "paths": { "/things/{ids}": { "get": {
                "operationId": "list",
                "parameters": [
                    { "name": "tags", "in": "query", "style": "form", "explode": false,
                      "schema": list, "example": ["a"] },
                    { "name": "each", "in": "query", "explode": true, "schema": list },
                    { "name": "ids", "in": "path", "required": true, "style": "simple",
                      "explode": false, "schema": list },
                    { "name": "state", "in": "query", "x-open-enum": true,
                      "schema": { "type": "string", "enum": ["A", "B"], "maxLength": 5 } },
                    { "name": "size", "in": "query", "x-open-enum": true,
                      "schema": { "type": "integer", "enum": [1, 2] } },
                    { "name": "kind", "in": "query",
                      "schema": { "type": "string", "enum": ["X"], "minLength": 1 } },
                    { "name": "X-Mode", "in": "header", "x-open-enum": true,
                      "schema": { "type": "string", "enum": ["on"] } }
                ],
                "responses": {
                    "200": { "description": "ok", "content": {
                        "application/vnd.t.v4+json; charset=utf-8":
                            { "schema": { "$ref": "#/components/schemas/Thing" } } } },
                    "400": { "description": "bad", "content": {
                        "application/json": { "schema": { "type": "object" } },
                        "application/problem+json": { "schema": { "type": "string" } } } }
                }
            } } },
            "components": { "schemas": { "Thing": {
                "type": "object",
                "properties": { "status": open(&["ON", "OFF"]), "name": { "type": "string" } },
                "example": { "status": open(&["data"]) }
            } } }
        })
    }

    #[test]
    fn each_step_rewrites_what_it_names_and_nothing_else() {
        let mut doc = doc();
        run(&mut doc);
        let op = &doc["paths"]["/things/{ids}"]["get"];
        let param = |name: &str| {
            op["parameters"]
                .as_array()
                .and_then(|ps| ps.iter().find(|p| p["name"] == name))
                .unwrap_or_else(|| panic!("{name}"))
                .clone()
        };
        // 1: a vendor type becomes application/json only where there is none.
        let ok = &op["responses"]["200"]["content"];
        assert_eq!(ok.as_object().map(|c| c.len()), Some(1), "{ok}");
        assert_eq!(
            ok["application/json"]["schema"]["$ref"],
            "#/components/schemas/Thing"
        );
        let bad = &op["responses"]["400"]["content"];
        assert_eq!(bad["application/json"]["schema"]["type"], "object");
        assert_eq!(bad["application/problem+json"]["schema"]["type"], "string");
        // 2: only a query array sent joined becomes a string.
        let tags = param("tags");
        assert_eq!(tags["schema"]["type"], "string");
        assert!(
            tags.get("explode").is_none() && tags.get("example").is_none(),
            "{tags}"
        );
        assert_eq!(param("each")["schema"]["type"], "array");
        assert_eq!(param("ids")["schema"]["type"], "array");
        // 4 and 5: no length limits; an open query string enum loses its values.
        assert_eq!(param("state")["schema"], json!({ "type": "string" }));
        assert_eq!(
            param("kind")["schema"],
            json!({ "type": "string", "enum": ["X"] })
        );
        assert_eq!(param("size")["schema"]["enum"], json!([1, 2]));
        assert_eq!(param("X-Mode")["schema"]["enum"], json!(["on"]));
        // 0 and 3: the written open enum is closed, then opened the Rust way; a plain
        // string and the example's data stay as they are.
        let thing = &doc["components"]["schemas"]["Thing"];
        let status = &thing["properties"]["status"]["oneOf"];
        assert_eq!(status[0]["title"], "ThingStatusKnown");
        assert_eq!(status[0]["enum"], json!(["ON", "OFF"]));
        assert_eq!(status[1]["title"], "ThingStatusOther");
        assert_eq!(thing["properties"]["name"], json!({ "type": "string" }));
        assert_eq!(
            thing["example"],
            self::doc()["components"]["schemas"]["Thing"]["example"]
        );
    }

    #[test]
    fn property_names_become_type_names_the_way_typify_writes_them() {
        assert_eq!(pascal("callbackNumber_id"), "CallbackNumberId");
        assert_eq!(pascal("e164-number"), "E164Number");
        assert_eq!(pascal("__"), "");
    }
}
