//! Serialisation support for generated models, the counterpart of [`crate::de`].
//!
//! `#[derive(Serialize)]` expands to about 50 lines per struct (a field count, one
//! `skip_serializing_if` test and one `serialize_field` call per field, all generic over
//! the serializer), and after the compact `Deserialize` it was the largest part of the
//! generated crate's `cargo check` (BENCHMARKS.md). Generated models instead write each
//! field by wire name into an [`ObjectWriter`], one line per field; the writer builds the
//! JSON object and hands it to the serializer once.
//!
//! The output matches the derive's: fields in declaration order, `None` optionals left out,
//! read-only fields never written (the generated code does not write them), a
//! discriminator first, additional properties last.

use std::collections::HashMap;

use serde::ser::Error;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::format::Format;

/// A JSON object written field by field by a generated `Serialize` impl.
#[derive(Debug, Default)]
pub struct ObjectWriter {
    object: Map<String, Value>,
    /// The first field that could not be written; reported by [`ObjectWriter::finish`].
    error: Option<String>,
}

impl ObjectWriter {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// The discriminator of a polymorphic type's subtype (`"kind": "value"`), written first.
    pub fn tag(&mut self, key: &'static str, value: &'static str) {
        self.object.insert(key.to_owned(), Value::from(value));
    }

    /// A required field.
    pub fn required<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        let value = serde_json::to_value(value);
        self.insert(key, value);
    }

    /// An optional field, left out when `None`.
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.required(key, value);
        }
    }

    /// A required field written in a string [`Format`].
    pub fn required_as<F: Format>(&mut self, key: &'static str, value: &F::Value) {
        let value = F::serialize(value, serde_json::value::Serializer);
        self.insert(key, value);
    }

    /// An optional field written in a string [`Format`], left out when `None`.
    pub fn optional_as<F: Format>(&mut self, key: &'static str, value: &Option<F::Value>) {
        if let Some(value) = value {
            self.required_as::<F>(key, value);
        }
    }

    /// Additional properties (`additionalProperties` beside `properties`), written after
    /// the named fields as serde's `flatten` does.
    pub fn rest<T: Serialize>(&mut self, values: &HashMap<String, T>) {
        for (key, value) in values {
            match serde_json::to_value(value) {
                Ok(value) => {
                    self.object.insert(key.clone(), value);
                }
                Err(error) => self.fail(key, &error),
            }
        }
    }

    /// Serializes the object, or fails with the first field that could not be written.
    pub fn finish<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.error {
            Some(error) => Err(S::Error::custom(error)),
            None => self.object.serialize(serializer),
        }
    }

    fn insert(&mut self, key: &'static str, value: Result<Value, serde_json::Error>) {
        match value {
            Ok(value) => {
                self.object.insert(key.to_owned(), value);
            }
            Err(error) => self.fail(key, &error),
        }
    }

    fn fail(&mut self, key: &str, error: &serde_json::Error) {
        if self.error.is_none() {
            self.error = Some(format!("field `{key}`: {error}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::format::Rfc3339;

    struct Model {
        name: String,
        size: Option<i64>,
        created: Option<azure_core::time::OffsetDateTime>,
        extra: HashMap<String, Value>,
    }

    impl Serialize for Model {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut object = ObjectWriter::new();
            object.tag("kind", "Sub");
            object.required("name", &self.name);
            object.optional("sizeGB", &self.size);
            object.optional_as::<Rfc3339>("created", &self.created);
            object.rest(&self.extra);
            object.finish(serializer)
        }
    }

    #[test]
    fn fields_in_order_none_left_out_tag_first_rest_last() {
        let model = Model {
            name: "d1".into(),
            size: None,
            created: Some(azure_core::time::OffsetDateTime::UNIX_EPOCH),
            extra: HashMap::from([("more".to_owned(), json!(1))]),
        };
        assert_eq!(
            serde_json::to_string(&model).unwrap(),
            r#"{"kind":"Sub","name":"d1","created":"1970-01-01T00:00:00Z","more":1}"#
        );
        let model = Model {
            size: Some(4),
            created: None,
            extra: HashMap::new(),
            ..model
        };
        assert_eq!(
            serde_json::to_value(&model).unwrap(),
            json!({"kind": "Sub", "name": "d1", "sizeGB": 4})
        );
    }

    #[test]
    fn a_field_that_cannot_be_written_is_named() {
        struct Fails;
        impl Serialize for Fails {
            fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(S::Error::custom("no"))
            }
        }
        let mut object = ObjectWriter::new();
        object.required("a", &1);
        object.required("bad", &Fails);
        let error = object.finish(serde_json::value::Serializer).unwrap_err();
        assert_eq!(error.to_string(), "field `bad`: no");
    }
}
