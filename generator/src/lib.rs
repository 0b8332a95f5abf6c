//! `azure_arm_codegen`: generates Rust clients for Azure Resource Manager from OpenAPI
//! documents.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`config`]: which documents make which api-version, where they are read from, and
//!    where output goes.
//! 2. [`load`]: documents (Swagger 2.0 or OpenAPI 3.0, JSON or YAML) and every file their
//!    `$ref`s reach; [`lock`] records each file read.
//! 3. [`lower`]: documents → the plain-data [`model`]; all naming decided here ([`naming`]).
//! 4. [`validate`]: the model's invariants that emitted code relies on to compile.
//! 5. [`emit`]: model → Rust tokens, one emitter per kind of output file.
//! 6. [`format`](mod@format): tokens → formatted source with the generated header.
//! 7. [`output`]: compare with or write to the output folder.
//!
//! Problems anywhere become [`diagnostics`], collected and reported together; nothing is
//! written unless every stage succeeded for every api-version.

pub mod config;
pub mod diagnostics;
pub mod emit;
pub mod escape;
pub mod format;
pub mod load;
pub mod lock;
pub mod lower;
pub mod model;
pub mod naming;
pub mod output;
mod parallel;
pub mod pattern;
pub mod position;
pub mod validate;

use config::Config;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use diagnostics::Diagnostics;
use load::SpecSet;
use lock::Lock;
use model::Api;
use output::Files;

/// Everything one run produces, before anything is written.
#[derive(Debug)]
pub struct Generated {
    pub apis: Vec<Api>,
    pub files: Files,
    /// Warnings of every stage (errors make [`generate`] fail instead).
    pub warnings: Diagnostics,
    /// Every spec file read, for the config's `lock`.
    pub lock: Lock,
}

impl Generated {
    pub fn operation_count(&self) -> usize {
        self.apis
            .iter()
            .flat_map(|a| &a.groups)
            .map(|g| g.operations.len())
            .sum()
    }

    pub fn type_count(&self) -> usize {
        self.apis.iter().map(|a| a.types.len()).sum()
    }
}

/// Loads and lowers one api-version of the config.
pub fn lower_version(config: &Config, index: usize) -> Result<(Api, Diagnostics), Diagnostics> {
    load_and_lower(config, index).map(|(api, warnings, _)| (api, warnings))
}

/// Every file read (with its SHA-256), by path.
type Digests = BTreeMap<PathBuf, String>;

/// [`lower_version`], also returning the digests of the files read. Diagnostics point into
/// the files as written (Swagger 2.0 documents are lowered in their OpenAPI 3 shape).
fn load_and_lower(
    config: &Config,
    index: usize,
) -> Result<(Api, Diagnostics, Digests), Diagnostics> {
    let version = &config.api_versions[index];
    let specs = SpecSet::load(&version.inputs, &config.load_options())?;
    match lower::lower(&specs, config, version) {
        Ok((api, mut warnings)) => {
            specs.to_original(&mut warnings);
            Ok((api, warnings, specs.digests().clone()))
        }
        Err(mut errors) => {
            specs.to_original(&mut errors);
            Err(errors)
        }
    }
}

/// One api-version loaded, lowered and validated, with what it reported.
struct Lowered {
    api: Api,
    warnings: Diagnostics,
    digests: Digests,
    /// Where the model breaks an invariant that emitted code relies on ([`validate`]).
    invalid: Diagnostics,
}

/// A task of [`generate`]'s work queue.
enum Task<'a> {
    /// Load, lower and validate the api-version of this index.
    Lower(usize),
    /// Emit and format a part of a file of a lowered api-version: the `order`th of its plan.
    Render {
        version: usize,
        order: usize,
        part: usize,
        file: Arc<emit::PlannedFile<'a>>,
    },
}

/// A file rendered by [`Task::Render`]s, keyed by its api-version and its place in that
/// api-version's plan.
type Rendered = (
    (usize, usize),
    PathBuf,
    Result<String, diagnostics::Diagnostic>,
);

/// Runs the whole pipeline for every api-version of the config. Fails with every error of
/// every api-version; on success nothing has been written yet.
///
/// The api-versions are independent until the crate-wide files: each is loaded, lowered and
/// validated on its own thread (its warnings located in their files there too, the final
/// `locate_positions` skips what is located), and its own files emitted and formatted as soon
/// as it is lowered, while a larger api-version may still be lowering. Results are kept by
/// index, so output and diagnostics are in the config's order whatever thread ran first.
pub fn generate(config: &Config) -> Result<Generated, Diagnostics> {
    let run = Run {
        config,
        lowered: config
            .api_versions
            .iter()
            .map(|_| OnceLock::new())
            .collect(),
        items: format::Items::default(),
        parts: format::Parts::default(),
        rendered: Mutex::default(),
        failed: AtomicBool::new(false),
    };
    // The first api-version is taken first (the queue is a stack).
    let versions = (0..config.api_versions.len()).rev();
    parallel::run(versions.map(Task::Lower).collect(), |task, queue| {
        run.work(task, queue);
    });
    run.finish()
}

/// What the tasks of one [`generate`] share.
struct Run<'a> {
    config: &'a Config,
    /// Per api-version, set by its [`Task::Lower`].
    lowered: Vec<OnceLock<Result<Lowered, Diagnostics>>>,
    /// Items and function statements are formatted once per run, by whichever thread meets
    /// them first (`render`).
    items: format::Items,
    /// Parts of files rendered, until a file's last part joins them.
    parts: format::Parts<(usize, usize)>,
    rendered: Mutex<Vec<Rendered>>,
    /// Once an api-version fails nothing is written: its siblings' files need not be rendered.
    failed: AtomicBool,
}

impl<'a> Run<'a> {
    fn work<'r>(&'r self, task: Task<'r>, queue: &parallel::Queue<Task<'r>>) {
        match task {
            Task::Lower(index) => {
                let lowered = self.lowered[index].get_or_init(|| lower_checked(self.config, index));
                match lowered {
                    Ok(lowered) if !lowered.invalid.has_errors() => {
                        let plan = emit::version_file_plan(self.config, &lowered.api);
                        for (order, file) in plan.into_iter().enumerate() {
                            let file = Arc::new(file);
                            // The queue is a stack: pushed last to first, a file's parts are taken in order.
                            for part in (0..file.parts).rev() {
                                queue.push(Task::Render {
                                    version: index,
                                    order,
                                    part,
                                    file: Arc::clone(&file),
                                });
                            }
                        }
                    }
                    _ => self.failed.store(true, Ordering::Relaxed),
                }
            }
            Task::Render {
                version,
                order,
                part,
                file,
            } => {
                if !self.failed.load(Ordering::Relaxed) {
                    let (header, text) = render_part(&file, part, &self.items);
                    let key = (version, order);
                    if let Some(text) = self.parts.add(key, (part, file.parts), &header, text) {
                        let mut rendered =
                            self.rendered.lock().unwrap_or_else(PoisonError::into_inner);
                        rendered.push((key, file.path.clone(), text));
                    }
                }
            }
        }
    }

    /// Once every task ran: the diagnostics in the config's order, and unless there are
    /// errors, the crate-wide files rendered and every file together.
    fn finish(self) -> Result<Generated, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let mut apis = Vec::new();
        let mut digests = Digests::new();
        let mut validation = Vec::new();
        for lowered in self.lowered {
            // `parallel::run` returned: every task ran (a panic in one is resumed there).
            match lowered
                .into_inner()
                .unwrap_or_else(|| unreachable!("every api-version ran"))
            {
                Ok(lowered) => {
                    diagnostics.extend(lowered.warnings);
                    digests.extend(lowered.digests);
                    apis.push(lowered.api);
                    validation.push(lowered.invalid);
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
        for invalid in validation {
            diagnostics.extend(invalid);
        }
        if apis.len() == self.config.api_versions.len() {
            diagnostics.extend(lower::unmatched_secrets(self.config, &apis));
        }
        if !diagnostics.has_errors() {
            let mut rendered = self
                .rendered
                .into_inner()
                .unwrap_or_else(PoisonError::into_inner);
            rendered.sort_unstable_by_key(|&(key, ..)| key);
            // The crate-wide files are small; they wait for every api-version.
            for (order, file) in emit::crate_wide_plan(self.config, &apis).iter().enumerate() {
                let text = render_file(file, &self.items);
                rendered.push(((apis.len(), order), file.path.clone(), text));
            }
            match collect_files(rendered) {
                Ok(files) => {
                    diagnostics.locate_positions();
                    return Ok(Generated {
                        apis,
                        files,
                        warnings: diagnostics,
                        lock: Lock::of(&self.config.spec_root, &digests),
                    });
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
        diagnostics.locate_positions();
        Err(diagnostics)
    }
}

/// [`load_and_lower`] and [`validate`] of one api-version.
fn lower_checked(config: &Config, index: usize) -> Result<Lowered, Diagnostics> {
    load_and_lower(config, index).map(|(api, mut warnings, digests)| {
        warnings.locate_positions();
        let invalid = validate::validate(&api);
        Lowered {
            api,
            warnings,
            digests,
            invalid,
        }
    })
}

/// The files rendered, or every error of those that could not be, in the order given.
fn collect_files(rendered: impl IntoIterator<Item = Rendered>) -> Result<Files, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut files = Files::default();
    for (_, path, text) in rendered {
        match text {
            Ok(text) => {
                files.files.insert(path, text);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(files)
    }
}

/// Emits and formats every file of the generated crate from lowered api-versions, the files
/// side by side. `generate` does not call it: it renders each api-version's files as soon as
/// that api-version is lowered. This is the same rendering for a model at hand (benchmarks,
/// tests), and `generate`'s own test compares the two.
pub fn render(config: &Config, apis: &[Api]) -> Result<Files, Diagnostics> {
    let plan = emit::crate_file_plan(config, apis);
    // Items and function statements are formatted once per run, by whichever thread meets
    // them first: the api-versions share most models and their groups' code, and the example
    // tests repeat many statements (`format::rust_file_with`).
    let items = format::Items::default();
    // Taken from the end: the plan lists each api-version's largest files (the models, the
    // example tests) after its small ones, and a thread that starts a large file late leaves
    // the other idle.
    let parts: Vec<(usize, usize)> = plan
        .iter()
        .enumerate()
        .flat_map(|(order, file)| (0..file.parts).map(move |part| (order, part)))
        .collect();
    let joined = format::Parts::default();
    let mut rendered = parallel::map(parts.len(), |index| {
        let (order, part) = parts[parts.len() - 1 - index];
        let file = &plan[order];
        let (header, text) = render_part(file, part, &items);
        let text = joined.add(order, (part, file.parts), &header, text)?;
        Some(((0, order), file.path.clone(), text))
    });
    rendered.sort_unstable_by_key(|file| file.as_ref().map(|&(key, ..)| key));
    collect_files(rendered.into_iter().flatten())
}

/// Emits and formats every part of a file on the calling thread, and joins them: for files
/// rendered one after another, which need no [`format::Parts`] to meet in.
fn render_file(
    planned: &emit::PlannedFile<'_>,
    items: &format::Items,
) -> Result<String, diagnostics::Diagnostic> {
    let mut header = String::new();
    let parts: Vec<format::Part> = (0..planned.parts)
        .map(|part| {
            let (part_header, text) = render_part(planned, part, items);
            header = part_header;
            text
        })
        .collect();
    format::join(&header, parts)
}

/// Emits and formats one part of a file (on the calling thread: tokens stay where they are
/// made), with the file's header ([`format::join`] puts the parts together).
fn render_part(
    planned: &emit::PlannedFile<'_>,
    part: usize,
    items: &format::Items,
) -> (String, format::Part) {
    match planned.emit_part(part) {
        emit::Content::Rust { tokens, header } => {
            let path = planned.path.display().to_string();
            // Emitting is deterministic: the whole file's tokens, to format whole if need be.
            let again = || match planned.emit().content {
                emit::Content::Rust { tokens, .. } => tokens,
                emit::Content::Text(_) => proc_macro2::TokenStream::new(),
            };
            let text = format::rust_part_with(tokens, &path, items, &again);
            (header, text)
        }
        emit::Content::Text(text) => (String::new(), format::Part::Whole(Ok(text))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// A config of two api-versions over the `naming` and `operations` fixtures (or the files
    /// named instead), in a scratch folder.
    fn scratch_config(name: &str, inputs: [&str; 2]) -> (PathBuf, Config) {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let scratch =
            std::env::temp_dir().join(format!("codegen-lib-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch).expect("scratch folder");
        for fixture in ["naming/naming.json", "operations/operations.json"] {
            let from = fixtures.join(fixture);
            let to = scratch.join(from.file_name().expect("a file"));
            std::fs::copy(from, to).expect("copies the fixture");
        }
        let yaml = format!(
            "crate_name: scratch\noutput: out\nspec_root: .\nclient_name: ScratchClient\n\
             description: Two api-versions.\napi_versions:\n\
             \x20 - version: \"2020-01-01\"\n    inputs: [{}]\n\
             \x20 - version: \"2021-01-01\"\n    inputs: [{}]\n    default: true\n",
            inputs[0], inputs[1]
        );
        std::fs::write(scratch.join("codegen.yaml"), yaml).expect("writes the config");
        let config = Config::load(&scratch.join("codegen.yaml")).expect("the config loads");
        (scratch, config)
    }

    /// Each api-version's files are rendered as soon as it is lowered, the crate-wide ones
    /// after: the files are the ones `render` makes from the same model, whichever thread
    /// ran what.
    #[test]
    fn generate_renders_what_render_renders() {
        let (scratch, config) = scratch_config("same", ["naming.json", "operations.json"]);
        let generated = generate(&config).unwrap_or_else(|d| panic!("generates:\n{d}"));
        let rendered = render(&config, &generated.apis).unwrap_or_else(|d| panic!("{d}"));
        let _ = std::fs::remove_dir_all(&scratch);
        assert_eq!(generated.files.files, rendered.files);
        let files = &generated.files.files;
        for expected in [
            "src/lib.rs",
            "src/v2020_01_01/models.rs",
            "src/v2021_01_01/client.rs",
            "Cargo.toml",
        ] {
            let listed: Vec<_> = files.keys().collect();
            assert!(
                files.contains_key(Path::new(expected)),
                "{expected} in {listed:?}"
            );
        }
    }

    /// `validate` refuses a path template and path parameters that disagree, which the
    /// runtime would refuse at every call: a `{name}` without its parameter, a parameter
    /// without its `{name}`.
    #[test]
    fn validate_refuses_a_path_and_parameters_that_disagree() {
        use model::{ParamLocation, PathPart};
        let (scratch, config) = scratch_config("path", ["naming.json", "operations.json"]);
        let generated = generate(&config).unwrap_or_else(|d| panic!("generates:\n{d}"));
        let _ = std::fs::remove_dir_all(&scratch);
        let api = &generated.apis[1];
        assert!(validate::validate(api).is_empty());
        fn with_path_param(api: &mut Api) -> &mut model::Operation {
            api.groups
                .iter_mut()
                .flat_map(|group| &mut group.operations)
                .find(|op| op.params.iter().any(|p| p.location == ParamLocation::Path))
                .expect("an operation with a path parameter")
        }
        let mut no_param = api.clone();
        let operation = with_path_param(&mut no_param);
        operation
            .params
            .retain(|p| p.location != ParamLocation::Path);
        let report = validate::validate(&no_param).to_string();
        assert!(
            report.contains("is not exactly one path parameter"),
            "{report}"
        );
        let mut no_placeholder = api.clone();
        let operation = with_path_param(&mut no_placeholder);
        operation
            .path
            .retain(|part| matches!(part, PathPart::Literal(_)));
        let report = validate::validate(&no_placeholder).to_string();
        assert!(report.contains("is not in the path template"), "{report}");
    }

    /// An api-version that fails stops the run with nothing rendered, and every api-version's
    /// errors are reported in the config's order.
    #[test]
    fn errors_of_every_api_version_are_reported_in_config_order() {
        let (scratch, config) =
            scratch_config("errors", ["first_missing.json", "second_missing.json"]);
        let diagnostics = generate(&config).expect_err("both inputs are missing");
        let report = diagnostics.to_string();
        let first = report
            .find("first_missing.json")
            .unwrap_or_else(|| panic!("{report}"));
        let second = report
            .find("second_missing.json")
            .unwrap_or_else(|| panic!("{report}"));
        assert!(first < second, "{report}");
        // One api-version fails, the other lowers: still no files, its error reported.
        let (_, config) = scratch_config("errors", ["naming.json", "second_missing.json"]);
        let diagnostics = generate(&config).expect_err("the second input is missing");
        let _ = std::fs::remove_dir_all(&scratch);
        assert!(diagnostics.has_errors());
        assert!(
            diagnostics.to_string().contains("second_missing.json"),
            "{diagnostics}"
        );
    }
}
