//! The ARM rules of [`machine`](super::machine), response by response, without a transport.

use super::FinalStateVia;
use super::machine::{Initial, PollState, ResultFrom, Step, Strategy, initial, poll};
use azure_core::http::{Method, RawResponse, StatusCode, Url, headers::Headers};

const OP: &str = "https://arm.test/subscriptions/s/disks/d?api-version=1";
const MON: &str = "https://arm.test/ops/1?api-version=1";
const LOC: &str = "https://arm.test/results/1?api-version=1";

fn response(status: u16, headers: &[(&'static str, &str)], body: &str) -> RawResponse {
    let mut map = Headers::new();
    for (name, value) in headers {
        map.insert(*name, value.to_string());
    }
    RawResponse::from_bytes(StatusCode::from(status), map, body.to_owned())
}

fn start(method: Method, via: Option<FinalStateVia>, r: &RawResponse) -> (Step, Option<PollState>) {
    let url = Url::parse(OP).unwrap();
    initial(
        &Initial {
            method: &method,
            url: &url,
            final_state_via: via,
        },
        r,
    )
    .unwrap()
}

fn running(text: &str) -> Step {
    Step::Running {
        status: text.to_owned(),
    }
}

fn succeeded(result: ResultFrom) -> Step {
    Step::Succeeded {
        status: "Succeeded".to_owned(),
        result,
    }
}

fn get(url: &str) -> ResultFrom {
    ResultFrom::Get(Url::parse(url).unwrap())
}

fn monitor(status: &str) -> RawResponse {
    response(200, &[], &format!(r#"{{"status":"{status}"}}"#))
}

/// Runs a status-monitor operation to Succeeded and returns where its result is.
fn monitor_result(
    method: Method,
    via: Option<FinalStateVia>,
    location: bool,
    body: &str,
) -> ResultFrom {
    let mut headers = vec![("azure-asyncoperation", MON)];
    if location {
        headers.push(("location", LOC));
    }
    let (_, state) = start(method, via, &response(202, &headers, ""));
    let mut state = state.unwrap();
    assert_eq!(state.strategy, Strategy::StatusMonitor);
    match poll(&mut state, &response(200, &[], body)).unwrap() {
        Step::Succeeded { result, .. } => result,
        other => panic!("{other:?}"),
    }
}

#[test]
fn initial_status_without_headers_per_method() {
    for method in [Method::Put, Method::Patch] {
        let (step, state) = start(method, None, &response(202, &[], ""));
        assert_eq!(
            (step, state.unwrap().strategy),
            (running("InProgress"), Strategy::ResourceBody)
        );
        let (step, state) = start(
            method,
            None,
            &response(
                201,
                &[],
                r#"{"properties":{"provisioningState":"Creating"}}"#,
            ),
        );
        assert_eq!(
            (step, state.unwrap().poll_url.as_str()),
            (running("Creating"), OP)
        );
        let (step, state) = start(method, None, &response(201, &[], "{}"));
        assert_eq!((step, state.is_some()), (running("InProgress"), true));
        let (step, state) = start(method, None, &response(200, &[], "{}"));
        assert_eq!(
            (step, state.is_none()),
            (succeeded(ResultFrom::ThisResponse), true)
        );
        let (step, _) = start(
            method,
            None,
            &response(
                200,
                &[],
                r#"{"properties":{"provisioningState":"Succeeded"}}"#,
            ),
        );
        assert_eq!(step, succeeded(ResultFrom::ThisResponse));
        let (step, _) = start(method, None, &response(204, &[], ""));
        assert_eq!(step, succeeded(ResultFrom::ThisResponse));
    }
    for method in [Method::Post, Method::Delete] {
        for code in [200, 201, 204] {
            let (step, state) = start(method, None, &response(code, &[], ""));
            assert_eq!(
                (step, state.is_none()),
                (succeeded(ResultFrom::ThisResponse), true)
            );
        }
        let url = Url::parse(OP).unwrap();
        let error = initial(
            &Initial {
                method: &method,
                url: &url,
                final_state_via: None,
            },
            &response(202, &[], ""),
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("no Azure-AsyncOperation, Operation-Location or Location header"),
            "{error}"
        );
    }
}

#[test]
fn initial_failures() {
    let url = Url::parse(OP).unwrap();
    let request = Initial {
        method: &Method::Put,
        url: &url,
        final_state_via: None,
    };
    let error = initial(&request, &response(400, &[], r#"{"error":{"code":"Bad"}}"#)).unwrap_err();
    assert_eq!(error.http_status(), Some(StatusCode::BadRequest));
    let (step, _) = start(
        Method::Put,
        None,
        &response(
            201,
            &[],
            r#"{"properties":{"provisioningState":"Canceled"}}"#,
        ),
    );
    assert!(
        matches!(step, Step::Failed { ref what, .. } if what.contains("canceled")),
        "{step:?}"
    );
}

#[test]
fn strategy_priority_monitor_then_operation_location_then_location() {
    let (_, s) = start(
        Method::Post,
        None,
        &response(202, &[("location", LOC), ("azure-asyncoperation", MON)], ""),
    );
    assert_eq!(s.unwrap().strategy, Strategy::StatusMonitor);
    let (_, s) = start(
        Method::Post,
        None,
        &response(202, &[("location", LOC), ("operation-location", MON)], ""),
    );
    let s = s.unwrap();
    assert_eq!(
        (s.strategy, s.poll_url.as_str()),
        (Strategy::StatusMonitor, MON)
    );
    let (_, s) = start(
        Method::Delete,
        None,
        &response(202, &[("location", "/results/1?api-version=1")], ""),
    );
    let s = s.unwrap();
    assert_eq!((s.strategy, s.poll_url.as_str()), (Strategy::Location, LOC));
}

#[test]
fn final_result_per_final_state_via_and_method() {
    use FinalStateVia::*;
    let done = r#"{"status":"Succeeded"}"#;
    let with_resource = r#"{"status":"Succeeded","resourceLocation":"/resources/r1"}"#;
    let cases: Vec<(Method, Option<FinalStateVia>, bool, &str, ResultFrom)> = vec![
        (Method::Put, None, true, done, get(OP)),
        (
            Method::Patch,
            None,
            false,
            with_resource,
            get("https://arm.test/resources/r1"),
        ),
        (Method::Post, None, true, done, get(LOC)),
        (Method::Post, None, false, done, ResultFrom::ThisResponse),
        (Method::Delete, None, true, done, ResultFrom::Nothing),
        (Method::Delete, Some(OriginalUri), false, done, get(OP)),
        (Method::Post, Some(Location), true, done, get(LOC)),
        (
            Method::Post,
            Some(Location),
            false,
            done,
            ResultFrom::Nothing,
        ),
        (
            Method::Post,
            Some(AzureAsyncOperation),
            true,
            done,
            ResultFrom::ThisResponse,
        ),
        (Method::Put, Some(AzureAsyncOperation), true, done, get(OP)),
        (
            Method::Post,
            Some(OperationLocation),
            false,
            with_resource,
            get("https://arm.test/resources/r1"),
        ),
        (
            Method::Post,
            Some(OperationLocation),
            false,
            done,
            ResultFrom::ThisResponse,
        ),
    ];
    for (method, via, location, body, expected) in cases {
        assert_eq!(
            monitor_result(method, via, location, body),
            expected,
            "{method:?} {via:?} {location}"
        );
    }
}

#[test]
fn status_monitor_statuses() {
    let (_, state) = start(
        Method::Post,
        None,
        &response(202, &[("azure-asyncoperation", MON)], ""),
    );
    let mut state = state.unwrap();
    assert_eq!(
        poll(&mut state, &monitor("Running")).unwrap(),
        running("Running")
    );
    assert_eq!(
        poll(&mut state, &monitor("inprogress")).unwrap(),
        running("inprogress")
    );
    for failed in ["Failed", "FAILED", "Canceled", "Cancelled"] {
        assert!(
            matches!(
                poll(&mut state, &monitor(failed)).unwrap(),
                Step::Failed { .. }
            ),
            "{failed}"
        );
    }
    assert!(matches!(
        poll(&mut state, &response(500, &[], "")).unwrap(),
        Step::Failed { .. }
    ));
    for body in [
        "",
        "not json",
        "{}",
        r#"{"status":""}"#,
        r#"{"status":3}"#,
        "[1]",
    ] {
        let error = poll(&mut state, &response(200, &[], body)).unwrap_err();
        assert!(
            error.to_string().contains("status monitor"),
            "{body}: {error}"
        );
        assert!(
            error.to_string().contains("https://arm.test/ops/1"),
            "{error}"
        );
        assert!(!error.to_string().contains("api-version"), "{error}");
    }
}

#[test]
fn location_polling() {
    let (_, state) = start(
        Method::Delete,
        None,
        &response(202, &[("location", LOC)], ""),
    );
    let mut state = state.unwrap();
    assert_eq!(
        poll(
            &mut state,
            &response(202, &[("location", "/results/2")], "")
        )
        .unwrap(),
        running("InProgress")
    );
    assert_eq!(state.poll_url.as_str(), "https://arm.test/results/2");
    for code in [200, 201, 204] {
        assert_eq!(
            poll(&mut state, &response(code, &[], "")).unwrap(),
            succeeded(ResultFrom::ThisResponse)
        );
    }
    assert!(matches!(
        poll(&mut state, &response(404, &[], "")).unwrap(),
        Step::Failed { .. }
    ));
    // original-uri: the final GET of the original URL.
    let (_, state) = start(
        Method::Post,
        Some(FinalStateVia::OriginalUri),
        &response(202, &[("location", LOC)], ""),
    );
    let mut state = state.unwrap();
    assert_eq!(
        poll(&mut state, &response(200, &[], "")).unwrap(),
        succeeded(get(OP))
    );
}

#[test]
fn resource_body_polling() {
    let (_, state) = start(Method::Put, None, &response(201, &[], "{}"));
    let mut state = state.unwrap();
    let resource = |s: &str| {
        response(
            200,
            &[],
            &format!(r#"{{"properties":{{"provisioningState":"{s}"}}}}"#),
        )
    };
    assert_eq!(
        poll(&mut state, &response(202, &[], "")).unwrap(),
        running("InProgress")
    );
    assert_eq!(
        poll(&mut state, &resource("Updating")).unwrap(),
        running("Updating")
    );
    assert_eq!(
        poll(&mut state, &response(201, &[], "{}")).unwrap(),
        running("InProgress")
    );
    assert_eq!(
        poll(&mut state, &response(200, &[], "{}")).unwrap(),
        succeeded(ResultFrom::ThisResponse)
    );
    assert_eq!(
        poll(&mut state, &resource("succeeded")).unwrap(),
        Step::Succeeded {
            status: "succeeded".to_owned(),
            result: ResultFrom::ThisResponse
        }
    );
    assert!(matches!(
        poll(&mut state, &resource("Failed")).unwrap(),
        Step::Failed { .. }
    ));
    assert!(matches!(
        poll(&mut state, &response(409, &[], "")).unwrap(),
        Step::Failed { .. }
    ));
    let error = poll(&mut state, &response(200, &[], "<html>")).unwrap_err();
    assert!(error.to_string().contains("not a JSON object"), "{error}");
}
