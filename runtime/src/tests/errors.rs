//! Error recovery, redaction, bodies and secrets.

use super::{TOKEN, harness, respond};
use crate::{
    ArmRequest, FinalStateVia, LongRunningRequest, SecretString, error::sanitize, error_body,
    http_error_details, json_body,
};
use azure_core::{
    Bytes, Error,
    error::ErrorKind,
    http::{Context, Method, StatusCode, Url},
};
use serde::{Deserialize, Serialize};

const SAS: &str = "https://md-x.blob.storage.azure.net/c/b?sv=2018-03-28&sr=b&sig=SECRETSIG";
const URL: &str = "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d?api-version=2025-01-02";

fn assert_safe(text: &str) {
    assert!(
        !text.contains("SECRETSIG"),
        "leaks the SAS signature: {text}"
    );
    assert!(!text.contains(TOKEN), "leaks the bearer token: {text}");
}

#[test]
fn secret_string_redacts_debug_and_is_serde_transparent() {
    let secret = SecretString::from(SAS);
    assert_eq!(format!("{secret:?}"), "SecretString(<redacted>)");
    assert_eq!(
        format!("{:?}", Some(&secret)),
        "Some(SecretString(<redacted>))"
    );
    assert_eq!(secret.expose_secret(), SAS);
    assert_eq!(secret, SecretString::from(SAS.to_owned()));
    assert_eq!(secret.clone(), SecretString::new(SAS));
    assert_ne!(secret, SecretString::from("other"));
    assert_eq!(
        serde_json::to_string(&secret).unwrap(),
        format!("\"{SAS}\"")
    );
    let back: SecretString = serde_json::from_str(&format!("\"{SAS}\"")).unwrap();
    assert_eq!(back, secret);
    assert_eq!(back.into_secret(), SAS);

    #[derive(Debug, Serialize, Deserialize)]
    struct AccessUri {
        #[serde(rename = "accessSAS")]
        access_sas: SecretString,
    }
    let model: AccessUri = serde_json::from_str(&format!(r#"{{"accessSAS":"{SAS}"}}"#)).unwrap();
    assert_safe(&format!("{model:?}"));
    assert_eq!(
        serde_json::to_string(&model).unwrap(),
        format!(r#"{{"accessSAS":"{SAS}"}}"#)
    );
}

#[test]
fn json_body_serialises() {
    let bytes = json_body(&serde_json::json!({"access": "Read"})).unwrap();
    assert_eq!(&bytes[..], br#"{"access":"Read"}"#);

    struct Broken;
    impl Serialize for Broken {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("secret value"))
        }
    }
    let error = json_body(&Broken).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::DataConversion);
    assert!(!error.to_string().contains("secret value"));
}

#[test]
fn sanitize_strips_url_queries_controls_and_length() {
    assert_eq!(
        sanitize(&format!("Cannot use {SAS} now."), 300),
        "Cannot use https://md-x.blob.storage.azure.net/c/b?<redacted> now."
    );
    assert_eq!(
        sanitize("see HTTP://a.b/x?sig=1 and \"https://c.d/?q\"", 300),
        "see HTTP://a.b/x?<redacted> and \"https://c.d/?<redacted>\""
    );
    assert_eq!(sanitize("line\nbreak\u{7}", 300), "line break ");
    assert_eq!(sanitize("abcdef", 3), "abc…");
    assert_eq!(sanitize("ééé", 2), "éé…");
    assert_eq!(sanitize("https://x/?", 300), "https://x/?<redacted>");
    assert_eq!(sanitize("no urls", 300), "no urls");
}

#[tokio::test(start_paused = true)]
async fn error_messages_never_carry_sas_urls_or_tokens() {
    // An unparseable error body: azure_core would quote it in the message; this crate never.
    // 500 is retried: 1 try + 3 retries.
    let html = format!("<html>{SAS}</html>");
    let h = harness(vec![respond(500).body(html.clone()); 4]);
    let error = h
        .pipeline
        .send::<serde_json::Value, azure_core::http::JsonFormat>(
            ArmRequest::new(Method::Get, Url::parse(URL).unwrap()),
            &Context::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(error.to_string(), "the request failed: HTTP 500");
    assert_safe(&format!("{error:?}"));
    // The body is still there for whoever asks for it explicitly.
    let ErrorKind::HttpResponse {
        raw_response: Some(raw),
        ..
    } = error.kind()
    else {
        panic!()
    };
    assert!(
        std::str::from_utf8(raw.body())
            .unwrap()
            .contains("SECRETSIG")
    );

    // A failed operation whose message quotes a SAS URL.
    let failed = format!(
        r#"{{"status":"Failed","error":{{"code":"Bad","message":"Blob {SAS} is locked"}}}}"#
    );
    let h = harness(vec![
        respond(202).header("Azure-AsyncOperation", "https://management.azure.com/op/1"),
        respond(200).body(failed),
    ]);
    let error = h
        .begin::<(), azure_core::http::NoFormat>(LongRunningRequest {
            operation: "Disks_RevokeAccess",
            request: ArmRequest::new(Method::Post, Url::parse(URL).unwrap()),
            final_state_via: Some(FinalStateVia::Location),
        })
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the long-running operation failed (Bad): Blob https://md-x.blob.storage.azure.net/c/b?<redacted> is locked"
    );
    assert_safe(&format!("{error:?}"));
}

#[tokio::test(start_paused = true)]
async fn send_returns_success_and_typed_errors() {
    let h = harness(vec![
        respond(200).body(r#"{"name":"d"}"#),
        respond(404)
            .header("x-ms-error-code", "ResourceNotFound")
            .header("x-ms-request-id", "r1")
            .header("x-ms-correlation-request-id", "c1")
            .body(r#"{"error":{"code":"NotFoundInBody","message":"The Resource 'd' was not found."}}"#),
    ]);
    let body = json_body(&serde_json::json!({"tags": {}})).unwrap();
    let response = h
        .pipeline
        .send::<serde_json::Value, azure_core::http::JsonFormat>(
            ArmRequest {
                body: Some(body),
                ..ArmRequest::new(Method::Patch, Url::parse(URL).unwrap())
            },
            &Context::new(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::Ok);
    let sent = &h.transport.requests()[0];
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(sent.header("accept"), Some("application/json"));
    assert_eq!(sent.method, Method::Patch);

    let error = h
        .pipeline
        .send::<serde_json::Value, azure_core::http::JsonFormat>(
            ArmRequest::new(Method::Get, Url::parse(URL).unwrap()),
            &Context::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the request failed: HTTP 404 (ResourceNotFound): The Resource 'd' was not found."
    );
    let details = http_error_details(&error).unwrap();
    assert_eq!(details.status, StatusCode::NotFound);
    assert_eq!(details.error_code.as_deref(), Some("ResourceNotFound"));
    assert_eq!(details.request_id.as_deref(), Some("r1"));
    assert_eq!(details.correlation_request_id.as_deref(), Some("c1"));
    let body: serde_json::Value = error_body(&error).unwrap();
    assert_eq!(body["error"]["code"], "NotFoundInBody");
    let sent = &h.transport.requests()[1];
    assert_eq!(sent.header("content-type"), None);
}

#[test]
fn non_http_errors_have_no_details_or_body() {
    let error = Error::with_message(ErrorKind::Other, "x");
    assert!(http_error_details(&error).is_none());
    assert!(error_body::<serde_json::Value>(&error).is_none());

    // An HTTP error without a response: details from the kind only.
    let error = Error::from(ErrorKind::HttpResponse {
        status: StatusCode::Conflict,
        error_code: Some("Conflict".to_owned()),
        raw_response: None,
    });
    let details = http_error_details(&error).unwrap();
    assert_eq!(details.status, StatusCode::Conflict);
    assert_eq!(details.error_code.as_deref(), Some("Conflict"));
    assert_eq!(details.request_id, None);
    assert!(error_body::<serde_json::Value>(&error).is_none());

    // Wrapping keeps the kind, and so the body.
    let raw = azure_core::http::RawResponse::from_bytes(
        StatusCode::BadRequest,
        azure_core::http::headers::Headers::new(),
        Bytes::from_static(br#"{"error":{"code":"E","message":"m"}}"#),
    );
    let error = crate::error::http_error("x", raw).with_context("outer");
    let body: serde_json::Value = error_body(&error).unwrap();
    assert_eq!(body["error"]["code"], "E");
    assert_eq!(
        http_error_details(&error).unwrap().error_code.as_deref(),
        Some("E")
    );
}

#[tokio::test(start_paused = true)]
async fn debug_output_never_shows_the_token() {
    let h = harness(vec![respond(200)]);
    h.pipeline
        .send::<serde_json::Value, azure_core::http::JsonFormat>(
            ArmRequest::new(Method::Get, Url::parse(URL).unwrap()),
            &Context::new(),
        )
        .await
        .unwrap();
    // The token is cached inside the pipeline's bearer policy now.
    assert_eq!(
        h.credential.calls.load(std::sync::atomic::Ordering::SeqCst),
        1
    );
    assert_safe(&format!("{:?}", h.pipeline));
    let poller = h.begin::<(), azure_core::http::NoFormat>(LongRunningRequest {
        operation: "Disks_RevokeAccess",
        request: ArmRequest::new(Method::Post, Url::parse(URL).unwrap()),
        final_state_via: Some(FinalStateVia::Location),
    });
    assert_safe(&format!("{poller:?}"));
}
