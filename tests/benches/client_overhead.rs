//! The generated client's own overhead per call, over an in-memory transport (a mock
//! azure_core `HttpClient` that answers at once): building the request (parameter checks,
//! URL, JSON body), sending it through the whole azure_core pipeline (telemetry, retry,
//! bearer token, the runtime's body limit) and decoding the response. What a real call adds
//! on top is the network. Run with
//!
//! ```text
//! cargo bench -p codegen_tests --bench client_overhead
//! ```
//!
//! | benchmark | what is timed |
//! |---|---|
//! | `executor` | `block_on` of an empty future: the floor every case below includes |
//! | `get` | `DisksClient::get` awaited and its `Disk` decoded |
//! | `list_page` | `DisksClient::list_by_resource_group`: one page of two disks, streamed as items |
//! | `long_running_build` | `DisksClient::begin_grant_access` without awaiting: parameter checks, URL, JSON body, poller |
//! | `long_running_two_polls` | the same awaited: POST (202 + Location), poll (202 + next Location), poll (200 + body), decode |
//!
//! The runtime's clock is paused (tokio's test clock): a poll's delay advances it at once, so
//! the long-running case times the client's work, not the default delay between polls.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use azure_arm_compute::v2025_01_02::{
    ComputeClient, ComputeClientOptions, DisksClient, models::GrantAccessData,
};
use azure_core::{
    Bytes,
    http::{
        AsyncRawResponse, ClientOptions, HttpClient, Method, Request, StatusCode, Transport,
        headers::{HeaderName, HeaderValue, Headers},
    },
};
use divan::{Bencher, black_box};
use futures::TryStreamExt;
use tokio::runtime::Runtime;

// The tests' credential: a fixed token valid for an hour (the bearer policy caches it after
// the first call).
#[path = "../tests/support/credential.rs"]
#[allow(dead_code)]
mod credential;

use credential::TestCredential;

fn main() {
    divan::main();
}

const SUBSCRIPTION: &str = "9f1c3b8e-5d2a-4c7e-8b9a-0d1e2f3a4b5c";
const ENDPOINT: &str = "https://management.azure.com";
/// A result body of `Disks_GrantAccess`, as the service sends it.
const ACCESS_URI: &str = r#"{"accessSAS":"https://md-abc.blob.core.windows.net/xyz/abcd?sv=2018-03-28&sr=b&si=4f5b&sig=d2VsbC1mb3JtZWQtYnV0LWZha2U%3D","securityDataAccessSAS":"https://md-abc.blob.core.windows.net/xyz/vmgs?sv=2018-03-28&sr=b&sig=ZmFrZQ%3D%3D"}"#;
/// A disk, as `Disks_Get` returns it.
const DISK: &str = r#"{"id":"/subscriptions/9f1c3b8e-5d2a-4c7e-8b9a-0d1e2f3a4b5c/resourceGroups/rg-bench/providers/Microsoft.Compute/disks/disk1","name":"disk1","type":"Microsoft.Compute/disks","location":"westus","properties":{"creationData":{"createOption":"Empty"},"diskSizeGB":200,"provisioningState":"Succeeded"}}"#;
/// One page of `Disks_ListByResourceGroup`: two disks and no next link.
const DISK_PAGE: &str = r#"{"value":[{"location":"westus","name":"disk1","properties":{"creationData":{"createOption":"Empty"}}},{"location":"westus","name":"disk2","properties":{"creationData":{"createOption":"Empty"}}}]}"#;
/// The request body of `Disks_GrantAccess`.
const GRANT: &str = r#"{"access":"Read","durationInSeconds":3600}"#;

/// Answers every request at once from its method and path, the same way in every
/// iteration; counts the requests, so that each case can check its exchange once.
#[derive(Debug, Default)]
struct Responder {
    requests: AtomicUsize,
}

impl Responder {
    fn respond(request: &Request) -> (StatusCode, Vec<(&'static str, String)>, &'static str) {
        let url = request.url();
        let path = url.path();
        let operation = format!("{ENDPOINT}/subscriptions/{SUBSCRIPTION}/operationResults/op1");
        match (request.method(), path) {
            // The long-running POST: accepted, poll the Location at once.
            (Method::Post, p) if p.ends_with("/beginGetAccess") => (
                StatusCode::Accepted,
                vec![
                    ("location", format!("{operation}?poll=1")),
                    ("retry-after", "0".into()),
                ],
                "",
            ),
            // First poll: still running, with the next URL to poll.
            (Method::Get, p)
                if p.ends_with("/operationResults/op1") && url.query() == Some("poll=1") =>
            {
                (
                    StatusCode::Accepted,
                    vec![
                        ("location", format!("{operation}?poll=2")),
                        ("retry-after", "0".into()),
                    ],
                    "",
                )
            }
            // Second poll: done, with the result.
            (Method::Get, p) if p.ends_with("/operationResults/op1") => {
                (StatusCode::Ok, Vec::new(), ACCESS_URI)
            }
            // A list page.
            (Method::Get, p) if p.ends_with("/disks") => (StatusCode::Ok, Vec::new(), DISK_PAGE),
            // A get of one disk.
            (Method::Get, p) if p.ends_with("/disks/disk1") => (StatusCode::Ok, Vec::new(), DISK),
            _ => (StatusCode::NotFound, Vec::new(), ""),
        }
    }
}

impl Responder {
    /// The requests answered so far.
    fn count(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }
}

#[async_trait]
impl HttpClient for Responder {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let (status, pairs, body) = Self::respond(request);
        let mut headers = Headers::new();
        headers.insert(
            HeaderName::from_static("content-type"),
            HeaderValue::from_static("application/json"),
        );
        for (name, value) in pairs {
            headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
        }
        Ok(AsyncRawResponse::from_bytes(
            status,
            headers,
            Bytes::from_static(body.as_bytes()),
        ))
    }
}

fn client_options(responder: &Arc<Responder>) -> ClientOptions {
    ClientOptions {
        transport: Some(Transport::new(responder.clone())),
        ..ClientOptions::default()
    }
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread tokio runtime")
}

/// A disks client over a fresh [`Responder`], and the responder, to count the requests.
fn disks() -> (DisksClient, Arc<Responder>) {
    let responder = Arc::new(Responder::default());
    let options = ComputeClientOptions {
        client_options: client_options(&responder),
        ..ComputeClientOptions::default()
    };
    let credential = Arc::new(TestCredential::default());
    let client = ComputeClient::new(SUBSCRIPTION, credential, Some(options))
        .expect("a client over the in-memory transport");
    (client.disks_client(), responder)
}

fn grant() -> GrantAccessData {
    serde_json::from_str(GRANT).expect("a valid GrantAccessData")
}

#[divan::bench]
fn executor(bencher: Bencher) {
    let runtime = runtime();
    bencher.bench_local(|| runtime.block_on(async { black_box(()) }));
}

#[divan::bench]
fn get(bencher: Bencher) {
    let runtime = runtime();
    let (disks, responder) = disks();
    let call = || async {
        disks
            .get(black_box("rg-bench"), black_box("disk1"), None)
            .await?
            .into_model()
    };
    // The first call fetches the token; the bench measures calls with a cached one.
    let disk = runtime.block_on(call()).expect("the get succeeds");
    assert_eq!(disk.name.as_deref(), Some("disk1"), "the disk was decoded");
    assert_eq!(responder.count(), 1, "one GET");
    bencher.bench_local(|| runtime.block_on(call()).expect("the get succeeds"));
}

#[divan::bench]
fn list_page(bencher: Bencher) {
    let runtime = runtime();
    let (disks, responder) = disks();
    let call = || async {
        disks
            .list_by_resource_group(black_box("rg-bench"), None)?
            .try_collect::<Vec<_>>()
            .await
    };
    let items = runtime.block_on(call()).expect("the list succeeds");
    assert_eq!(items.len(), 2, "both disks of the page");
    assert_eq!(responder.count(), 1, "one page");
    bencher.bench_local(|| runtime.block_on(call()).expect("the list succeeds"));
}

#[divan::bench]
fn long_running_build(bencher: Bencher) {
    let (disks, _) = disks();
    let data = grant();
    bencher.bench_local(|| {
        disks
            .begin_grant_access(black_box("rg-bench"), black_box("disk1"), &data, None)
            .expect("valid parameters")
    });
}

#[divan::bench]
fn long_running_two_polls(bencher: Bencher) {
    let runtime = runtime();
    let (disks, responder) = disks();
    let data = grant();
    let call = || async {
        disks
            .begin_grant_access(black_box("rg-bench"), black_box("disk1"), &data, None)?
            .await?
            .into_model()
    };
    let first = runtime.block_on(call()).expect("the operation succeeds");
    assert!(first.access_sas.is_some(), "the result was decoded");
    let requests = responder.count();
    assert_eq!(requests, 3, "the POST and two polls");
    bencher.bench_local(|| runtime.block_on(call()).expect("the operation succeeds"));
}
