//! `cargo xtask lint`: the real specs are clean, and each kind of defect in a scratch copy
//! is reported at the right JSON pointer.

use std::path::PathBuf;

use serde_json::{json, Value};
use telnums_tests::root;
use xtask::Problem;

/// The real specs have no lint problems.
#[test]
fn real_specs_lint_clean() {
    let problems = xtask::lint(&root()).expect("lint runs");
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "lint problems:\n{}", lines.join("\n"));
}

/// A copy of every spec under `<tmp>/specs/<key>.yaml`, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("telnums-lint-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for key in xtask::PROVIDERS {
            let to = xtask::spec_path(&dir, key);
            std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
            std::fs::copy(xtask::spec_path(&root(), key), &to).expect("copy spec");
        }
        Scratch(dir)
    }

    /// Rewrites `specs/<key>.yaml` after `edit` (as JSON, which is valid YAML).
    fn edit(&self, key: &str, edit: impl FnOnce(&mut Value)) -> &Self {
        let path = xtask::spec_path(&self.0, key);
        let mut spec = xtask::load_spec(&path).expect("load");
        edit(&mut spec);
        std::fs::write(&path, serde_json::to_string_pretty(&spec).expect("json")).expect("write");
        self
    }

    fn lint(&self) -> Vec<Problem> {
        xtask::lint(&self.0).expect("lint runs")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn at<'a>(spec: &'a mut Value, pointer: &str) -> &'a mut Value {
    spec.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer} exists in the spec"))
}

/// Sets (or adds) the member at `pointer`.
fn set(spec: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').expect("a child pointer");
    let key = key.replace("~1", "/").replace("~0", "~");
    match at(spec, parent) {
        Value::Object(map) => {
            map.insert(key, value);
        }
        Value::Array(list) => list[key.parse::<usize>().expect("an index")] = value,
        _ => panic!("{parent} is a container"),
    }
}

fn remove(spec: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').expect("a child pointer");
    let removed = at(spec, parent)
        .as_object_mut()
        .expect("an object")
        .remove(&key.replace("~1", "/").replace("~0", "~"));
    assert!(removed.is_some(), "{pointer} existed");
}

/// Asserts that exactly one problem is reported, in `key`, at `pointer`, and that its
/// message contains `words`; returns its printed line.
fn assert_single(problems: &[Problem], key: &str, pointer: &str, words: &str) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems.len(),
        1,
        "one problem expected:\n{}",
        lines.join("\n")
    );
    let p = &problems[0];
    assert_eq!(
        (p.spec.as_str(), p.pointer.as_str()),
        (key, pointer),
        "{}",
        lines[0]
    );
    assert!(
        p.message.contains(words),
        "message names the defect: {}",
        lines[0]
    );
    assert_eq!(
        lines[0],
        format!("specs/{key}.yaml#{pointer}: {}", p.message)
    );
    lines[0].clone()
}

const WEBEX_LIST: &str = "/paths/~1v1~1telephony~1config~1numbers/get";
const VONAGE_LIST: &str = "/paths/~1useradmin~1callbackNumbers/get";

#[test]
fn property_example_of_the_wrong_type() {
    let pointer = "/components/schemas/WebexNumberCount/properties/assigned/example";
    let scratch = Scratch::new("property-example");
    scratch.edit("webex-calling", |s| *at(s, pointer) = json!("thirty-three"));
    let line = assert_single(&scratch.lint(), "webex-calling", pointer, "example");
    assert!(line.contains("is not of type \"integer\""), "{line}");
}

#[test]
fn response_example_broken_deep_inside() {
    let example = format!(
        "{VONAGE_LIST}/responses/200/content/application~1vnd.newvoicemedia.v4+json/example"
    );
    let scratch = Scratch::new("response-example");
    scratch.edit("vonage-cc", |s| {
        *at(
            s,
            &format!("{example}/callbackNumbers/1/callbackNumberClid"),
        ) = json!(481112);
    });
    let line = assert_single(
        &scratch.lint(),
        "vonage-cc",
        &format!("{example}/callbackNumbers/1/callbackNumberClid"),
        "at `/callbackNumbers/1/callbackNumberClid`",
    );
    assert!(line.contains("not of type \"string\""), "{line}");
}

#[test]
fn named_response_example_and_format_are_checked() {
    let value = "/paths/~1orgs~1{orgId}~1brands~1{brandId}~1caller-ids/get/responses/200/content/application~1json/examples/page/value";
    let scratch = Scratch::new("named-example");
    scratch.edit("apple-business", |s| {
        *at(s, &format!("{value}/data/0/createdDate")) = json!("last Tuesday");
    });
    assert_single(
        &scratch.lint(),
        "apple-business",
        &format!("{value}/data/0/createdDate"),
        "date-time",
    );
}

#[test]
fn parameter_and_header_examples_are_checked() {
    let scratch = Scratch::new("param-header-example");
    scratch.edit("webex-calling", |s| {
        *at(s, &format!("{WEBEX_LIST}/parameters/2/example")) = json!("lots");
        *at(s, "/components/headers/RetryAfter/example") = json!(-5);
    });
    let problems = scratch.lint();
    let pointers: Vec<String> = problems.iter().map(|p| p.pointer.clone()).collect();
    assert_eq!(
        pointers,
        [
            "/components/headers/RetryAfter/example".to_owned(),
            format!("{WEBEX_LIST}/parameters/2/example"),
        ],
        "{problems:#?}"
    );
}

#[test]
fn nullable_allows_null_but_only_there() {
    let scratch = Scratch::new("nullable");
    scratch.edit("webex-calling", |s| {
        // `phoneNumber` is nullable (already null in the list example), `extension` is not.
        *at(
            s,
            "/components/schemas/WebexNumber/properties/phoneNumber/example",
        ) = Value::Null;
        *at(
            s,
            "/components/schemas/WebexNumber/properties/extension/example",
        ) = Value::Null;
    });
    assert_single(
        &scratch.lint(),
        "webex-calling",
        "/components/schemas/WebexNumber/properties/extension/example",
        "null",
    );
}

#[test]
fn missing_property_description() {
    let pointer = "/components/schemas/ZoomSite/properties/name";
    let scratch = Scratch::new("property-description");
    scratch.edit("zoom-phone", |s| {
        remove(s, &format!("{pointer}/description"))
    });
    assert_single(
        &scratch.lint(),
        "zoom-phone",
        pointer,
        "property `name` has no description",
    );
}

#[test]
fn missing_schema_operation_and_parameter_descriptions() {
    let scratch = Scratch::new("descriptions");
    scratch.edit("fone-dynamics", |s| {
        remove(s, "/components/schemas/FoneResponseStatus/description");
        remove(s, "/paths/~1v2~1Numbers~1{Number}/get/description");
        remove(s, "/components/parameters/ResultsSkip/description");
        *at(
            s,
            "/paths/~1v2~1Numbers~1{Number}/get/parameters/0/description",
        ) = json!("  ");
    });
    let problems = scratch.lint();
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.pointer.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "/components/parameters/ResultsSkip",
                "parameter `Results_Skip` has no description"
            ),
            (
                "/components/schemas/FoneResponseStatus",
                "schema `FoneResponseStatus` has no description"
            ),
            (
                "/paths/~1v2~1Numbers~1{Number}/get",
                "operation has no description"
            ),
            (
                "/paths/~1v2~1Numbers~1{Number}/get/parameters/0",
                "parameter `Number` has no description"
            ),
        ]
    );
}

#[test]
fn undocumented_enum_values() {
    let scratch = Scratch::new("enum");
    scratch.edit("zoom-phone", |s| {
        at(
            s,
            "/components/schemas/ZoomPhoneNumber/properties/status/enum",
        )
        .as_array_mut()
        .expect("enum")
        .push(json!("porting"));
        // A parameter's enum may be explained by the parameter's description.
        at(s, "/paths/~1phone~1numbers/get/parameters/1/schema/enum")
            .as_array_mut()
            .expect("enum")
            .push(json!("shared"));
    });
    let problems = scratch.lint();
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/ZoomPhoneNumber/properties/status/enum/2",
            "/paths/~1phone~1numbers/get/parameters/1/schema/enum/4",
        ],
        "{problems:#?}"
    );
    assert!(problems[0].message.contains("`porting`"), "{problems:#?}");
}

#[test]
fn undocumented_server_variable_value() {
    let scratch = Scratch::new("server-enum");
    scratch.edit("vonage-cc", |s| {
        at(s, "/servers/0/variables/region/enum")
            .as_array_mut()
            .expect("enum")
            .push(json!("latam"));
    });
    assert_single(
        &scratch.lint(),
        "vonage-cc",
        "/servers/0/variables/region/enum/3",
        "enum value `latam` is not documented",
    );
}

#[test]
fn dangling_ref() {
    let pointer = "/components/schemas/ZoomPhoneNumber/properties/site/$ref";
    let scratch = Scratch::new("dangling-ref");
    scratch.edit("zoom-phone", |s| {
        set(s, pointer, json!("#/components/schemas/ZoomSit"));
    });
    let problems = scratch.lint();
    let (direct, consequences): (Vec<&Problem>, Vec<&Problem>) =
        problems.iter().partition(|p| p.pointer == pointer);
    assert_eq!(direct.len(), 1, "{problems:#?}");
    assert!(
        direct[0]
            .message
            .contains("does not point into this document"),
        "{problems:#?}"
    );
    // Examples whose schema reaches the broken $ref say why they cannot be checked.
    assert!(
        consequences
            .iter()
            .all(|p| p.message.contains("cannot check this example")),
        "{problems:#?}"
    );
}

#[test]
fn duplicate_operation_id() {
    let scratch = Scratch::new("operation-id");
    scratch.edit("fone-dynamics", |s| {
        *at(
            s,
            "/paths/~1v2~1Accounts~1{AccountSid}~1Numbers/get/operationId",
        ) = json!("listPropertyNumbers");
    });
    let problems = scratch.lint();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].pointer.ends_with("/get/operationId"),
        "{problems:#?}"
    );
    assert!(
        problems[0]
            .message
            .contains("`listPropertyNumbers` is already used"),
        "{problems:#?}"
    );
}

#[test]
fn servers_and_security_are_required() {
    let scratch = Scratch::new("security");
    scratch.edit("vonage-cc", |s| {
        *at(s, "/servers") = json!([]);
        remove(s, "/security");
        remove(s, "/components/securitySchemes");
    });
    let problems = scratch.lint();
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        ["/components/securitySchemes", "/security", "/servers"],
        "{problems:#?}"
    );
}

#[test]
fn closed_response_schemas() {
    let scratch = Scratch::new("closed");
    scratch.edit("apple-business", |s| {
        // Reachable from a response through AppleCallerIdList → AppleCallerId.
        set(
            s,
            "/components/schemas/AppleCallerIdDetails/additionalProperties",
            json!(false),
        );
        set(
            s,
            "/components/schemas/AppleCallerId/properties/etag/pattern",
            json!("^[0-9a-f-]+$"),
        );
    });
    let problems = scratch.lint();
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/AppleCallerId/properties/etag/pattern",
            "/components/schemas/AppleCallerIdDetails/additionalProperties",
        ],
        "{problems:#?}"
    );
}

#[test]
fn error_responses_share_one_schema() {
    let ops = "/paths/~1orgs~1{orgId}~1brands~1{brandId}~1caller-ids/get/responses";
    let scratch = Scratch::new("errors");
    scratch.edit("apple-business", |s| {
        *at(s, &format!("{ops}/404/content/application~1json/schema")) =
            json!({ "$ref": "#/components/schemas/AppleErrorDetail" });
        *at(s, &format!("{ops}/503/content/application~1json/schema")) =
            json!({ "type": "object", "description": "Inline." });
    });
    let problems = scratch.lint();
    let found: Vec<String> = problems.iter().map(|p| p.pointer.clone()).collect();
    assert_eq!(
        found,
        [
            format!("{ops}/404/content/application~1json/schema"),
            format!("{ops}/503/content/application~1json/schema"),
        ],
        "{problems:#?}"
    );
    assert!(
        problems[0]
            .message
            .contains("#/components/schemas/AppleErrorDetail")
            && problems[0].message.contains("#/components/schemas/Error"),
        "{problems:#?}"
    );
}
