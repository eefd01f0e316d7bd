// The package inside Cloudflare's workerd (through miniflare): a Worker that
// imports it by name, sends through the mock, and parses a webhook. The
// package is what wrangler would bundle: the entry its exports map gives
// under wrangler's conditions, and every module that entry loads, the .wasm
// as a compiled module.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { Miniflare } from "miniflare";
import { startMock } from "../../../../examples/js/local-mock.mjs";
import { root, workerModules } from "../support/package.js";

let mock, worker;

before(async () => {
  mock = await startMock();
  worker = new Miniflare({
    modulesRoot: root,
    modules: workerModules(readFileSync(`${root}test/workerd/worker.js`, "utf8")),
    compatibilityDate: "2026-04-01",
    bindings: {
      POSTMARK_SERVER_TOKEN: mock.serverToken,
      POSTMARK_API_URL: mock.url,
      WEBHOOK_USER: "postmark",
      WEBHOOK_PASSWORD: "s3cret",
    },
  });
  await worker.ready;
});
after(async () => {
  await worker?.dispose();
  mock?.close();
});

test("the Worker sends an email and a batch through the mock", async () => {
  const response = await worker.dispatchFetch("http://worker.test/send");
  assert.equal(response.status, 200, await response.clone().text());
  const { sent, batch, refused } = await response.json();
  assert.equal(sent.ErrorCode, 0);
  assert.equal(sent.To, "Zoë 😀 <one@example.com>");
  assert.deepEqual(batch.map((r) => r.ErrorCode), [0, 300]);
  assert.equal(refused, "missing_field");
  const seen = (await mock.requests()).map((r) => `${r.method} ${r.path} ${r.token}`);
  assert.deepEqual(seen, ["POST /email server", "POST /email/batch server"]);
});

test("the Worker parses a webhook behind Basic auth", async () => {
  const body = JSON.stringify({ RecordType: "Bounce", ID: 7, Type: "HardBounce", Email: "gone@example.com", MessageID: "m-7" });
  const post = (authorization) =>
    worker.dispatchFetch("http://worker.test/webhook", { method: "POST", body, headers: authorization ? { authorization } : {} });
  assert.equal((await post(null)).status, 401);
  assert.equal((await post(`Basic ${btoa("postmark:wrong")}`)).status, 401);
  const response = await post(`Basic ${btoa("postmark:s3cret")}`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { recordType: "Bounce", messageId: "m-7", recipient: "gone@example.com" });
  const unknown = await worker.dispatchFetch("http://worker.test/webhook", {
    method: "POST",
    body: JSON.stringify({ RecordType: "Teleport", MessageID: "m-8" }),
    headers: { authorization: `Basic ${btoa("postmark:s3cret")}` },
  });
  assert.deepEqual(await unknown.json(), { recordType: "Unknown", messageId: "m-8", recipient: null });
  // The Worker reads at most 1,024 bytes of a webhook.
  const large = await worker.dispatchFetch("http://worker.test/webhook", {
    method: "POST",
    body: JSON.stringify({ RecordType: "Open", MessageID: "m-9", Pad: "x".repeat(1024) }),
    headers: { authorization: `Basic ${btoa("postmark:s3cret")}` },
  });
  assert.equal(large.status, 413);
  assert.equal(await large.text(), "the webhook body is over 1024 bytes");
});
