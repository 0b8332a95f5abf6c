//! Enum schemas → [`EnumDef`]s. An `x-ms-enum` declared again elsewhere (common-types'
//! `createdByType` under two properties, or in two files) with the same values is the same
//! type; under the same name with other values it is a second type, renamed with a warning.

use std::collections::BTreeSet;

use serde_json::Value;

use super::docs::docs;
use super::shape::{Schema, value_text};
use super::types::{Kind, Pending, Types, or_else};
use crate::diagnostics::{Diagnostic, Location};
use crate::model::{Docs, EnumDef, TypeDef, Variant};
use crate::naming::{Namespace, upper_camel};

/// What makes two enum declarations the same type: their values and openness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumKey {
    values: Vec<String>,
    extensible: bool,
}

/// One value: wire text, `x-ms-enum.values[].name`, docs.
type Listed = (String, Option<String>, Docs);

fn extensible(schema: Schema<'_>) -> bool {
    schema
        .x_ms_enum()
        .and_then(|e| e.get("modelAsString"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The values: `x-ms-enum.values` carry per-value names and docs; `enum` is the fallback
/// (an `x-ms-enum` without `values` lists them only there).
fn values(schema: Schema<'_>) -> Vec<Listed> {
    let described = schema
        .x_ms_enum()
        .and_then(|e| e.get("values"))
        .and_then(Value::as_array);
    if let Some(items) = described {
        return items
            .iter()
            .filter_map(|item| {
                let value = item.get("value").and_then(value_text)?;
                let name = item.get("name").and_then(Value::as_str).map(str::to_string);
                Some((
                    value,
                    name,
                    docs(item.get("description").and_then(Value::as_str)),
                ))
            })
            .collect();
    }
    schema
        .0
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(value_text)
        .map(|value| (value, None, Docs::default()))
        .collect()
}

impl Types<'_> {
    /// The existing type when an enum of this name and the same values is known (`Ok`);
    /// otherwise the name claimed for a new type (`Err`).
    pub(super) fn merge_enum(
        &mut self,
        location: &Location,
        schema: Schema<'_>,
        wanted: &str,
    ) -> Result<String, String> {
        let key = EnumKey {
            values: values(schema).into_iter().map(|(v, _, _)| v).collect(),
            extensible: extensible(schema),
        };
        // `createdByType` and `CreatedByType` are one name once in Rust.
        let rust_name = upper_camel(wanted);
        let declared = self.enums.get(&rust_name).cloned().unwrap_or_default();
        if let Some((_, name, _)) = declared.iter().find(|(k, _, _)| *k == key) {
            return Ok(name.clone());
        }
        let name = match declared.first() {
            Some((_, _, first)) => {
                let claimed = self.names.claim(rust_name.clone());
                self.diagnostics.push(
                    Diagnostic::warning(
                        location.clone(),
                        format!(
                            "enum `{wanted}` is also declared at {first} with other values; this one is named `{}`",
                            claimed.name
                        ),
                    )
                    .help("give the enums distinct `x-ms-enum.name`s, or the same values"),
                );
                claimed.name
            }
            None => self.claim(location, wanted),
        };
        self.enums
            .entry(rust_name)
            .or_default()
            .push((key, name.clone(), location.clone()));
        Err(name)
    }

    pub(super) fn lower_enum(&mut self, pending: Pending) -> Option<TypeDef> {
        let Pending {
            name,
            location,
            schema,
            kind: Kind::Enum,
        } = pending
        else {
            return None;
        };
        let schema = Schema::of(&schema)?;
        let extensible = extensible(schema);
        let values = values(schema);
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
        let enum_docs = or_else(docs(schema.description()), || {
            format!("The `{name}` values.")
        });
        Some(TypeDef::Enum(EnumDef {
            name,
            source: self.source_name(&location),
            docs: enum_docs,
            extensible,
            variants,
        }))
    }
}
