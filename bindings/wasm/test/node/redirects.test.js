// Postmark does not redirect, and a redirect followed would carry the token to
// wherever it points: the package answers it as an error and goes no further.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, test } from "node:test";
import { PostmarkError, ServerClient, TransportError } from "postmark-kit";

const servers = [];
after(() => servers.forEach((server) => server.close()));

/** A server on loopback answering with `handler`; its base URL. */
async function listen(handler) {
  const server = createServer(handler);
  servers.push(server);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

test("a redirect is answered as an error, and its target never sees the token", async () => {
  const seen = [];
  const target = await listen((request, response) => {
    seen.push(request.headers);
    response.end("{}");
  });
  const redirecting = await listen((_, response) => {
    response.writeHead(307, { location: `${target}/server` });
    response.end();
  });
  const client = new ServerClient("secret-token-value", { baseUrl: redirecting });
  await assert.rejects(client.getCurrentServer(), (error) => {
    assert.ok(error instanceof PostmarkError, String(error));
    assert.equal(error.status, 307);
    assert.equal(error.kind, "other");
    return true;
  });
  assert.deepEqual(seen, []);
});

test("a redirect a browser hides (an opaque redirect) is a transport error that says so", async () => {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push(init.redirect);
    return { type: "opaqueredirect", status: 0, headers: new Headers(), arrayBuffer: async () => new ArrayBuffer(0) };
  };
  const client = new ServerClient("t", { fetch, retry: { maxAttempts: 1 } });
  await assert.rejects(client.getCurrentServer(), (error) => {
    assert.ok(error instanceof TransportError, String(error));
    assert.equal(error.kind, "network");
    assert.match(error.message, /redirect, which is not followed/);
    return true;
  });
  assert.deepEqual(calls, ["manual"]);
});
