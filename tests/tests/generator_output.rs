//! Snapshots of the intermediate model of the hand-written OpenAPI 3.0 documents
//! (`fixtures/openapi3/`) and of the files they generate; plus the properties `cargo xtask
//! codegen` promises: deterministic output, only changed files written, `--check` naming
//! stale files, and the committed crate being what the shipped config generates.

mod corpus;
#[allow(dead_code)]
mod fixture;

use std::path::{Path, PathBuf};

use azure_arm_codegen::config::Config;
use azure_arm_codegen::output::Stale;
use azure_arm_codegen::{generate, lower_version};

/// Where the OpenAPI 3.0 documents and their config are.
const OPENAPI3: &str = "fixtures/openapi3";

fn openapi3_config() -> Config {
    Config::load(&Path::new(OPENAPI3).join("codegen.yaml")).expect("the OpenAPI 3 config loads")
}

/// The OpenAPI 3.0 documents generate, without warnings, the files listed in the snapshot.
/// Their contents are not snapshotted: the emitters are the ones `generated/` is made with, and
/// `cargo xtask codegen --check` (and `the_committed_crate_is_what_the_generator_writes`)
/// owns those goldens; what is particular to OpenAPI 3.0 is lowering, which the model
/// snapshot below shows.
#[test]
fn the_openapi3_documents_generate_the_listed_files() {
    let generated = generate(&openapi3_config()).expect("the OpenAPI 3 documents generate");
    assert!(
        generated.warnings.is_empty(),
        "unexpected warnings:\n{}",
        generated.warnings
    );
    let names: Vec<String> = generated
        .files
        .files
        .keys()
        .map(|p| p.display().to_string())
        .collect();
    insta::assert_snapshot!("file_list", names.join("\n"));
}

#[test]
fn the_model_matches_its_snapshot() {
    let config = openapi3_config();
    for (index, version) in config.api_versions.iter().enumerate() {
        let (api, warnings) = lower_version(&config, index).expect("lowers");
        assert!(warnings.is_empty());
        insta::assert_yaml_snapshot!(format!("model_{}", version.module), api);
    }
}

#[test]
fn the_committed_crate_is_what_the_generator_writes() {
    let test = "the_committed_crate_is_what_the_generator_writes";
    let Some(config) = corpus::load_config(test, "specs/codegen.yaml") else {
        return;
    };
    fixture::assert_current(&config, "cargo xtask codegen");
}

/// A scratch copy of the OpenAPI 3 documents and their config, so tests can edit specs and
/// write output freely.
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let root = std::env::temp_dir().join(format!("codegen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("creates scratch folder");
        for entry in std::fs::read_dir(OPENAPI3).expect("lists the fixture") {
            let entry = entry.expect("reads the fixture");
            if entry.path().is_file() {
                std::fs::copy(entry.path(), root.join(entry.file_name())).expect("copies a file");
            }
        }
        Scratch { root }
    }

    /// A scratch copy with the crate already generated into it.
    fn generated(name: &str) -> (Scratch, Config) {
        let scratch = Scratch::new(name);
        let config = scratch.config();
        generate(&config)
            .expect("generates")
            .files
            .write(&config.output)
            .expect("writes");
        (scratch, config)
    }

    fn config(&self) -> Config {
        Config::load(&self.root.join("codegen.yaml")).expect("config loads")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[test]
fn output_is_deterministic_and_a_second_run_writes_nothing() {
    let scratch = Scratch::new("determinism");
    let config = scratch.config();
    let first = generate(&config).expect("generates");
    let second = generate(&config).expect("generates again");
    assert_eq!(first.files, second.files);
    let report = first.files.write(&config.output).expect("writes");
    assert_eq!(report.written.len(), first.files.files.len());
    let report = second.files.write(&config.output).expect("writes again");
    assert!(
        report.written.is_empty(),
        "second run rewrote {:?}",
        report.written
    );
    assert_eq!(report.unchanged, first.files.files.len());
}

#[test]
fn a_changed_description_makes_check_name_the_file_until_regenerated() {
    let (scratch, config) = Scratch::generated("stale");

    let spec = scratch.root.join("compute-2024-03-02.json");
    let text = std::fs::read_to_string(&spec).expect("reads spec");
    let edited = text.replacen(
        "Grants access to a disk.",
        "Grants read or write access to a disk.",
        1,
    );
    assert_ne!(text, edited, "the spec has the description this test edits");
    std::fs::write(&spec, edited).expect("writes spec");

    let regenerated = generate(&config).expect("generates");
    let stale = regenerated.files.check(&config.output).expect("checks");
    assert_eq!(stale.len(), 1, "{stale:#?}");
    match &stale[0] {
        Stale::Changed { path, diff, .. } => {
            assert_eq!(path, Path::new("src/v2024_03_02/disks.rs"));
            assert!(
                diff.contains("\n+    /// Grants read or write access to a disk."),
                "{diff}"
            );
        }
        other => panic!("expected a changed file, got {other:?}"),
    }
    regenerated.files.write(&config.output).expect("writes");
    assert!(
        regenerated
            .files
            .check(&config.output)
            .expect("checks")
            .is_empty()
    );
}

#[test]
fn files_no_longer_generated_are_removed_but_hand_written_files_are_kept() {
    let (scratch, config) = Scratch::generated("removal");
    let hand_written = config.output.join("src/notes.rs");
    std::fs::write(&hand_written, "// mine\n").expect("writes a hand-written file");

    // Drop the 2024-03-02 entry from the config.
    let config_path = scratch.root.join("codegen.yaml");
    let text = std::fs::read_to_string(&config_path).expect("reads config");
    let start = text
        .find("  - version: \"2024-03-02\"")
        .expect("config lists 2024-03-02");
    let end = text[start..]
        .find("  - version: \"2025-01-02\"")
        .expect("config lists 2025-01-02")
        + start;
    std::fs::write(&config_path, format!("{}{}", &text[..start], &text[end..]))
        .expect("writes config");

    let config = scratch.config();
    let generated = generate(&config).expect("generates");
    let stale = generated.files.check(&config.output).expect("checks");
    assert!(
        stale.contains(&Stale::Extra("src/v2024_03_02/models.rs".into())),
        "{stale:#?}"
    );
    let report = generated.files.write(&config.output).expect("writes");
    assert_eq!(report.removed.len(), 5, "{report:?}");
    assert!(
        hand_written.exists(),
        "a file without the generated marker was removed"
    );
    assert!(
        generated
            .files
            .check(&config.output)
            .expect("checks")
            .is_empty()
    );
}
