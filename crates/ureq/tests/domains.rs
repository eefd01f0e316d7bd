//! The Domains operations of the ureq client over real HTTP against the mock server:
//! a domain's records from creation through publication, key renewal and removal.

use http::Method;
use postmark_kit::api::domains::*;
use postmark_kit::api::raw::Raw;
use postmark_kit::{BuildError, ErrorCode, StopReason};
use postmark_kit_mock::MockServer;
use postmark_kit_ureq::{AccountClient, ClientError};

use crate::support::account_client;

mod support;

fn create(client: &AccountClient, name: &str, return_path: Option<&str>) -> Domain {
    client
        .create_domain(&CreateDomain {
            name: name.into(),
            return_path_domain: return_path.map(Into::into),
        })
        .unwrap()
}

/// The mock's stand-in for publishing the records in DNS: every record verifies.
fn publish(client: &AccountClient, id: i64) {
    client
        .raw(&Raw::new(
            Method::POST,
            format!("/__mock/domains/{id}/verify"),
        ))
        .unwrap();
}

/// `(method, path)` of every request the mock received.
fn log(mock: &MockServer) -> Vec<(String, String)> {
    mock.requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect()
}

#[test]
fn a_domain_from_creation_to_removal() {
    let mock = MockServer::start().unwrap();
    let client = account_client(&mock);

    let domain = create(&client, "example.com", Some("pm-bounces.example.com"));
    let id = domain.id;
    assert_eq!(domain.name, "example.com");
    let dns = &domain.dns;
    assert!(!dns.dkim_verified && !dns.spf.spf_verified && !dns.return_path_domain_verified);
    assert_eq!(dns.dkim_host.as_deref(), Some(""));
    let first_key = dns.dkim_pending_host.clone().unwrap();
    assert!(
        first_key.ends_with("pm._domainkey.example.com"),
        "{first_key}"
    );
    assert_eq!(dns.dkim_update_status, Some(DkimUpdateStatus::Pending));
    assert_eq!(
        dns.return_path_domain.as_deref(),
        Some("pm-bounces.example.com")
    );
    assert_eq!(
        dns.return_path_domain_cname_value.as_deref(),
        Some("pm.mtasv.net")
    );
    assert_eq!(client.get_domain(&GetDomain { id }).unwrap(), domain);

    // Before the records are in DNS the checks find nothing, and a new
    // Return-Path domain is refused.
    let unchanged = client.verify_domain_dkim(&VerifyDomainDkim { id }).unwrap();
    assert_eq!(unchanged, domain);
    let err = client
        .edit_domain(&EditDomain {
            id,
            return_path_domain: Some("bounces.example.com".into()),
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::RETURN_PATH_CNAME_REQUIRED));

    publish(&client, id);
    let verified = client.get_domain(&GetDomain { id }).unwrap().dns;
    assert!(verified.dkim_verified && verified.spf.spf_verified);
    assert!(verified.return_path_domain_verified);
    assert_eq!(verified.dkim_host.as_deref(), Some(first_key.as_str()));
    assert_eq!(verified.dkim_pending_host.as_deref(), Some(""));
    assert_eq!(
        verified.dkim_update_status,
        Some(DkimUpdateStatus::Verified)
    );

    // A renewal: the new key pends until checked, then replaces the old one.
    let rotating = client
        .rotate_domain_dkim(&RotateDomainDkim { id })
        .unwrap()
        .dns;
    let second_key = rotating.dkim_pending_host.clone().unwrap();
    assert_ne!(second_key, first_key);
    assert!(!second_key.is_empty());
    assert_eq!(rotating.dkim_update_status, Some(DkimUpdateStatus::Pending));
    assert_eq!(rotating.dkim_host.as_deref(), Some(first_key.as_str()));
    let err = client
        .rotate_domain_dkim(&RotateDomainDkim { id })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::DKIM_ALREADY_RENEWING));
    let rotated = client
        .verify_domain_dkim(&VerifyDomainDkim { id })
        .unwrap()
        .dns;
    assert_eq!(rotated.dkim_host.as_deref(), Some(second_key.as_str()));
    assert_eq!(
        rotated.dkim_revoked_host.as_deref(),
        Some(first_key.as_str())
    );
    assert!(rotated.safe_to_remove_revoked_key_from_dns);
    assert_eq!(rotated.dkim_update_status, Some(DkimUpdateStatus::Verified));

    // A new Return-Path domain is unverified until checked.
    let edited = client
        .edit_domain(&EditDomain {
            id,
            return_path_domain: Some("bounces.example.com".into()),
        })
        .unwrap()
        .dns;
    assert_eq!(
        edited.return_path_domain.as_deref(),
        Some("bounces.example.com")
    );
    assert!(!edited.return_path_domain_verified);
    let checked = client
        .verify_domain_return_path(&VerifyDomainReturnPath { id })
        .unwrap();
    assert!(checked.dns.return_path_domain_verified);

    let spf = client.verify_domain_spf(&VerifyDomainSpf { id }).unwrap();
    assert_eq!(
        spf,
        SpfRecord {
            spf_verified: true,
            spf_host: Some("example.com".into()),
            spf_text_value: Some("v=spf1 a mx include:spf.mtasv.net ~all".into()),
        }
    );

    let deleted = client.delete_domain(&DeleteDomain { id }).unwrap();
    assert_eq!(deleted.message, "Domain example.com removed.");
    let err = client.get_domain(&GetDomain { id }).unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::DOMAIN_NOT_FOUND));

    let at = |tail: &str| format!("/domains/{id}{tail}");
    let expected: Vec<(String, String)> = [
        ("POST", "/domains".to_owned()),
        ("GET", at("")),
        ("PUT", at("/verifyDkim")),
        ("PUT", at("")),
        ("GET", at("")),
        ("POST", at("/rotatedkim")),
        ("POST", at("/rotatedkim")),
        ("PUT", at("/verifyDkim")),
        ("PUT", at("")),
        ("PUT", at("/verifyReturnPath")),
        ("POST", at("/verifyspf")),
        ("DELETE", at("")),
        ("GET", at("")),
    ]
    .into_iter()
    .map(|(method, path)| (method.to_owned(), path))
    .collect();
    assert_eq!(log(&mock), expected);
    assert!(
        mock.requests()
            .iter()
            .all(|r| r.token == postmark_kit_mock::TokenKind::Account)
    );
}

#[test]
fn the_list_pages_through_every_domain() {
    let mock = MockServer::start().unwrap();
    let client = account_client(&mock);
    let names = ["a.example", "b.example", "c.example"];
    for name in names {
        create(&client, name, None);
    }
    publish(&client, 2);
    mock.clear_requests();

    let page = client
        .list_domains(&ListDomains {
            count: 2,
            offset: 1,
        })
        .unwrap();
    assert_eq!(page.total_count, 3);
    let listed: Vec<(&str, bool)> = page
        .domains
        .iter()
        .map(|d| (d.name.as_str(), d.dkim_verified))
        .collect();
    assert_eq!(listed, [("b.example", true), ("c.example", false)]);

    let mut walk = client
        .paginate(ListDomains {
            count: 2,
            offset: 0,
        })
        .unwrap();
    let walked: Vec<String> = walk.by_ref().map(|d| d.unwrap().name).collect();
    assert_eq!(walked, names);
    assert_eq!(walk.cursor().stop_reason(), Some(StopReason::Exhausted));

    let queries: Vec<String> = mock.requests().into_iter().map(|r| r.query).collect();
    assert_eq!(
        queries,
        ["count=2&offset=1", "count=2&offset=0", "count=2&offset=2"]
    );
}

#[test]
fn refusals_before_sending_and_by_postmark() {
    let mock = MockServer::start().unwrap();
    let client = account_client(&mock);
    let err = client
        .create_domain(&CreateDomain {
            name: "example.com".into(),
            return_path_domain: Some("bounces.example.org".into()),
        })
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Build(BuildError::InvalidValue { field, .. }) if field == "ReturnPathDomain"),
        "{err:?}"
    );
    assert!(mock.requests().is_empty());

    create(&client, "example.com", None);
    for (name, code) in [
        ("example.com", ErrorCode::DOMAIN_EXISTS),
        ("gmail.com", ErrorCode::PUBLIC_DOMAIN_NOT_ALLOWED),
        ("not a domain", ErrorCode::DOMAIN_NAME_INVALID),
    ] {
        let err = client
            .create_domain(&CreateDomain {
                name: name.into(),
                return_path_domain: None,
            })
            .unwrap_err();
        assert_eq!(err.code(), Some(code), "{name}");
    }
    assert_eq!(mock.requests().len(), 4);
}
