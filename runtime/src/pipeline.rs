//! [`ArmPipeline`]: one authenticated azure_core pipeline plus the ARM endpoint.

use crate::{
    Cloud,
    body::Decode,
    error::{http_error, surface_refusal},
    limits::limit_transport,
    params::{self, Param, PathSegment},
    poller::{ArmPoller, LongRunningRequest, ResumeToken},
};
use azure_core::{
    Bytes, Error, Result,
    credentials::TokenCredential,
    error::{CheckSuccessOptions, ErrorKind},
    http::{
        ClientOptions, Context, Method, Pipeline, PipelineSendOptions, RawResponse, Request, Url,
        headers::{ACCEPT, CONTENT_TYPE},
        policies::{Policy, auth::BearerTokenAuthorizationPolicy},
    },
};
use std::{sync::Arc, time::Duration};

/// How long-running operations are polled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollingOptions {
    /// Delay between polls when the service sends no Retry-After (default 30 s; tests set ms).
    pub default_delay: Duration,
    /// Upper bound on the whole operation (initial request + polling). None = unbounded.
    pub timeout: Option<Duration>,
}

impl Default for PollingOptions {
    /// 30 s between polls (what Microsoft's SDKs use), no overall timeout.
    fn default() -> Self {
        Self {
            default_delay: Duration::from_secs(30),
            timeout: None,
        }
    }
}

/// Cheap to clone (Arc inside): one authenticated azure_core pipeline plus the endpoint.
#[derive(Clone, Debug)]
pub struct ArmPipeline {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    pipeline: Pipeline,
    endpoint: Url,
    polling: PollingOptions,
}

impl ArmPipeline {
    /// Builds the pipeline: the caller's [`ClientOptions`] (retry, transport, per-call and
    /// per-try policies, user agent, logging) with a [`BearerTokenAuthorizationPolicy`] for the
    /// cloud's ARM scope as a per-try policy (a retried request gets a fresh token if the old
    /// one expired), and `crate_name`/`crate_version` for the User-Agent telemetry.
    ///
    /// `cloud` decides the endpoint and scope; `client_options.cloud` is not consulted.
    ///
    /// Fails when the endpoint is not an `https` URL with a host and without query or fragment
    /// (the bearer policy refuses anything but https, so it could never work).
    pub fn new(
        crate_name: &'static str,
        crate_version: &'static str,
        credential: Arc<dyn TokenCredential>,
        cloud: &Cloud,
        mut client_options: ClientOptions,
        polling: PollingOptions,
    ) -> Result<Self> {
        let endpoint = cloud.endpoint();
        if endpoint.scheme() != "https"
            || endpoint.host_str().is_none()
            || endpoint.cannot_be_a_base()
            || endpoint.query().is_some()
            || endpoint.fragment().is_some()
            || !endpoint.username().is_empty()
            || endpoint.password().is_some()
        {
            return Err(Error::with_message(
                ErrorKind::Other,
                "the ARM endpoint must be an https URL with a host and without credentials, query or fragment",
            ));
        }
        // Every response body bounded where it is read (ResponseBodyLimit).
        client_options.transport = Some(limit_transport(client_options.transport.take()));
        let scope = cloud.scope();
        let auth: Arc<dyn Policy> =
            Arc::new(BearerTokenAuthorizationPolicy::new(credential, [scope]));
        let pipeline = Pipeline::new(
            Some(crate_name),
            Some(crate_version),
            client_options,
            Vec::new(),
            vec![auth],
            None,
        );
        Ok(Self {
            inner: Arc::new(Inner {
                pipeline,
                endpoint,
                polling,
            }),
        })
    }

    /// The ARM endpoint every request and every poll goes to.
    pub fn endpoint(&self) -> &Url {
        &self.inner.endpoint
    }

    /// The polling options long-running operations start from.
    pub fn polling_options(&self) -> &PollingOptions {
        &self.inner.polling
    }

    /// The underlying azure_core pipeline, for requests this crate has no helper for.
    pub fn pipeline(&self) -> &Pipeline {
        &self.inner.pipeline
    }

    /// Validates every parameter (ParamRules) and builds endpoint + one percent-encoded path
    /// segment per PathSegment + the query pairs, each exactly once. Errors name the parameter.
    ///
    /// Path parameters must also not be `.` or `..`. Errors are
    /// [`ErrorKind::DataConversion`] with messages like
    /// ``parameter `resourceGroupName`: length 91 exceeds the maximum of 90``.
    pub fn url(&self, path: &[PathSegment<'_>], query: &[Param<'_>]) -> Result<Url> {
        params::build_url(&self.inner.endpoint, path, query)
    }

    /// Sends one request that is not a long-running operation: `Accept: application/json`,
    /// `Content-Type: application/json` only with a body. Any 2xx is returned; any other
    /// status becomes an [`ErrorKind::HttpResponse`] error carrying the response (see
    /// [`error_body`](crate::error_body)), whose message never includes the body.
    pub async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<Bytes>,
        context: &Context<'_>,
    ) -> Result<RawResponse> {
        let mut request = new_request(method, url, body);
        let response = self.send_raw(context, &mut request).await?;
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(http_error("the request failed", response))
        }
    }

    /// Starts nothing: returns a poller that, when awaited, sends the initial request
    /// (Content-Type application/json only when body is Some; Accept application/json) and
    /// drives the ARM rules (see [`ArmPoller`]).
    pub fn begin_long_running<T: Send + 'static>(
        &self,
        request: LongRunningRequest,
        context: Context<'static>,
        decode: Decode<T>,
    ) -> ArmPoller<T> {
        ArmPoller::new(self.clone(), request, context, decode)
    }

    /// Continues a long-running operation from a [`ResumeToken`] (observed through
    /// [`ArmPoller::on_progress`], possibly in another process): polling starts at once, with
    /// the same rules and safety checks as the original poller.
    pub fn resume_long_running<T: Send + 'static>(
        &self,
        token: ResumeToken,
        context: Context<'static>,
        decode: Decode<T>,
    ) -> ArmPoller<T> {
        ArmPoller::resume(self.clone(), token, context, decode)
    }

    /// Sends through the pipeline without judging the status: the caller decides which
    /// statuses are success, so the pipeline never builds an error message from a body.
    pub(crate) async fn send_raw(
        &self,
        context: &Context<'_>,
        request: &mut Request,
    ) -> Result<RawResponse> {
        let options = PipelineSendOptions {
            skip_checks: true,
            check_success: CheckSuccessOptions::default(),
        };
        self.inner
            .pipeline
            .send(context, request, Some(options))
            .await
            .map_err(surface_refusal)
    }
}

/// A request with `Accept: application/json`, and the body with its Content-Type if any.
pub(crate) fn new_request(method: Method, url: Url, body: Option<Bytes>) -> Request {
    let mut request = Request::new(url, method);
    request.insert_header(ACCEPT, "application/json");
    if let Some(body) = body {
        request.insert_header(CONTENT_TYPE, "application/json");
        request.set_body(body);
    }
    request
}
