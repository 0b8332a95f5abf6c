//! Delays between polls (Retry-After in seconds or as an HTTP date, the millisecond headers,
//! the default delay) and the bounds on a whole operation (timeouts, capped hints).

use super::support::*;

// ---- Retry-After and the default delay ----------------------------------------------------

#[tokio::test(start_paused = true)]
async fn retry_after_seconds_is_honoured() {
    let h = paced(
        vec![
            accepted_location().header("Retry-After", "7"),
            respond(202).header("Retry-After", "3"),
            respond(200).body(sas_body()),
        ],
        Duration::from_secs(3600),
    );
    assert_eq!(time_to_grant(&h).await, Duration::from_secs(10));
}

#[tokio::test(start_paused = true)]
async fn retry_after_http_date_is_honoured() {
    let date = http_date(20);
    let h = paced(
        vec![
            accepted_location().header("Retry-After", date),
            respond(200).body(sas_body()),
        ],
        Duration::from_secs(3600),
    );
    let elapsed = time_to_grant(&h).await;
    // HTTP dates have whole seconds.
    assert!(
        elapsed >= Duration::from_secs(18) && elapsed <= Duration::from_secs(20),
        "{elapsed:?}"
    );

    let past = http_date(-20);
    let h = paced(
        vec![
            accepted_location().header("Retry-After", past),
            respond(200).body(sas_body()),
        ],
        Duration::from_secs(3600),
    );
    // A date in the past counts as no hint: the default delay.
    assert_eq!(time_to_grant(&h).await, Duration::from_secs(3600));
}

#[tokio::test(start_paused = true)]
async fn retry_after_zero_means_the_default_delay() {
    let h = paced(
        vec![
            accepted_location().header("Retry-After", "0"),
            respond(202).header("Retry-After", "0"),
            respond(200).body(sas_body()),
        ],
        Duration::from_secs(3600),
    );
    assert_eq!(time_to_grant(&h).await, Duration::from_secs(7200));
    assert_eq!(h.transport.requests().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn millisecond_retry_headers_are_honoured() {
    let h = paced(
        vec![
            accepted_async().header("retry-after-ms", "250"),
            monitor("InProgress").header("x-ms-retry-after-ms", "1500"),
            monitor("InProgress")
                .header("retry-after-ms", "junk")
                .header("Retry-After", "2"),
            monitor("Succeeded"),
            respond(200).body(sas_body()),
        ],
        Duration::from_secs(3600),
    );
    assert_eq!(
        time_to_grant(&h).await,
        Duration::from_millis(250 + 1500 + 2000)
    );
}

#[tokio::test(start_paused = true)]
async fn without_retry_after_the_default_delay_is_used() {
    let h = paced(
        vec![
            respond(202).header("Azure-AsyncOperation", ASYNC),
            monitor("InProgress"),
            monitor("InProgress").header("Retry-After", "not a number"),
            monitor("Succeeded"),
        ],
        Duration::from_secs(30),
    );
    let (elapsed, outcome) = time_to_revoke(&h).await;
    outcome.unwrap();
    assert_eq!(elapsed, Duration::from_secs(90));

    // The call's PollerOptions::frequency is the default delay, even below azure_core's 1 s.
    let mut h = paced(
        vec![accepted_location(), respond(202), respond(204)],
        Duration::from_secs(30),
    );
    h.default_delay = Duration::from_millis(5);
    let (elapsed, outcome) = time_to_revoke(&h).await;
    outcome.unwrap();
    assert_eq!(elapsed, Duration::from_millis(10));
}

#[tokio::test(start_paused = true)]
async fn zero_negative_past_or_garbage_hints_mean_the_default_delay() {
    let past = http_date(-20);
    for hint in [
        ("Retry-After", "0".to_owned()),
        ("Retry-After", "-5".to_owned()),
        ("Retry-After", past),
        ("Retry-After", "soon".to_owned()),
        ("retry-after-ms", "0".to_owned()),
    ] {
        let h = paced(
            vec![
                accepted_location().header(hint.0, hint.1.clone()),
                respond(202).header(hint.0, hint.1.clone()),
                respond(204),
            ],
            Duration::from_secs(7),
        );
        let (elapsed, outcome) = time_to_revoke(&h).await;
        outcome.unwrap();
        assert_eq!(elapsed, Duration::from_secs(14), "{hint:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn absurd_hints_are_capped() {
    for hint in [
        ("Retry-After", "999999999".to_owned()),
        ("retry-after-ms", "99999999999999".to_owned()),
        ("x-ms-retry-after-ms", "99999999999999".to_owned()),
        ("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
    ] {
        let h = harness(vec![
            accepted_location().header(hint.0, hint.1.clone()),
            respond(204),
        ]);
        let (elapsed, outcome) = time_to_revoke(&h).await;
        outcome.unwrap();
        assert_eq!(elapsed, crate::MAX_SERVICE_DELAY, "{hint:?}");
    }
}

// ---- bounds on the operation --------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn timeout_bounds_the_whole_operation() {
    let mut script = vec![accepted_async().header("Retry-After", "")];
    script.extend((0..100).map(|_| monitor("InProgress")));
    let mut h = paced(script, Duration::from_secs(1));
    h.timeout = Some(Duration::from_millis(5500));
    let start = Instant::now();
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::from_millis(5500));
    assert_eq!(
        error.to_string(),
        "the long-running operation did not finish within 5.5s"
    );
    let source = std::error::Error::source(&error)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .unwrap();
    assert_eq!(source.kind(), std::io::ErrorKind::TimedOut);
    let polls = h.transport.requests().len();
    assert_eq!(polls, 1 + 5);
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(
        h.transport.requests().len(),
        polls,
        "no polling after the timeout"
    );
}

#[tokio::test]
async fn timeout_in_real_time() {
    let mut script = vec![accepted_location()];
    script.extend((0..1000).map(|_| respond(202)));
    let mut h = paced(script, Duration::from_millis(5));
    h.timeout = Some(Duration::from_millis(60));
    let start = std::time::Instant::now();
    let error = grant_poller(&h, FinalStateVia::Location).await.unwrap_err();
    let elapsed = start.elapsed();
    // A wait that would end past the bound ends the operation at once: at the latest one
    // delay (5 ms) before the bound.
    assert!(
        elapsed >= Duration::from_millis(55) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    assert!(error.to_string().contains("60ms"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_cancels_polling() {
    let mut script = vec![accepted_async().header("Retry-After", "")];
    script.extend((0..100).map(|_| monitor("InProgress")));
    let h = paced(script, Duration::from_secs(1));
    let future = grant_raw(&h, FinalStateVia::Location).into_future();
    assert!(
        tokio::time::timeout(Duration::from_millis(3500), future)
            .await
            .is_err()
    );
    let polls = h.transport.requests().len();
    assert_eq!(polls, 4);
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(h.transport.requests().len(), polls);
}

#[tokio::test(start_paused = true)]
async fn pipeline_timeout_option_applies() {
    let mut script = vec![accepted_location()];
    script.extend((0..100).map(|_| respond(202)));
    let h = paced(script, Duration::from_secs(1));
    // A pipeline whose client-wide bound is 3 s.
    let pipeline = crate::ArmPipeline::new(
        "t",
        "1",
        h.credential.clone(),
        azure_core::http::ClientOptions {
            transport: Some(azure_core::http::Transport::new(h.transport.clone())),
            ..Default::default()
        },
        crate::PollingOptions {
            timeout: Some(Duration::from_secs(3)),
        },
    )
    .unwrap();
    let start = Instant::now();
    let error = pipeline
        .begin_long_running::<(), NoFormat>(revoke(), h.settings())
        .await
        .unwrap_err();
    assert_eq!(start.elapsed(), Duration::from_secs(3));
    assert!(error.to_string().ends_with("within 3s"));
}

#[tokio::test(start_paused = true)]
async fn default_options_bound_the_operation() {
    assert_eq!(
        crate::PollingOptions::default().timeout,
        Some(crate::DEFAULT_OPERATION_TIMEOUT)
    );
}

#[tokio::test(start_paused = true)]
async fn a_hint_past_the_bound_ends_at_once() {
    for hint in [
        ("Retry-After", "999999999".to_owned()),
        ("retry-after-ms", "99999999999999".to_owned()),
        ("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
        ("Retry-After", "120".to_owned()),
    ] {
        let mut h = harness(vec![
            accepted_location().header(hint.0, hint.1.clone()),
            respond(204),
        ]);
        h.timeout = Some(Duration::from_secs(60));
        let (elapsed, outcome) = time_to_revoke(&h).await;
        let error = outcome.unwrap_err();
        assert_eq!(elapsed, Duration::ZERO, "{hint:?}");
        assert!(error.to_string().ends_with("within 60s"), "{error}");
        assert_eq!(h.transport.requests().len(), 1);
    }
}

#[tokio::test(start_paused = true)]
async fn a_throttled_poll_with_a_huge_retry_after_is_bounded() {
    // Inside the pipeline's retry policy: capped without a bound...
    let h = harness(vec![
        accepted_location(),
        respond(429).header("Retry-After", "999999999"),
        respond(204),
    ]);
    let (elapsed, outcome) = time_to_revoke(&h).await;
    outcome.unwrap();
    assert!(
        elapsed >= crate::MAX_SERVICE_DELAY && elapsed < crate::MAX_SERVICE_DELAY * 2,
        "{elapsed:?}"
    );

    // ... and past the operation's bound, the operation ends at once.
    let mut h = harness(vec![
        accepted_location().header("Retry-After", "1"),
        respond(503).header("Retry-After", "999999999"),
        respond(204),
    ]);
    h.timeout = Some(Duration::from_secs(30));
    let (elapsed, outcome) = time_to_revoke(&h).await;
    let error = outcome.unwrap_err();
    assert!(error.to_string().ends_with("within 30s"), "{error}");
    assert_eq!(elapsed, Duration::from_secs(1));
    assert_eq!(h.transport.requests().len(), 2);
}
