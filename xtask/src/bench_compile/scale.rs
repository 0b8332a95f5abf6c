//! Synthetic specs for the per-operation figures: the shipped specs have 4 operations per
//! api-version, too few for a crate's fixed cost (lib.rs, the client, cargo itself) not to
//! dominate a figure divided by 4. So the default api-version's document is copied `n` times
//! into one document (every operation and every schema, renamed: `Disks_GrantAccessR2`,
//! `AccessUriR2`, ...; the shared `components.parameters` stay shared), generated with the
//! real generator into a crate of its own, and compiled like the real crate. The slope
//! between 1 copy and `n` copies is the cost of one more operation with its share of types;
//! this is the figure to hold against the old generator's per-operation cost.
//!
//! The synthetic crates live in a workspace of their own under `target/bench-compile/scale`
//! that takes the repository's `[workspace.package]`, `[workspace.dependencies]` and profiles
//! and a copy of its `Cargo.lock`, so they compile against exactly the same dependencies.
//!
//! Both document formats are copied: OpenAPI 3 (`components.schemas`) and Swagger 2.0
//! (`definitions`). A `$ref` to another file is made absolute, because the copy is written
//! elsewhere than the original.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use azure_arm_codegen::config::Config;
use serde_json::Value;
use toml_edit::{Array, DocumentMut, Item, Value as TomlValue};

use super::files::{count_lines, write};
use super::stats::median;

/// One synthetic crate, generated and ready to compile.
pub struct ScaledCrate {
    /// How many copies of the document it holds.
    pub copies: usize,
    pub package: String,
    pub manifest: PathBuf,
    /// The cargo feature of its one api-version.
    pub feature: String,
    pub operations: usize,
    pub types: usize,
    pub files: usize,
    pub lines: usize,
    /// `generate` in-process (this binary's profile), median of a few runs.
    pub generate: Duration,
}

/// Generates the synthetic crates with 1 and `copies` (> 1) copies of the default
/// api-version's document into `folder`.
pub fn prepare(
    root: &Path,
    config: &Config,
    folder: &Path,
    copies: usize,
) -> Result<Vec<ScaledCrate>, String> {
    let version = config
        .api_versions
        .iter()
        .find(|v| v.default)
        .or(config.api_versions.last())
        .ok_or("the config lists no api-version")?;
    let [input] = version.inputs.as_slice() else {
        return Err(format!(
            "api-version {} has {} input documents; scaling copies exactly one",
            version.version,
            version.inputs.len()
        ));
    };
    let text = std::fs::read_to_string(input)
        .map_err(|err| format!("cannot read {}: {err}", input.display()))?;
    let mut spec: Value = serde_json::from_str(&text)
        .map_err(|err| format!("{} is not JSON: {err}", input.display()))?;
    absolute_file_refs(&mut spec, input.parent().unwrap_or(Path::new(".")));
    std::fs::create_dir_all(folder)
        .map_err(|err| format!("cannot create {}: {err}", folder.display()))?;

    let counts = [1, copies];
    let members: Vec<String> = counts.iter().map(|n| format!("x{n}")).collect();
    write(
        &folder.join("Cargo.toml"),
        &workspace_manifest(root, &members)?,
    )?;
    let lock = root.join("Cargo.lock");
    std::fs::copy(&lock, folder.join("Cargo.lock"))
        .map_err(|err| format!("cannot copy {}: {err}", lock.display()))?;

    let mut crates = Vec::new();
    for (&n, member) in counts.iter().zip(&members) {
        let spec_path = folder.join(format!("spec-{member}.json"));
        let replicated = replicate(&spec, n)?;
        let json = serde_json::to_string_pretty(&replicated).map_err(|err| err.to_string())?;
        write(&spec_path, &json)?;
        let package = format!("{}_{member}", config.crate_name);
        let config_path = folder.join(format!("codegen-{member}.yaml"));
        let text = synthetic_config(
            n,
            input,
            &package,
            member,
            &config.client_name,
            &version.version,
        );
        write(&config_path, &text)?;
        let mut crate_ = generate_crate(&config_path, &spec_path)?;
        crate_.copies = n;
        crate_.package = package;
        crates.push(crate_);
    }
    Ok(crates)
}

/// The codegen config of the synthetic crate `member` (`n` copies of `input`), written next
/// to its document. The document is its own spec root; its `$ref`s to other files, made
/// absolute by [`absolute_file_refs`], lead into the real spec root, outside that one, which
/// the loader refuses unless the config allows it.
fn synthetic_config(
    n: usize,
    input: &Path,
    package: &str,
    member: &str,
    client_name: &str,
    version: &str,
) -> String {
    format!(
        "# Synthetic: {n} copies of {}, written by `cargo xtask bench-compile`.\n\
         crate_name: {package}\noutput: {member}\nclient_name: {client_name}\n\
         description: Synthetic benchmark crate.\n\
         # The copy's `$ref`s to other files lead into the real spec root, outside this one.\n\
         spec_root: .\nallow_outside_spec_root: true\napi_versions:\n  \
         - version: \"{version}\"\n    inputs: [spec-{member}.json]\n    default: true\n",
        input.display(),
    )
}

/// Generates one synthetic crate from its config (timing `generate`) and writes it; the
/// caller fills in `copies` and `package`.
fn generate_crate(config_path: &Path, spec_path: &Path) -> Result<ScaledCrate, String> {
    let scaled = Config::load(config_path).map_err(|d| d.to_string())?;
    let mut times = Vec::new();
    let mut generated = None;
    for _ in 0..5 {
        let started = Instant::now();
        let result = azure_arm_codegen::generate(&scaled)
            .map_err(|d| format!("the generator failed on {}:\n{d}", spec_path.display()))?;
        times.push(started.elapsed());
        generated = Some(result);
    }
    let generated = generated.ok_or("no generator run")?;
    if !generated.warnings.is_empty() {
        eprintln!(
            "warning: the synthetic spec {} gave the generator warnings:\n{}",
            spec_path.display(),
            generated.warnings
        );
    }
    generated
        .files
        .write(&scaled.output)
        .map_err(|err| format!("cannot write {}: {err}", scaled.output.display()))?;
    let module = &scaled.api_versions[0].module;
    let (files, lines) = count_lines(&scaled.output.join("src").join(module))?;
    Ok(ScaledCrate {
        copies: 0,
        package: String::new(),
        // The synthetic workspace's manifest, next to the crate's folder.
        manifest: config_path.with_file_name("Cargo.toml"),
        feature: module.clone(),
        operations: generated.operation_count(),
        types: generated.type_count(),
        files,
        lines,
        generate: median(&times),
    })
}

/// Where a document keeps its schemas, and how a `$ref` names one: OpenAPI 3 or Swagger 2.0.
const SCHEMA_HOMES: [(&str, &str); 2] = [
    ("/components/schemas", "#/components/schemas/"),
    ("/definitions", "#/definitions/"),
];

/// The document with `copies - 1` renamed copies of every operation and schema added.
fn replicate(spec: &Value, copies: usize) -> Result<Value, String> {
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("the document has no `paths`")?;
    let (home, prefix, schemas) = SCHEMA_HOMES
        .iter()
        .find_map(|&(home, prefix)| Some((home, prefix, spec.pointer(home)?.as_object()?)))
        .ok_or("the document has neither `components.schemas` nor `definitions`")?;
    let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
    let renamer = Renamer {
        prefix,
        names: &names,
    };
    let mut all_paths = paths.clone();
    let mut all_schemas = schemas.clone();
    for copy in 2..=copies {
        let suffix = format!("R{copy}");
        for (path, item) in paths {
            let mut item = item.clone();
            if let Some(operations) = item.as_object_mut() {
                for operation in operations.values_mut() {
                    if let Some(Value::String(id)) = operation.get_mut("operationId") {
                        id.push_str(&suffix);
                    }
                }
            }
            renamer.rename(&mut item, &suffix);
            // A literal first segment keeps every copy's path distinct.
            all_paths.insert(format!("/copy{copy}{path}"), item);
        }
        for (name, schema) in schemas {
            let mut schema = schema.clone();
            renamer.rename(&mut schema, &suffix);
            // An enum is named by `x-ms-enum.name` when it has one.
            if let Some(Value::String(name)) = schema.pointer_mut("/x-ms-enum/name") {
                name.push_str(&suffix);
            }
            all_schemas.insert(format!("{name}{suffix}"), schema);
        }
    }
    let mut spec = spec.clone();
    spec["paths"] = Value::Object(all_paths);
    if let Some(slot) = spec.pointer_mut(home) {
        *slot = Value::Object(all_schemas);
    }
    Ok(spec)
}

/// Points `$ref`s to the document's own schemas at their renamed copies.
struct Renamer<'a> {
    /// `#/components/schemas/` or `#/definitions/`.
    prefix: &'a str,
    names: &'a [&'a str],
}

impl Renamer<'_> {
    fn rename(&self, value: &mut Value, suffix: &str) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get_mut("$ref")
                    && let Some(name) = target.strip_prefix(self.prefix)
                    && self.names.contains(&name)
                {
                    target.push_str(suffix);
                }
                for child in map.values_mut() {
                    self.rename(child, suffix);
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.rename(item, suffix);
                }
            }
            _ => {}
        }
    }
}

/// `"$ref": "../common/types.json#/x"` → the absolute path of that file, so that the copy
/// written elsewhere still finds it.
fn absolute_file_refs(value: &mut Value, folder: &Path) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref")
                && !target.starts_with('#')
                && !target.contains("://")
            {
                let (file, pointer) = target.split_once('#').unwrap_or((target.as_str(), ""));
                if Path::new(file).is_relative() {
                    let file = folder.join(file).display().to_string().replace('\\', "/");
                    *target = if pointer.is_empty() {
                        file
                    } else {
                        format!("{file}#{pointer}")
                    };
                }
            }
            for child in map.values_mut() {
                absolute_file_refs(child, folder);
            }
        }
        Value::Array(items) => {
            for item in items {
                absolute_file_refs(item, folder);
            }
        }
        _ => {}
    }
}

/// The repository's manifest with its `[workspace]` members replaced by the synthetic crates
/// (no `exclude` or `default-members`) and the `path`s of `[workspace.dependencies]` made
/// absolute: same dependencies, same profiles.
fn workspace_manifest(root: &Path, members: &[String]) -> Result<String, String> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|err| format!("{} is not TOML: {err}", path.display()))?;
    let workspace = doc
        .get_mut("workspace")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| format!("{} has no [workspace]", path.display()))?;
    workspace.insert(
        "members",
        toml_edit::value(Array::from_iter(members.iter().map(String::as_str))),
    );
    workspace.remove("exclude");
    workspace.remove("default-members");
    if let Some(dependencies) = workspace
        .get_mut("dependencies")
        .and_then(Item::as_table_like_mut)
    {
        for (_, dependency) in dependencies.iter_mut() {
            absolute_path(dependency, root);
        }
    }
    Ok(doc.to_string())
}

/// `{ path = "x" }` → `{ path = "<root>/x" }`.
fn absolute_path(dependency: &mut Item, root: &Path) {
    let Some(path) = dependency
        .as_table_like_mut()
        .and_then(|table| table.get_mut("path"))
    else {
        return;
    };
    if let Some(relative) = path.as_str().filter(|p| Path::new(p).is_relative()) {
        let absolute = root.join(relative).display().to_string().replace('\\', "/");
        *path = Item::Value(TomlValue::from(absolute));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Map;

    use super::super::files::with_root_manifest;
    use super::*;

    #[test]
    fn the_synthetic_config_is_its_own_spec_root_and_may_leave_it() {
        let folder = std::env::temp_dir().join(format!("bench-scale-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join("codegen-x2.yaml");
        let input = Path::new("/specs/DiskRP.json");
        let text = synthetic_config(2, input, "compute_x2", "x2", "ComputeClient", "2025-01-02");
        std::fs::write(&path, text).unwrap();
        let loaded = Config::load(&path);
        std::fs::remove_dir_all(&folder).unwrap();
        let config = loaded.unwrap();
        assert_eq!(config.spec_root, folder);
        assert!(config.allow_outside_spec_root);
        assert_eq!(config.api_versions[0].inputs, [folder.join("spec-x2.json")]);
    }

    #[test]
    fn copies_rename_operations_schemas_and_their_refs() {
        let spec = serde_json::json!({
            "paths": {"/a": {"post": {
                "operationId": "G_Op",
                "parameters": [{"$ref": "#/components/parameters/P"}],
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}}
            }}},
            "components": {
                "parameters": {"P": {}},
                "schemas": {
                    "S": {"properties": {"t": {"$ref": "#/components/schemas/T"}}},
                    "T": {"enum": ["a"], "x-ms-enum": {"name": "T"}}
                }
            }
        });
        let out = replicate(&spec, 2).unwrap();
        assert_eq!(out["paths"]["/copy2/a"]["post"]["operationId"], "G_OpR2");
        assert_eq!(
            out.pointer("/paths/~1copy2~1a/post/requestBody/content/application~1json/schema/$ref"),
            Some(&Value::from("#/components/schemas/SR2"))
        );
        assert_eq!(
            out.pointer("/paths/~1copy2~1a/post/parameters/0/$ref"),
            Some(&Value::from("#/components/parameters/P"))
        );
        assert_eq!(
            out["components"]["schemas"]["SR2"]["properties"]["t"]["$ref"],
            "#/components/schemas/TR2"
        );
        assert_eq!(
            out["components"]["schemas"]["TR2"]["x-ms-enum"]["name"],
            "TR2"
        );
        assert_eq!(out["components"]["schemas"]["T"]["x-ms-enum"]["name"], "T");
        assert_eq!(out["paths"]["/a"]["post"]["operationId"], "G_Op");
        assert_eq!(
            out["components"]["schemas"].as_object().map(Map::len),
            Some(4)
        );
    }

    #[test]
    fn swagger_definitions_are_copied_and_file_refs_made_absolute() {
        let mut spec = serde_json::json!({
            "paths": {"/a": {"get": {
                "operationId": "G_Get",
                "parameters": [{"$ref": "../common/types.json#/parameters/P"}],
                "responses": {"200": {"schema": {"$ref": "#/definitions/S"}}}
            }}},
            "definitions": {"S": {"properties": {"x": {"$ref": "#/definitions/S"}}}}
        });
        absolute_file_refs(&mut spec, Path::new("/specs/stable"));
        let out = replicate(&spec, 2).unwrap();
        assert_eq!(
            out.pointer("/paths/~1copy2~1a/get/responses/200/schema/$ref"),
            Some(&Value::from("#/definitions/SR2"))
        );
        assert_eq!(
            out["definitions"]["SR2"]["properties"]["x"]["$ref"],
            "#/definitions/SR2"
        );
        assert_eq!(
            out.pointer("/paths/~1copy2~1a/get/parameters/0/$ref"),
            Some(&Value::from(
                "/specs/stable/../common/types.json#/parameters/P"
            ))
        );
    }

    #[test]
    fn the_workspace_manifest_keeps_dependencies_and_profiles_with_absolute_paths() {
        let ours = "[workspace]\nresolver = \"3\"\nmembers = [\n  \"a\",\n  \"b\",\n]\nexclude = [\"c\"]\n\n[workspace.dependencies]\nserde = \"1\"\nrt = { path = \"runtime\" }\n\n[profile.dev]\ndebug = false\n";
        let (text, runtime) = with_root_manifest(ours, |root| {
            let text = workspace_manifest(root, &["x1".into(), "x10".into()]).unwrap();
            (text, root.join("runtime").display().to_string())
        });
        let manifest: DocumentMut = text.parse().unwrap();
        let workspace = &manifest["workspace"];
        let members: Vec<_> = workspace["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m.as_str())
            .collect();
        assert_eq!(members, ["x1", "x10"]);
        assert!(workspace.get("exclude").is_none());
        assert_eq!(workspace["resolver"].as_str(), Some("3"));
        assert_eq!(workspace["dependencies"]["serde"].as_str(), Some("1"));
        assert_eq!(
            workspace["dependencies"]["rt"]["path"].as_str(),
            Some(runtime.as_str())
        );
        assert_eq!(manifest["profile"]["dev"]["debug"].as_bool(), Some(false));
    }
}
