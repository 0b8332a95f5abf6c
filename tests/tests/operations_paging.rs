//! The operations fixture's pageable operations (every paging rule), parameters named like
//! the emitted code's bindings with typed query and header parameters, and extensible enums,
//! over real HTTPS on 127.0.0.1 against the scripted server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
mod fixture;
#[path = "support/ops.rs"]
#[allow(dead_code)]
mod ops;
#[allow(dead_code)]
mod support;

use azure_core::http::StatusCode;
use codegen_tests::operations_fixture::{
    NamesEchoOptions, WidgetsListByResourceGroupOptions, models::ExpandType,
};
use futures::TryStreamExt;
use ops::{Fixture, RG, VERSION, cloud_error_code, error_json};
use serde_json::json;
use support::{
    SUBSCRIPTION, TOKEN,
    server::{Reply, TestServer},
};

// ---- pageable operations -------------------------------------------------------------------------

#[tokio::test]
async fn paging_follows_every_rule() {
    let f = Fixture::start().await;
    let list = format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Test.Ops/widgets?api-version={VERSION}&%24top=2"
    );
    let page2 = format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Test.Ops/widgets?%24skiptoken=p2&api-version={VERSION}"
    );
    let page3 = format!("/subscriptions/{SUBSCRIPTION}/pages/3?api-version={VERSION}");
    let w = |name: &str| json!({"name": name, "location": "westus"});
    // An absolute link with another api-version (replaced), then a relative one.
    f.expect("GET", &list, None, Reply::json(200, json!({"value": [w("a"), w("b")], "nextLink": f.url(&page2.replace(VERSION, "2019-01-01"))})));
    f.expect("GET", &page2, None, Reply::json(200, json!({"value": [w("c")], "nextLink": format!("/subscriptions/{SUBSCRIPTION}/pages/3")})));
    f.expect(
        "GET",
        &page3,
        None,
        Reply::json(200, json!({"value": [w("d")], "nextLink": null})),
    );
    let options = WidgetsListByResourceGroupOptions {
        top: Some(2),
        ..Default::default()
    };
    let names: Vec<String> = f
        .widgets()
        .list_by_resource_group(RG, Some(options))
        .unwrap()
        .map_ok(|widget| widget.name.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a", "b", "c", "d"]);

    // Pages on request, each with its response.
    f.expect(
        "GET",
        &list.replace("&%24top=2", ""),
        None,
        Reply::json(200, json!({"value": [w("a")], "nextLink": ""})),
    );
    let pages: Vec<_> = f
        .widgets()
        .list_by_resource_group(RG, None)
        .unwrap()
        .into_pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].status(), StatusCode::Ok);

    // nextLinkName null: one page, whatever the body says.
    let all =
        format!("/subscriptions/{SUBSCRIPTION}/providers/Test.Ops/widgets?api-version={VERSION}");
    f.expect(
        "GET",
        &all,
        None,
        Reply::json(200, json!({"value": [w("x")], "nextLink": f.url(&page3)})),
    );
    let all: Vec<_> = f
        .widgets()
        .list_all(None)
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);

    // A repeated link is an error, not a loop; a failing page gives the typed CloudError.
    let plain = list.replace("&%24top=2", "");
    let to_page3 = json!({"value": [w("a")], "nextLink": f.url(&page3)});
    let again = json!({"value": [w("b")], "nextLink": f.url(&page3)});
    f.expect("GET", &plain, None, Reply::json(200, to_page3.clone()));
    f.expect("GET", &page3, None, Reply::json(200, again));
    let error = list_fails(&f).await;
    assert!(error.to_string().contains("repeats"), "{error}");

    f.expect("GET", &plain, None, Reply::json(200, to_page3));
    let forbidden = Reply::json(403, error_json("AuthorizationFailed"));
    f.expect("GET", &page3, None, forbidden);
    let error = list_fails(&f).await;
    assert_eq!(
        cloud_error_code(&error).as_deref(),
        Some("AuthorizationFailed")
    );
    f.finish();
}

/// Lists the resource group's widgets, every page, where that must fail.
async fn list_fails(f: &Fixture) -> azure_core::Error {
    f.widgets()
        .list_by_resource_group(RG, None)
        .expect("valid parameters")
        .try_collect::<Vec<_>>()
        .await
        .expect_err("the list fails")
}

#[tokio::test]
async fn an_off_host_next_link_is_refused_before_the_token_is_sent() {
    let mut f = Fixture::start().await;
    let bystander = TestServer::start(&f.ca, VERSION, TOKEN).await;
    let plain = format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Test.Ops/widgets?api-version={VERSION}"
    );
    f.expect(
        "GET",
        &plain,
        None,
        Reply::json(
            200,
            json!({"value": [], "nextLink": format!("{}/steal", bystander.base())}),
        ),
    );
    let error = list_fails(&f).await;
    assert!(
        error
            .to_string()
            .starts_with("refusing to follow the next-page URL"),
        "{error}"
    );
    assert_eq!(bystander.connections(), 0);
    f.server.finish();
}

// ---- names the emitted code binds, typed query and header parameters -------------------------------

#[tokio::test]
async fn parameters_named_like_the_emitted_bindings_work() {
    let f = Fixture::start().await;
    let target = format!(
        "/subscriptions/{SUBSCRIPTION}/providers/Test.Ops/echo/q/p/u/pa/c?api-version={VERSION}&request=r&options=o&response=s&count=7&flag=true&ratio=0.5&kinds=instanceView%2CuserData"
    );
    f.expect(
        "POST",
        &target,
        Some(json!({"seen": "me"})),
        Reply::json(200, json!({"seen": "all"})),
    );
    let body = codegen_tests::operations_fixture::models::Echo {
        seen: Some("me".to_owned()),
    };
    let options = NamesEchoOptions {
        flag: Some(true),
        ratio: Some(0.5),
        kinds: Some(vec![ExpandType::InstanceView, ExpandType::UserData]),
        token: Some("t".to_owned()),
        ..Default::default()
    };
    let response = ops::echo(&f, Some(&body), Some(options)).await.unwrap();
    assert_eq!(response.into_model().unwrap().seen.as_deref(), Some("all"));
    let received = f.server.received();
    assert_eq!(received[0].header("headers"), Some("h"));
    assert_eq!(received[0].header("token"), Some("t"));
    f.finish();
}

/// The committed fixture output is what the generator writes today, without warnings.
#[test]
fn the_committed_fixture_output_is_current() {
    let generated = fixture::assert_output_current("fixtures/operations/codegen.yaml");
    assert_eq!(
        generated.warnings.warning_count(),
        0,
        "{}",
        generated.warnings
    );
}

/// Extensible enums parse from any string (unknown values kept) and read as `&str`.
#[test]
fn extensible_enums_parse_infallibly_and_read_as_str() {
    let known: ExpandType = "userData".parse().unwrap_or_else(|never| match never {});
    assert_eq!(known, ExpandType::UserData);
    let unknown: ExpandType = "futureValue".parse().unwrap_or_else(|never| match never {});
    assert_eq!(unknown, ExpandType::UnknownValue("futureValue".to_owned()));
    assert_eq!(AsRef::<str>::as_ref(&unknown), "futureValue");
    assert_eq!(ExpandType::InstanceView.as_ref(), "instanceView");
}

/// Output-only models are `#[non_exhaustive]`, yet callers can build them for their own tests:
/// `Default` when every field is optional, `new` with the required ones otherwise.
#[test]
fn output_models_can_be_built_by_callers() {
    use codegen_tests::operations_fixture::models::{RestartResult, Widget, WidgetList};
    let page = WidgetList::new(vec![Widget::new("westus".to_owned())]);
    assert_eq!(page.value.len(), 1);
    assert_eq!(page.next_link, None);
    let mut result = RestartResult::default();
    result.restarted = Some(true);
    assert_eq!(result.restarted, Some(true));
}
