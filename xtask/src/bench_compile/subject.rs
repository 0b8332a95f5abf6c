//! The crate under measure: the generated crate as it is on disk, one target per feature set,
//! with operation counts from the generator's model and line counts from the files.

use std::path::{Path, PathBuf};

use azure_arm_codegen::config::Config;

use super::cargo::Target;
use super::files::count_lines;

/// One api-version as the benchmark sees it.
pub struct Version {
    pub version: String,
    pub module: String,
    /// From the generator's model; `None` when the generator failed.
    pub operations: Option<usize>,
    pub files: usize,
    pub lines: usize,
}

/// Operation counts from the generator, line counts from the generated crate on disk (what
/// cargo compiles). Returns a warning too when the two disagree (the crate is stale).
pub fn versions(config: &Config, crate_dir: &Path) -> Result<(Vec<Version>, String), String> {
    let mut warning = String::new();
    let generated = match azure_arm_codegen::generate(config) {
        Ok(generated) => {
            match generated.files.check(&config.output) {
                Ok(stale) if stale.is_empty() => {}
                Ok(stale) => {
                    warning = format!(
                        "warning: {} is stale ({} file(s) differ from what the generator writes): the figures are for the crate on disk\n\n",
                        config.output.display(),
                        stale.len()
                    );
                    eprint!("{warning}");
                }
                Err(err) => return Err(format!("cannot read {}: {err}", crate_dir.display())),
            }
            Some(generated)
        }
        Err(diagnostics) => {
            eprintln!("{diagnostics}\nwarning: the generator failed: operation counts unknown");
            None
        }
    };
    let mut versions = Vec::new();
    for version in &config.api_versions {
        let operations = generated.as_ref().map(|generated| {
            generated
                .apis
                .iter()
                .filter(|api| api.module == version.module)
                .flat_map(|api| &api.groups)
                .map(|group| group.operations.len())
                .sum()
        });
        let folder = crate_dir.join("src").join(&version.module);
        let (files, lines) = count_lines(&folder)?;
        versions.push(Version {
            version: version.version.clone(),
            module: version.module.clone(),
            operations,
            files,
            lines,
        });
    }
    Ok((versions, warning))
}

/// No api-version (the crate's fixed cost), each alone, then all together.
pub fn feature_sets(
    manifest: &Path,
    target_dir: &Path,
    config: &Config,
    versions: &[Version],
) -> Vec<Target> {
    let target = |label: &str, features: String, operations| Target {
        label: label.to_string(),
        manifest: manifest.to_path_buf(),
        package: config.crate_name.clone(),
        features: Some(features),
        target_dir: PathBuf::from(target_dir),
        operations,
    };
    let mut targets = vec![target("(none)", String::new(), Some(0))];
    for version in versions {
        targets.push(target(
            &version.module,
            version.module.clone(),
            version.operations,
        ));
    }
    if versions.len() > 1 {
        let all: Vec<&str> = versions.iter().map(|v| v.module.as_str()).collect();
        let operations = versions.iter().map(|v| v.operations).sum();
        targets.push(target("all", all.join(","), operations));
    }
    targets
}
