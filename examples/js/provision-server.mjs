// @ts-check
// Provisions a server for a new environment and keeps its token: creates the
// server with the account token, takes the server token from the answer, and
// sends a first message with it (examples/provision_server.rs with the npm
// package).
//
// Offline against a local mock server by default; with POSTMARK_ACCOUNT_TOKEN
// (and optionally POSTMARK_API_URL) set, on that account, sending from
// POSTMARK_FROM (a confirmed sender signature) to POSTMARK_TO.
//
//   node examples/js/provision-server.mjs staging
import { environment, masked } from "./automation.mjs";

const name = process.argv[2] ?? "staging";
const env = await environment();
try {
  const server = await env.account.createServer({ Name: `${name} (${process.pid})` });
  // The answer to the creation is the one place the account hands out the new
  // server's token: keep it (a secret store, the environment's config).
  const [token] = server.ApiTokens ?? [];
  if (!token) throw new Error("Postmark answered the new server without a token");
  console.log(`server ${server.ID} "${server.Name}" created; its token ${masked(token)} is the environment's POSTMARK_SERVER_TOKEN`);

  const sent = await env.serverClient(token).sendEmail({
    From: process.env.POSTMARK_FROM ?? "sender@example.com",
    To: process.env.POSTMARK_TO ?? "receiver@example.com",
    Subject: `${name} is ready`,
    TextBody: "The first message of a new server.",
  });
  console.log(`first message sent with the new token: MessageID ${sent.MessageID}`);
  if (env.mock) {
    // Offline, the mock shows the message went out.
    const messages = await env.mock.control("GET", "messages");
    if (messages.at(-1)?.Subject !== `${name} is ready`) throw new Error("the mock recorded no such message");
  }
} finally {
  env.mock?.close();
}
