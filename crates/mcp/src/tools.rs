//! The tools: one per operation of the core's table, each generated from the
//! operation's row (method, path, idempotence), its request model's JSON
//! Schema (the core's `schema_document`) and its catalog group. None is
//! written by hand.

use std::collections::BTreeSet;
use std::sync::Arc;

use postmark_kit::ops::{self, Operation};
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde_json::{Map, Value, json};

use crate::settings::{Allow, Settings};
use crate::toolsets;

/// What calling a tool does, which decides the flag it needs and its MCP
/// annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Access {
    /// Reads; always served.
    Read,
    /// Sends email: `--allow-send`.
    Send,
    /// Creates or changes something: `--allow-write`.
    Write,
    /// Deletes or removes data: `--allow-destructive`.
    Destructive,
}

/// Operations whose method is not GET but that change nothing: validating a
/// template renders it without saving it.
const CHANGE_NOTHING: &[&str] = &["validate_template"];

/// Operations that remove data though their method is not DELETE: lifting
/// suppressions (mail reaches addresses that had opted out or bounced), erasing
/// a recipient's data, and archiving a stream (deleted for good after 45 days).
const REMOVE_DATA: &[&str] = &[
    "delete_suppressions",
    "create_data_removal",
    "archive_message_stream",
];

impl Access {
    /// An operation's access, from its method and path: every send is a POST
    /// under `/email`.
    pub(crate) fn of(op: &Operation) -> Access {
        match op.method {
            _ if CHANGE_NOTHING.contains(&op.name) => Access::Read,
            _ if REMOVE_DATA.contains(&op.name) => Access::Destructive,
            "GET" => Access::Read,
            "DELETE" => Access::Destructive,
            "POST" if op.path.starts_with("/email") => Access::Send,
            _ => Access::Write,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Send => "send",
            Access::Write => "write",
            Access::Destructive => "destructive",
        }
    }

    /// The flag that enables it; reading needs none.
    pub(crate) fn flag(self) -> Option<&'static str> {
        match self {
            Access::Read => None,
            Access::Send => Some("--allow-send"),
            Access::Write => Some("--allow-write"),
            Access::Destructive => Some("--allow-destructive"),
        }
    }

    fn allowed(self, allow: Allow) -> bool {
        match self {
            Access::Read => true,
            Access::Send => allow.send,
            Access::Write => allow.write,
            Access::Destructive => allow.destructive,
        }
    }

    /// What the description says about calling it.
    fn note(self, idempotent: bool) -> &'static str {
        match (self, idempotent) {
            (Access::Read, _) => "Read-only.",
            (Access::Send, _) => "Sends email to real recipients; calling it again sends again.",
            (Access::Write, true) => "Changes data on Postmark; repeating the call is harmless.",
            (Access::Write, false) => {
                "Creates or changes data on Postmark; calling it again acts again."
            }
            (Access::Destructive, _) => "Destructive: removes data.",
        }
    }
}

/// Which kinds of token the server holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tokens {
    pub(crate) server: bool,
    pub(crate) account: bool,
}

impl Tokens {
    fn has(self, kind: &str) -> bool {
        match kind {
            "server" => self.server,
            "account" => self.account,
            _ => false,
        }
    }
}

/// Why a tool is not served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Off {
    /// Its toolset was not chosen.
    Toolset(&'static str),
    /// Its access needs a flag that was not given.
    Access(Access),
    /// It needs a kind of token the server does not hold.
    Token(&'static str),
}

impl Off {
    /// What the refusal of a call says, and what would serve the tool.
    pub(crate) fn explain(self, tool: &str) -> (String, String) {
        match self {
            Off::Toolset(toolset) => (
                format!("`{tool}` is in the toolset `{toolset}`, which this server does not serve"),
                format!(
                    "The user can add it with --toolsets (for example --toolsets {toolset},...)."
                ),
            ),
            Off::Access(access) => (
                format!(
                    "`{tool}` is a {} operation, which this server does not allow",
                    access.name()
                ),
                format!(
                    "Do not retry. If the user wants it, they can restart the server with {}.",
                    access.flag().unwrap_or_default()
                ),
            ),
            Off::Token(kind) => (
                format!("`{tool}` needs an {kind} token, which this server does not have"),
                format!(
                    "The user can set POSTMARK_{}_TOKEN in the server's environment.",
                    kind.to_ascii_uppercase()
                ),
            ),
        }
    }
}

/// Where a tool's arguments hold what the server fills in (a default sender
/// and stream) or checks (recipients).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The request is a bare JSON array, which the tool takes as `Messages`
    /// (MCP arguments are an object).
    pub(crate) bare_array: bool,
    /// The fields of the arguments.
    pub(crate) fields: BTreeSet<String>,
    /// A batch: the field with its messages, and the fields of one message.
    pub(crate) batch: Option<(String, BTreeSet<String>)>,
}

/// The field a bare array of messages is taken as.
pub(crate) const MESSAGES: &str = "Messages";

/// The argument every tool takes besides the operation's parameters.
pub(crate) const DRY_RUN: &str = "dry_run";

/// One generated tool.
#[derive(Debug, Clone)]
pub(crate) struct ToolDef {
    pub(crate) operation: &'static Operation,
    pub(crate) toolset: &'static str,
    pub(crate) access: Access,
    /// The tool as MCP lists it.
    pub(crate) tool: Tool,
    pub(crate) layout: Layout,
    /// The values a send's messages get for the fields they leave out:
    /// `("From", DEFAULT_SENDER_EMAIL)`, `("MessageStream", DEFAULT_MESSAGE_STREAM)`.
    pub(crate) defaults: Vec<(&'static str, String)>,
    /// Why it is not served, if it is not.
    pub(crate) off: Option<Off>,
}

/// Every operation's tool, served or not.
#[derive(Debug, Clone)]
pub(crate) struct Toolbox {
    tools: Vec<ToolDef>,
}

impl Toolbox {
    /// The tools of every operation, in table order, each served or not by
    /// `settings` and the kinds of token held.
    pub(crate) fn new(settings: &Settings, tokens: Tokens) -> Result<Toolbox, String> {
        let document = ops::schema_document();
        let definitions = document["definitions"]
            .as_object()
            .ok_or("the schema document has no definitions")?;
        let tools = ops::operations()
            .map(|op| {
                let row = document["operations"]
                    .as_array()
                    .and_then(|rows| rows.iter().find(|row| row["name"] == op.name))
                    .ok_or_else(|| format!("the schema document has no `{}`", op.name))?;
                let toolset = toolsets::of(op.name)
                    .ok_or_else(|| format!("the catalog has no `{}`", op.name))?;
                let access = Access::of(op);
                let defaults = defaults(op, access, settings);
                let (tool, layout) =
                    generate(op, access, &row["params"], definitions, &defaults, settings)?;
                let off = if !settings.toolsets.contains(&toolset) {
                    Some(Off::Toolset(toolset))
                } else if !access.allowed(settings.allow) {
                    Some(Off::Access(access))
                } else if !tokens.has(op.token) {
                    Some(Off::Token(op.token))
                } else {
                    None
                };
                Ok(ToolDef {
                    operation: op,
                    toolset,
                    access,
                    tool,
                    layout,
                    defaults,
                    off,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Toolbox { tools })
    }

    /// Every tool, served or not.
    pub(crate) fn all(&self) -> &[ToolDef] {
        &self.tools
    }

    /// The tools served.
    pub(crate) fn served(&self) -> impl Iterator<Item = &ToolDef> {
        self.tools.iter().filter(|tool| tool.off.is_none())
    }

    /// The tool of this name, served or not.
    pub(crate) fn find(&self, name: &str) -> Option<&ToolDef> {
        self.tools.iter().find(|tool| tool.operation.name == name)
    }
}

/// The MCP tool of an operation, from the JSON Schema of its parameters
/// (`{"$ref": "#/$defs/SendEmail"}` into `definitions`), and where its
/// arguments hold messages.
fn generate(
    op: &'static Operation,
    access: Access,
    params: &Value,
    definitions: &Map<String, Value>,
    defaults: &[(&'static str, String)],
    settings: &Settings,
) -> Result<(Tool, Layout), String> {
    let missing = || format!("no schema for the parameters of `{}`", op.name);
    let mut schema = ref_name(params)
        .and_then(|name| definitions.get(name))
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(missing)?;
    let summary = match schema.remove("description") {
        Some(Value::String(text)) => unwrap_lines(&text),
        _ => {
            return Err(format!(
                "the parameters of `{}` have no description",
                op.name
            ));
        }
    };
    let bare_array = schema.get("type").is_some_and(|t| t == "array");
    if bare_array {
        schema = json!({
            "type": "object",
            "properties": {MESSAGES: schema},
            "required": [MESSAGES],
        })
        .as_object()
        .cloned()
        .ok_or_else(missing)?;
    }
    let mut defs = Map::new();
    collect_definitions(&Value::Object(schema.clone()), definitions, &mut defs);
    // A batch's messages are the items of the property the schema marks `x-batch`.
    let batch = properties(&schema).and_then(|props| {
        props.iter().find_map(|(field, property)| {
            let item = ref_name(&property["items"])?;
            (property["x-batch"] == true).then(|| (field.clone(), item.to_owned()))
        })
    });
    let layout = Layout {
        bare_array,
        fields: field_names(&schema),
        batch: batch.as_ref().map(|(field, item)| {
            let fields = defs.get(item).and_then(Value::as_object).map(field_names);
            (field.clone(), fields.unwrap_or_default())
        }),
    };
    apply_defaults(&mut schema, defaults);
    if let Some(message) = batch.and_then(|(_, item)| defs.get_mut(&item)) {
        message
            .as_object_mut()
            .into_iter()
            .for_each(|m| apply_defaults(m, defaults));
    }
    let mut schema = Value::Object(schema);
    strip_extensions(&mut schema);
    let mut defs = Value::Object(defs);
    strip_extensions(&mut defs);
    let mut schema = match schema {
        Value::Object(schema) => schema,
        _ => return Err(missing()),
    };
    schema
        .entry("properties")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or_else(missing)?
        .insert(
            DRY_RUN.into(),
            json!({
                "type": "boolean",
                "default": false,
                "description": "When true, nothing is sent: the answer is the exact HTTP request \
                    this call would make (method, URL, headers with the token masked, body).",
            }),
        );
    if defs.as_object().is_some_and(|defs| !defs.is_empty()) {
        schema.insert("$defs".into(), defs);
    }
    let mut description = format!("{summary}\n\n{}", access.note(op.idempotent));
    if let (Access::Send, Some(list)) = (access, &settings.recipients) {
        description.push_str(&format!(
            " Only these recipients are accepted: {}.",
            list.entries().join(", ")
        ));
    }
    let mut annotations = ToolAnnotations::with_title(title(op.name))
        .read_only(access == Access::Read)
        .idempotent(access == Access::Read || op.idempotent);
    if access != Access::Read {
        annotations = annotations.destructive(access == Access::Destructive);
    }
    let mut tool = Tool::new(op.name, description, Arc::new(schema as JsonObject));
    tool.annotations = Some(annotations);
    Ok((tool, layout))
}

/// Sends to a broadcast stream: `DEFAULT_MESSAGE_STREAM` names the
/// transactional stream Postmark's own MCP server sends on, which a bulk send
/// cannot use.
const BROADCAST: &[&str] = &["send_bulk_email"];

/// The defaults a tool's messages get: only sends take them.
fn defaults(op: &Operation, access: Access, settings: &Settings) -> Vec<(&'static str, String)> {
    if access != Access::Send {
        return Vec::new();
    }
    let stream = settings
        .default_stream
        .as_ref()
        .filter(|_| !BROADCAST.contains(&op.name));
    [
        ("From", settings.default_sender.as_ref()),
        ("MessageStream", stream),
    ]
    .into_iter()
    .filter_map(|(field, value)| Some((field, value?.clone())))
    .collect()
}

/// The defaults in a message's schema: each shown as the field's `default`,
/// and no longer required.
fn apply_defaults(message: &mut Map<String, Value>, defaults: &[(&'static str, String)]) {
    for (field, value) in defaults {
        let Some(property) = message
            .get_mut("properties")
            .and_then(|props| props.get_mut(*field))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        property.insert("default".into(), value.as_str().into());
        if let Some(Value::Array(required)) = message.get_mut("required") {
            required.retain(|name| name != field);
        }
    }
}

/// The definition a `{"$ref": "#/$defs/Name"}` names.
fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.strip_prefix("#/$defs/")
}

fn properties(schema: &Map<String, Value>) -> Option<&Map<String, Value>> {
    schema.get("properties")?.as_object()
}

fn field_names(schema: &Map<String, Value>) -> BTreeSet<String> {
    properties(schema)
        .map(|props| props.keys().cloned().collect())
        .unwrap_or_default()
}

/// Copies every definition `schema` refers to, directly or not, into `into`,
/// so that each tool's schema stands alone.
fn collect_definitions(
    schema: &Value,
    definitions: &Map<String, Value>,
    into: &mut Map<String, Value>,
) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = ref_name(schema)
                && !into.contains_key(name)
                && let Some(target) = definitions.get(name)
            {
                into.insert(name.to_owned(), target.clone());
                collect_definitions(target, definitions, into);
            }
            map.values()
                .for_each(|v| collect_definitions(v, definitions, into));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_definitions(v, definitions, into)),
        _ => {}
    }
}

/// Removes the `x-` keywords the core adds for its code generators (`x-batch`,
/// `x-query`...): they mean nothing to an MCP client, and some clients refuse
/// schemas with keywords they do not know.
fn strip_extensions(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            map.retain(|key, _| !key.starts_with("x-"));
            map.values_mut().for_each(strip_extensions);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_extensions),
        _ => {}
    }
}

/// A doc comment's text with its paragraphs each on one line.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `send_email_with_template` as a title: `Send email with template`.
fn title(name: &str) -> String {
    let words = name.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(args: &[&str], env: &[(&str, &str)]) -> Settings {
        Settings::from(args, env).unwrap()
    }

    const BOTH: Tokens = Tokens {
        server: true,
        account: true,
    };
    const SERVER: Tokens = Tokens {
        server: true,
        account: false,
    };

    fn toolbox(args: &[&str], tokens: Tokens) -> Toolbox {
        Toolbox::new(&settings(args, &[]), tokens).unwrap()
    }

    fn served(toolbox: &Toolbox) -> Vec<&'static str> {
        toolbox.served().map(|tool| tool.operation.name).collect()
    }

    fn schema(toolbox: &Toolbox, name: &str) -> Value {
        Value::Object((*toolbox.find(name).unwrap().tool.input_schema).clone())
    }

    #[test]
    fn there_is_a_tool_per_operation_named_after_it() {
        let toolbox = toolbox(&["--toolsets", "all"], BOTH);
        assert_eq!(toolbox.all().len(), ops::operations().count());
        assert_eq!(toolbox.all().len(), 88);
        for (def, op) in toolbox.all().iter().zip(ops::operations()) {
            assert_eq!(def.tool.name, op.name);
            assert_eq!(def.operation, op);
            let schema = &def.tool.input_schema;
            assert_eq!(schema["type"], "object", "{}", op.name);
            assert_eq!(schema["properties"][DRY_RUN]["type"], "boolean");
            let description = def.tool.description.as_deref().unwrap();
            assert!(
                description.starts_with(&format!("`{} ", op.method)),
                "{}: {description}",
                op.name
            );
        }
        let send = toolbox.find("send_email").unwrap();
        assert_eq!(
            send.tool.annotations.as_ref().unwrap().title.as_deref(),
            Some("Send email")
        );
        assert_eq!(
            send.tool.description.as_deref(),
            Some(
                "`POST /email`: sends one message.\n\nSends email to real recipients; calling it again sends again."
            )
        );
    }

    #[test]
    fn access_follows_method_and_kind() {
        let access = |name: &str| Access::of(ops::operation(name).unwrap());
        assert_eq!(access("list_templates"), Access::Read);
        assert_eq!(access("validate_template"), Access::Read);
        assert_eq!(access("send_email"), Access::Send);
        assert_eq!(access("send_bulk_email"), Access::Send);
        assert_eq!(access("get_bulk_email_status"), Access::Read);
        assert_eq!(access("create_template"), Access::Write);
        assert_eq!(access("edit_message_stream"), Access::Write);
        assert_eq!(access("delete_template"), Access::Destructive);
        assert_eq!(access("delete_server"), Access::Destructive);
        assert_eq!(access("delete_suppressions"), Access::Destructive);
        assert_eq!(access("create_data_removal"), Access::Destructive);
        assert_eq!(access("archive_message_stream"), Access::Destructive);
        for name in CHANGE_NOTHING.iter().chain(REMOVE_DATA) {
            assert!(ops::operation(name).is_some(), "{name} is not an operation");
        }
        let count = |kind: Access| {
            ops::operations()
                .filter(|op| Access::of(op) == kind)
                .count()
        };
        assert_eq!(
            [
                Access::Read,
                Access::Send,
                Access::Write,
                Access::Destructive
            ]
            .map(count),
            [46, 5, 28, 9]
        );
    }

    #[test]
    fn annotations_follow_access_and_idempotence() {
        let toolbox = toolbox(&["--toolsets", "all"], BOTH);
        let hints = |name: &str| {
            let a = toolbox
                .find(name)
                .unwrap()
                .tool
                .annotations
                .clone()
                .unwrap();
            (a.read_only_hint, a.destructive_hint, a.idempotent_hint)
        };
        assert_eq!(
            hints("search_outbound_messages"),
            (Some(true), None, Some(true))
        );
        assert_eq!(hints("send_email"), (Some(false), Some(false), Some(false)));
        assert_eq!(
            hints("edit_template"),
            (Some(false), Some(false), Some(true))
        );
        assert_eq!(
            hints("create_template"),
            (Some(false), Some(false), Some(false))
        );
        assert_eq!(
            hints("delete_domain"),
            (Some(false), Some(true), Some(true))
        );
        // Lifting a suppression twice lifts it once: the core marks it idempotent.
        assert_eq!(
            hints("delete_suppressions"),
            (Some(false), Some(true), Some(true))
        );
    }

    #[test]
    fn the_default_is_read_only_and_small() {
        let default = toolbox(&[], SERVER);
        assert_eq!(
            served(&default),
            [
                "get_delivery_stats",
                "list_bounces",
                "get_bounce",
                "get_bounce_dump",
                "get_current_server",
                "search_outbound_messages",
                "get_outbound_message_details",
                "get_outbound_message_dump",
                "search_inbound_messages",
                "get_inbound_message_details",
                "search_message_opens",
                "get_message_opens",
                "search_message_clicks",
                "get_message_clicks",
                "list_templates",
                "get_template",
                "validate_template",
                "dump_suppressions",
            ]
        );
        assert!(default.served().all(|tool| tool.access == Access::Read));
        let flags = ["--allow-send", "--allow-write", "--allow-destructive"];
        assert_eq!(toolbox(&flags, SERVER).served().count(), 31);
        // The account token adds push_templates.
        assert_eq!(toolbox(&flags, BOTH).served().count(), 32);
    }

    #[test]
    fn flags_toolsets_and_tokens_choose_the_tools() {
        let send = toolbox(&["--toolsets", "email,templates", "--allow-send"], SERVER);
        assert_eq!(
            served(&send),
            [
                "send_email",
                "send_email_batch",
                "send_email_with_template",
                "send_email_batch_with_templates",
                "list_templates",
                "get_template",
                "validate_template",
            ]
        );
        let off = |toolbox: &Toolbox, name: &str| toolbox.find(name).unwrap().off;
        assert_eq!(
            off(&send, "delete_template"),
            Some(Off::Access(Access::Destructive))
        );
        assert_eq!(
            off(&send, "create_template"),
            Some(Off::Access(Access::Write))
        );
        assert_eq!(off(&send, "list_bounces"), Some(Off::Toolset("bounces")));
        let write = toolbox(&["--toolsets", "templates", "--allow-write"], SERVER);
        assert!(served(&write).contains(&"create_template"));
        assert!(!served(&write).contains(&"delete_template"));
        assert_eq!(off(&write, "push_templates"), Some(Off::Token("account")));
        let account = toolbox(
            &["--toolsets", "all"],
            Tokens {
                server: false,
                account: true,
            },
        );
        assert!(
            account
                .served()
                .all(|tool| tool.operation.token == "account")
        );
        assert_eq!(
            served(&account),
            [
                "list_servers",
                "get_server",
                "list_domains",
                "get_domain",
                "list_sender_signatures",
                "get_sender_signature",
                "get_data_removal_status",
            ]
        );
        let destructive = toolbox(&["--toolsets", "all", "--allow-destructive"], BOTH);
        assert!(
            destructive
                .served()
                .all(|tool| matches!(tool.access, Access::Read | Access::Destructive))
        );
        assert_eq!(destructive.served().count(), 46 + 9);
        let (message, hint) = Off::Access(Access::Destructive).explain("delete_template");
        assert_eq!(
            message,
            "`delete_template` is a destructive operation, which this server does not allow"
        );
        assert!(hint.ends_with("--allow-destructive."), "{hint}");
    }

    #[test]
    fn schemas_stand_alone_without_generator_keywords() {
        let toolbox = toolbox(&["--toolsets", "all"], BOTH);
        for def in toolbox.all() {
            let schema = Value::Object((*def.tool.input_schema).clone());
            let text = schema.to_string();
            assert!(!text.contains("\"x-"), "{}: {text}", def.operation.name);
            let mut wanted = BTreeSet::new();
            find_refs(&schema, &mut wanted);
            for name in wanted {
                assert!(
                    schema["$defs"].get(&name).is_some(),
                    "{}: $defs has no {name}",
                    def.operation.name
                );
            }
        }
        let search = schema(&toolbox, "search_outbound_messages");
        assert_eq!(search["properties"]["count"]["default"], 500);
        assert_eq!(
            search["$defs"]["OutboundStatus"]["anyOf"][0]["enum"],
            json!(["Queued", "Sent", "Processed"])
        );
        assert!(search["properties"]["metadata"].get("x-query").is_none());
        let template = schema(&toolbox, "get_template");
        assert_eq!(template["required"], json!(["id_or_alias"]));
        assert!(template.get("$defs").is_none());
    }

    fn find_refs(schema: &Value, into: &mut BTreeSet<String>) {
        match schema {
            Value::Object(map) => {
                if let Some(name) = ref_name(schema) {
                    into.insert(name.to_owned());
                }
                map.values().for_each(|v| find_refs(v, into));
            }
            Value::Array(items) => items.iter().for_each(|v| find_refs(v, into)),
            _ => {}
        }
    }

    #[test]
    fn batches_are_laid_out_for_defaults_and_recipients() {
        let toolbox = toolbox(&["--toolsets", "all"], BOTH);
        let layout = |name: &str| toolbox.find(name).unwrap().layout.clone();
        let batch = layout("send_email_batch");
        assert!(batch.bare_array);
        assert_eq!(batch.fields, BTreeSet::from([MESSAGES.to_owned()]));
        let (field, message) = batch.batch.unwrap();
        assert_eq!(field, MESSAGES);
        assert!(message.contains("From") && message.contains("To"));
        let bulk = layout("send_bulk_email");
        assert!(!bulk.bare_array);
        assert!(bulk.fields.contains("From"));
        let (field, message) = bulk.batch.unwrap();
        assert_eq!(field, "Messages");
        assert!(message.contains("To") && !message.contains("From"));
        let single = layout("send_email");
        assert!(single.batch.is_none() && single.fields.contains("To"));
        let schema = schema(&toolbox, "send_email_batch");
        assert_eq!(schema["required"], json!([MESSAGES]));
        assert_eq!(
            schema["properties"][MESSAGES]["items"]["$ref"],
            "#/$defs/SendEmail"
        );
    }

    #[test]
    fn defaults_show_in_send_schemas() {
        let settings = settings(
            &["--toolsets", "all", "--allowed-recipients", "@example.com"],
            &[
                ("DEFAULT_SENDER_EMAIL", "me@example.com"),
                ("DEFAULT_MESSAGE_STREAM", "outbound"),
            ],
        );
        let defaulted = Toolbox::new(&settings, BOTH).unwrap();
        let send = schema(&defaulted, "send_email");
        assert_eq!(send["properties"]["From"]["default"], "me@example.com");
        assert_eq!(send["properties"]["MessageStream"]["default"], "outbound");
        assert!(
            !send["required"]
                .as_array()
                .unwrap()
                .contains(&json!("From"))
        );
        let batch = schema(&defaulted, "send_email_batch_with_templates");
        let message = &batch["$defs"]["SendEmailWithTemplate"];
        assert_eq!(message["properties"]["From"]["default"], "me@example.com");
        assert!(
            !message["required"]
                .as_array()
                .unwrap()
                .contains(&json!("From"))
        );
        // A bulk send takes the sender, not the transactional stream.
        let bulk = schema(&defaulted, "send_bulk_email");
        assert_eq!(bulk["properties"]["From"]["default"], "me@example.com");
        assert!(bulk["properties"]["MessageStream"].get("default").is_none());
        // Only sends take the defaults.
        let search = schema(&defaulted, "search_outbound_messages");
        assert!(
            search["properties"]["messagestream"]
                .get("default")
                .is_none()
        );
        let description = defaulted
            .find("send_email")
            .unwrap()
            .tool
            .description
            .clone()
            .unwrap();
        assert!(description.ends_with(" Only these recipients are accepted: @example.com."));
        // Without defaults, `From` stays required.
        let plain = schema(&toolbox(&["--toolsets", "all"], BOTH), "send_email");
        assert!(
            plain["required"]
                .as_array()
                .unwrap()
                .contains(&json!("From"))
        );
        assert!(plain["properties"]["From"].get("default").is_none());
    }

    #[test]
    fn titles_and_descriptions_read_as_text() {
        assert_eq!(
            title("send_email_with_template"),
            "Send email with template"
        );
        assert_eq!(title(""), "");
        assert_eq!(unwrap_lines("a\nb  c\n\nd\ne"), "a b c\n\nd e");
    }
}
