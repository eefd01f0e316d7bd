// The package in headless Chromium (Debian's chromium and chromedriver): a
// page served from one loopback origin imports it and calls the mock on
// another. Driven over WebDriver with fetch, no client library.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { after, before, test } from "node:test";
import { startMock } from "../../../../examples/js/local-mock.mjs";
import { entry, root } from "../support/package.js";

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
let mock, site, driver, profile, session, driverUrl;

/**
 * Serves the package directory (the page, the entry points, pkg/), the
 * page's import map pointing at the entry the exports map gives browsers.
 */
function serve() {
  const importMap = { imports: { "postmark-kit": `/${entry(["browser", "import"])}` } };
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname));
    try {
      let body = readFileSync(join(root, path));
      if (path.endsWith(".html")) {
        const map = `<script type="importmap">${JSON.stringify(importMap)}</script>`;
        body = body.toString().replace(/<script type="importmap">.*?<\/script>/s, map);
      }
      response.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function webdriver(method, path, body) {
  const response = await fetch(`${driverUrl}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body && JSON.stringify(body),
  });
  const { value } = await response.json();
  if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(value)}`);
  return value;
}

async function startDriver() {
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  driver = spawn(process.env.CHROMEDRIVER ?? "chromedriver", [`--port=${port}`], { stdio: "ignore" });
  driverUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await webdriver("GET", "/status")).ready) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("chromedriver did not start");
}

before(async () => {
  mock = await startMock();
  site = await serve();
  await startDriver();
  profile = mkdtempSync(join(tmpdir(), "postmark-kit-chromium-"));
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${profile}`,
  ];
  const capabilities = { browserName: "chrome", "goog:chromeOptions": { binary: process.env.CHROMIUM ?? "/usr/bin/chromium", args } };
  session = (await webdriver("POST", "/session", { capabilities: { alwaysMatch: capabilities } })).sessionId;
});

after(async () => {
  if (session) await webdriver("DELETE", `/session/${session}`).catch(() => {});
  driver?.kill();
  site?.close();
  mock?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test("a page imports the package and calls the mock across origins", async () => {
  const page = new URL(`http://127.0.0.1:${site.address().port}/test/browser/index.html`);
  page.search = new URLSearchParams({ mock: mock.url, server: mock.serverToken, account: mock.accountToken });
  await webdriver("POST", `/session/${session}/url`, { url: page.href });
  let result = null;
  for (let i = 0; i < 200 && !result; i++) {
    result = await webdriver("POST", `/session/${session}/execute/sync`, { script: "return window.result ?? null", args: [] });
    if (!result) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(result, "the page finished");
  assert.equal(result.error, undefined);
  assert.equal(result.sent.ErrorCode, 0);
  assert.equal(result.sent.To, "one@example.com");
  assert.deepEqual(result.batch, [0, 300]);
  assert.deepEqual(result.servers, ["Default Server", "Café ☕ 😀"]);
  assert.deepEqual(result.second, ["Café ☕ 😀"]);
  assert.equal(result.aborted, "aborted");
  assert.equal(result.refused, "missing_field");
  assert.equal(result.denied, "INVALID_TOKEN");
  assert.equal(result.event, "Delivery");
  const origins = (await mock.requests()).map((r) => `${r.method} ${r.path}`);
  assert.ok(origins.includes("POST /email") && origins.includes("POST /email/batch"));
});
