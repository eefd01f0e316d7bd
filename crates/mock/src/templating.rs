//! Postmark's template language (Mustachio) on top of the `mustache2` crate.
//!
//! `mustache2` implements the Mustache specification: `{{ path.to.value }}` (HTML-escaped),
//! `{{{ path }}}` and `{{& path }}` (raw), sections `{{#x}}…{{/x}}` (a list repeats them,
//! an object becomes the context, a truthy value shows them once), inverted sections
//! `{{^x}}…{{/x}}` and comments. Mustachio adds a few forms, which [`translate`] rewrites
//! into plain Mustache before the crate sees the source:
//!
//! - `{{#each list}}…{{/each}}`, the same as the section `{{#list}}…{{/list}}`;
//! - `this` and `this.x` inside a section, the same as `.` and `x`;
//! - in a text part, `{{ x }}` is not HTML-escaped (Postmark escapes in HTML bodies only).
//!
//! A layout's `{{{@content}}}` is filled by giving the model an `@content` key holding the
//! template's rendered body, so it stays raw and is found from inside any section.
//! Partials are not part of Postmark's language: `{{> name}}` renders as nothing.

use std::borrow::Cow;
use std::collections::HashMap;

use mustache2::Data;
use mustache2::render::provider::SourceProvider;
use mustache2::render::{RenderManager, SourceCache};
use serde_json::{Map, Value};

/// Where a template failed to parse: a message, and the 1-based line and character
/// (counted in characters) in the source as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateError {
    pub(crate) message: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// Whether the part is an HTML body (variables escaped) or a subject or text body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Html,
    Text,
}

/// Checks that `source` parses.
pub(crate) fn check(source: &str) -> Result<(), TemplateError> {
    render(source, &Value::Null, Part::Text, None).map(drop)
}

/// Renders `source` with `model`. `content` is a layout's `@content`: the rendered body
/// of the template using the layout.
pub(crate) fn render(
    source: &str,
    model: &Value,
    part: Part,
    content: Option<&str>,
) -> Result<String, TemplateError> {
    let translated = translate(source, part);
    let mut root = match data_of(model) {
        Data::Map(map) => map,
        _ => HashMap::new(),
    };
    if let Some(content) = content {
        root.insert("@content".to_owned(), Data::String(content.to_owned()));
    }
    let cache = SourceCache::default();
    let mut renderer = RenderManager::new(OneSource(&translated.text), &cache);
    renderer
        .render(Key::Main, Data::Map(root))
        .map_err(|error| {
            let at = error
                .source
                .map_or(0, |(_, span)| translated.original_offset(span.start));
            position(source, at, error.message.into_owned())
        })
}

/// A model with a placeholder for every value the sources use, as Postmark suggests one:
/// `{{ a.b }}` gives `{"a": {"b": "b_Value"}}`, a section `{{#x}}` an object and
/// `{{#each x}}` a list of one object holding the values used inside.
pub(crate) fn suggested_model<'s>(sources: impl IntoIterator<Item = &'s str>) -> Value {
    let mut model = Value::Object(Map::new());
    for source in sources {
        let mut scopes: Vec<Scope> = Vec::new();
        for tag in tags(source) {
            match tag {
                Tag::Open { name, list, .. } => {
                    let node = slot(&mut model, &scopes, name);
                    if !(node.is_object() || node.is_array()) {
                        *node = if list {
                            Value::Array(vec![Value::Object(Map::new())])
                        } else {
                            Value::Object(Map::new())
                        };
                    }
                    scopes.push(Scope { name, list });
                }
                // An inverted section renders when its value is missing: no level.
                Tag::Inverted { .. } => scopes.push(Scope {
                    name: "",
                    list: false,
                }),
                Tag::Close { .. } => {
                    scopes.pop();
                }
                Tag::Variable { name, .. } if name != "." && name != "@content" => {
                    let node = slot(&mut model, &scopes, name);
                    if node.is_null() {
                        let last = name.rsplit('.').next().unwrap_or(name);
                        *node = Value::String(format!("{last}_Value"));
                    }
                }
                _ => {}
            }
        }
    }
    model
}

/// A section the suggestion walk is inside.
struct Scope<'s> {
    name: &'s str,
    list: bool,
}

/// The place in `model` for `name` used inside `scopes`, created as needed (a scalar in
/// the way becomes an object).
fn slot<'v>(model: &'v mut Value, scopes: &[Scope<'_>], name: &str) -> &'v mut Value {
    let mut node = model;
    for scope in scopes {
        if scope.name.is_empty() {
            continue;
        }
        node = descend(node, scope.name);
        if scope.list {
            if !node.is_array() {
                *node = Value::Array(vec![Value::Object(Map::new())]);
            }
            node = &mut node.as_array_mut().expect("just made a list")[0];
        }
    }
    descend(node, name)
}

fn descend<'v>(mut node: &'v mut Value, path: &str) -> &'v mut Value {
    for key in path.split('.').map(|k| k.strip_prefix("this").unwrap_or(k)) {
        if key.is_empty() {
            continue;
        }
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        node = node
            .as_object_mut()
            .expect("just made an object")
            .entry(key)
            .or_insert(Value::Null);
    }
    node
}

/// Plain Mustache for `source`, with a map from its offsets back to the source's.
struct Translated {
    text: String,
    /// (offset in `text`, offset in the source) where each rewritten stretch starts.
    marks: Vec<(usize, usize)>,
}

impl Translated {
    fn original_offset(&self, at: usize) -> usize {
        let (text_at, source_at) = self
            .marks
            .iter()
            .rev()
            .find(|(text_at, _)| *text_at <= at)
            .copied()
            .unwrap_or((0, 0));
        source_at + (at - text_at)
    }
}

/// A tag of the source, as [`tags`] finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag<'s> {
    /// `{{#name}}`, or with `list` `{{#each name}}`.
    Open {
        name: &'s str,
        list: bool,
    },
    Inverted {
        name: &'s str,
    },
    /// `{{/name}}`; `{{/each}}` closes the innermost `{{#each}}`.
    Close {
        name: &'s str,
    },
    /// `{{name}}`, or with `raw` `{{{name}}}` / `{{&name}}`.
    Variable {
        name: &'s str,
        raw: bool,
    },
    /// Comments, partials, and the rest of the source after a delimiter change, which
    /// the rewrite leaves alone.
    Other,
}

/// The tags of `source` with their byte ranges, the text between them left out.
fn tags(source: &str) -> impl Iterator<Item = Tag<'_>> {
    scan(source).map(|(_, tag)| tag)
}

/// Each tag with the range of source it covers.
fn scan(source: &str) -> impl Iterator<Item = (std::ops::Range<usize>, Tag<'_>)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let open = at + source.get(at..)?.find("{{")?;
        let triple = source[open..].starts_with("{{{");
        let (skip, close) = if triple { (3, "}}}") } else { (2, "}}") };
        let inner_start = open + skip;
        let Some(len) = source[inner_start..].find(close) else {
            at = source.len();
            return None;
        };
        let end = inner_start + len + close.len();
        let inner = source[inner_start..inner_start + len].trim();
        at = end;
        let name = |prefix: usize| inner[prefix..].trim();
        let tag = if triple {
            Tag::Variable {
                name: inner,
                raw: true,
            }
        } else {
            match inner.chars().next() {
                Some('#') => match name(1).strip_prefix("each ") {
                    Some(list) => Tag::Open {
                        name: list.trim(),
                        list: true,
                    },
                    None => Tag::Open {
                        name: name(1),
                        list: false,
                    },
                },
                Some('^') => Tag::Inverted { name: name(1) },
                Some('/') => Tag::Close { name: name(1) },
                Some('&') => Tag::Variable {
                    name: name(1),
                    raw: true,
                },
                Some('=') => {
                    // A delimiter change: what follows is not in `{{ }}` any more.
                    at = source.len();
                    Tag::Other
                }
                Some('!' | '>' | '<' | '$') => Tag::Other,
                _ => Tag::Variable {
                    name: inner,
                    raw: false,
                },
            }
        };
        Some((open..end, tag))
    })
}

/// `this` is the current item, as `.` is in Mustache.
fn path(name: &str) -> &str {
    match name {
        "this" => ".",
        _ => name.strip_prefix("this.").unwrap_or(name),
    }
}

/// Rewrites Mustachio's extra forms into Mustache (see the module docs).
fn translate(source: &str, part: Part) -> Translated {
    let mut text = String::with_capacity(source.len() + 16);
    let mut marks = Vec::new();
    let mut copied = 0;
    // Innermost last: the name each open section is closed with.
    let mut open: Vec<&str> = Vec::new();
    for (range, tag) in scan(source) {
        let rewritten = match tag {
            Tag::Open { name, list } => {
                open.push(path(name));
                (list || name != path(name)).then(|| format!("{{{{#{}}}}}", path(name)))
            }
            Tag::Inverted { name } => {
                open.push(path(name));
                Some(format!("{{{{^{}}}}}", path(name)))
            }
            Tag::Close { name } => {
                let innermost = open.pop();
                match innermost {
                    Some(section) if name == "each" || path(name) == section => {
                        Some(format!("{{{{/{section}}}}}"))
                    }
                    _ => None,
                }
            }
            Tag::Variable { name, raw } => {
                let raw = raw || part == Part::Text;
                match (raw, path(name)) {
                    (true, name) => Some(format!("{{{{&{name}}}}}")),
                    (false, name) => Some(format!("{{{{{name}}}}}")),
                }
            }
            Tag::Other => None,
        };
        if let Some(rewritten) = rewritten {
            text.push_str(&source[copied..range.start]);
            marks.push((text.len(), range.start));
            text.push_str(&rewritten);
            marks.push((text.len(), range.end));
            copied = range.end;
        }
    }
    text.push_str(&source[copied..]);
    Translated { text, marks }
}

/// The model as the crate's data. Numbers that do not fit an `i64` become floats.
fn data_of(value: &Value) -> Data {
    match value {
        Value::Null => Data::Null,
        Value::Bool(b) => Data::Bool(*b),
        Value::Number(n) => n
            .as_i64()
            .map(Data::Int)
            .unwrap_or_else(|| Data::Float(n.as_f64().unwrap_or_default())),
        Value::String(s) => Data::String(s.clone()),
        Value::Array(items) => Data::List(items.iter().map(data_of).collect()),
        Value::Object(map) => Data::Map(
            map.iter()
                .map(|(key, value)| (key.clone(), data_of(value)))
                .collect(),
        ),
    }
}

/// The error at byte `at` of `source`, with its line and character.
fn position(source: &str, at: usize, message: String) -> TemplateError {
    let before = source.get(..at.min(source.len())).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    TemplateError {
        message,
        line,
        column,
    }
}

/// Which source the renderer asks for: the template, or a partial it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Main,
    Partial,
}

/// Serves the one source being rendered; partials do not exist.
struct OneSource<'a>(&'a str);

impl SourceProvider for OneSource<'_> {
    type Key = Key;

    fn get_src(&mut self, key: &Key) -> Result<String, Cow<'static, str>> {
        match key {
            Key::Main => Ok(self.0.to_owned()),
            Key::Partial => Err("partials are not supported".into()),
        }
    }

    fn resolve_partial(&self, _: &Key, _: &str) -> Key {
        Key::Partial
    }

    fn display_key(key: &Key) -> Cow<'_, str> {
        match key {
            Key::Main => "template".into(),
            Key::Partial => "partial".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn html(source: &str, model: &Value) -> String {
        render(source, model, Part::Html, None).unwrap()
    }

    #[test]
    fn variables_escape_in_html_only() {
        let model = json!({"name": "<Ann & co>", "order": {"id": 42, "paid": true}});
        assert_eq!(
            html(
                "Hi {{ name }} / {{{name}}} / {{&name}} #{{order.id}} {{order.paid}}{{missing}}.",
                &model
            ),
            "Hi &lt;Ann &amp; co&gt; / <Ann & co> / <Ann & co> #42 true."
        );
        assert_eq!(
            render("Hi {{ name }}", &model, Part::Text, None).unwrap(),
            "Hi <Ann & co>"
        );
    }

    #[test]
    fn sections_inverted_sections_and_each() {
        let model = json!({
            "items": [{"name": "a", "tags": ["x", "y"]}, {"name": "b", "tags": []}],
            "user": {"first": "Ann"},
            "empty": [],
            "flag": false,
        });
        assert_eq!(
            html(
                "{{#items}}[{{name}}:{{#tags}}{{.}}{{/tags}}{{^tags}}none{{/tags}}]{{/items}}",
                &model
            ),
            "[a:xy][b:none]"
        );
        assert_eq!(
            html(
                "{{#each items}}<{{this.name}}>{{#each tags}}{{this}},{{/each}}{{/each}}",
                &model
            ),
            "<a>x,y,<b>"
        );
        assert_eq!(html("{{#user}}Hi {{first}}{{/user}}", &model), "Hi Ann");
        assert_eq!(
            html(
                "{{^empty}}no items{{/empty}}{{^flag}}, off{{/flag}}",
                &model
            ),
            "no items, off"
        );
        assert_eq!(html("{{#missing}}x{{/missing}}{{! note }}", &model), "");
    }

    #[test]
    fn layouts_take_the_rendered_content_raw() {
        let model = json!({"company": "A&B", "items": [1, 2]});
        assert_eq!(
            render(
                "<h1>{{company}}</h1>{{#items}}{{{@content}}}{{/items}}",
                &model,
                Part::Html,
                Some("<p>body</p>")
            )
            .unwrap(),
            "<h1>A&amp;B</h1><p>body</p><p>body</p>"
        );
    }

    #[test]
    fn syntax_errors_point_into_the_source() {
        let error = check("line one\n{{#each items}}\n  {{name}}\n").unwrap_err();
        assert_eq!(error.line, 2, "{error:?}");
        let error = check("{{#a}}x{{/b}}").unwrap_err();
        assert_eq!((error.line, error.column), (1, 8), "{error:?}");
        assert!(check("{{#a}}{{/a}} {{{ raw }}} {{> partial}}").is_ok());
        assert_eq!(
            render("a{{> partial}}b", &json!({}), Part::Html, None).unwrap(),
            "ab"
        );
    }

    #[test]
    fn suggested_models_follow_the_tags() {
        let model = suggested_model([
            "{{name}} {{order.id}} {{#each items}}{{title}}{{#each tags}}{{.}}{{/each}}{{/each}}",
            "{{#user}}{{first}}{{/user}}{{^missing}}{{note}}{{/missing}}{{{@content}}}",
        ]);
        assert_eq!(
            model,
            json!({
                "name": "name_Value",
                "order": {"id": "id_Value"},
                "items": [{"title": "title_Value", "tags": [{}]}],
                "user": {"first": "first_Value"},
                "note": "note_Value",
            })
        );
    }
}
