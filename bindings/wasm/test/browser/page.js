// Runs in Chromium against the mock on another loopback origin (CORS), and
// leaves what happened in `window.result` for the test to read.
import { AccountClient, BuildError, PostmarkError, ServerClient, parseWebhook } from "postmark-kit";

const query = new URLSearchParams(location.search);
const baseUrl = query.get("mock");
const message = (to) => ({ From: "page@example.com", To: to, Subject: "From a page", TextBody: "Hi" });

async function run() {
  const client = new ServerClient(query.get("server"), { baseUrl });
  const sent = await client.sendEmail(message("one@example.com"));
  const batch = await client.sendEmailBatch([message("two@example.com"), message("not-an-address")]);
  const account = new AccountClient(query.get("account"), { baseUrl });
  // A name past ASCII: the answers the core writes out are escaped to ASCII.
  await account.createServer({ Name: "Café ☕ 😀" });
  const servers = [];
  for await (const server of account.listServers({ count: 1 })) servers.push(server.Name);
  const page = await account.listServers({ count: 1, offset: 1 });
  const refused = await client.sendEmail(message("")).catch((e) => e instanceof BuildError && e.kind);
  const wrong = new ServerClient("wrong-token", { baseUrl, retry: { maxAttempts: 1 } });
  const denied = await wrong.getCurrentServer().catch((e) => e instanceof PostmarkError && e.errorName);
  const event = parseWebhook('{"RecordType":"Delivery","MessageID":"m-1","Recipient":"one@example.com"}');
  const controller = new AbortController();
  controller.abort();
  const aborted = await client.sendEmail(message("three@example.com"), { signal: controller.signal }).catch((e) => e.kind);
  return {
    sent,
    batch: batch.map((r) => r.ErrorCode),
    servers,
    second: page.Servers.map((s) => s.Name),
    refused,
    denied,
    event: event.RecordType,
    aborted,
  };
}

run().then(
  (result) => {
    window.result = result;
  },
  (error) => {
    window.result = { error: `${error.name}: ${error.message}` };
  },
);
