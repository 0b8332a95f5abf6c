//! A bound on the size of every response body, enforced where the bytes arrive.
//!
//! azure_core reads a whole response into memory before any policy sees it (its transport
//! policy buffers the body when [`Pipeline::send`](azure_core::http::Pipeline::send) is used),
//! and its reqwest client decompresses `gzip`/`deflate` as it reads: a 1 MB gzip response
//! became a 1 GiB body. [`limit_transport`] wraps the transport itself, below that buffering,
//! and counts the bytes of the body as they come out of the transport (decompressed, if the
//! client decompresses): past the limit, reading stops and the request fails with
//! [`ResponseTooLarge`]. A `Content-Length` above the limit fails before anything is read.
//!
//! The limit is [`ResponseBodyLimit::DEFAULT`] (32 MiB, far above the largest ARM response: a
//! list page is at most a few MB) unless a [`ResponseBodyLimit`] is found in the request's
//! [`Context`]: add one to `ClientOptions::per_call_policies` for every call of a client, or to
//! one call's context.

use crate::error::sanitize;
use async_trait::async_trait;
use azure_core::{
    Error, Result,
    error::ErrorKind,
    http::{
        AsyncRawResponse, Context, Method, Request, Transport,
        headers::CONTENT_LENGTH,
        policies::{Policy, PolicyResult},
    },
};
use futures::StreamExt;
use std::{fmt, sync::Arc};

/// The largest response body a client reads, in bytes (after decompression).
///
/// The default is [`DEFAULT`](Self::DEFAULT), 32 MiB. To change it for every call of a
/// client, add it to the client's per-call policies; for one call, put it in that call's
/// [`Context`] (a limit in the call's context wins over the policy's).
///
/// ```
/// use azure_arm_runtime::ResponseBodyLimit;
/// use azure_core::http::{ClientOptions, Context};
/// use std::sync::Arc;
///
/// let options = ClientOptions {
///     per_call_policies: vec![Arc::new(ResponseBodyLimit::new(64 * 1024 * 1024))],
///     ..Default::default()
/// };
/// let one_call = Context::new().with_value(ResponseBodyLimit::new(1024 * 1024));
/// # let _ = (options, one_call);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseBodyLimit {
    max_bytes: usize,
}

impl ResponseBodyLimit {
    /// 32 MiB.
    pub const DEFAULT: Self = Self::new(32 * 1024 * 1024);

    /// At most `max_bytes` bytes of body per response.
    pub const fn new(max_bytes: usize) -> Self {
        Self { max_bytes }
    }

    /// The limit in bytes.
    pub const fn max_bytes(&self) -> usize {
        self.max_bytes
    }
}

impl Default for ResponseBodyLimit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// As a per-call policy: puts this limit in the context of every request that has none.
#[async_trait]
impl Policy for ResponseBodyLimit {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        if ctx.value::<ResponseBodyLimit>().is_some() {
            return next[0].send(ctx, request, &next[1..]).await;
        }
        let ctx = ctx.clone().with_value(*self);
        next[0].send(&ctx, request, &next[1..]).await
    }
}

/// The error of a response whose body is larger than the [`ResponseBodyLimit`]. It says only
/// the limit: nothing of the body. Find it with `error.downcast_ref::<ResponseTooLarge>()` (or
/// in the error's sources).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseTooLarge {
    /// The limit that was exceeded, in bytes.
    pub limit: usize,
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body is larger than the limit of {} bytes; reading stopped (raise the limit with azure_arm_runtime::ResponseBodyLimit if the service really sends that much)",
            self.limit
        )
    }
}

impl std::error::Error for ResponseTooLarge {}

impl ResponseTooLarge {
    pub(crate) fn into_error(self) -> Error {
        Error::new(ErrorKind::Other, self)
    }
}

/// `transport` (azure_core's default when `None`) with the [`ResponseBodyLimit`] of each
/// request's context (else the default) applied to every response body as it is read.
///
/// Its connection and I/O errors are also made safe to print: reqwest's name the request URL,
/// and a poll URL's query is the service's (ARM signs operation URLs). Such an error becomes
/// one of the same kind whose message is its whole chain of messages, [`redact`]ed.
///
/// [`redact`]: crate::redact
pub fn limit_transport(transport: Option<Transport>) -> Transport {
    Transport::with_policy(Arc::new(LimitedTransport {
        inner: transport.unwrap_or_default(),
    }))
}

#[derive(Debug)]
struct LimitedTransport {
    inner: Transport,
}

#[async_trait]
impl Policy for LimitedTransport {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        _next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let limit = ctx
            .value::<ResponseBodyLimit>()
            .copied()
            .unwrap_or_default()
            .max_bytes();
        let response = self
            .inner
            .send(ctx, request)
            .await
            .map_err(redact_transport_error)?;
        // A HEAD response's Content-Length is the length of a body it never has.
        let trust_length = request.method() != Method::Head;
        limit_body(response, limit, trust_length)
    }
}

/// `response` whose body stream fails with [`ResponseTooLarge`] once more than `limit` bytes
/// came out of it; at once if `trust_length` and its `Content-Length` already says so.
fn limit_body(
    response: AsyncRawResponse,
    limit: usize,
    trust_length: bool,
) -> Result<AsyncRawResponse> {
    let too_large = ResponseTooLarge { limit };
    let declared = response
        .headers()
        .get_optional_str(&CONTENT_LENGTH)
        .filter(|_| trust_length)
        .and_then(|length| length.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large.into_error());
    }
    let (status, headers, body) = response.deconstruct();
    let mut seen: usize = 0;
    let body = body.map(move |chunk| {
        let chunk = chunk.map_err(redact_transport_error)?;
        seen = seen.saturating_add(chunk.len());
        if seen > limit {
            Err(too_large.into_error())
        } else {
            Ok(chunk)
        }
    });
    Ok(AsyncRawResponse::new(status, headers, Box::pin(body)))
}

/// The longest message kept of a transport error's chain.
const MAX_TRANSPORT_MESSAGE_CHARS: usize = 1000;

/// A connection or I/O error as one of the same kind whose message is its chain of messages,
/// sanitized (see [`limit_transport`]); any other error unchanged (this crate's own refusals
/// keep their type).
fn redact_transport_error(error: Error) -> Error {
    if !matches!(error.kind(), ErrorKind::Io | ErrorKind::Connection) {
        return error;
    }
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(current) = source {
        text.push_str(": ");
        text.push_str(&current.to_string());
        source = current.source();
    }
    Error::with_message(
        error.kind().clone(),
        sanitize(&text, MAX_TRANSPORT_MESSAGE_CHARS),
    )
}
