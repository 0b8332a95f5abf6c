//! Polymorphic schemas (`discriminator`, `x-ms-discriminator-value`) → [`UnionDef`]s.
//!
//! A schema with a discriminator becomes an enum with one variant per subtype — every
//! definition of the input documents whose `allOf` ancestry reaches it — selected by the
//! discriminator's value (the subtype's `x-ms-discriminator-value`, else its definition
//! name), plus an `Unknown` variant that keeps a kind this version does not know, whole.
//! Each subtype is a struct with its ancestors' properties, whose `Serialize` writes the tag.
//! The base is abstract unless it declares its own `x-ms-discriminator-value`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::docs::docs;
use super::shape::{Schema, SchemaId};
use super::types::{Kind, MAX_DEPTH, Pending, Types, definition_name, or_else, wanted_type_name};
use crate::diagnostics::{Diagnostic, Location};
use crate::load::SpecSet;
use crate::model::{TypeDef, TypeRef, UnionDef, UnionVariant};
use crate::naming::Namespace;

impl Types<'_> {
    pub(super) fn lower_union(&mut self, pending: Pending) -> Option<TypeDef> {
        let Pending {
            name,
            location,
            schema,
            kind: Kind::Union,
        } = pending
        else {
            return None;
        };
        let view = Schema::of(&schema)?;
        let discriminator = view.discriminator()?.to_string();
        let base = SchemaId::from(&location);
        let mut subtypes = self.subtypes(&base);
        if view.get("x-ms-discriminator-value").is_some() {
            let concrete = format!("{name}Base");
            subtypes.insert(0, (location.clone(), schema.clone(), concrete));
        }
        if subtypes.is_empty() {
            self.diagnostics.push(
                Diagnostic::warning(
                    location.join("discriminator"),
                    format!("`{name}` has a discriminator but no definition derives from it: it is generated as a plain struct"),
                )
                .help("add the subtypes (`allOf` this schema, with `x-ms-discriminator-value`), or remove the discriminator"),
            );
            return self.lower_struct(Pending {
                name,
                location,
                schema,
                kind: Kind::Struct,
            });
        }
        let mut variant_names = Namespace::new();
        variant_names.reserve("Unknown");
        let mut values = BTreeSet::new();
        let mut variants = Vec::new();
        for (at, value, wanted) in subtypes {
            let wire_value = Schema::of(&value)
                .and_then(|s| s.str("x-ms-discriminator-value"))
                .map(str::to_string)
                .unwrap_or_else(|| definition_name(&at));
            if !values.insert(wire_value.clone()) {
                self.diagnostics.push(
                    Diagnostic::error(
                        at.clone(),
                        format!(
                            "discriminator value `{wire_value}` of `{name}` is used by two subtypes"
                        ),
                    )
                    .help("give each subtype its own `x-ms-discriminator-value`"),
                );
                continue;
            }
            let ty = if SchemaId::from(&at) == base {
                self.subtype_of_itself(&at, &value, &wanted, &discriminator, &wire_value)
            } else {
                self.lower_value(&at, &value, &wanted)
            };
            let TypeRef::Named(ty) = ty else { continue };
            variants.push(UnionVariant {
                wire_value,
                rust_name: variant_names.claim(ty.clone()).name,
                ty,
            });
        }
        let union_docs = or_else(docs(view.description()), || {
            format!("The kinds of `{name}`, by `{discriminator}`.")
        });
        Some(TypeDef::Union(UnionDef {
            name,
            source: self.source_name(&location),
            docs: union_docs,
            discriminator,
            variants,
        }))
    }

    /// A concrete base: its own struct (`<Name>Base`) carrying its tag.
    fn subtype_of_itself(
        &mut self,
        at: &Location,
        schema: &Value,
        wanted: &str,
        discriminator: &str,
        value: &str,
    ) -> TypeRef {
        let name = self.claim(at, wanted);
        let def = self.lower_struct(Pending {
            name: name.clone(),
            location: at.clone(),
            schema: schema.clone(),
            kind: Kind::Struct,
        });
        if let Some(TypeDef::Struct(mut def)) = def {
            def.fields.retain(|f| f.wire_name != discriminator);
            def.tag = Some(crate::model::Tag {
                property: discriminator.to_string(),
                value: value.to_string(),
            });
            self.defs.insert(name.clone(), TypeDef::Struct(def));
        }
        TypeRef::Named(name)
    }

    /// Every definition of the input documents whose `allOf` ancestry reaches `base` (to
    /// [`MAX_DEPTH`] generations), children first, each generation in document order, with
    /// the type name it asks for (its `x-ms-client-name`, else its key).
    fn subtypes(&mut self, base: &SchemaId) -> Vec<(Location, Value, String)> {
        let specs = self.specs;
        let children = self.children.get_or_insert_with(|| children_index(specs));
        let mut found: Vec<Location> = Vec::new();
        let mut seen = BTreeSet::new();
        let mut generation = vec![base.clone()];
        for _ in 0..MAX_DEPTH {
            let mut next = Vec::new();
            for parent in &generation {
                for location in children.get(parent).into_iter().flatten() {
                    let id = SchemaId::from(location);
                    if seen.insert(id.clone()) {
                        found.push(location.clone());
                        next.push(id);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            generation = next;
        }
        found
            .into_iter()
            .filter_map(|location| {
                let value = self.specs.raw_value(&location)?.clone();
                let wanted = wanted_type_name(&location, Schema::of(&value));
                Some((location, value, wanted))
            })
            .collect()
    }
}

/// Which definitions of the input documents name each schema as a direct `allOf` parent:
/// built once, so finding a polymorphic schema's subtypes is a walk, not a scan per schema.
pub(super) fn children_index(specs: &SpecSet) -> Children {
    let mut children = Children::new();
    for root in &specs.roots {
        for section in ["/definitions", "/components/schemas"] {
            let at = Location::new(&root.path, section);
            let Some(Value::Object(definitions)) = specs.raw_value(&at) else {
                continue;
            };
            for (key, value) in definitions {
                let location = at.join(key);
                let parents = Schema::of(value).map(|v| v.all_of()).unwrap_or_default();
                for (index, parent) in parents.iter().enumerate() {
                    let parent_at = location.join("allOf").join(&index.to_string());
                    // A broken reference in an unrelated definition is not reported here.
                    if let Some(target) = ref_location(specs, &parent_at, parent) {
                        children
                            .entry(SchemaId::from(&target))
                            .or_default()
                            .push(location.clone());
                    }
                }
            }
        }
    }
    children
}

/// Where a chain of `$ref`s from `value` ends (bounded); `None` when it is broken.
fn ref_location(specs: &SpecSet, at: &Location, value: &Value) -> Option<Location> {
    let mut location = at.clone();
    let mut current = value;
    for _ in 0..MAX_DEPTH {
        let Some(reference) = Schema::of(current).and_then(|s| s.reference()) else {
            return Some(location);
        };
        location = crate::load::ref_target(&location.file, reference);
        current = specs.raw_value(&location)?;
    }
    None
}

/// Direct `allOf` children of each schema: where each child definition is.
pub(super) type Children = std::collections::BTreeMap<SchemaId, Vec<Location>>;
