// Email: one message, a batch, and both with a template.
import assert from "node:assert/strict";
import { test } from "node:test";
import { message } from "../../support/message.js";
import { group, logged, mock, server } from "../../support/operations.js";

export default () =>
  group("email", () => {
    test("sendEmail", async () => {
      const sent = await server.sendEmail(message({ HtmlBody: "<p>Hi</p>", Metadata: { order: "42" } }));
      assert.equal(sent.ErrorCode, 0);
      assert.equal(sent.Message, "OK");
      assert.equal(sent.To, "receiver@example.com");
      assert.match(sent.MessageID, /^[0-9a-f-]{36}$/);
      const [accepted] = await mock.control("GET", "messages");
      assert.deepEqual([accepted.MessageID, accepted.HtmlBody, accepted.Metadata], [sent.MessageID, "<p>Hi</p>", { order: "42" }]);
      await logged();
    });

    test("sendEmailBatch answers per message", async () => {
      const results = await server.sendEmailBatch([message(), message({ To: "not-an-address" }), message()]);
      assert.equal(results.length, 3);
      assert.deepEqual(results.map((r) => r.ErrorCode), [0, 300, 0]);
      assert.equal(results[1].MessageID, undefined);
      assert.match(results[1].Message, /not-an-address/);
      const accepted = await mock.control("GET", "messages");
      assert.deepEqual(accepted.map((m) => m.MessageID), [results[0].MessageID, results[2].MessageID]);
      await logged();
    });

    test("sendEmailWithTemplate and sendEmailBatchWithTemplates", async () => {
      await mock.control("POST", "templates", { Alias: "welcome", Subject: "Hi {{name}}", HtmlBody: "<p>{{name}}</p>" });
      const { From, To } = message();
      const one = await server.sendEmailWithTemplate({ From, To, TemplateAlias: "welcome", TemplateModel: { name: "Ann" } });
      assert.equal(one.ErrorCode, 0);
      const many = await server.sendEmailBatchWithTemplates({
        Messages: [
          { From, To, TemplateAlias: "welcome", TemplateModel: { name: "Bo" } },
          { From, To, TemplateAlias: "missing", TemplateModel: {} },
        ],
      });
      assert.equal(many.length, 2);
      assert.equal(many[0].ErrorCode, 0);
      assert.notEqual(many[1].ErrorCode, 0);
      const sent = await mock.control("GET", "messages");
      assert.ok(sent.some((m) => m.Subject === "Hi Ann"), "the template was rendered");
      await logged();
    });
  });
