//! The config as written in YAML, before any rule is checked: every key README.md lists,
//! unknown keys refused. `serde_yaml` is read here and nowhere else.

use std::path::PathBuf;

use serde::Deserialize;

use super::select::RawSelection;
use crate::diagnostics::{Diagnostic, Location};

/// The config as written in YAML; paths relative to the config file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) crate_name: String,
    #[serde(default)]
    pub(super) crate_version: Option<String>,
    pub(super) description: String,
    pub(super) output: PathBuf,
    pub(super) client_name: String,
    #[serde(default)]
    pub(super) spec_root: Option<PathBuf>,
    #[serde(default)]
    pub(super) allow_outside_spec_root: bool,
    #[serde(default)]
    pub(super) lock: Option<PathBuf>,
    #[serde(default)]
    pub(super) secrets: Vec<String>,
    #[serde(default)]
    pub(super) operations: Option<RawSelection>,
    pub(super) api_versions: Vec<RawApiVersion>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawApiVersion {
    pub(super) version: String,
    pub(super) inputs: Vec<PathBuf>,
    #[serde(default)]
    pub(super) default: bool,
    #[serde(default)]
    pub(super) operations: Option<RawSelection>,
}

impl RawConfig {
    /// The config in `text`, read from `location`; a syntax error or an unknown key is
    /// reported at its line and column.
    pub(super) fn parse(text: &str, location: &Location) -> Result<RawConfig, Diagnostic> {
        serde_yaml::from_str(text).map_err(|err| {
            let mut location = location.clone();
            location.line_col = err.location().map(|l| (l.line(), l.column()));
            Diagnostic::error(location, format!("the codegen config is not valid: {err}"))
                .help("see README.md, \"The codegen config\", for every key")
        })
    }
}
