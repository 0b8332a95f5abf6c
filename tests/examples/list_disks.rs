//! Creates an empty managed disk, lists the resource group's disks, and deletes the disk.
//!
//! Sign in with `az login` (or `azd auth login`) first, then, in this repository:
//! `cargo run -p codegen_tests --example list_disks -- <subscription-id> <resource-group> <new-disk> <location>`

use azure_arm_compute::v2025_01_02::{
    ComputeClient, DisksCreateOrUpdateOptions, DisksListByResourceGroupOptions,
    models::{CreationData, Disk, DiskCreateOption, DiskProperties},
};
use azure_core::http::poller::PollerOptions;
use azure_identity::DeveloperToolsCredential;
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(subscription_id), Some(resource_group), Some(name), Some(location)) =
        (args.next(), args.next(), args.next(), args.next())
    else {
        eprintln!("usage: list_disks <subscription-id> <resource-group> <new-disk> <location>");
        std::process::exit(2);
    };
    let credential = DeveloperToolsCredential::new(None)?;
    let client = ComputeClient::new(subscription_id, credential, None)?;
    let disks = client.disks_client();

    // An empty 4 GiB disk. Awaiting the poller sends the PUT, polls the long-running operation
    // (every 5 s when the service gives no Retry-After) and gives the final Response<Disk>.
    let mut properties = DiskProperties::new(CreationData::new(DiskCreateOption::Empty));
    properties.disk_size_gb = Some(4);
    let mut disk = Disk::new(location);
    disk.properties = Some(properties);
    let options = DisksCreateOrUpdateOptions {
        method_options: PollerOptions {
            frequency: azure_core::time::Duration::seconds(5),
            ..Default::default()
        },
        ..Default::default()
    };
    let created = disks
        .begin_create_or_update(&resource_group, &name, &disk, Some(options))?
        .await?;
    println!("created (HTTP {})", created.status());
    let created = created.into_model()?;
    println!(
        "{:?}: {:?}",
        created.id,
        created.properties.map(|p| p.disk_state)
    );

    // A Pager is a stream of disks: it follows `nextLink` (on the endpoint's host only, with
    // the client's api-version) until the service has no more.
    let mut items = disks.list_by_resource_group(&resource_group, None)?;
    while let Some(disk) = items.try_next().await? {
        let size = disk.properties.and_then(|p| p.disk_size_gb);
        println!("{:?} in {}: {size:?} GiB", disk.name, disk.location);
    }

    // Or the pages themselves, each with its HTTP response.
    let options = DisksListByResourceGroupOptions::default();
    let mut pages = disks
        .list_by_resource_group(&resource_group, Some(options))?
        .into_pages();
    while let Some(page) = pages.try_next().await? {
        println!("page: HTTP {}", page.status());
        println!("{} disks", page.into_model()?.value.len());
    }

    // Models' Debug shows no field values (like Microsoft's SafeDebug): `Disk { .. }`.
    println!("{disk:?}");

    // A delete has no result: awaiting it gives the final response's status.
    let deleted = disks.begin_delete(&resource_group, &name, None)?.await?;
    println!("deleted (HTTP {})", deleted.status());
    Ok(())
}
