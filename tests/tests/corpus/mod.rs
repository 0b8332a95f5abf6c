//! Configs of this repository that may read the published specs (an azure-rest-api-specs
//! checkout, the "spec root"). Without one, a test that needs it prints that it is skipped
//! and why; with `CI` set it must run, so a missing corpus fails CI instead of passing it.

use std::path::{Path, PathBuf};

use azure_arm_codegen::config::{Config, SpecRootChoice};

#[allow(dead_code)] // Not every test file that includes this module needs it.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The config at `relative` (to the repository root), its spec root found as `cargo xtask
/// codegen` finds it; `None` when it needs a spec root and there is none (and `CI` is unset).
#[allow(dead_code)] // Not every test file that includes this module needs it.
pub fn load_config(test: &str, relative: &str) -> Option<Config> {
    let root = repository_root();
    let choice = SpecRootChoice::from_environment(Some(&root));
    match Config::load_with(&root.join(relative), &choice) {
        Ok(config) => Some(config),
        Err(diagnostics) => match choice.choose() {
            Err(why) if std::env::var_os("CI").is_none() => {
                say_skipped(test, &why);
                None
            }
            _ => panic!("{relative} does not load:\n{diagnostics}"),
        },
    }
}

/// The spec root, found as `cargo xtask codegen` finds it; `None` (after saying why) when
/// there is none and `CI` is unset.
#[allow(dead_code)] // Not every test file that includes this module needs it.
pub fn spec_root(test: &str) -> Option<PathBuf> {
    match SpecRootChoice::from_environment(Some(&repository_root())).choose() {
        Ok((root, _)) => Some(root),
        Err(why) if std::env::var_os("CI").is_none() => {
            say_skipped(test, &why);
            None
        }
        Err(why) => panic!("{test} needs the published specs (CI is set): {why}"),
    }
}

/// Tells the person running `cargo test` that a test did not run, and why. Written to the
/// process's standard error directly: libtest captures `eprintln!` of a passing test, which
/// would hide the skip.
fn say_skipped(test: &str, why: &dyn std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test} needs the published specs: {why}"
    );
}
