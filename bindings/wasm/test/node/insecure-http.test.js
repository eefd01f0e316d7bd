// Plain http:// to another machine carries the token in clear text: refused
// before anything is sent unless the caller opts in with `allowInsecureHttp`.
// The address below is never connected to: refused requests are not sent, and
// accepted ones go to a fetch that only records them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildRequest, ServerClient } from "postmark-kit";
import { message } from "../support/message.js";

const remote = "http://postmark.internal.example:8025";

/** A fetch that records each URL and answers as Postmark does to a send. */
function recorder(urls) {
  return async (url) => {
    urls.push(url);
    const sent = { To: "b@example.com", SubmittedAt: "2026-01-01T00:00:00Z", MessageID: "m", ErrorCode: 0, Message: "OK" };
    return new Response(JSON.stringify(sent), { headers: { "content-type": "application/json" } });
  };
}

test("a plain http:// base URL off this machine is refused before anything is sent", () => {
  const urls = [];
  for (const allowInsecureHttp of [undefined, false]) {
    assert.throws(() => new ServerClient("secret-token-value", { baseUrl: remote, allowInsecureHttp, fetch: recorder(urls) }), (error) => {
      assert.equal(error.name, "BuildError");
      assert.equal(error.kind, "invalid_base_url");
      assert.match(error.message, /clear text/);
      assert.doesNotMatch(error.message, /secret-token-value/);
      return true;
    });
    assert.throws(() => buildRequest("sendEmail", message(), { token: "t", baseUrl: remote, allowInsecureHttp }), {
      kind: "invalid_base_url",
    });
  }
  assert.deepEqual(urls, []);
  assert.throws(() => new ServerClient("t", { baseUrl: remote, allowInsecureHttp: "yes" }), {
    kind: "invalid_options",
    message: /allowInsecureHttp/,
  });
});

test("allowInsecureHttp lets the requests go to that URL", async () => {
  const built = buildRequest("sendEmail", message(), { token: "t", baseUrl: `${remote}/pm/`, allowInsecureHttp: true });
  assert.equal(built.url, `${remote}/pm/email`);
  const urls = [];
  const client = new ServerClient("t", { baseUrl: remote, allowInsecureHttp: true, fetch: recorder(urls) });
  assert.equal((await client.sendEmail(message())).ErrorCode, 0);
  assert.deepEqual(urls, [`${remote}/email`]);
});
