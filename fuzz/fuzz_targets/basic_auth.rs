//! The Basic-auth check on the receiving side: the header value, user name and password
//! all fuzzed (separated by NUL bytes). Credentials written as a sender writes them
//! always pass; the header value fuzzed passes only when it decodes to them.
#![no_main]

use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use postmark_kit::webhook::{BasicAuth, check_basic_auth};
use postmark_kit_fuzz::measure;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\0');
    let header = parts.next().unwrap_or_default();
    let username = parts.next().unwrap_or_default();
    let password = parts.next().unwrap_or_default();
    measure(data.len(), || {
        let accepted = check_basic_auth(Some(header), username, password);
        assert_eq!(
            BasicAuth::new(username, password).verify(Some(header)),
            accepted
        );
        if accepted {
            // Only the expected credentials pass, never a prefix or an extension of them.
            let (_, encoded) = header
                .trim()
                .split_once(|c: char| c.is_ascii_whitespace())
                .unwrap();
            let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(encoded.trim().trim_end_matches('='))
                .unwrap();
            assert_eq!(decoded, format!("{username}:{password}").into_bytes());
        }
        if !username.contains(':') {
            let sent =
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
            assert!(check_basic_auth(
                Some(&format!("Basic {sent}")),
                username,
                password
            ));
        }
    });
});
