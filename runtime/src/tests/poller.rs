//! The long-running-operation driver against scripted responses, through azure_core's
//! `Poller` exactly as generated clients return it.

use super::{ENDPOINT, Harness, TOKEN, harness, harness_with, respond};
use crate::{
    ArmPoller, ArmRequest, FinalStateVia, LongRunningRequest, ResumeToken, SecretString,
    error_body, http_error_details, json_body,
};
use azure_core::{
    Result,
    error::ErrorKind,
    http::{Method, NoFormat, Response, StatusCode, Url, poller::PollerStatus},
    time::{OffsetDateTime, to_rfc7231},
};
use futures::TryStreamExt;
use serde::{Deserialize, de::DeserializeOwned};
use std::{future::IntoFuture, time::Duration};
use tokio::time::Instant;

const OP: &str = "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d/beginGetAccess?api-version=2025-01-02";
const ASYNC: &str = "https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/locations/westus/DiskOperations/op1?p=x&api-version=2025-01-02";
const LOC: &str = "https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/locations/westus/DiskOperations/op1?monitor=true&api-version=2025-01-02";
const SAS: &str =
    "https://md-x.z1.blob.storage.azure.net/abcd/abcd?sv=2018-03-28&sr=b&si=x&sig=SECRETSIG";

fn sas_body() -> String {
    format!(r#"{{"accessSAS":"{SAS}"}}"#)
}

#[derive(Debug, Deserialize, PartialEq)]
struct AccessUri {
    #[serde(rename = "accessSAS")]
    access_sas: SecretString,
}

#[derive(Debug, Deserialize)]
struct CloudError {
    error: CloudErrorBody,
}

#[derive(Debug, Deserialize)]
struct CloudErrorBody {
    code: String,
    message: String,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    details: Vec<CloudErrorBody>,
}

fn lro(method: Method, url: &str, final_state_via: Option<FinalStateVia>) -> LongRunningRequest {
    LongRunningRequest {
        operation: "Disks_Test",
        request: ArmRequest::new(method, Url::parse(url).unwrap()),
        final_state_via,
    }
}

fn grant(final_state_via: FinalStateVia) -> LongRunningRequest {
    let mut request = lro(Method::Post, OP, Some(final_state_via));
    request.request = request
        .request
        .json(&serde_json::json!({"access": "Read", "durationInSeconds": 3600}))
        .unwrap();
    request
}

fn revoke() -> LongRunningRequest {
    lro(
        Method::Post,
        &OP.replace("beginGetAccess", "endGetAccess"),
        Some(FinalStateVia::Location),
    )
}

fn with_via(mut request: LongRunningRequest, via: Option<FinalStateVia>) -> LongRunningRequest {
    request.final_state_via = via;
    request
}

/// Awaits the poller and reads the final model.
async fn model<T: DeserializeOwned + Send + 'static>(
    h: &Harness,
    request: LongRunningRequest,
) -> Result<T> {
    h.begin::<T, azure_core::http::JsonFormat>(request)
        .await?
        .into_model()
}

/// Awaits the poller of an operation without a result.
async fn empty(h: &Harness, request: LongRunningRequest) -> Result<Response<(), NoFormat>> {
    h.begin::<(), NoFormat>(request).await
}

async fn grant_poller(h: &Harness, final_state_via: FinalStateVia) -> Result<AccessUri> {
    model(h, grant(final_state_via)).await
}

fn grant_raw(h: &Harness, final_state_via: FinalStateVia) -> ArmPoller<AccessUri> {
    h.begin(grant(final_state_via))
}

fn accepted_async() -> super::Canned {
    respond(202)
        .header("Azure-AsyncOperation", ASYNC)
        .header("Location", LOC)
        .header("Retry-After", "1")
}

fn monitor(status: &str) -> super::Canned {
    respond(200).body(format!(r#"{{"name":"op1","status":"{status}"}}"#))
}

fn assert_is_get_poll(request: &super::Recorded, url: &str) {
    assert_eq!(request.method, Method::Get);
    assert_eq!(request.url.as_str(), url);
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("content-type"), None);
    assert!(request.body.is_empty());
    assert_eq!(
        request.header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
}

// ---- initial response ------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn immediate_200_with_body_is_the_result() {
    let h = harness(vec![respond(200).body(sas_body())]);
    let result = grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
    let requests = h.transport.requests();
    assert_eq!(requests.len(), 1);
    let initial = &requests[0];
    assert_eq!(initial.method, Method::Post);
    assert_eq!(initial.url.as_str(), OP);
    assert_eq!(initial.header("content-type"), Some("application/json"));
    assert_eq!(initial.header("accept"), Some("application/json"));
    assert_eq!(
        &initial.body[..],
        br#"{"access":"Read","durationInSeconds":3600}"#
    );
}

#[tokio::test(start_paused = true)]
async fn immediate_201_with_body_is_the_result() {
    let h = harness(vec![respond(201).body(sas_body())]);
    let result = grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
}

#[tokio::test(start_paused = true)]
async fn revoke_200_or_204_without_body_is_done() {
    for status in [200, 204] {
        let h = harness(vec![respond(status)]);
        empty(&h, revoke()).await.unwrap();
        let requests = h.transport.requests();
        assert_eq!(requests.len(), 1);
        // No body: no Content-Type, but still Accept.
        assert_eq!(requests[0].header("content-type"), None);
        assert_eq!(requests[0].header("accept"), Some("application/json"));
        assert!(requests[0].body.is_empty());
    }
}

#[tokio::test(start_paused = true)]
async fn decode_json_of_an_empty_final_body_says_so() {
    let h = harness(vec![respond(200)]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::DataConversion);
}

#[tokio::test(start_paused = true)]
async fn initial_error_status_carries_the_cloud_error() {
    let h =
        harness(vec![respond(409).header("x-ms-request-id", "req-1").body(
            r#"{"error":{"code":"Conflict","message":"Disk is attached."}}"#,
        )]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.http_status(), Some(StatusCode::Conflict));
    let cloud: CloudError = error_body(&error).unwrap();
    assert_eq!(cloud.error.code, "Conflict");
    let details = http_error_details(&error).unwrap();
    assert_eq!(details.error_code.as_deref(), Some("Conflict"));
    assert_eq!(details.request_id.as_deref(), Some("req-1"));
    assert_eq!(
        error.to_string(),
        "the long-running operation's initial request failed: HTTP 409 (Conflict): Disk is attached."
    );
    assert_eq!(h.transport.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn accepted_without_polling_headers_is_an_error() {
    let h = harness(vec![respond(202), respond(200).body(sas_body())]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("has no Azure-AsyncOperation, Operation-Location or Location header"),
        "{message}"
    );
    assert_eq!(h.transport.requests().len(), 1);
}

// ---- Location polling ------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn location_is_polled_until_200_with_the_result() {
    let h = harness(vec![
        respond(202).header("Location", LOC),
        respond(202),
        respond(202),
        respond(200).body(sas_body()),
    ]);
    let result = grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
    let requests = h.transport.requests();
    assert_eq!(requests.len(), 4);
    for poll in &requests[1..] {
        assert_is_get_poll(poll, LOC);
    }
}

#[tokio::test(start_paused = true)]
async fn location_polled_until_204_is_done_without_body() {
    let h = harness(vec![
        respond(202).header("Location", LOC),
        respond(202),
        respond(204),
    ]);
    empty(&h, revoke()).await.unwrap();
    assert_eq!(h.transport.requests().len(), 3);

    // The same 204 with a model expected: a data-conversion error (there is no body).
    let h = harness(vec![respond(202).header("Location", LOC), respond(204)]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::DataConversion, "{error}");
}

#[tokio::test(start_paused = true)]
async fn location_error_status_fails_with_the_cloud_error() {
    let h = harness(vec![
        respond(202).header("Location", LOC),
        respond(202),
        respond(404)
            .header("x-ms-correlation-request-id", "corr-1")
            .body(r#"{"error":{"code":"NotFound","message":"The operation was not found.","target":"op1"}}"#),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.http_status(), Some(StatusCode::NotFound));
    let ErrorKind::HttpResponse {
        error_code,
        raw_response,
        ..
    } = error.kind()
    else {
        panic!("{error:?}");
    };
    assert_eq!(error_code.as_deref(), Some("NotFound"));
    assert!(raw_response.is_some());
    let cloud: CloudError = error_body(&error).unwrap();
    assert_eq!(cloud.error.target.as_deref(), Some("op1"));
    assert_eq!(
        http_error_details(&error)
            .unwrap()
            .correlation_request_id
            .as_deref(),
        Some("corr-1")
    );
}

#[tokio::test(start_paused = true)]
async fn location_poll_may_move_to_a_new_location() {
    let next = "https://management.azure.com/operations/op2?api-version=2025-01-02";
    let h = harness(vec![
        respond(202).header("Location", LOC),
        respond(202).header("Location", "/operations/op2?api-version=2025-01-02"),
        respond(200).body(sas_body()),
    ]);
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(h.transport.urls(), vec![OP, LOC, next]);
}

// ---- status monitor ----------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn async_operation_then_final_get_of_location() {
    let h = harness(vec![
        accepted_async(),
        monitor("InProgress"),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]);
    let result = grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
    let requests = h.transport.requests();
    assert_eq!(requests.len(), 4);
    assert_is_get_poll(&requests[1], ASYNC);
    assert_is_get_poll(&requests[2], ASYNC);
    assert_is_get_poll(&requests[3], LOC);
}

#[tokio::test(start_paused = true)]
async fn async_operation_with_location_final_state_but_no_location_has_no_result_body() {
    let script = || {
        vec![
            respond(202).header("Azure-AsyncOperation", ASYNC),
            monitor("Succeeded"),
        ]
    };
    let h = harness(script());
    empty(&h, revoke()).await.unwrap();
    assert_eq!(h.transport.requests().len(), 2);

    let h = harness(script());
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::DataConversion, "{error}");
    assert_eq!(h.transport.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn async_operation_final_state_is_the_monitor_body() {
    #[derive(Deserialize)]
    struct Monitor {
        status: String,
        properties: AccessUri,
    }
    let h = harness(vec![
        accepted_async(),
        respond(200).body(format!(
            r#"{{"status":"Succeeded","properties":{}}}"#,
            sas_body()
        )),
    ]);
    let result: Monitor = model(&h, grant(FinalStateVia::AzureAsyncOperation))
        .await
        .unwrap();
    assert_eq!(result.status, "Succeeded");
    assert_eq!(result.properties.access_sas.expose_secret(), SAS);
    assert_eq!(h.transport.urls(), vec![OP, ASYNC]);
}

#[tokio::test(start_paused = true)]
async fn async_operation_final_state_original_uri_gets_the_original_url() {
    let h = harness(vec![
        accepted_async(),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]);
    grant_poller(&h, FinalStateVia::OriginalUri).await.unwrap();
    let requests = h.transport.requests();
    assert_eq!(h.transport.urls(), vec![OP, ASYNC, OP]);
    assert_is_get_poll(&requests[2], OP);
}

#[tokio::test(start_paused = true)]
async fn put_ends_with_a_get_of_the_resource() {
    let h = harness(vec![
        respond(201)
            .header("Azure-AsyncOperation", ASYNC)
            .body(r#"{"properties":{"provisioningState":"Creating"}}"#),
        monitor("Succeeded"),
        respond(200).body(r#"{"properties":{"provisioningState":"Succeeded"}}"#),
    ]);
    let mut request = lro(Method::Put, OP, Some(FinalStateVia::AzureAsyncOperation));
    request.request.body = Some(json_body(&serde_json::json!({"location": "westus"})).unwrap());
    let resource: serde_json::Value = model(&h, request).await.unwrap();
    assert_eq!(resource["properties"]["provisioningState"], "Succeeded");
    assert_eq!(h.transport.urls(), vec![OP, ASYNC, OP]);
}

#[tokio::test(start_paused = true)]
async fn initial_200_with_polling_header_and_terminal_state_is_done() {
    let h = harness(vec![
        respond(200)
            .header("Location", LOC)
            .body(r#"{"properties":{"provisioningState":"Succeeded"}}"#),
    ]);
    let value: serde_json::Value = model(&h, grant(FinalStateVia::Location)).await.unwrap();
    assert_eq!(value["properties"]["provisioningState"], "Succeeded");
    assert_eq!(h.transport.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn statuses_compare_case_insensitively() {
    let h = harness(vec![
        accepted_async(),
        monitor("inprogress"),
        monitor("Running"),
        monitor("SUCCEEDED"),
        respond(200).body(sas_body()),
    ]);
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(h.transport.requests().len(), 5);
}

#[tokio::test(start_paused = true)]
async fn canceled_and_cancelled_end_in_an_error() {
    for status in ["Canceled", "Cancelled", "cancelled", "CANCELED"] {
        let h = harness(vec![
            accepted_async(),
            monitor("InProgress"),
            monitor(status),
        ]);
        let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("the long-running operation was canceled"),
            "{status}: {error}"
        );
        assert_eq!(error.http_status(), Some(StatusCode::Ok));
        assert_eq!(h.transport.requests().len(), 3, "{status}: no final GET");
    }
}

#[tokio::test(start_paused = true)]
async fn failed_operation_carries_the_error_body() {
    let failed = r#"{"name":"op1","status":"Failed","error":{"code":"OperationNotAllowed","message":"The disk is attached to a VM.","details":[{"code":"Inner","message":"detail"}]}}"#;
    for status in ["Failed", "failed", "FAILED"] {
        let h = harness(vec![
            accepted_async(),
            monitor("InProgress"),
            respond(200)
                .header("x-ms-request-id", "req-9")
                .body(failed.replace("\"Failed\"", &format!("\"{status}\""))),
        ]);
        let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "the long-running operation failed (OperationNotAllowed): The disk is attached to a VM."
        );
        let ErrorKind::HttpResponse {
            status: http_status,
            error_code,
            raw_response,
        } = error.kind()
        else {
            panic!("{error:?}");
        };
        assert_eq!(*http_status, StatusCode::Ok);
        assert_eq!(error_code.as_deref(), Some("OperationNotAllowed"));
        assert!(raw_response.is_some());
        let cloud: CloudError = error_body(&error).unwrap();
        assert_eq!(cloud.error.code, "OperationNotAllowed");
        assert_eq!(cloud.error.message, "The disk is attached to a VM.");
        assert_eq!(cloud.error.details[0].code, "Inner");
        let details = http_error_details(&error).unwrap();
        assert_eq!(details.status, StatusCode::Ok);
        assert_eq!(details.request_id.as_deref(), Some("req-9"));
        // Never the generic message of azure_core's poller.
        assert!(!error.to_string().contains("poller completed"));
        assert_eq!(h.transport.requests().len(), 3);
    }
}

#[tokio::test(start_paused = true)]
async fn failed_without_error_object_is_still_an_http_error() {
    let h = harness(vec![accepted_async(), monitor("Failed")]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.to_string(), "the long-running operation failed");
    assert_eq!(error.http_status(), Some(StatusCode::Ok));
}

#[tokio::test(start_paused = true)]
async fn error_status_from_the_status_monitor_fails() {
    let h = harness(vec![
        accepted_async(),
        respond(400).body(r#"{"error":{"code":"BadRequest","message":"bad"}}"#),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.http_status(), Some(StatusCode::BadRequest));
    let cloud: CloudError = error_body(&error).unwrap();
    assert_eq!(cloud.error.code, "BadRequest");
    assert!(
        error
            .to_string()
            .starts_with("polling the long-running operation's status failed")
    );
}

#[tokio::test(start_paused = true)]
async fn error_status_from_the_final_get_fails() {
    let h = harness(vec![
        accepted_async(),
        monitor("Succeeded"),
        respond(403).body(r#"{"error":{"code":"AuthorizationFailed","message":"no"}}"#),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.http_status(), Some(StatusCode::Forbidden));
    assert_eq!(
        error_body::<CloudError>(&error).unwrap().error.code,
        "AuthorizationFailed"
    );
}

#[tokio::test(start_paused = true)]
async fn status_monitor_without_status_is_an_error() {
    for body in [
        "",
        "not json",
        r#"{"name":"op1"}"#,
        r#"{"status":""}"#,
        r#"{"status":3}"#,
    ] {
        let h = harness(vec![accepted_async(), respond(200).body(body)]);
        let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::DataConversion, "{body}");
        assert!(error.to_string().contains("status monitor"), "{error}");
    }
}

// ---- delays ----------------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn retry_after_seconds_is_honoured() {
    let h = harness_with(
        vec![
            respond(202)
                .header("Location", LOC)
                .header("Retry-After", "7"),
            respond(202).header("Retry-After", "3"),
            respond(200).body(sas_body()),
        ],
        None,
        Duration::from_secs(3600),
    );
    let start = Instant::now();
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(10));
}

#[tokio::test(start_paused = true)]
async fn retry_after_http_date_is_honoured() {
    let date = to_rfc7231(&(OffsetDateTime::now_utc() + azure_core::time::Duration::seconds(20)));
    let h = harness_with(
        vec![
            respond(202)
                .header("Location", LOC)
                .header("Retry-After", date),
            respond(200).body(sas_body()),
        ],
        None,
        Duration::from_secs(3600),
    );
    let start = Instant::now();
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    let elapsed = start.elapsed();
    // HTTP dates have whole seconds.
    assert!(
        elapsed >= Duration::from_secs(18) && elapsed <= Duration::from_secs(20),
        "{elapsed:?}"
    );

    // A date in the past means at once.
    let past = to_rfc7231(&(OffsetDateTime::now_utc() - azure_core::time::Duration::seconds(20)));
    let h = harness_with(
        vec![
            respond(202)
                .header("Location", LOC)
                .header("Retry-After", past),
            respond(200).body(sas_body()),
        ],
        None,
        Duration::from_secs(3600),
    );
    let start = Instant::now();
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    // A date in the past counts as no hint: the default delay.
    assert_eq!(start.elapsed(), Duration::from_secs(3600));
}

#[tokio::test(start_paused = true)]
async fn retry_after_zero_means_the_default_delay() {
    let h = harness_with(
        vec![
            respond(202)
                .header("Location", LOC)
                .header("Retry-After", "0"),
            respond(202).header("Retry-After", "0"),
            respond(200).body(sas_body()),
        ],
        None,
        Duration::from_secs(3600),
    );
    let start = Instant::now();
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(7200));
    assert_eq!(h.transport.requests().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn millisecond_retry_headers_are_honoured() {
    let h = harness_with(
        vec![
            accepted_async().header("retry-after-ms", "250"),
            monitor("InProgress").header("x-ms-retry-after-ms", "1500"),
            monitor("InProgress")
                .header("retry-after-ms", "junk")
                .header("Retry-After", "2"),
            monitor("Succeeded"),
            respond(200).body(sas_body()),
        ],
        None,
        Duration::from_secs(3600),
    );
    let start = Instant::now();
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_millis(250 + 1500 + 2000));
}

#[tokio::test(start_paused = true)]
async fn without_retry_after_the_default_delay_is_used() {
    let h = harness_with(
        vec![
            respond(202).header("Azure-AsyncOperation", ASYNC),
            monitor("InProgress"),
            monitor("InProgress").header("Retry-After", "not a number"),
            monitor("Succeeded"),
        ],
        None,
        Duration::from_secs(30),
    );
    let start = Instant::now();
    empty(&h, revoke()).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(90));

    // The call's PollerOptions::frequency is the default delay, even below azure_core's 1 s.
    let mut h = harness_with(
        vec![
            respond(202).header("Location", LOC),
            respond(202),
            respond(204),
        ],
        None,
        Duration::from_secs(30),
    );
    h.default_delay = Duration::from_millis(5);
    let start = Instant::now();
    empty(&h, revoke()).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_millis(10));
}

// ---- URLs ------------------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn relative_poll_urls_resolve_against_the_request_url() {
    let h = harness(vec![
        respond(202)
            .header(
                "Azure-AsyncOperation",
                "../operations/op1?api-version=2025-01-02",
            )
            .header(
                "Location",
                "/subscriptions/s/operationResults/op1?api-version=2025-01-02",
            ),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]);
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(
        h.transport.urls(),
        vec![
            OP.to_owned(),
            "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/operations/op1?api-version=2025-01-02".to_owned(),
            "https://management.azure.com/subscriptions/s/operationResults/op1?api-version=2025-01-02".to_owned(),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn poll_url_query_is_kept_untouched() {
    let odd = "https://management.azure.com/ops/1?api-version=2024-03-02&t=a%2Bb%3D&s=X_y-1";
    let h = harness(vec![
        respond(202)
            .header("Azure-AsyncOperation", odd)
            .header("Location", LOC),
        monitor("InProgress"),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]);
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    let requests = h.transport.requests();
    for poll in &requests[1..3] {
        assert_eq!(poll.url.as_str(), odd);
        assert_eq!(poll.url.as_str().matches("api-version").count(), 1);
    }
    assert_eq!(requests[3].url.as_str(), LOC);
}

#[tokio::test(start_paused = true)]
async fn insecure_or_foreign_poll_urls_are_refused_before_any_request() {
    let foreign = [
        ("Location", "http://management.azure.com/ops/1"),
        ("Location", "https://evil.example.com/ops/1"),
        ("Location", "https://management.azure.com:8443/ops/1"),
        ("Location", "//evil.example.com/ops/1"),
        ("Location", "https://user:pw@management.azure.com/ops/1"),
        ("Azure-AsyncOperation", "http://management.azure.com/ops/1"),
        (
            "Azure-AsyncOperation",
            "https://management.azure.com.evil.example/ops/1",
        ),
    ];
    for (header, url) in foreign {
        let h = harness(vec![
            respond(202).header(header, url),
            monitor("Succeeded"),
            respond(200).body(sas_body()),
        ]);
        let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("refusing to follow the poll URL"),
            "{url}: {error}"
        );
        assert!(!error.to_string().contains("evil"), "{error}");
        assert_eq!(
            h.transport.requests().len(),
            1,
            "{url}: only the initial request"
        );
        assert_eq!(
            h.credential.calls.load(std::sync::atomic::Ordering::SeqCst),
            1
        );
    }
}

#[tokio::test(start_paused = true)]
async fn foreign_final_state_url_is_refused_before_polling() {
    let h = harness(vec![
        respond(202)
            .header("Azure-AsyncOperation", ASYNC)
            .header("Location", "https://evil.example.com/result"),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("refusing to follow the Location URL"),
        "{error}"
    );
    assert_eq!(h.transport.requests().len(), 1);

    // Not used as the final state: no reason to refuse.
    let h = harness(vec![
        respond(202)
            .header("Azure-AsyncOperation", ASYNC)
            .header("Location", "https://evil.example.com/result"),
        monitor("Succeeded"),
    ]);
    empty(
        &h,
        with_via(revoke(), Some(FinalStateVia::AzureAsyncOperation)),
    )
    .await
    .unwrap();
    assert_eq!(
        h.transport.urls(),
        vec![revoke().request.url.to_string(), ASYNC.to_owned()]
    );
}

#[tokio::test(start_paused = true)]
async fn a_moved_location_to_a_foreign_host_is_refused() {
    let h = harness(vec![
        respond(202).header("Location", LOC),
        respond(202).header("Location", "https://evil.example.com/next"),
        respond(200).body(sas_body()),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("refusing to follow the poll URL")
    );
    assert_eq!(h.transport.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn custom_endpoint_port_must_match() {
    let cloud = super::custom_cloud("https://127.0.0.1:8443");
    let op = "https://127.0.0.1:8443/op?api-version=1";
    let ok = "https://127.0.0.1:8443/status/1";
    let h = harness_with(
        vec![respond(202).header("Location", ok), respond(204)],
        Some(cloud.clone()),
        Duration::from_millis(1),
    );
    let request = || lro(Method::Post, op, Some(FinalStateVia::Location));
    empty(&h, request()).await.unwrap();
    assert_eq!(h.transport.urls(), vec![op, ok]);

    let h = harness_with(
        vec![
            respond(202).header("Location", "https://127.0.0.1/status/1"),
            respond(204),
        ],
        Some(cloud.clone()),
        Duration::from_millis(1),
    );
    assert!(empty(&h, request()).await.is_err());
    assert_eq!(h.transport.requests().len(), 1);
}

// ---- retries, auth, timeouts -------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn transient_poll_failures_are_retried_by_the_pipeline() {
    let h = harness(vec![
        accepted_async(),
        respond(429).header("Retry-After", "1"),
        respond(503),
        monitor("InProgress"),
        respond(500),
        monitor("Succeeded"),
        respond(503),
        respond(200).body(sas_body()),
    ]);
    let result = grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
    assert_eq!(h.transport.requests().len(), 8);
    assert_eq!(h.transport.remaining(), 0);
}

#[tokio::test(start_paused = true)]
async fn poll_failure_after_the_retry_policy_gives_up_is_an_error() {
    let h = harness(vec![
        accepted_async(),
        respond(503),
        respond(503),
        respond(503),
        respond(503).body(r#"{"error":{"code":"ServerBusy","message":"try later"}}"#),
        monitor("Succeeded"),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.http_status(), Some(StatusCode::ServiceUnavailable));
    assert_eq!(
        error_body::<CloudError>(&error).unwrap().error.code,
        "ServerBusy"
    );
    // 1 initial + 1 try + 3 retries.
    assert_eq!(h.transport.requests().len(), 5);
}

#[tokio::test(start_paused = true)]
async fn every_request_carries_the_token_for_the_arm_scope() {
    let h = harness(vec![
        accepted_async(),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]);
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    for request in h.transport.requests() {
        assert_eq!(
            request.header("authorization"),
            Some(&*format!("Bearer {TOKEN}"))
        );
        let user_agent = request.header("user-agent").unwrap();
        // azure_core drops the `azure_` prefix of the crate name.
        assert!(
            user_agent.contains("arm_runtime_tests/0.0.1"),
            "{user_agent}"
        );
    }
    let scopes = h.credential.scopes.lock().unwrap().clone();
    assert!(
        scopes
            .iter()
            .all(|s| s == "https://management.azure.com/.default")
    );
    assert!(!scopes.is_empty());
}

#[tokio::test(start_paused = true)]
async fn timeout_bounds_the_whole_operation() {
    let mut script = vec![accepted_async().header("Retry-After", "")];
    script.extend((0..100).map(|_| monitor("InProgress")));
    let mut h = harness_with(script, None, Duration::from_secs(1));
    h.timeout = Some(Duration::from_millis(5500));
    let start = Instant::now();
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::from_millis(5500));
    assert_eq!(
        error.to_string(),
        "the long-running operation did not finish within 5.5s"
    );
    let source = std::error::Error::source(&error)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .unwrap();
    assert_eq!(source.kind(), std::io::ErrorKind::TimedOut);
    let polls = h.transport.requests().len();
    assert_eq!(polls, 1 + 5);
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(
        h.transport.requests().len(),
        polls,
        "no polling after the timeout"
    );
}

#[tokio::test]
async fn timeout_in_real_time() {
    let mut script = vec![respond(202).header("Location", LOC)];
    script.extend((0..1000).map(|_| respond(202)));
    let mut h = harness_with(script, None, Duration::from_millis(5));
    h.timeout = Some(Duration::from_millis(60));
    let start = std::time::Instant::now();
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    let elapsed = start.elapsed();
    // A wait that would end past the bound ends the operation at once: at the latest one
    // delay (5 ms) before the bound.
    assert!(
        elapsed >= Duration::from_millis(55) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    assert!(error.to_string().contains("60ms"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_cancels_polling() {
    let mut script = vec![accepted_async().header("Retry-After", "")];
    script.extend((0..100).map(|_| monitor("InProgress")));
    let h = harness_with(script, None, Duration::from_secs(1));
    let future = grant_raw(&h, FinalStateVia::Location).into_future();
    assert!(
        tokio::time::timeout(Duration::from_millis(3500), future)
            .await
            .is_err()
    );
    let polls = h.transport.requests().len();
    assert_eq!(polls, 4);
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(h.transport.requests().len(), polls);
}

#[tokio::test(start_paused = true)]
async fn pipeline_timeout_option_applies() {
    let mut script = vec![respond(202).header("Location", LOC)];
    script.extend((0..100).map(|_| respond(202)));
    let h = harness_with(script, None, Duration::from_secs(1));
    // A pipeline whose client-wide bound is 3 s.
    let pipeline = crate::ArmPipeline::new(
        "t",
        "1",
        h.credential.clone(),
        azure_core::http::ClientOptions {
            transport: Some(azure_core::http::Transport::new(h.transport.clone())),
            ..Default::default()
        },
        crate::PollingOptions {
            timeout: Some(Duration::from_secs(3)),
        },
    )
    .unwrap();
    let start = Instant::now();
    let error = pipeline
        .begin_long_running::<(), NoFormat>(revoke(), h.settings())
        .await
        .unwrap_err();
    assert_eq!(start.elapsed(), Duration::from_secs(3));
    assert!(error.to_string().ends_with("within 3s"));
}

#[tokio::test(start_paused = true)]
async fn default_options_bound_the_operation() {
    assert_eq!(
        crate::PollingOptions::default().timeout,
        Some(crate::DEFAULT_OPERATION_TIMEOUT)
    );
}

#[tokio::test(start_paused = true)]
async fn a_hint_past_the_bound_ends_at_once() {
    for hint in [
        ("Retry-After", "999999999".to_owned()),
        ("retry-after-ms", "99999999999999".to_owned()),
        ("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
        ("Retry-After", "120".to_owned()),
    ] {
        let mut h = harness(vec![
            respond(202)
                .header("Location", LOC)
                .header(hint.0, hint.1.clone()),
            respond(204),
        ]);
        h.timeout = Some(Duration::from_secs(60));
        let start = Instant::now();
        let error = empty(&h, revoke()).await.unwrap_err();
        assert_eq!(start.elapsed(), Duration::ZERO, "{hint:?}");
        assert!(error.to_string().ends_with("within 60s"), "{error}");
        assert_eq!(h.transport.requests().len(), 1);
    }
}

#[tokio::test(start_paused = true)]
async fn absurd_hints_are_capped() {
    for hint in [
        ("Retry-After", "999999999".to_owned()),
        ("retry-after-ms", "99999999999999".to_owned()),
        ("x-ms-retry-after-ms", "99999999999999".to_owned()),
        ("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
    ] {
        let h = harness(vec![
            respond(202)
                .header("Location", LOC)
                .header(hint.0, hint.1.clone()),
            respond(204),
        ]);
        let start = Instant::now();
        empty(&h, revoke()).await.unwrap();
        assert_eq!(start.elapsed(), crate::MAX_SERVICE_DELAY, "{hint:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn zero_negative_past_or_garbage_hints_mean_the_default_delay() {
    let past = to_rfc7231(&(OffsetDateTime::now_utc() - azure_core::time::Duration::seconds(20)));
    for hint in [
        ("Retry-After", "0".to_owned()),
        ("Retry-After", "-5".to_owned()),
        ("Retry-After", past),
        ("Retry-After", "soon".to_owned()),
        ("retry-after-ms", "0".to_owned()),
    ] {
        let h = harness_with(
            vec![
                respond(202)
                    .header("Location", LOC)
                    .header(hint.0, hint.1.clone()),
                respond(202).header(hint.0, hint.1.clone()),
                respond(204),
            ],
            None,
            Duration::from_secs(7),
        );
        let start = Instant::now();
        empty(&h, revoke()).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(14), "{hint:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_throttled_poll_with_a_huge_retry_after_is_bounded() {
    // Inside the pipeline's retry policy: capped without a bound...
    let h = harness(vec![
        respond(202).header("Location", LOC),
        respond(429).header("Retry-After", "999999999"),
        respond(204),
    ]);
    let start = Instant::now();
    empty(&h, revoke()).await.unwrap();
    let elapsed = start.elapsed();
    assert!(
        elapsed >= crate::MAX_SERVICE_DELAY && elapsed < crate::MAX_SERVICE_DELAY * 2,
        "{elapsed:?}"
    );

    // ... and past the operation's bound, the operation ends at once.
    let mut h = harness(vec![
        respond(202)
            .header("Location", LOC)
            .header("Retry-After", "1"),
        respond(503).header("Retry-After", "999999999"),
        respond(204),
    ]);
    h.timeout = Some(Duration::from_secs(30));
    let start = Instant::now();
    let error = empty(&h, revoke()).await.unwrap_err();
    assert!(error.to_string().ends_with("within 30s"), "{error}");
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    assert_eq!(h.transport.requests().len(), 2);
}

// ---- laziness, Send, stream, resume ------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn nothing_is_sent_until_awaited_and_the_future_is_send() {
    fn assert_send<F: Send>(_: &F) {}
    let h = harness(vec![respond(200).body(sas_body())]);
    let poller = grant_raw(&h, FinalStateVia::Location);
    assert!(h.transport.requests().is_empty());
    let future = poller.into_future();
    assert_send(&future);
    assert!(h.transport.requests().is_empty());
    let response = tokio::spawn(future).await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::Ok);
    assert_eq!(h.transport.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_stream_yields_each_status_then_await_gives_the_result() {
    let h = harness(vec![
        accepted_async().header("x-ms-request-id", "r0"),
        monitor("Running"),
        monitor("Succeeded"),
        respond(200)
            .header("x-ms-request-id", "final")
            .body(sas_body()),
    ]);
    let mut poller = grant_raw(&h, FinalStateVia::Location);
    let mut statuses = Vec::new();
    let mut tokens = Vec::new();
    // azure_core's Poller panics when awaited after its stream returned `None`: stop at the
    // terminal status, then await.
    while let Some(status) = poller.try_next().await.unwrap() {
        let http = status.status();
        let status = status.into_model().unwrap();
        let state = azure_core::http::poller::StatusMonitor::status(&status);
        statuses.push((http, status.status_text().to_owned(), state.clone()));
        tokens.push(status.resume_token().cloned());
        if state == PollerStatus::Succeeded {
            break;
        }
    }
    assert_eq!(
        statuses,
        [
            (
                StatusCode::Accepted,
                "InProgress".to_owned(),
                PollerStatus::InProgress
            ),
            (
                StatusCode::Ok,
                "Running".to_owned(),
                PollerStatus::UnknownValue("Running".to_owned())
            ),
            (
                StatusCode::Ok,
                "Succeeded".to_owned(),
                PollerStatus::Succeeded
            ),
        ]
    );
    assert!(tokens[0].is_some() && tokens[1].is_some() && tokens[2].is_none());
    let response = poller.await.unwrap();
    assert_eq!(
        response
            .headers()
            .get_optional_str(&azure_core::http::headers::HeaderName::from_static(
                "x-ms-request-id"
            )),
        Some("final")
    );
    let result: AccessUri = response.into_model().unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
}

#[tokio::test(start_paused = true)]
async fn a_failure_reaches_both_the_stream_and_the_future() {
    let failed = r#"{"status":"Failed","error":{"code":"Boom","message":"it broke"}}"#;
    // Streamed to the end, then awaited: the stream shows Failed, the future the typed error.
    let h = harness(vec![accepted_async(), respond(200).body(failed)]);
    let mut poller = grant_raw(&h, FinalStateVia::Location);
    let mut last = None;
    while let Some(status) = poller.try_next().await.unwrap() {
        let status = status.into_model().unwrap();
        last = Some(status.status_text().to_owned());
        if azure_core::http::poller::StatusMonitor::status(&status) != PollerStatus::InProgress {
            break;
        }
    }
    assert_eq!(last.as_deref(), Some("Failed"));
    let error = poller.await.unwrap_err();
    assert_eq!(error_body::<CloudError>(&error).unwrap().error.code, "Boom");
    assert_eq!(error.http_status(), Some(StatusCode::Ok));

    // An error status while polling: the stream yields the HTTP error with the service's body,
    // and the future still gives the typed error afterwards.
    let h = harness(vec![
        accepted_async(),
        respond(400).body(r#"{"error":{"code":"BadPoll","message":"no"}}"#),
    ]);
    let mut poller = grant_raw(&h, FinalStateVia::Location);
    assert!(poller.try_next().await.unwrap().is_some());
    let streamed = poller.try_next().await.unwrap_err();
    assert_eq!(
        error_body::<CloudError>(&streamed).unwrap().error.code,
        "BadPoll"
    );
    let error = poller.await.unwrap_err();
    assert_eq!(error.http_status(), Some(StatusCode::BadRequest));
    assert_eq!(
        error_body::<CloudError>(&error).unwrap().error.code,
        "BadPoll"
    );
}

#[tokio::test(start_paused = true)]
async fn resume_continues_in_another_pipeline() {
    let h = harness(vec![accepted_async(), monitor("InProgress")]);
    let mut poller = grant_raw(&h, FinalStateVia::Location);
    let first = poller
        .try_next()
        .await
        .unwrap()
        .unwrap()
        .into_model()
        .unwrap();
    let token = first.resume_token().unwrap().clone();
    drop(poller);
    assert_eq!(h.transport.requests().len(), 1);

    // The token survives serialisation and hides its queries from Debug.
    let json = token.to_json();
    let token = ResumeToken::from_json(&json).unwrap();
    assert_eq!(token.operation(), "Disks_Test");
    let debug = format!("{token:?}");
    assert!(!debug.contains("api-version"), "{debug}");

    let other = harness(vec![
        monitor("InProgress"),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]);
    let result: AccessUri = other
        .pipeline
        .resume_long_running::<AccessUri, azure_core::http::JsonFormat>(
            "Disks_Test",
            None,
            token.clone(),
            other.settings(),
        )
        .unwrap()
        .await
        .unwrap()
        .into_model()
        .unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
    assert_eq!(other.transport.urls(), vec![ASYNC, ASYNC, LOC]);

    // Another operation's token is refused.
    let error = other
        .pipeline
        .resume_long_running::<(), NoFormat>("Disks_Other", None, token, other.settings())
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("belongs to operation `Disks_Test`"),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn resume_refuses_a_token_for_another_host() {
    let h = harness(vec![respond(202).header("Location", LOC), respond(204)]);
    let mut poller = h.begin::<(), NoFormat>(revoke());
    let token = poller
        .try_next()
        .await
        .unwrap()
        .unwrap()
        .into_model()
        .unwrap()
        .resume_token()
        .cloned()
        .unwrap();
    let json = token
        .to_json()
        .replace("management.azure.com", "evil.example.com");
    let forged = ResumeToken::from_json(&json).unwrap();
    let other = harness(vec![respond(204)]);
    let error = other
        .pipeline
        .resume_long_running::<(), NoFormat>("Disks_Test", None, forged, other.settings())
        .unwrap_err();
    assert!(
        error.to_string().starts_with("refusing to follow"),
        "{error}"
    );
    assert!(other.transport.requests().is_empty());
}

#[test]
fn final_state_via_spellings() {
    for (text, value) in [
        ("location", FinalStateVia::Location),
        ("azure-async-operation", FinalStateVia::AzureAsyncOperation),
        ("original-uri", FinalStateVia::OriginalUri),
        ("operation-location", FinalStateVia::OperationLocation),
        ("Azure-Async-Operation", FinalStateVia::AzureAsyncOperation),
    ] {
        assert_eq!(text.parse::<FinalStateVia>().unwrap(), value);
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            format!("\"{}\"", value.as_str())
        );
    }
    assert!("somewhere".parse::<FinalStateVia>().is_err());
}

#[test]
fn endpoint_of_the_default_cloud() {
    let h = harness(Vec::new());
    assert_eq!(h.pipeline.endpoint().as_str(), format!("{ENDPOINT}/"));
}

#[tokio::test(start_paused = true)]
async fn initial_200_with_polling_header_and_failed_state_is_an_error() {
    let h = harness(vec![
        respond(200)
            .header("Azure-AsyncOperation", ASYNC)
            .body(r#"{"properties":{"provisioningState":"Failed"}}"#),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.to_string(), "the long-running operation failed");
    assert_eq!(error.http_status(), Some(StatusCode::Ok));
    assert_eq!(h.transport.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn initial_201_with_location_and_no_state_is_polled() {
    let h = harness(vec![
        respond(201).header("Location", LOC),
        respond(200).body(sas_body()),
    ]);
    let result = grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
    // Location polling ends with the Location's own 200 body: no final GET.
    assert_eq!(h.transport.urls(), vec![OP, LOC]);
}

#[tokio::test(start_paused = true)]
async fn malformed_polling_header_is_an_error() {
    let h = harness(vec![
        respond(202).header("Location", "https://[bad"),
        respond(204),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::DataConversion);
    assert!(
        error
            .to_string()
            .starts_with("the Location header of the long-running operation is not a valid URL"),
        "{error}"
    );
    assert!(!error.to_string().contains("api-version"), "{error}");
    assert_eq!(h.transport.requests().len(), 1);

    // A malformed Location that is never used does not matter.
    let h = harness(vec![
        respond(202)
            .header("Azure-AsyncOperation", ASYNC)
            .header("Location", "https://[bad"),
        monitor("Succeeded"),
    ]);
    empty(
        &h,
        with_via(revoke(), Some(FinalStateVia::AzureAsyncOperation)),
    )
    .await
    .unwrap();
}

#[test]
fn request_debug_hides_the_body() {
    let mut request = grant(FinalStateVia::Location);
    request.request.body =
        Some(json_body(&serde_json::json!({"adminPassword": "hunter2"})).unwrap());
    let debug = format!("{request:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(!debug.contains("api-version"), "{debug}");
    assert!(debug.contains("body_len: Some(27)"), "{debug}");
}
