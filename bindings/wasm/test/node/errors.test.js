// What goes wrong, and how it is reported: refused before sending (BuildError),
// Postmark's answers (PostmarkError), no answer (TransportError). No token ever
// shows in an error.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, test } from "node:test";
import { AccountClient, BuildError, PostmarkError, ServerClient, TransportError } from "postmark-kit";
import { startMock } from "../../../../examples/js/local-mock.mjs";
import { message } from "../support/message.js";

let mock, client;

before(async () => {
  mock = await startMock();
  client = new ServerClient(mock.serverToken, { baseUrl: mock.url });
});
after(() => mock.close());

/** Everything an error shows: message, stack, properties. */
const shown = (error) => `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${String(error.cause)}`;

test("a message without a recipient is refused before anything is sent", async () => {
  await mock.clearRequests();
  const error = await client.sendEmail(message({ To: undefined })).catch((e) => e);
  assert.ok(error instanceof BuildError);
  assert.ok(error instanceof Error);
  assert.equal(error.name, "BuildError");
  assert.equal(error.kind, "missing_field");
  assert.equal(error.field, "To");
  assert.deepEqual(await mock.requests(), []);
});

test("limits are checked locally: recipients, batch size, page size", async () => {
  const to = Array.from({ length: 51 }, (_, i) => `r${i}@example.com`).join(",");
  await assert.rejects(client.sendEmail(message({ To: to })), { name: "BuildError", kind: "too_many_recipients" });
  const batch = Array.from({ length: 501 }, () => message());
  await assert.rejects(client.sendEmailBatch(batch), { name: "BuildError", kind: "too_many_messages" });
  const bad = [message(), message(), message({ TextBody: undefined })];
  await assert.rejects(client.sendEmailBatch(bad), { kind: "missing_field", index: 2, field: "HtmlBody or TextBody" });
  const account = new AccountClient(mock.accountToken, { baseUrl: mock.url });
  await assert.rejects(account.listServers({ count: 501 }), { kind: "count_too_large" });
  assert.throws(() => account.listServersAll({ count: 0 }), { name: "BuildError", kind: "missing_field" });
  await assert.rejects(
    client.sendEmailWithTemplate({ From: "a@example.com", To: "b@example.com", TemplateModel: {} }),
    { kind: "template_choice" },
  );
});

test("misspelt or mistyped parameters name their path", async () => {
  await assert.rejects(client.sendEmail(message({ Htmlbody: "<p>x</p>" })), {
    name: "BuildError",
    kind: "invalid_params",
    operation: "send_email",
    path: "Htmlbody",
  });
  await assert.rejects(client.getWebhook({ id: "seven" }), { kind: "invalid_params", path: "id" });
  await assert.rejects(client.sendEmail({ From: 1n }), { kind: "invalid_params", message: /BigInt/ });
});

test("bad options and tokens are refused at construction", () => {
  assert.throws(() => new ServerClient("", {}), { name: "BuildError", kind: "missing_field" });
  assert.throws(() => new ServerClient("t", { baseUrl: "ftp://x" }), { kind: "invalid_base_url" });
  assert.throws(() => new ServerClient("t", { baseURL: "http://x" }), { kind: "invalid_options", message: /baseURL/ });
  assert.throws(() => new ServerClient("t", { fetch: "nope" }), { kind: "invalid_options" });
  assert.throws(() => new ServerClient("t", { retry: { maxAttempts: "3" } }), { kind: "invalid_options" });
  const secret = "bad\ntoken-secret-value";
  const error = (() => {
    try {
      new ServerClient(secret);
    } catch (e) {
      return e;
    }
  })();
  assert.equal(error.kind, "invalid_header_value");
  assert.ok(!shown(error).includes("secret-value"));
});

test("a wrong token is Postmark's 401 with ErrorCode 10, without the token", async () => {
  const wrong = new ServerClient("wrong-secret-token", { baseUrl: mock.url });
  const error = await wrong.getCurrentServer().catch((e) => e);
  assert.ok(error instanceof PostmarkError);
  assert.equal(error.kind, "invalid_token");
  assert.equal(error.status, 401);
  assert.equal(error.errorCode, 10);
  assert.equal(error.errorName, "INVALID_TOKEN");
  assert.equal(typeof error.requestId, "string");
  assert.ok(!shown(error).includes("wrong-secret-token"));
  // An account token on a server endpoint is refused the same way.
  const swapped = new ServerClient(mock.accountToken, { baseUrl: mock.url });
  await assert.rejects(swapped.getCurrentServer(), { kind: "invalid_token", errorCode: 10 });
});

test("Postmark's refusal of a message carries its ErrorCode, name and message", async () => {
  await mock.control("POST", "suppressions", { EmailAddress: "gone@example.com" });
  const error = await client.sendEmail(message({ To: "gone@example.com" })).catch((e) => e);
  assert.ok(error instanceof PostmarkError);
  assert.equal(error.kind, "unprocessable");
  assert.equal(error.status, 422);
  assert.equal(error.errorCode, 406);
  assert.equal(error.errorName, "INACTIVE_RECIPIENT");
  assert.match(error.message, /inactive/i);
  assert.equal(error.retryAfter, null);
});

test("an injected 429 with Retry-After is reported when retries are off", async () => {
  const once = new ServerClient(mock.serverToken, { baseUrl: mock.url, retry: { maxAttempts: 1 } });
  await mock.fault({ kind: "status", status: 429, retry_after: 7 });
  await assert.rejects(once.getCurrentServer(), { kind: "rate_limited", status: 429, retryAfter: 7 });
});

test("a connection refused is a TransportError of kind network", async () => {
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const nowhere = new ServerClient("secret-token-value", { baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 1 } });
  const error = await nowhere.sendEmail(message()).catch((e) => e);
  assert.ok(error instanceof TransportError);
  assert.equal(error.kind, "network");
  assert.ok(error.cause, "the fetch error is kept as the cause");
  assert.ok(!shown(error).includes("secret-token-value"));
});

test("an attempt slower than timeoutMs is a TransportError of kind timeout", async () => {
  const hasty = new ServerClient(mock.serverToken, { baseUrl: mock.url, timeoutMs: 100, retry: { maxAttempts: 1 } });
  await mock.fault({ kind: "delay", ms: 600 });
  const started = Date.now();
  const error = await hasty.getCurrentServer().catch((e) => e);
  assert.ok(error instanceof TransportError);
  assert.equal(error.kind, "timeout");
  assert.ok(Date.now() - started < 550, "the call did not wait for the answer");
});

test("no global fetch and none passed: a BuildError at call time", async () => {
  const saved = globalThis.fetch;
  globalThis.fetch = undefined;
  try {
    const bare = new ServerClient("t", { retry: { maxAttempts: 1 } });
    await assert.rejects(bare.getCurrentServer(), { name: "BuildError", kind: "no_fetch" });
  } finally {
    globalThis.fetch = saved;
  }
});

test("a fetch passed in is used instead of the global one", async () => {
  const calls = [];
  const spy = (url, init) => {
    calls.push({ url, method: init.method, token: init.headers["x-postmark-server-token"] });
    return fetch(url, init);
  };
  const spied = new ServerClient(mock.serverToken, { baseUrl: mock.url, fetch: spy });
  assert.equal((await spied.sendEmail(message())).ErrorCode, 0);
  assert.deepEqual(calls, [{ url: `${mock.url}/email`, method: "POST", token: mock.serverToken }]);
});
