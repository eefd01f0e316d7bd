//! The operation table's JSON Schemas as the type generators read them: the
//! operations, every definition with whether requests or responses use it,
//! and the webhook events, independent of the language written.

use std::collections::{BTreeMap, BTreeSet};

use postmark_kit::webhook::{Bounce, Click, Delivery, InboundMessage, Open, SubscriptionChange};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value};

/// One row of the table, with its schemas.
pub(crate) struct Op {
    /// snake_case name (`send_email`).
    pub(crate) name: String,
    /// camelCase name (`sendEmail`).
    pub(crate) js_name: String,
    /// `server` or `account`.
    pub(crate) token: String,
    pub(crate) paged: bool,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) params: Value,
    pub(crate) response: Value,
    /// One item of a paged list.
    pub(crate) item: Option<Value>,
}

/// A webhook event `parse_webhook` returns: the `RecordType` it carries and
/// a reference to the model of its other keys.
pub(crate) struct Event {
    pub(crate) record_type: &'static str,
    pub(crate) model: Value,
}

/// Everything a generator writes types from.
pub(crate) struct Document {
    pub(crate) ops: Vec<Op>,
    pub(crate) events: Vec<Event>,
    /// Every definition, webhook models included.
    pub(crate) definitions: BTreeMap<String, Value>,
    /// Those reachable from request parameters.
    pub(crate) input: BTreeSet<String>,
    /// Those reachable from responses and from webhook events.
    pub(crate) output: BTreeSet<String>,
}

impl Document {
    /// The document of [`postmark_kit::ops::schema_document`], plus the
    /// webhook events.
    pub(crate) fn load() -> Result<Document, String> {
        let document = postmark_kit::ops::schema_document();
        let mut generator = SchemaSettings::draft2020_12().into_generator();
        let events = webhook_events(&mut generator);
        let mut definitions = BTreeMap::new();
        let shared = document["definitions"]
            .as_object()
            .ok_or("schema document: no definitions")?;
        merge(&mut definitions, shared.clone())?;
        merge(&mut definitions, generator.take_definitions(true))?;
        let ops = ops(&document)?;
        let mut input = BTreeSet::new();
        let mut output = BTreeSet::new();
        for op in &ops {
            collect_refs(&op.params, &definitions, &mut input);
            collect_refs(&op.response, &definitions, &mut output);
            if let Some(item) = &op.item {
                collect_refs(item, &definitions, &mut output);
            }
        }
        for event in &events {
            collect_refs(&event.model, &definitions, &mut output);
        }
        Ok(Document {
            ops,
            events,
            definitions,
            input,
            output,
        })
    }

    /// The definitions some request, response or event uses, by name.
    pub(crate) fn used(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.definitions
            .iter()
            .filter(|(name, _)| self.input.contains(*name) || self.output.contains(*name))
    }

    /// Whether the property `key` of the definition `name` is always there:
    /// as a request parameter when the schema requires it; in a response
    /// (a shape only responses use) when its value cannot be null, since
    /// the core leaves out the values it does not have and writes the others.
    pub(crate) fn required(&self, name: &str, key: &str, property: &Value) -> bool {
        let schema = &self.definitions[name];
        if self.input.contains(name) {
            schema["required"]
                .as_array()
                .is_some_and(|required| required.iter().any(|k| k == key))
        } else {
            !nullable(property)
        }
    }
}

fn webhook_events(generator: &mut SchemaGenerator) -> Vec<Event> {
    fn event<T: JsonSchema>(record_type: &'static str, generator: &mut SchemaGenerator) -> Event {
        Event {
            record_type,
            model: generator.subschema_for::<T>().to_value(),
        }
    }
    vec![
        event::<Delivery>("Delivery", generator),
        event::<Bounce>("Bounce", generator),
        event::<Bounce>("SpamComplaint", generator),
        event::<Open>("Open", generator),
        event::<Click>("Click", generator),
        event::<SubscriptionChange>("SubscriptionChange", generator),
        event::<InboundMessage>("Inbound", generator),
    ]
}

fn ops(document: &Value) -> Result<Vec<Op>, String> {
    let rows = document["operations"]
        .as_array()
        .ok_or("schema document: no operations")?;
    let text = |row: &Value, key: &str| {
        row[key]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("schema document: an operation without `{key}`"))
    };
    rows.iter()
        .map(|row| {
            Ok(Op {
                name: text(row, "name")?,
                js_name: text(row, "jsName")?,
                token: text(row, "token")?,
                paged: row["paged"].as_bool().unwrap_or(false),
                method: text(row, "method")?,
                path: text(row, "path")?,
                params: row["params"].clone(),
                response: row["response"].clone(),
                item: row.get("item").cloned(),
            })
        })
        .collect()
}

fn merge(into: &mut BTreeMap<String, Value>, from: Map<String, Value>) -> Result<(), String> {
    for (name, schema) in from {
        match into.get(&name) {
            Some(existing) if *existing != schema => {
                return Err(format!(
                    "two different types are both named `{name}`; the bindings need one name each"
                ));
            }
            _ => {
                into.insert(name, schema);
            }
        }
    }
    Ok(())
}

/// The definition a schema refers to.
pub(crate) fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.strip_prefix("#/$defs/")
}

/// Adds every definition `schema` refers to, directly or not, to `seen`.
fn collect_refs(
    schema: &Value,
    definitions: &BTreeMap<String, Value>,
    seen: &mut BTreeSet<String>,
) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = ref_name(schema)
                && seen.insert(name.to_owned())
                && let Some(target) = definitions.get(name)
            {
                collect_refs(target, definitions, seen);
            }
            map.values()
                .for_each(|v| collect_refs(v, definitions, seen));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_refs(v, definitions, seen)),
        _ => {}
    }
}

/// Whether `null` is a value of the schema.
pub(crate) fn nullable(schema: &Value) -> bool {
    let null = |t: &Value| t == "null";
    match schema.get("type") {
        Some(Value::Array(types)) if types.iter().any(null) => return true,
        Some(t) if null(t) => return true,
        _ => {}
    }
    ["anyOf", "oneOf"].iter().any(|key| {
        schema
            .get(*key)
            .and_then(Value::as_array)
            .is_some_and(|members| members.iter().any(nullable))
    })
}

/// The first paragraph of a schema's description, on one line, with
/// rustdoc links (`[`Type::field`]`) read as plain code.
pub(crate) fn summary(schema: &Value) -> Option<String> {
    let text = schema.get("description")?.as_str()?;
    let paragraph = text.split("\n\n").next()?.trim();
    let line = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = line.replace("[`", "`").replace("`]", "`");
    (!line.is_empty()).then_some(line)
}
