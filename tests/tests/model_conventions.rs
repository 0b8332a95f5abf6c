//! Conventions of the generated models beyond serde:
//!
//! - `Debug` shows no field values (azure_core's `SafeDebug`: `Disk { .. }`), so neither
//!   customers' data nor secrets reach logs; the error models keep a `Debug` that shows the
//!   service's words, redacted.
//! - Required write-only fields (`x-ms-mutability` without `read`): a response may leave them
//!   out, what callers send keeps them (the `types` fixture's `Enrollment`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use azure_arm_compute::{v2024_03_02, v2025_01_02};
use codegen_tests::types_fixture::models::{Enrollment, Widget, WidgetProperties};
use serde_json::json;

#[test]
fn models_debug_shows_the_type_and_no_field_values() {
    let wire = json!({
        "id": "/subscriptions/s/resourceGroups/customer-rg/providers/Microsoft.Compute/disks/payroll-db",
        "name": "payroll-db",
        "location": "westus",
        "tags": {"owner": "alice@example.com"},
        "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 200},
    });
    let disk: v2025_01_02::models::Disk = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(format!("{disk:?}"), "Disk { .. }");
    assert_eq!(format!("{disk:#?}"), "Disk { .. }");
    let list: v2024_03_02::models::DiskList =
        serde_json::from_value(json!({"value": [wire]})).unwrap();
    assert_eq!(format!("{list:?}"), "DiskList { .. }");
    // Enums are the spec's own words, not customers' data: shown.
    let state = v2025_01_02::models::DiskState::Unattached;
    assert_eq!(format!("{state:?}"), "Unattached");

    // A secret, from the config, `format: password` or `x-ms-secret`: not even its field name.
    let properties: WidgetProperties = serde_json::from_value(json!({
        "created": "2024-05-01T10:00:00Z",
        "accessSAS": "https://a.blob.core.windows.net/c?sv=1&sig=config-marked",
        "adminPassword": "format-password",
    }))
    .unwrap();
    assert_eq!(format!("{properties:?}"), "WidgetProperties { .. }");
    let access: v2025_01_02::models::AccessUri = serde_json::from_value(
        json!({"accessSAS": "https://md.blob.core.windows.net/d/abcd?sv=2018-03-28&sr=b&sig=SeCrEt"}),
    )
    .unwrap();
    assert_eq!(format!("{access:?}"), "AccessUri { .. }");
}

#[test]
fn the_error_models_debug_shows_the_service_words_redacted() {
    let wire = json!({"error": {
        "code": "OperationNotAllowed",
        "message": "The SAS https://md.blob.core.windows.net/d/abcd?sv=2018-03-28&sig=SeCrEt is still active",
        "target": "myDisk",
        "details": [{"code": "Inner", "message": "see sig=AlsoSecret"}],
        "innererror": {"exceptiontype": "Conflict", "errordetail": "detail"},
    }});
    let cloud: v2025_01_02::models::CloudError = serde_json::from_value(wire).unwrap();
    let debug = format!("{cloud:?}");
    for shown in [
        "CloudError",
        "ApiError",
        "OperationNotAllowed",
        "is still active",
        "myDisk",
        "Inner",
        "Conflict",
    ] {
        assert!(debug.contains(shown), "{shown} missing in {debug}");
    }
    assert!(!debug.contains("SeCrEt"), "{debug}");
    assert!(!debug.contains("AlsoSecret"), "{debug}");
}

#[test]
fn a_response_may_omit_required_write_only_fields() {
    // The service returns what it may read back; `inviteCode` and `scopes` are write-only.
    let widget: Widget = serde_json::from_value(json!({
        "location": "westus",
        "enrollment": {"plan": "basic"},
    }))
    .unwrap();
    let enrollment = widget.enrollment.unwrap();
    assert_eq!(enrollment.plan, "basic");
    assert_eq!(enrollment.invite_code, "");
    assert!(enrollment.scopes.is_empty());
    // `null` reads the same way; a value is kept.
    let enrollment: Enrollment =
        serde_json::from_value(json!({"plan": "basic", "inviteCode": null, "scopes": ["read"]}))
            .unwrap();
    assert_eq!(
        (enrollment.invite_code.as_str(), enrollment.scopes.len()),
        ("", 1)
    );
    // A wrong type is still an error that names the field.
    let error = serde_json::from_value::<Enrollment>(json!({"plan": "basic", "inviteCode": 7}))
        .unwrap_err();
    assert!(error.to_string().contains("inviteCode"), "{error}");
}

#[test]
fn a_required_readable_field_a_response_omits_is_an_error_naming_it() {
    let error = serde_json::from_value::<Enrollment>(json!({"inviteCode": "x"})).unwrap_err();
    assert!(
        error.to_string().contains("missing field `plan`"),
        "{error}"
    );
}

#[test]
fn callers_still_send_required_write_only_fields() {
    // Not `Option`: `new` takes them, and they are always serialized.
    let enrollment = Enrollment::new("basic".into(), "c0de".into(), vec!["read".into()]);
    assert_eq!(
        serde_json::to_value(&enrollment).unwrap(),
        json!({"plan": "basic", "inviteCode": "c0de", "scopes": ["read"]})
    );
}
