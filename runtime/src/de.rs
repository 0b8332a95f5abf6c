//! Deserialisation support for generated models.
//!
//! `#[derive(Deserialize)]` expands to about 200 lines of visitor code per struct, and that
//! code is most of what a generated crate costs to compile (see BENCHMARKS.md). Generated
//! models instead read the JSON object once into a map and take each field by wire name: one
//! line per field in the generated code, with the generic work done here, once.
//!
//! The behaviour matches the derive's where it matters: unknown fields are ignored (the
//! service may add fields), a missing required field is serde's `missing field` error, and
//! an absent or `null` optional field is `None`.

use std::collections::HashMap;

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::format::Format;

/// A JSON object whose fields are taken one by one by a generated `Deserialize` impl.
#[derive(Debug)]
pub struct JsonObject(Map<String, Value>);

impl JsonObject {
    /// Reads a JSON object; anything else is a type error.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(JsonObject)
    }

    /// A required field: `missing field` when absent.
    pub fn required<T: DeserializeOwned, E: Error>(&mut self, key: &'static str) -> Result<T, E> {
        match self.0.remove(key) {
            Some(value) => serde_json::from_value(value).map_err(E::custom),
            None => Err(E::missing_field(key)),
        }
    }

    /// An optional field: `None` when absent or `null`.
    pub fn optional<T: DeserializeOwned, E: Error>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<T>, E> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => serde_json::from_value(value).map(Some).map_err(E::custom),
        }
    }

    /// A required field written in a string [`Format`] (date-times, UUIDs, base64, alone
    /// or in arrays and maps).
    pub fn required_as<F: Format, E: Error>(&mut self, key: &'static str) -> Result<F::Value, E> {
        match self.0.remove(key) {
            Some(value) => F::decode(value).map_err(|err| field_error(key, err)),
            None => Err(E::missing_field(key)),
        }
    }

    /// An optional field written in a string [`Format`]: `None` when absent or `null`.
    pub fn optional_as<F: Format, E: Error>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<F::Value>, E> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => F::decode(value)
                .map(Some)
                .map_err(|err| field_error(key, err)),
        }
    }

    /// Every field not taken yet (`additionalProperties` beside `properties`). Take it last.
    pub fn rest<T: DeserializeOwned, E: Error>(&mut self) -> Result<HashMap<String, T>, E> {
        std::mem::take(&mut self.0)
            .into_iter()
            .map(|(key, value)| {
                serde_json::from_value(value)
                    .map(|value| (key, value))
                    .map_err(E::custom)
            })
            .collect()
    }
}

fn field_error<E: Error>(key: &str, err: String) -> E {
    E::custom(format!("field `{key}`: {err}"))
}

/// The value of a polymorphic type's discriminator, and the whole object to read the variant
/// it selects from. `None` when the discriminator is absent or not a string: the generated
/// type then keeps the object as an unknown kind.
pub fn tagged<'de, D: Deserializer<'de>>(
    deserializer: D,
    discriminator: &str,
) -> Result<(Option<String>, Value), D::Error> {
    let object = Map::deserialize(deserializer)?;
    let tag = object
        .get(discriminator)
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok((tag, Value::Object(object)))
}

/// Reads one variant of a polymorphic type from the object [`tagged`] returned.
pub fn variant<T: DeserializeOwned, E: Error>(object: Value) -> Result<T, E> {
    serde_json::from_value(object).map_err(E::custom)
}

/// Reads a string for a closed enum: the generated impl matches it against the known values.
pub fn enum_value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    String::deserialize(deserializer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Sample {
        name: String,
        count: Option<i32>,
        when: Option<azure_core::time::OffsetDateTime>,
    }

    impl<'de> Deserialize<'de> for Sample {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut object = JsonObject::deserialize(deserializer)?;
            Ok(Sample {
                name: object.required("name")?,
                count: object.optional("count")?,
                when: object.optional_as::<crate::format::Rfc3339, _>("when")?,
            })
        }
    }

    #[test]
    fn fields_by_wire_name() {
        let sample: Sample = serde_json::from_value(
            json!({"name": "a", "count": 3, "when": "2024-05-01T10:00:00Z", "extra": [1]}),
        )
        .unwrap();
        assert_eq!(sample.name, "a");
        assert_eq!(sample.count, Some(3));
        assert_eq!(sample.when.map(|t| t.unix_timestamp()), Some(1_714_557_600));
        let sparse: Sample = serde_json::from_value(json!({"name": "b", "count": null})).unwrap();
        assert_eq!((sparse.count, sparse.when), (None, None));
    }

    #[test]
    fn errors_name_the_problem() {
        let missing = serde_json::from_str::<Sample>(r#"{"count": 1}"#).unwrap_err();
        assert!(
            missing.to_string().starts_with("missing field `name`"),
            "{missing}"
        );
        let wrong = serde_json::from_str::<Sample>(r#"{"name": 5}"#).unwrap_err();
        assert!(wrong.to_string().contains("invalid type"), "{wrong}");
        let not_object = serde_json::from_str::<Sample>("[1]").unwrap_err();
        assert!(
            not_object.to_string().contains("invalid type"),
            "{not_object}"
        );
        let bad_time = serde_json::from_str::<Sample>(r#"{"name": "a", "when": "yesterday"}"#);
        assert!(bad_time.is_err());
    }
}
