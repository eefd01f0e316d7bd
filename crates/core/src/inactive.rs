//! The recipients Postmark refuses as inactive, read from its messages.
//!
//! Postmark names them only in prose: in the `Message` of a send refused
//! with ErrorCode 406 (every recipient inactive), and in the `Message` of a
//! send it accepted when some recipients were inactive (ErrorCode 0). Its
//! wordings have changed over the years (one or several addresses, one or
//! several lines, with or without a closing sentence, and none at all when
//! every recipient is inactive or in a batch's short form), but each names
//! the addresses after `inactive addresses:`, separated by commas, up to the
//! end of that sentence. [`inactive_recipients`] reads them from any of these.

/// The marker that introduces the addresses in every wording that has them.
const MARKER: &str = "inactive addresses:";

/// The addresses a Postmark message names as inactive, in its order; empty
/// when it names none (a message that is not about inactive recipients, or
/// one that only says every recipient is).
///
/// ```
/// use postmark_kit::inactive_recipients;
///
/// let message = "Message OK, but will not deliver to these inactive addresses: \
///                a@example.com, b@example.com";
/// assert_eq!(inactive_recipients(message), ["a@example.com", "b@example.com"]);
/// assert!(inactive_recipients("OK").is_empty());
/// ```
pub fn inactive_recipients(message: &str) -> Vec<String> {
    let Some(start) = find_marker(message) else {
        return Vec::new();
    };
    let list = &message[start + MARKER.len()..];
    // Addresses hold dots but never a dot before a space or at the end:
    // such a dot ends the sentence, and the list with it.
    let end = list
        .char_indices()
        .find(|&(i, c)| c == '.' && list[i + 1..].chars().next().is_none_or(char::is_whitespace))
        .map_or(list.len(), |(i, _)| i);
    list[..end]
        .split(',')
        .filter_map(address)
        .map(str::to_owned)
        .collect()
}

/// Where the marker starts, in any casing.
fn find_marker(message: &str) -> Option<usize> {
    message.char_indices().map(|(i, _)| i).find(|&i| {
        message
            .get(i..i + MARKER.len())
            .is_some_and(|text| text.eq_ignore_ascii_case(MARKER))
    })
}

/// One entry of the list: the address, inside angle brackets when a display
/// name comes with it; `None` for anything that is not an address.
fn address(entry: &str) -> Option<&str> {
    let entry = entry.trim();
    let entry = match (entry.rfind('<'), entry.ends_with('>')) {
        (Some(open), true) => &entry[open + 1..entry.len() - 1],
        _ => entry,
    };
    let entry = entry.trim();
    entry.contains('@').then_some(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_text_is_read_without_panicking() {
        for message in [
            "inactive addresses:",
            "é inactive addresses:é.",
            "inactive addresses:.",
        ] {
            assert!(inactive_recipients(message).is_empty(), "{message}");
        }
    }
}
