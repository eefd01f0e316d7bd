// A paged list's method: awaited, one page; iterated, every server of the
// account, a page at a time, with limits, breaking out, saving the cursor
// part-way through a page, and resuming after a failed page.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { AccountClient, BuildError } from "postmark-kit";
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
beforeEach(() => mock.clearRequests());

async function collect(servers) {
  const seen = [];
  for await (const server of servers) seen.push(server.ID);
  return seen;
}

const queries = async () => (await mock.requests()).map((r) => r.query);

test("awaited, it is the one page its parameters name, fetched once and only when awaited", async () => {
  const servers = account.listServers({ count: 2, offset: 3 });
  assert.deepEqual(await queries(), [], "nothing is sent before it is awaited");
  const page = await servers;
  assert.equal(page.TotalCount, 7);
  assert.deepEqual(page.Servers.map((s) => s.ID), ids.slice(3, 5));
  assert.equal(await servers.then((again) => again), page, "awaiting again gives the same page");
  assert.deepEqual(await queries(), ["count=2&offset=3"]);
  // As with a Promise: catch and finally.
  let settled = false;
  assert.equal(await servers.finally(() => (settled = true)), page);
  assert.ok(settled);
  await assert.rejects(
    Promise.resolve(account.listServers({ count: 501 })),
    (e) => e instanceof BuildError && e.kind === "count_too_large",
  );
  assert.equal(await account.listServers({ count: 501 }).catch((e) => e.kind), "count_too_large");
});

test("iterated, it is every item, a page at a time", async () => {
  const servers = account.listServers({ count: 3 });
  assert.equal(servers.stopReason, null);
  assert.deepEqual(await collect(servers), ids);
  assert.equal(servers.stopReason, "exhausted");
  assert.deepEqual(await queries(), ["count=3&offset=0", "count=3&offset=3", "count=3&offset=6"]);
});

test("a limit stops early and asks for no more than it needs", async () => {
  const servers = account.listServers({ count: 3 }, { limit: 4 });
  assert.deepEqual(await collect(servers), ids.slice(0, 4));
  assert.equal(servers.stopReason, "limit");
  assert.deepEqual(await queries(), ["count=3&offset=0", "count=1&offset=3"]);
});

test("the query parameters go with every page", async () => {
  assert.deepEqual(await collect(account.listServers({ count: 2, name: "Server 1" })), [ids[2]]);
  assert.match((await queries())[0], /name=Server\+1/);
});

test("breaking out of the loop ends the walk; its cursor resumes at the next item", async () => {
  const servers = account.listServers({ count: 3 });
  const first = [];
  for await (const server of servers) {
    first.push(server.ID);
    if (first.length === 4) break;
  }
  assert.deepEqual(await servers.next(), { value: undefined, done: true }, "the walk is over");
  assert.equal(servers.stopReason, null, "it did not run out: the caller stopped it");
  assert.deepEqual(await queries(), ["count=3&offset=0", "count=3&offset=3"], "no page fetched after the break");
  // Through JSON, as a caller would store it.
  const cursor = JSON.parse(JSON.stringify(servers.cursor));
  const rest = await collect(account.listServers({ count: 3 }, { cursor }));
  assert.deepEqual([...first, ...rest], ids);
});

test("a failed page ends the iteration; its cursor resumes from that page", async () => {
  const servers = account.listServers({ count: 3 });
  const seen = [];
  await mock.fault({ kind: "status", status: 500, path: "/servers", count: 1 });
  await assert.rejects(async () => {
    for await (const server of servers) seen.push(server.ID);
  }, { name: "PostmarkError", status: 500 });
  assert.deepEqual(seen, []);
  // The iteration is over for this walk…
  assert.deepEqual(await servers.next(), { value: undefined, done: true });
  // …and its cursor picks it up again.
  assert.deepEqual(await collect(account.listServers({ count: 3 }, { cursor: servers.cursor })), ids);
});

test("its iterators share one walk", async () => {
  const servers = account.listServers({ count: 5 });
  const iterator = servers[Symbol.asyncIterator]();
  assert.deepEqual(await iterator.next(), { value: await account.getServer({ id: ids[0] }), done: false });
  assert.equal((await servers.next()).value.ID, ids[1]);
  assert.deepEqual(await collect(servers), ids.slice(2));
});

test("bad parameters or options reject both ways, and nothing is sent", async () => {
  for (const [params, options, kind] of [
    [{}, { limits: 3 }, "invalid_options"],
    [{}, { cursor: { page_size: 0 } }, "invalid_options"],
    [{ count: 0 }, {}, "missing_field"],
  ]) {
    const servers = account.listServers(params, options);
    await assert.rejects(servers.then(), { name: "BuildError", kind });
    await assert.rejects(collect(servers), { name: "BuildError", kind });
    assert.equal(servers.cursor, null);
  }
  assert.deepEqual(await queries(), []);
});
