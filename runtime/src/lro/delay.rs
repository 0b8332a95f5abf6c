//! How long to wait before the next poll, and the cap on what a service may ask for.
//!
//! The service's hint is read with azure_core's own [`get_retry_after`] (so recorded-test
//! playback, which zeroes these headers, behaves as azure_core's pollers do) from
//! `retry-after-ms`, `x-ms-retry-after-ms` and `Retry-After` (seconds or an HTTP date), in
//! that order. Then the rules of the ARM polling guidance apply on top:
//!
//! - no hint, `0`, a negative value, a date in the past or garbage → the caller's default
//!   delay, so a service answering `Retry-After: 0` forever is not polled in a tight loop;
//! - a hint above [`MAX_SERVICE_DELAY`] (a date in the year 9999,
//!   `retry-after-ms: 99999999999999`) is capped to it.

use azure_core::http::{
    headers::{HeaderName, Headers, RETRY_AFTER, RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS},
    poller::{PollerOptions, get_retry_after},
};
use std::time::Duration;

/// The longest a service may make a client wait between two polls, or before retrying a
/// request answered 429/503: 10 minutes. Longer hints are capped to it.
pub const MAX_SERVICE_DELAY: Duration = Duration::from_secs(600);

/// The retry headers in the order they are consulted.
pub(crate) const RETRY_HEADERS: [HeaderName; 3] =
    [RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS, RETRY_AFTER];

/// The service's hint, capped to [`MAX_SERVICE_DELAY`]; `None` when there is no usable hint
/// (absent, zero, negative, past or garbage).
pub(crate) fn service_hint(headers: &Headers) -> Option<Duration> {
    // azure_core falls back to the options' frequency when no header parses; a zero
    // frequency makes "no usable hint" and "zero" the same answer, which is what we want.
    let options = PollerOptions {
        frequency: azure_core::time::Duration::ZERO,
        ..PollerOptions::default()
    };
    let hint = get_retry_after(headers, &RETRY_HEADERS, &options);
    if hint <= azure_core::time::Duration::ZERO {
        return None;
    }
    Some(
        Duration::try_from(hint)
            .unwrap_or(MAX_SERVICE_DELAY)
            .min(MAX_SERVICE_DELAY),
    )
}

/// The delay before the next poll: the service's usable hint, else `default`.
pub(crate) fn poll_delay(headers: &Headers, default: Duration) -> Duration {
    service_hint(headers).unwrap_or(default)
}

/// Converts for azure_core's sleep and poller APIs; durations too long for them saturate.
pub(crate) fn to_core(duration: Duration) -> azure_core::time::Duration {
    azure_core::time::Duration::try_from(duration).unwrap_or(azure_core::time::Duration::MAX)
}
