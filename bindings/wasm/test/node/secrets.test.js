// No token in anything the package shows: every error its clients end in (each of the
// mock's faults, a wrong token, a refused connection, a timeout, refusals before
// sending), the clients and walks themselves, each shown every way Node shows a value
// (message, stack, String, JSON, util.inspect with hidden properties, the cause), is
// scanned for the tokens it was made with.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { inspect } from "node:util";
import { after, before, test } from "node:test";
import { AccountClient, ServerClient } from "postmark-kit";
import { startMock } from "../../../../examples/js/local-mock.mjs";
import { message } from "../support/message.js";

let mock;
const once = { maxAttempts: 1 };

before(async () => {
  mock = await startMock();
});
after(() => mock.close());

/** A value as a log line, `console.log`, a JSON log or an error report would show it. */
function everyShowing(value) {
  const deep = { depth: 10, showHidden: true, getters: true };
  return [
    String(value),
    inspect(value, deep),
    JSON.stringify(value) ?? "",
    value?.stack ?? "",
    value?.cause === undefined ? "" : inspect(value.cause, deep),
  ].join("\n");
}

/** The showings of `values` that hold one of `tokens`, to report them all at once. */
function leaks(values, tokens) {
  return values.flatMap(([what, value]) => {
    const shown = everyShowing(value);
    return tokens.filter((token) => shown.includes(token)).map((token) => `${what} shows ${token}`);
  });
}

const failure = (promise) => promise.then(() => assert.fail("did not fail"), (error) => error);

async function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

test("no error, client or walk shows a token", async () => {
  const server = new ServerClient(mock.serverToken, { baseUrl: mock.url, retry: once, timeoutMs: 300 });
  const account = new AccountClient(mock.accountToken, { baseUrl: mock.url, retry: once });
  const shown = [
    ["a server client", server],
    ["an account client", account],
    ["a walk", account.listServers({ count: 2 }, { limit: 3 })],
  ];
  const faults = [
    { kind: "status", status: 500 },
    { kind: "status", status: 503, retry_after: 1 },
    { kind: "status", status: 429 },
    { kind: "page", status: 502, content_type: "text/html", body: "<html>bad gateway</html>" },
    { kind: "drop" },
    { kind: "delay", ms: 1_000 },
  ];
  for (const fault of faults) {
    await mock.fault(fault);
    shown.push([`the ${JSON.stringify(fault)} fault`, await failure(server.sendEmail(message()))]);
  }
  shown.push(["Postmark's 422", await failure(server.sendEmail(message({ From: "not an address" })))]);
  const wrong = "wrong-secret-token-value";
  shown.push([
    "a wrong token's 401",
    await failure(new ServerClient(wrong, { baseUrl: mock.url, retry: once }).getCurrentServer()),
  ]);
  const port = await freePort();
  shown.push([
    "a refused connection",
    await failure(new ServerClient(wrong, { baseUrl: `http://127.0.0.1:${port}`, retry: once }).getCurrentServer()),
  ]);
  shown.push(["a refusal before sending", await failure(server.sendEmail(message({ To: undefined })))]);
  const construction = (make) => {
    try {
      make();
    } catch (error) {
      return error;
    }
    assert.fail("not refused");
  };
  const unprintable = "bad\nsecret-token-value";
  shown.push(["an unprintable token", construction(() => new ServerClient(unprintable))]);
  shown.push([
    "a base URL with a password",
    construction(() => new ServerClient(wrong, { baseUrl: "https://user:url-secret-password@example.com" })),
  ]);
  const found = leaks(shown, [mock.serverToken, mock.accountToken, wrong, "secret-token-value", "url-secret-password"]);
  assert.deepEqual(found, []);
  // The scan finds a token where there is one, and sees the errors' content.
  assert.equal(leaks([["a token's own error", new Error(`x ${wrong}`)]], [wrong]).length, 1);
  assert.match(everyShowing(shown[3][1]), /500/);
});
