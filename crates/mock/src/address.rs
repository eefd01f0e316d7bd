//! Email addresses as Postmark accepts them in `From`, `To`, `Cc`, `Bcc` and `ReplyTo`:
//! `addr@example.com` or `Display Name <addr@example.com>`, lists separated by commas.

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Address {
    /// Display name without quotes; empty when none was given.
    pub(crate) name: String,
    pub(crate) email: String,
}

/// Parses a comma-separated list. Empty entries (a trailing comma) are skipped.
/// The error is the first entry that is not a valid address.
pub(crate) fn parse_list(list: &str) -> Result<Vec<Address>, String> {
    split_list(list)
        .into_iter()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(parse_one)
        .collect()
}

pub(crate) fn parse_one(text: &str) -> Result<Address, String> {
    let text = text.trim();
    let (name, email) = match (text.rfind('<'), text.strip_suffix('>')) {
        (Some(open), Some(inner)) => (
            text[..open].trim().trim_matches('"').trim(),
            &inner[open + 1..],
        ),
        _ => ("", text),
    };
    let email = email.trim();
    if is_valid_email(email) {
        Ok(Address {
            name: name.to_owned(),
            email: email.to_owned(),
        })
    } else {
        Err(text.to_owned())
    }
}

/// `text` when it is a bare address (`a@example.com`, no display name or brackets), the
/// form API fields such as `FromEmail`, `EmailAddress` and inbound rules take.
pub(crate) fn bare(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.contains('<') && is_valid_email(text)).then_some(text)
}

/// Whether `name` is a domain as addresses have them: two or more labels of letters,
/// digits and hyphens.
pub(crate) fn is_domain(name: &str) -> bool {
    is_valid_email(&format!("x@{name}")) && name == name.trim()
}

/// Splits on commas that are outside quoted display names and angle brackets.
fn split_list(list: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut angled) = (0, false, false);
    for (at, c) in list.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => angled = true,
            '>' if !quoted => angled = false,
            ',' if !quoted && !angled => {
                parts.push(&list[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&list[start..]);
    parts
}

/// A pragmatic subset of RFC 5322 `addr-spec`: dot-atom local part, and a domain of at
/// least two labels of letters, digits and hyphens. Quoted local parts are not accepted.
fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let atom_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let dot_atom = |s: &str, ok: &dyn Fn(char) -> bool| {
        !s.is_empty()
            && s.split('.')
                .all(|part| !part.is_empty() && part.chars().all(ok))
    };
    let label_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
    dot_atom(local, &atom_char)
        && dot_atom(domain, &label_char)
        && domain.contains('.')
        && domain
            .split('.')
            .all(|l| !l.starts_with('-') && !l.ends_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(name: &str, email: &str) -> Address {
        Address {
            name: name.into(),
            email: email.into(),
        }
    }

    #[test]
    fn parses_plain_named_and_quoted_lists() {
        assert_eq!(
            parse_list(
                r#"a@example.com, "Doe, John" <john@example.com>,Jane <jane@x.example.org>,"#
            ),
            Ok(vec![
                addr("", "a@example.com"),
                addr("Doe, John", "john@example.com"),
                addr("Jane", "jane@x.example.org"),
            ])
        );
        assert_eq!(parse_list(""), Ok(vec![]));
        assert_eq!(
            parse_one("<only@angle.com>"),
            Ok(addr("", "only@angle.com"))
        );
    }

    #[test]
    fn bare_addresses_and_domains() {
        assert_eq!(bare(" a@example.com "), Some("a@example.com"));
        assert_eq!(bare("Ann <a@example.com>"), None);
        assert_eq!(bare("nope"), None);
        assert!(is_domain("mail.example.com"));
        for bad in [
            "localhost",
            "a b.com",
            " example.com",
            "-x.com",
            "example..com",
        ] {
            assert!(!is_domain(bad), "{bad}");
        }
    }

    #[test]
    fn rejects_invalid_addresses() {
        for bad in [
            "plain",
            "a@b",
            "@b.com",
            "a@.com",
            "a..b@c.com",
            "a b@c.com",
            "a@b..com",
            "a@-b.com",
            "a@b.com>",
            "Name <a@b.com",
            "a@b@c.com",
        ] {
            assert!(parse_one(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_list("ok@x.com, nope"), Err("nope".to_owned()));
    }
}
