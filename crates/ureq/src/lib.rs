//! # postmark-kit-ureq
//!
//! A blocking [Postmark](https://postmarkapp.com) client over [ureq]: the
//! transport for the sans-IO [`postmark_kit`] core. Requests are built and
//! responses parsed by the core; this crate sends them, reuses connections,
//! applies timeouts and retries by the core's [`RetryPolicy`].
//!
//! ```no_run
//! use postmark_kit::api::email::SendEmail;
//! use postmark_kit_ureq::ServerClient;
//!
//! let client = ServerClient::new("server-token")?;
//! let email = SendEmail::new("sender@example.com", "receiver@example.com", "Hello")
//!     .text_body("Sent with postmark-kit");
//! let sent = client.send_email(&email)?;
//! println!("accepted as {}", sent.message_id.unwrap_or_default());
//! # Ok::<(), postmark_kit_ureq::ClientError>(())
//! ```
//!
//! A server client has only server-token methods; account operations are not
//! there to call:
//!
//! ```compile_fail
//! let client = postmark_kit_ureq::ServerClient::new("server-token").unwrap();
//! client.get_server(&postmark_kit::api::servers::GetServer { id: 1 });
//! ```

mod client;
mod error;
mod lean;
mod pages;
mod resolve;
mod transport;

pub use client::{AccountClient, Client, ClientBuilder, ServerClient, WindowedItems};
pub use error::{ClientError, DeleteWebhooksError, SendBatchesError, TransportErrorKind};
pub use pages::Items;
pub use postmark_kit;
pub use postmark_kit::RetryPolicy;

/// The README's Rust examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeExamples;
