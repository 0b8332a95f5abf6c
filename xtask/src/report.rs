//! How `cargo xtask codegen` reports: for people (`--message-format human`, the default) or
//! for tools (`--message-format json`: one JSON object per line on stdout, for CI
//! annotations), and its exit codes.

use std::path::Path;

use azure_arm_codegen::diagnostics::{Diagnostic, Diagnostics, Location};

/// Exit codes, documented in the README and in `cargo xtask --help`.
pub const SUCCESS: u8 = 0;
/// Errors in the specs (nothing is written), denied warnings, or stale output with `--check`.
pub const FAILED: u8 = 1;
/// Bad flags, a missing or invalid config, no spec root.
pub const USAGE_ERRORS: u8 = 2;
/// The output, the lock or a folder could not be read or written.
pub const IO_ERRORS: u8 = 3;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// Compiler-style text on stderr.
    #[default]
    Human,
    /// One JSON object per diagnostic on stdout (severity, file, pointer, line, column,
    /// subject, message, help); everything else goes to stderr.
    Json,
}

#[derive(Clone, Copy, Debug)]
pub struct Reporter {
    pub format: MessageFormat,
}

impl Reporter {
    /// The diagnostics of a run, with the count line for people.
    pub fn diagnostics(&self, diagnostics: &Diagnostics) {
        match self.format {
            MessageFormat::Human if diagnostics.is_empty() => {}
            // Written whole: stderr is unbuffered, and the `Display` of a run's diagnostics
            // is a thousand small pieces, each a `write` of its own (measured: 1,134 calls
            // for the DiskRP's warnings).
            MessageFormat::Human => {
                let text = diagnostics.to_string();
                eprintln!("{text}");
            }
            MessageFormat::Json => {
                let mut lines = String::new();
                for diagnostic in diagnostics.sorted() {
                    lines.push_str(&diagnostic.to_json().to_string());
                    lines.push('\n');
                }
                print!("{lines}");
            }
        }
    }

    /// A line of progress or the summary: stdout for people, stderr when stdout carries JSON.
    pub fn info(&self, line: &str) {
        match self.format {
            MessageFormat::Human => println!("{line}"),
            MessageFormat::Json => eprintln!("{line}"),
        }
    }

    /// A failure that is not a spec diagnostic (a stale file, a changed spec file, an I/O
    /// error): `text` for people on stderr, and in JSON mode an error object for `file`
    /// (at `line` when known) on stdout as well.
    pub fn failure(&self, file: &Path, line: Option<usize>, message: &str, help: &str) {
        if self.format == MessageFormat::Json {
            let mut location = Location::new(file, "");
            location.line_col = line.map(|line| (line, 1));
            println!(
                "{}",
                Diagnostic::error(location, message).help(help).to_json()
            );
        }
    }
}
