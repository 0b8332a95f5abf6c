//! What the poller tests share: the operation's URLs, its result and error models, the
//! requests that start it, and the scripted answers and checks most tests use. The imports
//! are re-exported, so each test file needs only `use super::support::*;`.

pub(super) use crate::tests::{
    Canned, ENDPOINT, Harness, Recorded, TOKEN, custom_cloud, harness, harness_with, respond,
};
pub(super) use crate::{
    ArmPoller, ArmRequest, FinalStateVia, LongRunningRequest, ResumeToken, SecretString,
    error_body, http_error_details, json_body,
};
pub(super) use azure_core::{
    Result,
    error::ErrorKind,
    http::{Method, NoFormat, Response, StatusCode, Url, poller::PollerStatus},
    time::{OffsetDateTime, to_rfc7231},
};
pub(super) use futures::TryStreamExt;
pub(super) use serde::{Deserialize, de::DeserializeOwned};
pub(super) use std::{future::IntoFuture, time::Duration};
pub(super) use tokio::time::Instant;

pub(super) const OP: &str = "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d/beginGetAccess?api-version=2025-01-02";
pub(super) const ASYNC: &str = "https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/locations/westus/DiskOperations/op1?p=x&api-version=2025-01-02";
pub(super) const LOC: &str = "https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/locations/westus/DiskOperations/op1?monitor=true&api-version=2025-01-02";
pub(super) const SAS: &str =
    "https://md-x.z1.blob.storage.azure.net/abcd/abcd?sv=2018-03-28&sr=b&si=x&sig=SECRETSIG";

pub(super) fn sas_body() -> String {
    format!(r#"{{"accessSAS":"{SAS}"}}"#)
}

#[derive(Debug, Deserialize, PartialEq)]
pub(super) struct AccessUri {
    #[serde(rename = "accessSAS")]
    pub(super) access_sas: SecretString,
}

#[derive(Debug, Deserialize)]
pub(super) struct CloudError {
    pub(super) error: CloudErrorBody,
}

#[derive(Debug, Deserialize)]
pub(super) struct CloudErrorBody {
    pub(super) code: String,
    pub(super) message: String,
    #[serde(default)]
    pub(super) target: Option<String>,
    #[serde(default)]
    pub(super) details: Vec<CloudErrorBody>,
}

pub(super) fn lro(
    method: Method,
    url: &str,
    final_state_via: Option<FinalStateVia>,
) -> LongRunningRequest {
    LongRunningRequest {
        operation: "Disks_Test",
        request: ArmRequest::new(method, Url::parse(url).unwrap()),
        final_state_via,
    }
}

pub(super) fn grant(final_state_via: FinalStateVia) -> LongRunningRequest {
    let mut request = lro(Method::Post, OP, Some(final_state_via));
    request.request = request
        .request
        .json(&serde_json::json!({"access": "Read", "durationInSeconds": 3600}))
        .unwrap();
    request
}

pub(super) fn revoke() -> LongRunningRequest {
    lro(
        Method::Post,
        &OP.replace("beginGetAccess", "endGetAccess"),
        Some(FinalStateVia::Location),
    )
}

pub(super) fn with_via(
    mut request: LongRunningRequest,
    via: Option<FinalStateVia>,
) -> LongRunningRequest {
    request.final_state_via = via;
    request
}

/// Awaits the poller and reads the final model.
pub(super) async fn model<T: DeserializeOwned + Send + 'static>(
    h: &Harness,
    request: LongRunningRequest,
) -> Result<T> {
    h.begin::<T, azure_core::http::JsonFormat>(request)
        .await?
        .into_model()
}

/// Awaits the poller of an operation without a result.
pub(super) async fn empty(
    h: &Harness,
    request: LongRunningRequest,
) -> Result<Response<(), NoFormat>> {
    h.begin::<(), NoFormat>(request).await
}

pub(super) async fn grant_poller(h: &Harness, final_state_via: FinalStateVia) -> Result<AccessUri> {
    model(h, grant(final_state_via)).await
}

pub(super) fn grant_raw(h: &Harness, final_state_via: FinalStateVia) -> ArmPoller<AccessUri> {
    h.begin(grant(final_state_via))
}

pub(super) fn accepted_async() -> Canned {
    respond(202)
        .header("Azure-AsyncOperation", ASYNC)
        .header("Location", LOC)
        .header("Retry-After", "1")
}

pub(super) fn monitor(status: &str) -> Canned {
    respond(200).body(format!(r#"{{"name":"op1","status":"{status}"}}"#))
}

pub(super) fn assert_is_get_poll(request: &Recorded, url: &str) {
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

/// A 202 whose Location header (`LOC`) is the URL to poll.
pub(super) fn accepted_location() -> Canned {
    respond(202).header("Location", LOC)
}

/// The status monitor saying Succeeded, then the final GET of `LOC` giving the result.
pub(super) fn async_succeeds() -> Vec<Canned> {
    vec![
        accepted_async(),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]
}

/// A resource in a provisioning state, as a PUT's answer or a final GET gives it.
pub(super) fn resource(status: u16, state: &str) -> Canned {
    respond(status).body(format!(
        r#"{{"properties":{{"provisioningState":"{state}"}}}}"#
    ))
}

/// An RFC 7231 date `seconds` from now (in the past when negative), as Retry-After may give.
pub(super) fn http_date(seconds: i64) -> String {
    to_rfc7231(&(OffsetDateTime::now_utc() + azure_core::time::Duration::seconds(seconds)))
}

/// A harness whose polls without a hint wait `default_delay`.
pub(super) fn paced(script: Vec<Canned>, default_delay: Duration) -> Harness {
    harness_with(script, None, default_delay)
}

/// How long (on the paused clock) a grant takes to succeed.
pub(super) async fn time_to_grant(h: &Harness) -> Duration {
    let start = Instant::now();
    grant_poller(h, FinalStateVia::Location).await.unwrap();
    start.elapsed()
}

/// How long (on the paused clock) a revoke takes to end, and how.
pub(super) async fn time_to_revoke(h: &Harness) -> (Duration, Result<Response<(), NoFormat>>) {
    let start = Instant::now();
    let outcome = empty(h, revoke()).await;
    (start.elapsed(), outcome)
}

/// A revoke whose final state is the status monitor's, with `location` in the initial
/// answer: whatever it says, it is never followed, and the revoke succeeds.
pub(super) async fn revoke_with_unused_location(location: &str) -> Harness {
    let h = harness(vec![
        respond(202)
            .header("Azure-AsyncOperation", ASYNC)
            .header("Location", location),
        monitor("Succeeded"),
    ]);
    let request = with_via(revoke(), Some(FinalStateVia::AzureAsyncOperation));
    empty(&h, request).await.unwrap();
    h
}

/// The next status the poller's stream yields, as its model.
pub(super) async fn next_status<T: Send + 'static, F: azure_core::http::Format + Send + 'static>(
    poller: &mut ArmPoller<T, F>,
) -> crate::OperationStatus<T, F> {
    poller
        .try_next()
        .await
        .unwrap()
        .unwrap()
        .into_model()
        .unwrap()
}

/// `error`'s message starts with `prefix`.
pub(super) fn assert_starts_with(error: &azure_core::Error, prefix: &str) {
    let message = error.to_string();
    assert!(message.starts_with(prefix), "{message}");
}
