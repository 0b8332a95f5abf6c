//! The poller as a lazy future and as a stream of statuses, as azure_core's `Poller` exposes
//! it.

use super::support::*;

#[tokio::test(start_paused = true)]
async fn nothing_is_sent_until_awaited_and_the_future_is_send() {
    fn assert_send<F: Send>(_: &F) {}
    let h = harness(vec![respond(200).body(sas_body())]);
    let poller = grant_raw(&h, FinalStateVia::Location);
    assert!(h.transport.requests().is_empty());
    let future = poller.into_future();
    assert_send(&future);
    assert!(h.transport.requests().is_empty());
    let response = tokio::spawn(future).await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::Ok);
    assert_eq!(h.transport.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_stream_yields_each_status_then_await_gives_the_result() {
    let h = harness(vec![
        accepted_async().header("x-ms-request-id", "r0"),
        monitor("Running"),
        monitor("Succeeded"),
        respond(200)
            .header("x-ms-request-id", "final")
            .body(sas_body()),
    ]);
    let mut poller = grant_raw(&h, FinalStateVia::Location);
    let mut statuses = Vec::new();
    let mut tokens = Vec::new();
    // azure_core's Poller panics when awaited after its stream returned `None`: stop at the
    // terminal status, then await.
    while let Some(status) = poller.try_next().await.unwrap() {
        let http = status.status();
        let status = status.into_model().unwrap();
        let state = azure_core::http::poller::StatusMonitor::status(&status);
        statuses.push((http, status.status_text().to_owned(), state.clone()));
        tokens.push(status.resume_token().cloned());
        if state == PollerStatus::Succeeded {
            break;
        }
    }
    assert_eq!(
        statuses,
        [
            (
                StatusCode::Accepted,
                "InProgress".to_owned(),
                PollerStatus::InProgress
            ),
            (
                StatusCode::Ok,
                "Running".to_owned(),
                PollerStatus::UnknownValue("Running".to_owned())
            ),
            (
                StatusCode::Ok,
                "Succeeded".to_owned(),
                PollerStatus::Succeeded
            ),
        ]
    );
    assert!(tokens[0].is_some() && tokens[1].is_some() && tokens[2].is_none());
    let response = poller.await.unwrap();
    assert_eq!(
        response
            .headers()
            .get_optional_str(&azure_core::http::headers::HeaderName::from_static(
                "x-ms-request-id"
            )),
        Some("final")
    );
    let result: AccessUri = response.into_model().unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
}

#[tokio::test(start_paused = true)]
async fn a_failure_reaches_both_the_stream_and_the_future() {
    let failed = r#"{"status":"Failed","error":{"code":"Boom","message":"it broke"}}"#;
    // Streamed to the end, then awaited: the stream shows Failed, the future the typed error.
    let h = harness(vec![accepted_async(), respond(200).body(failed)]);
    let mut poller = grant_raw(&h, FinalStateVia::Location);
    let mut last = None;
    while let Some(status) = poller.try_next().await.unwrap() {
        let status = status.into_model().unwrap();
        last = Some(status.status_text().to_owned());
        if azure_core::http::poller::StatusMonitor::status(&status) != PollerStatus::InProgress {
            break;
        }
    }
    assert_eq!(last.as_deref(), Some("Failed"));
    let error = poller.await.unwrap_err();
    assert_eq!(error_body::<CloudError>(&error).unwrap().error.code, "Boom");
    assert_eq!(error.http_status(), Some(StatusCode::Ok));

    // An error status while polling: the stream yields the HTTP error with the service's body,
    // and the future still gives the typed error afterwards.
    let h = harness(vec![
        accepted_async(),
        respond(400).body(r#"{"error":{"code":"BadPoll","message":"no"}}"#),
    ]);
    let mut poller = grant_raw(&h, FinalStateVia::Location);
    assert!(poller.try_next().await.unwrap().is_some());
    let streamed = poller.try_next().await.unwrap_err();
    assert_eq!(
        error_body::<CloudError>(&streamed).unwrap().error.code,
        "BadPoll"
    );
    let error = poller.await.unwrap_err();
    assert_eq!(error.http_status(), Some(StatusCode::BadRequest));
    assert_eq!(
        error_body::<CloudError>(&error).unwrap().error.code,
        "BadPoll"
    );
}
