// What goes wrong, and how it is reported: refused before sending (BuildError),
// Postmark's answers and the pages of proxies in front of it, over the wire
// (PostmarkError), no answer (TransportError). No token ever shows in an error.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, beforeEach, test } from "node:test";
import { AccountClient, BuildError, PostmarkError, ServerClient, TransportError } from "postmark-kit";
import { startMock } from "../../../../examples/js/local-mock.mjs";
import { message, shown } from "../support/message.js";

let mock, client, account;
const once = { maxAttempts: 1 };

before(async () => {
  mock = await startMock();
  client = new ServerClient(mock.serverToken, { baseUrl: mock.url, retry: once });
  account = new AccountClient(mock.accountToken, { baseUrl: mock.url, retry: once });
});
after(() => mock.close());
beforeEach(() => mock.clearRequests());

test("refused before anything is sent: nothing reaches the mock", async () => {
  const to = Array.from({ length: 51 }, (_, i) => `r${i}@example.com`).join(",");
  const refusals = [
    [client.sendEmail(message({ To: undefined })), { kind: "missing_field", field: "To" }],
    [client.sendEmail(message({ To: to })), { kind: "too_many_recipients", actual: 51, limit: 50 }],
    [client.sendEmailBatch(Array.from({ length: 501 }, () => message())), { kind: "too_many_messages", actual: 501, limit: 500 }],
    [client.sendEmailBatch([message(), message(), message({ TextBody: undefined })]), { kind: "missing_field", index: 2, field: "HtmlBody or TextBody" }],
    [account.listServers({ count: 501 }), { kind: "count_too_large", actual: 501, limit: 500 }],
    [account.listServers({ count: 0 }), { kind: "missing_field", field: "count" }],
    [client.sendEmailWithTemplate({ From: "a@example.com", To: "b@example.com", TemplateModel: {} }), { kind: "template_choice" }],
    [client.sendEmail(message({ Htmlbody: "<p>x</p>" })), { kind: "invalid_params", operation: "send_email", path: "Htmlbody" }],
    [client.getWebhook({ id: "seven" }), { kind: "invalid_params", path: "id" }],
    [client.sendEmail({ From: 1n }), { kind: "invalid_params", message: /BigInt/ }],
    [client.raw({ method: "GET", path: "server" }), { kind: "invalid_path" }],
    [client.getCurrentServer({}, { signal: "no" }), { kind: "invalid_options", message: /AbortSignal/ }],
    [client.getCurrentServer({}, { limit: 3 }), { kind: "invalid_options", message: /paged lists/ }],
    [client.getCurrentServer({}, { timeout: 3 }), { kind: "invalid_options", message: /timeout/ }],
  ];
  for (const [call, expected] of refusals) {
    const error = await call.then(
      () => assert.fail(`not refused: ${JSON.stringify(expected)}`),
      (e) => e,
    );
    assert.ok(error instanceof BuildError, `${error}`);
    assert.equal(error.name, "BuildError");
    assert.ok(error instanceof Error);
    for (const [key, value] of Object.entries(expected)) {
      if (value instanceof RegExp) assert.match(error[key], value);
      else assert.equal(error[key], value, `${key} of ${error.message}`);
    }
  }
  assert.deepEqual(await mock.requests(), []);
});

test("bad options and tokens are refused at construction", () => {
  assert.throws(() => new ServerClient("", {}), { name: "BuildError", kind: "missing_field" });
  assert.throws(() => new ServerClient("t", { baseUrl: "ftp://x" }), { kind: "invalid_base_url" });
  assert.throws(() => new ServerClient("t", { baseURL: "http://x" }), { kind: "invalid_options", message: /baseURL/ });
  assert.throws(() => new ServerClient("t", { fetch: "nope" }), { kind: "invalid_options", message: /fetch/ });
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
  assert.match(error.requestId, /\S/);
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
  assert.equal(error.details, null);
});

test("a webhook that fails verification carries each trigger's outcome in details", async () => {
  const error = await client
    .createWebhook({ Url: "https://fail.invalid/hook", Triggers: { Delivery: { Enabled: true }, Open: { Enabled: true } } })
    .catch((e) => e);
  assert.ok(error instanceof PostmarkError);
  assert.equal(error.errorCode, 1364);
  assert.equal(error.details.Success, false);
  assert.deepEqual(error.details.Results.map((r) => [r.TriggerType, r.Success]).sort(), [
    ["Delivery", false],
    ["Open", false],
  ]);
  assert.equal(error.details.ErrorCode, undefined, "the envelope's own fields are not repeated");
});

test("a route that does not exist is a 404", async () => {
  const error = await client.raw({ method: "GET", path: "/no/such/route" }).catch((e) => e);
  assert.ok(error instanceof PostmarkError);
  assert.equal(error.kind, "not_found");
  assert.equal(error.status, 404);
  assert.match(error.message, /\/no\/such\/route/);
});

test("a proxy's HTML 502 page is kept as the body, and holds no token", async () => {
  const page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
  await mock.fault({ kind: "page", status: 502, content_type: "text/html", body: page });
  const error = await client.sendEmail(message()).catch((e) => e);
  assert.ok(error instanceof PostmarkError);
  assert.equal(error.kind, "server_error");
  assert.equal(error.status, 502);
  assert.equal(error.errorCode, null);
  assert.equal(error.body, page);
  assert.ok(!shown(error).includes(mock.serverToken));
  assert.equal((await mock.requests()).length, 1, "a send is not repeated after a 502");
});

test("413 and 415 are told apart from other refusals", async () => {
  await mock.fault({ kind: "status", status: 413 });
  await assert.rejects(client.sendEmail(message()), {
    name: "PostmarkError",
    kind: "payload_too_large",
    status: 413,
    errorCode: null,
    body: /too large/i,
  });
  await mock.fault({ kind: "status", status: 415 });
  await assert.rejects(client.sendEmail(message()), {
    kind: "unsupported_media_type",
    status: 415,
    errorCode: 409,
  });
});

test("an injected 429 is reported with its plain-text body and Retry-After when retries are off", async () => {
  await mock.fault({ kind: "status", status: 429, retry_after: 7 });
  const error = await client.getCurrentServer().catch((e) => e);
  assert.equal(error.kind, "rate_limited");
  assert.equal(error.status, 429);
  assert.equal(error.retryAfter, 7);
  assert.equal(error.errorCode, null);
  assert.match(error.body, /too many requests/i);
});

test("a 200 whose body is not JSON is a decode error with the body kept", async () => {
  const html = () => new Response("<html>maintenance</html>", { status: 200, headers: { "content-type": "text/html" } });
  const proxied = new ServerClient("secret-token-value", { fetch: async () => html() });
  const error = await proxied.getCurrentServer().catch((e) => e);
  assert.ok(error instanceof PostmarkError);
  assert.equal(error.kind, "decode");
  assert.equal(error.status, 200);
  assert.equal(error.body, "<html>maintenance</html>");
  assert.ok(!shown(error).includes("secret-token-value"));
});

test("a connection refused is a TransportError of kind network", async () => {
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const nowhere = new ServerClient("secret-token-value", { baseUrl: `http://127.0.0.1:${port}`, retry: once });
  const error = await nowhere.sendEmail(message()).catch((e) => e);
  assert.ok(error instanceof TransportError);
  assert.equal(error.kind, "network");
  assert.ok(error.cause instanceof Error, "the fetch error is kept as the cause");
  assert.ok(!shown(error).includes("secret-token-value"));
});

test("an attempt slower than timeoutMs is a TransportError of kind timeout", async () => {
  const hasty = new ServerClient(mock.serverToken, { baseUrl: mock.url, timeoutMs: 100, retry: once });
  await mock.fault({ kind: "delay", ms: 600 });
  const error = await hasty.getCurrentServer().catch((e) => e);
  assert.ok(error instanceof TransportError);
  assert.equal(error.kind, "timeout");
  assert.match(error.message, /100 ms/);
});

test("no global fetch and none passed: a BuildError at call time", async () => {
  const saved = globalThis.fetch;
  globalThis.fetch = undefined;
  try {
    const bare = new ServerClient("t", { retry: once });
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
