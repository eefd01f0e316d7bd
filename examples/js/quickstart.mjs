// @ts-check
// Sends an email and a batch, creates a webhook and a server, and lists them:
// examples/quickstart.rs with the npm package.
//
// With no environment it runs against a local mock server (see local-mock.mjs).
// With POSTMARK_SERVER_TOKEN and/or POSTMARK_ACCOUNT_TOKEN set (and optionally
// POSTMARK_API_URL) it talks to that server instead; the account steps need the
// account token.
//
//   node examples/js/quickstart.mjs
import { AccountClient, PostmarkError, ServerClient } from "postmark-kit";
import { startMock } from "./local-mock.mjs";

const env = process.env;
const mock = env.POSTMARK_SERVER_TOKEN || env.POSTMARK_ACCOUNT_TOKEN ? null : await startMock();
if (mock) console.log(`no POSTMARK_* token set: using a local mock server at ${mock.url}`);
const baseUrl = mock?.url ?? env.POSTMARK_API_URL;
const serverToken = mock?.serverToken ?? env.POSTMARK_SERVER_TOKEN;
const accountToken = mock?.accountToken ?? env.POSTMARK_ACCOUNT_TOKEN;
if (!serverToken) throw new Error("POSTMARK_SERVER_TOKEN is needed when POSTMARK_ACCOUNT_TOKEN is set");

try {
  const server = new ServerClient(serverToken, { baseUrl });

  /** @type {import("postmark-kit").SendEmail} */
  const email = {
    From: "sender@example.com",
    To: "receiver@example.com",
    Subject: "Hello",
    HtmlBody: "<p>Hello from <b>postmark-kit</b></p>",
    TextBody: "Hello from postmark-kit",
  };
  const sent = await server.sendEmail(email);
  console.log(`email accepted: MessageID ${sent.MessageID}`);

  // A batch answers per message; a rejected one does not fail the others.
  const batch = [email, { ...email, To: "not-an-address" }, email];
  console.log(`batch of ${batch.length}:`);
  (await server.sendEmailBatch(batch)).forEach((result, i) => {
    if (result.ErrorCode === 0) console.log(`  message ${i}: accepted as ${result.MessageID}`);
    else console.log(`  message ${i}: rejected: ErrorCode ${result.ErrorCode}: ${result.Message}`);
  });

  const on = { Enabled: true };
  const webhook = await server.createWebhook({
    Url: "https://example.com/postmark-webhook",
    Triggers: { Delivery: on, Bounce: { Enabled: true, IncludeContent: true }, Open: on, Click: on },
  });
  console.log(`webhook ${webhook.ID} created for ${webhook.Url}`);
  for (const hook of (await server.listWebhooks()).Webhooks) {
    console.log(`  webhook ${hook.ID}: ${hook.Url} (${hook.MessageStream ?? ""})`);
  }

  if (!accountToken) {
    console.log("POSTMARK_ACCOUNT_TOKEN is not set: skipping the server steps");
  } else {
    const account = new AccountClient(accountToken, { baseUrl });
    const created = await account.createServer({ Name: `postmark-kit quickstart ${process.pid}` });
    console.log(`server ${created.ID} created: ${created.Name}`);
    // Awaited, a paged list's method gives one page; iterated, every item, a page at a time.
    const { TotalCount } = await account.listServers({ count: 1 });
    console.log(`servers (${TotalCount}):`);
    for await (const each of account.listServers({ count: 100 })) console.log(`  ${each.ID}: ${each.Name}`);
    // Leave a real account as it was.
    if (!mock) await account.deleteServer({ id: created.ID });
  }
} catch (error) {
  if (error instanceof PostmarkError) console.error(`Postmark said ${error.errorName ?? error.errorCode}: ${error.message}`);
  throw error;
} finally {
  mock?.close();
}
