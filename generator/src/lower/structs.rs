//! Object schemas → [`StructDef`]s: properties of every `allOf` ancestor flattened in
//! (parents first), and the siblings of a property's `$ref` — `description`, `readOnly`,
//! `x-ms-client-name`, `x-ms-mutability`, `x-ms-secret` — kept. `x-ms-client-flatten` is
//! deliberately not applied: the nested `properties` field stays, as in Azure's Go and
//! TypeSpec-Rust clients, so the Rust type reads like the JSON it carries.

use std::collections::BTreeSet;

use serde_json::Value;

use super::docs::{docs, join};
use super::shape::{Additional, Schema, SchemaId, Shape};
use super::types::{
    Kind, MAX_DEPTH, Pending, Types, definition_name, or_else, too_deep, wanted_type_name,
};
use crate::diagnostics::{Diagnostic, Location};
use crate::model::{
    AdditionalField, Docs, Field, Mutability, Presence, StructDef, Tag, TypeDef, TypeRef, Usage,
};
use crate::naming::{Namespace, snake, upper_camel};

/// A property as found while collecting: where, its wire name, its schema as written, the
/// type name of the schema that declares it (for naming its inline types), and that
/// schema's definition key when an ancestor declares it (the config's secrets name it so).
struct Property {
    at: Location,
    wire_name: String,
    schema: Value,
    owner: String,
    declared_in: Option<String>,
}

/// The properties of a struct being lowered, with `allOf` parents flattened in.
#[derive(Default)]
struct Collected {
    properties: Vec<Property>,
    required: BTreeSet<String>,
    additional: Option<(Location, Value)>,
    /// The discriminator property of a polymorphic ancestor.
    discriminator: Option<String>,
}

/// What a property's own keys (the siblings of its `$ref`) and its target say.
struct Attributes {
    docs: Docs,
    read_only: bool,
    client_name: Option<String>,
    mutability: Option<(Location, Value)>,
    secret: bool,
    /// `x-nullable` (Swagger 2.0) or `nullable` (OpenAPI 3.0): `null` is a valid value.
    nullable: bool,
}

impl Types<'_> {
    pub(super) fn lower_struct(&mut self, pending: Pending) -> Option<TypeDef> {
        let Pending {
            name,
            location,
            schema,
            kind: Kind::Struct,
        } = pending
        else {
            return None;
        };
        let mut collected = Collected::default();
        let mut stack = Vec::new();
        self.collect(&location, &schema, &name, None, &mut collected, &mut stack);
        let view = Schema::of(&schema)?;
        let tag = collected.discriminator.clone().map(|property| Tag {
            property,
            value: view
                .str("x-ms-discriminator-value")
                .map(str::to_string)
                .unwrap_or_else(|| definition_name(&location)),
        });
        self.check_required(&name, &location, &collected);
        let mut field_names = Namespace::new();
        let mut fields = Vec::new();
        let definition = definition_name(&location);
        for property in &collected.properties {
            if tag
                .as_ref()
                .is_some_and(|t| t.property == property.wire_name)
            {
                // The subtype's tag is written by its `Serialize`, not held in a field.
                continue;
            }
            let required = collected.required.contains(&property.wire_name);
            let field = self.field(&name, &definition, property, required, &mut field_names);
            fields.push(field);
        }
        let additional = collected.additional.as_ref().and_then(|(at, value)| {
            self.additional_field(
                &name,
                at,
                value,
                !collected.properties.is_empty(),
                &mut field_names,
            )
        });
        let struct_docs = or_else(docs(view.description()), || format!("The `{name}` model."));
        Some(TypeDef::Struct(StructDef {
            name,
            source: self.source_name(&location),
            docs: struct_docs,
            fields,
            additional,
            tag,
            usage: Usage::default(),
        }))
    }

    fn check_required(&mut self, name: &str, location: &Location, collected: &Collected) {
        for required in &collected.required {
            let defined = collected
                .properties
                .iter()
                .any(|p| &p.wire_name == required);
            if !defined && collected.additional.is_none() {
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
    }

    /// Gathers properties of `schema` and of its `allOf` parents, parents first. `stack`
    /// holds the schemas being collected, to report inheritance cycles instead of looping
    /// and deep chains instead of overflowing.
    fn collect(
        &mut self,
        at: &Location,
        schema: &Value,
        owner: &str,
        declared_in: Option<&str>,
        out: &mut Collected,
        stack: &mut Vec<SchemaId>,
    ) {
        let id = SchemaId::from(at);
        if stack.contains(&id) {
            self.diagnostics.push(
                Diagnostic::error(
                    at.clone(),
                    "`allOf` inheritance is cyclic: this schema is its own ancestor",
                )
                .help("remove one of the `allOf` references in the cycle"),
            );
            return;
        }
        if stack.len() >= MAX_DEPTH {
            self.diagnostics.push(too_deep(at));
            return;
        }
        let Some(view) = Schema::of(schema) else {
            return;
        };
        if let Some(discriminator) = view.discriminator()
            && !stack.is_empty()
        {
            out.discriminator = Some(discriminator.to_string());
        }
        stack.push(id);
        for (index, parent) in view.all_of().iter().enumerate() {
            let parent_at = at.join("allOf").join(&index.to_string());
            if let Some((location, value)) = self.follow(&parent_at, parent) {
                // A referenced parent names its inline types after itself, as its own
                // lowering does (so the name does not depend on which is lowered first).
                let (owner, declared_in) = match Schema::of(parent).and_then(|p| p.reference()) {
                    Some(_) => (
                        upper_camel(&wanted_type_name(&location, Schema::of(&value))),
                        Some(definition_name(&location)),
                    ),
                    None => (owner.to_string(), declared_in.map(str::to_string)),
                };
                self.collect(
                    &location,
                    &value,
                    &owner,
                    declared_in.as_deref(),
                    out,
                    stack,
                );
            }
        }
        if let Shape::Object {
            properties,
            additional,
            ..
        } = view.shape()
        {
            for (wire_name, property) in properties.into_iter().flatten() {
                // A child redefining a parent's property replaces it in place.
                out.properties.retain(|p| &p.wire_name != wire_name);
                out.properties.push(Property {
                    at: at.join("properties").join(wire_name),
                    wire_name: wire_name.clone(),
                    schema: property.clone(),
                    owner: owner.to_string(),
                    declared_in: declared_in.map(str::to_string),
                });
            }
            if !matches!(additional, Additional::None) {
                let value = view
                    .get("additionalProperties")
                    .cloned()
                    .unwrap_or_default();
                out.additional = Some((at.join("additionalProperties"), value));
            }
        }
        out.required.extend(view.required().map(str::to_string));
        stack.pop();
    }

    /// Follows `$ref`s from `value` (at `at`) to a schema that is not a reference,
    /// reporting a broken or endless chain.
    pub(super) fn follow(&mut self, at: &Location, value: &Value) -> Option<(Location, Value)> {
        match self.follow_ref(at, value) {
            Ok((location, target)) => Some((location, target.clone())),
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// [`Types::follow`] without reporting or copying.
    pub(super) fn follow_ref<'a>(
        &'a self,
        at: &Location,
        value: &'a Value,
    ) -> Result<(Location, &'a Value), Diagnostic> {
        let mut location = at.clone();
        let mut current = value;
        for _ in 0..MAX_DEPTH {
            let Some(reference) = Schema::of(current).and_then(|s| s.reference()) else {
                return Ok((location, current));
            };
            let target = crate::load::ref_target(&location.file, reference);
            match self.specs.raw_value(&target) {
                Some(next) => {
                    current = next;
                    location = target;
                }
                None => {
                    let explained = self.specs.resolve::<Value>(&location, reference).err();
                    return Err(explained.unwrap_or_else(|| {
                        Diagnostic::error(location.clone(), "`$ref` names nothing")
                    }));
                }
            }
        }
        Err(Diagnostic::error(
            at.clone(),
            "`$ref` chain does not end: the references form a cycle",
        )
        .help("make one of the references point at a definition"))
    }

    fn field(
        &mut self,
        name: &str,
        definition: &str,
        property: &Property,
        required: bool,
        field_names: &mut Namespace,
    ) -> Field {
        let Property {
            at,
            wire_name,
            schema,
            owner,
            declared_in,
        } = property;
        let attributes = self.attributes(at, schema);
        let inline_name = format!("{owner}{}", upper_camel(wire_name));
        let mut ty = self.lower_value(at, schema, &inline_name);
        let declared_in = declared_in.as_deref().unwrap_or(definition);
        let marked = self
            .secrets
            .marks(&[definition, declared_in, owner, name], wire_name);
        let secret = attributes.secret || marked || ty == TypeRef::SecretString;
        if secret {
            ty = self.secret_type(at, wire_name, ty);
        } else if ty == TypeRef::String && super::secrets::looks_secret(wire_name) {
            self.diagnostics
                .push(super::secrets::unmarked(at, name, wire_name));
        }
        let claimed = field_names.claim(snake(
            attributes.client_name.as_deref().unwrap_or(wire_name),
        ));
        if let Some(collided) = claimed.collided_with {
            // A derived name is renamed; a name the spec asked for explicitly is not ours
            // to change.
            let diagnostic = if attributes.client_name.is_some() {
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
        let mut field_docs = or_else(attributes.docs, || format!("The `{wire_name}` property."));
        if ty == TypeRef::SecretString {
            field_docs = join(
                field_docs,
                docs(Some(
                    "This is a secret: read it with `expose_secret()`; `Debug` never shows it.",
                )),
            );
        }
        let mutability = match &attributes.mutability {
            Some((at, value)) => self.mutability(at, value),
            None => Mutability::default(),
        };
        // A required field that may be `null` is an `Option` all the same.
        let required = required && !attributes.nullable;
        Field {
            docs: field_docs,
            required,
            // Refined for write-only fields once every type is known (`super::presence`).
            presence: Presence::of(required, attributes.read_only),
            wire_name: wire_name.clone(),
            rust_name: claimed.name,
            ty,
            read_only: attributes.read_only,
            boxed: false,
            mutability,
        }
    }

    /// A property's own keys, then its `$ref` target's for what it does not say.
    fn attributes(&self, at: &Location, schema: &Value) -> Attributes {
        let own = Schema::of(schema);
        let target = match own.map(|s| s.shape()) {
            Some(Shape::Ref(_)) => self.follow_wrapper(at, schema),
            _ => None,
        };
        let target_view = target.as_ref().and_then(|(_, value)| Schema::of(value));
        let pick = |key: &str| {
            own.and_then(|s| s.get(key))
                .or_else(|| target_view.and_then(|t| t.get(key)))
        };
        let mutability_at = if own.is_some_and(|s| s.get("x-ms-mutability").is_some()) {
            Some(at.join("x-ms-mutability"))
        } else {
            target.as_ref().map(|(loc, _)| loc.join("x-ms-mutability"))
        };
        Attributes {
            docs: docs(pick("description").and_then(Value::as_str)),
            read_only: pick("readOnly").and_then(Value::as_bool) == Some(true),
            client_name: own
                .and_then(|s| s.str("x-ms-client-name"))
                .map(str::to_string),
            mutability: pick("x-ms-mutability")
                .cloned()
                .and_then(|value| Some((mutability_at?, value))),
            secret: pick("x-ms-secret").and_then(Value::as_bool) == Some(true),
            nullable: ["x-nullable", "nullable"]
                .iter()
                .any(|key| pick(key).and_then(Value::as_bool) == Some(true)),
        }
    }

    /// The target of a `$ref` property, or of OpenAPI 3.0's `allOf: [$ref]` wrapper. A
    /// broken reference is reported where the property's type is lowered, not here.
    fn follow_wrapper<'a>(
        &'a self,
        at: &Location,
        schema: &'a Value,
    ) -> Option<(Location, &'a Value)> {
        let view = Schema::of(schema)?;
        if view.reference().is_some() {
            return self.follow_ref(at, schema).ok();
        }
        let only = view.all_of().first()?;
        self.follow_ref(&at.join("allOf").join("0"), only).ok()
    }

    /// `x-ms-mutability`: a list of `create`, `read`, `update`.
    fn mutability(&mut self, at: &Location, value: &Value) -> Mutability {
        let mut mutability = Mutability {
            create: false,
            read: false,
            update: false,
        };
        let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
        for item in items {
            match item.as_str() {
                Some("create") => mutability.create = true,
                Some("read") => mutability.read = true,
                Some("update") => mutability.update = true,
                _ => {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            at.clone(),
                            format!("`x-ms-mutability` value {item} is not one of create, read, update: it is ignored"),
                        )
                        .help("list only `create`, `read` and `update`"),
                    );
                }
            }
        }
        if items.is_empty() {
            self.diagnostics.push(Diagnostic::warning(
                at.clone(),
                "`x-ms-mutability` must be a non-empty list of create, read, update: it is ignored",
            ));
            return Mutability::default();
        }
        mutability
    }

    /// A secret property is a [`TypeRef::SecretString`]; only strings can be redacted.
    fn secret_type(&mut self, at: &Location, wire_name: &str, ty: TypeRef) -> TypeRef {
        match ty {
            TypeRef::String | TypeRef::SecretString => TypeRef::SecretString,
            other => {
                self.diagnostics.push(
                    Diagnostic::error(
                        at.clone(),
                        format!("property `{wire_name}` is marked secret but is not a string, so it cannot be redacted"),
                    )
                    .help("mark the string properties inside it as secret instead"),
                );
                other
            }
        }
    }

    /// The map of a struct's `additionalProperties`, when it also has properties.
    fn additional_field(
        &mut self,
        name: &str,
        at: &Location,
        value: &Value,
        has_properties: bool,
        field_names: &mut Namespace,
    ) -> Option<AdditionalField> {
        if !has_properties {
            return None;
        }
        let ty = match value {
            Value::Bool(true) => TypeRef::Any,
            Value::Object(o) if o.is_empty() => TypeRef::Any,
            schema => self.lower_value(at, schema, &format!("{name}Value")),
        };
        if ty.is_formatted() {
            self.diagnostics.push(
                Diagnostic::error(
                    at.clone(),
                    "`additionalProperties` in a string format (date-time, uuid, byte, …) beside `properties` is not supported",
                )
                .help("describe the extra values as plain strings, or move them under a property"),
            );
            return None;
        }
        let claimed = field_names.claim("additional_properties".to_string());
        Some(AdditionalField {
            rust_name: claimed.name,
            ty,
            docs: docs(Some(
                "Every other field of the JSON object (`additionalProperties`), by name.",
            )),
        })
    }
}
