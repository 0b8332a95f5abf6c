//! `cargo xtask`: the project's tasks. Thin: parses flags and calls the generator.
//!
//! ```text
//! cargo xtask codegen [--check] [--config <path>]
//! cargo xtask bench-compile [--runs <n>] ...
//! ```
//!
//! Exit codes: 0 success, 1 spec errors (or stale output with `--check`), 2 usage errors
//! (bad flags, missing or invalid config).

mod bench_compile;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use azure_arm_codegen::config::Config;
use azure_arm_codegen::{generate, output};

const USAGE: &str = "usage: cargo xtask codegen [--check] [--config <path>]

  codegen            regenerate the generated crate from specs/codegen.yaml
    --check          write nothing; fail naming each stale file when the output is not
                     what the generator would write
    --config <path>  another codegen config (default: specs/codegen.yaml)

  bench-compile      measure the generated crate's compile cost and the generator's run
                     time (see BENCHMARKS.md; `cargo xtask bench-compile --help`)";

const SUCCESS: u8 = 0;
const SPEC_ERRORS: u8 = 1;
const USAGE_ERRORS: u8 = 2;

struct Args {
    check: bool,
    config: PathBuf,
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("codegen") => {}
        Some("bench-compile") => return bench_compile::main(args, repository_root()),
        Some("-h") | Some("--help") => {
            println!("{USAGE}");
            return ExitCode::from(SUCCESS);
        }
        Some(other) => return usage_error(&format!("unknown task `{other}`")),
        None => return usage_error("no task given"),
    }
    let args = match parse_codegen_args(args) {
        Ok(args) => args,
        Err(message) => return usage_error(&message),
    };
    ExitCode::from(codegen(&args))
}

fn parse_codegen_args(args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        check: false,
        config: default_config(),
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--config" => parsed.config = args.next().ok_or("--config needs a path")?.into(),
            other => return Err(format!("unknown flag `{other}`")),
        }
    }
    Ok(parsed)
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(USAGE_ERRORS)
}

/// `specs/codegen.yaml`, relative to the current folder when it is inside the repository,
/// so diagnostics name files the way the user would type them.
fn default_config() -> PathBuf {
    let config = repository_root().join("specs").join("codegen.yaml");
    std::env::current_dir()
        .ok()
        .and_then(|cwd| relative_to(&config, &cwd))
        .unwrap_or(config)
}

/// `path` relative to `base` (`../` steps included), when both are absolute.
fn relative_to(path: &Path, base: &Path) -> Option<PathBuf> {
    let common = path
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return None;
    }
    let mut relative = PathBuf::new();
    for _ in base.components().skip(common) {
        relative.push("..");
    }
    relative.extend(path.components().skip(common));
    Some(relative)
}

/// The repository root: xtask lives one folder below it.
fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

fn codegen(args: &Args) -> u8 {
    let started = Instant::now();
    let config = match Config::load(&args.config) {
        Ok(config) => config,
        Err(diagnostic) => {
            eprintln!("{diagnostic}");
            return USAGE_ERRORS;
        }
    };
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
        return match generated.files.check(&config.output) {
            Ok(stale) if stale.is_empty() => {
                println!("{summary} | up to date | {:.0?}", started.elapsed());
                SUCCESS
            }
            Ok(stale) => {
                eprintln!(
                    "error: {} is stale: {} file(s) differ from what the generator writes\n{}\nrun `cargo xtask codegen` and commit the result",
                    config.output.display(),
                    stale.len(),
                    output::describe(&stale)
                );
                SPEC_ERRORS
            }
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", config.output.display());
                SPEC_ERRORS
            }
        };
    }
    match generated.files.write(&config.output) {
        Ok(report) => {
            for path in &report.written {
                println!("  wrote {}", path.display());
            }
            for path in &report.removed {
                println!("  removed {}", path.display());
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
