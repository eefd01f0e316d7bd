// The server client's methods made of several calls, against the mock:
// sendEmailBatches past 500 messages, walkWindows past the 10,000-item cap,
// and the inactive recipients of a send, refused or accepted, in every
// wording Postmark uses.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, beforeEach, test } from "node:test";
import { BuildError, inactiveRecipients, parseResponse, PostmarkError, ServerClient } from "postmark-kit";
import { startMock } from "../../../../examples/js/local-mock.mjs";
import { message } from "../support/message.js";

const wordings = JSON.parse(readFileSync(new URL("../../../../tests/conformance/inactive_recipients.json", import.meta.url)));

let mock, server;

before(async () => {
  mock = await startMock();
  server = new ServerClient(mock.serverToken, { baseUrl: mock.url, retry: { maxAttempts: 1 } });
});
after(() => mock.close());
beforeEach(() => mock.control("POST", "reset"));

const sentRequests = async () => (await mock.requests()).map((r) => `${r.method} ${r.path}`);

test("sendEmailBatches: 1,234 messages go out as 3 batches, one result each in order", async () => {
  const messages = Array.from({ length: 1234 }, (_, i) => message({ To: `r${i}@example.com` }));
  // The mock's inactive address: refused alone, left out beside another.
  messages[700] = message({ To: "inactive@example.com" });
  messages[1100] = message({ To: "r1100@example.com, inactive@example.com" });
  const results = await server.sendEmailBatches(messages);
  assert.equal(results.length, 1234);
  assert.deepEqual(await sentRequests(), ["POST /email/batch", "POST /email/batch", "POST /email/batch"]);
  results.forEach((result, i) => {
    if (i === 700) return;
    assert.equal(result.ErrorCode, 0, `${i}: ${result.Message}`);
    assert.ok(result.To.startsWith(`r${i}@example.com`), `${i}: ${result.To}`);
  });
  assert.equal(results[700].ErrorCode, 406);
  assert.deepEqual(inactiveRecipients(results[700]), ["inactive@example.com"]);
  assert.deepEqual(inactiveRecipients(results[1100]), ["inactive@example.com"]);
  assert.deepEqual(inactiveRecipients(results[1099]), []);
  assert.equal((await mock.control("GET", "messages")).length, 1233);
});

test("sendEmailBatches: a message over 10 MB is refused by its index before anything is sent", async () => {
  const messages = Array.from({ length: 600 }, (_, i) => message({ To: `r${i}@example.com` }));
  messages[555] = message({ TextBody: "x".repeat(10 * 1024 * 1024 + 1) });
  const refused = await server.sendEmailBatches(messages).catch((e) => e);
  assert.ok(refused instanceof BuildError, String(refused));
  assert.equal(refused.kind, "payload_too_large");
  assert.equal(refused.index, 555);
  // A message the second batch's call would refuse is named by its place in the whole list.
  const missing = Array.from({ length: 501 }, (_, i) => message({ To: `r${i}@example.com` }));
  delete missing[500].From;
  const absent = await server.sendEmailBatches(missing).catch((e) => e);
  assert.equal(absent.kind, "missing_field");
  assert.equal(absent.field, "From");
  assert.equal(absent.index, 500);
  assert.deepEqual(await sentRequests(), []);
  await assert.rejects(server.sendEmailBatches({ not: "an array" }), { name: "BuildError", kind: "invalid_params" });
});

test("sendEmailBatches: no messages make no calls; a failure carries the results sent until then", async () => {
  assert.deepEqual(await server.sendEmailBatches([]), []);
  assert.deepEqual(await sentRequests(), []);
  await mock.fault({ kind: "status", status: 500 }, { count: 1, path: "/email/batch" });
  // The first batch is refused by the fault; nothing was answered before it.
  const first = await server.sendEmailBatches([message()]).catch((e) => e);
  assert.ok(first instanceof PostmarkError);
  assert.deepEqual(first.sent, []);
  // The first batch is answered (after a short delay), the second meets a 500.
  await mock.fault({ kind: "delay", ms: 1 }, { count: 1, path: "/email/batch" });
  await mock.fault({ kind: "status", status: 500 }, { count: 1, path: "/email/batch" });
  const messages = Array.from({ length: 501 }, (_, i) => message({ To: `r${i}@example.com` }));
  const stopped = await server.sendEmailBatches(messages).catch((e) => e);
  assert.ok(stopped instanceof PostmarkError, String(stopped));
  assert.equal(stopped.status, 500);
  assert.deepEqual(
    stopped.sent.map((r) => r.To),
    messages.slice(0, 500).map((m) => m.To),
  );
});

test("sendEmailBatchesWithTemplates: the messages go out wrapped, one result each", async () => {
  await mock.control("POST", "templates", { Alias: "welcome", Subject: "Hi {{name}}", TextBody: "Hello {{name}}" });
  const messages = Array.from({ length: 501 }, (_, i) => ({
    From: "sender@example.com",
    To: `t${i}@example.com`,
    TemplateAlias: "welcome",
    TemplateModel: { name: `n${i}` },
  }));
  const results = await server.sendEmailBatchesWithTemplates(messages);
  assert.deepEqual(
    results.map((r) => r.To),
    messages.map((m) => m.To),
  );
  assert.deepEqual(await sentRequests(), ["POST /email/batchWithTemplates", "POST /email/batchWithTemplates"]);
  const sent = await mock.control("GET", "messages");
  assert.equal(sent.find((m) => m.Recipients.includes("t500@example.com")).Subject, "Hi n500");
});

test("walkWindows: a search of 11,000 messages is walked whole, each once, newest first", async () => {
  const seeded = [];
  for (let day = 1; day <= 11; day++) {
    const date = `2026-01-${String(day).padStart(2, "0")}`;
    seeded.push(...(await mock.control("POST", "stats/seed", { Date: date, Count: 1000, Tag: "seeded" })).MessageIDs);
  }
  await mock.control("POST", "stats/seed", { Date: "2026-01-12", Count: 5, Tag: "seeded" });
  await mock.control("DELETE", "requests");
  const walked = await server.walkWindows("searchOutboundMessages", { tag: "seeded" }, "2026-01-01", "2026-01-11");
  assert.deepEqual(walked.truncated, []);
  const ids = walked.items.map((m) => m.MessageID);
  assert.equal(ids.length, 11000);
  assert.equal(new Set(ids).size, 11000);
  assert.deepEqual(ids.toSorted(), seeded.toSorted());
  const days = walked.items.map((m) => m.ReceivedAt.slice(0, 10));
  assert.deepEqual(days, days.toSorted().toReversed());
  const requests = await mock.requests();
  assert.ok(requests.every((r) => r.path === "/messages/outbound"));
  assert.ok(requests.some((r) => r.query.includes("todate=2026-01-06T")), "the window was split");
  assert.ok(requests.length < 40, `${requests.length} requests`);
});

test("walkWindows: a window under the cap is one walk; other lists and bad dates are refused", async () => {
  for (const Email of ["a@example.com", "b@example.com"]) {
    await mock.control("POST", "bounces", { Email, BouncedAt: "2026-02-03T10:00:00.0000000-05:00" });
  }
  await mock.control("DELETE", "requests");
  const walked = await server.walkWindows("listBounces", null, "2026-02-01", "2026-02-28");
  assert.deepEqual(
    walked.items.map((b) => b.Email),
    ["b@example.com", "a@example.com"],
  );
  assert.deepEqual(
    (await mock.requests()).map((r) => r.query),
    ["count=500&offset=0&fromdate=2026-02-01T00%3A00%3A00&todate=2026-02-28T23%3A59%3A59"],
  );
  await mock.control("DELETE", "requests");
  await assert.rejects(server.walkWindows("listBounces", {}, "2026-02-30", "2026-03-01"), {
    name: "BuildError",
    kind: "invalid_value",
    field: "fromdate",
  });
  await assert.rejects(server.walkWindows("listTemplates", {}, "2026-02-01", "2026-03-01"), {
    name: "BuildError",
    kind: "invalid_params",
  });
  assert.deepEqual(await mock.requests(), []);
});

test("inactive recipients: every wording, refused with 406 and accepted with 0", () => {
  assert.ok(wordings.length >= 10);
  for (const { message: text, addresses } of wordings) {
    const refusal = JSON.stringify({ ErrorCode: 406, Message: text });
    const error = (() => {
      try {
        parseResponse("sendEmail", 422, null, refusal);
      } catch (thrown) {
        return thrown;
      }
    })();
    assert.ok(error instanceof PostmarkError);
    assert.deepEqual(error.inactiveRecipients, addresses, text);
    assert.deepEqual(inactiveRecipients(error), addresses, text);
    const accepted = parseResponse(
      "sendEmail",
      200,
      null,
      JSON.stringify({ To: "a@example.com", MessageID: "m", ErrorCode: 0, Message: text }),
    );
    assert.deepEqual(inactiveRecipients(accepted), addresses, text);
    // In a batch's answer, a message refused with 406 names them as well.
    assert.deepEqual(inactiveRecipients({ ErrorCode: 406, Message: text }), addresses, text);
  }
  // Another refusal names none, whatever its words.
  assert.deepEqual(inactiveRecipients({ ErrorCode: 300, Message: "Found inactive addresses: f@example.com." }), []);
  assert.throws(() => inactiveRecipients("OK"), { name: "BuildError" });
});

test("inactive recipients: from the mock, on a 406 and on an accepted send", async () => {
  const refused = await server.sendEmail(message({ To: "inactive@example.com" })).catch((e) => e);
  assert.equal(refused.errorCode, 406);
  assert.deepEqual(refused.inactiveRecipients, ["inactive@example.com"]);
  const accepted = await server.sendEmail(message({ To: "ok@example.com, inactive@example.com" }));
  assert.equal(accepted.ErrorCode, 0);
  assert.deepEqual(inactiveRecipients(accepted), ["inactive@example.com"]);
  const clean = await server.sendEmail(message());
  assert.deepEqual(inactiveRecipients(clean), []);
  // Another refusal has none.
  const other = await server.getBounce({ id: 404404 }).catch((e) => e);
  assert.ok(other instanceof PostmarkError);
  assert.deepEqual(other.inactiveRecipients, []);
});
