//! The type graph once every type is lowered: which types a type refers to, and which
//! fields must be boxed because they make a type contain itself.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{TypeDef, TypeRef};

/// The types a definition refers to directly: its fields and extra-properties map, or a
/// union's variants.
pub(super) fn edges(def: &TypeDef) -> Vec<TypeRef> {
    match def {
        TypeDef::Struct(s) => s
            .fields
            .iter()
            .map(|f| f.ty.clone())
            .chain(s.additional.iter().map(|a| a.ty.clone()))
            .collect(),
        TypeDef::Union(u) => u
            .variants
            .iter()
            .map(|v| TypeRef::Named(v.ty.clone()))
            .collect(),
        TypeDef::Enum(_) => Vec::new(),
    }
}

/// A field whose type contains the struct itself without indirection (directly or through
/// other structs, and `Option` does not count as indirection) makes the type infinitely
/// large: box every such field on a cycle. `Vec`, maps and union variants (always boxed)
/// already allocate, so only struct-to-struct fields are edges here.
pub(super) fn box_recursive_fields(defs: &mut BTreeMap<String, TypeDef>) {
    let graph: BTreeMap<String, Vec<String>> = defs
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
            _ => None,
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(current) = stack.pop() {
            if current == to {
                return true;
            }
            if seen.insert(current) {
                stack.extend(graph.get(current).into_iter().flatten().map(String::as_str));
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
