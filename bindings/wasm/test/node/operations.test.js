// Every operation of the table, called through the generated methods against
// the mock; the last test checks from the mock's request log that none was
// left out, so an operation added to the core needs a call here.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AccountClient, ServerClient, operations } from "postmark-kit";
import { startMock } from "../../../../examples/js/local-mock.mjs";
import { message } from "../support/message.js";

let mock, server, account;
const seen = [];

before(async () => {
  mock = await startMock();
  server = new ServerClient(mock.serverToken, { baseUrl: mock.url });
  account = new AccountClient(mock.accountToken, { baseUrl: mock.url });
});
after(() => mock.close());

async function logged() {
  seen.push(...(await mock.requests()));
  await mock.clearRequests();
}

describe("email", () => {
  test("sendEmail", async () => {
    const sent = await server.sendEmail(message({ HtmlBody: "<p>Hi</p>", Metadata: { order: "42" } }));
    assert.equal(sent.ErrorCode, 0);
    assert.equal(sent.Message, "OK");
    assert.equal(sent.To, "receiver@example.com");
    assert.match(sent.MessageID, /^[0-9a-f-]{36}$/);
  });

  test("sendEmailBatch answers per message", async () => {
    const results = await server.sendEmailBatch([message(), message({ To: "not-an-address" }), message()]);
    assert.equal(results.length, 3);
    assert.deepEqual(results.map((r) => r.ErrorCode), [0, 300, 0]);
    assert.equal(results[1].MessageID, undefined);
    assert.match(results[1].Message, /not-an-address/);
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

describe("bounces", () => {
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

describe("server", () => {
  test("getCurrentServer and editCurrentServer", async () => {
    const current = await server.getCurrentServer();
    assert.equal(typeof current.ID, "number");
    assert.ok(Array.isArray(current.ApiTokens));
    const edited = await server.editCurrentServer({ Name: "Renamed", Color: "Green", TrackOpens: true });
    assert.equal(edited.Name, "Renamed");
    assert.equal(edited.Color.toLowerCase(), "green");
    assert.equal((await server.getCurrentServer({})).Name, "Renamed");
    await logged();
  });
});

describe("messages", () => {
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

describe("webhooks", () => {
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

describe("servers", () => {
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

test("raw reaches any endpoint with the client's token", async () => {
  const answer = await server.raw({ method: "GET", path: "/server" });
  assert.equal(typeof answer.ID, "number");
  const requests = await mock.requests();
  assert.equal(requests.at(-1).token, "server");
  await logged();
});

test("every operation of the table was called (checked against the mock's log)", async () => {
  await logged();
  const route = (path) => new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`, "i");
  const missing = operations().filter(
    (op) => !seen.some((r) => r.method === op.method && route(op.path).test(r.path) && r.token === op.token),
  );
  assert.deepEqual(missing.map((op) => op.jsName), []);
});

test("the classes have one method per operation, named by the table", () => {
  for (const op of operations()) {
    const [mine, other] = op.token === "server" ? [ServerClient, AccountClient] : [AccountClient, ServerClient];
    assert.equal(typeof mine.prototype[op.jsName], "function", op.jsName);
    assert.equal(other.prototype[op.jsName], undefined, `${op.jsName} is not on the other client`);
  }
  assert.ok(operations().length >= 18);
});

test("a paged list's method answers something awaitable and iterable, any other a Promise", () => {
  const server = new ServerClient("t", { baseUrl: mock.url });
  const account = new AccountClient("t", { baseUrl: mock.url });
  for (const op of operations()) {
    const client = op.token === "server" ? server : account;
    // Refused parameters: nothing is sent, and the call still answers its usual shape.
    const answer = client[op.jsName](1n);
    assert.equal(answer instanceof Promise, !op.paged, op.jsName);
    assert.equal(typeof answer[Symbol.asyncIterator], op.paged ? "function" : "undefined", op.jsName);
    assert.equal(typeof answer.then, "function", op.jsName);
    answer.then(undefined, () => {});
  }
});
