//! What the automation examples share: their account client, on a real
//! account when the environment names one, else on an in-process mock server.

// Each example includes this module and uses what it needs of it.
#![allow(dead_code)]

use postmark_kit_mock::MockServer;
use postmark_kit_ureq::{AccountClient, ServerClient};

pub(crate) type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Where an example runs: the clients, and the mock when there is one (kept
/// alive for the whole run, and used for its control routes).
pub(crate) struct Env {
    pub(crate) mock: Option<MockServer>,
    pub(crate) account: Option<AccountClient>,
    /// The base URL, for clients of tokens an example is handed.
    pub(crate) base_url: Option<String>,
}

impl Env {
    /// From `POSTMARK_ACCOUNT_TOKEN` and `POSTMARK_API_URL` when the token
    /// is set, else on a fresh mock.
    pub(crate) fn from_env_or_mock() -> Result<Env> {
        let Some(account) = AccountClient::from_env().transpose()? else {
            return Env::mock();
        };
        Ok(Env {
            mock: None,
            account: Some(account),
            base_url: std::env::var("POSTMARK_API_URL").ok(),
        })
    }

    /// On a fresh mock server, whatever the environment: what the tests run.
    pub(crate) fn mock() -> Result<Env> {
        let mock = MockServer::start()?;
        println!(
            "no POSTMARK_ACCOUNT_TOKEN set: using a local mock server at {}",
            mock.url()
        );
        let account = AccountClient::builder(mock.account_token())?
            .base_url(&mock.url())?
            .build();
        Ok(Env {
            base_url: Some(mock.url()),
            mock: Some(mock),
            account: Some(account),
        })
    }

    /// The account client, or why the example cannot run without one.
    pub(crate) fn account(&self) -> Result<&AccountClient> {
        Ok(self
            .account
            .as_ref()
            .ok_or("this example needs POSTMARK_ACCOUNT_TOKEN")?)
    }

    /// A client of another server's token, at the same base URL.
    pub(crate) fn server_client(&self, token: &str) -> Result<ServerClient> {
        let builder = ServerClient::builder(token)?;
        Ok(match &self.base_url {
            Some(url) => builder.base_url(url)?.build(),
            None => builder.build(),
        })
    }
}

/// A token as an example may print it: its first four characters.
pub(crate) fn masked(token: &str) -> String {
    format!("{}…", token.chars().take(4).collect::<String>())
}
