// Messages: outbound and inbound searches and details, inbound bypass and retry,
// opens and clicks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { message } from "../../support/message.js";
import { group, logged, mock, server } from "../../support/operations.js";

export default () =>
  group("messages", () => {
    test("outbound: search, details, dump", async () => {
      const sent = await server.sendEmail(message({ To: "Reader <reader@example.com>", Tag: "receipt", Metadata: { order: "7" } }));
      const found = await server.searchOutboundMessages({
        recipient: "reader@example.com",
        tag: "receipt",
        status: "Sent",
        metadata: { key: "order", value: "7" },
      });
      assert.equal(found.TotalCount, 1);
      const [listed] = found.Messages;
      assert.equal(listed.MessageID, sent.MessageID);
      assert.deepEqual(listed.To, [{ Email: "reader@example.com", Name: "Reader" }]);
      assert.deepEqual(listed.Metadata, { order: "7" });
      const details = await server.getOutboundMessageDetails({ id: sent.MessageID });
      assert.equal(details.TextBody, "Hi there");
      assert.deepEqual(details.MessageEvents, []);
      const dump = await server.getOutboundMessageDump({ id: sent.MessageID });
      assert.equal(dump.Body, details.Body);
      assert.match(dump.Body, /^Subject: Hello\r$/m);
      await logged();
    });

    test("inbound: search, details, bypass, retry", async () => {
      const inbound = { From: "Ann <ann@example.com>", To: "desk+ticket-9@inbound.example.com", Subject: "Help", TextBody: "Please" };
      const receive = (Status) => mock.control("POST", "inbound", { ...inbound, Status });
      const blocked = (await receive("Blocked")).MessageID;
      const failed = (await receive("Failed")).MessageID;
      const search = (status) => server.searchInboundMessages({ fromemail: "ann@example.com", mailboxhash: "ticket-9", status });
      const found = await search("Blocked");
      assert.equal(found.TotalCount, 1);
      assert.equal(found.InboundMessages[0].MessageID, blocked);
      assert.deepEqual(found.InboundMessages[0].FromFull, { Email: "ann@example.com", Name: "Ann", MailboxHash: "" });
      const details = await server.getInboundMessageDetails({ id: failed });
      assert.deepEqual([details.Status, details.TextBody], ["Failed", "Please"]);
      assert.equal((await search()).TotalCount, 0, "Postmark's default is Processed");
      const bypassed = await server.bypassInboundMessage({ id: blocked });
      assert.equal(bypassed.ErrorCode, 0);
      assert.match(bypassed.Message, new RegExp(blocked));
      const retried = await server.retryInboundMessage({ id: failed });
      assert.equal(retried.ErrorCode, 0);
      assert.match(retried.Message, new RegExp(failed));
      assert.equal((await search()).TotalCount, 2, "both are processed now");
      await logged();
    });

    test("opens and clicks: searched, and of one message", async () => {
      const { MessageID: id } = await server.sendEmail(message({ To: "jane@example.com" }));
      for (const Platform of ["WebMail", "Mobile", "Desktop"]) {
        await mock.control("POST", "opens", { MessageID: id, Platform, Client: { Name: "Gmail", Company: "Google", Family: "Gmail" } });
      }
      await mock.control("POST", "clicks", { MessageID: id, OriginalLink: "https://example.com/a", ClickLocation: "Text" });
      const mobile = await server.searchMessageOpens({ recipient: "jane@example.com", platform: "Mobile", client_family: "Gmail" });
      assert.equal(mobile.TotalCount, 1);
      assert.deepEqual([mobile.Opens[0].MessageID, mobile.Opens[0].FirstOpen], [id, false]);
      const opens = await server.getMessageOpens({ id });
      assert.deepEqual(opens.Opens.map((o) => [o.Platform, o.FirstOpen]), [["Desktop", false], ["Mobile", false], ["WebMail", true]]);
      const clicks = await server.searchMessageClicks({ recipient: "jane@example.com" });
      assert.equal(clicks.TotalCount, 1);
      assert.deepEqual([clicks.Clicks[0].OriginalLink, clicks.Clicks[0].ClickLocation], ["https://example.com/a", "Text"]);
      assert.deepEqual(await server.getMessageClicks({ id }), clicks);
      await logged();
    });
  });
