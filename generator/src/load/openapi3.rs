//! OpenAPI 3.0 documents as the lowering reads them: the JSON value (written as OpenAPI 3.0,
//! or converted from Swagger 2.0) deserialized into `openapiv3::OpenAPI`, with schema
//! violations reported at the deepest place serde can tell, in the file as written.

use std::path::Path;

use openapiv3::{OpenAPI, ReferenceOr};
use serde::Deserialize;
use serde_json::Value;

use super::origin::PointerMap;
use crate::diagnostics::{Diagnostic, Location, pointer_token};

/// Reads an input document. `original` is the file as written; `shaped` its OpenAPI 3 shape
/// and `map` the way back, for a converted Swagger 2.0 document.
pub fn parse_openapi(
    path: &Path,
    original: &Value,
    converted: Option<(&Value, &PointerMap)>,
) -> Result<OpenAPI, Diagnostic> {
    let openapi = original.get("openapi").and_then(Value::as_str);
    let swagger = original.get("swagger").and_then(Value::as_str);
    let (value, map) = match (openapi, swagger, converted) {
        (Some(v), _, _) if v.starts_with("3.0.") => (original, None),
        (Some(v), _, _) => {
            return Err(Diagnostic::error(
                Location::new(path, "/openapi"),
                format!("OpenAPI version {v} is not supported"),
            )
            .help("write the document as OpenAPI 3.0.x or Swagger 2.0"));
        }
        (None, Some("2.0"), Some((value, map))) => (value, Some(map)),
        (None, Some(v), _) => {
            return Err(Diagnostic::error(
                Location::new(path, "/swagger"),
                format!("Swagger version {v} is not supported"),
            )
            .help("write the document as Swagger 2.0 or OpenAPI 3.0.x"));
        }
        (None, None, _) => {
            return Err(Diagnostic::error(
                Location::new(path, ""),
                "not an OpenAPI document: there is no `openapi` or `swagger` field",
            ));
        }
    };
    // Most documents follow the schema: they are read without tracking the path, which is
    // only needed for the error (the same error again, deserializing being deterministic).
    if let Ok(openapi) = OpenAPI::deserialize(value) {
        return Ok(openapi);
    }
    serde_path_to_error::deserialize(value).map_err(|err| {
        let (pointer, message) = narrow_schema_error(value)
            .unwrap_or_else(|| (json_pointer(err.path()), err.inner().to_string()));
        let (pointer, format) = match map {
            Some(map) => (map.original(&pointer).into_owned(), "Swagger 2.0"),
            None => (pointer, "OpenAPI 3.0"),
        };
        Diagnostic::error(
            Location::new(path, pointer),
            format!("the document does not follow the {format} schema: {message}"),
        )
        .help(format!("fix the value at this place (or the nearest enclosing one) to the shape {format} defines"))
    })
}

/// openapiv3 flattens maps (paths, responses), which hides where inside them serde failed.
/// Deserializing the pieces one by one finds the deepest place: a path item, an operation,
/// one response, or one component.
fn narrow_schema_error(document: &Value) -> Option<(String, String)> {
    use openapiv3::{Header, Operation, Parameter, PathItem, RequestBody, Response, Schema};
    fn check<T: serde::de::DeserializeOwned>(value: &Value, at: &str) -> Option<(String, String)> {
        serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .map(|err| {
                (
                    format!("{at}{}", json_pointer(err.path())),
                    err.inner().to_string(),
                )
            })
    }
    for (path, item) in document.get("paths")?.as_object().into_iter().flatten() {
        let item_at = format!("/paths/{}", pointer_token(path));
        for (method, operation) in item.as_object().into_iter().flatten() {
            let operation_at = format!("{item_at}/{}", pointer_token(method));
            let is_operation = [
                "get", "put", "post", "patch", "delete", "head", "options", "trace",
            ]
            .contains(&method.as_str());
            if !is_operation {
                continue;
            }
            for (status, response) in operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let found = check::<ReferenceOr<Response>>(
                    response,
                    &format!("{operation_at}/responses/{}", pointer_token(status)),
                );
                if found.is_some() {
                    return found;
                }
            }
            if let Some(found) = check::<Operation>(operation, &operation_at) {
                return Some(found);
            }
        }
        if let Some(found) = check::<ReferenceOr<PathItem>>(item, &item_at) {
            return Some(found);
        }
    }
    let components = document.get("components").and_then(Value::as_object);
    for (section, entries) in components.into_iter().flatten() {
        for (name, entry) in entries.as_object().into_iter().flatten() {
            let at = format!(
                "/components/{}/{}",
                pointer_token(section),
                pointer_token(name)
            );
            let found = match section.as_str() {
                "schemas" => check::<ReferenceOr<Schema>>(entry, &at),
                "parameters" => check::<ReferenceOr<Parameter>>(entry, &at),
                "responses" => check::<ReferenceOr<Response>>(entry, &at),
                "requestBodies" => check::<ReferenceOr<RequestBody>>(entry, &at),
                "headers" => check::<ReferenceOr<Header>>(entry, &at),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

/// serde's path to the value it rejected, as a JSON pointer. Untagged parts of the OpenAPI
/// model end the path early, so it names the deepest place serde could tell.
fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&pointer_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => break,
        }
    }
    pointer
}
