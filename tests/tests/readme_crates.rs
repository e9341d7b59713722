//! Each provider crate's README example as a user meets it: copied into a scratch crate
//! outside the workspace whose only dependencies are the five provider crates (by path)
//! and tokio, so an example that needs `telnums-core` or its own `reqwest` does not
//! build. Each example then runs against a local mock of its provider that answers only
//! the requests the example must send (auth, filters, paging), once listing and once
//! failing, where it must print the HTTP status and the request id.
//!
//! The scratch crate builds in `target/readme-check/`, which later runs reuse; the first
//! build compiles the dependencies once more (a few minutes on two cores).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;
use telnums_tests::root;
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROVIDERS: [&str; 5] = [
    "vonage-cc",
    "webex-calling",
    "fone-dynamics",
    "apple-business",
    "zoom-phone",
];

/// The first ```rust block of `crates/<key>/README.md`.
fn readme_example(root: &Path, key: &str) -> String {
    let readme = std::fs::read_to_string(root.join("crates").join(key).join("README.md"))
        .expect("read README");
    let start = readme.find("```rust").expect("a rust block");
    let body = &readme[start..];
    let body = &body[body.find('\n').expect("fence line") + 1..];
    body[..body.find("```").expect("closing fence")].to_owned()
}

/// Writes the scratch crate and builds its examples; returns the directory holding the
/// example binaries.
fn build_examples(root: &Path) -> PathBuf {
    let base = root.join("target").join("readme-check");
    let krate = base.join("crate");
    std::fs::create_dir_all(krate.join("examples")).expect("mkdir");
    let mut deps = String::new();
    for key in PROVIDERS {
        let dir = root.join("crates").join(key);
        deps.push_str(&format!(
            "telnums-{key} = {{ path = {:?} }}\n",
            dir.display().to_string()
        ));
        std::fs::write(
            krate
                .join("examples")
                .join(format!("{}.rs", key.replace('-', "_"))),
            readme_example(root, key),
        )
        .expect("write example");
    }
    let manifest = format!(
        "[package]\nname = \"telnums-readme-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dependencies]\n{deps}\
         tokio = {{ version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }}\n\n\
         # Not a member of the telnums workspace.\n[workspace]\n"
    );
    std::fs::write(krate.join("Cargo.toml"), manifest).expect("write manifest");
    std::fs::create_dir_all(krate.join("src")).expect("mkdir src");
    std::fs::write(krate.join("src").join("lib.rs"), "").expect("write lib");
    // The workspace's lock: the same versions, already downloaded.
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).expect("copy lock");
    let target = base.join("target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .current_dir(&krate)
        .args(["build", "--offline", "--examples", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "the README examples do not build with only the provider crates:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    target.join("debug").join("examples")
}

fn run(bin: &Path, key: &str, env: &[(&str, String)]) -> Output {
    let exe = bin.join(key.replace('-', "_"));
    let mut cmd = Command::new(&exe);
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.output().expect("run example")
}

fn stdout(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The example failed on a 403 and said the status and the request id.
fn assert_reports_error(key: &str, out: &Output, request_id: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{key}: exit 0 on a 403");
    assert!(
        err.contains("status Some(403)") && err.contains(&format!("Some(\"{request_id}\")")),
        "{key}: {err}"
    );
}

fn token_endpoint(grant: &str) -> Mock {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains(format!("grant_type={grant}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "access_token": "tok", "token_type": "bearer", "expires_in": 3600 }),
        ))
}

fn forbidden(id_header: &str) -> ResponseTemplate {
    ResponseTemplate::new(403)
        .insert_header(id_header, "req-403")
        .set_body_json(json!({ "message": "not allowed" }))
}

#[tokio::test(flavor = "multi_thread")]
async fn each_provider_readme_example_builds_alone_and_runs_against_a_mock() {
    let root = root();
    let bin = tokio::task::spawn_blocking(move || build_examples(&root))
        .await
        .expect("build");

    // Vonage: pages of 1000 with the vendor Accept, one page.
    let server = MockServer::start().await;
    Mock::given(path("/useradmin/callbackNumbers"))
        .and(query_param("limit", "1000"))
        .and(query_param("page", "1"))
        .and(header("accept", "application/vnd.newvoicemedia.v4+json"))
        .and(header("authorization", "Bearer vt"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "meta": { "page": 1, "count": 2, "pageCount": 1, "totalCount": 2 },
            "callbackNumbers": [
                { "callbackNumberId": "a", "callbackNumberClid": "+441111" },
                { "callbackNumberId": "b", "callbackNumberClid": "+441112" }
            ]
        })))
        .mount(&server)
        .await;
    let env = [
        ("VONAGE_BASE_URL", server.uri()),
        ("VONAGE_TOKEN", "vt".to_owned()),
    ];
    let out = run(&bin, "vonage-cc", &env);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout(&out), ["+441111", "+441112"]);
    server.reset().await;
    Mock::given(path("/useradmin/callbackNumbers"))
        .respond_with(forbidden("x-request-id"))
        .mount(&server)
        .await;
    assert_reports_error("vonage-cc", &run(&bin, "vonage-cc", &env), "req-403");
    // An empty token is refused before anything is sent.
    let out = run(&bin, "vonage-cc", &[("VONAGE_BASE_URL", server.uri())]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the bearer token is empty"),
        "{out:?}"
    );

    // Webex: the typed filters, comma-joined; no Link header, so offsets until empty.
    let server = MockServer::start().await;
    let webex = "/v1/telephony/config/numbers";
    Mock::given(path(webex))
        .and(query_param("state", "ACTIVE"))
        .and(query_param("includedTelephonyTypes", "PSTN_NUMBER"))
        .and(query_param("start", "0"))
        .and(header("authorization", "Bearer wt"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "phoneNumbers": [{ "phoneNumber": "+12056350001" }, { "phoneNumber": "+12056350002" }]
        })))
        .mount(&server)
        .await;
    Mock::given(path(webex))
        .and(query_param("state", "ACTIVE"))
        .and(query_param("start", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "phoneNumbers": [] })))
        .mount(&server)
        .await;
    let env = [
        ("WEBEX_BASE_URL", server.uri()),
        ("WEBEX_TOKEN", "wt".to_owned()),
    ];
    let out = run(&bin, "webex-calling", &env);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout(&out), ["+12056350001", "+12056350002"]);
    server.reset().await;
    Mock::given(path(webex))
        .respond_with(forbidden("trackingid"))
        .mount(&server)
        .await;
    assert_reports_error(
        "webex-calling",
        &run(&bin, "webex-calling", &env),
        "req-403",
    );

    // Fone Dynamics: Basic auth, the typed lists, an empty page at the end.
    let server = MockServer::start().await;
    let fone = "/v2/Accounts/AC1/Numbers";
    Mock::given(path(fone))
        .and(query_param("Type", "Local,Toll-Free"))
        .and(query_param("Capabilites", "SMS"))
        .and(query_param("Results_Skip", "0"))
        .and(header("authorization", "Basic QUMxOmZ0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Numbers": [{ "Number": "+61255501234" }]
        })))
        .mount(&server)
        .await;
    Mock::given(path(fone))
        .and(query_param("Results_Skip", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "Numbers": [] })))
        .mount(&server)
        .await;
    let env = [
        ("FONE_BASE_URL", server.uri()),
        ("FONE_ACCOUNT_SID", "AC1".to_owned()),
        ("FONE_TOKEN", "ft".to_owned()),
    ];
    let out = run(&bin, "fone-dynamics", &env);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout(&out), ["+61255501234"]);
    server.reset().await;
    Mock::given(path(fone))
        .respond_with(forbidden("x-request-id"))
        .mount(&server)
        .await;
    assert_reports_error(
        "fone-dynamics",
        &run(&bin, "fone-dynamics", &env),
        "req-403",
    );

    // Apple: a client-credentials token from the mock, the QL filter, one page.
    let server = MockServer::start().await;
    let apple = "/api/v1/orgs/O1/brands/B1/caller-ids";
    token_endpoint("client_credentials").mount(&server).await;
    Mock::given(path(apple))
        .and(query_param("ql", "state==PUBLISHED"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{
                "orgId": "O1", "brandId": "B1", "id": "c1",
                "createdDate": "2026-10-02T11:41:00Z", "updatedDate": "2026-10-11T18:34:00Z",
                "state": "PUBLISHED", "etag": "e1",
                "callerIdDetails": { "phoneNumber": "+18005550100" }
            }],
            "pagination": {},
            "total": 1
        })))
        .mount(&server)
        .await;
    let env = [
        ("APPLE_BASE_URL", format!("{}/api/v1", server.uri())),
        ("APPLE_TOKEN_URL", format!("{}/oauth/token", server.uri())),
        ("APPLE_CLIENT_ID", "id".to_owned()),
        ("APPLE_CLIENT_SECRET", "secret".to_owned()),
        ("APPLE_ORG_ID", "O1".to_owned()),
        ("APPLE_BRAND_ID", "B1".to_owned()),
    ];
    let out = run(&bin, "apple-business", &env);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout(&out), ["+18005550100"]);
    server.reset().await;
    token_endpoint("client_credentials").mount(&server).await;
    Mock::given(path(apple))
        .respond_with(forbidden("apple-request-id"))
        .mount(&server)
        .await;
    assert_reports_error(
        "apple-business",
        &run(&bin, "apple-business", &env),
        "req-403",
    );

    // Zoom: Zoom's account_credentials grant, the `type` filter, a token to page two.
    let server = MockServer::start().await;
    token_endpoint("account_credentials").mount(&server).await;
    Mock::given(path("/phone/numbers"))
        .and(query_param("type", "assigned"))
        .and(query_param("next_page_token", "p2"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "phone_numbers": [{ "id": "z2", "number": "+12055550102" }],
            "next_page_token": ""
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/phone/numbers"))
        .and(query_param("type", "assigned"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "phone_numbers": [{ "id": "z1", "number": "+12055550101" }],
            "next_page_token": "p2"
        })))
        .mount(&server)
        .await;
    let env = [
        ("ZOOM_BASE_URL", server.uri()),
        ("ZOOM_TOKEN_URL", format!("{}/oauth/token", server.uri())),
        ("ZOOM_CLIENT_ID", "id".to_owned()),
        ("ZOOM_CLIENT_SECRET", "secret".to_owned()),
        ("ZOOM_ACCOUNT_ID", "acct".to_owned()),
    ];
    let out = run(&bin, "zoom-phone", &env);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout(&out), ["+12055550101", "+12055550102"]);
    server.reset().await;
    token_endpoint("account_credentials").mount(&server).await;
    Mock::given(path("/phone/numbers"))
        .respond_with(forbidden("x-zm-trackingid"))
        .mount(&server)
        .await;
    assert_reports_error("zoom-phone", &run(&bin, "zoom-phone", &env), "req-403");
}
