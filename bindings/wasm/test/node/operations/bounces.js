// Bounces: the delivery stats, a bounce found, read, dumped and reactivated.
import assert from "node:assert/strict";
import { test } from "node:test";
import { message } from "../../support/message.js";
import { group, logged, mock, server } from "../../support/operations.js";

export default () =>
  group("bounces", () => {
    test("delivery stats, list, get, dump, activate", async () => {
      // A hard bounce deactivates its address, as the mock's seeded one does inactive@example.com.
      const { ID: id } = await mock.control("POST", "bounces", { Email: "hard@example.com", Tag: "digest", Content: "raw bounce" });
      const stats = await server.getDeliveryStats();
      assert.equal(stats.InactiveMails, 2);
      assert.deepEqual(stats.Bounces.map((b) => [b.Name, b.Count]), [["All", 2], ["Hard bounce", 2]]);
      const page = await server.listBounces({ type: "HardBounce", emailFilter: "hard@", tag: "digest", inactive: true });
      assert.equal(page.TotalCount, 1);
      assert.deepEqual(page.Bounces.map((b) => [b.ID, b.Email]), [[id, "hard@example.com"]]);
      const bounce = await server.getBounce({ id });
      assert.equal(bounce.Type, "HardBounce");
      assert.equal(bounce.Content, "raw bounce");
      assert.deepEqual([bounce.Inactive, bounce.CanActivate], [true, true]);
      assert.equal((await server.getBounceDump({ id })).Body, "raw bounce");
      await assert.rejects(server.sendEmail(message({ To: "hard@example.com" })), { errorName: "INACTIVE_RECIPIENT" });
      const activation = await server.activateBounce({ id });
      assert.equal(activation.Message, "OK");
      assert.deepEqual([activation.Bounce.ID, activation.Bounce.Inactive], [id, false]);
      assert.equal((await server.sendEmail(message({ To: "hard@example.com" }))).ErrorCode, 0);
      await logged();
    });
  });
