//! The caller's bound on a whole operation: initial request, every wait, every poll and the
//! final GET. One timer runs from the first request to the bound, on azure_core's async
//! runtime clock; every step races it. A wait the service asks for that would end past the
//! bound ends the operation at once with the timeout error rather than sleeping past it.

use super::delay::to_core;
use azure_core::{Error, Result, error::ErrorKind};
use std::{
    fmt,
    future::{Future, poll_fn},
    pin::{Pin, pin},
    sync::{Arc, Mutex, PoisonError},
    task::Poll,
    time::{Duration, Instant},
};

/// The running timer; `None` once it fired (an `async fn` future must not be polled again).
type Timer = Option<Pin<Box<dyn Future<Output = ()> + Send>>>;

/// When the operation must be over. Clones share one timer.
#[derive(Clone)]
pub(crate) struct Deadline {
    bound: Option<Bound>,
}

#[derive(Clone)]
struct Bound {
    limit: Duration,
    started: Instant,
    timer: Arc<Mutex<Timer>>,
}

impl fmt::Debug for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deadline")
            .field("limit", &self.bound.as_ref().map(|bound| bound.limit))
            .finish()
    }
}

impl Deadline {
    /// Starts the clock now; `None` = unbounded.
    pub(crate) fn start(limit: Option<Duration>) -> Self {
        Self {
            bound: limit.map(|limit| Bound {
                limit,
                started: Instant::now(),
                timer: Arc::new(Mutex::new(Some(Box::pin(azure_core::sleep(to_core(
                    limit,
                )))))),
            }),
        }
    }

    /// Refuses a wait that would end past the bound.
    pub(crate) fn check_wait(&self, wait: Duration) -> Result<()> {
        match &self.bound {
            Some(bound) if wait > bound.limit.saturating_sub(bound.started.elapsed()) => {
                Err(timed_out(bound.limit))
            }
            _ => Ok(()),
        }
    }

    /// Runs `future`, ending it with the timeout error when the bound passes first.
    pub(crate) async fn run<T>(&self, future: impl Future<Output = Result<T>>) -> Result<T> {
        let Some(bound) = &self.bound else {
            return future.await;
        };
        let mut future = pin!(future);
        poll_fn(|cx| {
            if let Poll::Ready(output) = future.as_mut().poll(cx) {
                // The retry policy wraps an error a policy returned (ThrottleBound's timeout)
                // in its own message: give the caller the timeout error itself.
                return Poll::Ready(output.map_err(|error| {
                    if is_timeout(&error) {
                        timed_out(bound.limit)
                    } else {
                        error
                    }
                }));
            }
            let mut timer = bound.timer.lock().unwrap_or_else(PoisonError::into_inner);
            let fired = match timer.as_mut() {
                Some(running) => running.as_mut().poll(cx).is_ready(),
                None => true,
            };
            if fired {
                *timer = None;
                return Poll::Ready(Err(timed_out(bound.limit)));
            }
            Poll::Pending
        })
        .await
    }
}

/// Whether `error` is, or wraps, the timeout error.
fn is_timeout(error: &Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if let Some(io) = current.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
            && io.to_string().starts_with(TIMEOUT_MESSAGE)
        {
            return true;
        }
        source = current.source();
    }
    false
}

const TIMEOUT_MESSAGE: &str = "the long-running operation did not finish within";

/// The timeout error: says how long the bound was; its source is an `std::io::Error` of kind
/// `TimedOut`, so callers can tell it from the service's errors.
pub(crate) fn timed_out(limit: Duration) -> Error {
    let message = format!("{TIMEOUT_MESSAGE} {limit:?}");
    Error::with_error(
        ErrorKind::Other,
        std::io::Error::new(std::io::ErrorKind::TimedOut, message.clone()),
        message,
    )
}
