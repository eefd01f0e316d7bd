//! The options objects of the constructors and of every method.
//!
//! Each is read through the JSON it stringifies to, with unknown keys
//! refused so that a misspelt option is not silently ignored. The values
//! JSON cannot carry, the `fetch` function and the `AbortSignal`, are read
//! apart.

use std::time::Duration;

use js_sys::Function;
use postmark_kit::{Cursor, RetryPolicy};
use serde::Deserialize;
use serde::de::IgnoredAny;
use wasm_bindgen::{JsCast, JsValue};

use crate::defaults::DEFAULT_TIMEOUT_MS;
use crate::errors::{Refusal, refusal};
use crate::json::{property, read_options};
use crate::transport::{AbortSignal, Transport};

/// The second argument of the constructors.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ClientOptions {
    pub(crate) base_url: Option<String>,
    /// Milliseconds one attempt may take, response body included; 0 for no limit.
    timeout_ms: Option<u32>,
    pub(crate) user_agent: Option<String>,
    retry: Option<RetryOptions>,
}

/// The core's [`RetryPolicy`] in milliseconds; absent fields keep its defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RetryOptions {
    max_attempts: Option<u32>,
    base_delay_ms: Option<u64>,
    max_delay_ms: Option<u64>,
    max_retry_after_ms: Option<u64>,
    retry_non_idempotent: Option<bool>,
}

impl RetryOptions {
    fn policy(self) -> RetryPolicy {
        let default = RetryPolicy::default();
        let ms = |ms: Option<u64>, default| ms.map_or(default, Duration::from_millis);
        RetryPolicy {
            max_attempts: self.max_attempts.unwrap_or(default.max_attempts),
            base_delay: ms(self.base_delay_ms, default.base_delay),
            max_delay: ms(self.max_delay_ms, default.max_delay),
            max_retry_after: ms(self.max_retry_after_ms, default.max_retry_after),
            retry_non_idempotent: self
                .retry_non_idempotent
                .unwrap_or(default.retry_non_idempotent),
        }
    }
}

impl ClientOptions {
    /// The options, and the transport they describe.
    pub(crate) fn read(options: &JsValue) -> Result<(ClientOptions, Transport), JsValue> {
        let fetch = js_option::<Function>(options, "fetch", "a function")?;
        let mut options: ClientOptions = read_options("client options", options)?;
        let timeout = match options.timeout_ms {
            Some(0) => None,
            other => Some(other.unwrap_or(DEFAULT_TIMEOUT_MS)),
        };
        let transport = Transport {
            fetch,
            timeout,
            retry: options
                .retry
                .take()
                .map(RetryOptions::policy)
                .unwrap_or_default(),
        };
        Ok((options, transport))
    }
}

/// The second argument of every method: `{signal?}`, and for a paged list
/// also `{limit?, cursor?}`.
#[derive(Debug, Default)]
pub(crate) struct CallOptions {
    pub(crate) signal: Option<AbortSignal>,
    /// Hand out at most this many items.
    pub(crate) limit: Option<u64>,
    /// Resume a walk where it stood; `limit` is then the cursor's.
    pub(crate) cursor: Option<Cursor>,
}

/// What of [`CallOptions`] JSON carries.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CallFields {
    limit: Option<u64>,
    cursor: Option<Cursor>,
    /// Read apart (`JSON.stringify` makes `{}` of a signal); here only so
    /// that the key is not refused as unknown.
    #[serde(rename = "signal")]
    _signal: Option<IgnoredAny>,
}

impl CallOptions {
    /// Reads a method's options; `limit` and `cursor` only when `paged`.
    pub(crate) fn read(options: &JsValue, paged: bool) -> Result<CallOptions, JsValue> {
        let signal = js_option::<AbortSignal>(options, "signal", "an AbortSignal")?;
        let fields: CallFields = read_options("call options", options)?;
        if !paged && (fields.limit.is_some() || fields.cursor.is_some()) {
            return Err(refusal(
                Refusal::Options,
                "limit and cursor are options of paged lists only",
            ));
        }
        Ok(CallOptions {
            signal,
            limit: fields.limit,
            cursor: fields.cursor,
        })
    }
}

/// The option `key` as a `T` (which must be `must_be`), `None` when it is
/// absent or null.
fn js_option<T: JsCast>(options: &JsValue, key: &str, must_be: &str) -> Result<Option<T>, JsValue> {
    match property(options, key) {
        value if value.is_undefined() || value.is_null() => Ok(None),
        value => value.dyn_into::<T>().map(Some).map_err(|_| {
            refusal(
                Refusal::Options,
                &format!("options.{key} must be {must_be}"),
            )
        }),
    }
}
