//! The Sender signatures operations of the ureq client over real HTTP against the mock
//! server: a signature from creation through its owner's confirmation to removal.

use http::Method;
use postmark_kit::api::domains::DkimUpdateStatus;
use postmark_kit::api::raw::Raw;
use postmark_kit::api::senders::*;
use postmark_kit::{BuildError, ErrorCode, ErrorKind};
use postmark_kit_mock::MockServer;
use postmark_kit_ureq::{AccountClient, ClientError};

use crate::support::account_client;

mod support;

fn create(client: &AccountClient, from: &str, name: &str) -> SenderSignature {
    client
        .create_sender_signature(&CreateSenderSignature {
            from_email: from.into(),
            name: name.into(),
            ..Default::default()
        })
        .unwrap()
}

/// The mock's stand-in for the owner following the confirmation link; it also
/// publishes and verifies the domain's records.
fn confirm(client: &AccountClient, id: i64) {
    client
        .raw(&Raw::new(
            Method::POST,
            format!("/__mock/senders/{id}/confirm"),
        ))
        .unwrap();
}

#[test]
fn a_signature_from_creation_to_removal() {
    let mock = MockServer::start().unwrap();
    let client = account_client(&mock);

    let created = client
        .create_sender_signature(&CreateSenderSignature {
            from_email: "jp@example.com".into(),
            name: "JP Toto".into(),
            reply_to_email: Some("info@example.com".into()),
            return_path_domain: Some("pm-bounces.example.com".into()),
            confirmation_personal_note: Some("Hi JP, please confirm.".into()),
        })
        .unwrap();
    let id = created.id;
    assert_eq!(
        (
            created.name.as_str(),
            created.domain.as_str(),
            created.email_address.as_str()
        ),
        ("JP Toto", "example.com", "jp@example.com")
    );
    assert_eq!(
        created.reply_to_email_address.as_deref(),
        Some("info@example.com")
    );
    assert_eq!(
        created.confirmation_personal_note.as_deref(),
        Some("Hi JP, please confirm.")
    );
    assert!(!created.confirmed);
    assert!(!created.dns.dkim_verified && !created.dns.spf.spf_verified);
    assert_eq!(
        created.dns.return_path_domain.as_deref(),
        Some("pm-bounces.example.com")
    );
    assert_eq!(
        client
            .get_sender_signature(&GetSenderSignature { id })
            .unwrap(),
        created
    );

    // Before confirmation the link can be sent again, and SPF is not found.
    let resent = client
        .resend_sender_signature_confirmation(&ResendSenderSignatureConfirmation { id })
        .unwrap();
    assert_eq!(resent.error_code, ErrorCode::from(0));
    assert!(resent.message.contains("jp@example.com"), "{resent:?}");
    let spf = client
        .verify_sender_signature_spf(&VerifySenderSignatureSpf { id })
        .unwrap();
    assert!(!spf.dns.spf.spf_verified);

    confirm(&client, id);
    let confirmed = client
        .get_sender_signature(&GetSenderSignature { id })
        .unwrap();
    assert!(confirmed.confirmed);
    assert!(confirmed.dns.dkim_verified && confirmed.dns.spf.spf_verified);
    assert_eq!(
        confirmed.dns.dkim_update_status,
        Some(DkimUpdateStatus::Verified)
    );
    let err = client
        .resend_sender_signature_confirmation(&ResendSenderSignatureConfirmation { id })
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(ErrorCode::SENDER_SIGNATURE_ALREADY_CONFIRMED)
    );
    let spf = client
        .verify_sender_signature_spf(&VerifySenderSignatureSpf { id })
        .unwrap();
    assert!(spf.dns.spf.spf_verified);

    // A new key, once: a second request while it is pending is refused.
    let renewal = client
        .request_new_sender_signature_dkim(&RequestNewSenderSignatureDkim { id })
        .unwrap();
    assert_eq!(renewal.error_code, ErrorCode::from(0));
    let pending = client
        .get_sender_signature(&GetSenderSignature { id })
        .unwrap()
        .dns;
    assert_eq!(pending.dkim_update_status, Some(DkimUpdateStatus::Pending));
    assert_ne!(pending.dkim_pending_host.as_deref(), Some(""));
    let err = client
        .request_new_sender_signature_dkim(&RequestNewSenderSignatureDkim { id })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::DKIM_ALREADY_RENEWING));

    let edited = client
        .edit_sender_signature(&EditSenderSignature {
            id,
            name: "JP".into(),
            reply_to_email: Some(String::new()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(edited.name, "JP");
    assert_eq!(edited.reply_to_email_address.as_deref(), Some(""));
    assert_eq!(edited.email_address, "jp@example.com");
    assert_eq!(
        edited.confirmation_personal_note.as_deref(),
        Some("Hi JP, please confirm."),
        "what the edit leaves out stays"
    );

    let deleted = client
        .delete_sender_signature(&DeleteSenderSignature { id })
        .unwrap();
    assert_eq!(deleted.message, "Signature jp@example.com removed.");
    let err = client
        .get_sender_signature(&GetSenderSignature { id })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::SENDER_SIGNATURE_NOT_FOUND));
    assert_eq!(err.api_kind(), Some(ErrorKind::NotFound));

    let log: Vec<(String, String)> = mock
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect();
    let at = |tail: &str| format!("/senders/{id}{tail}");
    let expected: Vec<(String, String)> = [
        ("POST", "/senders".to_owned()),
        ("GET", at("")),
        ("POST", at("/resend")),
        ("POST", at("/verifyspf")),
        ("GET", at("")),
        ("POST", at("/resend")),
        ("POST", at("/verifyspf")),
        ("POST", at("/requestnewdkim")),
        ("GET", at("")),
        ("POST", at("/requestnewdkim")),
        ("PUT", at("")),
        ("DELETE", at("")),
        ("GET", at("")),
    ]
    .into_iter()
    .map(|(method, path)| (method.to_owned(), path))
    .collect();
    assert_eq!(log, expected);
}

#[test]
fn the_list_pages_through_every_signature() {
    let mock = MockServer::start().unwrap();
    let client = account_client(&mock);
    let first = create(&client, "a@example.com", "A");
    create(&client, "b@example.org", "B");
    confirm(&client, first.id);
    mock.clear_requests();

    let page = client
        .list_sender_signatures(&ListSenderSignatures::default())
        .unwrap();
    assert_eq!(page.total_count, 2);
    let listed: Vec<(&str, &str, bool)> = page
        .sender_signatures
        .iter()
        .map(|s| (s.email_address.as_str(), s.domain.as_str(), s.confirmed))
        .collect();
    assert_eq!(
        listed,
        [
            ("a@example.com", "example.com", true),
            ("b@example.org", "example.org", false)
        ]
    );
    let walked: Vec<String> = client
        .paginate(ListSenderSignatures {
            count: 1,
            offset: 0,
        })
        .unwrap()
        .map(|s| s.unwrap().name)
        .collect();
    assert_eq!(walked, ["A", "B"]);

    let queries: Vec<String> = mock.requests().into_iter().map(|r| r.query).collect();
    assert_eq!(
        queries,
        ["count=500&offset=0", "count=1&offset=0", "count=1&offset=1"]
    );
}

#[test]
fn refusals_before_sending_and_by_postmark() {
    let mock = MockServer::start().unwrap();
    let client = account_client(&mock);
    let err = client
        .create_sender_signature(&CreateSenderSignature {
            from_email: "jp@example.com".into(),
            name: "JP".into(),
            confirmation_personal_note: Some("x".repeat(401)),
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        matches!(
            &err,
            ClientError::Build(BuildError::TooLong {
                chars: 401,
                max: 400,
                ..
            })
        ),
        "{err:?}"
    );
    let err = client
        .edit_sender_signature(&EditSenderSignature {
            id: 1,
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Build(BuildError::MissingField { field }) if field == "Name"),
        "{err:?}"
    );
    assert!(mock.requests().is_empty());

    create(&client, "jp@example.com", "JP");
    for (from, code) in [
        ("jp@example.com", ErrorCode::SENDER_SIGNATURE_EXISTS),
        ("someone@gmail.com", ErrorCode::PUBLIC_DOMAIN_NOT_ALLOWED),
    ] {
        let err = client
            .create_sender_signature(&CreateSenderSignature {
                from_email: from.into(),
                name: "X".into(),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(err.code(), Some(code), "{from}");
    }
    assert_eq!(mock.requests().len(), 3);
}
