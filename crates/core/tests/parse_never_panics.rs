//! No response, whatever its status and bytes, makes parsing panic.

use postmark_kit::ops::{RAW, operations};
use proptest::prelude::*;

/// Bodies that get past a JSON parser's first checks often enough to reach the models.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        "[\\[\\]{}\":,0-9a-zA-Z \\-.]{0,200}".prop_map(String::into_bytes),
        Just(br#"{"TotalCount":-1,"Servers":[{"ID":1e400}]}"#.to_vec()),
        Just(br#"[{"ErrorCode":4294967296,"Message":null}]"#.to_vec()),
        Just(br#"{"Webhooks":[{"Triggers":{"Open":null}}]}"#.to_vec()),
        Just(br#"{"Webhooks":[{"Triggers":null, "ID": null}, null]}"#.to_vec()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_status_and_body(status in 100u16..600, body in body()) {
        for op in operations().chain([&RAW]) {
            let response = http::Response::builder().status(status).body(body.as_slice()).unwrap();
            let result = op.parse(&response);
            if !(200..300).contains(&status) {
                prop_assert!(result.is_err());
            }
        }
    }
}
