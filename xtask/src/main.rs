//! `cargo xtask`: the project's tasks. Thin: parses flags and calls the generator.
//!
//! ```text
//! cargo xtask codegen [--check] [--config <path>] [--spec-root <path>]
//! cargo xtask bench-compile [--runs <n>] ...
//! ```
//!
//! Exit codes: 0 success, 1 spec errors (or stale output with `--check`), 2 usage errors
//! (bad flags, missing or invalid config, no spec root).
//!
//! The repository is the checkout the command runs in (found from the current folder at run
//! time), never the one xtask was compiled in: two checkouts sharing a `CARGO_TARGET_DIR`
//! each read their own specs and write their own `generated/`.

mod bench_compile;
mod workspace;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use azure_arm_codegen::config::{Config, SpecRootChoice, SpecRootSource};
use azure_arm_codegen::{Generated, generate, output};
use clap::{Parser, Subcommand};

const SUCCESS: u8 = 0;
const SPEC_ERRORS: u8 = 1;
const USAGE_ERRORS: u8 = 2;

/// The project's tasks.
#[derive(Debug, Parser)]
// A missing task is an error (exit 2), not a help page.
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    arg_required_else_help = false
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Regenerate the generated crate from the codegen config.
    Codegen(CodegenArgs),
    /// Measure the generated crate's compile cost and the generator's run time (see
    /// BENCHMARKS.md; `cargo xtask bench-compile --help`).
    #[command(disable_help_flag = true)]
    BenchCompile {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[derive(Debug, clap::Args)]
struct CodegenArgs {
    /// Write nothing; fail naming each stale file (and each changed spec file of the lock)
    /// when the output is not what the generator would write.
    #[arg(long)]
    check: bool,
    /// The codegen config [default: specs/codegen.yaml of the checkout the command runs in].
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// An azure-rest-api-specs checkout, for configs that name their inputs by their path
    /// inside it [default: $AZURE_REST_API_SPECS, else ../azure-rest-api-specs or
    /// ../shared/azure-rest-api-specs beside the repository].
    #[arg(long, value_name = "PATH")]
    spec_root: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version exit 0 and print to stdout; usage errors exit 2.
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                USAGE_ERRORS
            } else {
                SUCCESS
            });
        }
    };
    match cli.task {
        Task::Codegen(args) => ExitCode::from(codegen(&args)),
        Task::BenchCompile { args } => bench_compile::main(args.into_iter()),
    }
}

fn codegen(args: &CodegenArgs) -> u8 {
    let started = Instant::now();
    let repository = workspace::root();
    let config_path = match (&args.config, &repository) {
        (Some(config), _) => config.clone(),
        (None, Some(root)) => workspace::relative_to_current(&root.join("specs/codegen.yaml")),
        (None, None) => {
            eprintln!(
                "error: not inside a checkout of this repository, and no --config given\n  run the command inside the repository, or pass --config <path>"
            );
            return USAGE_ERRORS;
        }
    };
    let mut choice = SpecRootChoice::from_environment(repository.as_deref());
    choice.flag = args.spec_root.clone();
    let config = match Config::load_with(&config_path, &choice) {
        Ok(config) => config,
        Err(diagnostic) => {
            eprintln!("{diagnostic}");
            return USAGE_ERRORS;
        }
    };
    if args.spec_root.is_some() && config.spec_root_source == SpecRootSource::Config {
        eprintln!(
            "warning: {} names its own `spec_root`; --spec-root is ignored",
            config.path.display()
        );
    }
    let generated = match generate(&config) {
        Ok(generated) => generated,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!("nothing was written");
            return SPEC_ERRORS;
        }
    };
    if !generated.warnings.is_empty() {
        eprintln!("{}", generated.warnings);
    }
    let versions: Vec<&str> = generated.apis.iter().map(|a| a.version.as_str()).collect();
    let summary = format!(
        "api-versions {} | {} operations | {} types | {} files",
        versions.join(", "),
        generated.operation_count(),
        generated.type_count(),
        generated.files.files.len(),
    );
    if args.check {
        return check(&config, &generated, &summary, started);
    }
    match generated.files.write(&config.output) {
        Ok(report) => {
            for path in &report.written {
                println!("  wrote {}", path.display());
            }
            for path in &report.removed {
                println!("  removed {}", path.display());
            }
            if let Some(lock) = &config.lock {
                match generated.lock.write(lock) {
                    Ok(true) => println!("  wrote {}", lock.display()),
                    Ok(false) => {}
                    Err(err) => {
                        eprintln!("error: cannot write {}: {err}", lock.display());
                        return SPEC_ERRORS;
                    }
                }
            }
            println!(
                "{summary} | {} written, {} unchanged, {} removed | {:.0?}",
                report.written.len(),
                report.unchanged,
                report.removed.len(),
                started.elapsed()
            );
            SUCCESS
        }
        Err(err) => {
            eprintln!("error: cannot write {}: {err}", config.output.display());
            SPEC_ERRORS
        }
    }
}

/// `--check`: the lock first (a changed upstream file is the cause), then the output.
fn check(config: &Config, generated: &Generated, summary: &str, started: Instant) -> u8 {
    let mut result = SUCCESS;
    if let Some(lock) = &config.lock {
        match generated.lock.check(lock) {
            Ok(changes) if changes.is_empty() => {}
            Ok(changes) => {
                let listed: Vec<String> = changes.iter().map(|c| format!("  {c}")).collect();
                eprintln!(
                    "error: the spec files differ from {} (spec root {}):\n{}\nreview the upstream change, then run `cargo xtask codegen` and commit the result",
                    lock.display(),
                    config.spec_root.display(),
                    listed.join("\n")
                );
                result = SPEC_ERRORS;
            }
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", lock.display());
                result = SPEC_ERRORS;
            }
        }
    }
    match generated.files.check(&config.output) {
        Ok(stale) if stale.is_empty() => {}
        Ok(stale) => {
            eprintln!(
                "error: {} is stale: {} file(s) differ from what the generator writes\n{}\nrun `cargo xtask codegen` and commit the result",
                config.output.display(),
                stale.len(),
                output::describe(&stale)
            );
            result = SPEC_ERRORS;
        }
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", config.output.display());
            result = SPEC_ERRORS;
        }
    }
    if result == SUCCESS {
        println!("{summary} | up to date | {:.0?}", started.elapsed());
    }
    result
}
