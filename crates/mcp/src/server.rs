//! The MCP server: lists the tools served, and calls the operation behind a
//! tool through the async client by name, or describes the request it would
//! send.

use std::collections::BTreeSet;
use std::time::Instant;

use postmark_kit::ops::{BuiltRequest, Operation};
use postmark_kit::{BuildError, TokenKind};
use postmark_kit_reqwest::{AccountClient, Client, ClientBuilder, ServerClient};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler};
use serde_json::{Map, Value, json};

use crate::errors::Failure;
use crate::log;
use crate::recipients::{AllowList, addresses};
use crate::settings::{Secret, Settings};
use crate::tools::{Access, DRY_RUN, Layout, MESSAGES, ToolDef, Toolbox};

/// What a masked secret reads as.
const MASK: &str = "****";

/// Postmark's tokens are 36-character UUIDs. A shorter one (a mock's) could
/// occur inside ordinary text, and masking it there would garble the answer.
const MIN_SECRET_LEN: usize = 8;

/// The recipient fields of a message.
const RECIPIENT_FIELDS: [&str; 3] = ["To", "Cc", "Bcc"];

/// The server: its tools, a client per token it holds, and its policies.
#[derive(Debug)]
pub(crate) struct Postmark {
    toolbox: Toolbox,
    server: Option<ServerClient>,
    account: Option<AccountClient>,
    recipients: Option<AllowList>,
    secrets: Vec<String>,
    instructions: String,
}

impl Postmark {
    pub(crate) fn new(settings: &Settings, toolbox: Toolbox) -> Result<Postmark, String> {
        let instructions = instructions(settings);
        Ok(Postmark {
            server: client(settings.server_token.as_ref(), settings)?,
            account: client(settings.account_token.as_ref(), settings)?,
            recipients: settings.recipients.clone(),
            secrets: settings
                .secrets()
                .into_iter()
                .filter(|secret| secret.len() >= MIN_SECRET_LEN)
                .collect(),
            toolbox,
            instructions,
        })
    }

    /// Runs a call: refused if its tool is not served, else its arguments
    /// checked and completed, then sent or described. Every outcome is a
    /// tool result the model reads; only a name that is no tool is a
    /// protocol error.
    async fn call(
        &self,
        name: &str,
        arguments: Option<JsonObject>,
    ) -> Result<CallToolResult, McpError> {
        let Some(def) = self.toolbox.find(name) else {
            return Err(McpError::invalid_params(
                format!("no tool is named `{name}`"),
                None,
            ));
        };
        let started = Instant::now();
        let (dry_run, outcome) = match def.off {
            Some(off) => {
                let (message, hint) = off.explain(name);
                let refusal = Failure::Refused {
                    kind: "tool_disabled",
                    message,
                    hint,
                    extra: Map::new(),
                };
                (false, Err(refusal))
            }
            None => match self.prepare(def, arguments.unwrap_or_default()) {
                Ok((params, dry_run)) => {
                    (dry_run, self.send(def.operation, &params, dry_run).await)
                }
                Err(failure) => (false, Err(failure)),
            },
        };
        let elapsed = started.elapsed().as_millis();
        let mode = if dry_run { " (dry run)" } else { "" };
        let (text, result): (String, fn(Vec<ContentBlock>) -> CallToolResult) = match outcome {
            Ok(answer) => {
                log(format_args!("{name}{mode}: ok in {elapsed} ms"));
                (answer, CallToolResult::success)
            }
            Err(failure) => {
                log(format_args!(
                    "{name}{mode}: {} in {elapsed} ms",
                    failure.summary()
                ));
                (
                    Value::Object(failure.to_json()).to_string(),
                    CallToolResult::error,
                )
            }
        };
        Ok(result(vec![ContentBlock::text(self.redact(text))]))
    }

    /// The operation's parameters as JSON text, and whether this is a dry
    /// run: `dry_run` taken out, a bare array's `Messages` unwrapped, a
    /// send's defaults filled in and its recipients checked.
    fn prepare(&self, def: &ToolDef, mut args: JsonObject) -> Result<(String, bool), Failure> {
        let op = def.operation;
        let dry_run = match args.remove(DRY_RUN) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(dry_run)) => dry_run,
            Some(_) => return Err(invalid(op, DRY_RUN, "expected a boolean")),
        };
        each_message(&mut args, &def.layout, |message, fields| {
            for (field, value) in &def.defaults {
                if fields.contains(*field) && message.get(*field).is_none_or(Value::is_null) {
                    message.insert((*field).to_owned(), value.as_str().into());
                }
            }
        });
        if let (Access::Send, Some(list)) = (def.access, &self.recipients) {
            check_recipients(&mut args, &def.layout, list)?;
        }
        let params = match def.layout.bare_array {
            false => Value::Object(args),
            true => {
                if let Some(other) = args.keys().find(|key| *key != MESSAGES) {
                    return Err(invalid(op, other, "unknown field"));
                }
                args.remove(MESSAGES).ok_or(BuildError::MissingField {
                    field: MESSAGES.into(),
                })?
            }
        };
        Ok((params.to_string(), dry_run))
    }

    /// Sends the call with the client of the operation's token, or describes
    /// the request it would send.
    async fn send(
        &self,
        op: &'static Operation,
        params: &str,
        dry_run: bool,
    ) -> Result<String, Failure> {
        match (op.token, &self.server, &self.account) {
            ("server", Some(client), _) => send(client, op, params, dry_run).await,
            ("account", _, Some(client)) => send(client, op, params, dry_run).await,
            _ => Err(BuildError::WrongTokenKind {
                operation: op.name,
                needs: op.token,
            }
            .into()),
        }
    }

    /// Text with the tokens masked: the `ApiTokens` of a server (which
    /// Postmark answers with) and any token this server holds.
    fn redact(&self, text: String) -> String {
        let text = match text.contains("\"ApiTokens\"") {
            true => mask_api_tokens(text),
            false => text,
        };
        self.secrets
            .iter()
            .fold(text, |text, secret| text.replace(secret.as_str(), MASK))
    }
}

impl ServerHandler for Postmark {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                env!("CARGO_PKG_NAME"),
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions(self.instructions.clone())
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        let tools = self.toolbox.served().map(|def| def.tool.clone()).collect();
        Ok(ListToolsResult::with_all_items(tools))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        // A cancelled call is dropped, and the request with it: a retry the
        // client did not wait for is not made.
        tokio::select! {
            result = self.call(&request.name, request.arguments) => result.map(CallToolResponse::from),
            () = context.ct.cancelled() => {
                log(format_args!("{}: cancelled by the client", request.name));
                Err(McpError::internal_error("cancelled", None))
            }
        }
    }
}

/// A client for a token, to the API URL the settings name (the mock's in
/// tests). `None` without the token.
fn client<K: TokenKind>(
    token: Option<&Secret>,
    settings: &Settings,
) -> Result<Option<Client<K>>, String> {
    let Some(token) = token else {
        return Ok(None);
    };
    let describe = |error: &dyn std::fmt::Display| format!("{}: {error}", K::ENV_VARIABLE);
    let builder: ClientBuilder<K> = Client::builder(&token.0)
        .and_then(|b| b.user_agent(concat!("postmark-kit-mcp/", env!("CARGO_PKG_VERSION"))))
        .map_err(|e| describe(&e))?;
    let builder = match &settings.api_url {
        Some(url) => builder
            .base_url(url)
            .map_err(|e| format!("POSTMARK_API_URL: {e}"))?,
        None => builder,
    };
    builder.build().map(Some).map_err(|e| describe(&e))
}

/// Sends a call through a client, or describes the request.
async fn send<K: TokenKind>(
    client: &Client<K>,
    op: &'static Operation,
    params: &str,
    dry_run: bool,
) -> Result<String, Failure> {
    match dry_run {
        true => Ok(describe(op.build(client.config(), params)?)),
        false => client.call(op, params).await.map_err(Failure::from),
    }
}

/// A dry run's answer: the request as it would be sent, headers that hold a
/// token (marked sensitive by the core) masked, the body as its exact text.
fn describe(built: BuiltRequest) -> String {
    let request = built.request;
    let headers: Map<String, Value> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            let text = match value.is_sensitive() {
                true => MASK,
                false => value.to_str().unwrap_or("(not text)"),
            };
            (name.as_str().to_owned(), text.into())
        })
        .collect();
    let body = match request.body().is_empty() {
        true => Value::Null,
        false => String::from_utf8_lossy(request.body()).into(),
    };
    json!({
        "dry_run": true,
        "method": request.method().as_str(),
        "url": request.uri().to_string(),
        "headers": headers,
        "body": body,
        "idempotent": built.idempotent,
    })
    .to_string()
}

/// Calls `visit` with each message of a send's arguments and the fields its
/// schema has: the arguments themselves, then each message of its batch.
fn each_message(
    args: &mut JsonObject,
    layout: &Layout,
    mut visit: impl FnMut(&mut JsonObject, &BTreeSet<String>),
) {
    visit(args, &layout.fields);
    let Some((field, fields)) = &layout.batch else {
        return;
    };
    if let Some(Value::Array(messages)) = args.get_mut(field) {
        for message in messages {
            if let Value::Object(message) = message {
                visit(message, fields);
            }
        }
    }
}

/// Refuses a send to any recipient the allow-list does not name.
fn check_recipients(
    args: &mut JsonObject,
    layout: &Layout,
    list: &AllowList,
) -> Result<(), Failure> {
    let mut refused = Vec::new();
    each_message(args, layout, |message, fields| {
        for field in RECIPIENT_FIELDS
            .iter()
            .filter(|field| fields.contains(**field))
        {
            if let Some(Value::String(recipients)) = message.get(*field) {
                refused.extend(
                    addresses(recipients)
                        .into_iter()
                        .filter(|a| !list.allows(a)),
                );
            }
        }
    });
    if refused.is_empty() {
        return Ok(());
    }
    Err(Failure::Refused {
        kind: "recipient_not_allowed",
        message: format!(
            "this server sends only to {}; nothing was sent",
            list.entries().join(", ")
        ),
        hint: "Remove the refused recipients and call again; only the user can change the \
               allow-list (--allowed-recipients)."
            .into(),
        extra: Map::from_iter([("refused".to_owned(), refused.into())]),
    })
}

fn invalid(op: &Operation, path: &str, message: &str) -> Failure {
    BuildError::InvalidParams {
        operation: op.name,
        path: path.to_owned(),
        message: message.to_owned(),
    }
    .into()
}

/// Masks every string in an `ApiTokens` list of a JSON answer.
fn mask_api_tokens(text: String) -> String {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    match (key.as_str(), value) {
                        ("ApiTokens", Value::Array(tokens)) => {
                            tokens.iter_mut().for_each(|token| *token = MASK.into());
                        }
                        (_, value) => walk(value),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(mut value) => {
            walk(&mut value);
            value.to_string()
        }
        Err(_) => text,
    }
}

/// What the model is told about this server when it connects.
fn instructions(settings: &Settings) -> String {
    let allowed: Vec<&str> = [
        (settings.allow.send, "send email"),
        (settings.allow.write, "create and change things"),
        (settings.allow.destructive, "delete and remove data"),
    ]
    .into_iter()
    .filter_map(|(on, what)| on.then_some(what))
    .collect();
    let access = match allowed.is_empty() {
        true => "Only reading is allowed.".to_owned(),
        false => format!("Reading is allowed, and tools that {}.", allowed.join(", ")),
    };
    let recipients = match &settings.recipients {
        Some(list) => format!(" Sends may only reach {}.", list.entries().join(", ")),
        None => String::new(),
    };
    format!(
        "Postmark email API: a tool per API operation. Arguments use Postmark's own field \
         names (From, To, TextBody, TemplateAlias...); a tool's input schema lists them. \
         {access}{recipients} Every tool takes `dry_run: true`, which answers the exact HTTP \
         request without sending it: use it to check a send or a change first. Answers are \
         Postmark's JSON; a failure is a JSON object with `kind`, Postmark's `error_code` when \
         it gave one, and a `hint` on what to do next."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::Tokens;

    fn server(args: &[&str], env: &[(&str, &str)]) -> Postmark {
        let settings = Settings::from(args, env).unwrap();
        let tokens = Tokens {
            server: settings.server_token.is_some(),
            account: settings.account_token.is_some(),
        };
        let toolbox = Toolbox::new(&settings, tokens).unwrap();
        Postmark::new(&settings, toolbox).unwrap()
    }

    const TOKEN: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    fn args(value: Value) -> JsonObject {
        value.as_object().unwrap().clone()
    }

    fn prepare(server: &Postmark, tool: &str, value: Value) -> Result<(String, bool), Failure> {
        server.prepare(server.toolbox.find(tool).unwrap(), args(value))
    }

    #[test]
    fn sends_get_their_defaults_and_batches_their_array() {
        let server = server(
            &["--allow-send", "--toolsets", "email,bulk"],
            &[
                ("POSTMARK_SERVER_TOKEN", TOKEN),
                ("DEFAULT_SENDER_EMAIL", "me@example.com"),
                ("DEFAULT_MESSAGE_STREAM", "outbound"),
            ],
        );
        let (params, dry_run) = prepare(
            &server,
            "send_email",
            json!({"To": "a@example.com", "TextBody": "x", "dry_run": true}),
        )
        .unwrap();
        assert!(dry_run);
        assert_eq!(
            serde_json::from_str::<Value>(&params).unwrap(),
            json!({"From": "me@example.com", "MessageStream": "outbound", "To": "a@example.com", "TextBody": "x"})
        );
        let (params, dry_run) = prepare(
            &server,
            "send_email_batch",
            json!({"Messages": [{"To": "a@example.com", "From": "other@example.com"}]}),
        )
        .unwrap();
        assert!(!dry_run);
        assert_eq!(
            serde_json::from_str::<Value>(&params).unwrap(),
            json!([{"From": "other@example.com", "MessageStream": "outbound", "To": "a@example.com"}])
        );
        // A bulk send takes the sender, not the (transactional) stream.
        let (params, _) = prepare(&server, "send_bulk_email", json!({"Messages": []})).unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(&params).unwrap(),
            json!({"From": "me@example.com", "Messages": []})
        );
        let bad = prepare(
            &server,
            "send_email_batch",
            json!({"Messages": [], "To": "x"}),
        );
        assert_eq!(bad.unwrap_err().to_json()["path"], "To");
        let missing = prepare(&server, "send_email_batch", json!({}))
            .unwrap_err()
            .to_json();
        assert_eq!(missing["kind"], "missing_field");
        let dry = prepare(&server, "send_email", json!({"dry_run": "yes"}))
            .unwrap_err()
            .to_json();
        assert_eq!(
            (&dry["kind"], &dry["path"]),
            (&json!("invalid_params"), &json!("dry_run"))
        );
    }

    #[test]
    fn recipients_off_the_list_are_refused() {
        let server = server(
            &[
                "--allow-send",
                "--allowed-recipients",
                "ok@example.com,@team.example",
            ],
            &[("POSTMARK_SERVER_TOKEN", TOKEN)],
        );
        assert!(
            prepare(
                &server,
                "send_email",
                json!({"To": "OK@example.com, \"A, B\" <b@team.example>", "From": "me@x.org"}),
            )
            .is_ok()
        );
        let refused = prepare(
            &server,
            "send_email_batch_with_templates",
            json!({"Messages": [
                {"To": "ok@example.com", "Cc": "cc@elsewhere.example"},
                {"To": "Someone <someone@example.com>", "Bcc": "x@team.example"},
            ]}),
        )
        .unwrap_err()
        .to_json();
        assert_eq!(refused["kind"], "recipient_not_allowed");
        assert_eq!(
            refused["refused"],
            json!(["cc@elsewhere.example", "someone@example.com"])
        );
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("ok@example.com, @team.example")
        );
    }

    #[test]
    fn dry_runs_mask_the_token() {
        let server = server(
            &[],
            &[
                ("POSTMARK_SERVER_TOKEN", TOKEN),
                ("POSTMARK_API_URL", "http://127.0.0.1:9"),
            ],
        );
        let op = postmark_kit::ops::operation("search_outbound_messages").unwrap();
        let config = server.server.as_ref().unwrap().config();
        let described = describe(op.build(config, r#"{"count": 2, "tag": "a b"}"#).unwrap());
        assert!(!described.contains(TOKEN));
        let described: Value = serde_json::from_str(&described).unwrap();
        assert_eq!(described["method"], "GET");
        assert_eq!(
            described["url"],
            "http://127.0.0.1:9/messages/outbound?count=2&offset=0&tag=a+b"
        );
        assert_eq!(described["headers"]["x-postmark-server-token"], MASK);
        assert_eq!(described["headers"]["accept"], "application/json");
        assert_eq!(
            described["headers"]["user-agent"],
            concat!("postmark-kit-mcp/", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(described["body"], Value::Null);
        assert_eq!(described["idempotent"], true);
    }

    #[test]
    fn answers_never_carry_tokens() {
        let holder = server(&[], &[("POSTMARK_SERVER_TOKEN", TOKEN)]);
        let answer = json!({"Name": "s", "ApiTokens": ["other-token-1", TOKEN], "Servers": [{"ApiTokens": ["x"]}]});
        let redacted: Value = serde_json::from_str(&holder.redact(answer.to_string())).unwrap();
        assert_eq!(
            redacted,
            json!({"Name": "s", "ApiTokens": [MASK, MASK], "Servers": [{"ApiTokens": [MASK]}]})
        );
        assert_eq!(
            holder.redact(format!("echo {TOKEN}!")),
            format!("echo {MASK}!")
        );
        // A token too short to mask safely is left alone rather than garbling text.
        let short = server(&[], &[("POSTMARK_SERVER_TOKEN", "abc")]);
        assert_eq!(short.redact("abcdef".into()), "abcdef");
    }

    #[test]
    fn instructions_say_what_is_allowed() {
        let read_only = instructions(&Settings::from(&[], &[]).unwrap());
        assert!(read_only.contains("Only reading is allowed."));
        let more = instructions(
            &Settings::from(
                &[
                    "--allow-send",
                    "--allow-destructive",
                    "--allowed-recipients",
                    "@x.org",
                ],
                &[],
            )
            .unwrap(),
        );
        assert!(more.contains("Reading is allowed, and tools that send email, delete and remove data. Sends may only reach @x.org."), "{more}");
    }
}
