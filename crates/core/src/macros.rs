//! Boilerplate shared by the provider crates' hand-written layers.

/// Defines a provider's client type around the generated `Client` in scope: the struct,
/// its [`ProviderClient`](crate::ProviderClient) impl, the progenitor hooks that run the
/// runtime around every request, and `builder()`, `raw()` and `runtime()`.
#[macro_export]
macro_rules! define_client {
    ($(#[$meta:meta])* $name:ident, $info:expr) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        pub struct $name {
            raw: Client,
            runtime: $crate::Runtime,
        }

        impl $crate::ProviderClient for $name {
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

        // The runtime's hooks, run by every generated operation around its request.
        impl $crate::__private::progenitor_client::ClientHooks<$crate::Runtime> for Client {
            async fn pre<E>(
                &self,
                request: &mut $crate::reqwest::Request,
                _: &$crate::__private::progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), $crate::__private::progenitor_client::Error<E>> {
                let runtime = $crate::__private::progenitor_client::ClientInfo::inner(self);
                $crate::progenitor::pre_request(runtime, request).await
            }

            async fn post<E>(
                &self,
                result: &$crate::reqwest::Result<$crate::reqwest::Response>,
                _: &$crate::__private::progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), $crate::__private::progenitor_client::Error<E>> {
                let runtime = $crate::__private::progenitor_client::ClientInfo::inner(self);
                $crate::progenitor::post_response(runtime, result).await
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
