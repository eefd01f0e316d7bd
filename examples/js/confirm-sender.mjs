// @ts-check
// Adds a sender signature and waits until it is confirmed: creates it, polls
// with backoff and a deadline until `Confirmed`, and with --resend sends the
// confirmation email again first (examples/confirm_sender.rs with the npm
// package).
//
// Offline against a local mock server by default, whose control route confirms
// the signature part-way through the wait; with POSTMARK_ACCOUNT_TOKEN (and
// optionally POSTMARK_API_URL) set, on that account.
//
//   node examples/js/confirm-sender.mjs billing@example.com --resend
import { setTimeout as sleep } from "node:timers/promises";
import { environment } from "./automation.mjs";

const args = process.argv.slice(2);
const sender = args.find((a) => !a.startsWith("--")) ?? "billing@example.com";
const env = await environment();
// A person takes minutes to click a link; the mock, milliseconds.
const [firstMs, mostMs, deadlineMs] = env.mock ? [20, 200, 10_000] : [5_000, 60_000, 30 * 60_000];
try {
  const { account } = env;
  const signature = await account.createSenderSignature({ FromEmail: sender, Name: "Billing" });
  console.log(`sender signature ${signature.ID} for ${signature.EmailAddress} created; confirmed: ${signature.Confirmed}`);
  if (args.includes("--resend")) {
    await account.resendSenderSignatureConfirmation({ id: signature.ID });
    console.log("confirmation email sent again");
  }
  const started = Date.now();
  for (let poll = 1, wait = firstMs; ; poll++, wait = Math.min(wait * 2, mostMs)) {
    if ((await account.getSenderSignature({ id: signature.ID })).Confirmed) {
      console.log(`confirmed after ${poll} polls`);
      break;
    }
    if (Date.now() - started + wait > deadlineMs) {
      throw new Error(`${sender} was not confirmed within ${deadlineMs / 1000} s; run again with --resend`);
    }
    console.log(`poll ${poll}: not confirmed yet; next look in ${wait} ms`);
    // Offline, the owner "clicks the link" now, part-way through the wait.
    if (poll === 2 && env.mock) await env.mock.control("POST", `senders/${signature.ID}/confirm`);
    await sleep(wait);
  }
} finally {
  env.mock?.close();
}
