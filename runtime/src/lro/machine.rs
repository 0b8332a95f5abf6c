//! The ARM long-running-operation rules as a state machine over responses: no I/O here, so
//! every rule is unit-tested without a transport.
//!
//! ```text
//! initial response (section 1 of the ARM polling rules)
//!   not 200/201/202/204                       → error with the service's error body
//!   200/201 with a terminal provisioningState → done (Succeeded: this body) or failed
//!   Azure-AsyncOperation / Operation-Location → StatusMonitor polling of that URL
//!   Location                                  → Location polling of that URL
//!   PUT/PATCH without a header                → 202, 201 (no state), 200 (running state):
//!                                               ResourceBody polling of the original URL;
//!                                               else done with this response
//!   POST/DELETE without a header              → 202: error (nothing to poll); else done
//!
//! each poll (section 2)
//!   StatusMonitor: 2xx with {"status"}: Succeeded → result (below), Failed/Canceled →
//!                  failed, anything else → running; other statuses → failed
//!   Location:      202 → running (a new Location is followed); 200/201/204 → done, this
//!                  response is the result (original-uri: GET the original URL)
//!   ResourceBody:  202 → running; 200/201 → provisioningState (absent: 200 succeeded,
//!                  201 running); 204 → succeeded; other statuses → failed
//!
//! result after a status monitor said Succeeded (section 3)
//!   final-state-via  PUT/PATCH                 POST                    DELETE
//!   (absent)         GET resourceLocation      GET initial Location    nothing
//!                    or the original URL       or the monitor body
//!   original-uri     GET original URL          GET original URL        GET original URL
//!   location         GET initial Location      GET initial Location    GET initial Location
//!   azure-async-op   GET original URL          the monitor body        the monitor body
//!   operation-loc    GET resourceLocation, else the monitor body (every method)
//!   A URL the service did not send means: no result body.
//! ```

use super::{FinalStateVia, probe};
use crate::error::http_error;
use azure_core::{
    Error, Result,
    error::ErrorKind,
    http::{
        Method, RawResponse, Url,
        headers::{HeaderName, Headers},
        poller::PollerStatus,
    },
};
use serde::{Deserialize, Serialize};

const AZURE_ASYNC_OPERATION: HeaderName = HeaderName::from_static("azure-asyncoperation");
const OPERATION_LOCATION: HeaderName = HeaderName::from_static("operation-location");
const LOCATION: HeaderName = HeaderName::from_static("location");

/// What is polled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Strategy {
    /// The `Azure-AsyncOperation` (or `Operation-Location`) status monitor.
    StatusMonitor,
    /// The `Location` URL.
    Location,
    /// The resource itself (PUT/PATCH), by its `provisioningState`.
    ResourceBody,
}

/// Where polling stands.
#[derive(Clone, Debug)]
pub(crate) struct PollState {
    pub strategy: Strategy,
    pub method: Method,
    pub original_url: Url,
    pub final_state_via: Option<FinalStateVia>,
    pub poll_url: Url,
    /// The initial response's `Location`, for the final GET.
    pub location_url: Option<Url>,
    /// The status monitor's `resourceLocation`, once it sent one.
    pub resource_location: Option<Url>,
}

/// Where the result of a successful operation is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ResultFrom {
    /// The response that said Succeeded.
    ThisResponse,
    /// GET this URL.
    Get(Url),
    /// No result body.
    Nothing,
}

/// What one response means.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Still running; `status` as reported.
    Running { status: String },
    /// Done.
    Succeeded { status: String, result: ResultFrom },
    /// Failed or canceled (or an error status): the response carries the error; `what`
    /// starts the error message.
    Failed { status: String, what: String },
}

/// The initial request, as far as the rules care.
pub(crate) struct Initial<'a> {
    pub method: &'a Method,
    pub url: &'a Url,
    pub final_state_via: Option<FinalStateVia>,
}

/// Reads the initial response: the step, and the poll state when polling follows.
pub(crate) fn initial(
    request: &Initial<'_>,
    response: &RawResponse,
) -> Result<(Step, Option<PollState>)> {
    let code = u16::from(response.status());
    if !matches!(code, 200 | 201 | 202 | 204) {
        return Err(http_error(
            "the long-running operation's initial request failed",
            response.clone(),
        ));
    }
    let url = without_query(request.url.as_str());
    let body_state = if matches!(code, 200 | 201) {
        // Lenient here: a POST's result need not be a resource object.
        probe::provisioning_state(response.body(), url)
            .ok()
            .flatten()
    } else {
        None
    };
    if let Some(state) = body_state.as_deref().filter(|s| probe::is_terminal(s)) {
        return Ok((terminal(state, ResultFrom::ThisResponse), None));
    }
    let Some((strategy, poll_url, location_url)) =
        strategy(request, response, code, body_state.is_some())?
    else {
        return Ok((succeeded(ResultFrom::ThisResponse), None));
    };
    let state = PollState {
        strategy,
        method: *request.method,
        original_url: request.url.clone(),
        final_state_via: request.final_state_via,
        poll_url,
        location_url,
        resource_location: None,
    };
    let status = body_state.unwrap_or_else(|| "InProgress".to_owned());
    Ok((Step::Running { status }, Some(state)))
}

/// What to poll after the initial response (section 1's order), with the initial Location
/// kept for the final GET; `None` when the operation is done at once.
fn strategy(
    request: &Initial<'_>,
    response: &RawResponse,
    code: u16,
    has_state: bool,
) -> Result<Option<(Strategy, Url, Option<Url>)>> {
    let headers = response.headers();
    let monitor = match header_url(
        headers,
        &AZURE_ASYNC_OPERATION,
        request.url,
        "Azure-AsyncOperation",
    )? {
        Some(url) => Some(url),
        None => header_url(
            headers,
            &OPERATION_LOCATION,
            request.url,
            "Operation-Location",
        )?,
    };
    let location = header_url(headers, &LOCATION, request.url, "Location");
    if let Some(monitor) = monitor {
        // The initial Location matters only as a final-state URL: a malformed one is an error
        // only when it would be used.
        let location = if uses_location(request) {
            location?
        } else {
            location.ok().flatten()
        };
        return Ok(Some((Strategy::StatusMonitor, monitor, location)));
    }
    if let Some(location) = location? {
        return Ok(Some((Strategy::Location, location.clone(), Some(location))));
    }
    let resource_method = matches!(request.method, Method::Put | Method::Patch);
    match code {
        202 | 201 if resource_method => {
            Ok(Some((Strategy::ResourceBody, request.url.clone(), None)))
        }
        200 if resource_method && has_state => {
            Ok(Some((Strategy::ResourceBody, request.url.clone(), None)))
        }
        202 => Err(Error::with_message(
            ErrorKind::Other,
            format!(
                "the long-running operation was accepted (HTTP 202) but the response has no Azure-AsyncOperation, Operation-Location or Location header to poll ({})",
                without_query(request.url.as_str())
            ),
        )),
        _ => Ok(None),
    }
}

/// Whether the result may come from the initial `Location` of a status-monitor operation.
fn uses_location(request: &Initial<'_>) -> bool {
    location_is_final(request.final_state_via, request.method)
}

fn location_is_final(via: Option<FinalStateVia>, method: &Method) -> bool {
    match via {
        Some(FinalStateVia::Location) => true,
        None => *method == Method::Post,
        _ => false,
    }
}

/// The URL the operation will GET at the end that is known when polling begins (the initial
/// Location), so that a refused one fails before any poll.
pub(crate) fn known_final_url(state: &PollState) -> Option<&Url> {
    match state.strategy {
        Strategy::StatusMonitor if location_is_final(state.final_state_via, &state.method) => {
            state.location_url.as_ref()
        }
        _ => None,
    }
}

/// Reads one poll response, updating the state (a moved Location, a resourceLocation).
pub(crate) fn poll(state: &mut PollState, response: &RawResponse) -> Result<Step> {
    let code = u16::from(response.status());
    let url = without_query(state.poll_url.as_str()).to_owned();
    match state.strategy {
        Strategy::StatusMonitor => poll_monitor(state, response, code, &url),
        Strategy::Location => poll_location(state, response, code),
        Strategy::ResourceBody => poll_resource(response, code, &url),
    }
}

fn running(status: &str) -> Step {
    Step::Running {
        status: status.to_owned(),
    }
}

fn succeeded(result: ResultFrom) -> Step {
    Step::Succeeded {
        status: "Succeeded".to_owned(),
        result,
    }
}

/// A status monitor: 2xx with `{"status"}`; a `resourceLocation` is kept for the result.
fn poll_monitor(
    state: &mut PollState,
    response: &RawResponse,
    code: u16,
    url: &str,
) -> Result<Step> {
    if !matches!(code, 200 | 201 | 202 | 204) {
        return Ok(failed_status(
            code,
            "polling the long-running operation's status failed",
        ));
    }
    let monitor = probe::monitor(response.body(), url)?;
    if let Some(resource) = &monitor.resource_location {
        let resolved = state
            .poll_url
            .join(resource)
            .map_err(|_| bad_url("resourceLocation of the status monitor", url))?;
        state.resource_location = Some(resolved);
    }
    Ok(match probe::status(&monitor.status) {
        PollerStatus::Succeeded => Step::Succeeded {
            result: monitor_result(state),
            status: monitor.status,
        },
        PollerStatus::Failed | PollerStatus::Canceled => {
            terminal(&monitor.status, ResultFrom::Nothing)
        }
        _ => Step::Running {
            status: monitor.status,
        },
    })
}

/// A `Location`: 202 runs on (following a moved Location), 200/201/204 is the result.
fn poll_location(state: &mut PollState, response: &RawResponse, code: u16) -> Result<Step> {
    match code {
        202 => {
            if let Some(next) =
                header_url(response.headers(), &LOCATION, &state.poll_url, "Location")?
            {
                state.poll_url = next;
            }
            Ok(running("InProgress"))
        }
        200 | 201 | 204 => Ok(succeeded(match state.final_state_via {
            Some(FinalStateVia::OriginalUri) => ResultFrom::Get(state.original_url.clone()),
            _ => ResultFrom::ThisResponse,
        })),
        _ => Ok(failed_status(
            code,
            "the long-running operation failed while polling its Location",
        )),
    }
}

/// The resource itself: its `provisioningState`, or the status when it has none.
fn poll_resource(response: &RawResponse, code: u16, url: &str) -> Result<Step> {
    match code {
        202 => Ok(running("InProgress")),
        204 => Ok(succeeded(ResultFrom::ThisResponse)),
        200 | 201 => match probe::provisioning_state(response.body(), url)? {
            Some(state) if probe::is_terminal(&state) => {
                Ok(terminal(&state, ResultFrom::ThisResponse))
            }
            Some(state) => Ok(Step::Running { status: state }),
            None if code == 200 => Ok(succeeded(ResultFrom::ThisResponse)),
            None => Ok(running("InProgress")),
        },
        _ => Ok(failed_status(
            code,
            "the long-running operation failed while polling its resource",
        )),
    }
}

/// The result after a status monitor said Succeeded (the table above).
fn monitor_result(state: &PollState) -> ResultFrom {
    let resource_method = matches!(state.method, Method::Put | Method::Patch);
    let get = |url: Option<&Url>| url.cloned().map_or(ResultFrom::Nothing, ResultFrom::Get);
    match state.final_state_via {
        None if resource_method => get(state
            .resource_location
            .as_ref()
            .or(Some(&state.original_url))),
        None if state.method == Method::Post => state
            .location_url
            .clone()
            .map_or(ResultFrom::ThisResponse, ResultFrom::Get),
        None => ResultFrom::Nothing,
        Some(FinalStateVia::OriginalUri) => get(Some(&state.original_url)),
        Some(FinalStateVia::Location) => get(state.location_url.as_ref()),
        Some(FinalStateVia::AzureAsyncOperation) if resource_method => {
            get(Some(&state.original_url))
        }
        Some(FinalStateVia::AzureAsyncOperation) => ResultFrom::ThisResponse,
        Some(FinalStateVia::OperationLocation) => state
            .resource_location
            .clone()
            .map_or(ResultFrom::ThisResponse, ResultFrom::Get),
    }
}

/// A terminal status: succeeded (with the result), failed or canceled.
fn terminal(status: &str, result: ResultFrom) -> Step {
    match probe::status(status) {
        PollerStatus::Succeeded => Step::Succeeded {
            status: status.to_owned(),
            result,
        },
        PollerStatus::Canceled => Step::Failed {
            status: status.to_owned(),
            what: "the long-running operation was canceled".to_owned(),
        },
        _ => Step::Failed {
            status: status.to_owned(),
            what: "the long-running operation failed".to_owned(),
        },
    }
}

fn failed_status(code: u16, what: &str) -> Step {
    Step::Failed {
        status: "Failed".to_owned(),
        what: format!("{what}: HTTP {code}"),
    }
}

fn header_value<'a>(headers: &'a Headers, name: &HeaderName) -> Option<&'a str> {
    headers
        .get_optional_str(name)
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

/// The header's URL resolved against `base` (the URL of the request that got the response).
fn header_url(
    headers: &Headers,
    name: &HeaderName,
    base: &Url,
    display: &str,
) -> Result<Option<Url>> {
    header_value(headers, name)
        .map(|value| {
            base.join(value)
                .map_err(|_| bad_url(&format!("{display} header"), base.as_str()))
        })
        .transpose()
}

/// A URL for error messages: its query may carry tokens.
pub(crate) fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

fn bad_url(what: &str, url: &str) -> Error {
    let url = without_query(url);
    Error::with_message(
        ErrorKind::DataConversion,
        format!("the {what} of the long-running operation is not a valid URL (response of {url})"),
    )
}
