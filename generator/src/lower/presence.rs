//! How each field is held in Rust, once every type is known: [`Presence`].
//!
//! [`Presence::of`] gives the spec's word when a field is lowered. One case needs the other
//! types: a required field the service never returns (a secret, or `x-ms-mutability`
//! without `read`) may be missing from a response, and reads as its type's empty value,
//! but only when the type has one. A struct has one (`Default`) when none of its fields is
//! required in Rust. Any other type (an enum, a struct with required fields, a formatted
//! value such as a date) has no honest empty value: it stays required, and a response
//! that omits it fails naming the field.

use std::collections::HashSet;

use crate::model::{Field, Presence, TypeDef, TypeRef};

/// Marks the required write-only fields whose type has an empty value
/// [`Presence::RequiredUnlessOmitted`].
pub fn allow_omitted_write_only(types: &mut [TypeDef]) {
    let with_default = with_default(types);
    for def in types.iter_mut() {
        let TypeDef::Struct(def) = def else { continue };
        for field in &mut def.fields {
            if field.presence == Presence::Required
                && is_write_only(field)
                && has_empty_value(&field.ty, &with_default)
            {
                field.presence = Presence::RequiredUnlessOmitted;
            }
        }
    }
}

/// The structs that have `Default` ([`StructDef::has_default`](crate::model::StructDef::has_default)).
fn with_default(types: &[TypeDef]) -> HashSet<String> {
    types
        .iter()
        .filter_map(|def| match def {
            TypeDef::Struct(s) if s.has_default() => Some(s.name.clone()),
            _ => None,
        })
        .collect()
}

/// A field the service never returns: a secret, or `x-ms-mutability` without `read`.
fn is_write_only(field: &Field) -> bool {
    field.ty == TypeRef::SecretString || !field.mutability.read
}

/// Whether the Rust type has an empty value to read a missing field as. Formatted values
/// (and lists or maps of them) are read through a codec that needs the value.
fn has_empty_value(ty: &TypeRef, with_default: &HashSet<String>) -> bool {
    if ty.is_formatted() {
        return false;
    }
    match ty {
        TypeRef::Named(name) => with_default.contains(name),
        TypeRef::String
        | TypeRef::SecretString
        | TypeRef::Bool
        | TypeRef::Int32
        | TypeRef::Int64
        | TypeRef::Float32
        | TypeRef::Float64
        | TypeRef::Array(_)
        | TypeRef::Map(_)
        | TypeRef::Any => true,
        _ => false,
    }
}
