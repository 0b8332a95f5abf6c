//! The token credential of every test and bench of this crate. A file of its own so that
//! `benches/` and the tests that do not need the rest of `support/` can include it with
//! `#[path]` (bench targets cannot import a test's modules).

use async_trait::async_trait;
use azure_core::{
    credentials::{AccessToken, TokenCredential, TokenRequestOptions},
    time::{Duration, OffsetDateTime},
};
use std::sync::Mutex;

/// The token the test credential hands out and the scripted server requires.
pub const TOKEN: &str = "test-bearer-token-3f1c9a";

/// Hands out [`TOKEN`], valid for an hour, and records the scopes of every request for one.
#[derive(Debug, Default)]
pub struct TestCredential {
    scopes: Mutex<Vec<Vec<String>>>,
}

impl TestCredential {
    /// The scopes of each `get_token` call, in order.
    pub fn scopes(&self) -> Vec<Vec<String>> {
        self.scopes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

#[async_trait]
impl TokenCredential for TestCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        self.scopes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(scopes.iter().map(|scope| (*scope).to_owned()).collect());
        Ok(AccessToken::new(
            TOKEN,
            OffsetDateTime::now_utc() + Duration::hours(1),
        ))
    }
}
