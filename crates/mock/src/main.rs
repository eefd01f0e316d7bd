//! `postmark-mock`: runs the mock Postmark API until killed, printing where it listens.

use std::io::Write;
use std::process::ExitCode;

use postmark_kit_mock::{MockServer, Options};

const USAGE: &str = "\
Usage: postmark-mock [--port P] [--account-token A] [--server-token S] [--request-timeout-ms T]

Serves a mock of the Postmark API on 127.0.0.1 until killed. Prints, one per line:
  url=http://127.0.0.1:P
  server_token=S
  account_token=A
Without --port a free port is used; tokens not given are generated. A request must
arrive whole within T ms (default 30000) or it gets a 408.
Control routes (no token): /__mock/faults, /__mock/requests, /__mock/messages,
/__mock/stats, /__mock/templates, /__mock/suppressions, /__mock/streams,
/__mock/bounces, /__mock/inbound, /__mock/opens, /__mock/clicks, /__mock/reset.
";

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            let _ = std::io::stdout().write_all(USAGE.as_bytes());
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "postmark-mock: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mock = match MockServer::start_with(options) {
        Ok(mock) => mock,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "postmark-mock: cannot listen: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let printed = writeln!(
        out,
        "url={}\nserver_token={}\naccount_token={}",
        mock.url(),
        mock.server_token(),
        mock.account_token()
    )
    .and_then(|()| out.flush());
    if printed.is_err() {
        return ExitCode::FAILURE;
    }
    drop(out);
    // The server runs on its own threads; this one only keeps the process alive.
    loop {
        std::thread::park();
    }
}

/// `Ok(None)` means `--help` was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options::default();
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Ok(None);
        }
        let (name, inline_value) = match flag.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (flag, None),
        };
        let value = inline_value
            .or_else(|| args.next())
            .ok_or_else(|| format!("{name} needs a value"))?;
        match name.as_str() {
            "--port" => {
                options.port = value
                    .parse()
                    .map_err(|_| format!("invalid port '{value}'"))?
            }
            "--account-token" => options.account_token = Some(value),
            "--server-token" => options.server_token = Some(value),
            "--request-timeout-ms" => {
                let ms = value
                    .parse()
                    .map_err(|_| format!("invalid number of milliseconds '{value}'"))?;
                options.request_timeout = Some(std::time::Duration::from_millis(ms));
            }
            _ => return Err(format!("unknown option '{name}'")),
        }
    }
    Ok(Some(options))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        parse_args(args.iter().map(|a| (*a).to_owned()))
    }

    #[test]
    fn flags_take_separate_or_inline_values() {
        let options = parse(&["--port", "8080", "--server-token=s", "--account-token", "a"])
            .unwrap()
            .unwrap();
        assert_eq!(options.port, 8080);
        assert_eq!(options.server_token.as_deref(), Some("s"));
        assert_eq!(options.account_token.as_deref(), Some("a"));
        assert_eq!(parse(&[]).unwrap().unwrap().port, 0);
        assert_eq!(
            parse(&["--request-timeout-ms", "250"])
                .unwrap()
                .unwrap()
                .request_timeout,
            Some(std::time::Duration::from_millis(250))
        );
        assert!(parse(&["--port", "1", "--help"]).unwrap().is_none());
    }

    #[test]
    fn bad_arguments_are_explained() {
        assert_eq!(parse(&["--port"]).unwrap_err(), "--port needs a value");
        assert_eq!(parse(&["--port", "x"]).unwrap_err(), "invalid port 'x'");
        assert_eq!(
            parse(&["--verbose", "1"]).unwrap_err(),
            "unknown option '--verbose'"
        );
    }
}
