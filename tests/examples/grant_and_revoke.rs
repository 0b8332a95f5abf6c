//! Grants read access to a managed disk, waits for the SAS URL, and revokes the access.
//!
//! Sign in with `az login` (or `azd auth login`) first, then, in this repository:
//! `cargo run -p codegen_tests --example grant_and_revoke -- <subscription-id> <resource-group> <disk> [--show-sas]`

use azure_arm_compute::{
    http_error_details,
    v2025_01_02::{
        ComputeClient,
        models::{AccessLevel, CloudError, GrantAccessData},
    },
};
use azure_core::http::poller::{PollerStatus, StatusMonitor};
use azure_identity::DeveloperToolsCredential;
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(subscription_id), Some(resource_group), Some(disk)) =
        (args.next(), args.next(), args.next())
    else {
        eprintln!("usage: grant_and_revoke <subscription-id> <resource-group> <disk> [--show-sas]");
        std::process::exit(2);
    };
    let show_sas = args.next().as_deref() == Some("--show-sas");

    // Azure CLI or Azure Developer CLI sign-in; on an Azure host, ManagedIdentityCredential.
    let credential = DeveloperToolsCredential::new(None)?;
    let client = ComputeClient::new(subscription_id, credential, None)?;
    let disks = client.disks_client();

    // Read access for one hour. The poller is azure_core's: streaming it sends the request
    // and yields each status of the long-running operation (Location, Azure-AsyncOperation,
    // Retry-After); awaiting it gives the final response. Stop streaming at the terminal status.
    let request = GrantAccessData::new(AccessLevel::Read, 3600);
    let mut poller = disks.begin_grant_access(&resource_group, &disk, &request, None)?;
    while let Some(status) = poller.try_next().await? {
        let status = status.into_model()?;
        println!("grant: {}", status.status_text());
        if status.status() != PollerStatus::InProgress {
            break;
        }
    }
    let access = match poller.await.and_then(|response| response.into_model()) {
        Ok(access) => access,
        Err(error) => {
            // The service's error, typed: code, message, target, details, innererror.
            if let Some(api_error) = CloudError::from_error(&error).and_then(|cloud| cloud.error) {
                eprintln!("Azure said {:?}: {:?}", api_error.code, api_error.message);
            }
            if let Some(details) = http_error_details(&error) {
                eprintln!(
                    "HTTP {}, x-ms-request-id {:?}",
                    details.status, details.request_id
                );
            }
            return Err(error.into());
        }
    };

    // Debug never shows a SAS: `access_sas: Some(SecretString(<redacted>))`.
    println!("access granted: {access:?}");
    if let Some(sas) = &access.access_sas
        && show_sas
    {
        println!("{}", sas.expose_secret());
    }

    // Awaiting directly: the final response (here without a body), status and headers.
    let revoked = disks
        .begin_revoke_access(&resource_group, &disk, None)?
        .await?;
    println!("access revoked (HTTP {})", revoked.status());
    Ok(())
}
