//! The codegen config (`specs/codegen.yaml`): which OpenAPI documents make which api-version,
//! and where the generated crate goes. Adding an api-version is adding an entry here.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// The config as written in YAML; paths relative to the config file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    crate_name: String,
    output: PathBuf,
    client_name: String,
    description: String,
    api_versions: Vec<RawApiVersion>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApiVersion {
    version: String,
    inputs: Vec<PathBuf>,
    #[serde(default)]
    default: bool,
}

/// The config with paths resolved and every rule checked.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file the config was read from.
    pub path: PathBuf,
    /// The config's path as generated headers show it: `<folder>/<file>`, the same on every
    /// machine.
    pub display_path: String,
    /// The generated crate's package name.
    pub crate_name: String,
    /// The generated crate's folder.
    pub output: PathBuf,
    /// The top-level client's name, e.g. `ComputeClient`.
    pub client_name: String,
    /// One line describing the generated crate.
    pub description: String,
    /// In ascending order of version.
    pub api_versions: Vec<ApiVersionConfig>,
}

#[derive(Clone, Debug)]
pub struct ApiVersionConfig {
    pub version: String,
    /// The module and cargo feature name, e.g. `v2025_01_02`.
    pub module: String,
    /// The OpenAPI documents, resolved against the config's folder.
    pub inputs: Vec<PathBuf>,
    /// The inputs as generated headers show them, like `display_path`.
    pub display_inputs: Vec<String>,
    /// On by default in the generated crate.
    pub default: bool,
    /// Where the entry is in the config file (`/api_versions/1`), for diagnostics.
    pub pointer: String,
}

impl Config {
    /// Reads and checks the config. Problems are reported against the config file.
    pub fn load(path: &Path) -> Result<Config, Diagnostics> {
        let location = Location::new(path, "");
        let text = std::fs::read_to_string(path).map_err(|err| {
            Diagnostic::error(
                location.clone(),
                format!("cannot read the codegen config: {err}"),
            )
            .help("pass the path of an existing YAML config with --config")
        })?;
        let raw: RawConfig = serde_yaml::from_str(&text).map_err(|err| {
            let mut location = location.clone();
            location.line_col = err.location().map(|l| (l.line(), l.column()));
            Diagnostic::error(location, format!("the codegen config is not valid: {err}"))
                .help("see README.md, \"Adding an api-version\", for the config's shape")
        })?;
        Config::check(path, raw)
    }

    fn check(path: &Path, raw: RawConfig) -> Result<Config, Diagnostics> {
        let base = path.parent().unwrap_or(Path::new("."));
        // Headers name files relative to the config's folder's parent (the repository root
        // for `specs/codegen.yaml`), so output does not depend on where the tool runs.
        let folder_name = std::fs::canonicalize(base)
            .ok()
            .and_then(|b| b.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default();
        let display = |relative: &Path| {
            let relative = relative.to_string_lossy().replace('\\', "/");
            if folder_name.is_empty() {
                relative
            } else {
                format!("{folder_name}/{relative}")
            }
        };
        let at = |pointer: String| Location::new(path, pointer);
        // Every problem of the config is reported, not just the first.
        let mut problems = Diagnostics::default();
        if raw.api_versions.is_empty() {
            problems.push(
                Diagnostic::error(at("/api_versions".into()), "no api-versions listed")
                    .help("add at least one entry with `version` and `inputs`"),
            );
        }
        if !is_rust_identifier(&raw.crate_name) {
            problems.push(
                Diagnostic::error(
                    at("/crate_name".into()),
                    format!("`{}` is not a valid crate name", raw.crate_name),
                )
                .help("use lower-case letters, digits and underscores"),
            );
        }
        if !is_type_name(&raw.client_name) {
            problems.push(
                Diagnostic::error(
                    at("/client_name".into()),
                    format!(
                        "`{}` is not an UpperCamelCase Rust type name",
                        raw.client_name
                    ),
                )
                .help("use a name such as `ComputeClient`"),
            );
        }
        let mut versions: Vec<ApiVersionConfig> = Vec::new();
        for (index, entry) in raw.api_versions.into_iter().enumerate() {
            let pointer = format!("/api_versions/{index}");
            let Some(module) = module_name(&entry.version) else {
                problems.push(
                    Diagnostic::error(
                        at(format!("{pointer}/version")),
                        format!("`{}` is not an api-version", entry.version),
                    )
                    .help("api-versions look like 2025-01-02 or 2024-05-01-preview"),
                );
                continue;
            };
            if entry.inputs.is_empty() {
                problems.push(
                    Diagnostic::error(
                        at(format!("{pointer}/inputs")),
                        format!("api-version {} names no input documents", entry.version),
                    )
                    .help("list the OpenAPI documents of the api-version, relative to the config"),
                );
            }
            if versions.iter().any(|v| v.version == entry.version) {
                problems.push(
                    Diagnostic::error(
                        at(format!("{pointer}/version")),
                        format!("api-version {} is listed twice", entry.version),
                    )
                    .help("remove one of the entries"),
                );
                continue;
            }
            versions.push(ApiVersionConfig {
                version: entry.version,
                module,
                inputs: entry.inputs.iter().map(|input| base.join(input)).collect(),
                display_inputs: entry.inputs.iter().map(|input| display(input)).collect(),
                pointer: pointer.clone(),
                default: entry.default,
            });
        }
        if problems.has_errors() {
            return Err(problems);
        }
        versions.sort_by(|a, b| a.version.cmp(&b.version));
        // Without an explicit default the newest version is the default, as users expect.
        if !versions.iter().any(|v| v.default)
            && let Some(latest) = versions.last_mut()
        {
            latest.default = true;
        }
        Ok(Config {
            path: path.to_path_buf(),
            display_path: display(Path::new(path.file_name().unwrap_or_default())),
            crate_name: raw.crate_name,
            output: base.join(raw.output),
            client_name: raw.client_name,
            description: raw.description,
            api_versions: versions,
        })
    }
}

/// `2025-01-02` → `v2025_01_02`; `2024-05-01-preview` → `v2024_05_01_preview`; `None` for
/// anything that is not an api-version.
pub fn module_name(version: &str) -> Option<String> {
    // `get`, not indexing: a non-ASCII character across byte 10 must not panic.
    let (date, suffix) = (version.get(..10)?, version.get(10..)?);
    let valid = date.chars().enumerate().all(|(i, c)| match i {
        4 | 7 => c == '-',
        _ => c.is_ascii_digit(),
    }) && suffix
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    valid.then(|| format!("v{}", version.replace(['-', '.'], "_").to_lowercase()))
}

fn is_rust_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        assert_eq!(module_name("2025-01-02").as_deref(), Some("v2025_01_02"));
        assert_eq!(
            module_name("2024-05-01-preview").as_deref(),
            Some("v2024_05_01_preview")
        );
        assert_eq!(module_name("latest"), None);
        assert_eq!(module_name("2025-1-2"), None);
        // Byte 10 inside a character: rejected, not a panic.
        assert_eq!(module_name("2020-01-0é"), None);
        assert_eq!(module_name("2020-01-é"), None);
        assert_eq!(module_name("2020-01-01é"), None);
    }
}
