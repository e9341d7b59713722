//! The `next_page_token` rule of `GET /phone/numbers`: the token of the next page, until
//! the server sends none (or a blank one).

use telnums_core::filter::FilterTable;
use telnums_core::listing::{Fetched, PageRequest, PageSizes, Paging};
use telnums_core::{Error, Listing, Provider, Response};

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

    fn provider(&self) -> &'static str {
        ZoomPhoneClient::INFO.key
    }

    fn filter_table(&self) -> &'static FilterTable {
        &filters::FILTERS
    }

    fn page_sizes(&self) -> PageSizes {
        PageSizes {
            default: Some(MAX_PAGE_SIZE),
            max: Some(MAX_PAGE_SIZE),
        }
    }

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
