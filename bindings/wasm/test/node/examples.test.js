// The three automation examples of examples/js, run as a user would, offline
// against the mock each starts: what they print is what they did.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const examples = new URL("../../../../examples/js/", import.meta.url);

/** An example's output, run without the caller's POSTMARK_* tokens. */
async function example(name, ...args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("POSTMARK_") || k === "POSTMARK_MOCK_BIN"));
  const { stdout } = await run(process.execPath, [new URL(name, examples).pathname, ...args], { env, timeout: 60_000 });
  assert.match(stdout, /^no POSTMARK_ACCOUNT_TOKEN set: using a local mock server at http:\/\/127\.0\.0\.1:\d+\n/);
  return stdout.split("\n").slice(1, -1);
}

test("provision-server creates a server and sends with its token", async () => {
  const [created, sent] = await example("provision-server.mjs", "qa");
  // The mock's default server is 1; the token is shown masked.
  assert.match(created, /^server 2 "qa \(\d+\)" created; its token [0-9a-f]{4}… is the environment's POSTMARK_SERVER_TOKEN$/);
  assert.match(sent, /^first message sent with the new token: MessageID [0-9a-f-]{36}$/);
});

test("confirm-sender polls until the mock confirms", async () => {
  const lines = await example("confirm-sender.mjs", "ops@example.com", "--resend");
  assert.deepEqual(lines, [
    "sender signature 1 for ops@example.com created; confirmed: false",
    "confirmation email sent again",
    "poll 1: not confirmed yet; next look in 20 ms",
    "poll 2: not confirmed yet; next look in 40 ms",
    "confirmed after 3 polls",
  ]);
});

test("audit-webhooks prints one table and deletes everywhere", async () => {
  const lines = await example("audit-webhooks.mjs", "--delete", "https://OLD.example.com/hook/");
  const every = "Open,Click,Delivery,Bounce,SpamComplaint,SubscriptionChange";
  const rows = lines.filter((line) => /^(shop|blog) /.test(line)).map((line) => line.split(/\s+/));
  assert.deepEqual(rows, [
    ["shop", "https://old.example.com/hook", every],
    ["shop", "https://shop.example.com/events", every],
    ["blog", "https://old.example.com/hook", every],
    ["blog", "https://blog.example.com/events", every],
    // The example's second audit, after the deletion.
    ["shop", "https://shop.example.com/events", every],
    ["blog", "https://blog.example.com/events", every],
  ]);
  assert.ok(lines.includes("deleted 2 webhooks pointing at https://OLD.example.com/hook/"));
  assert.ok(lines.includes("4 webhooks"));
});
