// Retries by the core's policy over injected faults: 429 and 503 are retried
// even for sends, honouring Retry-After; a send is not repeated after a 500 or
// a dropped connection unless the caller opts in; reads are. Then timeouts and
// the caller's AbortSignal: a timer of the package's own (it works without
// AbortSignal.timeout, and is cleared after each attempt), and a signal that
// stops the attempt under way and any retry still to come.
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { after, before, beforeEach, test } from "node:test";
import { AccountClient, ServerClient, TransportError } from "postmark-kit";
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

test("a proxy's HTML 503 page with Retry-After is retried, then the read succeeds", async () => {
  const page = "<html><body>Service Unavailable</body></html>";
  await mock.fault({ kind: "page", status: 503, content_type: "text/html", body: page, retry_after: 1, path: "/server" });
  const server = await client().getCurrentServer();
  assert.equal(server.Name, "Default Server");
  assert.equal(await attempts("/server"), 2);
});

// The test's own timeout fails it if the 120 s are waited for.
test("a Retry-After longer than maxRetryAfterMs is not waited for", { timeout: 10_000 }, async () => {
  await mock.fault({ kind: "status", status: 503, retry_after: 120 });
  await assert.rejects(client().sendEmail(message()), { kind: "unavailable", retryAfter: 120 });
  assert.equal(await attempts("/email"), 1);
});

/** Waits until `condition()` holds, polling the mock; fails after about five seconds. */
async function until(condition) {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`still not so: ${condition}`);
}

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

test("a signal aborted beforehand: nothing is sent", async () => {
  const controller = new AbortController();
  const reason = new Error("changed my mind");
  controller.abort(reason);
  const error = await client().sendEmail(message(), { signal: controller.signal }).catch((e) => e);
  assert.ok(error instanceof TransportError);
  assert.equal(error.kind, "aborted");
  assert.equal(error.cause, reason);
  assert.deepEqual(await mock.requests(), []);
});

test("aborting during the request stops it, and a read is not retried after it", async () => {
  await mock.fault({ kind: "delay", ms: 3000, path: "/server" });
  const controller = new AbortController();
  const call = client().getCurrentServer({}, { signal: controller.signal }).catch((e) => e);
  await until(async () => (await mock.stats()).in_flight === 1);
  controller.abort();
  const error = await call;
  assert.ok(error instanceof TransportError);
  assert.equal(error.kind, "aborted");
  assert.equal(error.cause.name, "AbortError");
  assert.equal(await attempts("/server"), 1);
});

test("aborting during the wait before a retry ends the call", { timeout: 10_000 }, async () => {
  // Honoured for 30 s: the test only ends in time if the wait is cut short.
  await mock.fault({ kind: "status", status: 503, retry_after: 30 });
  const controller = new AbortController();
  const call = client().sendEmail(message(), { signal: controller.signal }).catch((e) => e);
  await until(async () => (await attempts("/email")) === 1);
  controller.abort();
  const error = await call;
  assert.equal(error.kind, "aborted");
  assert.equal(await attempts("/email"), 1);
});

test("a paged list's signal stops the iteration at the next page", async () => {
  const account = new AccountClient(mock.accountToken, { baseUrl: mock.url });
  await account.createServer({ Name: "Second" });
  const controller = new AbortController();
  const servers = account.listServers({ count: 1 }, { signal: controller.signal });
  const seen = [];
  const error = await (async () => {
    for await (const server of servers) {
      seen.push(server.Name);
      controller.abort();
    }
  })().catch((e) => e);
  assert.equal(error?.kind, "aborted");
  assert.deepEqual(seen, ["Default Server"]);
  assert.equal((await mock.requests()).length, 2, "one page fetched, then the call to create the server");
});

test("the timeout is a timer of its own: it works without AbortSignal.timeout", async () => {
  const timeout = Object.getOwnPropertyDescriptor(AbortSignal, "timeout");
  delete AbortSignal.timeout;
  try {
    await mock.fault({ kind: "delay", ms: 600, path: "/server" });
    const error = await client({ timeoutMs: 100, retry: { maxAttempts: 1 } }).getCurrentServer().catch((e) => e);
    assert.equal(error.kind, "timeout");
  } finally {
    Object.defineProperty(AbortSignal, "timeout", timeout);
  }
});

test("after a call, neither its timer nor its listener on the signal is left behind", async () => {
  const controller = new AbortController();
  const idle = timers();
  await client({ timeoutMs: 60_000 }).getCurrentServer({}, { signal: controller.signal });
  await mock.fault({ kind: "status", status: 503 });
  await client({ timeoutMs: 60_000 }).getCurrentServer({}, { signal: controller.signal });
  assert.equal(timers(), idle);
  assert.equal(getEventListeners(controller.signal, "abort").length, 0);
});
