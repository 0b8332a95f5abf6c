//! The world of `disk_rp.rs`: a scripted HTTPS server for one api-version, the client
//! options that reach it, the scripts of each operation kind as DiskRP answers them, and
//! small, realistic bodies after the spec's published examples.

use super::support::{
    SUBSCRIPTION, TOKEN, TestCredential, loopback_options,
    server::{Expect, Reply, TestServer},
    tls::TestCa,
};
use azure_core::http::ClientOptions;
use futures::{Stream, TryStreamExt};
use serde_json::{Value, json};
use std::sync::Arc;

pub const RG: &str = "myResourceGroup";

/// One scenario's server, and the options of a client that talks to it.
pub struct World {
    _ca: TestCa,
    pub server: TestServer,
    version: &'static str,
    /// What a client of this world is built with.
    pub options: ClientOptions,
}

impl World {
    pub async fn start(version: &'static str) -> Self {
        let ca = TestCa::new();
        let server = TestServer::start(&ca, version, TOKEN).await;
        let options = loopback_options(&ca, &server, 2);
        Self {
            _ca: ca,
            server,
            version,
            options,
        }
    }

    pub fn credential() -> Arc<TestCredential> {
        Arc::new(TestCredential::default())
    }

    /// `/subscriptions/…/resourceGroups/myResourceGroup/providers/Microsoft.Compute/{rest}`.
    pub fn path(rest: &str) -> String {
        format!(
            "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.Compute/{rest}"
        )
    }

    /// `path` with this version's `api-version`.
    pub fn target(&self, path: &str) -> String {
        format!("{path}?api-version={}", self.version)
    }

    /// A status monitor or Location URL (path and query) of this subscription, like DiskRP's.
    pub fn operation(&self, id: &str, monitor: bool) -> String {
        let monitor = if monitor { "monitor=true&" } else { "" };
        format!(
            "/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Compute/locations/westus/operations/{id}?{monitor}api-version={}",
            self.version
        )
    }

    pub fn url(&self, target: &str) -> String {
        format!("{}{target}", self.server.base())
    }

    pub fn expect(&self, method: &'static str, target: &str, body: Option<Value>, reply: Reply) {
        self.server
            .expect(Expect::request(method, target, body), reply);
    }

    /// A list of `collection` in two pages: `first`, then (through an absolute next link
    /// with a skip token) `second`, which ends the list.
    pub fn expect_two_pages(&self, collection: &str, first: Vec<Value>, second: Vec<Value>) {
        let list = self.target(collection);
        let next = format!(
            "{collection}?%24skiptoken=page2&api-version={}",
            self.version
        );
        self.expect(
            "GET",
            &list,
            None,
            Reply::json(200, json!({"value": first, "nextLink": self.url(&next)})),
        );
        self.expect(
            "GET",
            &next,
            None,
            Reply::json(200, json!({"value": second})),
        );
    }

    /// A PUT (or PATCH) of `body` accepted with a status monitor and a Location: the monitor
    /// says InProgress, then Succeeded, and the result is the GET of the Location
    /// (`final-state-via: location`), which answers `result`.
    pub fn expect_accepted_with_monitor(
        &self,
        method: &'static str,
        path: &str,
        body: Value,
        result: Value,
    ) {
        let monitor = self.operation("op-put", false);
        let location = self.operation("op-put", true);
        self.expect(
            method,
            &self.target(path),
            Some(body),
            Reply::accepted()
                .header("Azure-AsyncOperation", self.url(&monitor))
                .header("Location", self.url(&location)),
        );
        self.expect(
            "GET",
            &monitor,
            None,
            Reply::json(200, json!({"status": "InProgress"})),
        );
        self.expect(
            "GET",
            &monitor,
            None,
            Reply::json(200, json!({"status": "Succeeded"})),
        );
        self.expect("GET", &location, None, Reply::json(200, result));
    }

    /// A PUT of `body` accepted with a Location only: polled (202, then 200 with `result`),
    /// the last poll's body is the result, with no extra GET.
    pub fn expect_accepted_with_location(&self, path: &str, body: Value, result: Value) {
        let location = self.operation("op-loc", true);
        self.expect(
            "PUT",
            &self.target(path),
            Some(body),
            Reply::accepted().header("Location", self.url(&location)),
        );
        self.expect("GET", &location, None, Reply::accepted());
        self.expect("GET", &location, None, Reply::json(200, result));
    }

    /// A DELETE accepted with a Location, polled to 204 (DiskRP's delete examples).
    pub fn expect_delete(&self, path: &str) {
        let location = self.operation("op-delete", true);
        self.expect(
            "DELETE",
            &self.target(path),
            None,
            Reply::accepted().header("Location", self.url(&location)),
        );
        self.expect("GET", &location, None, Reply::accepted());
        self.expect("GET", &location, None, Reply::status(204));
    }

    /// Checks that the server saw exactly the script, and that every request carried the
    /// SDK's headers.
    pub fn finish(mut self) {
        for request in self.server.received() {
            let user_agent = request.header("user-agent").unwrap_or_default();
            assert!(
                user_agent.starts_with("azsdk-rust-arm_compute/"),
                "{} {}: {user_agent}",
                request.method,
                request.target
            );
            assert!(
                request.header("x-ms-client-request-id").is_some(),
                "{} {}: no client request id",
                request.method,
                request.target
            );
        }
        self.server.finish();
    }
}

/// Every item of a pager, across its pages.
pub async fn items<T, S>(pager: azure_core::Result<S>) -> Vec<T>
where
    S: Stream<Item = azure_core::Result<T>>,
{
    pager
        .expect("the pager")
        .try_collect()
        .await
        .expect("every page")
}

/// The final response of a long-running operation.
pub async fn done<P, R>(poller: azure_core::Result<P>) -> R
where
    P: IntoFuture<Output = azure_core::Result<R>>,
{
    poller.expect("the poller").await.expect("the operation")
}

/// An ARM resource body: id, name, type, location and properties.
pub fn resource(kind: &str, name: &str, properties: Value) -> Value {
    let path = World::path(&format!("{kind}/{name}"));
    json!({
        "id": path,
        "name": name,
        "type": format!("Microsoft.Compute/{kind}"),
        "location": "westus",
        "properties": properties,
    })
}

pub fn disk(name: &str, state: &str) -> Value {
    let mut disk = resource(
        "disks",
        name,
        json!({
            "creationData": {"createOption": "Empty"},
            "diskSizeGB": 200,
            "diskState": "Unattached",
            "provisioningState": state,
            "timeCreated": "2024-05-01T10:00:00.5+00:00",
        }),
    );
    disk["sku"] = json!({"name": "Premium_LRS", "tier": "P15"});
    disk
}

pub fn snapshot(name: &str) -> Value {
    let mut snapshot = resource(
        "snapshots",
        name,
        json!({
            "creationData": {"createOption": "Copy", "sourceResourceId": World::path("disks/myDisk")},
            "diskSizeGB": 200,
            "incremental": true,
            "provisioningState": "Succeeded",
        }),
    );
    snapshot["sku"] = json!({"name": "Standard_ZRS", "tier": "Standard"});
    snapshot
}

pub fn disk_access(name: &str) -> Value {
    resource(
        "diskAccesses",
        name,
        json!({"provisioningState": "Succeeded", "timeCreated": "2024-05-01T04:41:35.079872+00:00"}),
    )
}

pub fn key_vault() -> Value {
    json!({
        "sourceVault": {"id": format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/myVMVault")},
        "keyUrl": "https://myvmvault.vault.azure.net/keys/myKey/0123456789abcdef",
    })
}

pub fn disk_encryption_set(name: &str) -> Value {
    let mut set = resource(
        "diskEncryptionSets",
        name,
        json!({
            "activeKey": key_vault(),
            "encryptionType": "EncryptionAtRestWithCustomerKey",
            "previousKeys": [],
            "provisioningState": "Succeeded",
        }),
    );
    set["identity"] = json!({"type": "SystemAssigned", "principalId": "p-1", "tenantId": "t-1"});
    set
}

pub fn private_endpoint_connection(name: &str, status: &str) -> Value {
    json!({
        "id": World::path(&format!("diskAccesses/myDiskAccess/privateEndpointConnections/{name}")),
        "name": name,
        "type": "Microsoft.Compute/diskAccesses/privateEndpointConnections",
        "properties": {
            "provisioningState": "Succeeded",
            "privateEndpoint": {"id": format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.Network/privateEndpoints/myPrivateEndpoint")},
            "privateLinkServiceConnectionState": {"status": status, "description": "Approving myPrivateEndpointConnection", "actionsRequired": "None"},
        },
    })
}

/// Path segments of a disk restore point.
pub const RPC: &str = "rpc";
pub const VMRP: &str = "vmrp";
pub const DRP: &str = "TestDisk45ceb03433006d1baee0_b70cd924-3362-4a80-93c2-9415eaa12745";

pub fn restore_points_path() -> String {
    World::path(&format!(
        "restorePointCollections/{RPC}/restorePoints/{VMRP}/diskRestorePoints"
    ))
}

pub fn disk_restore_point(name: &str) -> Value {
    json!({
        "id": format!("{}/{name}", restore_points_path()),
        "name": name,
        "type": "Microsoft.Compute/restorePointCollections/restorePoints/diskRestorePoints",
        "properties": {
            "timeCreated": "2020-09-16T04:41:35.079872+00:00",
            "sourceResourceId": World::path("disks/TestDisk45ceb03433006d1baee0"),
            "osType": "Windows",
            "familyId": "996bf3ce-b6ff-4e86-9db6-dc27ea06cea5",
            "sourceUniqueId": "48b1ed1b-8d1d-4b3a-8d9b-9c4d0b2b7e5a",
            "supportedCapabilities": {"acceleratedNetwork": true},
        },
    })
}
