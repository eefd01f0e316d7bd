//! The recipient allow-list: which addresses a send may reach.

/// Addresses and `@domain`s, compared without case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AllowList {
    entries: Vec<String>,
}

impl AllowList {
    /// A comma-separated list of addresses (`ops@example.com`) and domains
    /// (`@example.com`, every address there).
    pub(crate) fn parse(list: &str) -> Result<AllowList, String> {
        let entries: Vec<String> = list
            .split(',')
            .map(|entry| entry.trim().to_ascii_lowercase())
            .filter(|entry| !entry.is_empty())
            .collect();
        if let Some(bad) = entries
            .iter()
            .find(|e| !e.contains('@') || e.ends_with('@'))
        {
            return Err(format!(
                "--allowed-recipients: `{bad}` is neither an address nor an @domain"
            ));
        }
        match entries.is_empty() {
            true => Err("--allowed-recipients names no recipient".into()),
            false => Ok(AllowList { entries }),
        }
    }

    /// Whether `address` (a bare address) is on the list.
    pub(crate) fn allows(&self, address: &str) -> bool {
        let address = address.to_ascii_lowercase();
        self.entries
            .iter()
            .any(|entry| match entry.starts_with('@') {
                true => address.ends_with(entry.as_str()),
                false => address == *entry,
            })
    }

    /// The entries, as given (lower-cased).
    pub(crate) fn entries(&self) -> &[String] {
        &self.entries
    }
}

/// The bare addresses of a recipient field as Postmark takes it: comma-separated,
/// each `address` or `Name <address>`, a name possibly quoted with commas in it
/// (`"Doe, Jane" <jane@example.com>`).
pub(crate) fn addresses(field: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (at, c) in field.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&field[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&field[start..]);
    parts
        .into_iter()
        .map(|part| {
            let bare = match (part.rfind('<'), part.rfind('>')) {
                (Some(open), Some(close)) if open < close => &part[open + 1..close],
                _ => part,
            };
            bare.trim().to_owned()
        })
        .filter(|address| !address.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_from_recipient_fields() {
        assert_eq!(
            addresses(r#"a@example.com, "Doe, Jane" <Jane@Example.com>,Bob <b@x.org> ,"#),
            ["a@example.com", "Jane@Example.com", "b@x.org"]
        );
        assert!(addresses(" ").is_empty());
    }

    #[test]
    fn the_list_takes_addresses_and_domains() {
        let list = AllowList::parse("ops@example.com, @Test.example").unwrap();
        assert!(list.allows("OPS@example.com"));
        assert!(list.allows("anyone@test.example"));
        assert!(!list.allows("other@example.com"));
        // A domain entry matches the whole domain, not a suffix of another one.
        assert!(!list.allows("a@nottest.example"));
        assert_eq!(list.entries(), ["ops@example.com", "@test.example"]);
        assert!(AllowList::parse("example.com").is_err());
        assert!(AllowList::parse("a@").is_err());
        assert_eq!(
            AllowList::parse(" ,").unwrap_err(),
            "--allowed-recipients names no recipient"
        );
    }
}
