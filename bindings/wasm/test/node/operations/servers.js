// Servers (account token): one created, read, listed, changed and deleted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { account, group, logged } from "../../support/operations.js";

export default () =>
  group("servers", () => {
    test("create, get, list, edit, delete", async () => {
      const created = await account.createServer({ Name: "Staging", Color: "Red", DeliveryType: "Sandbox" });
      assert.equal(created.Name, "Staging");
      assert.equal(created.DeliveryType, "Sandbox");
      const id = created.ID;
      assert.equal((await account.getServer({ id })).Name, "Staging");
      const page = await account.listServers({ count: 10, offset: 0 });
      assert.equal(page.TotalCount, page.Servers.length);
      assert.ok(page.Servers.some((s) => s.ID === id));
      const all = [];
      for await (const s of account.listServers({ count: 1 })) all.push(s.ID);
      assert.deepEqual(all, page.Servers.map((s) => s.ID));
      const edited = await account.editServer({ id, Name: "Staging 2", InboundSpamThreshold: 5 });
      assert.equal(edited.Name, "Staging 2");
      assert.equal(edited.InboundSpamThreshold, 5);
      assert.equal((await account.deleteServer({ id })).ErrorCode, 0);
      await assert.rejects(account.getServer({ id }), { name: "PostmarkError", status: 422, errorName: "SERVER_NOT_FOUND" });
      await logged();
    });
  });
