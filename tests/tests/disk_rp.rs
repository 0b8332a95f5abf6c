//! The whole published DiskRP (`azure_arm_compute`, both api-versions) over real HTTPS on
//! 127.0.0.1 against the scripted server: every operation group is exercised at least once
//! per kind — a list of two pages, a get, a create-or-update that polls, a delete — and
//! DiskRestorePoint (no create or delete) with what it has: list, get, grant and revoke.
//!
//! The server checks each request: method, exact path and query (`api-version` once),
//! bearer token, `Accept`, `Content-Type` and the exact JSON body; [`World::finish`] checks
//! the SDK headers of every request. Bodies are small, realistic ones after the spec's
//! published examples, embedded (nothing reads the spec corpus at run time). The scenarios
//! are written once, in [`disk_rp!`], and instantiated per api-version.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
mod support;
#[path = "support/disk_rp.rs"]
mod world;

use serde_json::{Value, json};
use support::{SUBSCRIPTION, fast, server::Reply};
use world::{
    DRP, RG, RPC, VMRP, World, disk, disk_access, disk_encryption_set, disk_restore_point, done,
    items, key_vault, private_endpoint_connection, restore_points_path, snapshot,
};

/// The scenarios of one api-version module of `azure_arm_compute`.
macro_rules! disk_rp {
    ($module:ident, $version:literal) => {
        mod $module {
            use super::*;
            use azure_arm_compute::$module::{
                ComputeClient, ComputeClientOptions, DiskAccessesCreateOrUpdateOptions,
                DiskAccessesDeleteAPrivateEndpointConnectionOptions, DiskAccessesDeleteOptions,
                DiskAccessesUpdateAPrivateEndpointConnectionOptions,
                DiskEncryptionSetsCreateOrUpdateOptions, DiskEncryptionSetsDeleteOptions,
                DiskRestorePointGrantAccessOptions, DiskRestorePointRevokeAccessOptions,
                DisksCreateOrUpdateOptions, DisksDeleteOptions, DisksUpdateOptions,
                SnapshotsCreateOrUpdateOptions, SnapshotsDeleteOptions,
                models::{
                    AccessLevel, DataAccessAuthMode, Disk, DiskAccess, DiskEncryptionSet,
                    DiskEncryptionSetIdentityType, DiskEncryptionSetType, DiskState,
                    DiskStorageAccountTypes, DiskUpdate, GrantAccessData,
                    OperatingSystemTypes, PrivateEndpointConnection,
                    PrivateEndpointServiceConnectionStatus, Snapshot,
                    SnapshotStorageAccountTypes,
                },
            };
            use azure_core::http::StatusCode;

            const VERSION: &str = $version;

            fn client(world: &World) -> ComputeClient {
                ComputeClient::new(
                    SUBSCRIPTION,
                    World::credential(),
                    Some(ComputeClientOptions {
                        client_options: world.options.clone(),
                        ..Default::default()
                    }),
                )
                .expect("the client builds")
            }

            /// A request body read into the typed model, so that the client's serialisation
            /// must give the same JSON back.
            fn typed<T: serde::de::DeserializeOwned>(body: &Value) -> T {
                serde_json::from_value(body.clone()).expect("the request body reads")
            }

            #[tokio::test]
            async fn disks() {
                let w = World::start(VERSION).await;
                let disks = client(&w).disks_client();
                let path = World::path("disks/myDisk");

                w.expect_two_pages(
                    &World::path("disks"),
                    vec![disk("myDisk", "Succeeded"), disk("myDisk2", "Succeeded")],
                    vec![disk("myDisk3", "Succeeded")],
                );
                let listed: Vec<Disk> = items(disks.list_by_resource_group(RG, None)).await;
                let names: Vec<_> = listed.iter().filter_map(|d| d.name.as_deref()).collect();
                assert_eq!(names, ["myDisk", "myDisk2", "myDisk3"]);

                // The subscription's disks, across two pages too.
                w.expect_two_pages(
                    &format!("/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Compute/disks"),
                    vec![disk("a", "Succeeded")],
                    vec![disk("b", "Succeeded")],
                );
                assert_eq!(items(disks.list(None)).await.len(), 2);

                w.expect("GET", &w.target(&path), None, Reply::json(200, disk("myDisk", "Succeeded")));
                let response = disks.get(RG, "myDisk", None).await.unwrap();
                assert_eq!(response.status(), StatusCode::Ok);
                let got = response.into_model().unwrap();
                assert_eq!(got.sku.and_then(|s| s.name), Some(DiskStorageAccountTypes::PremiumLrs));
                let properties = got.properties.unwrap();
                assert_eq!(properties.disk_size_gb, Some(200));
                assert_eq!(properties.disk_state, Some(DiskState::Unattached));
                assert_eq!(properties.time_created.map(|t| t.unix_timestamp()), Some(1_714_557_600));

                let body = json!({
                    "location": "westus",
                    "sku": {"name": "Premium_LRS"},
                    "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 200},
                });
                w.expect_accepted_with_monitor("PUT", &path, body.clone(), disk("myDisk", "Succeeded"));
                let options = DisksCreateOrUpdateOptions { method_options: fast(), ..Default::default() };
                let created = done(disks.begin_create_or_update(RG, "myDisk", &typed(&body), Some(options))).await;
                assert_eq!(created.status(), StatusCode::Ok);
                let created = created.into_model().unwrap();
                assert_eq!(created.id.as_deref(), Some(path.as_str()));
                assert_eq!(
                    created.properties.and_then(|p| p.provisioning_state).as_deref(),
                    Some("Succeeded")
                );

                // PATCH with the update model.
                let patch = json!({"properties": {"diskSizeGB": 256, "dataAccessAuthMode": "AzureActiveDirectory"}});
                let mut resized = disk("myDisk", "Succeeded");
                resized["properties"]["diskSizeGB"] = json!(256);
                w.expect_accepted_with_monitor("PATCH", &path, patch.clone(), resized);
                let update: DiskUpdate = typed(&patch);
                assert_eq!(
                    update.properties.as_ref().and_then(|p| p.data_access_auth_mode.clone()),
                    Some(DataAccessAuthMode::AzureActiveDirectory)
                );
                let options = DisksUpdateOptions { method_options: fast(), ..Default::default() };
                let updated = done(disks.begin_update(RG, "myDisk", &update, Some(options))).await;
                assert_eq!(updated.into_model().unwrap().properties.unwrap().disk_size_gb, Some(256));

                w.expect_delete(&path);
                let options = DisksDeleteOptions { method_options: fast(), ..Default::default() };
                let deleted = done(disks.begin_delete(RG, "myDisk", Some(options))).await;
                assert_eq!(deleted.status(), StatusCode::NoContent);
                w.finish();
            }

            #[tokio::test]
            async fn snapshots() {
                let w = World::start(VERSION).await;
                let snapshots = client(&w).snapshots_client();
                let path = World::path("snapshots/mySnapshot");

                w.expect_two_pages(
                    &World::path("snapshots"),
                    vec![snapshot("mySnapshot")],
                    vec![snapshot("mySnapshot2"), snapshot("mySnapshot3")],
                );
                let listed: Vec<Snapshot> = items(snapshots.list_by_resource_group(RG, None)).await;
                let names: Vec<_> = listed.iter().filter_map(|s| s.name.as_deref()).collect();
                assert_eq!(names, ["mySnapshot", "mySnapshot2", "mySnapshot3"]);

                w.expect("GET", &w.target(&path), None, Reply::json(200, snapshot("mySnapshot")));
                let got = snapshots.get(RG, "mySnapshot", None).await.unwrap().into_model().unwrap();
                assert_eq!(got.sku.and_then(|s| s.name), Some(SnapshotStorageAccountTypes::StandardZrs));
                let properties = got.properties.unwrap();
                assert_eq!(properties.incremental, Some(true));
                assert_eq!(
                    properties.creation_data.source_resource_id,
                    Some(World::path("disks/myDisk"))
                );

                let body = json!({
                    "location": "westus",
                    "properties": {"creationData": {"createOption": "Copy", "sourceResourceId": World::path("disks/myDisk")}, "incremental": true},
                });
                w.expect_accepted_with_location(&path, body.clone(), snapshot("mySnapshot"));
                let options = SnapshotsCreateOrUpdateOptions { method_options: fast(), ..Default::default() };
                let created = done(snapshots.begin_create_or_update(RG, "mySnapshot", &typed(&body), Some(options))).await
                    .into_model()
                    .unwrap();
                assert_eq!(created.name.as_deref(), Some("mySnapshot"));

                w.expect_delete(&path);
                let options = SnapshotsDeleteOptions { method_options: fast(), ..Default::default() };
                done(snapshots.begin_delete(RG, "mySnapshot", Some(options))).await;
                w.finish();
            }

            #[tokio::test]
            async fn disk_accesses() {
                let w = World::start(VERSION).await;
                let accesses = client(&w).disk_accesses_client();
                let path = World::path("diskAccesses/myDiskAccess");

                w.expect_two_pages(
                    &World::path("diskAccesses"),
                    vec![disk_access("myDiskAccess")],
                    vec![disk_access("myDiskAccess2")],
                );
                let listed: Vec<DiskAccess> = items(accesses.list_by_resource_group(RG, None)).await;
                assert_eq!(listed.len(), 2);
                assert_eq!(listed[1].name.as_deref(), Some("myDiskAccess2"));

                w.expect("GET", &w.target(&path), None, Reply::json(200, disk_access("myDiskAccess")));
                let got = accesses.get(RG, "myDiskAccess", None).await.unwrap().into_model().unwrap();
                assert_eq!(got.r#type.as_deref(), Some("Microsoft.Compute/diskAccesses"));
                assert!(got.properties.and_then(|p| p.time_created).is_some());

                let body = json!({"location": "westus", "tags": {"env": "test"}});
                w.expect_accepted_with_monitor("PUT", &path, body.clone(), disk_access("myDiskAccess"));
                let options = DiskAccessesCreateOrUpdateOptions { method_options: fast(), ..Default::default() };
                let created = done(accesses.begin_create_or_update(RG, "myDiskAccess", &typed(&body), Some(options))).await
                    .into_model()
                    .unwrap();
                assert_eq!(
                    created.properties.and_then(|p| p.provisioning_state).as_deref(),
                    Some("Succeeded")
                );

                w.expect_delete(&path);
                let options = DiskAccessesDeleteOptions { method_options: fast(), ..Default::default() };
                done(accesses.begin_delete(RG, "myDiskAccess", Some(options))).await;
                w.finish();
            }

            /// DiskAccesses' sub-resources: private endpoint connections (list, get, update
            /// that polls, delete) and private link resources (a plain GET).
            #[tokio::test]
            async fn disk_access_private_endpoints() {
                let w = World::start(VERSION).await;
                let accesses = client(&w).disk_accesses_client();
                let connections = World::path("diskAccesses/myDiskAccess/privateEndpointConnections");
                let path = format!("{connections}/myConnection");

                w.expect_two_pages(
                    &connections,
                    vec![private_endpoint_connection("myConnection", "Pending")],
                    vec![private_endpoint_connection("other", "Rejected")],
                );
                let listed: Vec<PrivateEndpointConnection> = items(accesses.list_private_endpoint_connections(RG, "myDiskAccess", None)).await;
                let statuses: Vec<_> = listed
                    .into_iter()
                    .map(|c| c.properties.unwrap().private_link_service_connection_state.status)
                    .collect();
                assert_eq!(
                    statuses,
                    [
                        Some(PrivateEndpointServiceConnectionStatus::Pending),
                        Some(PrivateEndpointServiceConnectionStatus::Rejected)
                    ]
                );

                w.expect("GET", &w.target(&path), None, Reply::json(200, private_endpoint_connection("myConnection", "Pending")));
                let got = accesses
                    .get_a_private_endpoint_connection(RG, "myDiskAccess", "myConnection", None)
                    .await
                    .unwrap()
                    .into_model()
                    .unwrap();
                let properties = got.properties.unwrap();
                assert!(properties.private_endpoint.and_then(|e| e.id).unwrap().ends_with("/myPrivateEndpoint"));

                let body = json!({"properties": {"privateLinkServiceConnectionState": {"status": "Approved", "description": "Approving myPrivateEndpointConnection"}}});
                w.expect_accepted_with_monitor("PUT", &path, body.clone(), private_endpoint_connection("myConnection", "Approved"));
                let options = DiskAccessesUpdateAPrivateEndpointConnectionOptions { method_options: fast(), ..Default::default() };
                let approved = done(accesses.begin_update_a_private_endpoint_connection(RG, "myDiskAccess", "myConnection", &typed(&body), Some(options))).await
                    .into_model()
                    .unwrap();
                assert_eq!(
                    approved.properties.unwrap().private_link_service_connection_state.status,
                    Some(PrivateEndpointServiceConnectionStatus::Approved)
                );

                w.expect_delete(&path);
                let options = DiskAccessesDeleteAPrivateEndpointConnectionOptions { method_options: fast(), ..Default::default() };
                done(accesses.begin_delete_a_private_endpoint_connection(RG, "myDiskAccess", "myConnection", Some(options))).await;

                // The published path spells it in lower case.
                let link_resources = World::path("diskAccesses/myDiskAccess/privatelinkresources");
                w.expect("GET", &w.target(&link_resources), None, Reply::json(200, json!({"value": [{
                    "id": format!("{link_resources}/disks"),
                    "name": "disks",
                    "type": "Microsoft.Compute/diskAccesses/privateLinkResources",
                    "properties": {"groupId": "disks", "requiredMembers": ["diskAccess_1"], "requiredZoneNames": ["privatelink.blob.core.windows.net"]},
                }]})));
                let resources = accesses
                    .get_private_link_resources(RG, "myDiskAccess", None)
                    .await
                    .unwrap()
                    .into_model()
                    .unwrap();
                let properties = resources.value.unwrap().remove(0).properties.unwrap();
                assert_eq!(properties.group_id.as_deref(), Some("disks"));
                assert_eq!(properties.required_zone_names.unwrap(), ["privatelink.blob.core.windows.net"]);
                w.finish();
            }

            #[tokio::test]
            async fn disk_encryption_sets() {
                let w = World::start(VERSION).await;
                let sets = client(&w).disk_encryption_sets_client();
                let path = World::path("diskEncryptionSets/myDiskEncryptionSet");

                w.expect_two_pages(
                    &World::path("diskEncryptionSets"),
                    vec![disk_encryption_set("myDiskEncryptionSet")],
                    vec![disk_encryption_set("myDiskEncryptionSet2")],
                );
                let listed: Vec<DiskEncryptionSet> = items(sets.list_by_resource_group(RG, None)).await;
                assert_eq!(listed.len(), 2);

                // What the set encrypts: a pageable list of resource ids.
                w.expect_two_pages(
                    &format!("{path}/associatedResources"),
                    vec![json!(World::path("disks/myDisk"))],
                    vec![json!(World::path("snapshots/mySnapshot"))],
                );
                let associated: Vec<String> =
                    items(sets.list_associated_resources(RG, "myDiskEncryptionSet", None)).await;
                assert_eq!(associated, [World::path("disks/myDisk"), World::path("snapshots/mySnapshot")]);

                w.expect("GET", &w.target(&path), None, Reply::json(200, disk_encryption_set("myDiskEncryptionSet")));
                let got = sets.get(RG, "myDiskEncryptionSet", None).await.unwrap().into_model().unwrap();
                assert_eq!(
                    got.identity.and_then(|i| i.r#type),
                    Some(DiskEncryptionSetIdentityType::SystemAssigned)
                );
                let properties = got.properties.unwrap();
                assert_eq!(properties.encryption_type, Some(DiskEncryptionSetType::EncryptionAtRestWithCustomerKey));
                assert_eq!(properties.previous_keys.map(|k| k.len()), Some(0));

                let body = json!({
                    "location": "westus",
                    "identity": {"type": "SystemAssigned"},
                    "properties": {"activeKey": key_vault(), "encryptionType": "EncryptionAtRestWithCustomerKey"},
                });
                w.expect_accepted_with_monitor("PUT", &path, body.clone(), disk_encryption_set("myDiskEncryptionSet"));
                let options = DiskEncryptionSetsCreateOrUpdateOptions { method_options: fast(), ..Default::default() };
                let created = done(sets.begin_create_or_update(RG, "myDiskEncryptionSet", &typed(&body), Some(options))).await
                    .into_model()
                    .unwrap();
                let key = created.properties.and_then(|p| p.active_key).unwrap();
                assert!(key.key_url.starts_with("https://myvmvault.vault.azure.net/keys/"));

                w.expect_delete(&path);
                let options = DiskEncryptionSetsDeleteOptions { method_options: fast(), ..Default::default() };
                done(sets.begin_delete(RG, "myDiskEncryptionSet", Some(options))).await;
                w.finish();
            }

            /// DiskRestorePoint has no create or delete: its list, get, and the grant and
            /// revoke of access that poll.
            #[tokio::test]
            async fn disk_restore_points() {
                let w = World::start(VERSION).await;
                let points = client(&w).disk_restore_point_client();
                let collection = restore_points_path();
                let path = format!("{collection}/{DRP}");

                w.expect_two_pages(
                    &collection,
                    vec![disk_restore_point(DRP)],
                    vec![disk_restore_point("second_b70cd924")],
                );
                let listed: Vec<_> = items(points.list_by_restore_point(RG, RPC, VMRP, None)).await;
                assert_eq!(listed.len(), 2);
                assert_eq!(listed[1].name.as_deref(), Some("second_b70cd924"));

                w.expect("GET", &w.target(&path), None, Reply::json(200, disk_restore_point(DRP)));
                let got = points.get(RG, RPC, VMRP, DRP, None).await.unwrap().into_model().unwrap();
                let properties = got.properties.unwrap();
                assert_eq!(properties.os_type, Some(OperatingSystemTypes::Windows));
                assert_eq!(
                    properties.supported_capabilities.and_then(|c| c.accelerated_network),
                    Some(true)
                );

                let grant = json!({"access": "Read", "durationInSeconds": 300});
                let location = w.operation("op-grant", true);
                w.expect(
                    "POST",
                    &w.target(&format!("{path}/beginGetAccess")),
                    Some(grant.clone()),
                    Reply::accepted().header("Location", w.url(&location)),
                );
                w.expect("GET", &location, None, Reply::accepted());
                w.expect(
                    "GET",
                    &location,
                    None,
                    Reply::json(200, json!({"accessSAS": "https://md-abc.blob.core.windows.net/x/abcd?sv=2018-03-28&sr=b&si=1&sig=SECRET"})),
                );
                let data: GrantAccessData = typed(&grant);
                assert_eq!(data.access, AccessLevel::Read);
                let options = DiskRestorePointGrantAccessOptions { method_options: fast(), ..Default::default() };
                let access = done(points.begin_grant_access(RG, RPC, VMRP, DRP, &data, Some(options))).await
                    .into_model()
                    .unwrap();
                assert!(access.access_sas.unwrap().expose_secret().ends_with("sig=SECRET"));

                let location = w.operation("op-revoke", true);
                w.expect(
                    "POST",
                    &w.target(&format!("{path}/endGetAccess")),
                    None,
                    Reply::accepted().header("Location", w.url(&location)),
                );
                w.expect("GET", &location, None, Reply::status(200));
                let options = DiskRestorePointRevokeAccessOptions { method_options: fast(), ..Default::default() };
                done(points.begin_revoke_access(RG, RPC, VMRP, DRP, Some(options))).await;
                w.finish();
            }
        }
    };
}

disk_rp!(v2024_03_02, "2024-03-02");
disk_rp!(v2025_01_02, "2025-01-02");
