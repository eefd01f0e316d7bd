// Stats: the 13 reports, on messages, bounces, opens and clicks recorded on
// chosen days of January 2026 through the mock's control routes; every count
// checked, totals and days.
import assert from "node:assert/strict";
import { test } from "node:test";
import { group, logged, mock, server } from "../../support/operations.js";

/** The window asked for: it leaves out the mock's own seeded bounce, recorded when it starts. */
const january = { fromdate: "2026-01-01", todate: "2026-01-31" };
const at = (date) => `${date}T10:00:00-05:00`;
const seed = async (body) => (await mock.control("POST", "stats/seed", body)).MessageIDs;

/**
 * On January 5, three messages tagged `welcome` to ann@example.com, with open
 * and link tracking, two of them bounced (hard, soft), two opens (Gmail on
 * WebMail, read 2 s and 25 s) and a click (Chrome, Desktop, HTML); on January
 * 6 an open (Apple Mail, Mobile, 7 s) and a second click on the same link
 * (Firefox, Mobile, Text); on January 8 two broadcasts tagged `digest`, one
 * bounced (DnsError), one reported as spam. Nothing on January 7.
 */
async function scenario() {
  const welcome = await seed({
    Date: "2026-01-05",
    Count: 3,
    Tag: "welcome",
    To: "ann@example.com",
    TrackOpens: true,
    TrackLinks: "HtmlAndText",
    HtmlBody: '<a href="https://a.example">a</a>',
  });
  const digest = await seed({ Date: "2026-01-08", Count: 2, Tag: "digest", MessageStream: "broadcast" });
  for (const [MessageID, Type, date] of [
    [welcome[0], "HardBounce", "2026-01-05"],
    [welcome[1], "SoftBounce", "2026-01-05"],
    [digest[0], "DnsError", "2026-01-08"],
    [digest[1], "SpamComplaint", "2026-01-08"],
  ]) {
    await mock.control("POST", "bounces", { Email: "ann@example.com", MessageID, Type, BouncedAt: at(date) });
  }
  for (const [MessageID, date, Family, Platform, ReadSeconds] of [
    [welcome[0], "2026-01-05", "Gmail", "WebMail", 2],
    [welcome[0], "2026-01-05", "Gmail", "WebMail", 25],
    [welcome[1], "2026-01-06", "Apple Mail", "Mobile", 7],
  ]) {
    const Client = { Name: `${Family} 10`, Company: "x", Family };
    await mock.control("POST", "opens", { MessageID, ReceivedAt: at(date), Platform, Client, ReadSeconds });
  }
  for (const [date, Family, Platform, ClickLocation] of [
    ["2026-01-05", "Chrome", "Desktop", "HTML"],
    ["2026-01-06", "Firefox", "Mobile", "Text"],
  ]) {
    const Client = { Name: Family, Company: "x", Family };
    await mock.control("POST", "clicks", {
      MessageID: welcome[0],
      OriginalLink: "https://a.example",
      ReceivedAt: at(date),
      ClickLocation,
      Platform,
      Client,
    });
  }
}

/** The query of every request logged, by path below /stats/outbound. */
const asked = async () => (await mock.requests()).map((r) => [r.path.slice("/stats/outbound".length), r.query]);
const januaryQuery = "fromdate=2026-01-01&todate=2026-01-31";

export default () =>
  group("stats", () => {
    test("getOutboundOverview: every count and rate, of a stream, of a quiet day", async () => {
      await scenario();
      assert.deepEqual(await server.getOutboundOverview(january), {
        Sent: 5,
        Bounced: 3,
        SMTPApiErrors: 0,
        BounceRate: 60,
        SpamComplaints: 1,
        SpamComplaintsRate: 20,
        Opens: 3,
        UniqueOpens: 2,
        Tracked: 3,
        WithLinkTracking: 3,
        WithOpenTracking: 3,
        TotalTrackedLinksSent: 3,
        UniqueLinksClicked: 1,
        TotalClicks: 2,
        WithClientRecorded: 3,
        WithPlatformRecorded: 3,
        WithReadTimeRecorded: 3,
      });
      const broadcast = await server.getOutboundOverview({ messagestream: "broadcast", ...january });
      assert.deepEqual(
        [broadcast.Sent, broadcast.Bounced, broadcast.BounceRate, broadcast.SpamComplaints, broadcast.Opens],
        [2, 1, 50, 1, 0],
      );
      const quiet = await server.getOutboundOverview({ fromdate: "2026-01-07", todate: "2026-01-07" });
      assert.ok(Object.values(quiet).every((n) => n === 0), JSON.stringify(quiet));
      assert.equal(Object.keys(quiet).length, 17, "every key, even at 0");
      assert.deepEqual(await asked(), [
        ["", januaryQuery],
        ["", `messagestream=broadcast&${januaryQuery}`],
        ["", "fromdate=2026-01-07&todate=2026-01-07"],
      ]);
      await logged();
    });

    test("sends, bounces, spam complaints, tracked messages: totals and days", async () => {
      await scenario();
      assert.deepEqual(await server.getSentCounts(january), {
        Sent: 5,
        Days: [
          { Date: "2026-01-05", Sent: 3 },
          { Date: "2026-01-08", Sent: 2 },
        ],
      });
      assert.deepEqual(await server.getSentCounts({ tag: "welcome", ...january }), {
        Sent: 3,
        Days: [{ Date: "2026-01-05", Sent: 3 }],
      });
      // Bounce types without a field of their own are keyed by their name.
      const none = { HardBounce: 0, SoftBounce: 0, SMTPApiError: 0, Transient: 0 };
      assert.deepEqual(await server.getBounceCounts(january), {
        ...none,
        HardBounce: 1,
        SoftBounce: 1,
        DnsError: 1,
        Days: [
          { ...none, Date: "2026-01-05", HardBounce: 1, SoftBounce: 1 },
          { ...none, Date: "2026-01-08", DnsError: 1 },
        ],
      });
      // Without a januaryQuery the mock's own bounce, recorded today, counts too.
      assert.equal((await server.getBounceCounts()).HardBounce, 2);
      assert.deepEqual(await server.getSpamComplaintCounts(january), {
        SpamComplaint: 1,
        Days: [{ Date: "2026-01-08", SpamComplaint: 1 }],
      });
      assert.deepEqual(await server.getTrackedEmailCounts(january), {
        Tracked: 3,
        Days: [{ Date: "2026-01-05", Tracked: 3 }],
      });
      assert.deepEqual(await server.getTrackedEmailCounts({ tag: "digest", ...january }), { Tracked: 0, Days: [] });
      assert.deepEqual(await asked(), [
        ["/sends", januaryQuery],
        ["/sends", `tag=welcome&${januaryQuery}`],
        ["/bounces", januaryQuery],
        ["/bounces", ""],
        ["/spam", januaryQuery],
        ["/tracked", januaryQuery],
        ["/tracked", `tag=digest&${januaryQuery}`],
      ]);
      await logged();
    });

    test("opens: counts, platforms, email clients, read times", async () => {
      await scenario();
      assert.deepEqual(await server.getEmailOpenCounts(january), {
        Opens: 3,
        Unique: 2,
        Days: [
          { Date: "2026-01-05", Opens: 2, Unique: 1 },
          { Date: "2026-01-06", Opens: 1, Unique: 1 },
        ],
      });
      assert.deepEqual(await server.getEmailOpenCounts({ fromdate: "2026-01-07", todate: "2026-01-07" }), {
        Opens: 0,
        Unique: 0,
        Days: [],
      });
      const none = { Desktop: 0, Mobile: 0, Unknown: 0, WebMail: 0 };
      assert.deepEqual(await server.getEmailPlatformUsage(january), {
        ...none,
        WebMail: 2,
        Mobile: 1,
        Days: [
          { ...none, Date: "2026-01-05", WebMail: 2 },
          { ...none, Date: "2026-01-06", Mobile: 1 },
        ],
      });
      assert.deepEqual(await server.getEmailClientUsage(january), {
        Gmail: 2,
        "Apple Mail": 1,
        Days: [
          { Date: "2026-01-05", Gmail: 2 },
          { Date: "2026-01-06", "Apple Mail": 1 },
        ],
      });
      // Read times by whole seconds; 20 and more together.
      assert.deepEqual(await server.getEmailReadTimes(january), {
        "2s": 1,
        "7s": 1,
        "20s+": 1,
        Days: [
          { Date: "2026-01-05", "2s": 1, "20s+": 1 },
          { Date: "2026-01-06", "7s": 1 },
        ],
      });
      await logged();
    });

    test("clicks: counts, browsers, platforms, location", async () => {
      await scenario();
      // The second click on the link is not the recipient's first.
      assert.deepEqual(await server.getClickCounts(january), {
        Clicks: 2,
        Unique: 1,
        Days: [
          { Date: "2026-01-05", Clicks: 1, Unique: 1 },
          { Date: "2026-01-06", Clicks: 1, Unique: 0 },
        ],
      });
      assert.deepEqual(await server.getBrowserUsage(january), {
        Chrome: 1,
        Firefox: 1,
        Days: [
          { Date: "2026-01-05", Chrome: 1 },
          { Date: "2026-01-06", Firefox: 1 },
        ],
      });
      assert.deepEqual(await server.getBrowserPlatformUsage(january), {
        Desktop: 1,
        Mobile: 1,
        Unknown: 0,
        Days: [
          { Date: "2026-01-05", Desktop: 1, Mobile: 0, Unknown: 0 },
          { Date: "2026-01-06", Desktop: 0, Mobile: 1, Unknown: 0 },
        ],
      });
      assert.deepEqual(await server.getClickLocation(january), {
        HTML: 1,
        Text: 1,
        Days: [
          { Date: "2026-01-05", HTML: 1, Text: 0 },
          { Date: "2026-01-06", HTML: 0, Text: 1 },
        ],
      });
      assert.deepEqual(await server.getClickLocation({ messagestream: "broadcast", ...january }), { HTML: 0, Text: 0, Days: [] });
      await logged();
    });

    test("refused: a januaryQuery that ends before it starts (before sending), an unknown stream (by Postmark)", async () => {
      await assert.rejects(server.getClickCounts({ fromdate: "2026-02-01", todate: "2026-01-31" }), {
        name: "BuildError",
        kind: "invalid_value",
        field: "todate",
      });
      assert.deepEqual(await mock.requests(), []);
      await assert.rejects(server.getBrowserUsage({ messagestream: "nope" }), {
        name: "PostmarkError",
        errorCode: 1226,
        errorName: "MESSAGE_STREAM_NOT_FOUND",
      });
      await logged();
    });
  });
