//! # postmark-kit-wasm
//!
//! The npm package `postmark-kit`: the [`postmark_kit`] sans-IO core compiled
//! to WebAssembly, with `fetch` as its transport. It runs wherever there is a
//! global `fetch` (browsers, Cloudflare Workers, Deno, Vercel Edge, Node 18+)
//! or one is passed in.
//!
//! Nothing here knows an endpoint. The clients' methods are generated from the
//! core's operation table ([`postmark_kit::for_each_operation!`]) and do their
//! work through the core's dynamic interface ([`postmark_kit::ops`]); this
//! crate adds only what the core leaves to a transport: sending with `fetch`,
//! timeouts and cancelling, sleeping between retries, and turning values and
//! errors into JavaScript ones.
//!
//! | JavaScript | Rust |
//! |---|---|
//! | `new ServerClient(token, options?)`, `new AccountClient(…)` | [`ServerClient`], [`AccountClient`] |
//! | one method per operation (`sendEmail`, `listServers`…), `(params, {signal?})`, returning a Promise | generated from the table |
//! | a paged list's method (`listServers(params, {limit?, cursor?, signal?})`): awaited, one page; iterated with `for await`, every item | [`PagedList`] |
//! | `buildRequest`, `parseResponse`, `operations` | [`build_request`], [`parse_response`], [`operations`] |
//! | `parseWebhook`, `checkBasicAuth` | [`parse_webhook`], [`check_basic_auth`] |
//!
//! Errors are thrown as the classes of `js/errors.js` (`PostmarkError`,
//! `BuildError`, `TransportError`, `WebhookError`); the TypeScript
//! declarations (`index.d.ts`) are generated from the core by
//! `postmark-codegen`.

mod client;
mod defaults;
mod errors;
mod json;
mod options;
mod paged;
mod sansio;
mod transport;
mod webhook;

pub use client::{AccountClient, ServerClient};
pub use paged::PagedList;
pub use sansio::{build_request, operations, parse_response};
pub use webhook::{check_basic_auth, parse_webhook};
