//! Runs the SDK examples in `examples/` against local mocks of the providers on 127.0.0.1
//! and checks what they print.
//!
//! The mocks answer only what a client must send: the method, the path, the exact query
//! string (no parameter missing, none extra) and the credentials; each is expected a
//! set number of times, checked when its server is dropped. The examples are the binaries
//! `cargo test` builds next to this test; see [`example`].

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::SystemTime;

use serde_json::{json, Value};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

/// Matches a request whose query string has exactly these pairs, in any order.
struct ExactQuery(Vec<(String, String)>);

fn query(pairs: &[(&str, &str)]) -> ExactQuery {
    ExactQuery(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

impl Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        let mut got: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let mut want = self.0.clone();
        got.sort();
        want.sort();
        got == want
    }
}

fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// The path of an example binary. `cargo test` builds the examples next to this test
/// (`target/<profile>/examples/`); when one is missing or older than a source file of the
/// workspace's crates (e.g. with `cargo test -p telnums --test examples` after an edit),
/// they are built here first, so a stale binary is never what gets tested.
fn example(name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    // target/<profile>/deps/examples-<hash> → target/<profile>/examples/<name>
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let bin = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let built_at = std::fs::metadata(&bin).and_then(|m| m.modified()).ok();
    // The examples are built from this crate, core and the provider crates (siblings in
    // the workspace; absent when testing from the published package).
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = [
        "core",
        "vonage-cc",
        "webex-calling",
        "fone-dynamics",
        "apple-business",
        "zoom-phone",
    ]
    .map(|dir| here.join("..").join(dir));
    let newest = std::iter::once(newest_source(here))
        .chain(sources.iter().map(|d| newest_source(d)))
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH);
    if built_at.is_none_or(|t| newest > t) {
        BUILT.get_or_init(|| {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let mut build = Command::new(cargo);
            build.args(["build", "-p", "telnums", "--examples"]);
            if profile_dir.file_name().is_some_and(|p| p == "release") {
                build.arg("--release");
            }
            let status = build.status().expect("run cargo build --examples");
            assert!(status.success(), "cargo build -p telnums --examples failed");
        });
    }
    assert!(bin.exists(), "{} was not built", bin.display());
    bin
}

/// The newest modification time of a `.rs` or `.toml` file under `dir`.
fn newest_source(dir: &Path) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            newest = newest.max(newest_source(&path));
        } else if path
            .extension()
            .is_some_and(|e| e == "rs" || e == "toml" || e == "md")
        {
            newest = newest.max(meta.modified().unwrap_or(SystemTime::UNIX_EPOCH));
        }
    }
    newest
}

/// Runs an example with exactly these environment variables (nothing inherited: no
/// proxy settings, no real credentials).
async fn run(name: &str, env: &[(&str, &str)]) -> Output {
    let bin = example(name);
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    tokio::task::spawn_blocking(move || {
        Command::new(bin)
            .env_clear()
            .envs(env)
            .output()
            .expect("run the example")
    })
    .await
    .expect("join")
}

/// Stdout of a run that must succeed with nothing on stderr; no secret may appear.
fn success(out: &Output, secrets: &[&str]) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        out.status
    );
    assert_eq!(stderr, "", "nothing on stderr");
    for s in secrets {
        assert!(!stdout.contains(s), "secret {s:?} printed");
    }
    stdout
}

const VONAGE_TOKEN: &str = "vonage-example-token";
const VONAGE_ACCEPT: &str = "application/vnd.newvoicemedia.v4+json";

async fn mount_vonage(server: &MockServer, limit: &str) {
    let numbers = [
        ("+441632960001", "Support callback"),
        ("+441632960002", "Sales callback"),
        ("+441632960003", "Billing callback"),
    ];
    for (i, chunk) in numbers.chunks(2).enumerate() {
        let page = (i + 1).to_string();
        let body = json!({
            "meta": { "page": i + 1, "count": chunk.len(), "pageCount": 2, "totalCount": 3 },
            "callbackNumbers": chunk.iter().map(|(clid, name)| json!({
                "callbackNumberId": format!("id-{clid}"), "callbackNumberName": name, "callbackNumberClid": clid
            })).collect::<Vec<_>>()
        });
        Mock::given(method("GET"))
            .and(path("/useradmin/callbackNumbers"))
            .and(query(&[("page", &page), ("limit", limit)]))
            .and(header("authorization", format!("Bearer {VONAGE_TOKEN}")))
            .and(header("accept", VONAGE_ACCEPT))
            .respond_with(ok(body))
            .expect(1)
            .mount(server)
            .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn vonage_cc_lists_every_page() {
    let server = MockServer::start().await;
    mount_vonage(&server, "5000").await;
    let out = run(
        "vonage_cc",
        &[
            ("TELNUMS_VONAGE_CC_TOKEN", VONAGE_TOKEN),
            ("TELNUMS_VONAGE_CC_REGION", "nam"),
            ("TELNUMS_BASE_URL", &server.uri()),
        ],
    )
    .await;
    assert_eq!(
        success(&out, &[VONAGE_TOKEN]),
        "+441632960001\tSupport callback\n\
         +441632960002\tSales callback\n\
         +441632960003\tBilling callback\n\
         3 callback numbers\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn vonage_cc_without_a_token_says_which_variable() {
    let out = run("vonage_cc", &[]).await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stdout, b"");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "vonage_cc: set TELNUMS_VONAGE_CC_TOKEN (see the top of examples/vonage_cc.rs)\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn webex_calling_filters_every_page() {
    let server = MockServer::start().await;
    let token = "webex-example-token";
    let org = "Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9leGFtcGxl";
    let filters = [
        ("state", "ACTIVE"),
        ("includedTelephonyTypes", "PSTN_NUMBER"),
        ("orgId", org),
        ("max", "2000"),
    ];
    let page = |start: &'static str| {
        let mut q = filters.to_vec();
        q.push(("start", start));
        Mock::given(method("GET"))
            .and(path("/v1/telephony/config/numbers"))
            .and(query(&q))
            .and(header("authorization", format!("Bearer {token}")))
    };
    let next = format!(
        "<{}/v1/telephony/config/numbers?state=ACTIVE&includedTelephonyTypes=PSTN_NUMBER&orgId={org}&start=2&max=2000>; rel=\"next\"",
        server.uri()
    );
    page("0")
        .respond_with(
            ok(json!({ "phoneNumbers": [
                { "phoneNumber": "+12056350001", "extension": "11", "state": "ACTIVE",
                  "location": { "id": "loc-1", "name": "Bangalore" } },
                { "phoneNumber": "+12056350002", "state": "ACTIVE",
                  "location": { "id": "loc-2", "name": "Richardson" } },
            ]}))
            .insert_header("link", next.as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    page("2")
        .respond_with(ok(json!({ "phoneNumbers": [
            { "phoneNumber": "+12026282002", "extension": "568", "state": "ACTIVE" },
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        "webex_calling",
        &[
            ("TELNUMS_WEBEX_CALLING_TOKEN", token),
            ("TELNUMS_WEBEX_ORG_ID", org),
            ("TELNUMS_BASE_URL", &server.uri()),
        ],
    )
    .await;
    assert_eq!(
        success(&out, &[token]),
        "+12056350001\text 11\tBangalore\n\
         +12056350002\text -\tRichardson\n\
         +12026282002\text 568\t-\n\
         3 numbers\n"
    );
}

const FONE_SID: &str = "AC0000000000000000000000000000000A";
const FONE_TOKEN: &str = "fone-example-token";

fn fone_number(number: &str, friendly: &str, status: &str) -> Value {
    json!({ "Number": number, "AccountSid": FONE_SID, "Friendly": friendly, "Type": "Local",
            "Capabilities": "Voice,SMS", "Status": status })
}

#[tokio::test(flavor = "multi_thread")]
async fn fone_dynamics_filters_and_looks_up_one_number() {
    let server = MockServer::start().await;
    let auth = basic(FONE_SID, FONE_TOKEN);
    Mock::given(method("GET"))
        .and(path(format!("/v2/Accounts/{FONE_SID}/Numbers")))
        .and(query(&[
            ("Type", "Local,Toll-Free"),
            ("Capabilites", "SMS"),
            ("Results_Count", "200"),
            ("Results_Skip", "0"),
        ]))
        .and(header("authorization", auth.as_str()))
        .respond_with(ok(json!({ "Numbers": [
            fone_number("+61255501234", "Sydney reception", "Active"),
            fone_number("+61355501236", "Melbourne desk", "Pending"),
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    // The empty page after the last number ends the listing.
    Mock::given(method("GET"))
        .and(path(format!("/v2/Accounts/{FONE_SID}/Numbers")))
        .and(query(&[
            ("Type", "Local,Toll-Free"),
            ("Capabilites", "SMS"),
            ("Results_Count", "200"),
            ("Results_Skip", "2"),
        ]))
        .and(header("authorization", auth.as_str()))
        .respond_with(ok(json!({ "Numbers": [] })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/Numbers/61255501234"))
        .and(query(&[]))
        .and(header("authorization", auth.as_str()))
        .respond_with(ok(
            json!({ "Number": fone_number("+61255501234", "Sydney reception", "Active") }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        "fone_dynamics",
        &[
            ("TELNUMS_ACCOUNT_SID", FONE_SID),
            ("TELNUMS_FONE_DYNAMICS_TOKEN", FONE_TOKEN),
            ("TELNUMS_FONE_LOOKUP", "+61 2 5550 1234"),
            ("TELNUMS_BASE_URL", &server.uri()),
        ],
    )
    .await;
    assert_eq!(
        success(&out, &[FONE_TOKEN]),
        "+61255501234\tSydney reception\n\
         +61355501236\tMelbourne desk\n\
         2 numbers\n\
         +61 2 5550 1234\tActive\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn apple_business_signs_in_once_and_follows_the_cursor() {
    let server = MockServer::start().await;
    let (client_id, secret, access) = ("apple-client", "apple-example-secret", "apple-access-1");
    let (org, brand) = ("9467895078742654934", "9467895078742654921");
    Mock::given(method("POST"))
        .and(path("/apple/token"))
        .and(header("authorization", basic(client_id, secret).as_str()))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(ok(json!({ "access_token": access, "expires_in": 3600 })))
        .expect(1)
        .mount(&server)
        .await;
    let list = format!("/api/v1/orgs/{org}/brands/{brand}/caller-ids");
    let item = |id: &str, number: &str, dept: &str| {
        json!({ "orgId": org, "brandId": brand, "id": id, "createdDate": "2026-10-02T11:41:00Z",
                "updatedDate": "2026-10-11T18:34:00Z", "state": "PUBLISHED", "etag": "e1",
                "callerIdDetails": { "phoneNumber": number, "department": dept } })
    };
    Mock::given(method("GET"))
        .and(path(list.as_str()))
        .and(query(&[("ql", "state==PUBLISHED")]))
        .and(header("authorization", format!("Bearer {access}")))
        .respond_with(ok(json!({
            "data": [item("9467895078742654966", "+18005550100", "department.general.support")],
            "pagination": { "cursors": { "after": "cur2" },
                            "next": format!("{list}?ql=state%3D%3DPUBLISHED&after=cur2") },
            "total": 2
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list.as_str()))
        .and(query(&[("ql", "state==PUBLISHED"), ("after", "cur2")]))
        .and(header("authorization", format!("Bearer {access}")))
        .respond_with(ok(json!({
            "data": [item("9467895078742654420", "+18005550102", "department.sales")],
            "pagination": {},
            "total": 2
        })))
        .expect(1)
        .mount(&server)
        .await;
    let token_url = format!("{}/apple/token", server.uri());
    let base = format!("{}/api/v1", server.uri());
    let out = run(
        "apple_business",
        &[
            ("TELNUMS_APPLE_BUSINESS_TOKEN_URL", &token_url),
            ("TELNUMS_APPLE_BUSINESS_CLIENT_ID", client_id),
            ("TELNUMS_APPLE_BUSINESS_CLIENT_SECRET", secret),
            ("TELNUMS_APPLE_ORG_ID", org),
            ("TELNUMS_APPLE_BRAND_ID", brand),
            ("TELNUMS_BASE_URL", &base),
        ],
    )
    .await;
    assert_eq!(
        success(&out, &[secret, access]),
        "+18005550100\tdepartment.general.support\t9467895078742654966\n\
         +18005550102\tdepartment.sales\t9467895078742654420\n\
         2 caller ids\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn zoom_phone_uses_the_account_credentials_grant() {
    let server = MockServer::start().await;
    let (client_id, secret, access) = ("zoom-client", "zoom-example-secret", "zoom-access-1");
    Mock::given(method("POST"))
        .and(path("/zoom/token"))
        .and(header("authorization", basic(client_id, secret).as_str()))
        .and(body_string(
            "grant_type=account_credentials&account_id=zoom-account",
        ))
        .respond_with(ok(json!({ "access_token": access, "expires_in": 3600 })))
        .expect(1)
        .mount(&server)
        .await;
    let number = |n: &str, name: &str, who: &str| {
        json!({ "id": format!("id{n}"), "number": n, "display_name": name, "number_type": "toll",
                "status": "available", "assignee": { "id": "u1", "name": who, "type": "user" } })
    };
    let page = |extra: &[(&'static str, &'static str)]| {
        let mut q = vec![("type", "assigned"), ("page_size", "100")];
        q.extend_from_slice(extra);
        Mock::given(method("GET"))
            .and(path("/phone/numbers"))
            .and(query(&q))
            .and(header("authorization", format!("Bearer {access}")))
    };
    page(&[])
        .respond_with(ok(
            json!({ "next_page_token": "tok2", "page_size": 100, "total_records": 2,
            "phone_numbers": [number("+12055550100", "Front desk", "Jordan Park")] }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    page(&[("next_page_token", "tok2")])
        .respond_with(ok(
            json!({ "next_page_token": "", "page_size": 100, "total_records": 2,
            "phone_numbers": [number("+12055550102", "Lobby phone", "Sam Lee")] }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let token_url = format!("{}/zoom/token", server.uri());
    let out = run(
        "zoom_phone",
        &[
            ("TELNUMS_ZOOM_ACCOUNT_ID", "zoom-account"),
            ("TELNUMS_ZOOM_PHONE_CLIENT_ID", client_id),
            ("TELNUMS_ZOOM_PHONE_CLIENT_SECRET", secret),
            ("TELNUMS_ZOOM_PHONE_TOKEN_URL", &token_url),
            ("TELNUMS_BASE_URL", &server.uri()),
        ],
    )
    .await;
    assert_eq!(
        success(&out, &[secret, access]),
        "+12055550100\tFront desk\tJordan Park\n\
         +12055550102\tLobby phone\tSam Lee\n\
         2 numbers\n"
    );
}

/// Mounts one page per provider for `list_all`, each expecting only its own token.
async fn mount_list_all(server: &MockServer, zoom_status: u16) {
    mount_vonage(server, "5000").await;
    Mock::given(method("GET"))
        .and(path("/v1/telephony/config/numbers"))
        .and(query(&[("start", "0"), ("max", "2000")]))
        .and(header("authorization", "Bearer webex-all-token"))
        .respond_with(ok(json!({ "phoneNumbers": [
            { "extension": "568", "state": "ACTIVE" },
        ]})))
        .expect(1)
        .mount(server)
        .await;
    // No `Link` header: the listing goes on by offset until an empty page.
    Mock::given(method("GET"))
        .and(path("/v1/telephony/config/numbers"))
        .and(query(&[("start", "1"), ("max", "2000")]))
        .and(header("authorization", "Bearer webex-all-token"))
        .respond_with(ok(json!({ "phoneNumbers": [] })))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/Accounts/{FONE_SID}/Numbers")))
        .and(query(&[("Results_Count", "200"), ("Results_Skip", "0")]))
        .and(header(
            "authorization",
            basic(FONE_SID, FONE_TOKEN).as_str(),
        ))
        .respond_with(ok(json!([fone_number(
            "+61255501234",
            "Sydney reception",
            "Active"
        )])))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/Accounts/{FONE_SID}/Numbers")))
        .and(query(&[("Results_Count", "200"), ("Results_Skip", "1")]))
        .and(header(
            "authorization",
            basic(FONE_SID, FONE_TOKEN).as_str(),
        ))
        .respond_with(ok(json!([])))
        .expect(1)
        .mount(server)
        .await;
    let zoom = match zoom_status {
        200 => ok(json!({ "next_page_token": "", "phone_numbers": [
            { "id": "z1", "number": "+12055550100", "display_name": "Front desk" } ]})),
        status => ResponseTemplate::new(status)
            .set_body_json(json!({ "code": 124, "message": "Invalid access token." }))
            .insert_header("x-zm-trackingid", "v=2.0;clid=example;rid=1"),
    };
    Mock::given(method("GET"))
        .and(path("/phone/numbers"))
        .and(query(&[("page_size", "100")]))
        .and(header("authorization", "Bearer zoom-all-token"))
        .respond_with(zoom)
        .expect(1)
        .mount(server)
        .await;
}

fn list_all_env(server: &MockServer) -> Vec<(&'static str, String)> {
    vec![
        ("TELNUMS_VONAGE_CC_TOKEN", VONAGE_TOKEN.to_owned()),
        ("TELNUMS_WEBEX_CALLING_TOKEN", "webex-all-token".to_owned()),
        ("TELNUMS_ACCOUNT_SID", FONE_SID.to_owned()),
        ("TELNUMS_FONE_DYNAMICS_TOKEN", FONE_TOKEN.to_owned()),
        ("TELNUMS_ZOOM_PHONE_TOKEN", "zoom-all-token".to_owned()),
        ("TELNUMS_BASE_URL", server.uri()),
    ]
}

fn sorted_lines(s: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = s.lines().collect();
    lines.sort_unstable();
    lines
}

#[tokio::test(flavor = "multi_thread")]
async fn list_all_interleaves_every_provider() {
    let server = MockServer::start().await;
    mount_list_all(&server, 200).await;
    let env = list_all_env(&server);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = run("list_all", &env).await;
    let stdout = success(
        &out,
        &[
            VONAGE_TOKEN,
            FONE_TOKEN,
            "webex-all-token",
            "zoom-all-token",
        ],
    );
    // The providers are listed concurrently: the order between them is not fixed.
    assert_eq!(
        sorted_lines(&stdout),
        [
            "fone-dynamics\t+61255501234\tSydney reception",
            "vonage-cc\t+441632960001\tSupport callback",
            "vonage-cc\t+441632960002\tSales callback",
            "vonage-cc\t+441632960003\tBilling callback",
            "webex-calling\t568\t-",
            "zoom-phone\t+12055550100\tFront desk",
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn list_all_reports_a_failing_provider_and_keeps_the_others() {
    let server = MockServer::start().await;
    mount_list_all(&server, 401).await;
    let env = list_all_env(&server);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = run("list_all", &env).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert_eq!(
        sorted_lines(&stdout).len(),
        5,
        "the four others' numbers:\n{stdout}"
    );
    assert!(!stdout.contains("zoom-phone"), "{stdout}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].starts_with("list_all: zoom-phone: "), "{stderr}");
    for part in ["401", "rid=1", "Invalid access token. (code 124)"] {
        assert!(lines[0].contains(part), "{part:?} missing: {stderr}");
    }
    assert!(!stderr.contains("zoom-all-token"), "{stderr}");
}
