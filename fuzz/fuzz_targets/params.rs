//! The parameters reader: `Operation::parts` with fuzzed JSON for every operation and
//! either kind of token, then the request built from them, and the walk of a paged list.
//!
//! Byte 0 picks the operation, byte 1 the token kind (its lowest bit) and whether to
//! build a walk; the rest is the parameters' text, or bytes that are not UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postmark_kit::{Account, Config, Server, Token};
use postmark_kit_fuzz::{dynamic_operations, measure};

fuzz_target!(|data: &[u8]| {
    let Some((&[pick, flags], rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let operations = dynamic_operations();
    let operation = operations[usize::from(pick) % operations.len()];
    measure(data.len(), || {
        let kind = if flags & 1 == 0 { "server" } else { "account" };
        // The bytes as the npm package hands them over: text that is not UTF-8
        // is refused, wherever the bytes that are not are.
        let parts = operation.parts(kind, rest);
        let Ok(params) = std::str::from_utf8(rest) else {
            assert!(parts.is_err(), "{}: took bytes that are not UTF-8", operation.name);
            return;
        };
        let _ = parts.map(|parts| parts.idempotent);
        let built = if flags & 1 == 0 {
            operation.build(&Config::<Server>::new(Token::new("fuzz").unwrap()), params)
        } else {
            operation.build(&Config::<Account>::new(Token::new("fuzz").unwrap()), params)
        };
        if let Err(error) = built {
            let _ = format!("{error} {error:?}");
        }
        if flags & 2 != 0 && operation.paged {
            let limit = (flags & 4 != 0).then_some(u64::from(flags >> 3));
            if let Ok(pager) = operation.pages(params, limit) {
                let _ = pager.next_params();
                let _ = pager.cursor().to_json();
            }
        }
    });
});
