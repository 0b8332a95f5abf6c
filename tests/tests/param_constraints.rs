//! Constraints of query and header parameters beyond strings:
//!
//! - numeric `minimum`/`maximum`, inclusive and exclusive, checked before anything is sent
//!   (the operations fixture's `$top` is 1..=1000, its `ratio` in the open range (0, 1.5));
//! - list formats: csv is sent; every other `collectionFormat` (multi, ssv, tsv, pipes) is a
//!   located error of the generator rather than a list the service would misread.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/ops.rs"]
#[allow(dead_code)]
mod ops;
#[allow(dead_code)]
mod support;

use azure_arm_codegen::{config::Config, generate};
use codegen_tests::operations_fixture::{NamesEchoOptions, WidgetsListByResourceGroupOptions};
use ops::{Fixture, RG, VERSION};
use serde_json::{Value, json};
use support::{SUBSCRIPTION, server::Reply};

#[tokio::test]
async fn numbers_out_of_range_are_refused_before_sending() {
    let f = Fixture::start().await;
    let list = |top| {
        f.widgets()
            .list_by_resource_group(
                RG,
                Some(WidgetsListByResourceGroupOptions {
                    top: Some(top),
                    ..Default::default()
                }),
            )
            .map(drop)
            .map_err(|error| error.to_string())
    };
    assert_eq!(
        list(0).unwrap_err(),
        "parameter `$top`: 0 is out of range: it must be at least 1"
    );
    assert_eq!(
        list(1001).unwrap_err(),
        "parameter `$top`: 1001 is out of range: it must be at most 1000"
    );
    list(1000).expect("the bound itself is allowed");

    let echo = |ratio| {
        let options = NamesEchoOptions {
            ratio: Some(ratio),
            ..Default::default()
        };
        let f = &f;
        async move {
            ops::echo(f, None, Some(options))
                .await
                .map_err(|error| error.to_string())
        }
    };
    assert_eq!(
        echo(0.0).await.unwrap_err(),
        "parameter `ratio`: 0 is out of range: it must be greater than 0"
    );
    assert_eq!(
        echo(1.5).await.unwrap_err(),
        "parameter `ratio`: 1.5 is out of range: it must be less than 1.5"
    );
    // Nothing was sent so far; a value inside the range is.
    assert!(f.server.received().is_empty());
    let target = format!(
        "/subscriptions/{SUBSCRIPTION}/providers/Test.Ops/echo/q/p/u/pa/c?api-version={VERSION}&request=r&options=o&response=s&count=7&ratio=0.25"
    );
    f.expect(
        "POST",
        &target,
        None,
        Reply::json(200, json!({"seen": "all"})),
    );
    echo(0.25).await.expect("in range");
    f.finish();
}

/// The generator's diagnostics for the operations fixture with `kinds` (a query list) in
/// `format`, or `None` when it generates.
fn list_format_diagnostics(name: &str, place: &str, format: &str) -> Option<String> {
    let text = std::fs::read_to_string("fixtures/operations/operations.json").expect("the spec");
    let mut spec: Value = serde_json::from_str(&text).expect("JSON");
    let paths = spec["paths"].as_object_mut().expect("paths");
    let echo = paths
        .values_mut()
        .find_map(|item| {
            item.get_mut("post")
                .filter(|op| op["operationId"] == "Names_Echo")
        })
        .expect("Names_Echo");
    let kinds = echo["parameters"]
        .as_array_mut()
        .expect("parameters")
        .iter_mut()
        .find(|p| p["name"] == "kinds")
        .expect("kinds");
    kinds["in"] = json!(place);
    kinds["collectionFormat"] = json!(format);

    let scratch =
        std::env::temp_dir().join(format!("codegen-list-format-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    std::fs::write(scratch.join("operations.json"), spec.to_string()).expect("writes the spec");
    let config = std::fs::read_to_string("fixtures/operations/codegen.yaml").expect("config");
    std::fs::write(scratch.join("codegen.yaml"), config).expect("writes the config");
    let config = Config::load(&scratch.join("codegen.yaml")).expect("the config loads");
    let result = generate(&config).err().map(|d| d.to_string());
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

#[test]
fn list_formats_other_than_csv_are_located_errors() {
    assert_eq!(list_format_diagnostics("csv", "query", "csv"), None);
    for (place, format) in [
        ("query", "multi"),
        ("query", "ssv"),
        ("query", "tsv"),
        ("query", "pipes"),
        ("header", "ssv"),
        ("header", "multi"),
    ] {
        let diagnostics = list_format_diagnostics(format, place, format)
            .unwrap_or_else(|| panic!("{place} {format}: generated"));
        assert!(
            diagnostics.contains(&format!(
                "parameter `kinds`: list format `{format}` is not supported, only csv"
            )),
            "{place} {format}: {diagnostics}"
        );
        // Located: the file and the parameter's JSON pointer.
        assert!(
            diagnostics.contains("operations.json") && diagnostics.contains("/parameters/"),
            "{place} {format}: {diagnostics}"
        );
    }
}
