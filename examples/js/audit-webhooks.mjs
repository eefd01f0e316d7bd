// @ts-check
// Audits every server's webhooks across the account: walks every server, lists
// each one's webhooks with that server's token, prints one table (server, URL,
// triggers), and with --delete URL deletes those pointing at URL everywhere
// (examples/audit_webhooks.rs with the npm package).
//
// Offline against a local mock server by default (two servers are set up on it
// first, each with a webhook to a shared URL and one of its own); with
// POSTMARK_ACCOUNT_TOKEN (and optionally POSTMARK_API_URL) set, on that account.
//
//   node examples/js/audit-webhooks.mjs --delete https://old.example.com/hook
import { sameWebhookUrl } from "postmark-kit";
import { environment } from "./automation.mjs";

/** @typedef {import("postmark-kit").Webhook} Webhook */
const TRIGGERS = /** @type {const} */ (["Open", "Click", "Delivery", "Bounce", "SpamComplaint", "SubscriptionChange"]);

const args = process.argv.slice(2);
const at = args.indexOf("--delete");
const doomed = at < 0 ? null : args[at + 1];
if (doomed === undefined) throw new Error("--delete needs a URL");
const env = await environment();

/** The triggers a webhook has on, by name. @param {Webhook} webhook */
const triggers = (webhook) => TRIGGERS.filter((t) => webhook.Triggers?.[t]?.Enabled).join(",");

/**
 * Prints the table and deletes what points at `url`; answers the rows as they
 * were before any deletion.
 * @param {string | null} url
 */
async function audit(url) {
  /** @type {Array<[string, string, string]>} */
  const rows = [];
  /** @type {number[]} */
  const deleted = [];
  for await (const server of env.account.listServers({ count: 100 })) {
    const [token] = server.ApiTokens ?? [];
    if (!token) throw new Error(`server ${server.ID} came without a token`);
    // Webhooks belong to a server: only its own token lists them.
    const client = env.serverClient(token);
    const { Webhooks } = await client.listWebhooks();
    for (const webhook of Webhooks) rows.push([server.Name, webhook.Url, triggers(webhook)]);
    for (const webhook of Webhooks) {
      if (url !== null && sameWebhookUrl(webhook.Url, url)) {
        await client.deleteWebhook({ id: webhook.ID });
        deleted.push(webhook.ID);
      }
    }
  }
  const width = (/** @type {0 | 1} */ column) => Math.max(column ? 3 : 6, ...rows.map((row) => row[column].length));
  console.log(`${"SERVER".padEnd(width(0))}  ${"URL".padEnd(width(1))}  TRIGGERS`);
  for (const [name, hook, on] of rows) console.log(`${name.padEnd(width(0))}  ${hook.padEnd(width(1))}  ${on}`);
  if (url !== null) console.log(`deleted ${deleted.length} webhooks pointing at ${url}`);
  return rows;
}

try {
  if (env.mock) {
    for (const name of ["shop", "blog"]) {
      const server = await env.account.createServer({ Name: name });
      const client = env.serverClient(server.ApiTokens?.[0] ?? "");
      const all = Object.fromEntries(TRIGGERS.map((t) => [t, { Enabled: true }]));
      for (const Url of ["https://old.example.com/hook", `https://${name}.example.com/events`]) {
        await client.createWebhook({ Url, Triggers: all });
      }
    }
  }
  const rows = await audit(doomed);
  console.log(`${rows.length} webhooks`);
  if (env.mock && doomed !== null) {
    // A second audit finds only the webhooks of the servers' own URLs.
    const left = (await audit(null)).map((row) => row[1]).join(" ");
    if (left !== "https://shop.example.com/events https://blog.example.com/events") throw new Error(`left: ${left}`);
  }
} finally {
  env.mock?.close();
}
