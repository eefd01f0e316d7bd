// The exported pure functions: build a request, send it with any transport,
// parse the answer.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildRequest, operations, parseResponse } from "postmark-kit";
import { startMock } from "../../../../examples/js/local-mock.mjs";
import { coreOperations } from "../support/core-table.js";
import { message } from "../support/message.js";

let mock;
before(async () => {
  mock = await startMock();
});
after(() => mock.close());

test("buildRequest gives what fetch takes; parseResponse reads the answer", async () => {
  const request = buildRequest("sendEmail", message(), { token: mock.serverToken, baseUrl: mock.url });
  assert.equal(request.method, "POST");
  assert.equal(request.url, `${mock.url}/email`);
  assert.equal(request.headers["x-postmark-server-token"], mock.serverToken);
  assert.equal(request.headers["content-type"], "application/json");
  assert.deepEqual(JSON.parse(request.body), message());
  assert.equal(request.idempotent, false);
  const response = await fetch(request.url, request);
  const sent = parseResponse("sendEmail", response.status, response.headers, await response.text());
  assert.equal(sent.ErrorCode, 0);
});

test("the token kind follows the operation; GET requests have no body", () => {
  const request = buildRequest("getServer", { id: 7 }, { token: "acct", baseUrl: "http://127.0.0.1:9" });
  assert.equal(request.url, "http://127.0.0.1:9/servers/7");
  assert.equal(request.headers["x-postmark-account-token"], "acct");
  assert.equal(request.headers["x-postmark-server-token"], undefined);
  assert.equal(request.body, null);
  assert.equal(request.idempotent, true);
  const list = buildRequest("listServers", { count: 20, name: "a b" }, { token: "acct" });
  assert.equal(list.url, "https://api.postmarkapp.com/servers?count=20&offset=0&name=a+b");
});

test("raw takes any path, with the token kind asked for", () => {
  const request = buildRequest(
    "raw",
    { method: "get", path: "/bounces", query: { count: 10, type: ["HardBounce", "SoftBounce"] } },
    { token: "acct", tokenKind: "account", userAgent: "my-app/1.0" },
  );
  assert.equal(request.method, "GET");
  assert.equal(request.url, "https://api.postmarkapp.com/bounces?count=10&type=HardBounce&type=SoftBounce");
  assert.equal(request.headers["x-postmark-account-token"], "acct");
  assert.equal(request.headers["user-agent"], "my-app/1.0");
  assert.throws(() => buildRequest("raw", { method: "GET", path: "/x" }, { token: "t", tokenKind: "root" }), {
    kind: "invalid_options",
  });
});

test("a tokenKind other than the one the operation needs is refused", () => {
  assert.equal(buildRequest("getServer", { id: 7 }, { token: "acct", tokenKind: "account" }).headers["x-postmark-account-token"], "acct");
  assert.throws(() => buildRequest("getServer", { id: 7 }, { token: "srv", tokenKind: "server" }), {
    name: "BuildError",
    kind: "wrong_token_kind",
    operation: "get_server",
  });
});

test("buildRequest refuses what Postmark would refuse, and unknown operations", () => {
  assert.throws(() => buildRequest("sendEmail", message({ From: "" }), { token: "t" }), {
    name: "BuildError",
    kind: "missing_field",
    field: "From",
  });
  assert.throws(() => buildRequest("send_email", message(), { token: "t" }), { kind: "unknown_operation" });
  assert.throws(() => buildRequest("sendEmail", message(), {}), { kind: "invalid_options", message: /token/ });
  assert.throws(() => buildRequest("sendEmail", message()), { kind: "invalid_options", message: /token/ });
});

test("parseResponse decodes errors, non-JSON pages and bodies that do not fit", () => {
  const headers = { "X-Request-Id": "req-9", "Retry-After": "3" };
  assert.throws(() => parseResponse("sendEmail", 422, headers, '{"ErrorCode":406,"Message":"Inactive"}'), {
    name: "PostmarkError",
    kind: "unprocessable",
    errorCode: 406,
    errorName: "INACTIVE_RECIPIENT",
    requestId: "req-9",
    retryAfter: 3,
    message: "Inactive",
  });
  assert.throws(() => parseResponse("getCurrentServer", 503, [["retry-after", "5"]], "<html>down</html>"), {
    kind: "unavailable",
    errorCode: null,
    retryAfter: 5,
    body: "<html>down</html>",
  });
  assert.throws(() => parseResponse("listServers", 200, null, new TextEncoder().encode('{"TotalCount":"many"}')), {
    kind: "decode",
    path: "TotalCount",
  });
  assert.deepEqual(parseResponse("raw", 200, null, ""), null);
  assert.throws(() => parseResponse("sendEmail", 1000, null, ""), { kind: "invalid_status" });
});

test("parseResponse keeps fields the models do not know, and takes bytes too", () => {
  const body = new TextEncoder().encode('{"ID":3,"Name":"A","ApiTokens":[],"Color":"purple","NewField":{"a":[1]}}').buffer;
  const server = parseResponse("getServer", 200, undefined, body);
  assert.equal(server.ID, 3);
  assert.equal(server.Color, "Purple");
  assert.deepEqual(server.NewField, { a: [1] });
});

test("operations() is the core's table, row for row", () => {
  const table = operations();
  const send = table.find((op) => op.name === "send_email");
  assert.deepEqual(send, {
    name: "send_email",
    jsName: "sendEmail",
    token: "server",
    paged: false,
    method: "POST",
    path: "/email",
    idempotent: false,
    items: null,
  });
  assert.equal(table.find((op) => op.name === "list_servers").items, "Servers");
  assert.equal(table.find((op) => op.name === "verify_webhook").idempotent, true, "a POST safe to repeat");
  assert.deepEqual(
    table.map(({ name, jsName, token, paged, method, path }) => ({ name, jsName, token, paged, method, path })),
    coreOperations(),
  );
});
