//! The `Results_Skip` rule of the account and property listings: the next page starts
//! after the entries received, and the listing ends on an empty page. The API gives no
//! other continuation, and a page shorter than asked may only mean the server answers
//! fewer entries per request than documented, so a short page is not the end. Also the
//! normalisation of wrapped and bare bodies.

use telnums_core::filter::FilterTable;
use telnums_core::listing::{Fetched, PageRequest, PageSizes, Paging};
use telnums_core::{Error, Listing, Response};

use crate::{filters, query, types, FoneDynamicsClient};

/// Largest `Results_Count` the API returns; the default page size.
pub const MAX_PAGE_SIZE: u32 = 200;

/// Whose numbers a listing covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every number of the account with this SID.
    Account(String),
    /// The numbers linked to the property with this SID.
    Property(String),
}

/// A listing of numbers (see [`Listing`]): typed `Type` and capability filters with
/// [`query`](Listing::query) (a [`ListQuery`](crate::ListQuery)), or [`Filters`] checked
/// against [`FILTERS`](crate::FILTERS). With [`concurrency`](Listing::concurrency) above
/// 1, pages are requested ahead at the offsets the server's own page size suggests.
///
/// [`Filters`]: telnums_core::filter::Filters
pub type ListNumbers = Listing<Numbers>;

/// Fone Dynamics' part of [`ListNumbers`]: pages by `Results_Skip` offset within a
/// [`Scope`].
#[derive(Clone, Debug)]
pub struct Numbers {
    client: FoneDynamicsClient,
    scope: Scope,
}

impl Numbers {
    pub(crate) fn new(client: FoneDynamicsClient, scope: Scope) -> Self {
        Self { client, scope }
    }

    /// Whose numbers are listed.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }
}

impl Paging for Numbers {
    type Item = types::FoneNumber;
    type Body = Vec<types::FoneNumber>;
    /// The `Results_Skip` offset.
    type Position = u32;
    type Query = query::ListQuery;

    const FILTERS: &'static FilterTable = &filters::FILTERS;
    const PAGE_SIZES: PageSizes = PageSizes::up_to(MAX_PAGE_SIZE);

    fn first(&self) -> u32 {
        0
    }

    async fn fetch(
        &self,
        at: &u32,
        request: &PageRequest<'_, query::ListQuery>,
    ) -> Result<Response<Vec<types::FoneNumber>>, Error> {
        let skip = i32::try_from(*at).unwrap_or(i32::MAX);
        let runtime = self.client.runtime();
        let raw = self.client.raw();
        // The two list operations take the same query; only the path parameter differs.
        macro_rules! send {
            ($operation:literal, $builder:expr, $query:path, $filters:path) => {{
                let b = $query($builder, request.query);
                let mut b = $filters(b, request.filters)?.results_skip(skip);
                if let Some(size) = request.size {
                    b = b.results_count(size);
                }
                runtime.send($operation, || b.clone().send()).await?
            }};
        }
        let response = match &self.scope {
            Scope::Account(sid) => send!(
                "list_account_numbers",
                raw.list_account_numbers().account_sid(sid.clone()),
                query::apply_list_account_numbers,
                filters::apply_list_account_numbers
            ),
            Scope::Property(sid) => send!(
                "list_property_numbers",
                raw.list_property_numbers().property_sid(sid.clone()),
                query::apply_list_property_numbers,
                filters::apply_list_property_numbers
            ),
        };
        Ok(response.map(list))
    }

    fn read(
        &self,
        at: &u32,
        _asked: Option<u32>,
        page: Response<Vec<types::FoneNumber>>,
    ) -> Fetched<u32, types::FoneNumber> {
        let items = page.into_inner();
        let next = next_skip(*at, items.len());
        Fetched::new(items, next)
    }

    fn after(&self, before: &u32, at: &u32) -> Option<u32> {
        let step = at.checked_sub(*before).filter(|s| *s > 0)?;
        at.checked_add(step)
    }

    fn identify(&self, items: &[types::FoneNumber]) -> Option<String> {
        let n =
            |x: Option<&types::FoneNumber>| x.and_then(|n| n.number.clone()).unwrap_or_default();
        Some(format!("{}..{}", n(items.first()), n(items.last())))
    }
}

/// The offset after a page at `skip` that held `count` numbers; `None` after an empty
/// page (the end) or past the largest offset.
#[doc(hidden)]
pub fn next_skip(skip: u32, count: usize) -> Option<u32> {
    let count = u32::try_from(count).ok().filter(|c| *c > 0)?;
    skip.checked_add(count)
}

/// The numbers of a list body, wrapped or bare.
pub(crate) fn list(body: types::FoneNumberListResponse) -> Vec<types::FoneNumber> {
    match body {
        types::FoneNumberListResponse::FoneNumberListEnvelope(e) => e.numbers,
        types::FoneNumberListResponse::Array(numbers) => numbers,
    }
}

/// The number of a single-number body, wrapped or bare.
pub(crate) fn single(body: types::FoneNumberResponse) -> types::FoneNumber {
    match body {
        types::FoneNumberResponse::Variant0(e) => e.number,
        types::FoneNumberResponse::Variant1(n) => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_page_starts_after_the_entries_received() {
        assert_eq!(next_skip(0, 200), Some(200));
        // A page shorter than asked (a server cap) is not the end.
        assert_eq!(next_skip(200, 50), Some(250));
        assert_eq!(next_skip(250, 0), None);
        assert_eq!(next_skip(u32::MAX - 1, 1), Some(u32::MAX));
        assert_eq!(next_skip(u32::MAX, 1), None);
    }
}

#[cfg(test)]
mod listing_tests {
    use std::time::Duration;

    use super::*;
    use serde_json::json;
    use telnums_core::ErrorKind;
    use wiremock::matchers::{path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn client(base: &str) -> FoneDynamicsClient {
        FoneDynamicsClient::builder()
            .base_url(base)
            .basic_auth("AC1", "t")
            .build()
            .expect("client")
    }

    fn numbers(numbers: &[&str]) -> Vec<serde_json::Value> {
        numbers.iter().map(|n| json!({ "Number": n })).collect()
    }

    #[test]
    fn offsets_start_at_zero_and_are_guessed_from_the_step() {
        let paging = Numbers::new(client("http://127.0.0.1:9"), Scope::Account("AC1".into()));
        assert_eq!(<Numbers as Paging>::FILTERS.provider, "fone-dynamics");
        assert_eq!(paging.first(), 0);
        assert_eq!(paging.after(&0, &50), Some(100));
        assert_eq!(paging.after(&100, &150), Some(200));
        assert_eq!(paging.after(&50, &50), None);
        assert_eq!(paging.after(&0, &u32::MAX), None);
    }

    /// Pages by `Results_Skip` from 0, wrapped and bare bodies alike, a page shorter
    /// than asked, and the empty page that ends it; any other request gets the mock's
    /// 404.
    #[tokio::test]
    async fn pages_are_read_by_offset_until_an_empty_page() {
        let server = MockServer::start().await;
        let list = "/v2/Accounts/AC1/Numbers";
        let at = |skip: &str| Mock::given(path(list)).and(query_param("Results_Skip", skip));
        at("0")
            .respond_with(
                ResponseTemplate::new(200).set_body_json(
                    json!({ "Numbers": numbers(&["+61255500001", "+61255500002"]) }),
                ),
            )
            .mount(&server)
            .await;
        at("2")
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!(numbers(&["+61255500003"]))),
            )
            .mount(&server)
            .await;
        at("3")
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "Numbers": [] })))
            .mount(&server)
            .await;
        let mut pages = client(&server.uri())
            .list_account_numbers("AC1")
            .page_size(2)
            .pages();
        let mut got = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.expect("page");
            assert_eq!(page.provider, "fone-dynamics");
            got.extend(page.items.into_iter().filter_map(|n| n.number));
        }
        assert_eq!(got, ["+61255500001", "+61255500002", "+61255500003"]);
    }

    /// A server that answers every offset with the same page: the loop guard stops it.
    #[tokio::test]
    async fn a_server_that_ignores_the_offset_is_a_loop_error() {
        let server = MockServer::start().await;
        Mock::given(path("/v2/Accounts/AC1/Numbers"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "Numbers": numbers(&["+61255500001", "+61255500002"])
            })))
            .mount(&server)
            .await;
        let mut items = client(&server.uri())
            .list_account_numbers("AC1")
            .page_size(2)
            .items();
        let err = tokio::time::timeout(Duration::from_secs(10), async move {
            loop {
                match items.next().await {
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return e,
                    None => panic!("a listing that never ends ended"),
                }
            }
        })
        .await
        .expect("the guard ends the listing");
        assert!(
            matches!(err.kind(), ErrorKind::PaginationLoop { .. }),
            "{err}"
        );
    }

    #[test]
    fn single_number_bodies_wrapped_or_bare() {
        let wrapped: types::FoneNumberResponse =
            serde_json::from_value(json!({ "Number": { "Number": "+61255500001" } }))
                .expect("wrapped");
        assert_eq!(single(wrapped).number.as_deref(), Some("+61255500001"));
        let bare: types::FoneNumberResponse =
            serde_json::from_value(json!({ "Number": "+61255500002" })).expect("bare");
        assert_eq!(single(bare).number.as_deref(), Some("+61255500002"));
    }
}
