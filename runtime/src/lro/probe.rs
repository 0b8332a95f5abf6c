//! Reading the few JSON values the ARM rules need from a response body, without a model:
//! a status monitor's `status` and `resourceLocation`, a resource's
//! `properties.provisioningState`. Bodies are untrusted: nothing here panics, and errors
//! never quote the body.

use azure_core::{Error, Result, error::ErrorKind, http::poller::PollerStatus};
use serde::Deserialize;

/// A status monitor body: `{"status": ..., "resourceLocation"?: ..., "error"?: ...}`.
#[derive(Deserialize)]
struct MonitorBody {
    #[serde(default)]
    status: Option<serde_json::Value>,
    #[serde(default, rename = "resourceLocation")]
    resource_location: Option<serde_json::Value>,
}

/// What a status monitor said.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Monitor {
    /// `status` as the service spelled it.
    pub status: String,
    /// `resourceLocation`, when present and a non-empty string.
    pub resource_location: Option<String>,
}

/// Reads a status monitor body; a missing body, invalid JSON or a missing `status` is an
/// error that says which URL answered and what was wrong.
pub(crate) fn monitor(body: &[u8], url: &str) -> Result<Monitor> {
    let fail = |what: &str| {
        Error::with_message(
            ErrorKind::DataConversion,
            format!("the long-running operation's status monitor {what} ({url})"),
        )
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(fail("answered without a body"));
    }
    let parsed: MonitorBody = serde_json::from_slice(body)
        .map_err(|_| fail("answered with a body that is not a JSON object"))?;
    let status = parsed
        .status
        .as_ref()
        .and_then(serde_json::Value::as_str)
        .filter(|status| !status.trim().is_empty())
        .ok_or_else(|| fail("answered without a `status`"))?;
    Ok(Monitor {
        status: status.to_owned(),
        resource_location: non_empty(parsed.resource_location),
    })
}

#[derive(Deserialize)]
struct ResourceBody {
    #[serde(default)]
    properties: Option<ResourceProperties>,
}

#[derive(Deserialize)]
struct ResourceProperties {
    #[serde(default, rename = "provisioningState")]
    provisioning_state: Option<serde_json::Value>,
}

/// `properties.provisioningState` of a resource body: `Ok(None)` when the body is empty or
/// has none, an error when the body is not JSON.
pub(crate) fn provisioning_state(body: &[u8], url: &str) -> Result<Option<String>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let parsed: ResourceBody = serde_json::from_slice(body).map_err(|_| {
        Error::with_message(
            ErrorKind::DataConversion,
            format!("the long-running operation's resource answered with a body that is not a JSON object ({url})"),
        )
    })?;
    Ok(non_empty(
        parsed.properties.and_then(|p| p.provisioning_state),
    ))
}

fn non_empty(value: Option<serde_json::Value>) -> Option<String> {
    value
        .as_ref()
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

/// The status as azure_core names it; compared case-insensitively, `Cancelled` included.
pub(crate) fn status(text: &str) -> PollerStatus {
    PollerStatus::from(text)
}

/// Whether `text` ends the operation, and how.
pub(crate) fn is_terminal(text: &str) -> bool {
    matches!(
        status(text),
        PollerStatus::Succeeded | PollerStatus::Failed | PollerStatus::Canceled
    )
}
