//! [`ResumeToken`]: where polling stands, serialisable so that another process can continue.

use super::{
    FinalStateVia,
    machine::{PollState, Strategy},
};
use azure_core::{
    Error, Result,
    error::ErrorKind,
    http::{Method, Url},
};
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// The poll state of a running long-running operation. Every intermediate status a
/// [`Poller`](azure_core::http::Poller) yields carries one
/// ([`OperationStatus::resume_token`](super::OperationStatus::resume_token)); hand it to the
/// generated client's `resume_…` method, in this process or another, to continue polling
/// with the same rules and safety checks.
///
/// Serialise it with serde (JSON) or [`to_json`](Self::to_json). It holds URLs whose query may
/// carry service tokens: store it like a credential. Its `Debug` output leaves the queries out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumeToken {
    operation: String,
    strategy: Strategy,
    method: String,
    original_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    final_state_via: Option<FinalStateVia>,
    poll_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource_location: Option<String>,
}

impl ResumeToken {
    /// The operation (spec operationId) this token continues.
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// The token as one JSON string.
    pub fn to_json(&self) -> String {
        // Serialising plain strings and enums cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a token written by [`to_json`](Self::to_json).
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json).map_err(|_| invalid("it is not a resume token"))
    }

    pub(crate) fn new(operation: &str, state: &PollState) -> Self {
        Self {
            operation: operation.to_owned(),
            strategy: state.strategy,
            method: state.method.to_string(),
            original_url: state.original_url.to_string(),
            final_state_via: state.final_state_via,
            poll_url: state.poll_url.to_string(),
            location_url: state.location_url.as_ref().map(Url::to_string),
            resource_location: state.resource_location.as_ref().map(Url::to_string),
        }
    }

    /// The poll state, for `operation`; a token of another operation is refused.
    pub(crate) fn into_state(self, operation: &str) -> Result<PollState> {
        if self.operation != operation {
            return Err(invalid(&format!(
                "it belongs to operation `{}`, not `{operation}`",
                self.operation
            )));
        }
        let parse = |url: &str| Url::parse(url).map_err(|_| invalid("it holds an invalid URL"));
        let method =
            Method::from_str(&self.method).map_err(|_| invalid("it holds an invalid method"))?;
        Ok(PollState {
            strategy: self.strategy,
            method,
            original_url: parse(&self.original_url)?,
            final_state_via: self.final_state_via,
            poll_url: parse(&self.poll_url)?,
            location_url: self.location_url.as_deref().map(parse).transpose()?,
            resource_location: self.resource_location.as_deref().map(parse).transpose()?,
        })
    }
}

fn invalid(why: &str) -> Error {
    Error::with_message(
        ErrorKind::DataConversion,
        format!("the resume token cannot be used: {why}"),
    )
}

impl fmt::Debug for ResumeToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResumeToken")
            .field("operation", &self.operation)
            .field("strategy", &self.strategy)
            .field("method", &self.method)
            .field("original_url", &without_query(&self.original_url))
            .field("final_state_via", &self.final_state_via)
            .field("poll_url", &without_query(&self.poll_url))
            .finish_non_exhaustive()
    }
}

fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}
