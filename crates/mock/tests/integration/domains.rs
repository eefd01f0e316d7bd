use postmark_kit_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{account_call, column, open_call, server_call};

fn create(mock: &MockServer, body: Value) -> crate::support::Reply {
    account_call(mock, "POST", "/domains", Some(&body))
}

#[test]
fn domains_are_created_listed_and_deleted() {
    let mock = MockServer::start().unwrap();
    let created = create(
        &mock,
        json!({"Name": "example.com", "ReturnPathDomain": "pm-bounces.example.com"}),
    )
    .expect_ok();
    let id = created["ID"].as_i64().unwrap();
    assert_eq!(created["Name"], "example.com");
    assert_eq!(
        (
            created["DKIMVerified"].as_bool(),
            created["SPFVerified"].as_bool(),
            created["ReturnPathDomainVerified"].as_bool()
        ),
        (Some(false), Some(false), Some(false))
    );
    assert_eq!(created["DKIMHost"], "", "no active key before verification");
    let pending = created["DKIMPendingHost"].as_str().unwrap();
    assert!(pending.ends_with("pm._domainkey.example.com"), "{pending}");
    assert!(
        created["DKIMPendingTextValue"]
            .as_str()
            .unwrap()
            .starts_with("k=rsa;p=")
    );
    assert_eq!(created["DKIMUpdateStatus"], "Pending");
    assert_eq!(created["SPFHost"], "example.com");
    assert_eq!(
        created["SPFTextValue"],
        "v=spf1 a mx include:spf.mtasv.net ~all"
    );
    assert_eq!(created["ReturnPathDomain"], "pm-bounces.example.com");
    assert_eq!(created["ReturnPathDomainCNAMEValue"], "pm.mtasv.net");
    assert_eq!(created["WeakDKIM"], false);

    create(&mock, json!({"Name": "example.org"})).expect_ok();
    create(&mock, json!({"Name": "example.net"})).expect_ok();
    let page = account_call(&mock, "GET", "/domains?count=2&offset=1", None).expect_ok();
    assert_eq!(page["TotalCount"], 3);
    assert_eq!(
        column(&page, "Domains", "Name"),
        ["example.org", "example.net"]
    );
    assert_eq!(
        page["Domains"][0]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        [
            "DKIMVerified",
            "ID",
            "Name",
            "ReturnPathDomainVerified",
            "SPFVerified",
            "WeakDKIM"
        ]
    );
    account_call(&mock, "GET", "/domains?count=600&offset=0", None).expect_error(422, 500);
    assert_eq!(
        account_call(&mock, "GET", &format!("/domains/{id}"), None).expect_ok(),
        created
    );

    let removed = account_call(&mock, "DELETE", &format!("/domains/{id}"), None).expect_ok();
    assert_eq!(
        removed,
        json!({"ErrorCode": 0, "Message": "Domain example.com removed."})
    );
    account_call(&mock, "GET", &format!("/domains/{id}"), None).expect_error(422, 510);
    account_call(&mock, "DELETE", "/domains/abc", None).expect_error(422, 510);
    // Account routes refuse the server token.
    server_call(&mock, "GET", "/domains?count=1&offset=0", None).expect_error(401, 10);
}

#[test]
fn create_refuses_bad_names() {
    let mock = MockServer::start().unwrap();
    create(&mock, json!({"Name": "example.com"})).expect_ok();
    create(&mock, json!({})).expect_error(422, 514);
    create(&mock, json!({"Name": format!("{}.com", "a".repeat(252))})).expect_error(422, 515);
    create(&mock, json!({"Name": "not a domain"})).expect_error(422, 516);
    create(&mock, json!({"Name": "localhost"})).expect_error(422, 516);
    create(&mock, json!({"Name": "EXAMPLE.com"})).expect_error(422, 512);
    create(&mock, json!({"Name": "gmail.com"})).expect_error(422, 503);
    create(
        &mock,
        json!({"Name": "example.org", "ReturnPathDomain": "bounces.elsewhere.com"}),
    )
    .expect_error(422, 522);
    create(
        &mock,
        json!({"Name": "example.org", "ReturnPathDomain": "example.org"}),
    )
    .expect_error(422, 522);
}

#[test]
fn verification_fields_change_as_dns_is_checked() {
    let mock = MockServer::start().unwrap();
    let id = create(&mock, json!({"Name": "example.com"})).expect_ok()["ID"]
        .as_i64()
        .unwrap();
    let call = |method: &str, path: &str| {
        account_call(&mock, method, &format!("/domains/{id}{path}"), None)
    };

    // Before the records are in DNS, checking changes nothing and a Return-Path needs its CNAME.
    let unchanged = call("PUT", "/verifyDkim").expect_ok();
    assert_eq!(
        (
            unchanged["DKIMVerified"].as_bool(),
            unchanged["DKIMHost"].as_str()
        ),
        (Some(false), Some(""))
    );
    assert_eq!(
        call("POST", "/verifyspf").expect_ok(),
        json!({"SPFHost": "example.com", "SPFVerified": false,
        "SPFTextValue": "v=spf1 a mx include:spf.mtasv.net ~all"})
    );
    let edit = json!({"ReturnPathDomain": "pm.example.com"});
    account_call(&mock, "PUT", &format!("/domains/{id}"), Some(&edit)).expect_error(422, 523);
    call("POST", "/rotatedkim").expect_error(422, 505);

    // The control route publishes and verifies everything.
    let pending_host = unchanged["DKIMPendingHost"].as_str().unwrap().to_owned();
    let verified =
        open_call(&mock, "POST", &format!("/__mock/domains/{id}/verify"), None).expect_ok();
    assert_eq!(
        (
            verified["DKIMVerified"].as_bool(),
            verified["SPFVerified"].as_bool(),
            verified["DKIMUpdateStatus"].as_str()
        ),
        (Some(true), Some(true), Some("Verified"))
    );
    assert_eq!(verified["DKIMHost"], pending_host.as_str());
    assert_eq!(verified["DKIMPendingHost"], "");
    assert_eq!(call("GET", "").expect_ok(), verified);
    open_call(&mock, "POST", "/__mock/domains/999/verify", None).expect_error(404, 404);

    // A new Return-Path domain: accepted now, verified by its own check.
    let edited = account_call(&mock, "PUT", &format!("/domains/{id}"), Some(&edit)).expect_ok();
    assert_eq!(
        (
            edited["ReturnPathDomain"].as_str(),
            edited["ReturnPathDomainVerified"].as_bool()
        ),
        (Some("pm.example.com"), Some(false))
    );
    assert_eq!(
        call("PUT", "/verifyReturnPath").expect_ok()["ReturnPathDomainVerified"],
        true
    );
    assert_eq!(call("POST", "/verifySPF").expect_ok()["SPFVerified"], true);

    // Rotation: a new pending key until verified, then the old one is revoked.
    let rotated = call("POST", "/rotatedkim").expect_ok();
    let new_host = rotated["DKIMPendingHost"].as_str().unwrap().to_owned();
    assert_ne!(new_host, pending_host);
    assert_eq!(
        (
            rotated["DKIMUpdateStatus"].as_str(),
            rotated["DKIMHost"].as_str()
        ),
        (Some("Pending"), Some(pending_host.as_str()))
    );
    call("POST", "/rotatedkim").expect_error(422, 505);
    let done = call("PUT", "/verifydkim").expect_ok();
    assert_eq!(done["DKIMHost"], new_host.as_str());
    assert_eq!(done["DKIMRevokedHost"], pending_host.as_str());
    assert_eq!(
        (
            done["DKIMUpdateStatus"].as_str(),
            done["SafeToRemoveRevokedKeyFromDNS"].as_bool()
        ),
        (Some("Verified"), Some(true))
    );
    let item =
        &account_call(&mock, "GET", "/domains?count=1&offset=0", None).expect_ok()["Domains"][0];
    assert_eq!(
        (
            item["DKIMVerified"].as_bool(),
            item["ReturnPathDomainVerified"].as_bool()
        ),
        (Some(true), Some(true))
    );
}
