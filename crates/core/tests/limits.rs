//! Every limit Postmark enforces is refused locally, before anything is sent.

use postmark_kit::api::bounces::*;
use postmark_kit::api::bulk::*;
use postmark_kit::api::data_removals::CreateDataRemoval;
use postmark_kit::api::domains::*;
use postmark_kit::api::email::*;
use postmark_kit::api::inbound_rules::*;
use postmark_kit::api::messages::*;
use postmark_kit::api::senders::*;
use postmark_kit::api::servers::*;
use postmark_kit::api::stats::{GetClickLocation, GetSentCounts};
use postmark_kit::api::streams::*;
use postmark_kit::api::suppressions::*;
use postmark_kit::api::templates::*;
use postmark_kit::api::webhooks::CreateWebhook;
use postmark_kit::{Account, BuildError, Config, Endpoint, Server, Token, build};
use serde_json::json;

fn check<E: Endpoint>(endpoint: &E) -> Result<(), BuildError> {
    let config = Config::<E::Token>::new(Token::new("t").unwrap());
    build(&config, endpoint).map(drop)
}

fn recipients(n: usize) -> String {
    (0..n)
        .map(|i| format!("r{i}@example.com"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn email() -> SendEmail {
    SendEmail::new("a@example.com", "b@example.com", "s").text_body("t")
}

#[test]
fn fifty_recipients_pass_and_fifty_one_do_not() {
    let mut e = email();
    e.to = Some(recipients(30));
    e.cc = Some(recipients(10));
    e.bcc = Some(recipients(10));
    assert_eq!(check(&e), Ok(()));
    e.bcc = Some(recipients(11));
    assert_eq!(
        check(&e),
        Err(BuildError::TooManyRecipients { count: 51, max: 50 })
    );
}

#[test]
fn missing_from_recipients_and_body() {
    let mut e = email();
    e.from = " ".into();
    assert_eq!(
        check(&e),
        Err(BuildError::MissingField {
            field: "From".into()
        })
    );
    let mut e = email();
    e.to = None;
    assert_eq!(
        check(&e),
        Err(BuildError::MissingField { field: "To".into() })
    );
    let mut e = email();
    e.text_body = Some(String::new());
    assert!(matches!(check(&e), Err(BuildError::MissingField { field }) if field.contains("Body")));
}

#[test]
fn message_over_ten_megabytes() {
    let e = email().html_body("x".repeat(MAX_MESSAGE_BYTES));
    assert!(matches!(
        check(&e),
        Err(BuildError::PayloadTooLarge { max: MAX_MESSAGE_BYTES, bytes }) if bytes > MAX_MESSAGE_BYTES
    ));
}

#[test]
fn batch_limits() {
    assert_eq!(check(&SendEmailBatch(vec![email(); 500])), Ok(()));
    assert_eq!(
        check(&SendEmailBatch(vec![email(); 501])),
        Err(BuildError::TooManyMessages {
            count: 501,
            max: 500
        })
    );
    assert_eq!(
        check(&SendEmailBatch(vec![])),
        Err(BuildError::MissingField {
            field: "Messages".into()
        })
    );
    let mut bad = vec![email(); 3];
    bad[2].from.clear();
    assert_eq!(
        check(&SendEmailBatch(bad)),
        Err(BuildError::InBatch {
            index: 2,
            source: Box::new(BuildError::MissingField {
                field: "From".into()
            })
        })
    );
    // Ten messages of 6 MB each: every message fits, the batch does not.
    let big = email().html_body("x".repeat(6 * 1024 * 1024));
    assert!(matches!(
        check(&SendEmailBatch(vec![big; 10])),
        Err(BuildError::PayloadTooLarge {
            max: MAX_BATCH_BYTES,
            ..
        })
    ));
    // One message over 10 MB in a batch well under 50 MB is refused by index,
    // in both kinds of batch.
    let huge = "x".repeat(MAX_MESSAGE_BYTES);
    let err = check(&SendEmailBatch(vec![
        email(),
        email().html_body(huge.clone()),
    ]));
    assert!(
        matches!(&err, Err(BuildError::InBatch { index: 1, source })
            if matches!(**source, BuildError::PayloadTooLarge { max: MAX_MESSAGE_BYTES, .. })),
        "{err:?}"
    );
    let mut template = SendEmailWithTemplate {
        from: "sender@example.com".into(),
        to: Some("receiver@example.com".into()),
        template_alias: Some("welcome".into()),
        ..Default::default()
    };
    template.template_model.insert("text".into(), huge.into());
    let err = check(&SendEmailBatchWithTemplates {
        messages: vec![template],
    });
    assert!(
        matches!(&err, Err(BuildError::InBatch { index: 0, .. })),
        "{err:?}"
    );
}

#[test]
fn template_choice() {
    let mut t = SendEmailWithTemplate {
        from: "a@example.com".into(),
        to: Some("b@example.com".into()),

        ..Default::default()
    };
    assert_eq!(check(&t), Err(BuildError::TemplateChoice));
    t.template_id = Some(1);
    t.template_alias = Some("a".into());
    assert_eq!(check(&t), Err(BuildError::TemplateChoice));
    t.template_alias = None;
    assert_eq!(check(&t), Ok(()));
    let batch = SendEmailBatchWithTemplates {
        messages: vec![t.clone(); 501],
    };
    assert!(matches!(
        check(&batch),
        Err(BuildError::TooManyMessages { count: 501, .. })
    ));
}

#[test]
fn page_size_over_five_hundred() {
    let list = ListServers {
        count: 501,
        ..Default::default()
    };
    assert_eq!(
        check(&list),
        Err(BuildError::CountTooLarge {
            count: 501,
            max: 500
        })
    );
}

#[test]
fn bounce_and_message_pages() {
    let too_large = Err(BuildError::CountTooLarge {
        count: 501,
        max: 500,
    });
    assert_eq!(
        check(&ListBounces {
            count: 501,
            ..Default::default()
        }),
        too_large
    );
    assert_eq!(
        check(&GetMessageOpens {
            id: "m".into(),
            count: 501,
            offset: 0,
        }),
        too_large
    );
    // Searches page at most 10,000 deep: the last page fits, one item more does not.
    let deep = |offset| SearchOutboundMessages {
        count: 500,
        offset,
        ..Default::default()
    };
    assert_eq!(check(&deep(9_500)), Ok(()));
    assert_eq!(
        check(&deep(9_501)),
        Err(BuildError::PagedTooDeep {
            end: 10_001,
            cap: 10_000
        })
    );
    for list in [
        check(&ListBounces {
            count: 1,
            offset: 10_000,
            ..Default::default()
        }),
        check(&SearchInboundMessages {
            offset: 9_999,
            ..Default::default()
        }),
        check(&SearchMessageOpens {
            offset: 9_600,
            ..Default::default()
        }),
        check(&SearchMessageClicks {
            offset: 9_600,
            ..Default::default()
        }),
    ] {
        assert!(
            matches!(list, Err(BuildError::PagedTooDeep { cap: 10_000, .. })),
            "{list:?}"
        );
    }
    // The opens of one message are not capped.
    assert_eq!(
        check(&GetMessageClicks {
            id: "m".into(),
            count: 500,
            offset: 20_000,
        }),
        Ok(())
    );
}

#[test]
fn message_ids_must_not_be_blank() {
    let missing = Err(BuildError::MissingField { field: "id".into() });
    for id in ["", "  "] {
        let id = id.to_owned();
        assert_eq!(
            check(&GetOutboundMessageDetails { id: id.clone() }),
            missing
        );
        assert_eq!(check(&GetOutboundMessageDump { id: id.clone() }), missing);
        assert_eq!(check(&GetInboundMessageDetails { id: id.clone() }), missing);
        assert_eq!(check(&BypassInboundMessage { id: id.clone() }), missing);
        assert_eq!(check(&RetryInboundMessage { id: id.clone() }), missing);
        assert_eq!(
            check(&GetMessageOpens {
                id: id.clone(),
                ..Default::default()
            }),
            missing
        );
        assert_eq!(
            check(&GetMessageClicks {
                id,
                ..Default::default()
            }),
            missing
        );
    }
    assert_eq!(check(&GetOutboundMessageDump { id: "m".into() }), Ok(()));
}

#[test]
fn search_filters() {
    for bad in ["2026-01-31T08:00:00-05:00", "31.01.2026"] {
        let err = check(&ListBounces {
            from_date: Some(bad.into()),
            ..Default::default()
        });
        assert!(
            matches!(&err, Err(BuildError::InvalidValue { field, .. }) if field == "fromdate"),
            "{bad}: {err:?}"
        );
    }
    let err = check(&SearchInboundMessages {
        from_date: None,
        to_date: Some("tomorrow".into()),

        ..Default::default()
    });
    assert!(
        matches!(&err, Err(BuildError::InvalidValue { field, .. }) if field == "todate"),
        "{err:?}"
    );
    assert_eq!(
        check(&SearchOutboundMessages {
            metadata: Some(MetadataFilter {
                key: " ".into(),
                value: "v".into(),
            }),
            ..Default::default()
        }),
        Err(BuildError::MissingField {
            field: "metadata.key".into()
        })
    );
}

#[test]
fn server_fields() {
    let create = CreateServer {
        name: "n".into(),
        inbound_spam_threshold: Some(31),

        ..Default::default()
    };
    assert!(matches!(
        check(&create),
        Err(BuildError::OutOfRange { field, value: 31, .. }) if field == "InboundSpamThreshold"
    ));
    let unnamed = CreateServer::default();
    assert_eq!(
        check(&unnamed),
        Err(BuildError::MissingField {
            field: "Name".into()
        })
    );
}

#[test]
fn webhook_url_must_be_absolute() {
    for url in ["example.com/hook", "ftp://x", "https://"] {
        let create = CreateWebhook {
            url: url.into(),
            ..Default::default()
        };
        assert!(
            matches!(check(&create), Err(BuildError::InvalidValue { field, .. }) if field == "Url"),
            "{url}"
        );
    }
    let blank = CreateWebhook::default();
    assert_eq!(
        check(&blank),
        Err(BuildError::MissingField {
            field: "Url".into()
        })
    );
}

fn missing(field: &str) -> Result<(), BuildError> {
    Err(BuildError::MissingField {
        field: field.into(),
    })
}

#[test]
fn fifty_suppressions_pass_and_fifty_one_do_not() {
    let addresses = |n: usize| -> Vec<SuppressionAddress> {
        (0..n)
            .map(|i| SuppressionAddress::new(format!("r{i}@example.com")))
            .collect()
    };
    let create = |n| CreateSuppressions {
        stream_id: "outbound".into(),
        suppressions: addresses(n),
    };
    let delete = |n| DeleteSuppressions {
        stream_id: "outbound".into(),
        suppressions: addresses(n),
    };
    let too_many = Err(BuildError::TooManyItems {
        field: "Suppressions".into(),
        count: 51,
        max: 50,
    });
    assert_eq!(check(&create(50)), Ok(()));
    assert_eq!(check(&create(51)), too_many);
    assert_eq!(check(&delete(50)), Ok(()));
    assert_eq!(check(&delete(51)), too_many);
    let mut blank = create(2);
    blank.suppressions[1].email_address = " ".into();
    assert_eq!(check(&blank), missing("Suppressions[1].EmailAddress"));
    let mut streamless = delete(1);
    streamless.stream_id.clear();
    assert_eq!(check(&streamless), missing("stream_id"));
}

#[test]
fn template_content() {
    let standard = CreateTemplate {
        name: "Welcome".into(),
        subject: Some("Hi".into()),
        text_body: Some("Hello".into()),
        ..Default::default()
    };
    assert_eq!(check(&standard), Ok(()));
    for subject in [None, Some("  ".to_owned())] {
        let subjectless = CreateTemplate {
            subject,
            ..standard.clone()
        };
        assert_eq!(check(&subjectless), missing("Subject"));
    }
    let bodiless = CreateTemplate {
        text_body: Some(String::new()),
        ..standard.clone()
    };
    assert_eq!(check(&bodiless), missing("HtmlBody or TextBody"));
    let unnamed = CreateTemplate {
        name: String::new(),
        ..standard.clone()
    };
    assert_eq!(check(&unnamed), missing("Name"));

    let layout = CreateTemplate {
        template_type: Some(TemplateType::Layout),
        subject: None,
        html_body: Some("<main>{{{@content}}}</main>".into()),
        ..standard.clone()
    };
    assert_eq!(check(&layout), Ok(()));
    let titled = CreateTemplate {
        subject: Some("Hi".into()),
        ..layout
    };
    assert_eq!(
        check(&titled),
        Err(BuildError::InvalidValue {
            field: "Subject".into(),
            reason: "a layout has no subject"
        })
    );

    let rename = |name: &str| EditTemplate {
        id_or_alias: "welcome".into(),
        name: Some(name.into()),
        ..Default::default()
    };
    assert_eq!(check(&rename("Hello")), Ok(()));
    assert_eq!(check(&rename(" ")), missing("Name"));
    assert_eq!(
        check(&GetTemplate {
            id_or_alias: String::new()
        }),
        missing("id_or_alias")
    );
    assert_eq!(
        check(&DeleteTemplate {
            id_or_alias: " ".into()
        }),
        missing("id_or_alias")
    );
    assert_eq!(
        check(&ValidateTemplate::default()),
        missing("Subject, HtmlBody or TextBody")
    );
    assert_eq!(
        check(&ValidateTemplate {
            text_body: Some(String::new()),
            ..Default::default()
        }),
        Ok(())
    );
    assert_eq!(
        check(&ListTemplates {
            count: 501,
            ..Default::default()
        }),
        Err(BuildError::CountTooLarge {
            count: 501,
            max: 500
        })
    );
}

#[test]
fn bulk_requests() {
    let bulk = SendBulkEmail {
        from: "news@example.com".into(),
        text_body: Some("Hi".into()),
        messages: vec![BulkMessage {
            to: "a@example.com".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    assert_eq!(check(&bulk), Ok(()));
    let empty = SendBulkEmail {
        messages: Vec::new(),
        ..bulk.clone()
    };
    assert_eq!(check(&empty), missing("Messages"));
    let bodiless = SendBulkEmail {
        text_body: None,
        ..bulk.clone()
    };
    assert_eq!(check(&bodiless), missing("HtmlBody or TextBody"));
    let templated = SendBulkEmail {
        template_id: Some(1000),
        ..bodiless.clone()
    };
    assert_eq!(check(&templated), Ok(()));
    let both = SendBulkEmail {
        template_alias: Some("welcome".into()),
        ..templated
    };
    assert_eq!(check(&both), Err(BuildError::TemplateChoice));

    // Fifty recipients in each field of a message; one more is refused with the
    // message's index.
    let mut crowded = bulk.clone();
    crowded.messages.push(BulkMessage {
        to: recipients(50),
        cc: Some(recipients(50)),
        bcc: Some(recipients(50)),
        ..Default::default()
    });
    assert_eq!(check(&crowded), Ok(()));
    crowded.messages[1].cc = Some(recipients(51));
    assert_eq!(
        check(&crowded),
        Err(BuildError::InBatch {
            index: 1,
            source: Box::new(BuildError::TooManyRecipients { count: 51, max: 50 })
        })
    );
    crowded.messages[1].to.clear();
    assert_eq!(
        check(&crowded),
        Err(BuildError::InBatch {
            index: 1,
            source: Box::new(BuildError::MissingField { field: "To".into() })
        })
    );

    // The whole request is held to 50 MB, not each message to 10.
    let big = SendBulkEmail {
        html_body: Some("x".repeat(MAX_MESSAGE_BYTES)),
        ..bulk.clone()
    };
    assert_eq!(check(&big), Ok(()));
    let huge = SendBulkEmail {
        html_body: Some("x".repeat(MAX_BATCH_BYTES)),
        ..bulk
    };
    assert!(matches!(
        check(&huge),
        Err(BuildError::PayloadTooLarge {
            max: MAX_BATCH_BYTES,
            ..
        })
    ));
    assert_eq!(check(&GetBulkEmailStatus { id: " ".into() }), missing("id"));
}

#[test]
fn stream_ids() {
    let create = |id: &str| CreateMessageStream::new(id, "Digest", MessageStreamType::Broadcasts);
    assert_eq!(check(&create("digest-2026_01")), Ok(()));
    assert_eq!(check(&create(&format!("d{}", "x".repeat(29)))), Ok(()));
    for (id, reason) in [
        ("2026-digest", "it must start with a letter"),
        ("-digest", "it must start with a letter"),
        (
            &*format!("d{}", "x".repeat(30)),
            "it may have at most 30 characters",
        ),
        ("PM-digest", "it may not start with `pm-`"),
    ] {
        assert_eq!(
            check(&create(id)),
            Err(BuildError::InvalidValue {
                field: "ID".into(),
                reason
            }),
            "{id}"
        );
    }
    assert_eq!(check(&create("")), missing("ID"));
    let unnamed = CreateMessageStream::new("digest", " ", MessageStreamType::Broadcasts);
    assert_eq!(check(&unnamed), missing("Name"));
    let rename = EditMessageStream {
        stream_id: "digest".into(),
        name: Some(String::new()),
        ..Default::default()
    };
    assert_eq!(check(&rename), missing("Name"));
    for stream_id in ["", "  "] {
        let stream_id = stream_id.to_owned();
        assert_eq!(
            check(&GetMessageStream {
                stream_id: stream_id.clone()
            }),
            missing("stream_id")
        );
        assert_eq!(
            check(&ArchiveMessageStream {
                stream_id: stream_id.clone()
            }),
            missing("stream_id")
        );
        assert_eq!(
            check(&UnarchiveMessageStream {
                stream_id: stream_id.clone()
            }),
            missing("stream_id")
        );
        assert_eq!(
            check(&DumpSuppressions {
                stream_id,
                ..Default::default()
            }),
            missing("stream_id")
        );
    }
    let err = check(&DumpSuppressions {
        stream_id: "outbound".into(),
        from_date: Some("17/12/2019".into()),
        ..Default::default()
    });
    assert!(
        matches!(&err, Err(BuildError::InvalidValue { field, .. }) if field == "fromdate"),
        "{err:?}"
    );
}

#[test]
fn inbound_rules() {
    assert_eq!(
        check(&CreateInboundRule { rule: " ".into() }),
        missing("Rule")
    );
    assert_eq!(
        check(&ListInboundRules {
            count: 501,
            offset: 0
        }),
        Err(BuildError::CountTooLarge {
            count: 501,
            max: 500
        })
    );
}

#[test]
fn dynamic_parameters_are_checked_too() {
    let config = Config::<Server>::new(Token::new("t").unwrap());
    let build = |name: &str, params: serde_json::Value| {
        postmark_kit::ops::find(name)
            .unwrap()
            .build(&config, &params.to_string())
            .unwrap_err()
    };
    let err = build(
        "send_email",
        json!({"From": "a@example.com", "To": recipients(51), "TextBody": "x"}),
    );
    assert_eq!(err, BuildError::TooManyRecipients { count: 51, max: 50 });
    let err = build("send_email", json!({"From": 5}));
    // serde reports type errors inside `#[serde(flatten)]` fields without a path.
    assert!(
        matches!(&err, BuildError::InvalidParams { operation: "send_email", message, .. } if message.contains("expected a string")),
        "{err:?}"
    );
    let err = build("get_webhook", json!({"id": "x"}));
    assert!(
        matches!(&err, BuildError::InvalidParams { path, .. } if path == "id"),
        "{err:?}"
    );
    // The filters the searches share are found at their path too.
    for (name, params, at) in [
        ("search_message_clicks", json!({"city": 5}), "city"),
        ("search_outbound_messages", json!({"tag": []}), "tag"),
        ("list_bounces", json!({"todate": false}), "todate"),
    ] {
        let err = build(name, params);
        assert!(
            matches!(&err, BuildError::InvalidParams { path, .. } if path == at),
            "{name}: {err:?}"
        );
    }
    assert_eq!(
        build("get_message_opens", json!({"id": "", "count": 5})),
        BuildError::MissingField { field: "id".into() }
    );
    assert_eq!(
        build("list_bounces", json!({"count": 100, "offset": 9_901})),
        BuildError::PagedTooDeep {
            end: 10_001,
            cap: 10_000
        }
    );
    let addresses: Vec<_> = (0..51)
        .map(|i| json!({"EmailAddress": format!("r{i}@example.com")}))
        .collect();
    assert_eq!(
        build(
            "delete_suppressions",
            json!({"stream_id": "outbound", "Suppressions": addresses}),
        ),
        BuildError::TooManyItems {
            field: "Suppressions".into(),
            count: 51,
            max: 50
        }
    );
    assert_eq!(
        build(
            "create_template",
            json!({"Name": "Base", "TemplateType": "layout", "Subject": "Hi", "HtmlBody": "{{{@content}}}"}),
        ),
        BuildError::InvalidValue {
            field: "Subject".into(),
            reason: "a layout has no subject"
        }
    );
    assert_eq!(
        build(
            "send_bulk_email",
            json!({"From": "a@example.com", "TextBody": "x", "Messages": [{"To": "b@example.com"}, {"Cc": "c@example.com"}]}),
        ),
        BuildError::InBatch {
            index: 1,
            source: Box::new(BuildError::MissingField { field: "To".into() })
        }
    );
    let account = Config::<postmark_kit::Account>::new(Token::new("t").unwrap());
    assert_eq!(
        postmark_kit::ops::find("push_templates")
            .unwrap()
            .build(
                &account,
                r#"{"SourceServerID": 1, "DestinationServerID": 2}"#
            )
            .unwrap_err(),
        BuildError::MissingField {
            field: "PerformChanges".into()
        }
    );
}

#[test]
fn domain_names_and_return_paths() {
    let domain = |name: &str, return_path: Option<&str>| CreateDomain {
        name: name.into(),
        return_path_domain: return_path.map(Into::into),
    };
    assert_eq!(
        check(&domain(" ", None)),
        Err(BuildError::MissingField {
            field: "Name".into()
        })
    );
    // 255 characters pass, 256 do not; characters, not bytes, are counted.
    let label = |n: usize| "é".repeat(n);
    let name = format!("{}.{}.{}", label(120), label(120), label(13));
    assert_eq!(name.chars().count(), 255);
    assert_eq!(check(&domain(&name, None)), Ok(()));
    assert_eq!(
        check(&domain(&format!("x{name}"), None)),
        Err(BuildError::TooLong {
            field: "Name".into(),
            chars: 256,
            max: MAX_DOMAIN_NAME_CHARS
        })
    );
    // The Return-Path domain must be below the domain; blank asks for none.
    for ok in ["pm-bounces.example.com", "PM.Bounces.EXAMPLE.com", ""] {
        assert_eq!(check(&domain("example.com", Some(ok))), Ok(()), "{ok}");
    }
    for bad in [
        "example.com",
        "badexample.com",
        "pm-bounces.example.org",
        ".example.com",
    ] {
        assert!(
            matches!(
                check(&domain("example.com", Some(bad))),
                Err(BuildError::InvalidValue { field, .. }) if field == "ReturnPathDomain"
            ),
            "{bad}"
        );
    }
}

#[test]
fn sender_signature_fields() {
    let create = || CreateSenderSignature {
        from_email: "jp@example.com".into(),
        name: "JP".into(),
        ..Default::default()
    };
    assert_eq!(check(&create()), Ok(()));
    for (signature, field) in [
        (
            CreateSenderSignature {
                from_email: String::new(),
                ..create()
            },
            "FromEmail",
        ),
        (
            CreateSenderSignature {
                name: "  ".into(),
                ..create()
            },
            "Name",
        ),
    ] {
        assert_eq!(
            check(&signature),
            Err(BuildError::MissingField {
                field: field.into()
            })
        );
    }
    assert_eq!(
        check(&EditSenderSignature {
            id: 1,
            ..Default::default()
        }),
        Err(BuildError::MissingField {
            field: "Name".into()
        })
    );
    // The confirmation note: 400 characters at most, on create and edit.
    let note = |n: usize| Some("ñ".repeat(n));
    assert_eq!(
        check(&CreateSenderSignature {
            confirmation_personal_note: note(400),
            ..create()
        }),
        Ok(())
    );
    let too_long = Err(BuildError::TooLong {
        field: "ConfirmationPersonalNote".into(),
        chars: 401,
        max: MAX_CONFIRMATION_NOTE_CHARS,
    });
    assert_eq!(
        check(&CreateSenderSignature {
            confirmation_personal_note: note(401),
            ..create()
        }),
        too_long
    );
    assert_eq!(
        check(&EditSenderSignature {
            id: 1,
            name: "JP".into(),
            confirmation_personal_note: note(401),
            ..Default::default()
        }),
        too_long
    );
    // A Return-Path domain below the address's domain, as for domains.
    assert_eq!(
        check(&CreateSenderSignature {
            return_path_domain: Some("pm-bounces.example.com".into()),
            ..create()
        }),
        Ok(())
    );
    assert!(matches!(
        check(&CreateSenderSignature {
            return_path_domain: Some("pm-bounces.example.org".into()),
            ..create()
        }),
        Err(BuildError::InvalidValue { field, .. }) if field == "ReturnPathDomain"
    ));
}

#[test]
fn account_lists_and_data_removals() {
    assert_eq!(
        check(&ListDomains {
            count: 501,
            offset: 0
        }),
        Err(BuildError::CountTooLarge {
            count: 501,
            max: 500
        })
    );
    assert_eq!(
        check(&ListSenderSignatures {
            count: 501,
            offset: 0
        }),
        Err(BuildError::CountTooLarge {
            count: 501,
            max: 500
        })
    );
    // Account lists are not capped in depth.
    assert_eq!(
        check(&ListDomains {
            count: 500,
            offset: 50_000
        }),
        Ok(())
    );
    let removal = CreateDataRemoval {
        requested_by: "privacy@example.com".into(),
        requested_for: "jane@example.org".into(),
        notify_when_completed: None,
    };
    assert_eq!(check(&removal), Ok(()));
    assert_eq!(
        check(&CreateDataRemoval {
            requested_for: " ".into(),
            ..removal.clone()
        }),
        Err(BuildError::MissingField {
            field: "RequestedFor".into()
        })
    );
    assert_eq!(
        check(&CreateDataRemoval {
            requested_by: String::new(),
            ..removal
        }),
        Err(BuildError::MissingField {
            field: "RequestedBy".into()
        })
    );
}

#[test]
fn stats_windows() {
    let window = |from: &str, to: &str| GetSentCounts {
        from_date: Some(from.into()),
        to_date: Some(to.into()),
        ..Default::default()
    };
    assert_eq!(check(&window("2026-01-01", "2026-01-31")), Ok(()));
    // Within one day the times are Postmark's to judge.
    assert_eq!(
        check(&window("2026-01-31T18:00:00", "2026-01-31T08:00:00")),
        Ok(())
    );
    for (from, to) in [
        ("2026-02-01", "2026-01-31"),
        ("2026-02-01T00:00:00", "2026-01-31T23:59:59"),
    ] {
        assert_eq!(
            check(&window(from, to)),
            Err(BuildError::InvalidValue {
                field: "todate".into(),
                reason: "it must not be before fromdate"
            }),
            "{from} {to}"
        );
    }
    let err = check(&GetClickLocation {
        from_date: Some("2026-01-31T08:00:00-05:00".into()),
        ..Default::default()
    });
    assert!(
        matches!(&err, Err(BuildError::InvalidValue { field, .. }) if field == "fromdate"),
        "{err:?}"
    );
    // The same through the dynamic interface.
    let config = Config::<Server>::new(Token::new("t").unwrap());
    let err = postmark_kit::ops::find("get_browser_usage")
        .unwrap()
        .build(
            &config,
            r#"{"fromdate": "2026-03-01", "todate": "2026-02-28"}"#,
        )
        .unwrap_err();
    assert!(
        matches!(&err, BuildError::InvalidValue { field, .. } if field == "todate"),
        "{err:?}"
    );
    let account = Config::<Account>::new(Token::new("t").unwrap());
    let err = postmark_kit::ops::find("create_domain")
        .unwrap()
        .build(&account, &format!(r#"{{"Name": "{}"}}"#, "a".repeat(256)))
        .unwrap_err();
    assert_eq!(
        err,
        BuildError::TooLong {
            field: "Name".into(),
            chars: 256,
            max: 255
        }
    );
}
