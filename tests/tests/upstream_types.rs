//! The types of the published DiskRP specs (Swagger 2.0, with common-types in other files),
//! both api-versions: every operation the lowering accepts is lowered, and the type list is
//! snapshotted — one type per upstream definition reached, named as upstream names it (no
//! `CreatedByType2`, one `SystemData`), with required, readOnly, secret and docs as declared.
//!
//! Needs the corpus (`specs/codegen.yaml`'s spec root): skipped with the reason
//! printed when it is absent, run (and required) when `CI` is set.

mod corpus;

use std::collections::BTreeMap;

use azure_arm_codegen::config::{Config, OperationSelection};
use azure_arm_codegen::diagnostics::Severity;
use azure_arm_codegen::lower_version;
use azure_arm_codegen::model::{TypeDef, TypeRef};
use serde::Serialize;

/// A type as the snapshot lists it: enough to review names, fields and their attributes
/// without the whole model.
#[derive(Serialize)]
struct Listed {
    name: String,
    source: String,
    docs: String,
    /// `field: type [required] [read-only] [secret] [mutability]`, or an enum's values, or a
    /// union's variants.
    members: Vec<String>,
}

fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::Array(inner) => format!("[{}]", type_text(inner)),
        TypeRef::Map(inner) => format!("{{{}}}", type_text(inner)),
        other => format!("{other:?}"),
    }
}

fn listed(def: &TypeDef) -> Listed {
    let (name, source, docs, members) = match def {
        TypeDef::Struct(s) => {
            let mut members: Vec<String> = s
                .fields
                .iter()
                .map(|f| {
                    let mut text = format!("{}: {}", f.wire_name, type_text(&f.ty));
                    if f.rust_name.trim_start_matches("r#") != heck_free_snake(&f.wire_name) {
                        text.push_str(&format!(" (as {})", f.rust_name));
                    }
                    for (on, label) in [(f.required, "required"), (f.read_only, "read-only")] {
                        if on {
                            text.push_str(&format!(" [{label}]"));
                        }
                    }
                    if !f.mutability.is_unrestricted() {
                        let m = f.mutability;
                        text.push_str(&format!(
                            " [mutability: create={} read={} update={}]",
                            m.create, m.read, m.update
                        ));
                    }
                    text.push_str(&format!(" — {}", f.docs.lines.join(" ")));
                    text
                })
                .collect();
            if let Some(additional) = &s.additional {
                members.push(format!("..: {}", type_text(&additional.ty)));
            }
            (&s.name, &s.source, &s.docs, members)
        }
        TypeDef::Enum(e) => {
            let mut members: Vec<String> =
                e.variants.iter().map(|v| v.wire_value.clone()).collect();
            if e.extensible {
                members.push("(extensible)".into());
            }
            (&e.name, &e.source, &e.docs, members)
        }
        TypeDef::Union(u) => (
            &u.name,
            &u.source,
            &u.docs,
            u.variants
                .iter()
                .map(|v| format!("{} = {}", v.ty, v.wire_value))
                .collect(),
        ),
    };
    Listed {
        name: name.clone(),
        source: source.clone(),
        docs: docs.lines.join(" "),
        members,
    }
}

/// The field name a wire name gets without `x-ms-client-name` (only to show renames).
fn heck_free_snake(wire: &str) -> String {
    azure_arm_codegen::naming::snake(wire)
        .trim_start_matches("r#")
        .to_string()
}

/// Every operationId of a Swagger document.
fn operation_ids(document: &serde_json::Value) -> Vec<String> {
    let paths = document["paths"].as_object().into_iter().flatten();
    paths
        .flat_map(|(_, item)| item.as_object().into_iter().flatten())
        .filter_map(|(_, operation)| operation["operationId"].as_str().map(str::to_string))
        .collect()
}

fn select(config: &mut Config, index: usize, include: Vec<String>) {
    config.api_versions[index].operations = OperationSelection {
        include: Some(include),
        ..OperationSelection::default()
    };
}

#[test]
fn upstream_diskrp_types_match_their_snapshot() {
    let test = "upstream_diskrp_types_match_their_snapshot";
    let Some(mut config) = corpus::load_config(test, "specs/codegen.yaml") else {
        return;
    };
    for index in 0..config.api_versions.len() {
        let version = config.api_versions[index].clone();
        let text = std::fs::read_to_string(&version.inputs[0]).expect("reads DiskRP.json");
        let document: serde_json::Value = serde_json::from_str(&text).expect("parses");
        let ids = operation_ids(&document);
        assert_eq!(
            ids.len(),
            38,
            "DiskRP {} has 38 operations",
            version.version
        );
        // Each operation alone first: the ones another helper's work does not accept yet
        // are listed, and the rest lowered together.
        let mut accepted = Vec::new();
        let mut rejected = BTreeMap::new();
        for id in &ids {
            select(&mut config, index, vec![id.clone()]);
            match lower_version(&config, index) {
                Ok(_) => accepted.push(id.clone()),
                Err(errors) => {
                    let first = errors
                        .sorted()
                        .into_iter()
                        .find(|d| d.severity == Severity::Error)
                        .map(|d| d.message.clone());
                    rejected.insert(id.clone(), first.unwrap_or_default());
                }
            }
        }
        assert!(!accepted.is_empty(), "no operation lowers: {rejected:#?}");
        select(&mut config, index, accepted.clone());
        let (api, warnings) =
            lower_version(&config, index).expect("the accepted operations lower together");
        let types: Vec<Listed> = api.types.iter().map(listed).collect();
        // Warnings about schemas (the loader's and the config's are pinned elsewhere).
        let spec_warnings: Vec<String> = warnings
            .sorted()
            .into_iter()
            .filter(|d| {
                let pointer = &d.location.pointer;
                pointer.starts_with("/definitions/") || pointer.contains("/schema")
            })
            .map(|d| {
                let file = d
                    .location
                    .file
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy();
                format!("{file}#{}: {}", d.location.pointer, d.message)
            })
            .collect();
        insta::assert_yaml_snapshot!(
            format!("upstream_types_{}", version.module),
            (accepted, rejected, types, spec_warnings)
        );
    }
}
