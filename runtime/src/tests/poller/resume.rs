//! Resume tokens: an operation continued in another pipeline, and forged or foreign tokens
//! refused.

use super::support::*;

#[tokio::test(start_paused = true)]
async fn resume_continues_in_another_pipeline() {
    let h = harness(vec![accepted_async(), monitor("InProgress")]);
    let mut poller = grant_raw(&h, FinalStateVia::Location);
    let first = next_status(&mut poller).await;
    let token = first.resume_token().unwrap().clone();
    drop(poller);
    assert_eq!(h.transport.requests().len(), 1);

    // The token survives serialisation and hides its queries from Debug.
    let json = token.to_json();
    let token = ResumeToken::from_json(&json).unwrap();
    assert_eq!(token.operation(), "Disks_Test");
    let debug = format!("{token:?}");
    assert!(!debug.contains("api-version"), "{debug}");

    let other = harness(vec![
        monitor("InProgress"),
        monitor("Succeeded"),
        respond(200).body(sas_body()),
    ]);
    let result: AccessUri = other
        .pipeline
        .resume_long_running::<AccessUri, azure_core::http::JsonFormat>(
            "Disks_Test",
            None,
            token.clone(),
            other.settings(),
        )
        .unwrap()
        .await
        .unwrap()
        .into_model()
        .unwrap();
    assert_eq!(result.access_sas.expose_secret(), SAS);
    assert_eq!(other.transport.urls(), vec![ASYNC, ASYNC, LOC]);

    // Another operation's token is refused.
    let error = other
        .pipeline
        .resume_long_running::<(), NoFormat>("Disks_Other", None, token, other.settings())
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("belongs to operation `Disks_Test`"),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn resume_refuses_a_token_for_another_host() {
    let h = harness(vec![accepted_location(), respond(204)]);
    let mut poller = h.begin::<(), NoFormat>(revoke());
    let token = next_status(&mut poller)
        .await
        .resume_token()
        .cloned()
        .unwrap();
    let json = token
        .to_json()
        .replace("management.azure.com", "evil.example.com");
    let forged = ResumeToken::from_json(&json).unwrap();
    let other = harness(vec![respond(204)]);
    let error = other
        .pipeline
        .resume_long_running::<(), NoFormat>("Disks_Test", None, forged, other.settings())
        .unwrap_err();
    assert_starts_with(&error, "refusing to follow");
    assert!(other.transport.requests().is_empty());
}
