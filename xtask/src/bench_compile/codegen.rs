//! The generator as a whole process: `<this xtask binary> codegen --check`, as a
//! maintainer runs it (debug or release, as this binary was built).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::stats::{duration, median};

pub struct CodegenTiming {
    /// This binary, relative to the repository root when it is inside it.
    pub program: String,
    pub samples: Vec<Duration>,
}

/// `runs` timed runs after one unmeasured run.
pub fn measure(root: &Path, config_path: &Path, runs: usize) -> Result<CodegenTiming, String> {
    let exe = std::env::current_exe().map_err(|err| format!("cannot find this binary: {err}"))?;
    let program = exe.strip_prefix(root).unwrap_or(&exe).display().to_string();
    let mut samples = Vec::with_capacity(runs);
    // One unmeasured run first: the page cache, not the generator, would dominate it.
    for run in 0..=runs {
        let mut command = Command::new(&exe);
        command
            .args(["codegen", "--check", "--config"])
            .arg(config_path)
            .current_dir(root)
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
