//! Schemas → [`TypeRef`]s and [`TypeDef`]s.
//!
//! Named schemas (anything reached by `$ref`) become one type each, named once here; inline
//! objects and enums are named after their parent and property. Only types the operations
//! reach are generated. After lowering, [`Types::finish`] boxes fields that make a type
//! recursive and records how operations use each type.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::docs::{docs, join};
use super::shape::{Shape, shape};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::load::{SpecSet, ref_target};
use crate::model::{Docs, EnumDef, Field, StructDef, TypeDef, TypeRef, Usage, Variant};
use crate::naming::{Namespace, snake, upper_camel};

/// What a `$ref` target lowered to.
#[derive(Clone)]
enum Known {
    /// A generated type.
    Named(String),
    /// A named schema that is just a primitive, array or map: used inline.
    Inline(TypeRef),
}

/// A schema waiting to become a type definition.
struct Pending {
    name: String,
    location: Location,
    schema: Schema,
}

pub struct Types<'s> {
    specs: &'s SpecSet,
    /// Type names of the module; shared with clients and options, which claim first.
    pub names: Namespace,
    known: BTreeMap<String, Known>,
    /// Named non-object schemas being lowered, to catch an array or map of itself.
    in_progress: BTreeSet<String>,
    pending: VecDeque<Pending>,
    defs: BTreeMap<String, TypeDef>,
    pub diagnostics: Diagnostics,
}

/// The properties of a struct being lowered, with `allOf` parents flattened in.
#[derive(Default)]
struct Collected {
    properties: Vec<(Location, String, ReferenceOr<Box<Schema>>)>,
    required: BTreeSet<String>,
    additional: Option<(Location, AdditionalProperties)>,
}

impl<'s> Types<'s> {
    pub fn new(specs: &'s SpecSet, names: Namespace) -> Self {
        Types {
            specs,
            names,
            known: BTreeMap::new(),
            in_progress: BTreeSet::new(),
            pending: VecDeque::new(),
            defs: BTreeMap::new(),
            diagnostics: Diagnostics::default(),
        }
    }

    /// The type of a schema used at `at`. `inline_name` names an inline object or enum.
    pub fn type_ref(
        &mut self,
        at: &Location,
        schema: &ReferenceOr<Schema>,
        inline_name: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.named(at, reference),
            ReferenceOr::Item(schema) => self.inline(at, schema, inline_name),
        }
    }

    fn boxed_ref(
        &mut self,
        at: &Location,
        schema: &ReferenceOr<Box<Schema>>,
        inline_name: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.named(at, reference),
            ReferenceOr::Item(schema) => self.inline(at, schema, inline_name),
        }
    }

    /// The type a `$ref` names; lowers the target the first time.
    fn named(&mut self, at: &Location, reference: &str) -> TypeRef {
        let target = ref_target(&at.file, reference);
        let key = target.to_string();
        if self.in_progress.contains(&key) {
            self.diagnostics.push(
                Diagnostic::error(
                    at.clone(),
                    format!("`$ref` {reference} makes a type that contains itself with no object in between (an array or map of itself): it cannot be written as a Rust type"),
                )
                .help("wrap the recursion in an object schema with a property, which the generator boxes"),
            );
            return TypeRef::Any;
        }
        if let Some(known) = self.known.get(&key) {
            return match known {
                Known::Named(name) => TypeRef::Named(name.clone()),
                Known::Inline(ty) => ty.clone(),
            };
        }
        let resolved = match self.specs.item::<Schema>(
            at,
            &ReferenceOr::Reference {
                reference: reference.to_string(),
            },
        ) {
            Ok(resolved) => resolved,
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                return TypeRef::Any;
            }
        };
        let wanted = enum_name(&resolved.value).unwrap_or_else(|| {
            target
                .pointer
                .rsplit('/')
                .next()
                .unwrap_or("Type")
                .to_string()
        });
        if defines_type(&resolved.value) {
            let name = self.claim(&resolved.location, &wanted);
            self.known.insert(key, Known::Named(name.clone()));
            self.pending.push_back(Pending {
                name: name.clone(),
                location: resolved.location,
                schema: resolved.value,
            });
            TypeRef::Named(name)
        } else {
            self.in_progress.insert(key.clone());
            let ty = self.inline(&resolved.location, &resolved.value, &wanted);
            self.in_progress.remove(&key);
            self.known.insert(key, Known::Inline(ty.clone()));
            ty
        }
    }

    fn inline(&mut self, at: &Location, schema: &Schema, inline_name: &str) -> TypeRef {
        if defines_type(schema) {
            let wanted = enum_name(schema).unwrap_or_else(|| inline_name.to_string());
            let name = self.claim(at, &wanted);
            self.pending.push_back(Pending {
                name: name.clone(),
                location: at.clone(),
                schema: schema.clone(),
            });
            return TypeRef::Named(name);
        }
        match shape(schema) {
            Shape::Ref(reference) => self.named(at, reference),
            Shape::String { format, .. } => {
                if is_secret(schema) {
                    return TypeRef::SecretString;
                }
                match format.as_deref() {
                    Some("date-time") | Some("date-time-rfc3339") => TypeRef::DateTime,
                    _ => TypeRef::String,
                }
            }
            Shape::Integer { format } => match format.as_deref() {
                Some("int64") => TypeRef::Int64,
                _ => TypeRef::Int32,
            },
            Shape::Number { format } => match format.as_deref() {
                Some("float") => TypeRef::Float32,
                _ => TypeRef::Float64,
            },
            Shape::Boolean => TypeRef::Bool,
            Shape::Array { items: Some(items) } => {
                let item_name = format!("{inline_name}Item");
                TypeRef::Array(Box::new(self.boxed_ref(
                    &at.join("items"),
                    items,
                    &item_name,
                )))
            }
            Shape::Array { items: None } => {
                self.diagnostics.push(
                    Diagnostic::warning(
                        at.clone(),
                        "array without `items`: its elements are any JSON value",
                    )
                    .help("add `items` with the element schema"),
                );
                TypeRef::Array(Box::new(TypeRef::Any))
            }
            Shape::Object { additional, .. } => match additional {
                Some(AdditionalProperties::Schema(value)) => {
                    let value_name = format!("{inline_name}Value");
                    TypeRef::Map(Box::new(self.type_ref(
                        &at.join("additionalProperties"),
                        value,
                        &value_name,
                    )))
                }
                Some(AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Any)),
                _ => TypeRef::Any,
            },
            Shape::Any => TypeRef::Any,
            Shape::Unsupported(keyword) => {
                self.diagnostics.push(
                    Diagnostic::error(at.clone(), format!("`{keyword}` is not supported"))
                        .help("describe the value with `type`, `properties`, `allOf` or `enum`"),
                );
                TypeRef::Any
            }
        }
    }

    /// Claims a type name, warning when a collision forced a different one.
    pub fn claim(&mut self, at: &Location, wanted: &str) -> String {
        let claimed = self.names.claim(upper_camel(wanted));
        if let Some(collided) = claimed.collided_with {
            self.diagnostics.push(
                Diagnostic::warning(
                    at.clone(),
                    format!(
                        "type name `{collided}` is already taken; this schema is named `{}`",
                        claimed.name
                    ),
                )
                .help("give one of the schemas a distinct name (or `x-ms-enum.name`)"),
            );
        }
        claimed.name
    }

    /// Lowers every queued schema, including those that lowering queues in turn.
    pub fn drain(&mut self) {
        while let Some(pending) = self.pending.pop_front() {
            let def = if is_enum(&pending.schema) {
                self.lower_enum(pending)
            } else {
                self.lower_struct(pending)
            };
            if let Some(def) = def {
                self.defs.insert(def.name().to_string(), def);
            }
        }
    }

    fn lower_struct(&mut self, pending: Pending) -> Option<TypeDef> {
        let Pending {
            name,
            location,
            schema,
        } = pending;
        let mut collected = Collected::default();
        self.collect(&location, &schema, &mut collected, &mut Vec::new());
        if let Some((at, _)) = &collected.additional
            && !collected.properties.is_empty()
        {
            self.diagnostics.push(
                    Diagnostic::warning(
                        at.clone(),
                        "`additionalProperties` beside `properties` is not supported; extra properties are ignored",
                    )
                    .subject(format!("schema {name}")),
                );
        }
        for required in &collected.required {
            if !collected
                .properties
                .iter()
                .any(|(_, wire, _)| wire == required)
            {
                self.diagnostics.push(
                    Diagnostic::error(
                        location.join("required"),
                        format!("required property `{required}` is not defined"),
                    )
                    .subject(format!("schema {name}"))
                    .help("add it to `properties` or remove it from `required`"),
                );
            }
        }
        let mut field_names = Namespace::new();
        let mut fields = Vec::new();
        for (at, wire_name, property) in collected.properties {
            let (docs_text, read_only, client_name) =
                property_attributes(self.specs, &at, &property);
            let inline_name = format!("{name}{}", upper_camel(&wire_name));
            let ty = self.boxed_ref(&at, &property, &inline_name);
            let claimed = field_names.claim(snake(client_name.as_deref().unwrap_or(&wire_name)));
            if let Some(collided) = claimed.collided_with {
                // A derived name is renamed; a name the spec asked for explicitly is not ours
                // to change.
                let diagnostic = if client_name.is_some() {
                    Diagnostic::error(
                        at.join("x-ms-client-name"),
                        format!("`x-ms-client-name` asks for field name `{collided}`, which another property of `{name}` already has"),
                    )
                    .help("give the property a different `x-ms-client-name`")
                } else {
                    Diagnostic::warning(
                        at.clone(),
                        format!("field name `{collided}` is already taken in `{name}`; property `{wire_name}` becomes `{}`", claimed.name),
                    )
                    .help("set `x-ms-client-name` on one of the properties")
                };
                self.diagnostics.push(diagnostic);
            }
            let docs_text = or_else(docs_text, || format!("The `{wire_name}` property."));
            fields.push(Field {
                docs: docs_text,
                required: collected.required.contains(&wire_name),
                wire_name,
                rust_name: claimed.name,
                ty,
                read_only,
                boxed: false,
            });
        }
        let struct_docs = or_else(docs(schema.schema_data.description.as_deref()), || {
            format!("The `{name}` model.")
        });
        Some(TypeDef::Struct(StructDef {
            name,
            source: source_name(&location),
            docs: struct_docs,
            fields,
            usage: Usage::default(),
        }))
    }

    /// Gathers properties of `schema` and of its `allOf` parents, parents first. `stack`
    /// holds the schemas being collected, to report inheritance cycles instead of looping.
    fn collect(
        &mut self,
        at: &Location,
        schema: &Schema,
        out: &mut Collected,
        stack: &mut Vec<String>,
    ) {
        let key = at.to_string();
        if stack.contains(&key) {
            self.diagnostics.push(
                Diagnostic::error(
                    at.clone(),
                    "`allOf` inheritance is cyclic: this schema is its own ancestor",
                )
                .help("remove one of the `allOf` references in the cycle"),
            );
            return;
        }
        stack.push(key);
        let Shape::Object {
            properties,
            required,
            additional,
            all_of,
        } = shape(schema)
        else {
            stack.pop();
            return;
        };
        for (index, parent) in all_of.iter().enumerate() {
            let parent_at = at.join("allOf").join(&index.to_string());
            match self.specs.item(&parent_at, parent) {
                Ok(resolved) => self.collect(&resolved.location, &resolved.value, out, stack),
                Err(diagnostic) => self.diagnostics.push(diagnostic),
            }
        }
        for (wire_name, property) in properties {
            let property_at = at.join("properties").join(wire_name);
            // A child redefining a parent's property replaces it in place.
            out.properties
                .retain(|(_, existing, _)| existing != wire_name);
            out.properties
                .push((property_at, wire_name.clone(), property.clone()));
        }
        out.required.extend(required.iter().cloned());
        if let Some(additional) = additional {
            out.additional = Some((at.join("additionalProperties"), additional.clone()));
        }
        stack.pop();
    }

    fn lower_enum(&mut self, pending: Pending) -> Option<TypeDef> {
        let Pending {
            name,
            location,
            schema,
        } = pending;
        let x_ms_enum = schema.schema_data.extensions.get("x-ms-enum");
        let extensible = x_ms_enum
            .and_then(|e| e.get("modelAsString"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        // x-ms-enum.values carry per-value names and docs; `enum` is the fallback.
        let mut values: Vec<(String, Option<String>, Docs)> = Vec::new();
        if let Some(Value::Array(items)) = x_ms_enum.and_then(|e| e.get("values")) {
            for item in items {
                let Some(value) = item.get("value").and_then(value_text) else {
                    continue;
                };
                let name = item.get("name").and_then(Value::as_str).map(str::to_string);
                values.push((
                    value,
                    name,
                    docs(item.get("description").and_then(Value::as_str)),
                ));
            }
        } else if let Shape::String { values: plain, .. } = shape(&schema) {
            values.extend(
                plain
                    .into_iter()
                    .map(|value| (value, None, Docs::default())),
            );
        }
        if values.is_empty() {
            self.diagnostics.push(
                Diagnostic::error(location.join("enum"), "enum has no values")
                    .subject(format!("schema {name}"))
                    .help("list the values in `enum` (and `x-ms-enum.values`)"),
            );
            return None;
        }
        let mut seen = BTreeSet::new();
        let mut variant_names = Namespace::new();
        if extensible {
            variant_names.reserve("UnknownValue");
        }
        let mut variants = Vec::new();
        for (value, client_name, variant_docs) in values {
            if !seen.insert(value.clone()) {
                self.diagnostics.push(
                    Diagnostic::error(
                        location.join("enum"),
                        format!("enum value `{value}` is listed twice"),
                    )
                    .subject(format!("schema {name}"))
                    .help("remove the duplicate value"),
                );
                continue;
            }
            let claimed =
                variant_names.claim(upper_camel(client_name.as_deref().unwrap_or(&value)));
            if let Some(collided) = claimed.collided_with {
                self.diagnostics.push(
                    Diagnostic::warning(
                        location.join("enum"),
                        format!("variant name `{collided}` is already taken in `{name}`; value `{value}` becomes `{}`", claimed.name),
                    )
                    .help("give the value a distinct `name` in `x-ms-enum.values`"),
                );
            }
            variants.push(Variant {
                wire_value: value,
                rust_name: claimed.name,
                docs: variant_docs,
            });
        }
        let enum_docs = or_else(docs(schema.schema_data.description.as_deref()), || {
            format!("The `{name}` values.")
        });
        Some(TypeDef::Enum(EnumDef {
            name,
            source: source_name(&location),
            docs: enum_docs,
            extensible,
            variants,
        }))
    }

    /// Boxes recursive fields, applies usage, and returns the types sorted by name.
    pub fn finish(mut self, usage: &BTreeMap<String, Usage>) -> (Vec<TypeDef>, Diagnostics) {
        box_recursive_fields(&mut self.defs);
        let mut types: Vec<TypeDef> = self.defs.into_values().collect();
        for def in &mut types {
            if let TypeDef::Struct(s) = def {
                s.usage = usage.get(&s.name).copied().unwrap_or_default();
            }
        }
        (types, self.diagnostics)
    }

    /// The named types directly referenced by the fields of `name`.
    pub fn field_types(&self, name: &str) -> Vec<TypeRef> {
        match self.defs.get(name) {
            Some(TypeDef::Struct(s)) => s.fields.iter().map(|f| f.ty.clone()).collect(),
            _ => Vec::new(),
        }
    }
}

/// Docs, readOnly and `x-ms-client-name` of a property, looking through an `allOf` wrapper
/// (the OpenAPI 3.0 way to give a `$ref` siblings).
fn property_attributes(
    specs: &SpecSet,
    at: &Location,
    property: &ReferenceOr<Box<Schema>>,
) -> (Docs, bool, Option<String>) {
    match property {
        ReferenceOr::Item(schema) => {
            let data = &schema.schema_data;
            let mut text = docs(data.description.as_deref());
            if is_secret(schema) {
                text = join(
                    text,
                    docs(Some(
                        "This is a secret: read it with `expose_secret()`; `Debug` never shows it.",
                    )),
                );
            }
            let client_name = data
                .extensions
                .get("x-ms-client-name")
                .and_then(Value::as_str)
                .map(str::to_string);
            (text, data.read_only, client_name)
        }
        ReferenceOr::Reference { reference } => {
            // A bare reference has no docs of its own; borrow the target's first line.
            let target: Option<Schema> = specs.resolve(at, reference).ok().map(|r| r.value);
            let text = target
                .and_then(|t| t.schema_data.description)
                .map(|d| docs(Some(&d)))
                .unwrap_or_default();
            (text, false, None)
        }
    }
}

/// Objects and enums become named types; primitives, arrays and maps are used inline.
fn defines_type(schema: &Schema) -> bool {
    is_enum(schema)
        || match shape(schema) {
            Shape::Object {
                properties, all_of, ..
            } => !properties.is_empty() || !all_of.is_empty(),
            _ => false,
        }
}

fn is_enum(schema: &Schema) -> bool {
    matches!(shape(schema), Shape::String { values, .. } if !values.is_empty())
        || schema.schema_data.extensions.contains_key("x-ms-enum")
}

fn enum_name(schema: &Schema) -> Option<String> {
    is_enum(schema).then_some(())?;
    schema
        .schema_data
        .extensions
        .get("x-ms-enum")?
        .get("name")?
        .as_str()
        .map(str::to_string)
}

fn is_secret(schema: &Schema) -> bool {
    schema
        .schema_data
        .extensions
        .get("x-ms-secret")
        .and_then(Value::as_bool)
        == Some(true)
}

/// `file.json#/pointer`: where a type came from, without folders so the model (and its
/// snapshot) reads the same on every machine.
fn source_name(location: &Location) -> String {
    let file = location
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{file}#{}", location.pointer)
}

/// Every public item needs docs (the generated crate warns on missing ones); a spec without
/// a description gets a plain statement of what the item is.
fn or_else(docs: Docs, fallback: impl FnOnce() -> String) -> Docs {
    if docs.is_empty() {
        Docs {
            lines: vec![fallback()],
        }
    } else {
        docs
    }
}

fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A field whose type contains the struct itself without indirection (directly or through
/// other structs, and `Option` does not count as indirection) makes the type infinitely
/// large: box every such field on a cycle. `Vec` and maps already allocate.
fn box_recursive_fields(defs: &mut BTreeMap<String, TypeDef>) {
    let edges: BTreeMap<String, Vec<String>> = defs
        .iter()
        .filter_map(|(name, def)| match def {
            TypeDef::Struct(s) => Some((
                name.clone(),
                s.fields
                    .iter()
                    .filter_map(|f| match &f.ty {
                        TypeRef::Named(target) => Some(target.clone()),
                        _ => None,
                    })
                    .collect(),
            )),
            TypeDef::Enum(_) => None,
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(current) = stack.pop() {
            if current == to {
                return true;
            }
            if seen.insert(current.clone()) {
                stack.extend(edges.get(&current).into_iter().flatten().cloned());
            }
        }
        false
    };
    for (name, def) in defs.iter_mut() {
        if let TypeDef::Struct(s) = def {
            for field in &mut s.fields {
                if let TypeRef::Named(target) = &field.ty {
                    field.boxed = reaches(target, name);
                }
            }
        }
    }
}
