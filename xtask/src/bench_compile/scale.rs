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

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use azure_arm_codegen::config::Config;
use serde_json::Value;

use super::{count_lines, median};

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
    let spec: Value = serde_json::from_str(&text)
        .map_err(|err| format!("{} is not JSON: {err}", input.display()))?;
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
        write(
            &config_path,
            &format!(
                "# Synthetic: {n} copies of {}, written by `cargo xtask bench-compile`.\n\
                 crate_name: {package}\noutput: {member}\nclient_name: {}\n\
                 description: Synthetic benchmark crate.\napi_versions:\n  \
                 - version: \"{}\"\n    inputs: [spec-{member}.json]\n    default: true\n",
                input.display(),
                config.client_name,
                version.version,
            ),
        )?;
        let scaled = Config::load(&config_path).map_err(|d| d.to_string())?;
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
        let module_folder = scaled.output.join("src").join(module);
        let (files, lines) = count_lines(&module_folder)
            .map_err(|err| format!("cannot read {}: {err}", module_folder.display()))?;
        crates.push(ScaledCrate {
            copies: n,
            package,
            manifest: folder.join("Cargo.toml"),
            feature: module.clone(),
            operations: generated.operation_count(),
            types: generated.type_count(),
            files,
            lines,
            generate: median(&times),
        });
    }
    Ok(crates)
}

/// The document with `copies - 1` renamed copies of every operation and schema added.
fn replicate(spec: &Value, copies: usize) -> Result<Value, String> {
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("the document has no `paths`")?;
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .ok_or("the document has no `components.schemas`")?;
    let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
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
            rename_refs(&mut item, &names, &suffix);
            // A literal first segment keeps every copy's path distinct.
            all_paths.insert(format!("/copy{copy}{path}"), item);
        }
        for (name, schema) in schemas {
            let mut schema = schema.clone();
            rename_refs(&mut schema, &names, &suffix);
            // An enum is named by `x-ms-enum.name` when it has one.
            if let Some(Value::String(name)) = schema.pointer_mut("/x-ms-enum/name") {
                name.push_str(&suffix);
            }
            all_schemas.insert(format!("{name}{suffix}"), schema);
        }
    }
    let mut spec = spec.clone();
    spec["paths"] = Value::Object(all_paths);
    spec["components"]["schemas"] = Value::Object(all_schemas);
    Ok(spec)
}

/// Points every `$ref` to one of `names` at its renamed copy.
fn rename_refs(value: &mut Value, names: &[&str], suffix: &str) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref")
                && let Some(name) = target.strip_prefix("#/components/schemas/")
                && names.contains(&name)
            {
                target.push_str(suffix);
            }
            for child in map.values_mut() {
                rename_refs(child, names, suffix);
            }
        }
        Value::Array(items) => {
            for item in items {
                rename_refs(item, names, suffix);
            }
        }
        _ => {}
    }
}

/// The repository's manifest with its own `[workspace]` table replaced (members: the
/// synthetic crates) and relative `path`s made absolute: same dependencies, same profiles.
fn workspace_manifest(root: &Path, members: &[String]) -> Result<String, String> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    let mut out = String::new();
    let mut section = String::new();
    let mut skipping_array = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if skipping_array {
            skipping_array = !trimmed.contains(']');
            continue;
        }
        if trimmed.starts_with('[') {
            section = trimmed.to_string();
            out.push_str(line);
            out.push('\n');
            if section == "[workspace]" {
                out.push_str(&format!("members = [{}]\n", members.join(", ")));
            }
            continue;
        }
        if section == "[workspace]" {
            let key = trimmed.split('=').next().unwrap_or("").trim();
            if ["members", "exclude", "default-members"].contains(&key) {
                skipping_array = trimmed.contains('[') && !trimmed.contains(']');
                continue;
            }
        }
        out.push_str(&absolute_paths(line, root));
        out.push('\n');
    }
    Ok(out)
}

/// `path = "x"` → `path = "<root>/x"`.
fn absolute_paths(line: &str, root: &Path) -> String {
    const KEY: &str = "path = \"";
    match line.find(KEY) {
        Some(at) => {
            let start = at + KEY.len();
            let Some(len) = line[start..].find('"') else {
                return line.to_string();
            };
            let relative = &line[start..start + len];
            let absolute = root.join(relative).display().to_string().replace('\\', "/");
            format!("{}{absolute}{}", &line[..start], &line[start + len..])
        }
        None => line.to_string(),
    }
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    std::fs::write(path, contents).map_err(|err| format!("cannot write {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use serde_json::Map;

    use super::*;

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
    fn relative_paths_become_absolute() {
        let root = Path::new("/repo");
        let line = r#"azure_arm_runtime = { path = "runtime" }"#;
        assert_eq!(
            absolute_paths(line, root),
            r#"azure_arm_runtime = { path = "/repo/runtime" }"#
        );
    }
}
