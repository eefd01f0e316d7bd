// The bounces and messages groups past one call each (operations.test.js has
// those): their paged lists walked with `for await`, enum filters in any
// casing, Postmark's refusals, and the package's own before anything is sent.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { ServerClient } from "postmark-kit";
import { startMock } from "../../../../examples/js/local-mock.mjs";
import { message } from "../support/message.js";

let mock, server, complaint;
/** Five soft bounces and five sent messages, all tagged `walk`, oldest first. */
const walk = { tag: "walk", emails: ["w0", "w1", "w2", "w3", "w4"].map((name) => `${name}@example.com`), messageIds: [] };

before(async () => {
  mock = await startMock();
  server = new ServerClient(mock.serverToken, { baseUrl: mock.url, retry: { maxAttempts: 1 } });
  for (const Email of walk.emails) await mock.control("POST", "bounces", { Email, Type: "SoftBounce", Tag: walk.tag });
  complaint = await mock.control("POST", "bounces", { Email: "spam@example.com", Type: "SpamComplaint" });
  const sent = await server.sendEmailBatch(walk.emails.map((To) => message({ To, Tag: walk.tag })));
  walk.messageIds = sent.map((s) => s.MessageID);
});
after(() => mock.close());
beforeEach(() => mock.clearRequests());

const queries = async () => (await mock.requests()).map((r) => r.query);

/** The `key` of every item a paged list yields under `for await`. */
async function collect(list, key) {
  const seen = [];
  for await (const item of list) seen.push(item[key]);
  return seen;
}

test("listBounces: for await walks every bounce, newest first, two a page", async () => {
  const bounces = server.listBounces({ count: 2, tag: walk.tag });
  assert.deepEqual(await collect(bounces, "Email"), walk.emails.toReversed());
  assert.equal(bounces.stopReason, "exhausted");
  assert.deepEqual(await queries(), ["count=2&offset=0&tag=walk", "count=2&offset=2&tag=walk", "count=2&offset=4&tag=walk"]);
});

test("searchOutboundMessages: for await walks every sent message, with a limit too", async () => {
  const messages = server.searchOutboundMessages({ count: 2, tag: walk.tag });
  assert.deepEqual(await collect(messages, "MessageID"), walk.messageIds.toReversed());
  assert.equal((await queries()).length, 3);
  const limited = server.searchOutboundMessages({ count: 2, tag: walk.tag }, { limit: 3 });
  assert.deepEqual(await collect(limited, "MessageID"), walk.messageIds.toReversed().slice(0, 3));
  assert.equal(limited.stopReason, "limit");
});

test("enum filters take any casing and go out as Postmark spells them", async () => {
  assert.equal((await server.listBounces({ type: "softBOUNCE" })).TotalCount, 5);
  assert.equal((await server.listBounces({ type: "spamcomplaint" })).Bounces[0].ID, complaint.ID);
  assert.equal((await server.searchOutboundMessages({ tag: walk.tag, status: "SENT" })).TotalCount, 5);
  // Bounce types in their documented spelling; message statuses in lower case, as Postmark documents them.
  assert.deepEqual(await queries(), [
    "count=500&offset=0&type=SoftBounce",
    "count=500&offset=0&type=SpamComplaint",
    "count=500&offset=0&tag=walk&status=sent",
  ]);
});

test("an unknown bounce is ErrorCode 1001 and an unknown message 701, by number and by name", async () => {
  const notFound = (errorCode, errorName) => ({ name: "PostmarkError", status: 422, kind: "unprocessable", errorCode, errorName });
  const bounce = notFound(1001, "BOUNCE_NOT_FOUND");
  const msg = notFound(701, "MESSAGE_NOT_FOUND");
  await assert.rejects(server.getBounce({ id: 42 }), { ...bounce, message: "Bounce '42' was not found." });
  await assert.rejects(server.getBounceDump({ id: 42 }), bounce);
  await assert.rejects(server.getOutboundMessageDetails({ id: "unknown" }), msg);
  await assert.rejects(server.getInboundMessageDetails({ id: "unknown" }), msg);
});

test("activateBounce of a spam complaint is ErrorCode 1003, and the bounce stays inactive", async () => {
  assert.deepEqual([complaint.Inactive, complaint.CanActivate], [true, false]);
  await assert.rejects(server.activateBounce({ id: complaint.ID }), {
    name: "PostmarkError",
    kind: "unprocessable",
    errorCode: 1003,
    errorName: "BOUNCE_NOT_ACTIVATABLE",
  });
  assert.equal((await server.getBounce({ id: complaint.ID })).Inactive, true);
});

test("bypass and retry take only a blocked or a failed message: ErrorCode 702 and 703", async () => {
  const received = await mock.control("POST", "inbound", { From: "ann@example.com", To: "desk@inbound.example.com" });
  assert.equal(received.Status, "Processed");
  const id = received.MessageID;
  await assert.rejects(server.bypassInboundMessage({ id }), { errorCode: 702, errorName: "INBOUND_BYPASS_FAILED" });
  await assert.rejects(server.retryInboundMessage({ id }), { errorCode: 703, errorName: "INBOUND_RETRY_FAILED" });
});

test("a misspelt filter or a page past Postmark's depth is refused before sending: nothing reaches the mock", async () => {
  const refusals = [
    // The query key is emailFilter; the message searches' are lower case (fromemail).
    [() => server.listBounces({ emailfilter: "w1" }), { kind: "invalid_params", operation: "list_bounces", path: "emailfilter" }],
    [() => server.searchOutboundMessages({ fromEmail: "a@example.com" }), { kind: "invalid_params", path: "fromEmail" }],
    [() => server.searchMessageOpens({ platfrom: "Mobile" }), { kind: "invalid_params", path: "platfrom" }],
    [() => server.getBounce({ id: String(complaint.ID) }), { kind: "invalid_params", path: "id" }],
    [() => server.listBounces({ count: 500, offset: 9_600 }), { kind: "paged_too_deep", actual: 10_100, limit: 10_000 }],
  ];
  for (const [call, expected] of refusals) {
    await assert.rejects(call(), { name: "BuildError", ...expected });
  }
  // Iterated rather than awaited, a paged list refuses the same way.
  await assert.rejects(collect(server.listBounces({ emailfilter: "w1" }), "Email"), { name: "BuildError", path: "emailfilter" });
  assert.deepEqual(await queries(), []);
});
