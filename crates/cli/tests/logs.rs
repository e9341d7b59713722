//! `-v`/`-vv`/`RUST_LOG`: what the request log shows (snapshots of `-vv` for a listing
//! that succeeds and one that fails), and that no credential, token or cursor ever
//! appears in any output at any verbosity.

use assert_cmd::Command;
use base64::Engine as _;
use serde_json::json;
use wiremock::matchers::{
    basic_auth, bearer_token, body_string_contains, method, path, query_param,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "logs-test-bearer-token";
const ACCOUNT: &str = "AC0000000000000000000000000000000A";
const FONE_TOKEN: &str = "logs-test-fone-api-token";
const CLIENT_ID: &str = "logs-test-client-id";
const CLIENT_SECRET: &str = "logs-test-client-secret";
const ACCESS_TOKEN: &str = "logs-test-oauth-access-token";
const ZOOM_CURSOR: &str = "logs-test-zoom-next-page-token";
const APPLE_CURSOR: &str = "logs-test-apple-after-cursor";
const ORG: &str = "9467895078742654934";
const BRAND: &str = "9467895078742654921";

mod common;
use common::Run;

fn telnums(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::cargo_bin("telnums").expect("binary");
    command
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("TELNUMS_TOKEN")
        .env_remove("TELNUMS_CLIENT_ID");
    for (k, v) in env {
        command.env(k, v);
    }
    Run::of(&mut command)
}

/// Every secret the tests hand out, raw and in the encoded forms that go on the wire.
fn secrets() -> Vec<String> {
    let b64 = |s: String| base64::engine::general_purpose::STANDARD.encode(s);
    vec![
        TOKEN.to_owned(),
        FONE_TOKEN.to_owned(),
        b64(format!("{ACCOUNT}:{FONE_TOKEN}")),
        CLIENT_SECRET.to_owned(),
        b64(format!("{CLIENT_ID}:{CLIENT_SECRET}")),
        ACCESS_TOKEN.to_owned(),
        ZOOM_CURSOR.to_owned(),
        APPLE_CURSOR.to_owned(),
    ]
}

fn assert_no_secret(what: &str, run: &Run) {
    for secret in secrets() {
        assert!(
            !run.stdout.contains(&secret) && !run.stderr.contains(&secret),
            "{what}: `{secret}` printed:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
}

/// Timings, the uptime column and ports vary from run to run.
fn redact(log: &str) -> String {
    log.lines()
        .map(|line| {
            let line = match line.trim_start().split_once("s ") {
                Some((uptime, rest))
                    if !uptime.is_empty()
                        && uptime.chars().all(|c| c.is_ascii_digit() || c == '.') =>
                {
                    format!("[uptime] {rest}")
                }
                _ => line.to_owned(),
            };
            replace_number_after(&replace_number_after(&line, "elapsed_ms="), "127.0.0.1:")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` with the digits that follow each `marker` replaced by `[n]`.
fn replace_number_after(text: &str, marker: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let (head, tail) = rest.split_at(at + marker.len());
        out.push_str(head);
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 {
            out.push_str("[n]");
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

fn zoom_page(token: &str, number: &str, rid: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("x-zm-trackingid", rid)
        .set_body_json(json!({ "next_page_token": token, "page_size": 1,
            "phone_numbers": [{ "id": number, "number": number, "status": "available" }] }))
}

/// A Zoom listing of two pages through a cursor, with the `-vv` log under snapshot.
#[tokio::test(flavor = "multi_thread")]
async fn vv_log_of_a_listing_that_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/phone/numbers"))
        .and(bearer_token(TOKEN))
        .and(query_param("next_page_token", ZOOM_CURSOR))
        .respond_with(zoom_page("", "+12055550102", "v=2.0;rid=page-2"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/phone/numbers"))
        .and(bearer_token(TOKEN))
        .and(query_param("type", "assigned"))
        .respond_with(zoom_page(ZOOM_CURSOR, "+12055550101", "v=2.0;rid=page-1"))
        .expect(1)
        .mount(&server)
        .await;
    let base = server.uri();
    let args = [
        "list",
        "zoom-phone",
        "--base-url",
        &base,
        "--type",
        "assigned",
        "--page-size",
        "1",
        "--format",
        "ndjson",
        "-vv",
    ];
    let run =
        tokio::task::block_in_place(|| telnums(&args, &[("TELNUMS_ZOOM_PHONE_TOKEN", TOKEN)]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
    assert_no_secret("-vv success", &run);
    insta::assert_snapshot!("vv_success", redact(&run.stderr));
}

/// A 503 that asks for a retry, then a 401: both attempts, the wait, the request ids and
/// the final one-line error.
#[tokio::test(flavor = "multi_thread")]
async fn vv_log_of_a_listing_that_fails() {
    let server = MockServer::start().await;
    Mock::given(path("/phone/numbers"))
        .and(bearer_token(TOKEN))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "0")
                .insert_header("x-zm-trackingid", "v=2.0;rid=busy")
                .set_body_json(json!({ "code": 503, "message": "Service busy" })),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/phone/numbers"))
        .and(bearer_token(TOKEN))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("x-zm-trackingid", "v=2.0;rid=denied")
                .set_body_json(json!({ "code": 124, "message": "Invalid access token" })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let base = server.uri();
    let args = ["list", "zoom-phone", "--base-url", &base, "-vv"];
    let run =
        tokio::task::block_in_place(|| telnums(&args, &[("TELNUMS_ZOOM_PHONE_TOKEN", TOKEN)]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_no_secret("-vv failure", &run);
    insta::assert_snapshot!("vv_failure", redact(&run.stderr));
}

/// Zoom through an OAuth2 grant with a next-page token, Apple with an `after` cursor and
/// Fone with Basic credentials, listed together at every verbosity: no credential,
/// access token or cursor in stdout or stderr.
#[tokio::test(flavor = "multi_thread")]
async fn no_secret_at_any_verbosity() {
    let server = MockServer::start().await;
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(wiremock::matchers::header(
            "authorization",
            format!("Basic {basic}").as_str(),
        ))
        .and(body_string_contains("grant_type=client_credentials"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "access_token": ACCESS_TOKEN, "token_type": "bearer", "expires_in": 3600 }),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/phone/numbers"))
        .and(bearer_token(ACCESS_TOKEN))
        .and(query_param("next_page_token", ZOOM_CURSOR))
        .respond_with(zoom_page("", "+12055550102", "v=2.0;rid=2"))
        .mount(&server)
        .await;
    Mock::given(path("/phone/numbers"))
        .and(bearer_token(ACCESS_TOKEN))
        .respond_with(zoom_page(ZOOM_CURSOR, "+12055550101", "v=2.0;rid=1"))
        .mount(&server)
        .await;
    let apple = format!("/api/v1/orgs/{ORG}/brands/{BRAND}/caller-ids");
    let caller_id = |id: &str| {
        json!({ "orgId": ORG, "brandId": BRAND, "id": id,
        "createdDate": "2026-10-02T11:41:00Z", "updatedDate": "2026-10-02T11:41:00Z",
        "state": "PUBLISHED", "etag": "e", "callerIdDetails": { "phoneNumber": "+18005550100" } })
    };
    Mock::given(path(apple.as_str()))
        .and(bearer_token(TOKEN))
        .and(query_param("after", APPLE_CURSOR))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "data": [caller_id("c2")], "pagination": {}, "total": 2 })),
        )
        .mount(&server)
        .await;
    Mock::given(path(apple.as_str()))
        .and(bearer_token(TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [caller_id("c1")], "total": 2,
            "pagination": { "cursors": { "after": APPLE_CURSOR },
                "next": format!("/api/v1/orgs/{ORG}/brands/{BRAND}/caller-ids?after={APPLE_CURSOR}") } })))
        .mount(&server)
        .await;
    Mock::given(path(format!("/v2/Accounts/{ACCOUNT}/Numbers")))
        .and(basic_auth(ACCOUNT, FONE_TOKEN))
        .and(query_param("Results_Skip", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "Numbers": [] })))
        .mount(&server)
        .await;
    Mock::given(path(format!("/v2/Accounts/{ACCOUNT}/Numbers")))
        .and(basic_auth(ACCOUNT, FONE_TOKEN))
        .and(query_param("Results_Skip", "0"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "Numbers": [{ "Number": "+61255501234" }] })),
        )
        .mount(&server)
        .await;

    let dir = std::env::temp_dir().join(format!("telnums-logs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let config = dir.join("telnums.toml");
    let base = server.uri();
    std::fs::write(
        &config,
        format!(
            "[zoom-phone]\nbase_url = \"{base}\"\n\n[apple-business]\nbase_url = \"{base}/api/v1\"\n\
             org_id = \"{ORG}\"\nbrand_id = \"{BRAND}\"\n\n[fone-dynamics]\nbase_url = \"{base}\"\n\
             account_sid = \"{ACCOUNT}\"\n"
        ),
    )
    .expect("write");
    let cfg = config.display().to_string();
    let token_url = format!("{base}/oauth/token");
    let env = [
        ("TELNUMS_ZOOM_PHONE_CLIENT_ID", CLIENT_ID),
        ("TELNUMS_ZOOM_PHONE_CLIENT_SECRET", CLIENT_SECRET),
        ("TELNUMS_ZOOM_PHONE_TOKEN_URL", token_url.as_str()),
        ("TELNUMS_APPLE_BUSINESS_TOKEN", TOKEN),
        ("TELNUMS_FONE_DYNAMICS_TOKEN", FONE_TOKEN),
    ];
    let base_args = [
        "list",
        "all",
        "--config",
        &cfg,
        "--page-size",
        "1",
        "--format",
        "ndjson",
    ];
    let variants: [(&str, &[&str], Option<&str>); 8] = [
        ("quiet", &[], None),
        ("-v", &["-v"], None),
        ("-vv", &["-vv"], None),
        ("-vvv", &["-vvv"], None),
        ("RUST_LOG=trace", &[], Some("trace")),
        (
            "RUST_LOG=telnums_core=trace",
            &[],
            Some("telnums_core=trace"),
        ),
        ("RUST_LOG=not a filter", &["-vv"], Some("=?=")),
        // Trace events of the hooks without the runtime's request span: the `sending`
        // event is still written (without the span's method, path and query).
        (
            "RUST_LOG=telnums_core::hooks=trace",
            &[],
            Some("telnums_core::hooks=trace"),
        ),
    ];
    for (what, flags, rust_log) in variants {
        let mut args: Vec<&str> = base_args.to_vec();
        args.extend_from_slice(flags);
        let mut env = env.to_vec();
        if let Some(filter) = rust_log {
            env.push(("RUST_LOG", filter));
        }
        let run = tokio::task::block_in_place(|| telnums(&args, &env));
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
        // Both cursors were followed: two pages each from Zoom and Apple, one from Fone.
        assert_eq!(run.stdout.lines().count(), 5, "{what}: {}", run.stdout);
        assert_no_secret(what, &run);
        if what == "RUST_LOG=telnums_core::hooks=trace" {
            assert!(run.stderr.contains("sending"), "{what}: {}", run.stderr);
            assert!(
                !run.stderr.contains("next_page_token"),
                "{what}: {}",
                run.stderr
            );
        } else if what != "quiet" {
            // The cursor requests were logged, with the cursor redacted.
            assert!(
                run.stderr.contains("next_page_token=[redacted]")
                    && run.stderr.contains("after=[redacted]"),
                "{what}: {}",
                run.stderr
            );
        } else {
            assert!(run.stderr.is_empty(), "quiet: {}", run.stderr);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The log levels: -v shows one line per attempt but not the `sending` lines; -vv both.
#[tokio::test(flavor = "multi_thread")]
async fn one_v_is_one_line_per_attempt() {
    let server = MockServer::start().await;
    Mock::given(path("/phone/numbers"))
        .respond_with(zoom_page("", "+12055550101", "v=2.0;rid=1"))
        .mount(&server)
        .await;
    let base = server.uri();
    let count = |run: &Run, needle: &str| run.stderr.lines().filter(|l| l.contains(needle)).count();
    let env = [("TELNUMS_ZOOM_PHONE_TOKEN", TOKEN)];
    let one = tokio::task::block_in_place(|| {
        telnums(&["list", "zoom-phone", "--base-url", &base, "-v"], &env)
    });
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(count(&one, "}: response"), 1, "{}", one.stderr);
    assert_eq!(count(&one, "sending"), 0, "{}", one.stderr);
    assert!(
        one.stderr.contains(r#"method="GET" path="/phone/numbers" query="page_size=100" status=200 request_id="v=2.0;rid=1""#),
        "{}",
        one.stderr
    );
    let two = tokio::task::block_in_place(|| {
        telnums(&["list", "zoom-phone", "--base-url", &base, "-vv"], &env)
    });
    assert_eq!(count(&two, "}: response"), 1, "{}", two.stderr);
    assert_eq!(count(&two, "}: sending"), 1, "{}", two.stderr);
    let quiet =
        tokio::task::block_in_place(|| telnums(&["list", "zoom-phone", "--base-url", &base], &env));
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
}
