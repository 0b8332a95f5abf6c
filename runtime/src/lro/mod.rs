//! Long-running operations as azure_core's own [`Poller`]: awaiting it gives the final
//! `Response<T>`, streaming it (`try_next`) gives each intermediate status.
//!
//! The ARM rules live in [`machine`] (pure, unit-tested), the delays in [`delay`], the
//! caller's bound in [`deadline`], the JSON the rules read in [`probe`], the resume token in
//! [`token`]; this module only drives them through the pipeline behind azure_core's
//! `Poller::new` callback.
//!
//! Two things azure_core's `Poller` cannot express, and how they are handled:
//! - `Poller::new` panics below a 1 s frequency; tests (and callers) may want less. The
//!   frequency the caller asked for is used by this driver; azure_core only receives a copy
//!   raised to its minimum, which it never uses.
//! - azure_core sleeps between polls outside the callback, where the caller's bound cannot
//!   interrupt it. The driver returns a zero `retry_after` and waits itself at the start of
//!   the next step, racing the bound (so a stream also sees each status as soon as it
//!   arrives).
//! - A failed operation ending the stream with `PollerResult::Done` loses its error body
//!   ("poller completed without defining a target"). Here a failed or canceled operation ends
//!   with `PollerResult::Succeeded` whose target is the typed error: the stream yields the
//!   response that said so (an error status makes azure_core's stream yield an
//!   `HttpResponse` error with the service's body), and awaiting the poller — before or after
//!   streaming — gives the error carrying the service's `CloudError` and HTTP status.
//!   Errors without a response (invalid JSON, a refused URL, the timeout) end the stream with
//!   that error; awaiting a poller after its stream ended that way gives azure_core's
//!   "poller completed without defining a target".

pub(crate) mod deadline;
pub(crate) mod delay;
mod machine;
mod probe;
mod token;

#[cfg(test)]
mod tests;

pub use token::ResumeToken;

use crate::{
    ArmPipeline,
    error::{http_error, service_error},
    pipeline::ArmRequest,
    typed::{Typed, Untyped},
};
use azure_core::{
    Bytes, Error, Result,
    error::ErrorKind,
    http::{
        Context, Format, JsonFormat, Method, Poller, RawResponse, Response, Url,
        poller::{PollerContinuation, PollerOptions, PollerResult, PollerStatus, StatusMonitor},
    },
};
use deadline::Deadline;
use machine::{PollState, ResultFrom, Step};
use serde::{Deserialize, Serialize};
use std::{
    fmt,
    future::Future,
    marker::PhantomData,
    pin::Pin,
    str::FromStr,
    sync::{Arc, Mutex, OnceLock, PoisonError},
    time::Duration,
};

/// Where the final result of a long-running operation is, from the spec's
/// `x-ms-long-running-operation-options.final-state-via`. An operation without one uses the
/// method's default (see the crate docs' table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FinalStateVia {
    /// `location`: GET the `Location` URL of the initial response.
    Location,
    /// `azure-async-operation`: the status monitor's own body (POST), or GET the original URL
    /// (PUT, PATCH).
    AzureAsyncOperation,
    /// `original-uri`: GET the URL of the initial request.
    OriginalUri,
    /// `operation-location`: GET the monitor's `resourceLocation`, else its body.
    OperationLocation,
}

impl FinalStateVia {
    const ALL: [FinalStateVia; 4] = [
        FinalStateVia::Location,
        FinalStateVia::AzureAsyncOperation,
        FinalStateVia::OriginalUri,
        FinalStateVia::OperationLocation,
    ];

    /// The value as written in the spec.
    pub fn as_str(&self) -> &'static str {
        match self {
            FinalStateVia::Location => "location",
            FinalStateVia::AzureAsyncOperation => "azure-async-operation",
            FinalStateVia::OriginalUri => "original-uri",
            FinalStateVia::OperationLocation => "operation-location",
        }
    }
}

impl FromStr for FinalStateVia {
    type Err = Error;

    /// Parses the spec's spelling (case-insensitive).
    fn from_str(value: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|candidate| candidate.as_str().eq_ignore_ascii_case(value))
            .ok_or_else(|| {
                Error::with_message(
                    ErrorKind::DataConversion,
                    "unknown final-state-via (expected location, azure-async-operation, original-uri or operation-location)",
                )
            })
    }
}

/// The initial request of a long-running operation.
#[derive(Debug)]
pub struct LongRunningRequest {
    /// The spec's operationId: resume tokens are bound to it.
    pub operation: &'static str,
    /// The request (method, URL, headers, body).
    pub request: ArmRequest,
    /// Where the result is once the operation succeeded; `None` = the method's default.
    pub final_state_via: Option<FinalStateVia>,
}

/// How one call polls: azure_core's [`PollerOptions`] (context, and the delay between polls
/// when the service gives none) and the bound on the whole operation.
#[derive(Clone, Debug, Default)]
pub struct PollSettings<'a> {
    /// Context and default delay (`frequency`, 30 s unless set).
    pub options: PollerOptions<'a>,
    /// The longest the whole operation may take; `None` = the client's
    /// [`PollingOptions::timeout`](crate::PollingOptions::timeout).
    pub timeout: Option<Duration>,
}

/// One status of a running long-running operation: what a [`Poller`]'s stream yields.
///
/// The stream's responses keep the service's HTTP status and headers; their body is this
/// status document (`{"status": ..., "resumeToken": ...}`), because ARM's intermediate
/// responses have no common shape (a status monitor, a bare 202, the resource itself). A
/// response with an error status is yielded as the service sent it, and azure_core's stream
/// turns it into an `HttpResponse` error.
pub struct OperationStatus<T, F = JsonFormat> {
    status: String,
    resume_token: Option<ResumeToken>,
    marker: PhantomData<fn() -> (T, F)>,
}

impl<T, F> OperationStatus<T, F> {
    /// The status as the service spelled it (`InProgress`, `Creating`, `Succeeded`, ...). For
    /// `Location` polling, where the service only answers with HTTP statuses: `InProgress`
    /// for 202, `Succeeded` for 200/201/204.
    pub fn status_text(&self) -> &str {
        &self.status
    }

    /// Where polling stands, to continue elsewhere; `None` once the operation ended.
    pub fn resume_token(&self) -> Option<&ResumeToken> {
        self.resume_token.as_ref()
    }
}

impl<T, F> fmt::Debug for OperationStatus<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationStatus")
            .field("status", &self.status)
            .field("resume_token", &self.resume_token)
            .finish()
    }
}

#[derive(Serialize, Deserialize)]
struct StatusDocument {
    status: String,
    #[serde(
        default,
        rename = "resumeToken",
        skip_serializing_if = "Option::is_none"
    )]
    resume_token: Option<ResumeToken>,
}

impl<'de, T, F> Deserialize<'de> for OperationStatus<T, F> {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let document = StatusDocument::deserialize(deserializer)?;
        Ok(Self {
            status: document.status,
            resume_token: document.resume_token,
            marker: PhantomData,
        })
    }
}

impl<T, F: Format + Send> StatusMonitor for OperationStatus<T, F> {
    type Output = T;
    type Format = F;

    fn status(&self) -> PollerStatus {
        probe::status(&self.status)
    }
}

/// The poller a long-running method returns.
pub type ArmPoller<T, F = JsonFormat> = Poller<OperationStatus<T, F>>;

type Target<T, F> = Pin<Box<dyn Future<Output = Result<Response<T, F>>> + Send>>;

/// The final response of an operation, typed only where [`poller`]
/// hands it to azure_core.
type RawTarget = Untyped<'static, RawResponse>;

/// One step's result before it is typed: the driver's work is the same for every result
/// type, so it is compiled once instead of once per long-running method's model (it was
/// the largest part of the generated crate's `cargo build`, BENCHMARKS.md); only this
/// conversion is generic.
enum Outcome {
    /// The status response to yield, and the URL polled next.
    Running { status: RawResponse, next_link: Url },
    /// The status response to yield, and the final response (or the operation's error).
    Ended {
        status: RawResponse,
        target: RawTarget,
    },
}

impl Outcome {
    fn typed<T, F>(self) -> PollerResult<OperationStatus<T, F>>
    where
        T: Send + 'static,
        F: Format + Send + 'static,
    {
        match self {
            Outcome::Running { status, next_link } => PollerResult::InProgress {
                response: status.into(),
                retry_after: azure_core::time::Duration::ZERO,
                continuation: PollerContinuation::Links {
                    next_link,
                    final_link: None,
                },
            },
            Outcome::Ended { status, target } => PollerResult::Succeeded {
                response: status.into(),
                target: Box::new(move || -> Target<T, F> {
                    Box::pin(Typed::new(target, Response::from))
                }),
            },
        }
    }
}

/// What the driver does next.
enum Phase {
    Start(LongRunningRequest),
    /// Wait this long, then poll.
    Poll(PollState, Duration),
    Finished,
}

struct Driver {
    pipeline: ArmPipeline,
    operation: &'static str,
    default_delay: Duration,
    timeout: Option<Duration>,
    deadline: OnceLock<Deadline>,
    phase: Mutex<Phase>,
}

impl ArmPipeline {
    /// Returns azure_core's [`Poller`] for a long-running operation; nothing is sent until it
    /// is awaited or streamed. See the crate docs for the rules it follows.
    pub fn begin_long_running<T, F>(
        &self,
        request: LongRunningRequest,
        settings: PollSettings<'_>,
    ) -> ArmPoller<T, F>
    where
        T: Send + 'static,
        F: Format + Send + 'static,
    {
        let (driver, options) = self.started_driver(request, settings);
        poller(driver, options)
    }

    /// Continues a long-running operation from a [`ResumeToken`] (taken from a status of its
    /// poller, possibly in another process): polling starts at once, with the same rules and
    /// checks. Fails when the token belongs to another operation or its URLs may not be
    /// followed.
    pub fn resume_long_running<T, F>(
        &self,
        operation: &'static str,
        api_name: Option<&'static str>,
        token: ResumeToken,
        settings: PollSettings<'_>,
    ) -> Result<ArmPoller<T, F>>
    where
        T: Send + 'static,
        F: Format + Send + 'static,
    {
        // A `match`, not `?` or `.map(..)`: no `From` conversion or closure to compile per
        // result type.
        match self.resumed_driver(operation, api_name, token, settings) {
            Ok((driver, options)) => Ok(poller(driver, options)),
            Err(error) => Err(error),
        }
    }

    /// The driver of an operation that starts with `request`.
    fn started_driver(
        &self,
        request: LongRunningRequest,
        settings: PollSettings<'_>,
    ) -> (Arc<Driver>, PollerOptions<'static>) {
        let operation = request.operation;
        let api_name = request.request.api_name;
        self.driver(operation, api_name, Phase::Start(request), settings)
    }

    /// The driver of an operation continued from `token`, once the token and its URLs are
    /// checked.
    fn resumed_driver(
        &self,
        operation: &'static str,
        api_name: Option<&'static str>,
        token: ResumeToken,
        settings: PollSettings<'_>,
    ) -> Result<(Arc<Driver>, PollerOptions<'static>)> {
        let state = token.into_state(operation)?;
        check_state(self, &state)?;
        let phase = Phase::Poll(state, Duration::ZERO);
        Ok(self.driver(operation, api_name, phase, settings))
    }

    /// The driver of one operation, and the options azure_core's poller gets.
    fn driver(
        &self,
        operation: &'static str,
        api_name: Option<&'static str>,
        phase: Phase,
        settings: PollSettings<'_>,
    ) -> (Arc<Driver>, PollerOptions<'static>) {
        let PollSettings { options, timeout } = settings;
        let default_delay = Duration::try_from(options.frequency).unwrap_or(Duration::ZERO);
        let driver = Arc::new(Driver {
            pipeline: self.clone(),
            operation,
            default_delay,
            timeout: timeout.or(self.polling_options().timeout),
            deadline: OnceLock::new(),
            phase: Mutex::new(phase),
        });
        // azure_core refuses frequencies below one second; it never uses this copy (every
        // in-progress step carries its own delay).
        let core_options = PollerOptions {
            frequency: options
                .frequency
                .max(azure_core::time::Duration::seconds(1)),
            context: self.instrument(options.context.into_owned(), api_name),
        };
        (driver, core_options)
    }
}

/// azure_core's poller over the driver's steps, each typed as it comes. This and
/// [`Outcome::typed`] are all that is compiled once per result type (with azure_core's own
/// poller); the driver's futures are boxed by non-generic functions, so that their state
/// machines are compiled here once and not in every crate that uses them.
fn poller<T, F>(driver: Arc<Driver>, options: PollerOptions<'static>) -> ArmPoller<T, F>
where
    T: Send + 'static,
    F: Format + Send + 'static,
{
    Poller::new(
        move |_, options: PollerOptions<'static>| {
            Box::pin(Typed::new(driver.next(options), Outcome::typed))
        },
        Some(options),
    )
}

impl Driver {
    /// The next step as a boxed future (see [`poller`]).
    fn next(self: &Arc<Self>, options: PollerOptions<'static>) -> Untyped<'static, Outcome> {
        Box::pin(self.clone().step(options.context))
    }

    fn phase(&self) -> std::sync::MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One callback of azure_core's poller: the next response, read by the rules.
    async fn step(self: Arc<Self>, context: Context<'static>) -> Result<Outcome> {
        let deadline = self
            .deadline
            .get_or_init(|| Deadline::start(self.timeout))
            .clone();
        // The deadline rides in the context so that ThrottleBound sees it inside the retry policy.
        let context = context.with_value(deadline.clone());
        let (raw, step, state) = self.fetch(&context, &deadline).await?;
        match step {
            Step::Running { status } => {
                let Some(state) = state else {
                    return Err(Error::with_message(
                        ErrorKind::Other,
                        "the long-running operation has nothing to poll",
                    ));
                };
                let delay = delay::poll_delay(raw.headers(), self.default_delay);
                deadline.check_wait(delay)?;
                let token = ResumeToken::new(self.operation, &state);
                let next_link = state.poll_url.clone();
                *self.phase() = Phase::Poll(state, delay);
                // The driver waits itself, at the start of the next step, so that the wait
                // races the caller's bound and the status is seen as soon as it arrives.
                Ok(Outcome::Running {
                    status: status_response(&raw, &status, Some(token)),
                    next_link,
                })
            }
            Step::Succeeded { status, result } => {
                let response = status_response(&raw, &status, None);
                let driver = self.clone();
                Ok(Outcome::Ended {
                    status: response,
                    target: Box::pin(
                        async move { driver.result(result, raw, context, deadline).await },
                    ),
                })
            }
            Step::Failed { status, what } => {
                // An error status is yielded as sent, so azure_core's stream turns it into an
                // HttpResponse error with the service's body; the future gets the same error.
                let response = if raw.status().is_success() {
                    status_response(&raw, &status, None)
                } else {
                    raw.clone()
                };
                let error = service_error(what, raw);
                Ok(Outcome::Ended {
                    status: response,
                    target: Box::pin(async move { Err(error) }),
                })
            }
        }
    }

    /// Sends the initial request or the next poll (after its wait), each raced against the
    /// bound, and reads the response by the rules.
    async fn fetch(
        &self,
        context: &Context<'static>,
        deadline: &Deadline,
    ) -> Result<(RawResponse, Step, Option<PollState>)> {
        let phase = std::mem::replace(&mut *self.phase(), Phase::Finished);
        match phase {
            Phase::Start(LongRunningRequest {
                request,
                final_state_via,
                ..
            }) => {
                let method = request.method;
                let url = request.url.clone();
                let raw = deadline
                    .run(self.pipeline.send_raw(context, request))
                    .await?;
                let initial = machine::Initial {
                    method: &method,
                    url: &url,
                    final_state_via,
                };
                let (step, state) = machine::initial(&initial, &raw)?;
                if let Some(state) = &state {
                    check_state(&self.pipeline, state)?;
                }
                Ok((raw, step, state))
            }
            Phase::Poll(mut state, wait) => {
                self.pipeline.check_followable(&state.poll_url, "poll")?;
                let poll = async {
                    if !wait.is_zero() {
                        azure_core::sleep(delay::to_core(wait)).await;
                    }
                    self.pipeline.get(context, &state.poll_url).await
                };
                let raw = deadline.run(poll).await?;
                let step = machine::poll(&mut state, &raw)?;
                Ok((raw, step, Some(state)))
            }
            Phase::Finished => Err(Error::with_message(
                ErrorKind::Other,
                "the long-running operation has already ended",
            )),
        }
    }

    /// The final response, per the rules' `ResultFrom`.
    async fn result(
        &self,
        result: ResultFrom,
        last: RawResponse,
        context: Context<'static>,
        deadline: Deadline,
    ) -> Result<RawResponse> {
        match result {
            ResultFrom::ThisResponse => Ok(last),
            ResultFrom::Nothing => {
                let (status, headers, _) = last.deconstruct();
                Ok(RawResponse::from_bytes(status, headers, Bytes::new()))
            }
            ResultFrom::Get(url) => {
                self.pipeline.check_followable(&url, "final-state")?;
                let response = deadline.run(self.pipeline.get(&context, &url)).await?;
                if matches!(u16::from(response.status()), 200 | 201 | 202 | 204) {
                    Ok(response)
                } else {
                    Err(http_error(
                        "fetching the long-running operation's result failed",
                        response,
                    ))
                }
            }
        }
    }
}

/// A stream item: the service's status and headers, and the status document as body.
fn status_response(
    raw: &RawResponse,
    status: &str,
    resume_token: Option<ResumeToken>,
) -> RawResponse {
    let document = StatusDocument {
        status: status.to_owned(),
        resume_token,
    };
    let body = serde_json::to_vec(&document).unwrap_or_default();
    RawResponse::from_bytes(raw.status(), raw.headers().clone(), body)
}

/// Refuses the state if its poll URL, or the initial Location it may GET at the end, may not
/// be followed.
fn check_state(pipeline: &ArmPipeline, state: &PollState) -> Result<()> {
    pipeline.check_followable(&state.poll_url, "poll")?;
    if let Some(location) = machine::known_final_url(state) {
        pipeline.check_followable(location, "Location")?;
    }
    pipeline.check_followable(&state.original_url, "original")
}

/// GET with `Accept: application/json`, no body, no Content-Type, the URL untouched.
impl ArmPipeline {
    pub(crate) async fn get(&self, context: &Context<'_>, url: &Url) -> Result<RawResponse> {
        self.send_raw(context, ArmRequest::new(Method::Get, url.clone()))
            .await
    }
}
