//! The `telnums` binary against local mock servers: listings in every format for every
//! provider, `--phone-number`, and the failure modes with their exit codes.

use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::{json, Value};
use telnums_cli::demo;
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "cli-test-token-never-printed";
const ACCOUNT: &str = "AC0000000000000000000000000000000A";
const ORG: &str = "9467895078742654934";
const BRAND: &str = "9467895078742654921";
/// `Basic base64(ACCOUNT:TOKEN)`: Fone Dynamics' HTTP Basic header for the test account.
const FONE_BASIC: &str =
    "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwQTpjbGktdGVzdC10b2tlbi1uZXZlci1wcmludGVk";
const PROVIDERS: [&str; 5] = [
    "vonage-cc",
    "webex-calling",
    "fone-dynamics",
    "apple-business",
    "zoom-phone",
];

mod common;
use common::Run;

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
        .env_remove("TELNUMS_CLIENT_ID")
        // A table is fitted only to a width a test asks for.
        .env_remove("COLUMNS");
    for (name, value) in env {
        command.env(name, value);
    }
    let run = Run::of(&mut command);
    let secrets = env
        .iter()
        .filter(|(name, _)| name.ends_with("TOKEN") || name.ends_with("SECRET"))
        .filter_map(|(_, value)| value.to_str());
    for secret in secrets.chain([TOKEN, FONE_BASIC.trim_start_matches("Basic ")]) {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "a credential leaked"
        );
    }
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

/// The path of `provider`'s list endpoint, as the server sees it.
fn list_path(provider: &str) -> String {
    match provider {
        "vonage-cc" => "/useradmin/callbackNumbers".to_owned(),
        "webex-calling" => "/v1/telephony/config/numbers".to_owned(),
        "fone-dynamics" => format!("/v2/Accounts/{ACCOUNT}/Numbers"),
        "apple-business" => format!("/api/v1/orgs/{ORG}/brands/{BRAND}/caller-ids"),
        _ => "/phone/numbers".to_owned(),
    }
}

/// The `Authorization` header `provider` must receive with the test credentials.
fn authorization(provider: &str) -> String {
    match provider {
        "fone-dynamics" => FONE_BASIC.to_owned(),
        _ => format!("Bearer {TOKEN}"),
    }
}

/// The query parameter that carries `provider`'s page size.
fn page_size_param(provider: &str) -> &'static str {
    match provider {
        "vonage-cc" | "apple-business" => "limit",
        "webex-calling" => "max",
        "fone-dynamics" => "Results_Count",
        _ => "page_size",
    }
}

/// The value of query parameter `name` of a recorded request.
fn query_value(r: &wiremock::Request, name: &str) -> Option<String> {
    r.url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Every request `server` received after the first `before`, checked to carry
/// `provider`'s credentials and, when given, its page size.
async fn check_requests(
    server: &MockServer,
    before: usize,
    provider: &str,
    page_size: Option<&str>,
) -> Vec<wiremock::Request> {
    let requests = server.received_requests().await.expect("recorded");
    let requests = requests[before..].to_vec();
    assert!(!requests.is_empty(), "{provider}: nothing was sent");
    for r in &requests {
        let auth = r.headers.get("authorization").and_then(|v| v.to_str().ok());
        assert_eq!(
            auth,
            Some(authorization(provider).as_str()),
            "{provider}: {}",
            r.url
        );
        if let Some(size) = page_size {
            assert_eq!(
                query_value(r, page_size_param(provider)).as_deref(),
                Some(size),
                "{provider}: {}",
                r.url
            );
        }
    }
    requests
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
            let before = server.received_requests().await.map_or(0, |r| r.len());
            let run = tokio::task::block_in_place(|| telnums(&strs(&a)));
            assert_eq!(run.code, 0, "{provider} {format}: {}", run.stderr);
            // The demo server answers whatever is sent: the credentials and the page
            // size are checked here, on every request.
            check_requests(&server, before, provider, Some("2")).await;
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

/// The ids of an ndjson listing, in order.
fn ids(ndjson: &str) -> Vec<String> {
    ndjson
        .lines()
        .filter_map(|l| {
            let record: Value = serde_json::from_str(l).expect("json line");
            record["id"].as_str().map(str::to_owned)
        })
        .collect()
}

/// `telnums` with `COLUMNS=width`, the width a table is fitted to when it is set (a
/// terminal's own width is used otherwise).
fn telnums_at(width: usize, args: &[&str]) -> Run {
    let width = width.to_string();
    telnums_with(args, &[("COLUMNS", std::ffi::OsStr::new(&width))])
}

/// `COLUMNS=0` names no width: the table is as wide as its cells, as when it is unset.
#[tokio::test(flavor = "multi_thread")]
async fn columns_zero_leaves_the_table_unfitted() {
    let server = demo::start().await;
    let mut args = list_args("webex-calling", &server.uri());
    args.extend(["--format", "table"].map(String::from));
    let args = strs(&args);
    let unset = tokio::task::block_in_place(|| telnums(&args));
    assert_eq!(unset.code, 0, "{}", unset.stderr);
    let zero = tokio::task::block_in_place(|| telnums_at(0, &args));
    assert_eq!(zero.stdout, unset.stdout);
    let narrow = tokio::task::block_in_place(|| telnums_at(40, &args));
    assert_ne!(narrow.stdout, unset.stdout, "a width is honoured");
}

/// Display width of `line` (the test data has no wide characters; `…` is one column).
fn columns(line: &str) -> usize {
    line.chars().count()
}

/// Every provider's table at 80 and 160 columns: each line fits, every id is there
/// whole, and the exact bytes are kept as snapshots.
#[tokio::test(flavor = "multi_thread")]
async fn tables_fit_80_and_160_columns_and_keep_every_id_whole() {
    let server = demo::start().await;
    let base = server.uri();
    for provider in PROVIDERS {
        let mut args = list_args(provider, &base);
        args.extend(["--page-size", "2"].map(String::from));
        let mut ndjson = args.clone();
        ndjson.extend(["--format", "ndjson"].map(String::from));
        let listed = tokio::task::block_in_place(|| telnums(&strs(&ndjson)));
        assert_eq!(listed.code, 0, "{provider}: {}", listed.stderr);
        let ids = ids(&listed.stdout);
        args.extend(["--format", "table"].map(String::from));
        for width in [80, 160] {
            let run = tokio::task::block_in_place(|| telnums_at(width, &strs(&args)));
            assert_eq!(run.code, 0, "{provider} at {width}: {}", run.stderr);
            assert_eq!(
                run.stdout.lines().count(),
                4,
                "{provider}: header and 3 rows"
            );
            for line in run.stdout.lines() {
                assert!(
                    columns(line) <= width,
                    "{provider} at {width}:\n{}",
                    run.stdout
                );
            }
            for id in &ids {
                assert!(
                    run.stdout.contains(id.as_str()),
                    "{provider} at {width}: {id} cut:\n{}",
                    run.stdout
                );
            }
            insta::assert_snapshot!(format!("{provider}_table_{width}"), run.stdout);
        }
    }
}

/// Several providers in one table: laid out for all their first pages, so the ids of
/// one do not push the others' columns out of line (rows come in whatever order the
/// pages arrive, so this checks alignment rather than bytes).
#[tokio::test(flavor = "multi_thread")]
async fn a_table_of_several_providers_keeps_its_columns_aligned() {
    let listed = tokio::task::block_in_place(|| telnums(&["demo", "--format", "ndjson"]));
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let ids = ids(&listed.stdout);
    for width in [80, 160] {
        let run = tokio::task::block_in_place(|| telnums_at(width, &["demo", "--format", "table"]));
        assert_eq!(run.code, 0, "{}", run.stderr);
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 16, "header and 15 rows:\n{}", run.stdout);
        let number_at = lines[0].find("NUMBER").expect("a NUMBER column");
        for line in &lines {
            assert!(columns(line) <= width, "at {width}:\n{}", run.stdout);
        }
        for line in &lines[1..] {
            // Every number (all are shown; the demo's start with `+` or `(205)`) starts
            // where the header says.
            let n = line.find(" +").or_else(|| line.find(" (205)"));
            if let Some(at) = n.map(|at| at + 1) {
                assert_eq!(at, number_at, "at {width}: {line}\n{}", run.stdout);
            }
        }
        for id in &ids {
            assert!(
                run.stdout.contains(id.as_str()),
                "at {width}: {id}:\n{}",
                run.stdout
            );
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

/// Answers `provider`'s list endpoint with `response` for the first page, and only when
/// the request carries `provider`'s credentials (anything else gets wiremock's 404). The
/// pages after it are empty, where a provider learns the end from an empty page.
async fn serve(server: &MockServer, provider: &str, response: ResponseTemplate) {
    first_page(provider)
        .and(header("authorization", authorization(provider)))
        .respond_with(response)
        .mount(server)
        .await;
    serve_end(server, provider).await;
}

/// A mock of `provider`'s first page (its first offset, where it pages by offset).
fn first_page(provider: &str) -> wiremock::MockBuilder {
    let mock = Mock::given(method("GET")).and(path(list_path(provider)));
    match provider {
        "webex-calling" => mock.and(query_param("start", "0")),
        "fone-dynamics" => mock.and(query_param("Results_Skip", "0")),
        _ => mock,
    }
}

/// The empty page past the end of a one-page listing, for the providers that ask for it
/// (Fone Dynamics; Webex while it sends no `Link` header).
async fn serve_end(server: &MockServer, provider: &str) {
    let (key, empty) = match provider {
        "webex-calling" => ("start", json!({ "phoneNumbers": [] })),
        "fone-dynamics" => ("Results_Skip", json!({ "Numbers": [] })),
        _ => return,
    };
    Mock::given(method("GET"))
        .and(path(list_path(provider)))
        .and(query_param(key, "1"))
        .and(header("authorization", authorization(provider)))
        .respond_with(ResponseTemplate::new(200).set_body_json(empty))
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
            provider,
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
            provider,
            ResponseTemplate::new(500).set_body_string("internal error"),
        )
        .await;
        let args = list_args(provider, &server.uri());
        let run = tokio::task::block_in_place(|| telnums(&strs(&args)));
        assert_eq!(run.code, 1);
        assert!(
            run.stderr.contains(provider)
                && run.stderr.contains("500")
                && run.stderr.contains("internal error"),
            "{}",
            run.stderr
        );

        // Malformed JSON: exit 1, a decode error naming the provider.
        let server = MockServer::start().await;
        serve(
            &server,
            provider,
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
            provider,
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

/// Usage errors exit 2 with one message that names what is wrong, and nothing on
/// stdout.
#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_exit_2() {
    for (args, names) in [
        (
            vec!["list"],
            vec!["Usage: telnums list", "zoom-phone", "all"],
        ),
        (vec!["list", "not-a-provider"], vec!["not-a-provider"]),
        // Every missing id at once.
        (
            vec!["list", "apple-business"],
            vec!["--org-id", "--brand-id"],
        ),
        (
            vec!["list", "apple-business", "--org-id", ORG],
            vec!["--brand-id"],
        ),
        (vec!["list", "all"], vec!["--config"]),
        (
            vec!["list", "zoom-phone", "--format", "xml"],
            vec!["xml", "--format"],
        ),
        (
            vec!["list", "zoom-phone", "--page-size", "0"],
            vec!["--page-size", "must be at least 1"],
        ),
        (
            vec!["list", "zoom-phone", "--page-size", "ten"],
            vec!["--page-size", "'ten'", "must be a whole number"],
        ),
        (
            vec!["list", "zoom-phone", "--phone-number", "call me"],
            vec!["--phone-number", "call me"],
        ),
        (
            vec!["list", "zoom-phone", "--phone-number", "02 5550 1234"],
            vec!["02 5550 1234", "country code"],
        ),
        (
            vec![
                "list",
                "fone-dynamics",
                "--account-sid",
                "AC1",
                "--property-sid",
                "PR1",
            ],
            vec!["--account-sid", "--property-sid"],
        ),
        (
            vec!["list", "vonage-cc", "--region", "mars"],
            vec!["mars", "emea, nam or apac"],
        ),
        (
            vec!["list", "zoom-phone", "--base-url", "ftp://x"],
            vec!["ftp://x"],
        ),
    ] {
        let run = tokio::task::block_in_place(|| telnums(&args));
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        for name in names {
            assert!(
                run.stderr.contains(name),
                "{args:?}: `{name}` in {}",
                run.stderr
            );
        }
        // Bounds are said in words, not as clap's `1..=4294967295`.
        assert!(!run.stderr.contains("..="), "{args:?}: {}", run.stderr);
    }
    // With only --brand-id, the message is not about it.
    let run =
        tokio::task::block_in_place(|| telnums(&["list", "apple-business", "--brand-id", BRAND]));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("--org-id") && !run.stderr.contains("  --brand-id"),
        "{}",
        run.stderr
    );
    // A page size past what any provider takes is lowered, not refused.
    let server = demo::start().await;
    let base = server.uri();
    let run = tokio::task::block_in_place(|| {
        telnums(&[
            "list",
            "zoom-phone",
            "--base-url",
            &base,
            "--page-size",
            "99999999999999999999",
            "--format",
            "ndjson",
        ])
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 3);
}

/// A config section without Apple's ids names every key it lacks, by its name in the
/// file.
#[tokio::test(flavor = "multi_thread")]
async fn a_config_section_names_every_missing_id() {
    let dir = tempdir("apple-ids");
    let config = dir.join("telnums.toml");
    std::fs::write(
        &config,
        "[apple-business]\nbase_url = \"http://127.0.0.1:9\"\n",
    )
    .expect("write");
    let cfg = config.display().to_string();
    let run = tokio::task::block_in_place(|| telnums(&["list", "all", "--config", &cfg]));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("org_id") && run.stderr.contains("brand_id"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("--org-id"), "{}", run.stderr);
}

/// A failed listing prints its error and nothing else: no table header after it. An
/// empty listing that succeeded prints the header alone.
#[tokio::test(flavor = "multi_thread")]
async fn a_failed_table_prints_no_header() {
    let server = MockServer::start().await;
    serve(
        &server,
        "zoom-phone",
        ResponseTemplate::new(401).set_body_json(json!({ "message": "Invalid access token" })),
    )
    .await;
    let base = server.uri();
    let run = tokio::task::block_in_place(|| {
        telnums_at(
            80,
            &[
                "list",
                "zoom-phone",
                "--base-url",
                &base,
                "--format",
                "table",
            ],
        )
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("401"), "{}", run.stderr);
    assert_eq!(run.stdout, "", "nothing but the error");

    let empty = MockServer::start().await;
    serve(
        &empty,
        "zoom-phone",
        ResponseTemplate::new(200)
            .set_body_json(json!({ "next_page_token": "", "phone_numbers": [] })),
    )
    .await;
    let base = empty.uri();
    let run = tokio::task::block_in_place(|| {
        telnums_at(
            80,
            &[
                "list",
                "zoom-phone",
                "--base-url",
                &base,
                "--format",
                "table",
            ],
        )
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stdout.starts_with("PROVIDER"), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn list_all_from_config_keeps_going_when_one_fails() {
    let good = demo::start().await;
    let bad = MockServer::start().await;
    // Each provider gets its own token, so a token sent to the wrong vendor shows.
    let apple_token = "cli-test-apple-token";
    let zoom_token = "cli-test-zoom-token";
    Mock::given(path("/phone/numbers"))
        .and(query_param("page_size", "2"))
        .and(header("authorization", format!("Bearer {zoom_token}")))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"code": 124, "message": "No permission"})),
        )
        .expect(1)
        .mount(&bad)
        .await;
    let dir = tempdir("list-all");
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
    assert_eq!(
        good.received_requests().await.map(|r| r.len()),
        Some(0),
        "nothing is sent before every provider has its credentials"
    );
    let run = tokio::task::block_in_place(|| {
        telnums_with(
            &args,
            &[
                (
                    "TELNUMS_APPLE_BUSINESS_TOKEN",
                    std::ffi::OsStr::new(apple_token),
                ),
                ("TELNUMS_ZOOM_PHONE_TOKEN", std::ffi::OsStr::new(zoom_token)),
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
    // Each vendor saw its own token and no other.
    for r in good.received_requests().await.expect("recorded") {
        let auth = r.headers.get("authorization").and_then(|v| v.to_str().ok());
        let want = if r.url.path().starts_with("/api/v1/") {
            format!("Bearer {apple_token}")
        } else {
            format!("Bearer {TOKEN}")
        };
        assert_eq!(auth, Some(want.as_str()), "{}", r.url);
    }
}

/// A config file with one section is one provider: the global variables are its own.
#[tokio::test(flavor = "multi_thread")]
async fn list_all_with_one_section_uses_the_global_token() {
    let server = demo::start().await;
    let dir = tempdir("one-section");
    let config = dir.join("telnums.toml");
    std::fs::write(
        &config,
        format!("[zoom-phone]\nbase_url = \"{}\"\n", server.uri()),
    )
    .expect("write");
    let cfg = config.display().to_string();
    let run = tokio::task::block_in_place(|| {
        telnums(&["list", "all", "--config", &cfg, "--format", "ndjson"])
    });
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 3);
    check_requests(&server, 0, "zoom-phone", None).await;
}

/// A fresh directory under the system temp dir for one test.
fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("telnums-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    dir
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

/// Help and version go to stdout and exit 0.
#[tokio::test(flavor = "multi_thread")]
async fn help_and_version_exit_0() {
    for (args, wanted) in [
        (vec!["--help"], "Usage"),
        (vec!["help"], "Usage"),
        (vec!["list", "--help"], "zoom-phone"),
        (vec!["list", "zoom-phone", "--help"], "--max-items"),
        (vec!["--version"], env!("CARGO_PKG_VERSION")),
    ] {
        let run = tokio::task::block_in_place(|| telnums(&args));
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains(wanted), "{args:?}: {}", run.stdout);
        assert!(run.stderr.is_empty(), "{args:?}: {}", run.stderr);
    }
}

/// A server nobody listens on: retried, then exit 1 with one line naming the provider,
/// the failure and the origin (not the path).
#[tokio::test(flavor = "multi_thread")]
async fn transport_error_exits_1_with_one_line() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let run = tokio::task::block_in_place(|| telnums(&["list", "zoom-phone", "--base-url", &base]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let line = run.stderr.trim_end();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(
        line.starts_with("telnums: zoom-phone: connection failed"),
        "{line}"
    );
    assert!(
        line.contains(&base) && !line.contains("/phone/numbers"),
        "{line}"
    );
    assert!(line.contains("after 4 attempts"), "{line}");
}

/// Webex requests carry a `TrackingID` the client makes up; when the connection never
/// opened, no server received it, so the error does not offer it as a request id.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_connection_names_no_request_id() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let run =
        tokio::task::block_in_place(|| telnums(&["list", "webex-calling", "--base-url", &base]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = run.stderr.trim_end();
    assert!(
        line.starts_with("telnums: webex-calling: connection failed: cannot connect to"),
        "{line}"
    );
    assert!(
        !line.contains("request id") && !line.contains("telnums_"),
        "{line}"
    );
}

/// A config file that cannot be used is a usage error naming the file and the problem,
/// and nothing is listed.
#[tokio::test(flavor = "multi_thread")]
async fn config_file_errors_exit_2() {
    let dir = tempdir("config-errors");
    let cases = [
        ("missing.toml", None, vec!["cannot read", "missing.toml"]),
        (
            "bad.toml",
            Some("[zoom-phone\nbase_url = 1"),
            vec!["bad.toml"],
        ),
        (
            "empty.toml",
            Some(""),
            vec!["empty.toml", "configures no provider"],
        ),
        (
            "section.toml",
            Some("[teams]\nbase_url = \"http://127.0.0.1:9\"\n"),
            vec!["section.toml", "unknown provider `teams`"],
        ),
        (
            "field.toml",
            Some("[zoom-phone]\nbase_uri = \"http://127.0.0.1:9\"\n"),
            vec!["field.toml", "base_uri"],
        ),
        (
            "type.toml",
            Some("[zoom-phone]\nbase_url = 9\n"),
            vec!["type.toml", "expected a string"],
        ),
    ];
    for (name, text, wanted) in cases {
        let path = dir.join(name);
        if let Some(text) = text {
            std::fs::write(&path, text).expect("write");
        }
        let cfg = path.display().to_string();
        let run = tokio::task::block_in_place(|| telnums(&["list", "all", "--config", &cfg]));
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: {}", run.stdout);
        for w in wanted {
            assert!(run.stderr.contains(w), "{name}: `{w}` in {}", run.stderr);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Output goes to a pipe: the default format is ndjson (table only on a terminal).
#[tokio::test(flavor = "multi_thread")]
async fn default_format_when_piped_is_ndjson() {
    let server = demo::start().await;
    let base = server.uri();
    let run = tokio::task::block_in_place(|| telnums(&["list", "zoom-phone", "--base-url", &base]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "zn-1");
}

/// `--format json` with nothing to list is an empty array, still valid JSON; the other
/// formats print their header or nothing.
#[tokio::test(flavor = "multi_thread")]
async fn empty_listing_in_every_format() {
    let server = MockServer::start().await;
    serve(
        &server,
        "zoom-phone",
        ResponseTemplate::new(200)
            .set_body_json(json!({ "next_page_token": "", "phone_numbers": [] })),
    )
    .await;
    let base = server.uri();
    for (format, want) in [
        ("json", "[\n]\n"),
        ("ndjson", ""),
        (
            "csv",
            "provider,id,number,number_raw,extension,label,status,kind,owner_kind,owner_id,owner_name,location\n",
        ),
    ] {
        let run = tokio::task::block_in_place(|| {
            telnums(&["list", "zoom-phone", "--base-url", &base, "--format", format])
        });
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert_eq!(run.stdout, want, "{format}");
    }
    let json: Value = {
        let run = tokio::task::block_in_place(|| {
            telnums(&[
                "list",
                "zoom-phone",
                "--base-url",
                &base,
                "--format",
                "json",
            ])
        });
        serde_json::from_str(&run.stdout).expect("valid JSON")
    };
    assert_eq!(json, json!([]));
}

/// `--max-items N` prints N records and asks for no page past the one that reaches N.
#[tokio::test(flavor = "multi_thread")]
async fn max_items_stops_the_listing() {
    let server = demo::start().await;
    let base = server.uri();
    for (provider, n, requests) in [
        ("zoom-phone", 1, 1),
        ("zoom-phone", 3, 2),
        ("apple-business", 2, 1),
    ] {
        let before = server.received_requests().await.map_or(0, |r| r.len());
        let mut args = list_args(provider, &base);
        let n_text = n.to_string();
        args.extend(
            [
                "--page-size",
                "2",
                "--format",
                "ndjson",
                "--max-items",
                &n_text,
            ]
            .map(String::from),
        );
        let run = tokio::task::block_in_place(|| telnums(&strs(&args)));
        assert_eq!(run.code, 0, "{provider}: {}", run.stderr);
        assert_eq!(run.stdout.lines().count(), n, "{provider} --max-items {n}");
        let sent = check_requests(&server, before, provider, Some("2")).await;
        assert_eq!(sent.len(), requests, "{provider} --max-items {n}");
    }
}

/// `--property-sid` lists a Fone Dynamics property's numbers, by its own path.
#[tokio::test(flavor = "multi_thread")]
async fn property_sid_lists_the_property() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/Properties/PR1/Numbers"))
        .and(header("authorization", FONE_BASIC))
        .and(query_param("Results_Skip", "0"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "Numbers": [
                { "Number": "+61255501234", "PropertySid": "PR1", "Friendly": "Front desk" }
            ]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/Properties/PR1/Numbers"))
        .and(header("authorization", FONE_BASIC))
        .and(query_param("Results_Skip", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "Numbers": [] })))
        .expect(1)
        .mount(&server)
        .await;
    let base = server.uri();
    let run = tokio::task::block_in_place(|| {
        telnums(&[
            "list",
            "fone-dynamics",
            "--base-url",
            &base,
            "--property-sid",
            "PR1",
            "--format",
            "ndjson",
        ])
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line: Value = serde_json::from_str(run.stdout.trim()).expect("json");
    assert_eq!(line["label"], "Front desk");
}

/// `--org-id` reaches Webex as `orgId` on every page.
#[tokio::test(flavor = "multi_thread")]
async fn webex_org_id_is_sent_on_every_page() {
    let server = demo::start().await;
    let base = server.uri();
    let run = tokio::task::block_in_place(|| {
        telnums(&[
            "list",
            "webex-calling",
            "--base-url",
            &base,
            "--org-id",
            "org-under-test",
            "--page-size",
            "2",
            "--format",
            "ndjson",
        ])
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 3);
    let sent = check_requests(&server, 0, "webex-calling", Some("2")).await;
    for r in sent {
        assert_eq!(
            query_value(&r, "orgId").as_deref(),
            Some("org-under-test"),
            "{}",
            r.url
        );
    }
}

/// The OAuth2 client-credentials grant from the environment: the token request carries
/// the client's HTTP Basic credentials and the grant, the listing the access token it
/// returned. For Zoom, `TELNUMS_ZOOM_ACCOUNT_ID` makes it the `account_credentials`
/// grant; other providers never use that grant.
#[tokio::test(flavor = "multi_thread")]
async fn oauth_client_credentials_end_to_end() {
    // base64("cli-client:cli-client-secret")
    let client_basic = "Basic Y2xpLWNsaWVudDpjbGktY2xpZW50LXNlY3JldA==";
    let access = "cli-test-access-token";
    for (provider, prefix, account, grant) in [
        (
            "zoom-phone",
            "TELNUMS",
            None,
            "grant_type=client_credentials",
        ),
        (
            "zoom-phone",
            "TELNUMS_ZOOM_PHONE",
            Some("acct-1"),
            "grant_type=account_credentials&account_id=acct-1",
        ),
        (
            "webex-calling",
            "TELNUMS_WEBEX_CALLING",
            Some("acct-1"),
            "grant_type=client_credentials",
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .and(header("authorization", client_basic))
            .and(body_string(grant))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({ "access_token": access, "token_type": "Bearer", "expires_in": 3600 }),
            ))
            .expect(1)
            .mount(&server)
            .await;
        first_page(provider)
            .and(header("authorization", format!("Bearer {access}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(one_record(provider, "x")))
            .expect(1)
            .mount(&server)
            .await;
        if provider == "webex-calling" {
            // The empty page that ends a listing without `Link` headers.
            Mock::given(method("GET"))
                .and(path(list_path(provider)))
                .and(query_param("start", "1"))
                .and(header("authorization", format!("Bearer {access}")))
                .respond_with(
                    ResponseTemplate::new(200).set_body_json(json!({ "phoneNumbers": [] })),
                )
                .expect(1)
                .mount(&server)
                .await;
        }
        let base = server.uri();
        let token_url = format!("{base}/oauth/token");
        let mut env = vec![
            (format!("{prefix}_CLIENT_ID"), "cli-client".to_owned()),
            (
                format!("{prefix}_CLIENT_SECRET"),
                "cli-client-secret".to_owned(),
            ),
            (format!("{prefix}_TOKEN_URL"), token_url),
        ];
        if let Some(account) = account {
            env.push(("TELNUMS_ZOOM_ACCOUNT_ID".to_owned(), account.to_owned()));
        }
        let env: Vec<(&str, &std::ffi::OsStr)> = env
            .iter()
            .map(|(k, v)| (k.as_str(), std::ffi::OsStr::new(v.as_str())))
            .collect();
        let args = ["list", provider, "--base-url", &base, "--format", "ndjson"];
        let run = tokio::task::block_in_place(|| telnums_with(&args, &env));
        assert_eq!(run.code, 0, "{provider} {prefix}: {}", run.stderr);
        assert_eq!(run.stdout.lines().count(), 1, "{provider} {prefix}");
        assert!(!run.stdout.contains(access) && !run.stderr.contains(access));
    }
}

/// The reader goes away (`telnums list … | head -1`): the listing stops at the next
/// page and exits 0 without a word, however long it would have been.
#[tokio::test(flavor = "multi_thread")]
async fn broken_pipe_ends_the_listing_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let server = MockServer::start().await;
    // A listing of 100,000 pages: each page names the next.
    Mock::given(method("GET"))
        .and(path("/phone/numbers"))
        .respond_with(|r: &wiremock::Request| {
            let page: u64 = query_value(r, "next_page_token")
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            let numbers: Vec<Value> = (0..100)
                .map(|i| json!({ "id": format!("zn-{page}-{i}"), "number": "+12055550100" }))
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({
                "next_page_token": if page < 100_000 { (page + 1).to_string() } else { String::new() },
                "phone_numbers": numbers
            }))
        })
        .mount(&server)
        .await;
    let base = server.uri();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("telnums"))
        .args([
            "list",
            "zoom-phone",
            "--base-url",
            &base,
            "--format",
            "ndjson",
        ])
        .env("TELNUMS_TOKEN", TOKEN)
        .env_remove("TELNUMS_CLIENT_ID")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    // The first line is read on a thread of its own so that a listing that never writes
    // one fails the test within a bound instead of blocking it.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut first = String::new();
        let read = BufReader::new(stdout).read_line(&mut first).map(|_| first);
        // The BufReader, and with it the pipe's read end, is dropped before the send.
        let _ = tx.send(read);
    });
    let first = match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(read) => read.expect("a first record"),
        Err(_) => {
            let _ = child.kill();
            panic!("no record within 20 s");
        }
    };
    assert!(first.contains("zn-0-0"), "{first}");
    // The reader is gone.
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("telnums kept listing after its reader went away");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr");
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let pages = server.received_requests().await.map_or(0, |r| r.len());
    assert!(pages < 100, "stopped soon after: {pages} pages requested");
}

/// Runs `telnums` in `dir` (for relative `--output` paths).
fn telnums_in(dir: &std::path::Path, args: &[&str]) -> Run {
    let mut command = Command::cargo_bin("telnums").expect("binary");
    command
        .current_dir(dir)
        .args(args)
        .env("TELNUMS_TOKEN", TOKEN)
        .env("TELNUMS_ACCOUNT_SID", ACCOUNT)
        .env_remove("TELNUMS_CLIENT_ID");
    Run::of(&mut command)
}

/// Files in `dir` other than `keep`: a temporary file left behind shows here.
fn leftovers(dir: &std::path::Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

/// `--output FILE` writes the listing to FILE (nothing on stdout) and leaves no
/// temporary file; a relative name is relative to the working directory; a new file
/// gets the usual permissions, an existing one keeps its own.
#[tokio::test(flavor = "multi_thread")]
async fn output_file_receives_the_listing() {
    let server = demo::start().await;
    let base = server.uri();
    let dir = tempdir("output-ok");
    let run = tokio::task::block_in_place(|| {
        telnums_in(
            &dir,
            &[
                "list",
                "zoom-phone",
                "--base-url",
                &base,
                "--format",
                "ndjson",
                "--output",
                "numbers.ndjson",
            ],
        )
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let written = std::fs::read_to_string(dir.join("numbers.ndjson")).expect("written");
    let piped = tokio::task::block_in_place(|| {
        telnums(&[
            "list",
            "zoom-phone",
            "--base-url",
            &base,
            "--format",
            "ndjson",
        ])
    });
    assert_eq!(written, piped.stdout);
    assert_eq!(written.lines().count(), 3);
    assert_eq!(leftovers(&dir, &["numbers.ndjson"]), Vec::<String>::new());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &std::path::Path| {
            std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
        };
        assert_eq!(mode(&dir.join("numbers.ndjson")), 0o644);
        let private = dir.join("private.csv");
        std::fs::write(&private, "old").expect("write");
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let target = private.display().to_string();
        let run = tokio::task::block_in_place(|| {
            telnums(&[
                "list",
                "zoom-phone",
                "--base-url",
                &base,
                "--format",
                "csv",
                "--output",
                &target,
            ])
        });
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            mode(&private),
            0o600,
            "an existing file keeps its permissions"
        );
        assert!(std::fs::read_to_string(&private)
            .expect("read")
            .starts_with("provider,id,number"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A listing that fails leaves the output file as it was, and nothing beside it; a
/// directory that does not exist is a usage error.
#[tokio::test(flavor = "multi_thread")]
async fn output_file_is_untouched_when_the_listing_fails() {
    let server = MockServer::start().await;
    serve(
        &server,
        "zoom-phone",
        ResponseTemplate::new(401).set_body_json(json!({ "message": "Invalid access token" })),
    )
    .await;
    let base = server.uri();
    let dir = tempdir("output-failed");
    let target = dir.join("numbers.json");
    std::fs::write(&target, "yesterday's listing").expect("write");
    let path = target.display().to_string();
    let run = tokio::task::block_in_place(|| {
        telnums(&[
            "list",
            "zoom-phone",
            "--base-url",
            &base,
            "--format",
            "json",
            "--output",
            &path,
        ])
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("401"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        "yesterday's listing"
    );
    assert_eq!(leftovers(&dir, &["numbers.json"]), Vec::<String>::new());

    let missing = dir.join("no-such-dir").join("numbers.json");
    let path = missing.display().to_string();
    let run = tokio::task::block_in_place(|| {
        telnums(&["list", "zoom-phone", "--base-url", &base, "--output", &path])
    });
    assert_eq!(run.code, 2, "{}", run.stderr);
    // The path given and what is wrong with it; not the temporary file beside it.
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "telnums: cannot write {path}: no directory {}",
            dir.join("no-such-dir").display()
        )
    );
    assert!(!missing.parent().expect("dir").exists());
    // A "directory" that is a file: the OS's reason, still without the temporary
    // file's name.
    let file = dir.join("a-file");
    std::fs::write(&file, "").expect("write");
    let path = file.join("numbers.json").display().to_string();
    let run = tokio::task::block_in_place(|| {
        telnums(&["list", "zoom-phone", "--base-url", &base, "--output", &path])
    });
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with(&format!("telnums: cannot write {path}: Not a directory")),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains(".telnums-") && !run.stderr.contains("at path"),
        "{}",
        run.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A complete Zoom listing whose count differs from the `total_records` it reported:
/// one warning line on stderr and exit 0; with `--strict`, the same line and exit 1. A
/// filtered listing or one cut by --max-items is not checked.
#[tokio::test(flavor = "multi_thread")]
async fn a_total_that_does_not_match_is_a_warning_or_with_strict_a_failure() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/phone/numbers"))
        .and(header("authorization", format!("Bearer {TOKEN}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "next_page_token": "", "total_records": 3, "phone_numbers": [
                { "id": "z1", "number": "+12055550100" },
                { "id": "z2", "number": "+12055550101" } ] })))
        .mount(&server)
        .await;
    let base = server.uri();
    let list = |extra: &[&str]| {
        let mut args = vec![
            "list",
            "zoom-phone",
            "--base-url",
            &base,
            "--format",
            "ndjson",
        ];
        args.extend_from_slice(extra);
        let args: Vec<String> = args.into_iter().map(str::to_owned).collect();
        tokio::task::block_in_place(|| telnums(&strs(&args)))
    };
    let warned = "telnums: warning: zoom-phone: the provider reported 3 entries, 2 were received";
    let run = list(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 2);
    assert_eq!(run.stderr.trim_end(), warned);

    let run = list(&["--strict"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout.lines().count(),
        2,
        "the numbers are still written"
    );
    assert_eq!(
        run.stderr.trim_end(),
        "telnums: zoom-phone: the provider reported 3 entries, 2 were received (--strict)"
    );

    for extra in [
        &["--strict", "--type", "assigned"][..],
        &["--strict", "--max-items", "1"],
    ] {
        let run = list(extra);
        assert_eq!(run.code, 0, "{extra:?}: {}", run.stderr);
        assert_eq!(run.stderr, "", "{extra:?}");
    }
}

/// A plain-HTTP base URL outside this machine is refused before anything is sent (exit
/// 2, naming the origin and the opt-in). The refusal is made when the client is built,
/// before any connection or lookup: the URLs are only strings to be refused.
#[test]
fn credentials_are_not_sent_over_plain_http_to_another_machine() {
    for args in [
        &["list", "zoom-phone", "--base-url", "http://api.zoom.us/v2"][..],
        &[
            "list",
            "webex-calling",
            "--base-url",
            "http://10.255.255.1/",
        ],
    ] {
        let run = telnums(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("refusing to send credentials to http://")
                && run.stderr.contains("--allow-insecure-http"),
            "{}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "{args:?}");
    }
}

/// `--account-sid` names the Fone Dynamics account to list, over TELNUMS_ACCOUNT_SID.
#[tokio::test(flavor = "multi_thread")]
async fn the_account_sid_flag_picks_the_fone_account() {
    const OTHER: &str = "AC0000000000000000000000000000000B";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/Accounts/{OTHER}/Numbers")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "Numbers": [] })))
        .expect(1..)
        .mount(&server)
        .await;
    let base = server.uri();
    let run = tokio::task::block_in_place(|| {
        telnums(&[
            "list",
            "fone-dynamics",
            "--base-url",
            &base,
            "--account-sid",
            OTHER,
            "--format",
            "ndjson",
        ])
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sent = server.received_requests().await.expect("recorded");
    assert!(
        sent.iter()
            .all(|r| r.url.path() == format!("/v2/Accounts/{OTHER}/Numbers")),
        "{:?}",
        sent.iter()
            .map(|r| r.url.path().to_owned())
            .collect::<Vec<_>>()
    );
}
