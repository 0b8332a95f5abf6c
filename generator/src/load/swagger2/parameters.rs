//! Parameters, request bodies, responses and headers: where Swagger 2.0 and OpenAPI 3
//! differ most. Every moved place is recorded in the converter's pointer map.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::values::{Media, is_reference, repair_schema};
use super::{Converter, PARAMETER_KEYS, SCHEMA_EXTENSIONS};
use crate::diagnostics::{Diagnostic, pointer_token};
use crate::load::refs::{ref_target, value_at};

/// A body parameter as a request body, and the argument name it gives.
type Body = (Value, Option<String>);

impl Converter<'_> {
    /// The parameters of a path item or operation: the non-body ones in OpenAPI 3 shape, and
    /// the body (its index, request body and argument name). `media` is `None` on path items.
    pub(super) fn parameters(
        &mut self,
        parameters: &Value,
        at: &str,
        original: &str,
        media: Option<&Media<'_>>,
    ) -> (Vec<Value>, Option<(usize, Body)>) {
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
    pub(super) fn shared_parameter(
        &mut self,
        parameter: &Value,
        at: &str,
        media: &Media<'_>,
    ) -> Value {
        if parameter.get("in").and_then(Value::as_str) == Some("body") {
            self.request_body(parameter, at, at, &media.consumes)
        } else {
            self.parameter(parameter, at, at)
        }
    }

    /// A path, query or header parameter: value keywords move into `schema`.
    fn parameter(&mut self, parameter: &Value, at: &str, original: &str) -> Value {
        let mut out = split_schema(parameter, PARAMETER_KEYS);
        let place = parameter.get("in").and_then(Value::as_str).unwrap_or("");
        let format = parameter.get("collectionFormat").and_then(Value::as_str);
        if let Some((style, explode)) = collection_style(place, format) {
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        } else if let Some(format) = format {
            // No OpenAPI 3 style says it (tsv; anything but csv on a header): kept for the
            // lowering, which reports it where it is declared.
            out.insert(crate::lower::LIST_FORMAT.into(), json!(format));
        }
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

    pub(super) fn response(
        &mut self,
        response: &Value,
        at: &str,
        original: &str,
        produces: &[&str],
    ) -> Value {
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
        let out = split_schema(header, &["description"]);
        self.map.insert(format!("{at}/schema"), original);
        self.map.insert(at, original);
        Value::Object(out)
    }
}

/// A Swagger 2.0 parameter or header in OpenAPI 3 shape: its own keys (`own`, and
/// extensions that are not about the value) stay, every other key describes the value and
/// moves into `schema`. `collectionFormat` is left to the caller.
fn split_schema(declared: &Value, own: &[&str]) -> Map<String, Value> {
    let mut out = Map::new();
    let mut schema = Map::new();
    for (key, value) in declared.as_object().into_iter().flatten() {
        let is_own = own.contains(&key.as_str())
            || (key.starts_with("x-") && !SCHEMA_EXTENSIONS.contains(&key.as_str()));
        if key == "collectionFormat" {
            continue;
        } else if is_own {
            out.insert(key.clone(), value.clone());
        } else {
            schema.insert(key.clone(), value.clone());
        }
    }
    let mut schema = Value::Object(schema);
    repair_schema(&mut schema);
    out.insert("schema".into(), schema);
    out
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
        current = value_at(originals.get(&target.file)?, &target.pointer)?;
        file = target.file;
    }
    None
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
