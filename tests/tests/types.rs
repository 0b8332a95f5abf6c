//! Schemas → Rust types, pinned.
//!
//! - The `types` fixture (`fixtures/types/`, Swagger 2.0 with a second file of common types):
//!   names kept across files, one type per schema, `$ref` siblings, every format,
//!   polymorphism, `additionalProperties`, secrets. Its model is snapshotted, and its output
//!   is committed and compiled by this crate's library, so the round-trips below use the
//!   generated types themselves.
//! - (Each type diagnostic has its fixture in `fixtures/diagnostics/`, run by
//!   `tests/diagnostics.rs`: `secret_*`, `format_unsupported`, `discriminator_*`,
//!   `mutability_invalid`.)
//! - Hostile depth: a chain of 2,000 schemas is a located error, not a stack overflow.

#[allow(dead_code)]
mod fixture;

use azure_arm_codegen::config::Config;
use azure_arm_codegen::model::TypeRef;
use azure_arm_codegen::{generate, lower_version};
use codegen_tests::types_fixture::models::{
    Cat, CreatedByType, CreatedByType2, Dog, Labels, Pet, Status, Widget, WidgetProperties,
};
use serde_json::json;

fixture::committed_fixture!("fixtures/types/codegen.yaml");

/// One type per schema reached, named as the spec names it, with readOnly, required, secret
/// (`SecretString`), mutability and docs as declared — and the warnings of the run.
#[test]
fn the_lowered_types_match_their_snapshot() {
    let (api, warnings) = lower_version(&fixture::config(FIXTURE), 0).expect("lowers");
    insta::assert_yaml_snapshot!("types_model", api.types);
    insta::assert_snapshot!("types_warnings", warnings.to_string());
}

#[test]
fn formats_round_trip_alone_and_inside_arrays_and_maps() {
    let wire = json!({
        "created": "2024-05-01T10:00:00Z",
        "modified": "Wed, 01 May 2024 10:00:00 GMT",
        "birthday": "2024-02-29",
        "uniqueId": "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "blob": "AP8=",
        "urlBlob": "AP8",
        "history": ["2024-05-01T10:00:00Z", "2024-05-02T10:00:00.5+02:00"],
        "checkpoints": {"first": "2024-05-01T10:00:00Z"},
        "uniqueIds": ["67e55044-10b1-426f-9247-bb680e5fe0c8"],
        "ttl": "PT1H",
        "homepage": "https://example.com/a",
        "size": 10_000_000_000_i64,
        "ratio": 0.5,
    });
    let properties: WidgetProperties = serde_json::from_value(wire.clone()).expect("reads");
    assert_eq!(properties.created.unix_timestamp(), 1_714_557_600);
    assert_eq!(properties.modified, Some(properties.created));
    assert_eq!(properties.birthday.map(|d| d.ordinal()), Some(60));
    assert_eq!(properties.blob.as_deref(), Some(&[0, 255][..]));
    assert_eq!(properties.url_blob.as_deref(), Some(&[0, 255][..]));
    let history = properties.history.as_deref().expect("history");
    assert_eq!(history[1].unix_timestamp(), 1_714_636_800);
    assert_eq!(properties.checkpoints.as_ref().map(|c| c.len()), Some(1));
    assert_eq!(properties.ttl.as_deref(), Some("PT1H"));
    assert_eq!(serde_json::to_value(&properties).expect("writes"), wire);
}

#[test]
fn a_malformed_formatted_value_names_the_field() {
    let bad = json!({"created": "2024-05-01T10:00:00Z", "history": ["yesterday"]});
    let err = serde_json::from_value::<WidgetProperties>(bad).unwrap_err();
    assert!(err.to_string().contains("field `history`"), "{err}");
    let missing = serde_json::from_value::<WidgetProperties>(json!({})).unwrap_err();
    assert!(
        missing.to_string().contains("missing field `created`"),
        "{missing}"
    );
}

#[test]
fn secrets_from_the_config_the_format_and_siblings_never_reach_debug() {
    let properties: WidgetProperties = serde_json::from_value(json!({
        "created": "2024-05-01T10:00:00Z",
        "accessSAS": "https://a.blob.core.windows.net/c?sig=config-marked",
        "adminPassword": "format-password",
        "secretRef": "sibling-secret",
    }))
    .expect("reads");
    let debug = format!("{properties:?}");
    for secret in ["config-marked", "format-password", "sibling-secret"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    let sas = properties.access_sas.as_ref().expect("read");
    assert!(sas.expose_secret().ends_with("sig=config-marked"));
    // accessSAS is read-only: never sent back.
    let sent = serde_json::to_value(&properties).expect("writes");
    assert!(sent.get("accessSAS").is_none());
    assert_eq!(sent["adminPassword"], "format-password");
}

#[test]
fn polymorphic_values_pick_their_subtype_and_keep_unknown_kinds() {
    let cat = json!({"kind": "cat", "name": "Tom", "meows": true});
    let pet: Pet = serde_json::from_value(cat.clone()).expect("reads a cat");
    let Pet::Cat(inner) = &pet else {
        panic!("not a cat: {pet:?}")
    };
    assert_eq!(inner.meows, Some(true));
    assert_eq!(serde_json::to_value(&pet).expect("writes"), cat);

    // A subtype written on its own carries its tag; the value defaults to the definition name.
    let dog = Pet::Dog(Box::new(Dog::new(3)));
    assert_eq!(
        serde_json::to_value(&dog).expect("writes"),
        json!({"kind": "Dog", "barks": 3})
    );
    let cat = Cat {
        name: Some("Felix".into()),
        ..Cat::default()
    };
    assert_eq!(
        serde_json::to_value(&cat).expect("writes"),
        json!({"kind": "cat", "name": "Felix"})
    );

    // A subtype of a subtype is a variant of the root too.
    let kitten = json!({"kind": "kitten", "meows": true, "ageInWeeks": 6});
    let pet: Pet = serde_json::from_value(kitten.clone()).expect("reads a kitten");
    assert!(
        matches!(&pet, Pet::Kitten(k) if k.age_in_weeks == Some(6)),
        "{pet:?}"
    );
    assert_eq!(serde_json::to_value(&pet).expect("writes"), kitten);

    for unknown in [
        json!({"kind": "bird", "wings": 2}),
        json!({"name": "no kind"}),
        json!({"kind": 7}),
    ] {
        let pet: Pet = serde_json::from_value(unknown.clone()).expect("reads");
        assert!(
            matches!(&pet, Pet::Unknown(kept) if *kept == unknown),
            "{pet:?}"
        );
        assert_eq!(serde_json::to_value(&pet).expect("writes"), unknown);
    }
    // A known kind whose fields are wrong is an error, not an unknown kind.
    assert!(serde_json::from_value::<Pet>(json!({"kind": "Dog", "barks": "loud"})).is_err());
}

#[test]
fn additional_properties_beside_properties_are_kept() {
    let wire = json!({"team": "disks", "cost-center": "42", "owner": "me"});
    let labels: Labels = serde_json::from_value(wire.clone()).expect("reads");
    assert_eq!(labels.team.as_deref(), Some("disks"));
    assert_eq!(labels.additional_properties.len(), 2);
    assert_eq!(labels.additional_properties["cost-center"], "42");
    assert_eq!(serde_json::to_value(&labels).expect("writes"), wire);
}

#[test]
fn types_from_another_file_keep_their_names_and_siblings_their_meaning() {
    let widget: Widget = serde_json::from_value(json!({
        "id": "/subscriptions/s/widgets/w",
        "location": "westeurope",
        "systemData": {"createdByType": "User", "lastModifiedByType": "Robot"},
        "creatorKind": "Application",
        "altCreator": "Robot",
        "owner": {"name": "n", "age": 3},
        "properties": {"created": "2024-05-01T10:00:00Z", "status": "Ready", "legacyStatus": "Failed"},
    }))
    .expect("reads");
    let system = widget.system_data.as_ref().expect("systemData");
    // common-types' createdByType, declared twice there and once here: one type.
    let same: [&Option<CreatedByType>; 3] = [
        &system.created_by_type,
        &system.last_modified_by_type,
        &widget.creator_kind,
    ];
    assert_eq!(same[0], &Some(CreatedByType::User));
    assert_eq!(same[1], &Some(CreatedByType::UnknownValue("Robot".into())));
    assert_eq!(widget.alt_creator, Some(CreatedByType2::Robot));
    // x-ms-client-name beside a $ref renames the field, not the wire name.
    assert_eq!(
        widget.owner_info.as_ref().map(|o| o.name.as_str()),
        Some("n")
    );
    let properties = widget.properties.as_ref().expect("properties");
    assert_eq!(properties.status, Some(Status::Ready));
    assert_eq!(properties.legacy_status, Some(Status::Failed));
    // readOnly beside a $ref (and in the allOf wrapper): never sent.
    let sent = serde_json::to_value(&widget).expect("writes");
    assert_eq!(
        sent,
        json!({
            "location": "westeurope",
            "creatorKind": "Application",
            "altCreator": "Robot",
            "owner": {"name": "n", "age": 3},
            "properties": {"created": "2024-05-01T10:00:00Z"},
        })
    );
}

/// `count` definitions `S0` … `S{count-1}` (Swagger 2.0), each built by `link`
/// from the name of the next; the operation's result is `S0`.
fn chain_spec(count: usize, link: impl Fn(usize, String) -> serde_json::Value) -> String {
    let template = std::fs::read_to_string("fixtures/diagnostics/mutability_invalid/spec.json")
        .expect("reads the template spec");
    let mut spec: serde_json::Value = serde_json::from_str(&template).expect("parses");
    let schemas = spec["definitions"].as_object_mut().expect("definitions");
    for index in 0..count {
        let next = format!("#/definitions/S{}", index + 1);
        schemas.insert(format!("S{index}"), link(index, next));
    }
    schemas.insert(
        format!("S{count}"),
        json!({"type": "object", "properties": {"end": {"type": "string"}}}),
    );
    schemas["StartResult"]["properties"]["chain"] = json!({"$ref": "#/definitions/S0"});
    serde_json::to_string(&spec).expect("serializes")
}

/// A link of a chain: a struct with a property of its own, inheriting from the next.
fn inheriting(index: usize, next: String) -> serde_json::Value {
    json!({
        "description": format!("Link {index}."),
        "allOf": [{"$ref": next}],
        "properties": {format!("p{index}"): {"type": "string"}},
    })
}

/// Runs `work` on the config of a scratch folder holding `spec` (the fixtures' template
/// config beside it); the folder is removed afterwards.
fn in_scratch<T>(name: &str, spec: String, work: impl FnOnce(&Config) -> T) -> T {
    let scratch = std::env::temp_dir().join(format!("codegen-types-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    std::fs::copy(
        "fixtures/diagnostics/mutability_invalid/codegen.yaml",
        scratch.join("codegen.yaml"),
    )
    .expect("copies the config");
    std::fs::write(scratch.join("spec.json"), spec).expect("writes the spec");
    let config = Config::load(&scratch.join("codegen.yaml")).expect("config loads");
    let result = work(&config);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// Runs the generator on `spec` in a scratch folder and returns its rendered diagnostics.
fn run_scratch(name: &str, spec: String) -> String {
    in_scratch(name, spec, |config| match generate(config) {
        Ok(generated) => format!("success\n{}", generated.warnings),
        Err(diagnostics) => format!("failure\n{diagnostics}"),
    })
}

/// issue 10, item 4: 2,000 schemas, each `allOf` the next (about 330 KB as the issue found
/// it), overflowed the stack of a debug build. Now: an error at the documented depth (64).
#[test]
fn a_chain_of_two_thousand_allof_schemas_is_an_error_not_a_stack_overflow() {
    // A pure `allOf: [$ref]` wrapper each (a reference with siblings).
    let wrappers = chain_spec(
        2000,
        |index, next| json!({"description": format!("Link {index}."), "allOf": [{"$ref": next}]}),
    );
    assert!(wrappers.len() > 150_000, "{}", wrappers.len());
    let report = run_scratch("wrappers", wrappers);
    assert!(report.starts_with("failure"), "{report}");
    assert!(report.contains("nest more than 64 levels"), "{report}");
    // Structs inheriting from the next one: properties gathered through `allOf`.
    let report = run_scratch("inheriting", chain_spec(2000, inheriting));
    assert!(report.starts_with("failure"), "{report}");
    assert!(report.contains("nest more than 64 levels"), "{report}");
    // Arrays of arrays of …: nesting through `items`.
    let arrays = chain_spec(
        2000,
        |_, next| json!({"type": "array", "items": {"$ref": next}}),
    );
    let report = run_scratch("arrays", arrays);
    assert!(report.contains("nest more than 64 levels"), "{report}");
}

/// A chain well inside the bound generates.
#[test]
fn a_chain_within_the_depth_bound_generates() {
    let report = run_scratch("within", chain_spec(40, inheriting));
    assert!(report.starts_with("success"), "{report}");
}

/// Parameters travel as text: a `format: uuid` path parameter stays a string. A Swagger 2.0
/// body parameter's schema is a body, so its formats are kept.
#[test]
fn parameters_keep_formats_as_text_and_bodies_keep_them_typed() {
    let template = std::fs::read_to_string("fixtures/diagnostics/mutability_invalid/spec.json")
        .expect("reads the template spec");
    let mut spec: serde_json::Value = serde_json::from_str(&template).expect("parses");
    let (_, item) = spec["paths"]
        .as_object_mut()
        .and_then(|paths| paths.iter_mut().next())
        .expect("a path");
    let parameters = item["post"]["parameters"]
        .as_array_mut()
        .expect("parameters");
    parameters[2]["format"] = json!("uuid");
    parameters[3]["schema"] =
        json!({"type": "array", "items": {"type": "string", "format": "date-time"}});
    let lowered = in_scratch("params", spec.to_string(), |config| {
        lower_version(config, 0)
    });
    let (api, _) = lowered.expect("lowers");
    let operation = &api.groups[0].operations[0];
    let thing = operation.params.iter().find(|p| p.wire_name == "thingName");
    assert_eq!(thing.map(|p| &p.ty), Some(&TypeRef::String));
    let body = operation.body.as_ref().map(|b| &b.ty);
    assert_eq!(body, Some(&TypeRef::Array(Box::new(TypeRef::DateTime))));
}
