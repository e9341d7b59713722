//! Every example in every spec decodes into the generated types, and encodes back to the
//! same JSON (so a misspelt field or a wrong type in an example cannot pass).

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use telnums_tests::examples::{collect, load, strip_nulls};

fn roundtrip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| format!("decode: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("encode: {e}"))?;
    if strip_nulls(&back) != strip_nulls(value) {
        return Err(format!(
            "does not round-trip:\n  example: {value}\n  decoded: {back}"
        ));
    }
    Ok(())
}

/// Maps a component schema name to a round-trip through its generated Rust type.
macro_rules! registry {
    ($krate:ident: $($name:ident),* $(,)?) => {
        |schema: &str, value: &Value| -> Option<Result<(), String>> {
            match schema {
                $(stringify!($name) => Some(roundtrip::<$krate::types::$name>(value)),)*
                _ => None,
            }
        }
    };
}

type Registry = fn(&str, &Value) -> Option<Result<(), String>>;

fn check(key: &str, registry: Registry) {
    let spec = load(key);
    let mut failures = Vec::new();
    let examples = collect(&spec);
    assert!(!examples.is_empty(), "{key}: no examples found");
    for ex in &examples {
        match registry(&ex.schema, &ex.value) {
            Some(Ok(())) => {}
            Some(Err(e)) => failures.push(format!("{}: {e}", ex.location)),
            None => failures.push(format!(
                "{}: no Rust type registered for schema `{}`",
                ex.location, ex.schema
            )),
        }
    }
    // Every component schema is covered by the registry.
    for name in spec["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .keys()
    {
        let probe = registry(name, &Value::Null);
        if probe.is_none() {
            failures.push(format!("schema `{name}` has no registered Rust type"));
        }
    }
    assert!(
        failures.is_empty(),
        "{key}: {} of {} examples failed:\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
}

#[test]
fn vonage_cc_examples() {
    check(
        "vonage-cc",
        registry!(telnums_vonage_cc: CallbackNumberList, PageMeta, CallbackNumber, Error),
    );
}

#[test]
fn webex_calling_examples() {
    check(
        "webex-calling",
        registry!(telnums_webex_calling: WebexNumberList, WebexNumberCount, WebexNumber,
            WebexNumberLocation, WebexNumberOwner, TelephonyType, NumberOrder, Error,
            WebexErrorDetail),
    );
}

#[test]
fn apple_business_examples() {
    check(
        "apple-business",
        registry!(telnums_apple_business: AppleCallerIdList, AppleCallerIdPagination,
            AppleCallerIdCursors, AppleCallerId, AppleCallerIdDetails, Error, AppleErrorDetail),
    );
}

#[test]
fn zoom_phone_examples() {
    check(
        "zoom-phone",
        registry!(telnums_zoom_phone: ZoomPhoneNumberList, ZoomPhoneNumber, ZoomNumberAssignee,
            ZoomCarrier, ZoomEmergencyAddress, ZoomSipGroup, ZoomSite, Error),
    );
}

#[test]
fn fone_dynamics_examples() {
    check(
        "fone-dynamics",
        registry!(telnums_fone_dynamics: FoneNumberListResponse, FoneNumberListEnvelope,
            FoneNumberResponse, FoneNumberEnvelope, FoneNumber, FoneNumberType, FoneCapability,
            Error, FoneResponseStatus),
    );
}
