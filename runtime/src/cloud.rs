//! The one cloud knob: azure_core's `ClientOptions::cloud` decides the Resource Manager
//! endpoint and the token scope.

use azure_core::{Error, Result, cloud::CloudConfiguration, error::ErrorKind, http::Url};

const PUBLIC: &str = "https://management.azure.com";
const GOVERNMENT: &str = "https://management.usgovcloudapi.net";
const CHINA: &str = "https://management.chinacloudapi.cn";

/// Azure Resource Manager, as a service in azure_core's [`CloudConfiguration`]: the audience
/// a custom cloud registers for it is the ARM endpoint, and its token scope is that audience
/// plus `/.default`.
///
/// ```
/// use azure_arm_runtime::ResourceManager;
/// use azure_core::cloud::{Audiences, CloudConfiguration, CustomConfiguration};
///
/// let mut custom = CustomConfiguration::default();
/// custom.authority_host = "https://login.example".to_string();
/// custom.audiences = Audiences::new().with::<ResourceManager>("https://management.example".to_string());
/// let cloud = CloudConfiguration::from(custom);
/// # let _ = cloud;
/// ```
///
/// `AzurePublic` (the default), `AzureGovernment` and `AzureChina` need nothing: their
/// endpoints are `https://management.azure.com`, `https://management.usgovcloudapi.net` and
/// `https://management.chinacloudapi.cn`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ResourceManager;

/// The endpoint and token scope of Resource Manager in `cloud` (`None` = Azure public).
pub(crate) fn resource_manager(cloud: Option<&CloudConfiguration>) -> Result<(Url, String)> {
    let audience = match cloud.unwrap_or(&CloudConfiguration::AzurePublic) {
        CloudConfiguration::AzurePublic => PUBLIC,
        CloudConfiguration::AzureGovernment => GOVERNMENT,
        CloudConfiguration::AzureChina => CHINA,
        CloudConfiguration::Custom(custom) => custom.audiences.get::<ResourceManager>().ok_or_else(|| {
            Error::with_message(
                ErrorKind::Other,
                "the custom cloud has no audience for Resource Manager: add one with `Audiences::with::<azure_arm_runtime::ResourceManager>(endpoint)`",
            )
        })?,
        _ => {
            return Err(Error::with_message(
                ErrorKind::Other,
                "this cloud configuration is not known to azure_arm_runtime",
            ));
        }
    };
    let endpoint = Url::parse(audience).ok().filter(|endpoint| {
        endpoint.scheme() == "https"
            && endpoint.host_str().is_some()
            && !endpoint.cannot_be_a_base()
            && endpoint.query().is_none()
            && endpoint.fragment().is_none()
            && endpoint.username().is_empty()
            && endpoint.password().is_none()
    });
    let Some(endpoint) = endpoint else {
        return Err(Error::with_message(
            ErrorKind::Other,
            "the Resource Manager endpoint must be an https URL with a host and without credentials, query or fragment",
        ));
    };
    let scope = format!("{}/.default", audience.trim_end_matches('/'));
    Ok((endpoint, scope))
}
