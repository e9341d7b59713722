//! The cursor rule of the caller-IDs listing: the page after one that names
//! `pagination.cursors.after` is fetched through the generated operation with `after`
//! set; only when a page names no cursor is its `pagination.next` link followed instead
//! (a URL relative to the host, refused if it leads to another origin, since the request
//! carries the client's credentials). A page naming neither (`{}`) is the last.

use telnums_core::filter::FilterTable;
use telnums_core::listing::{Fetched, PageRequest, PageSizes, Paging};
use telnums_core::{Error, ErrorKind, Listing, ProviderClient, Response};

use crate::{filters, query, types, AppleBusinessClient};

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

/// A listing of caller IDs for one organisation and brand (see [`Listing`]): a `ql`
/// expression with [`query`](Listing::query) (`|q| q.ql(Ql::new()…)`), or [`Filters`]
/// checked against [`FILTERS`](crate::FILTERS) (their `ql` clauses and the typed one all
/// apply, joined with `;`).
///
/// [`Filters`]: telnums_core::filter::Filters
pub type ListCallerIds = Listing<CallerIds>;

/// Apple's part of [`ListCallerIds`]: pages by cursor within one organisation and brand.
#[derive(Clone, Debug)]
pub struct CallerIds {
    client: AppleBusinessClient,
    org_id: String,
    brand_id: String,
}

impl CallerIds {
    pub(crate) fn new(client: AppleBusinessClient, org_id: String, brand_id: String) -> Self {
        Self {
            client,
            org_id,
            brand_id,
        }
    }

    async fn operation(
        &self,
        after: Option<&str>,
        request: &PageRequest<'_, query::ListQuery>,
    ) -> Result<Response<types::AppleCallerIdList>, Error> {
        let mut typed = request.query.clone();
        let ql = typed.ql.take().filter(|ql| !ql.is_empty());
        if let Some(ql) = &ql {
            ql.validate().map_err(|m| {
                Error::new(AppleBusinessClient::INFO.key, ErrorKind::InvalidRequest).with_message(m)
            })?;
        }
        let builder = self
            .client
            .raw()
            .list_caller_ids()
            .org_id(self.org_id.clone())
            .brand_id(self.brand_id.clone());
        let builder = query::apply_list_caller_ids(builder, &typed);
        let mut builder = filters::apply_list_caller_ids(builder, request.filters)?;
        if let Some(ql) = ql {
            let ql = match request.filters.get("ql") {
                Some(clauses) => format!("{clauses};{ql}"),
                None => ql.to_string(),
            };
            builder = builder.ql(ql);
        }
        if let Some(size) = request.size {
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
    /// the client's own origin), with the same credentials and retries. A link to any
    /// other origin is refused with [`ErrorKind::InvalidRequest`].
    pub async fn next_page(&self, next: &str) -> Result<Response<types::AppleCallerIdList>, Error> {
        let runtime = self.client.runtime();
        let url = next_url(runtime.base_url(), next)?;
        runtime
            .get_json::<types::AppleCallerIdList, types::Error>("list_caller_ids", url)
            .await
    }
}

impl Paging for CallerIds {
    type Item = types::AppleCallerId;
    type Body = types::AppleCallerIdList;
    type Position = Cursor;
    type Query = query::ListQuery;

    const FILTERS: &'static FilterTable = &filters::FILTERS;
    // The API documents no page size; the server picks one when none is sent.
    const PAGE_SIZES: PageSizes = PageSizes {
        default: None,
        max: None,
    };

    fn first(&self) -> Cursor {
        Cursor::First
    }

    async fn fetch(
        &self,
        at: &Cursor,
        request: &PageRequest<'_, query::ListQuery>,
    ) -> Result<Response<types::AppleCallerIdList>, Error> {
        match at {
            Cursor::First => self.operation(None, request).await,
            Cursor::After(after) => self.operation(Some(after), request).await,
            Cursor::Next(next) => self.next_page(next).await,
        }
    }

    fn read(
        &self,
        _at: &Cursor,
        _asked: Option<u32>,
        page: Response<types::AppleCallerIdList>,
    ) -> Fetched<Cursor, types::AppleCallerId> {
        let page = page.into_inner();
        let total = u64::try_from(page.total).ok();
        Fetched::new(page.data, next_cursor(page.pagination)).reported_total(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wiremock::matchers::{path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn pagination(
        after: Option<&str>,
        next: Option<&str>,
    ) -> Option<types::AppleCallerIdPagination> {
        serde_json::from_value(json!({ "cursors": { "after": after }, "next": next })).ok()
    }

    #[test]
    fn the_cursor_comes_from_after_then_next_and_blank_is_absent() {
        assert_eq!(next_cursor(None), None);
        assert_eq!(
            next_cursor(pagination(Some("c2"), Some("/x?after=c2"))),
            Some(Cursor::After("c2".into()))
        );
        assert_eq!(
            next_cursor(pagination(Some(" "), Some("/x?after=c3"))),
            Some(Cursor::Next("/x?after=c3".into()))
        );
        assert_eq!(next_cursor(pagination(None, Some(""))), None);
        assert_eq!(next_cursor(pagination(None, None)), None);
    }

    /// The first page without a cursor (and the typed `ql`), the next at the
    /// `cursors.after` it named, until a page names none; pages name the provider and
    /// carry `total`. Any other request gets the mock's 404 and fails the listing.
    #[tokio::test]
    async fn pages_follow_the_cursor() {
        let server = MockServer::start().await;
        let list = "/api/v1/orgs/O1/brands/B1/caller-ids";
        let page = |ids: &[&str], after: Option<&str>| {
            ResponseTemplate::new(200).set_body_json(json!({
                "data": ids.iter().map(|id| json!({
                    "orgId": "O1", "brandId": "B1", "id": id,
                    "createdDate": "2026-10-02T11:41:00Z", "updatedDate": "2026-10-11T18:34:00Z",
                    "state": "PUBLISHED", "etag": "e",
                    "callerIdDetails": { "phoneNumber": "+18005550100" }
                })).collect::<Vec<_>>(),
                "pagination": { "cursors": { "after": after } },
                "total": 3
            }))
        };
        Mock::given(path(list))
            .and(query_param("ql", "state==PUBLISHED"))
            .and(query_param("after", "c2"))
            .respond_with(page(&["c-3"], None))
            .mount(&server)
            .await;
        Mock::given(path(list))
            .and(query_param("ql", "state==PUBLISHED"))
            .and(query_param_is_missing("after"))
            .respond_with(page(&["c-1", "c-2"], Some("c2")))
            .mount(&server)
            .await;
        let client = AppleBusinessClient::builder()
            .base_url(format!("{}/api/v1", server.uri()))
            .bearer_token("t")
            .build()
            .expect("client");
        let mut pages = client
            .list_caller_ids("O1", "B1")
            .query(|q| q.ql(crate::Ql::new().eq(crate::QlField::State, "PUBLISHED")))
            .pages();
        let mut ids = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.expect("page");
            assert_eq!(page.provider, "apple-business");
            assert_eq!(page.reported_total, Some(3));
            ids.extend(page.items.into_iter().map(|c| c.id));
        }
        assert_eq!(ids, ["c-1", "c-2", "c-3"]);
    }
}
