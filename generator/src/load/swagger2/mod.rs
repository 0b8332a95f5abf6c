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

mod parameters;
mod values;

use super::origin::PointerMap;
use crate::diagnostics::{Diagnostic, Location, pointer_token};
use values::{Media, is_reference, media_list, repair_schema, security_scheme};

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
}

#[cfg(test)]
mod tests;
