//! Deserialisation support for generated models.
//!
//! `#[derive(Deserialize)]` expands to about 200 lines of visitor code per struct, and that
//! code is most of what a generated crate costs to compile (see BENCHMARKS.md). Generated
//! models instead read the JSON object once into a map and take each field by wire name: one
//! line per field in the generated code, with the generic work done here, once.
//!
//! The fields are taken in a [`ReadObject`] impl, which is not generic: its trait
//! obligations (`Option<Disk>: DeserializeOwned`, …) are proved once for the whole crate
//! instead of once per impl, as they were in a `Deserialize` impl generic over its
//! deserializer, where they were the largest part of `cargo check` (BENCHMARKS.md). The
//! generated `Deserialize` is one call of [`read`].
//!
//! The behaviour matches the derive's where it matters: unknown fields are ignored (the
//! service may add fields), a missing required field is serde's `missing field` error, and
//! an absent or `null` optional field is `None`.

use std::collections::HashMap;
use std::fmt;

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::format::Format;

/// A model read field by field from a [`JsonObject`]: what a generated model implements
/// instead of a `Deserialize` generic over the deserializer.
pub trait ReadObject: Sized {
    /// Takes the model's fields from `object`; the fields left are unknown to this version.
    fn read(object: &mut JsonObject) -> Result<Self, ReadError>;
}

/// `Deserialize` of a [`ReadObject`]: reads the JSON object, then the model's fields from it.
pub fn read<'de, T: ReadObject, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let mut object = JsonObject::deserialize(deserializer)?;
    T::read(&mut object).map_err(|error| D::Error::custom(error.0))
}

/// Why a field could not be read: serde's wording (`missing field `name``, `field `name`: …`),
/// never the field's value. [`read`] makes it the deserializer's error.
#[derive(Debug)]
pub struct ReadError(String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    /// serde's `missing field` error, worded as serde's default `missing_field` words it.
    fn missing(key: &str) -> Self {
        Self(format!("missing field `{key}`"))
    }
}

/// A JSON object whose fields are taken one by one by a generated [`ReadObject`] impl.
#[derive(Debug)]
pub struct JsonObject(Map<String, Value>);

impl JsonObject {
    /// Reads a JSON object; anything else is a type error.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // serde's own message would quote the value (`invalid type: string "…"`), and a
        // value may be a secret: say what was expected instead.
        Map::deserialize(deserializer)
            .map(JsonObject)
            .map_err(|_| D::Error::custom("invalid type: expected a JSON object"))
    }

    /// A required field: `missing field` when absent.
    pub fn required<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<T, ReadError> {
        match self.0.remove(key) {
            Some(value) => serde_json::from_value(value).map_err(|error| field_error(key, &error)),
            None => Err(ReadError::missing(key)),
        }
    }

    /// A required field that responses may leave out: one the service never returns
    /// (`x-ms-mutability` without `read`, or an `x-ms-secret`). Absent or `null`, it is the
    /// type's default (an empty string for a password), so a response that omits it does not
    /// fail the whole call; the field stays non-optional for what callers send.
    pub fn required_unless_omitted<T: DeserializeOwned + Default>(
        &mut self,
        key: &'static str,
    ) -> Result<T, ReadError> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(T::default()),
            Some(value) => serde_json::from_value(value).map_err(|error| field_error(key, &error)),
        }
    }

    /// An optional field: `None` when absent or `null`.
    pub fn optional<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<T>, ReadError> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => serde_json::from_value(value)
                .map(Some)
                .map_err(|error| field_error(key, &error)),
        }
    }

    /// A required field written in a string [`Format`] (date-times, UUIDs, base64, alone
    /// or in arrays and maps).
    pub fn required_as<F: Format>(&mut self, key: &'static str) -> Result<F::Value, ReadError> {
        match self.0.remove(key) {
            Some(value) => F::decode(value).map_err(|err| format_error(key, &err)),
            None => Err(ReadError::missing(key)),
        }
    }

    /// An optional field written in a string [`Format`]: `None` when absent or `null`.
    pub fn optional_as<F: Format>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<F::Value>, ReadError> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => F::decode(value)
                .map(Some)
                .map_err(|err| format_error(key, &err)),
        }
    }

    /// Every field not taken yet (`additionalProperties` beside `properties`). Take it last.
    pub fn rest<T: DeserializeOwned>(&mut self) -> Result<HashMap<String, T>, ReadError> {
        std::mem::take(&mut self.0)
            .into_iter()
            .map(|(key, value)| {
                serde_json::from_value(value)
                    .map_err(|error| field_error(&key, &error))
                    .map(|value| (key, value))
            })
            .collect()
    }
}

/// The error of one field, never quoting its value (it may be a secret): errors this module
/// made for nested fields (`field …`, `missing field …`, `invalid type: expected …`) are kept
/// behind the field's name; any other text is replaced by its category.
fn field_error(key: &str, error: &dyn fmt::Display) -> ReadError {
    let text = error.to_string();
    let ours = ["field `", "missing field `", "invalid type: expected"]
        .iter()
        .any(|prefix| text.starts_with(prefix))
        && !text.contains('"');
    if ours {
        ReadError(format!("field `{key}`: {text}"))
    } else {
        ReadError(format!(
            "field `{key}`: the value does not have the expected type"
        ))
    }
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
    serde_json::from_value(object).map_err(|error| {
        let text = error.to_string();
        // The variant's own errors name its fields and never quote values; anything else
        // might quote one.
        if text.starts_with("field `") || text.starts_with("missing field `") {
            E::custom(text)
        } else {
            E::custom("the object does not have the type its discriminator selects")
        }
    })
}

/// A [`Format`]'s error for one field: the format's message never quotes the value.
fn format_error(key: &str, error: &str) -> ReadError {
    ReadError(format!("field `{key}`: {error}"))
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

    impl ReadObject for Sample {
        fn read(object: &mut JsonObject) -> Result<Self, ReadError> {
            Ok(Sample {
                name: object.required("name")?,
                count: object.optional("count")?,
                when: object.optional_as::<crate::format::Rfc3339>("when")?,
            })
        }
    }

    impl<'de> Deserialize<'de> for Sample {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            read(deserializer)
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
        assert!(
            wrong
                .to_string()
                .starts_with("field `name`: the value does not have the expected type"),
            "{wrong}"
        );
        // A secret in a mistyped field is never quoted.
        let secret =
            serde_json::from_str::<Sample>(r#"{"name": "a", "count": "sig=SECRET"}"#).unwrap_err();
        assert!(!secret.to_string().contains("SECRET"), "{secret}");
        let secret = serde_json::from_str::<Sample>(r#""sig=SECRET""#).unwrap_err();
        assert!(!secret.to_string().contains("SECRET"), "{secret}");
        let not_object = serde_json::from_str::<Sample>("[1]").unwrap_err();
        assert!(
            not_object.to_string().contains("invalid type"),
            "{not_object}"
        );
        let bad_time = serde_json::from_str::<Sample>(r#"{"name": "a", "when": "yesterday"}"#);
        assert!(bad_time.is_err());
    }

    #[test]
    fn the_rest_and_tagged_objects() {
        let mut object: JsonObject =
            JsonObject(serde_json::from_value(json!({"a": 1, "b": "x", "c": "y"})).unwrap());
        let a: i32 = object.required("a").unwrap();
        assert_eq!(a, 1);
        let rest: HashMap<String, String> = object.rest().unwrap();
        assert_eq!(rest.len(), 2);
        let mut wrong = JsonObject(serde_json::from_value(json!({"k": "sig=SECRET"})).unwrap());
        let err = wrong.rest::<i32>().unwrap_err();
        assert!(!err.to_string().contains("SECRET"), "{err}");

        let (tag, value) = tagged(json!({"kind": "cat", "n": 1}), "kind").unwrap();
        assert_eq!(tag.as_deref(), Some("cat"));
        assert_eq!(value["n"], 1);
        let (tag, _) = tagged(json!({"kind": 7}), "kind").unwrap();
        assert_eq!(tag, None);
        let err = variant::<Sample, serde_json::Error>(json!({"name": 5})).unwrap_err();
        assert!(err.to_string().starts_with("field `name`"), "{err}");
        let err = variant::<i32, serde_json::Error>(json!("sig=SECRET")).unwrap_err();
        assert!(!err.to_string().contains("SECRET"), "{err}");
    }

    #[derive(Debug, PartialEq)]
    struct Login {
        user: String,
        password: String,
    }

    impl ReadObject for Login {
        fn read(object: &mut JsonObject) -> Result<Self, ReadError> {
            Ok(Login {
                user: object.required("user")?,
                password: object.required_unless_omitted("password")?,
            })
        }
    }

    impl<'de> Deserialize<'de> for Login {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            read(deserializer)
        }
    }

    #[test]
    fn write_only_required_fields_may_be_omitted_by_responses() {
        let login: Login = serde_json::from_value(json!({"user": "u"})).unwrap();
        assert_eq!(login.password, "");
        let login: Login = serde_json::from_value(json!({"user": "u", "password": null})).unwrap();
        assert_eq!(login.password, "");
        let login: Login = serde_json::from_value(json!({"user": "u", "password": "p"})).unwrap();
        assert_eq!(login.password, "p");
        // A readable required field is still required.
        let missing = serde_json::from_value::<Login>(json!({"password": "p"})).unwrap_err();
        assert!(
            missing.to_string().starts_with("missing field `user`"),
            "{missing}"
        );
        // And a mistyped value is still an error that does not quote it.
        let wrong =
            serde_json::from_value::<Login>(json!({"user": "u", "password": 5})).unwrap_err();
        assert!(wrong.to_string().starts_with("field `password`"), "{wrong}");
    }
}
