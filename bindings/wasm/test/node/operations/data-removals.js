// Data removals (account token): a request, its status before and after the
// mock carries it out, and what goes with it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { message } from "../../support/message.js";
import { account, group, logged, mock, server } from "../../support/operations.js";

const recipients = async () => (await server.searchOutboundMessages()).Messages.flatMap((m) => m.Recipients);

export default () =>
  group("data removals", () => {
    test("createDataRemoval and getDataRemovalStatus: pending, then done", async () => {
      await server.sendEmail(message({ To: "jane@example.org" }));
      await server.sendEmail(message({ To: "kim@example.org" }));
      assert.deepEqual((await recipients()).sort(), ["jane@example.org", "kim@example.org"]);

      const requested = await account.createDataRemoval({
        RequestedBy: "privacy@example.com",
        RequestedFor: "jane@example.org",
        NotifyWhenCompleted: true,
      });
      assert.equal(requested.Status, "Pending");
      const id = requested.ID;
      assert.equal(typeof id, "number");
      assert.deepEqual(await account.getDataRemovalStatus({ id }), requested);
      assert.equal((await recipients()).length, 2, "nothing goes before it is carried out");

      // Postmark carries it out in its own time; the mock when told to.
      await mock.control("POST", `data-removals/${id}/complete`);
      assert.deepEqual(await account.getDataRemovalStatus({ id }), { ID: id, Status: "Done" });
      assert.deepEqual(await recipients(), ["kim@example.org"]);

      await assert.rejects(account.createDataRemoval({ RequestedBy: "privacy@example.com", RequestedFor: "not an address" }), {
        name: "PostmarkError",
        errorCode: 1300,
        errorName: "DATA_REMOVAL_INVALID",
      });
      await assert.rejects(account.getDataRemovalStatus({ id: 99 }), { errorCode: 1301, errorName: "DATA_REMOVAL_ID_INVALID" });
      const removals = (await mock.requests()).filter((r) => r.path.startsWith("/data-removals"));
      assert.deepEqual(
        removals.map((r) => [r.method, r.path, r.token]),
        [
          ["POST", "/data-removals", "account"],
          ["GET", `/data-removals/${id}`, "account"],
          ["GET", `/data-removals/${id}`, "account"],
          ["POST", "/data-removals", "account"],
          ["GET", "/data-removals/99", "account"],
        ],
      );
      await logged();
    });
  });
