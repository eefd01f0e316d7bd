//! The Stats operations of the ureq client over real HTTP against the mock server, on
//! messages, bounces, opens and clicks recorded on chosen days.

use http::Method;
use postmark_kit::api::raw::Raw;
use postmark_kit::api::stats::*;
use postmark_kit::{BuildError, ErrorCode};
use postmark_kit_mock::MockServer;
use postmark_kit_ureq::{ClientError, ServerClient};
use serde_json::{Value, json};

use crate::support::server_client;

mod support;

/// The window every report below is asked for: January 2026, which leaves out the
/// mock's own seeded bounce (recorded when it starts).
const FROM: &str = "2026-01-01";
const TO: &str = "2026-01-31";

/// Records `body` (see the mock's `POST /__mock/stats/seed`) and answers the IDs of
/// the messages sent.
fn seed(client: &ServerClient, body: Value) -> Vec<String> {
    let seeded = client
        .raw(&Raw::new(Method::POST, "/__mock/stats/seed").body(body))
        .unwrap();
    seeded["MessageIDs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect()
}

fn at(date: &str) -> String {
    format!("{date}T10:00:00-05:00")
}

/// On January 5, three messages tagged `welcome` with open and link tracking, two
/// bounces and two opens; on January 6 another open and a second click; on January 8
/// two broadcasts, a DNS bounce and a spam complaint. No record on January 7.
fn scenario(mock: &MockServer, client: &ServerClient) {
    let welcome = seed(
        client,
        json!({"Date": "2026-01-05", "Count": 3, "Tag": "welcome", "TrackOpens": true,
               "TrackLinks": "HtmlAndText", "HtmlBody": "<a href=\"https://a.example\">a</a>",
               "To": "ann@example.com"}),
    );
    let digest = seed(
        client,
        json!({"Date": "2026-01-08", "Count": 2, "Tag": "digest", "MessageStream": "broadcast"}),
    );
    for (id, kind, date) in [
        (&welcome[0], "HardBounce", "2026-01-05"),
        (&welcome[1], "SoftBounce", "2026-01-05"),
        (&digest[0], "DnsError", "2026-01-08"),
        (&digest[1], "SpamComplaint", "2026-01-08"),
    ] {
        mock.add_bounce(
            json!({"Email": "ann@example.com", "MessageID": id, "Type": kind,
                               "BouncedAt": at(date)}),
        );
    }
    for (id, date, client, platform, seconds) in [
        (&welcome[0], "2026-01-05", "Gmail", "WebMail", 2),
        (&welcome[0], "2026-01-05", "Gmail", "WebMail", 25),
        (&welcome[1], "2026-01-06", "Apple Mail", "Mobile", 7),
    ] {
        mock.add_open(json!({"MessageID": id, "ReceivedAt": at(date), "Platform": platform,
                             "Client": {"Name": format!("{client} 10"), "Company": "x", "Family": client},
                             "ReadSeconds": seconds}));
    }
    for (date, browser, platform, location) in [
        ("2026-01-05", "Chrome", "Desktop", "HTML"),
        ("2026-01-06", "Firefox", "Mobile", "Text"),
    ] {
        mock.add_click(json!({"MessageID": welcome[0], "OriginalLink": "https://a.example",
                              "ReceivedAt": at(date), "ClickLocation": location, "Platform": platform,
                              "Client": {"Name": browser, "Company": "x", "Family": browser}}));
    }
}

/// A request of the report `$request` for January 2026.
macro_rules! january {
    ($request:ident) => {
        $request {
            from_date: Some(FROM.into()),
            to_date: Some(TO.into()),
            ..Default::default()
        }
    };
}

/// `(date, counts)` of every day of a report.
fn days<C: Clone>(report: &StatsReport<C>) -> Vec<(&str, C)> {
    report
        .days
        .iter()
        .map(|day| (day.date.as_str(), day.counts.clone()))
        .collect()
}

fn named(counts: &[(&str, u64)]) -> NamedCounts {
    NamedCounts {
        by_name: counts.iter().map(|(k, n)| (k.to_string(), *n)).collect(),
    }
}

#[test]
fn every_report_counts_what_was_recorded() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    scenario(&mock, &client);

    let overview = client
        .get_outbound_overview(&january!(GetOutboundOverview))
        .unwrap();
    assert_eq!(
        overview,
        OutboundOverview {
            sent: 5,
            bounced: 3,
            smtp_api_errors: 0,
            bounce_rate: 60.0,
            spam_complaints: 1,
            spam_complaints_rate: 20.0,
            opens: 3,
            unique_opens: 2,
            tracked: 3,
            with_link_tracking: 3,
            with_open_tracking: 3,
            total_tracked_links_sent: 3,
            unique_links_clicked: 1,
            total_clicks: 2,
            with_client_recorded: 3,
            with_platform_recorded: 3,
            with_read_time_recorded: 3,
        }
    );

    let sent = client.get_sent_counts(&january!(GetSentCounts)).unwrap();
    assert_eq!(sent.totals, SentCounts { sent: 5 });
    assert_eq!(
        days(&sent),
        [
            ("2026-01-05", SentCounts { sent: 3 }),
            ("2026-01-08", SentCounts { sent: 2 })
        ]
    );

    let bounces = client
        .get_bounce_counts(&january!(GetBounceCounts))
        .unwrap();
    let dns = |n| [("DnsError".to_owned(), n)].into();
    assert_eq!(
        bounces.totals,
        BounceCounts {
            hard_bounce: 1,
            soft_bounce: 1,
            others: dns(1),
            ..Default::default()
        }
    );
    assert_eq!(
        days(&bounces),
        [
            (
                "2026-01-05",
                BounceCounts {
                    hard_bounce: 1,
                    soft_bounce: 1,
                    ..Default::default()
                }
            ),
            (
                "2026-01-08",
                BounceCounts {
                    others: dns(1),
                    ..Default::default()
                }
            ),
        ]
    );

    let spam = client
        .get_spam_complaint_counts(&january!(GetSpamComplaintCounts))
        .unwrap();
    assert_eq!(spam.totals.spam_complaint, 1);
    assert_eq!(
        days(&spam),
        [("2026-01-08", SpamComplaintCounts { spam_complaint: 1 })]
    );

    let tracked = client
        .get_tracked_email_counts(&january!(GetTrackedEmailCounts))
        .unwrap();
    assert_eq!(
        days(&tracked),
        [("2026-01-05", TrackedEmailCounts { tracked: 3 })]
    );

    let opens = client
        .get_email_open_counts(&january!(GetEmailOpenCounts))
        .unwrap();
    assert_eq!(
        opens.totals,
        OpenCounts {
            opens: 3,
            unique: 2
        }
    );
    assert_eq!(
        days(&opens),
        [
            (
                "2026-01-05",
                OpenCounts {
                    opens: 2,
                    unique: 1
                }
            ),
            (
                "2026-01-06",
                OpenCounts {
                    opens: 1,
                    unique: 1
                }
            ),
        ]
    );

    let platforms = client
        .get_email_platform_usage(&january!(GetEmailPlatformUsage))
        .unwrap();
    assert_eq!(
        platforms.totals,
        EmailPlatformCounts {
            web_mail: 2,
            mobile: 1,
            ..Default::default()
        }
    );
    assert_eq!(platforms.days[1].counts.mobile, 1);

    let clients = client
        .get_email_client_usage(&january!(GetEmailClientUsage))
        .unwrap();
    assert_eq!(clients.totals, named(&[("Apple Mail", 1), ("Gmail", 2)]));
    assert_eq!(
        days(&clients),
        [
            ("2026-01-05", named(&[("Gmail", 2)])),
            ("2026-01-06", named(&[("Apple Mail", 1)]))
        ]
    );

    let read = client
        .get_email_read_times(&january!(GetEmailReadTimes))
        .unwrap();
    assert_eq!(read.totals, named(&[("2s", 1), ("20s+", 1), ("7s", 1)]));

    let clicks = client.get_click_counts(&january!(GetClickCounts)).unwrap();
    assert_eq!(
        days(&clicks),
        [
            (
                "2026-01-05",
                ClickCounts {
                    clicks: 1,
                    unique: 1
                }
            ),
            (
                "2026-01-06",
                ClickCounts {
                    clicks: 1,
                    unique: 0
                }
            ),
        ]
    );

    let browsers = client
        .get_browser_usage(&january!(GetBrowserUsage))
        .unwrap();
    assert_eq!(browsers.totals, named(&[("Chrome", 1), ("Firefox", 1)]));

    let devices = client
        .get_browser_platform_usage(&january!(GetBrowserPlatformUsage))
        .unwrap();
    assert_eq!(
        devices.totals,
        BrowserPlatformCounts {
            desktop: 1,
            mobile: 1,
            unknown: 0
        }
    );

    let locations = client
        .get_click_location(&january!(GetClickLocation))
        .unwrap();
    assert_eq!(
        days(&locations),
        [
            ("2026-01-05", ClickLocationCounts { html: 1, text: 0 }),
            ("2026-01-06", ClickLocationCounts { html: 0, text: 1 })
        ]
    );

    let log: Vec<(String, String)> = mock
        .requests()
        .into_iter()
        .map(|r| (r.path, r.query))
        .collect();
    let window = format!("fromdate={FROM}&todate={TO}");
    let expected: Vec<(String, String)> = [
        "",
        "/sends",
        "/bounces",
        "/spam",
        "/tracked",
        "/opens",
        "/opens/platforms",
        "/opens/emailclients",
        "/opens/readtimes",
        "/clicks",
        "/clicks/browserfamilies",
        "/clicks/platforms",
        "/clicks/location",
    ]
    .iter()
    .map(|path| (format!("/stats/outbound{path}"), window.clone()))
    .collect();
    assert_eq!(log, expected);
}

#[test]
fn filters_narrow_the_reports() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    scenario(&mock, &client);

    let welcome = client
        .get_sent_counts(&GetSentCounts {
            tag: Some("welcome".into()),
            ..january!(GetSentCounts)
        })
        .unwrap();
    assert_eq!(welcome.totals.sent, 3);
    assert_eq!(welcome.days.len(), 1);

    let broadcast = client
        .get_outbound_overview(&GetOutboundOverview {
            message_stream: Some("broadcast".into()),
            ..january!(GetOutboundOverview)
        })
        .unwrap();
    assert_eq!((broadcast.sent, broadcast.bounced), (2, 1));
    assert_eq!(broadcast.spam_complaints, 1);
    assert_eq!(broadcast.opens, 0);

    // One day with nothing: no rows, totals of 0.
    let quiet = client
        .get_email_open_counts(&GetEmailOpenCounts {
            from_date: Some("2026-01-07".into()),
            to_date: Some("2026-01-07".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(quiet, StatsReport::default());

    // Without a window the mock's own bounce, recorded today, counts too.
    let all_time = client
        .get_bounce_counts(&GetBounceCounts::default())
        .unwrap();
    assert_eq!(all_time.totals.hard_bounce, 2);

    let queries: Vec<String> = mock.requests().into_iter().map(|r| r.query).collect();
    assert_eq!(
        queries,
        [
            format!("tag=welcome&fromdate={FROM}&todate={TO}"),
            format!("messagestream=broadcast&fromdate={FROM}&todate={TO}"),
            "fromdate=2026-01-07&todate=2026-01-07".to_owned(),
            String::new(),
        ]
    );
}

#[test]
fn refusals_before_sending_and_by_postmark() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let err = client
        .get_click_counts(&GetClickCounts {
            from_date: Some("2026-02-01".into()),
            to_date: Some(TO.into()),
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Build(BuildError::InvalidValue { field, .. }) if field == "todate"),
        "{err:?}"
    );
    assert!(mock.requests().is_empty());

    let err = client
        .get_browser_usage(&GetBrowserUsage {
            message_stream: Some("nope".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::MESSAGE_STREAM_NOT_FOUND));
    assert_eq!(mock.requests()[0].query, "messagestream=nope");
}

#[test]
fn reports_by_name_for_the_bindings() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    scenario(&mock, &client);
    let op = postmark_kit::ops::find("get_email_client_usage").unwrap();
    let answer: Value = serde_json::from_str(
        &client
            .call(op, r#"{"todate": "2026-01-31", "fromdate": "2026-01-01"}"#)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        answer,
        json!({"Days": [{"Date": "2026-01-05", "Gmail": 2}, {"Date": "2026-01-06", "Apple Mail": 1}],
               "Gmail": 2, "Apple Mail": 1})
    );
    assert_eq!(
        mock.requests()[0].query,
        "todate=2026-01-31&fromdate=2026-01-01"
    );
}
