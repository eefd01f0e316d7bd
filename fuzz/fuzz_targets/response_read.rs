//! Every operation's answer through the dynamic interface (`Operation::read`, and
//! `read_body` and `read_body_ascii` for a success): status, headers and body fuzzed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postmark_kit_fuzz::{FuzzedResponse, dynamic_operations, measure};

fuzz_target!(|data: &[u8]| {
    let Some(fuzzed) = FuzzedResponse::read(data) else {
        return;
    };
    let operations = dynamic_operations();
    let operation = operations[fuzzed.index % operations.len()];
    measure(data.len(), || {
        let status = fuzzed.response.status();
        match operation.read(&fuzzed.response) {
            Ok(answer) => {
                let ascii = operation
                    .read_body_ascii(status, fuzzed.response.body())
                    .expect("an answer read reads in ASCII too")
                    .text;
                // JSON text by the grammar, whatever came in. Checked with serde's
                // IgnoredAny, which reads numbers by their syntax alone: a field the
                // model does not know passes through as sent, and a number such as
                // 1e999 is JSON even where a float cannot hold it.
                let text = answer.into_string();
                if let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
                    panic!("{}: answer is not JSON ({error}): {text}", operation.name);
                }
                // In ASCII, as the npm package hands it over: the same value.
                assert!(ascii.is_ascii(), "{}: not ASCII", operation.name);
                let value = |text: &[u8]| serde_json::from_slice::<serde_json::Value>(text).ok();
                assert_eq!(value(&ascii), value(text.as_bytes()), "{}", operation.name);
            }
            Err(error) => {
                let _ = format!("{error} {error:?} {:?}", error.kind());
            }
        }
        // The body alone, as a success, whatever the status.
        let _ = operation
            .read_body(status, fuzzed.response.body())
            .map(|answer| answer.items);
    });
});
