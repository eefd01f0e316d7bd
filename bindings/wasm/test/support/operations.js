// What the groups of test/node/operations.test.js share: one mock, a client
// of each kind, and the log of every API request the groups made, which the
// entry file checks against the operation table once they have all run. The
// groups (test/node/operations/*.js) import these bindings, which `start`
// fills in before the first test.
import { beforeEach, describe } from "node:test";
import { AccountClient, ServerClient } from "postmark-kit";
import { startMock } from "../../../../examples/js/local-mock.mjs";

/** @type {import("../../../../examples/js/local-mock.mjs").LocalMock} */
export let mock;
/** @type {ServerClient} */
export let server;
/** @type {AccountClient} */
export let account;

/** Every API request logged so far: `{method, path, query, token}`. */
export const seen = [];

export async function start() {
  mock = await startMock();
  server = new ServerClient(mock.serverToken, { baseUrl: mock.url });
  account = new AccountClient(mock.accountToken, { baseUrl: mock.url });
}

export function stop() {
  mock?.close();
}

/** Moves the mock's request log into `seen`; every test calls it last. */
export async function logged() {
  seen.push(...(await mock.requests()));
  await mock.clearRequests();
}

/**
 * A group of operations: its tests in a `describe`, each from the mock's
 * start state (the seeded server, template, streams and bounce), whatever the
 * tests before it changed.
 */
export function group(name, tests) {
  describe(name, () => {
    beforeEach(() => mock.control("POST", "reset"));
    tests();
  });
}

/** The `key` of every item a paged list yields under `for await`. */
export async function collect(list, key) {
  const items = [];
  for await (const item of list) items.push(item[key]);
  return items;
}
