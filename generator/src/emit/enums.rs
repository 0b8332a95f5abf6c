//! The enums of `models.rs`: closed ones derive their comparisons and write serde by hand
//! against the listed wire values; extensible (`modelAsString`) ones keep values this
//! version does not list in `UnknownValue` and compare by wire value.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{doc_attrs, doc_lines, ident};
use crate::model::{EnumDef, Variant};

pub(super) fn enum_def(def: &EnumDef) -> TokenStream {
    if def.extensible {
        extensible_enum(def)
    } else {
        closed_enum(def)
    }
}

/// A closed enum: comparisons derived; serde written out, a value not listed an error.
fn closed_enum(def: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs);
    let variants = variants(def);
    let arms = as_str_arms(def);
    let from_arms = def.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote! { #wire => Ok(Self::#variant), }
    });
    let wire_values = def.variants.iter().map(|v| &v.wire_value);
    let display = display_as_str(&name);
    let serialize = serialize_as_str(&name);
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
        }
        impl #name {
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }
        #display
        #serialize
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = azure_arm_runtime::de::enum_value(deserializer)?;
                match value.as_str() {
                    #(#from_arms)*
                    other => Err(serde::de::Error::unknown_variant(other, &[#(#wire_values),*])),
                }
            }
        }
    }
}

/// The listed variants, each with its wire value and description.
fn variants(def: &EnumDef) -> impl Iterator<Item = TokenStream> + '_ {
    def.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let docs = variant_docs(v);
        quote! {
            #docs
            #variant,
        }
    })
}

/// `as_str`'s arms: each listed variant's wire value.
fn as_str_arms(def: &EnumDef) -> impl Iterator<Item = TokenStream> + '_ {
    def.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote! { Self::#variant => #wire, }
    })
}

/// The wire value first (what users search for), then the spec's description.
fn variant_docs(variant: &Variant) -> TokenStream {
    let mut lines: Vec<String> = vec![crate::escape::doc_code(&variant.wire_value)];
    if !variant.docs.is_empty() {
        lines.push(String::new());
        lines.extend(variant.docs.lines.iter().cloned());
    }
    doc_lines(lines.iter().map(String::as_str))
}

/// An extensible (`modelAsString`) enum: values this version does not list deserialize into
/// `UnknownValue` and serialize back unchanged. Serde impls are written out rather than
/// derived with an untagged variant: smaller and faster to compile.
fn extensible_enum(def: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs);
    let variants = variants(def);
    let as_str_arms = as_str_arms(def);
    let from_arms = def.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote! { #wire => Self::#variant, }
    });
    let equality = wire_value_equality(&name);
    let display = display_as_str(&name);
    let text = extensible_text_impls(&name);
    let serialize = serialize_as_str(&name);
    quote! {
        #docs
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know, kept exactly as received.
            /// It equals the listed variant with the same wire value, which `From<String>`
            /// gives.
            UnknownValue(String),
        }
        #equality
        impl #name {
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    Self::UnknownValue(value) => value,
                }
            }
        }
        impl From<String> for #name {
            #[inline]
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#from_arms)*
                    _ => Self::UnknownValue(value),
                }
            }
        }
        #display
        #text
        #serialize
        // One call of the runtime, generic over the enum: `String::deserialize(..).map(Self::from)`
        // written here cost 0.5 M instructions of `cargo check` more per enum (BENCHMARKS.md).
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                azure_arm_runtime::de::extensible_enum(deserializer)
            }
        }
    }
}

/// An extensible enum's `PartialEq`, `Eq` and `Hash`: they compare the wire value
/// (`as_str`), which is what a value means, in one call each; the derives'
/// discriminant-and-match bodies cost 3% of `cargo check` (BENCHMARKS.md). `eq` compares
/// `str`s, not `&str`s: `str`'s own `PartialEq`, without the impl for references to find
/// first, checks 0.1% cheaper.
fn wire_value_equality(name: &Ident) -> TokenStream {
    quote! {
        /// Equal when the wire values are.
        impl PartialEq for #name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                *self.as_str() == *other.as_str()
            }
        }
        impl Eq for #name {}
        impl std::hash::Hash for #name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
            }
        }
    }
}

/// An extensible enum's conversions from and to text beyond `From<String>`. `FromStr` names
/// the `From` impl it calls: a bare `Self::from` makes rustc search every `From` impl of the
/// type for the argument's (BENCHMARKS.md).
fn extensible_text_impls(name: &Ident) -> TokenStream {
    quote! {
        impl AsRef<str> for #name {
            #[inline]
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        /// Never fails: a value this version does not list is kept in `UnknownValue`.
        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            #[inline]
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(<Self as From<String>>::from(value.to_owned()))
            }
        }
    }
}

/// An enum's `Display`: its wire value, closed or extensible.
fn display_as_str(name: &Ident) -> TokenStream {
    quote! {
        impl std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// An enum's `Serialize`: its wire value, closed or extensible.
fn serialize_as_str(name: &Ident) -> TokenStream {
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    }
}
