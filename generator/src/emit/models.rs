//! `models.rs`: one Rust type per schema, with serde's `Serialize` and `Deserialize`
//! written out compactly (see [`struct_serialize`] and [`struct_deserialize`]).
//!
//! Wire names are kept exactly (`rename` wherever the Rust name differs), required fields are
//! not `Option`, optional ones are omitted when `None`, read-only fields are never
//! serialized, output-only structs are `#[non_exhaustive]`, and extensible enums keep values
//! this version does not know in `UnknownValue`.
//!
//! Small non-generic functions (`as_str`, the enums' conversions and comparisons, `new`) are
//! `#[inline]`: a `cargo build` of the generated crate then compiles only those its own code
//! calls, and a crate that calls one compiles its copy where it is used (BENCHMARKS.md).

use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{HashMap, HashSet};

use super::{doc_attrs, ident, type_tokens};
use crate::model::{Api, Field, Presence, StructDef, TypeDef, TypeRef, UnionDef};
use crate::naming::unraw;

pub fn models_file(api: &Api) -> TokenStream {
    let mut tokens = TokenStream::new();
    for part in 0..part_count(api) {
        tokens.extend(models_part(api, part));
    }
    tokens
}

/// Types per part of `models.rs` (`PlannedFile`'s parts): about 5 k characters of code
/// each, so that two threads share a file of 200 k evenly.
const TYPES_PER_PART: usize = 8;

/// How many parts [`models_part`] cuts the models into.
pub(super) fn part_count(api: &Api) -> usize {
    super::part_count(api.types.len(), TYPES_PER_PART)
}

/// One part of `models.rs`: the file's docs and `use`s in the first, then each part's run of
/// types.
pub(super) fn models_part(api: &Api, part: usize) -> TokenStream {
    let error_parts = error_parts(api);
    let items = super::part_of(&api.types, TYPES_PER_PART, part)
        .iter()
        .map(|def| match def {
            TypeDef::Struct(s) => struct_def(s, error_parts.contains(s.name.as_str())),
            TypeDef::Enum(e) => super::enums::enum_def(e),
            TypeDef::Union(u) => union_def(u),
        });
    if part > 0 {
        return items.collect();
    }
    let module_doc = format!(
        " Request and response models of api-version {}.",
        api.version
    );
    let formatted = api.types.iter().any(|def| match def {
        TypeDef::Struct(s) => s.fields.iter().any(|f| f.ty.is_formatted()),
        _ => false,
    });
    let use_format = formatted.then(|| quote! { use azure_arm_runtime::format; });
    let mut tokens = quote! {
        #![doc = #module_doc]
        #use_format
    };
    // The types' tokens are moved in: `#(#items)*` would copy every one.
    tokens.extend(items);
    tokens
}

/// The error models and every type inside them: the service's words about a failure.
fn error_parts(api: &Api) -> HashSet<&str> {
    let by_name: HashMap<&str, &TypeDef> = api.types.iter().map(|def| (def.name(), def)).collect();
    let mut stack: Vec<&str> = api
        .types
        .iter()
        .filter_map(|def| match def {
            TypeDef::Struct(s) if s.usage.error => Some(s.name.as_str()),
            _ => None,
        })
        .collect();
    let mut seen = HashSet::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name) {
            continue;
        }
        match by_name.get(name) {
            Some(TypeDef::Struct(s)) => stack.extend(s.fields.iter().filter_map(|f| named(&f.ty))),
            Some(TypeDef::Union(u)) => stack.extend(u.variants.iter().map(|v| v.ty.as_str())),
            _ => {}
        }
    }
    seen
}

/// The generated type a field holds, alone or in an array or map.
fn named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::Array(inner) | TypeRef::Map(inner) => named(inner),
        _ => None,
    }
}

fn struct_def(def: &StructDef, error_part: bool) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs);
    let output_only = def.usage.output && !def.usage.input;
    let non_exhaustive = output_only.then(|| quote! { #[non_exhaustive] });
    let required: Vec<&Field> = def
        .fields
        .iter()
        .filter(|f| f.presence.is_required())
        .collect();
    let default = def.has_default().then(|| default_impl(def));
    let fields = def.fields.iter().map(field);
    let additional = def.additional.as_ref().map(|a| {
        let name = ident(&a.rust_name);
        let docs = doc_attrs(&a.docs);
        let ty = type_tokens(&a.ty);
        quote! {
            #docs
            pub #name: std::collections::HashMap<String, #ty>,
        }
    });
    // Output-only types are `#[non_exhaustive]`: `new` is how callers build one (for their own
    // tests, say) when `Default` cannot exist.
    let constructor = (!required.is_empty()).then(|| constructor(def, &required));
    let from_error = def.usage.error.then(|| {
        quote! {
            impl #name {
                /// The service's error body carried by `error`: a failed request, or a
                /// long-running operation that failed or was canceled. `None` when the error did
                /// not come from the service (a connection failure, a rejected parameter, …).
                pub fn from_error(error: &azure_core::Error) -> Option<Self> {
                    azure_arm_runtime::error_body(error)
                }
            }
        }
    });
    let serialize = struct_serialize(def);
    let deserialize = struct_deserialize(def);
    // Models hold customers' data: like Microsoft's clients, `Debug` names the type and no
    // field values (`Disk { .. }`; all of them, secrets still redacted, with azure_core's
    // `debug` feature). The error model and its parts hold the service's words, which may
    // quote a SAS and are what a developer needs to see: their Debug shows them, redacted.
    let (derive_debug, debug) = if error_part {
        (None, Some(redacted_debug(def)))
    } else {
        (Some(quote! { , azure_core::fmt::SafeDebug }), None)
    };
    let mut tokens = quote! {
        #docs
        #[derive(Clone #derive_debug)]
        #non_exhaustive
        pub struct #name {
            #(#fields)*
            #additional
        }
    };
    // The `impl`s are moved in after the struct: interpolated, each would be copied.
    tokens.extend(default.into_iter().chain(debug));
    tokens.extend([serialize, deserialize]);
    tokens.extend(constructor.into_iter().chain(from_error));
    tokens
}

/// `Debug` as derived, each field printed through `azure_arm_runtime::Redacted`.
fn redacted_debug(def: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    let label = &def.name;
    let names = def.fields.iter().map(|f| &f.rust_name);
    let fields = names
        .chain(def.additional.iter().map(|a| &a.rust_name))
        .map(|rust_name| {
            let field = ident(rust_name);
            let label = unraw(rust_name);
            quote! { .field(#label, &azure_arm_runtime::Redacted(&self.#field)) }
        });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label)#(#fields)*.finish()
            }
        }
    }
}

/// `Serialize` written out against `azure_arm_runtime::ser::ObjectWriter`: one line per
/// written field instead of serde_derive's ~50 lines of generic code per struct. A
/// subtype of a polymorphic type writes its discriminator value first; read-only fields
/// are never written. (Unlike `Deserialize`, splitting the fields into an impl that is not
/// generic over the serializer measured slower: one more impl per struct cost more than
/// the obligations it shared.)
fn struct_serialize(def: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    let tag = def.tag.as_ref().map(|t| {
        let (property, value) = (&t.property, &t.value);
        quote! { object.tag(#property, #value); }
    });
    let fields: Vec<TokenStream> = def
        .fields
        .iter()
        .filter(|f| !f.read_only)
        .map(|f| {
            let field = ident(&f.rust_name);
            let wire = &f.wire_name;
            let write = match (f.presence.is_required(), codec(&f.ty)) {
                (true, None) => quote! { required },
                (false, None) => quote! { optional },
                (true, Some(codec)) => quote! { required_as::<#codec> },
                (false, Some(codec)) => quote! { optional_as::<#codec> },
            };
            quote! { object.#write(#wire, &self.#field); }
        })
        .collect();
    let additional = def.additional.as_ref().map(|a| {
        let field = ident(&a.rust_name);
        quote! { object.rest(&self.#field); }
    });
    // Every field read-only: an empty object.
    let binding = if tag.is_none() && fields.is_empty() && additional.is_none() {
        quote! { let object = azure_arm_runtime::ser::ObjectWriter::new(); }
    } else {
        quote! { let mut object = azure_arm_runtime::ser::ObjectWriter::new(); }
    };
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #binding
                #tag
                #(#fields)*
                #additional
                object.finish(serializer)
            }
        }
    }
}

/// `Deserialize` written out against `azure_arm_runtime::de::JsonObject`: one line per
/// field instead of serde_derive's ~200 lines of visitor code per struct, the largest part
/// of the generated crate's compile time (BENCHMARKS.md). The fields are taken in a
/// `ReadObject` impl that is not generic over the deserializer, so its trait obligations
/// are proved once per crate, not once per impl; `Deserialize` is one call.
fn struct_deserialize(def: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    let fields = def.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let wire = &f.wire_name;
        // Only a required field can fail here (`?`); the others keep their error for
        // `de::read`, which costs less to type-check than a `?` per field.
        let take = match (f.presence, codec(&f.ty)) {
            (Presence::RequiredUnlessOmitted, _) => {
                quote! { required_unless_omitted(#wire) }
            }
            (Presence::Required, None) => quote! { required(#wire)? },
            (Presence::Optional, None) => quote! { optional(#wire) },
            (Presence::Required, Some(codec)) => quote! { required_as::<#codec>(#wire)? },
            (Presence::Optional, Some(codec)) => quote! { optional_as::<#codec>(#wire) },
        };
        quote! { #field: object.#take, }
    });
    // Taken last: what the named fields left.
    let additional = def.additional.as_ref().map(|a| {
        let field = ident(&a.rust_name);
        quote! { #field: object.rest(), }
    });
    let object = if def.fields.is_empty() && def.additional.is_none() {
        quote! { _ }
    } else {
        quote! { object }
    };
    // `#[inline]`: like the generic `Deserialize` it serves, compiled only where a crate
    // decodes the type, not in every build of this one.
    quote! {
        impl azure_arm_runtime::de::ReadObject for #name {
            #[inline]
            fn read(
                #object: &mut azure_arm_runtime::de::JsonObject,
            ) -> Result<Self, azure_arm_runtime::de::ReadError> {
                Ok(Self { #(#fields)* #additional })
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                azure_arm_runtime::de::read(deserializer)
            }
        }
    }
}

fn field(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let docs = doc_attrs(&field.docs);
    let mut ty = type_tokens(&field.ty);
    if field.boxed {
        ty = quote! { Box<#ty> };
    }
    if !field.presence.is_required() {
        ty = quote! { Option<#ty> };
    }
    quote! {
        #docs
        pub #name: #ty,
    }
}

/// `new` taking the required fields, the optional ones `None`.
fn constructor(def: &StructDef, required: &[&Field]) -> TokenStream {
    let name = ident(&def.name);
    let args = required.iter().map(|f| {
        let arg = ident(&f.rust_name);
        let mut ty = type_tokens(&f.ty);
        if f.boxed {
            ty = quote! { Box<#ty> };
        }
        quote! { #arg: #ty }
    });
    let inits = field_inits(def);
    let doc = format!(
        " A `{}` with the required fields set and the optional ones `None`.",
        def.name
    );
    quote! {
        impl #name {
            #[doc = #doc]
            #[inline]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }
}

/// `Default` of a struct without required fields: every field `None`. Written out rather
/// than derived: the derive's `Default::default()` per field, each a trait call to resolve,
/// cost `cargo check` 0.5% of a module (BENCHMARKS.md).
fn default_impl(def: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    let inits = field_inits(def);
    quote! {
        impl Default for #name {
            #[inline]
            fn default() -> Self {
                Self { #(#inits),* }
            }
        }
    }
}

/// The fields of `Self { … }` in `new` and `Default`: a required field from the argument of
/// the same name, an optional one `None`, additional properties empty.
fn field_inits(def: &StructDef) -> impl Iterator<Item = TokenStream> + '_ {
    let inits = def.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        if f.presence.is_required() {
            quote! { #field }
        } else {
            quote! { #field: None }
        }
    });
    let additional = def.additional.as_ref().map(|a| {
        let field = ident(&a.rust_name);
        quote! { #field: std::collections::HashMap::new() }
    });
    inits.chain(additional)
}

/// The [`azure_arm_runtime::format`] codec of a field whose type holds a string-formatted
/// value (date-time, date, uuid, base64), as the path the models file can name it by
/// (`format::List<format::Rfc3339>`); `None` for everything else.
fn codec_path(ty: &TypeRef) -> Option<String> {
    let leaf = match ty {
        TypeRef::DateTime => "Rfc3339",
        TypeRef::DateTimeRfc1123 => "Rfc1123",
        TypeRef::Date => "IsoDate",
        TypeRef::Uuid => "UuidText",
        TypeRef::Bytes => "Base64",
        TypeRef::BytesUrlSafe => "Base64Url",
        TypeRef::Array(inner) => return codec_path(inner).map(|c| format!("format::List<{c}>")),
        TypeRef::Map(inner) => return codec_path(inner).map(|c| format!("format::Dict<{c}>")),
        _ => return None,
    };
    Some(format!("format::{leaf}"))
}

fn codec(ty: &TypeRef) -> Option<TokenStream> {
    codec_path(ty).and_then(|path| {
        syn::parse_str::<syn::Type>(&path)
            .ok()
            .map(|t| quote! { #t })
    })
}

/// Spec text as one line of inline code in a doc comment: no backtick can end the span and
/// no line break can start a block (a fenced block would become a doctest).
fn inline_code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    format!("`{text}`")
}

/// A polymorphic type: one variant per subtype, chosen by the discriminator when reading;
/// a kind this version does not know is kept whole and written back unchanged.
fn union_def(def: &UnionDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs);
    let discriminator = &def.discriminator;
    let variants = def.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = ident(&v.ty);
        let doc = format!(
            " {}: {}.",
            inline_code(discriminator),
            inline_code(&v.wire_value)
        );
        quote! {
            #[doc = #doc]
            #variant(Box<#ty>),
        }
    });
    let serialize_arms = def.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        quote! { Self::#variant(value) => value.serialize(serializer), }
    });
    let deserialize_arms = def.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote! { Some(#wire) => azure_arm_runtime::de::variant(object).map(Self::#variant), }
    });
    quote! {
        #docs
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A kind this version of the client does not know, kept whole as received.
            Unknown(serde_json::Value),
        }
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::Unknown(value) => value.serialize(serializer),
                }
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let (kind, object) = azure_arm_runtime::de::tagged(deserializer, #discriminator)?;
                match kind.as_deref() {
                    #(#deserialize_arms)*
                    _ => Ok(Self::Unknown(object)),
                }
            }
        }
    }
}
