//! One view over a schema as written (raw JSON), for Swagger 2.0 and OpenAPI 3.0 alike, so
//! the type lowering matches on one enum and reads every keyword — including the siblings of
//! a `$ref`, which typed OpenAPI models drop.

use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::diagnostics::Location;

/// A schema's identity: the file it is written in and its JSON pointer there. However many
/// paths reach a schema, it is lowered once, under this key.
///
/// The pointer comes first, so the ordered maps keyed by identity compare pointers (bytes)
/// and paths (component by component, ≈ 10× slower) only when the pointers are equal: the
/// lowering looks identities up thousands of times, and no output depends on their order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SchemaId {
    pub pointer: String,
    pub file: PathBuf,
}

impl From<&Location> for SchemaId {
    fn from(location: &Location) -> Self {
        SchemaId {
            file: location.file.clone(),
            pointer: location.pointer.clone(),
        }
    }
}

/// What a schema describes, as far as the generator cares.
pub enum Shape<'a> {
    /// `{"$ref": …}` (siblings beside it), or OpenAPI 3.0's way to give a reference
    /// siblings: `{"allOf": [{"$ref": …}]}` with no properties of its own.
    Ref(&'a str),
    /// A string (enums are recognised before shapes: see [`Schema::is_enum`]).
    String {
        format: Option<&'a str>,
    },
    Integer {
        format: Option<&'a str>,
    },
    Number {
        format: Option<&'a str>,
    },
    Boolean,
    Array {
        items: Option<&'a Value>,
    },
    Object {
        properties: Option<&'a Map<String, Value>>,
        additional: Additional<'a>,
        all_of: &'a [Value],
    },
    /// No type at all: any JSON value.
    Any,
    /// A construct the generator does not support, by its keyword.
    Unsupported(&'static str),
}

/// `additionalProperties`.
#[derive(Clone, Copy)]
pub enum Additional<'a> {
    /// Absent or `false`.
    None,
    /// `true` or `{}`: any JSON value.
    Any,
    Schema(&'a Value),
}

/// The keywords of one schema object.
#[derive(Clone, Copy)]
pub struct Schema<'a>(pub &'a Map<String, Value>);

impl<'a> Schema<'a> {
    /// `None` when the value is not a JSON object (a schema must be one here).
    pub fn of(value: &'a Value) -> Option<Schema<'a>> {
        value.as_object().map(Schema)
    }

    /// The value of a keyword. A schema of a few keywords is searched in order, not hashed:
    /// serde_json's ordered map hashes every key looked up (SipHash, ≈ 300 instructions),
    /// and the lowering asks each schema for a dozen keywords, most of them absent.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        crate::load::refs::member(self.0, key)
    }

    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(Value::as_str)
    }

    pub fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Value::as_bool) == Some(true)
    }

    pub fn description(&self) -> Option<&'a str> {
        self.str("description")
    }

    pub fn reference(&self) -> Option<&'a str> {
        self.str("$ref")
    }

    pub fn all_of(&self) -> &'a [Value] {
        self.0
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub fn properties(&self) -> Option<&'a Map<String, Value>> {
        self.get("properties").and_then(Value::as_object)
    }

    pub fn required(&self) -> impl Iterator<Item = &'a str> {
        self.0
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
    }

    /// The discriminator property: a string in Swagger 2.0, `{propertyName}` in OpenAPI 3.0.
    pub fn discriminator(&self) -> Option<&'a str> {
        match self.get("discriminator")? {
            Value::String(name) => Some(name),
            Value::Object(object) => object.get("propertyName").and_then(Value::as_str),
            _ => None,
        }
    }

    pub fn x_ms_enum(&self) -> Option<&'a Map<String, Value>> {
        self.get("x-ms-enum").and_then(Value::as_object)
    }

    /// `enum` or `x-ms-enum`: a named set of values.
    pub fn is_enum(&self) -> bool {
        let typ = self.str("type");
        (self.get("enum").is_some() || self.x_ms_enum().is_some())
            && matches!(typ, None | Some("string"))
    }

    /// `x-ms-enum.name`, the name every use of the enum shares.
    pub fn enum_name(&self) -> Option<&'a str> {
        self.x_ms_enum()?.get("name")?.as_str()
    }

    /// Objects and enums become named types; primitives, arrays and maps are used inline.
    pub fn defines_type(&self) -> bool {
        self.is_enum()
            || self.discriminator().is_some()
            || match self.shape() {
                Shape::Object {
                    properties, all_of, ..
                } => properties.is_some_and(|p| !p.is_empty()) || !all_of.is_empty(),
                _ => false,
            }
    }

    pub fn shape(&self) -> Shape<'a> {
        if let Some(reference) = self.reference() {
            return Shape::Ref(reference);
        }
        for keyword in ["oneOf", "anyOf", "not"] {
            if self.get(keyword).is_some() {
                return Shape::Unsupported(match keyword {
                    "oneOf" => "oneOf",
                    "anyOf" => "anyOf",
                    _ => "not",
                });
            }
        }
        let properties = self.properties();
        let all_of = self.all_of();
        let additional = match self.get("additionalProperties") {
            None | Some(Value::Bool(false)) => Additional::None,
            Some(Value::Bool(true)) => Additional::Any,
            Some(Value::Object(o)) if o.is_empty() => Additional::Any,
            Some(other) => Additional::Schema(other),
        };
        let typ = match self.get("type") {
            None => None,
            Some(Value::String(typ)) => Some(typ.as_str()),
            Some(_) => return Shape::Unsupported("type"),
        };
        let objectish = properties.is_some()
            || !all_of.is_empty()
            || !matches!(additional, Additional::None)
            || typ == Some("object");
        if objectish && matches!(typ, None | Some("object")) {
            if let ([only], true, Additional::None) =
                (all_of, properties.is_none_or(Map::is_empty), additional)
                && let Some(reference) = only.get("$ref").and_then(Value::as_str)
                && self.discriminator().is_none()
            {
                return Shape::Ref(reference);
            }
            return Shape::Object {
                properties,
                additional,
                all_of,
            };
        }
        let format = self.str("format");
        match typ {
            Some("string") => Shape::String { format },
            None if self.get("enum").is_some() => Shape::String { format },
            Some("integer") => Shape::Integer { format },
            Some("number") => Shape::Number { format },
            Some("boolean") => Shape::Boolean,
            Some("array") => Shape::Array {
                items: self.get("items"),
            },
            Some("file") => Shape::Unsupported("type: file"),
            Some("null") => Shape::Unsupported("type: null"),
            Some(_) => Shape::Unsupported("type"),
            None => Shape::Any,
        }
    }
}

/// An enum value as text (`x-ms-enum` values may be numbers or booleans).
pub fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The in-order search finds what the map's own lookup finds, below and above the
    /// eight keywords searched in order, for present and absent keys.
    #[test]
    fn get_finds_what_the_map_finds() {
        for count in [0, 1, 8, 9, 24] {
            let mut map = Map::new();
            for n in 0..count {
                map.insert(format!("k{n}"), Value::from(n));
            }
            let schema = Schema(&map);
            let mut keys: Vec<String> = (0..count + 2).map(|n| format!("k{n}")).collect();
            keys.extend(["".to_string(), "k".to_string(), "type".to_string()]);
            for key in &keys {
                assert_eq!(schema.get(key), map.get(key), "{count} {key}");
            }
        }
    }
}
