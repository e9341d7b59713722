//! Post-processing of progenitor's output: every response body read goes through the
//! runtime's limited reader.
//!
//! progenitor's generated operations read bodies with the support crate's
//! `ResponseValue::from_response(response)`, which buffers the whole body before anything
//! can look at its size: a chunked response without `Content-Length` could grow without
//! bound. Its settings have no seam for this (the hooks see only the response head), so
//! after generation the token stream, parsed as a `syn::File`, is walked once and each
//! `ResponseValue::from_response(response)` becomes
//! `::telnums_core::wire::read_json(&client.inner, response)`: the same types in and out
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
pub const BODY_READER: &str = "::telnums_core::wire::read_json";

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
                let names: Vec<String> = func
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
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
                            ::telnums_core::wire::read_json(&client.inner, #response)
                        );
                        self.rewritten += 1;
                    }
                    // No body to read (`ResponseValue::empty`), or a fixture constructor.
                    ("empty", _) | ("new", _) => {}
                    (other, _) => self
                        .problems
                        .push(format!("`ResponseValue::{other}` reads a body unbounded")),
                }
            }
            syn::Expr::MethodCall(call)
                if call.args.is_empty()
                    && BODY_METHODS.contains(&call.method.to_string().as_str()) =>
            {
                self.problems
                    .push(format!("`.{}()` reads a body unbounded", call.method));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            text.matches("::telnums_core::wire::read_json(&client.inner, response)")
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
