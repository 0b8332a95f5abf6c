//! The intermediate model: plain data between `lower` and `emit`.
//!
//! Everything the emitters need is decided here, once: Rust names (already escaped and
//! de-duplicated), which fields are optional, boxed, read-only or secret, which parameters
//! the client holds and which each method takes. No tokens and no strings of Rust code live
//! in the model, so it can be snapshot-tested and dumped for debugging on its own.

use serde::Serialize;

mod examples;
pub use examples::*;

/// One api-version of a service: what becomes one module of the generated crate.
#[derive(Clone, Debug, Serialize)]
pub struct Api {
    /// The api-version, e.g. `2025-01-02`.
    pub version: String,
    /// The module (and cargo feature) name, e.g. `v2025_01_02`.
    pub module: String,
    /// The title of the OpenAPI document.
    pub title: String,
    /// The document's description.
    pub docs: Docs,
    /// The server URL the spec names (ARM: `https://management.azure.com`).
    pub server: Option<String>,
    /// The top-level client, e.g. `ComputeClient`.
    pub client: ClientDef,
    /// Operation groups, one sub-client each, in spec order.
    pub groups: Vec<OperationGroup>,
    /// Every type the operations reach, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// The compiled constraints of constrained parameters, one static each, shared by every
    /// operation whose parameter has the same name and constraints.
    pub param_rules: Vec<ParamRulesDef>,
    /// The config's `secrets:` entries (`Definition.property`) that marked a property of
    /// this api-version; an entry no api-version applies is an error.
    pub secrets_applied: Vec<String>,
    /// The spec's `x-ms-examples` that replay through the generated client, as tests.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// How many examples could not be replayed (each a warning that says why).
    #[serde(skip_serializing_if = "is_zero")]
    pub skipped_examples: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

/// A `static` holding a parameter's compiled constraints.
#[derive(Clone, Debug, Serialize)]
pub struct ParamRulesDef {
    /// e.g. `RESOURCE_GROUP_NAME_RULES`.
    pub name: String,
    pub wire_name: String,
    pub constraints: Constraints,
}

/// The top-level client of one api-version.
#[derive(Clone, Debug, Serialize)]
pub struct ClientDef {
    /// e.g. `ComputeClient`.
    pub name: String,
    /// e.g. `ComputeClientOptions`.
    pub options_name: String,
    /// Parameters every operation shares that the client holds (subscription id,
    /// api-version), in a stable order.
    pub params: Vec<ClientParam>,
}

/// A parameter the client holds rather than each method taking it
/// (`x-ms-parameter-location: client`).
#[derive(Clone, Debug, Serialize)]
pub struct ClientParam {
    pub wire_name: String,
    pub rust_name: String,
    pub role: ClientParamRole,
    pub docs: Docs,
}

/// Why the client holds a parameter; decides how it is supplied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ClientParamRole {
    /// The `api-version` query parameter: fixed per module, overridable in the options.
    ApiVersion,
    /// Any other client-wide value (e.g. `subscriptionId`): a constructor argument.
    Value,
}

/// Operations that share a sub-client (from the `Group_Name` operationId convention).
#[derive(Clone, Debug, Serialize)]
pub struct OperationGroup {
    /// The group as named by the spec, e.g. `DiskRestorePoint`.
    pub wire_name: String,
    /// e.g. `DiskRestorePointClient`.
    pub client_name: String,
    /// The accessor on the top-level client, e.g. `disk_restore_point_client`.
    pub accessor: String,
    /// The module (file) the sub-client is written to, e.g. `disk_restore_point`.
    pub module: String,
    pub operations: Vec<Operation>,
}

/// One HTTP operation.
#[derive(Clone, Debug, Serialize)]
pub struct Operation {
    /// The spec's operationId, e.g. `Disks_GrantAccess`.
    pub id: String,
    /// The method name, e.g. `begin_grant_access` (long-running), `list` (pageable), `get`.
    pub rust_name: String,
    /// The per-call options struct, e.g. `DisksGrantAccessOptions`.
    pub options_name: String,
    /// The SDK span's name, `<provider namespace>.<group>.<operation>`, e.g.
    /// `Microsoft.Compute.Disks.grantAccess`.
    pub api_name: String,
    pub method: HttpMethod,
    /// The path template split into segments.
    pub path: Vec<PathPart>,
    /// Path and query parameters, in spec order; client-held ones included.
    pub params: Vec<Parameter>,
    pub body: Option<RequestBody>,
    /// Success responses by status code, ascending.
    pub responses: Vec<Response>,
    /// The `default` response's body type: the service's error model.
    pub error: Option<TypeRef>,
    /// What the call yields: the body of the first success response that has one (for a
    /// pageable operation: the page; for a long-running one: the final result). `None`:
    /// no body (`Response<(), NoFormat>`).
    pub result: Option<TypeRef>,
    /// `x-ms-pageable`: the method returns azure_core's `Pager` over `result`'s pages.
    pub pageable: Option<Pageable>,
    /// `x-ms-long-running-operation`: the method returns azure_core's `Poller`.
    pub long_running: Option<LongRunning>,
    pub docs: Docs,
}

/// `x-ms-pageable`.
#[derive(Clone, Debug, Serialize)]
pub struct Pageable {
    /// `nextLinkName`; `None` (`null` in the spec) when the list has one page.
    pub next_link_name: Option<String>,
    /// `itemName` (default `value`): the page property holding the items.
    pub item_name: String,
    /// The page model, e.g. `DiskList`.
    pub page: String,
    /// The Rust field of `item_name` in the page model.
    pub item_field: String,
    /// The item type.
    pub item: TypeRef,
    /// Whether the items field is required (not `Option`).
    pub item_required: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Patch,
    Delete,
    Head,
}

/// A piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum PathPart {
    /// A literal segment, e.g. `providers`.
    Literal(String),
    /// A `{name}` segment: the wire name of a path parameter.
    Param(String),
}

impl PathPart {
    /// The wire name of a `{name}` segment; `None` for a literal.
    pub fn param(&self) -> Option<&str> {
        match self {
            PathPart::Param(name) => Some(name),
            PathPart::Literal(_) => None,
        }
    }
}

/// The wire names of the path parameters among `params`, in order.
pub fn path_param_names(params: &[Parameter]) -> impl Iterator<Item = &str> {
    params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.wire_name.as_str())
}

#[derive(Clone, Debug, Serialize)]
pub struct Parameter {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    /// `Client` when the top-level client supplies the value.
    pub scope: ParamScope,
    pub ty: TypeRef,
    pub required: bool,
    pub constraints: Constraints,
    /// The [`ParamRulesDef`] holding the constraints; `None` when there are none.
    pub rules: Option<String>,
    pub docs: Docs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ParamScope {
    Client,
    Method,
}

/// Constraints from the spec that the client checks before sending.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Hash)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// The spec's pattern compiled to a character set; `None` when the spec has none or it
    /// is not one the generator can compile (a warning says so).
    pub pattern: Option<Pattern>,
    /// `minimum` (`exclusiveMinimum`) of a number or integer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Bound>,
    /// `maximum` (`exclusiveMaximum`) of a number or integer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Bound>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self.min_length.is_none()
            && self.max_length.is_none()
            && self.pattern.is_none()
            && self.minimum.is_none()
            && self.maximum.is_none()
    }
}

/// A numeric bound, as the spec writes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Bound {
    pub value: serde_json::Number,
    /// The value itself is outside (`exclusiveMinimum`/`exclusiveMaximum: true`).
    pub exclusive: bool,
}

/// An anchored single-character-class pattern such as `^[-\w\._\(\)]+$`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Hash)]
pub struct Pattern {
    /// The pattern as the spec wrote it, for error messages.
    pub source: String,
    /// Every character of a value must belong to one of these.
    pub allowed: Vec<CharSet>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Hash)]
pub enum CharSet {
    /// `\w`
    Word,
    /// `\d`
    Digit,
    /// `\s`
    Space,
    /// Literal characters.
    Chars(String),
    /// An inclusive range such as `a-z`.
    Range(char, char),
}

#[derive(Clone, Debug, Serialize)]
pub struct RequestBody {
    /// The argument name, e.g. `grant_access_data`.
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
}

#[derive(Clone, Debug, Serialize)]
pub struct Response {
    pub status: u16,
    pub body: Option<TypeRef>,
}

/// `x-ms-long-running-operation` and its options.
#[derive(Clone, Debug, Serialize)]
pub struct LongRunning {
    /// `None` when the spec is silent: the method's default applies at run time.
    pub final_state_via: Option<FinalStateVia>,
    /// The method that continues the operation from a resume token, e.g.
    /// `resume_grant_access`.
    pub resume_name: String,
}

/// `x-ms-long-running-operation-options.final-state-via`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FinalStateVia {
    Location,
    AzureAsyncOperation,
    OriginalUri,
    OperationLocation,
}

/// A reference to a type, as a field, parameter or body uses it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum TypeRef {
    /// A generated type, by its Rust name.
    Named(String),
    String,
    /// A string that is a bearer secret (`x-ms-secret`): redacted in `Debug`.
    SecretString,
    Bool,
    Int32,
    Int64,
    Float32,
    Float64,
    /// `format: date-time` (RFC 3339).
    DateTime,
    /// `format: date-time-rfc1123` (the HTTP date).
    DateTimeRfc1123,
    /// `format: date` (`2024-05-01`).
    Date,
    /// `format: uuid`.
    Uuid,
    /// `format: byte`: bytes, standard base64 on the wire.
    Bytes,
    /// `format: base64url`: bytes, URL-safe base64 on the wire.
    BytesUrlSafe,
    Array(Box<TypeRef>),
    /// `additionalProperties`: a string-keyed map.
    Map(Box<TypeRef>),
    /// A schema with no shape: any JSON value.
    Any,
}

impl TypeRef {
    /// Whether the value, or an item or map value inside it, is written in a string format
    /// (date-time, date, uuid, base64): such fields (de)serialize through a format codec.
    pub fn is_formatted(&self) -> bool {
        match self {
            TypeRef::DateTime
            | TypeRef::DateTimeRfc1123
            | TypeRef::Date
            | TypeRef::Uuid
            | TypeRef::Bytes
            | TypeRef::BytesUrlSafe => true,
            TypeRef::Array(inner) | TypeRef::Map(inner) => inner.is_formatted(),
            _ => false,
        }
    }
}

/// A generated type.
#[derive(Clone, Debug, Serialize)]
pub enum TypeDef {
    Struct(StructDef),
    Enum(EnumDef),
    /// A polymorphic schema (`discriminator`): one variant per subtype.
    Union(UnionDef),
}

impl TypeDef {
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Union(u) => &u.name,
        }
    }
}

/// How operations use a type; decides derives and `#[non_exhaustive]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// Sent to the service (request bodies and what they contain).
    pub input: bool,
    /// Received from the service (responses, errors and what they contain).
    pub output: bool,
    /// The body of an operation's `default` response.
    pub error: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct StructDef {
    pub name: String,
    /// Where the schema lives, e.g. `compute-2025-01-02.json#/components/schemas/AccessUri`.
    pub source: String,
    pub docs: Docs,
    pub fields: Vec<Field>,
    /// `additionalProperties` beside `properties`: every other JSON field, kept in a map.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional: Option<AdditionalField>,
    /// Set on a subtype of a polymorphic schema: the discriminator property and this
    /// subtype's value, always written when serializing (the property is not a field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<Tag>,
    pub usage: Usage,
}

impl StructDef {
    /// Whether the struct gets `Default`: only when none of its fields is required in Rust,
    /// since a `Default` with made-up values for required fields would send them.
    pub fn has_default(&self) -> bool {
        !self.fields.iter().any(|f| f.presence.is_required())
    }
}

/// The map that holds a struct's `additionalProperties`.
#[derive(Clone, Debug, Serialize)]
pub struct AdditionalField {
    pub rust_name: String,
    /// The type of each value.
    pub ty: TypeRef,
    pub docs: Docs,
}

/// A subtype's discriminator value.
#[derive(Clone, Debug, Serialize)]
pub struct Tag {
    /// The discriminator property's wire name, e.g. `kind`.
    pub property: String,
    /// This subtype's value (`x-ms-discriminator-value`, else its definition name).
    pub value: String,
}

/// A polymorphic schema: the discriminator selects the subtype; a value this version does
/// not know is kept whole in an `Unknown` variant.
#[derive(Clone, Debug, Serialize)]
pub struct UnionDef {
    pub name: String,
    pub source: String,
    pub docs: Docs,
    /// The discriminator property's wire name.
    pub discriminator: String,
    /// One per known subtype, in order of discriminator value.
    pub variants: Vec<UnionVariant>,
}

#[derive(Clone, Debug, Serialize)]
pub struct UnionVariant {
    pub wire_value: String,
    pub rust_name: String,
    /// The subtype's struct.
    pub ty: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    /// `required` in the spec (and not `x-nullable`). How the field is held in Rust is
    /// [`Field::presence`].
    pub required: bool,
    /// `readOnly`: set by the service, never serialized.
    pub read_only: bool,
    /// Whether the Rust field is an `Option`, and how a response without it is read.
    pub presence: Presence,
    /// Boxed to break a recursive type.
    pub boxed: bool,
    /// `x-ms-mutability`: when the field may be sent and is returned; everything when the
    /// spec does not say.
    #[serde(skip_serializing_if = "Mutability::is_unrestricted")]
    pub mutability: Mutability,
    pub docs: Docs,
}

/// How a field is held in Rust and read from a response: decided in lowering
/// (`lower::presence`) from the spec's `required`, `readOnly`, `x-ms-mutability` and secrets,
/// so that the emitters and the example replay agree on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Presence {
    /// `Option<T>`: optional in the spec, or read-only (the service sets it, so a caller
    /// builds the type without it even when the spec calls it required).
    Optional,
    /// `T`: always written, and a response without it fails naming the field.
    Required,
    /// `T`, always written, but the service never returns it (a secret, or `x-ms-mutability`
    /// without `read`): a response without it reads as the type's empty value.
    RequiredUnlessOmitted,
}

impl Presence {
    /// The spec's word alone: required and not read-only is `T`, anything else `Option<T>`.
    pub fn of(required: bool, read_only: bool) -> Self {
        if required && !read_only {
            Presence::Required
        } else {
            Presence::Optional
        }
    }

    /// Whether the Rust field is `T` rather than `Option<T>`.
    pub fn is_required(self) -> bool {
        self != Presence::Optional
    }
}

/// `x-ms-mutability`: `create` (may be sent when creating), `update` (when updating),
/// `read` (the service returns it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Mutability {
    pub create: bool,
    pub read: bool,
    pub update: bool,
}

impl Default for Mutability {
    fn default() -> Self {
        Mutability {
            create: true,
            read: true,
            update: true,
        }
    }
}

impl Mutability {
    pub fn is_unrestricted(&self) -> bool {
        *self == Mutability::default()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct EnumDef {
    pub name: String,
    pub source: String,
    pub docs: Docs,
    /// `x-ms-enum.modelAsString`: the service may send values this version does not list;
    /// they are kept in an `UnknownValue` variant.
    pub extensible: bool,
    pub variants: Vec<Variant>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Variant {
    pub wire_value: String,
    pub rust_name: String,
    pub docs: Docs,
}

/// Documentation text from the spec, already split into lines and cleaned for rustdoc.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Docs {
    pub lines: Vec<String>,
}

impl Docs {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}
