//! Test-only crate. Its library compiles the generated output of the fixture specs in
//! `fixtures/`, so each golden output is proven to compile, pass clippy and behave (see
//! `tests/naming.rs` and `tests/hostile.rs`), the way windows-bindgen compiles its golden files.

#[rustfmt::skip] // Formatted by the generator; `cargo fmt` must not fight it.
#[path = "../fixtures/naming/out/src/v2020_01_01/mod.rs"]
pub mod naming_fixture;

#[rustfmt::skip] // Formatted by the generator; `cargo fmt` must not fight it.
#[path = "../fixtures/hostile/out/src/v2020_01_01/mod.rs"]
pub mod hostile_fixture;

#[rustfmt::skip] // Formatted by the generator; `cargo fmt` must not fight it.
#[path = "../fixtures/operations/out/src/v2021_01_01/mod.rs"]
pub mod operations_fixture;

#[rustfmt::skip] // Formatted by the generator; `cargo fmt` must not fight it.
#[path = "../fixtures/types/out/src/v2020_01_01/mod.rs"]
pub mod types_fixture;
