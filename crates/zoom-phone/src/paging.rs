//! `next_page_token` pagination over `GET /phone/numbers`.

use std::sync::Arc;

use futures::Stream;
use telnums_core::filter::Filters;
use telnums_core::paginate::{self, Page};
use telnums_core::{Error, Limits, Provider, Response};

use crate::{builder, filters, types, ZoomPhoneClient};

/// Largest `page_size` Zoom accepts; the default here.
pub const MAX_PAGE_SIZE: u32 = 100;

type Query = Arc<
    dyn for<'b> Fn(builder::ListPhoneNumbers<'b>) -> builder::ListPhoneNumbers<'b> + Send + Sync,
>;

/// A listing of Zoom Phone numbers: set filters with [`ListPhoneNumbers::query`] (typed)
/// or [`ListPhoneNumbers::filters`] (checked against [`FILTERS`](crate::FILTERS)), then
/// fetch one page or stream every item. A `next_page_token` expires after 15 minutes,
/// so consume the stream without long pauses.
#[derive(Clone)]
#[must_use = "a listing does nothing until you call `page`, `pages` or `items`"]
pub struct ListPhoneNumbers {
    client: ZoomPhoneClient,
    query: Query,
    filters: Filters,
    page_size: u32,
    limits: Limits,
}

telnums_core::listing_methods!(ListPhoneNumbers, ListPhoneNumbers);

impl ListPhoneNumbers {
    pub(crate) fn new(client: ZoomPhoneClient) -> Self {
        Self {
            client,
            query: Arc::new(|b| b),
            filters: Filters::new(&crate::FILTERS),
            page_size: MAX_PAGE_SIZE,
            limits: Limits::default(),
        }
    }

    /// Sets filters checked against [`FILTERS`](crate::FILTERS), replacing any set
    /// before. They are applied after those of [`query`](Self::query), so they win where
    /// both set a parameter.
    pub fn filters(mut self, filters: Filters) -> Self {
        self.filters = filters;
        self
    }

    /// Items per page, 1 to 100 (default 100); other values are clamped to that range.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.clamp(1, MAX_PAGE_SIZE);
        self
    }

    /// Fetches the page for `token` (`None` for the first), with its headers.
    pub async fn page(
        &self,
        token: Option<&str>,
    ) -> Result<Response<types::ZoomPhoneNumberList>, Error> {
        let builder = (self.query)(self.client.raw().list_phone_numbers());
        let mut builder =
            filters::apply_list_phone_numbers(builder, &self.filters)?.page_size(self.page_size);
        if let Some(token) = token {
            builder = builder.next_page_token(token.to_owned());
        }
        self.client
            .runtime()
            .send("list_phone_numbers", || builder.clone().send())
            .await
    }

    /// Streams pages until `next_page_token` comes back empty or missing.
    pub fn pages(self) -> impl Stream<Item = Result<Vec<types::ZoomPhoneNumber>, Error>> + Send {
        let limits = self.limits;
        paginate::pages(
            ZoomPhoneClient::INFO.key,
            String::new(),
            limits,
            move |token| {
                let this = self.clone();
                async move {
                    let token = (!token.is_empty()).then_some(token);
                    let page = this.page(token.as_deref()).await?.into_inner();
                    let next = next_token(page.next_page_token);
                    Ok(Page {
                        items: page.phone_numbers,
                        next,
                    })
                }
            },
        )
    }

    /// Streams every phone number across all pages.
    pub fn items(self) -> impl Stream<Item = Result<types::ZoomPhoneNumber, Error>> + Send {
        let limits = self.limits;
        paginate::items(self.pages(), limits)
    }
}

/// The token of the next page: `next_page_token` unless it is missing or blank (the
/// last page).
#[doc(hidden)]
pub fn next_token(next_page_token: Option<String>) -> Option<String> {
    next_page_token.filter(|t| !t.trim().is_empty())
}
