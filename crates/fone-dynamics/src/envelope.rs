//! The list body, written by hand in place of the generated type.
//!
//! The spec describes it as `oneOf` an object with a `Numbers` array and a bare array.
//! Generated, that is a `#[serde(untagged)]` enum, which makes serde copy the whole body
//! into an intermediate tree before trying each variant. This type has the same two
//! variants but chooses by the first JSON token (`{` or `[`) and decodes straight into
//! it. `cargo xtask generate` points the generated code here (`xtask::REPLACEMENTS`).

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::generated::types::{FoneNumber, FoneNumberListEnvelope};

/// One page of numbers in either shape the API may use (the spec's
/// `FoneNumberListResponse`).
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum FoneNumberListResponse {
    /// `{"Numbers": [...]}`.
    FoneNumberListEnvelope(FoneNumberListEnvelope),
    /// `[...]`.
    Array(Vec<FoneNumber>),
}

impl<'de> Deserialize<'de> for FoneNumberListResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Shape;

        impl<'de> Visitor<'de> for Shape {
            type Value = FoneNumberListResponse;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with a `Numbers` array, or an array of numbers")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                FoneNumberListEnvelope::deserialize(MapAccessDeserializer::new(map))
                    .map(FoneNumberListResponse::FoneNumberListEnvelope)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::deserialize(SeqAccessDeserializer::new(seq)).map(FoneNumberListResponse::Array)
            }
        }

        deserializer.deserialize_any(Shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes_and_clear_errors() {
        let number = r#"{"Number": "+61255501234", "Status": "Active"}"#;
        let wrapped: FoneNumberListResponse =
            serde_json::from_str(&format!(r#"{{"Numbers": [{number}]}}"#)).expect("wrapped");
        assert!(matches!(
            wrapped,
            FoneNumberListResponse::FoneNumberListEnvelope(ref e) if e.numbers.len() == 1
        ));
        let bare: FoneNumberListResponse =
            serde_json::from_str(&format!("[{number}, {number}]")).expect("bare");
        assert!(matches!(bare, FoneNumberListResponse::Array(ref v) if v.len() == 2));
        // Round trip keeps the shape.
        let again = serde_json::to_value(&bare).expect("serialize");
        assert!(again.is_array());

        let err = serde_json::from_str::<FoneNumberListResponse>("42").expect_err("number");
        assert!(err.to_string().contains("`Numbers` array"), "{err}");
        let err = serde_json::from_str::<FoneNumberListResponse>(r#"{"Other": 1}"#)
            .expect_err("no Numbers");
        assert!(err.to_string().contains("Numbers"), "{err}");
        // The path of a bad value inside is kept, as with any generated type.
        let mut de = serde_json::Deserializer::from_str(r#"{"Numbers": [{"Number": 5}]}"#);
        let err = serde_path_to_error::deserialize::<_, FoneNumberListResponse>(&mut de)
            .expect_err("bad number");
        assert_eq!(err.path().to_string(), "Numbers[0].Number");
    }
}
