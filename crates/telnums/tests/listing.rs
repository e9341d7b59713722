//! The facade's listing: the query's cap, page size and concurrency reach the provider,
//! pages are never empty, and `list_all` keeps going when one provider fails.
#![cfg(all(
    feature = "vonage-cc",
    feature = "webex-calling",
    feature = "fone-dynamics",
    feature = "apple-business",
    feature = "zoom-phone"
))]

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use telnums::fone_dynamics::{FoneDynamicsClient, Scope};
use telnums::zoom_phone::ZoomPhoneClient;
use telnums::{list, list_all, list_pages, Provider, Query, Source};
use wiremock::matchers::{path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCOUNT: &str = "AC0000000000000000000000000000000A";

/// Fails the test if `f` takes longer than 20 s (listings here take milliseconds).
async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .expect("finished within 20 s")
}

fn zoom_page(numbers: &[&str], next: &str) -> Value {
    json!({
        "next_page_token": next,
        "phone_numbers": numbers.iter().enumerate().map(|(i, n)| json!({ "id": format!("{n}-{i}"), "number": n })).collect::<Vec<_>>()
    })
}

/// Zoom pages `pages[i]`, each naming the next by token `t{i+1}`.
async fn zoom_server(pages: &[&[&str]]) -> MockServer {
    let server = MockServer::start().await;
    for (i, numbers) in pages.iter().enumerate() {
        let next = if i + 1 < pages.len() {
            format!("t{}", i + 1)
        } else {
            String::new()
        };
        let mock = Mock::given(path("/phone/numbers"));
        let mock = if i == 0 {
            mock.and(query_param_is_missing("next_page_token"))
        } else {
            mock.and(query_param("next_page_token", format!("t{i}")))
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(zoom_page(numbers, &next)))
            .mount(&server)
            .await;
    }
    server
}

fn zoom(server: &MockServer) -> Source {
    Source::ZoomPhone(
        ZoomPhoneClient::builder()
            .base_url(server.uri())
            .bearer_token("t")
            .build()
            .expect("client"),
    )
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// `max_items` stops the listing at the cap, and (without a client-side filter) no page
/// past the one that reaches it is requested.
#[tokio::test]
async fn max_items_caps_the_listing() {
    bounded(async {
        let a = "+12025550100";
        let server = zoom_server(&[&[a, a], &[a, a], &[a]]).await;
        let got: Vec<_> = list(zoom(&server), &Query::default().max_items(3))
            .try_collect()
            .await
            .expect("listing");
        assert_eq!(got.len(), 3);
        assert_eq!(requests(&server).await, 2, "no third page");
        let got: Vec<_> = list(zoom(&server), &Query::default().max_items(0))
            .try_collect()
            .await
            .expect("listing");
        assert!(got.is_empty());
    })
    .await;
}

/// With a client-side filter the cap counts matches, and pages without a match are
/// skipped: `list_pages` never yields an empty page.
#[tokio::test]
async fn filtered_pages_are_never_empty_and_the_cap_counts_matches() {
    bounded(async {
        let (a, b) = ("+12025550100", "+12025550199");
        let server = zoom_server(&[&[b, b], &[a, b], &[b, a, a]]).await;
        let pages: Vec<telnums::Page> =
            list_pages(zoom(&server), &Query::default().phone_number(a))
                .try_collect()
                .await
                .expect("listing");
        let sizes: Vec<usize> = pages.iter().map(|p| p.items.len()).collect();
        assert_eq!(sizes, [1, 2], "the first page had no match");
        assert!(pages
            .iter()
            .flat_map(|p| &p.items)
            .all(|n| n.number.as_deref() == Some(a)));
        assert!(pages.iter().all(|p| p.filtered), "a client-side filter");
        let got: Vec<_> = list(
            zoom(&server),
            &Query::default().phone_number(a).max_items(2),
        )
        .try_collect()
        .await
        .expect("listing");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].id.as_deref(), Some("+12025550100-0"));
        assert_eq!(got[1].id.as_deref(), Some("+12025550100-1"));
    })
    .await;
}

/// How a filtered listing that reaches its cap says it ended: capped when matches were
/// left behind, complete when the cap took the last match of the last page.
#[tokio::test]
async fn a_filtered_listing_that_reaches_its_cap_says_whether_it_left_matches() {
    bounded(async {
        const A: &str = "+12025550100";
        const B: &str = "+12025550199";
        // The one match the cap of 1 takes, and how the listing says it ended.
        let listed = |pages: &'static [&'static [&'static str]]| async move {
            let server = zoom_server(pages).await;
            let pages: Vec<telnums::Page> = list_pages(
                zoom(&server),
                &Query::default().phone_number(A).max_items(1),
            )
            .try_collect()
            .await
            .expect("listing");
            let count: usize = pages.iter().map(|p| p.items.len()).sum();
            (count, pages.last().and_then(|p| p.end))
        };
        assert_eq!(
            listed(&[&[B], &[A, B]]).await,
            (1, Some(telnums::End::Complete)),
            "nothing left behind"
        );
        assert_eq!(
            listed(&[&[B], &[A, A]]).await,
            (1, Some(telnums::End::Capped)),
            "a match left behind"
        );
    })
    .await;
}

#[test]
fn a_query_keeps_its_page_size_and_each_providers_own_filters() {
    let query = Query::default()
        .page_size(7)
        .filter(Provider::ZoomPhone, "type", "assigned")
        .expect("a Zoom filter");
    assert_eq!(query.page_size, Some(7));
    assert!(query.filters(Provider::ZoomPhone).is_some());
    assert!(
        query.filters(Provider::WebexCalling).is_none(),
        "Zoom's filters are not Webex's"
    );
}

/// A Fone Dynamics server that sends three numbers where two were asked for, then short
/// pages: the listing continues after what was sent (`Results_Skip=3`, then `4`, empty),
/// whatever the concurrency; with pages in flight it also asks ahead at the step the
/// first page showed (`6`, …), which shows the concurrency reached the provider.
async fn fone_server() -> MockServer {
    let server = MockServer::start().await;
    for (skip, numbers) in [(0, 3), (2, 1), (3, 1)] {
        let body: Vec<Value> = (0..numbers)
            .map(|i| json!({ "Number": format!("+6125550{skip}{i:03}") }))
            .collect();
        // The second page answers late, so the pages asked for ahead while it is
        // awaited surely reach the server before they are dropped.
        let delay = std::time::Duration::from_millis(if skip == 3 { 300 } else { 0 });
        Mock::given(path(format!("/v2/Accounts/{ACCOUNT}/Numbers")))
            .and(query_param("Results_Skip", skip.to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "Numbers": body }))
                    .set_delay(delay),
            )
            .mount(&server)
            .await;
    }
    // Past the end (asked for ahead of time).
    Mock::given(path(format!("/v2/Accounts/{ACCOUNT}/Numbers")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "Numbers": [] })))
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

fn fone(server: &MockServer) -> Source {
    Source::FoneDynamics {
        client: FoneDynamicsClient::builder()
            .base_url(server.uri())
            .basic_auth(ACCOUNT, "t")
            .build()
            .expect("client"),
        scope: Scope::Account(ACCOUNT.to_owned()),
    }
}

/// The query's page size reaches the provider on every request, and so does its
/// concurrency: one at a time (or 0, taken as 1) asks only for the pages the server's
/// answers lead to, the default also asks ahead; both list the same four numbers.
#[tokio::test]
async fn page_size_and_concurrency_reach_the_provider() {
    bounded(async {
        for (query, one_at_a_time) in [
            (Query::default().page_size(2).concurrency(1), true),
            (Query::default().page_size(2).concurrency(0), true),
            (Query::default().page_size(2), false),
        ] {
            let server = fone_server().await;
            let got: Vec<_> = list(fone(&server), &query)
                .try_collect()
                .await
                .expect("listing");
            assert_eq!(got.len(), 4, "{query:?}");
            let sent = server.received_requests().await.expect("recorded");
            let skips: Vec<String> = sent
                .iter()
                .map(|r| {
                    assert!(
                        r.url.query().is_some_and(|q| q.contains("Results_Count=2")),
                        "{query:?}: {}",
                        r.url
                    );
                    r.url
                        .query_pairs()
                        .find(|(k, _)| k == "Results_Skip")
                        .map(|(_, v)| v.into_owned())
                        .unwrap_or_default()
                })
                .collect();
            let ids: Vec<_> = got.iter().filter_map(|n| n.number.clone()).collect();
            assert_eq!(
                ids,
                [
                    "+61255500000",
                    "+61255500001",
                    "+61255500002",
                    "+61255503000"
                ],
                "{query:?}"
            );
            if one_at_a_time {
                assert_eq!(skips, ["0", "3", "4"], "{query:?}");
            } else {
                assert!(
                    skips.contains(&"6".to_owned()) && !skips.contains(&"2".to_owned()),
                    "{query:?}: {skips:?}"
                );
            }
        }
    })
    .await;
}

/// Several sources at once: each record names its provider, and one provider's error
/// ends only its own part.
#[tokio::test]
async fn list_all_keeps_going_when_one_fails() {
    bounded(async {
        let a = "+12025550100";
        let zoom_server = zoom_server(&[&[a], &[a]]).await;
        let failing = MockServer::start().await;
        Mock::given(path(format!("/v2/Accounts/{ACCOUNT}/Numbers")))
            .respond_with(ResponseTemplate::new(403).set_body_json(json!({
                "ResponseStatus": { "ErrorCode": "Forbidden", "Message": "No" }
            })))
            .mount(&failing)
            .await;
        let results: Vec<_> = list_all(vec![fone(&failing), zoom(&zoom_server)], &Query::default())
            .collect()
            .await;
        let numbers: Vec<&telnums::PhoneNumber> =
            results.iter().filter_map(|r| r.as_ref().ok()).collect();
        let errors: Vec<&telnums::Error> =
            results.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(numbers.len(), 2);
        assert!(numbers.iter().all(|n| n.provider == Provider::ZoomPhone));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].provider(), "fone-dynamics");
        assert_eq!(errors[0].status().map(|s| s.as_u16()), Some(403));
    })
    .await;
}

/// Fone Dynamics' location is its city, region and country, blanks left out, with the
/// property as its id.
#[tokio::test]
async fn fone_location_leaves_out_blank_parts() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(path(format!("/v2/Accounts/{ACCOUNT}/Numbers")))
            .and(query_param("Results_Skip", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "Numbers": [] })))
            .mount(&server)
            .await;
        Mock::given(path(format!("/v2/Accounts/{ACCOUNT}/Numbers")))
            .and(query_param("Results_Skip", "0"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "Numbers": [
                { "Number": "+61255501234", "City": "", "Region": "NSW", "CountryCode": "AU", "PropertySid": "PR1" },
                { "Number": "+61255501235", "City": "", "PropertySid": "PR1" }
            ]})))
            .mount(&server)
            .await;
        let got: Vec<_> = list(fone(&server), &Query::default())
            .try_collect()
            .await
            .expect("listing");
        let location = got[0].location.as_ref().expect("location");
        assert_eq!(location.name.as_deref(), Some("NSW, AU"));
        assert_eq!(location.id.as_deref(), Some("PR1"));
        assert_eq!(got[1].location, None, "nothing but blanks: no location");
    })
    .await;
}
