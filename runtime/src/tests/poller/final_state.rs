//! How each final-state-via strategy ends an operation: an immediate result, Location
//! polling, the status monitor (Azure-AsyncOperation) and the final GET it leads to.

use super::support::*;

// ---- initial response ---------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn immediate_200_with_body_is_the_result() {
    let h = harness(vec![respond(200).body(sas_body())]);
    let result = grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
    let requests = h.transport.requests();
    assert_eq!(requests.len(), 1);
    let initial = &requests[0];
    assert_eq!(initial.method, Method::Post);
    assert_eq!(initial.url.as_str(), OP);
    assert_eq!(initial.header("content-type"), Some("application/json"));
    assert_eq!(initial.header("accept"), Some("application/json"));
    assert_eq!(
        &initial.body[..],
        br#"{"access":"Read","durationInSeconds":3600}"#
    );
}

#[tokio::test(start_paused = true)]
async fn immediate_201_with_body_is_the_result() {
    let h = harness(vec![respond(201).body(sas_body())]);
    let result = grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
}

#[tokio::test(start_paused = true)]
async fn revoke_200_or_204_without_body_is_done() {
    for status in [200, 204] {
        let h = harness(vec![respond(status)]);
        empty(&h, revoke()).await.unwrap();
        let requests = h.transport.requests();
        assert_eq!(requests.len(), 1);
        // No body: no Content-Type, but still Accept.
        assert_eq!(requests[0].header("content-type"), None);
        assert_eq!(requests[0].header("accept"), Some("application/json"));
        assert!(requests[0].body.is_empty());
    }
}

#[tokio::test(start_paused = true)]
async fn decode_json_of_an_empty_final_body_says_so() {
    let h = harness(vec![respond(200)]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::DataConversion);
}

#[tokio::test(start_paused = true)]
async fn initial_200_with_polling_header_and_terminal_state_is_done() {
    let h = harness(vec![resource(200, "Succeeded").header("Location", LOC)]);
    let value: serde_json::Value = model(&h, grant(FinalStateVia::Location)).await.unwrap();
    assert_eq!(value["properties"]["provisioningState"], "Succeeded");
    assert_eq!(h.transport.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn initial_201_with_location_and_no_state_is_polled() {
    let h = harness(vec![
        respond(201).header("Location", LOC),
        respond(200).body(sas_body()),
    ]);
    let result = grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
    // Location polling ends with the Location's own 200 body: no final GET.
    assert_eq!(h.transport.urls(), vec![OP, LOC]);
}

// ---- Location polling ---------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn location_is_polled_until_200_with_the_result() {
    let h = harness(vec![
        accepted_location(),
        respond(202),
        respond(202),
        respond(200).body(sas_body()),
    ]);
    let result = grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
    let requests = h.transport.requests();
    assert_eq!(requests.len(), 4);
    for poll in &requests[1..] {
        assert_is_get_poll(poll, LOC);
    }
}

#[tokio::test(start_paused = true)]
async fn location_polled_until_204_is_done_without_body() {
    let h = harness(vec![accepted_location(), respond(202), respond(204)]);
    empty(&h, revoke()).await.unwrap();
    assert_eq!(h.transport.requests().len(), 3);

    // The same 204 with a model expected: a data-conversion error (there is no body).
    let h = harness(vec![accepted_location(), respond(204)]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::DataConversion, "{error}");
}

#[tokio::test(start_paused = true)]
async fn location_poll_may_move_to_a_new_location() {
    let next = "https://management.azure.com/operations/op2?api-version=2025-01-02";
    let h = harness(vec![
        accepted_location(),
        respond(202).header("Location", "/operations/op2?api-version=2025-01-02"),
        respond(200).body(sas_body()),
    ]);
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(h.transport.urls(), vec![OP, LOC, next]);
}

// ---- status monitor -----------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn async_operation_then_final_get_of_location() {
    let h = harness(vec![
        accepted_async(),
        monitor("InProgress"),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]);
    let result = grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
    let requests = h.transport.requests();
    assert_eq!(requests.len(), 4);
    assert_is_get_poll(&requests[1], ASYNC);
    assert_is_get_poll(&requests[2], ASYNC);
    assert_is_get_poll(&requests[3], LOC);
}

#[tokio::test(start_paused = true)]
async fn async_operation_with_location_final_state_but_no_location_has_no_result_body() {
    let script = || {
        vec![
            respond(202).header("Azure-AsyncOperation", ASYNC),
            monitor("Succeeded"),
        ]
    };
    let h = harness(script());
    empty(&h, revoke()).await.unwrap();
    assert_eq!(h.transport.requests().len(), 2);

    let h = harness(script());
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::DataConversion, "{error}");
    assert_eq!(h.transport.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn async_operation_final_state_is_the_monitor_body() {
    #[derive(Deserialize)]
    struct Monitor {
        status: String,
        properties: AccessUri,
    }
    let h = harness(vec![
        accepted_async(),
        respond(200).body(format!(
            r#"{{"status":"Succeeded","properties":{}}}"#,
            sas_body()
        )),
    ]);
    let result: Monitor = model(&h, grant(FinalStateVia::AzureAsyncOperation))
        .await
        .unwrap();
    assert_eq!(result.status, "Succeeded");
    assert_eq!(result.properties.access_sas.expose_secret(), SAS);
    assert_eq!(h.transport.urls(), vec![OP, ASYNC]);
}

#[tokio::test(start_paused = true)]
async fn async_operation_final_state_original_uri_gets_the_original_url() {
    let h = harness(async_succeeds());
    grant_poller(&h, FinalStateVia::OriginalUri).await.unwrap();
    let requests = h.transport.requests();
    assert_eq!(h.transport.urls(), vec![OP, ASYNC, OP]);
    assert_is_get_poll(&requests[2], OP);
}

#[tokio::test(start_paused = true)]
async fn put_ends_with_a_get_of_the_resource() {
    let h = harness(vec![
        resource(201, "Creating").header("Azure-AsyncOperation", ASYNC),
        monitor("Succeeded"),
        resource(200, "Succeeded"),
    ]);
    let mut request = lro(Method::Put, OP, Some(FinalStateVia::AzureAsyncOperation));
    request.request.body = Some(json_body(&serde_json::json!({"location": "westus"})).unwrap());
    let resource: serde_json::Value = model(&h, request).await.unwrap();
    assert_eq!(resource["properties"]["provisioningState"], "Succeeded");
    assert_eq!(h.transport.urls(), vec![OP, ASYNC, OP]);
}

#[tokio::test(start_paused = true)]
async fn statuses_compare_case_insensitively() {
    let h = harness(vec![
        accepted_async(),
        monitor("inprogress"),
        monitor("Running"),
        monitor("SUCCEEDED"),
        respond(200).body(sas_body()),
    ]);
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(h.transport.requests().len(), 5);
}

#[test]
fn final_state_via_spellings() {
    for (text, value) in [
        ("location", FinalStateVia::Location),
        ("azure-async-operation", FinalStateVia::AzureAsyncOperation),
        ("original-uri", FinalStateVia::OriginalUri),
        ("operation-location", FinalStateVia::OperationLocation),
        ("Azure-Async-Operation", FinalStateVia::AzureAsyncOperation),
    ] {
        assert_eq!(text.parse::<FinalStateVia>().unwrap(), value);
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            format!("\"{}\"", value.as_str())
        );
    }
    assert!("somewhere".parse::<FinalStateVia>().is_err());
}
