//! The in-memory transport the example tests replay through: azure_core's `HttpClient` that
//! checks the first request against the example (method, path, `api-version` exactly once,
//! JSON body) and answers every request with the example's next response. Nothing reaches the
//! network.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::http::headers::{HeaderName, HeaderValue, Headers};
use azure_core::http::{
    AsyncRawResponse, ClientOptions, HttpClient, Method, Request, StatusCode, Transport,
};
use azure_core::time::{Duration, OffsetDateTime};
use azure_arm_runtime::ArmPoller;
use azure_core::http::poller::PollerStatus;
use azure_core::http::{Format, PageIterator, Response};
use serde_json::Value;

/// One response of an example.
pub struct Exchange {
    pub status: u16,
    pub headers: &'static [(&'static str, &'static str)],
    pub body: Option<&'static str>,
}

/// The request the example's call must send first.
pub struct Expected {
    pub method: Method,
    pub path: &'static str,
    pub api_version: &'static str,
    pub body: Option<&'static str>,
}

/// Checks the first request and answers with the example's responses in order.
#[derive(Debug)]
pub struct Replay {
    expected: Mutex<Option<Expected>>,
    script: Mutex<VecDeque<&'static Exchange>>,
    requests: AtomicUsize,
}

impl std::fmt::Debug for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.path)
    }
}

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.status)
    }
}

impl Replay {
    pub fn new(expected: Expected, script: &'static [Exchange]) -> Arc<Self> {
        Arc::new(Replay {
            expected: Mutex::new(Some(expected)),
            script: Mutex::new(script.iter().collect()),
            requests: AtomicUsize::new(0),
        })
    }

    /// Client options whose transport is this replay.
    pub fn client_options(self: &Arc<Self>) -> ClientOptions {
        ClientOptions {
            transport: Some(Transport::new(self.clone())),
            ..ClientOptions::default()
        }
    }

    /// Every response was used: the call sent what the example expects, no more, no less.
    pub fn finish(&self) {
        let expected = self.expected.lock().expect("replay lock");
        assert!(expected.is_none(), "the call sent no request");
        let script = self.script.lock().expect("replay lock");
        assert!(script.is_empty(), "responses left unused: {script:?}");
    }

    /// How many requests reached the transport.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    fn check(expected: &Expected, request: &Request) {
        assert_eq!(request.method(), expected.method, "request method");
        let url = request.url();
        assert_eq!(url.path(), expected.path, "request path");
        let versions: Vec<String> = url
            .query_pairs()
            .filter(|(name, _)| name == "api-version")
            .map(|(_, value)| value.into_owned())
            .collect();
        assert_eq!(versions, [expected.api_version], "api-version, exactly once");
        let sent = azure_core::Bytes::from(request.body());
        match expected.body {
            Some(body) => {
                let sent: Value = serde_json::from_slice(&sent).expect("the request body is JSON");
                assert_json_eq(&sent, &json(body), "");
            }
            None => assert!(sent.is_empty(), "the request has no body"),
        }
    }
}

#[azure_arm_runtime::async_trait]
impl HttpClient for Replay {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        if let Some(expected) = self.expected.lock().expect("replay lock").take() {
            Replay::check(&expected, request);
        }
        let Some(exchange) = self.script.lock().expect("replay lock").pop_front() else {
            panic!("no response left for {} {}", request.method(), request.url());
        };
        let mut headers = Headers::new();
        for (name, value) in exchange.headers {
            headers.insert(
                HeaderName::from(name.to_ascii_lowercase()),
                HeaderValue::from(*value),
            );
        }
        if exchange.body.is_some() {
            headers.insert(
                HeaderName::from_static("content-type"),
                HeaderValue::from_static("application/json"),
            );
        }
        let body = exchange.body.unwrap_or_default().as_bytes().to_vec();
        Ok(AsyncRawResponse::from_bytes(
            StatusCode::from(exchange.status),
            headers,
            body,
        ))
    }
}

/// A credential that hands out a fixed token.
#[derive(Debug)]
pub struct FixedCredential;

#[azure_arm_runtime::async_trait]
impl TokenCredential for FixedCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        Ok(AccessToken::new(
            "example-token",
            OffsetDateTime::now_utc() + Duration::hours(1),
        ))
    }
}

pub fn credential() -> Arc<dyn TokenCredential> {
    Arc::new(FixedCredential)
}

/// A model read from an example's JSON.
pub fn model<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).expect("the example's body reads as the model")
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("embedded example JSON")
}

/// The result re-serializes to the example's body (read-only and undeclared fields removed
/// by the generator).
pub fn assert_serializes_to<T: serde::Serialize>(result: &T, expected: &str) {
    let actual = serde_json::to_value(result).expect("the result serializes");
    assert_json_eq(&actual, &json(expected), "");
}

/// The body of the service's first answer to a long-running call, read as the operation's
/// result type (the poller only names that type: its stream yields statuses, not bodies).
pub fn first_answer<T, F>(_poller: &ArmPoller<T, F>, answer: &Exchange) -> T
where
    T: serde::de::DeserializeOwned,
    F: Format + Send,
{
    model(answer.body.expect("the first answer has a body"))
}

/// The page the service answered with, read as the pager's page type (the client refuses
/// the page itself for its next link, so it never hands the page out).
pub fn page_answer<P, F>(_pages: &PageIterator<Response<P, F>>, answer: &Exchange) -> P
where
    P: serde::de::DeserializeOwned + Send,
    F: Send,
{
    model(answer.body.expect("the page has a body"))
}

/// A status of a running operation: neither succeeded, failed nor canceled.
pub fn assert_running(status: PollerStatus) {
    assert!(
        !matches!(
            status,
            PollerStatus::Succeeded | PollerStatus::Failed | PollerStatus::Canceled
        ),
        "the operation is still running, not {status:?}"
    );
}

/// The client refused to follow a next link off the endpoint (its host rule), saying so.
pub fn assert_refused_link(error: &azure_core::Error) {
    let message = error.to_string();
    assert!(
        message.contains("refusing to follow") && message.contains("URL the service sent"),
        "not the host rule's refusal: {message}"
    );
}

/// A read-only value of the example (never serialized) was read into the model.
pub fn assert_read(actual: Option<&String>, expected: &str) {
    assert_eq!(actual.map(String::as_str), Some(expected), "a read-only value");
}

/// JSON equality where numbers compare by value (`1` and `1.0`) and date-times by instant
/// (`+00:00` and `Z`, trailing zeros of fractions): the model re-serializes them canonically.
fn assert_json_eq(actual: &Value, expected: &Value, at: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            let mut keys: Vec<&String> = a.keys().chain(e.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let at = format!("{at}/{key}");
                match (a.get(key), e.get(key)) {
                    (Some(a), Some(e)) => assert_json_eq(a, e, &at),
                    (a, e) => panic!("{at}: serialized {a:?}, the example has {e:?}"),
                }
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{at}: array length");
            for (index, (a, e)) in a.iter().zip(e).enumerate() {
                assert_json_eq(a, e, &format!("{at}/{index}"));
            }
        }
        (Value::Number(a), Value::Number(e)) => {
            assert_eq!(a.as_f64(), e.as_f64(), "{at}");
        }
        (Value::String(a), Value::String(e)) if a != e => {
            let instant = |text: &str| azure_core::time::parse_rfc3339(text).ok();
            assert!(
                instant(a).is_some() && instant(a) == instant(e),
                "{at}: serialized {a:?}, the example has {e:?}"
            );
        }
        _ => assert_eq!(actual, expected, "{at}"),
    }
}
