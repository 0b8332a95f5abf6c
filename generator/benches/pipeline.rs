//! Benchmarks of the generator, one per pipeline stage and end to end, on the shipped specs
//! (`specs/codegen.yaml`: every api-version). Run with
//!
//! ```text
//! cargo bench -p azure_arm_codegen --bench pipeline
//! ```
//!
//! divan prints fastest, slowest, median and mean per benchmark; BENCHMARKS.md quotes the
//! medians. `BENCH_CODEGEN_CONFIG=<path>` benchmarks another codegen config instead. Each
//! stage starts from the previous stage's output, prepared outside the timed part:
//!
//! | benchmark      | what is timed                                                        |
//! |----------------|----------------------------------------------------------------------|
//! | `config`       | `Config::load` of `specs/codegen.yaml`                               |
//! | `load`         | `SpecSet::load` of every api-version's documents                     |
//! | `lower`        | `lower::lower` of every api-version (documents already loaded)       |
//! | `emit`         | `emit::crate_files`: every file's tokens (model already lowered)     |
//! | `format`       | `format::rust_file_with` of every emitted file (tokens emitted)      |
//! | `render`       | `azure_arm_codegen::render`: emit + format of every file, side by side |
//! | `generate`     | `azure_arm_codegen::generate`: load, lower, validate, render         |
//! | `end_to_end`   | config + generate + `Files::check` against `generated/`, i.e. what  |
//! |                | `cargo xtask codegen --check` does in-process                        |

use std::path::{Path, PathBuf};

use azure_arm_codegen as codegen;
use codegen::config::Config;
use codegen::load::SpecSet;
use codegen::model::Api;
use codegen::{emit, format};
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

/// `specs/codegen.yaml`, or the config `BENCH_CODEGEN_CONFIG` names (for a profile at
/// scale, e.g. the synthetic `target/bench-compile/scale/codegen-x10.yaml` that
/// `cargo xtask bench-compile` writes).
fn config_path() -> PathBuf {
    match std::env::var_os("BENCH_CODEGEN_CONFIG") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("specs")
            .join("codegen.yaml"),
    }
}

fn load_config() -> Config {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let choice = codegen::config::SpecRootChoice::from_environment(Some(&repository));
    Config::load_with(&config_path(), &choice)
        .unwrap_or_else(|d| panic!("cannot load the config: {d}"))
}

fn load_all(config: &Config) -> Vec<SpecSet> {
    config
        .api_versions
        .iter()
        .map(|version| {
            SpecSet::load(&version.inputs, &config.load_options())
                .unwrap_or_else(|d| panic!("cannot load specs: {d}"))
        })
        .collect()
}

fn lower_all(config: &Config, specs: &[SpecSet]) -> Vec<Api> {
    config
        .api_versions
        .iter()
        .zip(specs)
        .map(|(version, specs)| {
            codegen::lower::lower(specs, config, version)
                .unwrap_or_else(|d| panic!("cannot lower {}: {d}", version.version))
                .0
        })
        .collect()
}

/// Formats the Rust files of an emitted crate (the other files are final already), as
/// `render` does: each item and function statement is formatted once, whichever files hold
/// it.
fn format_all(files: Vec<emit::EmittedFile>) -> Vec<String> {
    let items = format::Items::default();
    files
        .into_iter()
        .filter_map(|file| match file.content {
            emit::Content::Rust { tokens, header } => {
                let path = file.path.display().to_string();
                let again = tokens.clone();
                let text =
                    format::rust_file_with(tokens, &path, &header, &items, &|| again.clone());
                Some(text.unwrap_or_else(|d| panic!("cannot format {path}: {d}")))
            }
            emit::Content::Text(_) => None,
        })
        .collect()
}

/// The inputs of every stage.
fn setup() -> (Config, Vec<SpecSet>, Vec<Api>) {
    let config = load_config();
    let specs = load_all(&config);
    let apis = lower_all(&config, &specs);
    (config, specs, apis)
}

#[divan::bench]
fn config() -> Config {
    load_config()
}

#[divan::bench]
fn load(bencher: Bencher) {
    let config = load_config();
    bencher.bench(|| load_all(black_box(&config)));
}

#[divan::bench]
fn lower(bencher: Bencher) {
    let (config, specs, _) = setup();
    bencher.bench(|| lower_all(black_box(&config), black_box(&specs)));
}

#[divan::bench]
fn emit(bencher: Bencher) {
    let (config, _, apis) = setup();
    bencher.bench(|| emit::crate_files(black_box(&config), black_box(&apis)));
}

#[divan::bench]
fn format(bencher: Bencher) {
    let (config, _, apis) = setup();
    bencher
        .with_inputs(|| emit::crate_files(&config, &apis))
        .bench_values(format_all);
}

#[divan::bench]
fn render(bencher: Bencher) {
    let (config, _, apis) = setup();
    bencher.bench(|| codegen::render(black_box(&config), black_box(&apis)));
}

#[divan::bench]
fn generate(bencher: Bencher) {
    let config = load_config();
    bencher.bench(|| codegen::generate(black_box(&config)).unwrap_or_else(|d| panic!("{d}")));
}

#[divan::bench]
fn end_to_end() -> usize {
    let config = load_config();
    let generated = codegen::generate(&config).unwrap_or_else(|d| panic!("{d}"));
    let stale = generated
        .files
        .check(&config.output)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", config.output.display()));
    stale.len()
}
