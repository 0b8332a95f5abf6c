//! The codegen config (`specs/codegen.yaml`): which spec files make which api-version, where
//! they are read from, what to generate of them, and where the generated crate goes. Adding
//! an api-version is adding an entry here. README.md, "The codegen config", lists every key.

mod select;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::load::{LoadOptions, MAX_FILE_BYTES, normalize};
pub use select::OperationSelection;

/// The config as written in YAML; paths relative to the config file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    crate_name: String,
    #[serde(default)]
    crate_version: Option<String>,
    description: String,
    output: PathBuf,
    client_name: String,
    #[serde(default)]
    spec_root: Option<PathBuf>,
    #[serde(default)]
    allow_outside_spec_root: bool,
    #[serde(default)]
    lock: Option<PathBuf>,
    #[serde(default)]
    secrets: Vec<String>,
    #[serde(default)]
    operations: Option<select::RawSelection>,
    api_versions: Vec<RawApiVersion>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApiVersion {
    version: String,
    inputs: Vec<PathBuf>,
    #[serde(default)]
    default: bool,
    #[serde(default)]
    operations: Option<select::RawSelection>,
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
    /// The generated crate's version (`crate_version`, default `0.1.0`).
    pub crate_version: String,
    /// The generated crate's folder.
    pub output: PathBuf,
    /// The top-level client's name, e.g. `ComputeClient`.
    pub client_name: String,
    /// One line describing the generated crate.
    pub description: String,
    /// In ascending order of version.
    pub api_versions: Vec<ApiVersionConfig>,
    /// The folder input paths are relative to, usually an azure-rest-api-specs checkout.
    pub spec_root: PathBuf,
    /// Where [`Config::spec_root`] came from.
    pub spec_root_source: SpecRootSource,
    /// Whether `$ref`s may lead to files outside the spec root.
    pub allow_outside_spec_root: bool,
    /// Where the lock of every file read is kept, if anywhere.
    pub lock: Option<PathBuf>,
    /// Properties that hold secrets though the spec does not say so (`x-ms-secret`).
    pub secrets: Vec<SecretProperty>,
}

#[derive(Clone, Debug)]
pub struct ApiVersionConfig {
    pub version: String,
    /// The module and cargo feature name, e.g. `v2025_01_02`.
    pub module: String,
    /// The input documents, resolved against the spec root.
    pub inputs: Vec<PathBuf>,
    /// The inputs as generated headers show them: their paths inside the spec root.
    pub display_inputs: Vec<String>,
    /// On by default in the generated crate.
    pub default: bool,
    /// Where the entry is in the config file (`/api_versions/1`), for diagnostics.
    pub pointer: String,
    /// Which operations to generate.
    pub operations: OperationSelection,
}

/// A property marked secret by the config: `<DefinitionName>.<wirePropertyName>`, e.g.
/// `AccessUri.accessSAS` (split at the last `.`, since definition names may contain dots).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SecretProperty {
    pub definition: String,
    pub property: String,
}

/// Where the spec root came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecRootSource {
    /// The config's `spec_root` key (a self-contained config, such as a test fixture).
    Config,
    /// `--spec-root`.
    Flag,
    /// The `AZURE_REST_API_SPECS` environment variable.
    Environment,
    /// A checkout found at one of the default places.
    Default,
}

/// How to find the spec root when the config does not name one: `--spec-root`, else the
/// `AZURE_REST_API_SPECS` environment variable, else the first default folder that exists.
#[derive(Clone, Debug, Default)]
pub struct SpecRootChoice {
    pub flag: Option<PathBuf>,
    pub environment: Option<PathBuf>,
    pub defaults: Vec<PathBuf>,
}

impl SpecRootChoice {
    pub const ENVIRONMENT_VARIABLE: &str = "AZURE_REST_API_SPECS";

    /// The environment variable, and the default places beside `repository` (the root of
    /// this repository, when known): `../azure-rest-api-specs`, then the CI layout's
    /// `../shared/azure-rest-api-specs`.
    pub fn from_environment(repository: Option<&Path>) -> Self {
        let environment = std::env::var_os(Self::ENVIRONMENT_VARIABLE)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from);
        let defaults = repository
            .map(|repository| {
                let parent = repository.join("..");
                vec![
                    normalize(&parent.join("azure-rest-api-specs")),
                    normalize(&parent.join("shared").join("azure-rest-api-specs")),
                ]
            })
            .unwrap_or_default();
        SpecRootChoice {
            flag: None,
            environment,
            defaults,
        }
    }

    /// The spec root, or a message that says exactly how to give one.
    pub fn choose(&self) -> Result<(PathBuf, SpecRootSource), String> {
        if let Some(flag) = &self.flag {
            return if flag.is_dir() {
                Ok((flag.clone(), SpecRootSource::Flag))
            } else {
                Err(format!("--spec-root {} is not a folder", flag.display()))
            };
        }
        if let Some(environment) = &self.environment {
            return if environment.is_dir() {
                Ok((environment.clone(), SpecRootSource::Environment))
            } else {
                Err(format!(
                    "{}={} is not a folder",
                    Self::ENVIRONMENT_VARIABLE,
                    environment.display()
                ))
            };
        }
        match self.defaults.iter().find(|d| d.is_dir()) {
            Some(found) => Ok((found.clone(), SpecRootSource::Default)),
            None => Err(self.how_to_give_one()),
        }
    }

    fn how_to_give_one(&self) -> String {
        let mut text = format!(
            "no spec root: the config names its inputs by their path inside azure-rest-api-specs, and no checkout of it was given.\n  Give one with `cargo xtask codegen --spec-root <path of an azure-rest-api-specs checkout>`, or set the environment variable {}=<path>",
            Self::ENVIRONMENT_VARIABLE
        );
        if let Some(first) = self.defaults.first() {
            text.push_str(&format!(
                ", or clone https://github.com/Azure/azure-rest-api-specs to {}",
                first.display()
            ));
        }
        text
    }
}

impl Config {
    /// Reads and checks the config; a spec root not named by the config comes from the
    /// environment variable. Problems are reported against the config file.
    pub fn load(path: &Path) -> Result<Config, Diagnostics> {
        Config::load_with(path, &SpecRootChoice::from_environment(None))
    }

    /// [`Config::load`], finding a spec root the config does not name by `choice`.
    pub fn load_with(path: &Path, choice: &SpecRootChoice) -> Result<Config, Diagnostics> {
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
                .help("see README.md, \"The codegen config\", for every key")
        })?;
        Config::check(path, raw, choice)
    }

    /// The loader's rules for this config's files.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            spec_root: self.spec_root.clone(),
            allow_outside_spec_root: self.allow_outside_spec_root,
            max_file_bytes: MAX_FILE_BYTES,
        }
    }

    fn check(path: &Path, raw: RawConfig, choice: &SpecRootChoice) -> Result<Config, Diagnostics> {
        let base = path.parent().unwrap_or(Path::new("."));
        // Headers name files relative to the config's folder's parent (the repository root
        // for `specs/codegen.yaml`), so output does not depend on where the tool runs.
        let folder_name = std::fs::canonicalize(base)
            .ok()
            .and_then(|b| b.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default();
        let display = |relative: &Path| {
            let relative = normalize(&Path::new(&folder_name).join(relative));
            relative.to_string_lossy().replace('\\', "/")
        };
        let at = |pointer: &str| Location::new(path, pointer);
        // Every problem of the config is reported, not just the first.
        let mut problems = Diagnostics::default();
        let (spec_root, spec_root_source) =
            choose_spec_root(&raw, base, choice, &at, &mut problems);
        let input_display = raw.spec_root.clone();
        check_names(&raw, &at, &mut problems);
        let crate_version = raw.crate_version.clone().unwrap_or_else(|| "0.1.0".into());
        if !is_crate_version(&crate_version) {
            problems.push(
                Diagnostic::error(
                    at("/crate_version"),
                    format!("`{crate_version}` is not a crate version"),
                )
                .help("use a semantic version such as 0.1.0 or 1.0.0-beta.1"),
            );
        }
        let secrets = parse_secrets(&raw.secrets, &at, &mut problems);
        let top_selection = raw
            .operations
            .as_ref()
            .map(|s| s.checked("/operations", &at, &mut problems));
        let display_input = |input: &Path| match &input_display {
            Some(root) => display(&root.join(input)),
            None => input.to_string_lossy().replace('\\', "/"),
        };
        let mut versions: Vec<ApiVersionConfig> = Vec::new();
        for (index, entry) in raw.api_versions.into_iter().enumerate() {
            let inherited = top_selection.as_ref();
            let checked = EntryContext {
                spec_root: &spec_root,
                display_input: &display_input,
                inherited,
            };
            if let Some(version) =
                check_version(entry, index, checked, &versions, &at, &mut problems)
            {
                versions.push(version);
            }
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
            crate_version,
            output: base.join(raw.output),
            client_name: raw.client_name,
            description: raw.description,
            api_versions: versions,
            spec_root,
            spec_root_source,
            allow_outside_spec_root: raw.allow_outside_spec_root,
            lock: raw.lock.map(|lock| base.join(lock)),
            secrets,
        })
    }
}

/// The config's own `spec_root`, or the one `choice` finds.
fn choose_spec_root(
    raw: &RawConfig,
    base: &Path,
    choice: &SpecRootChoice,
    at: &impl Fn(&str) -> Location,
    problems: &mut Diagnostics,
) -> (PathBuf, SpecRootSource) {
    if let Some(root) = &raw.spec_root {
        return (normalize(&base.join(root)), SpecRootSource::Config);
    }
    choice.choose().unwrap_or_else(|message| {
        problems.push(Diagnostic::error(at(""), message).help(
            "or name a folder with the config's `spec_root` key (relative to the config file)",
        ));
        (PathBuf::new(), SpecRootSource::Default)
    })
}

/// What every `api_versions` entry is checked with.
struct EntryContext<'a> {
    spec_root: &'a Path,
    /// How an input is shown in generated headers.
    display_input: &'a dyn Fn(&Path) -> String,
    /// The top-level operation selection.
    inherited: Option<&'a OperationSelection>,
}

/// One `api_versions` entry, checked; `None` when it cannot be used.
fn check_version(
    entry: RawApiVersion,
    index: usize,
    context: EntryContext<'_>,
    earlier: &[ApiVersionConfig],
    at: &impl Fn(&str) -> Location,
    problems: &mut Diagnostics,
) -> Option<ApiVersionConfig> {
    let EntryContext {
        spec_root,
        display_input,
        inherited,
    } = context;
    let pointer = format!("/api_versions/{index}");
    let Some(module) = module_name(&entry.version) else {
        problems.push(
            Diagnostic::error(
                at(&format!("{pointer}/version")),
                format!("`{}` is not an api-version", entry.version),
            )
            .help("api-versions look like 2025-01-02 or 2024-05-01-preview"),
        );
        return None;
    };
    if entry.inputs.is_empty() {
        problems.push(
            Diagnostic::error(
                at(&format!("{pointer}/inputs")),
                format!("api-version {} names no input documents", entry.version),
            )
            .help("list the documents of the api-version, by their path inside the spec root"),
        );
    }
    if earlier.iter().any(|v| v.version == entry.version) {
        problems.push(
            Diagnostic::error(
                at(&format!("{pointer}/version")),
                format!("api-version {} is listed twice", entry.version),
            )
            .help("remove one of the entries"),
        );
        return None;
    }
    let operations = match &entry.operations {
        Some(own) => own.checked(&format!("{pointer}/operations"), at, problems),
        None => inherited.cloned().unwrap_or_default(),
    };
    Some(ApiVersionConfig {
        module,
        inputs: entry
            .inputs
            .iter()
            .map(|input| spec_root.join(input))
            .collect(),
        display_inputs: entry
            .inputs
            .iter()
            .map(|input| display_input(input))
            .collect(),
        version: entry.version,
        pointer,
        default: entry.default,
        operations,
    })
}

fn check_names(raw: &RawConfig, at: &impl Fn(&str) -> Location, problems: &mut Diagnostics) {
    if raw.api_versions.is_empty() {
        problems.push(
            Diagnostic::error(at("/api_versions"), "no api-versions listed")
                .help("add at least one entry with `version` and `inputs`"),
        );
    }
    if !is_rust_identifier(&raw.crate_name) {
        problems.push(
            Diagnostic::error(
                at("/crate_name"),
                format!("`{}` is not a valid crate name", raw.crate_name),
            )
            .help("use lower-case letters, digits and underscores"),
        );
    }
    if !is_type_name(&raw.client_name) {
        problems.push(
            Diagnostic::error(
                at("/client_name"),
                format!(
                    "`{}` is not an UpperCamelCase Rust type name",
                    raw.client_name
                ),
            )
            .help("use a name such as `ComputeClient`"),
        );
    }
}

/// `AccessUri.accessSAS` → (`AccessUri`, `accessSAS`), each entry checked.
fn parse_secrets(
    entries: &[String],
    at: &impl Fn(&str) -> Location,
    problems: &mut Diagnostics,
) -> Vec<SecretProperty> {
    let mut secrets: Vec<SecretProperty> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let parsed = entry.rsplit_once('.').filter(|(definition, property)| {
            let word = |s: &str| !s.is_empty() && !s.chars().any(char::is_whitespace);
            word(definition) && word(property)
        });
        let Some((definition, property)) = parsed else {
            problems.push(
                Diagnostic::error(
                    at(&format!("/secrets/{index}")),
                    format!("`{entry}` does not name a property"),
                )
                .help("write `<DefinitionName>.<wirePropertyName>`, e.g. `AccessUri.accessSAS`"),
            );
            continue;
        };
        let secret = SecretProperty {
            definition: definition.to_string(),
            property: property.to_string(),
        };
        if secrets.contains(&secret) {
            problems.push(
                Diagnostic::error(
                    at(&format!("/secrets/{index}")),
                    format!("`{entry}` is listed twice"),
                )
                .help("remove one of the entries"),
            );
            continue;
        }
        secrets.push(secret);
    }
    secrets
}

/// `2025-01-02` → `v2025_01_02`; `2024-05-01-preview` → `v2024_05_01_preview`; `None` for
/// anything that is not an api-version.
pub fn module_name(version: &str) -> Option<String> {
    let bytes = version.as_bytes();
    let valid = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
        && bytes[10..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'.');
    valid.then(|| format!("v{}", version.replace(['-', '.'], "_").to_lowercase()))
}

/// `1.2.3`, optionally with a pre-release such as `-beta.1`.
fn is_crate_version(version: &str) -> bool {
    let (core, pre) = version.split_once('-').unwrap_or((version, ""));
    let numbers: Vec<&str> = core.split('.').collect();
    numbers.len() == 3
        && numbers
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        && (version == core
            || (!pre.is_empty()
                && pre
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')))
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

    #[test]
    fn crate_versions() {
        for good in ["0.1.0", "1.0.0-beta.1", "10.20.30"] {
            assert!(is_crate_version(good), "{good}");
        }
        for bad in ["1.0", "1.0.0-", "a.b.c", "1.0.0 ", ""] {
            assert!(!is_crate_version(bad), "{bad}");
        }
    }

    #[test]
    fn secrets_split_at_the_last_dot() {
        let mut problems = Diagnostics::default();
        let at = |p: &str| Location::new(Path::new("c.yaml"), p);
        let entries = [
            "AccessUri.accessSAS".to_string(),
            "TypeSpec.Http.Thing.key".to_string(),
            "nodot".to_string(),
            "Trailing.".to_string(),
            "AccessUri.accessSAS".to_string(),
        ];
        let secrets = parse_secrets(&entries, &at, &mut problems);
        assert_eq!(
            secrets,
            [
                SecretProperty {
                    definition: "AccessUri".into(),
                    property: "accessSAS".into()
                },
                SecretProperty {
                    definition: "TypeSpec.Http.Thing".into(),
                    property: "key".into()
                },
            ]
        );
        assert_eq!(problems.error_count(), 3);
    }

    #[test]
    fn the_spec_root_comes_from_the_flag_then_the_environment_then_the_defaults() {
        let here = std::env::temp_dir();
        let missing = here.join("no-such-spec-root-folder");
        let choice = |flag: Option<&Path>, environment: Option<&Path>, defaults: &[&Path]| {
            SpecRootChoice {
                flag: flag.map(Path::to_path_buf),
                environment: environment.map(Path::to_path_buf),
                defaults: defaults.iter().map(|d| d.to_path_buf()).collect(),
            }
            .choose()
        };
        let flag = choice(Some(&here), Some(&missing), &[]).expect("the flag wins");
        assert_eq!(flag.1, SpecRootSource::Flag);
        let environment = choice(None, Some(&here), &[&missing]).expect("then the variable");
        assert_eq!(environment.1, SpecRootSource::Environment);
        let default = choice(None, None, &[&missing, &here]).expect("then a default");
        assert_eq!(default, (here.clone(), SpecRootSource::Default));
        let none = choice(None, None, &[&missing]).unwrap_err();
        assert!(none.contains("--spec-root"), "{none}");
        assert!(none.contains("AZURE_REST_API_SPECS="), "{none}");
        assert!(
            none.contains("clone https://github.com/Azure/azure-rest-api-specs"),
            "{none}"
        );
        let bad = choice(None, Some(&missing), &[&here]).unwrap_err();
        assert!(bad.contains("is not a folder"), "{bad}");
    }
}
