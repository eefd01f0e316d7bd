use postmark_kit_mock::{MockServer, StreamType};
use serde_json::{Value, json};

use crate::support::server_call;

fn create(mock: &MockServer, body: Value) -> Value {
    server_call(mock, "POST", "/webhooks", Some(&body)).expect_ok()
}

fn full_body() -> Value {
    json!({
        "Url": "https://hooks.example.com/postmark",
        "MessageStream": "outbound",
        "HttpAuth": {"Username": "user", "Password": "secret"},
        "HttpHeaders": [{"Name": "X-Env", "Value": "test"}],
        "Triggers": {
            "Open": {"Enabled": true, "PostFirstOpenOnly": true},
            "Bounce": {"Enabled": true, "IncludeContent": true},
            "SubscriptionChange": {"Enabled": true},
        },
    })
}

#[test]
fn create_get_and_list() {
    let mock = MockServer::start().unwrap();
    let hook = create(&mock, full_body());
    let id = hook["ID"].as_i64().unwrap();
    assert_eq!(
        hook,
        json!({
            "ID": id,
            "Url": "https://hooks.example.com/postmark",
            "MessageStream": "outbound",
            "HttpAuth": {"Username": "user", "Password": "secret"},
            "HttpHeaders": [{"Name": "X-Env", "Value": "test"}],
            "Triggers": {
                "Open": {"Enabled": true, "PostFirstOpenOnly": true},
                "Click": {"Enabled": false},
                "Delivery": {"Enabled": false},
                "Bounce": {"Enabled": true, "IncludeContent": true},
                "SpamComplaint": {"Enabled": false, "IncludeContent": false},
                "SubscriptionChange": {"Enabled": true},
            },
            "Status": "verified",
        })
    );
    assert_eq!(
        server_call(&mock, "GET", &format!("/webhooks/{id}"), None).json(),
        hook
    );

    mock.add_stream("news", StreamType::Broadcasts, false);
    let news = create(
        &mock,
        json!({"Url": "http://example.com/n", "MessageStream": "news", "Verify": false}),
    );
    assert_eq!(
        (news["Status"].as_str(), news["HttpAuth"].is_null()),
        (Some("unverified"), true)
    );
    let ids = |query: &str| -> Vec<Value> {
        let list = server_call(&mock, "GET", &format!("/webhooks{query}"), None).json();
        list["Webhooks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["ID"].clone())
            .collect()
    };
    assert_eq!(ids(""), [hook["ID"].clone(), news["ID"].clone()]);
    assert_eq!(ids("?messagestream=NEWS"), [news["ID"].clone()]);
    assert_eq!(ids("?MessageStream="), ids(""));
    server_call(&mock, "GET", "/webhooks?MessageStream=missing", None).expect_error(422, 1226);
    server_call(&mock, "GET", "/webhooks/999", None).expect_error(422, 1352);
    server_call(&mock, "GET", "/webhooks/abc", None).expect_error(422, 1352);
}

#[test]
fn create_validation() {
    let mock = MockServer::start().unwrap();
    mock.add_stream("old", StreamType::Broadcasts, true);
    let cases = [
        (json!({}), 1354),
        (json!({"Url": "not a url"}), 1354),
        (json!({"Url": "ftp://example.com"}), 1354),
        (json!({"Url": "https://example.com", "ID": 5}), 1356),
        (
            json!({"Url": "https://example.com", "Status": "verified"}),
            1363,
        ),
        (
            json!({"Url": "https://example.com", "MessageStream": "inbound"}),
            1351,
        ),
        (
            json!({"Url": "https://example.com", "MessageStream": "old"}),
            1350,
        ),
        (
            json!({"Url": "https://example.com", "MessageStream": "nope"}),
            1226,
        ),
        (
            json!({"Url": "https://example.com", "HttpHeaders": [{"Name": "", "Value": "x"}]}),
            1358,
        ),
        (
            json!({"Url": "https://example.com", "Triggers": {"Open": {"Enabled": "yes"}}}),
            402,
        ),
    ];
    for (body, code) in cases {
        server_call(&mock, "POST", "/webhooks", Some(&body)).expect_error(422, code);
    }
    assert_eq!(
        server_call(&mock, "GET", "/webhooks", None).json(),
        json!({"Webhooks": []})
    );
}

#[test]
fn failed_verification_saves_nothing_unless_opted_out() {
    let mock = MockServer::start().unwrap();
    let mut body = full_body();
    body["Url"] = json!("https://fail.invalid/hook");
    let reply = server_call(&mock, "POST", "/webhooks", Some(&body));
    reply.expect_error(422, 1364);
    let result = reply.json();
    assert_eq!(result["Success"], false);
    assert_eq!(result["Url"], "https://fail.invalid/hook");
    let triggers: Vec<&str> = result["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["TriggerType"].as_str().unwrap())
        .collect();
    assert_eq!(triggers, ["Open", "Bounce", "SubscriptionChange"]);
    assert!(
        result["Results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["Success"] == false)
    );
    assert_eq!(
        server_call(&mock, "GET", "/webhooks", None).json()["Webhooks"],
        json!([])
    );

    body["Verify"] = json!(false);
    let hook = create(&mock, body);
    assert_eq!(hook["Status"], "unverified");
    let verified = server_call(
        &mock,
        "POST",
        &format!("/webhooks/{}/verify", hook["ID"]),
        None,
    )
    .json();
    assert_eq!(verified["Id"], hook["ID"]);
    assert_eq!(verified["Success"], false);
    assert_eq!(verified["Message"], "0/3 triggers verified successfully");
}

#[test]
fn verify_reports_each_enabled_trigger() {
    let mock = MockServer::start().unwrap();
    let hook = create(
        &mock,
        json!({"Url": "https://ok.example.com", "Verify": false,
                                    "Triggers": {"Delivery": {"Enabled": true}, "Click": {"Enabled": true}}}),
    );
    let result = server_call(
        &mock,
        "POST",
        &format!("/webhooks/{}/verify", hook["ID"]),
        None,
    )
    .json();
    assert_eq!(
        result,
        json!({
            "Id": hook["ID"],
            "Url": "https://ok.example.com",
            "Success": true,
            "Results": [
                {"TriggerType": "Click", "Success": true, "StatusCode": 200, "Message": "OK"},
                {"TriggerType": "Delivery", "Success": true, "StatusCode": 200, "Message": "OK"},
            ],
            "Message": "2/2 triggers verified successfully",
        })
    );
    let stored = server_call(&mock, "GET", &format!("/webhooks/{}", hook["ID"]), None).json();
    assert_eq!(stored["Status"], "verified");
    server_call(&mock, "POST", "/webhooks/77/verify", None).expect_error(422, 1352);
}

#[test]
fn edit_is_partial_and_guards_immutable_fields() {
    let mock = MockServer::start().unwrap();
    let hook = create(&mock, full_body());
    let path = format!("/webhooks/{}", hook["ID"]);
    let edited = server_call(
        &mock,
        "PUT",
        &path,
        Some(&json!({
            "Url": "https://hooks.example.com/v2",
            "Triggers": {"Open": {"Enabled": false}, "Click": {"Enabled": true}},
            "MessageStream": "OUTBOUND",
            "ID": hook["ID"],
        })),
    );
    let edited = edited.json();
    assert_eq!(edited["Url"], "https://hooks.example.com/v2");
    assert_eq!(
        edited["Triggers"]["Open"],
        json!({"Enabled": false, "PostFirstOpenOnly": true})
    );
    assert_eq!(edited["Triggers"]["Click"], json!({"Enabled": true}));
    assert_eq!(edited["Triggers"]["Bounce"], hook["Triggers"]["Bounce"]);
    assert_eq!(edited["HttpAuth"], hook["HttpAuth"]);

    for (body, code) in [
        (json!({"MessageStream": "broadcast"}), 1357),
        (json!({"ID": 12345}), 1357),
        (json!({"Status": "unverified"}), 1363),
        (json!({"Url": ""}), 1354),
        (json!({"Url": "http://FAIL.invalid:8080/x"}), 1364),
    ] {
        server_call(&mock, "PUT", &path, Some(&body)).expect_error(422, code);
    }
    assert_eq!(server_call(&mock, "GET", &path, None).json(), edited);
    let cleared = server_call(
        &mock,
        "PUT",
        &path,
        Some(&json!({"HttpAuth": {"Username": "", "Password": ""}, "HttpHeaders": []})),
    );
    assert_eq!(
        (
            cleared.json()["HttpAuth"].clone(),
            cleared.json()["HttpHeaders"].clone()
        ),
        (Value::Null, json!([]))
    );
    server_call(&mock, "PUT", "/webhooks/999", Some(&json!({}))).expect_error(422, 1352);
}

#[test]
fn statistics_and_delete() {
    let mock = MockServer::start().unwrap();
    let hook = create(&mock, full_body());
    let stats = server_call(
        &mock,
        "GET",
        &format!("/webhooks/{}/statistics", hook["ID"]),
        None,
    )
    .json();
    assert_eq!(stats["WebhookId"], hook["ID"]);
    assert_eq!(stats["Url"], hook["Url"]);
    assert_eq!(
        stats["Statuses"],
        json!({"Open": "verified", "Bounce": "verified", "SubscriptionChange": "verified"})
    );
    assert_eq!(stats["TimeRange"]["Hours"], 24);
    let (start, end) = (
        stats["TimeRange"]["StartTime"].as_str().unwrap(),
        stats["TimeRange"]["EndTime"].as_str().unwrap(),
    );
    assert!(start.ends_with('Z') && start < end, "{start} {end}");
    assert_eq!(stats["Metrics"]["TotalRequests"], 0);
    assert_eq!(stats["Metrics"]["SuccessRate"], 0.0);
    assert_eq!(stats["Metrics"]["AverageRetryResponseTimeMs"], Value::Null);
    let by_trigger: Vec<&String> = stats["MetricsByTrigger"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(by_trigger.len(), 3);

    let path = format!("/webhooks/{}", hook["ID"]);
    let removed = server_call(&mock, "DELETE", &path, None).json();
    assert_eq!(
        removed,
        json!({"ErrorCode": 0, "Message": format!("Webhook {} removed.", hook["ID"])})
    );
    server_call(&mock, "GET", &path, None).expect_error(422, 1352);
    server_call(&mock, "GET", &format!("{path}/statistics"), None).expect_error(422, 1352);
}
