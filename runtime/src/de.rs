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
        // serde's own message would quote the value (`invalid type: string "…"`), and a
        // value may be a secret: say what was expected instead.
        Map::deserialize(deserializer)
            .map(JsonObject)
            .map_err(|_| D::Error::custom("invalid type: expected a JSON object"))
    }

    /// A required field: `missing field` when absent.
    pub fn required<T: DeserializeOwned, E: Error>(&mut self, key: &'static str) -> Result<T, E> {
        match self.0.remove(key) {
            Some(value) => serde_json::from_value(value).map_err(|error| field_error(key, &error)),
            None => Err(E::missing_field(key)),
        }
    }

    /// A required field that responses may leave out: one the service never returns
    /// (`x-ms-mutability` without `read`, or an `x-ms-secret`). Absent or `null`, it is the
    /// type's default (an empty string for a password), so a response that omits it does not
    /// fail the whole call; the field stays non-optional for what callers send.
    pub fn required_unless_omitted<T: DeserializeOwned + Default, E: Error>(
        &mut self,
        key: &'static str,
    ) -> Result<T, E> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(T::default()),
            Some(value) => serde_json::from_value(value).map_err(|error| field_error(key, &error)),
        }
    }

    /// An optional field: `None` when absent or `null`.
    pub fn optional<T: DeserializeOwned, E: Error>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<T>, E> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => serde_json::from_value(value)
                .map(Some)
                .map_err(|error| field_error(key, &error)),
        }
    }

    /// A required field written in a string [`Format`] (date-times, UUIDs, base64, alone
    /// or in arrays and maps).
    pub fn required_as<F: Format, E: Error>(&mut self, key: &'static str) -> Result<F::Value, E> {
        match self.0.remove(key) {
            Some(value) => F::decode(value).map_err(|err| format_error(key, &err)),
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
                .map_err(|err| format_error(key, &err)),
        }
    }

    /// Every field not taken yet (`additionalProperties` beside `properties`). Take it last.
    pub fn rest<T: DeserializeOwned, E: Error>(&mut self) -> Result<HashMap<String, T>, E> {
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
fn field_error<E: Error>(key: &str, error: &dyn std::fmt::Display) -> E {
    let text = error.to_string();
    let ours = ["field `", "missing field `", "invalid type: expected"]
        .iter()
        .any(|prefix| text.starts_with(prefix))
        && !text.contains('"');
    if ours {
        E::custom(format_args!("field `{key}`: {text}"))
    } else {
        E::custom(format_args!(
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
fn format_error<E: Error>(key: &str, error: &str) -> E {
    E::custom(format_args!("field `{key}`: {error}"))
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
        let a: i32 = object.required::<_, serde_json::Error>("a").unwrap();
        assert_eq!(a, 1);
        let rest: HashMap<String, String> = object.rest::<_, serde_json::Error>().unwrap();
        assert_eq!(rest.len(), 2);
        let mut wrong = JsonObject(serde_json::from_value(json!({"k": "sig=SECRET"})).unwrap());
        let err = wrong.rest::<i32, serde_json::Error>().unwrap_err();
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

    impl<'de> Deserialize<'de> for Login {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut object = JsonObject::deserialize(deserializer)?;
            Ok(Login {
                user: object.required("user")?,
                password: object.required_unless_omitted("password")?,
            })
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
