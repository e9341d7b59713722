//! `Results_Skip`/`Results_Count` pagination over the account and property listings,
//! and the normalisation of wrapped and bare bodies.

use futures::stream::{BoxStream, Stream, StreamExt};
use telnums_core::filter::Filters;
use telnums_core::paginate::{self, OffsetPage, Page};
use telnums_core::{Error, Limits, Provider, Response};

use crate::{filters, types, Capability, FoneDynamicsClient, NumberType};

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

/// A listing of numbers: filter by type and capability (typed, or as [`Filters`] checked
/// against [`FILTERS`](crate::FILTERS)), then fetch one page or stream every item.
/// Filters apply to every page.
#[derive(Clone, Debug)]
#[must_use = "a listing does nothing until you call `page`, `pages` or `items`"]
pub struct ListNumbers {
    client: FoneDynamicsClient,
    scope: Scope,
    types: Option<String>,
    capabilities: Option<String>,
    filters: Filters,
    page_size: u32,
    limits: Limits,
    concurrency: usize,
}

impl ListNumbers {
    pub(crate) fn new(client: FoneDynamicsClient, scope: Scope) -> Self {
        Self {
            client,
            scope,
            types: None,
            capabilities: None,
            filters: Filters::new(&crate::FILTERS),
            page_size: MAX_PAGE_SIZE,
            limits: Limits::default(),
            concurrency: 1,
        }
    }

    /// Only numbers of any of these types (`Type`, sent comma-separated).
    pub fn number_types(mut self, types: &[NumberType]) -> Self {
        self.types = (!types.is_empty()).then(|| join(types));
        self
    }
    /// Only numbers with these capabilities (`Capabilites` on the wire).
    pub fn capabilities(mut self, capabilities: &[Capability]) -> Self {
        self.capabilities = (!capabilities.is_empty()).then(|| join(capabilities));
        self
    }
    /// Sets filters checked against [`FILTERS`](crate::FILTERS), replacing any set
    /// before. Where they name `Type` or `Capabilites` they win over
    /// [`number_types`](Self::number_types) and [`capabilities`](Self::capabilities).
    pub fn filters(mut self, filters: Filters) -> Self {
        self.filters = filters;
        self
    }
    /// Numbers per page, 1 to 200 (default 200); other values are clamped to that range.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.clamp(1, MAX_PAGE_SIZE);
        self
    }
    /// Requests up to `n` pages at once (default 1), keeping item order; up to `n - 1`
    /// requests may go past the last page.
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
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

    /// Fetches the page that starts after `skip` numbers, normalised to a list.
    pub async fn page(&self, skip: u32) -> Result<Response<Vec<types::FoneNumber>>, Error> {
        let skip = i32::try_from(skip).unwrap_or(i32::MAX);
        let runtime = self.client.runtime();
        // The two list operations take the same query; only the path parameter differs.
        macro_rules! send {
            ($operation:literal, $builder:expr, $apply:path) => {{
                let mut b = $builder.results_count(self.page_size).results_skip(skip);
                if let Some(t) = &self.types {
                    b = b.type_(t.clone());
                }
                if let Some(c) = &self.capabilities {
                    b = b.capabilites(c.clone());
                }
                let b = $apply(b, &self.filters)?;
                runtime.send($operation, || b.clone().send()).await?
            }};
        }
        let raw = self.client.raw();
        let response = match &self.scope {
            Scope::Account(sid) => send!(
                "list_account_numbers",
                raw.list_account_numbers().account_sid(sid.clone()),
                filters::apply_list_account_numbers
            ),
            Scope::Property(sid) => send!(
                "list_property_numbers",
                raw.list_property_numbers().property_sid(sid.clone()),
                filters::apply_list_property_numbers
            ),
        };
        Ok(response.map(list))
    }

    /// Streams pages until one comes back shorter than the page size.
    pub fn pages(self) -> BoxStream<'static, Result<Vec<types::FoneNumber>, Error>> {
        let limits = self.limits;
        if self.concurrency > 1 {
            return paginate::offset_pages(
                FoneDynamicsClient::INFO.key,
                self.concurrency,
                limits,
                fingerprint,
                move |i| {
                    let this = self.clone();
                    async move {
                        let skip = u32::try_from(i.saturating_mul(u64::from(this.page_size)))
                            .unwrap_or(u32::MAX);
                        let items = this.page(skip).await?.into_inner();
                        let more = items.len() >= this.page_size as usize;
                        Ok(OffsetPage {
                            items,
                            more,
                            page_count: None,
                        })
                    }
                },
            )
            .boxed();
        }
        let guard = std::sync::Arc::new(paginate::RepeatGuard::new());
        paginate::pages(FoneDynamicsClient::INFO.key, 0u32, limits, move |skip| {
            let this = self.clone();
            let guard = guard.clone();
            async move {
                let items = this.page(skip).await?.into_inner();
                let count = u32::try_from(items.len()).unwrap_or(u32::MAX);
                if count > 0 {
                    let ids: Vec<&str> = items
                        .iter()
                        .map(|n| n.number.as_deref().unwrap_or(""))
                        .collect();
                    guard.check(FoneDynamicsClient::INFO.key, skip, ids.join(","))?;
                }
                let next =
                    (count > 0 && count >= this.page_size).then(|| skip.saturating_add(count));
                Ok(Page { items, next })
            }
        })
        .boxed()
    }

    /// Streams every number across all pages.
    pub fn items(self) -> impl Stream<Item = Result<types::FoneNumber, Error>> + Send {
        let limits = self.limits;
        paginate::items(self.pages(), limits)
    }
}

/// Identifies a page by its first and last numbers.
fn fingerprint(items: &[types::FoneNumber]) -> String {
    let n = |x: Option<&types::FoneNumber>| x.and_then(|n| n.number.clone()).unwrap_or_default();
    format!("{}..{}", n(items.first()), n(items.last()))
}

/// `a,b,c` without duplicates, in the order given.
fn join<T: std::fmt::Display + PartialEq>(values: &[T]) -> String {
    let mut unique: Vec<&T> = Vec::new();
    for v in values {
        if !unique.contains(&v) {
            unique.push(v);
        }
    }
    unique
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
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
