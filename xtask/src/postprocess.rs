//! Post-processing of progenitor's output: every response body read goes through the
//! runtime's limited reader ([`route_body_reads`]), and open enums print as their value
//! ([`open_enum_debug`]).
//!
//! progenitor's generated operations read bodies with the support crate's
//! `ResponseValue::from_response(response)`, which buffers the whole body before anything
//! can look at its size: a chunked response without `Content-Length` could grow without
//! bound. Its settings have no seam for this (the hooks see only the response head), so
//! after generation the token stream, parsed as a `syn::File`, is walked once and each
//! `ResponseValue::from_response(response)` becomes
//! `::telnums_core::progenitor::read_json(&client.inner, response)`: the same types in and out
//! (`Result<ResponseValue<T>, progenitor_client::Error<E>>`), with the client's runtime
//! (`client.inner`, as the hooks already receive it) supplying the body limit. Success
//! bodies and documented error bodies alike are rewritten.
//!
//! Any other way of reading a body (`ResponseValue::stream` or `upgrade`, or
//! `.bytes()`/`.text()`/`.json()`/`.chunk()`/`.bytes_stream()` on a response) fails
//! generation with a message, as does a file with no body read at all: a progenitor
//! upgrade that changes its output must be looked at, not silently let through.

use anyhow::{bail, Result};
use syn::visit_mut::{self, VisitMut};

/// The runtime function generated operations call to read and decode a body.
pub const BODY_READER: &str = "::telnums_core::progenitor::read_json";

/// Rewrites every body read in `file` into a call of [`BODY_READER`]. Returns how many
/// calls were rewritten.
pub fn route_body_reads(file: &mut syn::File) -> Result<usize> {
    let mut router = Router::default();
    router.visit_file_mut(file);
    if !router.problems.is_empty() {
        bail!(
            "generated code reads response bodies in a way the xtask cannot route through \
             {BODY_READER}:\n  {}",
            router.problems.join("\n  ")
        );
    }
    if router.rewritten == 0 {
        bail!(
            "no `ResponseValue::from_response` call found in progenitor's output; its body \
             reading changed and xtask/src/postprocess.rs must follow"
        );
    }
    Ok(router.rewritten)
}

#[derive(Default)]
struct Router {
    rewritten: usize,
    problems: Vec<String>,
}

/// Methods of `reqwest::Response` that read the body (with no arguments).
const BODY_METHODS: &[&str] = &["bytes", "text", "json", "chunk", "bytes_stream"];

impl VisitMut for Router {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        visit_mut::visit_expr_mut(self, expr);
        match expr {
            syn::Expr::Call(call) => {
                let syn::Expr::Path(func) = &*call.func else {
                    return;
                };
                let names = func.path.segments.iter().map(|s| s.ident.to_string());
                let names: Vec<String> = names.collect();
                let [ty, function] = names.as_slice() else {
                    return;
                };
                if ty != "ResponseValue" {
                    return;
                }
                match (function.as_str(), call.args.len()) {
                    ("from_response", 1) => {
                        let response = &call.args[0];
                        *expr = syn::parse_quote!(
                            ::telnums_core::progenitor::read_json(&client.inner, #response)
                        );
                        self.rewritten += 1;
                    }
                    // No body to read (`ResponseValue::empty`), or a fixture constructor.
                    ("empty", _) | ("new", _) => {}
                    (other, _) => {
                        let problem = format!("`ResponseValue::{other}` reads a body unbounded");
                        self.problems.push(problem);
                    }
                }
            }
            syn::Expr::MethodCall(call)
                if call.args.is_empty()
                    && BODY_METHODS.contains(&call.method.to_string().as_str()) =>
            {
                let problem = format!("`.{}()` reads a body unbounded", call.method);
                self.problems.push(problem);
            }
            _ => {}
        }
    }
}

/// Gives every open enum (the preprocessing's `Known(…)` / `Other(String)` pair) a
/// `Debug` that shows the value rather than the wrapper: `Available` for a listed value,
/// `Other("porting")` for another, where the derived one reads `Known(Available)`.
/// Returns how many enums it changed.
pub fn open_enum_debug(file: &mut syn::File) -> usize {
    let mut changed = 0;
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        let Some((_, items)) = &mut module.content else {
            continue;
        };
        let mut impls = Vec::new();
        for item in items.iter_mut() {
            let syn::Item::Enum(e) = item else {
                continue;
            };
            let names: Vec<String> = e.variants.iter().map(|v| v.ident.to_string()).collect();
            if names != ["Known", "Other"] {
                continue;
            }
            let mut had_debug = false;
            for attr in &mut e.attrs {
                if !attr.path().is_ident("derive") {
                    continue;
                }
                let Ok(paths) = attr.parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                ) else {
                    continue;
                };
                let kept: Vec<&syn::Path> = paths.iter().filter(|p| !p.is_ident("Debug")).collect();
                had_debug |= kept.len() != paths.len();
                *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
            }
            if !had_debug {
                continue;
            }
            let name = &e.ident;
            impls.push(syn::parse_quote! {
                impl ::std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match self {
                            Self::Known(value) => ::std::fmt::Debug::fmt(value, f),
                            Self::Other(value) => f.debug_tuple("Other").field(value).finish(),
                        }
                    }
                }
            });
            changed += 1;
        }
        items.extend(impls.into_iter().map(syn::Item::Impl));
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_enums_get_a_debug_that_shows_the_value() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(Clone, Debug, PartialEq)]
                pub enum Status { Known(StatusKnown), Other(::std::string::String) }
                #[derive(Clone, Debug)]
                pub enum StatusKnown { Available }
            }
        };
        assert_eq!(open_enum_debug(&mut file), 1);
        let text = prettyplease::unparse(&file);
        assert!(text.contains("#[derive(Clone, PartialEq)]"), "{text}");
        assert!(text.contains("impl ::std::fmt::Debug for Status"), "{text}");
        assert!(!text.contains("Debug for StatusKnown"), "{text}");
        assert_eq!(text.matches("derive(Clone, Debug)").count(), 1, "{text}");
    }

    #[test]
    fn rewrites_success_and_error_reads() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send() {
                match response.status().as_u16() {
                    200u16 => ResponseValue::from_response(response).await,
                    400u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
        };
        assert_eq!(route_body_reads(&mut file).expect("routes"), 2);
        let text = prettyplease::unparse(&file);
        assert_eq!(
            text.matches("::telnums_core::progenitor::read_json(&client.inner, response)")
                .count(),
            2,
            "{text}"
        );
        assert!(!text.contains("from_response"), "{text}");
    }

    #[test]
    fn refuses_other_body_reads() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send() {
                let a = ResponseValue::from_response(response).await;
                let b = ResponseValue::stream(response);
            }
        };
        let err = route_body_reads(&mut file).expect_err("stream is unbounded");
        assert!(err.to_string().contains("ResponseValue::stream"), "{err}");

        let mut file: syn::File = syn::parse_quote! {
            async fn send() { let b = response.bytes().await; }
        };
        let err = route_body_reads(&mut file).expect_err("bytes() is unbounded");
        assert!(err.to_string().contains(".bytes()"), "{err}");

        let mut file: syn::File = syn::parse_quote! { fn f() {} };
        assert!(route_body_reads(&mut file).is_err(), "nothing to route");
    }
}
