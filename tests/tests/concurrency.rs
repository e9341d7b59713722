//! `.concurrency(n)` on the offset-style paginators yields the same items in the same
//! order as sequential paging, even when later pages answer first.

use std::time::Duration;

use futures::TryStreamExt;
use serde_json::json;
use telnums_fone_dynamics::FoneDynamicsClient;
use telnums_vonage_cc::VonageCcClient;
use telnums_webex_calling::WebexClient;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAGES: usize = 7;

/// Page `p` of 0..PAGES answers after a delay that shrinks with `p`.
fn delay(p: usize) -> Duration {
    Duration::from_millis(5 * (PAGES - p) as u64)
}

fn ids(p: usize, size: usize) -> Vec<String> {
    let n = if p + 1 == PAGES { size - 1 } else { size };
    (0..n).map(|i| format!("{p:02}-{i:02}")).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn vonage_concurrent_equals_sequential() {
    let server = MockServer::start().await;
    for p in 0..PAGES {
        let body = json!({
            "meta": { "page": p + 1, "pageCount": PAGES },
            "callbackNumbers": ids(p, 3).iter().map(|id| json!({ "callbackNumberId": id })).collect::<Vec<_>>()
        });
        Mock::given(path("/useradmin/callbackNumbers"))
            .and(query_param("page", (p + 1).to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(body)
                    .set_delay(delay(p)),
            )
            .mount(&server)
            .await;
    }
    let client = VonageCcClient::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .expect("client");
    let list = |n: usize| {
        client
            .list_callback_numbers()
            .page_size(3)
            .concurrency(n)
            .items()
            .map_ok(|c| c.callback_number_id.unwrap_or_default())
            .try_collect::<Vec<_>>()
    };
    let sequential = list(1).await.expect("sequential");
    let concurrent = list(4).await.expect("concurrent");
    assert_eq!(sequential.len(), PAGES * 3 - 1);
    assert_eq!(concurrent, sequential);
}

#[tokio::test(flavor = "multi_thread")]
async fn webex_concurrent_equals_sequential() {
    let server = MockServer::start().await;
    for p in 0..PAGES {
        let body = json!({ "phoneNumbers": ids(p, 3).iter().map(|id| json!({ "extension": id })).collect::<Vec<_>>() });
        let mut response = ResponseTemplate::new(200)
            .set_body_json(body)
            .set_delay(delay(p));
        if p + 1 < PAGES {
            response = response.insert_header(
                "Link",
                format!(
                    "</v1/telephony/config/numbers?start={}&max=3>; rel=\"next\"",
                    (p + 1) * 3
                )
                .as_str(),
            );
        }
        Mock::given(path("/v1/telephony/config/numbers"))
            .and(query_param("start", (p * 3).to_string()))
            .respond_with(response)
            .mount(&server)
            .await;
    }
    // Past the end: an empty page.
    Mock::given(path("/v1/telephony/config/numbers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "phoneNumbers": [] })))
        .with_priority(10)
        .mount(&server)
        .await;
    let client = WebexClient::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .expect("client");
    let list = |n: usize| {
        client
            .list_numbers()
            .page_size(3)
            .concurrency(n)
            .items()
            .map_ok(|c| c.extension.unwrap_or_default())
            .try_collect::<Vec<_>>()
    };
    let sequential = list(1).await.expect("sequential");
    let concurrent = list(4).await.expect("concurrent");
    assert_eq!(sequential.len(), PAGES * 3 - 1);
    assert_eq!(concurrent, sequential);
}

#[tokio::test(flavor = "multi_thread")]
async fn fone_concurrent_equals_sequential() {
    let server = MockServer::start().await;
    for p in 0..PAGES {
        let body = json!({ "Numbers": ids(p, 3).iter().map(|id| json!({ "Number": id })).collect::<Vec<_>>() });
        Mock::given(path("/v2/Accounts/AC1/Numbers"))
            .and(query_param("Results_Skip", (p * 3).to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(body)
                    .set_delay(delay(p)),
            )
            .mount(&server)
            .await;
    }
    Mock::given(path("/v2/Accounts/AC1/Numbers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "Numbers": [] })))
        .with_priority(10)
        .mount(&server)
        .await;
    let client = FoneDynamicsClient::builder()
        .base_url(server.uri())
        .basic_auth("AC1", "t")
        .build()
        .expect("client");
    let list = |n: usize| {
        client
            .list_account_numbers("AC1")
            .page_size(3)
            .concurrency(n)
            .items()
            .map_ok(|c| c.number.unwrap_or_default())
            .try_collect::<Vec<_>>()
    };
    let sequential = list(1).await.expect("sequential");
    let concurrent = list(4).await.expect("concurrent");
    assert_eq!(sequential.len(), PAGES * 3 - 1);
    assert_eq!(concurrent, sequential);
}
