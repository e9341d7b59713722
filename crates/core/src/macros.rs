//! Boilerplate shared by the provider crates' hand-written layers.

/// Defines a provider's client type around the generated `Client` in scope: the struct,
/// its [`Provider`](crate::Provider) impl, and `builder()`, `raw()` and `runtime()`.
#[macro_export]
macro_rules! define_client {
    ($(#[$meta:meta])* $name:ident, $info:expr) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        pub struct $name {
            raw: Client,
            runtime: $crate::Runtime,
        }

        impl $crate::Provider for $name {
            const INFO: $crate::ProviderInfo = $info;

            fn assemble(
                base_url: &str,
                http: $crate::reqwest::Client,
                runtime: $crate::Runtime,
            ) -> Self {
                Self {
                    raw: Client::new_with_client(base_url, http, runtime.clone()),
                    runtime,
                }
            }
        }

        impl $name {
            /// A builder with the provider's defaults (its public base URL, no
            /// credentials).
            pub fn builder() -> $crate::ClientBuilder<Self> {
                $crate::ClientBuilder::new()
            }
            /// The generated client, for calls without a hand-written wrapper.
            pub fn raw(&self) -> &Client {
                &self.raw
            }
            /// The shared runtime (retry policy, base URL, provider facts).
            pub fn runtime(&self) -> &$crate::Runtime {
                &self.runtime
            }
        }
    };
}

/// Adds `query`, `max_items` and `max_pages` to a listing type with fields
/// `query: Arc<dyn Fn(builder) -> builder>` and `limits: Limits`, plus a `Debug` impl.
#[macro_export]
macro_rules! listing_methods {
    ($listing:ident, $builder:ident) => {
        impl $listing {
            /// Sets query parameters with the generated builder's typed setters. Paging
            /// parameters are managed by the paginator. Calls accumulate, and the
            /// filters apply to every page.
            pub fn query<F>(mut self, f: F) -> Self
            where
                F: for<'b> Fn(builder::$builder<'b>) -> builder::$builder<'b>
                    + Send
                    + Sync
                    + 'static,
            {
                let previous = self.query.clone();
                self.query = ::std::sync::Arc::new(move |b| f(previous(b)));
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
        }

        impl ::std::fmt::Debug for $listing {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($listing))
                    .field("client", &self.client)
                    .field("page_size", &self.page_size)
                    .field("limits", &self.limits)
                    .finish_non_exhaustive()
            }
        }
    };
}
