//! Running cargo on one crate and timing it: clean the crate's own artifacts, compile it
//! (measured), then the same command again with nothing to do (cargo's own share). Which
//! crates cargo compiled is read from its JSON messages (`--message-format=json`), so a run
//! that compiled anything but the crate under measure is rejected.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use cargo_metadata::Message;

use super::stats::Sample;

/// GNU time, which reports the peak resident set size with `-f %M`.
pub const GNU_TIME: &str = "/usr/bin/time";

/// A crate and feature set to compile.
pub struct Target {
    /// As the tables show it.
    pub label: String,
    pub manifest: PathBuf,
    /// The package to compile (`--package`): a workspace member or a dependency.
    pub package: String,
    /// `--no-default-features --features <these>` (empty: none); `None` passes no feature
    /// flags at all, as cargo requires for a package outside the workspace (the probe
    /// crate's manifest then chooses the features).
    pub features: Option<String>,
    /// Where this crate's builds go.
    pub target_dir: PathBuf,
    pub operations: Option<usize>,
}

impl Target {
    /// The name cargo gives the crate's library target.
    fn lib_name(&self) -> String {
        self.package.replace('-', "_")
    }
}

/// Runs cargo for the benchmark.
pub struct CargoBench {
    pub cargo: PathBuf,
    pub gnu_time: bool,
}

impl CargoBench {
    pub fn new() -> Self {
        CargoBench {
            cargo: std::env::var_os("CARGO").map_or_else(|| "cargo".into(), PathBuf::from),
            gnu_time: gnu_time_available(),
        }
    }

    /// `<command> --package <p> [--no-default-features --features ...]`, JSON messages.
    fn args(&self, command: &str, target: &Target) -> Vec<String> {
        let mut args = vec![
            command.to_string(),
            "--manifest-path".into(),
            target.manifest.display().to_string(),
            "--package".into(),
            target.package.clone(),
            "--message-format=json".into(),
            "--color".into(),
            "never".into(),
        ];
        if let Some(features) = &target.features {
            args.push("--no-default-features".into());
            if !features.is_empty() {
                args.push("--features".into());
                args.push(features.clone());
            }
        }
        args
    }

    fn command(&self, program: &Path, target: &Target) -> Command {
        let mut command = Command::new(program);
        let folder = target.manifest.parent().unwrap_or(Path::new("."));
        command
            .current_dir(folder)
            .env("CARGO_TARGET_DIR", &target.target_dir)
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TERM_COLOR", "never")
            .stdin(Stdio::null());
        command
    }

    /// Runs the command unmeasured (dependencies get built).
    pub fn warm_up(&self, command: &str, target: &Target) -> Result<(), String> {
        let mut cargo = self.command(&self.cargo, target);
        cargo.args(self.args(command, target));
        output(&mut cargo).map(drop)
    }

    fn clean(&self, target: &Target) -> Result<(), String> {
        let mut cargo = self.command(&self.cargo, target);
        cargo
            .arg("clean")
            .arg("--manifest-path")
            .arg(&target.manifest)
            .args(["--package", &target.package]);
        output(&mut cargo).map(drop)
    }

    /// One run: clean the crate, compile it (measured), then the same command again with
    /// nothing to do (measured: cargo's own cost).
    pub fn measure(&self, command: &str, target: &Target) -> Result<(Sample, Sample), String> {
        self.clean(target)?;
        let (compile, out) = self.timed(command, target)?;
        let compiled = compiled_libs(&out.stdout);
        if compiled != [target.lib_name()] {
            return Err(format!(
                "cargo {command} {} compiled {compiled:?}, not just {}: the measurement would not be of the crate alone\n{}",
                target.label, target.package, out.stderr
            ));
        }
        let (no_op, out) = self.timed(command, target)?;
        let compiled = compiled_libs(&out.stdout);
        if !compiled.is_empty() {
            return Err(format!(
                "cargo {command} {} compiled {compiled:?} on a second run with nothing changed\n{}",
                target.label, out.stderr
            ));
        }
        Ok((compile, no_op))
    }

    fn timed(&self, command: &str, target: &Target) -> Result<(Sample, Output), String> {
        let rss_file = target.target_dir.join("max-rss-kib.txt");
        let mut process = if self.gnu_time {
            std::fs::create_dir_all(&target.target_dir)
                .map_err(|err| format!("cannot create {}: {err}", target.target_dir.display()))?;
            let mut process = self.command(Path::new(GNU_TIME), target);
            process
                .args(["-f", "%M", "-o"])
                .arg(&rss_file)
                .arg(&self.cargo);
            process
        } else {
            self.command(&self.cargo, target)
        };
        process.args(self.args(command, target));
        let started = Instant::now();
        let out = output(&mut process)?;
        let wall = started.elapsed();
        let max_rss_kib = if self.gnu_time {
            Some(read_rss(&rss_file)?)
        } else {
            None
        };
        Ok((Sample { wall, max_rss_kib }, out))
    }
}

fn read_rss(file: &Path) -> Result<u64, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|err| format!("cannot read {}: {err}", file.display()))?;
    text.trim()
        .parse::<u64>()
        .map_err(|err| format!("GNU time wrote `{}`, not a number: {err}", text.trim()))
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

/// A finished process's output.
pub struct Output {
    pub stdout: String,
    pub stderr: String,
}

/// Runs a process to completion; its output on success, a message with stderr on failure.
pub fn output(command: &mut Command) -> Result<Output, String> {
    let out = command
        .output()
        .map_err(|err| format!("cannot run {:?}: {err}", command.get_program()))?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() {
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        Ok(Output { stdout, stderr })
    } else {
        Err(format!("{command:?} failed ({}):\n{stderr}", out.status))
    }
}

/// The targets cargo compiled rather than found fresh, from its JSON messages: library
/// names, and `build-script-build` for a build script.
fn compiled_libs(stdout: &str) -> Vec<String> {
    Message::parse_stream(stdout.as_bytes())
        .filter_map(Result::ok)
        .filter_map(|message| match message {
            Message::CompilerArtifact(artifact) if !artifact.fresh => Some(artifact.target.name),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_libs_are_the_artifacts_that_were_not_fresh() {
        let stdout = [
            artifact("serde", true),
            artifact("azure_arm_compute", false),
            r#"{"reason":"build-finished","success":true}"#.to_string(),
        ]
        .join("\n");
        assert_eq!(compiled_libs(&stdout), ["azure_arm_compute"]);
    }

    #[test]
    fn a_target_outside_the_workspace_gets_no_feature_flags() {
        let bench = CargoBench {
            cargo: "cargo".into(),
            gnu_time: false,
        };
        let mut target = Target {
            label: "old".into(),
            manifest: "/probe/Cargo.toml".into(),
            package: "azure_mgmt_compute".into(),
            features: None,
            target_dir: "/probe/target".into(),
            operations: Some(286),
        };
        let args = bench.args("check", &target);
        assert!(!args.iter().any(|a| a.contains("features")), "{args:?}");
        target.features = Some("v1,v2".into());
        let args = bench.args("check", &target);
        assert!(args.ends_with(&[
            "--no-default-features".into(),
            "--features".into(),
            "v1,v2".into()
        ]));
    }

    /// A `compiler-artifact` message as cargo 1.95 writes it.
    fn artifact(name: &str, fresh: bool) -> String {
        serde_json::json!({
            "reason": "compiler-artifact",
            "package_id": format!("registry+https://github.com/rust-lang/crates.io-index#{name}@1.0.0"),
            "manifest_path": format!("/x/{name}/Cargo.toml"),
            "target": {
                "kind": ["lib"], "crate_types": ["lib"], "name": name,
                "src_path": format!("/x/{name}/src/lib.rs"), "edition": "2021",
                "doc": true, "doctest": true, "test": true
            },
            "profile": {
                "opt_level": "0", "debuginfo": 0, "debug_assertions": true,
                "overflow_checks": true, "test": false
            },
            "features": [],
            "filenames": [format!("/t/lib{name}.rmeta")],
            "executable": null,
            "fresh": fresh
        })
        .to_string()
    }
}
