// Templates: templates and layouts created, read, listed, changed, used and
// deleted; content validated without saving; templates pushed from one server
// to another with the account token.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ServerClient } from "postmark-kit";
import { message } from "../../support/message.js";
import { account, collect, group, logged, mock, server } from "../../support/operations.js";

export default () =>
  group("templates", () => {
    const layout = { Name: "Base", Alias: "base", TemplateType: "Layout", HtmlBody: "<main>{{{@content}}}</main>" };
    const receipt = {
      Name: "Receipt",
      Alias: "receipt",
      Subject: "Receipt {{number}}",
      HtmlBody: "<p>Paid: {{amount}}</p>",
      LayoutTemplate: "base",
    };

    test("create, get, list, edit, delete: a template in a layout", async () => {
      const base = await server.createTemplate(layout);
      assert.deepEqual([base.TemplateId, base.TemplateType, base.Alias, base.Active], [1001, "Layout", "base", true]);
      const created = await server.createTemplate(receipt);
      assert.deepEqual([created.TemplateId, created.LayoutTemplate], [1002, "base"]);

      const byAlias = await server.getTemplate({ id_or_alias: "RECEIPT" });
      assert.equal(byAlias.TemplateId, 1002);
      assert.equal(byAlias.Subject, "Receipt {{number}}");
      assert.equal(byAlias.HtmlBody, "<p>Paid: {{amount}}</p>");
      assert.equal(byAlias.TextBody ?? null, null);
      assert.deepEqual([byAlias.AssociatedServerId, byAlias.Active], [1, true]);
      assert.deepEqual(await server.getTemplate({ id_or_alias: "1002" }), byAlias);

      const layouts = await server.listTemplates({ TemplateType: "Layout" });
      assert.equal(layouts.TotalCount, 1);
      assert.deepEqual(layouts.Templates, [base]);
      assert.deepEqual((await server.listTemplates({ LayoutTemplate: "base" })).Templates, [created]);
      // Oldest first, two a page: the seeded template, the layout, the receipt.
      assert.deepEqual(await collect(server.listTemplates({ count: 2 }), "TemplateId"), [1000, 1001, 1002]);

      // Sent, the receipt is rendered inside the layout.
      const { From, To } = message();
      const model = { number: 7, amount: "$5" };
      await server.sendEmailWithTemplate({ From, To, TemplateAlias: "receipt", TemplateModel: model });
      const edited = await server.editTemplate({ id_or_alias: "1002", Name: "Payment receipt", Subject: "Paid {{number}}" });
      assert.deepEqual([edited.TemplateId, edited.Name, edited.LayoutTemplate], [1002, "Payment receipt", "base"]);
      assert.equal((await server.getTemplate({ id_or_alias: "receipt" })).Subject, "Paid {{number}}");

      await assert.rejects(server.deleteTemplate({ id_or_alias: "base" }), {
        name: "PostmarkError",
        errorCode: 1130,
        errorName: "LAYOUT_IN_USE",
      });
      // An empty LayoutTemplate takes the receipt out of the layout, which can then go.
      const freed = await server.editTemplate({ id_or_alias: "receipt", LayoutTemplate: "" });
      assert.equal(freed.LayoutTemplate ?? null, null);
      await server.sendEmailWithTemplate({ From, To, TemplateAlias: "receipt", TemplateModel: model });
      const sent = (await mock.control("GET", "messages")).map((m) => [m.Subject, m.HtmlBody]);
      assert.deepEqual(sent, [
        ["Receipt 7", "<main><p>Paid: $5</p></main>"],
        ["Paid 7", "<p>Paid: $5</p>"],
      ]);

      const deleted = await server.deleteTemplate({ id_or_alias: "base" });
      assert.deepEqual([deleted.ErrorCode, deleted.Message], [0, "Template 1001 removed."]);
      await assert.rejects(server.getTemplate({ id_or_alias: "base" }), { errorCode: 1101, errorName: "TEMPLATE_NOT_FOUND" });
      assert.deepEqual(await collect(server.listTemplates(), "Alias"), ["welcome", "receipt"]);
      await logged();
    });

    test("validateTemplate renders without saving", async () => {
      await server.createTemplate(layout);
      const valid = await server.validateTemplate({
        Subject: "Hi {{name}}",
        HtmlBody: "<p>{{name}}</p>",
        TestRenderModel: { name: "Ada" },
        LayoutTemplate: "base",
      });
      assert.equal(valid.AllContentIsValid, true);
      assert.deepEqual([valid.Subject.ContentIsValid, valid.Subject.RenderedContent], [true, "Hi Ada"]);
      assert.equal(valid.HtmlBody.RenderedContent, "<main><p>Ada</p></main>");
      assert.equal(valid.TextBody ?? null, null);
      assert.deepEqual(valid.SuggestedTemplateModel, { name: "name_Value" });

      // Without a model, the suggested one fills the placeholders.
      const suggested = await server.validateTemplate({ TextBody: "Dear {{user.name}}" });
      assert.deepEqual(suggested.SuggestedTemplateModel, { user: { name: "name_Value" } });
      assert.equal(suggested.TextBody.RenderedContent, "Dear name_Value");

      const broken = await server.validateTemplate({ TextBody: "{{#each items}}{{title}}" });
      assert.equal(broken.AllContentIsValid, false);
      assert.equal(broken.TextBody.ContentIsValid, false);
      assert.equal(broken.TextBody.ValidationErrors.length, 1);
      assert.equal(broken.TextBody.ValidationErrors[0].Line, 1);

      // Nothing was saved: the seeded template and the layout only.
      assert.equal((await server.listTemplates()).TotalCount, 2);
      await logged();
    });

    test("pushTemplates (account token): a dry run, then the copy", async () => {
      await mock.control("POST", "templates", { Alias: "receipt", Subject: "Receipt {{number}}", HtmlBody: "<p>{{amount}}</p>" });
      const staging = await account.createServer({ Name: "Staging" });
      const push = (PerformChanges) =>
        account.pushTemplates({ SourceServerID: 1, DestinationServerID: staging.ID, PerformChanges });
      const destination = new ServerClient(staging.ApiTokens[0], { baseUrl: mock.url });

      // Every server starts with the same welcome template: only the receipt differs.
      const dryRun = await push(false);
      assert.equal(dryRun.TotalCount, 1);
      const [planned] = dryRun.Templates;
      assert.deepEqual([planned.Action, planned.Alias, planned.TemplateType], ["Create", "receipt", "Standard"]);
      assert.equal(planned.TemplateId ?? null, null);
      await assert.rejects(destination.getTemplate({ id_or_alias: "receipt" }), { errorName: "TEMPLATE_NOT_FOUND" });

      const pushed = await push(true);
      assert.equal(pushed.TotalCount, 1);
      assert.equal(pushed.Templates[0].Action, "Create");
      const copy = await destination.getTemplate({ id_or_alias: "receipt" });
      assert.equal(copy.TemplateId, pushed.Templates[0].TemplateId);
      assert.deepEqual([copy.Subject, copy.HtmlBody, copy.AssociatedServerId], ["Receipt {{number}}", "<p>{{amount}}</p>", staging.ID]);

      const again = await push(true);
      assert.deepEqual([again.TotalCount, again.Templates], [0, []]);
      await assert.rejects(account.pushTemplates({ SourceServerID: 1, DestinationServerID: 999, PerformChanges: true }), {
        errorCode: 601,
        errorName: "SERVER_NOT_FOUND",
      });
      const pushes = (await mock.requests()).filter((r) => r.path === "/templates/push");
      assert.deepEqual(pushes.map((r) => [r.method, r.token]), Array(4).fill(["PUT", "account"]));
      await logged();
    });
  });
