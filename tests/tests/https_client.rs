//! The generated client over real HTTPS on 127.0.0.1, through azure_core's reqwest transport.
//!
//! Every test makes its own CA and server certificate at run time, starts a scripted HTTPS
//! server (see `support/server.rs`) and builds the client with a `reqwest::Client` that trusts
//! only that CA. The server checks what it receives (method, exact path and query, bearer token,
//! headers, JSON body) and plays the scenario; the test then checks what the client made of it.
//!
//! Each scenario below runs four times, against api-versions 2024-03-02 and 2025-01-02 and
//! against disks and disk restore points (the `scenarios!` macro below them). Delays are
//! milliseconds except where a bound is the point (Retry-After: 1 s).

// Shared with the other HTTPS suites, which use parts this one does not.
#[allow(dead_code)]
mod support;

use azure_arm_compute::{PollingOptions, http_error_details};
use azure_core::{error::ErrorKind, http::Url, time::OffsetDateTime};
use serde_json::{Value, json};
use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};
use support::{
    Harness, Names, Resource, SUBSCRIPTION, TOKEN, Target, Tune,
    logs::CapturedLogs,
    read_for_an_hour,
    server::{Expect, Reply},
};

// ---- payloads ------------------------------------------------------------------------------

fn sas(n: u32) -> String {
    format!(
        "https://md-test{n}.z1.blob.storage.azure.net/c{n}/abcd?sv=2018-03-28&sr=b&si=x&sig=SeCrEt{n}%3D&se=2030-01-01T00%3A00%3A00Z&sp=r"
    )
}

fn access_uri() -> Value {
    json!({"accessSAS": sas(1)})
}

fn secrets(pairs: &[(&'static str, String)]) -> BTreeMap<&'static str, String> {
    pairs.iter().cloned().collect()
}

/// A full ARM error: code, message, target, details, innererror, and a field no model knows.
fn full_error(code: &str) -> Value {
    json!({
        "code": code,
        "message": "The operation on disk 'disk1' failed.",
        "target": "disk1",
        "details": [
            {"code": "DiskBusy", "target": "disk1", "message": "The disk is attached to a running VM."},
            {"code": "RetryLater", "message": "Try again later."}
        ],
        "innererror": {
            "exceptiontype": "Microsoft.WindowsAzure.Storage.StorageException",
            "errordetail": "Conflict at the storage layer."
        },
        "additionalInfo": [{"type": "PolicyViolation", "info": {"policy": "deny-sas"}}]
    })
}

/// What `CloudError` keeps of [`full_error`]: everything but the unknown field.
fn typed_error(code: &str) -> Value {
    let mut error = full_error(code);
    error
        .as_object_mut()
        .expect("object")
        .remove("additionalInfo");
    json!({ "error": error })
}

/// The path of an ARM operation-status resource, as Location and Azure-AsyncOperation carry.
fn operation_path(id: &str) -> String {
    format!(
        "/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Compute/locations/westus/DiskOperations/{id}"
    )
}

/// A poll URL's path and query: its own query parameter first, then `api-version` once.
fn operation_target(t: &Target, id: &str) -> String {
    format!("{}?p=x%2By&api-version={}", operation_path(id), t.version)
}

/// The path and query of operation `id`'s result, as the `Location` next to its status
/// monitor names it.
fn result_target(t: &Target, id: &str) -> String {
    let path = operation_path(&format!("{id}/result"));
    format!("{path}?api-version={}", t.version)
}

/// A status monitor's answer: 200 with `{"status": status}`.
fn monitor_says(status: &str) -> Reply {
    Reply::json(200, json!({ "status": status }))
}

/// A 202 naming `poll` (`Location`) to poll.
fn accepted_with_location(h: &Harness, poll: &str) -> Reply {
    Reply::accepted().header("Location", h.url(poll))
}

/// A 202 naming a status monitor (`Azure-AsyncOperation`) and the final result (`Location`).
fn accepted_with_monitor(h: &Harness, monitor: &str, result: &str) -> Reply {
    Reply::accepted()
        .header("Azure-AsyncOperation", h.url(monitor))
        .header("Location", h.url(result))
}

/// What [`http_error_details`] reads of `error`: status, error code, request ids.
fn assert_details(
    error: &azure_core::Error,
    status: u16,
    code: &str,
    request_id: &str,
    correlation_request_id: Option<&str>,
) {
    let details = http_error_details(error).expect("an HTTP error");
    assert_eq!(u16::from(details.status), status, "{error}");
    assert_eq!(details.error_code.as_deref(), Some(code), "{error}");
    assert_eq!(details.request_id.as_deref(), Some(request_id), "{error}");
    assert_eq!(
        details.correlation_request_id.as_deref(),
        correlation_request_id,
        "{error}"
    );
}

/// Grants read access, which must end with [`access_uri`]'s SAS.
async fn assert_grants_the_access_sas(h: &Harness) {
    let granted = h.grant(read_for_an_hour()).await.expect("granted");
    assert_eq!(granted.secrets, secrets(&[("accessSAS", sas(1))]));
}

fn expect_err<T: std::fmt::Debug>(result: azure_core::Result<T>) -> azure_core::Error {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(error) => error,
    }
}

// ---- immediate answers ---------------------------------------------------------------------

async fn grant_answered_at_once_with_200(t: Target) {
    let mut h = Harness::start(t).await;
    h.expect_grant(Reply::json(200, access_uri()));

    assert_grants_the_access_sas(&h).await;
    let received = h.server.received();
    let user_agent = received[0].header("user-agent").unwrap_or_default();
    assert!(
        user_agent.starts_with("azsdk-rust-arm_compute/"),
        "{user_agent}"
    );
    assert_eq!(h.credential.scopes(), [vec![h.scope()]]);
    assert_eq!(h.ops.endpoint().as_str(), format!("{}/", h.server.base()));
    h.finish();
}

async fn revoke_answered_at_once_with_200_or_204(t: Target) {
    let mut h = Harness::start(t).await;
    h.expect_revoke(Reply::status(200));
    h.expect_revoke(Reply::status(204));

    h.revoke().await.expect("revoked (200)");
    h.revoke().await.expect("revoked (204)");
    h.finish();
}

// ---- Location polling ----------------------------------------------------------------------

async fn grant_202_then_location_polled_until_200(t: Target) {
    let mut h = Harness::start(t).await;
    let poll = operation_target(&t, "grant-1");
    h.expect_grant(accepted_with_location(&h, &poll).header("Retry-After", "0"));
    h.expect_get(&poll, Reply::accepted().header("Retry-After", "0"));
    // No Retry-After: the default delay (5 ms here).
    h.expect_get(&poll, Reply::accepted());
    h.expect_get(&poll, Reply::json(200, access_uri()));

    assert_grants_the_access_sas(&h).await;
    // The token rides on every poll (checked by the server), fetched once for the ARM scope.
    assert_eq!(h.credential.scopes(), [vec![h.scope()]]);
    h.finish();
}

async fn revoke_202_then_location_polled_until_200_or_204(t: Target) {
    let mut h = Harness::start(t).await;
    for (id, status) in [("revoke-200", 200), ("revoke-204", 204)] {
        let poll = operation_target(&t, id);
        h.expect_revoke(accepted_with_location(&h, &poll));
        h.expect_get(&poll, Reply::accepted());
        h.expect_get(&poll, Reply::status(status));
    }

    h.revoke().await.expect("revoked (200)");
    h.revoke().await.expect("revoked (204)");
    h.finish();
}

// ---- Azure-AsyncOperation ------------------------------------------------------------------

async fn async_operation_then_final_get_of_location(t: Target) {
    let mut h = Harness::start(t).await;
    let monitor = operation_target(&t, "grant-2");
    let result = result_target(&t, "grant-2");
    h.expect_grant(accepted_with_monitor(&h, &monitor, &result).header("Retry-After", "0"));
    h.expect_get(
        &monitor,
        Reply::json(
            200,
            json!({"status": "InProgress", "startTime": "2025-01-02T10:00:00Z"}),
        ),
    );
    let succeeded = json!({"status": "Succeeded", "startTime": "2025-01-02T10:00:00Z", "endTime": "2025-01-02T10:00:05Z"});
    h.expect_get(&monitor, Reply::json(200, succeeded));
    h.expect_get(&result, Reply::json(200, access_uri()));

    assert_grants_the_access_sas(&h).await;
    h.finish();
}

async fn revoke_async_operation_then_final_get_of_location(t: Target) {
    let mut h = Harness::start(t).await;
    let monitor = operation_target(&t, "revoke-2");
    let result = result_target(&t, "revoke-2");
    h.expect_revoke(accepted_with_monitor(&h, &monitor, &result));
    h.expect_get(&monitor, monitor_says("InProgress"));
    h.expect_get(&monitor, monitor_says("Succeeded"));
    h.expect_get(&result, Reply::status(204));

    h.revoke().await.expect("revoked");
    h.finish();
}

// ---- Retry-After and the default delay -----------------------------------------------------

async fn retry_after_seconds_is_honoured(t: Target) {
    let mut h = Harness::start(t).await;
    let poll = operation_target(&t, "wait-1s");
    h.expect_grant(accepted_with_location(&h, &poll).header("Retry-After", "1"));
    h.expect_get(&poll, Reply::json(200, access_uri()));

    h.grant(read_for_an_hour()).await.expect("granted");

    let waited = h.server.waited_before(1);
    assert!(
        waited >= Duration::from_secs(1),
        "polled {waited:?} after Retry-After: 1"
    );
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
    h.finish();
}

async fn retry_after_http_date_is_honoured(t: Target) {
    let mut h = Harness::start(t).await;
    let poll = operation_target(&t, "wait-date");
    // HTTP dates have whole seconds: 1 to 2 s from now.
    let not_before = (OffsetDateTime::now_utc() + Duration::from_secs(2))
        .replace_nanosecond(0)
        .expect("whole second");
    h.expect_grant(
        accepted_with_location(&h, &poll)
            .header("Retry-After", azure_core::time::to_rfc7231(&not_before)),
    );
    h.expect_get(&poll, Reply::json(200, access_uri()));

    h.grant(read_for_an_hour()).await.expect("granted");

    let polled_at = OffsetDateTime::from(h.server.received()[1].arrived_wall);
    assert!(
        polled_at >= not_before,
        "polled at {polled_at}, before the Retry-After date {not_before}"
    );
    h.finish();
}

async fn default_polling_delay_comes_from_the_options_or_the_call(t: Target) {
    // From the call's PollerOptions::frequency.
    let mut h = Harness::start_with(t, |setup| {
        setup.default_delay = Duration::from_millis(300);
    })
    .await;
    let poll = operation_target(&t, "default-delay");
    h.expect_grant(accepted_with_location(&h, &poll));
    h.expect_get(&poll, Reply::json(200, access_uri()));
    h.grant(read_for_an_hour()).await.expect("granted");
    let waited = h.server.waited_before(1);
    assert!(waited >= Duration::from_millis(300), "waited {waited:?}");
    h.finish();

    // azure_core's 30 s default frequency, overridden for one call.
    let mut h = Harness::start_with(t, |setup| {
        setup.polling = PollingOptions::default();
        setup.default_delay = Duration::from_secs(30);
    })
    .await;
    let poll = operation_target(&t, "per-call-delay");
    h.expect_revoke(accepted_with_location(&h, &poll));
    h.expect_get(&poll, Reply::status(200));
    let started = Instant::now();
    h.ops
        .revoke(
            &Names::plain(),
            Tune {
                default_delay: Duration::from_millis(5),
                ..Tune::default()
            },
        )
        .expect("valid names")
        .await
        .expect("revoked");
    assert!(started.elapsed() < Duration::from_secs(10));
    h.finish();
}

// ---- relative poll URLs --------------------------------------------------------------------

async fn relative_poll_urls_resolve_against_the_request(t: Target) {
    let mut h = Harness::start(t).await;
    let names = Names::plain();

    // An absolute path.
    let poll = operation_target(&t, "relative-1");
    h.expect_grant(Reply::accepted().header("Location", &poll));
    h.expect_get(&poll, Reply::json(200, access_uri()));
    h.grant(read_for_an_hour()).await.expect("granted");

    // Paths relative to the request URL `.../{name}/endGetAccess`.
    let query = format!("?api-version={}", t.version);
    h.expect_revoke(
        Reply::accepted()
            .header("Azure-AsyncOperation", format!("operations/op-2{query}"))
            .header("Location", format!("results/op-2{query}")),
    );
    h.expect_get(
        &t.target(&names, "operations/op-2"),
        monitor_says("Succeeded"),
    );
    h.expect_get(&t.target(&names, "results/op-2"), Reply::status(200));
    h.revoke().await.expect("revoked");
    h.finish();
}

// ---- transient failures --------------------------------------------------------------------

async fn transient_failures_are_retried(t: Target) {
    let mut h = Harness::start(t).await;
    let poll = operation_target(&t, "flaky");
    let throttled = json!({"error": {"code": "TooManyRequests", "message": "Slow down."}});
    // The initial request itself once meets a 503.
    h.expect_grant(Reply::status(503));
    h.expect_grant(accepted_with_location(&h, &poll));
    h.expect_get(
        &poll,
        Reply::json(429, throttled).header("Retry-After", "0"),
    );
    h.expect_get(&poll, Reply::status(503));
    h.expect_get(&poll, Reply::hang_up());
    h.expect_get(&poll, Reply::status(500));
    h.expect_get(&poll, Reply::json(200, access_uri()));

    assert_grants_the_access_sas(&h).await;
    h.finish();
}

// ---- failures ------------------------------------------------------------------------------

async fn failed_operation_returns_the_cloud_error(t: Target) {
    let mut h = Harness::start(t).await;
    let monitor = operation_target(&t, "failing");
    let result = result_target(&t, "failing");
    h.expect_grant(accepted_with_monitor(&h, &monitor, &result));
    h.expect_get(&monitor, monitor_says("InProgress"));
    let failed = json!({"status": "Failed", "error": full_error("OperationFailed"), "endTime": "2025-01-02T10:00:05Z"});
    h.expect_get(
        &monitor,
        Reply::json(200, failed)
            .header("x-ms-request-id", "req-failed-1")
            .header("x-ms-correlation-request-id", "corr-failed-1"),
    );
    // No final GET: the script ends here.

    let error = expect_err(h.grant(read_for_an_hour()).await);

    let text = error.to_string();
    assert!(text.contains("failed"), "{text}");
    assert!(text.contains("OperationFailed"), "{text}");
    assert!(
        text.contains("The operation on disk 'disk1' failed."),
        "{text}"
    );
    assert_eq!(
        h.ops.cloud_error(&error),
        Some(typed_error("OperationFailed"))
    );
    assert_details(
        &error,
        200,
        "OperationFailed",
        "req-failed-1",
        Some("corr-failed-1"),
    );
    h.finish();
}

async fn canceled_operation_returns_an_error(t: Target) {
    let mut h = Harness::start(t).await;
    let monitor = operation_target(&t, "canceled");
    h.expect_revoke(Reply::accepted().header("Azure-AsyncOperation", h.url(&monitor)));
    let canceled = json!({"status": "Canceled", "error": {"code": "OperationCanceled", "message": "Canceled by the user."}});
    h.expect_get(
        &monitor,
        Reply::json(200, canceled).header("x-ms-request-id", "req-canceled"),
    );

    let error = expect_err(h.revoke().await);

    assert!(error.to_string().contains("canceled"), "{error}");
    assert_eq!(
        h.ops.cloud_error(&error),
        Some(json!({"error": {"code": "OperationCanceled", "message": "Canceled by the user."}}))
    );
    let details = http_error_details(&error).expect("an HTTP error");
    assert_eq!(details.request_id.as_deref(), Some("req-canceled"));
    h.finish();
}

async fn location_poll_error_returns_the_cloud_error(t: Target) {
    let mut h = Harness::start(t).await;
    let poll = operation_target(&t, "conflict");
    h.expect_grant(accepted_with_location(&h, &poll));
    h.expect_get(&poll, Reply::accepted());
    h.expect_get(
        &poll,
        Reply::json(409, json!({"error": full_error("Conflict")}))
            .header("x-ms-request-id", "req-409")
            .header("x-ms-correlation-request-id", "corr-409"),
    );

    let error = expect_err(h.grant(read_for_an_hour()).await);

    assert_eq!(h.ops.cloud_error(&error), Some(typed_error("Conflict")));
    assert_details(&error, 409, "Conflict", "req-409", Some("corr-409"));
    h.finish();
}

async fn initial_error_returns_the_cloud_error(t: Target) {
    let mut h = Harness::start(t).await;
    h.expect_grant(
        Reply::json(404, json!({"error": full_error("ResourceNotFound")}))
            .header("x-ms-error-code", "ResourceNotFound")
            .header("x-ms-request-id", "req-404")
            .header("x-ms-correlation-request-id", "corr-404"),
    );
    h.expect_revoke(
        Reply::json(400, json!({"error": full_error("InvalidParameter")}))
            .header("x-ms-request-id", "req-400"),
    );

    let error = expect_err(h.grant(read_for_an_hour()).await);
    assert!(matches!(error.kind(), ErrorKind::HttpResponse { .. }));
    assert_eq!(
        h.ops.cloud_error(&error),
        Some(typed_error("ResourceNotFound"))
    );
    assert_details(&error, 404, "ResourceNotFound", "req-404", Some("corr-404"));

    let error = expect_err(h.revoke().await);
    assert_eq!(
        h.ops.cloud_error(&error),
        Some(typed_error("InvalidParameter"))
    );
    assert_details(&error, 400, "InvalidParameter", "req-400", None);
    h.finish();
}

async fn accepted_without_poll_header_is_an_error(t: Target) {
    let mut h = Harness::start(t).await;
    h.expect_grant(Reply::accepted().header("Retry-After", "0"));
    h.expect_revoke(Reply::accepted());

    let error = expect_err(h.grant(read_for_an_hour()).await);
    assert!(
        error
            .to_string()
            .contains("no Azure-AsyncOperation, Operation-Location or Location header"),
        "{error}"
    );
    let error = expect_err(h.revoke().await);
    assert!(
        error.to_string().contains("no Azure-AsyncOperation"),
        "{error}"
    );
    h.finish();
}

// ---- poll URL safety -----------------------------------------------------------------------

async fn foreign_or_insecure_poll_urls_are_refused(t: Target) {
    let mut h = Harness::start(t).await;
    // A second server (same CA, so TLS would succeed) that must never see a connection.
    let bystander = h.bystander().await;
    let poll = operation_target(&t, "elsewhere");
    let port = h.server.port();
    let other = bystander.port();
    let bad: Vec<(&str, String)> = vec![
        ("Location", format!("https://localhost:{other}{poll}")),
        ("Location", format!("https://127.0.0.1:{other}{poll}")),
        ("Location", format!("http://127.0.0.1:{port}{poll}")),
        (
            "Location",
            format!("https://user:pass@127.0.0.1:{port}{poll}"),
        ),
        (
            "Azure-AsyncOperation",
            format!("https://localhost:{other}{poll}"),
        ),
        (
            "Azure-AsyncOperation",
            format!("http://127.0.0.1:{port}{poll}"),
        ),
    ];
    for (header, url) in &bad {
        h.expect_grant(Reply::accepted().header(header, url));
        let error = expect_err(h.grant(read_for_an_hour()).await);
        assert!(
            error.to_string().contains("refusing to follow"),
            "{header}: {url}: {error}"
        );
    }

    // The status monitor is fine but the final-state Location is not: refused before polling.
    h.expect_revoke(
        Reply::accepted()
            .header("Azure-AsyncOperation", h.url(&poll))
            .header("Location", format!("https://localhost:{other}{poll}")),
    );
    let error = expect_err(h.revoke().await);
    assert!(
        error
            .to_string()
            .starts_with("refusing to follow the Location URL"),
        "{error}"
    );

    // A Location poll that moves to another host.
    let moving = operation_target(&t, "moving");
    h.expect_grant(accepted_with_location(&h, &moving));
    h.expect_get(
        &moving,
        Reply::accepted().header("Location", format!("https://localhost:{other}{poll}")),
    );
    let error = expect_err(h.grant(read_for_an_hour()).await);
    assert!(error.to_string().contains("refusing to follow"), "{error}");

    assert_eq!(
        bystander.connections(),
        0,
        "a request (with the token) reached the other server"
    );
    // Only the initial requests and the one legitimate poll reached the endpoint.
    assert_eq!(h.server.connections(), bad.len() + 3);
    h.finish();
}

// ---- bounding the wait ---------------------------------------------------------------------

async fn timeout_bounds_the_total_wait(t: Target) {
    // Per call: the options' timeout.
    let mut h = Harness::start(t).await;
    let poll = operation_target(&t, "slow");
    h.expect_grant(accepted_with_location(&h, &poll).header("Retry-After", "30"));
    let started = Instant::now();
    let error = expect_err(
        h.grant_tuned(
            &Names::plain(),
            read_for_an_hour(),
            Tune {
                timeout: Some(Duration::from_millis(500)),
                ..Tune::default()
            },
        )
        .await,
    );
    // A Retry-After past the bound ends the operation at once rather than sleeping past it.
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(500), "{elapsed:?}");
    assert_timed_out(&error);
    h.finish();

    // For every call: PollingOptions::timeout.
    let mut h = Harness::start_with(t, |setup| {
        setup.polling.timeout = Some(Duration::from_millis(500));
    })
    .await;
    h.expect_revoke(accepted_with_location(&h, &poll).header("Retry-After", "30"));
    let started = Instant::now();
    let error = expect_err(h.revoke().await);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_timed_out(&error);
    h.finish();
}

fn assert_timed_out(error: &azure_core::Error) {
    let source = std::error::Error::source(error).expect("a source");
    let io = source
        .downcast_ref::<std::io::Error>()
        .expect("an io::Error source");
    assert_eq!(io.kind(), std::io::ErrorKind::TimedOut, "{error}");
}

// ---- path parameters -----------------------------------------------------------------------

async fn path_parameters_are_validated_before_sending(t: Target) {
    let mut h = Harness::start(t).await;
    let with = |change: &dyn Fn(&mut Names)| {
        let mut names = Names::plain();
        change(&mut names);
        names
    };
    let resource_groups = [
        (String::new(), "must not be empty"),
        ("r".repeat(91), "length 91 exceeds the maximum of 90"),
        ("rg/one".into(), "does not match the pattern"),
        ("rg one".into(), "does not match the pattern"),
        ("rg%2e".into(), "does not match the pattern"),
        (".".into(), "is not allowed as a path segment"),
        ("..".into(), "is not allowed as a path segment"),
    ];
    let mut cases: Vec<(Names, &str, &str)> = resource_groups
        .into_iter()
        .map(|(value, reason)| {
            let names = with(&|n| n.resource_group = value.clone());
            (names, "resourceGroupName", reason)
        })
        .collect();
    let empty_or_dots = [
        ("", "must not be empty"),
        (".", "is not allowed as a path segment"),
        ("..", "is not allowed as a path segment"),
    ];
    for (value, reason) in empty_or_dots {
        match t.resource {
            Resource::Disks => cases.push((with(&|n| n.disk = value.into()), "diskName", reason)),
            Resource::DiskRestorePoints => cases.extend([
                (
                    with(&|n| n.restore_point_collection = value.into()),
                    "restorePointCollectionName",
                    reason,
                ),
                (
                    with(&|n| n.vm_restore_point = value.into()),
                    "vmRestorePointName",
                    reason,
                ),
                (
                    with(&|n| n.disk_restore_point = value.into()),
                    "diskRestorePointName",
                    reason,
                ),
            ]),
        }
    }

    for (names, parameter, reason) in &cases {
        let errors = [
            h.ops
                .grant(names, &read_for_an_hour(), Tune::default())
                .err(),
            h.ops.revoke(names, Tune::default()).err(),
        ];
        for error in errors {
            let error = error.unwrap_or_else(|| panic!("{names:?} was accepted"));
            let text = error.to_string();
            assert!(
                text.contains(&format!("parameter `{parameter}`")),
                "{names:?}: {text}"
            );
            assert!(text.contains(reason), "{names:?}: {text}");
            assert!(matches!(error.kind(), ErrorKind::DataConversion));
        }
    }

    // Nothing was sent, and no token was even asked for.
    assert_eq!(h.server.connections(), 0);
    assert!(h.credential.scopes().is_empty());
    h.finish();

    // The subscription id given at construction is checked the same way, at each call.
    for subscription in ["", ".", ".."] {
        let mut h = Harness::start_with(t, |setup| setup.subscription = subscription.into()).await;
        let error = h
            .ops
            .grant(&Names::plain(), &read_for_an_hour(), Tune::default())
            .err()
            .expect("rejected");
        assert!(
            error.to_string().contains("parameter `subscriptionId`"),
            "{error}"
        );
        assert_eq!(h.server.connections(), 0);
        h.finish();
    }
}

async fn names_are_encoded_as_one_segment(t: Target) {
    let mut h = Harness::start(t).await;
    let names = |rg: &str, disk: &str, collection: &str, point: &str, disk_point: &str| Names {
        resource_group: rg.into(),
        disk: disk.into(),
        restore_point_collection: collection.into(),
        vm_restore_point: point.into(),
        disk_restore_point: disk_point.into(),
    };
    let longest = "r".repeat(89) + "ü";
    // (as given, as it must arrive)
    let cases = [
        (
            names("rg_(ü).-1", "a/b", "a/b", "%2e%2e", "диск 1"),
            names(
                "rg_%28%C3%BC%29.-1",
                "a%2Fb",
                "a%2Fb",
                "%252e%252e",
                "%D0%B4%D0%B8%D1%81%D0%BA%201",
            ),
        ),
        (
            names(&longest, "%2e%2e", "a?b#c", "...", "a\\b"),
            names(
                &("r".repeat(89) + "%C3%BC"),
                "%252e%252e",
                "a%3Fb%23c",
                "...",
                "a%5Cb",
            ),
        ),
        (
            names("Rg.1", "dísk-ü~", "x/../y", "..%2F", "名前"),
            names(
                "Rg.1",
                "d%C3%ADsk-%C3%BC~",
                "x%2F..%2Fy",
                "..%252F",
                "%E5%90%8D%E5%89%8D",
            ),
        ),
    ];
    for (given, encoded) in &cases {
        h.server.expect(
            Expect::post_json(t.target(encoded, "beginGetAccess"), read_for_an_hour()),
            Reply::json(200, access_uri()),
        );
        h.server.expect(
            Expect::post_empty(t.target(encoded, "endGetAccess")),
            Reply::status(200),
        );
        h.grant_tuned(given, read_for_an_hour(), Tune::default())
            .await
            .expect("granted");
        h.ops
            .revoke(given, Tune::default())
            .expect("valid names")
            .await
            .expect("revoked");
    }
    // However a name looks, the path has the template's number of segments.
    let segments = match t.resource {
        Resource::Disks => 10,
        Resource::DiskRestorePoints => 14,
    };
    for request in h.server.received() {
        assert_eq!(
            request.path().split('/').count(),
            segments,
            "{}",
            request.target
        );
    }
    h.finish();
}

// ---- the reference pages' samples ----------------------------------------------------------

async fn reference_samples_are_replayed(t: Target) {
    let mut h = Harness::start(t).await;
    let samples = support::grant_samples(&t);
    assert!(!samples.is_empty());
    if t.version == "2025-01-02" && t.resource == Resource::Disks {
        assert!(
            samples
                .iter()
                .any(|(_, _, response)| response.get("securityMetadataAccessSAS").is_some()),
            "the securityMetadataAccessSAS sample is missing"
        );
    }
    for (name, request, response) in samples {
        h.server.expect(
            Expect::post_json(h.target("beginGetAccess"), request.clone()),
            Reply::json(200, response.clone()),
        );
        // The sample request, as a caller's GrantAccessData, is what goes on the wire.
        let granted = h.grant(request).await.expect(&name);
        // Every field of the sample response is read.
        let expected: BTreeMap<&str, String> = response
            .as_object()
            .expect("object")
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str().expect("string").to_owned()))
            .collect();
        assert_eq!(granted.secrets, expected, "{name}");
        assert!(!granted.debug.contains("sig="), "{name}: {}", granted.debug);
    }
    h.finish();
}

// ---- secrets -------------------------------------------------------------------------------

async fn secrets_never_reach_debug_display_logs_or_errors(t: Target) {
    let logs = CapturedLogs::start();
    let mut h = Harness::start(t).await;

    // A result with every SAS field.
    let all_sas = json!({
        "accessSAS": sas(1),
        "securityDataAccessSAS": sas(2),
        "securityMetadataAccessSAS": sas(3),
    });
    h.expect_grant(Reply::json(200, all_sas));
    let granted = h.grant(read_for_an_hour()).await.expect("granted");
    assert!(!granted.debug.contains("sig="), "{}", granted.debug);
    // Models' Debug names the type and no field (azure_core's SafeDebug).
    assert_eq!(granted.debug, "AccessUri { .. }");
    // Through the explicit accessor only.
    assert!(granted.secrets["accessSAS"].contains("sig=SeCrEt1"));

    // An initial error whose message, target and details quote a SAS.
    let leaky_error = json!({"error": {
        "code": "AccessAlreadyGranted",
        "message": format!("Access was already granted: {} (expires soon).", sas(4)),
        "target": sas(5),
        "details": [{"code": "Sas", "message": format!("see {}", sas(6))}]
    }});
    h.expect_grant(Reply::json(409, leaky_error.clone()).header("x-ms-request-id", "req-leak"));
    let error = expect_err(h.grant(read_for_an_hour()).await);
    assert_no_sas(&error);
    assert!(error.to_string().contains("?<redacted>"), "{error}");
    // The service's own words stay available through CloudError.
    assert_eq!(h.ops.cloud_error(&error), Some(leaky_error));

    // A failed operation whose error quotes a SAS.
    let monitor = operation_target(&t, "leaky");
    h.expect_revoke(Reply::accepted().header("Azure-AsyncOperation", h.url(&monitor)));
    let failed = json!({"status": "Failed", "error": {"code": "Failed", "message": format!("cannot revoke {}", sas(7))}});
    h.expect_get(&monitor, Reply::json(200, failed));
    let error = expect_err(h.revoke().await);
    assert_no_sas(&error);

    // Neither the client nor the logs show a SAS or the bearer token.
    let client = h.ops.client_debug();
    assert!(!client.contains(TOKEN), "{client}");
    let lines = logs.lines();
    assert!(
        lines.iter().any(|line| line.contains("==> Request")),
        "nothing was logged: {lines:#?}"
    );
    for line in &lines {
        assert!(!line.contains("sig="), "a SAS was logged: {line}");
        assert!(!line.contains("SeCrEt"), "a SAS was logged: {line}");
        assert!(!line.contains(TOKEN), "the token was logged: {line}");
    }
    h.finish();
}

fn assert_no_sas(error: &azure_core::Error) {
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains("sig="), "{text}");
        assert!(!text.contains("SeCrEt"), "{text}");
    }
}

/// Whether `T` implements `Display`, decided at compile time (an inherent method whose bound
/// holds wins over the trait's fallback).
struct DisplayProbe<T>(std::marker::PhantomData<T>);

trait NoDisplay {
    fn has_display(&self) -> bool {
        false
    }
}

impl<T> NoDisplay for DisplayProbe<T> {}

impl<T: std::fmt::Display> DisplayProbe<T> {
    fn has_display(&self) -> bool {
        true
    }
}

/// No `Display` to print a secret or a result holding one by accident.
#[test]
fn secrets_and_results_have_no_display() {
    use azure_arm_compute::{SecretString, v2024_03_02, v2025_01_02};
    assert!(!DisplayProbe::<SecretString>(Default::default()).has_display());
    assert!(!DisplayProbe::<v2024_03_02::models::AccessUri>(Default::default()).has_display());
    assert!(!DisplayProbe::<v2025_01_02::models::AccessUri>(Default::default()).has_display());
    // The probe itself works.
    assert!(DisplayProbe::<String>(Default::default()).has_display());
}

// ---- forward compatibility -----------------------------------------------------------------

async fn unknown_enum_values_and_fields_are_tolerated(t: Target) {
    let mut h = Harness::start(t).await;
    // Enum values this client does not know go out exactly as given.
    let future_request = json!({
        "access": "ReadWriteDelete",
        "durationInSeconds": 60,
        "getSecureVMGuestStateSAS": false,
        "fileFormat": "VHDZ"
    });
    let monitor = operation_target(&t, "future");
    let result = result_target(&t, "future");
    h.server.expect(
        Expect::post_json(h.target("beginGetAccess"), future_request.clone()),
        accepted_with_monitor(&h, &monitor, &result),
    );
    // A status this client does not know means "still running".
    h.expect_get(
        &monitor,
        Reply::json(200, json!({"status": "Finalizing", "percentComplete": 99})),
    );
    h.expect_get(
        &monitor,
        Reply::json(
            200,
            json!({"status": "succeeded", "properties": {"output": {}}}),
        ),
    );
    // Fields no model knows are ignored.
    h.expect_get(
        &result,
        Reply::json(
            200,
            json!({
                "accessSAS": sas(1),
                "futureSAS": sas(8),
                "expiresOn": "2030-01-01T00:00:00Z",
                "properties": {"nested": [1, 2, {"deep": null}]}
            }),
        ),
    );

    let granted = h.grant(future_request).await.expect("granted");

    assert_eq!(granted.secrets, secrets(&[("accessSAS", sas(1))]));
    assert!(!granted.debug.contains("sig="), "{}", granted.debug);
    h.finish();
}

// ---- one test per scenario and target ------------------------------------------------------

macro_rules! scenarios {
    ($($scenario:ident),* $(,)?) => {
        scenarios!(@target v2024_03_02_disks, v2024_03_02, DISKS, $($scenario),*);
        scenarios!(@target v2024_03_02_disk_restore_points, v2024_03_02, DISK_RESTORE_POINTS, $($scenario),*);
        scenarios!(@target v2025_01_02_disks, v2025_01_02, DISKS, $($scenario),*);
        scenarios!(@target v2025_01_02_disk_restore_points, v2025_01_02, DISK_RESTORE_POINTS, $($scenario),*);
    };
    (@target $module:ident, $version:ident, $resource:ident, $($scenario:ident),*) => {
        mod $module {
            $(
                #[tokio::test]
                async fn $scenario() {
                    crate::support::run(crate::support::$version::$resource, crate::$scenario).await;
                }
            )*
        }
    };
}

scenarios!(
    grant_answered_at_once_with_200,
    revoke_answered_at_once_with_200_or_204,
    grant_202_then_location_polled_until_200,
    revoke_202_then_location_polled_until_200_or_204,
    async_operation_then_final_get_of_location,
    revoke_async_operation_then_final_get_of_location,
    retry_after_seconds_is_honoured,
    retry_after_http_date_is_honoured,
    default_polling_delay_comes_from_the_options_or_the_call,
    relative_poll_urls_resolve_against_the_request,
    transient_failures_are_retried,
    failed_operation_returns_the_cloud_error,
    canceled_operation_returns_an_error,
    location_poll_error_returns_the_cloud_error,
    initial_error_returns_the_cloud_error,
    accepted_without_poll_header_is_an_error,
    foreign_or_insecure_poll_urls_are_refused,
    timeout_bounds_the_total_wait,
    path_parameters_are_validated_before_sending,
    names_are_encoded_as_one_segment,
    reference_samples_are_replayed,
    secrets_never_reach_debug_display_logs_or_errors,
    unknown_enum_values_and_fields_are_tolerated,
);

// ---- typed errors, by api-version ----------------------------------------------------------

macro_rules! typed_cloud_error_test {
    ($test:ident, $module:ident) => {
        /// The generated `CloudError` is one call away from the error, every field typed.
        #[tokio::test]
        async fn $test() {
            use azure_arm_compute::$module::models::CloudError;
            let mut h = Harness::start(support::$module::DISKS).await;
            h.expect_grant(
                Reply::json(409, json!({"error": full_error("Conflict")})),
            );
            let error = expect_err(h.grant(read_for_an_hour()).await);

            let cloud = CloudError::from_error(&error).expect("a CloudError");
            let api = cloud.error.expect("error");
            assert_eq!(api.code.as_deref(), Some("Conflict"));
            assert_eq!(
                api.message.as_deref(),
                Some("The operation on disk 'disk1' failed.")
            );
            assert_eq!(api.target.as_deref(), Some("disk1"));
            let details = api.details.expect("details");
            assert_eq!(details.len(), 2);
            assert_eq!(details[0].code.as_deref(), Some("DiskBusy"));
            assert_eq!(details[0].target.as_deref(), Some("disk1"));
            assert_eq!(details[1].message.as_deref(), Some("Try again later."));
            let inner = api.innererror.expect("innererror");
            assert_eq!(
                inner.exceptiontype.as_deref(),
                Some("Microsoft.WindowsAzure.Storage.StorageException")
            );
            assert_eq!(
                inner.errordetail.as_deref(),
                Some("Conflict at the storage layer.")
            );
            h.finish();
        }
    };
}

typed_cloud_error_test!(typed_cloud_error_v2024_03_02, v2024_03_02);
typed_cloud_error_test!(typed_cloud_error_v2025_01_02, v2025_01_02);

// ---- construction --------------------------------------------------------------------------

/// The predefined clouds: endpoint, and the scope the token is asked for. No network: the
/// transport here is in memory and answers 200.
#[tokio::test]
async fn predefined_clouds_use_their_endpoint_and_arm_scope() {
    use azure_core::http::{
        AsyncRawResponse, ClientOptions, HttpClient, Request, StatusCode, Transport,
        headers::Headers,
    };
    use std::sync::{Arc, Mutex};

    #[derive(Debug, Default)]
    struct Recorder(Mutex<Vec<Url>>);

    #[async_trait::async_trait]
    impl HttpClient for Recorder {
        async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
            self.0.lock().expect("lock").push(request.url().clone());
            Ok(AsyncRawResponse::from_bytes(
                StatusCode::Ok,
                Headers::new(),
                access_uri().to_string(),
            ))
        }
    }

    use azure_core::cloud::CloudConfiguration;
    let clouds = [
        (
            None,
            "https://management.azure.com/",
            "https://management.azure.com/.default",
        ),
        (
            Some(CloudConfiguration::AzureGovernment),
            "https://management.usgovcloudapi.net/",
            "https://management.usgovcloudapi.net/.default",
        ),
        (
            Some(CloudConfiguration::AzureChina),
            "https://management.chinacloudapi.cn/",
            "https://management.chinacloudapi.cn/.default",
        ),
    ];
    let targets = [
        support::v2024_03_02::DISKS,
        support::v2024_03_02::DISK_RESTORE_POINTS,
        support::v2025_01_02::DISKS,
        support::v2025_01_02::DISK_RESTORE_POINTS,
    ];
    for (cloud, endpoint, scope) in clouds {
        for target in targets {
            let recorder = Arc::new(Recorder::default());
            let credential = Arc::new(support::TestCredential::default());
            let ops = (target.connect)(support::Setup {
                subscription: SUBSCRIPTION.to_owned(),
                credential: credential.clone(),
                client_options: ClientOptions {
                    transport: Some(Transport::new(recorder.clone())),
                    cloud: cloud.clone().map(Arc::new),
                    ..Default::default()
                },
                polling: PollingOptions::default(),
                default_delay: Duration::from_millis(5),
            })
            .expect("the client builds");
            assert_eq!(ops.endpoint().as_str(), endpoint);

            ops.grant(&Names::plain(), &read_for_an_hour(), Tune::default())
                .expect("valid names")
                .await
                .expect("granted");

            assert_eq!(credential.scopes(), [vec![scope.to_owned()]]);
            let urls = recorder.0.lock().expect("lock").clone();
            assert_eq!(urls.len(), 1);
            assert_eq!(
                urls[0].as_str(),
                format!(
                    "{}{}",
                    endpoint.trim_end_matches('/'),
                    target.target(&Names::plain(), "beginGetAccess")
                )
            );
        }
    }
}

#[test]
fn a_custom_endpoint_must_be_https() {
    for target in [support::v2024_03_02::DISKS, support::v2025_01_02::DISKS] {
        let result = (target.connect)(support::Setup {
            subscription: SUBSCRIPTION.to_owned(),
            credential: std::sync::Arc::new(support::TestCredential::default()),
            client_options: azure_core::http::ClientOptions {
                cloud: Some(support::loopback_cloud("http://127.0.0.1:1")),
                ..Default::default()
            },
            polling: PollingOptions::default(),
            default_delay: Duration::from_millis(5),
        });
        let Err(error) = result else {
            panic!("an http endpoint was accepted");
        };
        assert!(error.to_string().contains("https"), "{error}");
    }
}

// ---- the test server itself ----------------------------------------------------------------

/// The server's checks bite: each wrong request gets 418 and is reported with the reason.
#[tokio::test]
async fn the_test_server_rejects_what_it_does_not_expect() {
    let ca = support::tls::TestCa::new();
    let mut server = support::server::TestServer::start(&ca, "2025-01-02", TOKEN).await;
    let client = ca.reqwest_client();
    let target = "/x/beginGetAccess?api-version=2025-01-02";
    let good_body = json!({"access": "Read"}).to_string();
    let send = |target: &str, token: &str, content_type: Option<&str>, body: &str| {
        let mut request = client
            .post(format!("{}{target}", server.base()))
            .header("authorization", format!("Bearer {token}"))
            .header("accept", "application/json")
            .body(body.to_owned());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.send()
    };
    let json = Some("application/json");
    let cases = [
        (
            send(target, "another-token", json, &good_body),
            "Authorization",
        ),
        (
            send(
                "/x/beginGetAccess?api-version=2025-01-02&api-version=2025-01-02",
                TOKEN,
                json,
                &good_body,
            ),
            "exactly once",
        ),
        (
            send(
                "/%78/beginGetAccess?api-version=2025-01-02",
                TOKEN,
                json,
                &good_body,
            ),
            "expected POST",
        ),
        (
            send(target, TOKEN, json, r#"{"access":"Write"}"#),
            "expected body",
        ),
        (send(target, TOKEN, None, &good_body), "Content-Type"),
    ];
    for (response, reason) in cases {
        server.expect(
            Expect::post_json(target, json!({"access": "Read"})),
            Reply::status(200),
        );
        let response = response.await.expect("a response");
        assert_eq!(response.status().as_u16(), 418, "{reason}");
        let problems = server.take_problems();
        assert_eq!(problems.len(), 1, "{reason}: {problems:?}");
        assert!(problems[0].contains(reason), "{reason}: {problems:?}");
    }
    // A request beyond the script.
    let response = send(target, TOKEN, json, &good_body)
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 418);
    assert!(server.take_problems()[0].contains("unexpected request"));
    server.finish();
}

// ---- the README ----------------------------------------------------------------------------

/// README.md's `rust` code blocks are the example programs `examples/grant_and_revoke.rs` and
/// `examples/list_disks.rs`, which `cargo test` compiles: the README cannot show code that
/// does not build.
#[test]
fn readme_examples_are_the_compiled_examples() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../README.md")).expect("README.md");
    let examples: Vec<String> = ["grant_and_revoke", "list_disks"]
        .iter()
        .map(|name| {
            std::fs::read_to_string(root.join(format!("examples/{name}.rs"))).expect("the example")
        })
        .collect();
    let mut blocks = Vec::new();
    let mut rest = readme.as_str();
    while let Some(start) = rest.find("\n```rust\n") {
        let code = &rest[start + "\n```rust\n".len()..];
        let end = code.find("\n```\n").expect("the rust block ends");
        blocks.push(&code[..=end]);
        rest = &code[end..];
    }
    assert_eq!(
        blocks.len(),
        examples.len(),
        "README.md should have one ```rust block per example"
    );
    for (block, example) in blocks.iter().zip(&examples) {
        assert!(
            *block == example,
            "a README.md rust block differs from its file in tests/examples: copy the file into the README"
        );
    }
}
