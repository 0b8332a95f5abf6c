//! The old Azure Rust generator's crate, measured in the same run as ours: a probe crate,
//! written at run time under `target/bench-compile/old-generator` (never committed), that
//! depends on `azure_mgmt_compute = "=0.21.0"` with one api-version's feature and the rustls
//! transport, default features off, and builds in its own target folder. `cargo check -p
//! azure_mgmt_compute` in that workspace compiles the old crate alone, measured exactly like
//! ours.
//!
//! Operations are counted in the old crate's source for that feature: the old generator
//! writes one `pub mod <operation>` per operation, each with one `pub struct RequestBuilder`,
//! and each returned by one client method `-> <operation>::RequestBuilder`. Both counts are
//! taken and must agree.

use std::path::{Path, PathBuf};

use cargo_metadata::MetadataCommand;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, value};

use super::cargo::Target;
use super::files::{count_lines, rust_sources, write};

pub const CRATE: &str = "azure_mgmt_compute";
pub const VERSION: &str = "0.21.0";
/// The api-version package compared with ours (the choice: 2024-03-02, which ours
/// generates too).
pub const FEATURE: &str = "package-2024-03-02";
/// The transport ours uses too (reqwest with rustls).
const TRANSPORT_FEATURE: &str = "enable_reqwest_rustls";
const PROBE: &str = "old_generator_probe";

/// The old crate's source for [`FEATURE`], counted.
pub struct OldSource {
    /// `src/<module>/` of the old crate.
    pub module: String,
    pub operations: usize,
    /// Non-blank lines.
    pub lines: usize,
}

/// Writes the probe crate into `folder` (only what changed) and returns the target that
/// compiles the old crate alone.
pub fn prepare(root: &Path, folder: &Path) -> Result<Target, String> {
    let manifest = folder.join("Cargo.toml");
    write(&manifest, &probe_manifest(root)?)?;
    write(
        &folder.join("src").join("lib.rs"),
        "//! Written by `cargo xtask bench-compile`: depends on the old generator's crate.\n",
    )?;
    Ok(Target {
        label: format!("old `{CRATE}` {VERSION} `{FEATURE}`"),
        manifest,
        package: CRATE.into(),
        features: None,
        target_dir: folder.join("target"),
        operations: None,
    })
}

/// The probe's manifest: the dependency, an empty `[workspace]` (the probe lives inside this
/// repository's folder but is no member of it) and this repository's profiles, with the old
/// crate given the debug info of a workspace member, as ours has.
fn probe_manifest(root: &Path) -> Result<String, String> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    let ours: DocumentMut = text
        .parse()
        .map_err(|err| format!("{} is not TOML: {err}", path.display()))?;

    let mut doc = DocumentMut::new();
    let mut package = Table::new();
    package.insert("name", value(PROBE));
    package.insert("version", value("0.0.0"));
    package.insert("edition", value("2024"));
    package.insert("publish", value(false));
    doc.insert("package", Item::Table(package));

    let mut dependency = InlineTable::new();
    dependency.insert("version", format!("={VERSION}").into());
    dependency.insert("default-features", false.into());
    dependency.insert(
        "features",
        Array::from_iter([FEATURE, TRANSPORT_FEATURE]).into(),
    );
    let mut dependencies = Table::new();
    dependencies.insert(CRATE, value(dependency));
    doc.insert("dependencies", Item::Table(dependencies));
    doc.insert("workspace", Item::Table(Table::new()));

    if let Some(profile) = ours.get("profile") {
        let mut profile = profile.clone();
        if let Some(debug) = profile.get("dev").and_then(|dev| dev.get("debug")).cloned() {
            profile["dev"]["package"][CRATE]["debug"] = debug;
        }
        doc.insert("profile", profile);
    }
    Ok(doc.to_string())
}

/// Counts operations and lines of [`FEATURE`]'s module in the old crate's source, found
/// through `cargo metadata` of the probe.
pub fn count(probe_manifest: &Path) -> Result<OldSource, String> {
    let metadata = MetadataCommand::new()
        .manifest_path(probe_manifest)
        .exec()
        .map_err(|err| format!("cargo metadata of {}: {err}", probe_manifest.display()))?;
    let package = metadata
        .packages
        .iter()
        .find(|p| p.name.as_str() == CRATE && p.version.to_string() == VERSION)
        .ok_or_else(|| format!("{CRATE} {VERSION} is not in the probe's dependency graph"))?;
    let module = FEATURE.replace('-', "_");
    let folder: PathBuf = package
        .manifest_path
        .parent()
        .ok_or("the old crate's manifest has no folder")?
        .join("src")
        .join(&module)
        .into();
    let sources = rust_sources(&folder)?;
    let operations = count_operations(&sources)?;
    let (_, lines) = count_lines(&folder)?;
    Ok(OldSource {
        module,
        operations,
        lines,
    })
}

/// One `pub struct RequestBuilder` per operation module, one client method returning it.
fn count_operations(sources: &[String]) -> Result<usize, String> {
    let builders: usize = sources
        .iter()
        .flat_map(|text| text.lines())
        .filter(|line| line.trim_start().starts_with("pub struct RequestBuilder"))
        .count();
    let methods: usize = sources
        .iter()
        .flat_map(|text| text.lines())
        .filter(|line| {
            let line = line.trim_end();
            line.contains(") -> ") && line.ends_with("::RequestBuilder {")
        })
        .count();
    if builders == 0 || builders != methods {
        return Err(format!(
            "cannot count the old crate's operations: {builders} `pub struct RequestBuilder` but {methods} client methods returning one"
        ));
    }
    Ok(builders)
}

#[cfg(test)]
mod tests {
    use super::super::files::with_root_manifest;
    use super::*;

    #[test]
    fn operations_are_request_builders_returned_by_client_methods() {
        let source = "pub mod disks {\n    impl Client {\n        pub fn get(&self, name: impl Into<String>) -> get::RequestBuilder {\n            get::RequestBuilder { client: self.0.clone() }\n        }\n    }\n    pub mod get {\n        #[derive(Clone)]\n        pub struct RequestBuilder {\n            pub(crate) client: super::super::Client,\n        }\n    }\n}\n";
        assert_eq!(count_operations(&[source.to_string()]), Ok(1));
        let unmatched = "pub struct RequestBuilder {}\n";
        assert!(count_operations(&[unmatched.to_string()]).is_err());
    }

    #[test]
    fn the_probe_takes_our_profiles_and_gives_the_old_crate_member_debug_info() {
        let ours = "[workspace]\nmembers = [\"a\"]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n";
        let manifest = with_root_manifest(ours, probe_manifest).unwrap();
        let manifest: DocumentMut = manifest.parse().unwrap();
        let dependency = &manifest["dependencies"][CRATE];
        assert_eq!(dependency["version"].as_str(), Some("=0.21.0"));
        assert_eq!(dependency["default-features"].as_bool(), Some(false));
        assert!(manifest["workspace"].is_table());
        assert!(manifest["workspace"].get("members").is_none());
        let profile = &manifest["profile"]["dev"]["package"];
        assert_eq!(profile["*"]["debug"].as_bool(), Some(false));
        assert_eq!(profile[CRATE]["debug"].as_str(), Some("line-tables-only"));
    }
}
