//! Any number of messages as batches Postmark takes: at most
//! [`MAX_BATCH_MESSAGES`] messages and [`MAX_BATCH_BYTES`] of JSON each.
//!
//! Pure: it answers where to cut, and a transport sends each batch and puts
//! the answers one after the other, so that there is one result per message
//! in the caller's order (the clients' `send_email_batches`). Batches
//! are filled in order, each as full as both limits allow, so a send takes
//! as few calls as it can without reordering anything.
//!
//! ```
//! use postmark_kit::api::email::SendEmail;
//! use postmark_kit::batching;
//!
//! let messages: Vec<SendEmail> = (0..1_201)
//!     .map(|i| SendEmail::new("a@example.com", format!("r{i}@example.com"), "Hi").text_body("Hi"))
//!     .collect();
//! assert_eq!(batching::split(&messages)?, [0..500, 500..1_000, 1_000..1_201]);
//! # Ok::<(), postmark_kit::BuildError>(())
//! ```

use std::ops::Range;

use serde::Serialize;

use crate::api::email::{MAX_BATCH_BYTES, MAX_BATCH_MESSAGES, MAX_MESSAGE_BYTES};
use crate::{BuildError, Endpoint};

/// What a batch body holds besides its messages and the commas between
/// them, at most: `{"Messages":[` and `]}` for a batch with templates (a
/// plain batch's `[` and `]` are fewer).
const ENVELOPE_BYTES: usize = r#"{"Messages":[]}"#.len();

/// The batches `messages` go in, as ranges of their indices, in order: each
/// at most [`MAX_BATCH_MESSAGES`] messages whose body (their compact JSON,
/// as the batch endpoints send it) is at most [`MAX_BATCH_BYTES`].
///
/// Refused, before anything is sent: a message over [`MAX_MESSAGE_BYTES`],
/// which Postmark refuses whatever batch it is in
/// ([`BuildError::InBatch`] with its index, around
/// [`BuildError::PayloadTooLarge`]). No messages make no batches.
pub fn split<T: Serialize>(messages: &[T]) -> Result<Vec<Range<usize>>, BuildError> {
    group(
        messages
            .iter()
            .map(|message| crate::json::to_vec(message).len()),
    )
}

/// [`split`], with the request of each batch (made by `batch` from its
/// messages) checked, so that a message refused locally is found before a
/// transport sends the first batch. A refusal inside a batch names the
/// message by its index in `messages`.
pub fn split_checked<T: Serialize, E: Endpoint>(
    messages: &[T],
    batch: impl Fn(&[T]) -> E,
) -> Result<Vec<Range<usize>>, BuildError> {
    let batches = split(messages)?;
    for range in &batches {
        batch(&messages[range.clone()])
            .parts()
            .map_err(|error| match error {
                BuildError::InBatch { index, source } => BuildError::InBatch {
                    index: range.start + index,
                    source,
                },
                other => other,
            })?;
    }
    Ok(batches)
}

/// [`split`] of messages given as a JSON array, for the bindings: each batch
/// as a JSON array of the messages' text as given.
///
/// Refused: text that is not a JSON array
/// ([`BuildError::InvalidParams`]), and a message over
/// [`MAX_MESSAGE_BYTES`] as in [`split`].
pub fn split_json(messages: &str) -> Result<Vec<String>, BuildError> {
    let items = crate::shape::array_items(messages.as_bytes()).map_err(|message| {
        BuildError::InvalidParams {
            operation: "send_email_batch",
            path: ".".into(),
            message: format!("not a JSON array of messages: {message}"),
        }
    })?;
    let batches = group(items.iter().map(Range::len))?;
    Ok(batches
        .into_iter()
        .map(|batch| {
            let texts: Vec<&str> = items[batch]
                .iter()
                .map(|item| &messages[item.clone()])
                .collect();
            format!("[{}]", texts.join(","))
        })
        .collect())
}

/// Cuts messages of these sizes into batches, filling each in order.
fn group(sizes: impl Iterator<Item = usize>) -> Result<Vec<Range<usize>>, BuildError> {
    let mut batches: Vec<Range<usize>> = Vec::new();
    let mut bytes = 0;
    for (index, size) in sizes.enumerate() {
        if size > MAX_MESSAGE_BYTES {
            return Err(BuildError::InBatch {
                index,
                source: Box::new(BuildError::PayloadTooLarge {
                    bytes: size,
                    max: MAX_MESSAGE_BYTES,
                }),
            });
        }
        match batches.last_mut() {
            // A comma before the message.
            Some(batch)
                if batch.len() < MAX_BATCH_MESSAGES && bytes + 1 + size <= MAX_BATCH_BYTES =>
            {
                batch.end = index + 1;
                bytes += 1 + size;
            }
            _ => {
                batches.push(index..index + 1);
                bytes = ENVELOPE_BYTES + size;
            }
        }
    }
    Ok(batches)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_fill_to_either_limit() {
        let sizes = |sizes: &[usize]| group(sizes.iter().copied()).unwrap();
        assert_eq!(sizes(&[]), Vec::<Range<usize>>::new());
        assert_eq!(sizes(&[10; 1_001]), [0..500, 500..1_000, 1_000..1_001]);
        // Five messages of 10 MB fill 50 MB but for the commas and brackets.
        let ten = MAX_MESSAGE_BYTES;
        assert_eq!(sizes(&[ten; 6]), [0..4, 4..6]);
        let fits = (MAX_BATCH_BYTES - ENVELOPE_BYTES - 4) / 5;
        assert_eq!(sizes(&[fits; 6]), [0..5, 5..6]);
        assert_eq!(sizes(&[fits + 1; 6]), [0..4, 4..6]);
        assert_eq!(
            group([1, ten + 1].into_iter()),
            Err(BuildError::InBatch {
                index: 1,
                source: Box::new(BuildError::PayloadTooLarge {
                    bytes: ten + 1,
                    max: ten
                })
            })
        );
    }

    #[test]
    fn json_batches_keep_each_message_as_written() {
        let batches =
            split_json(r#" [ {"To": "a@example.com"} , {"To":"b@example.com", "X": [1, 2]} ] "#)
                .unwrap();
        assert_eq!(
            batches,
            [r#"[{"To": "a@example.com"},{"To":"b@example.com", "X": [1, 2]}]"#]
        );
        assert_eq!(split_json("[]").unwrap(), Vec::<String>::new());
        for bad in ["{}", "[1,", "nope"] {
            assert!(
                matches!(split_json(bad), Err(BuildError::InvalidParams { .. })),
                "{bad}"
            );
        }
    }
}
