//! The `next_page_token` rule of `GET /phone/numbers`: the token of the next page, until
//! the server sends none (or a blank one).

use telnums_core::filter::FilterTable;
use telnums_core::listing::{Fetched, PageRequest, PageSizes, Paging};
use telnums_core::{Error, Listing, Response};

use crate::{filters, query, types, ZoomPhoneClient};

/// Largest `page_size` Zoom accepts; the default here.
pub const MAX_PAGE_SIZE: u32 = 100;

/// A listing of Zoom Phone numbers (see [`Listing`]): typed parameters with
/// [`query`](Listing::query) (a [`ListQuery`](crate::ListQuery)), or [`Filters`] checked
/// against [`FILTERS`](crate::FILTERS). A `next_page_token` expires after 15 minutes, so
/// consume the stream without long pauses.
///
/// [`Filters`]: telnums_core::filter::Filters
pub type ListPhoneNumbers = Listing<PhoneNumbers>;

/// Zoom's part of [`ListPhoneNumbers`]: pages by `next_page_token`, the first without
/// one.
#[derive(Clone, Debug)]
pub struct PhoneNumbers {
    client: ZoomPhoneClient,
}

impl PhoneNumbers {
    pub(crate) fn new(client: ZoomPhoneClient) -> Self {
        Self { client }
    }
}

impl Paging for PhoneNumbers {
    type Item = types::ZoomPhoneNumber;
    type Body = types::ZoomPhoneNumberList;
    /// `None` for the first page, then the server's `next_page_token`.
    type Position = Option<String>;
    type Query = query::ListQuery;

    const FILTERS: &'static FilterTable = &filters::FILTERS;
    const PAGE_SIZES: PageSizes = PageSizes::up_to(MAX_PAGE_SIZE);

    fn first(&self) -> Option<String> {
        None
    }

    async fn fetch(
        &self,
        at: &Option<String>,
        request: &PageRequest<'_, query::ListQuery>,
    ) -> Result<Response<types::ZoomPhoneNumberList>, Error> {
        let builder =
            query::apply_list_phone_numbers(self.client.raw().list_phone_numbers(), request.query);
        let mut builder = filters::apply_list_phone_numbers(builder, request.filters)?;
        if let Some(size) = request.size {
            builder = builder.page_size(size);
        }
        if let Some(token) = at {
            builder = builder.next_page_token(token.clone());
        }
        self.client
            .runtime()
            .send("list_phone_numbers", || builder.clone().send())
            .await
    }

    fn read(
        &self,
        _at: &Option<String>,
        _asked: Option<u32>,
        page: Response<types::ZoomPhoneNumberList>,
    ) -> Fetched<Option<String>, types::ZoomPhoneNumber> {
        let page = page.into_inner();
        let total = page.total_records.and_then(|n| u64::try_from(n).ok());
        Fetched::new(
            page.phone_numbers,
            next_token(page.next_page_token).map(Some),
        )
        .reported_total(total)
    }
}

/// The token of the next page: `next_page_token` unless it is missing or blank (the
/// last page).
#[doc(hidden)]
pub fn next_token(next_page_token: Option<String>) -> Option<String> {
    next_page_token.filter(|t| !t.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wiremock::matchers::{path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    #[test]
    fn a_blank_or_missing_token_is_the_end() {
        assert_eq!(next_token(Some("p2".into())), Some("p2".into()));
        assert_eq!(next_token(Some(" ".into())), None);
        assert_eq!(next_token(Some(String::new())), None);
        assert_eq!(next_token(None), None);
    }

    /// The first page without a token, the next with the one it named, until a blank
    /// one; pages name the provider and carry `total_records`. Any other request gets
    /// the mock's 404 and fails the listing.
    #[tokio::test]
    async fn pages_follow_next_page_token() {
        let server = MockServer::start().await;
        let page = |numbers: &[&str], next: &str| {
            ResponseTemplate::new(200).set_body_json(json!({
                "phone_numbers": numbers.iter().map(|n| json!({ "id": n, "number": n })).collect::<Vec<_>>(),
                "next_page_token": next,
                "total_records": 3
            }))
        };
        Mock::given(path("/phone/numbers"))
            .and(query_param("next_page_token", "p2"))
            .respond_with(page(&["+12055550103"], ""))
            .mount(&server)
            .await;
        Mock::given(path("/phone/numbers"))
            .and(query_param_is_missing("next_page_token"))
            .respond_with(page(&["+12055550101", "+12055550102"], "p2"))
            .mount(&server)
            .await;
        let client = ZoomPhoneClient::builder()
            .base_url(server.uri())
            .bearer_token("t")
            .build()
            .expect("client");
        let mut pages = client.list_phone_numbers().pages();
        let mut numbers = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.expect("page");
            assert_eq!(page.provider, "zoom-phone");
            assert_eq!(page.reported_total, Some(3));
            numbers.extend(page.items.into_iter().filter_map(|n| n.number));
        }
        assert_eq!(numbers, ["+12055550101", "+12055550102", "+12055550103"]);
    }
}
