//! The hostile fixture (`fixtures/hostile/`): names that clash with what generated code binds
//! and descriptions full of code fences, comment ends, attributes and HTML. Its output is
//! committed and compiled (clippy-clean) by this crate's library; these tests pin what the
//! names became and prove that no spec text runs as a doctest.

#[allow(dead_code)]
mod fixture;
mod scratch;

use std::path::Path;

/// What the fixture's spec text would leave behind if rustdoc ran it.
const MARKER: &str = "HOSTILE_DOCTEST_RAN";

fixture::committed_fixture!("fixtures/hostile/codegen.yaml");

#[test]
fn clashing_names_are_renamed_with_warnings() {
    let warnings = fixture::generated(FIXTURE).warnings;
    insta::assert_snapshot!("hostile_warnings", warnings.to_string());
}

#[test]
fn clashing_names_compile_and_keep_their_wire_names() {
    use codegen_tests::hostile_fixture::{HostileClient, ModStartOptions};
    let options = ModStartOptions {
        context: Some("c".into()),
        method_options_2: Some("m".into()),
        ..Default::default()
    };
    assert_eq!(options.context.as_deref(), Some("c"));
    // Every client parameter, renamed or not, is a constructor argument, before the
    // client's own `credential` and `options`.
    type Credential = std::sync::Arc<dyn azure_core::credentials::TokenCredential>;
    let _ = |credential: Credential| {
        HostileClient::new("p", "a", "c", "o", "t", "t2", credential, None)
    };
}

/// Every generated doc comment, markdown code blocks included, seen by rustdoc itself: the
/// fixture crate's doctests run in a scratch workspace. Spec code would write `MARKER`; only
/// the generator's own `no_run` example may be a doctest.
#[test]
fn spec_text_never_becomes_a_doctest() {
    let generated = fixture::generated(FIXTURE);
    let scratch = scratch::Scratch::new("hostile-doctests", &["hostile_fixture"]);
    for (path, text) in &generated.files.files {
        scratch.write(Path::new("hostile_fixture").join(path), text);
    }
    let output = scratch.cargo(&["test", "--doc", "-p", "hostile_fixture"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", scratch::describe(&output));
    assert!(
        !scratch.root.join("hostile_fixture").join(MARKER).exists(),
        "spec text ran as a doctest"
    );
    let doctests: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("test ") && line.contains(" - "))
        .collect();
    assert_eq!(
        doctests.len(),
        1,
        "only the module example may be a doctest:\n{stdout}"
    );
    assert!(doctests[0].contains("compile"), "{stdout}");
}
