//! Any number of messages as batches Postmark takes: at most
//! [`MAX_BATCH_MESSAGES`] messages and [`MAX_BATCH_BYTES`] of JSON each.
//!
//! Pure: it answers where to cut, and a transport sends each batch and puts
//! the answers one after the other, so that there is one result per message
//! in the caller's order (the Rust clients' `send_email_batches`, and
//! through [`batch_params`] the npm package's and the Python package's).
//! Batches
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

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use crate::api::email::{
    MAX_BATCH_BYTES, MAX_BATCH_MESSAGES, MAX_MESSAGE_BYTES, SendEmailBatch,
    SendEmailBatchWithTemplates,
};
use crate::ops::Operation;
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
            .map_err(|error| in_caller_list(error, range.start))?;
    }
    Ok(batches)
}

/// The parameters of each batch call of `operation` (`send_email_batch`
/// or `send_email_batch_with_templates`) that sends `messages`, a JSON
/// array of its messages, from a client whose token is of `kind`: the
/// bindings' `send_email_batches`.
///
/// Every batch is checked as its call would be before any is answered, so
/// that a refused message sends nothing; a refusal of one message names its
/// index in `messages` ([`BuildError::InBatch`]). Refused too: any other
/// operation ([`BuildError::InvalidParams`]), text that is not a JSON array
/// (the same, UTF-8 checked as it is read, as by
/// [`Operation::parts`]), and a message over [`MAX_MESSAGE_BYTES`] as in
/// [`split`].
pub fn batch_params<P: AsRef<[u8]> + ?Sized>(
    operation: &Operation,
    kind: &str,
    messages: &P,
) -> Result<Vec<String>, BuildError> {
    let wrap: fn(String) -> String = match operation.name {
        SendEmailBatch::OPERATION => |batch| batch,
        SendEmailBatchWithTemplates::OPERATION => |batch| format!("{{\"Messages\":{batch}}}"),
        _ => {
            return Err(BuildError::InvalidParams {
                operation: operation.name,
                path: ".".into(),
                message: "not a batch send: send_email_batch or send_email_batch_with_templates"
                    .into(),
            });
        }
    };
    json_batches(messages.as_ref())?
        .into_iter()
        .map(|(first, batch)| {
            let params = wrap(batch);
            match operation.parts(kind, &params) {
                Ok(_) => Ok(params),
                Err(error) => Err(in_caller_list(error, first)),
            }
        })
        .collect()
}

/// A refusal of a message of the batch whose first message is at `first`
/// in the caller's list, naming the message by its place in that list.
fn in_caller_list(error: BuildError, first: usize) -> BuildError {
    match error {
        BuildError::InBatch { index, source } => BuildError::InBatch {
            index: first + index,
            source,
        },
        other => other,
    }
}

/// [`split`] of messages given as a JSON array: each batch as a JSON array
/// of the messages' text as given, with the index of its first message.
fn json_batches(messages: &[u8]) -> Result<Vec<(usize, String)>, BuildError> {
    let items =
        crate::shape::array_items(messages).map_err(|message| BuildError::InvalidParams {
            operation: "send_email_batch",
            path: ".".into(),
            message: format!("not a JSON array of messages: {message}"),
        })?;
    let batches = group(items.iter().map(Range::len))?;
    Ok(batches
        .into_iter()
        .map(|batch| {
            // Text the reading checked as UTF-8: nothing is replaced.
            let texts: Vec<Cow<'_, str>> = items[batch.clone()]
                .iter()
                .map(|item| String::from_utf8_lossy(&messages[item.clone()]))
                .collect();
            (batch.start, format!("[{}]", texts.join(",")))
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
        // Five messages and their four commas exactly at the limit, then one byte over.
        let room = MAX_BATCH_BYTES - ENVELOPE_BYTES - 4;
        let last = room - 4 * fits;
        assert_eq!(
            sizes(&[fits, fits, fits, fits, last]),
            vec![Range { start: 0, end: 5 }]
        );
        assert_eq!(sizes(&[fits, fits, fits, fits, last + 1]), [0..4, 4..5]);
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
    fn split_cuts_typed_messages_and_split_checked_names_the_callers_message() {
        use crate::api::email::SendEmail;

        let message = |to: &str| SendEmail::new("a@example.com", to, "Hi").text_body("Hi");
        let mut messages: Vec<SendEmail> = (0..1_201)
            .map(|i| message(&format!("r{i}@x.org")))
            .collect();
        assert_eq!(
            split(&messages).unwrap(),
            [0..500, 500..1_000, 1_000..1_201]
        );
        assert_eq!(
            split_checked(&messages, |batch| SendEmailBatch(batch.to_vec())).unwrap(),
            [0..500, 500..1_000, 1_000..1_201]
        );
        // The second message of the second batch has no recipient: 501 of the list.
        messages[501] = message("");
        let refused = split_checked(&messages, |batch| SendEmailBatch(batch.to_vec())).unwrap_err();
        assert!(
            matches!(&refused, BuildError::InBatch { index: 501, source }
                if matches!(**source, BuildError::MissingField { .. })),
            "{refused:?}"
        );
    }

    #[test]
    fn json_batches_keep_each_message_as_written() {
        let batches =
            json_batches(br#" [ {"To": "a@example.com"} , {"To":"b@example.com", "X": [1, 2]} ] "#)
                .unwrap();
        assert_eq!(
            batches,
            [(
                0,
                r#"[{"To": "a@example.com"},{"To":"b@example.com", "X": [1, 2]}]"#.to_string()
            )]
        );
        assert_eq!(json_batches(b"[]").unwrap(), Vec::new());
        for bad in [&b"{}"[..], b"[1,", b"nope", b"[{\"To\":\"\xff\"}]"] {
            assert!(
                matches!(json_batches(bad), Err(BuildError::InvalidParams { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn batch_params_wrap_check_and_name_the_callers_message() {
        let send = crate::ops::find("send_email_batch").unwrap();
        let with_templates = crate::ops::find("send_email_batch_with_templates").unwrap();
        let message = r#"{"From":"a@example.com","To":"b@example.com","TextBody":"t"}"#;
        let messages = format!("[{}]", vec![message; 501].join(","));
        let batches = batch_params(send, "server", &messages).unwrap();
        assert_eq!(batches.len(), 2);
        assert_eq!(batches[1], format!("[{message}]"));
        let template = r#"{"From":"a@example.com","To":"b@example.com","TemplateAlias":"w","TemplateModel":{}}"#;
        assert_eq!(
            batch_params(with_templates, "server", &format!("[{template}]")).unwrap(),
            [format!(r#"{{"Messages":[{template}]}}"#)]
        );
        // The second batch's first message lacks its From: message 500 of the list.
        let mut list = vec![message; 501];
        list[500] = r#"{"To":"b@example.com","TextBody":"t"}"#;
        let refused = batch_params(send, "server", &format!("[{}]", list.join(","))).unwrap_err();
        assert!(
            matches!(&refused, BuildError::InBatch { index: 500, source }
                if matches!(**source, BuildError::MissingField { .. })),
            "{refused:?}"
        );
        assert!(matches!(
            batch_params(send, "account", &messages),
            Err(BuildError::WrongTokenKind { .. })
        ));
        let not_a_batch = crate::ops::find("send_email").unwrap();
        assert!(matches!(
            batch_params(not_a_batch, "server", "[]"),
            Err(BuildError::InvalidParams { .. })
        ));
    }
}
