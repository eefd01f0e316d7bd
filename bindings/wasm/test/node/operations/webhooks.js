// Webhooks: one created, read, listed, changed, verified, measured and deleted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { group, logged, server } from "../../support/operations.js";

export default () =>
  group("webhooks", () => {
    test("create, get, list, edit, verify, statistics, delete", async () => {
      const created = await server.createWebhook({
        Url: "https://hooks.example.com/postmark",
        HttpAuth: { Username: "postmark", Password: "s3cret" },
        Triggers: { Delivery: { Enabled: true }, Bounce: { Enabled: true, IncludeContent: true } },
      });
      assert.equal(typeof created.ID, "number");
      assert.equal(created.Triggers.Delivery.Enabled, true);
      const id = created.ID;
      assert.equal((await server.getWebhook({ id })).Url, "https://hooks.example.com/postmark");
      const list = await server.listWebhooks();
      assert.ok(list.Webhooks.some((w) => w.ID === id));
      assert.equal((await server.listWebhooks({ MessageStream: "outbound" })).Webhooks.length, list.Webhooks.length);
      const edited = await server.editWebhook({ id, Url: "https://hooks.example.com/v2", Verify: false });
      assert.equal(edited.Url, "https://hooks.example.com/v2");
      const verification = await server.verifyWebhook({ id });
      assert.equal(verification.Success, true);
      assert.equal(verification.Id, id);
      assert.deepEqual(verification.Results.map((r) => r.TriggerType).sort(), ["Bounce", "Delivery"]);
      const stats = await server.getWebhookStatistics({ id });
      assert.equal(stats.WebhookId, id);
      assert.equal(stats.Metrics.TotalRequests, 0);
      assert.equal(stats.Url, "https://hooks.example.com/v2");
      const deleted = await server.deleteWebhook({ id });
      assert.equal(deleted.ErrorCode, 0);
      await assert.rejects(server.getWebhook({ id }), { name: "PostmarkError", errorName: "WEBHOOK_NOT_FOUND" });
      await logged();
    });
  });
