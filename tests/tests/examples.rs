//! `x-ms-examples` become replaying tests in the generated crate, or warnings that name the
//! file and say why not: a small fixture with one example of each kind, and the published
//! DiskRP (skipped, saying why, without the corpus; required when `CI` is set).

mod corpus;
mod scratch;

use azure_arm_codegen::config::Config;
use azure_arm_codegen::generate;
use azure_arm_codegen::model::{Api, ExampleReplay};

const FIXTURE: &str = "fixtures/examples/codegen.yaml";

/// The fixture's config, by its path relative to the package folder (where tests run).
fn fixture_config() -> Config {
    Config::load(std::path::Path::new(FIXTURE)).expect("the fixture config loads")
}

/// The test names of an api-version's examples, in order.
fn test_names(api: &Api) -> Vec<&str> {
    api.examples.iter().map(|e| e.test_name.as_str()).collect()
}

#[test]
fn examples_become_tests_or_warnings_that_say_why() {
    let config = fixture_config();
    let generated = generate(&config).unwrap_or_else(|d| panic!("generates:\n{d}"));
    let api = &generated.apis[0];
    assert_eq!(
        test_names(api),
        [
            "things_get",
            "things_create",
            "things_create_never_finishes",
            "things_delete",
            "things_list",
            "things_list_foreign_next_link"
        ]
    );
    assert_eq!(api.skipped_examples, 7);
    assert_eq!(generated.warnings.warning_count(), 7);
    insta::assert_snapshot!("example_warnings", generated.warnings.to_string());
    let tests = &generated.files.files[std::path::Path::new("tests/examples_v2020_01_01.rs")];
    insta::assert_snapshot!("example_tests_file", tests);
    assert!(
        generated
            .files
            .files
            .contains_key(std::path::Path::new("tests/support/mod.rs"))
    );
}

/// Each operation's first replayable example is a `no_run` snippet in its method's docs, with
/// the example's values as escaped string literals.
#[test]
fn methods_show_an_example_with_its_values() {
    let config = fixture_config();
    let generated = generate(&config).unwrap_or_else(|d| panic!("generates:\n{d}"));
    let group = &generated.files.files[std::path::Path::new("src/v2020_01_01/things.rs")];
    let snippets: Vec<&str> = group
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("/// let ") || l.starts_with("/// > "))
        .collect();
    insta::assert_snapshot!("example_doc_snippets", snippets.join("\n"));
}

/// Each example's request path is encoded segment by segment as the runtime encodes it, and
/// the expected bodies hold what the model serializes (no read-only or undeclared field).
#[test]
fn expected_requests_and_results_follow_the_model() {
    let config = fixture_config();
    let generated = generate(&config).unwrap_or_else(|d| panic!("generates:\n{d}"));
    let get = &generated.apis[0].examples[0];
    assert_eq!(
        get.request.path,
        "/subscriptions/%7Bsubscription-id%7D/resourceGroups/my%20group/providers/Test.Fixture/things/thing%2F1"
    );
    let result: serde_json::Value =
        serde_json::from_str(get.result.as_deref().expect("get returns a thing")).expect("JSON");
    assert_eq!(
        result,
        serde_json::json!({
            "location": "West US",
            "tags": {"team": "a \"quoted\" \\ value"},
            "properties": {"size": 3, "ratio": 1, "created": "2020-01-02T03:04:05.5+00:00", "mode": "Fast"}
        })
    );
    let delete = &generated.apis[0].examples[3];
    let statuses: Vec<u16> = delete.responses.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [202, 204],
        "the acceptance first, then the final response"
    );
    assert_eq!(delete.result, None);
    // A PUT that never ends is replayed up to the service's first answer, the 201.
    let unfinished = &generated.apis[0].examples[2];
    let statuses: Vec<u16> = unfinished.responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [201]);
    assert_eq!(
        unfinished.replay,
        ExampleReplay::FirstStatus {
            state: "Creating".into()
        }
    );
    let foreign = &generated.apis[0].examples[5];
    assert_eq!(foreign.replay, ExampleReplay::FirstPageThenRefusedLink);
}

/// The fixture's generated example tests compile and pass in a scratch workspace: every
/// replay shape (complete, long-running to the end, stopped at the first status, a page
/// whose next link is refused) runs against the generated client.
#[test]
fn the_fixture_example_tests_pass() {
    let generated = generate(&fixture_config()).unwrap_or_else(|d| panic!("generates:\n{d}"));
    let scratch = scratch::Scratch::new("examples-replay", &["examples_fixture"]);
    for (path, text) in &generated.files.files {
        scratch.write(std::path::Path::new("examples_fixture").join(path), text);
    }
    let output = scratch.cargo(&[
        "test",
        "-p",
        "examples_fixture",
        "--all-features",
        "--test",
        "examples_v2020_01_01",
    ]);
    assert!(output.status.success(), "{}", scratch::describe(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for name in test_names(&generated.apis[0]) {
        assert!(
            stdout.contains(&format!("test {name} ... ok")),
            "{name}:\n{stdout}"
        );
    }
}

/// A test file of many examples is emitted and formatted in parts, on whichever thread is
/// free, and joined: every test lands in exactly one part, in the examples' order, and the
/// file reads as the whole file formatted at once.
#[test]
fn a_large_test_file_is_formatted_in_parts_as_one() {
    use azure_arm_codegen::{emit, format, render};
    let config = fixture_config();
    let generated = generate(&config).unwrap_or_else(|d| panic!("generates:\n{d}"));
    let mut api = generated.apis[0].clone();
    let examples = api.examples.clone();
    api.examples = (0..5)
        .flat_map(|copy| {
            examples.iter().cloned().map(move |mut example| {
                example.test_name = format!("{}_{copy}", example.test_name);
                example
            })
        })
        .collect();
    let expected: Vec<&str> = test_names(&api);
    let plan = emit::version_file_plan(&config, &api);
    let file = plan
        .iter()
        .find(|file| file.path.starts_with("tests"))
        .expect("the example tests are planned");
    assert!(file.parts > 2, "{} parts", file.parts);
    let mut seen = Vec::new();
    for part in 0..file.parts {
        let emit::Content::Rust { tokens, .. } = file.emit_part(part) else {
            panic!("Rust tokens");
        };
        let text = tokens.to_string();
        let names: Vec<String> = text
            .split("async fn ")
            .skip(1)
            .map(|rest| rest.split([' ', '(']).next().unwrap_or_default().to_owned())
            .collect();
        assert!(!names.is_empty(), "part {part} has tests");
        seen.extend(names);
    }
    assert_eq!(seen, expected);
    let files = render(&config, std::slice::from_ref(&api)).unwrap_or_else(|d| panic!("{d}"));
    let whole = emit::example_tests_file(&config, &api).expect("examples");
    let at_once = format::rust_file_with(
        whole.clone(),
        "tests.rs",
        "",
        &format::Items::default(),
        &|| whole.clone(),
    )
    .expect("formats");
    let rendered = &files.files[&file.path];
    assert!(rendered.ends_with(&at_once), "{rendered}");
    assert_eq!(rendered.matches("async fn ").count(), expected.len());
}

/// The published DiskRP: every example is replayed or reported, and the reported ones are
/// pinned with their reasons (all the spec's: files the corpus lacks, an api-version other
/// than the spec's). Creations that never end are replayed up to their first status, lists
/// whose next link is off the endpoint up to that link's refusal.
#[test]
fn every_published_disk_rp_example_is_replayed_or_reported() {
    let test = "every_published_disk_rp_example_is_replayed_or_reported";
    let Some(config) = corpus::load_config(test, "specs/codegen.yaml") else {
        return;
    };
    let generated = generate(&config).unwrap_or_else(|d| panic!("generates:\n{d}"));
    let counts: Vec<(&str, usize, usize)> = generated
        .apis
        .iter()
        .map(|a| (a.version.as_str(), a.examples.len(), a.skipped_examples))
        .collect();
    // 2024-03-02 names 86 files, of which the corpus holds 13; 2025-01-02 names 90.
    assert_eq!(counts, [("2024-03-02", 13, 73), ("2025-01-02", 88, 2)]);
    let missing = "the file cannot be read";
    let reported: Vec<String> = generated
        .warnings
        .sorted()
        .into_iter()
        .filter(|w| w.message.contains("is not replayed") && !w.message.contains(missing))
        .map(|w| w.message.clone())
        .collect();
    insta::assert_snapshot!("disk_rp_examples_not_replayed", reported.join("\n"));
    let absent = generated
        .warnings
        .sorted()
        .into_iter()
        .filter(|w| w.message.contains(missing))
        .count();
    assert_eq!(absent, 73, "the 2024-03-02 files the corpus lacks");
}
