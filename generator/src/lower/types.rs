//! Schemas → [`TypeRef`]s and [`TypeDef`]s.
//!
//! Schemas are read as written (raw JSON, through [`Schema`]), so Swagger 2.0 and OpenAPI 3.0
//! lower alike and the siblings of a `$ref` keep their meaning. Every schema that becomes a
//! type is lowered once, keyed by its [`SchemaId`] (file + JSON pointer) however many paths
//! reach it, and keeps its own name (a definition's key, or `x-ms-enum.name`) whichever file
//! it lives in. Only types the operations reach are generated. Struct, enum and polymorphic
//! lowering live in their own modules; [`Types::finish`] boxes fields that make a type
//! recursive and records how operations use each type.
//!
//! Walks over the schema graph are bounded: nesting through `$ref`, `items`,
//! `additionalProperties` and `allOf` deeper than [`MAX_DEPTH`] is an error at the schema
//! where the limit was hit, never a stack overflow.

use std::collections::{BTreeMap, VecDeque};

use openapiv3::ReferenceOr;
use serde_json::Value;

use super::enums::EnumKey;
use super::secrets::Secrets;
use super::shape::{Additional, Schema, SchemaId, Shape};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::load::{SpecSet, ref_target};
use crate::model::{TypeDef, TypeRef, Usage};
use crate::naming::{Namespace, upper_camel};

/// How deep schemas may nest (through `$ref`, `items`, `additionalProperties`, and `allOf`
/// ancestors) before the generator reports the schema instead of following it further.
/// Real specs nest a handful of levels; the bound keeps hostile input from exhausting the
/// stack (a debug build's 2 MiB test thread included).
pub const MAX_DEPTH: usize = 64;

/// What a schema lowered to.
#[derive(Clone)]
pub(super) enum Known {
    /// A generated type.
    Named(String),
    /// A named schema that is just a primitive, array or map: used inline.
    Inline(TypeRef),
    /// A non-type schema being lowered, to catch an array or map of itself.
    InProgress,
}

/// What kind of type a queued schema becomes.
pub(super) enum Kind {
    Struct,
    Enum,
    Union,
}

/// A schema waiting to become a type definition.
pub(super) struct Pending {
    pub name: String,
    pub location: Location,
    pub schema: Value,
    pub kind: Kind,
}

pub struct Types<'s> {
    pub(super) specs: &'s SpecSet,
    /// Type names of the module; shared with clients and options, which claim first.
    pub names: Namespace,
    pub(super) known: BTreeMap<SchemaId, Known>,
    /// Enums by Rust name of `x-ms-enum.name` (or schema name), to merge equal declarations.
    pub(super) enums: BTreeMap<String, Vec<(EnumKey, String, Location)>>,
    pub(super) pending: VecDeque<Pending>,
    pub(super) defs: BTreeMap<String, TypeDef>,
    pub(super) secrets: Secrets,
    /// Direct `allOf` children of each schema, built when the first polymorphic schema is
    /// lowered.
    pub(super) children: Option<super::unions::Children>,
    /// Current nesting of [`Types::lower_value`].
    depth: usize,
    pub diagnostics: Diagnostics,
}

impl<'s> Types<'s> {
    pub fn new(specs: &'s SpecSet, names: Namespace, secrets: Secrets) -> Self {
        Types {
            specs,
            names,
            known: BTreeMap::new(),
            enums: BTreeMap::new(),
            pending: VecDeque::new(),
            defs: BTreeMap::new(),
            secrets,
            children: None,
            depth: 0,
            diagnostics: Diagnostics::default(),
        }
    }

    /// The type of a schema used at `at`. `inline_name` names an inline object or enum.
    ///
    /// The schema is read as written at `at` when the loaded documents have it there (so
    /// nothing the typed model dropped is lost); otherwise from `schema` itself.
    pub fn type_ref(
        &mut self,
        at: &Location,
        schema: &ReferenceOr<openapiv3::Schema>,
        inline_name: &str,
    ) -> TypeRef {
        let specs = self.specs;
        let ty = match specs.raw_value(at) {
            Some(value) => self.lower_value(at, value, inline_name),
            None => match serde_json::to_value(schema) {
                Ok(value) => self.lower_value(at, &value, inline_name),
                Err(err) => {
                    self.diagnostics.push(Diagnostic::error(
                        at.clone(),
                        format!("internal error: the schema cannot be read: {err}"),
                    ));
                    TypeRef::Any
                }
            },
        };
        if self.is_text_parameter(at) {
            as_text(ty)
        } else {
            ty
        }
    }

    /// Whether `at` is the schema of a non-body parameter (`…/parameters/N/schema`): values
    /// that travel as text in the URL or a header. (Response headers are not lowered.)
    fn is_text_parameter(&self, at: &Location) -> bool {
        let Some(parent) = at.pointer.strip_suffix("/schema") else {
            return false;
        };
        let parent_at = Location::new(&at.file, parent);
        // The parameter may be a `$ref` to a shared one.
        self.specs
            .raw_value(&parent_at)
            .and_then(|p| self.follow_ref(&parent_at, p).ok())
            .is_some_and(|(_, p)| {
                // A Swagger 2.0 body parameter's schema is a body, not text.
                p.get("in")
                    .and_then(Value::as_str)
                    .is_some_and(|place| place != "body")
            })
    }

    /// The type of the schema `value` found at `at`, bounded in depth.
    pub(super) fn lower_value(
        &mut self,
        at: &Location,
        value: &Value,
        inline_name: &str,
    ) -> TypeRef {
        if self.depth >= MAX_DEPTH {
            self.diagnostics.push(too_deep(at));
            return TypeRef::Any;
        }
        self.depth += 1;
        let ty = self.lower_bounded(at, value, inline_name);
        self.depth -= 1;
        ty
    }

    fn lower_bounded(&mut self, at: &Location, value: &Value, inline_name: &str) -> TypeRef {
        let Some(schema) = Schema::of(value) else {
            self.diagnostics.push(
                Diagnostic::error(at.clone(), "a schema here must be a JSON object")
                    .help("write the schema as an object, e.g. {\"type\": \"string\"}"),
            );
            return TypeRef::Any;
        };
        if schema.reference().is_none() && schema.defines_type() {
            return self.define(at, value, inline_name);
        }
        match schema.shape() {
            Shape::Ref(reference) => self.named(at, reference),
            Shape::String { format, .. } => self.string_type(at, schema, format),
            Shape::Integer { format } => self.integer_type(at, schema, format),
            Shape::Number { format } => self.number_type(at, format),
            Shape::Boolean => TypeRef::Bool,
            Shape::Array { items: Some(items) } => {
                let item_name = format!("{inline_name}Item");
                TypeRef::Array(Box::new(self.lower_value(
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
                Additional::Schema(value) => {
                    let value_name = format!("{inline_name}Value");
                    TypeRef::Map(Box::new(self.lower_value(
                        &at.join("additionalProperties"),
                        value,
                        &value_name,
                    )))
                }
                Additional::Any => TypeRef::Map(Box::new(TypeRef::Any)),
                Additional::None => TypeRef::Any,
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

    fn integer_type(&mut self, at: &Location, schema: Schema<'_>, format: Option<&str>) -> TypeRef {
        if schema.get("enum").is_some() {
            self.diagnostics.push(
                Diagnostic::warning(
                    at.join("enum"),
                    "an integer `enum` is generated as a plain integer: its values are not checked",
                )
                .help("list the values in the description, or make the enum a string enum"),
            );
        }
        match format {
            Some("int64") | Some("unixtime") => TypeRef::Int64,
            None | Some("int32") => TypeRef::Int32,
            Some(other) => {
                self.unknown_format(at, other, "i64");
                TypeRef::Int64
            }
        }
    }

    fn number_type(&mut self, at: &Location, format: Option<&str>) -> TypeRef {
        match format {
            Some("float") => TypeRef::Float32,
            None | Some("double") => TypeRef::Float64,
            Some(other) => {
                self.unknown_format(at, other, "f64");
                TypeRef::Float64
            }
        }
    }

    /// A string by its `format`. Formats that only document the text (`uri`, `duration`,
    /// `password`, …) stay `String`; `password` is also a secret.
    fn string_type(&mut self, at: &Location, schema: Schema<'_>, format: Option<&str>) -> TypeRef {
        if schema.flag("x-ms-secret") || format == Some("password") {
            return TypeRef::SecretString;
        }
        match format {
            Some("date-time") | Some("date-time-rfc3339") => TypeRef::DateTime,
            Some("date-time-rfc1123") | Some("date-time-rfc7231") => TypeRef::DateTimeRfc1123,
            Some("date") => TypeRef::Date,
            Some("uuid") => TypeRef::Uuid,
            Some("byte") => TypeRef::Bytes,
            Some("base64url") => TypeRef::BytesUrlSafe,
            None
            | Some("uri")
            | Some("url")
            | Some("uri-reference")
            | Some("duration")
            | Some("arm-id")
            | Some("email")
            | Some("hostname")
            | Some("ipv4")
            | Some("ipv6")
            | Some("char")
            | Some("time") => TypeRef::String,
            Some("binary") | Some("file") => {
                self.diagnostics.push(
                    Diagnostic::error(
                        at.join("format"),
                        "`format: binary` (a raw byte stream) is not supported in a JSON model",
                    )
                    .help("use `format: byte` for base64 text inside JSON"),
                );
                TypeRef::Any
            }
            Some(other) => {
                self.unknown_format(at, other, "String");
                TypeRef::String
            }
        }
    }

    fn unknown_format(&mut self, at: &Location, format: &str, rust: &str) {
        self.diagnostics.push(
            Diagnostic::warning(
                at.join("format"),
                format!("unknown `format: {format}`: the value is generated as `{rust}`"),
            )
            .help("use a format from README.md's table of supported formats"),
        );
    }

    /// The type a `$ref` names; lowers the target the first time.
    pub(super) fn named(&mut self, at: &Location, reference: &str) -> TypeRef {
        let target = ref_target(&at.file, reference);
        let id = SchemaId::from(&target);
        // A type already lowered is answered before its JSON is looked up again: the same
        // target always finds the same value, which was found when it was first lowered.
        match self.known.get(&id) {
            Some(Known::Named(name)) => return TypeRef::Named(name.clone()),
            Some(Known::Inline(ty)) => return ty.clone(),
            Some(Known::InProgress) | None => {}
        }
        let specs = self.specs;
        let Some(value) = specs.raw_value(&target) else {
            // The loader's resolution explains what is missing (file or pointer).
            let explained = specs.resolve::<Value>(at, reference).err();
            self.diagnostics.push(explained.unwrap_or_else(|| {
                Diagnostic::error(at.clone(), format!("`$ref` {reference} names nothing"))
            }));
            return TypeRef::Any;
        };
        // Named and inline types were answered above; only a target still being lowered is
        // left to tell apart here.
        match self.known.get(&id) {
            Some(Known::InProgress) => {
                let chain = Schema::of(value).and_then(|s| s.reference()).is_some();
                let diagnostic = if chain {
                    Diagnostic::error(
                        at.clone(),
                        "`$ref` chain does not end: the references form a cycle",
                    )
                    .help("make one of the references point at a definition")
                } else {
                    Diagnostic::error(
                        at.clone(),
                        format!("`$ref` {reference} makes a type that contains itself with no object in between (an array or map of itself): it cannot be written as a Rust type"),
                    )
                    .help("wrap the recursion in an object schema with a property, which the generator boxes")
                };
                self.diagnostics.push(diagnostic);
                return TypeRef::Any;
            }
            Some(Known::Named(_) | Known::Inline(_)) | None => {}
        }
        let schema = Schema::of(value);
        let wanted = schema
            .filter(|s| s.is_enum())
            .and_then(|s| s.enum_name())
            .map(str::to_string)
            .unwrap_or_else(|| wanted_type_name(&target, schema));
        if schema.is_some_and(|s| s.reference().is_none() && s.defines_type()) {
            return self.define(&target, value, &wanted);
        }
        self.known.insert(id.clone(), Known::InProgress);
        let ty = self.lower_value(&target, value, &wanted);
        self.known.insert(id, Known::Inline(ty.clone()));
        ty
    }

    /// Names and queues a schema that becomes a type, once per identity.
    fn define(&mut self, location: &Location, schema: &Value, wanted: &str) -> TypeRef {
        let id = SchemaId::from(location);
        if let Some(Known::Named(name)) = self.known.get(&id) {
            return TypeRef::Named(name.clone());
        }
        let Some(view) = Schema::of(schema) else {
            return TypeRef::Any;
        };
        let kind = if view.is_enum() {
            Kind::Enum
        } else if view.discriminator().is_some() {
            Kind::Union
        } else {
            Kind::Struct
        };
        let name = match kind {
            Kind::Enum => {
                let wanted = view.enum_name().unwrap_or(wanted).to_string();
                match self.merge_enum(location, view, &wanted) {
                    Ok(existing) => {
                        self.known.insert(id, Known::Named(existing.clone()));
                        return TypeRef::Named(existing);
                    }
                    Err(name) => name,
                }
            }
            Kind::Union | Kind::Struct => self.claim(location, wanted),
        };
        self.known.insert(id, Known::Named(name.clone()));
        self.pending.push_back(Pending {
            name: name.clone(),
            location: location.clone(),
            schema: schema.clone(),
            kind,
        });
        TypeRef::Named(name)
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
            let def = match pending.kind {
                Kind::Enum => self.lower_enum(pending),
                Kind::Struct => self.lower_struct(pending),
                Kind::Union => self.lower_union(pending),
            };
            if let Some(def) = def {
                self.defs.insert(def.name().to_string(), def);
            }
        }
    }

    /// Boxes recursive fields, applies usage, and returns the types sorted by name, the
    /// diagnostics of type lowering, and the config's secret entries that marked a property.
    pub fn finish(
        mut self,
        usage: &BTreeMap<String, Usage>,
    ) -> (Vec<TypeDef>, Diagnostics, Vec<String>) {
        super::graph::box_recursive_fields(&mut self.defs);
        let mut types: Vec<TypeDef> = self.defs.into_values().collect();
        for def in &mut types {
            if let TypeDef::Struct(s) = def {
                s.usage = usage.get(&s.name).copied().unwrap_or_default();
            }
        }
        (types, self.diagnostics, self.secrets.applied())
    }

    /// The types directly referenced by `name`: its fields, or a union's variants.
    pub fn field_types(&self, name: &str) -> Vec<TypeRef> {
        match self.defs.get(name) {
            Some(def) => super::graph::edges(def),
            None => Vec::new(),
        }
    }
}

/// A parameter's or header's type as the caller passes it: text for string formats (a
/// subscription id with `format: uuid` stays a `&str` argument, as in Azure's other SDKs),
/// so path, query and header values are written exactly as given.
fn as_text(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::DateTime
        | TypeRef::DateTimeRfc1123
        | TypeRef::Date
        | TypeRef::Uuid
        | TypeRef::Bytes
        | TypeRef::BytesUrlSafe => TypeRef::String,
        TypeRef::Array(inner) => TypeRef::Array(Box::new(as_text(*inner))),
        other => other,
    }
}

/// The error for a schema nested beyond [`MAX_DEPTH`].
pub(super) fn too_deep(at: &Location) -> Diagnostic {
    Diagnostic::error(
        at.clone(),
        format!("schemas nest more than {MAX_DEPTH} levels deep here (through `$ref`, `allOf`, `items` or `additionalProperties`)"),
    )
    .help("flatten the schema: real API models nest a handful of levels")
}

/// A definition's own name: the last token of its pointer (`…/definitions/SystemData`).
pub(super) fn definition_name(location: &Location) -> String {
    location
        .pointer
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .map(|n| crate::load::refs::unescape_token(n).into_owned())
        .unwrap_or_else(|| "Type".to_string())
}

/// The type name a definition asks for: its own `x-ms-client-name` (AutoRest's rename of a
/// model), else its key. Only a definition's own `x-ms-client-name` names a type: on a
/// property schema (`…/properties/p`) the extension renames the field, not a type.
pub(super) fn wanted_type_name(location: &Location, schema: Option<Schema<'_>>) -> String {
    let is_definition = location
        .pointer
        .rsplit_once('/')
        .is_some_and(|(section, _)| section == "/definitions" || section == "/components/schemas");
    schema
        .filter(|_| is_definition)
        .and_then(|s| s.str("x-ms-client-name"))
        .filter(|name| !name.trim().is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| definition_name(location))
}

impl Types<'_> {
    /// `file.json#/pointer`: where a type came from, the file relative to the folder of the
    /// first input document (`../../common-types/…/types.json` for a shared definition), so
    /// the model (and its snapshot) reads the same on every machine and says which file.
    pub(super) fn source_name(&self, location: &Location) -> String {
        let base = self
            .specs
            .roots
            .first()
            .and_then(|root| root.path.parent())
            .unwrap_or(std::path::Path::new(""));
        let file = relative_path(base, &location.file);
        format!("{}#{}", file.replace('\\', "/"), location.pointer)
    }
}

/// `path` relative to the folder `base` (both as the loader normalised them).
fn relative_path(base: &std::path::Path, path: &std::path::Path) -> String {
    let base: Vec<_> = base.components().collect();
    let target: Vec<_> = path.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Every public item needs docs (the generated crate warns on missing ones); a spec without
/// a description gets a plain statement of what the item is.
pub(super) fn or_else(
    docs: crate::model::Docs,
    fallback: impl FnOnce() -> String,
) -> crate::model::Docs {
    if docs.is_empty() {
        crate::model::Docs {
            lines: vec![fallback()],
        }
    } else {
        docs
    }
}
