//! Which Azure cloud a client talks to.

use azure_core::http::Url;

const PUBLIC_ENDPOINT: &str = "https://management.azure.com";
const GOVERNMENT_ENDPOINT: &str = "https://management.usgovcloudapi.net";
const CHINA_ENDPOINT: &str = "https://management.chinacloudapi.cn";

/// Which Azure cloud: decides the ARM endpoint and the token scope.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cloud {
    /// Azure public cloud: `https://management.azure.com`, scope
    /// `https://management.azure.com/.default`.
    #[default]
    AzurePublic,
    /// Azure Government: `https://management.usgovcloudapi.net`.
    AzureGovernment,
    /// Azure operated by 21Vianet: `https://management.chinacloudapi.cn`.
    AzureChina,
    /// Any other ARM endpoint (Azure Stack, a test server on loopback) and its token scope.
    Custom {
        /// The ARM endpoint; must be `https`.
        endpoint: Url,
        /// The token scope, e.g. `https://management.example/.default`.
        scope: String,
    },
}

impl Cloud {
    /// The ARM endpoint of this cloud.
    pub fn endpoint(&self) -> Url {
        match self {
            Cloud::AzurePublic => known(PUBLIC_ENDPOINT),
            Cloud::AzureGovernment => known(GOVERNMENT_ENDPOINT),
            Cloud::AzureChina => known(CHINA_ENDPOINT),
            Cloud::Custom { endpoint, .. } => endpoint.clone(),
        }
    }

    /// The token scope for ARM in this cloud.
    pub fn scope(&self) -> String {
        match self {
            Cloud::AzurePublic => format!("{PUBLIC_ENDPOINT}/.default"),
            Cloud::AzureGovernment => format!("{GOVERNMENT_ENDPOINT}/.default"),
            Cloud::AzureChina => format!("{CHINA_ENDPOINT}/.default"),
            Cloud::Custom { scope, .. } => scope.clone(),
        }
    }
}

/// Parses one of the constant endpoints above (covered by the unit tests, so this cannot fail).
fn known(endpoint: &'static str) -> Url {
    #[allow(clippy::expect_used)]
    Url::parse(endpoint).expect("the built-in cloud endpoints are valid URLs")
}
