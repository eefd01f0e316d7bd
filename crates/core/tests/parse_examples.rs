//! Postmark's published example bodies parse into the models, and error
//! responses of every documented status decode into something to branch on.

use postmark_kit::api::bounces::{ActivateBounce, GetDeliveryStats, ListBounces};
use postmark_kit::api::bulk::{BulkStatus, GetBulkEmailStatus, ListBulkEmails, SendBulkEmail};
use postmark_kit::api::common::TrackLinks;
use postmark_kit::api::data_removals::*;
use postmark_kit::api::domains::*;
use postmark_kit::api::email::{SendEmail, SendEmailBatch};
use postmark_kit::api::inbound_rules::{CreateInboundRule, ListInboundRules};
use postmark_kit::api::messages::*;
use postmark_kit::api::senders::*;
use postmark_kit::api::servers::{GetServer, ListServers};
use postmark_kit::api::stats::*;
use postmark_kit::api::streams::{GetMessageStream, MessageStreamType, UnsubscribeHandlingType};
use postmark_kit::api::suppressions::{
    DeleteSuppressions, DumpSuppressions, SuppressionOrigin, SuppressionReason, SuppressionStatus,
};
use postmark_kit::api::templates::{
    CreateTemplate, GetTemplate, PushAction, PushTemplates, TemplateType, ValidateTemplate,
};
use postmark_kit::api::webhooks::*;
use postmark_kit::webhook::{BounceType, ClickLocation, Platform};
use postmark_kit::{
    Account, Config, Endpoint, Error, ErrorCode, ErrorKind, Server, Token, TokenKind, parse,
};
use serde_json::{Value, json};

mod support;

macro_rules! example {
    ($name:literal) => {
        include_str!(concat!("../../../tests/fixtures/postmark/", $name))
    };
}

fn ok<E: Endpoint>(body: &str) -> E::Response {
    let response = http::Response::builder()
        .status(200)
        .body(body.as_bytes())
        .unwrap();
    parse::<E>(response).unwrap_or_else(|e| panic!("{}: {e}", E::OPERATION))
}

fn fail<E: Endpoint>(status: u16, body: &str) -> Error {
    let response = http::Response::builder()
        .status(status)
        .body(body.as_bytes())
        .unwrap();
    parse::<E>(response).unwrap_err()
}

#[test]
fn send_email_response() {
    let sent = ok::<SendEmail>(example!("send_email.response.json"));
    assert!(sent.is_accepted());
    assert!(sent.message_id.is_some());
    assert!(sent.error().is_none());
}

#[test]
fn batch_response_has_one_result_per_message() {
    let results = ok::<SendEmailBatch>(example!("send_email_batch.response.json"));
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[0].message_id.as_deref(),
        Some("b7bc2f4a-e38e-4336-af7d-e6c392c2f817")
    );
    assert!(results[0].is_accepted());
    let failed = results[1].error().unwrap();
    assert_eq!(failed.code, ErrorCode::INACTIVE_RECIPIENT);
    assert_eq!(failed.message, "Inactive recipient");
    assert_eq!(results[1].message_id, None);
}

#[test]
fn webhook_examples() {
    let list = ok::<ListWebhooks>(example!("list_webhooks.response.json"));
    assert_eq!(list.webhooks.len(), 2);
    let first = &list.webhooks[0];
    assert_eq!(first.id, 1234567);
    assert_eq!(first.http_auth.as_ref().unwrap().username, "user");
    assert_eq!(
        first.triggers.open,
        Some(OpenTrigger {
            enabled: true,
            post_first_open_only: false
        })
    );
    assert!(list.webhooks[1].triggers.bounce.unwrap().enabled);
    assert_eq!(
        list.pointing_at("http://WWW.example.com/webhook-test-bounce/")
            .count(),
        1
    );

    let verification = ok::<VerifyWebhook>(example!("verify_webhook.response.json"));
    assert_eq!(verification.id, 12345);
    assert!(!verification.success);
    assert_eq!(verification.results.len(), 5);
    assert_eq!(verification.results[4].status_code, Some(500));

    let stats = ok::<GetWebhookStatistics>(example!("get_webhook_statistics.response.json"));
    assert_eq!(stats.metrics.total_requests, 1000);
    assert_eq!(stats.metrics.success_rate, Some(95.0));
    assert_eq!(stats.statuses["Bounce"], WebhookStatus::Unverified);
    assert_eq!(
        stats.metrics_by_trigger["Delivery"].average_retry_response_time_ms,
        None
    );
    assert_eq!(stats.time_range.hours, 24);
}

#[test]
fn delivery_stats_example() {
    let stats = ok::<GetDeliveryStats>(example!("get_delivery_stats.response.json"));
    assert_eq!(stats.inactive_mails, 192);
    assert_eq!(stats.bounces.len(), 7);
    let all = &stats.bounces[0];
    assert_eq!(
        (all.bounce_type.as_ref(), all.name.as_str(), all.count),
        (None, "All", 253)
    );
    let hard = &stats.bounces[1];
    assert_eq!(hard.bounce_type, Some(BounceType::HardBounce));
    assert_eq!((hard.name.as_str(), hard.count), ("Hard bounce", 195));
    assert_eq!(
        stats.bounces[6].bounce_type,
        Some(BounceType::SpamComplaint)
    );
}

#[test]
fn domain_examples() {
    let list = ok::<ListDomains>(example!("list_domains.response.json"));
    assert_eq!(list.total_count, 2);
    let [first, second] = &list.domains[..] else {
        panic!("{list:?}")
    };
    assert_eq!((first.id, first.name.as_str()), (36735, "postmarkapp.com"));
    assert!(first.spf_verified && first.dkim_verified && !first.weak_dkim);
    assert!(!first.return_path_domain_verified);
    assert_eq!((second.id, second.name.as_str()), (81605, "example.com"));
    assert!(second.return_path_domain_verified);

    let created = ok::<CreateDomain>(example!("create_domain.response.json"));
    assert_eq!((created.id, created.name.as_str()), (36737, "domain.com"));
    let dns = &created.dns;
    assert!(dns.spf.spf_verified);
    assert_eq!(dns.spf.spf_host.as_deref(), Some("domain.com"));
    assert_eq!(
        dns.spf.spf_text_value.as_deref(),
        Some("v=spf1 a mx include:spf.mtasv.net ~all")
    );
    assert!(!dns.dkim_verified && !dns.weak_dkim);
    assert_eq!(dns.dkim_host.as_deref(), Some(""));
    assert_eq!(
        dns.dkim_pending_host.as_deref(),
        Some("20131031155228pm._domainkey.domain.com")
    );
    assert!(
        dns.dkim_pending_text_value
            .as_deref()
            .unwrap()
            .starts_with("k=rsa; p=MIGf")
    );
    assert_eq!(dns.dkim_revoked_host.as_deref(), Some(""));
    assert!(!dns.safe_to_remove_revoked_key_from_dns);
    assert_eq!(dns.dkim_update_status, Some(DkimUpdateStatus::Pending));
    assert_eq!(
        dns.return_path_domain.as_deref(),
        Some("pm-bounces.domain.com")
    );
    assert!(!dns.return_path_domain_verified);
    assert_eq!(
        dns.return_path_domain_cname_value.as_deref(),
        Some("pm.mtasv.net")
    );

    // The specification's misspelt DKIM value is read under its right name.
    let spec = ok::<GetDomain>(
        r#"{"ID": 1, "DKIMTestValue": "k=rsa; p=X", "DKIMUpdateStatus": "Failed"}"#,
    );
    assert_eq!(spec.dns.dkim_text_value.as_deref(), Some("k=rsa; p=X"));
    assert_eq!(
        spec.dns.dkim_update_status.unwrap().as_str(),
        "Failed",
        "a status Postmark adds is kept"
    );
    let answer = postmark_kit::ops::find("get_domain")
        .unwrap()
        .parse(
            &http::Response::builder()
                .status(200)
                .body(br#"{"ID": 1, "DKIMTestValue": "v"}"#.as_slice())
                .unwrap(),
        )
        .unwrap();
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["DKIMTextValue"], "v");
    assert!(answer.get("DKIMTestValue").is_none());

    let spf = ok::<VerifyDomainSpf>(
        r#"{"SPFHost": "domain.com", "SPFVerified": true, "SPFTextValue": "v=spf1 ~all"}"#,
    );
    assert_eq!(
        (spf.spf_verified, spf.spf_host.as_deref()),
        (true, Some("domain.com"))
    );
}

#[test]
fn sender_signature_examples() {
    let list = ok::<ListSenderSignatures>(example!("list_sender_signatures.response.json"));
    assert_eq!(list.total_count, 2);
    let [first, second] = &list.sender_signatures[..] else {
        panic!("{list:?}")
    };
    assert_eq!(first.id, 36735);
    assert_eq!(first.domain, "postmarkapp.com");
    assert_eq!(first.email_address, "jp@postmarkapp.com");
    assert_eq!(
        first.reply_to_email_address.as_deref(),
        Some("info@postmarkapp.com")
    );
    assert_eq!(first.name, "JP Toto");
    assert!(first.confirmed);
    assert_eq!(second.id, 81605);
    assert_eq!(second.reply_to_email_address.as_deref(), Some(""));

    let signature = ok::<GetSenderSignature>(SIGNATURE);
    assert_eq!(signature.id, 81605);
    assert_eq!(signature.email_address, "jp@example.com");
    assert_eq!(
        signature.confirmation_personal_note.as_deref(),
        Some("Hi JP, please confirm.")
    );
    assert!(!signature.confirmed);
    assert!(signature.dns.dkim_verified);
    assert_eq!(
        signature.dns.dkim_update_status,
        Some(DkimUpdateStatus::Verified)
    );
    assert_eq!(
        signature.dns.return_path_domain.as_deref(),
        Some("pm-bounces.example.com")
    );
}

#[test]
fn data_removal_example() {
    let removal = ok::<CreateDataRemoval>(example!("create_data_removal.response.json"));
    assert_eq!(removal.id, 1234);
    assert_eq!(removal.status, Some(DataRemovalStatus::Pending));
    let done = ok::<GetDataRemovalStatus>(r#"{"ID": 1234, "Status": "done"}"#);
    assert_eq!(done.status, Some(DataRemovalStatus::Done));
}

/// Stats answers: typed rows per day, totals next to them, counts Postmark
/// leaves out read as 0, names as keys of their own.
#[test]
fn stats_reports() {
    let overview = ok::<GetOutboundOverview>(OVERVIEW);
    assert_eq!(overview.sent, 615);
    assert_eq!(overview.smtp_api_errors, 25);
    assert_eq!(overview.bounce_rate, 10.406);
    assert_eq!(overview.spam_complaints_rate, 0.163);
    assert_eq!(overview.with_read_time_recorded, 10);
    // The specification's spelling of the SMTP errors.
    let spec = ok::<GetOutboundOverview>(r#"{"Sent": 2, "SMTPAPIErrors": 1}"#);
    assert_eq!((spec.sent, spec.smtp_api_errors, spec.opens), (2, 1, 0));

    let sends = ok::<GetSentCounts>(
        r#"{"Days": [{"Date": "2026-01-01", "Sent": 140}, {"Date": "2026-01-03", "Sent": 5}], "Sent": 145}"#,
    );
    assert_eq!(sends.totals.sent, 145);
    let days: Vec<(&str, u64)> = sends
        .days
        .iter()
        .map(|day| (day.date.as_str(), day.counts.sent))
        .collect();
    assert_eq!(days, [("2026-01-01", 140), ("2026-01-03", 5)]);

    let bounces = ok::<GetBounceCounts>(BOUNCE_COUNTS);
    assert_eq!(bounces.totals.hard_bounce, 12);
    assert_eq!(bounces.totals.smtp_api_error, 2);
    assert_eq!(bounces.totals.others["DnsError"], 1);
    let day = &bounces.days[1].counts;
    assert_eq!((day.hard_bounce, day.soft_bounce, day.transient), (0, 3, 0));
    assert_eq!(day.others["DnsError"], 1);
    // An empty window: no days, no totals.
    let empty = ok::<GetBounceCounts>(r#"{"Days": []}"#);
    assert_eq!(empty, StatsReport::default());

    let clients = ok::<GetEmailClientUsage>(
        r#"{"Days": [{"Date": "2026-01-01", "Gmail": 3, "Apple Mail": 1}], "Gmail": 3, "Apple Mail": 1}"#,
    );
    assert_eq!(clients.totals.by_name["Apple Mail"], 1);
    assert_eq!(clients.days[0].counts.by_name.len(), 2);
    let read = ok::<GetEmailReadTimes>(r#"{"Days": [], "0s": 4, "20s+": 2, "unknown": 1}"#);
    assert_eq!(read.totals.by_name["20s+"], 2);

    let locations = ok::<GetClickLocation>(
        r#"{"Days": [{"Date": "2026-01-02", "HTML": 4}], "HTML": 4, "Text": 1}"#,
    );
    assert_eq!((locations.totals.html, locations.totals.text), (4, 1));
    assert_eq!(locations.days[0].counts.text, 0);
    let platforms = ok::<GetEmailPlatformUsage>(
        r#"{"Days": [{"Date": "2026-01-02", "WebMail": 2, "Mobile": 1}], "WebMail": 2, "Mobile": 1}"#,
    );
    assert_eq!(
        (
            platforms.totals.web_mail,
            platforms.totals.mobile,
            platforms.totals.desktop
        ),
        (2, 1, 0)
    );
    let opens = ok::<GetEmailOpenCounts>(
        r#"{"Days": [{"Date": "2026-01-02", "Opens": 5, "Unique": 2}], "Opens": 5, "Unique": 2}"#,
    );
    assert_eq!((opens.totals.opens, opens.days[0].counts.unique), (5, 2));
}

/// A body of the shape of the peers benchmark's canned `bounces.json`
/// (`bench/mock/gen_canned.py`): every field of every bounce, IDs past
/// 2^32, `\r\n` in `Details`, an empty `Tag`.
#[test]
fn a_benchmark_bounce_page() {
    let bounce = |id: i64, kind: &str, code: i64, inactive: bool, can_activate: bool| {
        json!({
            "RecordType": "Bounce", "ID": id, "Type": kind, "TypeCode": code, "Name": "Hard bounce",
            "Tag": "", "MessageID": "6f0a8f43-1f5c-4c8e-9d36-0c6d3e0f9b61", "ServerID": 23456,
            "MessageStream": "outbound",
            "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
            "Details": "action: failed\r\nstatus: 5.1.1", "Email": "jane.doe12@example.org",
            "From": "billing@example.com", "BouncedAt": "2026-11-13T04:05:06.1234567-05:00",
            "DumpAvailable": true, "Inactive": inactive, "CanActivate": can_activate,
            "Subject": "Your invoice #INV-2026-000123 is ready",
        })
    };
    let body = json!({"TotalCount": 10000, "Bounces": [
        bounce(3_719_297_970, "HardBounce", 1, true, true),
        bounce(3_719_297_977, "SpamComplaint", 100_001, true, false),
    ]});
    let page = ok::<ListBounces>(&body.to_string());
    assert_eq!(page.total_count, 10_000);
    let [hard, spam] = &page.bounces[..] else {
        panic!("{page:?}")
    };
    assert_eq!(hard.id, 3_719_297_970);
    assert_eq!(hard.bounce_type, BounceType::HardBounce);
    assert_eq!(hard.tag.as_deref(), Some(""));
    assert_eq!(
        hard.details.as_deref(),
        Some("action: failed\r\nstatus: 5.1.1")
    );
    assert_eq!(hard.server_id, Some(23456));
    assert_eq!((hard.inactive, hard.can_activate), (Some(true), Some(true)));
    assert_eq!(spam.bounce_type, BounceType::SpamComplaint);
    assert_eq!(spam.can_activate, Some(false));
}

/// A body of the shape of the peers benchmark's canned
/// `messages_outbound.json`: recipients as `{Email, Name}` with `null`
/// names, attachments as file names, metadata, every field present.
#[test]
fn a_benchmark_message_page() {
    let body = json!({"TotalCount": 10000, "Messages": [
        {
            "Tag": "invoice", "MessageID": "0a129aee-e1cd-480d-b08d-4f48548ff48d",
            "MessageStream": "outbound",
            "To": [{"Email": "jane.doe1@example.org", "Name": "Jane Doe"}, {"Email": "bo.kim2@example.net", "Name": null}],
            "Cc": [{"Email": "eli.berg3@example.com", "Name": "Eli Berg"}], "Bcc": [],
            "Recipients": ["jane.doe1@example.org", "bo.kim2@example.net", "eli.berg3@example.com"],
            "ReceivedAt": "2026-11-13T04:05:06.1234567-05:00",
            "From": "\"Acme Billing\" <billing@example.com>",
            "Subject": "Your invoice #INV-2026-000123 is ready",
            "Attachments": ["statement.pdf"], "Status": "Sent", "TrackOpens": true,
            "TrackLinks": "HtmlAndText", "Metadata": {"customer-id": "customer-00042", "plan": "plan-00007"},
            "Sandboxed": false
        },
        {
            "Tag": "", "MessageID": "b7bc2f4a-e38e-4336-af7d-e6c392c2f817", "MessageStream": "broadcast",
            "To": [{"Email": "noor.khan4@example.com", "Name": "Noor Khan"}], "Cc": [], "Bcc": [],
            "Recipients": ["noor.khan4@example.com"], "ReceivedAt": "2026-11-06T23:59:59.0000001-05:00",
            "From": "\"Acme Team\" <hello@example.com>", "Subject": "Your weekly digest",
            "Attachments": [], "Status": "Queued", "TrackOpens": false, "TrackLinks": "None",
            "Metadata": {}, "Sandboxed": false
        }
    ]});
    let page = ok::<SearchOutboundMessages>(&body.to_string());
    assert_eq!(page.total_count, 10_000);
    let [first, second] = &page.messages[..] else {
        panic!("{page:?}")
    };
    assert_eq!(first.message_id, "0a129aee-e1cd-480d-b08d-4f48548ff48d");
    assert_eq!(first.to.len(), 2);
    assert_eq!(first.to[0].name.as_deref(), Some("Jane Doe"));
    assert_eq!(first.to[1].email, "bo.kim2@example.net");
    assert_eq!(first.to[1].name, None);
    assert_eq!(first.cc[0].email, "eli.berg3@example.com");
    assert_eq!(first.recipients.len(), 3);
    assert_eq!(first.from, "\"Acme Billing\" <billing@example.com>");
    assert_eq!(first.attachments, ["statement.pdf"]);
    assert_eq!(first.status, Some(OutboundStatus::Sent));
    assert!(first.track_opens);
    assert_eq!(first.track_links, Some(TrackLinks::HtmlAndText));
    assert_eq!(first.metadata["customer-id"], "customer-00042");
    assert_eq!(first.sandboxed, Some(false));
    assert_eq!(second.tag.as_deref(), Some(""));
    assert_eq!(second.status, Some(OutboundStatus::Queued));
    assert!(second.attachments.is_empty() && second.metadata.is_empty());
}

#[test]
fn message_attachments_as_names_or_objects() {
    let message = ok::<GetOutboundMessageDetails>(
        r#"{"MessageID": "m", "Attachments": ["a.pdf", {"Name": "b.png", "ContentType": "image/png",
            "ContentLength": 42}, {"ContentType": "text/plain"}],
            "MessageEvents": [{"Recipient": "a@example.com", "Type": "Bounced",
            "ReceivedAt": "2026-01-01T10:00:00-05:00", "Details": {"Summary": "s", "BounceID": "1033567275"}},
            {"Type": "LinkClicked", "Details": {"Link": "https://x.example", "ClickLocation": "HTML", "Count": 2}}]}"#,
    );
    assert_eq!(message.message.attachments, ["a.pdf", "b.png", ""]);
    let [bounced, clicked] = &message.message_events[..] else {
        panic!("{message:?}")
    };
    assert_eq!(bounced.event_type, Some(MessageEventType::Bounced));
    assert_eq!(bounced.details["BounceID"], "1033567275");
    assert_eq!(clicked.event_type, Some(MessageEventType::LinkClicked));
    assert_eq!(clicked.details["Count"], "2");
    let err = fail::<GetOutboundMessageDetails>(200, r#"{"Attachments": [7]}"#);
    assert_eq!(err.kind(), ErrorKind::Decode);
}

#[test]
fn message_results_reuse_the_webhook_shapes() {
    let inbound = ok::<SearchInboundMessages>(&format!(
        r#"{{"TotalCount": 1, "InboundMessages": [{}]}}"#,
        inbound_message(r#""Status": "blocked", "BlockedReason": "Rule: spam@example.com""#)
    ));
    let item = &inbound.inbound_messages[0];
    assert_eq!(item.status, Some(InboundStatus::Blocked));
    assert_eq!(
        item.blocked_reason.as_deref(),
        Some("Rule: spam@example.com")
    );
    assert_eq!(item.message.mailbox_hash.as_deref(), Some("ticket-7"));
    assert_eq!(
        item.message.to_full[0].mailbox_hash.as_deref(),
        Some("ticket-7")
    );
    assert_eq!(
        item.message.date.as_deref(),
        Some("Fri, 1 Aug 2014 16:45:32 -04:00")
    );

    let opens = ok::<SearchMessageOpens>(&format!(r#"{{"TotalCount": 3, "Opens": [{OPEN}]}}"#));
    assert_eq!(opens.total_count, 3);
    let open = &opens.opens[0];
    assert_eq!(open.first_open, Some(true));
    assert_eq!(open.interaction.platform, Some(Platform::WebMail));
    assert_eq!(
        open.interaction.geo.as_ref().unwrap().city.as_deref(),
        Some("Novi Sad")
    );
    let clicks = ok::<GetMessageClicks>(&format!(r#"{{"TotalCount": 1, "Clicks": [{CLICK}]}}"#));
    assert_eq!(clicks.clicks[0].click_location, Some(ClickLocation::Html));
    assert_eq!(
        clicks.clicks[0].original_link.as_deref(),
        Some("https://example.com")
    );

    let activated = ok::<ActivateBounce>(&format!(r#"{{"Message": "OK", "Bounce": {BOUNCE}}}"#));
    assert_eq!(activated.bounce.unwrap().id, 4_323_372_036_854_775_807);
}

#[test]
fn template_examples() {
    // From before layouts: no alias, type or layout.
    let template = ok::<GetTemplate>(example!("get_template.response.json"));
    assert_eq!(template.template_id, 1234);
    assert_eq!(template.name, "Onboarding Email");
    assert_eq!(template.subject.as_deref(), Some("Hi there, {{Name}}"));
    assert_eq!(
        template.html_body.as_deref(),
        Some("Hello dear Postmark user. {{Name}}")
    );
    assert_eq!(
        template.text_body.as_deref(),
        Some("{{Name}} is a {{Occupation}}")
    );
    assert_eq!(template.associated_server_id, Some(1));
    assert!(!template.active);
    assert_eq!(
        (
            template.alias,
            template.template_type,
            template.layout_template
        ),
        (None, None, None)
    );

    let created = ok::<CreateTemplate>(example!("skills/create_template.response.json"));
    assert_eq!(created.template_id, 12345);
    assert_eq!(created.name, "Welcome Email");
    assert_eq!(created.alias.as_deref(), Some("welcome-email"));
    assert!(created.active);
    assert_eq!(created.template_type, Some(TemplateType::Standard));
    assert_eq!(created.layout_template, None);

    let validation = ok::<ValidateTemplate>(VALIDATION);
    assert!(!validation.all_content_is_valid);
    assert_eq!(validation.subject, None);
    let html = validation.html_body.unwrap();
    assert!(!html.content_is_valid);
    let error = &html.validation_errors[0];
    assert_eq!(
        (error.message.as_str(), error.line, error.character_position),
        ("The 'each' block is not closed.", Some(1), Some(4))
    );
    let text = validation.text_body.unwrap();
    assert_eq!(text.rendered_content.as_deref(), Some("Hi name_Value"));
    assert_eq!(validation.suggested_template_model["name"], "name_Value");

    let push = ok::<PushTemplates>(PUSH);
    assert_eq!(push.total_count, 2);
    let [create, edit] = &push.templates[..] else {
        panic!("{push:?}")
    };
    assert_eq!(create.action, Some(PushAction::Create));
    assert_eq!(create.template_id, None);
    assert_eq!(create.template_type, Some(TemplateType::Layout));
    assert_eq!(edit.action, Some(PushAction::Edit));
    assert_eq!(edit.template_id, Some(1001));
    assert_eq!(edit.alias.as_deref(), Some("welcome"));
}

#[test]
fn bulk_answers() {
    let accepted = ok::<SendBulkEmail>(
        r#"{"ID": "f1b8d0a2-8a5c-4c4e-9d55-0c2d1f0e7a11", "Status": "Accepted",
            "SubmittedAt": "2026-01-01T10:00:00.1234567Z"}"#,
    );
    assert_eq!(accepted.id, "f1b8d0a2-8a5c-4c4e-9d55-0c2d1f0e7a11");
    assert_eq!(accepted.status, Some(BulkStatus::Accepted));
    let status = ok::<GetBulkEmailStatus>(BULK_STATUS);
    assert_eq!(status.id, "f1b8d0a2-8a5c-4c4e-9d55-0c2d1f0e7a11");
    assert_eq!(status.total_messages, 2000);
    assert_eq!(status.percentage_completed, 45.5);
    assert_eq!(status.status, Some(BulkStatus::Processing));
    assert_eq!(status.subject.as_deref(), Some("News"));
    // The integer the documentation shows reads as a number too.
    let started = ok::<GetBulkEmailStatus>(r#"{"Id": "x", "PercentageCompleted": 1}"#);
    assert_eq!(started.percentage_completed, 1.0);
    let list = ok::<ListBulkEmails>(&format!(
        r#"{{"Requests": [{BULK_STATUS}], "PaginationKey": "next"}}"#
    ));
    assert_eq!(list.requests, [status]);
    assert_eq!(list.pagination_key.as_deref(), Some("next"));
    let last = ok::<ListBulkEmails>(r#"{"Requests": []}"#);
    assert_eq!(last.pagination_key, None);
}

#[test]
fn stream_and_suppression_examples() {
    let stream = ok::<GetMessageStream>(STREAM);
    assert_eq!(stream.id, "broadcast");
    assert_eq!(stream.server_id, Some(1));
    assert_eq!(
        stream.message_stream_type,
        Some(MessageStreamType::Broadcasts)
    );
    assert_eq!(
        stream.archived_at.as_deref(),
        Some("2026-01-02T10:00:00-05:00")
    );
    assert_eq!(
        stream
            .subscription_management_configuration
            .unsubscribe_handling_type,
        Some(UnsubscribeHandlingType::Postmark)
    );
    // Recorded answers spell it in lower case.
    let old = ok::<GetMessageStream>(
        r#"{"ID": "outbound", "SubscriptionManagementConfiguration": {"UnsubscribeHandlingType": "none"}}"#,
    );
    assert_eq!(
        old.subscription_management_configuration
            .unsubscribe_handling_type,
        Some(UnsubscribeHandlingType::None)
    );

    let dump = ok::<DumpSuppressions>(example!("dump_suppressions.response.json"));
    let reasons: Vec<_> = dump
        .suppressions
        .iter()
        .map(|s| {
            (
                s.email_address.as_str(),
                s.suppression_reason.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            ("address@wildbit.com", SuppressionReason::ManualSuppression),
            ("bounce.address@wildbit.com", SuppressionReason::HardBounce),
            (
                "spam.complaint.address@wildbit.com",
                SuppressionReason::SpamComplaint
            ),
        ]
    );
    assert!(
        dump.suppressions
            .iter()
            .all(|s| s.origin == Some(SuppressionOrigin::Recipient)
                && s.created_at.as_deref() == Some("2019-12-17T08:58:33-05:00"))
    );

    let deleted = ok::<DeleteSuppressions>(SUPPRESSION_RESULTS);
    let [kept, gone] = &deleted.suppressions[..] else {
        panic!("{deleted:?}")
    };
    assert_eq!(kept.status, Some(SuppressionStatus::Failed));
    assert!(kept.message.as_deref().unwrap().contains("authority"));
    assert_eq!(gone.email_address, "b@example.com");
    assert_eq!(gone.status, Some(SuppressionStatus::Deleted));
    assert_eq!(gone.message, None);
}

#[test]
fn inbound_rule_examples() {
    let list = ok::<ListInboundRules>(example!("list_inbound_rules.response.json"));
    assert_eq!(list.total_count, 3);
    let rules: Vec<(i64, &str)> = list
        .inbound_rules
        .iter()
        .map(|r| (r.id, r.rule.as_str()))
        .collect();
    assert_eq!(
        rules,
        [
            (3, "someone@example.com"),
            (5, "badsender@example.com"),
            (7, "baddomain.com")
        ]
    );
    let created = ok::<CreateInboundRule>(example!("create_inbound_rule.response.json"));
    assert_eq!(
        (created.id, created.rule.as_str()),
        (15, "someone@example.com")
    );
}

#[test]
fn server_with_lowercase_color_and_unknown_fields() {
    let server = ok::<GetServer>(
        r#"{"ID":1,"Name":"Prod","ApiTokens":["x"],"Color":"red","TrackLinks":"none",
            "DeliveryType":"Live","InboundSpamThreshold":5,"BrandNewField":{"a":1}}"#,
    );
    assert_eq!(server.color, Some(postmark_kit::api::servers::Color::Red));
    assert_eq!(
        server.track_links,
        Some(postmark_kit::api::common::TrackLinks::None)
    );
    let old = ok::<GetServer>(r#"{"ID":2,"Name":"Old","Color":"ggrey"}"#);
    assert_eq!(old.delivery_type, None);
    assert_eq!(old.color.unwrap().as_str(), "ggrey");
}

#[test]
fn a_body_that_does_not_match_reports_its_path() {
    let err = fail::<ListServers>(200, r#"{"TotalCount":1,"Servers":[{"ID":"seven"}]}"#);
    match err {
        Error::Decode { path, body, .. } => {
            assert_eq!(path, "Servers[0].ID");
            assert!(body.contains("seven"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fail::<ListServers>(200, "").kind(), ErrorKind::Decode);
    assert_eq!(
        fail::<ListServers>(200, "{} trailing").kind(),
        ErrorKind::Decode
    );
}

/// A sender signature with every field.
const SIGNATURE: &str = r#"{"ID": 81605, "Name": "JP Toto", "Domain": "example.com",
    "EmailAddress": "jp@example.com", "ReplyToEmailAddress": "info@example.com", "Confirmed": false,
    "ConfirmationPersonalNote": "Hi JP, please confirm.", "SPFVerified": true, "SPFHost": "example.com",
    "SPFTextValue": "v=spf1 a mx include:spf.mtasv.net ~all", "DKIMVerified": true, "WeakDKIM": false,
    "DKIMHost": "20260101000000pm._domainkey.example.com", "DKIMTextValue": "k=rsa;p=MIGfMA0G",
    "DKIMPendingHost": "", "DKIMPendingTextValue": "", "DKIMRevokedHost": "", "DKIMRevokedTextValue": "",
    "SafeToRemoveRevokedKeyFromDNS": false, "DKIMUpdateStatus": "Verified",
    "ReturnPathDomain": "pm-bounces.example.com", "ReturnPathDomainVerified": true,
    "ReturnPathDomainCNAMEValue": "pm.mtasv.net"}"#;

/// The stats overview with every key.
const OVERVIEW: &str = r#"{"Sent": 615, "Bounced": 64, "SMTPApiErrors": 25, "BounceRate": 10.406,
    "SpamComplaints": 1, "SpamComplaintsRate": 0.163, "Opens": 166, "UniqueOpens": 26, "Tracked": 111,
    "WithLinkTracking": 90, "WithOpenTracking": 51, "TotalTrackedLinksSent": 60,
    "UniqueLinksClicked": 30, "TotalClicks": 72, "WithClientRecorded": 14,
    "WithPlatformRecorded": 10, "WithReadTimeRecorded": 10}"#;

/// Bounce counts over two days, with a type Postmark does not document here.
const BOUNCE_COUNTS: &str = r#"{"Days": [{"Date": "2026-01-01", "HardBounce": 12, "SMTPApiError": 2},
    {"Date": "2026-01-02", "SoftBounce": 3, "DnsError": 1}],
    "HardBounce": 12, "SMTPApiError": 2, "SoftBounce": 3, "DnsError": 1}"#;

/// A bounce with every field; IDs past 2^53.
const BOUNCE: &str = r#"{"RecordType": "Bounce", "ID": 4323372036854775807, "Type": "HardBounce",
    "TypeCode": 1, "Name": "Hard bounce", "Tag": "Test", "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "ServerID": 23, "MessageStream": "outbound",
    "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
    "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    "Email": "john@example.com", "From": "sender@example.com", "BouncedAt": "2019-11-05T16:33:54.9070259Z",
    "DumpAvailable": true, "Inactive": true, "CanActivate": true, "Subject": "Test subject",
    "Content": "Return-Path: <>", "Metadata": {"a_key": "a_value"}}"#;

/// An open with every field of the opens search.
const OPEN: &str = r#"{"RecordType": "Open", "FirstOpen": true, "ReadSeconds": 4,
    "Client": {"Name": "Chrome 35.0.1916.153", "Company": "Google", "Family": "Chrome"},
    "OS": {"Name": "OS X 10.7 Lion", "Company": "Apple Computer, Inc.", "Family": "OS X 10"},
    "Platform": "WebMail", "UserAgent": "Mozilla/5.0",
    "Geo": {"CountryISOCode": "RS", "Country": "Serbia", "RegionISOCode": "VO",
        "Region": "Autonomna Pokrajina Vojvodina", "City": "Novi Sad", "Zip": "21000",
        "Coords": "45.2517,19.8369", "IP": "188.2.95.4"},
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483", "MessageStream": "outbound",
    "ReceivedAt": "2019-11-05T16:33:54.9070259Z", "Tag": "welcome-email", "Recipient": "john@example.com"}"#;

/// A click with every field of the clicks search.
const CLICK: &str = r#"{"RecordType": "Click", "ClickLocation": "HTML", "OriginalLink": "https://example.com",
    "Client": {"Name": "Chrome 35.0.1916.153", "Company": "Google", "Family": "Chrome"},
    "OS": {"Name": "OS X 10.7 Lion", "Company": "Apple Computer, Inc.", "Family": "OS X 10"},
    "Platform": "Desktop", "UserAgent": "Mozilla/5.0", "Geo": {"Country": "Serbia", "City": "Novi Sad"},
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483", "MessageStream": "outbound",
    "ReceivedAt": "2017-10-25T15:21:11.9065619Z", "Tag": "welcome-email", "Recipient": "john@example.com"}"#;

/// A sent message with every field of the searches.
const OUTBOUND: &str = r#""Tag": "invoice", "MessageID": "0a129aee-e1cd-480d-b08d-4f48548ff48d",
    "MessageStream": "outbound", "To": [{"Email": "jane@example.org", "Name": "Jane Doe"}],
    "Cc": [{"Email": "cc@example.org", "Name": ""}], "Bcc": [{"Email": "bcc@example.org", "Name": "B"}],
    "Recipients": ["jane@example.org", "cc@example.org", "bcc@example.org"],
    "ReceivedAt": "2026-01-01T10:00:00.1234567-05:00", "From": "\"Acme\" <billing@example.com>",
    "Subject": "Your invoice", "Attachments": ["statement.pdf"], "Status": "Sent", "TrackOpens": true,
    "TrackLinks": "HtmlOnly", "Metadata": {"customer-id": "42"}, "Sandboxed": false"#;

/// A validation with a failing HTML body and a rendered text body.
const VALIDATION: &str = r#"{"AllContentIsValid": false, "Subject": null,
    "HtmlBody": {"ContentIsValid": false, "ValidationErrors": [{"Message": "The 'each' block is not closed.",
        "Line": 1, "CharacterPosition": 4}], "RenderedContent": ""},
    "TextBody": {"ContentIsValid": true, "ValidationErrors": [], "RenderedContent": "Hi name_Value"},
    "SuggestedTemplateModel": {"name": "name_Value", "items": [{"title": "title_Value"}]}}"#;

/// A dry run of a push: a layout to create, a template to replace.
const PUSH: &str = r#"{"TotalCount": 2, "Templates": [
    {"Action": "Create", "Alias": "base", "Name": "Base", "TemplateType": "Layout"},
    {"Action": "Edit", "TemplateId": 1001, "Alias": "welcome", "Name": "Welcome", "TemplateType": "Standard"}]}"#;

/// A bulk request half sent, with every field.
const BULK_STATUS: &str = r#"{"Id": "f1b8d0a2-8a5c-4c4e-9d55-0c2d1f0e7a11",
    "SubmittedAt": "2026-01-01T10:00:00.1234567Z", "TotalMessages": 2000, "PercentageCompleted": 45.5,
    "Status": "Processing", "Subject": "News", "ReleasedCount": 910, "FailedCount": 3}"#;

/// An archived broadcast stream, with every field.
const STREAM: &str = r#"{"ID": "broadcast", "ServerID": 1, "Name": "Broadcasts",
    "Description": "Newsletters", "MessageStreamType": "Broadcasts",
    "CreatedAt": "2026-01-01T10:00:00-05:00", "UpdatedAt": "2026-01-01T11:00:00-05:00",
    "ArchivedAt": "2026-01-02T10:00:00-05:00", "ExpectedPurgeDate": "2026-02-16T10:00:00-05:00",
    "SubscriptionManagementConfiguration": {"UnsubscribeHandlingType": "Postmark"}}"#;

/// A removal of a spam complaint, refused, and of an address.
const SUPPRESSION_RESULTS: &str = r#"{"Suppressions": [
    {"EmailAddress": "a@example.com", "Status": "Failed",
     "Message": "You do not have the required authority to change this suppression."},
    {"EmailAddress": "b@example.com", "Status": "Deleted", "Message": null}]}"#;

/// A template with every field.
const TEMPLATE: &str = r#"{"TemplateId": 1001, "Name": "Welcome", "Subject": "Hi {{name}}",
    "HtmlBody": "<p>Hi {{name}}</p>", "TextBody": "Hi {{name}}", "AssociatedServerId": 1, "Active": true,
    "Alias": "welcome", "TemplateType": "Standard", "LayoutTemplate": "base"}"#;

/// A template as lists and saves answer it, with every field.
const TEMPLATE_SUMMARY: &str = r#"{"Active": true, "TemplateId": 1001, "Name": "Welcome",
    "Alias": "welcome", "TemplateType": "Standard", "LayoutTemplate": "base"}"#;

/// A received message with every field, and `extra` ones.
fn inbound_message(extra: &str) -> String {
    format!(
        r#"{{"From": "support@postmarkapp.com", "FromName": "Support",
        "FromFull": {{"Email": "support@postmarkapp.com", "Name": "Support", "MailboxHash": ""}},
        "To": "\"Desk\" <desk+ticket-7@inbound.postmarkapp.com>",
        "ToFull": [{{"Email": "desk+ticket-7@inbound.postmarkapp.com", "Name": "Desk", "MailboxHash": "ticket-7"}}],
        "Cc": "cc@example.com", "CcFull": [{{"Email": "cc@example.com", "Name": "", "MailboxHash": ""}}],
        "Bcc": "", "BccFull": [], "ReplyTo": "", "OriginalRecipient": "desk+ticket-7@inbound.postmarkapp.com",
        "Subject": "Help", "Date": "Fri, 1 Aug 2014 16:45:32 -04:00", "MailboxHash": "ticket-7", "Tag": "",
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b", "MessageStream": "inbound",
        "Attachments": [{{"Name": "a.txt", "ContentType": "text/plain", "ContentLength": 5, "ContentID": ""}}],
        {extra}}}"#
    )
}

/// Full bodies of the response models, each field with a value.
fn full_responses() -> Vec<(&'static str, String)> {
    let domain = r#"{"ID": 36737, "Name": "example.com", "SPFVerified": false, "SPFHost": "example.com",
        "SPFTextValue": "v=spf1 a mx include:spf.mtasv.net ~all", "DKIMVerified": true, "WeakDKIM": false,
        "DKIMHost": "20260101000000pm._domainkey.example.com", "DKIMTextValue": "k=rsa;p=MIGfMA0G",
        "DKIMPendingHost": "20260201000000pm._domainkey.example.com", "DKIMPendingTextValue": "k=rsa;p=MIGfMA0H",
        "DKIMRevokedHost": "20250101000000pm._domainkey.example.com", "DKIMRevokedTextValue": "k=rsa;p=MIGfMA0F",
        "SafeToRemoveRevokedKeyFromDNS": true, "DKIMUpdateStatus": "Pending",
        "ReturnPathDomain": "pm-bounces.example.com", "ReturnPathDomainVerified": true,
        "ReturnPathDomainCNAMEValue": "pm.mtasv.net"}"#;
    let server = r#"{"ID":1,"Name":"Prod","ApiTokens":["t"],"Color":"red","SmtpApiActivated":true,
        "RawEmailEnabled":false,"DeliveryType":"Live","ServerLink":"https://x","InboundAddress":"h@inbound.postmarkapp.com",
        "InboundHookUrl":"","BounceHookUrl":"","OpenHookUrl":"","DeliveryHookUrl":"","ClickHookUrl":"",
        "PostFirstOpenOnly":false,"InboundDomain":"","InboundHash":"h","InboundSpamThreshold":5,"TrackOpens":true,
        "TrackLinks":"none","IncludeBounceContentInHook":true,"EnableSmtpApiErrorHooks":false}"#;
    vec![
        (
            "send_email",
            example!("send_email.response.json").to_owned(),
        ),
        (
            "send_email_batch",
            example!("send_email_batch.response.json").to_owned(),
        ),
        (
            "list_webhooks",
            example!("list_webhooks.response.json").to_owned(),
        ),
        (
            "verify_webhook",
            example!("verify_webhook.response.json").to_owned(),
        ),
        (
            "get_webhook_statistics",
            example!("get_webhook_statistics.response.json").to_owned(),
        ),
        ("get_server", server.to_owned()),
        (
            "list_servers",
            format!(r#"{{"TotalCount":1,"Servers":[{server}]}}"#),
        ),
        (
            "delete_server",
            r#"{"ErrorCode":0,"Message":"Server 1 removed."}"#.to_owned(),
        ),
        (
            "get_delivery_stats",
            example!("get_delivery_stats.response.json").to_owned(),
        ),
        (
            "list_bounces",
            format!(r#"{{"TotalCount": 1, "Bounces": [{BOUNCE}]}}"#),
        ),
        ("get_bounce", BOUNCE.to_owned()),
        (
            "get_bounce_dump",
            r#"{"Body": "Return-Path: <>\r\n"}"#.to_owned(),
        ),
        (
            "activate_bounce",
            format!(r#"{{"Message": "OK", "Bounce": {BOUNCE}}}"#),
        ),
        (
            "search_outbound_messages",
            format!(r#"{{"TotalCount": 1, "Messages": [{{{OUTBOUND}}}]}}"#),
        ),
        (
            "get_outbound_message_details",
            format!(
                r#"{{{OUTBOUND}, "TextBody": "Hi", "HtmlBody": "<p>Hi</p>", "Body": "From: billing@example.com",
                "MessageEvents": [{{"Recipient": "jane@example.org", "Type": "Delivered",
                "ReceivedAt": "2026-01-01T10:00:01-05:00", "Details": {{"DeliveryMessage": "250 OK",
                "DestinationServer": "mx.example.org", "DestinationIP": "192.0.2.1"}}}}]}}"#
            ),
        ),
        (
            "get_outbound_message_dump",
            r#"{"Body": "From: billing@example.com"}"#.to_owned(),
        ),
        (
            "search_inbound_messages",
            format!(
                r#"{{"TotalCount": 1, "InboundMessages": [{}]}}"#,
                inbound_message(r#""Status": "Processed""#)
            ),
        ),
        (
            "get_inbound_message_details",
            inbound_message(
                r#""Status": "Blocked", "BlockedReason": "Rule", "TextBody": "Hi", "HtmlBody": "<p>Hi</p>",
                "StrippedTextReply": "Hi", "Headers": [{"Name": "X-Spam-Score", "Value": "0"}]"#,
            ),
        ),
        (
            "bypass_inbound_message",
            r#"{"ErrorCode": 0, "Message": "Successfully bypassed message: 73e6d360-66eb-11e1-8e72-a8904824019b"}"#
                .to_owned(),
        ),
        (
            "search_message_opens",
            format!(r#"{{"TotalCount": 1, "Opens": [{OPEN}]}}"#),
        ),
        (
            "search_message_clicks",
            format!(r#"{{"TotalCount": 1, "Clicks": [{CLICK}]}}"#),
        ),
        (
            "list_templates",
            format!(r#"{{"TotalCount": 2, "Templates": [{TEMPLATE_SUMMARY}, {TEMPLATE_SUMMARY}]}}"#),
        ),
        (
            "get_template",
            example!("get_template.response.json").to_owned(),
        ),
        ("get_template", TEMPLATE.to_owned()),
        (
            "create_template",
            example!("skills/create_template.response.json").to_owned(),
        ),
        ("edit_template", TEMPLATE_SUMMARY.to_owned()),
        (
            "delete_template",
            r#"{"ErrorCode": 0, "Message": "Template 1000 removed."}"#.to_owned(),
        ),
        ("validate_template", VALIDATION.to_owned()),
        ("push_templates", PUSH.to_owned()),
        (
            "send_bulk_email",
            r#"{"ID": "f1b8d0a2-8a5c-4c4e-9d55-0c2d1f0e7a11", "Status": "Accepted",
                "SubmittedAt": "2026-01-01T10:00:00.1234567Z"}"#
                .to_owned(),
        ),
        ("get_bulk_email_status", BULK_STATUS.to_owned()),
        (
            "list_bulk_emails",
            format!(r#"{{"Requests": [{BULK_STATUS}], "PaginationKey": "next"}}"#),
        ),
        (
            "list_message_streams",
            format!(r#"{{"MessageStreams": [{STREAM}], "TotalCount": 1}}"#),
        ),
        ("get_message_stream", STREAM.to_owned()),
        ("create_message_stream", STREAM.to_owned()),
        ("edit_message_stream", STREAM.to_owned()),
        ("unarchive_message_stream", STREAM.to_owned()),
        (
            "archive_message_stream",
            r#"{"ID": "broadcast", "ServerID": 1, "ExpectedPurgeDate": "2026-02-16T10:00:00-05:00"}"#
                .to_owned(),
        ),
        (
            "dump_suppressions",
            example!("dump_suppressions.response.json").to_owned(),
        ),
        ("create_suppressions", SUPPRESSION_RESULTS.to_owned()),
        ("delete_suppressions", SUPPRESSION_RESULTS.to_owned()),
        (
            "list_inbound_rules",
            example!("list_inbound_rules.response.json").to_owned(),
        ),
        (
            "create_inbound_rule",
            example!("create_inbound_rule.response.json").to_owned(),
        ),
        (
            "delete_inbound_rule",
            r#"{"ErrorCode": 0, "Message": "Rule someone@example.com removed."}"#.to_owned(),
        ),
        ("get_outbound_overview", OVERVIEW.to_owned()),
        (
            "get_sent_counts",
            stats_report(r#""Sent": 140"#, r#""Sent": 5"#),
        ),
        ("get_bounce_counts", BOUNCE_COUNTS.to_owned()),
        (
            "get_spam_complaint_counts",
            stats_report(r#""SpamComplaint": 1"#, r#""SpamComplaint": 2"#),
        ),
        (
            "get_tracked_email_counts",
            stats_report(r#""Tracked": 70"#, r#""Tracked": 41"#),
        ),
        (
            "get_email_open_counts",
            stats_report(r#""Opens": 44, "Unique": 12"#, r#""Opens": 3, "Unique": 3"#),
        ),
        (
            "get_email_platform_usage",
            stats_report(
                r#""Desktop": 1, "Mobile": 2, "WebMail": 3, "Unknown": 4"#,
                r#""WebMail": 1"#,
            ),
        ),
        (
            "get_email_client_usage",
            stats_report(r#""Gmail": 12, "Apple Mail": 3"#, r#""Outlook 2016": 1"#),
        ),
        (
            "get_email_read_times",
            stats_report(r#""0s": 3, "4s": 2, "20s+": 1"#, r#""unknown": 2"#),
        ),
        (
            "get_click_counts",
            stats_report(r#""Clicks": 8, "Unique": 5"#, r#""Clicks": 1, "Unique": 1"#),
        ),
        (
            "get_browser_usage",
            stats_report(r#""Chrome": 5, "Firefox": 2"#, r#""Safari": 1"#),
        ),
        (
            "get_browser_platform_usage",
            stats_report(r#""Desktop": 5, "Mobile": 2, "Unknown": 1"#, r#""Mobile": 1"#),
        ),
        (
            "get_click_location",
            stats_report(r#""HTML": 6, "Text": 2"#, r#""Text": 1"#),
        ),
        (
            "list_domains",
            example!("list_domains.response.json").to_owned(),
        ),
        ("get_domain", domain.to_owned()),
        (
            "create_domain",
            example!("create_domain.response.json").to_owned(),
        ),
        ("edit_domain", domain.to_owned()),
        (
            "delete_domain",
            r#"{"ErrorCode": 0, "Message": "Domain example.com removed."}"#.to_owned(),
        ),
        ("verify_domain_dkim", domain.to_owned()),
        ("verify_domain_return_path", domain.to_owned()),
        (
            "verify_domain_spf",
            r#"{"SPFHost": "example.com", "SPFVerified": true,
                "SPFTextValue": "v=spf1 a mx include:spf.mtasv.net ~all"}"#
                .to_owned(),
        ),
        ("rotate_domain_dkim", domain.to_owned()),
        (
            "list_sender_signatures",
            example!("list_sender_signatures.response.json").to_owned(),
        ),
        ("get_sender_signature", SIGNATURE.to_owned()),
        ("create_sender_signature", SIGNATURE.to_owned()),
        ("edit_sender_signature", SIGNATURE.to_owned()),
        (
            "delete_sender_signature",
            r#"{"ErrorCode": 0, "Message": "Signature jp@example.com removed."}"#.to_owned(),
        ),
        (
            "resend_sender_signature_confirmation",
            r#"{"ErrorCode": 0, "Message": "Confirmation email for jp@example.com has been re-sent."}"#
                .to_owned(),
        ),
        ("verify_sender_signature_spf", SIGNATURE.to_owned()),
        (
            "request_new_sender_signature_dkim",
            r#"{"ErrorCode": 0, "Message": "A new DKIM key was requested."}"#.to_owned(),
        ),
        (
            "create_data_removal",
            example!("create_data_removal.response.json").to_owned(),
        ),
        (
            "get_data_removal_status",
            r#"{"ID": 1234, "Status": "Done"}"#.to_owned(),
        ),
    ]
}

/// A stats report of two days with `first` and `second` counts, and their
/// totals as Postmark writes them: keys with a count of 0 left out.
fn stats_report(first: &str, second: &str) -> String {
    let day = |date: &str, counts: &str| -> Value {
        serde_json::from_str(&format!(r#"{{"Date": "{date}", {counts}}}"#)).unwrap()
    };
    let days = [day("2026-01-01", first), day("2026-01-03", second)];
    let mut totals = serde_json::Map::new();
    for (key, count) in days.iter().flat_map(|d| d.as_object().unwrap()) {
        if let Some(count) = count.as_u64() {
            let total = totals.entry(key.clone()).or_insert(json!(0));
            *total = json!(total.as_u64().unwrap() + count);
        }
    }
    totals.insert("Days".into(), json!(days));
    Value::Object(totals).to_string()
}

/// The fields a bounce cannot be without, in the API as in bounce webhooks:
/// its `ID` and `Type` (see `Bounce`). Paths as `each_member_nulled` writes them.
fn required(operation: &str, path: &str) -> bool {
    let bounce_field = match operation {
        "get_bounce" => Some(path),
        "activate_bounce" => path.strip_prefix("Bounce/"),
        "list_bounces" => path
            .strip_prefix("Bounces/")
            .and_then(|rest| rest.split_once('/'))
            .map(|(_, field)| field),
        _ => None,
    };
    matches!(bounce_field, Some("ID" | "Type"))
}

/// Postmark writes "no value" as `null` as often as it leaves a field out:
/// any single field of any response set to `null` still parses, and reads as
/// if it were absent; only a bounce's identity is refused.
#[test]
fn every_response_field_may_be_null() {
    for (name, body) in full_responses() {
        let op = postmark_kit::ops::find(name).unwrap();
        let full: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
        let nulled = support::each_member_nulled(&full);
        assert!(!nulled.is_empty(), "{name}");
        support::check_both_ways(name, &body).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (path, body) in nulled {
            let text = body.to_string();
            support::check_both_ways(name, &text)
                .unwrap_or_else(|e| panic!("{name} with {path} null: {e}"));
            let response = http::Response::builder()
                .status(200)
                .body(text.as_bytes())
                .unwrap();
            match op.parse(&response) {
                Err(e) if required(name, &path) => assert_eq!(e.kind(), ErrorKind::Decode),
                Err(e) => panic!("{name} with {path} null: {e}"),
                Ok(_) if required(name, &path) => panic!("{name}: {path} is required"),
                Ok(_) => {}
            }
        }
    }
}

/// Postmark's published request bodies build through the dynamic interface
/// and are sent exactly as given.
#[test]
fn request_examples_are_sent_as_published() {
    fn config<K: TokenKind>() -> Config<K> {
        Config::new(Token::new("t").unwrap())
    }
    for (name, body) in [
        ("send_email", example!("send_email.request.json")),
        ("send_email", example!("send_email.full.request.json")),
        (
            "send_email_batch",
            example!("send_email_batch.request.json"),
        ),
        (
            "send_email_batch",
            example!("send_email_batch.full.request.json"),
        ),
        (
            "send_email_with_template",
            example!("send_email_with_template.request.json"),
        ),
        ("create_webhook", example!("create_webhook.request.json")),
        ("send_bulk_email", example!("send_bulk_email.request.json")),
        (
            "create_template",
            example!("skills/create_template.request.json"),
        ),
        (
            "validate_template",
            example!("skills/validate_template.request.json"),
        ),
        (
            "push_templates",
            example!("skills/push_templates.request.json"),
        ),
        (
            "create_inbound_rule",
            example!("create_inbound_rule.request.json"),
        ),
        ("create_domain", example!("create_domain.request.json")),
        (
            "create_data_removal",
            example!("create_data_removal.request.json"),
        ),
    ] {
        let op = postmark_kit::ops::find(name).unwrap();
        let built = match op.token {
            "account" => op.build(&config::<Account>(), body),
            _ => op.build(&config::<Server>(), body),
        }
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let sent: Value = serde_json::from_slice(built.request.body()).unwrap();
        let published: Value = serde_json::from_str(body).unwrap();
        assert_eq!(sent, published, "{name}");
    }
}
