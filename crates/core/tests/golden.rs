//! The exact request every operation builds: method, URL, headers and body.

use postmark_kit::api::bounces::*;
use postmark_kit::api::bulk::*;
use postmark_kit::api::common::{Attachment, Header, TrackLinks};
use postmark_kit::api::data_removals::*;
use postmark_kit::api::domains::*;
use postmark_kit::api::email::*;
use postmark_kit::api::inbound_rules::*;
use postmark_kit::api::messages::*;
use postmark_kit::api::senders::*;
use postmark_kit::api::servers::*;
use postmark_kit::api::stats::*;
use postmark_kit::api::streams::*;
use postmark_kit::api::suppressions::*;
use postmark_kit::api::templates::*;
use postmark_kit::api::webhooks::*;
use postmark_kit::ops::operations;
use postmark_kit::webhook::{BounceType, Platform};
use postmark_kit::{Account, Config, Endpoint, Server, Token, TokenKind, build};
use serde_json::{Value, json};

const BASE: &str = "http://127.0.0.1:9";

fn config<K: TokenKind>() -> Config<K> {
    Config::new(Token::new("golden-token").unwrap())
        .with_base_url(BASE)
        .unwrap()
}

/// Builds `endpoint` and checks every part of the request. A typed
/// endpoint's query lists its parameters in the order the struct declares
/// them.
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
    email.cc = Some("c@example.com".into());
    email.tag = Some("welcome".into());
    email.metadata = Some([("user".to_owned(), "42".to_owned())].into());
    email.headers = Some(vec![Header::new("X-Trace", "1")]);
    email.track_opens = Some(true);
    email.track_links = Some(TrackLinks::HtmlOnly);
    email.attachments = Some(vec![Attachment::from_bytes("a.txt", "text/plain", b"hi")]);
    email.message_stream = Some("outbound".into());
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
        from: "sender@example.com".into(),
        to: Some(to.into()),

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
            color: Some(Color::Red),
            track_links: Some(TrackLinks::HtmlAndText),
            inbound_spam_threshold: Some(5),

            ..Default::default()
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
            smtp_api_activated: Some(false),
            bounce_hook_url: Some(String::new()),

            ..Default::default()
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
            track_opens: Some(true),

            ..Default::default()
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
            triggers: Some(Triggers {
                open: Some(OpenTrigger {
                    enabled: true,
                    post_first_open_only: true,
                }),
                ..Default::default()
            }),

            ..Default::default()
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
fn bounces() {
    golden(&GetDeliveryStats {}, "GET", "/deliverystats", None);
    golden(
        &ListBounces::default(),
        "GET",
        "/bounces?count=500&offset=0",
        None,
    );
    golden(
        &ListBounces {
            count: 50,
            offset: 100,
            bounce_type: Some(BounceType::HardBounce),
            inactive: Some(false),
            email_filter: Some("@example.com".into()),
            tag: Some("welcome mail".into()),
            message_id: Some("0a129aee-e1cd-480d-b08d-4f48548ff48d".into()),
            from_date: Some("2026-01-01".into()),
            to_date: Some("2026-01-31T23:59:59".into()),

            message_stream: Some("outbound".into()),
        },
        "GET",
        "/bounces?count=50&offset=100&type=HardBounce&inactive=false&emailFilter=%40example.com\
         &tag=welcome+mail&messageID=0a129aee-e1cd-480d-b08d-4f48548ff48d\
         &messagestream=outbound&fromdate=2026-01-01&todate=2026-01-31T23%3A59%3A59",
        None,
    );
    // Bounce IDs go past 2^53, where a double would round them.
    let id = 4_323_372_036_854_775_807;
    golden(
        &GetBounce { id },
        "GET",
        "/bounces/4323372036854775807",
        None,
    );
    golden(
        &GetBounceDump { id },
        "GET",
        "/bounces/4323372036854775807/dump",
        None,
    );
    golden(
        &ActivateBounce { id },
        "PUT",
        "/bounces/4323372036854775807/activate",
        None,
    );
}

#[test]
fn message_searches() {
    golden(
        &SearchOutboundMessages {
            count: 100,
            offset: 200,
            recipient: Some("jane+x@example.com".into()),
            from_email: Some("billing@example.com".into()),
            tag: Some("invoice".into()),
            subject: Some("Your invoice".into()),

            status: Some(OutboundStatus::Sent),
            from_date: Some("2026-01-01".into()),
            to_date: None,

            message_stream: Some("broadcast".into()),
            metadata: Some(MetadataFilter {
                key: "customer-id".into(),
                value: "cus 42".into(),
            }),
        },
        "GET",
        "/messages/outbound?count=100&offset=200&status=sent&messagestream=broadcast\
         &metadata_customer-id=cus+42&recipient=jane%2Bx%40example.com\
         &fromemail=billing%40example.com&tag=invoice&subject=Your+invoice&fromdate=2026-01-01",
        None,
    );
    golden(
        &SearchInboundMessages {
            count: 10,
            recipient: Some("inbound@example.com".into()),

            mailbox_hash: Some("ticket-7".into()),
            status: Some(InboundStatus::Blocked),
            from_date: None,
            to_date: Some("2026-02-01".into()),

            ..Default::default()
        },
        "GET",
        "/messages/inbound?count=10&offset=0&mailboxhash=ticket-7&status=blocked\
         &recipient=inbound%40example.com&todate=2026-02-01",
        None,
    );
    let opens = SearchMessageOpens {
        count: 25,
        offset: 50,
        recipient: Some("jane@example.com".into()),
        tag: Some("digest".into()),
        client_name: Some("Chrome 35.0".into()),
        client_company: Some("Google".into()),
        client_family: Some("Chrome".into()),
        os_name: Some("OS X 10.9".into()),
        os_family: Some("OS X".into()),
        os_company: Some("Apple".into()),
        platform: Some(Platform::WebMail),
        country: Some("Serbia".into()),
        region: Some("Vojvodina".into()),
        city: Some("Novi Sad".into()),
        message_stream: Some("outbound".into()),
    };
    // The same filters, read from the open search's wire form.
    let clicks: SearchMessageClicks =
        serde_json::from_value(serde_json::to_value(&opens).unwrap()).unwrap();
    let query = "count=25&offset=50&recipient=jane%40example.com&tag=digest\
                 &client_name=Chrome+35.0&client_company=Google&client_family=Chrome\
                 &os_name=OS+X+10.9&os_family=OS+X&os_company=Apple&platform=WebMail\
                 &country=Serbia&region=Vojvodina&city=Novi+Sad&messagestream=outbound";
    golden(
        &opens,
        "GET",
        &format!("/messages/outbound/opens?{query}"),
        None,
    );
    golden(
        &clicks,
        "GET",
        &format!("/messages/outbound/clicks?{query}"),
        None,
    );
}

#[test]
fn one_message() {
    let id = "0a129aee-e1cd-480d-b08d-4f48548ff48d";
    let at = |tail: &str| format!("/messages/{tail}");
    golden(
        &GetOutboundMessageDetails { id: id.into() },
        "GET",
        &at(&format!("outbound/{id}/details")),
        None,
    );
    golden(
        &GetOutboundMessageDump { id: id.into() },
        "GET",
        &at(&format!("outbound/{id}/dump")),
        None,
    );
    golden(
        &GetInboundMessageDetails { id: id.into() },
        "GET",
        &at(&format!("inbound/{id}/details")),
        None,
    );
    golden(
        &BypassInboundMessage { id: id.into() },
        "PUT",
        &at(&format!("inbound/{id}/bypass")),
        None,
    );
    golden(
        &RetryInboundMessage { id: id.into() },
        "PUT",
        &at(&format!("inbound/{id}/retry")),
        None,
    );
    golden(
        &GetMessageOpens {
            id: id.into(),
            count: 1,
            offset: 0,
        },
        "GET",
        &at(&format!("outbound/opens/{id}?count=1&offset=0")),
        None,
    );
    golden(
        &GetMessageClicks {
            id: id.into(),
            ..Default::default()
        },
        "GET",
        &at(&format!("outbound/clicks/{id}?count=500&offset=0")),
        None,
    );
    // An ID cannot change the path.
    golden(
        &GetOutboundMessageDetails {
            id: "a/../b?c".into(),
        },
        "GET",
        "/messages/outbound/a%2F..%2Fb%3Fc/details",
        None,
    );
}

/// Every stats report takes the same filters, sent in the order the
/// request declares them; without filters nothing is sent.
#[test]
fn stats_reports() {
    fn report<E: Endpoint + Default + serde::de::DeserializeOwned>(path: &str) {
        golden(&E::default(), "GET", path, None);
        let filtered: E = serde_json::from_value(json!({
            "tag": "welcome mail", "messagestream": "outbound",
            "fromdate": "2026-01-01", "todate": "2026-01-31T23:59:59"
        }))
        .unwrap();
        golden(
            &filtered,
            "GET",
            &format!(
                "{path}?tag=welcome+mail&messagestream=outbound&fromdate=2026-01-01\
                 &todate=2026-01-31T23%3A59%3A59"
            ),
            None,
        );
    }
    report::<GetOutboundOverview>("/stats/outbound");
    report::<GetSentCounts>("/stats/outbound/sends");
    report::<GetBounceCounts>("/stats/outbound/bounces");
    report::<GetSpamComplaintCounts>("/stats/outbound/spam");
    report::<GetTrackedEmailCounts>("/stats/outbound/tracked");
    report::<GetEmailOpenCounts>("/stats/outbound/opens");
    report::<GetEmailPlatformUsage>("/stats/outbound/opens/platforms");
    report::<GetEmailClientUsage>("/stats/outbound/opens/emailclients");
    report::<GetEmailReadTimes>("/stats/outbound/opens/readtimes");
    report::<GetClickCounts>("/stats/outbound/clicks");
    report::<GetBrowserUsage>("/stats/outbound/clicks/browserfamilies");
    report::<GetBrowserPlatformUsage>("/stats/outbound/clicks/platforms");
    report::<GetClickLocation>("/stats/outbound/clicks/location");
    golden(
        &GetSentCounts {
            tag: None,
            message_stream: Some("broadcast".into()),
            from_date: None,
            to_date: Some("2026-02-01".into()),
        },
        "GET",
        "/stats/outbound/sends?messagestream=broadcast&todate=2026-02-01",
        None,
    );
}

#[test]
fn domains() {
    golden(
        &ListDomains::default(),
        "GET",
        "/domains?count=500&offset=0",
        None,
    );
    golden(
        &ListDomains {
            count: 20,
            offset: 40,
        },
        "GET",
        "/domains?count=20&offset=40",
        None,
    );
    golden(&GetDomain { id: 36737 }, "GET", "/domains/36737", None);
    golden(
        &CreateDomain {
            name: "example.com".into(),
            return_path_domain: Some("pm-bounces.example.com".into()),
        },
        "POST",
        "/domains",
        Some(json!({"Name": "example.com", "ReturnPathDomain": "pm-bounces.example.com"})),
    );
    golden(
        &CreateDomain {
            name: "example.com".into(),
            return_path_domain: None,
        },
        "POST",
        "/domains",
        Some(json!({"Name": "example.com"})),
    );
    golden(
        &EditDomain {
            id: 36737,
            return_path_domain: Some("bounces.example.com".into()),
        },
        "PUT",
        "/domains/36737",
        Some(json!({"ReturnPathDomain": "bounces.example.com"})),
    );
    golden(
        &DeleteDomain { id: 36737 },
        "DELETE",
        "/domains/36737",
        None,
    );
    golden(
        &VerifyDomainDkim { id: 36737 },
        "PUT",
        "/domains/36737/verifyDkim",
        None,
    );
    golden(
        &VerifyDomainReturnPath { id: 36737 },
        "PUT",
        "/domains/36737/verifyReturnPath",
        None,
    );
    golden(
        &VerifyDomainSpf { id: 36737 },
        "POST",
        "/domains/36737/verifyspf",
        None,
    );
    golden(
        &RotateDomainDkim { id: 36737 },
        "POST",
        "/domains/36737/rotatedkim",
        None,
    );
}

#[test]
fn sender_signatures() {
    golden(
        &ListSenderSignatures {
            count: 10,
            offset: 0,
        },
        "GET",
        "/senders?count=10&offset=0",
        None,
    );
    golden(
        &GetSenderSignature { id: 81605 },
        "GET",
        "/senders/81605",
        None,
    );
    golden(
        &CreateSenderSignature {
            from_email: "jp@example.com".into(),
            name: "JP Toto".into(),
            reply_to_email: Some("info@example.com".into()),
            return_path_domain: Some("pm-bounces.example.com".into()),
            confirmation_personal_note: Some("This is JP, please confirm.".into()),
        },
        "POST",
        "/senders",
        Some(json!({
            "FromEmail": "jp@example.com", "Name": "JP Toto", "ReplyToEmail": "info@example.com",
            "ReturnPathDomain": "pm-bounces.example.com",
            "ConfirmationPersonalNote": "This is JP, please confirm."
        })),
    );
    golden(
        &EditSenderSignature {
            id: 81605,
            name: "JP".into(),
            reply_to_email: Some(String::new()),
            ..Default::default()
        },
        "PUT",
        "/senders/81605",
        Some(json!({"Name": "JP", "ReplyToEmail": ""})),
    );
    golden(
        &DeleteSenderSignature { id: 81605 },
        "DELETE",
        "/senders/81605",
        None,
    );
    golden(
        &ResendSenderSignatureConfirmation { id: 81605 },
        "POST",
        "/senders/81605/resend",
        None,
    );
    golden(
        &VerifySenderSignatureSpf { id: 81605 },
        "POST",
        "/senders/81605/verifyspf",
        None,
    );
    golden(
        &RequestNewSenderSignatureDkim { id: 81605 },
        "POST",
        "/senders/81605/requestnewdkim",
        None,
    );
}

#[test]
fn data_removals() {
    golden(
        &CreateDataRemoval {
            requested_by: "privacy@example.com".into(),
            requested_for: "jane@example.org".into(),
            notify_when_completed: Some(true),
        },
        "POST",
        "/data-removals",
        Some(json!({
            "RequestedBy": "privacy@example.com", "RequestedFor": "jane@example.org",
            "NotifyWhenCompleted": true
        })),
    );
    golden(
        &GetDataRemovalStatus { id: 1234 },
        "GET",
        "/data-removals/1234",
        None,
    );
}

/// The POSTs that are safe to repeat say so, and only those: a DNS check,
/// a resent confirmation, a key renewal (a second one is refused while the
/// first is pending); creating is not.
#[test]
fn repeatable_posts() {
    let idempotent = |name: &str| postmark_kit::ops::find(name).unwrap().idempotent;
    for name in [
        "verify_domain_spf",
        "rotate_domain_dkim",
        "resend_sender_signature_confirmation",
        "verify_sender_signature_spf",
        "request_new_sender_signature_dkim",
        "verify_domain_dkim",
        "get_outbound_overview",
    ] {
        assert!(idempotent(name), "{name}");
    }
    for name in [
        "create_domain",
        "create_sender_signature",
        "create_data_removal",
    ] {
        assert!(!idempotent(name), "{name}");
    }
    let parts = RotateDomainDkim { id: 1 }.parts().unwrap();
    assert!(parts.idempotent);
}

#[test]
fn templates() {
    golden(
        &ListTemplates::default(),
        "GET",
        "/templates?count=500&offset=0",
        None,
    );
    golden(
        &ListTemplates {
            count: 20,
            offset: 40,
            template_type: Some(TemplateType::Standard),
            layout_template: Some("base layout".into()),
        },
        "GET",
        "/templates?count=20&offset=40&TemplateType=Standard&LayoutTemplate=base+layout",
        None,
    );
    golden(
        &GetTemplate {
            id_or_alias: "1000".into(),
        },
        "GET",
        "/templates/1000",
        None,
    );
    // An alias cannot change the path.
    golden(
        &GetTemplate {
            id_or_alias: "welcome/../v2".into(),
        },
        "GET",
        "/templates/welcome%2F..%2Fv2",
        None,
    );
    golden(
        &CreateTemplate {
            name: "Welcome".into(),
            alias: Some("welcome".into()),
            subject: Some("Hi {{name}}".into()),
            html_body: Some("<p>Hi {{name}}</p>".into()),
            text_body: Some("Hi {{name}}".into()),
            template_type: Some(TemplateType::Standard),
            layout_template: Some("base".into()),
        },
        "POST",
        "/templates",
        Some(json!({
            "Name": "Welcome", "TemplateType": "Standard", "Alias": "welcome",
            "Subject": "Hi {{name}}", "HtmlBody": "<p>Hi {{name}}</p>", "TextBody": "Hi {{name}}",
            "LayoutTemplate": "base"
        })),
    );
    golden(
        &CreateTemplate {
            name: "Base".into(),
            template_type: Some(TemplateType::Layout),
            html_body: Some("<main>{{{@content}}}</main>".into()),
            ..Default::default()
        },
        "POST",
        "/templates",
        Some(
            json!({"Name": "Base", "TemplateType": "Layout", "HtmlBody": "<main>{{{@content}}}</main>"}),
        ),
    );
    golden(
        &EditTemplate {
            id_or_alias: "welcome".into(),
            subject: Some("Hello {{name}}".into()),
            layout_template: Some(String::new()),
            ..Default::default()
        },
        "PUT",
        "/templates/welcome",
        Some(json!({"Subject": "Hello {{name}}", "LayoutTemplate": ""})),
    );
    golden(
        &DeleteTemplate {
            id_or_alias: "1001".into(),
        },
        "DELETE",
        "/templates/1001",
        None,
    );
    golden(
        &ValidateTemplate {
            subject: Some("Hi {{name}}".into()),
            html_body: Some("<p>{{name}}</p>".into()),
            test_render_model: json!({"name": "Ada"}).as_object().cloned(),
            inline_css_for_html_test_render: Some(false),
            template_type: Some(TemplateType::Standard),
            layout_template: Some("base".into()),
            ..Default::default()
        },
        "POST",
        "/templates/validate",
        Some(json!({
            "Subject": "Hi {{name}}", "HtmlBody": "<p>{{name}}</p>",
            "TestRenderModel": {"name": "Ada"}, "InlineCssForHtmlTestRender": false,
            "TemplateType": "Standard", "LayoutTemplate": "base"
        })),
    );
    golden(
        &PushTemplates {
            source_server_id: 1,
            destination_server_id: 2,
            perform_changes: false,
        },
        "PUT",
        "/templates/push",
        Some(json!({"SourceServerID": 1, "DestinationServerID": 2, "PerformChanges": false})),
    );
}

#[test]
fn bulk() {
    golden(
        &SendBulkEmail {
            from: "news@example.com".into(),
            subject: Some("News for {{name}}".into()),
            html_body: Some("<p>Hi {{name}}</p>".into()),
            message_stream: Some("broadcast".into()),
            tag: Some("digest".into()),
            metadata: Some([("issue".to_owned(), "7".to_owned())].into()),
            messages: vec![
                BulkMessage {
                    to: "a@example.com".into(),
                    template_model: json!({"name": "Ada"}).as_object().cloned(),
                    ..Default::default()
                },
                BulkMessage {
                    to: "b@example.com".into(),
                    cc: Some("c@example.com".into()),
                    metadata: Some([("issue".to_owned(), "7b".to_owned())].into()),
                    headers: Some(vec![Header::new("X-Edition", "b")]),
                    ..Default::default()
                },
            ],
            ..Default::default()
        },
        "POST",
        "/email/bulk",
        Some(json!({
            "From": "news@example.com", "Subject": "News for {{name}}", "HtmlBody": "<p>Hi {{name}}</p>",
            "MessageStream": "broadcast", "Tag": "digest", "Metadata": {"issue": "7"},
            "Messages": [
                {"To": "a@example.com", "TemplateModel": {"name": "Ada"}},
                {"To": "b@example.com", "Cc": "c@example.com", "Metadata": {"issue": "7b"},
                 "Headers": [{"Name": "X-Edition", "Value": "b"}]}
            ]
        })),
    );
    golden(
        &SendBulkEmail {
            from: "news@example.com".into(),
            template_alias: Some("digest".into()),
            inline_css: Some(true),
            messages: vec![BulkMessage {
                to: "a@example.com".into(),
                ..Default::default()
            }],
            ..Default::default()
        },
        "POST",
        "/email/bulk",
        Some(json!({
            "From": "news@example.com", "TemplateAlias": "digest", "InlineCss": true,
            "Messages": [{"To": "a@example.com"}]
        })),
    );
    let id = "f1b8d0a2-8a5c-4c4e-9d55-0c2d1f0e7a11";
    golden(
        &GetBulkEmailStatus { id: id.into() },
        "GET",
        &format!("/email/bulk/{id}"),
        None,
    );
    golden(&ListBulkEmails::default(), "GET", "/email/bulk", None);
    golden(
        &ListBulkEmails {
            count: Some(2),
            pagination_key: Some(id.into()),
        },
        "GET",
        &format!("/email/bulk?count=2&paginationKey={id}"),
        None,
    );
}

#[test]
fn message_streams() {
    golden(
        &ListMessageStreams::default(),
        "GET",
        "/message-streams",
        None,
    );
    golden(
        &ListMessageStreams {
            message_stream_type: Some(MessageStreamType::Broadcasts),
            include_archived_streams: Some(true),
        },
        "GET",
        "/message-streams?MessageStreamType=Broadcasts&IncludeArchivedStreams=true",
        None,
    );
    golden(
        &GetMessageStream {
            stream_id: "broadcast".into(),
        },
        "GET",
        "/message-streams/broadcast",
        None,
    );
    golden(
        &CreateMessageStream {
            description: Some("Weekly digest".into()),
            subscription_management_configuration: Some(SubscriptionManagement {
                unsubscribe_handling_type: Some(UnsubscribeHandlingType::Postmark),
            }),
            ..CreateMessageStream::new("digest", "Digest", MessageStreamType::Broadcasts)
        },
        "POST",
        "/message-streams",
        Some(json!({
            "ID": "digest", "Name": "Digest", "MessageStreamType": "Broadcasts",
            "Description": "Weekly digest",
            "SubscriptionManagementConfiguration": {"UnsubscribeHandlingType": "Postmark"}
        })),
    );
    golden(
        &EditMessageStream {
            stream_id: "digest".into(),
            name: Some("Weekly".into()),
            description: Some(String::new()),
            ..Default::default()
        },
        "PATCH",
        "/message-streams/digest",
        Some(json!({"Name": "Weekly", "Description": ""})),
    );
    golden(
        &ArchiveMessageStream {
            stream_id: "digest".into(),
        },
        "POST",
        "/message-streams/digest/archive",
        None,
    );
    golden(
        &UnarchiveMessageStream {
            stream_id: "digest".into(),
        },
        "POST",
        "/message-streams/digest/unarchive",
        None,
    );
}

#[test]
fn suppressions() {
    golden(
        &DumpSuppressions {
            stream_id: "outbound".into(),
            ..Default::default()
        },
        "GET",
        "/message-streams/outbound/suppressions/dump",
        None,
    );
    golden(
        &DumpSuppressions {
            stream_id: "outbound".into(),
            suppression_reason: Some(SuppressionReason::HardBounce),
            origin: Some(SuppressionOrigin::Recipient),
            email_address: Some("a+b@example.com".into()),
            from_date: Some("2026-01-01".into()),
            to_date: Some("2026-01-31".into()),
        },
        "GET",
        "/message-streams/outbound/suppressions/dump?SuppressionReason=HardBounce&Origin=Recipient\
         &EmailAddress=a%2Bb%40example.com&fromdate=2026-01-01&todate=2026-01-31",
        None,
    );
    let suppressions = vec![
        SuppressionAddress::new("a@example.com"),
        SuppressionAddress::new("b@example.com"),
    ];
    let body = json!({"Suppressions": [{"EmailAddress": "a@example.com"}, {"EmailAddress": "b@example.com"}]});
    golden(
        &CreateSuppressions {
            stream_id: "outbound".into(),
            suppressions: suppressions.clone(),
        },
        "POST",
        "/message-streams/outbound/suppressions",
        Some(body.clone()),
    );
    golden(
        &DeleteSuppressions {
            stream_id: "broadcast".into(),
            suppressions,
        },
        "POST",
        "/message-streams/broadcast/suppressions/delete",
        Some(body),
    );
}

#[test]
fn inbound_rules() {
    golden(
        &ListInboundRules::default(),
        "GET",
        "/triggers/inboundrules?count=500&offset=0",
        None,
    );
    golden(
        &ListInboundRules {
            count: 10,
            offset: 30,
        },
        "GET",
        "/triggers/inboundrules?count=10&offset=30",
        None,
    );
    golden(
        &CreateInboundRule {
            rule: "spam@example.com".into(),
        },
        "POST",
        "/triggers/inboundrules",
        Some(json!({"Rule": "spam@example.com"})),
    );
    golden(
        &DeleteInboundRule { id: 7 },
        "DELETE",
        "/triggers/inboundrules/7",
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
        "send_bulk_email": {"From": "a@x.com", "TextBody": "t", "Messages": [{"To": "b@x.com"}]},
        "create_server": {"Name": "n"},
        "create_webhook": {"Url": "https://x.example"},
        "create_template": {"Name": "n", "Subject": "s", "TextBody": "t"},
        "validate_template": {"Subject": "s"},
        "push_templates": {"SourceServerID": 1, "DestinationServerID": 2, "PerformChanges": false},
        "create_message_stream": {"ID": "s", "Name": "n", "MessageStreamType": "Broadcasts"},
        "create_suppressions": {"Suppressions": []},
        "delete_suppressions": {"Suppressions": []},
        "create_inbound_rule": {"Rule": "x.example"},
        "create_domain": {"Name": "example.com"},
        "create_sender_signature": {"FromEmail": "a@example.com", "Name": "A"},
        "edit_sender_signature": {"id": 0, "Name": "A"},
        "create_data_removal": {"RequestedBy": "a@example.com", "RequestedFor": "b@example.com"},
    });
    // Every path parameter is `0`: a string for the IDs of messages and bulk
    // requests, for aliases and for stream IDs, a number for the other IDs.
    let is_text = |op: &postmark_kit::ops::Operation, param: &str| {
        param != "id" || op.path.starts_with("/messages/") || op.path.starts_with("/email/bulk/")
    };
    let mut count = 0;
    for op in operations() {
        let mut params = samples.get(op.name).cloned().unwrap_or_else(|| json!({}));
        let mut path = op.path.to_owned();
        while let Some(open) = path.find('{') {
            let close = open + path[open..].find('}').unwrap();
            let param = path[open + 1..close].to_owned();
            params[&param] = if is_text(op, &param) {
                json!("0")
            } else {
                json!(0)
            };
            path.replace_range(open..=close, "0");
        }
        let params = params.to_string();
        let request = if op.token == "server" {
            op.build(&config::<Server>(), &params)
        } else {
            op.build(&config::<Account>(), &params)
        }
        .unwrap_or_else(|e| panic!("{}: {e}", op.name))
        .request;
        assert_eq!(request.method().as_str(), op.method, "{}", op.name);
        assert_eq!(request.uri().path(), path, "{}", op.name);
        count += 1;
    }
    assert_eq!(count, 88);
}
