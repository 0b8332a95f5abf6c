//! [`ThrottleBound`]: keeps the pipeline's retry policy from sleeping without bound.
//!
//! azure_core's retry policy waits as long as a 429/503 response's Retry-After asks, with no
//! upper limit: `Retry-After: 999999999` would stall a call for decades. This per-try policy
//! sees each response before the retry policy does and
//! - caps the hint to [`MAX_SERVICE_DELAY`], rewriting the retry headers;
//! - ends the call at once with the timeout error when the hint reaches past the bound of the
//!   long-running operation the request belongs to.

use crate::lro::deadline::Deadline;
use crate::lro::delay::{MAX_SERVICE_DELAY, RETRY_HEADERS, service_hint};
use async_trait::async_trait;
use azure_core::http::{
    AsyncRawResponse, Context, Request, StatusCode,
    headers::RETRY_AFTER,
    policies::{Policy, PolicyResult},
};
use std::sync::Arc;

/// See the module docs.
#[derive(Debug)]
pub(crate) struct ThrottleBound;

#[async_trait]
impl Policy for ThrottleBound {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let response = next[0].send(ctx, request, &next[1..]).await?;
        if !matches!(
            response.status(),
            StatusCode::TooManyRequests | StatusCode::ServiceUnavailable
        ) {
            return Ok(response);
        }
        let Some(hint) = service_hint(response.headers()) else {
            return Ok(response);
        };
        if let Some(deadline) = ctx.value::<Deadline>() {
            deadline.check_wait(hint)?;
        }
        if hint < MAX_SERVICE_DELAY {
            return Ok(response);
        }
        let (status, mut headers, body) = response.deconstruct();
        for name in RETRY_HEADERS {
            if headers.get_optional_str(&name).is_some() {
                let value = if name == RETRY_AFTER {
                    MAX_SERVICE_DELAY.as_secs()
                } else {
                    u64::try_from(MAX_SERVICE_DELAY.as_millis()).unwrap_or(u64::MAX)
                };
                headers.insert(name, value.to_string());
            }
        }
        Ok(AsyncRawResponse::new(status, headers, Box::pin(body)))
    }
}
