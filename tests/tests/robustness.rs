//! The generator returns diagnostics for every input: it never panics, never hangs, and never
//! emits code that does not parse or compile. Valid specs (ours, the fixtures) are mutated at
//! random — structurally (deleted keys, wrong types, `$ref`s to anywhere, empty enums, weird
//! and clashing names) and textually (truncation, stray bytes) — and each mutant runs through
//! load, lower, validate and render. A sample of the mutants that generate (the first
//! `ROBUSTNESS_COMPILE`, default 40) is then compiled, each as a module of one scratch crate,
//! with one `cargo check` (see `scratch/`).
//!
//! Deterministic: the seed is fixed unless `ROBUSTNESS_SEED` is set. `ROBUSTNESS_ITERATIONS`
//! runs longer campaigns, e.g.
//! `ROBUSTNESS_ITERATIONS=100000 cargo test --release -p codegen_tests --test robustness`.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use azure_arm_codegen::config::{ApiVersionConfig, Config};
use azure_arm_codegen::diagnostics::Diagnostics;
use azure_arm_codegen::load::SpecSet;
use azure_arm_codegen::output::Files;
use azure_arm_codegen::{lower, render, validate};
use serde_json::Value;

mod scratch;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WEIRD_STRINGS: &[&str] = &[
    "",
    " ",
    "type",
    "self",
    "Self",
    "None",
    "1st",
    "9",
    "-",
    "a/b",
    "..",
    "{x}",
    "{",
    "}",
    "#/components/schemas/StartResult",
    "#/components/schemas/Nope",
    "#/paths",
    "#",
    "other.json#/components/schemas/X",
    "../../etc/passwd",
    "SystemAssigned, UserAssigned",
    "größe²",
    "\u{0}",
    "\r",
    "a\nb",
    "[x](y) <b>",
    "https://example.com/x?sig=1",
    "^[-\\w\\._\\(\\)]+$",
    "^[a-z",
    "^[z-a]+$",
    "int64",
    "date-time",
    "3.1.0",
    "2.0",
    "location",
    "azure-async-operation",
    "header",
    "cookie",
    "query",
    "path",
    "object",
    "array",
    "string",
    "integer",
    "number",
    "boolean",
    "application/json",
    "text/plain",
    // Names generated code binds, and files it writes.
    "pipeline",
    "options",
    "credential",
    "api_version",
    "apiVersion",
    "query",
    "url",
    "context",
    "request",
    "response",
    "body",
    "method_options",
    "Mod_Start",
    "Client_Go",
    "Lib_Go",
    "models",
    // Text that must stay text.
    "```\nstd::process::exit(3);\n```",
    "  ~~~rust\nfn main() {}\n~~~",
    "*/ #![no_std] #[test] </code>",
    "\"); panic!(\"",
];

fn all_pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    out.push(pointer.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                all_pointers(
                    child,
                    format!(
                        "{pointer}/{}",
                        azure_arm_codegen::diagnostics::pointer_token(key)
                    ),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                all_pointers(child, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

fn random_value(rng: &mut Rng, pointers: &[String]) -> Value {
    match rng.below(9) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::from(rng.next() as i64 % 1000 - 500),
        3 => Value::String(rng.pick(WEIRD_STRINGS).to_string()),
        4 => serde_json::json!([]),
        5 => serde_json::json!({}),
        6 => serde_json::json!({"$ref": format!("#{}", rng.pick(pointers))}),
        7 => serde_json::json!({"type": rng.pick(WEIRD_STRINGS), "enum": []}),
        _ => {
            serde_json::json!({"allOf": [{"$ref": format!("#{}", rng.pick(pointers))}], "description": "x"})
        }
    }
}

fn mutate(rng: &mut Rng, document: &mut Value) {
    let mut pointers = Vec::new();
    all_pointers(document, String::new(), &mut pointers);
    let target = rng.pick(&pointers).clone();
    let replacement = random_value(rng, &pointers);
    let donor_pointer = rng.pick(&pointers).clone();
    let donor = document.pointer(&donor_pointer).cloned();
    let Some(node) = document.pointer_mut(&target) else {
        return;
    };
    match rng.below(6) {
        0 => *node = replacement,
        1 => {
            if let Value::Object(map) = node {
                let keys: Vec<String> = map.keys().cloned().collect();
                if !keys.is_empty() {
                    map.remove(rng.pick(&keys).as_str());
                }
            }
        }
        2 => {
            if let Value::Object(map) = node {
                map.insert(rng.pick(WEIRD_STRINGS).to_string(), replacement);
            }
        }
        3 => {
            if let (Some(donor), true) = (donor, pointers.len() < 20_000) {
                *node = donor; // a copy of another subtree: duplicates ids, names, cycles
            }
        }
        4 => {
            if let Value::String(text) = node {
                *text = rng.pick(WEIRD_STRINGS).to_string();
            }
        }
        _ => {
            if let Value::Array(items) = node {
                if !items.is_empty() && rng.below(2) == 0 {
                    let index = rng.below(items.len());
                    let item = items[index].clone();
                    items.push(item);
                } else {
                    items.clear();
                }
            }
        }
    }
}

fn mutate_text(rng: &mut Rng, text: &str) -> String {
    let bytes = text.as_bytes();
    let cut = rng.below(bytes.len());
    let mut mutated = bytes[..cut].to_vec();
    if rng.below(2) == 0 {
        let stray: [&[u8]; 6] = [b"{", b"]", b"\"", b",", b"\xff", b"\\u12"];
        let inserted: &&[u8] = rng.pick(&stray[..]);
        mutated.extend_from_slice(inserted);
        mutated.extend_from_slice(&bytes[cut..]);
    }
    String::from_utf8_lossy(&mutated).into_owned()
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
    [
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
    .collect()
}

#[test]
fn mutated_specs_get_diagnostics_never_panics_hangs_or_unparsable_code() {
    let iterations: usize = std::env::var("ROBUSTNESS_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let seed: u64 = std::env::var("ROBUSTNESS_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5EED_CAFE);
    let compile_sample: usize = std::env::var("ROBUSTNESS_COMPILE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let seeds = seeds();
    let started = Instant::now();
    let (mut succeeded, mut rejected) = (0usize, 0usize);
    let mut sample: Vec<(usize, String, Files)> = Vec::new();
    let mut rng = Rng(seed);
    for iteration in 0..iterations {
        if iteration > 0 && iteration % 50_000 == 0 {
            eprintln!(
                "robustness: {iteration} mutants so far in {:.1?} ({succeeded} generated)",
                started.elapsed()
            );
        }
        let (path, text) = rng.pick(&seeds).clone();
        let mutant = if rng.below(5) == 0 {
            mutate_text(&mut rng, &text)
        } else {
            let mut document = parse(&path, &text).expect("a seed parses");
            for _ in 0..=rng.below(4) {
                mutate(&mut rng, &mut document);
            }
            render_document(&path, &document)
        };
        // Each input runs on its own thread so a hang is reported instead of stalling CI.
        let (sender, receiver) = mpsc::channel();
        let input = mutant.clone();
        let worker_path = path.clone();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| pipeline(&worker_path, input));
            let _ = sender.send(outcome);
        });
        let context = || {
            format!(
                "iteration {iteration} (seed {seed:#x}) on a mutant of {}:\n{mutant}",
                path.display()
            )
        };
        match receiver.recv_timeout(Duration::from_secs(10)) {
            Err(_) => panic!("the pipeline hung (>10 s) at {}", context()),
            Ok(Err(_)) => panic!("the pipeline panicked at {}", context()),
            Ok(Ok(Ok(files))) => {
                succeeded += 1;
                if sample.len() < compile_sample {
                    sample.push((iteration, mutant, files));
                }
            }
            Ok(Ok(Err(diagnostics))) => {
                let rendered = diagnostics.to_string();
                assert!(
                    diagnostics.has_errors(),
                    "failed without an error at {}",
                    context()
                );
                // The generator's own bugs are reported as internal errors; a spec's text may
                // say "internal error" anywhere, so only the message's start counts.
                let internal = diagnostics
                    .sorted()
                    .iter()
                    .any(|d| d.message.starts_with("internal error"));
                assert!(!internal, "{rendered}\nat {}", context());
                rejected += 1;
            }
        }
    }
    eprintln!(
        "robustness: {iterations} mutants (seed {seed:#x}) in {:.1?}: {succeeded} generated, {rejected} rejected with diagnostics",
        started.elapsed()
    );
    compile(&sample, seed);
}

/// Compiles generated mutants as modules of one scratch crate with one `cargo check`: each
/// `mNNN` module is the api-version module of mutant NNN, whose spec is saved beside it.
fn compile(sample: &[(usize, String, Files)], seed: u64) {
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
    for (iteration, mutant, files) in sample {
        let module = format!("m{iteration}");
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
        "generated code of a mutant (seed {seed:#x}) does not compile; each module's spec is \
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
