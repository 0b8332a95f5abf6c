//! The operations fixture (one operation of each kind) run over real HTTPS on 127.0.0.1
//! against the scripted server: plain calls as `Response<T>`, long-running ones of every
//! method and final-state-via as `Poller`, failures, Retry-After, the stream and resume in a
//! new client. Pageable operations and parameters: `operations_paging.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/ops.rs"]
#[allow(dead_code)]
mod ops;
#[allow(dead_code)]
mod support;

use azure_core::http::Response;
use azure_core::{
    error::ErrorKind,
    http::{
        StatusCode,
        headers::HeaderName,
        poller::{PollerStatus, StatusMonitor},
    },
};
use codegen_tests::operations_fixture::{
    WidgetsGetOptions,
    models::{ExpandType, RestartResult, WidgetUpdate},
};
use futures::TryStreamExt;
use ops::{
    Fixture, RG, client, cloud_error_code, error_json, monitor, new_widget, widget_json,
    widget_reply,
};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::{fast, server::Reply};

// ---- plain operations ------------------------------------------------------------------------

#[tokio::test]
async fn get_returns_the_response_with_headers_and_model() {
    let f = Fixture::start().await;
    let target = format!("{}&%24expand=userData", f.widget("wid1", ""));
    f.expect(
        "GET",
        &target,
        None,
        widget_reply("Succeeded").header("etag", "\"e1\""),
    );
    let response = f
        .widgets()
        .get(
            RG,
            "wid1",
            Some(WidgetsGetOptions {
                expand: Some(ExpandType::UserData),
                if_none_match: Some("\"e0\"".to_owned()),
                x_ms_client_request_id: Some("req-1".to_owned()),
                ..Default::default()
            }),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::Ok);
    assert_eq!(
        response
            .headers()
            .get_optional_str(&HeaderName::from_static("etag")),
        Some("\"e1\"")
    );
    let widget = response.into_model().unwrap();
    assert_eq!(widget.location, "westus");
    let received = f.server.received();
    assert_eq!(received[0].header("if-none-match"), Some("\"e0\""));
    assert_eq!(received[0].header("x-ms-client-request-id"), Some("req-1"));
    f.finish();
}

/// A plain method is a `fn` returning a `ResponseFuture` that holds the client and the
/// options' context only: arguments built on the spot may be dropped before it is awaited
/// (an `async fn` held them, and this did not compile), and the future can be named, stored
/// and moved to another thread (`Send`).
#[tokio::test]
async fn a_plain_call_is_a_future_that_does_not_hold_its_arguments() {
    let f = Fixture::start().await;
    f.expect(
        "GET",
        &f.widget("wid1", ""),
        None,
        widget_reply("Succeeded"),
    );
    let widgets = f.widgets();
    let future: azure_arm_runtime::ResponseFuture<
        '_,
        codegen_tests::operations_fixture::models::Widget,
    > = widgets.get(RG, &String::from("wid1"), None);
    fn is_send<T: Send>(value: T) -> T {
        value
    }
    let response = is_send(future).await.unwrap();
    assert_eq!(response.into_model().unwrap().location, "westus");
    f.finish();
}

#[tokio::test]
async fn a_failed_plain_call_gives_the_typed_cloud_error() {
    let f = Fixture::start().await;
    f.expect(
        "GET",
        &f.widget("wid1", ""),
        None,
        Reply::json(404, error_json("ResourceNotFound")),
    );
    let error = f.widgets().get(RG, "wid1", None).await.unwrap_err();
    assert_eq!(error.http_status(), Some(StatusCode::NotFound));
    assert_eq!(
        cloud_error_code(&error).as_deref(),
        Some("ResourceNotFound")
    );
    // A header value that could end the header early is refused before sending.
    let error = f
        .widgets()
        .get(
            RG,
            "wid1",
            Some(WidgetsGetOptions {
                if_none_match: Some("a\r\nx: y".to_owned()),
                ..Default::default()
            }),
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("control characters"), "{error}");
    f.finish();
}

// ---- PUT, PATCH, DELETE ------------------------------------------------------------------------

#[tokio::test]
async fn put_201_creating_polls_the_provisioning_state_of_the_original_uri() {
    let f = Fixture::start().await;
    let target = f.widget("wid1", "");
    f.expect(
        "PUT",
        &target,
        Some(json!({"location": "westus"})),
        Reply::json(201, widget_json("Creating")),
    );
    f.expect("GET", &target, None, widget_reply("Updating"));
    f.expect("GET", &target, None, widget_reply("Succeeded"));
    let response = f
        .widgets()
        .begin_create_or_update(RG, "wid1", &new_widget(), create_options())
        .unwrap()
        .await;
    let widget = response.unwrap().into_model().unwrap();
    assert_eq!(
        widget.properties.unwrap().provisioning_state.as_deref(),
        Some("Succeeded")
    );
    f.finish();
}

#[tokio::test]
async fn put_200_succeeded_is_done_at_once() {
    let f = Fixture::start().await;
    f.expect(
        "PUT",
        &f.widget("wid1", ""),
        Some(json!({"location": "westus"})),
        widget_reply("Succeeded"),
    );
    let response = f
        .widgets()
        .begin_create_or_update(RG, "wid1", &new_widget(), None)
        .unwrap()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::Ok);
    assert_eq!(f.server.received().len(), 1);
    f.finish();
}

#[tokio::test]
async fn put_202_async_operation_ends_with_a_get_of_the_resource() {
    let f = Fixture::start().await;
    let target = f.widget("wid1", "");
    let op = f.operation("op1");
    f.expect_put_accepted(&op);
    f.expect("GET", &op, None, monitor("InProgress"));
    f.expect("GET", &op, None, monitor("Succeeded"));
    f.expect("GET", &target, None, widget_reply("Succeeded"));
    let options = codegen_tests::operations_fixture::WidgetsCreateOrUpdateOptions {
        method_options: fast(),
        if_match: Some("\"e1\"".to_owned()),
        ..Default::default()
    };
    let response = f
        .widgets()
        .begin_create_or_update(RG, "wid1", &new_widget(), Some(options))
        .unwrap()
        .await
        .unwrap();
    assert_eq!(response.into_model().unwrap().name.as_deref(), Some("wid1"));
    assert_eq!(f.server.received()[0].header("if-match"), Some("\"e1\""));
    f.finish();
}

#[tokio::test]
async fn patch_202_location_is_polled_to_the_result() {
    let f = Fixture::start().await;
    let target = f.widget("wid1", "");
    let result = f.operation_result("op2");
    let update = WidgetUpdate {
        tags: Some([("a".to_owned(), "b".to_owned())].into()),
    };
    f.expect(
        "PATCH",
        &target,
        Some(json!({"tags": {"a": "b"}})),
        f.accepted_with_location(&result)
            .header("retry-after-ms", "20"),
    );
    f.expect("GET", &result, None, Reply::accepted());
    f.expect("GET", &result, None, widget_reply("Succeeded"));
    let options = codegen_tests::operations_fixture::WidgetsUpdateOptions {
        method_options: fast(),
        ..Default::default()
    };
    let widget = finished(f.widgets().begin_update(RG, "wid1", &update, Some(options))).await;
    assert_eq!(widget.location, "westus");
    let waited = f.server.waited_before(1);
    assert!(
        waited >= Duration::from_millis(20),
        "retry-after-ms honoured: {waited:?}"
    );
    f.finish();
}

#[tokio::test]
async fn delete_202_location_200_and_204() {
    let f = Fixture::start().await;
    let target = f.widget("wid1", "");
    let result = f.operation_result("op3");
    f.expect("DELETE", &target, None, f.accepted_with_location(&result));
    f.expect("GET", &result, None, Reply::accepted());
    f.expect("GET", &result, None, Reply::status(204));
    f.expect("DELETE", &target, None, Reply::status(200));
    f.expect("DELETE", &target, None, Reply::status(204));
    let options = || codegen_tests::operations_fixture::WidgetsDeleteOptions {
        method_options: fast(),
        ..Default::default()
    };
    for expected in [StatusCode::NoContent, StatusCode::Ok, StatusCode::NoContent] {
        let response = f
            .widgets()
            .begin_delete(RG, "wid1", Some(options()))
            .unwrap()
            .await
            .unwrap();
        assert_eq!(response.status(), expected);
    }
    f.finish();
}

/// Per-call options of the PUT: 5 ms between polls.
fn create_options()
-> Option<codegen_tests::operations_fixture::WidgetsCreateOrUpdateOptions<'static>> {
    Some(
        codegen_tests::operations_fixture::WidgetsCreateOrUpdateOptions {
            method_options: fast(),
            ..Default::default()
        },
    )
}

// ---- POST and final-state-via -------------------------------------------------------------------

/// Starts `restartLocation` of `wid1` (5 ms between polls) and awaits its end.
async fn restart_location(f: &Fixture) -> azure_core::Result<Response<RestartResult>> {
    let options = codegen_tests::operations_fixture::WidgetsRestartLocationOptions {
        method_options: fast(),
        ..Default::default()
    };
    f.widgets()
        .begin_restart_location(RG, "wid1", Some(options))
        .expect("valid parameters")
        .await
}

/// Awaits a long-running method's poller and reads the final model.
async fn finished<T: serde::de::DeserializeOwned + Send + 'static>(
    poller: azure_core::Result<azure_arm_runtime::ArmPoller<T>>,
) -> T {
    poller.unwrap().await.unwrap().into_model().unwrap()
}

#[tokio::test]
async fn post_final_state_via_location_azure_async_operation_original_uri_and_default() {
    use codegen_tests::operations_fixture::{
        WidgetsRestartAsyncOptions, WidgetsRestartDefaultOptions, WidgetsRestartOriginalOptions,
    };
    let f = Fixture::start().await;
    let op = f.operation("op4");
    let loc = f.operation_result("op4");
    // Each POST is accepted with both headers and polled once; then `last` (what the
    // final-state-via says to read) answers.
    let script = |suffix: &str, monitor_body: Value, last: Option<&str>| {
        let target = f.widget("wid1", suffix);
        f.expect(
            "POST",
            &target,
            None,
            f.accepted_with_monitor(&op).header("Location", f.url(&loc)),
        );
        f.expect("GET", &op, None, Reply::json(200, monitor_body));
        if let Some(last) = last {
            let last = if last == "original" {
                target.as_str()
            } else {
                loc.as_str()
            };
            f.expect(
                "GET",
                last,
                None,
                Reply::json(200, json!({"restarted": true})),
            );
        }
    };
    let succeeded = || json!({"status": "Succeeded"});

    // location: the final GET of the initial Location.
    script("/restartLocation", succeeded(), Some("location"));
    let result = restart_location(&f).await.unwrap().into_model().unwrap();
    assert_eq!(result.restarted, Some(true));

    // azure-async-operation: the status monitor's own body, no extra GET.
    script(
        "/restartAsync",
        json!({"status": "Succeeded", "restarted": false}),
        None,
    );
    let options = WidgetsRestartAsyncOptions {
        method_options: fast(),
        ..Default::default()
    };
    let result = finished(f.widgets().begin_restart_async(RG, "wid1", Some(options))).await;
    assert_eq!(result.restarted, Some(false));

    // original-uri: GET of the URL the POST went to.
    script("/restartOriginal", succeeded(), Some("original"));
    let options = WidgetsRestartOriginalOptions {
        method_options: fast(),
        ..Default::default()
    };
    let result = finished(
        f.widgets()
            .begin_restart_original(RG, "wid1", Some(options)),
    )
    .await;
    assert_eq!(result.restarted, Some(true));

    // No final-state-via on a POST: the initial Location when there is one.
    script("/restartDefault", succeeded(), Some("location"));
    let options = WidgetsRestartDefaultOptions {
        method_options: fast(),
        ..Default::default()
    };
    let result = finished(f.widgets().begin_restart_default(RG, "wid1", Some(options))).await;
    assert_eq!(result.restarted, Some(true));
    f.finish();
}

// ---- failures ------------------------------------------------------------------------------------

#[tokio::test]
async fn failed_and_canceled_in_each_strategy_carry_the_cloud_error() {
    let f = Fixture::start().await;
    let target = f.widget("wid1", "");
    let op = f.operation("op5");
    let loc = f.operation_result("op5");
    let body = Some(json!({"location": "westus"}));

    // Status monitor: Failed with the error.
    f.expect("PUT", &target, body.clone(), f.accepted_with_monitor(&op));
    let mut failed = error_json("QuotaExceeded");
    failed["status"] = json!("Failed");
    f.expect("GET", &op, None, Reply::json(200, failed));
    // Location: an error status while polling.
    f.expect("PUT", &target, body.clone(), f.accepted_with_location(&loc));
    f.expect("GET", &loc, None, Reply::json(409, error_json("Conflict")));
    // Resource body: provisioningState Canceled.
    f.expect(
        "PUT",
        &target,
        body.clone(),
        Reply::json(201, widget_json("Creating")),
    );
    f.expect("GET", &target, None, widget_reply("Canceled"));

    for (code, status, message) in [
        (
            Some("QuotaExceeded"),
            StatusCode::Ok,
            "the long-running operation failed",
        ),
        (
            Some("Conflict"),
            StatusCode::Conflict,
            "the long-running operation failed while polling its Location",
        ),
        (
            None,
            StatusCode::Ok,
            "the long-running operation was canceled",
        ),
    ] {
        let error = f
            .widgets()
            .begin_create_or_update(RG, "wid1", &new_widget(), create_options())
            .unwrap()
            .await
            .unwrap_err();
        assert_eq!(error.http_status(), Some(status), "{error}");
        assert!(error.to_string().starts_with(message), "{error}");
        assert!(!error.to_string().contains("poller completed"), "{error}");
        assert_eq!(cloud_error_code(&error).as_deref(), code);
    }
    f.finish();
}

#[tokio::test]
async fn bad_polls_are_errors_that_say_what_and_where() {
    let f = Fixture::start().await;
    let target = f.widget("wid1", "/restartLocation");
    let op = f.operation("op6");
    // 400 during polling.
    f.expect("POST", &target, None, f.accepted_with_monitor(&op));
    f.expect("GET", &op, None, Reply::json(400, error_json("BadPoll")));
    let error = restart_location(&f).await.unwrap_err();
    assert_eq!(error.http_status(), Some(StatusCode::BadRequest));
    assert_eq!(cloud_error_code(&error).as_deref(), Some("BadPoll"));
    // Invalid JSON in a poll.
    f.expect("POST", &target, None, f.accepted_with_monitor(&op));
    f.expect(
        "GET",
        &op,
        None,
        Reply::status(200).raw_body(b"{not json".to_vec()),
    );
    let error = restart_location(&f).await.unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::DataConversion);
    assert!(
        error
            .to_string()
            .contains("status monitor answered with a body that is not a JSON object"),
        "{error}"
    );
    assert!(error.to_string().contains("/operations/op6"), "{error}");
    // A 202 without a polling header.
    f.expect("POST", &target, None, Reply::accepted());
    let error = restart_location(&f).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no Azure-AsyncOperation, Operation-Location or Location header"),
        "{error}"
    );
    f.finish();
}

#[tokio::test]
async fn retry_after_in_each_form() {
    let f = Fixture::start().await;
    let target = f.widget("wid1", "/restartLocation");
    let loc = f.operation_result("op7");
    let past = azure_core::time::to_rfc7231(
        &(azure_core::time::OffsetDateTime::now_utc() - azure_core::time::Duration::hours(1)),
    );
    let future = azure_core::time::to_rfc7231(
        &(azure_core::time::OffsetDateTime::now_utc() + azure_core::time::Duration::seconds(2)),
    );
    // (header, value, at least this long before the next poll)
    let forms = [
        // HTTP dates have whole seconds: at least one of the two is left.
        ("Retry-After", future, Duration::from_millis(500)),
        ("Retry-After", "1".to_owned(), Duration::from_secs(1)),
        ("retry-after-ms", "60".to_owned(), Duration::from_millis(60)),
        (
            "x-ms-retry-after-ms",
            "40".to_owned(),
            Duration::from_millis(40),
        ),
        // Zero, a past date and garbage mean the default delay (5 ms here), not "at once".
        ("Retry-After", "0".to_owned(), Duration::from_millis(5)),
        ("Retry-After", past, Duration::from_millis(5)),
        ("Retry-After", "soon".to_owned(), Duration::from_millis(5)),
    ];
    for (header, value, at_least) in forms {
        f.expect(
            "POST",
            &target,
            None,
            f.accepted_with_location(&loc).header(header, value.clone()),
        );
        f.expect(
            "GET",
            &loc,
            None,
            Reply::json(200, json!({"restarted": true})),
        );
        restart_location(&f).await.unwrap();
        let waited = f.server.waited_before(f.server.received().len() - 1);
        assert!(waited >= at_least, "{header}: {value}: waited {waited:?}");
    }
    // A hint past the call's bound ends the operation at once.
    f.expect(
        "POST",
        &target,
        None,
        f.accepted_with_location(&loc)
            .header("Retry-After", "999999999"),
    );
    let started = Instant::now();
    let options = codegen_tests::operations_fixture::WidgetsRestartLocationOptions {
        method_options: fast(),
        timeout: Some(Duration::from_secs(60)),
    };
    let error = f
        .widgets()
        .begin_restart_location(RG, "wid1", Some(options))
        .unwrap()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(error.to_string().ends_with("within 60s"), "{error}");
    f.finish();
}

// ---- streaming and resume ------------------------------------------------------------------------

#[tokio::test]
async fn the_stream_shows_each_status_and_resume_finishes_in_a_new_client() {
    let f = Fixture::start().await;
    let target = f.widget("wid1", "");
    let op = f.operation("op8");
    f.expect_put_accepted(&op);
    f.expect("GET", &op, None, monitor("Running"));
    let mut poller = f
        .widgets()
        .begin_create_or_update(RG, "wid1", &new_widget(), create_options())
        .unwrap();
    let first = poller.try_next().await.unwrap().unwrap();
    assert_eq!(first.status(), StatusCode::Accepted);
    let first = first.into_model().unwrap();
    assert_eq!(first.status(), PollerStatus::InProgress);
    let second = poller
        .try_next()
        .await
        .unwrap()
        .unwrap()
        .into_model()
        .unwrap();
    assert_eq!(second.status_text(), "Running");
    // Stop here, as a process would, keeping only the token.
    let token = second.resume_token().unwrap().to_json();
    drop(poller);

    // A new client (another process, as far as the token knows) finishes the operation.
    let client = client(&f.ca, &f.server);
    f.expect("GET", &op, None, monitor("Succeeded"));
    f.expect("GET", &target, None, widget_reply("Succeeded"));
    let token = azure_arm_runtime::ResumeToken::from_json(&token).unwrap();
    let settings = azure_arm_runtime::PollSettings {
        options: fast(),
        timeout: None,
    };
    let widget = client
        .widgets_client()
        .resume_create_or_update(token.clone(), Some(settings))
        .unwrap()
        .await
        .unwrap()
        .into_model()
        .unwrap();
    assert_eq!(widget.name.as_deref(), Some("wid1"));
    // The token of one operation does not resume another.
    assert!(client.widgets_client().resume_delete(token, None).is_err());
    f.finish();
}

// ---- required fields that responses omit ---------------------------------------------------------

/// `adminPassword` is required and secret: callers must send it (`WidgetProperties::new`
/// takes it), the service never returns it, and a response without it still deserializes
/// (to an empty secret) instead of failing the whole call.
#[tokio::test]
async fn a_required_secret_is_sent_and_may_be_omitted_by_responses() {
    use codegen_tests::operations_fixture::{
        WidgetsCreateOrUpdateOptions, models::WidgetProperties,
    };
    let f = Fixture::start().await;
    let target = f.widget("wid1", "");
    f.expect(
        "PUT",
        &target,
        Some(json!({"location": "westus", "properties": {"adminPassword": "hunter2"}})),
        widget_reply("Succeeded"),
    );
    let mut widget = new_widget();
    widget.properties = Some(WidgetProperties::new("hunter2".into()));
    let options = WidgetsCreateOrUpdateOptions {
        method_options: fast(),
        ..Default::default()
    };
    let created = finished(
        f.widgets()
            .begin_create_or_update(RG, "wid1", &widget, Some(options)),
    )
    .await;
    let properties = created.properties.unwrap();
    assert_eq!(properties.admin_password.expose_secret(), "");
    assert_eq!(properties.size, Some(3));
    assert!(!format!("{widget:?}").contains("hunter2"));
    f.finish();
}
