//! Pageable operations through azure_core's `Pager`, against scripted pages.

use super::{TOKEN, harness, respond};
use crate::{ArmRequest, PageRules, error_body};
use azure_core::{
    Result,
    http::{ClientMethodOptions, Method, Pager, StatusCode, Url, pager::Page},
};
use futures::TryStreamExt;
use serde::Deserialize;
use std::sync::Arc;

const LIST: &str = "https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/disks?api-version=2025-01-02";

#[derive(Debug, Deserialize)]
pub(super) struct DiskList {
    #[serde(default)]
    value: Vec<Disk>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub(super) struct Disk {
    name: String,
}

#[async_trait::async_trait]
impl Page for DiskList {
    type Item = Disk;
    type IntoIter = std::vec::IntoIter<Disk>;
    async fn into_items(self) -> Result<Self::IntoIter> {
        Ok(self.value.into_iter())
    }
}

#[derive(Debug, Deserialize)]
struct CloudError {
    error: CloudErrorBody,
}

#[derive(Debug, Deserialize)]
struct CloudErrorBody {
    code: String,
}

fn page(names: &[&str], next: Option<&str>) -> super::Canned {
    let value: Vec<_> = names
        .iter()
        .map(|n| serde_json::json!({"name": n}))
        .collect();
    let mut body = serde_json::json!({"value": value});
    if let Some(next) = next {
        body["nextLink"] = serde_json::Value::String(next.to_owned());
    }
    respond(200).body(body.to_string())
}

fn pager(h: &super::Harness, next_link_name: Option<&'static str>) -> Pager<DiskList> {
    h.pipeline.pager(
        ArmRequest::new(Method::Get, Url::parse(LIST).unwrap()),
        PageRules {
            next_link_name,
            api_version: Some(Arc::from("2025-01-02")),
        },
        ClientMethodOptions::default(),
    )
}

async fn names(pager: Pager<DiskList>) -> Result<Vec<String>> {
    pager.map_ok(|disk| disk.name).try_collect().await
}

#[tokio::test]
async fn items_stream_across_pages_with_the_clients_api_version() {
    let h = harness(vec![
        page(
            &["a", "b"],
            Some(
                "https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/disks?api-version=2019-01-01&$skiptoken=x%2By",
            ),
        ),
        page(&["c"], Some("/subscriptions/s/disks2?$skiptoken=z")),
        page(&[], None),
    ]);
    assert_eq!(
        names(pager(&h, Some("nextLink"))).await.unwrap(),
        ["a", "b", "c"]
    );
    let urls = h.transport.urls();
    assert_eq!(
        urls,
        [
            LIST,
            "https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/disks?$skiptoken=x%2By&api-version=2025-01-02",
            "https://management.azure.com/subscriptions/s/disks2?$skiptoken=z&api-version=2025-01-02",
        ]
    );
    for request in h.transport.requests() {
        assert_eq!(request.method, Method::Get);
        assert_eq!(
            request.header("authorization"),
            Some(&*format!("Bearer {TOKEN}"))
        );
    }
}

#[tokio::test]
async fn pages_come_with_their_responses() {
    let h = harness(vec![page(&["a"], Some("/next")), page(&["b"], Some(""))]);
    let pages: Vec<_> = pager(&h, Some("nextLink"))
        .into_pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].status(), StatusCode::Ok);
    let second: DiskList = pages.into_iter().nth(1).unwrap().into_model().unwrap();
    assert_eq!(
        second.value,
        [Disk {
            name: "b".to_owned()
        }]
    );
}

#[tokio::test]
async fn without_a_next_link_name_there_is_one_page() {
    let h = harness(vec![page(&["a"], Some("/next")), page(&["b"], None)]);
    assert_eq!(names(pager(&h, None)).await.unwrap(), ["a"]);
    assert_eq!(h.transport.requests().len(), 1);
}

#[tokio::test]
async fn null_or_empty_next_links_end_the_list() {
    for body in [
        r#"{"value":[{"name":"a"}],"nextLink":null}"#,
        r#"{"value":[{"name":"a"}],"nextLink":"  "}"#,
    ] {
        let h = harness(vec![respond(200).body(body)]);
        assert_eq!(names(pager(&h, Some("nextLink"))).await.unwrap(), ["a"]);
    }
}

#[tokio::test]
async fn a_repeated_next_link_is_an_error() {
    let h = harness(vec![
        page(&["a"], Some("/l?x=1")),
        page(&["b"], Some("/l?x=1")),
        page(&["c"], None),
    ]);
    let error = names(pager(&h, Some("nextLink"))).await.unwrap_err();
    assert!(error.to_string().contains("repeats"), "{error}");
    assert_eq!(h.transport.requests().len(), 2);
}

#[tokio::test]
async fn an_off_host_next_link_is_refused_before_the_token_is_sent() {
    for link in [
        "https://evil.example.com/steal",
        "http://management.azure.com/x",
        "https://management.azure.com:444/x",
        "//evil.example.com/x",
    ] {
        let h = harness(vec![page(&["a"], Some(link)), page(&["b"], None)]);
        let error = names(pager(&h, Some("nextLink"))).await.unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("refusing to follow the next-page URL"),
            "{error}"
        );
        assert_eq!(h.transport.requests().len(), 1, "{link}");
    }
}

#[tokio::test]
async fn a_failing_page_gives_the_typed_cloud_error() {
    let h = harness(vec![
        page(&["a"], Some("/next")),
        respond(403).body(r#"{"error":{"code":"AuthorizationFailed","message":"no"}}"#),
    ]);
    let error = names(pager(&h, Some("nextLink"))).await.unwrap_err();
    assert_eq!(error.http_status(), Some(StatusCode::Forbidden));
    assert_eq!(
        error_body::<CloudError>(&error).unwrap().error.code,
        "AuthorizationFailed"
    );
}

#[tokio::test]
async fn a_custom_item_and_link_name() {
    #[derive(Debug, Deserialize)]
    struct Odd {
        things: Vec<Disk>,
    }
    #[async_trait::async_trait]
    impl Page for Odd {
        type Item = Disk;
        type IntoIter = std::vec::IntoIter<Disk>;
        async fn into_items(self) -> Result<Self::IntoIter> {
            Ok(self.things.into_iter())
        }
    }
    let h = harness(vec![
        respond(200).body(r#"{"things":[{"name":"a"}],"@odata.nextLink":"/more"}"#),
        respond(200).body(r#"{"things":[{"name":"b"}]}"#),
    ]);
    let pager: Pager<Odd> = h.pipeline.pager(
        ArmRequest::new(Method::Get, Url::parse(LIST).unwrap()),
        PageRules {
            next_link_name: Some("@odata.nextLink"),
            api_version: None,
        },
        ClientMethodOptions::default(),
    );
    let names: Vec<String> = pager.map_ok(|d| d.name).try_collect().await.unwrap();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(h.transport.urls()[1], "https://management.azure.com/more");
}
