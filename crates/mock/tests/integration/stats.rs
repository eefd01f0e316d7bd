use postmark_kit_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{message, open_call, server_call};

fn seed(mock: &MockServer, body: Value) -> Vec<String> {
    let seeded = open_call(mock, "POST", "/__mock/stats/seed", Some(&body)).expect_ok();
    seeded["MessageIDs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect()
}

fn stats(mock: &MockServer, path: &str) -> Value {
    server_call(mock, "GET", &format!("/stats/outbound{path}"), None).expect_ok()
}

fn at(date: &str) -> String {
    format!("{date}T09:30:00.0000000-05:00")
}

/// Two days with data (Jan 5 and Jan 7, none on Jan 6), tag `welcome` on Jan 5 and a
/// broadcast on Jan 7.
fn scenario(mock: &MockServer) {
    let jan5 = seed(
        mock,
        json!({"Date": "2026-01-05", "Count": 3, "Tag": "welcome", "TrackOpens": true,
               "TrackLinks": "HtmlAndText", "HtmlBody": "<a href=\"https://a.example\">a</a><a href=\"https://b.example\">b</a>",
               "To": "ann@example.com, bob@example.com"}),
    );
    let jan7 = seed(
        mock,
        json!({"Date": "2026-01-07", "Count": 2, "MessageStream": "broadcast"}),
    );
    mock.add_bounce(json!({"Email": "ann@example.com", "MessageID": jan5[0], "Type": "HardBounce", "BouncedAt": at("2026-01-05")}));
    mock.add_bounce(json!({"Email": "bob@example.com", "MessageID": jan5[1], "Type": "SoftBounce", "BouncedAt": at("2026-01-05")}));
    mock.add_bounce(json!({"Email": "ann@example.com", "MessageID": jan7[0], "Type": "SpamComplaint", "BouncedAt": at("2026-01-07")}));
    mock.add_bounce(json!({"Email": "ann@example.com", "MessageID": jan7[1], "Type": "SMTPApiError", "BouncedAt": at("2026-01-07")}));
    let open = |id: &str,
                recipient: &str,
                date: &str,
                client: &str,
                platform: &str,
                seconds: i64| {
        mock.add_open(json!({"MessageID": id, "Recipient": recipient, "ReceivedAt": at(date),
                             "Client": {"Name": format!("{client} 1.0"), "Company": "x", "Family": client},
                             "Platform": platform, "ReadSeconds": seconds}));
    };
    open(
        &jan5[0],
        "ann@example.com",
        "2026-01-05",
        "Gmail",
        "WebMail",
        3,
    );
    open(
        &jan5[0],
        "ann@example.com",
        "2026-01-05",
        "Gmail",
        "WebMail",
        25,
    );
    open(
        &jan5[1],
        "bob@example.com",
        "2026-01-07",
        "Apple Mail",
        "Mobile",
        0,
    );
    let click = |id: &str, link: &str, date: &str, family: &str, platform: &str, location: &str| {
        mock.add_click(json!({"MessageID": id, "OriginalLink": link, "ReceivedAt": at(date), "ClickLocation": location,
                              "Client": {"Name": family, "Company": "x", "Family": family}, "Platform": platform}));
    };
    click(
        &jan5[0],
        "https://a.example",
        "2026-01-05",
        "Chrome",
        "Desktop",
        "HTML",
    );
    click(
        &jan5[0],
        "https://a.example",
        "2026-01-05",
        "Chrome",
        "Desktop",
        "HTML",
    );
    click(
        &jan5[0],
        "https://b.example",
        "2026-01-07",
        "Firefox",
        "Mobile",
        "Text",
    );
}

#[test]
fn every_report_counts_what_the_server_recorded() {
    let mock = MockServer::start().unwrap();
    // Nothing sent yet: the seeded bounce is the only record, on the day the mock started.
    assert_eq!(stats(&mock, "/sends"), json!({"Days": []}));
    scenario(&mock);
    let range = "?fromdate=2026-01-01&todate=2026-01-31";
    assert_eq!(
        stats(&mock, &format!("/sends{range}")),
        json!({"Days": [{"Date": "2026-01-05", "Sent": 3}, {"Date": "2026-01-07", "Sent": 2}], "Sent": 5})
    );
    assert_eq!(
        stats(&mock, &format!("/bounces{range}")),
        json!({"Days": [{"Date": "2026-01-05", "HardBounce": 1, "SoftBounce": 1},
                        {"Date": "2026-01-07", "SMTPApiError": 1}],
               "HardBounce": 1, "SoftBounce": 1, "SMTPApiError": 1})
    );
    assert_eq!(
        stats(&mock, &format!("/spam{range}")),
        json!({"Days": [{"Date": "2026-01-07", "SpamComplaint": 1}], "SpamComplaint": 1})
    );
    assert_eq!(
        stats(&mock, &format!("/tracked{range}")),
        json!({"Days": [{"Date": "2026-01-05", "Tracked": 3}], "Tracked": 3})
    );
    assert_eq!(
        stats(&mock, &format!("/opens{range}")),
        json!({"Days": [{"Date": "2026-01-05", "Opens": 2, "Unique": 1}, {"Date": "2026-01-07", "Opens": 1, "Unique": 1}],
               "Opens": 3, "Unique": 2})
    );
    assert_eq!(
        stats(&mock, &format!("/opens/platforms{range}")),
        json!({"Days": [{"Date": "2026-01-05", "WebMail": 2}, {"Date": "2026-01-07", "Mobile": 1}],
               "WebMail": 2, "Mobile": 1})
    );
    assert_eq!(
        stats(&mock, &format!("/opens/emailClients{range}")),
        json!({"Days": [{"Date": "2026-01-05", "Gmail": 2}, {"Date": "2026-01-07", "Apple Mail": 1}],
               "Gmail": 2, "Apple Mail": 1})
    );
    assert_eq!(
        stats(&mock, &format!("/opens/readtimes{range}")),
        json!({"Days": [{"Date": "2026-01-05", "3s": 1, "20s+": 1}, {"Date": "2026-01-07", "0s": 1}],
               "3s": 1, "20s+": 1, "0s": 1})
    );
    assert_eq!(
        stats(&mock, &format!("/clicks{range}")),
        json!({"Days": [{"Date": "2026-01-05", "Clicks": 2, "Unique": 1}, {"Date": "2026-01-07", "Clicks": 1, "Unique": 1}],
               "Clicks": 3, "Unique": 2})
    );
    assert_eq!(
        stats(&mock, &format!("/clicks/browserfamilies{range}")),
        json!({"Days": [{"Date": "2026-01-05", "Chrome": 2}, {"Date": "2026-01-07", "Firefox": 1}],
               "Chrome": 2, "Firefox": 1})
    );
    assert_eq!(
        stats(&mock, &format!("/clicks/platforms{range}")),
        json!({"Days": [{"Date": "2026-01-05", "Desktop": 2}, {"Date": "2026-01-07", "Mobile": 1}],
               "Desktop": 2, "Mobile": 1})
    );
    assert_eq!(
        stats(&mock, &format!("/clicks/location{range}")),
        json!({"Days": [{"Date": "2026-01-05", "HTML": 2}, {"Date": "2026-01-07", "Text": 1}],
               "HTML": 2, "Text": 1})
    );
    assert_eq!(
        stats(&mock, range),
        json!({
            "Sent": 5, "Bounced": 3, "SMTPApiErrors": 1, "BounceRate": 60.0,
            "SpamComplaints": 1, "SpamComplaintsRate": 20.0,
            "Opens": 3, "UniqueOpens": 2, "Tracked": 3, "WithLinkTracking": 3, "WithOpenTracking": 3,
            "TotalTrackedLinksSent": 6, "UniqueLinksClicked": 2, "TotalClicks": 3,
            "WithClientRecorded": 3, "WithPlatformRecorded": 3, "WithReadTimeRecorded": 2,
        })
    );
}

#[test]
fn filters_narrow_every_report() {
    let mock = MockServer::start().unwrap();
    scenario(&mock);
    assert_eq!(stats(&mock, "/sends?tag=WELCOME")["Sent"], 3);
    assert_eq!(stats(&mock, "/sends?messagestream=broadcast")["Sent"], 2);
    assert_eq!(
        stats(&mock, "/sends?fromdate=2026-01-06&todate=2026-01-07")["Sent"],
        2
    );
    assert_eq!(
        stats(&mock, "/sends?todate=2026-01-05")["Days"],
        json!([{"Date": "2026-01-05", "Sent": 3}])
    );
    assert_eq!(stats(&mock, "/opens?fromdate=2026-01-06")["Opens"], 1);
    assert_eq!(stats(&mock, "/clicks?tag=welcome")["Clicks"], 3);
    assert_eq!(
        stats(
            &mock,
            "/bounces?messagestream=broadcast&fromdate=2026-01-01"
        )["SMTPApiError"],
        1
    );
    assert_eq!(stats(&mock, "/spam?tag=welcome"), json!({"Days": []}));
    assert_eq!(stats(&mock, "?fromdate=2030-01-01")["Sent"], 0);
    assert_eq!(stats(&mock, "?fromdate=2030-01-01")["BounceRate"], 0.0);

    server_call(
        &mock,
        "GET",
        "/stats/outbound/sends?fromdate=yesterday",
        None,
    )
    .expect_error(422, 900);
    server_call(
        &mock,
        "GET",
        "/stats/outbound/sends?fromdate=2026-02-01&todate=2026-01-01",
        None,
    )
    .expect_error(422, 1502);
    server_call(
        &mock,
        "GET",
        "/stats/outbound/opens?messagestream=nope",
        None,
    )
    .expect_error(422, 1226);
}

#[test]
fn real_sends_count_today_and_seeding_is_checked() {
    let mock = MockServer::start().unwrap();
    server_call(&mock, "POST", "/email", Some(&message("ann@example.com"))).expect_ok();
    server_call(&mock, "POST", "/email", Some(&message("bob@example.com"))).expect_ok();
    let sends = stats(&mock, "/sends");
    assert_eq!(sends["Sent"], 2);
    let today = mock.sent_messages()[0]["ReceivedAt"].as_str().unwrap()[..10].to_owned();
    assert_eq!(sends["Days"], json!([{"Date": today, "Sent": 2}]));

    open_call(
        &mock,
        "POST",
        "/__mock/stats/seed",
        Some(&json!({"Date": "Jan 5"})),
    )
    .expect_error(400, 400);
    open_call(
        &mock,
        "POST",
        "/__mock/stats/seed",
        Some(&json!({"Count": 0})),
    )
    .expect_error(400, 400);
    open_call(
        &mock,
        "POST",
        "/__mock/stats/seed",
        Some(&json!({"MessageStream": "nope"})),
    )
    .expect_error(404, 404);
    let ids = seed(&mock, json!({"Date": "2026-03-01"}));
    let details = server_call(
        &mock,
        "GET",
        &format!("/messages/outbound/{}/details", ids[0]),
        None,
    )
    .expect_ok();
    assert_eq!(details["ReceivedAt"], "2026-03-01T12:00:00.0000000-05:00");
}
