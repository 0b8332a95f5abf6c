//! `cargo xtask bench-compile`: what the generated crate costs to compile against what the
//! old generator's crate costs, measured in the same run, and what the generator costs to
//! run, as medians of several rounds. BENCHMARKS.md explains the method and quotes the
//! figures.
//!
//! For the generated crate alone (its dependencies already built), for each api-version
//! feature alone, for all of them together and for none (the crate's fixed cost), and for the
//! old generator's `azure_mgmt_compute` 0.21 with one api-version ([`old_crate`]):
//!
//! - `cargo check` and `cargo build` (dev profile) wall time and peak memory. Each run first
//!   removes the crate's own artifacts (`cargo clean -p`), so exactly one crate is compiled,
//!   from scratch, as a downstream user's clean build compiles it; the run is rejected if
//!   cargo's JSON messages show that it compiled anything else ([`cargo`]). Runs are
//!   interleaved (round after round over every command and crate) so that load from other
//!   processes spreads over all rows.
//! - cargo's own no-op time for the same command, so that the crate's share of the wall time
//!   can be told from cargo's.
//!
//! Builds go to their own target folders (`target/bench-compile`, and the old crate's probe
//! its own) with incremental compilation off (`CARGO_INCREMENTAL=0`): a dependency is never
//! built incrementally. Peak memory is GNU time's `%M`: the largest resident set of cargo and
//! of every process it waited for, i.e. of rustc compiling the crate.
//!
//! Also reported: non-blank lines of generated code per api-version and per operation, the
//! wall time of `xtask codegen --check` as a whole process ([`codegen`]), the same compile
//! figures for synthetic crates of 1 and `--scale` copies of the default api-version's
//! document ([`scale`]), and from their slope a projection for a 286-operation api-version
//! ([`compare`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use azure_arm_codegen::config::{Config, SpecRootChoice};

mod cargo;
mod cli;
mod codegen;
mod compare;
mod files;
mod machine;
mod old_crate;
mod report;
mod scale;
mod stats;
mod subject;

pub use cli::main;

use cargo::{CargoBench, GNU_TIME, Target};
use stats::{Row, duration, memory};

/// What `bench-compile` measures.
pub struct Options {
    /// The repository root: `specs/codegen.yaml`, and `target/` for the builds.
    pub root: PathBuf,
    /// Interleaved timed rounds over every command and crate.
    pub rounds: usize,
    /// Timed runs of `xtask codegen --check`.
    pub codegen_runs: usize,
    /// Synthetic crates of 1 and this many copies (1: none).
    pub scale: usize,
    /// `cargo build` too, not only `cargo check`.
    pub build: bool,
    /// Measure the old generator's crate in the same run.
    pub old_crate: bool,
}

impl Options {
    /// The defaults.
    pub fn new(root: PathBuf) -> Self {
        Options {
            root,
            rounds: 5,
            codegen_runs: 20,
            scale: 10,
            build: true,
            old_crate: true,
        }
    }
}

/// The operations of the api-version that a projection is made for: the old crate's
/// `package-2024-03-02` (counted in its source when it is measured).
const PROJECTED_OPERATIONS: usize = 286;

/// Measures and prints the report on stdout, progress on stderr.
pub fn run(options: &Options) -> ExitCode {
    match measure(options) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Crates measured together, and their samples: `rows[command][target]`.
pub struct Group {
    pub targets: Vec<Target>,
    pub rows: Vec<Vec<Row>>,
}

impl Group {
    fn new(targets: Vec<Target>, commands: &[&str]) -> Self {
        let rows = commands
            .iter()
            .map(|_| targets.iter().map(|_| Row::default()).collect())
            .collect();
        Group { targets, rows }
    }

    /// Rounds measured so far.
    pub fn rounds(&self) -> usize {
        self.rows
            .first()
            .and_then(|rows| rows.first())
            .map_or(0, |row| row.compile.len())
    }
}

fn measure(options: &Options) -> Result<String, String> {
    let root = &options.root;
    let config_path = root.join("specs").join("codegen.yaml");
    let choice = SpecRootChoice::from_environment(Some(root));
    let config = Config::load_with(&config_path, &choice).map_err(|d| d.to_string())?;
    let crate_dir = root.join(&config.output);
    let crate_dir = crate_dir.canonicalize().unwrap_or(crate_dir);
    let bench_dir = root.join("target").join("bench-compile");
    let commands: &[&str] = if options.build {
        &["check", "build"]
    } else {
        &["check"]
    };

    let load_before = machine::load_average();
    let (versions, mut report) = subject::versions(&config, &crate_dir)?;
    let manifest = crate_dir.join("Cargo.toml");
    let targets = subject::feature_sets(&manifest, &bench_dir, &config, &versions);
    let mut ours = Group::new(targets, commands);
    let scaled = scaled_crates(options, &config, &bench_dir.join("scale"));
    let mut synthetic = Group::new(scale_targets(&scaled, &bench_dir), commands);
    let old_target = if options.old_crate {
        Some(old_crate::prepare(root, &bench_dir.join("old-generator"))?)
    } else {
        None
    };
    let old_manifest = old_target.as_ref().map(|t| t.manifest.clone());
    let mut old = Group::new(old_target.into_iter().collect(), commands);

    let bench = CargoBench::new();
    if !bench.gnu_time {
        eprintln!(
            "note: GNU time ({GNU_TIME}) not found: peak memory is not measured; install it with `apt-get install time`"
        );
    }
    let codegen = codegen::measure(root, &config_path, options.codegen_runs)?;
    let mut groups = [&mut ours, &mut synthetic, &mut old];
    warm_up(&bench, commands, &groups)?;
    let old_source = old_manifest.as_deref().map(old_crate::count).transpose()?;
    for round in 1..=options.rounds {
        measure_round(&bench, commands, &mut groups, (round, options.rounds))?;
    }
    let load_after = machine::load_average();

    report::compile_table(&mut report, &config.crate_name, commands, &ours);
    report::lines_table(&mut report, &versions);
    let scale = (!scaled.is_empty()).then_some(compare::Scaled {
        crates: &scaled,
        group: &synthetic,
    });
    if let Some(source) = &old_source {
        compare::comparison(&mut report, commands, &ours, &versions, &old, source, scale);
    }
    if !scaled.is_empty() {
        report::scale_table(&mut report, commands, &scaled, &synthetic);
    }
    let operations = old_source
        .as_ref()
        .map_or(PROJECTED_OPERATIONS, |s| s.operations);
    let old_check = old.rows[0].first();
    compare::projection(&mut report, &ours, &versions, scale, operations, old_check);
    report::codegen_table(&mut report, &codegen);
    report.push_str(&machine::describe(&load_before, &load_after));
    Ok(report)
}

/// The synthetic crates; none, with a warning, when the spec cannot be copied.
fn scaled_crates(options: &Options, config: &Config, folder: &Path) -> Vec<scale::ScaledCrate> {
    if options.scale <= 1 {
        return Vec::new();
    }
    scale::prepare(&options.root, config, folder, options.scale).unwrap_or_else(|err| {
        eprintln!("warning: no synthetic crates: {err}");
        Vec::new()
    })
}

fn scale_targets(scaled: &[scale::ScaledCrate], target_dir: &Path) -> Vec<Target> {
    scaled
        .iter()
        .map(|scaled| Target {
            label: format!("×{}", scaled.copies),
            manifest: scaled.manifest.clone(),
            package: scaled.package.clone(),
            features: Some(scaled.feature.clone()),
            target_dir: target_dir.to_path_buf(),
            operations: Some(scaled.operations),
        })
        .collect()
}

/// Every command on every crate once, unmeasured, so that dependencies are built.
fn warm_up(bench: &CargoBench, commands: &[&str], groups: &[&mut Group]) -> Result<(), String> {
    for command in commands {
        for target in groups.iter().flat_map(|g| &g.targets) {
            eprintln!("warming up: cargo {command} {}", target.label);
            bench
                .warm_up(command, target)
                .map_err(|e| format!("warm-up: {e}"))?;
        }
    }
    Ok(())
}

/// One round: every command on every crate, one after another.
fn measure_round(
    bench: &CargoBench,
    commands: &[&str],
    groups: &mut [&mut Group],
    (round, rounds): (usize, usize),
) -> Result<(), String> {
    for (c, command) in commands.iter().enumerate() {
        for group in groups.iter_mut() {
            for (target, row) in group.targets.iter().zip(&mut group.rows[c]) {
                let (compile, no_op) = bench.measure(command, target)?;
                eprintln!(
                    "round {round}/{rounds}: cargo {command} {}: {} ({}), no-op {}",
                    target.label,
                    duration(compile.wall),
                    memory(compile.max_rss_kib),
                    duration(no_op.wall),
                );
                row.compile.push(compile);
                row.no_op.push(no_op);
            }
        }
    }
    Ok(())
}
