// Inbound rules: rules created, listed a page at a time, applied to mail
// from a blocked sender (kept back as Blocked), and deleted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { collect, group, logged, mock, server } from "../../support/operations.js";

/** Receives a message from `From` on the default server and answers its details. */
const receive = (From) => mock.control("POST", "inbound", { From, To: "desk@inbound.example.com", Subject: "Offer" });

export default () =>
  group("inbound rules", () => {
    test("list, create, delete: mail from a blocked sender is Blocked", async () => {
      assert.deepEqual(await server.listInboundRules(), { InboundRules: [], TotalCount: 0 });

      const created = [];
      for (const Rule of ["spam@example.com", "bad.example", "junk@example.org"]) {
        created.push(await server.createInboundRule({ Rule }));
      }
      assert.deepEqual(created.map((r) => r.Rule), ["spam@example.com", "bad.example", "junk@example.org"]);
      assert.ok(created[0].ID < created[1].ID && created[1].ID < created[2].ID, "IDs in creation order");
      const page = await server.listInboundRules({ count: 2, offset: 1 });
      assert.deepEqual([page.TotalCount, page.InboundRules], [3, created.slice(1)]);
      assert.deepEqual(await collect(server.listInboundRules({ count: 2 }), "ID"), created.map((r) => r.ID));

      // Mail from a blocked domain, and from a blocked address, is kept back.
      const blocked = await receive("someone@bad.example");
      assert.equal(blocked.Status, "Blocked");
      assert.equal(typeof blocked.BlockedReason, "string");
      assert.equal((await receive("Spam <spam@example.com>")).Status, "Blocked");
      assert.equal((await receive("someone@sub.bad.example")).Status, "Processed", "exactly that domain");
      const held = await server.searchInboundMessages({ status: "Blocked" });
      assert.deepEqual(held.InboundMessages.map((m) => m.From).sort(), ["someone@bad.example", "spam@example.com"]);
      assert.equal((await server.getInboundMessageDetails({ id: blocked.MessageID })).Status, "Blocked");

      const deleted = await server.deleteInboundRule({ id: created[1].ID });
      assert.deepEqual([deleted.ErrorCode, deleted.Message], [0, "Rule bad.example removed."]);
      const left = await server.listInboundRules();
      assert.deepEqual([left.TotalCount, left.InboundRules], [2, [created[0], created[2]]]);
      assert.equal((await receive("someone@bad.example")).Status, "Processed");
      await logged();
    });

    test("refused by Postmark: a rule twice, an unknown rule", async () => {
      await server.createInboundRule({ Rule: "spam@example.com" });
      await assert.rejects(server.createInboundRule({ Rule: "spam@example.com" }), {
        name: "PostmarkError",
        errorCode: 810,
        errorName: "INBOUND_RULE_EXISTS",
      });
      await assert.rejects(server.deleteInboundRule({ id: 999 }), { errorCode: 812, errorName: "INBOUND_RULE_NOT_FOUND" });
      assert.equal((await server.listInboundRules()).TotalCount, 1);
      await logged();
    });
  });
