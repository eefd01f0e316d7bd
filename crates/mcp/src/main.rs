//! `postmark-kit-mcp`: an MCP server over stdio with a tool per Postmark API
//! operation, generated from the postmark-kit operation table and called
//! through the async client. Read-only unless started with `--allow-send`,
//! `--allow-write` or `--allow-destructive`; every tool takes `dry_run`.
//!
//! stdout carries the protocol alone; the log goes to stderr, one line per
//! call, without arguments or tokens.

mod errors;
mod recipients;
mod server;
mod settings;
mod tools;
mod toolsets;

use std::fmt;
use std::io::Write;
use std::process::ExitCode;

use postmark_kit_mock::{MockServer, Options};
use rmcp::ServiceExt;

use crate::server::Postmark;
use crate::settings::{Mode, Secret, Settings, USAGE};
use crate::tools::{Tokens, Toolbox};

fn main() -> ExitCode {
    let mut settings =
        match Settings::parse(std::env::args().skip(1), |name| std::env::var(name).ok()) {
            Ok(settings) => settings,
            Err(message) => {
                log(format_args!("{message}"));
                return ExitCode::from(2);
            }
        };
    let printed = match settings.mode {
        Mode::Help => print(USAGE),
        Mode::Version => print(&format!("postmark-kit-mcp {}\n", env!("CARGO_PKG_VERSION"))),
        Mode::List { .. } | Mode::Serve => return run(&mut settings),
    };
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

/// Lists or serves the tools, against the mock when asked.
fn run(settings: &mut Settings) -> ExitCode {
    // Held to the end: dropping the mock stops it.
    let _mock = match settings.mock {
        true => match start_mock(settings) {
            Ok(mock) => Some(mock),
            Err(message) => {
                log(format_args!("{message}"));
                return ExitCode::FAILURE;
            }
        },
        false => None,
    };
    let mut tokens = Tokens {
        server: settings.server_token.is_some(),
        account: settings.account_token.is_some(),
    };
    let listing = matches!(settings.mode, Mode::List { .. });
    match (tokens.server || tokens.account, listing) {
        (true, _) => {}
        // Listing needs no token: it shows what either kind would serve.
        (false, true) => {
            tokens = Tokens {
                server: true,
                account: true,
            };
            log(format_args!(
                "no token is set: listing the tools of both kinds of token"
            ));
        }
        (false, false) => {
            log(format_args!(
                "set POSTMARK_SERVER_TOKEN and/or POSTMARK_ACCOUNT_TOKEN (or pass --mock)\n\n{USAGE}"
            ));
            return ExitCode::from(2);
        }
    }
    let toolbox = match Toolbox::new(settings, tokens) {
        Ok(toolbox) => toolbox,
        Err(message) => {
            log(format_args!("cannot generate the tools: {message}"));
            return ExitCode::FAILURE;
        }
    };
    match settings.mode {
        Mode::List { json } => match print(&listing_text(&toolbox, settings, json)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        },
        _ => serve(settings, toolbox),
    }
}

/// Starts the mock in this process and points the settings at it, with its tokens.
fn start_mock(settings: &mut Settings) -> Result<MockServer, String> {
    let mock = MockServer::start_with(Options::default())
        .map_err(|error| format!("--mock: cannot start the mock server: {error}"))?;
    settings.api_url = Some(mock.url().to_owned());
    settings.server_token = Some(Secret(mock.server_token().to_owned()));
    settings.account_token = Some(Secret(mock.account_token().to_owned()));
    log(format_args!(
        "--mock: the mock Postmark API listens on {}",
        mock.url()
    ));
    Ok(mock)
}

/// Serves MCP on stdin and stdout until the client goes away.
fn serve(settings: &Settings, toolbox: Toolbox) -> ExitCode {
    let served = toolbox.served().count();
    let summary = format!(
        "serving {served} tools (toolsets: {}; allowed: {}) against {}",
        settings.toolsets.join(", "),
        allowed(settings),
        settings
            .api_url
            .as_deref()
            .unwrap_or(postmark_kit::DEFAULT_BASE_URL)
    );
    let server = match Postmark::new(settings, toolbox) {
        Ok(server) => server,
        Err(message) => {
            log(format_args!("{message}"));
            return ExitCode::from(2);
        }
    };
    log(format_args!("{summary}"));
    if served == 0 {
        log(format_args!(
            "no tool is served: the chosen toolsets need --allow-* flags or another token"
        ));
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            log(format_args!("cannot start the runtime: {error}"));
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let service = match server.serve(rmcp::transport::stdio_pipes()).await {
            Ok(service) => service,
            Err(error) => {
                log(format_args!(
                    "the client went away before the session began: {error}"
                ));
                return ExitCode::FAILURE;
            }
        };
        match service.waiting().await {
            Ok(reason) => {
                log(format_args!("session over ({reason:?})"));
                ExitCode::SUCCESS
            }
            Err(error) => {
                log(format_args!("the session failed: {error}"));
                ExitCode::FAILURE
            }
        }
    })
}

/// `read, send, ...`: what the flags allow.
fn allowed(settings: &Settings) -> String {
    let allow = settings.allow;
    [
        (true, "read"),
        (allow.send, "send"),
        (allow.write, "write"),
        (allow.destructive, "destructive"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect::<Vec<_>>()
    .join(", ")
}

/// `--list-tools`: a table of the tools served, and how many more the flags
/// keep off; with `--json`, the tools as `tools/list` answers them.
fn listing_text(toolbox: &Toolbox, settings: &Settings, json: bool) -> String {
    let mut served: Vec<_> = toolbox.served().collect();
    if json {
        let tools: Vec<_> = served.iter().map(|def| &def.tool).collect();
        return serde_json::to_string_pretty(&tools).unwrap_or_default() + "\n";
    }
    // The table reads by toolset, in the catalog's order; the table's order within one.
    let order = toolsets::all();
    served.sort_by_key(|def| order.iter().position(|toolset| *toolset == def.toolset));
    let mut out = format!(
        "{} tools (toolsets: {}; allowed: {})\n\n{:<38} {:<18} {:<12} {}\n",
        served.len(),
        settings.toolsets.join(", "),
        allowed(settings),
        "TOOL",
        "TOOLSET",
        "ACCESS",
        "IDEMPOTENT"
    );
    for def in &served {
        let idempotent = if def.operation.idempotent {
            "yes"
        } else {
            "no"
        };
        out.push_str(&format!(
            "{:<38} {:<18} {:<12} {idempotent}\n",
            def.operation.name,
            def.toolset,
            def.access.name()
        ));
    }
    let mut held: Vec<(&str, usize)> = Vec::new();
    for def in toolbox.all() {
        let Some(flag) = def.off.and_then(|off| match off {
            tools::Off::Access(access) => access.flag(),
            _ => None,
        }) else {
            continue;
        };
        match held.iter_mut().find(|(name, _)| *name == flag) {
            Some((_, count)) => *count += 1,
            None => held.push((flag, 1)),
        }
    }
    for (flag, count) in held {
        out.push_str(&format!("\n{count} more in these toolsets with {flag}"));
    }
    out.push('\n');
    out
}

/// Writes to stdout, which the protocol has to itself when serving.
fn print(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// One line to stderr. A closed stderr is not worth dying for.
pub(crate) fn log(message: fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr(), "postmark-kit-mcp: {message}");
}
