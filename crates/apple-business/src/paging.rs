//! Cursor pagination over the caller-IDs listing. Every page goes through the generated
//! operation, later ones with `after` set to the previous page's
//! `pagination.cursors.after`; only when a page names no cursor is its `pagination.next`
//! link followed instead (a URL relative to the host, refused if it leads to another
//! host, since the request carries the client's credentials).

use futures::Stream;
use telnums_core::filter::Filters;
use telnums_core::paginate::{self, Page};
use telnums_core::{Error, ErrorKind, Limits, Provider, Response};

use crate::{filters, types, AppleBusinessClient, Ql};

/// Where a page comes from.
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cursor {
    /// The first page.
    First,
    /// The page after this `pagination.cursors.after`.
    After(String),
    /// The page at this `pagination.next` link.
    Next(String),
}

/// Where the page after one with this `pagination` comes from: its `cursors.after` when
/// it names one, else its `next` link, else nowhere (the last page). Blank values count
/// as absent.
#[doc(hidden)]
pub fn next_cursor(pagination: Option<types::AppleCallerIdPagination>) -> Option<Cursor> {
    let p = pagination?;
    let after = p.cursors.and_then(|c| c.after);
    let present = |s: &String| !s.trim().is_empty();
    match (after.filter(present), p.next.filter(present)) {
        (Some(after), _) => Some(Cursor::After(after)),
        (None, Some(next)) => Some(Cursor::Next(next)),
        (None, None) => None,
    }
}

/// The URL of a `pagination.next` value, resolved against the client's base URL, or a
/// decode error naming it. Whether it may be followed (same origin) is the runtime's
/// check, made before anything is sent.
#[doc(hidden)]
pub fn next_url(base: &url::Url, next: &str) -> Result<url::Url, Error> {
    base.join(next).map_err(|e| {
        Error::new(
            AppleBusinessClient::INFO.key,
            ErrorKind::Decode {
                path: "pagination.next".into(),
            },
        )
        .with_message(format!("`{next}` is not a usable URL: {e}"))
    })
}

/// A listing of caller IDs for one organisation and brand.
#[derive(Clone, Debug)]
#[must_use = "a listing does nothing until you call `page`, `pages` or `items`"]
pub struct ListCallerIds {
    client: AppleBusinessClient,
    org_id: String,
    brand_id: String,
    ql: Ql,
    filters: Filters,
    page_size: Option<u32>,
    limits: Limits,
}

impl ListCallerIds {
    pub(crate) fn new(client: AppleBusinessClient, org_id: String, brand_id: String) -> Self {
        Self {
            client,
            org_id,
            brand_id,
            ql: Ql::new(),
            filters: Filters::new(&crate::FILTERS),
            page_size: None,
            limits: Limits::default(),
        }
    }

    /// Filters with a `ql` expression (replacing one set before with this method).
    pub fn ql(mut self, ql: Ql) -> Self {
        self.ql = ql;
        self
    }
    /// Sets filters checked against [`FILTERS`](crate::FILTERS) (its `ql` row takes
    /// one clause per item), replacing any set before. Their `ql` clauses and those of
    /// [`ql`](Self::ql) all apply: they are joined with `;`.
    pub fn filters(mut self, filters: Filters) -> Self {
        self.filters = filters;
        self
    }
    /// Items per page (`limit`, at least 1: 0 is taken as 1; the server's default when
    /// unset).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size.max(1));
        self
    }
    /// Stop after `n` items.
    pub fn max_items(mut self, n: u64) -> Self {
        self.limits.max_items = Some(n);
        self
    }
    /// Stop after `n` pages.
    pub fn max_pages(mut self, n: u64) -> Self {
        self.limits.max_pages = Some(n);
        self
    }

    /// Fetches the first page, with its headers.
    pub async fn first_page(&self) -> Result<Response<types::AppleCallerIdList>, Error> {
        self.page(None).await
    }

    /// Fetches the page after `cursor`, a `pagination.cursors.after` value, with the same
    /// `ql` and page size.
    pub async fn page_after(
        &self,
        cursor: &str,
    ) -> Result<Response<types::AppleCallerIdList>, Error> {
        self.page(Some(cursor)).await
    }

    async fn page(&self, after: Option<&str>) -> Result<Response<types::AppleCallerIdList>, Error> {
        self.ql.validate().map_err(|m| {
            Error::new(AppleBusinessClient::INFO.key, ErrorKind::InvalidRequest).with_message(m)
        })?;
        let builder = self
            .client
            .raw()
            .list_caller_ids()
            .org_id(self.org_id.clone())
            .brand_id(self.brand_id.clone());
        let mut builder = filters::apply_list_caller_ids(builder, &self.filters)?;
        if !self.ql.is_empty() {
            let ql = match self.filters.get("ql") {
                Some(clauses) => format!("{clauses};{}", self.ql),
                None => self.ql.to_string(),
            };
            builder = builder.ql(ql);
        }
        if let Some(size) = self.page_size {
            builder = builder.limit(size);
        }
        if let Some(cursor) = after {
            builder = builder.after(cursor.to_owned());
        }
        self.client
            .runtime()
            .send("list_caller_ids", || builder.clone().send())
            .await
    }

    /// Fetches the page at `next`, a `pagination.next` value (relative, or absolute on
    /// the client's own host), with the same credentials and retries. A link to any other
    /// origin is refused with [`ErrorKind::InvalidRequest`].
    pub async fn next_page(&self, next: &str) -> Result<Response<types::AppleCallerIdList>, Error> {
        let runtime = self.client.runtime();
        let url = next_url(runtime.base_url(), next)?;
        runtime
            .get_json::<types::AppleCallerIdList, types::Error>("list_caller_ids", url)
            .await
    }

    /// Streams pages until a response names neither a cursor nor a next link.
    pub fn pages(self) -> impl Stream<Item = Result<Vec<types::AppleCallerId>, Error>> + Send {
        let limits = self.limits;
        paginate::pages(
            AppleBusinessClient::INFO.key,
            Cursor::First,
            limits,
            move |cursor| {
                let this = self.clone();
                async move {
                    let page = match &cursor {
                        Cursor::First => this.first_page().await?,
                        Cursor::After(after) => this.page_after(after).await?,
                        Cursor::Next(next) => this.next_page(next).await?,
                    }
                    .into_inner();
                    let next = next_cursor(page.pagination);
                    Ok(Page {
                        items: page.data,
                        next,
                    })
                }
            },
        )
    }

    /// Streams every caller ID across all pages.
    pub fn items(self) -> impl Stream<Item = Result<types::AppleCallerId, Error>> + Send {
        let limits = self.limits;
        paginate::items(self.pages(), limits)
    }
}
