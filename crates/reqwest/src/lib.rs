//! # postmark-kit-reqwest
//!
//! An async [Postmark](https://postmarkapp.com) client over [reqwest] and
//! Tokio: the transport for the sans-IO [`postmark_kit`] core, for services
//! that already run on Tokio (axum, actix-web, tonic, queue workers).
//! Requests are built and responses parsed by the core; this crate sends
//! them, pools connections, applies timeouts and retries by the core's
//! [`RetryPolicy`], waiting with Tokio's timer. Its methods are those of the
//! blocking `postmark-kit-ureq` client, each `async`, and paged lists are a
//! [`Stream`](futures_core::Stream) of items.
//!
//! ```no_run
//! use postmark_kit::api::email::SendEmail;
//! use postmark_kit_reqwest::ServerClient;
//!
//! # async fn send() -> Result<(), postmark_kit_reqwest::ClientError> {
//! let client = ServerClient::new("server-token")?;
//! let email = SendEmail::new("sender@example.com", "receiver@example.com", "Hello")
//!     .text_body("Sent with postmark-kit");
//! let sent = client.send_email(&email).await?;
//! println!("accepted as {}", sent.message_id.unwrap_or_default());
//! # Ok(())
//! # }
//! ```
//!
//! Dropping a call's future cancels it: nothing about it outlives the future,
//! so a pending retry is not made later (an attempt already on the wire may
//! still reach Postmark).
//!
//! A server client has only server-token methods; account operations are not
//! there to call:
//!
//! ```compile_fail
//! # async fn f() {
//! let client = postmark_kit_reqwest::ServerClient::new("server-token").unwrap();
//! client.get_server(&postmark_kit::api::servers::GetServer { id: 1 }).await;
//! # }
//! ```

mod client;
mod error;
mod pages;
mod transport;

pub use client::{AccountClient, Client, ClientBuilder, ServerClient, WindowedItems};
pub use error::{ClientError, DeleteWebhooksError, SendBatchesError, TransportErrorKind};
pub use pages::Items;
pub use postmark_kit;
pub use postmark_kit::RetryPolicy;
pub use reqwest;
