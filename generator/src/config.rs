//! The codegen config (`specs/codegen.yaml`): which spec files make which api-version, where
//! they are read from, what to generate of them, and where the generated crate goes. Adding
//! an api-version is adding an entry here. README.md, "The codegen config", lists every key.

mod fields;
mod schema;
mod select;
mod spec_root;
mod versions;

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::load::{LoadOptions, MAX_FILE_BYTES, normalize};
use schema::RawConfig;
pub use select::OperationSelection;
pub use spec_root::{SpecRootChoice, SpecRootSource};
use versions::EntryContext;
pub use versions::module_name;

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
        let raw = RawConfig::parse(&text, &location)?;
        // The config's problems carry JSON pointers; they also get the line:column.
        Config::check(path, raw, choice).map_err(|mut problems| {
            problems.locate_positions();
            problems
        })
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
            spec_root::choose_spec_root(raw.spec_root.as_deref(), base, choice, &at, &mut problems);
        fields::check_names(&raw, &at, &mut problems);
        let crate_version = fields::crate_version(&raw, &at, &mut problems);
        let secrets = fields::parse_secrets(&raw.secrets, &at, &mut problems);
        let top_selection = raw
            .operations
            .as_ref()
            .map(|s| s.checked("/operations", &at, &mut problems));
        let display_input = |input: &Path| match &raw.spec_root {
            Some(root) => display(&root.join(input)),
            None => input.to_string_lossy().replace('\\', "/"),
        };
        let context = EntryContext {
            spec_root: &spec_root,
            display_input: &display_input,
            inherited: top_selection.as_ref(),
        };
        let versions = versions::check_versions(raw.api_versions, &context, &at, &mut problems);
        if problems.has_errors() {
            return Err(problems);
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
