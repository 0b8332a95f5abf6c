//! Support for `https_client.rs`: a run-time CA ([`tls`]), a scripted HTTPS server
//! ([`server`]), a log capture ([`logs`]), and one adapter per api-version and resource
//! ([`Target`]) so that each scenario runs against all four without copies.

pub mod credential;
pub mod logs;
pub mod server;
pub mod tls;

use azure_arm_compute::{ArmPoller, PollingOptions, ResourceManager};
use azure_core::{
    cloud::{Audiences, CloudConfiguration, CustomConfiguration},
    credentials::TokenCredential,
    http::{ClientOptions, FixedRetryOptions, RetryOptions, Transport, Url, poller::PollerOptions},
};
use serde_json::{Value, json};
use server::{Expect, Reply, TestServer};
use std::{collections::BTreeMap, future::Future, path::Path, pin::Pin, sync::Arc, time::Duration};
use tls::TestCa;

pub use credential::{TOKEN, TestCredential};

pub const SUBSCRIPTION: &str = "9f1c3b8e-5d2a-4c7e-8b9a-0d1e2f3a4b5c";
/// A custom cloud whose Resource Manager endpoint (its audience) is `endpoint`.
pub fn loopback_cloud(endpoint: &str) -> Arc<CloudConfiguration> {
    let mut custom = CustomConfiguration::default();
    custom.authority_host = "https://login.loopback.test".to_owned();
    custom.audiences = Audiences::new().with::<ResourceManager>(endpoint.to_owned());
    Arc::new(CloudConfiguration::from(custom))
}
/// Client options that reach `server` (its loopback cloud, over azure_core's reqwest transport
/// trusting only `ca`) and retry after 5 ms, at most `max_retries` times.
pub fn loopback_options(ca: &TestCa, server: &TestServer, max_retries: u32) -> ClientOptions {
    ClientOptions {
        cloud: Some(loopback_cloud(server.base())),
        transport: Some(Transport::new(Arc::new(ca.reqwest_client()))),
        retry: RetryOptions::fixed(FixedRetryOptions {
            delay: azure_core::time::Duration::milliseconds(5),
            max_retries,
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The grant request body of most scenarios: read access for an hour.
pub fn read_for_an_hour() -> Value {
    json!({"access": "Read", "durationInSeconds": 3600})
}

/// Per-call poller options: 5 ms between polls when the service gives no Retry-After.
pub fn fast() -> PollerOptions<'static> {
    Tune::default().poller_options()
}

/// The whole-test bound: every scenario ends well before (most in milliseconds).
const SCENARIO_LIMIT: Duration = Duration::from_secs(20);

/// Runs one scenario against one target, bounded in time.
pub async fn run<F: Future<Output = ()>>(target: Target, scenario: fn(Target) -> F) {
    tokio::time::timeout(SCENARIO_LIMIT, scenario(target))
        .await
        .unwrap_or_else(|_| {
            panic!(
                "{} {:?}: the scenario did not finish within {SCENARIO_LIMIT:?}",
                target.version, target.resource
            )
        });
}

/// The path parameters of a call. For the expected path, the same struct holds the
/// percent-encoded forms.
#[derive(Clone, Debug)]
pub struct Names {
    pub resource_group: String,
    pub disk: String,
    pub restore_point_collection: String,
    pub vm_restore_point: String,
    pub disk_restore_point: String,
}

impl Names {
    pub fn plain() -> Self {
        Self {
            resource_group: "rg-test".into(),
            disk: "disk1".into(),
            restore_point_collection: "rpc1".into(),
            vm_restore_point: "vmrp1".into(),
            disk_restore_point: "disk1_drp".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    Disks,
    DiskRestorePoints,
}

/// One api-version and one resource of the generated client.
#[derive(Clone, Copy)]
pub struct Target {
    pub version: &'static str,
    pub resource: Resource,
    pub connect: fn(Setup) -> azure_core::Result<Box<dyn Ops>>,
}

impl Target {
    /// The operationId of grant access for this resource.
    pub fn grant_operation(&self) -> &'static str {
        match self.resource {
            Resource::Disks => "Disks_GrantAccess",
            Resource::DiskRestorePoints => "DiskRestorePoint_GrantAccess",
        }
    }

    /// The path of `action` (`beginGetAccess`, `endGetAccess`) for `names` as given (pass the
    /// percent-encoded forms).
    pub fn path(&self, names: &Names, action: &str) -> String {
        let Names {
            resource_group,
            disk,
            restore_point_collection,
            vm_restore_point,
            disk_restore_point,
        } = names;
        let prefix = format!(
            "/subscriptions/{SUBSCRIPTION}/resourceGroups/{resource_group}/providers/Microsoft.Compute"
        );
        match self.resource {
            Resource::Disks => format!("{prefix}/disks/{disk}/{action}"),
            Resource::DiskRestorePoints => format!(
                "{prefix}/restorePointCollections/{restore_point_collection}/restorePoints/{vm_restore_point}/diskRestorePoints/{disk_restore_point}/{action}"
            ),
        }
    }

    /// The path and `?api-version=` of `action`.
    pub fn target(&self, names: &Names, action: &str) -> String {
        format!("{}?api-version={}", self.path(names, action), self.version)
    }
}

/// What a client is built from.
pub struct Setup {
    pub subscription: String,
    pub credential: Arc<dyn TokenCredential>,
    pub client_options: ClientOptions,
    pub polling: PollingOptions,
    /// The per-call default delay between polls the harness passes unless a test says.
    pub default_delay: Duration,
}

/// Per-call tuning of the poller: the call's `PollerOptions::frequency` and bound.
#[derive(Clone, Copy, Debug)]
pub struct Tune {
    pub timeout: Option<Duration>,
    pub default_delay: Duration,
}

impl Default for Tune {
    /// 5 ms between polls, no per-call bound.
    fn default() -> Self {
        Self {
            timeout: None,
            default_delay: Duration::from_millis(5),
        }
    }
}

impl Tune {
    /// The poller options of a call.
    pub fn poller_options(self) -> PollerOptions<'static> {
        PollerOptions {
            frequency: azure_core::time::Duration::try_from(self.default_delay)
                .expect("a test delay fits"),
            ..PollerOptions::default()
        }
    }
}

pub type Pending<T> = Pin<Box<dyn Future<Output = azure_core::Result<T>> + Send>>;

/// A finished grant: every SAS by wire name, read through `expose_secret()`, and the result's
/// `Debug`.
#[derive(Debug)]
pub struct Granted {
    pub secrets: BTreeMap<&'static str, String>,
    pub debug: String,
}

/// The generated client of one api-version, for one resource.
pub trait Ops: Send + Sync {
    fn grant(
        &self,
        names: &Names,
        data: &Value,
        tune: Tune,
    ) -> azure_core::Result<Pending<Granted>>;
    fn revoke(&self, names: &Names, tune: Tune) -> azure_core::Result<Pending<()>>;
    /// `CloudError::from_error` of this api-version, serialised back to JSON for comparison.
    fn cloud_error(&self, error: &azure_core::Error) -> Option<Value>;
    fn endpoint(&self) -> Url;
    fn client_debug(&self) -> String;
}

fn finish<T: serde::de::DeserializeOwned + Send + 'static, U: 'static>(
    poller: ArmPoller<T>,
    map: fn(T) -> U,
) -> Pending<U> {
    let future = poller.into_future();
    Box::pin(async move { future.await?.into_model().map(map) })
}

fn finish_empty(poller: ArmPoller<(), azure_core::http::NoFormat>) -> Pending<()> {
    let future = poller.into_future();
    Box::pin(async move { future.await.map(drop) })
}

/// The [`Ops`] adapter `$adapter` of one resource: `$client` names its client in
/// `ComputeClient`, `$grant` and `$revoke` the options of its two calls, and `$name` the
/// fields of [`Names`] its paths take after the resource group. (Each generated client has
/// its own types and no trait in common, so a function cannot stand for both.)
macro_rules! resource_ops {
    ($adapter:ident, $client:ident, $grant:ident, $revoke:ident, [$($name:ident),+]) => {
        struct $adapter(ComputeClient);

        impl Ops for $adapter {
            fn grant(&self, names: &Names, body: &Value, tune: Tune) -> azure_core::Result<Pending<Granted>> {
                let options = $grant {
                    method_options: tune.poller_options(),
                    timeout: tune.timeout,
                };
                let poller = self.0.$client().begin_grant_access(
                    &names.resource_group,
                    $(&names.$name,)+
                    &data(body),
                    Some(options),
                )?;
                Ok(finish(poller, granted))
            }

            fn revoke(&self, names: &Names, tune: Tune) -> azure_core::Result<Pending<()>> {
                let options = $revoke {
                    method_options: tune.poller_options(),
                    timeout: tune.timeout,
                };
                let poller = self.0.$client().begin_revoke_access(
                    &names.resource_group,
                    $(&names.$name,)+
                    Some(options),
                )?;
                Ok(finish_empty(poller))
            }

            fn cloud_error(&self, error: &azure_core::Error) -> Option<Value> {
                cloud_error(error)
            }

            fn endpoint(&self) -> Url {
                self.0.endpoint().clone()
            }

            fn client_debug(&self) -> String {
                format!("{:?}", self.0.$client())
            }
        }
    };
}

/// Adapters for one api-version module of `azure_arm_compute`. `$field => $wire` lists every
/// SAS field of its `AccessUri`.
macro_rules! version_targets {
    ($module:ident, $version:literal, { $($field:ident => $wire:literal),* $(,)? }) => {
        pub mod $module {
            use super::{Granted, Names, Ops, Pending, Resource, Setup, Target, Tune, finish, finish_empty};
            use azure_arm_compute::$module::{
                ComputeClient, ComputeClientOptions, DiskRestorePointGrantAccessOptions,
                DiskRestorePointRevokeAccessOptions, DisksGrantAccessOptions, DisksRevokeAccessOptions,
                models::{AccessUri, CloudError, GrantAccessData},
            };
            use azure_core::http::Url;
            use serde_json::Value;
            use std::collections::BTreeMap;

            pub const DISKS: Target = Target {
                version: $version,
                resource: Resource::Disks,
                connect: connect_disks,
            };
            pub const DISK_RESTORE_POINTS: Target = Target {
                version: $version,
                resource: Resource::DiskRestorePoints,
                connect: connect_disk_restore_points,
            };

            fn client(setup: Setup) -> azure_core::Result<ComputeClient> {
                ComputeClient::new(
                    setup.subscription,
                    setup.credential,
                    Some(ComputeClientOptions {
                        client_options: setup.client_options,
                        polling: setup.polling,
                        ..Default::default()
                    }),
                )
            }

            fn connect_disks(setup: Setup) -> azure_core::Result<Box<dyn Ops>> {
                Ok(Box::new(Disks(client(setup)?)))
            }

            fn connect_disk_restore_points(setup: Setup) -> azure_core::Result<Box<dyn Ops>> {
                Ok(Box::new(DiskRestorePoints(client(setup)?)))
            }

            fn data(value: &Value) -> GrantAccessData {
                serde_json::from_value(value.clone()).expect("GrantAccessData")
            }

            fn granted(access: AccessUri) -> Granted {
                #[allow(unused_mut)]
                let mut secrets = BTreeMap::new();
                $(
                    if let Some(secret) = &access.$field {
                        secrets.insert($wire, secret.expose_secret().to_owned());
                    }
                )*
                Granted { secrets, debug: format!("{access:?}") }
            }

            fn cloud_error(error: &azure_core::Error) -> Option<Value> {
                CloudError::from_error(error)
                    .map(|typed| serde_json::to_value(typed).expect("CloudError serializes"))
            }

            resource_ops!(Disks, disks_client, DisksGrantAccessOptions, DisksRevokeAccessOptions, [disk]);
            resource_ops!(
                DiskRestorePoints,
                disk_restore_point_client,
                DiskRestorePointGrantAccessOptions,
                DiskRestorePointRevokeAccessOptions,
                [restore_point_collection, vm_restore_point, disk_restore_point]
            );
        }
    };
}

version_targets!(v2024_03_02, "2024-03-02", {
    access_sas => "accessSAS",
    security_data_access_sas => "securityDataAccessSAS",
});
version_targets!(v2025_01_02, "2025-01-02", {
    access_sas => "accessSAS",
    security_data_access_sas => "securityDataAccessSAS",
    security_metadata_access_sas => "securityMetadataAccessSAS",
});

/// One scenario's world: a CA, a server for the target's api-version, a credential, and the
/// client under test (over azure_core's reqwest transport, trusting only the CA).
pub struct Harness {
    pub target: Target,
    pub ca: TestCa,
    pub server: TestServer,
    pub credential: Arc<TestCredential>,
    pub ops: Box<dyn Ops>,
    /// The tuning of calls that do not set their own.
    pub default_tune: Tune,
}

impl Harness {
    /// Polling every 5 ms unless told otherwise, fixed 5 ms retries (at most 5).
    pub async fn start(target: Target) -> Self {
        Self::start_with(target, |_| {}).await
    }

    pub async fn start_with(target: Target, configure: impl FnOnce(&mut Setup)) -> Self {
        let ca = TestCa::new();
        let server = TestServer::start(&ca, target.version, TOKEN).await;
        let credential = Arc::new(TestCredential::default());
        let mut setup = Setup {
            subscription: SUBSCRIPTION.to_owned(),
            credential: credential.clone(),
            client_options: loopback_options(&ca, &server, 5),
            polling: PollingOptions { timeout: None },
            default_delay: Duration::from_millis(5),
        };
        configure(&mut setup);
        let default_tune = Tune {
            default_delay: setup.default_delay,
            ..Tune::default()
        };
        let ops = (target.connect)(setup).expect("the client builds");
        Self {
            target,
            ca,
            server,
            credential,
            ops,
            default_tune,
        }
    }

    /// The token scope of the loopback cloud: its endpoint plus `/.default`.
    pub fn scope(&self) -> String {
        format!("{}/.default", self.server.base().trim_end_matches('/'))
    }

    /// Another server on another port, with a certificate from the same CA (so the client would
    /// connect to it) and nothing to expect: for proving that a request never left.
    pub async fn bystander(&self) -> TestServer {
        TestServer::start(&self.ca, self.target.version, TOKEN).await
    }

    pub fn target(&self, action: &str) -> String {
        self.target.target(&Names::plain(), action)
    }

    /// An absolute URL on this server for `path_and_query`.
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.server.base())
    }

    /// Scripts the next grant of [`read_for_an_hour`] for the plain names, answered `reply`.
    pub fn expect_grant(&self, reply: Reply) {
        self.server.expect(
            Expect::post_json(self.target("beginGetAccess"), read_for_an_hour()),
            reply,
        );
    }

    /// Scripts the next revoke for the plain names, answered `reply`.
    pub fn expect_revoke(&self, reply: Reply) {
        self.server
            .expect(Expect::post_empty(self.target("endGetAccess")), reply);
    }

    /// Scripts a GET of `target` (path and query), answered `reply`.
    pub fn expect_get(&self, target: &str, reply: Reply) {
        self.server.expect(Expect::get(target), reply);
    }

    pub async fn grant(&self, body: Value) -> azure_core::Result<Granted> {
        self.grant_tuned(&Names::plain(), body, self.default_tune)
            .await
    }

    pub async fn grant_tuned(
        &self,
        names: &Names,
        body: Value,
        tune: Tune,
    ) -> azure_core::Result<Granted> {
        self.ops.grant(names, &body, tune)?.await
    }

    pub async fn revoke(&self) -> azure_core::Result<()> {
        self.ops.revoke(&Names::plain(), self.default_tune)?.await
    }

    /// Checks that the server saw exactly what it expected, and that the credential was asked
    /// for the custom cloud's scope only.
    pub fn finish(&mut self) {
        self.server.finish();
        let scope = self.scope();
        for scopes in self.credential.scopes() {
            assert_eq!(scopes, std::slice::from_ref(&scope));
        }
    }
}

/// The OpenAPI `examples` of the target's grant operation: (name, request body, the 200
/// response of the same name).
pub fn grant_samples(target: &Target) -> Vec<(String, Value, Value)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("fixtures/openapi3/compute-{}.json", target.version));
    let text = std::fs::read_to_string(&path).expect("the spec");
    let spec: Value = serde_json::from_str(&text).expect("the spec is JSON");
    let operation = spec["paths"]
        .as_object()
        .expect("paths")
        .values()
        .filter_map(|item| item.get("post"))
        .find(|operation| operation["operationId"] == target.grant_operation())
        .expect("the grant operation");
    let requests = operation["requestBody"]["content"]["application/json"]["examples"]
        .as_object()
        .expect("request examples");
    let responses = &operation["responses"]["200"]["content"]["application/json"]["examples"];
    requests
        .iter()
        .map(|(name, request)| {
            let response = responses[name]["value"].clone();
            assert!(response.is_object(), "{name}: no 200 sample of that name");
            (name.clone(), request["value"].clone(), response)
        })
        .collect()
}
