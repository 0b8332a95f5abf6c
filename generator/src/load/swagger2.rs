//! Swagger 2.0, the format Azure publishes, read natively: each Swagger 2.0 file is
//! converted in memory into the OpenAPI 3.0 shape the lowering walks, and every place that
//! moved is recorded in a [`PointerMap`] so diagnostics still point into the file as written.
//!
//! What stays where it was, so references and type identity need no rewriting: `definitions`,
//! `parameters` and `responses` keep their pointers (`#/definitions/X` still names `X`, in
//! this file or another), and schemas are kept as written — `$ref` siblings included — with
//! two in-place repairs OpenAPI 3 needs (`discriminator` as an object, `x-nullable` as
//! `nullable`). What moves:
//!
//! | Swagger 2.0                                   | OpenAPI 3 shape                                   |
//! |-----------------------------------------------|---------------------------------------------------|
//! | non-body parameter's `type`, `format`, …      | its `schema`                                      |
//! | `in: body` parameter                          | the operation's `requestBody` (its `name` becomes `x-ms-requestBody-name`) |
//! | response `schema`, response header `type`     | `content.<media type>.schema`, header `schema`    |
//! | `consumes` / `produces`                       | the media types of `content`                      |
//! | `host`, `basePath`, `schemes`, `x-ms-parameterized-host` | `servers[0].url`                       |
//! | `securityDefinitions`                         | `components.securitySchemes`                      |
//! | `x-ms-paths`                                  | `paths`                                           |
//!
//! `in: formData` parameters are not supported: the operation gets a located error, reported
//! only if the operation is generated.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::origin::PointerMap;
use super::refs::ref_target;
use crate::diagnostics::{Diagnostic, Location, pointer_token};

/// A converted document.
pub struct Converted {
    pub value: Value,
    pub map: PointerMap,
    /// Problems of single operations, in converted pointers (the operation's pointer first):
    /// reported only for operations that are generated.
    pub operation_notes: Vec<(String, Diagnostic)>,
    /// Problems of the document as a whole: reported when it is an input document.
    pub document_notes: Vec<Diagnostic>,
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Parameter keys that describe the parameter; every other non-extension key describes its
/// value and moves into the schema.
const PARAMETER_KEYS: &[&str] = &[
    "name",
    "in",
    "description",
    "required",
    "allowEmptyValue",
    "deprecated",
    "collectionFormat",
    "schema",
];

/// Extensions that describe a value rather than a parameter or header.
const SCHEMA_EXTENSIONS: &[&str] = &["x-ms-enum", "x-nullable"];

/// Converts the Swagger 2.0 document `document`, read from `path`. `originals` holds every
/// loaded file as written, for parameters that other files declare.
pub fn convert(path: &Path, document: &Value, originals: &BTreeMap<PathBuf, Value>) -> Converted {
    let mut converter = Converter {
        path,
        originals,
        map: PointerMap::default(),
        operation_notes: Vec::new(),
        document_notes: Vec::new(),
    };
    let value = converter.document(document);
    Converted {
        value,
        map: converter.map,
        operation_notes: converter.operation_notes,
        document_notes: converter.document_notes,
    }
}

struct Converter<'a> {
    path: &'a Path,
    originals: &'a BTreeMap<PathBuf, Value>,
    map: PointerMap,
    operation_notes: Vec<(String, Diagnostic)>,
    document_notes: Vec<Diagnostic>,
}

/// Media types of request or response bodies.
struct Media<'v> {
    consumes: Vec<&'v str>,
    produces: Vec<&'v str>,
}

impl<'v> Media<'v> {
    /// The document's media types, `application/json` when it names none.
    fn of(object: &'v Value) -> Self {
        let list = |key: &str| -> Vec<&'v str> {
            let listed: Vec<&str> = media_list(object, key).unwrap_or_default();
            if listed.is_empty() {
                vec!["application/json"]
            } else {
                listed
            }
        };
        Media {
            consumes: list("consumes"),
            produces: list("produces"),
        }
    }

    /// An operation's own lists replace the document's.
    fn within(&self, operation: &'v Value) -> Self {
        Media {
            consumes: media_list(operation, "consumes").unwrap_or_else(|| self.consumes.clone()),
            produces: media_list(operation, "produces").unwrap_or_else(|| self.produces.clone()),
        }
    }
}

fn media_list<'v>(object: &'v Value, key: &str) -> Option<Vec<&'v str>> {
    let list = object.get(key)?.as_array()?;
    Some(list.iter().filter_map(Value::as_str).collect())
}

impl Converter<'_> {
    fn location(&self, pointer: &str) -> Location {
        Location::new(self.path, pointer)
    }

    fn document(&mut self, document: &Value) -> Value {
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        let Some(fields) = document.as_object() else {
            return Value::Object(out);
        };
        let media = Media::of(document);
        for (key, value) in fields {
            match key.as_str() {
                "swagger" | "host" | "basePath" | "schemes" | "consumes" | "produces" | "paths"
                | "x-ms-paths" => {}
                "definitions" => {
                    let mut definitions = value.clone();
                    if let Some(map) = definitions.as_object_mut() {
                        map.values_mut().for_each(repair_schema);
                    }
                    out.insert(key.clone(), definitions);
                }
                "parameters" => {
                    let converted = self.named(value, "/parameters", |this, p, at| {
                        this.shared_parameter(p, at, &media)
                    });
                    out.insert(key.clone(), converted);
                }
                "responses" => {
                    let converted = self.named(value, "/responses", |this, r, at| {
                        this.response(r, at, at, &media.produces)
                    });
                    out.insert(key.clone(), converted);
                }
                "securityDefinitions" => {
                    let schemes = self.named(value, "/securityDefinitions", |this, s, at| {
                        let name = at.rsplit('/').next().unwrap_or_default();
                        this.map
                            .insert(format!("/components/securitySchemes/{name}"), at);
                        security_scheme(s)
                    });
                    out.insert("components".into(), json!({ "securitySchemes": schemes }));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(server) = self.server(document) {
            out.insert("servers".into(), json!([server]));
        }
        out.insert("paths".into(), self.paths(document, &media));
        Value::Object(out)
    }

    /// Converts each entry of a map of named items (`parameters`, `responses`, …).
    fn named(
        &mut self,
        value: &Value,
        at: &str,
        mut convert: impl FnMut(&mut Self, &Value, &str) -> Value,
    ) -> Value {
        let Some(entries) = value.as_object() else {
            return value.clone();
        };
        let mut out = Map::new();
        for (name, entry) in entries {
            let entry_at = format!("{at}/{}", pointer_token(name));
            let converted = if name.starts_with("x-") || is_reference(entry) {
                entry.clone()
            } else {
                convert(self, entry, &entry_at)
            };
            out.insert(name.clone(), converted);
        }
        Value::Object(out)
    }

    /// `servers[0].url` from `x-ms-parameterized-host`, else `schemes`, `host` and `basePath`.
    fn server(&mut self, document: &Value) -> Option<Value> {
        let base_path = document
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or("");
        let base_path = base_path.trim_end_matches('/');
        let schemes = media_list(document, "schemes").unwrap_or_default();
        let scheme = if schemes.is_empty() || schemes.contains(&"https") {
            "https"
        } else {
            schemes[0]
        };
        if let Some(host) = document.get("x-ms-parameterized-host") {
            let template = host
                .get("hostTemplate")
                .and_then(Value::as_str)
                .unwrap_or("");
            if template.contains('{') {
                self.document_notes.push(
                    Diagnostic::error(
                        self.location("/x-ms-parameterized-host/hostTemplate"),
                        format!("host template `{template}` has parameters, which are not supported yet"),
                    )
                    .help("the generated client takes its endpoint from its options; remove the host parameters or leave the document out"),
                );
            }
            let prefix = host.get("useSchemePrefix").and_then(Value::as_bool) != Some(false);
            let url = if prefix {
                format!("{scheme}://{template}{base_path}")
            } else {
                format!("{template}{base_path}")
            };
            self.map
                .insert("/servers/0/url", "/x-ms-parameterized-host/hostTemplate");
            self.map.insert("/servers", "/x-ms-parameterized-host");
            return Some(json!({ "url": url }));
        }
        let host = document.get("host").and_then(Value::as_str)?;
        self.map.insert("/servers", "/host");
        Some(json!({ "url": format!("{scheme}://{host}{base_path}") }))
    }

    /// `paths` and `x-ms-paths`, merged into `paths`.
    fn paths(&mut self, document: &Value, media: &Media<'_>) -> Value {
        let mut out = Map::new();
        for section in ["paths", "x-ms-paths"] {
            let entries = document.get(section).and_then(Value::as_object);
            for (key, item) in entries.into_iter().flatten() {
                if key.starts_with("x-") {
                    if section == "paths" {
                        out.insert(key.clone(), item.clone());
                    }
                    continue;
                }
                let converted_at = format!("/paths/{}", pointer_token(key));
                let original_at = format!("/{section}/{}", pointer_token(key));
                if out.contains_key(key) {
                    self.document_notes.push(
                        Diagnostic::error(
                            self.location(&original_at),
                            format!("path `{key}` is declared in both `paths` and `x-ms-paths`"),
                        )
                        .help("keep one of the two declarations"),
                    );
                    continue;
                }
                self.map.insert(converted_at.clone(), original_at.clone());
                let converted = if is_reference(item) {
                    item.clone()
                } else {
                    self.path_item(item, &converted_at, &original_at, media)
                };
                if section == "x-ms-paths" && key.contains('?') {
                    for method in METHODS.iter().filter(|m| item.get(**m).is_some()) {
                        let at = format!("{converted_at}/{method}");
                        self.operation_notes.push((
                            at.clone(),
                            Diagnostic::error(
                                self.location(&format!("{original_at}/{method}")),
                                format!("the `x-ms-paths` key `{key}` has a query part, which is not supported yet"),
                            )
                            .help("leave the operation out with `operations.exclude` in the codegen config"),
                        ));
                    }
                }
                out.insert(key.clone(), converted);
            }
        }
        Value::Object(out)
    }

    fn path_item(&mut self, item: &Value, at: &str, original: &str, media: &Media<'_>) -> Value {
        let mut out = Map::new();
        for (key, value) in item.as_object().into_iter().flatten() {
            if METHODS.contains(&key.as_str()) {
                let token = pointer_token(key);
                let operation = self.operation(
                    value,
                    &format!("{at}/{token}"),
                    &format!("{original}/{token}"),
                    &media.within(value),
                );
                out.insert(key.clone(), operation);
            } else if key == "parameters" {
                let (parameters, body) = self.parameters(value, at, original, None);
                if let Some((index, _)) = body {
                    self.document_notes.push(
                        Diagnostic::error(
                            self.location(&format!("{original}/parameters/{index}")),
                            "a body parameter shared by a whole path item is not supported",
                        )
                        .help("declare the body parameter on each operation"),
                    );
                }
                out.insert(key.clone(), Value::Array(parameters));
            } else {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }

    fn operation(
        &mut self,
        operation: &Value,
        at: &str,
        original: &str,
        media: &Media<'_>,
    ) -> Value {
        let mut out = Map::new();
        for (key, value) in operation.as_object().into_iter().flatten() {
            match key.as_str() {
                "consumes" | "produces" | "schemes" | "parameters" | "responses" => {}
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(parameters) = operation.get("parameters") {
            let (parameters, body) = self.parameters(parameters, at, original, Some(media));
            if !parameters.is_empty() {
                out.insert("parameters".into(), Value::Array(parameters));
            }
            if let Some((_, (body, name))) = body {
                out.insert("requestBody".into(), body);
                if let Some(name) = name {
                    out.entry("x-ms-requestBody-name").or_insert(json!(name));
                }
            }
        }
        let mut responses = Map::new();
        let declared = operation.get("responses").and_then(Value::as_object);
        for (code, response) in declared.into_iter().flatten() {
            let token = pointer_token(code);
            let converted = if code.starts_with("x-") || is_reference(response) {
                response.clone()
            } else {
                let response_at = format!("{at}/responses/{token}");
                let response_original = format!("{original}/responses/{token}");
                self.response(response, &response_at, &response_original, &media.produces)
            };
            responses.insert(code.clone(), converted);
        }
        out.insert("responses".into(), Value::Object(responses));
        Value::Object(out)
    }

    /// The parameters of a path item or operation: the non-body ones in OpenAPI 3 shape, and
    /// the body (its index, request body and argument name). `media` is `None` on path items.
    #[allow(clippy::type_complexity)]
    fn parameters(
        &mut self,
        parameters: &Value,
        at: &str,
        original: &str,
        media: Option<&Media<'_>>,
    ) -> (Vec<Value>, Option<(usize, (Value, Option<String>))>) {
        let mut out = Vec::new();
        let mut body = None;
        for (index, parameter) in parameters.as_array().into_iter().flatten().enumerate() {
            let parameter_original = format!("{original}/parameters/{index}");
            // A virtual place for diagnostics about a parameter that has no converted place.
            let virtual_at = format!("{at}/x-original-parameters/{index}");
            self.map
                .insert(virtual_at.clone(), parameter_original.clone());
            let declared = declared(self.originals, self.path, parameter);
            let place = declared.and_then(|d| d.get("in")).and_then(Value::as_str);
            let name = declared
                .and_then(|d| d.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("");
            match place {
                Some("body") => {
                    if body.is_some() {
                        self.operation_notes.push((
                            at.to_string(),
                            Diagnostic::error(
                                self.location(&virtual_at),
                                format!("parameter `{name}` is a second body parameter"),
                            )
                            .help("an operation has at most one `in: body` parameter"),
                        ));
                        continue;
                    }
                    let body_at = format!("{at}/requestBody");
                    self.map.insert(body_at.clone(), parameter_original.clone());
                    let converted = if is_reference(parameter) {
                        json!({ "$ref": parameter["$ref"] })
                    } else {
                        let consumes = media.map(|m| m.consumes.as_slice()).unwrap_or(&[]);
                        self.request_body(parameter, &body_at, &parameter_original, consumes)
                    };
                    let argument = declared
                        .and_then(|d| d.get("x-ms-client-name"))
                        .and_then(Value::as_str)
                        .unwrap_or(name);
                    let argument = (!argument.is_empty()).then(|| argument.to_string());
                    body = Some((index, (converted, argument)));
                }
                Some("formData") => self.operation_notes.push((
                    at.to_string(),
                    Diagnostic::error(
                        self.location(&virtual_at),
                        format!("parameter `{name}` is `in: formData`, which is not supported"),
                    )
                    .help("form bodies are not generated; leave the operation out with `operations.exclude` in the codegen config"),
                )),
                _ => {
                    let converted_at = format!("{at}/parameters/{}", out.len());
                    self.map.insert(converted_at.clone(), parameter_original.clone());
                    out.push(if is_reference(parameter) {
                        parameter.clone()
                    } else {
                        self.parameter(parameter, &converted_at, &parameter_original)
                    });
                }
            }
        }
        (out, body)
    }

    /// A shared parameter (`#/parameters/X`): a body becomes a request body in place.
    fn shared_parameter(&mut self, parameter: &Value, at: &str, media: &Media<'_>) -> Value {
        if parameter.get("in").and_then(Value::as_str) == Some("body") {
            self.request_body(parameter, at, at, &media.consumes)
        } else {
            self.parameter(parameter, at, at)
        }
    }

    /// A path, query or header parameter: value keywords move into `schema`.
    fn parameter(&mut self, parameter: &Value, at: &str, original: &str) -> Value {
        let mut out = Map::new();
        let mut schema = Map::new();
        for (key, value) in parameter.as_object().into_iter().flatten() {
            let is_parameter_key = PARAMETER_KEYS.contains(&key.as_str())
                || (key.starts_with("x-") && !SCHEMA_EXTENSIONS.contains(&key.as_str()));
            if key == "collectionFormat" {
                continue;
            } else if is_parameter_key {
                out.insert(key.clone(), value.clone());
            } else {
                schema.insert(key.clone(), value.clone());
            }
        }
        let place = parameter.get("in").and_then(Value::as_str).unwrap_or("");
        let format = parameter.get("collectionFormat").and_then(Value::as_str);
        if let Some((style, explode)) = collection_style(place, format) {
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        }
        let mut schema = Value::Object(schema);
        repair_schema(&mut schema);
        out.insert("schema".into(), schema);
        self.map.insert(format!("{at}/schema"), original);
        Value::Object(out)
    }

    fn request_body(
        &mut self,
        parameter: &Value,
        at: &str,
        original: &str,
        consumes: &[&str],
    ) -> Value {
        let mut out = Map::new();
        for (key, value) in parameter.as_object().into_iter().flatten() {
            if key == "description" || key == "required" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        let mut schema = parameter.get("schema").cloned().unwrap_or(json!({}));
        repair_schema(&mut schema);
        let content = self.content(&schema, at, &format!("{original}/schema"), consumes);
        out.insert("content".into(), content);
        Value::Object(out)
    }

    /// `{<media type>: {schema}}` for each media type, each mapped to the original schema.
    fn content(&mut self, schema: &Value, at: &str, original: &str, media: &[&str]) -> Value {
        let mut content = Map::new();
        // `content` and each media type exist only in the converted shape: both lead to
        // the schema they were made from.
        self.map.insert(format!("{at}/content"), original);
        for media_type in media {
            let media_at = format!("{at}/content/{}", pointer_token(media_type));
            self.map.insert(format!("{media_at}/schema"), original);
            self.map.insert(media_at, original);
            content.insert(media_type.to_string(), json!({ "schema": schema }));
        }
        Value::Object(content)
    }

    fn response(&mut self, response: &Value, at: &str, original: &str, produces: &[&str]) -> Value {
        let mut out = Map::new();
        out.insert("description".into(), json!(""));
        for (key, value) in response.as_object().into_iter().flatten() {
            match key.as_str() {
                "schema" | "examples" => {}
                "headers" => {
                    let headers = self.named(
                        value,
                        &format!("{original}/headers"),
                        |this, h, header_original| {
                            let name = header_original.rsplit('/').next().unwrap_or_default();
                            let header_at = format!("{at}/headers/{name}");
                            this.header(h, &header_at, header_original)
                        },
                    );
                    out.insert(key.clone(), headers);
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(schema) = response.get("schema") {
            let mut schema = schema.clone();
            repair_schema(&mut schema);
            // A file is a byte stream: offered under a binary media type, never as JSON.
            let binary = ["application/octet-stream"];
            let produces = if schema.get("type").and_then(Value::as_str) == Some("file") {
                schema = json!({ "type": "string", "format": "binary" });
                &binary[..]
            } else {
                produces
            };
            let mut content = self.content(&schema, at, &format!("{original}/schema"), produces);
            // Response examples are keyed by media type in Swagger 2.0, as in OpenAPI 3.
            let examples = response.get("examples").and_then(Value::as_object);
            for (media_type, example) in examples.into_iter().flatten() {
                if let Some(entry) = content.get_mut(media_type).and_then(Value::as_object_mut) {
                    entry.insert("example".into(), example.clone());
                }
            }
            out.insert("content".into(), content);
        }
        Value::Object(out)
    }

    fn header(&mut self, header: &Value, at: &str, original: &str) -> Value {
        let mut out = Map::new();
        let mut schema = Map::new();
        for (key, value) in header.as_object().into_iter().flatten() {
            let is_header_key = key == "description"
                || (key.starts_with("x-") && !SCHEMA_EXTENSIONS.contains(&key.as_str()));
            if key == "collectionFormat" {
                continue;
            } else if is_header_key {
                out.insert(key.clone(), value.clone());
            } else {
                schema.insert(key.clone(), value.clone());
            }
        }
        let mut schema = Value::Object(schema);
        repair_schema(&mut schema);
        out.insert("schema".into(), schema);
        self.map.insert(format!("{at}/schema"), original);
        self.map.insert(at, original);
        Value::Object(out)
    }
}

/// The parameter as declared: itself, or what its `$ref`s lead to in the loaded files.
fn declared<'v>(
    originals: &'v BTreeMap<PathBuf, Value>,
    path: &Path,
    parameter: &'v Value,
) -> Option<&'v Value> {
    let mut file = path.to_path_buf();
    let mut current = parameter;
    for _ in 0..32 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            return Some(current);
        };
        let target = ref_target(&file, reference);
        current = originals.get(&target.file)?.pointer(&target.pointer)?;
        file = target.file;
    }
    None
}

fn is_reference(value: &Value) -> bool {
    value.get("$ref").is_some_and(Value::is_string)
}

/// OpenAPI 3's `style` and `explode` for a Swagger 2.0 `collectionFormat`.
fn collection_style(place: &str, format: Option<&str>) -> Option<(&'static str, bool)> {
    Some(match (place, format?) {
        ("query", "multi") => ("form", true),
        ("query", "csv") => ("form", false),
        ("query", "ssv") => ("spaceDelimited", false),
        ("query", "pipes") => ("pipeDelimited", false),
        (_, "csv") => ("simple", false),
        _ => return None,
    })
}

/// A Swagger 2.0 `securityDefinitions` entry as an OpenAPI 3 security scheme.
fn security_scheme(scheme: &Value) -> Value {
    let mut out = Map::new();
    for (key, value) in scheme.as_object().into_iter().flatten() {
        if key == "description" || key == "name" || key == "in" || key.starts_with("x-") {
            out.insert(key.clone(), value.clone());
        }
    }
    let field = |key: &str| scheme.get(key).cloned().unwrap_or(Value::Null);
    match scheme.get("type").and_then(Value::as_str) {
        Some("basic") => {
            out.insert("type".into(), json!("http"));
            out.insert("scheme".into(), json!("basic"));
        }
        Some("oauth2") => {
            let scopes = scheme.get("scopes").cloned().unwrap_or(json!({}));
            let (flow, urls): (&str, &[&str]) = match scheme.get("flow").and_then(Value::as_str) {
                Some("password") => ("password", &["tokenUrl"]),
                Some("application") => ("clientCredentials", &["tokenUrl"]),
                Some("accessCode") => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                _ => ("implicit", &["authorizationUrl"]),
            };
            let mut settings = Map::new();
            for url in urls {
                settings.insert(url.to_string(), field(url));
            }
            settings.insert("scopes".into(), scopes);
            out.insert("type".into(), json!("oauth2"));
            out.insert("flows".into(), json!({ flow: settings }));
        }
        _ => {
            out.insert("type".into(), field("type"));
        }
    }
    Value::Object(out)
}

/// The two in-place repairs a Swagger 2.0 schema needs to read as OpenAPI 3, applied to the
/// schema and every schema nested in it (with an explicit stack: nesting depth is the
/// parser's limit, never the call stack's). Everything else, `$ref` siblings included, stays.
fn repair_schema(schema: &mut Value) {
    let mut stack = vec![schema];
    while let Some(value) = stack.pop() {
        let Value::Object(map) = value else {
            continue;
        };
        if let Some(name) = map.get("discriminator").and_then(Value::as_str) {
            let name = name.to_string();
            map.insert("discriminator".into(), json!({ "propertyName": name }));
        }
        if let Some(nullable) = map.get("x-nullable").and_then(Value::as_bool) {
            map.insert("nullable".into(), json!(nullable));
        }
        for (key, child) in map.iter_mut() {
            match key.as_str() {
                "properties" => {
                    if let Value::Object(properties) = child {
                        stack.extend(properties.values_mut());
                    }
                }
                "allOf" | "anyOf" | "oneOf" => {
                    if let Value::Array(items) = child {
                        stack.extend(items.iter_mut());
                    }
                }
                "items" | "additionalProperties" | "not" => stack.push(child),
                _ => {}
            }
        }
    }
}
