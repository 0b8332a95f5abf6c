//! Deserialisation support for generated models.
//!
//! `#[derive(Deserialize)]` expands to about 200 lines of visitor code per struct, and that
//! code is most of what a generated crate costs to compile (see BENCHMARKS.md). Generated
//! models instead read the JSON object once into a map and take each field by wire name: one
//! line per field in the generated code, with the generic work done here, once.
//!
//! The fields are taken in a [`ReadObject`] impl, which is not generic: its trait
//! obligations (`Option<Disk>: Deserialize<'static>`, …) are proved once for the whole crate
//! instead of once per impl, as they were in a `Deserialize` impl generic over its
//! deserializer, where they were the largest part of `cargo check` (BENCHMARKS.md). The
//! generated `Deserialize` is one call of [`read`].
//!
//! The fields' bounds are `Deserialize<'static>`, not `DeserializeOwned`: a [`Value`]
//! deserializes for any lifetime, so for the owned types models hold either bound reads the
//! same, and the plain one is cheaper to prove at each of the generated crate's hundreds of
//! field reads than the higher-ranked `for<'de> Deserialize<'de>` (0.3% of a module's
//! `cargo check`, BENCHMARKS.md).
//!
//! The behaviour matches the derive's where it matters: unknown fields are ignored (the
//! service may add fields), a missing required field is serde's `missing field` error, and
//! an absent or `null` optional field is `None`.

use std::collections::HashMap;
use std::fmt;

use serde::de::Error;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::format::Format;

/// A model read field by field from a [`JsonObject`]: what a generated model implements
/// instead of a `Deserialize` generic over the deserializer. Read it through [`read`], which
/// reports the errors of optional fields too.
pub trait ReadObject: Sized {
    /// Takes the model's fields from `object`; the fields left are unknown to this version.
    fn read(object: &mut JsonObject) -> Result<Self, ReadError>;
}

/// `Deserialize` of a [`ReadObject`]: reads the JSON object, then the model's fields from it;
/// fails with the first field, in declaration order, that could not be read.
pub fn read<'de, T: ReadObject, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let mut object = JsonObject::deserialize(deserializer)?;
    T::read(&mut object)
        .and_then(|value| object.finish(value))
        .map_err(|error| D::Error::custom(error.0))
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
///
/// Optional fields are taken without `?` (a `?` per field was a large part of what the
/// generated impls cost to type-check): the first error is kept, and reported by the next
/// required field or by [`read`] at the end, so the error is always the first failing
/// field's in declaration order, as with `?` on every field.
#[derive(Debug)]
pub struct JsonObject {
    fields: Map<String, Value>,
    error: Option<ReadError>,
}

impl JsonObject {
    /// Reads a JSON object; anything else is a type error.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // serde's own message would quote the value (`invalid type: string "…"`), and a
        // value may be a secret: say what was expected instead.
        Map::deserialize(deserializer)
            .map(|fields| JsonObject {
                fields,
                error: None,
            })
            .map_err(|_| D::Error::custom("invalid type: expected a JSON object"))
    }

    /// The model read, or the first field that could not be read.
    fn finish<T>(&mut self, value: T) -> Result<T, ReadError> {
        match self.error.take() {
            Some(error) => Err(error),
            None => Ok(value),
        }
    }

    /// A required field: `missing field` when absent.
    pub fn required<T: Deserialize<'static>>(&mut self, key: &'static str) -> Result<T, ReadError> {
        let read = match self.fields.remove(key) {
            Some(value) => T::deserialize(value).map_err(|error| field_error(key, &error)),
            None => Err(ReadError::missing(key)),
        };
        self.first_error(read)
    }

    /// A required field that responses may leave out: one the service never returns
    /// (`x-ms-mutability` without `read`, or an `x-ms-secret`). Absent or `null`, it is the
    /// type's default (an empty string for a password), so a response that omits it does not
    /// fail the whole call; the field stays non-optional for what callers send.
    pub fn required_unless_omitted<T: Deserialize<'static> + Default>(
        &mut self,
        key: &'static str,
    ) -> T {
        let read = match self.fields.remove(key) {
            None | Some(Value::Null) => Ok(T::default()),
            Some(value) => T::deserialize(value).map_err(|error| field_error(key, &error)),
        };
        self.keep_error(read).unwrap_or_default()
    }

    /// An optional field: `None` when absent or `null` (or unreadable: see [`JsonObject`]).
    pub fn optional<T: Deserialize<'static>>(&mut self, key: &'static str) -> Option<T> {
        let read = match self.fields.remove(key) {
            None | Some(Value::Null) => return None,
            Some(value) => T::deserialize(value).map_err(|error| field_error(key, &error)),
        };
        self.keep_error(read)
    }

    /// A required field's result, unless an earlier field failed: then that error.
    fn first_error<T>(&mut self, read: Result<T, ReadError>) -> Result<T, ReadError> {
        match self.error.take() {
            Some(earlier) => Err(earlier),
            None => read,
        }
    }

    /// An optional field's value; its error is kept unless an earlier field failed.
    fn keep_error<T>(&mut self, read: Result<T, ReadError>) -> Option<T> {
        match read {
            Ok(value) => Some(value),
            Err(error) => {
                self.error.get_or_insert(error);
                None
            }
        }
    }

    /// A required field written in a string [`Format`] (date-times, UUIDs, base64, alone
    /// or in arrays and maps).
    pub fn required_as<F: Format>(&mut self, key: &'static str) -> Result<F::Value, ReadError> {
        let read = match self.fields.remove(key) {
            Some(value) => F::decode(value).map_err(|err| format_error(key, &err)),
            None => Err(ReadError::missing(key)),
        };
        self.first_error(read)
    }

    /// An optional field written in a string [`Format`]: `None` when absent or `null`.
    pub fn optional_as<F: Format>(&mut self, key: &'static str) -> Option<F::Value> {
        let read = match self.fields.remove(key) {
            None | Some(Value::Null) => return None,
            Some(value) => F::decode(value).map_err(|err| format_error(key, &err)),
        };
        self.keep_error(read)
    }

    /// Every field not taken yet (`additionalProperties` beside `properties`). Take it last.
    pub fn rest<T: Deserialize<'static>>(&mut self) -> HashMap<String, T> {
        let read = std::mem::take(&mut self.fields)
            .into_iter()
            .map(|(key, value)| {
                T::deserialize(value)
                    .map_err(|error| field_error(&key, &error))
                    .map(|value| (key, value))
            })
            .collect();
        self.keep_error(read).unwrap_or_default()
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
pub fn variant<T: Deserialize<'static>, E: Error>(object: Value) -> Result<T, E> {
    T::deserialize(object).map_err(|error| {
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

/// `Deserialize` of an extensible enum: the wire string, converted by the enum's
/// `From<String>`, which keeps a value it does not list. Never fails on a string.
pub fn extensible_enum<'de, T: From<String>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    String::deserialize(deserializer).map(T::from)
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
                count: object.optional("count"),
                when: object.optional_as::<crate::format::Rfc3339>("when"),
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

    /// An optional field before a required one, for the order of errors.
    #[derive(Debug)]
    struct Ordered {
        first: Option<i32>,
        second: String,
        third: Option<i32>,
    }

    impl ReadObject for Ordered {
        fn read(object: &mut JsonObject) -> Result<Self, ReadError> {
            Ok(Ordered {
                first: object.optional("first"),
                second: object.required("second")?,
                third: object.optional("third"),
            })
        }
    }

    impl<'de> Deserialize<'de> for Ordered {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            read(deserializer)
        }
    }

    #[test]
    fn the_first_failing_field_in_declaration_order_is_the_error() {
        let error = |value| {
            serde_json::from_value::<Ordered>(value)
                .unwrap_err()
                .to_string()
        };
        // An unreadable optional field before a missing required one: the optional's error.
        assert!(error(json!({"first": "x"})).starts_with("field `first`"));
        assert!(
            error(json!({"first": "x", "second": "s", "third": "y"})).starts_with("field `first`")
        );
        // Required fields report as before.
        assert!(error(json!({"first": 1})).starts_with("missing field `second`"));
        // An optional field after every required one is still reported.
        assert!(error(json!({"second": "s", "third": "y"})).starts_with("field `third`"));
        let fine: Ordered = serde_json::from_value(json!({"second": "s", "third": 3})).unwrap();
        assert_eq!(
            (fine.first, fine.second.as_str(), fine.third),
            (None, "s", Some(3))
        );
    }

    #[test]
    fn the_rest_and_tagged_objects() {
        let object = |value| JsonObject {
            fields: serde_json::from_value(value).unwrap(),
            error: None,
        };
        let mut three = object(json!({"a": 1, "b": "x", "c": "y"}));
        let a: i32 = three.required("a").unwrap();
        assert_eq!(a, 1);
        let rest: HashMap<String, String> = three.rest();
        assert_eq!(rest.len(), 2);
        assert!(three.finish(()).is_ok());
        let mut wrong = object(json!({"k": "sig=SECRET"}));
        assert!(wrong.rest::<i32>().is_empty());
        let err = wrong.finish(()).unwrap_err();
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

    /// An extensible enum's shape: a listed value, or the text kept as received.
    #[derive(Debug, PartialEq)]
    enum Level {
        Read,
        Unknown(String),
    }

    impl From<String> for Level {
        fn from(value: String) -> Self {
            match value.as_str() {
                "Read" => Self::Read,
                _ => Self::Unknown(value),
            }
        }
    }

    #[test]
    fn extensible_enums_keep_unlisted_values_and_reject_non_strings() {
        let read = |value| extensible_enum::<Level, _>(value);
        assert_eq!(read(json!("Read")).unwrap(), Level::Read);
        assert_eq!(
            read(json!("Write")).unwrap(),
            Level::Unknown("Write".to_owned())
        );
        assert!(read(json!(3)).is_err());
        assert!(read(json!(null)).is_err());
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
                password: object.required_unless_omitted("password"),
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
