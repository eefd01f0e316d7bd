//! Where requests go and with which token.

use http::HeaderValue;

use crate::{BuildError, Token, TokenKind};

/// Postmark's production API.
pub const DEFAULT_BASE_URL: &str = "https://api.postmarkapp.com";

/// The environment variable the adapters read another base URL from (a mock
/// server, a proxy) when none is given.
pub const API_URL_VARIABLE: &str = "POSTMARK_API_URL";

/// Everything [`build`](crate::build) needs besides the endpoint: the base URL,
/// one token of kind `K`, and the `User-Agent`.
#[derive(Debug, Clone)]
pub struct Config<K: TokenKind> {
    base_url: String,
    token: Token<K>,
    user_agent: HeaderValue,
    /// Whether an `http://` base URL may name a host off this machine.
    insecure_http: bool,
}

impl<K: TokenKind> Config<K> {
    /// A config for Postmark's production API.
    pub fn new(token: Token<K>) -> Self {
        Config {
            base_url: DEFAULT_BASE_URL.to_owned(),
            token,
            user_agent: HeaderValue::from_static(concat!(
                "postmark-kit/",
                env!("CARGO_PKG_VERSION")
            )),
            insecure_http: false,
        }
    }

    /// A config from the settings the adapters take: a token, optionally
    /// another base URL and user agent, and whether that URL may be plain
    /// `http://` to any host ([`allow_insecure_http`](Self::allow_insecure_http)).
    /// Refused as [`Token::new`], [`with_base_url`](Self::with_base_url) and
    /// [`with_user_agent`](Self::with_user_agent) refuse them.
    pub fn from_settings(
        token: &str,
        base_url: Option<&str>,
        user_agent: Option<&str>,
        allow_insecure_http: bool,
    ) -> Result<Self, BuildError> {
        let mut config = Config::new(Token::new(token)?);
        config.insecure_http = allow_insecure_http;
        if let Some(url) = base_url {
            config = config.with_base_url(url)?;
        }
        if let Some(user_agent) = user_agent {
            config = config.with_user_agent(user_agent)?;
        }
        Ok(config)
    }

    /// [`from_settings`](Self::from_settings) with the token and base URL
    /// taken from the environment where not given: the token from
    /// `K::ENV_VARIABLE` (`POSTMARK_SERVER_TOKEN`, `POSTMARK_ACCOUNT_TOKEN`),
    /// the base URL from [`API_URL_VARIABLE`] when set. `var` looks a
    /// variable up (`|name| std::env::var(name).ok()`): the core reads no
    /// environment itself. `None` when there is no token.
    pub fn from_env(
        token: Option<&str>,
        base_url: Option<&str>,
        user_agent: Option<&str>,
        allow_insecure_http: bool,
        var: impl Fn(&str) -> Option<String>,
    ) -> Option<Result<Self, BuildError>> {
        let token = token.map(str::to_owned).or_else(|| var(K::ENV_VARIABLE))?;
        let base_url = base_url
            .map(str::to_owned)
            .or_else(|| var(API_URL_VARIABLE));
        Some(Self::from_settings(
            &token,
            base_url.as_deref(),
            user_agent,
            allow_insecure_http,
        ))
    }

    /// Sends requests to another server (a mock, a proxy). The URL must be
    /// absolute `http` or `https`, without query or fragment; it may carry a
    /// path prefix. A trailing slash is dropped.
    ///
    /// Every request carries the token in a header, so plain `http://` is
    /// refused unless the host is this machine (`localhost`, `127.0.0.0/8`,
    /// `[::1]`), where nothing crosses a network, or
    /// [`allow_insecure_http`](Self::allow_insecure_http) was called first.
    /// The error repeats the URL without any credentials in it.
    ///
    /// ```
    /// use postmark_kit::{Config, Server, Token};
    ///
    /// let config = || Config::<Server>::new(Token::new("t").unwrap());
    /// assert!(config().with_base_url("http://127.0.0.1:8025").is_ok());
    /// assert!(config().with_base_url("http://proxy.internal").is_err());
    /// assert!(config().allow_insecure_http().with_base_url("http://proxy.internal").is_ok());
    /// ```
    pub fn with_base_url(mut self, url: &str) -> Result<Self, BuildError> {
        self.base_url = checked_base_url(url, self.insecure_http)?;
        Ok(self)
    }

    /// Lets [`with_base_url`](Self::with_base_url) take a plain `http://`
    /// URL to any host, sending the token unencrypted: for a trusted proxy
    /// on a private network, say. Call it before `with_base_url`.
    pub fn allow_insecure_http(mut self) -> Self {
        self.insecure_http = true;
        self
    }

    /// Replaces the `User-Agent` header value.
    pub fn with_user_agent(mut self, user_agent: &str) -> Result<Self, BuildError> {
        self.user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| BuildError::InvalidHeaderValue { name: "user-agent" })?;
        Ok(self)
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The token.
    pub fn token(&self) -> &Token<K> {
        &self.token
    }

    /// The `User-Agent` header value.
    pub fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
    }
}

/// `url` as a base URL, without its trailing slash: see
/// [`Config::with_base_url`]. Apart from the config, so that there is one
/// copy of it whatever the number of token kinds.
fn checked_base_url(url: &str, insecure_http: bool) -> Result<String, BuildError> {
    let refuse = |reason| BuildError::InvalidBaseUrl {
        url: without_credentials(url),
        reason,
    };
    let (rest, secure) = match url.strip_prefix("https://") {
        Some(rest) => (rest, true),
        None => (
            url.strip_prefix("http://")
                .ok_or_else(|| refuse("it must start with http:// or https://"))?,
            false,
        ),
    };
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err(refuse("it has no host"));
    }
    if rest.contains(['?', '#']) || url.chars().any(|c| c.is_whitespace()) {
        return Err(refuse("it must not contain a query, a fragment or spaces"));
    }
    if host.contains('@') {
        return Err(refuse("credentials belong in the token, not in the URL"));
    }
    if !secure && !insecure_http && !is_loopback(host) {
        return Err(refuse(
            "http:// would send the token in clear text: use https://, a loopback \
             address, or allow insecure HTTP explicitly",
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// Whether the host part of a URL (`name`, `name:port`, `[v6]:port`) is
/// this machine for certain: `localhost`, an address of `127.0.0.0/8`, or
/// `::1`. Other names that may resolve to loopback are not taken on trust.
fn is_loopback(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        // An IPv6 literal: up to the closing bracket, a port may follow.
        Some(v6) => match v6.split_once(']') {
            Some((address, _)) => address,
            None => return false,
        },
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost")
        || ipv4(host).is_some_and(|octets| octets[0] == 127)
        || ipv6(host) == Some([0, 0, 0, 0, 0, 0, 0, 1])
}

// The two address parsers below read exactly what `std::net`'s `FromStr`
// does (a test compares them), in a tenth of the code it takes in the npm
// package's WebAssembly.

/// An IPv4 address in dotted-decimal form: four numbers up to 255, without
/// leading zeros.
fn ipv4(text: &str) -> Option<[u8; 4]> {
    let mut octets = [0; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        let valid = matches!(part.len(), 1..=3)
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part.len() == 1 || !part.starts_with('0'));
        *octet = valid.then(|| part.parse().ok()).flatten()?;
    }
    parts.next().is_none().then_some(octets)
}

/// An IPv6 address's eight groups: groups of up to four hex digits, one
/// `::` standing for at least one zero group, and the last two groups
/// possibly written as an IPv4 address.
fn ipv6(text: &str) -> Option<[u16; 8]> {
    let mut groups = [0; 8];
    let (head, tail) = match text.split_once("::") {
        Some((head, tail)) => (head, Some(tail)),
        None => (text, None),
    };
    // Only the address's last part may be an IPv4 address.
    let head_len = read_groups(head, tail.is_none(), &mut groups)?;
    let Some(tail) = tail else {
        return (head_len == 8).then_some(groups);
    };
    let mut tail_groups = [0; 8];
    let tail_len = read_groups(tail, true, &mut tail_groups)?;
    if head_len + tail_len > 7 {
        return None;
    }
    groups[8 - tail_len..].copy_from_slice(&tail_groups[..tail_len]);
    Some(groups)
}

/// Reads the `:`-separated groups of `text` (none when it is empty) into
/// `groups`, the last one possibly an IPv4 address when `ipv4_last`;
/// answers how many groups it filled.
fn read_groups(text: &str, ipv4_last: bool, groups: &mut [u16; 8]) -> Option<usize> {
    if text.is_empty() {
        return Some(0);
    }
    let mut len = 0;
    let mut parts = text.split(':').peekable();
    while let Some(part) = parts.next() {
        if ipv4_last && parts.peek().is_none() && part.contains('.') {
            let [a, b, c, d] = ipv4(part)?;
            *groups.get_mut(len)? = u16::from_be_bytes([a, b]);
            *groups.get_mut(len + 1)? = u16::from_be_bytes([c, d]);
            return Some(len + 2);
        }
        let valid = matches!(part.len(), 1..=4) && part.bytes().all(|b| b.is_ascii_hexdigit());
        *groups.get_mut(len)? = valid
            .then(|| u16::from_str_radix(part, 16).ok())
            .flatten()?;
        len += 1;
    }
    Some(len)
}

/// `url` with the user and password of its authority, if any, replaced by
/// `****`: a refused URL is repeated in the error, which may be logged.
fn without_credentials(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (&url[..scheme.len() + 3], rest),
        None => ("", url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}****{}", &rest[at..]),
        None => url.to_owned(),
    }
}

/// A config's parts with its token kind as values instead of a type: what
/// building needs, without one copy of every endpoint's building code per
/// kind.
#[derive(Debug)]
pub(crate) struct ErasedConfig<'a> {
    pub(crate) base_url: &'a str,
    pub(crate) user_agent: &'a HeaderValue,
    /// The token's header name.
    pub(crate) header: &'static str,
    pub(crate) token: &'a HeaderValue,
}

impl<K: TokenKind> Config<K> {
    pub(crate) fn erased(&self) -> ErasedConfig<'_> {
        ErasedConfig {
            base_url: &self.base_url,
            user_agent: &self.user_agent,
            header: K::HEADER,
            token: self.token.header_value(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use proptest::prelude::*;

    use super::*;
    use crate::Server;

    /// What `std::net` reads the host as: the reference for the parsers.
    fn std_loopback(host: &str) -> bool {
        host.parse::<IpAddr>()
            .is_ok_and(|address| address.is_loopback())
    }

    /// Strings of the characters addresses are made of, often near-misses.
    fn address_like() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "0", "1", "7", "f", "F", "g", "00", "127", "255", "256", "ffff", "10000", ".", ":",
                "::",
            ]),
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    /// Addresses as `std` writes them, and their other spellings.
    fn written_address() -> impl Strategy<Value = String> {
        let v4 = any::<[u8; 4]>().prop_map(|octets| {
            let mut octets = octets;
            octets[0] = if octets[0] % 2 == 0 { 127 } else { octets[0] };
            std::net::Ipv4Addr::from(octets).to_string()
        });
        let v6 = (any::<[u16; 8]>(), 0..4u8).prop_map(|(mut groups, form)| {
            for group in &mut groups[..7] {
                *group %= 2;
            }
            let address = std::net::Ipv6Addr::from(groups);
            match form {
                0 => address.to_string(),
                1 => groups.map(|g| format!("{g:04X}")).join(":"),
                2 => {
                    let octets = address.octets();
                    let v4 =
                        std::net::Ipv4Addr::new(octets[12], octets[13], octets[14], octets[15]);
                    format!("::{v4}")
                }
                _ => groups.map(|g| format!("{g:x}")).join(":"),
            }
        });
        prop_oneof![v4, v6]
    }

    proptest! {
        #[test]
        fn loopback_parsing_is_std_s(host in prop_oneof![address_like(), written_address()]) {
            let ours = ipv4(&host).is_some_and(|octets| octets[0] == 127)
                || ipv6(&host) == Some([0, 0, 0, 0, 0, 0, 0, 1]);
            prop_assert_eq!(ours, std_loopback(&host), "{}", host);
            prop_assert_eq!(ipv4(&host).map(std::net::Ipv4Addr::from), host.parse().ok());
            prop_assert_eq!(ipv6(&host).map(std::net::Ipv6Addr::from), host.parse().ok());
        }
    }

    #[test]
    fn loopback_spellings_are_std_s() {
        for host in [
            "127.0.0.1",
            "127.255.255.254",
            "127.0.0.01",
            "127.0.0",
            "127.0.0.1.",
            "128.0.0.1",
            "::1",
            "0:0:0:0:0:0:0:1",
            "0::1",
            "::0:1",
            "0000::0001",
            "::00001",
            "::0.0.0.1",
            "::127.0.0.1",
            "::ffff:127.0.0.1",
            "1::",
            "::",
            ":::1",
            "1:::1",
            "::1::",
            "::1:",
            "0:0:0:0:0:0:0:0:1",
            "0:0:0:0:0:0:0::1",
            "0:0:0:0:0:0::1",
            "0:0:0:0:0::0.0.0.1",
            "0:0:0:0:0:0:0.0.0.1",
            "0.0.0.1::",
            "::+1",
            "::1%lo",
            "",
            "localhost",
        ] {
            let ours = ipv4(host).is_some_and(|octets| octets[0] == 127)
                || ipv6(host) == Some([0, 0, 0, 0, 0, 0, 0, 1]);
            assert_eq!(ours, std_loopback(host), "{host}");
            assert_eq!(
                ipv6(host).map(std::net::Ipv6Addr::from),
                host.parse().ok(),
                "{host}"
            );
        }
    }

    fn config() -> Config<Server> {
        Config::new(Token::new("t").unwrap())
    }

    #[test]
    fn base_url_is_validated_and_normalised() {
        let c = config().with_base_url("http://127.0.0.1:8080/").unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:8080");
        let c = config().with_base_url("https://proxy.example/pm").unwrap();
        assert_eq!(c.base_url(), "https://proxy.example/pm");
        for (bad, reason) in [
            ("api.postmarkapp.com", "must start with"),
            ("ftp://x", "must start with"),
            ("https://", "no host"),
            ("https://x/?a=b", "query"),
            ("https://x/#top", "fragment"),
            ("https://x/a b", "spaces"),
            ("https://u:p@x", "credentials"),
        ] {
            let error = config().with_base_url(bad).unwrap_err().to_string();
            assert!(error.contains(reason), "{bad}: {error}");
        }
    }

    #[test]
    fn plain_http_is_for_this_machine_unless_allowed() {
        for local in [
            "http://127.0.0.1:8025",
            "http://127.1.2.3",
            "http://localhost:8025/pm",
            "http://LOCALHOST",
            "http://[::1]:8025",
            "http://[::1]",
        ] {
            assert!(config().with_base_url(local).is_ok(), "{local}");
        }
        for remote in [
            "http://api.postmarkapp.com",
            "http://127.0.0.1.example.com",
            "http://localhost.example.com:8025",
            "http://10.0.0.1:8025",
            "http://[::2]:8025",
            "http://128.0.0.1",
        ] {
            let error = config().with_base_url(remote).unwrap_err();
            assert!(
                error.to_string().contains("clear text"),
                "{remote}: {error}"
            );
            assert_eq!(
                config()
                    .allow_insecure_http()
                    .with_base_url(remote)
                    .map(|c| c.base_url().to_owned())
                    .ok(),
                Some(remote.to_owned()),
                "{remote}"
            );
        }
        // https is never refused for its host.
        assert!(config().with_base_url("https://10.0.0.1").is_ok());
    }

    #[test]
    fn settings_opt_into_plain_http_before_the_base_url_is_checked() {
        let remote = "http://postmark.internal.example:8025";
        let error = Config::<Server>::from_settings("t", Some(remote), None, false).unwrap_err();
        assert!(error.to_string().contains("clear text"), "{error}");
        let config = Config::<Server>::from_settings("t", Some(remote), None, true).unwrap();
        assert_eq!(config.base_url(), remote);
    }

    #[test]
    fn settings_not_given_come_from_the_environment() {
        let env = |name: &str| match name {
            "POSTMARK_SERVER_TOKEN" => Some("from-env".to_owned()),
            API_URL_VARIABLE => Some("http://postmark.internal.example".to_owned()),
            _ => None,
        };
        let refused = Config::<Server>::from_env(None, None, None, false, env).unwrap();
        assert!(refused.unwrap_err().to_string().contains("clear text"));
        let config = Config::<Server>::from_env(None, None, None, true, env)
            .unwrap()
            .unwrap();
        assert_eq!(config.base_url(), "http://postmark.internal.example");
        assert_eq!(config.token().header_value(), "from-env");
        // What is given wins over the environment.
        let config =
            Config::<Server>::from_env(Some("given"), Some("https://x.example"), None, false, env)
                .unwrap()
                .unwrap();
        assert_eq!(config.token().header_value(), "given");
        assert_eq!(config.base_url(), "https://x.example");
        assert!(Config::<crate::Account>::from_env(None, None, None, false, env).is_none());
    }

    #[test]
    fn a_refused_url_is_repeated_without_its_credentials() {
        for (url, shown) in [
            ("http://user:hunter2@x/pm", "http://****@x/pm"),
            ("https://u:p@a@b.example", "https://****@b.example"),
            ("ftp://user:hunter2@x", "ftp://****@x"),
            ("user:hunter2@x/pm", "****@x/pm"),
            ("http://x y", "http://x y"),
        ] {
            let error = config().with_base_url(url).unwrap_err();
            assert!(!error.to_string().contains("hunter2"), "{error}");
            assert!(error.to_string().contains(shown), "{error}");
        }
    }

    #[test]
    fn debug_does_not_show_the_token() {
        let c = Config::<Server>::new(Token::new("very-secret").unwrap());
        assert!(!format!("{c:?}").contains("very-secret"));
    }
}
