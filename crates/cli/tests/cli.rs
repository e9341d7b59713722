//! The `telnums` binary against local mock servers: listings in every format for every
//! provider, `--phone-number`, and the failure modes with their exit codes.

use assert_cmd::Command;
use serde_json::{json, Value};
use telnums_cli::demo;
use wiremock::matchers::{path, path_regex, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "cli-test-token-never-printed";
const ACCOUNT: &str = "AC0000000000000000000000000000000A";
const ORG: &str = "9467895078742654934";
const BRAND: &str = "9467895078742654921";
const PROVIDERS: [&str; 5] = [
    "vonage-cc",
    "webex-calling",
    "fone-dynamics",
    "apple-business",
    "zoom-phone",
];

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `telnums` with the test credentials in the environment. Blocking: call from a
/// multi-threaded runtime so the mock server keeps serving.
fn telnums(args: &[&str]) -> Run {
    telnums_with(args, &[])
}

/// [`telnums`] with more environment variables (values may be any bytes).
fn telnums_with(args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Run {
    let mut command = Command::cargo_bin("telnums").expect("binary");
    command
        .args(args)
        .env("TELNUMS_TOKEN", TOKEN)
        .env("TELNUMS_ACCOUNT_SID", ACCOUNT)
        .env_remove("TELNUMS_CLIENT_ID");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("runs");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "token leaked"
    );
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("backtrace"),
        "{}",
        run.stderr
    );
    run
}

/// `list <provider>` arguments for a server at `base`.
fn list_args(provider: &str, base: &str) -> Vec<String> {
    let mut args = vec![
        "list".to_owned(),
        provider.to_owned(),
        "--base-url".to_owned(),
    ];
    match provider {
        "apple-business" => {
            args.push(format!("{base}/api/v1"));
            args.extend(["--org-id", ORG, "--brand-id", BRAND].map(String::from));
        }
        _ => args.push(base.to_owned()),
    }
    args
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_provider_every_format() {
    let server = demo::start().await;
    let base = server.uri();
    for provider in PROVIDERS {
        let mut args = list_args(provider, &base);
        args.extend(["--page-size", "2"].map(String::from));
        for format in ["table", "json", "ndjson", "csv"] {
            let mut a = args.clone();
            a.extend(["--format", format].map(String::from));
            let run = tokio::task::block_in_place(|| telnums(&strs(&a)));
            assert_eq!(run.code, 0, "{provider} {format}: {}", run.stderr);
            let records: Vec<Value> = match format {
                "json" => serde_json::from_str(&run.stdout).expect("one JSON array"),
                "ndjson" => run
                    .stdout
                    .lines()
                    .map(|l| serde_json::from_str(l).expect("json line"))
                    .collect(),
                _ => Vec::new(),
            };
            // The exact bytes of every format.
            insta::assert_snapshot!(format!("{provider}_{format}"), run.stdout);
            if matches!(format, "json" | "ndjson") {
                assert_eq!(records.len(), 3, "{provider} {format}: all pages listed");
                for r in &records {
                    assert_eq!(r["provider"], provider);
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn phone_number_filter_uses_server_side_filters() {
    let server = demo::start().await;
    let base = server.uri();
    let cases = [
        ("vonage-cc", "+481112"),
        ("webex-calling", "+12026282002"),
        ("fone-dynamics", "+61255501235"),
        ("apple-business", "+18005550101"),
        ("zoom-phone", "+18885550101"),
    ];
    for (provider, number) in cases {
        let before = server.received_requests().await.map_or(0, |r| r.len());
        let mut args = list_args(provider, &base);
        args.extend(
            [
                "--page-size",
                "2",
                "--format",
                "ndjson",
                "--phone-number",
                number,
            ]
            .map(String::from),
        );
        let run = tokio::task::block_in_place(|| telnums(&strs(&args)));
        assert_eq!(run.code, 0, "{provider}: {}", run.stderr);
        let lines: Vec<Value> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(
            lines.len(),
            1,
            "{provider}: exactly the number asked for: {}",
            run.stdout
        );
        assert_eq!(lines[0]["number"], number);
        let requests = server.received_requests().await.expect("recorded");
        let sent: Vec<String> = requests[before..]
            .iter()
            .map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or("")))
            .collect();
        let digits = number.trim_start_matches('+');
        match provider {
            "webex-calling" => assert!(
                sent.iter()
                    .all(|u| u.contains(&format!("phoneNumber=%2B{digits}"))),
                "{sent:?}"
            ),
            "apple-business" => assert!(
                sent[0].contains(&format!("ql=callerIdDetails.phoneNumber%3D%3D%2B{digits}")),
                "{sent:?}"
            ),
            "fone-dynamics" => assert_eq!(sent, [format!("/v2/Numbers/{digits}?")]),
            _ => assert!(
                sent.iter().all(|u| !u.contains(digits)),
                "client-side filter only: {sent:?}"
            ),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn fone_single_number_path() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/Numbers/61255501234"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Number": { "Number": "+61255501234", "Friendly": "Sydney reception", "Status": "Active", "Type": "Local" }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let base = server.uri();
    let args = [
        "list",
        "fone-dynamics",
        "--base-url",
        &base,
        "--phone-number",
        "+61255501234",
        "--format",
        "ndjson",
    ];
    let run = tokio::task::block_in_place(|| telnums(&args));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line: Value = serde_json::from_str(run.stdout.trim()).expect("json");
    assert_eq!(line["label"], "Sydney reception");
}

/// A body for `provider`'s list endpoint with one record; `value` replaces an enum-typed
/// field (for providers that have one).
fn one_record(provider: &str, enum_value: &str) -> Value {
    match provider {
        "vonage-cc" => json!({ "meta": { "page": 1, "pageCount": 1 }, "callbackNumbers": [
            { "callbackNumberId": "cb-1", "callbackNumberName": enum_value, "callbackNumberClid": "+441632960001" }] }),
        "webex-calling" => {
            json!({ "phoneNumbers": [{ "phoneNumber": "+12025550100", "state": enum_value,
            "owner": { "id": "o", "type": enum_value } }] })
        }
        "fone-dynamics" => {
            json!({ "Numbers": [{ "Number": "+61255501234", "Status": enum_value, "RoutingMethod": "Flow" }] })
        }
        "apple-business" => json!({ "data": [{ "orgId": ORG, "brandId": BRAND, "id": "c1",
            "createdDate": "2026-10-02T11:41:00Z", "updatedDate": "2026-10-02T11:41:00Z", "state": enum_value,
            "etag": "e", "callerIdDetails": { "phoneNumber": "+18005550100" } }], "pagination": {}, "total": 1 }),
        _ => {
            json!({ "next_page_token": "", "phone_numbers": [{ "id": "z1", "number": "+12055550100", "status": enum_value }] })
        }
    }
}

async fn serve(server: &MockServer, response: ResponseTemplate) {
    Mock::given(path_regex(".*"))
        .respond_with(response)
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_and_unknown_values() {
    for provider in PROVIDERS {
        // 401: one line naming provider, status and request id; exit 1.
        let server = MockServer::start().await;
        serve(
            &server,
            ResponseTemplate::new(401)
                .insert_header("apple-request-id", "req-401")
                .insert_header("x-zm-trackingid", "req-401")
                .insert_header("x-request-id", "req-401")
                .insert_header("TrackingID", "req-401")
                .set_body_json(json!({ "message": "Invalid access token", "code": 124 })),
        )
        .await;
        let args = list_args(provider, &server.uri());
        let run = tokio::task::block_in_place(|| telnums(&strs(&args)));
        assert_eq!(run.code, 1, "{provider}: {}", run.stderr);
        let line = run.stderr.trim();
        assert_eq!(line.lines().count(), 1, "{provider}: one line: {line}");
        assert!(
            line.contains(provider) && line.contains("401") && line.contains("req-401"),
            "{line}"
        );

        // 500 (not retried): exit 1 with the status.
        let server = MockServer::start().await;
        serve(
            &server,
            ResponseTemplate::new(500).set_body_string("internal error"),
        )
        .await;
        let args = list_args(provider, &server.uri());
        let run = tokio::task::block_in_place(|| telnums(&strs(&args)));
        assert_eq!(run.code, 1);
        assert!(
            run.stderr.contains(provider) && run.stderr.contains("500"),
            "{}",
            run.stderr
        );

        // Malformed JSON: exit 1, a decode error naming the provider.
        let server = MockServer::start().await;
        serve(
            &server,
            ResponseTemplate::new(200).set_body_raw("{\"data\": [", "application/json"),
        )
        .await;
        let args = list_args(provider, &server.uri());
        let run = tokio::task::block_in_place(|| telnums(&strs(&args)));
        assert_eq!(run.code, 1);
        assert!(
            run.stderr.contains(provider) && run.stderr.contains("unexpected response body"),
            "{}",
            run.stderr
        );

        // An enum value the spec does not list: listed, kept verbatim.
        let server = MockServer::start().await;
        serve(
            &server,
            ResponseTemplate::new(200).set_body_json(one_record(provider, "BRAND_NEW_VALUE")),
        )
        .await;
        let mut args = list_args(provider, &server.uri());
        args.extend(["--format", "ndjson"].map(String::from));
        let run = tokio::task::block_in_place(|| telnums(&strs(&args)));
        assert_eq!(run.code, 0, "{provider}: {}", run.stderr);
        assert!(
            run.stdout.contains("BRAND_NEW_VALUE"),
            "{provider}: {}",
            run.stdout
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_exit_2() {
    for args in [
        vec!["list"],
        vec!["list", "not-a-provider"],
        vec!["list", "apple-business"],
        vec!["list", "all"],
        vec!["list", "zoom-phone", "--format", "xml"],
        vec!["list", "zoom-phone", "--page-size", "0"],
        vec!["list", "zoom-phone", "--phone-number", "call me"],
        vec!["list", "zoom-phone", "--phone-number", "02 5550 1234"],
    ] {
        let run = tokio::task::block_in_place(|| telnums(&args));
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn list_all_from_config_keeps_going_when_one_fails() {
    let good = demo::start().await;
    let bad = MockServer::start().await;
    Mock::given(path("/phone/numbers"))
        .and(query_param("page_size", "2"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"code": 124, "message": "No permission"})),
        )
        .mount(&bad)
        .await;
    let dir = std::env::temp_dir().join(format!("telnums-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let config = dir.join("telnums.toml");
    std::fs::write(
        &config,
        format!(
            "[webex-calling]\nbase_url = \"{g}\"\ntoken_env = \"TELNUMS_TOKEN\"\n\n[apple-business]\nbase_url = \"{g}/api/v1\"\norg_id = \"{ORG}\"\nbrand_id = \"{BRAND}\"\n\n[zoom-phone]\nbase_url = \"{b}\"\n",
            g = good.uri(),
            b = bad.uri()
        ),
    )
    .expect("write");
    let cfg = config.display().to_string();
    let args = [
        "list",
        "all",
        "--config",
        &cfg,
        "--page-size",
        "2",
        "--format",
        "ndjson",
    ];
    // Without their own variables, Apple and Zoom may not borrow TELNUMS_TOKEN.
    let refused = tokio::task::block_in_place(|| telnums(&args));
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("TELNUMS_APPLE_BUSINESS_TOKEN"),
        "{}",
        refused.stderr
    );
    assert!(refused.stdout.is_empty());
    let token = std::ffi::OsStr::new(TOKEN);
    let run = tokio::task::block_in_place(|| {
        telnums_with(
            &args,
            &[
                ("TELNUMS_APPLE_BUSINESS_TOKEN", token),
                ("TELNUMS_ZOOM_PHONE_TOKEN", token),
            ],
        )
    });
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(run.code, 1, "one provider failed");
    let providers: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("json")["provider"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(
        providers.iter().filter(|p| *p == "webex-calling").count(),
        3
    );
    assert_eq!(
        providers.iter().filter(|p| *p == "apple-business").count(),
        3
    );
    assert!(
        run.stderr.contains("zoom-phone") && run.stderr.contains("403"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_lists_all_five() {
    let run = tokio::task::block_in_place(|| telnums(&["demo", "--format", "ndjson"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    for provider in PROVIDERS {
        let n = lines.iter().filter(|l| l["provider"] == provider).count();
        assert_eq!(n, 3, "{provider}: three numbers over two pages");
    }
}

/// A variable that is not UTF-8 is a usage error naming it when it is needed, and
/// harmless when it is not.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn non_utf8_environment_is_a_usage_error() {
    use std::os::unix::ffi::OsStrExt;
    let server = demo::start().await;
    let base = server.uri();
    let bad = std::ffi::OsStr::from_bytes(b"tok\xffen");
    let args = [
        "list",
        "zoom-phone",
        "--base-url",
        &base,
        "--format",
        "ndjson",
    ];
    let run =
        tokio::task::block_in_place(|| telnums_with(&args, &[("TELNUMS_ZOOM_PHONE_TOKEN", bad)]));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("TELNUMS_ZOOM_PHONE_TOKEN is not valid UTF-8"),
        "{}",
        run.stderr
    );
    let run =
        tokio::task::block_in_place(|| telnums_with(&args, &[("UNRELATED_TELNUMS_TEST_VAR", bad)]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.is_empty());
}
