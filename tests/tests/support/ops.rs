//! The operations fixture's client against the scripted HTTPS server, shared by
//! `operations.rs` (plain and long-running operations) and `operations_paging.rs` (pageable
//! operations, parameters, enums).

use super::support::{
    SUBSCRIPTION, TOKEN, TestCredential, loopback_options,
    server::{Expect, Reply, TestServer},
    tls::TestCa,
};
use azure_core::http::Response;
use codegen_tests::operations_fixture::{
    NamesEchoOptions, OpsClient, OpsClientOptions, WidgetsClient,
    models::{CloudError, Echo, Widget},
};
use serde_json::{Value, json};
use std::sync::Arc;

pub const VERSION: &str = "2021-01-01";
pub const RG: &str = "rg1";

pub struct Fixture {
    pub ca: TestCa,
    pub server: TestServer,
    pub client: OpsClient,
}

impl Fixture {
    pub async fn start() -> Self {
        let ca = TestCa::new();
        let server = TestServer::start(&ca, VERSION, TOKEN).await;
        let client = client(&ca, &server);
        Self { ca, server, client }
    }

    pub fn widgets(&self) -> WidgetsClient {
        self.client.widgets_client()
    }

    /// `/subscriptions/…/widgets/{name}{suffix}?api-version=…`.
    pub fn widget(&self, name: &str, suffix: &str) -> String {
        format!(
            "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Test.Ops/widgets/{name}{suffix}?api-version={VERSION}"
        )
    }

    pub fn url(&self, target: &str) -> String {
        format!("{}{target}", self.server.base())
    }

    pub fn expect(&self, method: &'static str, target: &str, body: Option<Value>, reply: Reply) {
        self.server
            .expect(Expect::request(method, target, body), reply);
    }

    /// A status monitor URL (path and query) of this test's subscription.
    pub fn operation(&self, name: &str) -> String {
        format!(
            "/subscriptions/{SUBSCRIPTION}/providers/Test.Ops/operations/{name}?api-version={VERSION}"
        )
    }

    /// A final-result (Location) URL (path and query) of this test's subscription.
    pub fn operation_result(&self, name: &str) -> String {
        format!(
            "/subscriptions/{SUBSCRIPTION}/providers/Test.Ops/operationResults/{name}?api-version={VERSION}"
        )
    }

    /// A 202 naming the status monitor `op` (`Azure-AsyncOperation`).
    pub fn accepted_with_monitor(&self, op: &str) -> Reply {
        Reply::accepted().header("Azure-AsyncOperation", self.url(op))
    }

    /// A 202 naming `location` (`Location`) to poll.
    pub fn accepted_with_location(&self, location: &str) -> Reply {
        Reply::accepted().header("Location", self.url(location))
    }

    /// Expects the PUT of `wid1` with a location only, accepted with a status monitor at `op`.
    pub fn expect_put_accepted(&self, op: &str) {
        self.expect(
            "PUT",
            &self.widget("wid1", ""),
            Some(json!({"location": "westus"})),
            self.accepted_with_monitor(op),
        );
    }

    pub fn finish(mut self) {
        self.server.finish();
    }
}

/// `Names_Echo` with the arguments the scripts expect: path `q/p/u/pa/c`, query `request=r`,
/// `options=o`, `response=s`, `count=7`, header `headers: h`; `body` and `options` as given.
/// (The parameters are named like the emitted code's own bindings.)
pub async fn echo(
    f: &Fixture,
    body: Option<&Echo>,
    options: Option<NamesEchoOptions<'_>>,
) -> azure_core::Result<Response<Echo>> {
    let names = f.client.names_client();
    names
        .echo(
            "q", "p", "u", "pa", "c", "r", "o", "s", "h", 7, body, options,
        )
        .await
}

pub fn client(ca: &TestCa, server: &TestServer) -> OpsClient {
    OpsClient::new(
        SUBSCRIPTION,
        Arc::new(TestCredential::default()),
        Some(OpsClientOptions {
            client_options: loopback_options(ca, server, 3),
            ..Default::default()
        }),
    )
    .expect("the client builds")
}

pub fn widget_json(state: &str) -> Value {
    json!({"id": "/w/wid1", "name": "wid1", "location": "westus", "properties": {"provisioningState": state, "size": 3}})
}

/// 200 with `wid1` in `state`.
pub fn widget_reply(state: &str) -> Reply {
    Reply::json(200, widget_json(state))
}

pub fn error_json(code: &str) -> Value {
    json!({"error": {"code": code, "message": format!("{code} happened"), "target": "wid1"}})
}

pub fn monitor(status: &str) -> Reply {
    Reply::json(200, json!({"status": status}))
}

/// The `code` of the typed `CloudError` that `error` carries, if it carries one.
pub fn cloud_error_code(error: &azure_core::Error) -> Option<String> {
    CloudError::from_error(error)
        .and_then(|cloud| cloud.error)
        .and_then(|error| error.code)
}

pub fn new_widget() -> Widget {
    Widget::new("westus".to_owned())
}
