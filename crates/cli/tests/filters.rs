//! Provider filters through the `telnums` binary: every documented filter of every
//! provider reaches the wire exactly (from flags and from a `list all` config file), and
//! a bad filter name or value is a usage error (exit 2) naming what is allowed, with
//! nothing sent.

use assert_cmd::Command;
use serde_json::{json, Value};
use telnums::Provider;
use wiremock::matchers::{basic_auth, bearer_token, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "filters-test-token-never-printed";
const ACCOUNT: &str = "AC0000000000000000000000000000000A";
const ORG: &str = "9467895078742654934";
const BRAND: &str = "9467895078742654921";

mod common;
use common::Run;

/// Runs `telnums` with the test token (blocking: call inside `block_in_place`).
fn telnums(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::cargo_bin("telnums").expect("binary");
    command
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("TELNUMS_CLIENT_ID")
        .env("TELNUMS_TOKEN", TOKEN)
        .env("TELNUMS_ACCOUNT_SID", ACCOUNT);
    for (k, v) in env {
        command.env(k, v);
    }
    let run = Run::of(&mut command);
    assert!(
        !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "token leaked"
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// Matches a request whose raw query string is exactly `self.0` (order and encoding
/// included).
struct ExactQuery(String);

impl wiremock::Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        request.url.query().unwrap_or("") == self.0
    }
}

/// The list path of `provider` (Apple's under the `/api/v1` base).
fn list_path(provider: Provider) -> String {
    match provider {
        Provider::VonageCc => "/useradmin/callbackNumbers".to_owned(),
        Provider::WebexCalling => "/v1/telephony/config/numbers".to_owned(),
        Provider::FoneDynamics => format!("/v2/Accounts/{ACCOUNT}/Numbers"),
        Provider::AppleBusiness => {
            format!("/api/v1/orgs/{ORG}/brands/{BRAND}/caller-ids")
        }
        Provider::ZoomPhone => "/phone/numbers".to_owned(),
    }
}

/// A last page with one number.
fn one_number(provider: Provider) -> Value {
    match provider {
        Provider::VonageCc => json!({ "meta": { "page": 1, "pageCount": 1 },
            "callbackNumbers": [{ "callbackNumberId": "cb", "callbackNumberClid": "+441632960001" }] }),
        Provider::WebexCalling => json!({ "phoneNumbers": [{ "phoneNumber": "+12025550100" }] }),
        Provider::FoneDynamics => json!({ "Numbers": [{ "Number": "+61255501234" }] }),
        Provider::AppleBusiness => json!({ "data": [{ "orgId": ORG, "brandId": BRAND, "id": "c1",
            "createdDate": "2026-10-02T11:41:00Z", "updatedDate": "2026-10-02T11:41:00Z",
            "state": "PUBLISHED", "etag": "e", "callerIdDetails": { "phoneNumber": "+18005555555" } }],
            "pagination": {}, "total": 1 }),
        Provider::ZoomPhone => {
            json!({ "next_page_token": "", "phone_numbers": [{ "number": "+12055550100" }] })
        }
    }
}

/// Mounts the one mock that answers: the provider's list path, its credentials and
/// exactly `query`. Anything else gets wiremock's 404, which the CLI reports (exit 1).
async fn expect_query(server: &MockServer, provider: Provider, query: &str) {
    let mock = Mock::given(method("GET"))
        .and(path(list_path(provider)))
        .and(ExactQuery(query.to_owned()));
    let mock = match provider {
        Provider::FoneDynamics => mock.and(basic_auth(ACCOUNT, TOKEN)),
        _ => mock.and(bearer_token(TOKEN)),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(one_number(provider)))
        .expect(1)
        .mount(server)
        .await;
    // The empty second page that ends a one-page listing of a provider that learns the
    // end from an empty page (Fone Dynamics; Webex without `Link` headers): the same
    // query at the next offset.
    let (position, empty) = match provider {
        Provider::WebexCalling => ("start", json!({ "phoneNumbers": [] })),
        Provider::FoneDynamics => ("Results_Skip", json!({ "Numbers": [] })),
        _ => return,
    };
    let next: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, "0")) if k == position => format!("{k}=1"),
            _ => pair.to_owned(),
        })
        .collect();
    let mock = Mock::given(method("GET"))
        .and(path(list_path(provider)))
        .and(ExactQuery(next.join("&")));
    let mock = match provider {
        Provider::FoneDynamics => mock.and(basic_auth(ACCOUNT, TOKEN)),
        _ => mock.and(bearer_token(TOKEN)),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(empty))
        .expect(1)
        .mount(server)
        .await;
}

/// The queries `server` received, for failure messages.
async fn received(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or("")))
        .collect()
}

/// `list <provider>` with the connection flags for `server`.
fn list_args(provider: Provider, server: &MockServer) -> Vec<String> {
    let base = match provider {
        Provider::AppleBusiness => format!("{}/api/v1", server.uri()),
        _ => server.uri(),
    };
    let mut args: Vec<String> = [
        "list",
        provider.key(),
        "--base-url",
        &base,
        "--format",
        "ndjson",
    ]
    .map(String::from)
    .to_vec();
    if provider == Provider::AppleBusiness {
        args.extend(["--org-id", ORG, "--brand-id", BRAND].map(String::from));
    }
    args
}

/// Every filter of every provider, as flags, and the exact query string it must produce
/// (progenitor sends parameters in the order of their Rust names).
fn every_filter(provider: Provider) -> (Vec<&'static str>, &'static str) {
    match provider {
        Provider::VonageCc => (vec![], "limit=5000&page=1"),
        Provider::WebexCalling => (
            vec![
                "--location-id",
                "a8289722-1b80-41b7-9678-0e77ae8c1098",
                "--available",
                "false",
                "--order",
                "lastName,extension",
                "--order",
                "dn-desc",
                "--owner-name",
                "Alex Rivera",
                "--owner-id",
                "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9j",
                "--owner-type",
                "people",
                "--extension",
                "11",
                "--number-type",
                "number",
                "--phone-number-type",
                "FAX",
                "--state",
                "ACTIVE",
                "--details",
                "true",
                "--toll-free-numbers",
                "false",
                "--restricted-non-geo-numbers",
                "true",
                "--included-telephony-types",
                "PSTN_NUMBER,MOBILE_NUMBER",
                "--service-number",
                "false",
                "--assigned",
                "true",
                "--reserved-number",
                "false",
                "--elin-enabled",
                "true",
            ],
            "assigned=true&available=false&details=true&elinEnabled=true&extension=11\
             &includedTelephonyTypes=PSTN_NUMBER%2CMOBILE_NUMBER\
             &locationId=a8289722-1b80-41b7-9678-0e77ae8c1098&max=2000&numberType=NUMBER\
             &order=lastName%2Cextension%2Cdn-desc&ownerId=Y2lzY29zcGFyazovL3VzL1BFT1BMRS9j\
             &ownerName=Alex+Rivera&ownerType=PEOPLE&phoneNumberType=FAX\
             &reservedNumber=false&restrictedNonGeoNumbers=true&serviceNumber=false&start=0\
             &state=ACTIVE&tollFreeNumbers=false",
        ),
        Provider::FoneDynamics => (
            // `Premium-Rate` is not documented: `Type` is an open list.
            vec![
                "--type",
                "Local,toll-free",
                "--type",
                "Premium-Rate",
                "--capabilities",
                "Voice",
                "--capabilities",
                "sms",
            ],
            "Capabilites=Voice%2CSMS&Results_Count=200&Results_Skip=0\
             &Type=Local%2CToll-Free%2CPremium-Rate",
        ),
        Provider::AppleBusiness => (
            // Every field and every operator of the documented `ql` grammar.
            vec![
                "--ql",
                "id==9467895078742654966",
                "--ql",
                "state==PUBLISHED",
                "--ql",
                "createdDate=gt=2024-10-30T00:00:00Z",
                "--ql",
                "createdDate=ge=2024-10-01T00:00:00Z",
                "--ql",
                "updatedDate=lt=2026-01-01T00:00:00Z",
                "--ql",
                "updatedDate=le=2026-01-02T00:00:00Z",
                "--ql",
                "callerIdDetails.phoneNumber==+18005555555",
                "--ql",
                "callerIdDetails.department==department.general.support.customer_service",
            ],
            "ql=id%3D%3D9467895078742654966%3Bstate%3D%3DPUBLISHED\
             %3BcreatedDate%3Dgt%3D2024-10-30T00%3A00%3A00Z\
             %3BcreatedDate%3Dge%3D2024-10-01T00%3A00%3A00Z\
             %3BupdatedDate%3Dlt%3D2026-01-01T00%3A00%3A00Z\
             %3BupdatedDate%3Dle%3D2026-01-02T00%3A00%3A00Z\
             %3BcallerIdDetails.phoneNumber%3D%3D%2B18005555555\
             %3BcallerIdDetails.department%3D%3Ddepartment.general.support.customer_service",
        ),
        Provider::ZoomPhone => (
            vec![
                "--type",
                "assigned",
                "--extension-type",
                "callQueue",
                "--number-type",
                "tollfree",
                "--pending-numbers",
                "false",
                "--site-id",
                "8f71O6rWT8KFUGQmJIFAdQ",
            ],
            "extension_type=callQueue&number_type=tollfree&page_size=100\
             &pending_numbers=false&site_id=8f71O6rWT8KFUGQmJIFAdQ&type=assigned",
        ),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_documented_filter_reaches_the_wire_exactly() {
    for provider in Provider::ALL {
        let (flags, query) = every_filter(provider);
        // The flags above cover the provider's whole generated table, so a filter added
        // to a spec without a case here fails this test.
        let given: Vec<&str> = flags.iter().filter_map(|f| f.strip_prefix("--")).collect();
        for param in provider.filters().params {
            assert!(
                given.contains(&param.flag),
                "{provider}: --{} is not exercised",
                param.flag
            );
        }
        let server = MockServer::start().await;
        expect_query(&server, provider, query).await;
        let mut args = list_args(provider, &server);
        args.extend(flags.iter().map(|s| s.to_string()));
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = tokio::task::block_in_place(|| telnums(&argv, &[]));
        assert_eq!(
            run.code,
            0,
            "{provider}: {}\nreceived: {:#?}",
            run.stderr,
            received(&server).await
        );
        assert_eq!(run.stdout.lines().count(), 1, "{provider}: {}", run.stdout);
        server.verify().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn open_lists_accept_new_values_and_filters_combine_with_phone_number() {
    // Webex adds owner kinds; the flag passes one the spec does not list.
    let server = MockServer::start().await;
    expect_query(
        &server,
        Provider::WebexCalling,
        "max=2000&ownerType=FUTURE_OWNER_KIND&phoneNumber=%2B12025550100&start=0",
    )
    .await;
    let mut args = list_args(Provider::WebexCalling, &server);
    args.extend(
        [
            "--owner-type",
            "FUTURE_OWNER_KIND",
            "--phone-number",
            "+1 202 555 0100",
        ]
        .map(String::from),
    );
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = tokio::task::block_in_place(|| telnums(&argv, &[]));
    assert_eq!(run.code, 0, "{}: {:?}", run.stderr, received(&server).await);
    server.verify().await;

    // Apple: the --ql clauses and the --phone-number clause all go into one `ql`.
    let server = MockServer::start().await;
    expect_query(
        &server,
        Provider::AppleBusiness,
        "ql=state%3D%3DPUBLISHED%3BcallerIdDetails.phoneNumber%3D%3D%2B18005555555",
    )
    .await;
    let mut args = list_args(Provider::AppleBusiness, &server);
    args.extend(["--ql", "state==PUBLISHED", "--phone-number", "+18005555555"].map(String::from));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = tokio::task::block_in_place(|| telnums(&argv, &[]));
    assert_eq!(run.code, 0, "{}: {:?}", run.stderr, received(&server).await);
    server.verify().await;

    // Fone: with a filter, --phone-number cannot use the single-number path (it takes
    // no filters), so the filtered listing is searched client-side.
    let server = MockServer::start().await;
    expect_query(
        &server,
        Provider::FoneDynamics,
        "Results_Count=200&Results_Skip=0&Type=Local",
    )
    .await;
    let mut args = list_args(Provider::FoneDynamics, &server);
    args.extend(["--type", "Local", "--phone-number", "+61255501234"].map(String::from));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = tokio::task::block_in_place(|| telnums(&argv, &[]));
    assert_eq!(run.code, 0, "{}: {:?}", run.stderr, received(&server).await);
    assert!(run.stdout.contains("+61255501234"), "{}", run.stdout);
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn config_sections_take_the_same_filters() {
    let server = MockServer::start().await;
    expect_query(
        &server,
        Provider::WebexCalling,
        "available=false&includedTelephonyTypes=PSTN_NUMBER&max=2000&order=dn%2Cextension\
         &ownerType=PEOPLE&start=0",
    )
    .await;
    expect_query(
        &server,
        Provider::ZoomPhone,
        "page_size=100&pending_numbers=true&type=assigned",
    )
    .await;
    expect_query(
        &server,
        Provider::FoneDynamics,
        "Capabilites=Voice%2CSMS&Results_Count=200&Results_Skip=0",
    )
    .await;
    expect_query(
        &server,
        Provider::AppleBusiness,
        "ql=state%3D%3DPUBLISHED%3BcallerIdDetails.phoneNumber%3D%3D%2B18005555555",
    )
    .await;
    let dir = tempdir("config");
    let config = dir.join("telnums.toml");
    let base = server.uri();
    std::fs::write(
        &config,
        format!(
            r#"[webex-calling]
base_url = "{base}"
owner_type = "PEOPLE"
included_telephony_types = ["PSTN_NUMBER"]
available = false
order = "dn,extension"

[zoom-phone]
base_url = "{base}"
type = "assigned"
pending-numbers = true

[fone-dynamics]
base_url = "{base}"
account_sid = "{ACCOUNT}"
Capabilites = ["Voice", "SMS"]

[apple-business]
base_url = "{base}/api/v1"
org_id = "{ORG}"
brand_id = "{BRAND}"
ql = ["state==PUBLISHED", "callerIdDetails.phoneNumber==+18005555555"]
"#
        ),
    )
    .expect("write");
    let cfg = config.display().to_string();
    let env = [
        ("TELNUMS_WEBEX_CALLING_TOKEN", TOKEN),
        ("TELNUMS_ZOOM_PHONE_TOKEN", TOKEN),
        ("TELNUMS_FONE_DYNAMICS_TOKEN", TOKEN),
        ("TELNUMS_APPLE_BUSINESS_TOKEN", TOKEN),
    ];
    let args = ["list", "all", "--config", &cfg, "--format", "ndjson"];
    let run = tokio::task::block_in_place(|| telnums(&args, &env));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        run.code,
        0,
        "{}: {:#?}",
        run.stderr,
        received(&server).await
    );
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
    server.verify().await;
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("telnums-filters-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_filters_are_usage_errors_and_nothing_is_sent() {
    let server = MockServer::start().await;
    // Answers anything, so that a request that should not have been sent is counted.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let cases: [(Provider, &[&str], &[&str]); 11] = [
        (
            Provider::ZoomPhone,
            &["--type", "everything"],
            &["everything", "assigned, unassigned, all, byoc"],
        ),
        (
            Provider::ZoomPhone,
            &["--pending-numbers", "maybe"],
            &["true, false"],
        ),
        (
            Provider::WebexCalling,
            &["--included-telephony-types", "PSTN_NUMBER,FAX"],
            &["FAX", "PSTN_NUMBER, MOBILE_NUMBER"],
        ),
        (
            Provider::WebexCalling,
            &["--order", "firstName"],
            &["lastName, lastName-asc, lastName-desc, dn, dn-asc"],
        ),
        (
            Provider::WebexCalling,
            &["--state", "ACTIVE", "--state", "INACTIVE"],
            &["--state", "cannot be used multiple times"],
        ),
        (
            Provider::AppleBusiness,
            &["--ql", "colour==red"],
            &[
                "colour",
                "id, state, createdDate, updatedDate, callerIdDetails.phoneNumber, callerIdDetails.department",
            ],
        ),
        (
            Provider::AppleBusiness,
            &["--ql", "state=PUBLISHED"],
            &["== =gt= =ge= =lt= =le="],
        ),
        (
            Provider::FoneDynamics,
            &["--capabilities", "Voice,,SMS"],
            &["capabilities", "empty value"],
        ),
        // A filter of another provider, and a typo.
        (Provider::ZoomPhone, &["--owner-type", "PEOPLE"], &["--owner-type"]),
        (Provider::ZoomPhone, &["--typ", "all"], &["--type"]),
        (Provider::VonageCc, &["--type", "all"], &["--type"]),
    ];
    for (provider, flags, expected) in cases {
        let mut args = list_args(provider, &server);
        args.extend(flags.iter().map(|s| s.to_string()));
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = tokio::task::block_in_place(|| telnums(&argv, &[]));
        assert_eq!(run.code, 2, "{provider} {flags:?}: {}", run.stderr);
        for e in expected {
            assert!(
                run.stderr.contains(e),
                "{provider} {flags:?}: no {e:?} in {}",
                run.stderr
            );
        }
        assert!(run.stdout.is_empty());
    }

    let dir = tempdir("bad");
    let config = dir.join("telnums.toml");
    let base = server.uri();
    let sections: [(&str, &[&str]); 6] = [
        (
            "[zoom-phone]\nowner_type = \"PEOPLE\"",
            &[
                "owner_type",
                "filters: type, extension_type, number_type, pending_numbers, site_id",
            ],
        ),
        (
            "[zoom-phone]\ntype = \"everything\"",
            &["type", "one of assigned, unassigned, all, byoc"],
        ),
        (
            "[webex-calling]\nowner_type = [\"PEOPLE\", \"PLACE\"]",
            &["`owner_type` takes one value"],
        ),
        ("[webex-calling]\navailable = 1.5", &["`available` must be"]),
        ("[vonage-cc]\ntype = \"all\"", &["vonage-cc has no filters"]),
        (
            "[apple-business]\norg_id = \"o\"\nbrand_id = \"b\"\nql = \"state==A;colour==red\"",
            &["colour", "callerIdDetails.department"],
        ),
    ];
    for (section, expected) in sections {
        std::fs::write(&config, format!("{section}\nbase_url = \"{base}\"\n")).expect("write");
        let cfg = config.display().to_string();
        let run = tokio::task::block_in_place(|| telnums(&["list", "all", "--config", &cfg], &[]));
        assert_eq!(run.code, 2, "{section}: {}", run.stderr);
        assert!(
            run.stderr.contains("telnums.toml ["),
            "{section}: {}",
            run.stderr
        );
        for e in expected {
            assert!(
                run.stderr.contains(e),
                "{section}: no {e:?} in {}",
                run.stderr
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let sent = received(&server).await;
    assert!(sent.is_empty(), "nothing may be sent: {sent:?}");
}
