// Retries by the core's policy over injected faults: 429 and 503 are retried
// even for sends, honouring Retry-After; a send is not repeated after a 500 or
// a dropped connection unless the caller opts in; reads are.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { ServerClient } from "postmark-kit";
import { startMock } from "../../../../examples/js/local-mock.mjs";
import { message } from "../support/message.js";

let mock;
// Short backoffs keep the tests quick; Retry-After still sets a floor.
const retry = { baseDelayMs: 10, maxDelayMs: 50 };

before(async () => {
  mock = await startMock();
});
after(() => mock.close());
beforeEach(() => mock.clearRequests());

const client = (options = {}) => new ServerClient(mock.serverToken, { baseUrl: mock.url, retry, ...options });
const attempts = async (path) => (await mock.requests()).filter((r) => r.path === path).length;

test("a 503 on a send is retried, after the Retry-After it asked for", async () => {
  await mock.fault({ kind: "status", status: 503, count: 1, retry_after: 1 });
  const started = Date.now();
  const sent = await client().sendEmail(message());
  assert.equal(sent.ErrorCode, 0);
  assert.equal(await attempts("/email"), 2);
  assert.ok(Date.now() - started >= 1000, "waited for Retry-After");
});

test("429s are retried until maxAttempts, then reported", async () => {
  await mock.fault({ kind: "status", status: 429, count: 3 });
  await assert.rejects(client({ retry: { ...retry, maxAttempts: 3 } }).sendEmail(message()), {
    name: "PostmarkError",
    kind: "rate_limited",
  });
  assert.equal(await attempts("/email"), 3);
  await mock.fault({ kind: "status", status: 429, count: 2 });
  assert.equal((await client({ retry: { ...retry, maxAttempts: 3 } }).sendEmail(message())).ErrorCode, 0);
});

test("a 500 on a send is not repeated: it may have gone through", async () => {
  await mock.fault({ kind: "status", status: 500 });
  await assert.rejects(client().sendEmail(message()), { kind: "server_error", status: 500, errorCode: 101 });
  assert.equal(await attempts("/email"), 1);
});

test("a 500 on a read is retried", async () => {
  await mock.fault({ kind: "status", status: 500 });
  assert.equal(typeof (await client().getCurrentServer()).ID, "number");
  assert.equal(await attempts("/server"), 2);
});

test("retryNonIdempotent resends a send after a 500", async () => {
  await mock.fault({ kind: "status", status: 500 });
  const sent = await client({ retry: { ...retry, retryNonIdempotent: true } }).sendEmail(message());
  assert.equal(sent.ErrorCode, 0);
  assert.equal(await attempts("/email"), 2);
});

test("a dropped connection fails a send at once and is retried for a read", async () => {
  await mock.fault({ kind: "drop", path: "/email" });
  await assert.rejects(client().sendEmail(message()), { name: "TransportError", kind: "network" });
  assert.equal(await attempts("/email"), 1);
  await mock.fault({ kind: "drop", path: "/server" });
  assert.equal(typeof (await client().getCurrentServer()).ID, "number");
  assert.equal(await attempts("/server"), 2);
});

test("a timeout on a read is retried; on a send it is not", async () => {
  const hasty = client({ timeoutMs: 150 });
  await mock.fault({ kind: "delay", ms: 500, path: "/server" });
  assert.equal(typeof (await hasty.getCurrentServer()).ID, "number");
  assert.equal(await attempts("/server"), 2);
  await mock.fault({ kind: "delay", ms: 500, path: "/email" });
  await assert.rejects(hasty.sendEmail(message()), { name: "TransportError", kind: "timeout" });
  assert.equal(await attempts("/email"), 1);
});

test("a Retry-After longer than maxRetryAfterMs is not waited for", async () => {
  await mock.fault({ kind: "status", status: 503, retry_after: 120 });
  const started = Date.now();
  await assert.rejects(client().sendEmail(message()), { kind: "unavailable", retryAfter: 120 });
  assert.ok(Date.now() - started < 1000);
  assert.equal(await attempts("/email"), 1);
});
