//! Lists the widgets of a resource group, item by item across pages, then page by page.
//!
//! The shipped Compute specs have no pageable operation yet, so this shows a `Pager` with the
//! operations fixture (`tests/fixtures/operations`, provider `Test.Ops`); DiskRP's lists have
//! the same shape. Compiled by `cargo test`; run it against a service that serves `Test.Ops`.

use azure_identity::DeveloperToolsCredential;
use codegen_tests::operations_fixture::{OpsClient, WidgetsListByResourceGroupOptions};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(subscription_id), Some(resource_group)) = (args.next(), args.next()) else {
        eprintln!("usage: list_widgets <subscription-id> <resource-group>");
        std::process::exit(2);
    };
    let credential = DeveloperToolsCredential::new(None)?;
    let client = OpsClient::new(subscription_id, credential, None)?;
    let widgets = client.widgets_client();

    // A stream of items: the pager follows `nextLink` (on the endpoint's host only, with the
    // client's api-version) until the service has no more.
    let mut items = widgets.list_by_resource_group(&resource_group, None)?;
    while let Some(widget) = items.try_next().await? {
        println!("{:?} in {}", widget.name, widget.location);
    }

    // Or the pages themselves, each with its HTTP response.
    let options = WidgetsListByResourceGroupOptions {
        top: Some(10),
        ..Default::default()
    };
    let mut pages = widgets
        .list_by_resource_group(&resource_group, Some(options))?
        .into_pages();
    while let Some(page) = pages.try_next().await? {
        println!("page: HTTP {}", page.status());
        let page = page.into_model()?;
        println!("{} widgets", page.value.len());
    }
    Ok(())
}
