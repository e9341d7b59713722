//! Finds every example in a spec and the component schema it must decode into.

use serde_json::{Map, Value};

/// One example to decode.
#[derive(Debug)]
pub struct Example {
    /// Where it is in the spec (a JSON pointer, or a description for synthesised ones).
    pub location: String,
    /// The component schema whose generated type must accept it.
    pub schema: String,
    /// The example value.
    pub value: Value,
}

/// Loads `specs/<key>.yaml` as JSON.
pub fn load(key: &str) -> Value {
    xtask::load_spec(&xtask::spec_path(&crate::root(), key)).expect("spec loads")
}

/// All examples of `spec`:
/// * response-body examples (`example` and every `examples.*.value`), checked against the
///   body's `$ref`;
/// * schema-level `example`s of component schemas;
/// * for each object component, one instance assembled from its properties' own
///   examples (nested `$ref`s assembled the same way), so that every property example is
///   decoded as part of the type it belongs to.
pub fn collect(spec: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                let Some(responses) = op.get("responses").and_then(Value::as_object) else {
                    continue;
                };
                for (status, response) in responses {
                    let response = resolve(spec, response);
                    let Some(content) = response.get("content").and_then(Value::as_object) else {
                        continue;
                    };
                    for (media, body) in content {
                        let Some(schema) = body
                            .pointer("/schema/$ref")
                            .and_then(Value::as_str)
                            .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        else {
                            continue;
                        };
                        let base = format!(
                            "/paths/{}/{method}/responses/{status}/content/{}",
                            escape(path),
                            escape(media)
                        );
                        if let Some(v) = body.get("example") {
                            out.push(Example {
                                location: format!("{base}/example"),
                                schema: schema.to_owned(),
                                value: v.clone(),
                            });
                        }
                        for (name, ex) in body
                            .get("examples")
                            .and_then(Value::as_object)
                            .into_iter()
                            .flatten()
                        {
                            let ex = resolve(spec, ex);
                            if let Some(v) = ex.get("value") {
                                out.push(Example {
                                    location: format!("{base}/examples/{name}/value"),
                                    schema: schema.to_owned(),
                                    value: v.clone(),
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            if let Some(v) = schema.get("example") {
                out.push(Example {
                    location: format!("/components/schemas/{name}/example"),
                    schema: name.clone(),
                    value: v.clone(),
                });
            }
            if schema.get("properties").is_some() {
                if let Some(v) = synthesize(spec, schema, 0) {
                    out.push(Example {
                        location: format!(
                            "/components/schemas/{name} (assembled from property examples)"
                        ),
                        schema: name.clone(),
                        value: v,
                    });
                }
            }
        }
    }
    out
}

fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| spec.pointer(p))
            .unwrap_or(v),
        None => v,
    }
}

/// An instance of `schema` built from the examples of its parts.
pub fn synthesize(spec: &Value, schema: &Value, depth: usize) -> Option<Value> {
    if depth > 16 {
        return None;
    }
    let schema = resolve(spec, schema);
    if let Some(v) = schema.get("example") {
        return Some(v.clone());
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            return synthesize(spec, first, depth + 1);
        }
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let mut obj = Map::new();
        for (k, p) in props {
            if let Some(v) = synthesize(spec, p, depth + 1) {
                obj.insert(k.clone(), v);
            }
        }
        return Some(Value::Object(obj));
    }
    if let Some(items) = schema.get("items") {
        return Some(Value::Array(
            synthesize(spec, items, depth + 1).into_iter().collect(),
        ));
    }
    None
}

fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// `v` without `null` members (generated types skip `None` when serialising).
pub fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}
