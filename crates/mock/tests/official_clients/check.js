// Drives the official postmark.js client against a running postmark-mock.
// Env: MOCK_URL, MOCK_SERVER_TOKEN, MOCK_ACCOUNT_TOKEN. Exits non-zero on the first mismatch.
"use strict";
const assert = require("node:assert/strict");
const postmark = require("postmark");

const url = process.env.MOCK_URL;
const options = { useHttps: false, requestHost: new URL(url).host };
const server = new postmark.ServerClient(process.env.MOCK_SERVER_TOKEN, options);
const account = new postmark.AccountClient(process.env.MOCK_ACCOUNT_TOKEN, options);
const message = { From: "sender@example.com", To: "receiver@example.com", Subject: "Hi", TextBody: "Hello" };

const control = (path, body, method = body === undefined ? "GET" : "POST") =>
  fetch(url + path, {
    method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
  }).then((r) => r.json());

async function main() {
  await control("/__mock/reset", {});

  const sent = await server.sendEmail(message);
  assert.equal(sent.ErrorCode, 0);
  assert.match(sent.MessageID, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

  const batch = await server.sendEmailBatch([message, { ...message, To: "inactive@example.com" }]);
  assert.deepEqual(batch.map((r) => r.ErrorCode), [0, 406]);
  assert.equal(batch[1].MessageID, undefined);

  const templated = await server.sendEmailWithTemplate({
    From: message.From, To: message.To, TemplateAlias: "welcome", TemplateModel: { name: "Ann" },
  });
  assert.equal(templated.ErrorCode, 0);
  const templatedBatch = await server.sendEmailBatchWithTemplates([
    { From: message.From, To: message.To, TemplateId: 1000, TemplateModel: {} },
    { From: message.From, To: message.To, TemplateAlias: "nope", TemplateModel: {} },
  ]);
  assert.deepEqual(templatedBatch.map((r) => r.ErrorCode), [0, 1101]);
  const messages = await control("/__mock/messages");
  assert.equal(messages.length, 4);
  assert.equal(messages[2].Subject, "Welcome, Ann!");

  await assert.rejects(server.sendEmail({ ...message, From: "" }),
    (e) => e instanceof postmark.Errors.InvalidEmailRequestError && e.code === 300 && e.statusCode === 422);
  await assert.rejects(server.sendEmail({ ...message, To: "inactive@example.com" }),
    (e) => e instanceof postmark.Errors.InactiveRecipientsError && e.recipients[0] === "inactive@example.com");

  const current = await server.getServer();
  assert.deepEqual(current.ApiTokens, [process.env.MOCK_SERVER_TOKEN]);
  const recoloured = await server.editServer({ Color: "Red", TrackLinks: "htmlonly" });
  assert.deepEqual([recoloured.Color, recoloured.TrackLinks], ["red", "HtmlOnly"]);

  const servers = await account.getServers({ count: 10, offset: 0, name: "default" });
  assert.equal(servers.TotalCount, 1);
  const created = await account.createServer({ Name: "js-check", Color: "Blue", DeliveryType: "Sandbox" });
  assert.equal((await account.getServer(created.ID)).DeliveryType, "Sandbox");
  assert.equal((await account.editServer(created.ID, { InboundSpamThreshold: 10 })).InboundSpamThreshold, 10);
  assert.equal((await account.deleteServer(created.ID)).ErrorCode, 0);
  await assert.rejects(account.getServers({ count: 501, offset: 0 }), (e) => e.code === 600);

  const hook = await server.createWebhook({
    Url: "https://example.com/hook", MessageStream: "outbound",
    HttpAuth: { Username: "u", Password: "p" }, HttpHeaders: [{ Name: "X-A", Value: "1" }],
    Triggers: { Open: { Enabled: true, PostFirstOpenOnly: true }, Bounce: { Enabled: true, IncludeContent: false } },
  });
  assert.equal(hook.Triggers.Open.PostFirstOpenOnly, true);
  assert.equal((await server.getWebhooks({ messageStream: "outbound" })).Webhooks.length, 1);
  assert.equal((await server.getWebhook(hook.ID)).Url, "https://example.com/hook");
  const edited = await server.editWebhook(hook.ID, { Url: "https://example.com/v2", Triggers: { Click: { Enabled: true } } });
  assert.deepEqual([edited.Url, edited.Triggers.Open.Enabled, edited.Triggers.Click.Enabled], ["https://example.com/v2", true, true]);
  assert.equal((await server.deleteWebhook(hook.ID)).ErrorCode, 0);

  await assert.rejects(new postmark.ServerClient(process.env.MOCK_ACCOUNT_TOKEN, options).getServer(),
    (e) => e instanceof postmark.Errors.InvalidAPIKeyError && e.code === 10 && e.statusCode === 401);
  await control("/__mock/faults", { kind: "status", status: 429, count: 1 });
  await assert.rejects(server.getServer(),
    (e) => e instanceof postmark.Errors.RateLimitExceededError && e.statusCode === 429);
  await control("/__mock/faults", { kind: "page", status: 502, content_type: "text/html", body: "<html>Bad Gateway</html>" });
  await assert.rejects(server.getServer(), (e) => e instanceof postmark.Errors.UnknownError && e.statusCode === 502);
  await control("/__mock/faults", { kind: "status", status: 503, count: 1 });
  await assert.rejects(server.getServer(), (e) => e instanceof postmark.Errors.ServiceUnavailablerError && e.code === 100);
  await control("/__mock/faults", { kind: "status", status: 500, count: 1 });
  await assert.rejects(server.getServer(), (e) => e instanceof postmark.Errors.InternalServerError && e.code === 101);

  // Four calls at once really overlap: the mock saw them in flight together.
  await control("/__mock/stats", undefined, "DELETE");
  await control("/__mock/faults", { kind: "delay", ms: 300, count: 4 });
  const parallel = await Promise.all([1, 2, 3, 4].map(() => server.getServer()));
  assert.deepEqual(parallel.map((s) => s.ID), [1, 1, 1, 1]);
  const stats = await control("/__mock/stats");
  assert.deepEqual([stats.in_flight, stats.peak_in_flight], [0, 4]);

  const seen = await control("/__mock/requests");
  console.log(`postmark.js ${require("postmark/package.json").version}: OK (${seen.length} requests)`);
}

main().catch((e) => {
  console.error("postmark.js check FAILED:", e);
  process.exit(1);
});
