//! An example's JSON checked against the model's types, and reduced to what the generated
//! model serializes: read-only fields (never serialized), undeclared properties (not kept)
//! and `null`s (`None`, skipped) removed, a subtype's discriminator always written.
//!
//! A value that the model could not deserialize (a wrong JSON type, a missing required
//! property, a value a closed enum does not list) is an error naming its JSON pointer: the
//! example does not match the schema, and replaying it would test nothing.

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diagnostics::pointer_token;
use crate::model::{AccessStep, ReadOnlyValue, StructDef, TypeDef, TypeRef};

/// The model's types by name, and the read-only strings met since the last
/// [`Shapes::take_read_only`] with their field paths.
pub struct Shapes<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
    read_only: RefCell<Vec<ReadOnlyValue>>,
    /// The way from the projected root to the value being projected; `None` inside a part
    /// a field path cannot reach (a map, a polymorphic value).
    path: RefCell<Option<Vec<AccessStep>>>,
}

/// The JSON pointer of the value being projected, for errors only: a chain of borrowed
/// steps, written out (`{root}/{token}/{index}`) only when an error names it, not built for
/// every field of every example.
enum At<'p> {
    Root(&'p str),
    /// An object member, by its key as written (escaped when shown).
    Key(&'p At<'p>, &'p str),
    Index(&'p At<'p>, usize),
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Root(root) => f.write_str(root),
            At::Key(parent, key) => write!(f, "{parent}/{}", pointer_token(key)),
            At::Index(parent, index) => write!(f, "{parent}/{index}"),
        }
    }
}

impl<'a> Shapes<'a> {
    pub fn new(types: &'a [TypeDef]) -> Self {
        Shapes {
            types: types.iter().map(|t| (t.name(), t)).collect(),
            read_only: RefCell::default(),
            path: RefCell::new(Some(Vec::new())),
        }
    }

    /// The values of read-only string fields (and string lists) projected since the last
    /// call: never serialized, so a test checks them on the deserialized model instead.
    pub fn take_read_only(&self) -> Vec<ReadOnlyValue> {
        std::mem::take(&mut self.read_only.borrow_mut())
    }

    /// Runs `f` one step further down (`None`: somewhere no field path reaches). The path is
    /// changed in place and put back after `f`, not copied per step: this runs for every
    /// value of every example.
    fn within<T>(&self, step: Option<AccessStep>, f: impl FnOnce() -> T) -> T {
        match step {
            Some(step) => {
                let pushed = match self.path.borrow_mut().as_mut() {
                    Some(path) => {
                        path.push(step);
                        true
                    }
                    None => false,
                };
                let result = f();
                if pushed && let Some(path) = self.path.borrow_mut().as_mut() {
                    path.pop();
                }
                result
            }
            None => {
                let saved = self.path.borrow_mut().take();
                let result = f();
                *self.path.borrow_mut() = saved;
                result
            }
        }
    }

    /// `value` as the model of `ty` re-serializes it; `None` for `null` (an absent value).
    /// `at` is the JSON pointer of `value` in the example file, for the error.
    pub fn project(&self, value: &Value, ty: &TypeRef, at: &str) -> Result<Option<Value>, String> {
        self.project_at(value, ty, &At::Root(at))
    }

    fn project_at(
        &self,
        value: &Value,
        ty: &TypeRef,
        at: &At<'_>,
    ) -> Result<Option<Value>, String> {
        if value.is_null() {
            return Ok(None);
        }
        let mismatch = |what: &str| Err(format!("{at}: expected {what}, found {}", kind(value)));
        let projected = match ty {
            TypeRef::Named(name) => return self.named(value, name, at).map(Some),
            TypeRef::String
            | TypeRef::SecretString
            | TypeRef::DateTime
            | TypeRef::DateTimeRfc1123
            | TypeRef::Date
            | TypeRef::Uuid
            | TypeRef::Bytes
            | TypeRef::BytesUrlSafe => match value {
                Value::String(_) => value.clone(),
                _ => return mismatch("a string"),
            },
            TypeRef::Bool => match value {
                Value::Bool(_) => value.clone(),
                _ => return mismatch("a boolean"),
            },
            TypeRef::Int32 | TypeRef::Int64 => match value.as_i64() {
                Some(_) => value.clone(),
                None => return mismatch("an integer"),
            },
            TypeRef::Float32 | TypeRef::Float64 => match value {
                Value::Number(_) => value.clone(),
                _ => return mismatch("a number"),
            },
            TypeRef::Array(item) => {
                let Value::Array(items) = value else {
                    return mismatch("an array");
                };
                let mut out = Vec::with_capacity(items.len());
                for (index, item_value) in items.iter().enumerate() {
                    let item_at = At::Index(at, index);
                    let step = Some(AccessStep::Index(index));
                    match self.within(step, || self.project_at(item_value, item, &item_at))? {
                        Some(projected) => out.push(projected),
                        None => return Err(format!("{item_at}: an array item is null")),
                    }
                }
                Value::Array(out)
            }
            TypeRef::Map(inner) => {
                let Value::Object(entries) = value else {
                    return mismatch("an object");
                };
                let mut out = Map::new();
                for (key, entry) in entries {
                    let entry_at = At::Key(at, key);
                    match self.within(None, || self.project_at(entry, inner, &entry_at))? {
                        Some(projected) => out.insert(key.clone(), projected),
                        None => return Err(format!("{entry_at}: a map value is null")),
                    };
                }
                Value::Object(out)
            }
            TypeRef::Any => value.clone(),
        };
        Ok(Some(projected))
    }

    fn named(&self, value: &Value, name: &str, at: &At<'_>) -> Result<Value, String> {
        match self.types.get(name) {
            Some(TypeDef::Struct(def)) => self.structure(value, def, at),
            Some(TypeDef::Enum(def)) => {
                let Value::String(text) = value else {
                    return Err(format!(
                        "{at}: expected a string of `{name}`, found {}",
                        kind(value)
                    ));
                };
                let listed = def.variants.iter().any(|v| &v.wire_value == text);
                if !listed && !def.extensible {
                    return Err(format!(
                        "{at}: `{text}` is not a value of the enum `{name}`"
                    ));
                }
                Ok(value.clone())
            }
            Some(TypeDef::Union(def)) => {
                let tag = value.get(&def.discriminator).and_then(Value::as_str);
                let variant = def
                    .variants
                    .iter()
                    .find(|v| Some(v.wire_value.as_str()) == tag);
                match variant {
                    Some(variant) => self.within(None, || self.named(value, &variant.ty, at)),
                    // An unknown subtype is kept whole.
                    None => Ok(value.clone()),
                }
            }
            None => Err(format!("{at}: the model has no type `{name}`")),
        }
    }

    fn structure(&self, value: &Value, def: &StructDef, at: &At<'_>) -> Result<Value, String> {
        let Value::Object(object) = value else {
            return Err(format!(
                "{at}: expected an object of `{}`, found {}",
                def.name,
                kind(value)
            ));
        };
        let mut out = Map::new();
        if let Some(tag) = &def.tag {
            out.insert(tag.property.clone(), Value::String(tag.value.clone()));
        }
        for field in &def.fields {
            // Most fields of a large model are absent from an example: their place and step
            // are made only for those present.
            let step = || AccessStep::Field {
                rust_name: field.rust_name.clone(),
                required: field.presence.is_required(),
            };
            let projected = match crate::load::refs::member(object, &field.wire_name) {
                Some(field_value) => {
                    let field_at = At::Key(at, &field.wire_name);
                    self.within(Some(step()), || {
                        self.project_at(field_value, &field.ty, &field_at)
                    })?
                }
                None => None,
            };
            match projected {
                // Checked, but never serialized.
                Some(projected) if field.read_only => {
                    self.within(Some(step()), || self.note_read_only(&projected, &field.ty));
                }
                Some(projected) => {
                    out.insert(field.wire_name.clone(), projected);
                }
                None if field.required => {
                    return Err(format!(
                        "{at}: the required property `{}` of `{}` is missing",
                        field.wire_name, def.name
                    ));
                }
                None => {}
            }
        }
        if let Some(additional) = &def.additional {
            let declared = |key: &str| {
                def.fields.iter().any(|f| f.wire_name == key)
                    || def.tag.as_ref().is_some_and(|t| t.property == key)
            };
            for (key, entry) in object.iter().filter(|(key, _)| !declared(key)) {
                let entry_at = At::Key(at, key);
                let projected =
                    self.within(None, || self.project_at(entry, &additional.ty, &entry_at))?;
                if let Some(projected) = projected {
                    out.insert(key.clone(), projected);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

impl Shapes<'_> {
    /// Records a read-only string (or each of a string list) at the current path.
    fn note_read_only(&self, value: &Value, ty: &TypeRef) {
        let Some(path) = self.path.borrow().clone() else {
            return;
        };
        let mut noted = self.read_only.borrow_mut();
        let mut note = |path: Vec<AccessStep>, text: &str| {
            noted.push(ReadOnlyValue {
                path,
                value: text.to_owned(),
            })
        };
        match (ty, value) {
            (TypeRef::String, Value::String(text)) => note(path, text),
            (TypeRef::Array(item), Value::Array(items)) if **item == TypeRef::String => {
                for (index, item) in items.iter().enumerate() {
                    if let Some(text) = item.as_str() {
                        let mut path = path.clone();
                        path.push(AccessStep::Index(index));
                        note(path, text);
                    }
                }
            }
            _ => {}
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::{Docs, EnumDef, Field, Mutability, Presence, StructDef, Usage, Variant};

    fn field(wire: &str, ty: TypeRef, required: bool, read_only: bool) -> Field {
        Field {
            wire_name: wire.into(),
            rust_name: wire.into(),
            ty,
            required,
            read_only,
            presence: Presence::of(required, read_only),
            boxed: false,
            mutability: Mutability::default(),
            docs: Docs::default(),
        }
    }

    fn types() -> Vec<TypeDef> {
        let thing = StructDef {
            name: "Thing".into(),
            source: String::new(),
            docs: Docs::default(),
            fields: vec![
                field("id", TypeRef::String, false, true),
                field("name", TypeRef::String, true, false),
                field("mode", TypeRef::Named("Mode".into()), false, false),
                field(
                    "sizes",
                    TypeRef::Array(Box::new(TypeRef::Int32)),
                    false,
                    false,
                ),
            ],
            additional: None,
            tag: None,
            usage: Usage::default(),
        };
        let mode = EnumDef {
            name: "Mode".into(),
            source: String::new(),
            docs: Docs::default(),
            extensible: false,
            variants: vec![Variant {
                wire_value: "Fast".into(),
                rust_name: "Fast".into(),
                docs: Docs::default(),
            }],
        };
        vec![TypeDef::Struct(thing), TypeDef::Enum(mode)]
    }

    fn project(value: serde_json::Value) -> Result<Option<serde_json::Value>, String> {
        let types = types();
        let shapes = Shapes::new(&types);
        shapes.project(&value, &TypeRef::Named("Thing".into()), "/body")
    }

    /// A chain of steps reads as the pointer the eager `format!`s spelled.
    #[test]
    fn a_place_reads_as_the_pointer_spelled_step_by_step() {
        let root = At::Root("/responses/200/body");
        let key = At::Key(&root, "a/b~c");
        let index = At::Index(&key, 3);
        let plain = At::Key(&index, "name");
        let key_at = format!("/responses/200/body/{}", pointer_token("a/b~c"));
        let index_at = format!("{key_at}/3");
        let eager = format!("{index_at}/name");
        assert_eq!(plain.to_string(), eager);
        assert_eq!(plain.to_string(), "/responses/200/body/a~1b~0c/3/name");
        assert_eq!(At::Root("").to_string(), "");
    }

    #[test]
    fn read_only_undeclared_and_null_fields_are_not_serialized() {
        let types = types();
        let shapes = Shapes::new(&types);
        let value = json!({"id": "x/1", "name": "a", "other": 1, "mode": null, "sizes": [1, 2]});
        let projected = shapes.project(&value, &TypeRef::Named("Thing".into()), "/body");
        assert_eq!(projected, Ok(Some(json!({"name": "a", "sizes": [1, 2]}))));
        let read_only = shapes.take_read_only();
        let values: Vec<(&[AccessStep], &str)> = read_only
            .iter()
            .map(|r| (r.path.as_slice(), r.value.as_str()))
            .collect();
        let id = AccessStep::Field {
            rust_name: "id".into(),
            required: false,
        };
        assert_eq!(values, [(std::slice::from_ref(&id), "x/1")]);
        assert!(shapes.take_read_only().is_empty());
    }

    #[test]
    fn a_required_read_only_field_is_reached_as_an_option() {
        // The spec calls `label` required, but it is read-only: the model holds it as an
        // `Option` (the caller builds the type without it), so the replay must reach it
        // through `as_ref()`, not as a plain field.
        let holder = StructDef {
            name: "Holder".into(),
            source: String::new(),
            docs: Docs::default(),
            fields: vec![field("label", TypeRef::String, true, true)],
            additional: None,
            tag: None,
            usage: Usage::default(),
        };
        let types = vec![TypeDef::Struct(holder)];
        let shapes = Shapes::new(&types);
        let projected = shapes.project(
            &json!({"label": "x"}),
            &TypeRef::Named("Holder".into()),
            "/body",
        );
        assert_eq!(projected, Ok(Some(json!({}))));
        let label = AccessStep::Field {
            rust_name: "label".into(),
            required: false,
        };
        let read_only = shapes.take_read_only();
        assert_eq!(read_only.len(), 1);
        assert_eq!(read_only[0].path, [label]);
    }

    #[test]
    fn values_the_model_cannot_read_say_where() {
        assert_eq!(
            project(json!({"id": "x"})),
            Err("/body: the required property `name` of `Thing` is missing".into())
        );
        assert_eq!(
            project(json!({"name": "a", "mode": "Slow"})),
            Err("/body/mode: `Slow` is not a value of the enum `Mode`".into())
        );
        assert_eq!(
            project(json!({"name": "a", "sizes": [1, "2"]})),
            Err("/body/sizes/1: expected an integer, found a string".into())
        );
        assert_eq!(
            project(json!(["a"])),
            Err("/body: expected an object of `Thing`, found an array".into())
        );
    }
}
