//! `telnums demo`: an in-process mock of all five providers on 127.0.0.1, several pages
//! each, with data shaped like the specs' examples, listed through the real clients.

use serde_json::{json, Value};
use telnums::{apple_business, fone_dynamics, vonage_cc, webex_calling, zoom_phone, Error, Source};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Page size the demo asks every provider for, so that each lists several pages.
pub const PAGE_SIZE: u32 = 2;
const TOKEN: &str = "demo-token";
const ORG: &str = "9467895078742654934";
const BRAND: &str = "9467895078742654921";
const ACCOUNT: &str = "AC0000000000000000000000000000000A";

/// Starts the mock server with every provider's pages mounted.
pub async fn start() -> MockServer {
    let server = MockServer::start().await;
    vonage(&server).await;
    webex(&server).await;
    fone(&server).await;
    apple(&server).await;
    zoom(&server).await;
    server
}

/// Sources for all five providers pointing at `server`.
pub fn sources(server: &MockServer) -> Result<Vec<Source>, Error> {
    let base = server.uri();
    Ok(vec![
        Source::VonageCc(
            vonage_cc::VonageCcClient::builder()
                .base_url(&base)
                .bearer_token(TOKEN)
                .build()?,
        ),
        Source::webex_calling(
            webex_calling::WebexClient::builder()
                .base_url(&base)
                .bearer_token(TOKEN)
                .build()?,
            None,
        ),
        Source::FoneDynamics {
            client: fone_dynamics::FoneDynamicsClient::builder()
                .base_url(&base)
                .basic_auth(ACCOUNT, TOKEN)
                .build()?,
            scope: fone_dynamics::Scope::Account(ACCOUNT.to_owned()),
        },
        Source::AppleBusiness {
            client: apple_business::AppleBusinessClient::builder()
                .base_url(format!("{base}/api/v1"))
                .bearer_token(TOKEN)
                .build()?,
            org_id: ORG.to_owned(),
            brand_id: BRAND.to_owned(),
        },
        Source::ZoomPhone(
            zoom_phone::ZoomPhoneClient::builder()
                .base_url(&base)
                .bearer_token(TOKEN)
                .build()?,
        ),
    ])
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

async fn mount(server: &MockServer, mock: Mock) {
    mock.mount(server).await;
}

async fn vonage(server: &MockServer) {
    let all = [
        (
            "4e29556d-6f8c-934a-abbf-2539ac72b9aa",
            "Support callback",
            "+441632960001",
        ),
        (
            "118135e7-5a08-b79d-d4c7-ae65bbb7181c",
            "Sales callback",
            "+481112",
        ),
        (
            "75c5a231-d609-3e1d-21a6-a3e88ac0ffe6",
            "Billing callback",
            "+481113",
        ),
    ];
    let pages: Vec<_> = all.chunks(PAGE_SIZE as usize).collect();
    for (i, chunk) in pages.iter().enumerate() {
        let page = i + 1;
        let body = json!({
            "meta": { "page": page, "count": chunk.len(), "pageCount": pages.len(), "totalCount": all.len() },
            "callbackNumbers": chunk.iter().map(|(id, name, clid)| json!({
                "callbackNumberId": id, "callbackNumberName": name, "callbackNumberClid": clid
            })).collect::<Vec<_>>()
        });
        mount(
            server,
            Mock::given(method("GET"))
                .and(path("/useradmin/callbackNumbers"))
                .and(query_param("page", page.to_string()))
                .respond_with(ok(body)),
        )
        .await;
    }
}

async fn webex(server: &MockServer) {
    let all = [
        json!({ "phoneNumber": "+12056350001", "extension": "11", "state": "ACTIVE", "phoneNumberType": "FAX",
                "mainNumber": false, "includedTelephonyTypes": "MOBILE_NUMBER", "tollFreeNumber": false, "isServiceNumber": false,
                "location": { "id": "loc-bangalore", "name": "Bangalore" },
                "owner": { "id": "person-1", "type": "PEOPLE", "firstName": "Alex", "lastName": "Rivera" } }),
        json!({ "phoneNumber": null, "extension": "568", "mainNumber": false, "includedTelephonyTypes": "PSTN_NUMBER",
                "location": { "id": "loc-richardson", "name": "Richardson" },
                "owner": { "id": "person-2", "type": "PEOPLE", "firstName": "Sam", "lastName": "Lee" } }),
        json!({ "phoneNumber": "+12026282002", "state": "ACTIVE", "phoneNumberType": "PRIMARY", "mainNumber": true,
                "includedTelephonyTypes": "PSTN_NUMBER", "isServiceNumber": true,
                "location": { "id": "loc-washington", "name": "Washington" } }),
    ];
    let uri = server.uri();
    let chunks: Vec<_> = all.chunks(PAGE_SIZE as usize).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        let start = i * PAGE_SIZE as usize;
        let mut response = ok(json!({ "phoneNumbers": chunk }));
        if i + 1 < chunks.len() {
            let next = start + PAGE_SIZE as usize;
            response = response.insert_header(
                "Link",
                format!("<{uri}/v1/telephony/config/numbers?start={next}&max={PAGE_SIZE}>; rel=\"next\"").as_str(),
            );
        }
        response = response.insert_header("TrackingID", format!("demo_webex_{i}").as_str());
        mount(
            server,
            Mock::given(path("/v1/telephony/config/numbers"))
                .and(query_param("start", start.to_string()))
                .respond_with(response),
        )
        .await;
    }
}

async fn fone(server: &MockServer) {
    let all = [
        (
            "+61255501234",
            "Sydney reception",
            "Local",
            "Active",
            "Sydney",
        ),
        (
            "+61255501235",
            "Sales hotline",
            "Toll-Free",
            "Active",
            "Sydney",
        ),
        (
            "+61355501236",
            "Melbourne desk",
            "Local",
            "Pending",
            "Melbourne",
        ),
    ];
    let record = |(n, friendly, kind, status, city): &(&str, &str, &str, &str, &str)| {
        json!({ "Number": n, "AccountSid": ACCOUNT, "PropertySid": "PR0000000000000000000000000000000A",
                "Friendly": friendly, "RoutingMethod": "Endpoint", "Recording": "Off", "Type": kind,
                "Capabilities": "Voice,SMS", "CountryCode": "AU", "City": city, "Status": status })
    };
    // The single-number path, wrapped as `{"Number": {...}}`.
    for entry in &all {
        let digits = entry.0.trim_start_matches('+');
        mount(
            server,
            Mock::given(path(format!("/v2/Numbers/{digits}")))
                .respond_with(ok(json!({ "Number": record(entry) }))),
        )
        .await;
    }
    let chunks: Vec<_> = all.chunks(PAGE_SIZE as usize).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        let numbers: Vec<Value> = chunk.iter().map(record).collect();
        // Page 1 wrapped, page 2 bare: the client accepts both.
        let body = if i % 2 == 0 {
            json!({ "Numbers": numbers })
        } else {
            json!(numbers)
        };
        mount(
            server,
            Mock::given(path(format!("/v2/Accounts/{ACCOUNT}/Numbers")))
                .and(query_param(
                    "Results_Skip",
                    (i * PAGE_SIZE as usize).to_string(),
                ))
                .respond_with(ok(body)),
        )
        .await;
    }
    // Past the last number the API answers an empty page, which is how a listing ends.
    mount(
        server,
        Mock::given(path(format!("/v2/Accounts/{ACCOUNT}/Numbers")))
            .and(query_param("Results_Skip", all.len().to_string()))
            .respond_with(ok(json!({ "Numbers": [] }))),
    )
    .await;
}

async fn apple(server: &MockServer) {
    let list = format!("/api/v1/orgs/{ORG}/brands/{BRAND}/caller-ids");
    let item = |id: &str, number: &str, dept: &str| {
        json!({ "orgId": ORG, "brandId": BRAND, "id": id, "createdDate": "2026-10-02T11:41:00Z",
                "updatedDate": "2026-10-11T18:34:00Z", "state": "PUBLISHED",
                "etag": "5c556a5e-5d47-11ee-863f-325096b39f47",
                "callerIdDetails": { "phoneNumber": number, "department": dept } })
    };
    let first = json!({
        "data": [
            item("9467895078742654966", "+18005550100", "department.general.support.customer_service"),
            item("9467895078742654419", "+18005550101", "department.general.support.service_center"),
        ],
        "pagination": { "cursors": { "after": "8U54a61d9b495324" },
                        "next": format!("{list}?limit={PAGE_SIZE}&after=8U54a61d9b495324") },
        "total": 3
    });
    let last = json!({
        "data": [item("9467895078742654420", "+18005550102", "department.sales")],
        "pagination": {},
        "total": 3
    });
    let headers = |r: ResponseTemplate, id: &str| r.insert_header("apple-request-id", id);
    mount(
        server,
        Mock::given(path(list.clone()))
            .and(query_param_is_missing("after"))
            .respond_with(headers(ok(first), "cbc6080e-53c8-43cb-8d46-082859226bfb")),
    )
    .await;
    mount(
        server,
        Mock::given(path(list))
            .and(query_param("after", "8U54a61d9b495324"))
            .respond_with(headers(ok(last), "d1b7f3c2-0c55-4a8e-9d0b-5f2b7a9e3c11")),
    )
    .await;
}

async fn zoom(server: &MockServer) {
    let item = |id: &str, number: &str, name: &str, kind: &str, assignee: Value| {
        json!({ "id": id, "number": number, "display_name": name, "number_type": kind, "source": "internal",
                "status": "available", "assignee": assignee, "site": { "id": "site-1", "name": "Main office" } })
    };
    let first = json!({
        "next_page_token": "demoToken2", "page_size": PAGE_SIZE, "total_records": 3,
        "phone_numbers": [
            item("zn-1", "+12055550100", "Front desk", "toll", json!({ "id": "u1", "name": "Jordan Park", "type": "user", "extension_number": 101 })),
            item("zn-2", "+18885550101", "Support line", "tollfree", json!({ "id": "cq1", "name": "Support queue", "type": "callQueue", "extension_number": 200 })),
        ]
    });
    // Older Zoom records may carry a national-format number: it is listed verbatim
    // (`number_raw`), never given a guessed country code.
    let last = json!({
        "next_page_token": "", "page_size": PAGE_SIZE, "total_records": 3,
        "phone_numbers": [ item("zn-3", "(205) 555-0102", "Lobby phone", "toll", json!({ "id": "ca1", "name": "Lobby", "type": "commonArea", "extension_number": 300 })) ]
    });
    mount(
        server,
        Mock::given(path("/phone/numbers"))
            .and(query_param_is_missing("next_page_token"))
            .respond_with(ok(first).insert_header("x-zm-trackingid", "v=2.0;clid=demo;rid=1")),
    )
    .await;
    mount(
        server,
        Mock::given(path("/phone/numbers"))
            .and(query_param("next_page_token", "demoToken2"))
            .respond_with(ok(last)),
    )
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fone Dynamics documents a page both as `{"Numbers": [...]}` and as a bare array;
    /// the demo serves its pages in both forms, in turn, so a listing meets each.
    #[tokio::test]
    async fn fone_pages_come_wrapped_and_bare_in_turn() {
        let server = start().await;
        let client = telnums::core::reqwest::Client::new();
        let mut forms = Vec::new();
        for skip in [0, PAGE_SIZE] {
            let url = format!("{}/v2/Accounts/{ACCOUNT}/Numbers", server.uri());
            let response = client
                .get(url)
                .query(&[("Results_Skip", skip)])
                .send()
                .await
                .expect("the demo answers");
            let text = response.text().await.expect("a body");
            let page: Value = serde_json::from_str(&text).expect("json");
            forms.push(match &page {
                Value::Object(o) if o.get("Numbers").is_some_and(Value::is_array) => "wrapped",
                Value::Array(a) if !a.is_empty() => "bare",
                _ => panic!("not a page: {text}"),
            });
        }
        assert_eq!(forms, ["wrapped", "bare"]);
    }
}
