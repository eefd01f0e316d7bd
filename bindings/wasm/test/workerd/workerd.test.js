// The package inside Cloudflare's workerd (through miniflare): a Worker that
// imports it by name, sends through the mock, and parses a webhook. The module
// named `postmark-kit` is the package's `workerd` entry, as wrangler resolves
// it; the .wasm goes in as a compiled module.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { Miniflare } from "miniflare";
import { startMock } from "../../../../examples/js/local-mock.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
let mock, worker;

/** The package's modules, named by their path in the package. */
function packageModules() {
  return [
    { type: "ESModule", path: `${root}postmark-kit`, contents: readFileSync(`${root}workerd.js`, "utf8") },
    { type: "ESModule", path: `${root}js/api.js` },
    { type: "ESModule", path: `${root}js/errors.js` },
    { type: "ESModule", path: `${root}pkg/postmark_kit_wasm.js` },
    { type: "CompiledWasm", path: `${root}pkg/postmark_kit_wasm_bg.wasm` },
  ];
}

before(async () => {
  mock = await startMock();
  worker = new Miniflare({
    modulesRoot: root,
    modules: [
      // At the top of the module tree, where workerd resolves the bare `postmark-kit`.
      { type: "ESModule", path: `${root}worker.js`, contents: readFileSync(`${root}test/workerd/worker.js`, "utf8") },
      ...packageModules(),
    ],
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
  assert.equal(sent.To, "one@example.com");
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
});
