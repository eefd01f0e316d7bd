//! The exact request every operation builds: method, URL, headers and body.

use postmark_kit::api::common::{Attachment, Header, TrackLinks};
use postmark_kit::api::email::*;
use postmark_kit::api::servers::*;
use postmark_kit::api::webhooks::*;
use postmark_kit::ops::operations;
use postmark_kit::{Account, Config, Endpoint, Server, Token, TokenKind, build};
use serde_json::{Value, json};

const BASE: &str = "http://127.0.0.1:9";

fn config<K: TokenKind>() -> Config<K> {
    Config::new(Token::new("golden-token").unwrap())
        .with_base_url(BASE)
        .unwrap()
}

/// Builds `endpoint` and checks every part of the request.
fn golden<E: Endpoint>(endpoint: &E, method: &str, path_and_query: &str, body: Option<Value>) {
    let request = build(&config::<E::Token>(), endpoint).unwrap();
    assert_eq!(request.method().as_str(), method, "{}", E::OPERATION);
    assert_eq!(request.uri().to_string(), format!("{BASE}{path_and_query}"));
    let headers = request.headers();
    assert_eq!(headers["accept"], "application/json");
    assert_eq!(headers[<E::Token as TokenKind>::HEADER], "golden-token");
    assert!(
        headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("postmark-kit/")
    );
    let other = if <E::Token as TokenKind>::NAME == "server" {
        Account::HEADER
    } else {
        Server::HEADER
    };
    assert!(!headers.contains_key(other), "only one token is sent");
    match body {
        Some(expected) => {
            assert_eq!(headers["content-type"], "application/json");
            let sent: Value = serde_json::from_slice(request.body()).unwrap();
            assert_eq!(sent, expected, "{}", E::OPERATION);
        }
        None => {
            assert!(!headers.contains_key("content-type"));
            assert!(request.body().is_empty());
        }
    }
}

fn message(to: &str) -> SendEmail {
    SendEmail::new("sender@example.com", to, "Hi").text_body("Hello")
}

#[test]
fn send_email() {
    let mut email = SendEmail::new("Sender <sender@example.com>", "a@example.com", "Hello")
        .html_body("<b>Hi</b>")
        .text_body("Hi");
    email.envelope.cc = Some("c@example.com".into());
    email.envelope.tag = Some("welcome".into());
    email.envelope.metadata = Some([("user".to_owned(), "42".to_owned())].into());
    email.envelope.headers = Some(vec![Header::new("X-Trace", "1")]);
    email.envelope.track_opens = Some(true);
    email.envelope.track_links = Some(TrackLinks::HtmlOnly);
    email.envelope.attachments = Some(vec![Attachment::from_bytes("a.txt", "text/plain", b"hi")]);
    email.envelope.message_stream = Some("outbound".into());
    golden(
        &email,
        "POST",
        "/email",
        Some(json!({
            "From": "Sender <sender@example.com>", "To": "a@example.com", "Cc": "c@example.com",
            "Subject": "Hello", "HtmlBody": "<b>Hi</b>", "TextBody": "Hi", "Tag": "welcome",
            "Metadata": {"user": "42"}, "Headers": [{"Name": "X-Trace", "Value": "1"}],
            "TrackOpens": true, "TrackLinks": "HtmlOnly",
            "Attachments": [{"Name": "a.txt", "Content": "aGk=", "ContentType": "text/plain"}],
            "MessageStream": "outbound"
        })),
    );
}

#[test]
fn send_email_batch_is_a_bare_array() {
    golden(
        &SendEmailBatch(vec![message("a@example.com"), message("b@example.com")]),
        "POST",
        "/email/batch",
        Some(json!([
            {"From": "sender@example.com", "To": "a@example.com", "Subject": "Hi", "TextBody": "Hello"},
            {"From": "sender@example.com", "To": "b@example.com", "Subject": "Hi", "TextBody": "Hello"}
        ])),
    );
}

fn template_send(to: &str) -> SendEmailWithTemplate {
    SendEmailWithTemplate {
        envelope: Envelope {
            from: "sender@example.com".into(),
            to: Some(to.into()),
            ..Default::default()
        },
        template_alias: Some("welcome".into()),
        template_model: json!({"name": "Ada"}).as_object().unwrap().clone(),
        ..Default::default()
    }
}

#[test]
fn send_email_with_template() {
    let mut send = template_send("a@example.com");
    send.template_alias = None;
    send.template_id = Some(1000);
    send.inline_css = Some(false);
    golden(
        &send,
        "POST",
        "/email/withTemplate",
        Some(json!({
            "From": "sender@example.com", "To": "a@example.com", "TemplateId": 1000,
            "TemplateModel": {"name": "Ada"}, "InlineCss": false
        })),
    );
}

#[test]
fn send_email_batch_with_templates_wraps_messages() {
    golden(
        &SendEmailBatchWithTemplates {
            messages: vec![template_send("a@example.com")],
        },
        "POST",
        "/email/batchWithTemplates",
        Some(json!({"Messages": [{
            "From": "sender@example.com", "To": "a@example.com",
            "TemplateAlias": "welcome", "TemplateModel": {"name": "Ada"}
        }]})),
    );
}

#[test]
fn current_server() {
    golden(&GetCurrentServer {}, "GET", "/server", None);
    golden(
        &EditCurrentServer {
            name: Some("Main".into()),
            settings: ServerSettings {
                color: Some(Color::Red),
                track_links: Some(TrackLinks::HtmlAndText),
                inbound_spam_threshold: Some(5),
                ..Default::default()
            },
        },
        "PUT",
        "/server",
        Some(
            json!({"Name": "Main", "Color": "Red", "TrackLinks": "HtmlAndText", "InboundSpamThreshold": 5}),
        ),
    );
}

#[test]
fn servers() {
    golden(
        &ListServers {
            count: 50,
            offset: 100,
            name: Some("prod & co".into()),
        },
        "GET",
        "/servers?count=50&offset=100&name=prod+%26+co",
        None,
    );
    golden(&GetServer { id: 7 }, "GET", "/servers/7", None);
    golden(
        &CreateServer {
            name: "Staging".into(),
            delivery_type: Some(DeliveryType::Sandbox),
            settings: ServerSettings {
                smtp_api_activated: Some(false),
                bounce_hook_url: Some(String::new()),
                ..Default::default()
            },
        },
        "POST",
        "/servers",
        Some(
            json!({"Name": "Staging", "DeliveryType": "Sandbox", "SmtpApiActivated": false, "BounceHookUrl": ""}),
        ),
    );
    golden(
        &EditServer {
            id: 7,
            changes: EditCurrentServer {
                settings: ServerSettings {
                    track_opens: Some(true),
                    ..Default::default()
                },
                ..Default::default()
            },
        },
        "PUT",
        "/servers/7",
        Some(json!({"TrackOpens": true})),
    );
    golden(&DeleteServer { id: 7 }, "DELETE", "/servers/7", None);
}

#[test]
fn webhooks() {
    golden(&ListWebhooks::default(), "GET", "/webhooks", None);
    golden(
        &ListWebhooks {
            message_stream: Some("broadcast".into()),
        },
        "GET",
        "/webhooks?MessageStream=broadcast",
        None,
    );
    golden(&GetWebhook { id: 3 }, "GET", "/webhooks/3", None);
    golden(
        &CreateWebhook {
            url: "https://hooks.example.com/pm".into(),
            message_stream: Some("outbound".into()),
            settings: WebhookSettings {
                http_auth: Some(HttpAuth {
                    username: "u".into(),
                    password: "p".into(),
                }),
                http_headers: Some(vec![Header::new("X-Secret", "s")]),
                triggers: Some(Triggers {
                    bounce: Some(ContentTrigger {
                        enabled: true,
                        include_content: true,
                    }),
                    ..Default::default()
                }),
                verify: Some(false),
            },
        },
        "POST",
        "/webhooks",
        Some(json!({
            "Url": "https://hooks.example.com/pm", "MessageStream": "outbound",
            "HttpAuth": {"Username": "u", "Password": "p"},
            "HttpHeaders": [{"Name": "X-Secret", "Value": "s"}],
            "Triggers": {"Bounce": {"Enabled": true, "IncludeContent": true}},
            "Verify": false
        })),
    );
    golden(
        &EditWebhook {
            id: 3,
            url: None,
            settings: WebhookSettings {
                triggers: Some(Triggers {
                    open: Some(OpenTrigger {
                        enabled: true,
                        post_first_open_only: true,
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            },
        },
        "PUT",
        "/webhooks/3",
        Some(json!({"Triggers": {"Open": {"Enabled": true, "PostFirstOpenOnly": true}}})),
    );
    golden(&DeleteWebhook { id: 3 }, "DELETE", "/webhooks/3", None);
    golden(&VerifyWebhook { id: 3 }, "POST", "/webhooks/3/verify", None);
    golden(
        &GetWebhookStatistics { id: 3 },
        "GET",
        "/webhooks/3/statistics",
        None,
    );
}

#[test]
fn raw_request() {
    let raw = postmark_kit::api::raw::Raw::<Server>::new(http::Method::POST, "/templates/validate")
        .query("a", 1)
        .query("b", json!(["x", "y z"]))
        .body(json!({"Subject": "{{x}}"}));
    golden(
        &raw,
        "POST",
        "/templates/validate?a=1&b=x&b=y+z",
        Some(json!({"Subject": "{{x}}"})),
    );
}

/// The table's method and path agree with what each endpoint builds, and
/// every operation builds from the dynamic interface.
#[test]
fn table_matches_endpoints() {
    let samples = json!({
        "send_email": {"From": "a@x.com", "To": "b@x.com", "TextBody": "t"},
        "send_email_batch": [{"From": "a@x.com", "To": "b@x.com", "TextBody": "t"}],
        "send_email_with_template": {"From": "a@x.com", "To": "b@x.com", "TemplateId": 1, "TemplateModel": {}},
        "send_email_batch_with_templates": {"Messages": [{"From": "a@x.com", "To": "b@x.com", "TemplateAlias": "w", "TemplateModel": {}}]},
        "create_server": {"Name": "n"},
        "create_webhook": {"Url": "https://x.example"},
    });
    let mut count = 0;
    for op in operations() {
        let params = samples.get(op.name).cloned().unwrap_or(json!({"id": 0}));
        let params = match (params, op.path.contains("{id}")) {
            (Value::Object(map), false) if map.contains_key("id") => json!({}),
            (params, _) => params,
        };
        let params = params.to_string();
        let request = if op.token == "server" {
            op.build(&config::<Server>(), &params)
        } else {
            op.build(&config::<Account>(), &params)
        }
        .unwrap_or_else(|e| panic!("{}: {e}", op.name))
        .request;
        assert_eq!(request.method().as_str(), op.method, "{}", op.name);
        assert_eq!(
            request.uri().path(),
            op.path.replace("{id}", "0"),
            "{}",
            op.name
        );
        count += 1;
    }
    assert_eq!(count, 18);
}
