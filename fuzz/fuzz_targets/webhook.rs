//! Webhook bodies: `parse_webhook` and `read_webhook`; an event that parses serializes
//! to JSON that serde reads back to the same event.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postmark_kit::webhook::{WebhookEvent, parse_webhook, read_webhook};
use postmark_kit_fuzz::measure;

fuzz_target!(|data: &[u8]| {
    measure(data.len(), || {
        match parse_webhook(data) {
            Ok(event) => {
                let _ = (
                    event.record_type(),
                    event.message_id(),
                    format!("{event:?}"),
                );
                let json = serde_json::to_string(&event).unwrap();
                let back: WebhookEvent =
                    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
                assert_eq!(back, event, "{json}");
            }
            Err(error) => {
                let _ = format!("{error} {error:?} {}", error.path());
            }
        }
        // JSON text by the grammar (see response_read.rs: numbers by their syntax).
        if let Ok(text) = read_webhook(data) {
            if let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
                panic!("read_webhook answered text that is not JSON ({error}): {text}");
            }
        }
    });
});
