//! Webhook parsing and Basic auth, against every example payload Postmark
//! publishes (copies in `tests/fixtures/postmark/`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use postmark_kit::api::common::Header;
use postmark_kit::webhook::{
    BasicAuth, Bounce, BounceType, ClickLocation, ClientInfo, Geo, InboundAddress,
    InboundAttachment, Metadata, Origin, Platform, SuppressionReason, WebhookError,
    WebhookErrorKind, WebhookEvent, check_basic_auth, parse_webhook,
};
use proptest::prelude::*;
use serde_json::{Value, json};

mod support;

macro_rules! example {
    ($file:literal) => {
        include_str!(concat!("../../../tests/fixtures/postmark/webhooks/", $file))
    };
}

macro_rules! skills_example {
    ($file:literal) => {
        include_str!(concat!(
            "../../../tests/fixtures/postmark/skills/webhooks/",
            $file
        ))
    };
}

/// `(file name, text)` of an example.
macro_rules! named {
    ($source:ident!($file:literal)) => {
        ($file, $source!($file))
    };
}

/// Every published example, by file name.
const EXAMPLES: [(&str, &str); 16] = [
    named!(example!("bounce.docs.json")),
    named!(example!("click.docs.json")),
    named!(example!("click.llms.json")),
    named!(example!("delivery.docs.json")),
    named!(example!("inbound.docs.json")),
    named!(example!("open.docs.json")),
    named!(example!("open.llms.json")),
    named!(example!("spam_complaint.docs.json")),
    named!(example!("subscription_change.docs.json")),
    named!(skills_example!("bounce.skills.json")),
    named!(skills_example!("click.skills.json")),
    named!(skills_example!("delivery.skills.json")),
    named!(skills_example!("inbound.skills.json")),
    named!(skills_example!("open.skills.json")),
    named!(skills_example!("spam_complaint.skills.json")),
    named!(skills_example!("subscription_change.skills.json")),
];

/// Any single field of any published payload may arrive as `null` and
/// reads as if it were absent: the event keeps its type. The fields an
/// event cannot be without (a bounce's `ID` and `Type`, a subscription
/// change's `SuppressSending`) are refused at their path instead.
#[test]
fn every_field_of_every_example_may_be_null() {
    let required = |record_type: &str, path: &str| match record_type {
        "Bounce" | "SpamComplaint" => ["ID", "Type"].contains(&path),
        "SubscriptionChange" => path == "SuppressSending",
        _ => false,
    };
    for (file, text) in EXAMPLES {
        let full: Value = serde_json::from_str(text).unwrap();
        let record_type = parse(text).record_type().to_owned();
        support::check_webhook_both_ways(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for (path, body) in support::each_member_nulled(&full) {
            support::check_webhook_both_ways(&body.to_string())
                .unwrap_or_else(|e| panic!("{file} with {path} null: {e}"));
            match parse_webhook(body.to_string().as_bytes()) {
                Err(e) if required(&record_type, &path) => assert_eq!(e.path(), path, "{file}"),
                Err(e) => panic!("{file} with {path} null: {e}"),
                Ok(_) if required(&record_type, &path) => panic!("{file}: {path} is required"),
                Ok(event) if path == "RecordType" => {
                    assert!(matches!(event, WebhookEvent::Unknown { .. }), "{file}")
                }
                Ok(event) => assert_eq!(event.record_type(), record_type, "{file} {path}"),
            }
        }
    }
}

fn parse(json: &str) -> WebhookEvent {
    parse_webhook(json.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

fn metadata(pairs: &[(&str, &str)]) -> Metadata {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn client(name: &str, company: &str, family: &str) -> Option<ClientInfo> {
    Some(ClientInfo {
        name: s(name),
        company: s(company),
        family: s(family),
    })
}

fn address(email: &str, name: &str, mailbox_hash: &str) -> InboundAddress {
    InboundAddress {
        email: s(email),
        name: s(name),
        mailbox_hash: s(mailbox_hash),
    }
}

// ---------------------------------------------------------------- examples

#[test]
fn docs_bounce() {
    let event = parse(example!("bounce.docs.json"));
    assert_eq!(event.record_type(), "Bounce");
    assert_eq!(
        event.message_id(),
        Some("883953f4-6105-42a2-a16a-77a8eac79483")
    );
    let WebhookEvent::Bounce(bounce) = event else {
        panic!("{event:?}")
    };
    assert_eq!(
        bounce,
        Bounce {
            record_type: s("Bounce"),
            id: 4_323_372_036_854_775_807,
            bounce_type: BounceType::HardBounce,
            type_code: Some(1),
            name: s("Hard bounce"),
            tag: s("Test"),
            message_id: s("883953f4-6105-42a2-a16a-77a8eac79483"),
            server_id: Some(23),
            message_stream: s("outbound"),
            description: s(
                "The server was unable to deliver your message (ex: unknown user, mailbox not found)."
            ),
            details: s("Test bounce details"),
            email: s("john@example.com"),
            from: s("sender@example.com"),
            bounced_at: s("2019-11-05T16:33:54.9070259Z"),
            dump_available: Some(true),
            inactive: Some(true),
            can_activate: Some(true),
            subject: s("Test subject"),
            content: s("<Full dump of bounce>"),
            metadata: metadata(&[("a_key", "a_value"), ("b_key", "b_value")]),
        }
    );
}

#[test]
fn skills_bounce() {
    let WebhookEvent::Bounce(bounce) = parse(skills_example!("bounce.skills.json")) else {
        panic!()
    };
    assert_eq!(bounce.id, 42);
    assert_eq!(bounce.bounce_type, BounceType::HardBounce);
    assert_eq!(
        bounce.details.as_deref(),
        Some("smtp;550 5.1.1 The email account that you tried to reach does not exist.")
    );
    assert_eq!(bounce.from.as_deref(), Some("sender@yourdomain.com"));
    assert_eq!(
        bounce.bounced_at.as_deref(),
        Some("2025-04-05T16:33:54.9070259Z")
    );
    assert_eq!(bounce.content, None);
    assert_eq!(bounce.metadata, metadata(&[("customer_id", "12345")]));
}

#[test]
fn docs_spam_complaint_keys_on_type_not_type_code() {
    let event = parse(example!("spam_complaint.docs.json"));
    assert_eq!(event.record_type(), "SpamComplaint");
    let WebhookEvent::SpamComplaint(complaint) = event else {
        panic!("{event:?}")
    };
    assert_eq!(complaint.record_type.as_deref(), Some("SpamComplaint"));
    assert_eq!(complaint.id, 42);
    // TypeCode 512 is SpamNotification in the table; Type is what counts.
    assert_eq!(complaint.type_code, Some(512));
    assert_eq!(complaint.bounce_type, BounceType::SpamComplaint);
    assert_eq!(complaint.description.as_deref(), Some(""));
    assert_eq!(complaint.server_id, Some(1234));
    assert_eq!(complaint.can_activate, Some(false));
    assert_eq!(complaint.inactive, Some(true));
    assert_eq!(complaint.content.as_deref(), Some("<Abuse report dump>"));
}

#[test]
fn skills_spam_complaint_without_name_description_or_flags() {
    let WebhookEvent::SpamComplaint(complaint) =
        parse(skills_example!("spam_complaint.skills.json"))
    else {
        panic!()
    };
    assert_eq!(complaint.bounce_type, BounceType::SpamComplaint);
    assert_eq!(complaint.type_code, Some(512));
    assert_eq!(complaint.email.as_deref(), Some("john@example.com"));
    assert_eq!(complaint.subject.as_deref(), Some("Welcome to our service"));
    assert_eq!(
        (
            &complaint.name,
            &complaint.description,
            &complaint.details,
            complaint.dump_available,
            complaint.inactive,
            complaint.can_activate,
        ),
        (&None, &None, &None, None, None, None)
    );
}

#[test]
fn deliveries() {
    let WebhookEvent::Delivery(docs) = parse(example!("delivery.docs.json")) else {
        panic!()
    };
    assert_eq!(
        docs.message_id.as_deref(),
        Some("883953f4-6105-42a2-a16a-77a8eac79483")
    );
    assert_eq!(docs.recipient.as_deref(), Some("john@example.com"));
    assert_eq!(
        docs.delivered_at.as_deref(),
        Some("2019-11-05T16:33:54.9070259Z")
    );
    assert_eq!(
        docs.details.as_deref(),
        Some("Test delivery webhook details")
    );
    assert_eq!(docs.tag.as_deref(), Some("welcome-email"));
    assert_eq!(docs.server_id, Some(23));
    assert_eq!(docs.message_stream.as_deref(), Some("outbound"));
    assert_eq!(docs.metadata["b_key"], "b_value");

    let WebhookEvent::Delivery(skills) = parse(skills_example!("delivery.skills.json")) else {
        panic!()
    };
    assert_eq!(
        skills.delivered_at.as_deref(),
        Some("2025-04-05T16:33:54.9070259Z")
    );
    assert_eq!(skills.metadata, metadata(&[("customer_id", "12345")]));
}

#[test]
fn docs_open() {
    let WebhookEvent::Open(open) = parse(example!("open.docs.json")) else {
        panic!()
    };
    assert_eq!(open.first_open, Some(true));
    assert_eq!(
        open.interaction.client,
        client("Chrome 35.0.1916.153", "Google", "Chrome")
    );
    assert_eq!(
        open.interaction.os,
        client("OS X 10.7 Lion", "Apple Computer, Inc.", "OS X 10")
    );
    assert_eq!(open.interaction.platform, Some(Platform::WebMail));
    assert!(
        open.interaction
            .user_agent
            .as_deref()
            .unwrap()
            .starts_with("Mozilla/5.0 (Macintosh")
    );
    assert_eq!(
        open.interaction.geo,
        Some(Geo {
            country_iso_code: s("RS"),
            country: s("Serbia"),
            region_iso_code: s("VO"),
            region: s("Autonomna Pokrajina Vojvodina"),
            city: s("Novi Sad"),
            zip: s("21000"),
            coords: s("45.2517,19.8369"),
            ip: s("188.2.95.4"),
        })
    );
    assert_eq!(
        open.interaction.received_at.as_deref(),
        Some("2019-11-05T16:33:54.9070259Z")
    );
    assert_eq!(
        open.interaction.recipient.as_deref(),
        Some("john@example.com")
    );
    // Neither is in the docs example.
    assert_eq!(open.read_seconds, None);
    assert_eq!(open.interaction.server_id, None);
}

#[test]
fn llms_and_skills_opens() {
    let WebhookEvent::Open(llms) = parse(example!("open.llms.json")) else {
        panic!()
    };
    assert_eq!(llms.interaction.platform, Some(Platform::Desktop));
    assert_eq!(
        llms.interaction.received_at.as_deref(),
        Some("2024-11-14T18:24:47Z")
    );
    let geo = llms.interaction.geo.unwrap();
    assert_eq!(
        (geo.region_iso_code.as_deref(), geo.city.as_deref()),
        (Some("CA"), Some("San Francisco"))
    );
    assert_eq!(llms.interaction.metadata["campaign"], "onboarding");

    let WebhookEvent::Open(skills) = parse(skills_example!("open.skills.json")) else {
        panic!()
    };
    assert_eq!(skills.read_seconds, Some(5));
    assert_eq!(skills.interaction.server_id, Some(23));
    assert_eq!(
        skills.interaction.client,
        client("Gmail", "Google", "Gmail")
    );
    assert_eq!(
        skills.interaction.geo.unwrap().ip.as_deref(),
        Some("203.0.113.1")
    );
}

#[test]
fn clicks() {
    let WebhookEvent::Click(docs) = parse(example!("click.docs.json")) else {
        panic!()
    };
    assert_eq!(docs.click_location, Some(ClickLocation::Html));
    assert_eq!(docs.original_link.as_deref(), Some("https://example.com"));
    assert_eq!(docs.interaction.platform, Some(Platform::Desktop));
    assert_eq!(
        docs.interaction.os.unwrap().family.as_deref(),
        Some("OS X 10")
    );
    assert_eq!(docs.interaction.geo.unwrap().ip.as_deref(), Some("8.8.8.8"));
    assert_eq!(
        docs.interaction.message_id.as_deref(),
        Some("00000000-0000-0000-0000-000000000000")
    );
    assert_eq!(
        docs.interaction.received_at.as_deref(),
        Some("2017-10-25T15:21:11.9065619Z")
    );

    let WebhookEvent::Click(llms) = parse(example!("click.llms.json")) else {
        panic!()
    };
    assert_eq!(
        llms.original_link.as_deref(),
        Some("https://example.com/features")
    );
    assert_eq!(
        llms.interaction.geo.unwrap().coords.as_deref(),
        Some("40.7128,-74.0060")
    );
    assert_eq!(llms.interaction.metadata["customer_id"], "12345");

    let WebhookEvent::Click(skills) = parse(skills_example!("click.skills.json")) else {
        panic!()
    };
    assert_eq!(skills.interaction.server_id, Some(23));
    assert_eq!(
        skills.original_link.as_deref(),
        Some("https://yourdomain.com/pricing")
    );
    assert_eq!(
        skills.interaction.client,
        client("Chrome", "Google", "Chrome")
    );
}

#[test]
fn subscription_changes() {
    let WebhookEvent::SubscriptionChange(docs) = parse(example!("subscription_change.docs.json"))
    else {
        panic!()
    };
    assert!(docs.suppress_sending);
    assert_eq!(docs.origin, Some(Origin::Recipient));
    assert_eq!(docs.suppression_reason, Some(SuppressionReason::HardBounce));
    assert_eq!(docs.server_id, Some(123_456));
    assert_eq!(
        docs.changed_at.as_deref(),
        Some("2020-02-01T10:53:34.416071Z")
    );
    assert_eq!(
        docs.recipient.as_deref(),
        Some("bounced-address@wildbit.com")
    );
    assert_eq!(docs.tag.as_deref(), Some("my-tag"));
    assert_eq!(
        docs.metadata,
        metadata(&[("example", "value"), ("example_2", "value")])
    );

    let WebhookEvent::SubscriptionChange(skills) =
        parse(skills_example!("subscription_change.skills.json"))
    else {
        panic!()
    };
    assert!(skills.suppress_sending);
    assert_eq!(
        skills.suppression_reason,
        Some(SuppressionReason::ManualSuppression)
    );
    assert_eq!(skills.message_stream.as_deref(), Some("broadcast"));
}

#[test]
fn docs_inbound() {
    let event = parse(example!("inbound.docs.json"));
    assert_eq!(event.record_type(), "Inbound");
    assert_eq!(
        event.message_id(),
        Some("73e6d360-66eb-11e1-8e72-a8904824019b")
    );
    let WebhookEvent::Inbound(mail) = event else {
        panic!()
    };
    assert_eq!(mail.from.as_deref(), Some("support@postmarkapp.com"));
    assert_eq!(mail.from_name.as_deref(), Some("Postmarkapp Support"));
    assert_eq!(
        mail.from_full,
        Some(address(
            "support@postmarkapp.com",
            "Postmarkapp Support",
            ""
        ))
    );
    assert_eq!(
        mail.to.as_deref(),
        Some("\"Firstname Lastname\" <yourhash+SampleHash@inbound.postmarkapp.com>")
    );
    assert_eq!(
        mail.to_full,
        [address(
            "yourhash+SampleHash@inbound.postmarkapp.com",
            "Firstname Lastname",
            "SampleHash"
        )]
    );
    assert_eq!(
        mail.cc_full,
        [
            address("firstcc@postmarkapp.com", "First Cc", ""),
            address("secondCc@postmarkapp.com", "", ""),
        ]
    );
    assert_eq!(mail.bcc_full.len(), 2);
    assert_eq!(
        mail.bcc_full[1].email.as_deref(),
        Some("secondbcc@postmarkapp.com")
    );
    assert_eq!(
        mail.original_recipient.as_deref(),
        Some("yourhash+SampleHash@inbound.postmarkapp.com")
    );
    assert_eq!(mail.reply_to.as_deref(), Some("replyto@postmarkapp.com"));
    assert_eq!(mail.mailbox_hash.as_deref(), Some("SampleHash"));
    assert_eq!(
        mail.date.as_deref(),
        Some("Fri, 1 Aug 2014 16:45:32 -04:00")
    );
    assert_eq!(
        mail.stripped_text_reply.as_deref(),
        Some("This is the reply text")
    );
    assert_eq!(mail.headers.len(), 4);
    assert_eq!(
        mail.headers[1],
        Header {
            name: "X-Spam-Status".into(),
            value: "No".into()
        }
    );
    assert_eq!(mail.header("x-spam-score"), Some("-0.1"));
    assert_eq!(mail.header("X-Header-Test"), Some(""));
    assert_eq!(mail.header("X-Missing"), None);
    assert_eq!(
        mail.attachments,
        [InboundAttachment {
            name: s("test.txt"),
            content: s("VGhpcyBpcyBhdHRhY2htZW50IGNvbnRlbnRzLCBiYXNlLTY0IGVuY29kZWQu"),
            content_type: s("text/plain"),
            content_length: Some(45),
            content_id: None,
        }]
    );
    assert_eq!(
        STANDARD
            .decode(mail.attachments[0].content.as_deref().unwrap())
            .unwrap(),
        b"This is attachment contents, base-64 encoded."
    );
    assert_eq!(mail.message_stream.as_deref(), Some("inbound"));
    assert_eq!(mail.raw_email, None);
}

#[test]
fn skills_inbound() {
    let WebhookEvent::Inbound(mail) = parse(skills_example!("inbound.skills.json")) else {
        panic!()
    };
    assert_eq!(
        mail.to_full,
        [address(
            "support+ticket-456@yourdomain.com",
            "",
            "ticket-456"
        )]
    );
    assert_eq!(mail.cc.as_deref(), Some(""));
    assert!(mail.cc_full.is_empty() && mail.bcc_full.is_empty());
    assert_eq!(mail.reply_to.as_deref(), Some(""));
    assert_eq!(mail.tag.as_deref(), Some(""));
    assert_eq!(mail.date.as_deref(), Some("Thu, 5 Apr 2025 16:59:01 +0200"));
    assert_eq!(
        mail.header("Message-ID"),
        Some("<CAExample123@mail.example.com>")
    );
    assert_eq!(mail.attachments[0].content_length, Some(45_892));
    assert_eq!(mail.attachments[0].content_id.as_deref(), Some(""));
    assert_eq!(
        mail.attachments[0].content_type.as_deref(),
        Some("image/png")
    );
}

// ------------------------------------------------------------- round trips

#[test]
fn every_example_round_trips_with_wire_names_and_a_record_type() {
    for (file, json) in EXAMPLES {
        let event = parse(json);
        let output: Value = serde_json::to_value(&event).unwrap();
        assert_eq!(output["RecordType"], event.record_type(), "{file}");
        assert_eq!(
            parse_webhook(&serde_json::to_vec(&event).unwrap()).unwrap(),
            event,
            "{file}"
        );
        assert_eq!(
            serde_json::from_value::<WebhookEvent>(output.clone()).unwrap(),
            event,
            "{file}"
        );
        assert_eq!(
            WebhookEvent::from_value(serde_json::from_str(json).unwrap()).unwrap(),
            event,
            "{file}"
        );

        // Every field of the input comes back under its wire name with its
        // value; fields the input left out come back as null.
        let input: Value = serde_json::from_str(json).unwrap();
        assert_contains(&output, &input, file);
    }
}

/// `output` holds every value of `input`, at the same place.
fn assert_contains(output: &Value, input: &Value, at: &str) {
    match (output, input) {
        (Value::Object(output), Value::Object(input)) => {
            for (key, value) in input {
                let here = format!("{at}.{key}");
                assert_contains(output.get(key).unwrap_or(&Value::Null), value, &here);
            }
            for (key, value) in output {
                if !input.contains_key(key) {
                    assert!(
                        value.is_null() || key == "RecordType",
                        "{at}.{key} = {value}"
                    );
                }
            }
        }
        (Value::Array(output), Value::Array(input)) => {
            assert_eq!(output.len(), input.len(), "{at}");
            for (index, (output, input)) in output.iter().zip(input).enumerate() {
                assert_contains(output, input, &format!("{at}[{index}]"));
            }
        }
        _ => assert_eq!(output, input, "{at}"),
    }
}

#[test]
fn inbound_output_gains_a_record_type() {
    let event = parse(example!("inbound.docs.json"));
    let output = serde_json::to_value(&event).unwrap();
    assert_eq!(output["RecordType"], "Inbound");
    assert_eq!(output["FromFull"]["Email"], "support@postmarkapp.com");
    assert_eq!(output["Attachments"][0]["ContentLength"], 45);
}

#[test]
fn big_bounce_id_survives_output_exactly() {
    let event = parse(example!("bounce.docs.json"));
    let text = serde_json::to_string(&event).unwrap();
    assert!(text.contains(r#""ID":4323372036854775807"#), "{text}");
}

// ------------------------------------------------------ dispatch and casing

#[test]
fn record_type_and_enum_values_match_in_any_casing() {
    let event = parse(r#"{"RecordType":"delivery","MessageID":"m"}"#);
    assert!(matches!(&event, WebhookEvent::Delivery(d) if d.message_id.as_deref() == Some("m")));
    assert_eq!(event.record_type(), "Delivery");
    // Read without a model, too: the text written in the documented spelling.
    let text = postmark_kit::webhook::read_webhook(br#"{"RecordType":"delivery","MessageID":"m"}"#)
        .unwrap();
    assert!(text.contains(r#""RecordType":"Delivery""#), "{text}");

    let event = parse(r#"{"RecordType":" BOUNCE ","ID":7,"Type":"hardbounce"}"#);
    let WebhookEvent::Bounce(bounce) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(bounce.bounce_type, BounceType::HardBounce);
    // The stored RecordType is the documented spelling, whatever was matched.
    assert_eq!(bounce.record_type.as_deref(), Some("Bounce"));

    let event = parse(r#"{"RecordType":"spamcomplaint","ID":8,"Type":"SPAMCOMPLAINT"}"#);
    assert!(
        matches!(&event, WebhookEvent::SpamComplaint(b) if b.bounce_type == BounceType::SpamComplaint)
    );

    let event = parse(r#"{"RecordType":"CLICK","ClickLocation":"html","Platform":"mobile"}"#);
    let WebhookEvent::Click(click) = event else {
        panic!()
    };
    assert_eq!(click.click_location, Some(ClickLocation::Html));
    assert_eq!(click.interaction.platform, Some(Platform::Mobile));

    let event = parse(
        r#"{"RecordType":"subscriptionchange","SuppressSending":false,"Origin":"customer","SuppressionReason":null}"#,
    );
    let WebhookEvent::SubscriptionChange(change) = event else {
        panic!()
    };
    assert!(!change.suppress_sending);
    assert_eq!(change.origin, Some(Origin::Customer));
    assert_eq!(change.suppression_reason, None);
}

#[test]
fn unknown_record_type_is_kept_raw() {
    let json = r#"{"RecordType":"LinkPreview","MessageID":"m-1","Extra":{"a":[1,2]}}"#;
    let event = parse(json);
    assert_eq!(
        event,
        WebhookEvent::Unknown {
            record_type: s("LinkPreview"),
            payload: serde_json::from_str(json).unwrap(),
        }
    );
    assert_eq!(event.record_type(), "LinkPreview");
    assert_eq!(event.message_id(), Some("m-1"));
    let serialized = serde_json::to_value(&event).unwrap();
    assert_eq!(
        serialized,
        json!({
            "RecordType": "Unknown",
            "UnknownRecordType": "LinkPreview",
            "Payload": serde_json::from_str::<Value>(json).unwrap(),
        })
    );
    assert_eq!(
        serde_json::from_value::<WebhookEvent>(serialized).unwrap(),
        event
    );
    let nameless = parse("{}");
    let serialized = serde_json::to_value(&nameless).unwrap();
    assert_eq!(serialized["UnknownRecordType"], Value::Null);
    assert_eq!(
        serde_json::from_value::<WebhookEvent>(serialized).unwrap(),
        nameless
    );
}

#[test]
fn an_unknown_event_writes_back_the_numbers_it_read() {
    // Found by fuzzing: a number of many digits read to the nearest float, written in
    // its shortest form and read again must give the same float, which takes serde_json's
    // exact (float_roundtrip) reading.
    let json = format!(
        r#"{{"RecordType":"LinkPreview","ServerID":{}}}"#,
        "7".repeat(60)
    );
    let event = parse(&json);
    let text = serde_json::to_string(&event).unwrap();
    assert_eq!(
        serde_json::from_str::<WebhookEvent>(&text).unwrap(),
        event,
        "{text}"
    );
    let WebhookEvent::Unknown { payload, .. } = &event else {
        panic!("{event:?}");
    };
    assert_eq!(payload["ServerID"].as_f64(), Some(7.777_777_777_777_778e59));
}

#[test]
fn object_without_record_type_or_inbound_fields_is_unknown() {
    for json in [
        r#"{"MessageID":42}"#,
        r#"{"RecordType":null}"#,
        r#"{"RecordType":""}"#,
        r#"{"RecordType":"  "}"#,
        r#"{"RecordType":5}"#,
        "{}",
    ] {
        let event = parse(json);
        assert_eq!(
            event,
            WebhookEvent::Unknown {
                record_type: None,
                payload: serde_json::from_str(json).unwrap()
            },
            "{json}"
        );
        assert_eq!(event.record_type(), "");
        assert_eq!(event.message_id(), None);
    }
}

#[test]
fn inbound_is_recognised_by_either_marker_and_record_type_wins() {
    let by_recipient = parse(r#"{"OriginalRecipient":"in@example.com","Subject":"hi"}"#);
    assert!(
        matches!(&by_recipient, WebhookEvent::Inbound(m) if m.subject.as_deref() == Some("hi"))
    );
    assert!(matches!(
        parse(r#"{"FromFull":null}"#),
        WebhookEvent::Inbound(_)
    ));
    assert!(matches!(
        parse(r#"{"RecordType":null,"FromFull":{"Email":"a@b.c"}}"#),
        WebhookEvent::Inbound(_)
    ));
    assert!(matches!(
        parse(r#"{"RecordType":"inbound"}"#),
        WebhookEvent::Inbound(_)
    ));
    // A RecordType decides even when inbound fields are present.
    assert!(matches!(
        parse(r#"{"RecordType":"Delivery","OriginalRecipient":"x"}"#),
        WebhookEvent::Delivery(_)
    ));
}

#[test]
fn unknown_bounce_type_is_kept_as_other() {
    let event = parse(r#"{"RecordType":"Bounce","ID":1,"Type":"QuantumBounce","TypeCode":123}"#);
    let WebhookEvent::Bounce(bounce) = &event else {
        panic!()
    };
    assert_eq!(
        bounce.bounce_type,
        BounceType::Other("QuantumBounce".into())
    );
    assert!(!bounce.bounce_type.is_known());
    assert_eq!(
        serde_json::to_value(&event).unwrap()["Type"],
        "QuantumBounce"
    );
}

#[test]
fn all_documented_bounce_types_parse_to_known_variants() {
    let types = [
        "HardBounce",
        "Transient",
        "Unsubscribe",
        "Subscribe",
        "AutoResponder",
        "AddressChange",
        "DnsError",
        "SpamNotification",
        "OpenRelayTest",
        "Unknown",
        "SoftBounce",
        "VirusNotification",
        "ChallengeVerification",
        "BadEmailAddress",
        "SpamComplaint",
        "ManuallyDeactivated",
        "Unconfirmed",
        "Blocked",
        "SMTPApiError",
        "InboundError",
        "DMARCPolicy",
        "TemplateRenderingFailed",
    ];
    for name in types {
        let parsed = BounceType::parse(name);
        assert!(parsed.is_known(), "{name}");
        assert_eq!(parsed.as_str(), name);
    }
    assert_eq!(BounceType::parse("smtpapierror"), BounceType::SmtpApiError);
    assert_eq!(BounceType::parse("dmarcpolicy"), BounceType::DmarcPolicy);
}

// ------------------------------------------------------------- leniency

#[test]
fn missing_optional_fields_are_none() {
    let WebhookEvent::Bounce(bounce) =
        parse(r#"{"RecordType":"Bounce","ID":1,"Type":"SoftBounce"}"#)
    else {
        panic!()
    };
    assert_eq!(
        bounce,
        Bounce {
            record_type: s("Bounce"),
            id: 1,
            bounce_type: BounceType::SoftBounce,
            type_code: None,
            name: None,
            tag: None,
            message_id: None,
            server_id: None,
            message_stream: None,
            description: None,
            details: None,
            email: None,
            from: None,
            bounced_at: None,
            dump_available: None,
            inactive: None,
            can_activate: None,
            subject: None,
            content: None,
            metadata: Metadata::new(),
        }
    );

    let WebhookEvent::Open(open) =
        parse(r#"{"RecordType":"Open","Geo":{},"Client":null,"Tag":""}"#)
    else {
        panic!()
    };
    assert_eq!(open.interaction.geo, Some(Geo::default()));
    assert_eq!(open.interaction.client, None);
    assert_eq!(open.interaction.tag.as_deref(), Some(""));
    assert_eq!(open.first_open, None);
    assert!(open.interaction.metadata.is_empty());

    let WebhookEvent::Inbound(mail) = parse(r#"{"OriginalRecipient":"in@example.com"}"#) else {
        panic!()
    };
    assert_eq!(mail.from_full, None);
    assert!(mail.to_full.is_empty() && mail.headers.is_empty() && mail.attachments.is_empty());
}

#[test]
fn blank_enum_values_read_as_none() {
    let WebhookEvent::SubscriptionChange(change) = parse(
        r#"{"RecordType":"SubscriptionChange","SuppressSending":false,"SuppressionReason":"","Origin":" "}"#,
    ) else {
        panic!()
    };
    assert_eq!((change.suppression_reason, change.origin), (None, None));

    let WebhookEvent::Click(click) =
        parse(r#"{"RecordType":"Click","ClickLocation":"","Platform":null}"#)
    else {
        panic!()
    };
    assert_eq!(
        (click.click_location, click.interaction.platform),
        (None, None)
    );
}

#[test]
fn non_string_metadata_values_do_not_fail_the_event() {
    let event = parse(
        r#"{"RecordType":"Delivery","Metadata":{"id":12345,"vip":true,"gone":null,"tags":["a"],"s":"x"}}"#,
    );
    let WebhookEvent::Delivery(delivery) = &event else {
        panic!()
    };
    assert_eq!(
        delivery.metadata,
        metadata(&[
            ("id", "12345"),
            ("vip", "true"),
            ("tags", r#"["a"]"#),
            ("s", "x")
        ])
    );
    assert_eq!(
        parse_webhook(&serde_json::to_vec(&event).unwrap()).unwrap(),
        event
    );

    let WebhookEvent::Delivery(delivery) = parse(r#"{"RecordType":"Delivery","Metadata":null}"#)
    else {
        panic!()
    };
    assert!(delivery.metadata.is_empty());
}

#[test]
fn server_id_spelled_server_id_is_accepted() {
    let WebhookEvent::Delivery(delivery) = parse(r#"{"RecordType":"Delivery","ServerId":23}"#)
    else {
        panic!()
    };
    assert_eq!(delivery.server_id, Some(23));

    let WebhookEvent::Open(open) = parse(r#"{"RecordType":"Open","ServerId":24}"#) else {
        panic!()
    };
    assert_eq!(open.interaction.server_id, Some(24));
}

// ----------------------------------------------------------------- errors

fn error(json: &str) -> WebhookError {
    parse_webhook(json.as_bytes()).expect_err(json)
}

#[test]
fn type_mismatch_reports_the_json_path() {
    let err = error(r#"{"RecordType":"Bounce","ID":"42","Type":"HardBounce"}"#);
    assert_eq!(err.kind(), WebhookErrorKind::InvalidPayload);
    assert_eq!(err.kind().as_str(), "invalid_payload");
    assert_eq!(err.path(), "ID");
    let WebhookError::InvalidPayload {
        record_type,
        message,
        ..
    } = &err
    else {
        panic!()
    };
    assert_eq!(*record_type, "Bounce");
    assert!(
        message.starts_with("invalid type: string \"42\", expected i64"),
        "{message}"
    );
    assert!(
        err.to_string()
            .starts_with("invalid Bounce webhook payload at `ID`: invalid type"),
        "{err}"
    );
}

#[test]
fn nested_mismatches_and_missing_required_fields_have_paths() {
    let cases = [
        (
            r#"{"FromFull":{},"ToFull":[{"Email":"a@b.c"},{"Email":5}]}"#,
            "ToFull[1].Email",
            "Inbound",
        ),
        (
            r#"{"RecordType":"Open","Geo":{"City":5}}"#,
            "Geo.City",
            "Open",
        ),
        (
            r#"{"RecordType":"Click","Client":"Chrome"}"#,
            "Client",
            "Click",
        ),
        (
            r#"{"RecordType":"Click","FirstOpen":true,"OriginalLink":"x","ServerID":"23"}"#,
            "ServerID",
            "Click",
        ),
        (
            r#"{"RecordType":"Open","FirstOpen":true,"Metadata":[]}"#,
            "Metadata",
            "Open",
        ),
        (
            r#"{"RecordType":"Open","ReadSeconds":"5"}"#,
            "ReadSeconds",
            "Open",
        ),
        (
            r#"{"RecordType":"Delivery","Metadata":"a=b"}"#,
            "Metadata",
            "Delivery",
        ),
        (
            r#"{"RecordType":"Bounce","ID":1.5,"Type":"HardBounce"}"#,
            "ID",
            "Bounce",
        ),
        (
            r#"{"RecordType":"Bounce","ID":9223372036854775808,"Type":"HardBounce"}"#,
            "ID",
            "Bounce",
        ),
        (
            r#"{"RecordType":"Bounce","Type":"HardBounce"}"#,
            ".",
            "Bounce",
        ),
        (
            r#"{"RecordType":"SpamComplaint","ID":1}"#,
            ".",
            "SpamComplaint",
        ),
        (
            r#"{"RecordType":"SubscriptionChange"}"#,
            ".",
            "SubscriptionChange",
        ),
        (
            r#"{"OriginalRecipient":"x","Headers":[{"Name":"A","Value":5}]}"#,
            "Headers[0].Value",
            "Inbound",
        ),
    ];
    for (json, path, record_type) in cases {
        let err = error(json);
        assert_eq!(err.path(), path, "{json}: {err}");
        assert!(
            matches!(&err, WebhookError::InvalidPayload { record_type: r, .. } if *r == record_type),
            "{json}: {err}"
        );
    }
    let err = error(r#"{"RecordType":"SubscriptionChange"}"#);
    assert!(
        err.to_string().contains("missing field `SuppressSending`"),
        "{err}"
    );
}

#[test]
fn bodies_that_are_not_objects_are_refused() {
    for (body, found) in [
        ("[]", "array"),
        (r#"[{"RecordType":"Bounce"}]"#, "array"),
        (r#""Bounce""#, "string"),
        ("42", "number"),
        ("-1.5e3", "number"),
        (" true", "boolean"),
        ("null", "null"),
    ] {
        let err = error(body);
        assert_eq!(err, WebhookError::NotAnObject { found }, "{body}");
        assert_eq!(err.kind().as_str(), "not_an_object");
        assert_eq!(err.path(), ".");
    }
    assert_eq!(
        WebhookEvent::from_value(json!(["x"])).unwrap_err(),
        WebhookError::NotAnObject { found: "array" }
    );
}

#[test]
fn malformed_json_is_a_syntax_error() {
    for body in [
        &b""[..],
        b"   ",
        b"{",
        br#"{"RecordType":"Bounce","#,
        br#"{"RecordType":"Delivery"} trailing"#,
        br#"{"RecordType":"Delivery"}{}"#,
        b"{'RecordType':'Delivery'}",
        b"tru",
        b"\xff\xfe{}",
        b"{\"RecordType\":\"Deli\xffvery\"}",
        br#"{"RecordType":"Delivery","Tag":"\ud800"}"#,
    ] {
        let err = parse_webhook(body).expect_err(&String::from_utf8_lossy(body));
        assert_eq!(err.kind(), WebhookErrorKind::Syntax, "{err}");
        assert_eq!(err.kind().as_str(), "syntax");
    }
    assert!(
        error("{")
            .to_string()
            .starts_with("webhook body is not valid JSON: the text ends too early")
    );
}

#[test]
fn serde_deserialize_reports_the_path_too() {
    let err = serde_json::from_str::<WebhookEvent>(
        r#"{"RecordType":"Bounce","ID":"x","Type":"HardBounce"}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("at `ID`"), "{err}");
}

// -------------------------------------------------------------- basic auth

fn basic(credentials: &str) -> String {
    format!("Basic {}", STANDARD.encode(credentials))
}

#[test]
fn basic_auth_accepts_exactly_the_right_credentials() {
    assert!(check_basic_auth(
        Some(&basic("postmark:s3cret")),
        "postmark",
        "s3cret"
    ));
    for credentials in [
        "postmarx:s3cret",
        "postmark:s3creT",
        "postmark:s3cre",
        "postmark:s3cretX",
        "postmark",
        "",
        "Postmark:s3cret",
    ] {
        assert!(
            !check_basic_auth(Some(&basic(credentials)), "postmark", "s3cret"),
            "{credentials:?}"
        );
    }
}

#[test]
fn basic_auth_scheme_and_whitespace() {
    let encoded = STANDARD.encode("postmark:s3cret");
    for header in [
        format!("basic {encoded}"),
        format!("BASIC {encoded}"),
        format!("  Basic   {encoded}  "),
        format!("Basic\t{encoded}"),
        format!("Basic {}", encoded.trim_end_matches('=')),
    ] {
        assert!(
            check_basic_auth(Some(&header), "postmark", "s3cret"),
            "{header:?}"
        );
    }
    for header in [
        format!("Bearer {encoded}"),
        format!("Basic{encoded}"),
        format!("Digest {encoded}"),
        encoded.clone(),
        "Basic".to_owned(),
        "Basic ".to_owned(),
        String::new(),
    ] {
        assert!(
            !check_basic_auth(Some(&header), "postmark", "s3cret"),
            "{header:?}"
        );
    }
}

#[test]
fn basic_auth_refuses_bad_base64_and_a_missing_header() {
    assert!(!check_basic_auth(None, "postmark", "s3cret"));
    // Non-UTF-8 credentials are compared as bytes and simply do not match.
    let not_utf8 = format!("Basic {}", STANDARD.encode(b"postmark:\xff"));
    for header in [
        "Basic !!!not-base64!!!",
        "Basic cG9zdG1hcms6czNjcmV0$",
        &not_utf8,
    ] {
        assert!(
            !check_basic_auth(Some(header), "postmark", "s3cret"),
            "{header:?}"
        );
    }
}

#[test]
fn basic_auth_password_may_contain_colons_or_be_empty() {
    for (credentials, username, password, accepted) in [
        ("user:pa:ss:", "user", "pa:ss:", true),
        ("user:pa:ss:", "user", "pa:ss", false),
        ("user:pa", "user", "pa:ss", false),
        ("user:", "user", "", true),
        ("user", "user", "", false),
        ("user:x", "user", "", false),
        ("pöstmark:ünïcode", "pöstmark", "ünïcode", true),
    ] {
        assert_eq!(
            check_basic_auth(Some(&basic(credentials)), username, password),
            accepted,
            "{credentials:?} for {username:?}, {password:?}"
        );
    }
}

#[test]
fn basic_auth_struct_verifies_and_redacts() {
    let auth = BasicAuth::new("postmark", "s3cret");
    assert!(auth.verify(Some(&basic("postmark:s3cret"))));
    assert!(!auth.verify(Some(&basic("postmark:wrong"))));
    assert!(!auth.verify(None));
    let debug = format!("{auth:?}");
    assert_eq!(
        debug,
        r#"BasicAuth { username: "postmark", password: **** }"#
    );
    assert!(!debug.contains("s3cret"));
}

// --------------------------------------------------------------- properties

const FIELDS: [&str; 32] = [
    "RecordType",
    "ID",
    "Type",
    "TypeCode",
    "Name",
    "Tag",
    "MessageID",
    "ServerID",
    "Email",
    "BouncedAt",
    "Inactive",
    "Metadata",
    "Recipient",
    "FirstOpen",
    "Client",
    "OS",
    "Platform",
    "ReadSeconds",
    "Geo",
    "City",
    "ClickLocation",
    "Origin",
    "SuppressSending",
    "SuppressionReason",
    "FromFull",
    "ToFull",
    "OriginalRecipient",
    "Headers",
    "Value",
    "Attachments",
    "ContentLength",
    "Details",
];

const WORDS: [&str; 16] = [
    "Delivery",
    "bounce",
    "SpamComplaint",
    "OPEN",
    "Click",
    "SubscriptionChange",
    "Inbound",
    "HardBounce",
    "WebMail",
    "HTML",
    "Recipient",
    "ManualSuppression",
    "",
    " ",
    "LinkPreview",
    "a@b.c",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(json!(u64::MAX)),
        Just(json!(1.5)),
        proptest::sample::select(&WORDS[..]).prop_map(Value::from),
        "[a-z0-9 :@.+-]{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map(proptest::sample::select(&FIELDS[..]), inner, 0..4)
                .prop_map(|map| map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()),
        ]
    })
}

/// A value of the type the field usually has: most generated events are
/// then well-typed enough to parse, and the rest exercise the errors.
fn typed(key: &'static str) -> BoxedStrategy<Value> {
    let word = || proptest::sample::select(&WORDS[..]).prop_map(Value::from);
    match key {
        "ID" | "TypeCode" | "ServerID" | "ReadSeconds" | "ContentLength" => {
            any::<i64>().prop_map(Value::from).boxed()
        }
        "Inactive" | "FirstOpen" | "SuppressSending" => any::<bool>().prop_map(Value::from).boxed(),
        "Metadata" => proptest::collection::btree_map("[a-z]{1,3}", json_value(), 0..3)
            .prop_map(|map| Value::Object(map.into_iter().collect()))
            .boxed(),
        "Client" | "OS" | "Geo" | "FromFull" => record().boxed(),
        "ToFull" | "Headers" | "Attachments" => proptest::collection::vec(record(), 0..3)
            .prop_map(Value::from)
            .boxed(),
        _ => word().boxed(),
    }
}

/// A small object such as an address, header or attachment.
fn record() -> impl Strategy<Value = Value> {
    const KEYS: [&str; 6] = ["Name", "Value", "Email", "Company", "City", "ContentLength"];
    proptest::collection::vec(
        proptest::sample::select(&KEYS[..]).prop_flat_map(|key| (Just(key), typed(key))),
        0..4,
    )
    .prop_map(|fields| fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// A field and a value that is usually, not always, of the right type.
fn field(key: &'static str) -> impl Strategy<Value = (&'static str, Value)> {
    (Just(key), prop_oneof![3 => typed(key), 1 => json_value()])
}

/// An event-like object: a `RecordType` most of the time, often the fields
/// some events require, and a few others.
fn json_object() -> impl Strategy<Value = Value> {
    let often = |key| proptest::option::weighted(0.7, field(key));
    (
        proptest::option::weighted(0.8, typed("RecordType")),
        [often("ID"), often("Type"), often("SuppressSending")],
        proptest::collection::vec(
            proptest::sample::select(&FIELDS[..]).prop_flat_map(field),
            0..6,
        ),
    )
        .prop_map(|(record_type, required, fields)| {
            let mut object: serde_json::Map<String, Value> = required
                .into_iter()
                .flatten()
                .chain(fields)
                .map(|(k, v)| (k.to_owned(), v))
                .collect();
            if let Some(record_type) = record_type {
                object.insert("RecordType".to_owned(), record_type);
            }
            Value::Object(object)
        })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_webhook(&body);
    }

    #[test]
    fn json_ish_text_never_panics(
        prefix in proptest::sample::select(&[
            "", "{", r#"{"RecordType":"Bounce","#, r#"{"RecordType":"Inbound","ToFull":["#,
            r#"{"FromFull":"#, "[", r#"{"RecordType":"#,
        ][..]),
        text in r#"[\[\]{}":,0-9a-zA-Z \\.+eE-]{0,64}"#,
    ) {
        let _ = parse_webhook(format!("{prefix}{text}").as_bytes());
    }

    /// Whatever parses, parses the same through both entry points, and
    /// serializes to JSON that deserializes back to the same event.
    #[test]
    fn parsed_events_round_trip(object in json_object()) {
        let body = serde_json::to_vec(&object).unwrap();
        let parsed = parse_webhook(&body);
        prop_assert_eq!(&WebhookEvent::from_value(object), &parsed);
        if let Ok(event) = parsed {
            let output = serde_json::to_vec(&event).unwrap();
            prop_assert_eq!(serde_json::from_slice::<WebhookEvent>(&output).unwrap(), event);
        }
    }

    /// Every field of every example but the required ones can be left out.
    #[test]
    fn examples_parse_with_any_optional_fields_removed(
        example in proptest::sample::select(&EXAMPLES[..]),
        keep in proptest::collection::vec(any::<bool>(), 64),
    ) {
        let (file, json) = example;
        let mut object: serde_json::Map<String, Value> = serde_json::from_str(json).unwrap();
        let required = ["RecordType", "ID", "Type", "SuppressSending", "FromFull"];
        let mut index = 0;
        object.retain(|key, _| {
            index += 1;
            required.contains(&key.as_str()) || keep[index - 1]
        });
        let event = parse_webhook(&serde_json::to_vec(&object).unwrap());
        prop_assert!(event.is_ok(), "{}: {:?}", file, event);
        let event = event.unwrap();
        prop_assert_eq!(parse_webhook(&serde_json::to_vec(&event).unwrap()).unwrap(), event);
    }
}
