//! Swagger 2.0 read natively (`fixtures/swagger2/`): the model lowered from each fixture is
//! snapshotted with the run's warnings, so every converted construct is pinned; and the
//! loader's promises about the files as written (raw JSON and places behind the conversion,
//! example files recorded but never read) are checked directly.

use std::path::Path;

use azure_arm_codegen::config::Config;
use azure_arm_codegen::diagnostics::Location;
use azure_arm_codegen::load::SpecSet;
use azure_arm_codegen::{generate, lower_version};

fn config(case: &str) -> Config {
    let path = Path::new("fixtures/swagger2")
        .join(case)
        .join("codegen.yaml");
    Config::load(&path).unwrap_or_else(|d| panic!("{case}: the config loads:\n{d}"))
}

#[test]
fn constructs_lower_to_the_model() {
    let config = config("constructs");
    let (api, warnings) = lower_version(&config, 0).unwrap_or_else(|d| panic!("lowers:\n{d}"));
    insta::assert_snapshot!("constructs_warnings", warnings.to_string());
    insta::assert_yaml_snapshot!("constructs_model", api);
}

#[test]
fn constructs_generate_a_crate_with_its_version() {
    let generated = generate(&config("constructs")).unwrap_or_else(|d| panic!("generates:\n{d}"));
    let manifest = &generated.files.files[Path::new("Cargo.toml")];
    assert!(
        manifest.contains("version = \"1.2.3-beta.1\""),
        "{manifest}"
    );
    let locked: Vec<&str> = generated.lock.files.keys().map(String::as_str).collect();
    assert_eq!(
        locked,
        ["common/types.json", "service/stable/2020-01-01/spec.json"],
        "the lock names every file read, and no example file"
    );
}

#[test]
fn places_behind_the_conversion_are_the_files_own() {
    let config = config("constructs");
    let specs = SpecSet::load(&config.api_versions[0].inputs, &config.load_options())
        .unwrap_or_else(|d| panic!("loads:\n{d}"));
    let spec = &config.api_versions[0].inputs[0];
    let start = "/paths/~1subscriptions~1{subscriptionId}~1providers~1Test.Fixture~1things~1{thingName}~1start/post";

    // The body parameter became the request body; its schema is still the parameter's.
    let body_schema = Location::new(
        spec,
        format!("{start}/requestBody/content/application~1json/schema"),
    );
    assert_eq!(
        specs.original_location(&body_schema).pointer,
        format!("{start}/parameters/2/schema")
    );
    assert_eq!(
        specs.raw_value(&body_schema),
        Some(&serde_json::json!({ "$ref": "#/definitions/StartData" }))
    );
    // A `$ref`'s siblings are in the raw JSON, where the lowering's places lead.
    let mode = Location::new(spec, "/definitions/StartData/properties/mode");
    assert_eq!(
        specs.raw_value(&mode).and_then(|m| m.get("description")),
        Some(&serde_json::json!("How to start."))
    );
    // A response header's schema is the header itself in Swagger 2.0.
    let retry = Location::new(
        spec,
        format!("{start}/responses/202/headers/Retry-After/schema"),
    );
    assert_eq!(
        specs.raw_value(&retry).and_then(|h| h.get("format")),
        Some(&serde_json::json!("int32"))
    );

    let operation = Location::new(spec, start);
    let examples = specs.examples(&operation);
    assert_eq!(examples.len(), 1);
    assert_eq!(examples[0].name, "Start a thing");
    assert!(examples[0].exists);
    assert!(examples[0].file.ends_with("examples/Things_Start.json"));
}
