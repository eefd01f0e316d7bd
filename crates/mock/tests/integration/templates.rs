use postmark_kit_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{account_call, column, open_call, server_call};

fn create(mock: &MockServer, body: Value) -> Value {
    server_call(mock, "POST", "/templates", Some(&body)).expect_ok()
}

fn create_error(mock: &MockServer, body: Value, code: i64) -> String {
    server_call(mock, "POST", "/templates", Some(&body)).expect_error(422, code)
}

fn layout(alias: &str) -> Value {
    json!({"Name": alias, "Alias": alias, "TemplateType": "Layout",
           "HtmlBody": "<main>{{company}}: {{{@content}}}</main>",
           "TextBody": "{{company}}\n{{{@content}}}\n--"})
}

/// The last message the mock accepted.
fn last_sent(mock: &MockServer) -> Value {
    mock.sent_messages().pop().expect("a sent message")
}

#[test]
fn create_get_list_edit_and_delete() {
    let mock = MockServer::start().unwrap();
    let base = create(&mock, layout("base"));
    assert_eq!(
        (
            base["TemplateType"].as_str(),
            base["Alias"].as_str(),
            base["Active"].as_bool()
        ),
        (Some("Layout"), Some("base"), Some(true))
    );
    let invoice = create(
        &mock,
        json!({"Name": "Invoice", "Alias": "invoice", "Subject": "Invoice {{id}}",
               "HtmlBody": "<p>{{id}}</p>", "LayoutTemplate": "base"}),
    );
    let id = invoice["TemplateId"].as_i64().unwrap();
    assert!(id > 1000, "{invoice}");
    assert_eq!(invoice["LayoutTemplate"], "base");

    // By ID and by alias (any casing), with every field.
    let by_id = server_call(&mock, "GET", &format!("/templates/{id}"), None).expect_ok();
    let by_alias = server_call(&mock, "GET", "/templates/INVOICE", None).expect_ok();
    assert_eq!(by_id, by_alias);
    assert_eq!(by_id["Subject"], "Invoice {{id}}");
    assert_eq!(by_id["TextBody"], Value::Null);
    assert_eq!(by_id["AssociatedServerId"], 1);
    let layout_details = server_call(&mock, "GET", "/templates/base", None).expect_ok();
    assert_eq!(layout_details["Subject"], Value::Null);

    // The seeded template, the layout and the invoice, oldest first; keys in any case.
    let list =
        |query: &str| server_call(&mock, "GET", &format!("/templates?{query}"), None).expect_ok();
    let all = list("Count=10&Offset=0");
    assert_eq!(all["TotalCount"], 3);
    assert_eq!(
        column(&all, "Templates", "Alias"),
        ["welcome", "base", "invoice"]
    );
    assert_eq!(
        all["Templates"][2],
        json!({"Active": true, "TemplateId": id, "Name": "Invoice", "Alias": "invoice",
               "TemplateType": "Standard", "LayoutTemplate": "base"})
    );
    assert_eq!(
        column(&list("count=1&offset=1"), "Templates", "Alias"),
        ["base"]
    );
    assert_eq!(
        column(
            &list("count=10&offset=0&TemplateType=layout"),
            "Templates",
            "Alias"
        ),
        ["base"]
    );
    assert_eq!(
        column(
            &list("count=10&offset=0&templatetype=Standard"),
            "Templates",
            "Alias"
        ),
        ["welcome", "invoice"]
    );
    assert_eq!(list("count=10&offset=0&TemplateType=All")["TotalCount"], 3);
    assert_eq!(
        column(
            &list("count=10&offset=0&LayoutTemplate=base"),
            "Templates",
            "Alias"
        ),
        ["invoice"]
    );
    server_call(&mock, "GET", "/templates?offset=0", None).expect_error(422, 1100);
    server_call(&mock, "GET", "/templates?count=501&offset=0", None).expect_error(422, 1100);
    server_call(
        &mock,
        "GET",
        "/templates?count=5&offset=0&TemplateType=Other",
        None,
    )
    .expect_error(422, 1100);

    // A partial edit keeps what it does not name.
    let edited = server_call(
        &mock,
        "PUT",
        "/templates/invoice",
        Some(&json!({"Name": "Bill", "TextBody": "Bill {{id}}"})),
    )
    .expect_ok();
    assert_eq!(
        (edited["Name"].as_str(), edited["TemplateId"].as_i64()),
        (Some("Bill"), Some(id))
    );
    let details = server_call(&mock, "GET", "/templates/invoice", None).expect_ok();
    assert_eq!(
        (
            details["TextBody"].as_str(),
            details["HtmlBody"].as_str(),
            details["Subject"].as_str()
        ),
        (
            Some("Bill {{id}}"),
            Some("<p>{{id}}</p>"),
            Some("Invoice {{id}}")
        )
    );
    server_call(
        &mock,
        "PUT",
        "/templates/invoice",
        Some(&json!({"TemplateType": "Layout"})),
    )
    .expect_error(422, 1123);
    server_call(
        &mock,
        "PUT",
        "/templates/base",
        Some(&json!({"Subject": "x"})),
    )
    .expect_error(422, 1123);
    server_call(
        &mock,
        "PUT",
        "/templates/base",
        Some(&json!({"HtmlBody": "<p>no slot</p>"})),
    )
    .expect_error(422, 1131);
    server_call(
        &mock,
        "PUT",
        "/templates/missing",
        Some(&json!({"Name": "x"})),
    )
    .expect_error(422, 1101);

    // A layout in use cannot go; once the template lets go of it (`""`), it can.
    server_call(&mock, "DELETE", "/templates/base", None).expect_error(422, 1130);
    let cleared = server_call(
        &mock,
        "PUT",
        &format!("/templates/{id}"),
        Some(&json!({"LayoutTemplate": ""})),
    )
    .expect_ok();
    assert_eq!(cleared["LayoutTemplate"], Value::Null);
    let removed = server_call(&mock, "DELETE", "/templates/base", None).expect_ok();
    assert_eq!(
        removed,
        json!({"ErrorCode": 0, "Message": format!("Template {} removed.", base["TemplateId"])})
    );
    server_call(&mock, "DELETE", &format!("/templates/{id}"), None).expect_ok();
    server_call(&mock, "GET", &format!("/templates/{id}"), None).expect_error(422, 1101);
    assert_eq!(list("count=10&offset=0")["TotalCount"], 1);
}

#[test]
fn create_refuses_what_postmark_refuses() {
    let mock = MockServer::start().unwrap();
    create(&mock, layout("base"));
    let standard = |extra: Value| {
        let mut body = json!({"Name": "T", "Subject": "S", "HtmlBody": "<p>x</p>"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    create_error(&mock, json!({"Subject": "S", "HtmlBody": "x"}), 1120);
    create_error(&mock, json!({"Name": "T", "HtmlBody": "x"}), 1120);
    create_error(&mock, json!({"Name": "T", "Subject": "S"}), 1120);
    create_error(&mock, standard(json!({"TemplateType": "Partial"})), 1122);
    create_error(
        &mock,
        standard(json!({"Alias": "1starts-with-digit"})),
        1122,
    );
    create_error(&mock, standard(json!({"Alias": "has space"})), 1122);
    create_error(&mock, standard(json!({"Alias": "WELCOME"})), 1122);
    create_error(&mock, standard(json!({"LayoutTemplate": "nope"})), 1101);
    create_error(&mock, standard(json!({"LayoutTemplate": "welcome"})), 1101);
    let message = create_error(
        &mock,
        standard(json!({"HtmlBody": "<p>\n{{#open}}never closed</p>"})),
        1122,
    );
    assert!(message.contains("line"), "{message}");
    create_error(
        &mock,
        json!({"Name": "L", "TemplateType": "Layout", "Subject": "S", "HtmlBody": "{{{@content}}}"}),
        1123,
    );
    create_error(
        &mock,
        json!({"Name": "L", "TemplateType": "Layout", "HtmlBody": "{{{@content}}}", "LayoutTemplate": "base"}),
        1123,
    );
    create_error(
        &mock,
        json!({"Name": "L", "TemplateType": "Layout", "HtmlBody": "<p>no slot</p>"}),
        1131,
    );
    create_error(
        &mock,
        json!({"Name": "L", "TemplateType": "Layout", "HtmlBody": "{{{@content}}}", "TextBody": "none"}),
        1131,
    );
    server_call(&mock, "POST", "/templates", Some(&json!({"Name": 5}))).expect_error(422, 402);

    // Nothing above was saved; a server holds at most 100 templates.
    let count = |mock: &MockServer| {
        server_call(mock, "GET", "/templates?count=1&offset=0", None).expect_ok()["TotalCount"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(count(&mock), 2);
    for n in 2..100 {
        create(
            &mock,
            json!({"Name": format!("T{n}"), "Subject": "S", "TextBody": "x"}),
        );
    }
    assert_eq!(count(&mock), 100);
    create_error(&mock, standard(json!({})), 1105);
}

#[test]
fn template_sends_render_sections_each_dotted_paths_and_layouts() {
    let mock = MockServer::start().unwrap();
    create(&mock, layout("base"));
    create(
        &mock,
        json!({
            "Name": "Receipt", "Alias": "receipt", "LayoutTemplate": "base",
            "Subject": "Receipt for {{user.name}}",
            "HtmlBody": "<p>Hi {{user.name}}</p>{{#each items}}<li>{{this.title}} x{{qty}}</li>{{/each}}{{^items}}<p>Nothing</p>{{/items}}{{#vip}}<b>VIP {{user.name}}</b>{{/vip}}",
            "TextBody": "Hi {{user.name}}{{#items}} - {{title}}{{/items}}",
        }),
    );
    let send = |model: Value| {
        let body = json!({"From": "sender@example.com", "To": "ann@example.com",
                          "TemplateAlias": "receipt", "TemplateModel": model});
        server_call(&mock, "POST", "/email/withTemplate", Some(&body)).expect_ok();
        last_sent(&mock)
    };
    let sent = send(json!({
        "company": "Acme & Co",
        "user": {"name": "<Ann>"},
        "items": [{"title": "Pen", "qty": 2}, {"title": "Ink", "qty": 1}],
        "vip": true,
    }));
    assert_eq!(sent["Subject"], "Receipt for <Ann>");
    assert_eq!(
        sent["HtmlBody"],
        "<main>Acme &amp; Co: <p>Hi &lt;Ann&gt;</p><li>Pen x2</li><li>Ink x1</li><b>VIP &lt;Ann&gt;</b></main>"
    );
    assert_eq!(sent["TextBody"], "Acme & Co\nHi <Ann> - Pen - Ink\n--");

    let sent = send(json!({"company": "Acme", "user": {"name": "Bo"}, "items": [], "vip": false}));
    assert_eq!(
        sent["HtmlBody"],
        "<main>Acme: <p>Hi Bo</p><p>Nothing</p></main>"
    );

    // The batch renders each message with its own model.
    let batch = json!({"Messages": [
        {"From": "sender@example.com", "To": "a@example.com", "TemplateAlias": "receipt",
         "TemplateModel": {"user": {"name": "A"}}},
        {"From": "sender@example.com", "To": "b@example.com", "TemplateAlias": "base",
         "TemplateModel": {}},
    ]});
    let results = server_call(&mock, "POST", "/email/batchWithTemplates", Some(&batch)).expect_ok();
    assert_eq!(
        (
            results[0]["ErrorCode"].as_i64(),
            results[1]["ErrorCode"].as_i64()
        ),
        (Some(0), Some(1101))
    );
    assert_eq!(last_sent(&mock)["Subject"], "Receipt for A");
    // A layout cannot be sent by itself.
    let body = json!({"From": "sender@example.com", "To": "a@example.com", "TemplateAlias": "base", "TemplateModel": {}});
    server_call(&mock, "POST", "/email/withTemplate", Some(&body)).expect_error(422, 1101);
}

#[test]
fn validate_checks_and_renders_without_saving() {
    let mock = MockServer::start().unwrap();
    create(&mock, layout("base"));
    let validate =
        |body: Value| server_call(&mock, "POST", "/templates/validate", Some(&body)).expect_ok();

    let result = validate(json!({
        "Subject": "Hi {{user.name}}",
        "HtmlBody": "{{#each items}}<i>{{title}}</i>{{/each}}",
    }));
    assert_eq!(result["AllContentIsValid"], true);
    assert_eq!(result["TextBody"], Value::Null, "not submitted");
    assert_eq!(
        result["SuggestedTemplateModel"],
        json!({"user": {"name": "name_Value"}, "items": [{"title": "title_Value"}]})
    );
    assert_eq!(
        result["Subject"],
        json!({"ContentIsValid": true, "ValidationErrors": [], "RenderedContent": "Hi name_Value"})
    );
    assert_eq!(result["HtmlBody"]["RenderedContent"], "<i>title_Value</i>");

    let result = validate(json!({
        "TextBody": "{{name}}",
        "HtmlBody": "<p>{{name}}</p>\n{{#broken}}",
        "TestRenderModel": {"name": "Ann", "company": "Acme"},
        "LayoutTemplate": "base",
    }));
    assert_eq!(result["AllContentIsValid"], false);
    assert_eq!(result["Subject"], Value::Null);
    assert_eq!(result["TextBody"]["RenderedContent"], "Acme\nAnn\n--");
    let html = &result["HtmlBody"];
    assert_eq!(html["ContentIsValid"], false);
    assert_eq!(html["ValidationErrors"][0]["Line"], 2, "{html}");
    assert!(html.get("RenderedContent").is_none());

    let result = validate(json!({"TemplateType": "Layout", "HtmlBody": "<p>no slot</p>"}));
    assert_eq!(result["HtmlBody"]["ContentIsValid"], false);
    server_call(
        &mock,
        "POST",
        "/templates/validate",
        Some(&json!({"TestRenderModel": {}})),
    )
    .expect_error(422, 1109);
    server_call(
        &mock,
        "POST",
        "/templates/validate",
        Some(&json!({"TextBody": "x", "LayoutTemplate": "nope"})),
    )
    .expect_error(422, 1101);
    let count = server_call(&mock, "GET", "/templates?count=1&offset=0", None).expect_ok();
    assert_eq!(count["TotalCount"], 2, "validation saves nothing");
}

#[test]
fn push_copies_aliased_templates_between_servers() {
    let mock = MockServer::start().unwrap();
    create(&mock, layout("base"));
    create(
        &mock,
        json!({"Name": "Note", "Alias": "note", "Subject": "S", "TextBody": "x", "LayoutTemplate": "base"}),
    );
    create(
        &mock,
        json!({"Name": "No alias", "Subject": "S", "TextBody": "x"}),
    );
    let other =
        account_call(&mock, "POST", "/servers", Some(&json!({"Name": "Other"}))).expect_ok();
    let other_id = other["ID"].as_i64().unwrap();
    let other_token = other["ApiTokens"][0].as_str().unwrap().to_owned();
    let push = |perform: bool| {
        let body = json!({"SourceServerID": 1, "DestinationServerID": other_id, "PerformChanges": perform});
        account_call(&mock, "PUT", "/templates/push", Some(&body))
    };
    let templates_of_other = || {
        let reply = crate::support::Conn::open(&mock).request(
            "GET",
            "/templates?count=50&offset=0",
            &[(crate::support::SERVER, &other_token)],
            None,
        );
        reply.expect_ok()
    };

    // The seeded `welcome` is the same on both servers: only the layout and the note move.
    let dry = push(false).expect_ok();
    assert_eq!(dry["TotalCount"], 2);
    assert_eq!(
        dry["Templates"][0],
        json!({"Action": "Create", "Alias": "base", "Name": "base", "TemplateType": "Layout"})
    );
    assert_eq!(
        templates_of_other()["TotalCount"],
        1,
        "a dry run changes nothing"
    );

    let done = push(true).expect_ok();
    assert_eq!(column(&done, "Templates", "Action"), ["Create", "Create"]);
    assert!(done["Templates"][1]["TemplateId"].is_i64());
    assert_eq!(
        column(&templates_of_other(), "Templates", "Alias"),
        ["welcome", "base", "note"]
    );
    assert_eq!(
        push(true).expect_ok(),
        json!({"TotalCount": 0, "Templates": []})
    );

    server_call(
        &mock,
        "PUT",
        "/templates/note",
        Some(&json!({"TextBody": "changed"})),
    )
    .expect_ok();
    let edit = push(true).expect_ok();
    assert_eq!(
        (
            edit["TotalCount"].as_i64(),
            edit["Templates"][0]["Action"].as_str()
        ),
        (Some(1), Some("Edit"))
    );

    // Errors: an unknown server, a type clash, the server token.
    let body = json!({"SourceServerID": 1, "DestinationServerID": 999, "PerformChanges": true});
    account_call(&mock, "PUT", "/templates/push", Some(&body)).expect_error(422, 601);
    server_call(&mock, "PUT", "/templates/push", Some(&body)).expect_error(401, 10);
    server_call(&mock, "DELETE", "/templates/note", None).expect_ok();
    server_call(&mock, "POST", "/templates", Some(&layout("note"))).expect_ok();
    push(false).expect_error(422, 1125);
    let bare = account_call(&mock, "POST", "/servers", Some(&json!({"Name": "Bare"}))).expect_ok();
    let bare_token = bare["ApiTokens"][0].as_str().unwrap();
    let reply = crate::support::Conn::open(&mock).request(
        "DELETE",
        "/templates/welcome",
        &[(crate::support::SERVER, bare_token)],
        None,
    );
    reply.expect_ok();
    let body =
        json!({"SourceServerID": bare["ID"], "DestinationServerID": 1, "PerformChanges": true});
    account_call(&mock, "PUT", "/templates/push", Some(&body)).expect_error(422, 1124);
    // The control route still seeds templates, and refuses ones that do not parse.
    open_call(
        &mock,
        "POST",
        "/__mock/templates",
        Some(&json!({"Alias": "bad", "HtmlBody": "{{#x}}"})),
    )
    .expect_error(400, 400);
}
