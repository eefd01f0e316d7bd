//! Templates: a server's stored templates and layouts, checking template
//! content without saving it, and copying templates between servers
//! (account token).
//!
//! A layout is a template of type [`TemplateType::Layout`]: it has no
//! subject, and its bodies hold `{{{@content}}}` where the standard
//! templates using it (by its alias) put their own content. A template is
//! named in a path by its `TemplateId` or its alias.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::email::require_body;
use super::paged_list;
use crate::BuildError;
use crate::endpoint::Rules;
use crate::enums::string_enum;
use crate::shape::read::Value;

string_enum! {
    /// Whether a template is sent as it is or wraps others. Set when the
    /// template is created; it cannot be changed afterwards.
    pub enum TemplateType {
        /// A template that is sent.
        Standard => "Standard",
        /// A layout: the frame standard templates are put in.
        Layout => "Layout",
    }
}

string_enum! {
    /// What pushing does to a template of the destination server.
    pub enum PushAction {
        /// The destination has no template with this alias: it gets one.
        Create => "Create",
        /// The destination's template with this alias differs: it is replaced.
        Edit => "Edit",
    }
}

/// A stored template, with its content.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct Template {
    /// Template ID.
    pub template_id: i64,
    /// Name, as shown in Postmark's UI.
    pub name: String,
    /// Subject; none for a layout.
    pub subject: Option<String>,
    /// HTML body.
    pub html_body: Option<String>,
    /// Plain-text body.
    pub text_body: Option<String>,
    /// The server the template belongs to.
    pub associated_server_id: Option<i64>,
    /// Whether the template can be used.
    pub active: bool,
    /// Alias, unique on the server.
    pub alias: Option<String>,
    /// Standard or layout (absent in records older than layouts).
    pub template_type: Option<TemplateType>,
    /// Alias of the layout the template is put in.
    pub layout_template: Option<String>,
}

/// A template without its content: an item of the list, and what creating
/// or changing one answers.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct TemplateSummary {
    /// Template ID.
    pub template_id: i64,
    /// Name.
    pub name: String,
    /// Alias.
    pub alias: Option<String>,
    /// Whether the template can be used.
    pub active: bool,
    /// Standard or layout.
    pub template_type: Option<TemplateType>,
    /// Alias of the layout the template is put in.
    pub layout_template: Option<String>,
}

/// `GET /templates`: one page of the server's templates.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ListTemplates {
    /// Page size, at most 500.
    #[serde(default = "super::default_count")]
    pub count: u32,
    /// Items to skip.
    #[serde(default)]
    pub offset: u32,
    /// Only templates of this type; every type when absent.
    #[serde(rename = "TemplateType")]
    pub template_type: Option<TemplateType>,
    /// Only the templates put in the layout with this alias.
    #[serde(rename = "LayoutTemplate")]
    pub layout_template: Option<String>,
}

/// A page of templates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct TemplateList {
    /// Templates matching the query, over all pages.
    pub total_count: u64,
    /// This page.
    pub templates: Vec<TemplateSummary>,
}

impl Rules for ListTemplates {}

paged_list!(ListTemplates => TemplateSummary, templates, depth None;
    template_type, layout_template);

/// `GET /templates/{id_or_alias}`: one template, with its content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetTemplate {
    /// The template's ID in digits (`"1000"`), or its alias.
    pub id_or_alias: String,
}

impl Rules for GetTemplate {}

/// Adds to a template request the content create and edit share, after its
/// own fields (see [`request_struct`](super::request_struct)). `None` fields
/// are not sent.
macro_rules! template_content {
    ($name:ident $head:tt [$($fields:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [$($fields)*
            /// Alias, unique on the server.
            pub alias: Option<String>,
            /// Subject, with placeholders; a layout has none.
            pub subject: Option<String>,
            /// HTML body; a layout's holds `{{{@content}}}`.
            pub html_body: Option<String>,
            /// Plain-text body; a layout's holds `{{{@content}}}`.
            pub text_body: Option<String>,
            /// Alias of the layout to put the template in; `""` takes it
            /// out of its layout.
            pub layout_template: Option<String>,
        ] $($rest)*);
    };
}

request_struct! {
    /// `POST /templates`: stores a template or a layout. It needs a body,
    /// and a subject unless it is a layout, which may not have one.
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct CreateTemplate {
        /// Name.
        pub name: String,
        /// `Standard` (when absent) or `Layout`; cannot be changed later.
        pub template_type: Option<TemplateType>,
    } + template_content
}

impl Rules for CreateTemplate {
    fn check(params: Value<'_>) -> Result<(), BuildError> {
        require_body(params)?;
        let layout = params
            .get("TemplateType")
            .and_then(Value::str)
            .is_some_and(|kind| TemplateType::parse(&kind) == TemplateType::Layout);
        let subject = params
            .get("Subject")
            .and_then(Value::str)
            .is_some_and(|subject| !subject.trim().is_empty());
        match (layout, subject) {
            (true, true) => Err(BuildError::InvalidValue {
                field: "Subject".into(),
                reason: "a layout has no subject",
            }),
            (false, false) => Err(BuildError::MissingField {
                field: "Subject".into(),
            }),
            _ => Ok(()),
        }
    }
}

request_struct! {
    /// `PUT /templates/{id_or_alias}`: changes a template; what is left
    /// `None` stays. There is deliberately no `template_type`: it is fixed
    /// when the template is created.
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct EditTemplate {
        /// The template's ID in digits, or its alias: a path parameter, not
        /// sent in the body.
        #[serde(rename = "id_or_alias")]
        pub id_or_alias: String,
        /// New name.
        #[cfg_attr(feature = "schema", schemars(extend("x-not-blank" = true)))]
        pub name: Option<String>,
    } + template_content
}

impl Rules for EditTemplate {}

/// `DELETE /templates/{id_or_alias}`: deletes a template. A layout that
/// templates still use is kept (ErrorCode 1130).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeleteTemplate {
    /// The template's ID in digits, or its alias.
    pub id_or_alias: String,
}

impl Rules for DeleteTemplate {}

/// `POST /templates/validate`: checks template content and renders it with
/// a model, saving nothing. Give at least one of the subject and bodies;
/// the parts left out are answered `None`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct ValidateTemplate {
    /// Subject to check.
    pub subject: Option<String>,
    /// HTML body to check.
    pub html_body: Option<String>,
    /// Plain-text body to check.
    pub text_body: Option<String>,
    /// Values to render the parts with; without it Postmark renders them
    /// with the model it suggests.
    pub test_render_model: Option<serde_json::Map<String, serde_json::Value>>,
    /// Whether to inline CSS in the rendered HTML body.
    pub inline_css_for_html_test_render: Option<bool>,
    /// Check the content as a standard template (when absent) or a layout.
    pub template_type: Option<TemplateType>,
    /// Alias of a layout to render the bodies in.
    pub layout_template: Option<String>,
}

impl Rules for ValidateTemplate {
    // Validating changes nothing.
    const IDEMPOTENT: Option<bool> = Some(true);

    fn check(params: Value<'_>) -> Result<(), BuildError> {
        match ["Subject", "HtmlBody", "TextBody"]
            .into_iter()
            .any(|part| params.get(part).is_some())
        {
            true => Ok(()),
            false => Err(BuildError::MissingField {
                field: "Subject, HtmlBody or TextBody".into(),
            }),
        }
    }
}

/// What validating found in one part of a template.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct PartValidation {
    /// Whether the part parses and renders.
    pub content_is_valid: bool,
    /// What is wrong with it.
    pub validation_errors: Vec<ValidationError>,
    /// The part rendered with the model.
    pub rendered_content: Option<String>,
}

/// One problem in a part of a template.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct ValidationError {
    /// What is wrong.
    pub message: String,
    /// The line it is on, from 1.
    pub line: Option<u32>,
    /// Where on the line, from 1.
    pub character_position: Option<u32>,
}

/// The outcome of a validation: each part given, checked and rendered.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct TemplateValidation {
    /// Whether every part given is valid.
    pub all_content_is_valid: bool,
    /// The subject's result; `None` when no subject was given.
    pub subject: Option<PartValidation>,
    /// The HTML body's result; `None` when none was given.
    pub html_body: Option<PartValidation>,
    /// The plain-text body's result; `None` when none was given.
    pub text_body: Option<PartValidation>,
    /// A model with every placeholder the parts use, filled with sample
    /// values.
    pub suggested_template_model: serde_json::Map<String, serde_json::Value>,
}

/// `PUT /templates/push` (account token): copies the templates that have an
/// alias from one server to another. A dry run (`perform_changes: false`)
/// answers what would change without changing it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct PushTemplates {
    /// The server the templates are copied from.
    #[serde(rename = "SourceServerID")]
    pub source_server_id: i64,
    /// The server they are copied to.
    #[serde(rename = "DestinationServerID")]
    pub destination_server_id: i64,
    /// Whether to copy them (true), or only list what copying would do.
    pub perform_changes: bool,
}

impl Rules for PushTemplates {}

/// One template a push creates or replaces on the destination server.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct PushedTemplate {
    /// Created or replaced.
    pub action: Option<PushAction>,
    /// The template's ID on the destination; absent for a template a dry
    /// run would create.
    pub template_id: Option<i64>,
    /// Alias, the same on both servers.
    pub alias: Option<String>,
    /// Name.
    pub name: String,
    /// Standard or layout.
    pub template_type: Option<TemplateType>,
}

/// What a push did, or would do.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct TemplatePush {
    /// Templates created or replaced.
    pub total_count: u64,
    /// Each of them; templates already the same on both servers are left
    /// out.
    pub templates: Vec<PushedTemplate>,
}
