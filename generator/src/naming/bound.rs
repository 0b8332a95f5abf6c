//! Every name the emitters bind and every file they write, in one place.
//!
//! A spec name that lands on one of these makes code that does not compile (a parameter
//! named `pipeline` shadowed by the method's own `pipeline`) or a file that replaces another
//! (a group `Mod` written to the version's `mod.rs`). Lowering reserves these in the
//! namespace each spec name is claimed from, so a clashing spec name is renamed (`pipeline_2`,
//! with a warning) deterministically; `validate` checks the model against them again before
//! anything is emitted.
//!
//! **When an emitter binds a new name** (a local, an argument, a field), add it to the list
//! of its scope here; nothing else needs to change.

/// Arguments, locals and closure parameters of every operation method
/// (`emit/method.rs`) and the bindings of the module's `no_run` example
/// (`emit/crate_files.rs::example`), which takes the request body as an argument. Required
/// parameters (arguments) must differ from all of these.
pub const METHOD: &[&str] = &[
    // the method's receiver and arguments
    "self",
    "options",
    // locals of the method body (`emit/method.rs`)
    "pipeline",
    "request",
    // the argument of `resume_…`
    "token",
    // the example's arguments and locals: the body is an argument beside `credential`,
    // passed after `let client = …`
    "credential",
    "client",
];

/// The fields every per-operation options struct has besides the optional parameters,
/// which become fields beside them.
pub const OPTIONS_FIELDS: &[&str] = &["method_options", "timeout"];

/// Fields of the top-level client struct and the arguments and locals of its `new`
/// (`emit/client.rs`): client-held parameters become fields and arguments beside these.
pub const CLIENT: &[&str] = &["self", "pipeline", "api_version", "credential", "options"];

/// Methods of the top-level client (inherent and derived): an accessor may not take one.
pub const CLIENT_METHODS: &[&str] = &["new", "endpoint", "clone", "fmt"];

/// The module (and file) names of each version folder that are not groups, plus names a
/// module cannot have or a file system will not store (`con.rs` on Windows).
pub const MODULES: &[&str] = &[
    "mod", "lib", "main", "client", "models", "super", "crate", "self", "con", "prn", "aux", "nul",
    "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3",
    "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Types, traits, functions and constants the generated modules use without a path, in the
/// models, client and group files: a schema called `String` or `ParamRules` must not shadow them.
pub const TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "From",
    "Into",
    "Send",
    "Sync",
    "Sized",
    "Arc",
    "ArmPipeline",
    "ArmPoller",
    "CharSet",
    "ClientMethodOptions",
    "ClientOptions",
    "Cloud",
    "Duration",
    "FinalStateVia",
    "LongRunningRequest",
    "Method",
    "NoFormat",
    "Page",
    "PageRules",
    "Pager",
    "ParamRules",
    "Pattern",
    "PollSettings",
    "PollerOptions",
    "PollingOptions",
    "Response",
    "ResumeToken",
    "TokenCredential",
    "Url",
    "API_VERSION",
];

/// The files of the generated crate, relative to its folder: `Cargo.toml`, `rustfmt.toml`,
/// `src/lib.rs`, per api-version module its `mod.rs`, `client.rs`, `models.rs` and one
/// file per operation group, and the example-replay tests (`tests/examples_<module>.rs` and
/// their shared `tests/support/mod.rs`). The one place paths are made; `emit` writes these and
/// `validate` checks that no two coincide.
pub mod files {
    use std::path::PathBuf;

    pub const CARGO_TOML: &str = "Cargo.toml";
    pub const RUSTFMT_TOML: &str = "rustfmt.toml";
    pub const LIB: &str = "src/lib.rs";

    /// `src/<module>/<name>.rs` for a version module's own file (`mod`, `client`, `models`).
    pub fn version_file(module: &str, name: &str) -> PathBuf {
        PathBuf::from("src")
            .join(crate::naming::unraw(module))
            .join(format!("{name}.rs"))
    }

    /// `src/<module>/<group>.rs` for an operation group's module.
    pub fn group_file(module: &str, group_module: &str) -> PathBuf {
        version_file(module, crate::naming::unraw(group_module))
    }

    /// `tests/examples_<module>.rs`: the replayed examples of one api-version.
    pub fn example_tests_file(module: &str) -> PathBuf {
        PathBuf::from("tests").join(format!("examples_{}.rs", crate::naming::unraw(module)))
    }

    /// The mock transport every example-replay test file shares.
    pub const EXAMPLE_SUPPORT: &str = "tests/support/mod.rs";
}
