//! The published Compute specs (Swagger 2.0, in an azure-rest-api-specs checkout), read as
//! they are: `specs/codegen.yaml` generates, its lock matches, and the whole
//! DiskRP document of each api-version loads. Skipped, saying why, without a spec root;
//! required when `CI` is set.

mod corpus;

use azure_arm_codegen::generate;
use azure_arm_codegen::load::SpecSet;
use azure_arm_codegen::lock::Lock;

const UPSTREAM: &str = "specs/codegen.yaml";

/// The whole published DiskRP of both api-versions generates: 38 operations each, no error,
/// and no warning but the example files 2024-03-02 names and the corpus lacks. The model
/// itself is pinned by `upstream_types` (one line per type) and by `generated/`, which
/// `cargo xtask codegen --check` compares.
#[test]
fn the_upstream_config_generates_the_whole_disk_rp_of_both_versions() {
    let test = "the_upstream_config_generates_the_whole_disk_rp_of_both_versions";
    let Some(config) = corpus::load_config(test, UPSTREAM) else {
        return;
    };
    let generated = generate(&config).unwrap_or_else(|d| panic!("generates:\n{d}"));
    assert_eq!(generated.operation_count(), 76);
    for api in &generated.apis {
        let operations: usize = api.groups.iter().map(|g| g.operations.len()).sum();
        assert_eq!(operations, 38, "api-version {}", api.version);
    }
    assert_eq!(generated.warnings.error_count(), 0);
    let unexpected: Vec<String> = generated
        .warnings
        .sorted()
        .into_iter()
        .filter(|w| !w.message.contains("example file"))
        .map(|w| w.to_string())
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

#[test]
fn the_lock_is_what_the_upstream_config_reads() {
    let Some(config) = corpus::load_config("the_lock_is_what_the_upstream_config_reads", UPSTREAM)
    else {
        return;
    };
    let generated = generate(&config).unwrap_or_else(|d| panic!("generates:\n{d}"));
    let lock = config
        .lock
        .as_ref()
        .expect("the upstream config keeps a lock");
    let changes = generated.lock.check(lock).expect("reads the lock");
    assert!(
        changes.is_empty(),
        "the spec files differ from {}: {changes:#?}; review, then run `cargo xtask codegen --config {UPSTREAM}`",
        lock.display()
    );
    let text = std::fs::read_to_string(lock).expect("reads the lock");
    assert_eq!(Lock::parse(&text).map(|l| l.files.len()), Some(4));
}

/// Every operation of the published documents is found, and `x-ms-examples` are recorded
/// without being read: the corpus names 86 example files for 2024-03-02 (13 present) and 90
/// for 2025-01-02 (all present).
#[test]
fn the_whole_published_disk_rp_loads() {
    let Some(config) = corpus::load_config("the_whole_published_disk_rp_loads", UPSTREAM) else {
        return;
    };
    for (version, named, present) in [
        (&config.api_versions[0], 86, 13),
        (&config.api_versions[1], 90, 90),
    ] {
        let specs = SpecSet::load(&version.inputs, &config.load_options())
            .unwrap_or_else(|d| panic!("{} loads:\n{d}", version.version));
        let root = &specs.roots[0];
        assert_eq!(root.openapi.info.version, version.version);
        let mut operations = 0;
        let mut examples = Vec::new();
        for (path, item) in &root.openapi.paths.paths {
            let item = item.as_item().expect("path items are written in place");
            for (method, _) in item.iter() {
                operations += 1;
                let at = azure_arm_codegen::diagnostics::Location::new(&root.path, "/paths")
                    .join(path)
                    .join(method);
                examples.extend(specs.examples(&at).iter().cloned());
            }
        }
        assert_eq!(operations, 38, "{}", version.version);
        assert_eq!(examples.len(), named, "{}", version.version);
        assert_eq!(
            examples.iter().filter(|e| e.exists).count(),
            present,
            "{}",
            version.version
        );
        assert_eq!(
            specs.digests().len(),
            3,
            "DiskRP.json and the two common-types files"
        );
    }
}
