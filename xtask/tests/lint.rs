//! `cargo xtask lint`: the real specs are clean, and each kind of defect in a scratch copy
//! is reported at the right JSON pointer. The rules Redocly checks are proved by
//! `.ci/specs/redocly-cases.yaml` in `.ci/specs.sh`; the last test here keeps them on.

use std::path::PathBuf;

use serde_json::{json, Value};
use xtask::Problem;

fn root() -> PathBuf {
    xtask::workspace_root()
}

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

/// Redocly validates the examples of schemas, parameters and media types, not those of
/// headers: the lint does, `example` and `examples.*.value` alike.
#[test]
fn header_examples_are_checked() {
    let scratch = Scratch::new("header-example");
    scratch.edit("webex-calling", |s| {
        *at(s, "/components/headers/RetryAfter/example") = json!(-5);
        set(
            s,
            "/components/headers/TrackingID/examples",
            json!({ "long": { "value": 42 } }),
        );
    });
    let problems = scratch.lint();
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/headers/RetryAfter/example",
            "/components/headers/TrackingID/examples/long/value",
        ],
        "{problems:#?}"
    );
    let line = problems[0].to_string();
    assert!(line.contains("example does not match its schema"), "{line}");
    // One problem per place in an example, however many keywords it breaks there.
    let scratch = Scratch::new("header-example-places");
    scratch.edit("webex-calling", |s| {
        set(
            s,
            "/components/headers/RetryAfter/schema/multipleOf",
            json!(2),
        );
        *at(s, "/components/headers/RetryAfter/example") = json!(-5);
        let pair = json!({"type": "object", "properties": {
            "a": {"type": "string"}, "b": {"type": "string"}}});
        *at(s, "/components/headers/TrackingID/schema") = pair;
        *at(s, "/components/headers/TrackingID/example") = json!({"a": 1, "b": 2});
    });
    let problems = scratch.lint();
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/headers/RetryAfter/example",
            "/components/headers/TrackingID/example/a",
            "/components/headers/TrackingID/example/b",
        ],
        "{problems:#?}"
    );
    // The parameters' examples are Redocly's (no-invalid-parameter-examples).
    let scratch = Scratch::new("parameter-example");
    scratch.edit("webex-calling", |s| {
        *at(s, &format!("{WEBEX_LIST}/parameters/2/example")) = json!("lots");
    });
    assert_eq!(scratch.lint(), []);
}

#[test]
fn undocumented_enum_values() {
    let scratch = Scratch::new("enum");
    scratch.edit("zoom-phone", |s| {
        at(
            s,
            "/components/schemas/ZoomPhoneNumber/properties/status/anyOf/0/enum",
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
            "/components/schemas/ZoomPhoneNumber/properties/status/anyOf/0/enum/2",
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

/// A closed enum where other languages' clients must take values added later: in a
/// response (inline, or a shared component a response property names directly) and
/// in a query parameter marked `x-open-enum`. The known half of an open enum, and a
/// component reached only through one, may be closed.
#[test]
fn enums_clients_must_not_close() {
    let scratch = Scratch::new("open-enums");
    scratch.edit("zoom-phone", |s| {
        set(
            s,
            "/components/schemas/ZoomPhoneNumber/properties/status",
            json!({"type": "string", "description": "`pending` or `available`.",
                   "enum": ["pending", "available"]}),
        );
    });
    scratch.edit("webex-calling", |s| {
        let param = at(s, &format!("{WEBEX_LIST}/parameters"))
            .as_array_mut()
            .expect("parameters")
            .iter_mut()
            .find(|p| p["name"] == "ownerType")
            .expect("ownerType");
        param["schema"] = param["schema"]["anyOf"][0].clone();
    });
    scratch.edit("fone-dynamics", |s| {
        set(
            s,
            "/components/schemas/FoneNumber/properties/Type",
            json!({"$ref": "#/components/schemas/FoneNumberType"}),
        );
    });
    let problems = scratch.lint();
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.spec.as_str(), p.pointer.as_str()))
        .collect();
    let owner_type = problems
        .iter()
        .find(|p| p.spec == "webex-calling")
        .map(|p| p.pointer.clone())
        .unwrap_or_default();
    assert_eq!(
        found,
        [
            ("webex-calling", owner_type.as_str()),
            ("fone-dynamics", "/components/schemas/FoneNumberType/enum"),
            (
                "zoom-phone",
                "/components/schemas/ZoomPhoneNumber/properties/status/enum"
            ),
        ],
        "{problems:#?}"
    );
    assert!(
        owner_type.starts_with(WEBEX_LIST) && owner_type.ends_with("/schema/enum"),
        "{owner_type}"
    );
    assert!(problems.iter().all(|p| p.message.contains("anyOf")));
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

/// The built-in Redocly rules the project leaves its checks to (operation ids,
/// descriptions, examples, `$ref`s, servers, security).
const REDOCLY_RULES: &[&str] = &[
    "operation-operationId",
    "operation-operationId-unique",
    "operation-description",
    "parameter-description",
    "no-invalid-schema-examples",
    "no-invalid-parameter-examples",
    "no-invalid-media-type-examples",
    "no-unresolved-refs",
    "no-empty-servers",
    "security-defined",
];

/// What the lint leaves to Redocly stays there: redocly.yaml turns every built-in rule
/// on, turns none of those the project relies on off (for all specs or for one), and
/// keeps its configurable `rule/...` checks; `.ci/specs.sh` runs the cases that prove
/// each one still reports its defect, and every rule has a case.
#[test]
fn rules_left_to_redocly_stay_on_and_have_cases() {
    let root = root();
    let config = xtask::load_spec(&root.join("redocly.yaml")).expect("redocly.yaml");
    assert!(
        config["extends"]
            .as_array()
            .is_some_and(|e| e.contains(&json!("all"))),
        "redocly.yaml extends `all`"
    );
    let rule_sets = std::iter::once(&config["rules"]).chain(
        config["apis"]
            .as_object()
            .expect("apis")
            .values()
            .map(|api| &api["rules"]),
    );
    for rules in rule_sets {
        for rule in REDOCLY_RULES {
            let setting = &rules[*rule];
            let off = setting == "off" || setting["severity"] == "off";
            assert!(!off, "redocly.yaml turns `{rule}` off");
        }
    }
    let configured: Vec<&String> = config["rules"]
        .as_object()
        .expect("rules")
        .keys()
        .filter(|k| k.starts_with("rule/"))
        .collect();
    assert!(
        configured.len() >= 9,
        "the configurable rules: {configured:?}"
    );
    let cases = std::fs::read_to_string(root.join(".ci/specs/redocly-cases.yaml"))
        .expect(".ci/specs/redocly-cases.yaml");
    for rule in REDOCLY_RULES
        .iter()
        .copied()
        .chain(configured.iter().map(|r| r.as_str()))
    {
        assert!(
            cases.contains(&format!("[{rule}, ")),
            ".ci/specs/redocly-cases.yaml has no case for `{rule}`"
        );
    }
    let script = std::fs::read_to_string(root.join(".ci/specs.sh")).expect(".ci/specs.sh");
    assert!(
        script
            .lines()
            .any(|l| l.starts_with("python \"$pins/redocly_cases.py\"")),
        ".ci/specs.sh runs .ci/specs/redocly_cases.py"
    );
}
