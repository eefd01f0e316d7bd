// Bulk: a bulk request sent and followed until every message is out; the
// list of requests, paged by key, awaited a page at a time and walked with
// `for await`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { collect, group, logged, mock, server } from "../../support/operations.js";

/** A newsletter to `to`, one message each, its subject naming the recipient. */
function newsletter(to, overrides = {}) {
  return {
    From: "news@example.com",
    Subject: "News for {{name}}",
    TextBody: "Hello {{name}}",
    Tag: "digest",
    Messages: to.map((To) => ({ To, TemplateModel: { name: To.split("@")[0] } })),
    ...overrides,
  };
}

/** Has the mock send the next part of a bulk request (a control route: not logged). */
const advance = (id) => mock.control("POST", `bulk/${id}/advance`);

export default () =>
  group("bulk", () => {
    test("sendBulkEmail and getBulkEmailStatus: accepted, processing, completed", async () => {
      const accepted = await server.sendBulkEmail(newsletter(["ada@example.com", "bo@example.com", "cy@example.com"]));
      assert.equal(accepted.Status, "Accepted");
      assert.match(accepted.ID, /^[0-9a-f-]{36}$/);
      assert.equal(typeof accepted.SubmittedAt, "string");
      const status = () => server.getBulkEmailStatus({ id: accepted.ID });

      const waiting = await status();
      assert.deepEqual(
        [waiting.Id, waiting.Status, waiting.TotalMessages, waiting.PercentageCompleted, waiting.Subject],
        [accepted.ID, "Accepted", 3, 0, "News for {{name}}"],
      );
      assert.deepEqual(await mock.control("GET", "messages"), []);
      await advance(accepted.ID);
      assert.deepEqual(((s) => [s.Status, s.PercentageCompleted])(await status()), ["Processing", 66.7]);
      await advance(accepted.ID);
      assert.deepEqual(((s) => [s.Status, s.PercentageCompleted])(await status()), ["Completed", 100]);

      const sent = await mock.control("GET", "messages");
      assert.deepEqual(
        sent.map((m) => [m.To, m.Subject, m.TextBody, m.MessageStream, m.Tag]),
        ["ada", "bo", "cy"].map((name) => [
          [{ Email: `${name}@example.com`, Name: "" }],
          `News for ${name}`,
          `Hello ${name}`,
          "broadcast",
          "digest",
        ]),
      );
      await assert.rejects(server.getBulkEmailStatus({ id: "f1b8d0a2-8a5c-4c4e-9d55-0c2d1f0e7a11" }), {
        name: "PostmarkError",
        status: 404,
        errorCode: 12,
        errorName: "BULK_NOT_FOUND",
      });
      // A transactional stream takes no bulk request: the whole of it is refused.
      await assert.rejects(server.sendBulkEmail(newsletter(["a@example.com"], { MessageStream: "outbound" })), {
        errorCode: 11,
        errorName: "MULTIPLE_ERRORS",
      });
      await logged();
    });

    test("listBulkEmails: paged by key, newest first; awaited a page, iterated every request", async () => {
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await server.sendBulkEmail(newsletter([`r${i}@example.com`]))).ID);
      const newest = ids.toReversed();
      await logged();

      const first = await server.listBulkEmails({ count: 2 });
      assert.deepEqual(first.Requests.map((r) => r.Id), newest.slice(0, 2));
      assert.ok(first.Requests.every((r) => r.TotalMessages === 1 && r.Status === "Accepted"));
      assert.equal(first.PaginationKey, newest[2]);
      const last = await server.listBulkEmails({ count: 3, paginationKey: newest[2] });
      assert.deepEqual(last.Requests.map((r) => r.Id), newest.slice(2));
      assert.equal(last.PaginationKey ?? null, null);
      assert.equal((await server.listBulkEmails()).Requests.length, 5);
      await assert.rejects(server.listBulkEmails({ paginationKey: "forged" }), { errorCode: 13, errorName: "INVALID_PAGINATION_KEY" });

      const walk = server.listBulkEmails({ count: 2 });
      assert.deepEqual(await collect(walk, "Id"), newest);
      assert.equal(walk.stopReason, "exhausted");
      const limited = server.listBulkEmails({ count: 2 }, { limit: 3 });
      assert.deepEqual(await collect(limited, "Id"), newest.slice(0, 3));
      assert.equal(limited.stopReason, "limit");
      // Each page asks for the key the page before it answered.
      const queries = (await mock.requests()).map((r) => r.query);
      assert.deepEqual(queries, [
        "count=2",
        `count=3&paginationKey=${newest[2]}`,
        "",
        "paginationKey=forged",
        "count=2",
        `count=2&paginationKey=${newest[2]}`,
        `count=2&paginationKey=${newest[4]}`,
        "count=2",
        `count=1&paginationKey=${newest[2]}`,
      ]);
      await logged();
    });

    test("listBulkEmails: a walk broken off resumes from its cursor, through JSON", async () => {
      const ids = [];
      for (let i = 0; i < 7; i++) ids.push((await server.sendBulkEmail(newsletter([`r${i}@example.com`]))).ID);
      const newest = ids.toReversed();
      await logged();

      const walk = server.listBulkEmails({ count: 3 });
      const first = [];
      for await (const request of walk) {
        first.push(request.Id);
        if (first.length === 4) break;
      }
      assert.equal(walk.stopReason, null);
      // Two requests of the second page were fetched but not handed out:
      // resuming fetches that page again and starts at the first of them.
      const cursor = JSON.parse(JSON.stringify(walk.cursor));
      const rest = await collect(server.listBulkEmails({ count: 3 }, { cursor }), "Id");
      assert.deepEqual([...first, ...rest], newest);
      assert.deepEqual(
        (await mock.requests()).map((r) => r.query),
        ["count=3", `count=3&paginationKey=${newest[3]}`, `count=3&paginationKey=${newest[3]}`, `count=3&paginationKey=${newest[6]}`],
      );
      await logged();
    });
  });
