// Every operation of the table, called through the generated methods against
// the mock, a group of operations a file (test/node/operations/*.js); the
// last test here checks from the mock's request log that none was left out,
// so an operation added to the core needs a call in its group.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AccountClient, ServerClient, operations } from "postmark-kit";
import { logged, mock, seen, server, start, stop } from "../support/operations.js";
import email from "./operations/email.js";
import bounces from "./operations/bounces.js";
import currentServer from "./operations/server.js";
import messages from "./operations/messages.js";
import webhooks from "./operations/webhooks.js";
import templates from "./operations/templates.js";
import bulk from "./operations/bulk.js";
import streams from "./operations/streams.js";
import suppressions from "./operations/suppressions.js";
import inboundRules from "./operations/inbound-rules.js";
import stats from "./operations/stats.js";
import servers from "./operations/servers.js";
import domains from "./operations/domains.js";
import senders from "./operations/senders.js";
import dataRemovals from "./operations/data-removals.js";

before(start);
after(stop);

// Server-token groups in the table's order, then the account-token ones.
for (const group of [
  email,
  bounces,
  currentServer,
  messages,
  webhooks,
  templates,
  bulk,
  streams,
  suppressions,
  inboundRules,
  stats,
  servers,
  domains,
  senders,
  dataRemovals,
]) {
  group();
}

test("raw reaches any endpoint with the client's token", async () => {
  const answer = await server.raw({ method: "GET", path: "/server" });
  assert.equal(typeof answer.ID, "number");
  const requests = await mock.requests();
  assert.equal(requests.at(-1).token, "server");
  await logged();
});

test("every operation of the table was called (checked against the mock's log)", async () => {
  await logged();
  const route = (path) => new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`, "i");
  const missing = operations().filter(
    (op) => !seen.some((r) => r.method === op.method && route(op.path).test(r.path) && r.token === op.token),
  );
  assert.deepEqual(missing.map((op) => op.jsName), []);
});

test("the classes have one method per operation, named by the table", () => {
  for (const op of operations()) {
    const [mine, other] = op.token === "server" ? [ServerClient, AccountClient] : [AccountClient, ServerClient];
    assert.equal(typeof mine.prototype[op.jsName], "function", op.jsName);
    assert.equal(other.prototype[op.jsName], undefined, `${op.jsName} is not on the other client`);
  }
  assert.ok(operations().length >= 18);
});

test("a paged list's method answers something awaitable and iterable, any other a Promise", () => {
  const server = new ServerClient("t", { baseUrl: mock.url });
  const account = new AccountClient("t", { baseUrl: mock.url });
  for (const op of operations()) {
    const client = op.token === "server" ? server : account;
    // Refused parameters: nothing is sent, and the call still answers its usual shape.
    const answer = client[op.jsName](1n);
    assert.equal(answer instanceof Promise, !op.paged, op.jsName);
    assert.equal(typeof answer[Symbol.asyncIterator], op.paged ? "function" : "undefined", op.jsName);
    assert.equal(typeof answer.then, "function", op.jsName);
    answer.then(undefined, () => {});
  }
});
