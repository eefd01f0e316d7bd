// Receiving webhooks: typed events told apart by RecordType, and the
// Basic-auth check.
import assert from "node:assert/strict";
import { request as httpRequest, createServer } from "node:http";
import { test } from "node:test";
import { WebhookError, checkBasicAuth, isPostmarkWebhookIp, parseWebhook, readWebhookBody } from "postmark-kit";

test("an event is read by its RecordType, in any casing, from text, bytes or JSON", () => {
  const body = { RecordType: "bounce", ID: 42, Type: "HardBounce", Email: "x@example.com", MessageID: "m-1" };
  const text = JSON.stringify(body);
  for (const input of [text, new TextEncoder().encode(text), new TextEncoder().encode(text).buffer, body]) {
    const event = parseWebhook(input);
    assert.equal(event.RecordType, "Bounce");
    assert.equal(event.ID, 42);
    assert.equal(event.Type, "HardBounce");
    assert.equal(event.Email, "x@example.com");
    assert.equal(event.MessageID, "m-1");
  }
});

test("every kind of event", () => {
  // Each body, and one field of its model read back.
  const cases = {
    Delivery: [{ RecordType: "Delivery", MessageID: "m", Recipient: "a@example.com" }, "Recipient", "a@example.com"],
    SpamComplaint: [{ RecordType: "SpamComplaint", ID: 1, Type: "SpamComplaint" }, "ID", 1],
    Open: [{ RecordType: "Open", MessageID: "m", FirstOpen: true }, "FirstOpen", true],
    Click: [{ RecordType: "Click", MessageID: "m", OriginalLink: "https://example.com" }, "OriginalLink", "https://example.com"],
    SubscriptionChange: [{ RecordType: "SubscriptionChange", MessageID: "m", SuppressSending: true }, "SuppressSending", true],
    Inbound: [{ FromFull: { Email: "a@example.com", Name: "A" }, Subject: "Hi" }, "Subject", "Hi"],
  };
  for (const [type, [body, field, value]] of Object.entries(cases)) {
    const event = parseWebhook(JSON.stringify(body));
    assert.equal(event.RecordType, type);
    assert.equal(event[field], value, type);
  }
  assert.deepEqual(parseWebhook({ RecordType: "Delivery", Metadata: { k: "v" } }).Metadata, { k: "v" });
});

test("an unknown RecordType is the Unknown event, with the body as received", () => {
  const event = parseWebhook('{"RecordType":"Teleport","MessageID":"m","Extra":[1,2]}');
  assert.deepEqual(event, {
    RecordType: "Unknown",
    UnknownRecordType: "Teleport",
    Payload: { RecordType: "Teleport", MessageID: "m", Extra: [1, 2] },
  });
  assert.deepEqual(parseWebhook('{"MessageID":"m"}'), { RecordType: "Unknown", UnknownRecordType: null, Payload: { MessageID: "m" } });
});

test("anything that is not a JSON object throws a WebhookError with a kind and a path", () => {
  assert.throws(() => parseWebhook("{"), (e) => e instanceof WebhookError && e.kind === "syntax" && e.path === ".");
  assert.throws(() => parseWebhook("[1]"), { name: "WebhookError", kind: "not_an_object", path: ".", message: /array/ });
  assert.throws(() => parseWebhook('{"RecordType":"Bounce","ID":"x","Type":"HardBounce"}'), {
    kind: "invalid_payload",
    path: "ID",
  });
  // Values that are not a body are read as parsed JSON.
  assert.throws(() => parseWebhook(42), { name: "WebhookError", kind: "not_an_object", message: /number/ });
  assert.throws(() => parseWebhook(null), { name: "WebhookError", kind: "not_an_object", message: /null/ });
  assert.throws(() => parseWebhook({ RecordType: "Open", ID: 1n }), { name: "WebhookError", kind: "syntax", message: /BigInt/ });
});

test("checkBasicAuth accepts exactly the configured credentials", () => {
  const header = `Basic ${btoa("postmark:s3cret:x")}`;
  assert.equal(checkBasicAuth(header, "postmark", "s3cret:x"), true);
  assert.equal(checkBasicAuth(`basic ${btoa("postmark:s3cret:x")}`, "postmark", "s3cret:x"), true);
  assert.equal(checkBasicAuth(header, "postmark", "s3cret"), false);
  assert.equal(checkBasicAuth(null, "postmark", "s3cret:x"), false);
  assert.equal(checkBasicAuth(undefined, "postmark", "s3cret:x"), false);
  assert.equal(checkBasicAuth("Bearer abc", "postmark", "s3cret:x"), false);
});

test("isPostmarkWebhookIp knows Postmark's webhook addresses, also as IPv4 on an IPv6 socket", () => {
  assert.equal(isPostmarkWebhookIp("50.31.156.6"), true);
  assert.equal(isPostmarkWebhookIp("::ffff:3.134.147.250"), true);
  for (const other of ["50.31.156.7", "127.0.0.1", "::1", "50.31.156.6 ", "not an address", "", undefined, null]) {
    assert.equal(isPostmarkWebhookIp(other), false, String(other));
  }
});

/** A `Request` whose body comes in `chunks`, recording what was pulled and whether it was cancelled. */
function streamed(chunks, headers = {}) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream({
    pull(controller) {
      if (seen.pulled === chunks.length) return controller.close();
      controller.enqueue(new TextEncoder().encode(chunks[seen.pulled++]));
    },
    cancel() {
      seen.cancelled = true;
    },
  // Nothing pulled ahead: what was pulled is what was read.
  }, { highWaterMark: 0 });
  return { request: new Request("http://hook.test/", { method: "POST", body, headers, duplex: "half" }), seen };
}

const tooLarge = (limit) => (error) => {
  assert.ok(error instanceof WebhookError, String(error));
  assert.equal(error.kind, "too_large");
  assert.equal(error.message, `the webhook body is over ${limit} bytes`);
  return true;
};

test("readWebhookBody reads a Request's body up to its limit", async () => {
  const event = '{"RecordType":"Delivery","MessageID":"m-1","Recipient":"a@example.com"}';
  const { request } = streamed([event.slice(0, 20), event.slice(20)]);
  const bytes = await readWebhookBody(request, { limit: event.length });
  assert.equal(parseWebhook(bytes).MessageID, "m-1");
  // Past the limit, by a byte: refused, and the rest of the body is not read.
  const over = streamed(["x".repeat(10), "x".repeat(10), "x".repeat(10)]);
  await assert.rejects(readWebhookBody(over.request, { limit: 19 }), tooLarge(19));
  assert.equal(over.seen.pulled, 2);
  assert.equal(over.seen.cancelled, true);
});

test("readWebhookBody refuses a body its Content-Length says is too large before reading it", async () => {
  const { request, seen } = streamed(["{}"], { "content-length": String(50 * 1024 * 1024 + 1) });
  await assert.rejects(readWebhookBody(request), tooLarge(52428800));
  assert.equal(seen.pulled, 0);
  await assert.rejects(readWebhookBody(streamed(["{}"]).request, { limit: -1 }), { kind: "invalid_options" });
  await assert.rejects(readWebhookBody("{}"), { kind: "invalid_params" });
  assert.deepEqual(await readWebhookBody(new Request("http://hook.test/", { method: "POST" })), new Uint8Array(0));
});

test("readWebhookBody reads Node's IncomingMessage, and a server answers 413 past the limit", async () => {
  const server = createServer(async (request, response) => {
    try {
      const event = parseWebhook(await readWebhookBody(request, { limit: 100 }));
      response.end(event.RecordType);
    } catch (error) {
      response.statusCode = error.kind === "too_large" ? 413 : 400;
      response.end(error.kind);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const post = (body) =>
    new Promise((resolve, reject) => {
      const request = httpRequest({ host: "127.0.0.1", port: server.address().port, method: "POST" }, (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk)).on("end", () => resolve([response.statusCode, text]));
      });
      request.on("error", reject);
      request.end(body);
    });
  try {
    assert.deepEqual(await post('{"RecordType":"Open","MessageID":"m-2"}'), [200, "Open"]);
    assert.deepEqual(await post(`{"RecordType":"Open","Pad":"${"x".repeat(100)}"}`), [413, "too_large"]);
  } finally {
    server.close();
  }
});
