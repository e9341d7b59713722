//! The provider registry: the one list of providers the facade knows, written once in
//! `lib.rs` as a [`providers!`] invocation. Everything keyed by provider that is the same
//! shape for all of them comes from it: the crate re-exports, [`Provider`](crate::Provider)
//! with its `ALL`, `key`, `filters` and `is_enabled`, and the conversions the fuzz
//! targets reach. What differs per provider (the [`Source`](crate::Source) variant and
//! its conversion in `convert.rs`) stays written out. ARCHITECTURE.md lists every place
//! a new provider needs.

/// Expands the registry. Each entry names the provider's variant, its key (also its cargo
/// feature and the `key` of its crate's `ProviderInfo`, checked at compile time), the
/// module the crate is re-exported as, the crate, its client type, its conversion
/// function in `convert.rs`, and a one-line description.
macro_rules! providers {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident {
            key: $key:literal,
            module: $module:ident,
            krate: $krate:ident,
            client: $client:ident,
            convert: $convert:ident $(,)?
        }
    )*) => {
        $(
            #[cfg(feature = $key)]
            pub use $krate as $module;

            // The registry's key is the crate's own: a typo would split one provider in two.
            #[cfg(feature = $key)]
            const _: () = assert!(
                $crate::registry::same(
                    <$krate::$client as telnums_core::ProviderClient>::INFO.key,
                    $key,
                ),
                concat!("the registry's key `", $key, "` is not ", stringify!($client), "'s INFO.key"),
            );
            #[cfg(feature = $key)]
            const _: () = assert!(
                $crate::registry::same($krate::FILTERS.provider, $key),
                concat!("the registry's key `", $key, "` is not its filter table's provider"),
            );
        )*

        /// A provider, named by its key (`vonage-cc`, `webex-calling`, …).
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(rename_all = "kebab-case")]
        pub enum Provider {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Provider {
            /// Every provider, in the project's order.
            pub const ALL: [Provider; [$(stringify!($variant)),*].len()] =
                [$(Provider::$variant),*];

            /// The provider key.
            pub fn key(self) -> &'static str {
                match self {
                    $( Provider::$variant => $key, )*
                }
            }

            /// The provider's query filters, generated from its spec: every documented
            /// query parameter of its list operations that the client does not set itself
            /// (paging, organisation, phone number). Empty for Vonage CC, which has none,
            /// and for a provider whose cargo feature is off.
            pub fn filters(self) -> &'static FilterTable {
                match self {
                    $(
                        Provider::$variant => {
                            #[cfg(feature = $key)]
                            let table = &$module::FILTERS;
                            #[cfg(not(feature = $key))]
                            let table = {
                                static NONE: FilterTable = FilterTable {
                                    provider: $key,
                                    params: &[],
                                };
                                &NONE
                            };
                            table
                        }
                    )*
                }
            }

            /// Whether this build includes the provider's crate (its cargo feature is on).
            pub fn is_enabled(self) -> bool {
                match self {
                    $( Provider::$variant => cfg!(feature = $key), )*
                }
            }
        }

        /// The per-provider conversions to [`PhoneNumber`], for the fuzz targets in
        /// `fuzz/`.
        #[doc(hidden)]
        pub mod fuzzing {
            $(
                #[cfg(feature = $key)]
                pub use crate::convert::$convert;
            )*
        }
    };
}

/// `a == b` in a constant.
pub(crate) const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn same_compares_every_byte_and_the_length() {
        assert!(same("zoom-phone", "zoom-phone"));
        assert!(same("", ""));
        assert!(!same("zoom-phone", "zoom-phonf"));
        assert!(!same("ab", "ba"));
        assert!(!same("zoom", "zoom-phone"));
        assert!(!same("zoom-phone", "zoom"));
    }
}
