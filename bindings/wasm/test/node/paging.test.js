// Async iteration over every server of the account: pages, limits, saving the
// cursor part-way through a page, and resuming after a failed page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AccountClient } from "postmark-kit";
import { startMock } from "../../../../examples/js/local-mock.mjs";

let mock, account, ids;

before(async () => {
  mock = await startMock();
  account = new AccountClient(mock.accountToken, { baseUrl: mock.url, retry: { maxAttempts: 1 } });
  for (let i = 0; i < 6; i++) await account.createServer({ Name: `Server ${i}` });
  ids = (await account.listServers()).Servers.map((s) => s.ID);
  assert.equal(ids.length, 7, "the default server and six more");
});
after(() => mock.close());

async function collect(pages) {
  const seen = [];
  for await (const server of pages) seen.push(server.ID);
  return seen;
}

test("every item, a page at a time", async () => {
  await mock.clearRequests();
  const pages = account.listServersAll({ count: 3 });
  assert.equal(pages.stopReason, null);
  assert.deepEqual(await collect(pages), ids);
  assert.equal(pages.stopReason, "exhausted");
  const queries = (await mock.requests()).map((r) => r.query);
  assert.deepEqual(queries, ["count=3&offset=0", "count=3&offset=3", "count=3&offset=6"]);
});

test("a limit stops early and asks for no more than it needs", async () => {
  await mock.clearRequests();
  const pages = account.listServersAll({ count: 3 }, { limit: 4 });
  assert.deepEqual(await collect(pages), ids.slice(0, 4));
  assert.equal(pages.stopReason, "limit");
  assert.deepEqual((await mock.requests()).map((r) => r.query), ["count=3&offset=0", "count=1&offset=3"]);
});

test("the query parameters go with every page", async () => {
  await mock.clearRequests();
  assert.deepEqual(await collect(account.listServersAll({ count: 2, name: "Server 1" })), [ids[2]]);
  assert.match((await mock.requests())[0].query, /name=Server\+1/);
});

test("a cursor saved part-way through a page resumes at the next item", async () => {
  const pages = account.listServersAll({ count: 3 });
  const first = [];
  for await (const server of pages) {
    first.push(server.ID);
    if (first.length === 4) break;
  }
  // Through JSON, as a caller would store it.
  const cursor = JSON.parse(JSON.stringify(pages.cursor));
  const rest = await collect(account.listServersAll({ count: 3 }, { cursor }));
  assert.deepEqual([...first, ...rest], ids);
});

test("a failed page ends the iteration; its cursor resumes from that page", async () => {
  const pages = account.listServersAll({ count: 3 });
  const seen = [];
  await mock.fault({ kind: "status", status: 500, path: "/servers", count: 1 });
  await assert.rejects(async () => {
    for await (const server of pages) seen.push(server.ID);
  }, { name: "PostmarkError", status: 500 });
  assert.deepEqual(seen, []);
  // The iteration is over for this walk…
  assert.deepEqual(await pages.next(), { value: undefined, done: true });
  // …and its cursor picks it up again.
  assert.deepEqual(await collect(account.listServersAll({ count: 3 }, { cursor: pages.cursor })), ids);
});

test("the Pages object is its own async iterator, sharing the walk", async () => {
  const pages = account.listServersAll({ count: 5 });
  const iterator = pages[Symbol.asyncIterator]();
  assert.deepEqual(await iterator.next(), { value: (await account.getServer({ id: ids[0] })), done: false });
  assert.equal((await pages.next()).value.ID, ids[1]);
  assert.deepEqual(await collect(pages), ids.slice(2));
});

test("bad page options are refused at once", () => {
  assert.throws(() => account.listServersAll({}, { limits: 3 }), { name: "BuildError", kind: "invalid_options" });
  assert.throws(() => account.listServersAll({}, { cursor: { page_size: 0 } }), { kind: "invalid_options" });
});
