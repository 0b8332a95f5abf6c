//! `cargo xtask codegen` as users run it: exit codes (0 success, 1 spec errors or stale
//! output, 2 usage errors), messages on stderr, and a failed run that writes nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(repository_root())
        .output()
        .expect("runs xtask")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn check_of_the_committed_crate_succeeds() {
    let output = xtask(&["codegen", "--check"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("up to date"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn spec_errors_exit_1_and_say_nothing_was_written() {
    let output = xtask(&[
        "codegen",
        "--config",
        "tests/fixtures/diagnostics/enum_no_values/codegen.yaml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("error: enum has no values"), "{err}");
    assert!(
        err.contains("spec.json:113:9#/components/schemas/Mode/enum"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert!(
        !repository_root()
            .join("tests/fixtures/diagnostics/enum_no_values/out")
            .exists()
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["codegen", "--config", "no/such/codegen.yaml"],
        vec!["codegen", "--frobnicate"],
        vec!["codegen", "--config"],
        vec!["generate"],
        vec![],
        vec![
            "codegen",
            "--config",
            "tests/fixtures/diagnostics/config_invalid/codegen.yaml",
        ],
    ] {
        let output = xtask(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(stderr(&output).contains("error"), "{args:?}");
    }
}

/// The whole cycle on a scratch copy of a fixture: generate, regenerate (nothing written),
/// go stale (exit 1 naming the file), fail (output untouched), fix.
#[test]
fn write_check_and_failure_cycle() {
    let scratch = std::env::temp_dir().join(format!("xtask-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let fixture = repository_root().join("tests/fixtures/diagnostics/valid");
    for file in ["codegen.yaml", "spec.json"] {
        std::fs::copy(fixture.join(file), scratch.join(file)).expect("copies the fixture");
    }
    let config = scratch.join("codegen.yaml");
    let config = config.to_str().expect("a UTF-8 path");

    let first = xtask(&["codegen", "--config", config]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("7 written, 0 unchanged"),
        "{}",
        stdout(&first)
    );
    let second = xtask(&["codegen", "--config", config]);
    assert!(
        stdout(&second).contains("0 written, 7 unchanged"),
        "{}",
        stdout(&second)
    );

    let spec = scratch.join("spec.json");
    let text = std::fs::read_to_string(&spec).expect("reads the spec");
    std::fs::write(
        &spec,
        text.replace("Starts a thing.", "Starts a thing at once."),
    )
    .expect("edits the spec");
    let stale = xtask(&["codegen", "--check", "--config", config]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        stderr(&stale).contains("src/v2020_01_01/things.rs"),
        "{}",
        stderr(&stale)
    );
    assert!(
        stderr(&stale).contains("Starts a thing at once."),
        "{}",
        stderr(&stale)
    );

    let output_folder = scratch.join("out/src/v2020_01_01/things.rs");
    let before = std::fs::read(&output_folder).expect("reads output");
    std::fs::write(&spec, text.replace("\"Slow\"", "\"Fast\"")).expect("breaks the spec");
    let failed = xtask(&["codegen", "--config", config]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(std::fs::read(&output_folder).expect("reads output"), before);

    std::fs::write(&spec, text).expect("restores the spec");
    let fixed = xtask(&["codegen", "--check", "--config", config]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stderr(&fixed));
    let _ = std::fs::remove_dir_all(&scratch);
}
