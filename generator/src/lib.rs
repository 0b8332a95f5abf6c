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

/// Runs the whole pipeline for every api-version of the config. Fails with every error of
/// every api-version; on success nothing has been written yet.
pub fn generate(config: &Config) -> Result<Generated, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut apis = Vec::new();
    let mut digests = Digests::new();
    // The api-versions are independent until rendering: loaded, lowered and validated side
    // by side, and the lowering's warnings located in their files there too (the final
    // `locate_positions` skips what is located).
    let lowered = parallel::map(config.api_versions.len(), |index| {
        load_and_lower(config, index).map(|(api, mut warnings, read)| {
            warnings.locate_positions();
            let invalid = validate::validate(&api);
            (api, warnings, read, invalid)
        })
    });
    let mut validation = Vec::new();
    for result in lowered {
        match result {
            Ok((api, warnings, read, invalid)) => {
                diagnostics.extend(warnings);
                digests.extend(read);
                apis.push(api);
                validation.push(invalid);
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    for invalid in validation {
        diagnostics.extend(invalid);
    }
    if apis.len() == config.api_versions.len() {
        diagnostics.extend(lower::unmatched_secrets(config, &apis));
    }
    if !diagnostics.has_errors() {
        match render(config, &apis) {
            Ok(files) => {
                diagnostics.locate_positions();
                return Ok(Generated {
                    apis,
                    files,
                    warnings: diagnostics,
                    lock: Lock::of(&config.spec_root, &digests),
                });
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    diagnostics.locate_positions();
    Err(diagnostics)
}

/// Emits and formats every file of the generated crate, the files side by side.
pub fn render(config: &Config, apis: &[Api]) -> Result<Files, Diagnostics> {
    let plan = emit::crate_file_plan(config, apis);
    // Items and function statements are formatted once per run, by whichever thread meets
    // them first: the api-versions share most models and their groups' code, and the example
    // tests repeat many statements (`format::rust_file_with`).
    let items = format::Items::default();
    // Taken from the end: the plan lists the largest files (the example tests, then the
    // models) last, and a thread that starts a large file late leaves the other one idle.
    let mut rendered = parallel::map(plan.len(), |index| {
        render_file(&plan[plan.len() - 1 - index], &items)
    });
    rendered.reverse();
    let mut diagnostics = Diagnostics::default();
    let mut files = Files::default();
    for (planned, text) in plan.into_iter().zip(rendered) {
        match text {
            Ok(text) => {
                files.files.insert(planned.path, text);
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

/// Emits and formats one file (on the calling thread: tokens stay where they are made).
fn render_file(
    planned: &emit::PlannedFile<'_>,
    items: &format::Items,
) -> Result<String, diagnostics::Diagnostic> {
    let file = planned.emit();
    match file.content {
        emit::Content::Rust { tokens, header } => {
            let path = file.path.display().to_string();
            // Emitting is deterministic: the same tokens again, to format whole if need be.
            let again = || match planned.emit().content {
                emit::Content::Rust { tokens, .. } => tokens,
                emit::Content::Text(_) => proc_macro2::TokenStream::new(),
            };
            format::rust_file_with(tokens, &path, &header, items, &again)
        }
        emit::Content::Text(text) => Ok(text),
    }
}
