//! `cargo xtask codegen` as users run it: exit codes (0 success, 1 spec errors, denied
//! warnings or stale output, 2 usage errors, 3 I/O errors), messages on stderr or as JSON on
//! stdout, and a failed run that writes nothing.

// A test harness: a failed expectation is a failed run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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

/// Fails unless xtask exited with `code`, showing what it said.
#[track_caller]
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
}

/// Fails unless `text` contains `needle`, showing `text`.
#[track_caller]
fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
}

#[test]
fn check_of_the_committed_crate_succeeds() {
    let choice =
        azure_arm_codegen::config::SpecRootChoice::from_environment(Some(&repository_root()));
    if let Err(why) = choice.choose()
        && std::env::var_os("CI").is_none()
    {
        // Straight to stderr: libtest would capture `eprintln!` of a passing test.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: the shipped config needs the published specs: {why}"
        );
        return;
    }
    let output = xtask(&["codegen", "--check"]);
    assert_exit(&output, 0);
    assert_contains(&stdout(&output), "up to date");
}

#[test]
fn spec_errors_exit_1_and_say_nothing_was_written() {
    let output = xtask(&[
        "codegen",
        "--config",
        "tests/fixtures/diagnostics/enum_no_values/codegen.yaml",
    ]);
    assert_exit(&output, 1);
    let err = stderr(&output);
    assert_contains(&err, "error: enum has no values");
    assert_contains(&err, "spec.json:113:9#/components/schemas/Mode/enum");
    assert_contains(&err, "nothing was written");
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
        vec!["codegen", "--message-format", "xml"],
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
    let scratch = Scratch::valid_fixture("cli");
    let config = scratch.0.join("codegen.yaml");
    let config = config.to_str().expect("a UTF-8 path");

    let first = xtask(&["codegen", "--config", config]);
    assert_exit(&first, 0);
    assert_contains(&stdout(&first), "7 written, 0 unchanged");
    let second = xtask(&["codegen", "--config", config]);
    assert_contains(&stdout(&second), "0 written, 7 unchanged");

    let spec = scratch.0.join("spec.json");
    let text = std::fs::read_to_string(&spec).expect("reads the spec");
    std::fs::write(
        &spec,
        text.replace("Starts a thing.", "Starts a thing at once."),
    )
    .expect("edits the spec");
    let stale = xtask(&["codegen", "--check", "--config", config]);
    assert_exit(&stale, 1);
    assert_contains(&stderr(&stale), "src/v2020_01_01/things.rs");
    assert_contains(&stderr(&stale), "Starts a thing at once.");

    let output_folder = scratch.0.join("out/src/v2020_01_01/things.rs");
    let before = std::fs::read(&output_folder).expect("reads output");
    std::fs::write(&spec, text.replace("\"Slow\"", "\"Fast\"")).expect("breaks the spec");
    let failed = xtask(&["codegen", "--config", config]);
    assert_exit(&failed, 1);
    assert_eq!(std::fs::read(&output_folder).expect("reads output"), before);

    std::fs::write(&spec, text).expect("restores the spec");
    let fixed = xtask(&["codegen", "--check", "--config", config]);
    assert_exit(&fixed, 0);
}

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let path = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("scratch folder");
        Scratch(path)
    }

    /// A scratch copy of the fixture in `folder` (its `codegen.yaml` and `spec.json`).
    fn fixture(name: &str, folder: &str) -> Scratch {
        let scratch = Scratch::new(name);
        let fixture = repository_root().join(folder);
        for file in ["codegen.yaml", "spec.json"] {
            std::fs::copy(fixture.join(file), scratch.0.join(file)).expect("copies the fixture");
        }
        scratch
    }

    /// A scratch copy of the valid diagnostics fixture.
    fn valid_fixture(name: &str) -> Scratch {
        Scratch::fixture(name, "tests/fixtures/diagnostics/valid")
    }

    /// Writes `text` to `relative`, creating folders.
    fn write(&self, relative: &str, text: &str) {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("creates folders");
        std::fs::write(path, text).expect("writes");
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run_in(folder: &Path, args: &[&str], environment: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(args).current_dir(folder);
    match environment {
        Some(root) => command.env("AZURE_REST_API_SPECS", root),
        None => command.env_remove("AZURE_REST_API_SPECS"),
    };
    command.output().expect("runs xtask")
}

fn fixture_spec() -> String {
    std::fs::read_to_string(repository_root().join("tests/fixtures/diagnostics/valid/spec.json"))
        .expect("reads the fixture")
}

const CONFIG: &str = "crate_name: fixture
output: out
client_name: FixtureClient
description: Fixture.
lock: codegen.lock
api_versions:
  - version: \"2020-01-01\"
    inputs: [specification/fixture/spec.json]
";

#[test]
fn codegen_help_prints_usage_and_exits_0() {
    let output = xtask(&["codegen", "--help"]);
    assert_exit(&output, 0);
    let usage = stdout(&output);
    for flag in ["--check", "--config <PATH>", "--spec-root <PATH>"] {
        assert!(usage.contains(flag), "{usage}");
    }
    let top = xtask(&["--help"]);
    assert_exit(&top, 0);
    assert_contains(&stdout(&top), "bench-compile");
}

#[test]
fn a_flag_value_after_an_equals_sign_is_read() {
    let output = xtask(&[
        "codegen",
        "--check",
        "--config=tests/fixtures/naming/codegen.yaml",
    ]);
    assert_exit(&output, 0);
}

#[test]
fn without_a_spec_root_codegen_says_exactly_how_to_give_one() {
    let scratch = Scratch::new("no-spec-root");
    scratch.write("codegen.yaml", CONFIG);
    let output = run_in(&scratch.0, &["codegen", "--config", "codegen.yaml"], None);
    assert_exit(&output, 2);
    let err = stderr(&output);
    assert_contains(&err, "no spec root");
    assert_contains(
        &err,
        "cargo xtask codegen --spec-root <path of an azure-rest-api-specs checkout>",
    );
    assert_contains(&err, "AZURE_REST_API_SPECS=<path>");
}

/// The spec root from the flag or the environment; the lock written, then failing `--check`
/// with the name of the file that changed upstream, though the generated code did not change.
#[test]
fn the_spec_root_comes_from_the_flag_or_the_environment_and_the_lock_names_changed_files() {
    let scratch = Scratch::new("spec-root");
    scratch.write("config/codegen.yaml", CONFIG);
    scratch.write("specs/specification/fixture/spec.json", &fixture_spec());
    let root = scratch.0.join("specs");
    let root_flag = root.to_str().expect("a UTF-8 path");
    let config = ["--config", "config/codegen.yaml"];

    let first = run_in(
        &scratch.0,
        &[&["codegen", "--spec-root", root_flag][..], &config].concat(),
        None,
    );
    assert_exit(&first, 0);
    let lock = std::fs::read_to_string(scratch.0.join("config/codegen.lock"))
        .expect("the lock is written");
    assert_contains(&lock, "  specification/fixture/spec.json\n");
    let check = run_in(
        &scratch.0,
        &[&["codegen", "--check"][..], &config].concat(),
        Some(&root),
    );
    assert_exit(&check, 0);

    // Upstream changes only whitespace: the code is the same, the lock catches it.
    scratch.write(
        "specs/specification/fixture/spec.json",
        &format!("{}\n", fixture_spec()),
    );
    let stale = run_in(
        &scratch.0,
        &[&["codegen", "--check"][..], &config].concat(),
        Some(&root),
    );
    assert_exit(&stale, 1);
    let err = stderr(&stale);
    assert_contains(
        &err,
        "specification/fixture/spec.json changed (locked sha256",
    );
    assert!(!err.contains("is stale"), "{err}");
}

/// `cargo xtask codegen` in a checkout works on that checkout, not on the one xtask was built
/// in (they share a target folder when CARGO_TARGET_DIR is set).
#[test]
fn codegen_works_on_the_checkout_it_runs_in() {
    let scratch = Scratch::new("checkout");
    scratch.write("Cargo.toml", "[workspace]\n");
    scratch.write("xtask/Cargo.toml", "");
    scratch.write(
        "specs/codegen.yaml",
        &CONFIG
            .replace("output: out", "output: ../generated\nspec_root: .")
            .replace("specification/fixture/", ""),
    );
    scratch.write("specs/spec.json", &fixture_spec());
    std::fs::create_dir_all(scratch.0.join("generated/src")).expect("creates a subfolder");
    let output = run_in(&scratch.0.join("generated/src"), &["codegen"], None);
    assert_exit(&output, 0);
    assert!(
        scratch.0.join("generated/Cargo.toml").is_file(),
        "{}",
        stdout(&output)
    );
    assert!(scratch.0.join("specs/codegen.lock").is_file());
}

/// The example tests embed the examples: a changed value in an example file makes the check
/// fail, naming the generated test file. Run on a scratch copy of the fixture.
#[test]
fn a_changed_example_makes_the_check_fail_naming_the_test_file() {
    let scratch = Scratch::fixture("examples", "tests/fixtures/examples");
    let fixture = repository_root().join("tests/fixtures/examples");
    std::fs::create_dir_all(scratch.0.join("examples")).expect("scratch folder");
    for entry in std::fs::read_dir(fixture.join("examples")).expect("lists the examples") {
        let path = entry.expect("lists the examples").path();
        let name = path.file_name().expect("a file name");
        std::fs::copy(&path, scratch.0.join("examples").join(name)).expect("copies an example");
    }
    let config = scratch.0.join("codegen.yaml");
    let config = config.to_str().expect("a UTF-8 path");
    let written = xtask(&["codegen", "--config", config]);
    assert_exit(&written, 0);
    assert_contains(&stdout(&written), "6 examples replayed, 7 not replayed");
    let fresh = xtask(&["codegen", "--check", "--config", config]);
    assert_exit(&fresh, 0);

    let example = scratch.0.join("examples/Get.json");
    let text = std::fs::read_to_string(&example).expect("reads the example");
    std::fs::write(&example, text.replace("\"size\": 3", "\"size\": 4"))
        .expect("edits the example");
    let stale = xtask(&["codegen", "--check", "--config", config]);
    assert_exit(&stale, 1);
    let said = format!("{}{}", stdout(&stale), stderr(&stale));
    assert_contains(&said, "tests/examples_v2020_01_01.rs");
    assert!(!said.contains("src/"), "only the test file changed: {said}");
}

/// Every stdout line of a `--message-format json` run, parsed.
fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each stdout line is one JSON object"))
        .collect()
}

#[test]
fn json_messages_are_one_object_per_diagnostic_on_stdout() {
    let config = "tests/fixtures/naming/codegen.yaml";
    let output = xtask(&[
        "codegen",
        "--check",
        "--message-format",
        "json",
        "--config",
        config,
    ]);
    assert_exit(&output, 0);
    let messages = json_lines(&output);
    assert_eq!(messages.len(), 2, "{}", stdout(&output));
    for message in &messages {
        assert_eq!(message["severity"], "warning", "{message}");
        let file = message["file"].as_str().expect("file");
        assert!(file.ends_with("naming.json"), "{message}");
        assert!(
            message["pointer"]
                .as_str()
                .expect("pointer")
                .starts_with("/components/schemas/")
        );
        assert!(
            message["line"].as_u64().is_some_and(|line| line > 1),
            "{message}"
        );
        assert!(message["column"].as_u64().is_some(), "{message}");
        assert!(
            message["message"]
                .as_str()
                .expect("message")
                .contains("already taken")
        );
        assert!(message["help"].is_string(), "{message}");
    }
    // The summary is for people: on stderr, so stdout stays JSON.
    assert_contains(&stderr(&output), "up to date");
}

#[test]
fn deny_warnings_fails_with_exit_1() {
    let config = "tests/fixtures/naming/codegen.yaml";
    let output = xtask(&["codegen", "--check", "--deny-warnings", "--config", config]);
    assert_exit(&output, 1);
    let err = stderr(&output);
    assert_contains(&err, "2 warning(s) denied by --deny-warnings");
    assert_contains(&err, "warning: type name `CreatedByType` is already taken");
    // A spec without warnings writes as usual.
    let scratch = Scratch::valid_fixture("deny");
    let config = scratch.0.join("codegen.yaml");
    let output = xtask(&[
        "codegen",
        "--deny-warnings",
        "--config",
        config.to_str().expect("UTF-8"),
    ]);
    assert_exit(&output, 0);
}

/// Output that cannot be read or written is an I/O error (exit 3), named in text and JSON;
/// a stale file in JSON carries its path and first differing line.
#[test]
fn io_errors_exit_3_and_stale_files_are_json_errors() {
    let scratch = Scratch::valid_fixture("io");
    let config = scratch.0.join("codegen.yaml");
    let config = config.to_str().expect("a UTF-8 path");
    scratch.write("out", "a file where the output folder should be\n");
    for args in [
        vec!["codegen", "--config", config],
        vec!["codegen", "--check", "--config", config],
    ] {
        let output = xtask(&args);
        assert_eq!(
            output.status.code(),
            Some(3),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_contains(&stderr(&output), "error: cannot");
    }
    let json = xtask(&[
        "codegen",
        "--check",
        "--message-format=json",
        "--config",
        config,
    ]);
    assert_exit(&json, 3);
    let messages = json_lines(&json);
    assert_eq!(messages.len(), 1, "{}", stdout(&json));
    assert_eq!(messages[0]["severity"], "error");
    assert!(messages[0]["file"].as_str().expect("file").ends_with("out"));

    std::fs::remove_file(scratch.0.join("out")).expect("removes the file");
    let written = xtask(&["codegen", "--config", config]);
    assert_exit(&written, 0);
    let things = scratch.0.join("out/src/v2020_01_01/things.rs");
    let text = std::fs::read_to_string(&things).expect("reads output");
    std::fs::write(&things, text.replacen("\n", "\n// edited\n", 3)).expect("edits output");
    let stale = xtask(&[
        "codegen",
        "--check",
        "--message-format=json",
        "--config",
        config,
    ]);
    assert_exit(&stale, 1);
    let messages = json_lines(&stale);
    assert_eq!(messages.len(), 1, "{}", stdout(&stale));
    assert!(
        messages[0]["file"]
            .as_str()
            .expect("file")
            .ends_with("things.rs")
    );
    assert_eq!(messages[0]["line"], 2, "{}", messages[0]);
    assert_eq!(
        messages[0]["message"],
        "differs from what the generator writes"
    );
}
