//! [`SecretString`]: a value such as a SAS URL that must not end up in logs.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A SAS URL or other bearer secret: serde-transparent, Debug prints `SecretString(<redacted>)`,
/// no Display; read with [`expose_secret`](SecretString::expose_secret).
///
/// ```
/// use azure_arm_runtime::SecretString;
///
/// let sas = SecretString::from("https://account.blob.core.windows.net/c/b?sig=abc");
/// assert_eq!(format!("{sas:?}"), "SecretString(<redacted>)");
/// assert!(sas.expose_secret().ends_with("sig=abc"));
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself. Every read is explicit, so a reviewer can find them all.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Unwraps the secret.
    pub fn into_secret(self) -> String {
        self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

impl From<String> for SecretString {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

impl From<&str> for SecretString {
    fn from(secret: &str) -> Self {
        Self(secret.to_owned())
    }
}
