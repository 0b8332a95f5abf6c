//! Bad specs get diagnostics like a compiler's: where (file:line:column#pointer, the operation
//! or schema), what is wrong, what would fix it; every problem of a run together, sorted.
//! One fixture folder per case in `fixtures/diagnostics/` (a config and its spec, runnable
//! with `cargo xtask codegen --config`), one snapshot of the rendered diagnostics each.

use std::path::Path;

use azure_arm_codegen::config::Config;
use azure_arm_codegen::generate;

/// What a run prints for a fixture: the diagnostics, and for a run that succeeds, the
/// generated models (to show what escaping and boxing produced).
fn run(case: &str) -> String {
    // Relative to the package folder, where tests run, so paths read the same everywhere.
    let config_path = Path::new("fixtures/diagnostics")
        .join(case)
        .join("codegen.yaml");
    let config = match Config::load(&config_path) {
        Ok(config) => config,
        Err(diagnostics) => return format!("usage error (exit 2)\n\n{diagnostics}"),
    };
    match generate(&config) {
        Err(diagnostics) => format!("spec errors (exit 1), nothing written\n\n{diagnostics}"),
        Ok(generated) => {
            let models = generated
                .files
                .files
                .iter()
                .find(|(path, _)| path.ends_with("models.rs"))
                .map(|(_, text)| text.clone())
                .unwrap_or_default();
            format!("success (exit 0)\n\n{}\n\n{models}", generated.warnings)
        }
    }
}

macro_rules! cases {
    ($($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                insta::assert_snapshot!(stringify!($case), run(stringify!($case)));
            }
        )*

        #[test]
        fn every_fixture_folder_has_a_case() {
            let listed = [$(stringify!($case)),*];
            for entry in std::fs::read_dir("fixtures/diagnostics").expect("fixtures exist") {
                let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
                assert!(listed.contains(&name.as_str()), "fixture {name} has no test case");
            }
        }
    };
}

cases!(
    valid,
    invalid_json,
    invalid_yaml,
    missing_input,
    ref_missing_name,
    ref_missing_file,
    ref_cycle_unsized,
    ref_chain_cycle,
    recursive_type,
    allof_cycle,
    operation_id_duplicate,
    operation_id_missing,
    path_param_undeclared,
    path_param_unused,
    path_param_not_string,
    path_template_not_a_path,
    param_unsupported_location,
    unsupported_schema,
    enum_no_values,
    enum_duplicate_values,
    name_collision_explicit,
    name_collision_resolved,
    keyword_and_digit_names,
    unsupported_openapi_version,
    openapi_schema_violation,
    swagger_2,
    config_unknown_api_version,
    config_invalid,
    config_unknown_field,
    missing_description,
    swagger_form_data,
    swagger_two_bodies,
    swagger_parameterized_host,
    swagger_x_ms_paths_query,
    swagger_file_response,
    swagger_version_unsupported,
    swagger_schema_violation,
    examples_missing,
    ref_outside_spec_root,
    ref_outside_spec_root_allowed,
    ref_remote,
    ref_in_example_not_followed,
    bom,
    operations_selected,
    config_operations_unknown,
    config_secrets_invalid,
    secret_unmatched,
    secret_not_string,
    format_unsupported,
    discriminator_duplicate_value,
    discriminator_without_subtypes,
    mutability_invalid,
    yaml_spec_positions,
);

/// A failed run must leave the output exactly as it was.
#[test]
fn a_failed_run_writes_nothing() {
    let scratch = std::env::temp_dir().join(format!("codegen-failed-run-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    for file in ["codegen.yaml", "spec.json"] {
        std::fs::copy(
            Path::new("fixtures/diagnostics/valid").join(file),
            scratch.join(file),
        )
        .expect("copies fixture");
    }
    let config = Config::load(&scratch.join("codegen.yaml")).expect("config loads");
    generate(&config)
        .expect("generates")
        .files
        .write(&config.output)
        .expect("writes");
    let before = snapshot_folder(&config.output);

    let spec = scratch.join("spec.json");
    let text = std::fs::read_to_string(&spec).expect("reads spec");
    // Change a description (which alone would rewrite models.rs) and break an enum.
    let broken = text
        .replace(
            "\"description\": \"The result.\"",
            "\"description\": \"Changed.\"",
        )
        .replace("\"Slow\"", "\"Fast\"");
    assert_ne!(text, broken);
    std::fs::write(&spec, broken).expect("writes spec");
    assert!(generate(&config).is_err(), "the broken spec must fail");
    assert_eq!(
        snapshot_folder(&config.output),
        before,
        "a failed run changed the output"
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

fn snapshot_folder(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("reads folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push((
                    path.display().to_string(),
                    std::fs::read(&path).expect("reads file"),
                ));
            }
        }
    }
    files.sort();
    files
}
