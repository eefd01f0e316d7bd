//! # postmark-kit
//!
//! A sans-IO client for the [Postmark](https://postmarkapp.com) API: typed
//! requests and responses for every endpoint, pagination, retry policy and
//! error decoding, without any I/O, runtime, clock or randomness.
//!
//! Two pure functions do all the work: [`build`] turns an endpoint into an
//! [`http::Request`], and [`parse`] turns an [`http::Response`] into the
//! endpoint's response model or an [`Error`]. Transports live in adapter
//! crates (`postmark-kit-ureq`, the wasm and Python bindings).
//!
//! ```
//! use postmark_kit::{build, parse, Config, Server, Token};
//! use postmark_kit::api::email::SendEmail;
//!
//! let config = Config::<Server>::new(Token::new("server-token")?);
//! let email = SendEmail::new("sender@example.com", "receiver@example.com", "Hello")
//!     .text_body("Hi there");
//! let request = build(&config, &email)?;
//! assert_eq!(request.uri(), "https://api.postmarkapp.com/email");
//!
//! // ... send it with any HTTP client, then:
//! let response = http::Response::builder()
//!     .status(200)
//!     .body(br#"{"To":"receiver@example.com","SubmittedAt":"2026-01-01T10:00:00-05:00",
//!               "MessageID":"0a129aee-e1cd-480d-b08d-4f48548ff48d","ErrorCode":0,"Message":"OK"}"#)?;
//! let sent = parse::<SendEmail>(response)?;
//! assert_eq!(sent.message_id.as_deref(), Some("0a129aee-e1cd-480d-b08d-4f48548ff48d"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod api;
#[cfg(test)]
mod arbitrary;
pub mod batching;
mod config;
mod decode;
mod endpoint;
mod enums;
mod error;
mod error_code;
mod inactive;
mod json;
pub mod ops;
pub mod paging;
mod retry;
mod shape;
mod token;
pub mod webhook;
pub mod windows;

pub use config::{API_URL_VARIABLE, Config, DEFAULT_BASE_URL};
pub use endpoint::{Endpoint, Parts, Query, build, parse, path_segment};
pub use error::{ApiError, BuildError, Details, Error, ErrorKind};
pub use error_code::ErrorCode;
pub use http;
pub use inactive::inactive_recipients;
pub use paging::{Cursor, Page, Paged, Paginator, Paging, StopReason, validate_page};
pub use retry::{Decision, Outcome, RetryPolicy, parse_retry_after};
pub use token::{Account, Server, Token, TokenKind};
