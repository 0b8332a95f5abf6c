//! [`ArmPipeline`]: one authenticated azure_core pipeline plus the ARM endpoint, and
//! [`ArmRequest`], the one request shape every operation kind sends through it.

use crate::{
    cloud,
    error::{http_error, surface_refusal},
    limits::limit_transport,
    params::{self, NamedValue, Param, PathValue},
    throttle::ThrottleBound,
    typed::{Typed, Untyped},
};
use azure_core::tracing::{PublicApiInstrumentationInformation, Tracer};
use azure_core::{
    Bytes, Result,
    credentials::TokenCredential,
    error::CheckSuccessOptions,
    http::{
        ClientOptions, Context, JsonFormat, Method, Pipeline, PipelineSendOptions, RawResponse,
        Request, Response, Url,
        headers::{ACCEPT, CONTENT_TYPE, HeaderName},
        policies::{Policy, auth::BearerTokenAuthorizationPolicy},
    },
};
use serde::Serialize;
use std::{fmt, sync::Arc, time::Duration};

/// What [`ArmPipeline::send`] returns: awaiting it gives azure_core's `Response<T, F>`.
pub type ResponseFuture<'a, T, F = JsonFormat> = Typed<'a, RawResponse, Response<T, F>>;

// Callers may spawn the future (`Send`) and poll it by `&mut` without pinning it (`Unpin`);
// `Typed`'s doc promises both, and this keeps the promise.
const _: () = {
    const fn send_and_unpin<T: Send + Unpin>() {}
    send_and_unpin::<ResponseFuture<'static, ()>>();
};

/// Client-wide settings of long-running operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollingOptions {
    /// The longest a long-running operation (initial request, polls, waits, final GET) may
    /// take unless the call sets its own bound. Default: 24 hours, so that a service that
    /// never ends an operation cannot keep a caller polling forever; `None` polls without
    /// bound. A wait the service asks for that would end past the bound ends the operation at
    /// once with the timeout error.
    pub timeout: Option<Duration>,
}

/// The default bound on a long-running operation: 24 hours.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

impl Default for PollingOptions {
    fn default() -> Self {
        Self {
            timeout: Some(DEFAULT_OPERATION_TIMEOUT),
        }
    }
}

/// One request: method, URL, headers and JSON body. `Debug` shows header names and the body's
/// length only (header values and bodies may hold secrets).
#[derive(Clone)]
pub struct ArmRequest {
    /// The HTTP method.
    pub method: Method,
    /// The URL, usually built by [`ArmPipeline::request`].
    pub url: Url,
    /// Header parameters (lower-case names).
    pub headers: Vec<(HeaderName, String)>,
    /// The JSON body, if any.
    pub body: Option<Bytes>,
    /// The SDK span's name for the call (`<namespace>.<group>.<operation>`); with a
    /// `tracer_provider` in the client options, the whole call (every poll and page included)
    /// is one span of this name.
    pub api_name: Option<&'static str>,
}

impl ArmRequest {
    /// A request without headers or body.
    pub fn new(method: Method, url: Url) -> Self {
        Self {
            method,
            url,
            headers: Vec::new(),
            body: None,
            api_name: None,
        }
    }

    /// Names the call's SDK span (see [`api_name`](Self::api_name)).
    pub fn api(mut self, api_name: &'static str) -> Self {
        self.api_name = Some(api_name);
        self
    }

    /// Adds header parameters, each checked against its rules first (and refused when it
    /// holds a control character, which could end the header early). Names are the spec's,
    /// sent lower-case.
    pub(crate) fn headers(mut self, headers: &[Param<'_>]) -> Result<Self> {
        for header in headers {
            params::validate(header, false)?;
            if header.value.chars().any(char::is_control) {
                return Err(azure_core::Error::with_message(
                    azure_core::error::ErrorKind::DataConversion,
                    format!(
                        "parameter `{}`: a header value must not contain control characters",
                        header.name
                    ),
                ));
            }
            let name = HeaderName::from(header.name.to_ascii_lowercase());
            self.headers.push((name, header.value.clone().into_owned()));
        }
        Ok(self)
    }

    /// Sets the body to `value` as JSON.
    pub fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Result<Self> {
        self.body = Some(crate::body::json_body(value)?);
        Ok(self)
    }

    fn into_http(self) -> Request {
        let mut request = Request::new(self.url, self.method);
        request.insert_header(ACCEPT, "application/json");
        for (name, value) in self.headers {
            request.insert_header(name, value);
        }
        if let Some(body) = self.body {
            request.insert_header(CONTENT_TYPE, "application/json");
            request.set_body(body);
        }
        request
    }
}

impl fmt::Debug for ArmRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("ArmRequest")
            .field("method", &self.method)
            .field(
                "url",
                &self
                    .url
                    .as_str()
                    .split(['?', '#'])
                    .next()
                    .unwrap_or_default(),
            )
            .field("headers", &headers)
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .field("api_name", &self.api_name)
            .finish()
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
    /// From the client options' `tracer_provider`: the tracer of the SDK spans.
    tracer: Option<Arc<dyn Tracer>>,
}

impl ArmPipeline {
    /// Builds the pipeline from the caller's [`ClientOptions`] (retry, transport, per-call and
    /// per-try policies, user agent, logging, and `cloud`, which decides the ARM endpoint and
    /// token scope: see [`ResourceManager`](crate::ResourceManager)), with a
    /// [`BearerTokenAuthorizationPolicy`] for that scope as a per-try policy (a retried
    /// request gets a fresh token if the old one expired), a per-try policy that bounds the
    /// waits a 429/503 asks for ([`MAX_SERVICE_DELAY`](crate::MAX_SERVICE_DELAY)), and
    /// `crate_name`/`crate_version` for the User-Agent telemetry.
    ///
    /// Fails when the cloud has no Resource Manager audience, or its endpoint is not an
    /// `https` URL with a host and without credentials, query or fragment.
    pub fn new(
        crate_name: &'static str,
        crate_version: &'static str,
        credential: Arc<dyn TokenCredential>,
        mut client_options: ClientOptions,
        polling: PollingOptions,
    ) -> Result<Self> {
        let (endpoint, scope) = cloud::resource_manager(client_options.cloud.as_deref())?;
        // Every response body bounded where it is read (ResponseBodyLimit).
        client_options.transport = Some(limit_transport(client_options.transport.take()));
        let tracer = client_options
            .instrumentation
            .tracer_provider
            .as_ref()
            .map(|provider| provider.get_tracer(None, crate_name, Some(crate_version)));
        let throttle: Arc<dyn Policy> = Arc::new(ThrottleBound);
        let auth: Arc<dyn Policy> =
            Arc::new(BearerTokenAuthorizationPolicy::new(credential, [scope]));
        let pipeline = Pipeline::new(
            Some(crate_name),
            Some(crate_version),
            client_options,
            Vec::new(),
            vec![auth, throttle],
            None,
        );
        Ok(Self {
            inner: Arc::new(Inner {
                pipeline,
                endpoint,
                polling,
                tracer,
            }),
        })
    }

    /// The ARM endpoint every request, poll and page goes to.
    pub fn endpoint(&self) -> &Url {
        &self.inner.endpoint
    }

    /// The client-wide polling options.
    pub fn polling_options(&self) -> &PollingOptions {
        &self.inner.polling
    }

    /// The underlying azure_core pipeline, for requests this crate has no helper for.
    pub fn pipeline(&self) -> &Pipeline {
        &self.inner.pipeline
    }

    /// The URL from explicit segments, for the runtime's own tests of the encoding and the
    /// checks [`request`](Self::request) applies.
    #[cfg(test)]
    pub(crate) fn url(&self, path: &[params::PathSegment<'_>], query: &[Param<'_>]) -> Result<Url> {
        params::build_url(&self.inner.endpoint, path, query)
    }

    /// The request of one call of an operation, the way generated methods build it: what is
    /// the same for every call (`api_name`, `method`, the path `template` as in the spec, and
    /// the parameters' names and rules) is constants, the rest the call's values. Every
    /// parameter is checked against its rules, each `{name}` of the template becomes exactly
    /// one percent-encoded segment of its value (never `.` or `..`), the query
    /// parameters that were given are appended in order, and the header parameters that were
    /// given are added (checked, and refused when they hold a control character, which could
    /// end the header early). Errors name the parameter, as
    /// [`ErrorKind::DataConversion`](azure_core::error::ErrorKind::DataConversion) with
    /// messages like ``parameter `resourceGroupName`: length 91 exceeds the maximum of 90``.
    ///
    /// One non-generic function for every operation: building the request in each method
    /// made it a noticeable share of `cargo check` of a generated crate (BENCHMARKS.md).
    pub fn request(
        &self,
        api_name: &'static str,
        method: Method,
        template: &'static str,
        path: &[PathValue<'_>],
        query: &[NamedValue<'_>],
        headers: &[NamedValue<'_>],
    ) -> Result<ArmRequest> {
        let url = params::template_url(&self.inner.endpoint, template, path, query)?;
        ArmRequest::new(method, url)
            .api(api_name)
            .headers(&params::present(headers))
    }

    /// Sends a plain (not long-running, not pageable) request: `Accept: application/json`,
    /// `Content-Type: application/json` only with a body. Any 2xx is the typed response; any
    /// other status becomes an `HttpResponse` error carrying the response (see
    /// [`error_body`](crate::error_body)), whose message never includes the body.
    ///
    /// `request` is the outcome of building the request: a parameter that broke its rules is
    /// the future's error, met where the caller awaits, as with an `async fn`, and nothing is
    /// sent. A generated method is therefore a plain function returning this future: as an
    /// `async fn`, its state machine made `cargo check` of the method about three times
    /// dearer (BENCHMARKS.md). The future borrows the pipeline and holds `context` (and what it
    /// borrows), nothing else.
    pub fn send<'a, T, F>(
        &'a self,
        request: Result<ArmRequest>,
        context: Context<'a>,
    ) -> ResponseFuture<'a, T, F> {
        Typed::new(self.send_checked(request, context), RawResponse::into)
    }

    /// [`send`](Self::send) without the typing, compiled once (see [`Typed`]).
    fn send_checked<'a>(
        &'a self,
        request: Result<ArmRequest>,
        context: Context<'a>,
    ) -> Untyped<'a, RawResponse> {
        Box::pin(async move {
            let request = request?;
            let context = self.instrument(context, request.api_name);
            let response = self.send_raw(&context, request).await?;
            if response.status().is_success() {
                Ok(response)
            } else {
                Err(http_error("the request failed", response))
            }
        })
    }

    /// Adds what azure_core's instrumentation needs to open one SDK span for the call: the
    /// API's name and, when the client options have a `tracer_provider`, the tracer (so a
    /// poller or pager opens its span once, and every request under it joins that span).
    pub(crate) fn instrument<'a>(
        &self,
        context: Context<'a>,
        api_name: Option<&'static str>,
    ) -> Context<'a> {
        let Some(api_name) = api_name else {
            return context;
        };
        let context = context.with_value(PublicApiInstrumentationInformation::new(
            api_name,
            Vec::new(),
        ));
        match &self.inner.tracer {
            Some(tracer) => context.with_value(tracer.clone()),
            None => context,
        }
    }

    /// Only `https` URLs on the endpoint's host and port get the bearer token: every URL a
    /// service hands back (poll, final-state, next page) is checked before it is requested.
    pub(crate) fn check_followable(&self, url: &Url, which: &str) -> Result<()> {
        let endpoint = self.endpoint();
        let problem = if url.scheme() != "https" {
            "it is not https"
        } else if !url.username().is_empty() || url.password().is_some() {
            "it carries user credentials"
        } else if url.host_str() != endpoint.host_str()
            || url.port_or_known_default() != endpoint.port_or_known_default()
        {
            "it is not on the endpoint's host and port"
        } else {
            return Ok(());
        };
        Err(azure_core::Error::with_message(
            azure_core::error::ErrorKind::Other,
            format!("refusing to follow the {which} URL the service sent: {problem}"),
        ))
    }

    /// Sends through the pipeline without judging the status: the caller decides which
    /// statuses are success, so the pipeline never builds an error message from a body.
    pub(crate) async fn send_raw(
        &self,
        context: &Context<'_>,
        request: ArmRequest,
    ) -> Result<RawResponse> {
        let mut request = request.into_http();
        let options = PipelineSendOptions {
            skip_checks: true,
            check_success: CheckSuccessOptions::default(),
        };
        self.inner
            .pipeline
            .send(context, &mut request, Some(options))
            .await
            .map_err(surface_refusal)
    }
}
