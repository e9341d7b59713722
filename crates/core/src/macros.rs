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
