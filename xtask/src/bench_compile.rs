//! `cargo xtask bench-compile`: what the generated crate costs to compile, and what the
//! generator costs to run, as medians of several runs. BENCHMARKS.md explains the method and
//! quotes the figures.
//!
//! For the generated crate alone (its dependencies already built), for each api-version
//! feature alone, for all of them together and for none (the crate's fixed cost):
//!
//! - `cargo check` and `cargo build` (dev profile) wall time and peak memory. Each run first
//!   removes the crate's own artifacts (`cargo clean -p`), so exactly one crate is compiled,
//!   from scratch, as a downstream user's clean build compiles it; the run is rejected if
//!   cargo compiled anything else. Runs are interleaved (round after round over every
//!   command and feature set) so that load from other processes spreads over all rows.
//! - cargo's own no-op time for the same command, so that the crate's share of
//!   the wall time can be told from cargo's.
//!
//! Builds go to their own target folder (`target/bench-compile`) with incremental
//! compilation off (`CARGO_INCREMENTAL=0`): a dependency is never built incrementally.
//! Peak memory is GNU time's `%M`: the largest resident set of cargo and of every process it
//! waited for, i.e. of rustc compiling the crate unless cargo itself was larger.
//!
//! Also reported: non-blank lines of generated code per api-version and per operation, the
//! wall time of `xtask codegen --check` as a whole process (this binary, debug or release as
//! it was built), and the same compile figures for synthetic crates of 1 and `--scale` copies
//! of the default api-version's document ([`scale`]): the per-operation slope.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use azure_arm_codegen::config::{Config, SpecRootChoice};

mod scale;

const USAGE: &str =
    "usage: cargo xtask bench-compile [--runs <n>] [--codegen-runs <n>] [--scale <n>] [--no-build]

  bench-compile        measure the generated crate's compile time and memory, and the
                       generator's run time; prints Markdown tables (BENCHMARKS.md)
    --runs <n>         timed runs per command and feature set (default 5)
    --codegen-runs <n> timed runs of `xtask codegen --check` (default 20)
    --scale <n>        also compile synthetic crates of 1 and <n> copies of the default
                       api-version's operations and types (default 10; 1: no scaling)
    --no-build         measure `cargo check` only, not `cargo build`";

const USAGE_ERRORS: u8 = 2;
const FAILED: u8 = 1;

/// The old Azure Rust generator, per operation (BENCHMARKS.md says where from).
const OLD_LINES_PER_OPERATION: f64 = 194.0;
const OLD_CHECK_MS_PER_OPERATION: f64 = 49.0;

/// GNU time, which reports the peak resident set size with `-f %M`.
const GNU_TIME: &str = "/usr/bin/time";

struct Args {
    runs: usize,
    codegen_runs: usize,
    scale: usize,
    build: bool,
}

/// Runs the task with the arguments after `bench-compile`.
pub fn main(args: impl Iterator<Item = String>) -> ExitCode {
    let args = match parse_args(args) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(USAGE_ERRORS);
        }
    };
    match run(&args) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(FAILED)
        }
    }
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        runs: 5,
        codegen_runs: 20,
        scale: 10,
        build: true,
    };
    let mut args = args.peekable();
    let count = |flag: &str, value: Option<String>| -> Result<usize, String> {
        match value.as_deref().map(str::parse::<usize>) {
            Some(Ok(n)) if n > 0 => Ok(n),
            _ => Err(format!("{flag} needs a positive whole number")),
        }
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => parsed.runs = count("--runs", args.next())?,
            "--codegen-runs" => parsed.codegen_runs = count("--codegen-runs", args.next())?,
            "--scale" => parsed.scale = count("--scale", args.next())?,
            "--no-build" => parsed.build = false,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown flag `{other}`")),
        }
    }
    Ok(Some(parsed))
}

/// One api-version as the benchmark sees it.
struct Version {
    version: String,
    module: String,
    operations: Option<usize>,
    files: usize,
    lines: usize,
}

/// A crate and feature set to compile.
struct Target {
    /// As the table shows it.
    label: String,
    manifest: PathBuf,
    package: String,
    /// For `--features`; empty for none.
    features: String,
    operations: Option<usize>,
}

#[derive(Clone, Copy, Default)]
struct Sample {
    wall: Duration,
    /// KiB, when GNU time is available.
    max_rss_kib: Option<u64>,
}

/// The samples of one command and feature set.
#[derive(Default)]
struct Row {
    compile: Vec<Sample>,
    no_op: Vec<Sample>,
}

fn run(args: &Args) -> Result<String, String> {
    let root = repository_root();
    let config_path = root.join("specs").join("codegen.yaml");
    let choice = SpecRootChoice::from_environment(Some(&root));
    let config = Config::load_with(&config_path, &choice).map_err(|d| d.to_string())?;
    let crate_dir = root.join(&config.output);
    let crate_dir = crate_dir.canonicalize().unwrap_or(crate_dir);
    let mut report = String::new();

    let load_before = load_average();
    let versions = versions(&config, &crate_dir, &mut report)?;
    let mut targets = feature_sets(&crate_dir.join("Cargo.toml"), &config, &versions);
    let real_targets = targets.len();
    let target_dir = root.join("target").join("bench-compile");
    let scaled = if args.scale > 1 {
        scale::prepare(&root, &config, &target_dir.join("scale"), args.scale)?
    } else {
        Vec::new()
    };
    for scaled in &scaled {
        targets.push(Target {
            label: format!("×{}", scaled.copies),
            manifest: scaled.manifest.clone(),
            package: scaled.package.clone(),
            features: scaled.feature.clone(),
            operations: Some(scaled.operations),
        });
    }
    let gnu_time = gnu_time_available();
    if !gnu_time {
        eprintln!(
            "note: GNU time ({GNU_TIME}) not found: peak memory is not measured; install it with `apt-get install time`"
        );
    }

    let codegen = measure_codegen(&config_path, args.codegen_runs)?;

    let bench = CargoBench {
        cargo: std::env::var_os("CARGO").map_or_else(|| "cargo".into(), PathBuf::from),
        root: root.clone(),
        target_dir,
        gnu_time,
    };
    let commands: &[&str] = if args.build {
        &["check", "build"]
    } else {
        &["check"]
    };
    // Dependencies first, for every command and target; not measured.
    for command in commands {
        for target in &targets {
            eprintln!("warming up: cargo {command} {}", target.label);
            bench
                .cargo_command(command, target)
                .map_err(|e| format!("warm-up: {e}"))?;
        }
    }
    let mut rows: Vec<Vec<Row>> = commands
        .iter()
        .map(|_| targets.iter().map(|_| Row::default()).collect())
        .collect();
    for round in 1..=args.runs {
        for (c, command) in commands.iter().enumerate() {
            for (t, target) in targets.iter().enumerate() {
                let (compile, no_op) = bench.measure(command, target)?;
                eprintln!(
                    "run {round}/{}: cargo {command} {}: {} ({}), no-op {}",
                    args.runs,
                    target.label,
                    duration(compile.wall),
                    memory(compile.max_rss_kib),
                    duration(no_op.wall),
                );
                rows[c][t].compile.push(compile);
                rows[c][t].no_op.push(no_op);
            }
        }
    }
    let load_after = load_average();

    let real_rows: Vec<&[Row]> = rows.iter().map(|r| &r[..real_targets]).collect();
    write_compile_table(
        &mut report,
        &config,
        commands,
        &targets[..real_targets],
        &real_rows,
        args.runs,
    );
    write_lines_table(&mut report, &versions);
    if !scaled.is_empty() {
        let scaled_rows: Vec<&[Row]> = rows.iter().map(|r| &r[real_targets..]).collect();
        write_scale_table(&mut report, commands, &scaled, &scaled_rows, args.runs);
    }
    write_codegen_table(&mut report, &codegen);
    write_machine(&mut report, &load_before, &load_after);
    Ok(report)
}

/// Operation counts from the generator, line counts from the generated crate on disk (what
/// cargo compiles). Warns when the two disagree (the crate is stale).
fn versions(
    config: &Config,
    crate_dir: &Path,
    report: &mut String,
) -> Result<Vec<Version>, String> {
    let generated = match azure_arm_codegen::generate(config) {
        Ok(generated) => {
            match generated.files.check(&config.output) {
                Ok(stale) if stale.is_empty() => {}
                Ok(stale) => {
                    let note = format!(
                        "warning: {} is stale ({} file(s) differ from what the generator writes): the figures are for the crate on disk\n\n",
                        config.output.display(),
                        stale.len()
                    );
                    eprint!("{note}");
                    report.push_str(&note);
                }
                Err(err) => return Err(format!("cannot read {}: {err}", crate_dir.display())),
            }
            Some(generated)
        }
        Err(diagnostics) => {
            eprintln!("{diagnostics}\nwarning: the generator failed: operation counts unknown");
            None
        }
    };
    let mut versions = Vec::new();
    for version in &config.api_versions {
        let operations = generated.as_ref().map(|generated| {
            generated
                .apis
                .iter()
                .filter(|api| api.module == version.module)
                .flat_map(|api| &api.groups)
                .map(|group| group.operations.len())
                .sum()
        });
        let folder = crate_dir.join("src").join(&version.module);
        let (files, lines) = count_lines(&folder)
            .map_err(|err| format!("cannot read {}: {err}", folder.display()))?;
        versions.push(Version {
            version: version.version.clone(),
            module: version.module.clone(),
            operations,
            files,
            lines,
        });
    }
    Ok(versions)
}

/// `.rs` files and their non-blank lines under `folder`.
fn count_lines(folder: &Path) -> std::io::Result<(usize, usize)> {
    let (mut files, mut lines) = (0, 0);
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files += 1;
                let text = std::fs::read_to_string(&path)?;
                lines += text.lines().filter(|l| !l.trim().is_empty()).count();
            }
        }
    }
    Ok((files, lines))
}

/// No api-version (the crate's fixed cost), each alone, then all together.
fn feature_sets(manifest: &Path, config: &Config, versions: &[Version]) -> Vec<Target> {
    let target = |label: &str, features: String, operations| Target {
        label: label.to_string(),
        manifest: manifest.to_path_buf(),
        package: config.crate_name.clone(),
        features,
        operations,
    };
    let mut targets = vec![target("(none)", String::new(), Some(0))];
    for version in versions {
        targets.push(target(
            &version.module,
            version.module.clone(),
            version.operations,
        ));
    }
    if versions.len() > 1 {
        let all: Vec<&str> = versions.iter().map(|v| v.module.as_str()).collect();
        let operations = versions.iter().map(|v| v.operations).sum();
        targets.push(target("all", all.join(","), operations));
    }
    targets
}

fn gnu_time_available() -> bool {
    Command::new(GNU_TIME)
        .arg("--version")
        .output()
        .is_ok_and(|out| {
            String::from_utf8_lossy(&out.stdout).contains("GNU")
                || String::from_utf8_lossy(&out.stderr).contains("GNU")
        })
}

struct CargoBench {
    cargo: PathBuf,
    root: PathBuf,
    target_dir: PathBuf,
    gnu_time: bool,
}

impl CargoBench {
    /// `cargo <command> -p <package> --no-default-features [--features ...]`, to be wrapped.
    fn args(&self, command: &str, target: &Target) -> Vec<String> {
        let mut args = vec![
            command.to_string(),
            "--manifest-path".into(),
            target.manifest.display().to_string(),
            "--package".into(),
            target.package.clone(),
            "--no-default-features".into(),
            "--color".into(),
            "never".into(),
        ];
        if !target.features.is_empty() {
            args.push("--features".into());
            args.push(target.features.clone());
        }
        args
    }

    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TERM_COLOR", "never")
            .stdin(Stdio::null());
        command
    }

    /// Runs cargo unmeasured; returns its stderr.
    fn cargo_command(&self, command: &str, target: &Target) -> Result<String, String> {
        let mut cargo = self.command(&self.cargo);
        cargo.args(self.args(command, target));
        output(&mut cargo)
    }

    fn clean(&self, target: &Target) -> Result<(), String> {
        let mut cargo = self.command(&self.cargo);
        cargo
            .arg("clean")
            .arg("--manifest-path")
            .arg(&target.manifest)
            .args(["--package", &target.package]);
        output(&mut cargo).map(drop)
    }

    /// One run: clean the crate, compile it (measured), then the same command again with
    /// nothing to do (measured: cargo's own cost).
    fn measure(&self, command: &str, target: &Target) -> Result<(Sample, Sample), String> {
        self.clean(target)?;
        let (compile, stderr) = self.timed(command, target)?;
        let compiled = compiled_crates(&stderr);
        if compiled != [target.package.as_str()] {
            return Err(format!(
                "cargo {command} {} compiled {compiled:?}, not just {}: the measurement would not be of the crate alone\n{stderr}",
                target.label, target.package
            ));
        }
        let (no_op, stderr) = self.timed(command, target)?;
        let compiled = compiled_crates(&stderr);
        if !compiled.is_empty() {
            return Err(format!(
                "cargo {command} {} compiled {compiled:?} on a second run with nothing changed\n{stderr}",
                target.label
            ));
        }
        Ok((compile, no_op))
    }

    fn timed(&self, command: &str, target: &Target) -> Result<(Sample, String), String> {
        let rss_file = self.target_dir.join("max-rss-kib.txt");
        let mut process = if self.gnu_time {
            std::fs::create_dir_all(&self.target_dir)
                .map_err(|err| format!("cannot create {}: {err}", self.target_dir.display()))?;
            let mut process = self.command(Path::new(GNU_TIME));
            process
                .args(["-f", "%M", "-o"])
                .arg(&rss_file)
                .arg(&self.cargo);
            process
        } else {
            self.command(&self.cargo)
        };
        process.args(self.args(command, target));
        let started = Instant::now();
        let stderr = output(&mut process)?;
        let wall = started.elapsed();
        let max_rss_kib =
            if self.gnu_time {
                let text = std::fs::read_to_string(&rss_file)
                    .map_err(|err| format!("cannot read {}: {err}", rss_file.display()))?;
                Some(text.trim().parse::<u64>().map_err(|err| {
                    format!("GNU time wrote `{}`, not a number: {err}", text.trim())
                })?)
            } else {
                None
            };
        Ok((Sample { wall, max_rss_kib }, stderr))
    }
}

/// Runs a process to completion; its stderr on success, a message with it on failure.
fn output(command: &mut Command) -> Result<String, String> {
    let out = command
        .output()
        .map_err(|err| format!("cannot run {:?}: {err}", command.get_program()))?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() {
        Ok(stderr)
    } else {
        Err(format!("{command:?} failed ({}):\n{stderr}", out.status))
    }
}

/// The crates cargo reports compiling (`Compiling x v0.1.0`, `Checking x v0.1.0`).
fn compiled_crates(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            match words.next() {
                Some("Compiling" | "Checking") => words.next(),
                _ => None,
            }
        })
        .collect()
}

struct CodegenTiming {
    program: String,
    samples: Vec<Duration>,
}

/// `<this binary> codegen --check`, as a whole process.
fn measure_codegen(config_path: &Path, runs: usize) -> Result<CodegenTiming, String> {
    let exe = std::env::current_exe().map_err(|err| format!("cannot find this binary: {err}"))?;
    let root = repository_root();
    let program = exe
        .strip_prefix(&root)
        .unwrap_or(&exe)
        .display()
        .to_string();
    let mut samples = Vec::with_capacity(runs);
    // One unmeasured run first: the page cache, not the generator, would dominate it.
    for run in 0..=runs {
        let mut command = Command::new(&exe);
        command
            .args(["codegen", "--check", "--config"])
            .arg(config_path)
            .current_dir(&root)
            .stdin(Stdio::null());
        let started = Instant::now();
        let out = command
            .output()
            .map_err(|err| format!("cannot run {}: {err}", exe.display()))?;
        let elapsed = started.elapsed();
        // 1 is also "stale output": the generator still did all its work.
        match out.status.code() {
            Some(0) => {}
            Some(1) if run == 0 => eprintln!(
                "warning: `codegen --check` failed; timing it all the same:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ),
            Some(1) => {}
            _ => {
                return Err(format!(
                    "`{program} codegen --check` failed ({}):\n{}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        if run > 0 {
            samples.push(elapsed);
        }
    }
    eprintln!(
        "{program} codegen --check: median {} of {runs} runs",
        duration(median(&samples))
    );
    Ok(CodegenTiming { program, samples })
}

fn write_compile_table(
    report: &mut String,
    config: &Config,
    commands: &[&str],
    sets: &[Target],
    rows: &[&[Row]],
    runs: usize,
) {
    let _ = writeln!(
        report,
        "### `{}` alone: {runs} runs each, median (min–max)\n\n\
         Dev profile, `CARGO_INCREMENTAL=0`, target folder `target/bench-compile`, dependencies \
         already built. \"no-op\" is the same command with nothing to compile: cargo's own \
         share. \"per operation\" divides the wall time by the feature set's operations; \
         \"marginal\" first subtracts the crate with no api-version.\n",
        config.crate_name
    );
    let _ = writeln!(
        report,
        "| command | features | operations | wall | peak memory | no-op | per operation | marginal per operation |"
    );
    let _ = writeln!(report, "|---|---|---:|---|---:|---:|---:|---:|");
    for (c, command) in commands.iter().enumerate() {
        let baseline = median(&walls(&rows[c][0].compile));
        for (s, set) in sets.iter().enumerate() {
            let row = &rows[c][s];
            let wall = walls(&row.compile);
            let median_wall = median(&wall);
            let (per_operation, marginal) = match set.operations {
                Some(n) if n > 0 => (
                    format!("{:.0} ms", median_wall.as_secs_f64() * 1000.0 / n as f64),
                    format!(
                        "{:.0} ms",
                        median_wall.saturating_sub(baseline).as_secs_f64() * 1000.0 / n as f64
                    ),
                ),
                Some(_) => ("–".into(), "–".into()),
                None => ("?".into(), "?".into()),
            };
            let _ = writeln!(
                report,
                "| `cargo {command}` | {} | {} | {} ({}–{}) | {} | {} | {per_operation} | {marginal} |",
                set.label,
                set.operations.map_or("?".into(), |n| n.to_string()),
                duration(median_wall),
                duration(wall.iter().copied().min().unwrap_or_default()),
                duration(wall.iter().copied().max().unwrap_or_default()),
                memory(median_rss(&row.compile)),
                duration(median(&walls(&row.no_op))),
            );
        }
    }
    let check = &rows[0];
    let per_operation: Vec<String> = sets
        .iter()
        .zip(check.iter())
        .filter_map(|(set, row)| {
            let n = set.operations.filter(|&n| n > 0)?;
            let ms = median(&walls(&row.compile)).as_secs_f64() * 1000.0 / n as f64;
            Some(format!(
                "{} {:.0} ms ({})",
                set.label,
                ms,
                against_old(ms, OLD_CHECK_MS_PER_OPERATION, "cheaper", "dearer")
            ))
        })
        .collect();
    let _ = writeln!(
        report,
        "\n`cargo check` per operation against the old generator's ≈ {OLD_CHECK_MS_PER_OPERATION:.0} ms: {}.\n",
        per_operation.join("; ")
    );
}

fn write_lines_table(report: &mut String, versions: &[Version]) {
    let _ = writeln!(
        report,
        "### Generated code: non-blank lines of `src/<module>/`\n\n\
         | api-version | module | files | lines | operations | lines per operation | old generator |\n\
         |---|---|---:|---:|---:|---:|---:|"
    );
    for v in versions {
        let per_operation = match v.operations {
            Some(n) if n > 0 => {
                let per = v.lines as f64 / n as f64;
                format!(
                    "{per:.0} | {OLD_LINES_PER_OPERATION:.0} (ours {})",
                    against_old(per, OLD_LINES_PER_OPERATION, "fewer", "more")
                )
            }
            _ => "? | ?".into(),
        };
        let _ = writeln!(
            report,
            "| {} | `{}` | {} | {} | {} | {per_operation} |",
            v.version,
            v.module,
            v.files,
            v.lines,
            v.operations.map_or("?".into(), |n| n.to_string()),
        );
    }
    report.push('\n');
}

fn write_scale_table(
    report: &mut String,
    commands: &[&str],
    scaled: &[scale::ScaledCrate],
    rows: &[&[Row]],
    runs: usize,
) {
    let _ = writeln!(
        report,
        "### Synthetic crates: the default api-version's document copied n times; {runs} runs each, median (min–max)\n\n\
         Every operation and schema copied and renamed; generated by the real generator and \
         compiled like the real crate. `generate` is in-process, this binary's profile.\n"
    );
    let mut header =
        "| copies | operations | types | files | lines | lines per operation | generate |"
            .to_string();
    let mut rule = "|---:|---:|---:|---:|---:|---:|---:|".to_string();
    for command in commands {
        header.push_str(&format!(" `cargo {command}` | peak memory |"));
        rule.push_str("---|---:|");
    }
    let _ = writeln!(report, "{header}\n{rule}");
    for (i, crate_) in scaled.iter().enumerate() {
        let mut line = format!(
            "| {} | {} | {} | {} | {} | {:.0} | {} |",
            crate_.copies,
            crate_.operations,
            crate_.types,
            crate_.files,
            crate_.lines,
            crate_.lines as f64 / crate_.operations.max(1) as f64,
            duration(crate_.generate),
        );
        for row in rows {
            let wall = walls(&row[i].compile);
            line.push_str(&format!(
                " {} ({}–{}) | {} |",
                duration(median(&wall)),
                duration(wall.iter().copied().min().unwrap_or_default()),
                duration(wall.iter().copied().max().unwrap_or_default()),
                memory(median_rss(&row[i].compile)),
            ));
        }
        let _ = writeln!(report, "{line}");
    }
    // The slope from the smallest to the largest crate: one more operation with its types.
    if let (Some(first), Some(last)) = (scaled.first(), scaled.last())
        && last.operations > first.operations
    {
        let (f, l) = (0, scaled.len() - 1);
        let added = (last.operations - first.operations) as f64;
        let lines = (last.lines as f64 - first.lines as f64) / added;
        let mut parts = vec![format!(
            "{lines:.0} lines (old generator ≈ {OLD_LINES_PER_OPERATION:.0}: ours {})",
            against_old(lines, OLD_LINES_PER_OPERATION, "fewer", "more")
        )];
        for (command, row) in commands.iter().zip(rows) {
            let ms = (median(&walls(&row[l].compile)).as_secs_f64()
                - median(&walls(&row[f].compile)).as_secs_f64())
                * 1000.0
                / added;
            let mut part = format!("{ms:.1} ms of `cargo {command}`");
            if *command == "check" {
                part.push_str(&format!(
                    " (old generator ≈ {OLD_CHECK_MS_PER_OPERATION:.0} ms: ours {})",
                    against_old(ms, OLD_CHECK_MS_PER_OPERATION, "cheaper", "dearer")
                ));
            }
            if let (Some(a), Some(b)) = (median_rss(&row[f].compile), median_rss(&row[l].compile)) {
                part.push_str(&format!(
                    ", {:.2} MiB of its peak memory",
                    (b as f64 - a as f64) / 1024.0 / added
                ));
            }
            parts.push(part);
        }
        let _ = writeln!(
            report,
            "\nOne more operation (with its share of types), from ×{} to ×{}: {}.\n",
            first.copies,
            last.copies,
            parts.join("; ")
        );
    } else {
        report.push('\n');
    }
}

fn write_codegen_table(report: &mut String, codegen: &CodegenTiming) {
    let samples = &codegen.samples;
    let _ = writeln!(
        report,
        "### Generator, as a whole process\n\n\
         | command | runs | median | min | max |\n|---|---:|---:|---:|---:|\n\
         | `{} codegen --check` | {} | {} | {} | {} |\n",
        codegen.program,
        samples.len(),
        duration(median(samples)),
        duration(samples.iter().copied().min().unwrap_or_default()),
        duration(samples.iter().copied().max().unwrap_or_default()),
    );
}

fn write_machine(report: &mut String, load_before: &str, load_after: &str) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.1} GiB", kib / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "unknown".into());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let _ = writeln!(
        report,
        "### Machine\n\n{cpus} CPUs ({cpu_model}), {memory} memory, {rustc}; load average \
         before {load_before}, after {load_after}."
    );
}

/// The 1-, 5- and 15-minute load averages.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "unknown".into())
}

/// `3.1× cheaper` when ours is below the old generator's figure, `1.4× dearer` above it.
fn against_old(ours: f64, old: f64, below: &str, above: &str) -> String {
    if ours <= old {
        format!("{:.1}× {below}", old / ours)
    } else {
        format!("{:.1}× {above}", ours / old)
    }
}

fn walls(samples: &[Sample]) -> Vec<Duration> {
    samples.iter().map(|s| s.wall).collect()
}

fn median_rss(samples: &[Sample]) -> Option<u64> {
    let mut rss: Vec<u64> = samples.iter().filter_map(|s| s.max_rss_kib).collect();
    if rss.is_empty() {
        return None;
    }
    rss.sort_unstable();
    let mid = rss.len() / 2;
    Some(if rss.len().is_multiple_of(2) {
        (rss[mid - 1] + rss[mid]) / 2
    } else {
        rss[mid]
    })
}

fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n.is_multiple_of(2) => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
        n => sorted[n / 2],
    }
}

fn duration(d: Duration) -> String {
    if d >= Duration::from_secs(1) {
        format!("{:.2} s", d.as_secs_f64())
    } else {
        format!("{:.0} ms", d.as_secs_f64() * 1000.0)
    }
}

fn memory(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |kib| {
        format!("{:.0} MiB", kib as f64 / 1024.0)
    })
}

/// The repository root: xtask lives one folder below it.
/// The checkout the command runs in (see `workspace::root`).
fn repository_root() -> PathBuf {
    crate::workspace::root().unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(3), ms(1), ms(2)]), ms(2));
        assert_eq!(
            median(&[ms(4), ms(1), ms(2), ms(3)]),
            Duration::from_micros(2500)
        );
        assert_eq!(median(&[]), Duration::ZERO);
    }

    #[test]
    fn compiled_crates_come_from_cargo_status_lines() {
        let stderr = "   Compiling serde v1.0.0\n    Checking azure_arm_compute v0.1.0 (/x)\n    Finished `dev` profile\n";
        assert_eq!(compiled_crates(stderr), ["serde", "azure_arm_compute"]);
    }
}
