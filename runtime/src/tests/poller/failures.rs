//! How an operation fails: error statuses at each step, Failed and Canceled states, malformed
//! answers, and poll failures the pipeline's retry policy does or does not absorb.

use super::support::*;

// ---- error statuses -----------------------------------------------------------------------

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
async fn location_error_status_fails_with_the_cloud_error() {
    let h = harness(vec![
        accepted_location(),
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
async fn error_status_from_the_status_monitor_fails() {
    let h = harness(vec![
        accepted_async(),
        respond(400).body(r#"{"error":{"code":"BadRequest","message":"bad"}}"#),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.http_status(), Some(StatusCode::BadRequest));
    let cloud: CloudError = error_body(&error).unwrap();
    assert_eq!(cloud.error.code, "BadRequest");
    assert_starts_with(&error, "polling the long-running operation's status failed");
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

// ---- Failed and Canceled ------------------------------------------------------------------

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
async fn initial_200_with_polling_header_and_failed_state_is_an_error() {
    let h = harness(vec![
        resource(200, "Failed").header("Azure-AsyncOperation", ASYNC),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.to_string(), "the long-running operation failed");
    assert_eq!(error.http_status(), Some(StatusCode::Ok));
    assert_eq!(h.transport.requests().len(), 1);
}

// ---- malformed answers --------------------------------------------------------------------

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

#[tokio::test(start_paused = true)]
async fn malformed_polling_header_is_an_error() {
    let h = harness(vec![
        respond(202).header("Location", "https://[bad"),
        respond(204),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::DataConversion);
    assert_starts_with(
        &error,
        "the Location header of the long-running operation is not a valid URL",
    );
    assert!(!error.to_string().contains("api-version"), "{error}");
    assert_eq!(h.transport.requests().len(), 1);

    // A malformed Location that is never used does not matter.
    revoke_with_unused_location("https://[bad").await;
}

// ---- retries ------------------------------------------------------------------------------

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
