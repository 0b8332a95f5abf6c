//! Hostile responses over real HTTPS on 127.0.0.1: redirects to another origin, and a gzip
//! bomb. The runtime's pipeline ([`ArmPipeline`]) runs on a reqwest client that trusts only the
//! test's own CA, against the scripted server of `support/server.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/credential.rs"]
#[allow(dead_code)]
mod credential;
#[path = "support/server.rs"]
#[allow(dead_code)]
mod server;
#[path = "support/tls.rs"]
#[allow(dead_code)]
mod tls;

use azure_arm_runtime::{
    ArmHttpClient, ArmPipeline, ArmRequest, PollingOptions, RedirectRefused, ResourceManager,
    ResponseBodyLimit, ResponseTooLarge,
};
use azure_core::http::{
    ClientOptions, Context, HttpClient, Method, RetryOptions, StatusCode, Transport, Url,
    policies::Policy,
};
use credential::{TOKEN, TestCredential};
use flate2::{Compression, write::GzEncoder};
use serde_json::json;
use server::{Expect, Reply, TestServer};
use std::{io::Write, sync::Arc, time::Duration};
use tls::TestCa;

const API_VERSION: &str = "2025-01-02";
const GRANT: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d/beginGetAccess?api-version=2025-01-02";
/// The whole-test bound: each scenario ends in milliseconds when the client behaves.
const LIMIT: Duration = Duration::from_secs(30);

/// The request every scenario sends: the grant POST with its JSON body.
fn grant() -> Expect {
    Expect::post_json(GRANT, json!({"access": "Read"}))
}

/// The runtime's pipeline against `server`, over `http_client`, without retries, with
/// `per_call_policies`.
fn pipeline_with(
    server: &TestServer,
    http_client: Arc<dyn HttpClient>,
    per_call_policies: Vec<Arc<dyn Policy>>,
) -> ArmPipeline {
    ArmPipeline::new(
        "hostile_responses",
        "0.0.1",
        Arc::new(TestCredential::default()),
        ClientOptions {
            cloud: Some(loopback_cloud(server.base())),
            transport: Some(Transport::new(http_client)),
            retry: RetryOptions::none(),
            per_call_policies,
            ..Default::default()
        },
        PollingOptions::default(),
    )
    .unwrap()
}

/// A custom cloud whose Resource Manager endpoint (its audience) is `endpoint`.
fn loopback_cloud(endpoint: &str) -> Arc<azure_core::cloud::CloudConfiguration> {
    let mut custom = azure_core::cloud::CustomConfiguration::default();
    custom.audiences =
        azure_core::cloud::Audiences::new().with::<ResourceManager>(endpoint.to_owned());
    Arc::new(custom.into())
}

fn pipeline(server: &TestServer, http_client: Arc<dyn HttpClient>) -> ArmPipeline {
    pipeline_with(server, http_client, Vec::new())
}

/// A reqwest client trusting only `ca`, following redirects the way reqwest does by default.
fn following(ca: &TestCa) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .tls_certs_only([ca.certificate()])
        .no_proxy()
        .redirect(reqwest::redirect::Policy::limited(10))
        .timeout(Duration::from_secs(10))
}

async fn post(pipeline: &ArmPipeline, server: &TestServer) -> azure_core::Result<Vec<u8>> {
    let url = Url::parse(&format!("{}{GRANT}", server.base())).unwrap();
    let body = azure_core::Bytes::from_static(br#"{"access":"Read"}"#);
    tokio::time::timeout(
        LIMIT,
        pipeline.send::<(), azure_core::http::NoFormat>(
            Ok(ArmRequest {
                body: Some(body),
                ..ArmRequest::new(Method::Post, url)
            }),
            Context::new(),
        ),
    )
    .await
    .expect("the request ends")
    .map(|response| response.into_body().to_vec())
}

/// A 307 from the service to another port: `ArmHttpClient::new` refuses the other origin's
/// answer (an attacker-chosen SAS) even though the user's client followed the redirect.
#[tokio::test]
async fn a_response_redirected_to_another_origin_is_refused() {
    let ca = TestCa::new();
    let service = TestServer::start(&ca, API_VERSION, TOKEN).await;
    let attacker = TestServer::start(&ca, API_VERSION, TOKEN).await;
    let sas = "https://evil.example/c/b?sv=1&sig=ATTACKER";
    service.expect(
        grant(),
        Reply::status(307).header("location", format!("{}{GRANT}", attacker.base())),
    );
    attacker.expect(grant(), Reply::json(200, json!({"accessSAS": sas})));
    let client = ArmHttpClient::new(following(&ca).build().unwrap());
    let error = post(&pipeline(&service, Arc::new(client)), &service)
        .await
        .unwrap_err();
    let refused = error
        .downcast_ref::<RedirectRefused>()
        .unwrap_or_else(|| panic!("not a RedirectRefused: {error:?}"));
    assert_eq!(refused.origin, attacker.base());
    assert_eq!(
        error.to_string(),
        format!(
            "refusing a response that came from a redirect to another origin ({}): Azure Resource Manager requests must not follow redirects",
            attacker.base()
        )
    );
    assert!(!format!("{error:?}").contains("ATTACKER"));
    // reqwest re-sent the POST (without the token); the answer was not used.
    let received = attacker.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].header("authorization"), None);
    let _ = attacker.take_problems();
    let mut service = service;
    service.finish();
}

/// `ArmHttpClient::from_builder` turns redirect-following off: the 307 comes back as an HTTP
/// error and nothing reaches the other origin.
#[tokio::test]
async fn from_builder_never_follows_a_redirect() {
    let ca = TestCa::new();
    let mut service = TestServer::start(&ca, API_VERSION, TOKEN).await;
    let mut attacker = TestServer::start(&ca, API_VERSION, TOKEN).await;
    for status in [302, 307, 308] {
        service.expect(
            grant(),
            Reply::status(status).header("location", format!("{}{GRANT}", attacker.base())),
        );
    }
    let client = ArmHttpClient::from_builder(following(&ca)).unwrap();
    let pipeline = pipeline(&service, Arc::new(client));
    for status in [302, 307, 308] {
        let error = post(&pipeline, &service).await.unwrap_err();
        assert_eq!(error.http_status(), Some(StatusCode::from(status)));
    }
    assert_eq!(attacker.connections(), 0);
    service.finish();
    attacker.finish();
}

/// A redirect within the same origin is the service's own business: followed and used.
#[tokio::test]
async fn a_redirect_within_the_origin_is_followed() {
    let ca = TestCa::new();
    let mut service = TestServer::start(&ca, API_VERSION, TOKEN).await;
    let moved = GRANT.replace("/d/", "/moved/");
    service.expect(
        grant(),
        Reply::status(307).header("location", format!("{{base}}{moved}")),
    );
    service.expect(
        Expect::post_json(moved, json!({"access": "Read"})),
        Reply::json(200, json!({"ok": true})),
    );
    let client = ArmHttpClient::new(following(&ca).build().unwrap());
    let body = post(&pipeline(&service, Arc::new(client)), &service)
        .await
        .unwrap();
    assert_eq!(body, br#"{"ok":true}"#);
    service.finish();
}

/// `count` zero bytes, gzip-compressed.
fn gzip_zeros(count: usize) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    let block = vec![0_u8; 1 << 20];
    let mut left = count;
    while left > 0 {
        let n = left.min(block.len());
        encoder.write_all(&block[..n]).unwrap();
        left -= n;
    }
    encoder.finish().unwrap()
}

/// A gzip bomb: 64 MiB of zeros in about 64 KB. The client decompresses as it reads, and the
/// body limit counts what comes out: reading stops at the limit (1 MiB here, set per client).
/// A small gzip body still decodes (so decompression is really on).
#[tokio::test]
async fn a_gzip_bomb_stops_at_the_body_limit() {
    let ca = TestCa::new();
    let mut service = TestServer::start(&ca, API_VERSION, TOKEN).await;
    let bomb = gzip_zeros(64 << 20);
    assert!(bomb.len() < 100 * 1024, "{} bytes", bomb.len());
    let mut small = GzEncoder::new(Vec::new(), Compression::default());
    small.write_all(br#"{"name":"d"}"#).unwrap();
    for body in [small.finish().unwrap(), bomb] {
        service.expect(
            grant(),
            Reply::status(200)
                .header("content-type", "application/json")
                .header("content-encoding", "gzip")
                .raw_body(body),
        );
    }
    let pipeline = pipeline_with(
        &service,
        Arc::new(ca.reqwest_client()),
        vec![Arc::new(ResponseBodyLimit::new(1 << 20))],
    );
    assert_eq!(post(&pipeline, &service).await.unwrap(), br#"{"name":"d"}"#);
    // Only the length, if it were read: the body itself is 64 MiB.
    let error = post(&pipeline, &service)
        .await
        .map(|body| body.len())
        .unwrap_err();
    assert_eq!(
        error.downcast_ref::<ResponseTooLarge>(),
        Some(&ResponseTooLarge { limit: 1 << 20 }),
        "{error:?}"
    );
    service.finish();
}

/// The generated `CloudError` of a failed request keeps the service's words, but its `Debug`
/// shows no SAS material, whatever the service put where; nor do the error and its details.
#[test]
fn the_generated_cloud_error_holds_no_sas() {
    use azure_arm_compute::v2025_01_02::models::CloudError;
    use azure_core::{
        error::ErrorKind,
        http::{RawResponse, headers::Headers},
    };
    let body = json!({"error": {
        "code": "Bad&sig=SECRETSIG",
        "message": "Blob md.blob.core.windows.net/c/b?sv=1&sig=SECRETSIG is locked",
        "target": "https://md.blob.core.windows.net/c/b?sv=1&sig=SECRETSIG",
        "details": [{"code": "X", "message": "sig%3DSECRETSIG", "target": "SIG=SECRETSIG"}]
    }});
    let mut headers = Headers::new();
    headers.insert("x-ms-error-code", "Conflict sig=SECRETSIG");
    let raw = RawResponse::from_bytes(StatusCode::Conflict, headers, body.to_string());
    // As azure_core's own success check would build it, then made safe.
    let error = azure_core::Error::with_message(
        ErrorKind::HttpResponse {
            status: StatusCode::Conflict,
            error_code: Some("Conflict sig=SECRETSIG".to_owned()),
            raw_response: Some(Box::new(raw)),
        },
        "Blob md.blob.core.windows.net/c/b?sv=1&sig=SECRETSIG is locked",
    );
    let typed = CloudError::from_error(&error).expect("the typed error body");
    for debug in [format!("{typed:?}"), format!("{typed:#?}")] {
        assert!(!debug.contains("SECRETSIG"), "{debug}");
        assert!(debug.contains("sig=<redacted>"), "{debug}");
    }
    let serialized = serde_json::to_value(&typed).unwrap();
    assert_eq!(serialized, body, "the service's words, unchanged");
    let details = azure_arm_runtime::http_error_details(&error).unwrap();
    assert_eq!(
        details.error_code.as_deref(),
        Some("Conflict sig=<redacted>")
    );
    let error = azure_arm_runtime::redact_http_error(error, "the request failed");
    assert!(!format!("{error} {error:?}").contains("SECRETSIG"));
}
