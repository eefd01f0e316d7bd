//! The paging cursor a caller saves and resumes from: `Cursor::from_json` and serde, a
//! cursor read either way written back and read again unchanged, and resumed on a paged
//! list (byte 0 picks which).
#![no_main]

use libfuzzer_sys::fuzz_target;
use postmark_kit::Cursor;
use postmark_kit_fuzz::{dynamic_operations, measure};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    measure(data.len(), || {
        let read = Cursor::from_json(text);
        let by_serde = serde_json::from_str::<Cursor>(text);
        for cursor in read.iter().chain(by_serde.iter()) {
            let again = Cursor::from_json(&cursor.to_json());
            assert_eq!(again.as_ref(), Ok(cursor), "{text}");
            let paged: Vec<_> = dynamic_operations()
                .into_iter()
                .filter(|op| op.paged)
                .collect();
            let operation = paged[usize::from(pick) % paged.len()];
            if let Ok(pager) = operation.resume("{}", cursor.clone()) {
                let _ = pager.next_params();
            }
        }
    });
});
