// Message streams: a broadcast stream created, changed, archived (it then
// takes no mail) and brought back; the streams Postmark will not archive.
import assert from "node:assert/strict";
import { test } from "node:test";
import { message } from "../../support/message.js";
import { group, logged, server } from "../../support/operations.js";

const ids = async (params) => (await server.listMessageStreams(params)).MessageStreams.map((s) => s.ID);

export default () =>
  group("message streams", () => {
    test("list, create, edit, get, archive, unarchive", async () => {
      const all = await server.listMessageStreams();
      assert.equal(all.TotalCount, 3);
      assert.deepEqual(
        all.MessageStreams.map((s) => [s.ID, s.MessageStreamType]),
        [["outbound", "Transactional"], ["broadcast", "Broadcasts"], ["inbound", "Inbound"]],
      );

      const created = await server.createMessageStream({
        ID: "digest",
        Name: "Digest",
        MessageStreamType: "Broadcasts",
        Description: "Weekly news",
      });
      assert.deepEqual(
        [created.ID, created.ServerID, created.Name, created.Description, created.MessageStreamType],
        ["digest", 1, "Digest", "Weekly news", "Broadcasts"],
      );
      assert.equal(typeof created.CreatedAt, "string");
      assert.equal(created.UpdatedAt ?? null, null);
      assert.equal(created.ArchivedAt ?? null, null);
      // Broadcast streams handle unsubscribes unless told otherwise.
      assert.equal(created.SubscriptionManagementConfiguration.UnsubscribeHandlingType, "Postmark");

      const edited = await server.editMessageStream({ stream_id: "digest", Name: "Weekly digest" });
      assert.deepEqual([edited.Name, edited.Description], ["Weekly digest", "Weekly news"]);
      assert.equal(typeof edited.UpdatedAt, "string");
      assert.deepEqual(await server.getMessageStream({ stream_id: "digest" }), edited);
      const broadcasts = { MessageStreamType: "Broadcasts" };
      assert.deepEqual(await ids(broadcasts), ["broadcast", "digest"]);
      assert.equal((await server.sendEmail(message({ MessageStream: "digest" }))).ErrorCode, 0);

      const archived = await server.archiveMessageStream({ stream_id: "digest" });
      assert.deepEqual([archived.ID, archived.ServerID], ["digest", 1]);
      assert.equal(typeof archived.ExpectedPurgeDate, "string");
      assert.deepEqual(await ids(broadcasts), ["broadcast"]);
      assert.deepEqual(await ids({ ...broadcasts, IncludeArchivedStreams: true }), ["broadcast", "digest"]);
      assert.equal(typeof (await server.getMessageStream({ stream_id: "digest" })).ArchivedAt, "string");
      // An archived stream takes no mail.
      await assert.rejects(server.sendEmail(message({ MessageStream: "digest" })), {
        errorCode: 1235,
        errorName: "MESSAGE_STREAM_DOES_NOT_EXIST",
      });

      const back = await server.unarchiveMessageStream({ stream_id: "digest" });
      assert.deepEqual([back.ID, back.ArchivedAt ?? null, back.ExpectedPurgeDate ?? null], ["digest", null, null]);
      assert.deepEqual(await ids(broadcasts), ["broadcast", "digest"]);
      assert.equal((await server.sendEmail(message({ MessageStream: "digest" }))).ErrorCode, 0);
      await logged();
    });

    test("refused by Postmark: archiving outbound, an unknown stream, a second inbound stream", async () => {
      await assert.rejects(server.archiveMessageStream({ stream_id: "outbound" }), {
        errorCode: 1229,
        errorName: "MESSAGE_STREAM_NOT_ARCHIVABLE",
      });
      await assert.rejects(server.unarchiveMessageStream({ stream_id: "news" }), { errorCode: 1226, errorName: "MESSAGE_STREAM_NOT_FOUND" });
      await assert.rejects(server.editMessageStream({ stream_id: "news", Name: "News" }), { errorCode: 1226 });
      await assert.rejects(server.createMessageStream({ ID: "more-inbound", Name: "More", MessageStreamType: "Inbound" }), {
        errorCode: 1228,
        errorName: "INBOUND_STREAM_EXISTS",
      });
      assert.equal((await server.listMessageStreams({ IncludeArchivedStreams: true })).TotalCount, 3);
      await logged();
    });
  });
