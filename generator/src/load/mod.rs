//! Stage 1, load: read the input documents (Swagger 2.0 or OpenAPI 3.0, JSON or YAML) and
//! every file their `$ref`s reach, and resolve references.
//!
//! Each file is kept as written (for the raw JSON, positions and diagnostics) and, for
//! Swagger 2.0, converted into the OpenAPI 3 shape the lowering walks (`swagger2.rs`), with a
//! map back to the original pointers (`origin.rs`). Any `$ref` — into the same file or
//! another, relative to the referring file — resolves by JSON pointer to a value that is then
//! read as the openapiv3 type the caller expects. Vendor extensions (`x-ms-*`) survive.
//!
//! Files are read under the rules of `files.rs` (regular files, a size limit, inside the spec
//! root); references are followed only where the format allows them (`refs.rs`). Example
//! files (`x-ms-examples`) are read under the same rules but never followed as schema
//! references: they are data for the tests the generator writes (`lower/examples.rs`).

mod files;
mod loaded;
mod openapi3;
mod origin;
pub(crate) mod refs;
mod swagger2;

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};

use openapiv3::{OpenAPI, ReferenceOr};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::diagnostics::{Diagnostic, Diagnostics, Location, pointer_token};
pub use files::{Exists, LoadOptions, MAX_FILE_BYTES, Reader, exists_checked, read_checked};
use loaded::{Files, Loaded};
pub use refs::{normalize, ref_target, value_at};

/// The documents of one api-version and every file they reference.
#[derive(Debug)]
pub struct SpecSet {
    /// The input documents, in config order.
    pub roots: Vec<Document>,
    /// Every loaded file as written, by normalised path, and for Swagger 2.0 in OpenAPI 3
    /// shape with the way back to its own pointers.
    files: Files,
    /// Problems of single operations, by the operation's place: reported only for the
    /// operations that are generated.
    notes: BTreeMap<Location, Vec<Diagnostic>>,
    examples: BTreeMap<Location, Vec<ExampleFile>>,
    /// The SHA-256 (lower-case hex) of every file read.
    digests: BTreeMap<PathBuf, String>,
}

/// One input document.
#[derive(Debug)]
pub struct Document {
    pub path: PathBuf,
    pub openapi: OpenAPI,
}

/// An example an operation names in `x-ms-examples`: read (under the loader's rules) for
/// the tests that replay it, never needed to generate code.
#[derive(Clone, Debug, PartialEq)]
pub struct ExampleFile {
    /// The example's title (its key in `x-ms-examples`).
    pub name: String,
    pub file: PathBuf,
    pub exists: bool,
    /// The parsed file, or why it could not be read or parsed.
    pub content: Result<Value, String>,
}

/// Where a `$ref` led: the file and pointer (for diagnostics and type identity) and the
/// value found there.
#[derive(Clone, Debug)]
pub struct Resolved<T> {
    pub location: Location,
    pub value: T,
}

impl SpecSet {
    /// Loads the input documents and, transitively, every file their references name, under
    /// the rules of `options`.
    pub fn load(inputs: &[PathBuf], options: &LoadOptions) -> Result<SpecSet, Diagnostics> {
        // One reader for the whole load: it makes each folder canonical once.
        let reader = files::CheckedReader::new(options);
        let read = |path: &Path| reader.read(path);
        SpecSet::load_from(inputs, &read)
    }

    /// [`SpecSet::load`] with another way to read files: tests and fuzzing feed documents
    /// from memory through it (a file exists when it can be read).
    pub fn load_with(inputs: &[PathBuf], read: &Reader<'_>) -> Result<SpecSet, Diagnostics> {
        SpecSet::load_from(inputs, read)
    }

    fn load_from(inputs: &[PathBuf], read: &Reader<'_>) -> Result<SpecSet, Diagnostics> {
        let inputs: Vec<PathBuf> = inputs.iter().map(|input| normalize(input)).collect();
        let mut diagnostics = Diagnostics::default();
        let (raw, digests) = read_all(&inputs, read, &mut diagnostics);
        let mut set = SpecSet {
            roots: Vec::new(),
            files: Files::default(),
            notes: BTreeMap::new(),
            examples: BTreeMap::new(),
            digests,
        };
        let mut converted_files = BTreeMap::new();
        for (path, value) in &raw {
            if value.get("swagger").and_then(Value::as_str) != Some("2.0") {
                continue;
            }
            let converted = swagger2::convert(path, value, &raw);
            for (operation, note) in converted.operation_notes {
                let at = Location::new(path, operation);
                set.notes.entry(at).or_default().push(note);
            }
            if inputs.contains(path) {
                converted
                    .document_notes
                    .into_iter()
                    .for_each(|d| diagnostics.push(d));
            }
            converted_files.insert(path.clone(), (converted.value, converted.map));
        }
        for (index, path) in inputs.iter().enumerate() {
            let Some(original) = raw.get(path) else {
                continue; // reported when it was read
            };
            if inputs[..index].contains(path) {
                continue;
            }
            let converted = converted_files.get(path).map(|(value, map)| (value, map));
            match openapi3::parse_openapi(path, original, converted) {
                Ok(openapi) => set.roots.push(Document {
                    path: path.clone(),
                    openapi,
                }),
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
            set.record_examples(path, original, read);
        }
        set.files = Files::new(raw.into_iter().map(|(path, raw)| {
            let converted = converted_files.remove(&path);
            (path, Loaded { raw, converted })
        }));
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(set)
    }

    /// A file in the shape the lowering reads: converted, or as written.
    fn shaped(&self, file: &Path) -> Option<&Value> {
        self.files.get(file).map(Loaded::shaped)
    }

    /// Where a place the lowering reports is in the file as written (Swagger 2.0 documents
    /// are lowered in their OpenAPI 3 shape; see `load/swagger2.rs`).
    pub fn original_location(&self, location: &Location) -> Location {
        match self
            .files
            .get(&location.file)
            .and_then(|f| f.converted.as_ref())
        {
            Some((_, map)) => Location {
                pointer: map.original(&location.pointer).into_owned(),
                ..location.clone()
            },
            None => location.clone(),
        }
    }

    /// Rewrites the locations of diagnostics found while lowering into the files as written.
    pub fn to_original(&self, diagnostics: &mut Diagnostics) {
        diagnostics.map_locations(|location| self.original_location(location));
    }

    /// The JSON as written at a place the lowering knows (for what openapiv3 drops, such as
    /// the siblings of a `$ref`).
    pub fn raw_value(&self, location: &Location) -> Option<&Value> {
        let file = self.files.get(&location.file)?;
        match &file.converted {
            Some((_, map)) => value_at(&file.raw, &map.original(&location.pointer)),
            None => value_at(&file.raw, &location.pointer),
        }
    }

    /// Problems found while loading one operation (at its place, e.g. `…/paths/~1x/post`),
    /// to report when the operation is generated.
    pub fn operation_notes(&self, operation: &Location) -> &[Diagnostic] {
        self.notes.get(operation).map_or(&[], Vec::as_slice)
    }

    /// The example files an operation names in `x-ms-examples`, in document order.
    pub fn examples(&self, operation: &Location) -> &[ExampleFile] {
        self.examples.get(operation).map_or(&[], Vec::as_slice)
    }

    /// Every file read, with its SHA-256 (lower-case hex).
    pub fn digests(&self) -> &BTreeMap<PathBuf, String> {
        &self.digests
    }

    /// Records and reads each operation's `x-ms-examples`. A file that cannot be read is not
    /// an error (examples are never needed to generate code): the lowering warns about each
    /// one it cannot replay (`lower/examples.rs`).
    fn record_examples(&mut self, path: &Path, document: &Value, read: &Reader<'_>) {
        for section in ["paths", "x-ms-paths"] {
            let items = document.get(section).and_then(Value::as_object);
            for (key, item) in items.into_iter().flatten() {
                for (method, operation) in item.as_object().into_iter().flatten() {
                    let Some(examples) = operation.get("x-ms-examples").and_then(Value::as_object)
                    else {
                        continue;
                    };
                    let at =
                        Location::new(path, format!("/paths/{}", pointer_token(key))).join(method);
                    let mut recorded = Vec::new();
                    for (name, example) in examples {
                        let Some(reference) = example.get("$ref").and_then(Value::as_str) else {
                            continue;
                        };
                        let file = ref_target(path, reference).file;
                        let content =
                            read_example(&file, reference, read).map(|(value, digest)| {
                                // Examples shape the generated tests: the lock pins them too.
                                self.digests.insert(file.clone(), digest);
                                value
                            });
                        let exists = content.is_ok();
                        recorded.push(ExampleFile {
                            name: name.clone(),
                            file,
                            exists,
                            content,
                        });
                    }
                    self.examples.insert(at, recorded);
                }
            }
        }
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
        let document = self.shaped(&target.file).ok_or_else(missing_file)?;
        let value = value_at(document, &target.pointer).ok_or_else(|| {
            Diagnostic::error(from.clone(), format!("`$ref` {reference} names nothing")).help(
                format!(
                    "{} has no value at {}",
                    target.file.display(),
                    target.pointer
                ),
            )
        })?;
        // Read in place: the value stays in the document (no copy of the subtree first).
        let value = T::deserialize(value).map_err(|err| {
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
}

/// Reads and parses one example file, with its SHA-256; a URL is never fetched.
fn read_example(
    file: &Path,
    reference: &str,
    read: &Reader<'_>,
) -> Result<(Value, String), String> {
    if refs::is_remote(reference) {
        return Err("it names a URL, which is never fetched".into());
    }
    let text = read(file).map_err(|err| format!("cannot be read: {err}"))?;
    let digest = hex(&Sha256::digest(text.as_bytes()));
    let value = files::parse_text(file, &text).map_err(|diagnostic| diagnostic.message)?;
    Ok((value, digest))
}

/// Reads the inputs and every file their references reach (breadth first, each file once),
/// with the SHA-256 of each.
fn read_all(
    inputs: &[PathBuf],
    read: &Reader<'_>,
    diagnostics: &mut Diagnostics,
) -> (BTreeMap<PathBuf, Value>, BTreeMap<PathBuf, String>) {
    let mut raw = BTreeMap::new();
    let mut digests = BTreeMap::new();
    // (file, the `$ref` that named it and where)
    let mut queue: VecDeque<(PathBuf, Option<(Location, String)>)> =
        inputs.iter().map(|input| (input.clone(), None)).collect();
    let mut failed = std::collections::BTreeSet::new();
    while let Some((path, via)) = queue.pop_front() {
        if raw.contains_key(&path) || failed.contains(&path) {
            continue;
        }
        let loaded = read(&path)
            .map_err(|err| {
                Diagnostic::error(
                    Location::new(&path, ""),
                    format!("cannot read the document: {err}"),
                )
                .help("check the path in the codegen config (input paths are relative to the spec root)")
            })
            .and_then(|text| {
                let digest = hex(&Sha256::digest(text.as_bytes()));
                files::parse_text(&path, &text).map(|value| (value, digest))
            });
        let (value, digest) = match loaded {
            Ok(loaded) => loaded,
            Err(mut diagnostic) => {
                if let Some((site, reference)) = via {
                    diagnostic.message = format!(
                        "`$ref` {reference} names a file that cannot be loaded: {}",
                        diagnostic.message
                    );
                    diagnostic.location = site;
                    diagnostic.help = Some(
                        "check the `$ref`: a file path in it is relative to the file that contains it"
                            .into(),
                    );
                }
                diagnostics.push(diagnostic);
                failed.insert(path);
                continue;
            }
        };
        for (pointer, reference) in refs::collect_refs(&value) {
            let site = Location::new(&path, pointer);
            if refs::is_remote(&reference) {
                diagnostics.push(
                    Diagnostic::error(
                        site,
                        format!("`$ref` {reference} names a URL, which is never fetched"),
                    )
                    .help("check out the referenced file and refer to it by a relative path"),
                );
                continue;
            }
            let target = ref_target(&path, &reference).file;
            if target != path && !raw.contains_key(&target) {
                queue.push_back((target, Some((site, reference))));
            }
        }
        digests.insert(path.clone(), digest);
        raw.insert(path, value);
    }
    (raw, digests)
}

fn hex(bytes: &[u8]) -> String {
    // By table, not `write!` per byte: every file read, examples too, is hashed.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

#[cfg(test)]
mod hex_tests {
    #[test]
    fn hex_is_lower_case_two_digits_a_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        let expected: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(super::hex(&bytes), expected);
        assert_eq!(super::hex(&[]), "");
    }
}
