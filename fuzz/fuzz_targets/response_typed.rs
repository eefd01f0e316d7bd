//! Every operation's answer through the typed parse (`parse::<E>`): status, headers and
//! body fuzzed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postmark_kit_fuzz::{FuzzedResponse, TYPED, measure};

fuzz_target!(|data: &[u8]| {
    let Some(fuzzed) = FuzzedResponse::read(data) else {
        return;
    };
    let (_, parse) = TYPED[fuzzed.index % TYPED.len()];
    measure(data.len(), || parse(fuzzed.response));
});
