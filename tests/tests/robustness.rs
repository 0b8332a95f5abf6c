//! The generator returns diagnostics for every input: it never panics, never hangs, never
//! reports an error that names no file, and never emits code that does not parse or compile.
//! Valid specs (ours, the fixtures) are mutated — structurally (deleted keys, wrong types,
//! `$ref`s to anywhere, empty enums, weird and clashing names) and textually (truncation,
//! stray bytes) — and each mutant runs through load, lower, validate and render. A sample of
//! the mutants that generate (the first `ROBUSTNESS_COMPILE`, default 40) is then compiled,
//! each as a module of one scratch crate, with one `cargo check` (see `scratch/`).
//!
//! The mutations are proptest strategies (`mutation/`): a failing mutant shrinks to the
//! fewest, simplest edits of the smallest seed spec that still fail, and the failure names
//! them (and saves the mutant's text). Deterministic: the RNG seed is fixed unless
//! `PROPTEST_RNG_SEED` is set, and a failure's seed is also kept in
//! `robustness.proptest-regressions` beside this file, which is replayed first on every later
//! run. `PROPTEST_CASES` (default 400) runs longer campaigns, e.g.
//! `PROPTEST_CASES=100000 cargo test --release -p codegen_tests --test robustness`.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use azure_arm_codegen::config::{ApiVersionConfig, Config};
use azure_arm_codegen::diagnostics::Diagnostics;
use azure_arm_codegen::load::SpecSet;
use azure_arm_codegen::output::Files;
use azure_arm_codegen::{lower, render, validate};
use mutation::{Case, Mutation};
use proptest::test_runner::{
    Config as ProptestConfig, FileFailurePersistence, RngSeed, TestCaseError, TestError, TestRunner,
};
use serde_json::Value;

mod mutation;
mod scratch;

/// The mutant a case makes of its seed: the file it claims to be, its text, and what was done
/// to it.
struct Mutant {
    path: PathBuf,
    text: String,
    edits: Vec<String>,
}

fn mutant(case: &Case, seeds: &[(PathBuf, String)]) -> Mutant {
    let (path, text) = case.seed.get(seeds);
    let (text, edits) = match &case.mutation {
        Mutation::Textual { cut, stray } => {
            let (text, edit) = mutation::cut(text, *cut, *stray);
            (text, vec![edit])
        }
        Mutation::Structural(edits) => {
            let mut document = parse(path, text).expect("a seed parses");
            let edits = edits
                .iter()
                .map(|e| mutation::apply(e, &mut document))
                .collect();
            (render_document(path, &document), edits)
        }
    };
    Mutant {
        path: path.clone(),
        text,
        edits,
    }
}

// ---- the property ----------------------------------------------------------------------------

/// Runs the pipeline on a mutant on its own thread, so that a hang is reported instead of
/// stalling CI. The generated files, `None` when the mutant was rejected with located errors,
/// or why it failed the property.
fn check(mutant: &Mutant) -> Result<Option<Files>, String> {
    let (sender, receiver) = mpsc::channel();
    let (path, text) = (mutant.path.clone(), mutant.text.clone());
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(|| pipeline(&path, text));
        let _ = sender.send(outcome);
    });
    let diagnostics = match receiver.recv_timeout(Duration::from_secs(10)) {
        Err(_) => return Err("the pipeline hung (>10 s)".into()),
        Ok(Err(_)) => return Err("the pipeline panicked".into()),
        Ok(Ok(Ok(files))) => return Ok(Some(files)),
        Ok(Ok(Err(diagnostics))) => diagnostics,
    };
    let rendered = diagnostics.to_string();
    if !diagnostics.has_errors() {
        return Err(format!("failed without an error:\n{rendered}"));
    }
    for diagnostic in diagnostics.sorted() {
        // The generator's own bugs are reported as internal errors; a spec's text may say
        // "internal error" anywhere, so only the message's start counts.
        if diagnostic.message.starts_with("internal error") {
            return Err(format!("an internal error:\n{rendered}"));
        }
        let location = &diagnostic.location;
        if location.file.as_os_str().is_empty() {
            return Err(format!("an error that names no file:\n{rendered}"));
        }
    }
    Ok(None)
}

/// proptest's setting as its environment variable gave it, else this test's default.
fn unless_set<T>(variable: &str, from_environment: T, default: T) -> T {
    if std::env::var_os(variable).is_some() {
        from_environment
    } else {
        default
    }
}

#[test]
fn mutated_specs_get_diagnostics_never_panics_hangs_or_unparsable_code() {
    let defaults = ProptestConfig::default();
    let config = ProptestConfig {
        cases: unless_set("PROPTEST_CASES", defaults.cases, 400),
        rng_seed: unless_set(
            "PROPTEST_RNG_SEED",
            defaults.rng_seed,
            RngSeed::Fixed(0x5EED_CAFE),
        ),
        // Shrinking a hang costs 10 s a step: give up on a smaller case after two minutes.
        max_shrink_time: unless_set(
            "PROPTEST_MAX_SHRINK_TIME",
            defaults.max_shrink_time,
            120_000,
        ),
        source_file: Some(file!()),
        // Beside this file: a test crate's tests/ has no src/ to mirror.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..defaults
    };
    let compile_sample: usize = std::env::var("ROBUSTNESS_COMPILE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let seed = config.rng_seed;
    let seeds = seeds();
    let started = Instant::now();
    let (generated, rejected) = (Cell::new(0usize), Cell::new(0usize));
    let sample: RefCell<Vec<(String, Files)>> = RefCell::new(Vec::new());
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&mutation::case(), |case| {
        let mutant = mutant(&case, &seeds);
        match check(&mutant).map_err(TestCaseError::fail)? {
            Some(files) => {
                generated.set(generated.get() + 1);
                let mut sample = sample.borrow_mut();
                if sample.len() < compile_sample {
                    sample.push((mutant.text, files));
                }
            }
            None => rejected.set(rejected.get() + 1),
        }
        Ok(())
    });
    match outcome {
        Ok(()) => {}
        Err(TestError::Abort(reason)) => panic!("proptest gave up: {reason}"),
        Err(TestError::Fail(reason, case)) => panic!("{}", report(&reason, &case, &seeds, seed)),
    }
    eprintln!(
        "robustness: {} mutants (seed {seed}) in {:.1?}: {} generated, {} rejected with diagnostics",
        generated.get() + rejected.get(),
        started.elapsed(),
        generated.get(),
        rejected.get(),
    );
    compile(&sample.into_inner(), seed);
}

/// The failure of the smallest failing case: what failed, the edits that make the mutant from
/// its seed, and where its text is saved.
fn report(
    reason: &impl std::fmt::Display,
    case: &Case,
    seeds: &[(PathBuf, String)],
    seed: RngSeed,
) -> String {
    let mutant = mutant(case, seeds);
    let saved = Path::new(env!("CARGO_TARGET_TMPDIR")).join("robustness-failure.spec");
    std::fs::write(&saved, &mutant.text).expect("saves the failing mutant");
    format!(
        "{reason}\non a mutant of {} (RNG seed {seed}, shrunk), made by these edits:\n  {}\n\
         the mutant is saved in {}",
        mutant.path.display(),
        mutant.edits.join("\n  "),
        saved.display()
    )
}

fn config_for(path: &Path, version: &str) -> Config {
    Config {
        path: PathBuf::from("codegen.yaml"),
        display_path: "codegen.yaml".into(),
        crate_name: "fuzzed".into(),
        output: PathBuf::from("out"),
        client_name: "FuzzClient".into(),
        description: "Fuzzed.".into(),
        crate_version: "0.1.0".into(),
        spec_root: PathBuf::from("."),
        spec_root_source: azure_arm_codegen::config::SpecRootSource::Config,
        allow_outside_spec_root: false,
        lock: None,
        secrets: Vec::new(),
        api_versions: vec![ApiVersionConfig {
            version: version.into(),
            module: azure_arm_codegen::config::module_name(version).expect("a valid api-version"),
            inputs: vec![path.to_path_buf()],
            display_inputs: vec![path.display().to_string()],
            default: true,
            pointer: "/api_versions/0".into(),
            operations: Default::default(),
        }],
    }
}

/// Load → lower → validate → render, on a document held in memory. Returns the files, or the
/// diagnostics; an internal error (generated code that does not parse, an invalid
/// identifier) is a bug.
fn pipeline(path: &Path, text: String) -> Result<Files, Diagnostics> {
    let version = parse(path, &text)
        .and_then(|v| {
            v.pointer("/info/version")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .filter(|v| azure_arm_codegen::config::module_name(v).is_some())
        .unwrap_or_else(|| "2020-01-01".into());
    let config = config_for(path, &version);
    let read = |p: &Path| {
        if p == path {
            Ok(text.clone())
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not in this test",
            ))
        }
    };
    let specs = SpecSet::load_with(&config.api_versions[0].inputs, &read)?;
    let (api, _) = lower::lower(&specs, &config, &config.api_versions[0])?;
    let problems = validate::validate(&api);
    if !problems.is_empty() {
        return Err(problems);
    }
    render(&config, std::slice::from_ref(&api))
}

fn is_yaml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml")
}

/// A seed or mutant as a JSON value, from JSON or YAML text.
fn parse(path: &Path, text: &str) -> Option<Value> {
    if is_yaml(path) {
        serde_yaml::from_str(text).ok()
    } else {
        serde_json::from_str(text).ok()
    }
}

fn render_document(path: &Path, document: &Value) -> String {
    if is_yaml(path) {
        serde_yaml::to_string(document).expect("serializes as YAML")
    } else {
        serde_json::to_string_pretty(document).expect("serializes as JSON")
    }
}

fn seeds() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds: Vec<(PathBuf, String)> = [
        "fixtures/openapi3/compute-2024-03-02.json",
        "fixtures/openapi3/compute-2025-01-02.json",
        "fixtures/diagnostics/examples_missing/spec.json",
        "fixtures/naming/naming.json",
        "fixtures/diagnostics/valid/spec.json",
        "fixtures/diagnostics/name_collision_resolved/spec.json",
        "fixtures/hostile/hostile.json",
    ]
    .iter()
    .map(|relative| {
        let path = root.join(relative);
        let text = std::fs::read_to_string(&path).expect("reads a seed spec");
        (PathBuf::from(relative), text)
    })
    // The YAML reader gets the same treatment, from a YAML rendition of a JSON seed.
    .chain(std::iter::once_with(|| {
        let path = root.join("fixtures/naming/naming.json");
        let document: Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("reads the seed"))
                .expect("JSON");
        let yaml = PathBuf::from("fixtures/naming/naming.yaml");
        let text = render_document(&yaml, &document);
        (yaml, text)
    }))
    .collect();
    // The smallest first: shrinking moves a failing case toward the seeds at the front.
    seeds.sort_by_key(|(_, text)| text.len());
    seeds
}

/// Compiles generated mutants as modules of one scratch crate with one `cargo check`: each
/// `mNNN` module is the api-version module of mutant NNN, whose spec is saved beside it.
fn compile(sample: &[(String, Files)], seed: RngSeed) {
    if sample.is_empty() {
        return;
    }
    let started = Instant::now();
    let scratch = scratch::Scratch::new("robustness", &["mutants"]);
    scratch.write(
        "mutants/Cargo.toml",
        "[package]\nname = \"mutants\"\nversion = \"0.0.0\"\nedition.workspace = true\npublish = false\n\n[dependencies]\nazure_arm_runtime.workspace = true\nazure_core.workspace = true\nserde.workspace = true\nserde_json.workspace = true\n",
    );
    let mut lib = String::from("//! Generated mutants, one module each.\n#![deny(warnings)]\n");
    for (number, (mutant, files)) in sample.iter().enumerate() {
        let module = format!("m{number}");
        scratch.write(format!("mutants/src/{module}.spec"), mutant);
        let mut root = None;
        for (path, text) in &files.files {
            if path.starts_with("src") && path.extension().is_some_and(|e| e == "rs") {
                scratch.write(Path::new("mutants/src").join(&module).join(path), text);
                if path.ends_with("mod.rs") {
                    root = Some(path.clone());
                }
            }
        }
        let root = root.expect("a generated crate has a version module");
        lib.push_str(&format!(
            "#[path = \"{module}/{}\"]\npub mod {module};\n",
            root.display()
        ));
    }
    scratch.write("mutants/src/lib.rs", &lib);
    let output = scratch.cargo(&["check", "-p", "mutants", "--message-format=short"]);
    assert!(
        output.status.success(),
        "generated code of a mutant (RNG seed {seed}) does not compile; each module's spec is \
         beside it in {}:\n{}",
        scratch.root.join("mutants/src").display(),
        scratch::describe(&output)
    );
    eprintln!(
        "robustness: {} generated mutants compiled in {:.1?}",
        sample.len(),
        started.elapsed()
    );
}
