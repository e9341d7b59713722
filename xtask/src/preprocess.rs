//! Preprocessing: what progenitor 0.15 cannot express, fixed on an in-memory copy of a
//! spec before it reaches the generator. The spec files stay standard OpenAPI for every
//! other generator; only the Rust output sees these rewrites.
//!
//! Steps, in order:
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

use std::collections::{BTreeSet, VecDeque};

use serde_json::{json, Map, Value};

/// Applies every step to `spec` (an OpenAPI 3.0 document as JSON).
pub fn run(spec: &mut Value) {
    vendor_media_types(spec);
    comma_joined_arrays(spec);
    open_response_enums(spec);
    parameter_lengths(spec);
    open_query_enums(spec);
}

fn operations_mut(spec: &mut Value) -> impl Iterator<Item = &mut Map<String, Value>> {
    spec.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| {
            item.iter_mut()
                .filter(|(k, _)| {
                    matches!(
                        k.as_str(),
                        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
                    )
                })
                .filter_map(|(_, op)| op.as_object_mut())
        })
}

/// Step 1.
fn vendor_media_types(spec: &mut Value) {
    for op in operations_mut(spec) {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            continue;
        };
        for response in responses.values_mut() {
            let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else {
                continue;
            };
            if content.contains_key("application/json") {
                continue;
            }
            let vendor: Vec<String> = content
                .keys()
                .filter(|k| k.split(';').next().unwrap_or("").trim().ends_with("+json"))
                .cloned()
                .collect();
            if let Some(key) = vendor.into_iter().next() {
                if let Some(media) = content.remove(&key) {
                    content.insert("application/json".to_owned(), media);
                }
            }
        }
    }
}

/// Calls `f` on every parameter object, in path items, operations and components.
fn for_each_parameter(spec: &mut Value, mut f: impl FnMut(&mut Map<String, Value>)) {
    let mut params: Vec<&mut Value> = Vec::new();
    let (paths, components) = split_paths_components(spec);
    if let Some(paths) = paths {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (key, value) in item.iter_mut() {
                if key == "parameters" {
                    params.extend(value.as_array_mut().into_iter().flatten());
                } else if let Some(op) = value.as_object_mut() {
                    if let Some(list) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                        params.extend(list.iter_mut());
                    }
                }
            }
        }
    }
    if let Some(shared) = components
        .and_then(|c| c.get_mut("parameters"))
        .and_then(Value::as_object_mut)
    {
        params.extend(shared.values_mut());
    }
    params
        .into_iter()
        .filter_map(Value::as_object_mut)
        .for_each(&mut f);
}

/// Step 2.
fn comma_joined_arrays(spec: &mut Value) {
    for_each_parameter(spec, |p| {
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
    });
}

/// Step 4.
fn parameter_lengths(spec: &mut Value) {
    for_each_parameter(spec, |p| {
        if let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) {
            schema.remove("maxLength");
            schema.remove("minLength");
        }
    });
}

/// Step 5.
fn open_query_enums(spec: &mut Value) {
    for_each_parameter(spec, |p| {
        let open =
            p.get("in") == Some(&json!("query")) && p.get("x-open-enum") == Some(&json!(true));
        if let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) {
            if open && schema.get("type") == Some(&json!("string")) {
                schema.remove("enum");
            }
        }
    });
}

fn split_paths_components(
    spec: &mut Value,
) -> (Option<&mut Map<String, Value>>, Option<&mut Value>) {
    let Some(obj) = spec.as_object_mut() else {
        return (None, None);
    };
    let mut paths = None;
    let mut components = None;
    for (k, v) in obj.iter_mut() {
        match k.as_str() {
            "paths" => paths = v.as_object_mut(),
            "components" => components = Some(v),
            _ => {}
        }
    }
    (paths, components)
}

/// Step 3.
fn open_response_enums(spec: &mut Value) {
    // Component schemas reachable from any response body.
    let mut queue: VecDeque<String> = VecDeque::new();
    let mut roots = Vec::new();
    for op in operations_mut(spec) {
        if let Some(responses) = op.get("responses") {
            collect_refs(responses, &mut roots);
        }
    }
    queue.extend(roots);
    let mut reachable = BTreeSet::new();
    while let Some(name) = queue.pop_front() {
        if !reachable.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = spec.pointer(&format!("/components/schemas/{name}")) {
            let mut refs = Vec::new();
            collect_refs(schema, &mut refs);
            queue.extend(refs);
        }
    }
    let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        if reachable.contains(name) {
            open_enums_in(schema, name);
        }
    }
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                if let Some(name) = r.strip_prefix("#/components/schemas/") {
                    out.push(name.to_owned());
                }
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
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
