//! Every operation of the published DiskRP (Swagger 2.0, from an azure-rest-api-specs
//! checkout) lowers to one of the three kinds, with none left out: `specs/codegen.yaml`
//! without its selection. Skipped, saying why, without a spec root; required when `CI` is set.

mod corpus;

use azure_arm_codegen::generate;
use azure_arm_codegen::model::HttpMethod;

#[test]
fn the_whole_disk_rp_generates_every_operation_kind() {
    let test = "the_whole_disk_rp_generates_every_operation_kind";
    let Some(mut config) = corpus::load_config(test, "specs/codegen.yaml") else {
        return;
    };
    for version in &mut config.api_versions {
        version.operations.include = None;
    }
    let generated = generate(&config).unwrap_or_else(|d| panic!("generates:\n{d}"));
    assert_eq!(
        generated.warnings.error_count(),
        0,
        "{}",
        generated.warnings
    );
    assert_eq!(generated.operation_count(), 76);
    for api in &generated.apis {
        let operations: Vec<_> = api.groups.iter().flat_map(|g| &g.operations).collect();
        let pageable = operations.iter().filter(|o| o.pageable.is_some()).count();
        let long_running = operations
            .iter()
            .filter(|o| o.long_running.is_some())
            .count();
        let plain = operations.len() - pageable - long_running;
        // DiskRP: 11 lists, 7 gets, 20 long-running PUT/PATCH/DELETE/POST.
        assert_eq!(
            (plain, pageable, long_running),
            (7, 11, 20),
            "{}",
            api.version
        );
        for method in [
            HttpMethod::Put,
            HttpMethod::Patch,
            HttpMethod::Delete,
            HttpMethod::Post,
        ] {
            assert!(
                operations
                    .iter()
                    .any(|o| o.method == method && o.long_running.is_some()),
                "{}: a long-running {method:?}",
                api.version
            );
        }
        let groups: Vec<&str> = api.groups.iter().map(|g| g.wire_name.as_str()).collect();
        assert_eq!(
            groups,
            [
                "DiskAccesses",
                "DiskEncryptionSets",
                "Disks",
                "Snapshots",
                "DiskRestorePoint"
            ],
            "{}",
            api.version
        );
    }
}
