//! What the poller sends, and where: poll URLs resolved and checked against the endpoint
//! before any request, the token on every request, nothing secret in a request's Debug.

use super::support::*;

// ---- poll URLs ----------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn relative_poll_urls_resolve_against_the_request_url() {
    let h = harness(vec![
        respond(202)
            .header(
                "Azure-AsyncOperation",
                "../operations/op1?api-version=2025-01-02",
            )
            .header(
                "Location",
                "/subscriptions/s/operationResults/op1?api-version=2025-01-02",
            ),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]);
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    assert_eq!(
        h.transport.urls(),
        vec![
            OP.to_owned(),
            "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/operations/op1?api-version=2025-01-02".to_owned(),
            "https://management.azure.com/subscriptions/s/operationResults/op1?api-version=2025-01-02".to_owned(),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn poll_url_query_is_kept_untouched() {
    let odd = "https://management.azure.com/ops/1?api-version=2024-03-02&t=a%2Bb%3D&s=X_y-1";
    let h = harness(vec![
        respond(202)
            .header("Azure-AsyncOperation", odd)
            .header("Location", LOC),
        monitor("InProgress"),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]);
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    let requests = h.transport.requests();
    for poll in &requests[1..3] {
        assert_eq!(poll.url.as_str(), odd);
        assert_eq!(poll.url.as_str().matches("api-version").count(), 1);
    }
    assert_eq!(requests[3].url.as_str(), LOC);
}

#[tokio::test(start_paused = true)]
async fn insecure_or_foreign_poll_urls_are_refused_before_any_request() {
    let foreign = [
        ("Location", "http://management.azure.com/ops/1"),
        ("Location", "https://evil.example.com/ops/1"),
        ("Location", "https://management.azure.com:8443/ops/1"),
        ("Location", "//evil.example.com/ops/1"),
        ("Location", "https://user:pw@management.azure.com/ops/1"),
        ("Azure-AsyncOperation", "http://management.azure.com/ops/1"),
        (
            "Azure-AsyncOperation",
            "https://management.azure.com.evil.example/ops/1",
        ),
    ];
    for (header, url) in foreign {
        let h = harness(vec![
            respond(202).header(header, url),
            monitor("Succeeded"),
            respond(200).body(sas_body()),
        ]);
        let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("refusing to follow the poll URL"),
            "{url}: {error}"
        );
        assert!(!error.to_string().contains("evil"), "{error}");
        assert_eq!(
            h.transport.requests().len(),
            1,
            "{url}: only the initial request"
        );
        assert_eq!(
            h.credential.calls.load(std::sync::atomic::Ordering::SeqCst),
            1
        );
    }
}

#[tokio::test(start_paused = true)]
async fn foreign_final_state_url_is_refused_before_polling() {
    let h = harness(vec![
        respond(202)
            .header("Azure-AsyncOperation", ASYNC)
            .header("Location", "https://evil.example.com/result"),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_starts_with(&error, "refusing to follow the Location URL");
    assert_eq!(h.transport.requests().len(), 1);

    // Not used as the final state: no reason to refuse.
    let h = revoke_with_unused_location("https://evil.example.com/result").await;
    assert_eq!(
        h.transport.urls(),
        vec![revoke().request.url.to_string(), ASYNC.to_owned()]
    );
}

#[tokio::test(start_paused = true)]
async fn a_moved_location_to_a_foreign_host_is_refused() {
    let h = harness(vec![
        accepted_location(),
        respond(202).header("Location", "https://evil.example.com/next"),
        respond(200).body(sas_body()),
    ]);
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_starts_with(&error, "refusing to follow the poll URL");
    assert_eq!(h.transport.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn custom_endpoint_port_must_match() {
    let cloud = custom_cloud("https://127.0.0.1:8443");
    let op = "https://127.0.0.1:8443/op?api-version=1";
    let ok = "https://127.0.0.1:8443/status/1";
    let h = harness_with(
        vec![respond(202).header("Location", ok), respond(204)],
        Some(cloud.clone()),
        Duration::from_millis(1),
    );
    let request = || lro(Method::Post, op, Some(FinalStateVia::Location));
    empty(&h, request()).await.unwrap();
    assert_eq!(h.transport.urls(), vec![op, ok]);

    let h = harness_with(
        vec![
            respond(202).header("Location", "https://127.0.0.1/status/1"),
            respond(204),
        ],
        Some(cloud.clone()),
        Duration::from_millis(1),
    );
    assert!(empty(&h, request()).await.is_err());
    assert_eq!(h.transport.requests().len(), 1);
}

#[test]
fn endpoint_of_the_default_cloud() {
    let h = harness(Vec::new());
    assert_eq!(h.pipeline.endpoint().as_str(), format!("{ENDPOINT}/"));
}

// ---- credentials and Debug ----------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn every_request_carries_the_token_for_the_arm_scope() {
    let h = harness(async_succeeds());
    grant_poller(&h, FinalStateVia::Location).await.unwrap();
    for request in h.transport.requests() {
        assert_eq!(
            request.header("authorization"),
            Some(&*format!("Bearer {TOKEN}"))
        );
        let user_agent = request.header("user-agent").unwrap();
        // azure_core drops the `azure_` prefix of the crate name.
        assert!(
            user_agent.contains("arm_runtime_tests/0.0.1"),
            "{user_agent}"
        );
    }
    let scopes = h.credential.scopes.lock().unwrap().clone();
    assert!(
        scopes
            .iter()
            .all(|s| s == "https://management.azure.com/.default")
    );
    assert!(!scopes.is_empty());
}

#[test]
fn request_debug_hides_the_body() {
    let mut request = grant(FinalStateVia::Location);
    request.request.body =
        Some(json_body(&serde_json::json!({"adminPassword": "hunter2"})).unwrap());
    let debug = format!("{request:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(!debug.contains("api-version"), "{debug}");
    assert!(debug.contains("body_len: Some(27)"), "{debug}");
}
