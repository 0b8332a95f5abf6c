//! The ARM long-running-operation poller: one small state machine that applies the rules of
//! Microsoft's Python `ARMPolling` and Go `runtime.Poller`.
//!
//! azure_core's own `Poller` is not used: it panics below a 1 s polling frequency and a failed
//! operation loses its error body ("poller completed without defining a target").
//!
//! # States
//!
//! ```text
//!             send initial request
//!                     │
//!   200/201/204 without polling header ──► Done(body; none for 204)
//!   200/201/204 with a polling header  ──► properties.provisioningState terminal?
//!                     │                      Succeeded ──► Done(body)
//!                     │                      Failed/Canceled ──► Err(HttpResponse)
//!                     │                      absent or running ──► Polling (as for 202)
//!   202 ──► Azure-AsyncOperation? ──► Polling(StatusMonitor)
//!           else Location?        ──► Polling(Location)
//!           else                  ──► Err("neither header")
//!   other status ──► Err(HttpResponse with the CloudError body)
//!
//!   Polling: wait (Retry-After, retry-after-ms, x-ms-retry-after-ms, else the default delay;
//!            0 = at once), then GET the poll URL through the pipeline (auth, retry).
//!     StatusMonitor: body {"status": ...} compared case-insensitively
//!        Succeeded ──► Final
//!        Failed / Canceled / Cancelled ──► Err(HttpResponse with the monitor body)
//!        anything else ──► Polling
//!        non-2xx status (after the pipeline's retries) ──► Err(HttpResponse)
//!     Location: 202 ──► Polling (following a new Location header if one is sent)
//!               200/201 ──► Done(body)      204 ──► Done(no body)
//!               any other status ──► Err(HttpResponse)
//!
//!   Final (status monitor only), by final-state-via:
//!     location               ──► GET the initial response's Location; none ──► Done(no body)
//!     azure-async-operation  ──► Done(the monitor's body)
//!     original-uri           ──► GET the original URL
//!     PUT and PATCH always end with the resource: GET the original URL when there is no
//!     Location to follow (both Microsoft SDKs do this).
//! ```
//!
//! Relative poll URLs are resolved against the URL of the request whose response carried
//! them. Every URL the poller is about to request — poll URLs and the final-state URL — must be
//! `https` on the endpoint's host and port (the bearer token rides on every poll); anything
//! else is refused before a request is built or a token fetched. Poll URLs are used as given,
//! query included: no `api-version` is added.

use crate::{
    ArmPipeline,
    body::Decode,
    error::{http_error, service_error},
    pipeline::new_request,
};
use azure_core::{
    Bytes, Error, Result,
    error::ErrorKind,
    http::{
        Context, Method, RawResponse, StatusCode, Url,
        headers::{HeaderName, Headers, RETRY_AFTER},
    },
    time::{OffsetDateTime, parse_rfc7231},
};
use serde::{Deserialize, Serialize};
use std::{
    fmt,
    future::{Future, IntoFuture, poll_fn},
    pin::{Pin, pin},
    str::FromStr,
    sync::Arc,
    task::Poll,
    time::Duration,
};

const AZURE_ASYNC_OPERATION: HeaderName = HeaderName::from_static("azure-asyncoperation");
const LOCATION: HeaderName = HeaderName::from_static("location");
const RETRY_AFTER_MS: HeaderName = HeaderName::from_static("retry-after-ms");
const X_MS_RETRY_AFTER_MS: HeaderName = HeaderName::from_static("x-ms-retry-after-ms");

/// The initial request of a long-running operation.
///
/// Its `Debug` output shows the body's length only: request bodies may hold passwords.
#[derive(Clone)]
pub struct LongRunningRequest {
    /// The HTTP method (`POST` for grant/revoke access).
    pub method: Method,
    /// The operation's URL, usually built with [`ArmPipeline::url`].
    pub url: Url,
    /// The JSON body, if the operation takes one (see [`json_body`](crate::json_body)).
    pub body: Option<Bytes>,
    /// Where the result is once the operation succeeded (`x-ms-long-running-operation-options`).
    pub final_state_via: FinalStateVia,
}

impl fmt::Debug for LongRunningRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LongRunningRequest")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .field("final_state_via", &self.final_state_via)
            .finish()
    }
}

/// Where the final result of a long-running operation is, from the spec's
/// `x-ms-long-running-operation-options.final-state-via`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FinalStateVia {
    /// `location`: GET the `Location` URL of the initial response.
    Location,
    /// `azure-async-operation`: the status monitor's own body.
    AzureAsyncOperation,
    /// `original-uri`: GET the URL of the initial request.
    OriginalUri,
}

impl FinalStateVia {
    /// The value as written in the spec: `location`, `azure-async-operation`, `original-uri`.
    pub fn as_str(&self) -> &'static str {
        match self {
            FinalStateVia::Location => "location",
            FinalStateVia::AzureAsyncOperation => "azure-async-operation",
            FinalStateVia::OriginalUri => "original-uri",
        }
    }
}

impl FromStr for FinalStateVia {
    type Err = Error;

    /// Parses the spec's spelling (case-insensitive).
    fn from_str(value: &str) -> Result<Self> {
        [
            FinalStateVia::Location,
            FinalStateVia::AzureAsyncOperation,
            FinalStateVia::OriginalUri,
        ]
        .into_iter()
        .find(|candidate| candidate.as_str().eq_ignore_ascii_case(value))
        .ok_or_else(|| {
            Error::with_message(
                ErrorKind::DataConversion,
                "unknown final-state-via (expected location, azure-async-operation or original-uri)",
            )
        })
    }
}

/// What the poller polls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum PollKind {
    /// The `Azure-AsyncOperation` status monitor.
    StatusMonitor,
    /// The `Location` URL.
    Location,
}

/// The poll state of a running operation, serialisable so that another process can continue
/// polling with [`ArmPipeline::resume_long_running`]. Obtain one from
/// [`Progress::resume_token`].
///
/// It holds URLs whose query may carry service tokens: store it like a credential. Its `Debug`
/// output leaves the queries out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumeToken {
    kind: PollKind,
    method: String,
    original_url: String,
    final_state_via: FinalStateVia,
    poll_url: String,
    location_url: Option<String>,
}

impl fmt::Debug for ResumeToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResumeToken")
            .field("kind", &self.kind)
            .field("method", &self.method)
            .field("original_url", &without_query(&self.original_url))
            .field("final_state_via", &self.final_state_via)
            .field("poll_url", &without_query(&self.poll_url))
            .field(
                "location_url",
                &self.location_url.as_deref().map(without_query),
            )
            .finish()
    }
}

fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// An intermediate status of a long-running operation, reported to
/// [`ArmPoller::on_progress`] after each response that leaves it running or ends it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Progress {
    /// The operation status as the service spelled it (`InProgress`, `Succeeded`, ...). For
    /// `Location` polling, where the service only answers with HTTP statuses, `InProgress` for
    /// 202 and `Succeeded` for 200/201/204.
    pub status: String,
    /// The HTTP status of the response that reported it.
    pub http_status: StatusCode,
    /// Where polling stands, to continue elsewhere.
    pub resume_token: ResumeToken,
}

type ProgressCallback = Arc<dyn Fn(&Progress) + Send + Sync>;

/// A long-running operation that has not started yet: await it (it is
/// `IntoFuture<Output = azure_core::Result<T>>`, and the future is `Send`) to send the initial
/// request and poll until the operation ends. Dropping the future cancels polling.
///
/// A failed or canceled operation, or an error status while polling, is an error of kind
/// `ErrorKind::HttpResponse` carrying the service's response:
/// [`error_body`](crate::error_body) recovers the `CloudError`.
#[must_use = "an ArmPoller does nothing until it is awaited"]
pub struct ArmPoller<T> {
    pipeline: ArmPipeline,
    start: Start,
    context: Context<'static>,
    decode: Decode<T>,
    default_delay: Duration,
    timeout: Option<Duration>,
    on_progress: Option<ProgressCallback>,
}

enum Start {
    Initial(LongRunningRequest),
    Resume(ResumeToken),
}

impl<T> fmt::Debug for ArmPoller<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let start = match &self.start {
            Start::Initial(_) => "initial request",
            Start::Resume(_) => "resume token",
        };
        f.debug_struct("ArmPoller")
            .field("start", &start)
            .field("default_delay", &self.default_delay)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<T> ArmPoller<T> {
    pub(crate) fn new(
        pipeline: ArmPipeline,
        request: LongRunningRequest,
        context: Context<'static>,
        decode: Decode<T>,
    ) -> Self {
        Self::with_start(pipeline, Start::Initial(request), context, decode)
    }

    pub(crate) fn resume(
        pipeline: ArmPipeline,
        token: ResumeToken,
        context: Context<'static>,
        decode: Decode<T>,
    ) -> Self {
        Self::with_start(pipeline, Start::Resume(token), context, decode)
    }

    fn with_start(
        pipeline: ArmPipeline,
        start: Start,
        context: Context<'static>,
        decode: Decode<T>,
    ) -> Self {
        let polling = pipeline.polling_options().clone();
        Self {
            pipeline,
            start,
            context,
            decode,
            default_delay: polling.default_delay,
            timeout: polling.timeout,
            on_progress: None,
        }
    }

    /// Bounds the whole operation (initial request, polls, final GET): when `timeout` passes
    /// first, the future ends with an error saying how long it waited (its source is an
    /// `std::io::Error` of kind `TimedOut`).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The delay between polls when the service sends no Retry-After.
    pub fn with_default_delay(mut self, delay: Duration) -> Self {
        self.default_delay = delay;
        self
    }

    /// Calls `callback` with every intermediate status (and the resume token) while the
    /// operation runs. The callback runs inside the poller's future: keep it short.
    pub fn on_progress(mut self, callback: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(callback));
        self
    }
}

impl<T: Send + 'static> IntoFuture for ArmPoller<T> {
    type Output = Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            match self.timeout {
                None => self.run().await,
                Some(limit) => with_deadline(self.run(), limit).await,
            }
        })
    }
}

impl<T: Send + 'static> ArmPoller<T> {
    async fn run(self) -> Result<T> {
        let ArmPoller {
            pipeline,
            start,
            context,
            decode,
            default_delay,
            on_progress,
            ..
        } = self;
        let driver = Driver {
            pipeline,
            context,
            default_delay,
            on_progress,
        };
        let body = match start {
            Start::Initial(request) => match driver.initial(request).await? {
                Initial::Done(body) => body,
                Initial::Poll(state, delay) => driver.poll_until_done(*state, delay).await?,
            },
            Start::Resume(token) => {
                let state = driver.state_from_token(token)?;
                driver.poll_until_done(state, Some(Duration::ZERO)).await?
            }
        };
        decode(body)
    }
}

/// Races `future` against a timer of `limit`.
async fn with_deadline<T>(future: impl Future<Output = Result<T>>, limit: Duration) -> Result<T> {
    let mut future = pin!(future);
    let mut timer = pin!(azure_core::sleep(to_sleep_duration(limit)));
    poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(output);
        }
        if timer.as_mut().poll(cx).is_ready() {
            let message = format!("the long-running operation did not finish within {limit:?}");
            return Poll::Ready(Err(Error::with_error(
                ErrorKind::Other,
                std::io::Error::new(std::io::ErrorKind::TimedOut, message.clone()),
                message,
            )));
        }
        Poll::Pending
    })
    .await
}

fn to_sleep_duration(duration: Duration) -> azure_core::time::Duration {
    azure_core::time::Duration::try_from(duration).unwrap_or(azure_core::time::Duration::MAX)
}

/// Where polling stands.
#[derive(Clone, Debug)]
struct PollState {
    kind: PollKind,
    method: Method,
    original_url: Url,
    final_state_via: FinalStateVia,
    poll_url: Url,
    /// The initial response's Location, for final-state-via location.
    location_url: Option<Url>,
}

impl PollState {
    /// The URL of the final GET after a status monitor said Succeeded; `None` when the result
    /// is the monitor's body (azure-async-operation) or there is none (location without a
    /// Location header).
    fn final_get_url(&self) -> Option<&Url> {
        if self.kind != PollKind::StatusMonitor {
            return None;
        }
        let resource_method = matches!(self.method, Method::Put | Method::Patch);
        match self.final_state_via {
            FinalStateVia::Location => self
                .location_url
                .as_ref()
                .or(resource_method.then_some(&self.original_url)),
            FinalStateVia::OriginalUri => Some(&self.original_url),
            FinalStateVia::AzureAsyncOperation => resource_method.then_some(&self.original_url),
        }
    }

    fn resume_token(&self) -> ResumeToken {
        ResumeToken {
            kind: self.kind,
            method: self.method.to_string(),
            original_url: self.original_url.to_string(),
            final_state_via: self.final_state_via,
            poll_url: self.poll_url.to_string(),
            location_url: self.location_url.as_ref().map(Url::to_string),
        }
    }
}

enum Initial {
    Done(Bytes),
    Poll(Box<PollState>, Option<Duration>),
}

struct Driver {
    pipeline: ArmPipeline,
    context: Context<'static>,
    default_delay: Duration,
    on_progress: Option<ProgressCallback>,
}

impl Driver {
    async fn initial(&self, request: LongRunningRequest) -> Result<Initial> {
        let LongRunningRequest {
            method,
            url,
            body,
            final_state_via,
        } = request;
        let mut http_request = new_request(method, url.clone(), body);
        let response = self
            .pipeline
            .send_raw(&self.context, &mut http_request)
            .await?;
        let status = response.status();
        let mut reported = "InProgress".to_owned();
        match u16::from(status) {
            202 => {}
            200 | 201 | 204 => {
                let headers = response.headers();
                if header_value(headers, &AZURE_ASYNC_OPERATION).is_none()
                    && header_value(headers, &LOCATION).is_none()
                {
                    return Ok(Initial::Done(final_body(response)));
                }
                // A polling header on a 200/201/204 still means "poll" (Python and Go agree),
                // unless the resource body already says the operation is over (Go's rule,
                // which saves a round trip).
                if let Some(state) = provisioning_state(response.body()) {
                    if is_succeeded(&state) {
                        return Ok(Initial::Done(final_body(response)));
                    }
                    if is_failed(&state) || is_canceled(&state) {
                        return Err(operation_failed(&state, response));
                    }
                    reported = state;
                }
            }
            _ => {
                return Err(http_error(
                    "the long-running operation's initial request failed",
                    response,
                ));
            }
        }

        let headers = response.headers();
        let async_url = header_url(
            headers,
            &AZURE_ASYNC_OPERATION,
            &url,
            "Azure-AsyncOperation",
        );
        let location = header_url(headers, &LOCATION, &url, "Location");
        let (kind, poll_url, location_url) = match async_url? {
            Some(async_url) => {
                // The initial Location matters only as a final-state URL; a malformed one is
                // an error only if it is going to be used.
                let location = if final_state_via == FinalStateVia::Location {
                    location?
                } else {
                    location.ok().flatten()
                };
                (PollKind::StatusMonitor, async_url, location)
            }
            None => match location? {
                Some(location) => (PollKind::Location, location, None),
                None => {
                    return Err(Error::with_message(
                        ErrorKind::Other,
                        format!(
                            "the long-running operation was accepted (HTTP {status}) but the response has neither an Azure-AsyncOperation nor a Location header to poll"
                        ),
                    ));
                }
            },
        };
        let state = PollState {
            kind,
            method,
            original_url: url,
            final_state_via,
            poll_url,
            location_url,
        };
        self.check_state(&state)?;
        self.report(&state, reported, status);
        Ok(Initial::Poll(Box::new(state), retry_after(headers, now())))
    }

    fn state_from_token(&self, token: ResumeToken) -> Result<PollState> {
        let parse = |url: &str| {
            Url::parse(url).map_err(|_| {
                Error::with_message(
                    ErrorKind::DataConversion,
                    "the resume token holds an invalid URL",
                )
            })
        };
        let method = Method::from_str(&token.method).map_err(|_| {
            Error::with_message(
                ErrorKind::DataConversion,
                "the resume token holds an invalid method",
            )
        })?;
        let state = PollState {
            kind: token.kind,
            method,
            original_url: parse(&token.original_url)?,
            final_state_via: token.final_state_via,
            poll_url: parse(&token.poll_url)?,
            location_url: token.location_url.as_deref().map(parse).transpose()?,
        };
        self.check_state(&state)?;
        Ok(state)
    }

    /// Refuses the state if the poll URL or the final-state URL may not be followed.
    fn check_state(&self, state: &PollState) -> Result<()> {
        let header = match state.kind {
            PollKind::StatusMonitor => "Azure-AsyncOperation",
            PollKind::Location => "Location",
        };
        self.check_followable(&state.poll_url, header)?;
        if let Some(final_url) = state.final_get_url() {
            self.check_followable(final_url, "final-state")?;
        }
        Ok(())
    }

    /// Only `https` URLs on the endpoint's host and port get the bearer token.
    fn check_followable(&self, url: &Url, which: &str) -> Result<()> {
        let endpoint = self.pipeline.endpoint();
        let problem = if url.scheme() != "https" {
            Some("it is not https")
        } else if !url.username().is_empty() || url.password().is_some() {
            Some("it carries user credentials")
        } else if url.host_str() != endpoint.host_str()
            || url.port_or_known_default() != endpoint.port_or_known_default()
        {
            Some("it is not on the endpoint's host and port")
        } else {
            None
        };
        match problem {
            None => Ok(()),
            Some(problem) => Err(Error::with_message(
                ErrorKind::Other,
                format!(
                    "refusing to follow the {which} URL of the long-running operation: {problem}"
                ),
            )),
        }
    }

    async fn poll_until_done(
        &self,
        mut state: PollState,
        mut delay: Option<Duration>,
    ) -> Result<Bytes> {
        loop {
            let wait = delay.unwrap_or(self.default_delay);
            if !wait.is_zero() {
                azure_core::sleep(to_sleep_duration(wait)).await;
            }
            let response = self.get(&state.poll_url).await?;
            let status = response.status();
            match state.kind {
                PollKind::StatusMonitor => {
                    if !matches!(u16::from(status), 200 | 201 | 202 | 204) {
                        return Err(http_error(
                            "polling the long-running operation's status failed",
                            response,
                        ));
                    }
                    let operation_status = monitor_status(response.body())?;
                    self.report(&state, operation_status.clone(), status);
                    if is_succeeded(&operation_status) {
                        return self.final_result(&state, response).await;
                    }
                    if is_failed(&operation_status) || is_canceled(&operation_status) {
                        return Err(operation_failed(&operation_status, response));
                    }
                }
                PollKind::Location => match u16::from(status) {
                    202 => {
                        // Location polling may hand out the next URL to poll.
                        if let Some(next) =
                            header_url(response.headers(), &LOCATION, &state.poll_url, "Location")?
                        {
                            self.check_followable(&next, "Location")?;
                            state.poll_url = next;
                        }
                        self.report(&state, "InProgress".to_owned(), status);
                    }
                    200 | 201 | 204 => {
                        self.report(&state, "Succeeded".to_owned(), status);
                        return Ok(final_body(response));
                    }
                    _ => {
                        return Err(http_error(
                            "the long-running operation failed while polling its Location",
                            response,
                        ));
                    }
                },
            }
            delay = retry_after(response.headers(), now());
        }
    }

    /// After the status monitor said Succeeded: the result per final-state-via.
    async fn final_result(&self, state: &PollState, monitor: RawResponse) -> Result<Bytes> {
        let Some(url) = state.final_get_url() else {
            return Ok(match state.final_state_via {
                FinalStateVia::AzureAsyncOperation => final_body(monitor),
                // final-state-via location without a Location header: no result body.
                _ => Bytes::new(),
            });
        };
        // Already checked when polling began; checked again right before the request.
        self.check_followable(url, "final-state")?;
        let response = self.get(url).await?;
        match u16::from(response.status()) {
            200 | 201 | 202 | 204 => Ok(final_body(response)),
            _ => Err(http_error(
                "fetching the long-running operation's result failed",
                response,
            )),
        }
    }

    /// GET with `Accept: application/json`, no body, no Content-Type, the URL untouched.
    async fn get(&self, url: &Url) -> Result<RawResponse> {
        let mut request = new_request(Method::Get, url.clone(), None);
        self.pipeline.send_raw(&self.context, &mut request).await
    }

    fn report(&self, state: &PollState, status: String, http_status: StatusCode) {
        if let Some(callback) = &self.on_progress {
            callback(&Progress {
                status,
                http_status,
                resume_token: state.resume_token(),
            });
        }
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// The body as the result: none for 204.
fn final_body(response: RawResponse) -> Bytes {
    if response.status() == StatusCode::NoContent {
        Bytes::new()
    } else {
        Bytes::from(response.into_body())
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
            base.join(value).map_err(|_| {
                Error::with_message(
                    ErrorKind::DataConversion,
                    format!(
                        "the {display} header of the long-running operation is not a valid URL"
                    ),
                )
            })
        })
        .transpose()
}

/// How long to wait before the next poll, if the response says: `x-ms-retry-after-ms`,
/// `retry-after-ms` (milliseconds), then `Retry-After` (seconds or an HTTP date). Values that
/// do not parse are ignored; a date in the past means at once.
fn retry_after(headers: &Headers, now: OffsetDateTime) -> Option<Duration> {
    for name in [&X_MS_RETRY_AFTER_MS, &RETRY_AFTER_MS] {
        if let Some(millis) = header_value(headers, name).and_then(parse_non_negative) {
            return Some(millis / 1000);
        }
    }
    let value = header_value(headers, &RETRY_AFTER)?;
    if let Some(seconds) = parse_non_negative(value) {
        return Some(seconds);
    }
    let date = parse_rfc7231(value).ok()?;
    Some(if date > now {
        Duration::try_from(date - now).unwrap_or(Duration::ZERO)
    } else {
        Duration::ZERO
    })
}

/// A non-negative number of seconds (integer or decimal) as a duration. For milliseconds the
/// caller divides by 1000.
fn parse_non_negative(value: &str) -> Option<Duration> {
    if let Ok(whole) = value.parse::<u64>() {
        return Some(Duration::from_secs(whole));
    }
    let number = value.parse::<f64>().ok()?;
    if number.is_finite() && number >= 0.0 {
        Duration::try_from_secs_f64(number).ok()
    } else {
        None
    }
}

fn is_succeeded(status: &str) -> bool {
    status.eq_ignore_ascii_case("succeeded")
}

fn is_failed(status: &str) -> bool {
    status.eq_ignore_ascii_case("failed")
}

fn is_canceled(status: &str) -> bool {
    status.eq_ignore_ascii_case("canceled") || status.eq_ignore_ascii_case("cancelled")
}

/// `status` of a status-monitor body.
fn monitor_status(body: &[u8]) -> Result<String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::with_message(
            ErrorKind::DataConversion,
            "the long-running operation's status monitor answered without a body",
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        Error::with_message(
            ErrorKind::DataConversion,
            "the long-running operation's status monitor answered with a body that is not JSON",
        )
    })?;
    value
        .get("status")
        .and_then(serde_json::Value::as_str)
        .filter(|status| !status.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::with_message(
                ErrorKind::DataConversion,
                "the long-running operation's status monitor answered without a `status`",
            )
        })
}

/// `properties.provisioningState` of a resource body, if any.
fn provisioning_state(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value
        .get("properties")?
        .get("provisioningState")?
        .as_str()
        .filter(|state| !state.is_empty())
        .map(str::to_owned)
}

/// The error of an operation that ended Failed or Canceled: `ErrorKind::HttpResponse` with the
/// response that said so, whose body (`{"status": "Failed", "error": {...}}`) deserializes as
/// `CloudError`.
fn operation_failed(operation_status: &str, raw: RawResponse) -> Error {
    let verb = if is_canceled(operation_status) {
        "was canceled"
    } else {
        "failed"
    };
    service_error(format!("the long-running operation {verb}"), raw)
}
