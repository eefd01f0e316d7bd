// What `npm pack` ships: every file an entry point loads, exports that
// resolve for each runtime, and the Node and Vercel Edge entries loaded the
// way those runtimes resolve the package.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { startMock } from "../../../../examples/js/local-mock.mjs";
import { WORKERD, entry, manifest, moduleGraph, root } from "../support/package.js";

const packed = new Set(
  JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" }))[0].files.map(
    (file) => file.path,
  ),
);

let mock;
before(async () => {
  mock = await startMock();
});
after(() => mock.close());

test("every entry point and everything it loads is packed", () => {
  const loaded = new Set(Object.keys(manifest.exports["."]).flatMap((condition) => moduleGraph(entry([condition]))));
  for (const file of loaded) assert.ok(packed.has(file), `${file} is packed`);
  for (const needed of ["pkg/postmark_kit_wasm_bg.wasm", "pkg/postmark_kit_wasm.js", "pkg/errors.js", "pkg/api.js", "pkg/transport.js", "index.d.ts"]) {
    assert.ok(loaded.has(needed), `${needed} is loaded by an entry`);
  }
  assert.ok(packed.has("README.md"));
  assert.ok(![...packed].some((file) => /^(test|src|js|scripts|bench)\//.test(file)), "no tests, sources or scripts");
});

test("the exports map: types first, one entry per runtime, default last", () => {
  const conditions = Object.keys(manifest.exports["."]);
  assert.equal(conditions[0], "types");
  assert.equal(conditions.at(-1), "default");
  assert.deepEqual(conditions.slice(1, -1), ["workerd", "edge-light", "node"]);
  assert.equal(manifest.type, "module");
  assert.equal(entry(["types"]), "index.d.ts");
  assert.equal(entry(WORKERD), "workerd.js");
  assert.equal(entry(["edge-light", "import"]), "edge-light.js");
  assert.equal(entry(["node", "import"]), "node.js");
  assert.equal(entry(["browser", "import"]), "browser.js");
  // The entries instantiate the module when imported: bundlers must keep them.
  assert.deepEqual([...manifest.sideEffects].sort(), conditions.slice(1).map((c) => `./${entry([c])}`).sort());
});

/**
 * Imports the package by name in a fresh Node with extra `args`, sends an
 * email through the mock and parses a webhook; the entry it resolved to and
 * what came back.
 */
async function importedBy(args) {
  const script = `
    const kit = await import("postmark-kit");
    const client = new kit.ServerClient(process.env.TOKEN, { baseUrl: process.env.MOCK });
    const sent = await client.sendEmail({ From: "a@example.com", To: "b@example.com", Subject: "Hi", TextBody: "Hi" });
    const event = kit.parseWebhook('{"RecordType":"Open","MessageID":"m-1"}');
    console.log(JSON.stringify({ entry: import.meta.resolve("postmark-kit"), sent: sent.ErrorCode, event: event.RecordType }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, [...args, "--input-type=module", "-e", script], {
    cwd: root,
    env: { ...process.env, TOKEN: mock.serverToken, MOCK: mock.url },
  });
  return JSON.parse(stdout);
}

test("Node resolves the node entry, and it works", async () => {
  const { entry: resolved, sent, event } = await importedBy([]);
  assert.equal(resolved, new URL("node.js", `file://${root}`).href);
  assert.equal(sent, 0);
  assert.equal(event, "Open");
});

test("under edge-light, the entry Vercel Edge gets loads its .wasm?module and works", async () => {
  const { entry: resolved, sent, event } = await importedBy(["--conditions=edge-light", "--import", "./test/support/edge-light.js"]);
  assert.equal(resolved, new URL("edge-light.js", `file://${root}`).href);
  assert.equal(sent, 0);
  assert.equal(event, "Open");
});
