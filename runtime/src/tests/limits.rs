//! [`ResponseBodyLimit`]: bodies are bounded as they are read, through the whole pipeline.

use super::{ENDPOINT, MockCredential};
use crate::{ArmPipeline, ArmRequest, PollingOptions, ResponseBodyLimit, ResponseTooLarge};
use async_trait::async_trait;
use azure_core::{
    Bytes, Result,
    http::{
        AsyncRawResponse, ClientOptions, Context, FixedRetryOptions, HttpClient, Method, Request,
        RetryOptions, StatusCode, Transport, Url,
        headers::{HeaderName, HeaderValue, Headers},
    },
};
use futures::StreamExt;
use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

const CHUNK: usize = 64 * 1024;

/// Answers every request with `200` and an endless body of `CHUNK`-byte chunks (or, with
/// `declared`, a `Content-Length` header and a body that must never be read), counting the
/// requests and the chunks handed out.
#[derive(Debug, Default)]
struct Endless {
    declared: Option<u64>,
    requests: AtomicUsize,
    chunks: Arc<AtomicUsize>,
}

#[async_trait]
impl HttpClient for Endless {
    async fn execute_request(&self, _request: &Request) -> Result<AsyncRawResponse> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let mut headers = Headers::new();
        if let Some(length) = self.declared {
            headers.insert(
                HeaderName::from_static("content-length"),
                HeaderValue::from(length.to_string()),
            );
        }
        let chunks = self.chunks.clone();
        let body = futures::stream::repeat_with(move || {
            chunks.fetch_add(1, Ordering::SeqCst);
            Ok(Bytes::from(vec![b' '; CHUNK]))
        });
        Ok(AsyncRawResponse::new(
            StatusCode::Ok,
            headers,
            Box::pin(body),
        ))
    }
}

fn pipeline(transport: Arc<Endless>, per_call: Option<ResponseBodyLimit>) -> ArmPipeline {
    let options = ClientOptions {
        transport: Some(Transport::new(transport)),
        retry: RetryOptions::fixed(FixedRetryOptions {
            delay: azure_core::time::Duration::milliseconds(1),
            max_retries: 3,
            ..Default::default()
        }),
        per_call_policies: per_call
            .map(|limit| Arc::new(limit) as Arc<dyn azure_core::http::policies::Policy>)
            .into_iter()
            .collect(),
        ..Default::default()
    };
    ArmPipeline::new(
        "azure_arm_runtime_tests",
        "0.0.1",
        Arc::new(MockCredential::default()),
        options,
        PollingOptions { timeout: None },
    )
    .unwrap()
}

async fn get(pipeline: &ArmPipeline, context: &Context<'_>) -> azure_core::Error {
    let url = Url::parse(&format!("{ENDPOINT}/subscriptions")).unwrap();
    pipeline
        .send::<serde_json::Value, azure_core::http::JsonFormat>(
            Ok(ArmRequest::new(Method::Get, url)),
            context.clone(),
        )
        .await
        .unwrap_err()
}

/// An endless body: reading stops at the limit (so the bound is where the bytes arrive, not
/// after buffering them all, which would never end), with a clear error that is not retried.
#[tokio::test(start_paused = true)]
async fn an_endless_body_stops_at_the_limit() {
    let transport = Arc::new(Endless::default());
    let limit = ResponseBodyLimit::new(10 * CHUNK + 1);
    let error = get(&pipeline(transport.clone(), Some(limit)), &Context::new()).await;
    assert_eq!(
        error.to_string(),
        format!(
            "the response body is larger than the limit of {} bytes; reading stopped (raise the limit with azure_arm_runtime::ResponseBodyLimit if the service really sends that much)",
            10 * CHUNK + 1
        )
    );
    assert_eq!(
        error.downcast_ref::<ResponseTooLarge>(),
        Some(&ResponseTooLarge {
            limit: 10 * CHUNK + 1
        })
    );
    assert_eq!(transport.chunks.load(Ordering::SeqCst), 11);
    assert_eq!(transport.requests.load(Ordering::SeqCst), 1, "not retried");
}

/// The limit of one call's context wins over the client's policy; without either, the
/// default (32 MiB) applies.
#[tokio::test(start_paused = true)]
async fn the_limit_comes_from_the_call_then_the_client_then_the_default() {
    let transport = Arc::new(Endless::default());
    let client = pipeline(transport.clone(), Some(ResponseBodyLimit::new(4 * CHUNK)));
    let one_call = Context::new().with_value(ResponseBodyLimit::new(2 * CHUNK));
    get(&client, &one_call).await;
    assert_eq!(transport.chunks.swap(0, Ordering::SeqCst), 3);
    get(&client, &Context::new()).await;
    assert_eq!(transport.chunks.swap(0, Ordering::SeqCst), 5);

    let transport = Arc::new(Endless::default());
    let error = get(&pipeline(transport.clone(), None), &Context::new()).await;
    assert_eq!(ResponseBodyLimit::default().max_bytes(), 32 * 1024 * 1024);
    assert_eq!(
        transport.chunks.load(Ordering::SeqCst),
        32 * 1024 * 1024 / CHUNK + 1
    );
    assert!(error.downcast_ref::<ResponseTooLarge>().is_some());
}

/// A declared `Content-Length` above the limit fails before one byte is read.
#[tokio::test(start_paused = true)]
async fn a_declared_length_above_the_limit_fails_before_reading() {
    let transport = Arc::new(Endless {
        declared: Some(1 << 40),
        ..Default::default()
    });
    let error = get(&pipeline(transport.clone(), None), &Context::new()).await;
    assert!(
        error.downcast_ref::<ResponseTooLarge>().is_some(),
        "{error}"
    );
    assert_eq!(transport.chunks.load(Ordering::SeqCst), 0);
}

/// `limit_transport` on its own, for any pipeline: a body within the limit passes unchanged.
#[tokio::test]
async fn limit_transport_passes_bodies_within_the_limit() {
    #[derive(Debug)]
    struct Fixed;
    #[async_trait]
    impl HttpClient for Fixed {
        async fn execute_request(&self, _request: &Request) -> Result<AsyncRawResponse> {
            Ok(AsyncRawResponse::from_bytes(
                StatusCode::Ok,
                Headers::new(),
                Bytes::from_static(b"0123456789"),
            ))
        }
    }
    let transport = crate::limit_transport(Some(Transport::new(Arc::new(Fixed))));
    let mut request = Request::new(Url::parse(ENDPOINT).unwrap(), Method::Get);
    let exact = Context::new().with_value(ResponseBodyLimit::new(10));
    let body = transport
        .send(&exact, &mut request)
        .await
        .unwrap()
        .into_body()
        .collect()
        .await
        .unwrap();
    assert_eq!(&body[..], b"0123456789");
    let short = Context::new().with_value(ResponseBodyLimit::new(9));
    let mut body = transport
        .send(&short, &mut request)
        .await
        .unwrap()
        .into_body();
    let error = body.next().await.unwrap().unwrap_err();
    assert!(error.downcast_ref::<ResponseTooLarge>().is_some());
}

/// reqwest's connection errors name the request URL; a poll URL's query is the service's.
#[tokio::test(start_paused = true)]
async fn transport_errors_are_redacted_and_keep_their_kind() {
    #[derive(Debug)]
    struct Refused;
    #[async_trait]
    impl HttpClient for Refused {
        async fn execute_request(&self, request: &Request) -> Result<AsyncRawResponse> {
            let inner = std::io::Error::other(format!(
                "error sending request for url ({}&sig=SECRETSIG)",
                request.url()
            ));
            Err(azure_core::Error::with_error(
                azure_core::error::ErrorKind::Connection,
                inner,
                "failed to execute `reqwest` request",
            ))
        }
    }
    let transport = crate::limit_transport(Some(Transport::new(Arc::new(Refused))));
    let mut request = Request::new(
        Url::parse(&format!("{ENDPOINT}/op?api-version=1")).unwrap(),
        Method::Get,
    );
    let error = transport
        .send(&Context::new(), &mut request)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &azure_core::error::ErrorKind::Connection);
    assert_eq!(
        error.to_string(),
        format!(
            // The query runs to the end of the URL, its `)` included: over-redacting is safe.
            "failed to execute `reqwest` request: error sending request for url ({ENDPOINT}/op?<redacted>"
        )
    );
    assert!(!format!("{error:?}").contains("SECRETSIG"));
}
