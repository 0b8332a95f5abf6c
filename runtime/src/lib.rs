//! Support crate for Azure Resource Manager clients generated from OpenAPI specs, on
//! `azure_core` 1.x.
//!
//! Generated code stays thin by leaning on this crate for everything that is the same for
//! every operation, and every operation kind answers with azure_core's own types:
//!
//! - [`ArmPipeline`]: one authenticated azure_core pipeline (bearer token for the Resource
//!   Manager scope of `ClientOptions::cloud`, the caller's retry/transport/policies,
//!   telemetry) plus the endpoint.
//! - [`ArmPipeline::request`]: one call's request from the operation's constants (API name,
//!   method, the spec's path template, the parameters' names and [`ParamRules`]) and the
//!   call's values; every parameter is validated against the spec's constraints and each path
//!   parameter encoded as exactly one path segment, so a name such as `..` or `a/b` can never
//!   address another resource.
//! - [`ArmPipeline::send`]: a plain operation, as azure_core's `Response<T>`.
//! - [`ArmPipeline::pager`]: a pageable operation, as azure_core's `Pager<T>`.
//! - [`ArmPipeline::begin_long_running`] / [`ArmPipeline::resume_long_running`]: a
//!   long-running operation of any method, as azure_core's `Poller`, following the ARM rules
//!   (`Azure-AsyncOperation`, `Location`, `provisioningState`, `Retry-After`,
//!   final-state-via); a failed operation is an error that still carries the service's
//!   `CloudError`.
//! - [`error_body`] / [`http_error_details`]: the typed error body, status, error code and
//!   request ids of a failed request or operation.
//! - [`SecretString`]: SAS URLs and other secrets that `Debug` never prints
//!   (`azure_core::credentials::Secret` has no serde support, which models need).
//! - [`redact`] / [`Redacted`]: SAS signatures, tokens and URL queries out of any service text,
//!   in one linear pass; every error this crate builds from a response goes through it.
//! - [`ResponseBodyLimit`] / [`limit_transport`]: every response body bounded where it is read
//!   (32 MiB by default, after decompression), with a clear [`ResponseTooLarge`] past it.
//! - [`ArmHttpClient`]: a user's `reqwest::Client` that never uses a response from a redirect
//!   to another origin (azure_core's own client follows no redirects).
//! - [`format`](mod@format): date-times, dates, UUIDs and base64 on the wire, alone or in arrays and maps.
//!
//! # Bounds
//!
//! A service cannot make a client wait without limit: a Retry-After (or `retry-after-ms`)
//! longer than [`MAX_SERVICE_DELAY`] is capped to it, both between polls and inside the
//! retry policy on 429/503; `0`, negative, past or garbage values mean the default delay; a
//! whole long-running operation is bounded by [`PollingOptions::timeout`] (24 hours unless
//! set), and a wait that would end past the bound ends the operation at once.
//!
//! ```no_run
//! use azure_arm_runtime::{
//!     ArmPipeline, FinalStateVia, LongRunningRequest, ParamRules, PollSettings, PollingOptions,
//! };
//! use azure_core::http::{ClientOptions, Method, NoFormat};
//! # async fn example(credential: std::sync::Arc<dyn azure_core::credentials::TokenCredential>) -> azure_core::Result<()> {
//! let pipeline = ArmPipeline::new(
//!     "my_crate", "1.0.0", credential, ClientOptions::default(), PollingOptions::default(),
//! )?;
//! static NAME: ParamRules = ParamRules { min_length: Some(1), max_length: Some(80), ..ParamRules::NON_EMPTY };
//! let request = pipeline.request(
//!     "Microsoft.Compute.Disks.revokeAccess",
//!     Method::Post,
//!     "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/disks/{diskName}/endGetAccess",
//!     &[
//!         ("00000000-0000-0000-0000-000000000000", &ParamRules::NON_EMPTY),
//!         ("rg", &NAME),
//!         ("disk", &NAME),
//!     ],
//!     &[("api-version", Some("2025-01-02"), &ParamRules::NON_EMPTY)],
//!     &[],
//! )?;
//! let request = LongRunningRequest {
//!     operation: "Disks_RevokeAccess",
//!     request,
//!     final_state_via: Some(FinalStateVia::Location),
//! };
//! let settings = PollSettings { options: Default::default(), timeout: None };
//! let response = pipeline
//!     .begin_long_running::<(), NoFormat>(request, settings)
//!     .await?;
//! println!("done: HTTP {}", response.status());
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod body;
mod cloud;
pub mod de;
mod error;
pub mod format;
mod limits;
mod lro;
mod options;
mod pager;
mod params;
mod pipeline;
mod redact;
mod secret;
pub mod ser;
mod throttle;
#[cfg(feature = "reqwest")]
mod transport;
mod typed;

#[cfg(test)]
mod tests;

pub use body::json_body;
pub use cloud::ResourceManager;
pub use error::{
    HttpErrorDetails, MAX_INSPECTED_BYTES, error_body, http_error_details, redact_http_error,
};
pub use limits::{ResponseBodyLimit, ResponseTooLarge, limit_transport};
pub use lro::{
    ArmPoller, FinalStateVia, LongRunningRequest, OperationStatus, PollSettings, ResumeToken,
    delay::MAX_SERVICE_DELAY,
};
pub use options::{CallOptions, LongRunningOptions};
pub use pager::{PageItems, PageRules, page_items};
pub use params::{Bound, CharSet, NamedValue, ParamRules, PathValue, Pattern, csv};
pub use pipeline::{
    ArmPipeline, ArmRequest, DEFAULT_OPERATION_TIMEOUT, PollingOptions, ResponseFuture,
};
pub use redact::{REDACTED, Redacted, redact};
pub use secret::SecretString;
#[cfg(feature = "reqwest")]
pub use transport::{ArmHttpClient, RedirectRefused};
pub use typed::Typed;

/// For the generated example tests' transport: azure_core's `HttpClient` is an `async_trait` trait.
pub use async_trait::async_trait;
/// The azure_core this crate is built on, for generated code that names its types.
pub use azure_core;
