//! The options of an operation that has no optional parameters of its own.
//!
//! Most ARM operations have none, and a struct of their own per operation (with its
//! `Clone`, `Debug` and `Default`) was all the same code, compiled once per operation. Such
//! operations' options are aliases of these two types instead (`DisksGetOptions<'a>` is
//! `CallOptions<'a>`), so struct literals, `Default::default()` and field access read the
//! same as for an operation's own options struct.

use std::time::Duration;

use azure_core::http::{ClientMethodOptions, poller::PollerOptions};

/// Options of a call with no optional parameters of its own.
#[derive(Clone, Debug, Default)]
pub struct CallOptions<'a> {
    /// The call's context: cancellation, tracing and per-call policies.
    pub method_options: ClientMethodOptions<'a>,
}

/// Options of a long-running operation with no optional parameters of its own.
#[derive(Clone, Debug, Default)]
pub struct LongRunningOptions<'a> {
    /// The call's context (cancellation, tracing, per-call policies) and the delay
    /// between polls when the service gives none (`frequency`, 30 s by default).
    pub method_options: PollerOptions<'a>,
    /// The longest the whole operation may take; `None` for the client's
    /// [`PollingOptions::timeout`](crate::PollingOptions::timeout).
    pub timeout: Option<Duration>,
}
