//! Templates API (server token; push with the account token): standard templates and
//! layouts, their validation, pushing them between servers, and rendering them for the
//! template sends.
//!
//! Layouts are templates of type `Layout`: no subject, and bodies holding `{{{@content}}}`
//! where a standard template using the layout (by its alias) puts its own rendered body.
//! Templates are found by numeric TemplateId or by alias, ignoring case.

use serde_json::{Map, Value, json};

use super::{Page, one_of};
use crate::json::{ApiError, Fields, ok_message};
use crate::router::{Auth, Ctx, Route};
use crate::state::{Server, State};
use crate::templating::{self, Part, TemplateError};

pub(super) const ROUTES: &[Route] = &[
    Route::new("GET", "/templates", Auth::Server, list),
    Route::new("POST", "/templates", Auth::Server, create),
    Route::new("POST", "/templates/validate", Auth::Server, validate),
    // Before `/templates/{}`, which would take `push` for an alias.
    Route::new("PUT", "/templates/push", Auth::Account, push),
    Route::new("GET", "/templates/{}", Auth::Server, get),
    Route::new("PUT", "/templates/{}", Auth::Server, edit),
    Route::new("DELETE", "/templates/{}", Auth::Server, delete),
];

/// Templates one server may hold.
const MAX_TEMPLATES: usize = 100;
/// TemplateId of the template every new server starts with; later ones count up from it.
const SEEDED_TEMPLATE_ID: i64 = 1000;
/// The tag a layout's bodies hold for the content of the template using it.
const CONTENT_TAG: &str = "{{{@content}}}";
/// `TemplateType` values, and `All` for the list filter.
const TYPES: &[&str] = &["Standard", "Layout"];
const LIST_TYPES: &[&str] = &["All", "Standard", "Layout"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Standard,
    Layout,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Standard => "Standard",
            Kind::Layout => "Layout",
        }
    }

    fn parse(value: &str) -> Option<Kind> {
        match canonical_type(value)? {
            "Layout" => Some(Kind::Layout),
            _ => Some(Kind::Standard),
        }
    }
}

fn canonical_type(value: &str) -> Option<&'static str> {
    super::canonical(TYPES, value)
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Template {
    /// 0 asks [`put`] to pick one.
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) alias: Option<String>,
    /// `None` for layouts.
    pub(crate) subject: Option<String>,
    pub(crate) html_body: Option<String>,
    pub(crate) text_body: Option<String>,
    pub(crate) kind: Kind,
    /// Alias of the layout a standard template uses.
    pub(crate) layout: Option<String>,
}

impl Template {
    /// A standard template without a layout.
    pub(crate) fn standard(
        id: i64,
        name: &str,
        alias: &str,
        subject: &str,
        html_body: Option<&str>,
        text_body: Option<&str>,
    ) -> Template {
        Template {
            id,
            name: name.to_owned(),
            alias: Some(alias.to_owned()),
            subject: Some(subject.to_owned()),
            html_body: html_body.map(str::to_owned),
            text_body: text_body.map(str::to_owned),
            kind: Kind::Standard,
            layout: None,
        }
    }

    /// The template every new server starts with.
    pub(crate) fn seeded() -> Template {
        Template::standard(
            SEEDED_TEMPLATE_ID,
            "Welcome",
            "welcome",
            "Welcome, {{name}}!",
            Some("<p>Hello {{name}}, welcome aboard.</p>"),
            Some("Hello {{name}}, welcome aboard."),
        )
    }

    fn has_alias(&self, alias: &str) -> bool {
        self.alias
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(alias))
    }

    /// The `Template` model of `GET /templates/{id}`.
    pub(crate) fn to_json(&self, server_id: i64) -> Value {
        json!({
            "TemplateId": self.id,
            "Name": self.name,
            "Subject": self.subject,
            "HtmlBody": self.html_body,
            "TextBody": self.text_body,
            "AssociatedServerId": server_id,
            "Active": true,
            "Alias": self.alias,
            "TemplateType": self.kind.name(),
            "LayoutTemplate": self.layout,
        })
    }

    /// A list item, which is also what create and edit answer.
    fn summary(&self) -> Value {
        json!({
            "Active": true,
            "TemplateId": self.id,
            "Name": self.name,
            "Alias": self.alias,
            "TemplateType": self.kind.name(),
            "LayoutTemplate": self.layout,
        })
    }

    /// What pushing compares: everything but the ID.
    fn same_content(&self, other: &Template) -> bool {
        Template {
            id: 0,
            ..self.clone()
        } == Template {
            id: 0,
            ..other.clone()
        }
    }
}

/// Adds a template to `templates`; one with the same TemplateId or alias is replaced
/// (keeping its ID). Returns the TemplateId.
pub(crate) fn put(templates: &mut Vec<Template>, mut template: Template) -> i64 {
    let replaced = templates.iter().position(|t| {
        t.id == template.id || template.alias.as_deref().is_some_and(|a| t.has_alias(a))
    });
    template.id = match (template.id, replaced) {
        (0, Some(at)) => templates[at].id,
        (0, None) => next_id(templates),
        (id, _) => id,
    };
    if let Some(at) = replaced {
        templates.remove(at);
    }
    let id = template.id;
    templates.push(template);
    id
}

fn next_id(templates: &[Template]) -> i64 {
    templates
        .iter()
        .map(|t| t.id)
        .max()
        .unwrap_or(SEEDED_TEMPLATE_ID)
        .max(SEEDED_TEMPLATE_ID)
        + 1
}

/// The template a path or request names: a TemplateId when `key` is a number, else an
/// alias.
fn position(templates: &[Template], key: &str) -> Option<usize> {
    match key.parse::<i64>() {
        Ok(id) => templates.iter().position(|t| t.id == id),
        Err(_) => templates.iter().position(|t| t.has_alias(key)),
    }
}

fn not_found(key: &str) -> ApiError {
    ApiError::new(
        1101,
        format!("The template '{key}' was not found on this server."),
    )
}

/// The subject and bodies a template send produces: the template found by `id` (which
/// wins) or `alias`, rendered with `model`, inside its layout if it has one.
pub(crate) fn render_for_send(
    server: &Server,
    id: Option<i64>,
    alias: Option<&str>,
    model: Option<&Value>,
) -> Result<(String, Option<String>, Option<String>), ApiError> {
    let key = match (id, alias) {
        (Some(id), _) => id.to_string(),
        (None, Some(alias)) => alias.to_owned(),
        (None, None) => {
            return Err(ApiError::new(
                1101,
                "Either TemplateId or TemplateAlias is required.",
            ));
        }
    };
    let at = position(&server.templates, &key).ok_or_else(|| not_found(&key))?;
    let template = &server.templates[at];
    if template.kind == Kind::Layout {
        return Err(ApiError::new(
            1101,
            format!("The template '{key}' is a layout; only standard templates can be sent."),
        ));
    }
    let model = model.ok_or_else(|| ApiError::new(1120, "TemplateModel is required."))?;
    let layout = template
        .layout
        .as_deref()
        .and_then(|alias| server.templates.iter().find(|t| t.has_alias(alias)));
    let failed = |e: TemplateError| {
        ApiError::new(
            1122,
            format!(
                "The template could not be rendered: {} (line {}, character {}).",
                e.message, e.line, e.column
            ),
        )
    };
    let subject = template.subject.as_deref().unwrap_or_default();
    let subject = templating::render(subject, model, Part::Text, None).map_err(failed)?;
    let body = |part: Part, own: &Option<String>, outer: Option<&Option<String>>| {
        own.as_deref()
            .map(|source| render_in_layout(source, outer.and_then(Option::as_deref), model, part))
            .transpose()
            .map_err(failed)
    };
    let html = body(
        Part::Html,
        &template.html_body,
        layout.map(|l| &l.html_body),
    )?;
    let text = body(
        Part::Text,
        &template.text_body,
        layout.map(|l| &l.text_body),
    )?;
    Ok((subject, html, text))
}

/// `source` rendered with `model`, then put in `layout` (rendered with the same model)
/// where it says `{{{@content}}}`.
fn render_in_layout(
    source: &str,
    layout: Option<&str>,
    model: &Value,
    part: Part,
) -> Result<String, TemplateError> {
    let content = templating::render(source, model, part, None)?;
    match layout {
        None => Ok(content),
        Some(layout) => templating::render(layout, model, part, Some(&content)),
    }
}

/// Count and Offset are required (1100 otherwise); `TemplateType` (default All) and
/// `LayoutTemplate` (a layout's alias) filter. Oldest first.
fn list(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let page = Page::read(ctx, 1100, None)?;
    let kind = match ctx.query("TemplateType") {
        None => None,
        Some(value) => match one_of(LIST_TYPES, "TemplateType", value) {
            Ok("All") => None,
            Ok(kind) => Kind::parse(kind),
            Err(why) => return Err(ApiError::new(1100, why)),
        },
    };
    let layout = ctx.query("LayoutTemplate");
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let matching: Vec<&Template> = server
        .templates
        .iter()
        .filter(|t| {
            kind.is_none_or(|k| k == t.kind)
                && layout.is_none_or(|wanted| {
                    t.layout
                        .as_deref()
                        .is_some_and(|l| l.eq_ignore_ascii_case(wanted))
                })
        })
        .collect();
    Ok(page.of("Templates", &matching, |t| t.summary()))
}

fn get(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let at = position(&server.templates, ctx.param(0)).ok_or_else(|| not_found(ctx.param(0)))?;
    Ok(server.templates[at].to_json(server.id))
}

fn create(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let kind = match f.str("TemplateType")? {
        None => Kind::Standard,
        Some(value) => Kind::parse(value).ok_or_else(|| bad_type(value))?,
    };
    let template = Template {
        id: 0,
        name: f.str("Name")?.unwrap_or_default().trim().to_owned(),
        alias: f.str("Alias")?.map(str::to_owned),
        subject: f.str("Subject")?.map(str::to_owned),
        html_body: f.str("HtmlBody")?.map(str::to_owned),
        text_body: f.str("TextBody")?.map(str::to_owned),
        kind,
        layout: f
            .str("LayoutTemplate")?
            .filter(|l| !l.is_empty())
            .map(str::to_owned),
    };
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    check(&server.templates, &template)?;
    if server.templates.len() >= MAX_TEMPLATES {
        return Err(ApiError::new(
            1105,
            format!("A server may hold at most {MAX_TEMPLATES} templates."),
        ));
    }
    let id = put(&mut server.templates, template);
    let saved = server.templates.iter().find(|t| t.id == id);
    Ok(saved.map(Template::summary).unwrap_or_default())
}

/// A partial update: fields left out stay. `LayoutTemplate: ""` drops the layout; the
/// `TemplateType` cannot change (1123).
fn edit(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let at = position(&server.templates, ctx.param(0)).ok_or_else(|| not_found(ctx.param(0)))?;
    let current = &server.templates[at];
    let mut next = current.clone();
    if let Some(value) = f.str("TemplateType")? {
        let kind = Kind::parse(value).ok_or_else(|| bad_type(value))?;
        if kind != current.kind {
            return Err(ApiError::new(
                1123,
                "The TemplateType of a template cannot be changed.",
            ));
        }
    }
    let text =
        |key: &str| -> Result<Option<String>, ApiError> { Ok(f.str(key)?.map(str::to_owned)) };
    if let Some(name) = text("Name")? {
        next.name = name.trim().to_owned();
    }
    if let Some(alias) = text("Alias")? {
        next.alias = Some(alias);
    }
    if let Some(subject) = text("Subject")? {
        next.subject = Some(subject);
    }
    if let Some(html) = text("HtmlBody")? {
        next.html_body = Some(html);
    }
    if let Some(plain) = text("TextBody")? {
        next.text_body = Some(plain);
    }
    if let Some(layout) = text("LayoutTemplate")? {
        next.layout = Some(layout).filter(|l| !l.is_empty());
    }
    let others: Vec<Template> = server
        .templates
        .iter()
        .filter(|t| t.id != next.id)
        .cloned()
        .collect();
    check(&others, &next)?;
    // Templates name their layout by alias: a renamed layout keeps its templates.
    if let (Kind::Layout, Some(old), Some(new)) = (next.kind, &current.alias, &next.alias) {
        let (old, new) = (old.clone(), new.clone());
        for t in &mut server.templates {
            if t.layout
                .as_deref()
                .is_some_and(|l| l.eq_ignore_ascii_case(&old))
            {
                t.layout = Some(new.clone());
            }
        }
    }
    let answer = next.summary();
    server.templates[at] = next;
    Ok(answer)
}

/// Refused for a layout that templates still use (1130).
fn delete(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let at = position(&server.templates, ctx.param(0)).ok_or_else(|| not_found(ctx.param(0)))?;
    let template = &server.templates[at];
    if let (Kind::Layout, Some(alias)) = (template.kind, &template.alias) {
        let users = server
            .templates
            .iter()
            .filter(|t| {
                t.layout
                    .as_deref()
                    .is_some_and(|l| l.eq_ignore_ascii_case(alias))
            })
            .count();
        if users > 0 {
            return Err(ApiError::new(
                1130,
                format!("The layout '{alias}' cannot be deleted: {users} template(s) use it."),
            ));
        }
    }
    let removed = server.templates.remove(at);
    Ok(ok_message(format!("Template {} removed.", removed.id)))
}

/// Checks a template about to be saved beside `others`: Name (1120), alias format and
/// uniqueness (1122), Subject required for standard templates (1120) and refused for
/// layouts (1123), a body (1120), the layout it names (1101; a layout has none, 1123),
/// `{{{@content}}}` in a layout's bodies (1131), and that every part parses (1122).
fn check(others: &[Template], t: &Template) -> Result<(), ApiError> {
    if t.name.is_empty() {
        return Err(ApiError::new(1120, "The template Name is required."));
    }
    if let Some(alias) = &t.alias {
        let well_formed = alias.starts_with(|c: char| c.is_ascii_alphabetic())
            && alias
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if !well_formed {
            return Err(ApiError::new(
                1122,
                format!(
                    "The alias '{alias}' is invalid: it must start with a letter and hold only letters, digits, '.', '-' and '_'."
                ),
            ));
        }
        if others.iter().any(|o| o.has_alias(alias)) {
            return Err(ApiError::new(
                1122,
                format!("The alias '{alias}' is already in use on this server."),
            ));
        }
    }
    let blank = |part: &Option<String>| part.as_deref().is_none_or(|p| p.trim().is_empty());
    match t.kind {
        Kind::Standard if blank(&t.subject) => {
            return Err(ApiError::new(1120, "A standard template needs a Subject."));
        }
        Kind::Layout if t.subject.is_some() => {
            return Err(ApiError::new(1123, "A layout cannot have a Subject."));
        }
        _ => {}
    }
    if blank(&t.html_body) && blank(&t.text_body) {
        return Err(ApiError::new(
            1120,
            "A template needs an HtmlBody, a TextBody, or both.",
        ));
    }
    match (t.kind, &t.layout) {
        (Kind::Layout, Some(_)) => {
            return Err(ApiError::new(1123, "A layout cannot use another layout."));
        }
        (Kind::Standard, Some(layout)) => {
            let exists = others
                .iter()
                .any(|o| o.kind == Kind::Layout && o.has_alias(layout));
            if !exists {
                return Err(ApiError::new(
                    1101,
                    format!("The layout '{layout}' was not found on this server."),
                ));
            }
        }
        _ => {}
    }
    for (key, part) in [
        ("Subject", &t.subject),
        ("HtmlBody", &t.html_body),
        ("TextBody", &t.text_body),
    ] {
        let Some(source) = part else { continue };
        if t.kind == Kind::Layout && key != "Subject" {
            content_placeholder(source)
                .map_err(|why| ApiError::new(1131, format!("{key}: {why}")))?;
        }
        templating::check(source).map_err(|e| {
            ApiError::new(
                1122,
                format!(
                    "The {key} could not be parsed: {} (line {}, character {}).",
                    e.message, e.line, e.column
                ),
            )
        })?;
    }
    Ok(())
}

/// A layout body must hold `{{{@content}}}` exactly once.
fn content_placeholder(source: &str) -> Result<(), String> {
    match source.matches(CONTENT_TAG).count() {
        1 => Ok(()),
        0 => Err(format!("a layout's body must contain {CONTENT_TAG}.")),
        _ => Err(format!(
            "a layout's body may contain {CONTENT_TAG} only once."
        )),
    }
}

fn bad_type(value: &str) -> ApiError {
    ApiError::new(
        1122,
        format!("'{value}' is not a TemplateType: use Standard or Layout."),
    )
}

/// Checks and test-renders the parts given, changing nothing. A part left out answers
/// `null`; the others `{ContentIsValid, ValidationErrors, RenderedContent}`. Without a
/// `TestRenderModel` the parts render with the suggested model.
fn validate(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let kind = match f.str("TemplateType")? {
        None => Kind::Standard,
        Some(value) => Kind::parse(value).ok_or_else(|| bad_type(value))?,
    };
    let parts = [
        ("Subject", f.str("Subject")?, Part::Text),
        ("HtmlBody", f.str("HtmlBody")?, Part::Html),
        ("TextBody", f.str("TextBody")?, Part::Text),
    ];
    if parts.iter().all(|(_, source, _)| source.is_none()) {
        return Err(ApiError::new(
            1109,
            "Give a Subject, an HtmlBody or a TextBody to validate.",
        ));
    }
    let layout = match f.str("LayoutTemplate")?.filter(|l| !l.is_empty()) {
        None => None,
        Some(alias) => {
            let mut state = ctx.state();
            let server = ctx.current(&mut state)?;
            let layout = server
                .templates
                .iter()
                .find(|t| t.kind == Kind::Layout && t.has_alias(alias))
                .cloned()
                .ok_or_else(|| not_found(alias))?;
            Some(layout)
        }
    };
    let outer = |key: &str| -> Option<&str> {
        let layout = layout.as_ref()?;
        match key {
            "HtmlBody" => layout.html_body.as_deref(),
            "TextBody" => layout.text_body.as_deref(),
            _ => None,
        }
    };
    let suggested = templating::suggested_model(
        parts
            .iter()
            .filter_map(|(key, source, _)| source.map(|s| [Some(s), outer(key)]))
            .flatten()
            .flatten(),
    );
    let model = f.any("TestRenderModel").unwrap_or(&suggested);
    let mut answer = Map::new();
    let mut all_valid = true;
    for (key, source, part) in parts {
        let Some(source) = source else {
            answer.insert(key.to_owned(), Value::Null);
            continue;
        };
        let mut errors = Vec::new();
        if kind == Kind::Layout && key != "Subject" {
            if let Err(why) = content_placeholder(source) {
                errors.push(json!({"Message": why}));
            }
        }
        let rendered = render_in_layout(source, outer(key), model, part);
        match &rendered {
            Ok(_) => {}
            Err(e) => errors
                .push(json!({"Message": e.message, "Line": e.line, "CharacterPosition": e.column})),
        }
        all_valid &= errors.is_empty();
        let mut result = json!({"ContentIsValid": errors.is_empty(), "ValidationErrors": errors});
        if let Ok(rendered) = rendered {
            result["RenderedContent"] = rendered.into();
        }
        answer.insert(key.to_owned(), result);
    }
    answer.insert("AllContentIsValid".to_owned(), all_valid.into());
    answer.insert("SuggestedTemplateModel".to_owned(), suggested);
    Ok(Value::Object(answer))
}

/// Copies the templates that have an alias from one server to another (account token).
/// A template whose alias the destination lacks is created, one whose content differs is
/// edited, an identical one is left out. `PerformChanges: false` answers the same list
/// without changing anything (and without TemplateIds for the creates).
fn push(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let server_id = |key: &str| -> Result<i64, ApiError> {
        f.int(key)?
            .or_else(|| {
                f.str(key)
                    .ok()
                    .flatten()
                    .and_then(|s| s.trim().parse().ok())
            })
            .ok_or_else(|| ApiError::new(601, format!("'{key}' must name a server.")))
    };
    let (source_id, destination_id) = (
        server_id("SourceServerID")?,
        server_id("DestinationServerID")?,
    );
    let perform = f
        .bool("PerformChanges")?
        .ok_or_else(|| ApiError::new(300, "'PerformChanges' (true or false) is required."))?;
    let mut state = ctx.state();
    let source = server_of(&state, source_id)?;
    let destination = server_of(&state, destination_id)?;
    let mut pushed: Vec<&Template> = source
        .templates
        .iter()
        .filter(|t| t.alias.is_some())
        .collect();
    if pushed.is_empty() {
        return Err(ApiError::new(
            1124,
            format!("Server {source_id} has no templates with an alias to push."),
        ));
    }
    // Layouts first, so that the templates using them find them.
    pushed.sort_by_key(|t| t.kind != Kind::Layout);
    let mut plan: Vec<(Template, Option<i64>)> = Vec::new();
    for template in pushed {
        let alias = template.alias.as_deref().unwrap_or_default();
        let existing = destination.templates.iter().find(|t| t.has_alias(alias));
        if let Some(existing) = existing {
            if existing.kind != template.kind {
                return Err(ApiError::new(
                    1125,
                    format!(
                        "The template '{alias}' is a {} on one server and a {} on the other.",
                        template.kind.name(),
                        existing.kind.name()
                    ),
                ));
            }
            if existing.same_content(template) {
                continue;
            }
        }
        plan.push((template.clone(), existing.map(|t| t.id)));
    }
    let creates = plan.iter().filter(|(_, id)| id.is_none()).count();
    if destination.templates.len() + creates > MAX_TEMPLATES {
        return Err(ApiError::new(
            1105,
            format!(
                "Pushing would leave server {destination_id} with more than {MAX_TEMPLATES} templates."
            ),
        ));
    }
    let destination = state
        .server_mut(destination_id)
        .ok_or_else(|| no_server(destination_id))?;
    let mut listed = Vec::new();
    for (mut template, existing) in plan {
        let action = if existing.is_some() { "Edit" } else { "Create" };
        let id = if perform {
            template.id = existing.unwrap_or(0);
            Some(put(&mut destination.templates, template.clone()))
        } else {
            existing
        };
        let mut item = json!({"Action": action, "Alias": template.alias, "Name": template.name,
                              "TemplateType": template.kind.name()});
        if let Some(id) = id {
            item["TemplateId"] = id.into();
        }
        listed.push(item);
    }
    Ok(json!({"TotalCount": listed.len(), "Templates": listed}))
}

fn server_of(state: &State, id: i64) -> Result<&Server, ApiError> {
    state.server(id).ok_or_else(|| no_server(id))
}

fn no_server(id: i64) -> ApiError {
    ApiError::new(601, format!("Server {id} was not found."))
}
