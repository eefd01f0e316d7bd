// Suppressions: addresses suppressed by hand (a send to them is refused),
// dumped by filter, and lifted; a spam complaint only its recipient can lift.
import assert from "node:assert/strict";
import { test } from "node:test";
import { message } from "../../support/message.js";
import { group, logged, mock, server } from "../../support/operations.js";

/** `[address, reason, origin]` of each suppression on `outbound` the filters pick. */
const dump = async (filters = {}) =>
  (await server.dumpSuppressions({ stream_id: "outbound", ...filters })).Suppressions.map((s) => [
    s.EmailAddress,
    s.SuppressionReason,
    s.Origin,
  ]);
const addresses = (...emails) => emails.map((EmailAddress) => ({ EmailAddress }));
const results = (answer) => answer.Suppressions.map((r) => [r.EmailAddress, r.Status, typeof r.Message]);

export default () =>
  group("suppressions", () => {
    test("dump, create, delete: a send to a suppressed address is refused, then accepted", async () => {
      // The seeded hard bounce suppresses its recipient.
      const seeded = await server.dumpSuppressions({ stream_id: "outbound" });
      assert.equal(seeded.Suppressions.length, 1);
      assert.equal(typeof seeded.Suppressions[0].CreatedAt, "string");
      assert.deepEqual(await dump(), [["inactive@example.com", "HardBounce", "Recipient"]]);

      const created = await server.createSuppressions({
        stream_id: "outbound",
        Suppressions: addresses("a@example.com", "not an address"),
      });
      assert.deepEqual(results(created), [
        ["a@example.com", "Suppressed", "undefined"],
        ["not an address", "Failed", "string"],
      ]);
      await assert.rejects(server.sendEmail(message({ To: "a@example.com" })), {
        name: "PostmarkError",
        errorCode: 406,
        errorName: "INACTIVE_RECIPIENT",
      });
      // Per stream: the broadcast stream still takes it.
      assert.equal((await server.sendEmail(message({ To: "a@example.com", MessageStream: "broadcast" }))).ErrorCode, 0);
      assert.deepEqual((await server.dumpSuppressions({ stream_id: "broadcast" })).Suppressions, []);

      assert.deepEqual(await dump({ Origin: "Customer" }), [["a@example.com", "ManualSuppression", "Customer"]]);
      assert.deepEqual(await dump({ SuppressionReason: "HardBounce", fromdate: "2020-01-01" }), [
        ["inactive@example.com", "HardBounce", "Recipient"],
      ]);
      assert.deepEqual(await dump({ EmailAddress: "A@example.com" }), [["a@example.com", "ManualSuppression", "Customer"]]);
      assert.deepEqual(await dump({ todate: "2020-01-01" }), []);

      // Lifting the hard bounce's suppression reactivates its recipient too.
      const deleted = await server.deleteSuppressions({
        stream_id: "outbound",
        Suppressions: addresses("a@example.com", "inactive@example.com"),
      });
      assert.deepEqual(results(deleted), [
        ["a@example.com", "Deleted", "undefined"],
        ["inactive@example.com", "Deleted", "undefined"],
      ]);
      assert.deepEqual(await dump(), []);
      assert.equal((await server.sendEmail(message({ To: "a@example.com" }))).ErrorCode, 0);
      assert.equal((await server.sendEmail(message({ To: "inactive@example.com" }))).ErrorCode, 0);
      await logged();
    });

    test("a spam complaint stays suppressed; an unknown stream is refused", async () => {
      await mock.control("POST", "bounces", { Email: "spam@example.com", Type: "SpamComplaint" });
      const kept = await server.deleteSuppressions({ stream_id: "outbound", Suppressions: addresses("spam@example.com") });
      assert.deepEqual(results(kept), [["spam@example.com", "Failed", "string"]]);
      assert.deepEqual(await dump(), [
        ["inactive@example.com", "HardBounce", "Recipient"],
        ["spam@example.com", "SpamComplaint", "Recipient"],
      ]);
      await assert.rejects(server.createSuppressions({ stream_id: "news", Suppressions: addresses("a@example.com") }), {
        errorCode: 1226,
        errorName: "MESSAGE_STREAM_NOT_FOUND",
      });
      await logged();
    });
  });
