//! The generated models against real payloads: the samples of the reference pages (kept as
//! OpenAPI examples in our specs) and the upstream example files. Wire names, required and
//! optional fields, read-only fields, secrets, unknown values and unknown fields.

mod corpus;

use std::path::{Path, PathBuf};

use azure_arm_compute::{v2024_03_02 as v2024, v2025_01_02 as v2025};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};
use std::fmt::Debug;

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn spec(version: &str) -> Value {
    read_json(&repository_root().join(format!("tests/fixtures/openapi3/compute-{version}.json")))
}

/// The `examples` of every operation's request body or 200 response, by operationId.
fn examples(spec: &Value, operation_id: &str, response: bool) -> Vec<(String, Value)> {
    let operation = spec["paths"]
        .as_object()
        .expect("paths")
        .values()
        .filter_map(|item| item.get("post"))
        .find(|op| op["operationId"] == operation_id)
        .unwrap_or_else(|| panic!("no operation {operation_id}"));
    let content = if response {
        &operation["responses"]["200"]["content"]["application/json"]
    } else {
        &operation["requestBody"]["content"]["application/json"]
    };
    let examples = content["examples"]
        .as_object()
        .expect("the operation has examples");
    assert!(!examples.is_empty());
    examples
        .iter()
        .map(|(name, example)| (name.clone(), example["value"].clone()))
        .collect()
}

const GRANT_OPERATIONS: [&str; 2] = ["Disks_GrantAccess", "DiskRestorePoint_GrantAccess"];

/// Every request sample (or, with `response`, every 200 sample) of the grant operations of
/// both api-versions: (api-version, "api-version operation name" for messages, sample).
fn grant_samples(response: bool) -> Vec<(&'static str, String, Value)> {
    let mut samples = Vec::new();
    for version in ["2024-03-02", "2025-01-02"] {
        let spec = spec(version);
        for operation in GRANT_OPERATIONS {
            for (name, sample) in examples(&spec, operation, response) {
                samples.push((version, format!("{version} {operation} {name}"), sample));
            }
        }
    }
    samples
}

/// `sample` read as a `T` and written back.
fn round_trip<T: DeserializeOwned + Serialize>(context: &str, sample: &Value) -> Value {
    let typed: T = serde_json::from_value(sample.clone()).expect(context);
    serde_json::to_value(&typed).expect(context)
}

#[test]
fn grant_access_request_samples_round_trip_exactly() {
    for (version, context, sample) in grant_samples(false) {
        let again = if version == "2024-03-02" {
            round_trip::<v2024::models::GrantAccessData>(&context, &sample)
        } else {
            round_trip::<v2025::models::GrantAccessData>(&context, &sample)
        };
        assert_eq!(again, sample, "{context}");
    }
}

#[test]
fn grant_access_data_uses_wire_names_and_omits_absent_optionals() {
    use v2025::models::{AccessLevel, FileFormat, GrantAccessData};
    let mut data = GrantAccessData::new(AccessLevel::Read, 3600);
    assert_eq!(
        serde_json::to_value(&data).unwrap(),
        json!({"access": "Read", "durationInSeconds": 3600})
    );
    data.file_format = Some(FileFormat::Vhdx);
    data.get_secure_vm_guest_state_sas = Some(true);
    assert_eq!(
        serde_json::to_value(&data).unwrap(),
        json!({"access": "Read", "durationInSeconds": 3600, "getSecureVMGuestStateSAS": true, "fileFormat": "VHDX"})
    );
    // Required fields are required on the wire too.
    let missing = serde_json::from_value::<GrantAccessData>(json!({"access": "Read"}));
    assert!(
        missing
            .unwrap_err()
            .to_string()
            .contains("durationInSeconds")
    );
}

/// A secret read through its explicit accessor.
fn exposed(secret: &Option<azure_arm_compute::SecretString>) -> Option<&str> {
    secret.as_ref().map(|s| s.expose_secret())
}

/// Every SAS field of an `AccessUri` by wire name, read through its accessor.
type SasFields<'a> = Vec<(&'static str, Option<&'a str>)>;

/// Every SAS of a 200 sample, by wire name.
fn sas_fields_2025(uri: &v2025::models::AccessUri) -> SasFields<'_> {
    vec![
        ("accessSAS", exposed(&uri.access_sas)),
        (
            "securityDataAccessSAS",
            exposed(&uri.security_data_access_sas),
        ),
        (
            "securityMetadataAccessSAS",
            exposed(&uri.security_metadata_access_sas),
        ),
    ]
}

fn sas_fields_2024(uri: &v2024::models::AccessUri) -> SasFields<'_> {
    vec![
        ("accessSAS", exposed(&uri.access_sas)),
        (
            "securityDataAccessSAS",
            exposed(&uri.security_data_access_sas),
        ),
    ]
}

fn assert_every_sample_field_read(context: &str, sample: &Value, fields: &[(&str, Option<&str>)]) {
    let sample = sample.as_object().expect("an object");
    for (key, value) in sample {
        let read = fields
            .iter()
            .find(|(name, _)| name == key)
            .unwrap_or_else(|| panic!("{context}: no field for {key}"));
        assert_eq!(read.1, value.as_str(), "{context}: {key}");
    }
    for (name, value) in fields {
        assert_eq!(
            value.is_some(),
            sample.contains_key(*name),
            "{context}: {name}"
        );
    }
}

/// `sample` read as an `AccessUri` whose SAS fields `fields` lists: checks that every field
/// of the sample was read, and returns the model's `Debug` and its serialization.
fn read_access_uri<T: DeserializeOwned + Serialize + Debug>(
    context: &str,
    sample: &Value,
    fields: fn(&T) -> SasFields<'_>,
) -> (String, Value) {
    let uri: T = serde_json::from_value(sample.clone()).expect(context);
    assert_every_sample_field_read(context, sample, &fields(&uri));
    (
        format!("{uri:?}"),
        serde_json::to_value(&uri).expect(context),
    )
}

#[test]
fn access_uri_samples_deserialize_every_field_and_never_print_a_sas() {
    for (version, context, sample) in grant_samples(true) {
        let (debug, serialized) = if version == "2024-03-02" {
            read_access_uri(&context, &sample, sas_fields_2024)
        } else {
            read_access_uri(&context, &sample, sas_fields_2025)
        };
        for value in sample.as_object().expect("object").values() {
            let sas = value.as_str().expect("a string");
            assert!(
                !debug.contains(sas),
                "{context}: Debug shows a SAS: {debug}"
            );
        }
        assert!(!debug.contains("sig="), "{context}: {debug}");
        assert_eq!(debug, "AccessUri { .. }", "{context}");
        // The SAS fields are read-only: the service sets them, the client never sends them.
        assert_eq!(serialized, json!({}), "{context}");
    }
}

#[test]
fn security_metadata_sas_exists_only_in_2025_01_02() {
    let body = json!({
        "accessSAS": "https://a.blob.core.windows.net/x?sig=1",
        "securityDataAccessSAS": "https://b.blob.core.windows.net/x?sig=2",
        "securityMetadataAccessSAS": "https://c.blob.core.windows.net/x?sig=3"
    });
    let new: v2025::models::AccessUri = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        new.security_metadata_access_sas
            .as_ref()
            .map(|s| s.expose_secret()),
        Some("https://c.blob.core.windows.net/x?sig=3")
    );
    // The older version does not know the field and must not fail on it.
    let old: v2024::models::AccessUri = serde_json::from_value(body).unwrap();
    assert_eq!(
        old.access_sas.as_ref().map(|s| s.expose_secret()),
        Some("https://a.blob.core.windows.net/x?sig=1")
    );
}

#[test]
fn unknown_enum_values_are_kept_and_round_trip() {
    use v2025::models::{AccessLevel, FileFormat, GrantAccessData};
    let data: GrantAccessData = serde_json::from_value(
        json!({"access": "ReadWriteDelete", "durationInSeconds": 1, "fileFormat": "VHDY"}),
    )
    .unwrap();
    assert_eq!(
        data.access,
        AccessLevel::UnknownValue("ReadWriteDelete".into())
    );
    assert_eq!(
        data.file_format,
        Some(FileFormat::UnknownValue("VHDY".into()))
    );
    assert_eq!(
        serde_json::to_value(&data).unwrap(),
        json!({"access": "ReadWriteDelete", "durationInSeconds": 1, "fileFormat": "VHDY"})
    );
    assert_eq!(AccessLevel::from("None".to_string()), AccessLevel::None);
    assert_eq!(FileFormat::Vhd.to_string(), "VHD");
    assert_eq!(AccessLevel::UnknownValue("X".into()).as_str(), "X");
}

#[test]
fn extensible_enums_are_equal_and_hash_alike_when_their_wire_values_are() {
    use std::collections::HashSet;
    use v2025::models::AccessLevel;
    // A known value spelled as unknown sends the same wire value: it is the same value.
    let spelled_out = AccessLevel::UnknownValue("Read".into());
    assert_eq!(spelled_out, AccessLevel::Read);
    assert_ne!(AccessLevel::Read, AccessLevel::Write);
    assert_ne!(
        AccessLevel::UnknownValue("X".into()),
        AccessLevel::UnknownValue("Y".into())
    );
    // Wire values are case-sensitive, as the service's are.
    assert_ne!(AccessLevel::UnknownValue("read".into()), AccessLevel::Read);
    // Hash agrees with Eq: a set holds each wire value once.
    let set: HashSet<AccessLevel> = [
        AccessLevel::Read,
        spelled_out,
        AccessLevel::UnknownValue("X".into()),
        AccessLevel::UnknownValue("X".into()),
    ]
    .into_iter()
    .collect();
    assert_eq!(set.len(), 2);
    assert!(set.contains(&AccessLevel::Read));
}

#[test]
fn unknown_fields_from_the_service_are_ignored() {
    let uri: v2025::models::AccessUri = serde_json::from_value(
        json!({"accessSAS": "https://x/y?sig=1", "someFutureField": {"nested": [1, 2]}}),
    )
    .unwrap();
    assert!(uri.access_sas.is_some());
}

#[test]
fn cloud_error_round_trips_with_every_field() {
    let body = json!({
        "error": {
            "code": "InvalidParameter",
            "message": "The value of parameter durationInSeconds is invalid.",
            "target": "durationInSeconds",
            "details": [{"code": "TooLong", "target": "durationInSeconds", "message": "At most 5 days."}],
            "innererror": {"exceptiontype": "ArgumentException", "errordetail": "duration"}
        }
    });
    for version in ["2024-03-02", "2025-01-02"] {
        let again = if version == "2024-03-02" {
            let error: v2024::models::CloudError = serde_json::from_value(body.clone()).unwrap();
            let api = error.error.as_ref().expect("error");
            assert_eq!(api.code.as_deref(), Some("InvalidParameter"));
            assert_eq!(api.details.as_ref().map(Vec::len), Some(1));
            assert_eq!(
                api.innererror
                    .as_ref()
                    .and_then(|i| i.exceptiontype.as_deref()),
                Some("ArgumentException")
            );
            serde_json::to_value(&error).unwrap()
        } else {
            let error: v2025::models::CloudError = serde_json::from_value(body.clone()).unwrap();
            serde_json::to_value(&error).unwrap()
        };
        assert_eq!(again, body, "{version}");
    }
}

/// The upstream example files (`x-ms-examples`) of the access operations, as a corpus.
#[test]
fn upstream_access_examples_deserialize() {
    let Some(spec_root) = corpus::spec_root("upstream_access_examples_deserialize") else {
        return;
    };
    let examples_root =
        spec_root.join("specification/compute/resource-manager/Microsoft.Compute/DiskRP/stable");
    let mut checked = 0;
    for version in ["2024-03-02", "2025-01-02"] {
        let folder = examples_root.join(version).join("examples");
        let mut files = Vec::new();
        for group in std::fs::read_dir(&folder).expect("examples folder") {
            let group = group.expect("entry").path();
            if !group.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&group).expect("example group") {
                let file = file.expect("entry").path();
                let name = file
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string();
                if name.contains("GetAccess") {
                    files.push(file);
                }
            }
        }
        files.sort();
        for file in files {
            let example = read_json(&file);
            let context = file.display().to_string();
            if let Some(request) = example["parameters"].get("grantAccessData") {
                let data: v2025::models::GrantAccessData =
                    serde_json::from_value(request.clone()).expect(&context);
                assert_eq!(&serde_json::to_value(&data).unwrap(), request, "{context}");
                checked += 1;
            }
            if let Some(body) = example["responses"].get("200").and_then(|r| r.get("body")) {
                let uri: v2025::models::AccessUri =
                    serde_json::from_value(body.clone()).expect(&context);
                assert_every_sample_field_read(&context, body, &sas_fields_2025(&uri));
                checked += 1;
            }
        }
    }
    assert!(checked >= 8, "only {checked} upstream payloads found");
}
