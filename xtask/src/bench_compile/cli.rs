//! `bench-compile`'s flags, parsed by hand like the rest of `main.rs`. A `main.rs` that
//! parses with a library builds [`Options`] itself and calls [`super::run`].

use std::path::PathBuf;
use std::process::ExitCode;

use super::Options;

const USAGE: &str = "usage: cargo xtask bench-compile [--rounds <n>] [--codegen-runs <n>] [--scale <n>] [--no-build] [--no-old-crate]

  bench-compile        measure the generated crate's compile time and memory per feature,
                       against the old generator's crate in the same run, and the
                       generator's run time; prints Markdown tables (BENCHMARKS.md)
    --rounds <n>       interleaved timed rounds over every command and crate (default 5;
                       `--runs` is the same flag)
    --codegen-runs <n> timed runs of `xtask codegen --check` (default 20)
    --scale <n>        also compile synthetic crates of 1 and <n> copies of the default
                       api-version's operations and types (default 10; 1: no scaling)
    --no-build         measure `cargo check` only, not `cargo build`
    --no-old-crate     do not measure the old generator's `azure_mgmt_compute` 0.21 (its
                       first download and build of dependencies takes minutes)";

const USAGE_ERRORS: u8 = 2;

/// Runs the task with the arguments after `bench-compile`; `root` is the repository's.
pub fn main(args: impl Iterator<Item = String>, root: PathBuf) -> ExitCode {
    match parse(args, root) {
        Ok(Some(options)) => super::run(&options),
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(USAGE_ERRORS)
        }
    }
}

/// `None` for `--help`.
fn parse(args: impl Iterator<Item = String>, root: PathBuf) -> Result<Option<Options>, String> {
    let mut options = Options::new(root);
    let mut args = args.peekable();
    let count = |flag: &str, value: Option<String>| -> Result<usize, String> {
        match value.as_deref().map(str::parse::<usize>) {
            Some(Ok(n)) if n > 0 => Ok(n),
            _ => Err(format!("{flag} needs a positive whole number")),
        }
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rounds" | "--runs" => options.rounds = count(&arg, args.next())?,
            "--codegen-runs" => options.codegen_runs = count(&arg, args.next())?,
            "--scale" => options.scale = count(&arg, args.next())?,
            "--no-build" => options.build = false,
            "--no-old-crate" => options.old_crate = false,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown flag `{other}`")),
        }
    }
    Ok(Some(options))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<Option<Options>, String> {
        parse(line.split_whitespace().map(String::from), "/repo".into())
    }

    #[test]
    fn flags_override_the_defaults() {
        let options = parse_line("--rounds 3 --no-old-crate --no-build --scale 4")
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                options.rounds,
                options.old_crate,
                options.build,
                options.scale
            ),
            (3, false, false, 4)
        );
        let defaults = parse_line("").unwrap().unwrap();
        assert_eq!((defaults.rounds, defaults.old_crate), (5, true));
        assert_eq!(parse_line("--runs 2").unwrap().unwrap().rounds, 2);
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        assert!(parse_line("--rounds 0").is_err());
        assert!(parse_line("--rounds").is_err());
        assert!(parse_line("--fast").is_err());
        assert!(parse_line("--help").unwrap().is_none());
    }
}
