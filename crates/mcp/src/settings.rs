//! What the server is started with: flags, and the environment an MCP client
//! passes (the same variables as Postmark's own MCP server, so that switching
//! is a change of `command`).

use std::fmt;

use crate::recipients::AllowList;
use crate::toolsets;

pub(crate) const USAGE: &str = "\
Usage: postmark-kit-mcp [OPTIONS]

An MCP server over stdio with a tool per Postmark API operation.
Read-only unless allowed otherwise.

Options:
  --toolsets LIST             Comma-separated toolsets, or `all`
                              (default: email,templates,messages,bounces,suppressions,server)
  --allow-send                Enable the tools that send email
  --allow-write               Enable the tools that create or change things
  --allow-destructive         Enable the tools that delete or remove data
  --allowed-recipients LIST   Sends only to these addresses and @domains
  --list-tools                Print the tools these options serve, and exit
  --json                      With --list-tools: the tools as MCP lists them
  --mock                      Serve against a local mock of Postmark, in-process
  -h, --help                  Print this help
  -V, --version               Print the version

Environment:
  POSTMARK_SERVER_TOKEN       Server token: sending, messages, templates, ...
  POSTMARK_ACCOUNT_TOKEN      Account token: servers, domains, sender signatures, ...
                              (either or both; a tool shows only with its token)
  POSTMARK_API_URL            Base URL of the API (a mock, a proxy)
  DEFAULT_SENDER_EMAIL        `From` of a send that names none
  DEFAULT_MESSAGE_STREAM      `MessageStream` of a send that names none
";

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Serve MCP over stdio.
    Serve,
    /// Print the tools; as MCP's JSON with `json`.
    List {
        json: bool,
    },
    Help,
    Version,
}

/// Which kinds of tool beyond reading are enabled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Allow {
    pub(crate) send: bool,
    pub(crate) write: bool,
    pub(crate) destructive: bool,
}

/// A token. Its `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(****)")
    }
}

/// Everything the server is started with.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) mode: Mode,
    pub(crate) toolsets: Vec<&'static str>,
    pub(crate) allow: Allow,
    pub(crate) recipients: Option<AllowList>,
    pub(crate) mock: bool,
    pub(crate) server_token: Option<Secret>,
    pub(crate) account_token: Option<Secret>,
    pub(crate) api_url: Option<String>,
    pub(crate) default_sender: Option<String>,
    pub(crate) default_stream: Option<String>,
}

impl Settings {
    /// Reads the flags in `args` and the variables `env` finds. A variable set
    /// to an empty value counts as unset: MCP clients' configuration forms
    /// leave the fields a user did not fill as `""`.
    pub(crate) fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, String> {
        let var = |name: &str| env(name).filter(|value| !value.trim().is_empty());
        let mut settings = Settings {
            mode: Mode::Serve,
            toolsets: toolsets::DEFAULT.to_vec(),
            allow: Allow::default(),
            recipients: None,
            mock: false,
            server_token: var("POSTMARK_SERVER_TOKEN").map(Secret),
            account_token: var("POSTMARK_ACCOUNT_TOKEN").map(Secret),
            api_url: var("POSTMARK_API_URL"),
            default_sender: var("DEFAULT_SENDER_EMAIL"),
            default_stream: var("DEFAULT_MESSAGE_STREAM"),
        };
        let mut json = false;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
                None => (arg, None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--toolsets" => settings.toolsets = toolsets::parse(&value()?)?,
                "--allowed-recipients" => settings.recipients = Some(AllowList::parse(&value()?)?),
                "--allow-send" => settings.allow.send = true,
                "--allow-write" => settings.allow.write = true,
                "--allow-destructive" => settings.allow.destructive = true,
                "--list-tools" => settings.mode = Mode::List { json: false },
                "--json" => json = true,
                "--mock" => settings.mock = true,
                "-h" | "--help" => return Ok(settings.with_mode(Mode::Help)),
                "-V" | "--version" => return Ok(settings.with_mode(Mode::Version)),
                _ => return Err(format!("unknown option `{flag}`")),
            }
        }
        match (settings.mode, json) {
            (Mode::List { .. }, json) => settings.mode = Mode::List { json },
            (_, true) => return Err("--json goes with --list-tools".into()),
            _ => {}
        }
        Ok(settings)
    }

    fn with_mode(mut self, mode: Mode) -> Settings {
        self.mode = mode;
        self
    }

    /// Settings from flags and a fixed environment, for tests.
    #[cfg(test)]
    pub(crate) fn from(args: &[&str], env: &[(&str, &str)]) -> Result<Settings, String> {
        Settings::parse(args.iter().map(|a| (*a).to_owned()), |name| {
            env.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    /// Every token the server holds, to keep them out of what it answers.
    pub(crate) fn secrets(&self) -> Vec<String> {
        [&self.server_token, &self.account_token]
            .into_iter()
            .flatten()
            .map(|secret| secret.0.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Settings, String> {
        Settings::from(args, env)
    }

    #[test]
    fn defaults_are_read_only_with_the_default_toolsets() {
        let settings = parse(&[], &[("POSTMARK_SERVER_TOKEN", "s")]).unwrap();
        assert_eq!(settings.mode, Mode::Serve);
        assert_eq!(settings.allow, Allow::default());
        assert_eq!(settings.toolsets, toolsets::DEFAULT);
        assert_eq!(settings.server_token, Some(Secret("s".into())));
        assert_eq!(settings.account_token, None);
        assert!(settings.recipients.is_none());
        assert_eq!(settings.secrets(), ["s"]);
    }

    #[test]
    fn flags_and_environment_are_read() {
        let settings = parse(
            &[
                "--toolsets=email,stats",
                "--allow-send",
                "--allow-destructive",
                "--allowed-recipients",
                "a@example.com",
                "--list-tools",
                "--json",
            ],
            &[
                ("POSTMARK_ACCOUNT_TOKEN", "a"),
                ("POSTMARK_SERVER_TOKEN", ""),
                ("POSTMARK_API_URL", "http://127.0.0.1:1"),
                ("DEFAULT_SENDER_EMAIL", "me@example.com"),
                ("DEFAULT_MESSAGE_STREAM", "broadcast"),
            ],
        )
        .unwrap();
        assert_eq!(settings.mode, Mode::List { json: true });
        assert_eq!(settings.toolsets, ["email", "stats"]);
        assert_eq!(
            settings.allow,
            Allow {
                send: true,
                write: false,
                destructive: true
            }
        );
        assert!(settings.recipients.unwrap().allows("A@example.com"));
        // An empty variable is an unset one.
        assert_eq!(settings.server_token, None);
        assert_eq!(settings.account_token, Some(Secret("a".into())));
        assert_eq!(settings.api_url.as_deref(), Some("http://127.0.0.1:1"));
        assert_eq!(settings.default_sender.as_deref(), Some("me@example.com"));
        assert_eq!(settings.default_stream.as_deref(), Some("broadcast"));
        assert_eq!(format!("{:?}", Secret("a".into())), "Secret(****)");
    }

    #[test]
    fn bad_flags_are_explained() {
        assert_eq!(
            parse(&["--toolsets"], &[]).unwrap_err(),
            "--toolsets needs a value"
        );
        assert_eq!(
            parse(&["--verbose"], &[]).unwrap_err(),
            "unknown option `--verbose`"
        );
        assert_eq!(
            parse(&["--json"], &[]).unwrap_err(),
            "--json goes with --list-tools"
        );
        assert!(
            parse(&["--toolsets", "sms"], &[])
                .unwrap_err()
                .starts_with("unknown toolset")
        );
        assert_eq!(
            parse(&["--allow-send", "-h"], &[]).unwrap().mode,
            Mode::Help
        );
    }
}
