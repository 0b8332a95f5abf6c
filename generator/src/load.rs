//! Stage 1, load: read OpenAPI documents (JSON or YAML) and every file their `$ref`s reach,
//! and resolve references.
//!
//! Documents are kept twice: as `openapiv3::OpenAPI` for the structure the lowering walks, and
//! as raw JSON so that any `$ref` — into the same file or another one, relative to the
//! referring file — resolves by JSON pointer to a value that is then read as the openapiv3
//! type the caller expects. Vendor extensions (`x-ms-*`) survive in both.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use openapiv3::{OpenAPI, ReferenceOr};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, Location, pointer_token};

/// The documents of one api-version and every file they reference.
#[derive(Debug)]
pub struct SpecSet {
    /// The input documents, in config order.
    pub roots: Vec<Document>,
    /// Every loaded file's raw JSON, by normalised path.
    raw: BTreeMap<PathBuf, Value>,
}

/// One input document.
#[derive(Debug)]
pub struct Document {
    pub path: PathBuf,
    pub openapi: OpenAPI,
}

/// Where a `$ref` led: the file and pointer (for diagnostics and type identity) and the
/// value found there.
#[derive(Clone, Debug)]
pub struct Resolved<T> {
    pub location: Location,
    pub value: T,
}

impl SpecSet {
    /// Loads the input documents and, transitively, every file their references name.
    pub fn load(inputs: &[PathBuf]) -> Result<SpecSet, Diagnostics> {
        SpecSet::load_with(inputs, &|path| std::fs::read_to_string(path))
    }

    /// [`SpecSet::load`] with another way to read files: tests and fuzzing feed documents
    /// from memory through it.
    pub fn load_with(inputs: &[PathBuf], read: &Reader<'_>) -> Result<SpecSet, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let mut raw = BTreeMap::new();
        let mut roots = Vec::new();
        for input in inputs {
            let path = normalize(input);
            let value = match read_value(&path, read) {
                Ok(value) => value,
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    continue;
                }
            };
            match parse_openapi(&path, &value) {
                Ok(openapi) => roots.push(Document {
                    path: path.clone(),
                    openapi,
                }),
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
            load_referenced(&path, &value, &mut raw, &mut diagnostics, read);
            raw.insert(path, value);
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(SpecSet { roots, raw })
    }

    /// Resolves `reference` (as written in `from`) and reads the target as `T`.
    pub fn resolve<T: DeserializeOwned>(
        &self,
        from: &Location,
        reference: &str,
    ) -> Result<Resolved<T>, Diagnostic> {
        let target = ref_target(&from.file, reference);
        let missing_file = || {
            Diagnostic::error(
                from.clone(),
                format!(
                    "`$ref` {reference} points into {}, which was not loaded",
                    target.file.display()
                ),
            )
        };
        let document = self.raw.get(&target.file).ok_or_else(missing_file)?;
        let value = document.pointer(&target.pointer).ok_or_else(|| {
            Diagnostic::error(from.clone(), format!("`$ref` {reference} names nothing")).help(
                format!(
                    "{} has no value at {}",
                    target.file.display(),
                    target.pointer
                ),
            )
        })?;
        let value = serde_json::from_value(value.clone()).map_err(|err| {
            Diagnostic::error(
                target.clone(),
                format!(
                    "the value `$ref` {reference} points to is not what is expected there: {err}"
                ),
            )
        })?;
        Ok(Resolved {
            location: target,
            value,
        })
    }

    /// Follows references until an item: a `$ref` to a `$ref` is legal OpenAPI.
    pub fn item<T: DeserializeOwned + Clone>(
        &self,
        from: &Location,
        value: &ReferenceOr<T>,
    ) -> Result<Resolved<T>, Diagnostic> {
        let mut location = from.clone();
        let mut current = value.clone();
        // A chain longer than this is a cycle of references that never reaches an item.
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(item) => {
                    return Ok(Resolved {
                        location,
                        value: item,
                    });
                }
                ReferenceOr::Reference { reference } => {
                    let next: Resolved<ReferenceOr<T>> = self.resolve(&location, &reference)?;
                    location = next.location;
                    current = next.value;
                }
            }
        }
        Err(Diagnostic::error(
            from.clone(),
            "`$ref` chain does not end: the references form a cycle",
        )
        .help("make one of the references point at a definition"))
    }

    /// The value at `location` as written in its file, with every key (the siblings of a
    /// `$ref` included); `None` when the file was not loaded or has nothing there.
    pub fn raw_value(&self, location: &Location) -> Option<&Value> {
        self.raw.get(&location.file)?.pointer(&location.pointer)
    }
}

/// The file and pointer a reference names, resolved against the referring file.
pub fn ref_target(from: &Path, reference: &str) -> Location {
    let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
    let file = if file.is_empty() {
        from.to_path_buf()
    } else {
        normalize(&from.parent().unwrap_or(Path::new("")).join(file))
    };
    Location::new(&file, percent_decode(pointer))
}

/// How the loader reads a file.
pub type Reader<'a> = dyn Fn(&Path) -> std::io::Result<String> + 'a;

/// Reads a JSON or YAML file into a JSON value, reporting syntax errors with line:column.
fn read_value(path: &Path, read: &Reader<'_>) -> Result<Value, Diagnostic> {
    let text = read(path).map_err(|err| {
        Diagnostic::error(
            Location::new(path, ""),
            format!("cannot read the document: {err}"),
        )
        .help("check the path in the codegen config (paths are relative to the config file)")
    })?;
    let is_yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    );
    if is_yaml {
        serde_yaml::from_str(&text).map_err(|err| {
            let mut location = Location::new(path, "");
            location.line_col = err.location().map(|l| (l.line(), l.column()));
            Diagnostic::error(location, format!("invalid YAML: {err}"))
        })
    } else {
        serde_json::from_str(&text).map_err(|err| {
            let mut location = Location::new(path, "");
            location.line_col = Some((err.line(), err.column()));
            Diagnostic::error(location, format!("invalid JSON: {err}"))
        })
    }
}

fn parse_openapi(path: &Path, value: &Value) -> Result<OpenAPI, Diagnostic> {
    let version = value.get("openapi").and_then(Value::as_str);
    match version {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => {
            return Err(Diagnostic::error(
                Location::new(path, "/openapi"),
                format!("OpenAPI version {v} is not supported"),
            )
            .help("write the document as OpenAPI 3.0.x"));
        }
        None if value.get("swagger").is_some() => {
            return Err(Diagnostic::error(
                Location::new(path, "/swagger"),
                "Swagger 2.0 documents are not supported yet",
            )
            .help("convert the document to OpenAPI 3.0.x"));
        }
        None => {
            return Err(Diagnostic::error(
                Location::new(path, ""),
                "not an OpenAPI document: there is no `openapi` field",
            ));
        }
    }
    serde_path_to_error::deserialize(value).map_err(|err| {
        let (pointer, message) = narrow_schema_error(value)
            .unwrap_or_else(|| (json_pointer(err.path()), err.inner().to_string()));
        Diagnostic::error(
            Location::new(path, pointer),
            format!("the document does not follow the OpenAPI 3.0 schema: {message}"),
        )
        .help("fix the value at this place (or the nearest enclosing one) to the shape OpenAPI 3.0 defines")
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

/// Loads every file that `value` (the content of `path`) references, transitively.
fn load_referenced(
    path: &Path,
    value: &Value,
    raw: &mut BTreeMap<PathBuf, Value>,
    diagnostics: &mut Diagnostics,
    read: &Reader<'_>,
) {
    let mut references = Vec::new();
    collect_refs(value, "", &mut references);
    for (pointer, reference) in references {
        let target = ref_target(path, &reference);
        if target.file == path || raw.contains_key(&target.file) {
            continue;
        }
        match read_value(&target.file, read) {
            Ok(loaded) => {
                // Insert before recursing so that files referencing each other terminate.
                raw.insert(target.file.clone(), Value::Null);
                load_referenced(&target.file, &loaded, raw, diagnostics, read);
                raw.insert(target.file.clone(), loaded);
            }
            Err(mut diagnostic) => {
                diagnostic.message = format!(
                    "`$ref` {reference} names a file that cannot be loaded: {}",
                    diagnostic.message
                );
                diagnostic.location = Location::new(path, pointer);
                diagnostic.help = Some(
                    "check the `$ref`: a file path in it is relative to the file that contains it"
                        .into(),
                );
                diagnostics.push(diagnostic);
            }
        }
    }
}

fn collect_refs(value: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer = format!("{pointer}/{}", pointer_token(key));
                if key == "$ref" {
                    if let Value::String(reference) = child {
                        out.push((child_pointer, reference.clone()));
                    }
                } else {
                    collect_refs(child, &child_pointer, out);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_refs(child, &format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// Removes `.` and `..` components so one file has one key, without touching the file system
/// (canonicalize would fail for missing files, whose errors we want to report ourselves).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// JSON pointers inside URI fragments may be percent-encoded (`%24ref`, `%20`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_relative_to_the_referring_file() {
        let target = ref_target(
            Path::new("specs/a/doc.json"),
            "../common.json#/components/schemas/X",
        );
        assert_eq!(target.file, PathBuf::from("specs/common.json"));
        assert_eq!(target.pointer, "/components/schemas/X");
        let local = ref_target(Path::new("specs/doc.json"), "#/components/schemas/A%20B");
        assert_eq!(local.file, PathBuf::from("specs/doc.json"));
        assert_eq!(local.pointer, "/components/schemas/A B");
    }

    #[test]
    fn percent_decoding_leaves_broken_escapes_alone() {
        assert_eq!(percent_decode("%2"), "%2");
        assert_eq!(percent_decode("a%zz"), "a%zz");
        assert_eq!(percent_decode("%7e"), "~");
    }
}
