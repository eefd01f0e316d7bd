//! The Templates operations of the ureq client over real HTTP against the mock server.

use postmark_kit::api::servers::CreateServer;
use postmark_kit::api::templates::*;
use postmark_kit::{BuildError, ErrorCode};
use postmark_kit_mock::{MockServer, TokenKind};
use postmark_kit_ureq::ClientError;
use serde_json::json;

use crate::support::{account_client, seen, server_client};

mod support;

fn layout() -> CreateTemplate {
    CreateTemplate {
        name: "Base".into(),
        alias: Some("base".into()),
        template_type: Some(TemplateType::Layout),
        html_body: Some("<main>{{{@content}}}</main>".into()),
        ..Default::default()
    }
}

fn receipt() -> CreateTemplate {
    CreateTemplate {
        name: "Receipt".into(),
        alias: Some("receipt".into()),
        subject: Some("Receipt {{number}}".into()),
        html_body: Some("<p>Paid: {{amount}}</p>".into()),
        layout_template: Some("base".into()),
        ..Default::default()
    }
}

#[test]
fn templates_and_layouts_stored_listed_changed_and_deleted() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);

    let base = client.create_template(&layout()).unwrap();
    assert_eq!(base.template_id, 1001);
    assert_eq!(base.template_type, Some(TemplateType::Layout));
    assert_eq!(base.alias.as_deref(), Some("base"));
    let created = client.create_template(&receipt()).unwrap();
    assert_eq!(
        (created.template_id, created.layout_template.as_deref()),
        (1002, Some("base"))
    );

    let by_alias = client
        .get_template(&GetTemplate {
            id_or_alias: "RECEIPT".into(),
        })
        .unwrap();
    assert_eq!(by_alias.template_id, 1002);
    assert_eq!(by_alias.subject.as_deref(), Some("Receipt {{number}}"));
    assert_eq!(
        by_alias.html_body.as_deref(),
        Some("<p>Paid: {{amount}}</p>")
    );
    assert_eq!(by_alias.text_body, None);
    assert_eq!(by_alias.associated_server_id, Some(1));
    assert!(by_alias.active);
    let by_id = client
        .get_template(&GetTemplate {
            id_or_alias: "1002".into(),
        })
        .unwrap();
    assert_eq!(by_id, by_alias);

    let layouts = client
        .list_templates(&ListTemplates {
            template_type: Some(TemplateType::Layout),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(layouts.total_count, 1);
    assert_eq!(layouts.templates, [base]);
    let using_base = client
        .list_templates(&ListTemplates {
            layout_template: Some("base".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(using_base.templates, [created]);
    // Oldest first, two at a time: the seeded template, the layout, the receipt.
    let walked: Vec<i64> = client
        .paginate(ListTemplates {
            count: 2,
            ..Default::default()
        })
        .unwrap()
        .map(|t| t.unwrap().template_id)
        .collect();
    assert_eq!(walked, [1000, 1001, 1002]);

    let edited = client
        .edit_template(&EditTemplate {
            id_or_alias: "1002".into(),
            name: Some("Payment receipt".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(edited.name, "Payment receipt");
    assert_eq!(edited.layout_template.as_deref(), Some("base"));

    let err = client
        .delete_template(&DeleteTemplate {
            id_or_alias: "base".into(),
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::LAYOUT_IN_USE));
    // An empty LayoutTemplate takes the receipt out of the layout, which can then go.
    let freed = client
        .edit_template(&EditTemplate {
            id_or_alias: "receipt".into(),
            layout_template: Some(String::new()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(freed.layout_template, None);
    let deleted = client
        .delete_template(&DeleteTemplate {
            id_or_alias: "base".into(),
        })
        .unwrap();
    assert_eq!(deleted.message, "Template 1001 removed.");
    let err = client
        .get_template(&GetTemplate {
            id_or_alias: "base".into(),
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::TEMPLATE_NOT_FOUND));

    assert_eq!(
        seen(&mock),
        [
            "POST /templates",
            "POST /templates",
            "GET /templates/RECEIPT",
            "GET /templates/1002",
            "GET /templates?count=500&offset=0&TemplateType=Layout",
            "GET /templates?count=500&offset=0&LayoutTemplate=base",
            "GET /templates?count=2&offset=0",
            "GET /templates?count=2&offset=2",
            "PUT /templates/1002",
            "DELETE /templates/base",
            "PUT /templates/receipt",
            "DELETE /templates/base",
            "GET /templates/base",
        ]
    );
    assert!(mock.requests().iter().all(|r| r.token == TokenKind::Server));
}

#[test]
fn validation_renders_without_saving() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    client.create_template(&layout()).unwrap();

    let valid = client
        .validate_template(&ValidateTemplate {
            subject: Some("Hi {{name}}".into()),
            html_body: Some("<p>{{name}}</p>".into()),
            test_render_model: json!({"name": "Ada"}).as_object().cloned(),
            layout_template: Some("base".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(valid.all_content_is_valid);
    let subject = valid.subject.unwrap();
    assert!(subject.content_is_valid);
    assert_eq!(subject.rendered_content.as_deref(), Some("Hi Ada"));
    assert_eq!(
        valid.html_body.unwrap().rendered_content.as_deref(),
        Some("<main><p>Ada</p></main>")
    );
    assert_eq!(valid.text_body, None);
    assert_eq!(
        valid.suggested_template_model,
        *json!({"name": "name_Value"}).as_object().unwrap()
    );

    let broken = client
        .validate_template(&ValidateTemplate {
            text_body: Some("{{#each items}}{{title}}".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(!broken.all_content_is_valid);
    let text = broken.text_body.unwrap();
    assert!(!text.content_is_valid);
    assert_eq!(text.validation_errors.len(), 1);
    assert_eq!(text.validation_errors[0].line, Some(1));

    // Nothing was saved: the seeded template and the layout only.
    let list = client.list_templates(&ListTemplates::default()).unwrap();
    assert_eq!(list.total_count, 2);
    assert_eq!(
        seen(&mock),
        [
            "POST /templates",
            "POST /templates/validate",
            "POST /templates/validate",
            "GET /templates?count=500&offset=0",
        ]
    );
}

#[test]
fn push_copies_templates_between_servers() {
    let mock = MockServer::start().unwrap();
    let account = account_client(&mock);
    mock.add_template("receipt", "Receipt {{number}}", "<p>{{amount}}</p>");
    let destination = account
        .create_server(&CreateServer {
            name: "Staging".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let push = |perform_changes| PushTemplates {
        source_server_id: 1,
        destination_server_id: destination,
        perform_changes,
    };

    // Every server starts with the same welcome template: only the receipt differs.
    let dry_run = account.push_templates(&push(false)).unwrap();
    assert_eq!(dry_run.total_count, 1);
    let planned = &dry_run.templates[0];
    assert_eq!(planned.action, Some(PushAction::Create));
    assert_eq!(planned.alias.as_deref(), Some("receipt"));
    assert_eq!(planned.template_type, Some(TemplateType::Standard));
    assert_eq!(planned.template_id, None);

    let pushed = account.push_templates(&push(true)).unwrap();
    assert_eq!(pushed.total_count, 1);
    assert_eq!(pushed.templates[0].action, Some(PushAction::Create));
    assert!(pushed.templates[0].template_id.is_some());
    let again = account.push_templates(&push(true)).unwrap();
    assert_eq!(again.total_count, 0);
    assert!(again.templates.is_empty());

    let err = account
        .push_templates(&PushTemplates {
            destination_server_id: 999,
            ..push(true)
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::SERVER_NOT_FOUND));

    let requests = mock.requests();
    let pushes: Vec<_> = requests
        .iter()
        .filter(|r| r.path == "/templates/push")
        .collect();
    assert_eq!(pushes.len(), 4);
    assert!(
        pushes
            .iter()
            .all(|r| r.method == "PUT" && r.token == TokenKind::Account)
    );
}

#[test]
fn refused_before_sending() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let titled_layout = CreateTemplate {
        subject: Some("Hi".into()),
        ..layout()
    };
    let err = client.create_template(&titled_layout).unwrap_err();
    assert!(
        matches!(&err, ClientError::Build(BuildError::InvalidValue { field, .. }) if field == "Subject"),
        "{err:?}"
    );
    let err = client
        .validate_template(&ValidateTemplate::default())
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Build(BuildError::MissingField { .. })),
        "{err:?}"
    );
    assert!(mock.requests().is_empty());
}
