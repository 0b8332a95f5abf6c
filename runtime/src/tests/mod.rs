//! Unit tests over an in-memory transport: a scripted [`MockTransport`] (azure_core's
//! `HttpClient`) that records every request and answers with canned responses, and a
//! [`MockCredential`] that hands out a fixed token.
//!
//! Poller tests run on tokio's paused clock (`start_paused`): sleeps advance virtual time
//! instantly, so delays of seconds cost nothing and elapsed virtual time can be asserted
//! exactly.

mod errors;
mod limits;
mod pager;
mod params;
mod poller;
mod redact;
mod request;
mod tracing;

use crate::{ArmPipeline, ArmPoller, LongRunningRequest, PollSettings, PollingOptions};
use async_trait::async_trait;
use azure_core::{
    Bytes, Error, Result,
    cloud::CloudConfiguration,
    credentials::{AccessToken, TokenCredential, TokenRequestOptions},
    error::ErrorKind,
    http::{
        AsyncRawResponse, ClientOptions, FixedRetryOptions, Format, HttpClient, Method, Request,
        RetryOptions, StatusCode, Transport, Url,
        headers::{HeaderName, HeaderValue, Headers},
        poller::PollerOptions,
    },
    time::OffsetDateTime,
};
use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

pub(crate) const TOKEN: &str = "fixed-test-token";
pub(crate) const ENDPOINT: &str = "https://management.azure.com";

/// A request as the transport saw it.
#[derive(Clone, Debug)]
pub(crate) struct Recorded {
    pub method: Method,
    pub url: Url,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A canned response.
#[derive(Clone, Debug)]
pub(crate) struct Canned {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
}

pub(crate) fn respond(status: u16) -> Canned {
    Canned {
        status,
        headers: Vec::new(),
        body: Bytes::new(),
    }
}

impl Canned {
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Bytes::from(body.into());
        self
    }
}

/// Answers requests from a script, in order; records every request.
#[derive(Default)]
pub(crate) struct MockTransport {
    script: Mutex<VecDeque<Canned>>,
    requests: Mutex<Vec<Recorded>>,
}

/// The recorded requests hold the Authorization header: keep them out of `Debug`, so that
/// tests can check that the pipeline's own `Debug` shows no token.
impl std::fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MockTransport")
    }
}

impl MockTransport {
    pub fn new(script: Vec<Canned>) -> Arc<Self> {
        Arc::new(Self {
            script: Mutex::new(script.into()),
            requests: Mutex::default(),
        })
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn urls(&self) -> Vec<String> {
        self.requests().iter().map(|r| r.url.to_string()).collect()
    }

    pub fn remaining(&self) -> usize {
        self.script.lock().unwrap().len()
    }
}

#[async_trait]
impl HttpClient for MockTransport {
    async fn execute_request(&self, request: &Request) -> Result<AsyncRawResponse> {
        self.requests.lock().unwrap().push(Recorded {
            method: request.method(),
            url: request.url().clone(),
            headers: request
                .headers()
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), v.as_str().to_owned()))
                .collect(),
            body: Bytes::from(request.body()),
        });
        let canned = self.script.lock().unwrap().pop_front().ok_or_else(|| {
            Error::with_message(ErrorKind::Other, "mock transport: no response scripted")
        })?;
        let mut headers = Headers::new();
        for (name, value) in canned.headers {
            headers.insert(HeaderName::from(name), HeaderValue::from(value));
        }
        Ok(AsyncRawResponse::from_bytes(
            StatusCode::from(canned.status),
            headers,
            canned.body,
        ))
    }
}

/// Hands out [`TOKEN`] and counts the calls and scopes.
#[derive(Debug, Default)]
pub(crate) struct MockCredential {
    pub calls: AtomicUsize,
    pub scopes: Mutex<Vec<String>>,
}

#[async_trait]
impl TokenCredential for MockCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> Result<AccessToken> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.scopes
            .lock()
            .unwrap()
            .extend(scopes.iter().map(|s| (*s).to_owned()));
        Ok(AccessToken::new(
            TOKEN,
            OffsetDateTime::now_utc() + azure_core::time::Duration::hours(1),
        ))
    }
}

pub(crate) struct Harness {
    pub transport: Arc<MockTransport>,
    pub credential: Arc<MockCredential>,
    pub pipeline: ArmPipeline,
    /// The delay between polls when the service gives none.
    pub default_delay: Duration,
    /// The bound on each operation begun with [`Harness::begin`].
    pub timeout: Option<Duration>,
}

impl Harness {
    /// The poller for `request` with the harness's delay and bound.
    pub fn begin<T: Send + 'static, F: Format + Send + 'static>(
        &self,
        request: LongRunningRequest,
    ) -> ArmPoller<T, F> {
        self.pipeline.begin_long_running(request, self.settings())
    }

    pub fn settings(&self) -> PollSettings<'static> {
        PollSettings {
            options: PollerOptions {
                frequency: azure_core::time::Duration::try_from(self.default_delay).unwrap(),
                ..PollerOptions::default()
            },
            timeout: self.timeout,
        }
    }
}

/// Fast fixed retries (3 retries, 1 ms apart), default delay of 10 ms, no timeout.
pub(crate) fn harness(script: Vec<Canned>) -> Harness {
    harness_with(script, None, Duration::from_millis(10))
}

/// A custom cloud whose Resource Manager audience (and so endpoint) is `endpoint`.
pub(crate) fn custom_cloud(endpoint: &str) -> CloudConfiguration {
    let mut custom = azure_core::cloud::CustomConfiguration::default();
    custom.audiences =
        azure_core::cloud::Audiences::new().with::<crate::ResourceManager>(endpoint.to_owned());
    CloudConfiguration::from(custom)
}

pub(crate) fn harness_with(
    script: Vec<Canned>,
    cloud: Option<CloudConfiguration>,
    default_delay: Duration,
) -> Harness {
    let transport = MockTransport::new(script);
    let credential = Arc::new(MockCredential::default());
    let options = ClientOptions {
        transport: Some(Transport::new(transport.clone())),
        retry: RetryOptions::fixed(FixedRetryOptions {
            delay: azure_core::time::Duration::milliseconds(1),
            max_retries: 3,
            ..Default::default()
        }),
        cloud: cloud.map(Arc::new),
        ..Default::default()
    };
    let pipeline = ArmPipeline::new(
        "azure_arm_runtime_tests",
        "0.0.1",
        credential.clone(),
        options,
        PollingOptions { timeout: None },
    )
    .unwrap();
    Harness {
        transport,
        credential,
        pipeline,
        default_delay,
        timeout: None,
    }
}
