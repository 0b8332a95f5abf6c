//! [`ArmHttpClient`]: a `reqwest::Client` as azure_core's `HttpClient`, refusing redirects to
//! another origin.

use async_trait::async_trait;
use azure_core::{
    Error, Result,
    error::ErrorKind,
    http::{
        AsyncRawResponse, Body, HttpClient, Method, Request, Url,
        headers::{HeaderName, HeaderValue, Headers},
    },
};
use futures::TryStreamExt;
use std::fmt;

/// A `reqwest::Client` for azure_core that never uses a response from another origin than the
/// request's.
///
/// azure_core's own client follows no redirects. A `reqwest::Client` a user builds follows up
/// to ten by default, and azure_core's `HttpClient` impl for `reqwest::Client` keeps nothing of
/// the URL the response finally came from, so no policy can tell: a 307 from the service to
/// another host or port re-sends the request there (a POST with its body) and returns whatever
/// that host answers as the service's response, which bypasses the rule that polls stay on
/// the endpoint's host and port. Give such a client to [`ArmHttpClient`]:
///
/// - [`ArmHttpClient::from_builder`] turns redirect-following off before building: a 3xx is
///   returned as it is (and a generated client reports it as an error), nothing is re-sent;
/// - [`ArmHttpClient::new`] takes a client already built: the request may have been re-sent
///   by then, but a response that came from another origin (scheme, host, port) is refused with
///   an error instead of being used.
///
/// ```no_run
/// use azure_arm_runtime::ArmHttpClient;
/// use azure_core::http::{ClientOptions, Transport};
/// use std::sync::Arc;
///
/// # fn example() -> azure_core::Result<()> {
/// let client = ArmHttpClient::from_builder(reqwest::Client::builder())?;
/// let options = ClientOptions {
///     transport: Some(Transport::new(Arc::new(client))),
///     ..Default::default()
/// };
/// # let _ = options; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ArmHttpClient {
    client: reqwest::Client,
}

impl ArmHttpClient {
    /// Wraps a client that may follow redirects: responses from another origin are refused.
    pub fn new(client: reqwest::Client) -> Self {
        Self { client }
    }

    /// Builds the client with redirect-following turned off, whatever `builder` said.
    pub fn from_builder(builder: reqwest::ClientBuilder) -> Result<Self> {
        let client = builder
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| {
                Error::with_error(
                    ErrorKind::Other,
                    error,
                    "failed to build the reqwest client",
                )
            })?;
        Ok(Self { client })
    }
}

#[async_trait]
impl HttpClient for ArmHttpClient {
    async fn execute_request(&self, request: &Request) -> Result<AsyncRawResponse> {
        let url = request.url();
        let mut builder = self.client.request(method(request.method())?, url.clone());
        for (name, value) in request.headers().iter() {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let body = match request.body().clone() {
            Body::Bytes(bytes) => reqwest::Body::from(bytes),
            Body::SeekableStream(stream) => reqwest::Body::wrap_stream(stream),
        };
        let response = builder.body(body).send().await.map_err(|error| {
            let kind = if error.is_connect() {
                ErrorKind::Connection
            } else {
                ErrorKind::Io
            };
            // reqwest's message names the URL, whose query may be a SAS: keep it out.
            Error::with_error(kind, error.without_url(), "failed to execute the request")
        })?;
        if let Some(refused) = foreign_origin(url, response.url()) {
            return Err(Error::new(ErrorKind::Other, refused));
        }
        let status = response.status().as_u16().into();
        let headers = headers(response.headers());
        let body = response.bytes_stream().map_err(|error| {
            Error::with_error(
                ErrorKind::Io,
                error.without_url(),
                "failed to read the response body",
            )
        });
        Ok(AsyncRawResponse::new(status, headers, Box::pin(body)))
    }
}

/// The error of a response that came from a redirect to another origin than the request's.
/// It names that origin only (scheme, host, port): a redirect's path and query may hold a SAS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectRefused {
    /// The origin the response came from, e.g. `https://example.com:8443`.
    pub origin: String,
}

impl fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "refusing a response that came from a redirect to another origin ({}): Azure Resource Manager requests must not follow redirects",
            self.origin
        )
    }
}

impl std::error::Error for RedirectRefused {}

/// `Some` when `answered` (the URL the response came from) is not on `requested`'s origin.
fn foreign_origin(requested: &Url, answered: &Url) -> Option<RedirectRefused> {
    (requested.origin() != answered.origin()).then(|| RedirectRefused {
        origin: answered.origin().ascii_serialization(),
    })
}

/// azure_core's headers from reqwest's; values that are not UTF-8 are dropped.
fn headers(map: &reqwest::header::HeaderMap) -> Headers {
    let mut headers = Headers::new();
    for (name, value) in map {
        if let Ok(value) = value.to_str() {
            headers.insert(
                HeaderName::from(name.as_str().to_owned()),
                HeaderValue::from(value.to_owned()),
            );
        }
    }
    headers
}

/// reqwest's method of the same name (azure_core's `Method` is non-exhaustive).
fn method(method: Method) -> Result<reqwest::Method> {
    reqwest::Method::from_bytes(method.as_str().as_bytes()).map_err(|_| {
        Error::with_message(
            ErrorKind::Other,
            format!("unsupported HTTP method {}", method.as_str()),
        )
    })
}
