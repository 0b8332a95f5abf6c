//! One view over the many ways openapiv3 can hold a schema (typed, `allOf`, or its catch-all
//! `AnySchema` when keywords mix), so the type lowering matches on one enum.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

/// What a schema describes, as far as the generator cares.
pub enum Shape<'a> {
    /// `{"allOf": [{"$ref": …}]}` with nothing else but docs: a reference with siblings.
    Ref(&'a str),
    String {
        format: Option<String>,
        /// Values of `enum`.
        values: Vec<String>,
    },
    Integer {
        format: Option<String>,
    },
    Number {
        format: Option<String>,
    },
    Boolean,
    Array {
        items: Option<&'a ReferenceOr<Box<Schema>>>,
    },
    Object {
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
        all_of: &'a [ReferenceOr<Schema>],
    },
    /// No type at all: any JSON value.
    Any,
    /// A construct the generator does not support, by its keyword.
    Unsupported(&'static str),
}

pub fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => Shape::String {
            format: string_format(&s.format),
            values: s.enumeration.iter().flatten().cloned().collect(),
        },
        SchemaKind::Type(Type::Integer(i)) => Shape::Integer {
            format: integer_format(&i.format),
        },
        SchemaKind::Type(Type::Number(n)) => Shape::Number {
            format: number_format(&n.format),
        },
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Array(a)) => Shape::Array {
            items: a.items.as_ref(),
        },
        SchemaKind::Type(Type::Object(o)) => Shape::Object {
            properties: &o.properties,
            required: &o.required,
            additional: o.additional_properties.as_ref(),
            all_of: &[],
        },
        SchemaKind::AllOf { all_of } => match all_of.as_slice() {
            [ReferenceOr::Reference { reference }] => Shape::Ref(reference),
            _ => Shape::Object {
                properties: empty_properties(),
                required: &[],
                additional: None,
                all_of,
            },
        },
        SchemaKind::OneOf { .. } => Shape::Unsupported("oneOf"),
        SchemaKind::AnyOf { .. } => Shape::Unsupported("anyOf"),
        SchemaKind::Not { .. } => Shape::Unsupported("not"),
        SchemaKind::Any(any) => {
            if !any.one_of.is_empty() {
                return Shape::Unsupported("oneOf");
            }
            if !any.any_of.is_empty() {
                return Shape::Unsupported("anyOf");
            }
            if any.not.is_some() {
                return Shape::Unsupported("not");
            }
            let objectish = !any.properties.is_empty()
                || !any.all_of.is_empty()
                || any.additional_properties.is_some()
                || any.typ.as_deref() == Some("object");
            match any.typ.as_deref() {
                _ if objectish => {
                    if let ([ReferenceOr::Reference { reference }], true, None) = (
                        any.all_of.as_slice(),
                        any.properties.is_empty(),
                        &any.additional_properties,
                    ) {
                        return Shape::Ref(reference);
                    }
                    Shape::Object {
                        properties: &any.properties,
                        required: &any.required,
                        additional: any.additional_properties.as_ref(),
                        all_of: &any.all_of,
                    }
                }
                Some("string") | None if !any.enumeration.is_empty() => Shape::String {
                    format: any.format.clone(),
                    values: any
                        .enumeration
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                },
                Some("string") => Shape::String {
                    format: any.format.clone(),
                    values: Vec::new(),
                },
                Some("integer") => Shape::Integer {
                    format: any.format.clone(),
                },
                Some("number") => Shape::Number {
                    format: any.format.clone(),
                },
                Some("boolean") => Shape::Boolean,
                Some("array") => Shape::Array {
                    items: any.items.as_ref(),
                },
                Some(_) => Shape::Unsupported("type"),
                None => Shape::Any,
            }
        }
    }
}

fn empty_properties() -> &'static IndexMap<String, ReferenceOr<Box<Schema>>> {
    static EMPTY: std::sync::OnceLock<IndexMap<String, ReferenceOr<Box<Schema>>>> =
        std::sync::OnceLock::new();
    EMPTY.get_or_init(IndexMap::new)
}

fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date".into()),
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time".into()),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password".into()),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte".into()),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary".into()),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn integer_format(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32".into()),
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64".into()),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn number_format(format: &VariantOrUnknownOrEmpty<NumberFormat>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Some("float".into()),
        VariantOrUnknownOrEmpty::Item(NumberFormat::Double) => Some("double".into()),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}
