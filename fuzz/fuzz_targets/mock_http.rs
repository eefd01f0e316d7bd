//! The mock server's HTTP request reading: the bytes a client sends on one connection.
#![no_main]

use std::io::BufReader;

use libfuzzer_sys::fuzz_target;
use postmark_kit_fuzz::measure;

fuzz_target!(|data: &[u8]| {
    measure(data.len(), || {
        let (requests, end) =
            postmark_kit_mock::fuzzing::read_requests(&mut BufReader::with_capacity(4096, data));
        // A request's body is bytes that were sent.
        let bodies: usize = requests.iter().map(|(_, _, body)| body).sum();
        assert!(bodies <= data.len());
        if let Err(Some(status)) = end {
            assert!((400..500).contains(&status), "{status}");
        }
    });
});
