// Receiving webhooks: typed events told apart by RecordType, and the
// Basic-auth check.
import assert from "node:assert/strict";
import { test } from "node:test";
import { WebhookError, checkBasicAuth, parseWebhook } from "postmark-kit";

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
