//! `cargo xtask`: the project's tasks. Thin: parses flags and calls the generator.
//!
//! ```text
//! cargo xtask codegen [--check] [--config <path>] [--spec-root <path>]
//!                     [--message-format human|json] [--deny-warnings]
//! cargo xtask bench-compile [--runs <n>] ...
//! ```
//!
//! Exit codes: 0 success, 1 spec errors, denied warnings or stale output with `--check`,
//! 2 usage errors (bad flags, missing or invalid config, no spec root), 3 I/O errors (the
//! output or the lock cannot be read or written).
//!
//! The repository is the checkout the command runs in (found from the current folder at run
//! time), never the one xtask was compiled in: two checkouts sharing a `CARGO_TARGET_DIR`
//! each read their own specs and write their own `generated/`.

mod bench_compile;
mod report;
mod workspace;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use azure_arm_codegen::config::{Config, SpecRootChoice, SpecRootSource};
use azure_arm_codegen::{Generated, generate, output};
use clap::{Parser, Subcommand};
use report::{FAILED, IO_ERRORS, MessageFormat, Reporter, SUCCESS, USAGE_ERRORS};

/// The generator allocates and frees millions of small blocks (tokens, syntax trees, JSON
/// values); with mimalloc a `codegen --check` runs ≈ 20% fewer instructions than with the
/// system allocator (BENCHMARKS.md). A binary's choice: the generator library leaves it to
/// whoever links it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// `json`: one JSON object per diagnostic on stdout (severity, file, pointer, line,
    /// column, subject, message, help), for CI annotations; other messages go to stderr.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// Fail (exit 1, writing nothing) when the specs have warnings.
    #[arg(long)]
    deny_warnings: bool,
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
        Task::BenchCompile { args } => match workspace::root() {
            Some(root) => bench_compile::main(args.into_iter(), root),
            None => {
                eprintln!("error: run `cargo xtask bench-compile` inside the repository");
                ExitCode::from(USAGE_ERRORS)
            }
        },
    }
}

fn codegen(args: &CodegenArgs) -> u8 {
    let started = Instant::now();
    let report = Reporter {
        format: args.message_format,
    };
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
            report.diagnostics(&diagnostic);
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
            report.diagnostics(&diagnostics);
            eprintln!("nothing was written");
            return FAILED;
        }
    };
    report.diagnostics(&generated.warnings);
    if args.deny_warnings && !generated.warnings.is_empty() {
        eprintln!(
            "error: {} warning(s) denied by --deny-warnings; nothing was written",
            generated.warnings.warning_count()
        );
        return FAILED;
    }
    let run = Run {
        report: &report,
        config: &config,
        generated: &generated,
        summary: &summary(&generated),
        started,
    };
    if args.check { check(&run) } else { write(&run) }
}

/// A run that generated: what `write` and `check` work from.
#[derive(Clone, Copy)]
struct Run<'a> {
    report: &'a Reporter,
    config: &'a Config,
    generated: &'a Generated,
    summary: &'a str,
    started: Instant,
}

/// What a run produced, in one line.
fn summary(generated: &Generated) -> String {
    let versions: Vec<&str> = generated.apis.iter().map(|a| a.version.as_str()).collect();
    let replayed: usize = generated.apis.iter().map(|a| a.examples.len()).sum();
    let skipped: usize = generated.apis.iter().map(|a| a.skipped_examples).sum();
    format!(
        "api-versions {} | {} operations | {} types | {} files | {replayed} examples replayed, {skipped} not replayed",
        versions.join(", "),
        generated.operation_count(),
        generated.type_count(),
        generated.files.files.len(),
    )
}

/// An I/O failure: a message on stderr (and a JSON object), exit 3.
fn io_failure(report: &Reporter, what: &str, path: &Path, err: &std::io::Error) -> u8 {
    eprintln!("error: cannot {what} {}: {err}", path.display());
    report.failure(
        path,
        None,
        &format!("cannot {what} it: {err}"),
        "check the path and its permissions",
    );
    IO_ERRORS
}

fn write(run: &Run<'_>) -> u8 {
    let (report, config, generated) = (run.report, run.config, run.generated);
    let written = match generated.files.write(&config.output) {
        Ok(written) => written,
        Err(err) => return io_failure(report, "write", &config.output, &err),
    };
    for path in &written.written {
        report.info(&format!("  wrote {}", path.display()));
    }
    for path in &written.removed {
        report.info(&format!("  removed {}", path.display()));
    }
    if let Some(lock) = &config.lock {
        match generated.lock.write(lock) {
            Ok(true) => report.info(&format!("  wrote {}", lock.display())),
            Ok(false) => {}
            Err(err) => return io_failure(report, "write", lock, &err),
        }
    }
    report.info(&format!(
        "{} | {} written, {} unchanged, {} removed | {:.0?}",
        run.summary,
        written.written.len(),
        written.unchanged,
        written.removed.len(),
        run.started.elapsed()
    ));
    SUCCESS
}

const REGENERATE: &str = "run `cargo xtask codegen` and commit the result";

/// `--check`: the lock first (a changed upstream file is the cause), then the output.
fn check(run: &Run<'_>) -> u8 {
    let (report, config, generated) = (run.report, run.config, run.generated);
    let mut result = SUCCESS;
    if let Some(lock) = &config.lock {
        match generated.lock.check(lock) {
            Ok(changes) if changes.is_empty() => {}
            Ok(changes) => {
                let listed: Vec<String> = changes.iter().map(|c| format!("  {c}")).collect();
                eprintln!(
                    "error: the spec files differ from {} (spec root {}):\n{}\nreview the upstream change, then {REGENERATE}",
                    lock.display(),
                    config.spec_root.display(),
                    listed.join("\n")
                );
                for change in &changes {
                    let help = format!("review the upstream change, then {REGENERATE}");
                    report.failure(lock, None, &change.to_string(), &help);
                }
                result = FAILED;
            }
            Err(err) => result = result.max(io_failure(report, "read", lock, &err)),
        }
    }
    match generated.files.check(&config.output) {
        Ok(stale) if stale.is_empty() => {}
        Ok(stale) => {
            eprintln!(
                "error: {} is stale: {} file(s) differ from what the generator writes\n{}\n{REGENERATE}",
                config.output.display(),
                stale.len(),
                output::describe(&stale)
            );
            for item in &stale {
                let (path, line, message) = match item {
                    output::Stale::Missing(path) => (path, None, "missing"),
                    output::Stale::Changed { path, line, .. } => {
                        (path, Some(*line), "differs from what the generator writes")
                    }
                    output::Stale::Extra(path) => (path, None, "no longer generated"),
                };
                report.failure(&config.output.join(path), line, message, REGENERATE);
            }
            result = result.max(FAILED);
        }
        Err(err) => result = result.max(io_failure(report, "read", &config.output, &err)),
    }
    if result == SUCCESS {
        report.info(&format!(
            "{} | up to date | {:.0?}",
            run.summary,
            run.started.elapsed()
        ));
    }
    result
}
