// Receiving webhooks: typed events by RecordType, and the Basic-auth check.
import assert from "node:assert/strict";
import { test } from "node:test";
import { WebhookError, checkBasicAuth, isWebhookEvent, parseWebhook } from "postmark-kit";

test("an event is read by its RecordType, in any casing, from text, bytes or JSON", () => {
  const body = { RecordType: "bounce", ID: 42, Type: "HardBounce", Email: "x@example.com", MessageID: "m-1" };
  for (const input of [JSON.stringify(body), new TextEncoder().encode(JSON.stringify(body)), body]) {
    const event = parseWebhook(input);
    assert.equal(event.RecordType, "Bounce");
    assert.ok(isWebhookEvent(event, "Bounce"));
    assert.ok(!isWebhookEvent(event, "SpamComplaint"));
    assert.equal(event.ID, 42);
    assert.equal(event.Type, "HardBounce");
    assert.equal(event.Email, "x@example.com");
  }
});

test("every kind of event", () => {
  const cases = {
    Delivery: { RecordType: "Delivery", MessageID: "m", Recipient: "a@example.com", Metadata: { k: "v" } },
    SpamComplaint: { RecordType: "SpamComplaint", ID: 1, Type: "SpamComplaint" },
    Open: { RecordType: "Open", MessageID: "m", FirstOpen: true, Recipient: "a@example.com" },
    Click: { RecordType: "Click", MessageID: "m", OriginalLink: "https://example.com", ClickLocation: "HTML" },
    SubscriptionChange: { RecordType: "SubscriptionChange", MessageID: "m", SuppressSending: true },
    Inbound: { FromFull: { Email: "a@example.com", Name: "A" }, Subject: "Hi", MessageID: "m" },
  };
  for (const [type, body] of Object.entries(cases)) {
    const event = parseWebhook(JSON.stringify(body));
    assert.equal(event.RecordType, type);
    assert.ok(isWebhookEvent(event, type), type);
  }
  assert.deepEqual(parseWebhook(JSON.stringify(cases.Delivery)).Metadata, { k: "v" });
});

test("an unknown RecordType comes back as received", () => {
  const event = parseWebhook('{"RecordType":"Teleport","MessageID":"m","Extra":[1,2]}');
  assert.deepEqual(event, { RecordType: "Teleport", MessageID: "m", Extra: [1, 2] });
  assert.ok(!isWebhookEvent(event, "Delivery"));
});

test("bodies that are not events throw a WebhookError with a kind and a path", () => {
  assert.throws(() => parseWebhook("{"), (e) => e instanceof WebhookError && e.kind === "syntax");
  assert.throws(() => parseWebhook("[1]"), { name: "WebhookError", kind: "not_an_object", path: "." });
  assert.throws(() => parseWebhook('{"RecordType":"Bounce","ID":"x","Type":"HardBounce"}'), {
    kind: "invalid_payload",
    path: "ID",
  });
  assert.throws(() => parseWebhook(42), { name: "BuildError", kind: "invalid_body" });
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
