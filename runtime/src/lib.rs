//! Support crate for Azure Resource Manager clients generated from OpenAPI specs, on
//! `azure_core` 1.x.
//!
//! Generated code stays thin by leaning on this crate for everything that is the same for
//! every operation, the way progenitor's output leans on `progenitor-client`:
//!
//! - [`ArmPipeline`]: one authenticated azure_core pipeline (bearer token for the cloud's ARM
//!   scope, the caller's retry/transport/policies, telemetry) plus the endpoint.
//! - [`ArmPipeline::url`]: validates every parameter against the spec's constraints
//!   ([`ParamRules`]) and encodes each path parameter as exactly one path segment, so a name
//!   such as `..` or `a/b` can never address another resource.
//! - [`ArmPipeline::begin_long_running`] / [`ArmPoller`]: the ARM long-running-operation rules
//!   (`Azure-AsyncOperation`, `Location`, `Retry-After`, final-state-via), as Microsoft's
//!   Python and Go SDKs apply them; a failed operation is an error that still carries the
//!   service's `CloudError`.
//! - [`error_body`] / [`http_error_details`]: the typed error body, status, error code and
//!   request ids of a failed request or operation.
//! - [`SecretString`]: SAS URLs and other secrets that `Debug` never prints.
//! - [`redact`] / [`Redacted`]: SAS signatures, tokens and URL queries out of any service text,
//!   in one linear pass; every error this crate builds from a response goes through it.
//! - [`ResponseBodyLimit`] / [`limit_transport`]: every response body bounded where it is read
//!   (32 MiB by default, after decompression), with a clear [`ResponseTooLarge`] past it.
//! - [`ArmHttpClient`]: a user's `reqwest::Client` that never uses a response from a redirect
//!   to another origin (azure_core's own client follows no redirects).
//!
//! ```no_run
//! use azure_arm_runtime::{
//!     ArmPipeline, Cloud, FinalStateVia, LongRunningRequest, Param, ParamRules, PathSegment,
//!     PollingOptions, decode_empty,
//! };
//! use azure_core::http::{ClientOptions, Context, Method};
//! # async fn example(credential: std::sync::Arc<dyn azure_core::credentials::TokenCredential>) -> azure_core::Result<()> {
//! let pipeline = ArmPipeline::new(
//!     "my_crate", "1.0.0", credential, &Cloud::AzurePublic,
//!     ClientOptions::default(), PollingOptions::default(),
//! )?;
//! static NAME: ParamRules = ParamRules { min_length: Some(1), max_length: Some(80), pattern: None };
//! let url = pipeline.url(
//!     &[
//!         PathSegment::Literal("subscriptions"),
//!         PathSegment::Param(Param::new("subscriptionId", "00000000-0000-0000-0000-000000000000", &ParamRules::NONE)),
//!         PathSegment::Literal("resourceGroups"),
//!         PathSegment::Param(Param::new("resourceGroupName", "rg", &NAME)),
//!         PathSegment::Literal("providers/Microsoft.Compute/disks"),
//!         PathSegment::Param(Param::new("diskName", "disk", &NAME)),
//!         PathSegment::Literal("endGetAccess"),
//!     ],
//!     &[Param::new("api-version", "2025-01-02", &ParamRules::NONE)],
//! )?;
//! let request = LongRunningRequest {
//!     method: Method::Post,
//!     url,
//!     body: None,
//!     final_state_via: FinalStateVia::Location,
//! };
//! pipeline
//!     .begin_long_running(request, Context::new(), decode_empty)
//!     .await?;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod body;
mod cloud;
pub mod de;
mod error;
mod limits;
mod params;
mod pipeline;
mod poller;
mod redact;
mod secret;
#[cfg(feature = "reqwest")]
mod transport;

#[cfg(test)]
mod tests;

pub use body::{Decode, decode_empty, decode_json, json_body};
pub use cloud::Cloud;
pub use error::{
    HttpErrorDetails, MAX_INSPECTED_BYTES, error_body, http_error_details, redact_http_error,
};
pub use limits::{ResponseBodyLimit, ResponseTooLarge, limit_transport};
pub use params::{CharSet, Param, ParamRules, PathSegment, Pattern};
pub use pipeline::{ArmPipeline, PollingOptions};
pub use poller::{ArmPoller, FinalStateVia, LongRunningRequest, Progress, ResumeToken};
pub use redact::{REDACTED, Redacted, redact};
pub use secret::SecretString;
#[cfg(feature = "reqwest")]
pub use transport::{ArmHttpClient, RedirectRefused};

/// The azure_core this crate is built on, for generated code that names its types.
pub use azure_core;
