// A Cloudflare Worker that sends with Postmark and receives its webhooks.
// `postmark-kit` resolves to its workerd build; wrangler uploads the .wasm.
//
//   POST /signup   {email}   sends a welcome email
//   POST /postmark           Postmark's webhooks, behind the webhook's Basic auth
import { PostmarkError, ServerClient, WebhookError, checkBasicAuth, parseWebhook, readWebhookBody } from "postmark-kit";

export interface Env {
  POSTMARK_SERVER_TOKEN: string;
  /** Optional: another API (a mock, a proxy). */
  POSTMARK_API_URL?: string;
  WEBHOOK_USER: string;
  WEBHOOK_PASSWORD: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/signup") return signup(request, env);
    if (request.method === "POST" && pathname === "/postmark") return webhook(request, env);
    return new Response("not found", { status: 404 });
  },
};

async function signup(request: Request, env: Env): Promise<Response> {
  const { email } = (await request.json()) as { email: string };
  const client = new ServerClient(env.POSTMARK_SERVER_TOKEN, { baseUrl: env.POSTMARK_API_URL, timeoutMs: 10_000 });
  try {
    const sent = await client.sendEmail({
      From: "welcome@example.com",
      To: email,
      Subject: "Welcome",
      TextBody: "Thanks for signing up.",
      Metadata: { source: "signup" },
    });
    return Response.json({ messageId: sent.MessageID });
  } catch (error) {
    if (error instanceof PostmarkError && error.errorName === "INACTIVE_RECIPIENT") {
      return Response.json({ error: "this address does not receive email" }, { status: 422 });
    }
    throw error;
  }
}

async function webhook(request: Request, env: Env): Promise<Response> {
  if (!checkBasicAuth(request.headers.get("authorization"), env.WEBHOOK_USER, env.WEBHOOK_PASSWORD)) {
    return new Response("unauthorized", { status: 401, headers: { "www-authenticate": "Basic" } });
  }
  let event;
  try {
    // At most 50 MiB, more than any Postmark webhook carries.
    event = parseWebhook(await readWebhookBody(request));
  } catch (error) {
    if (error instanceof WebhookError && error.kind === "too_large") return new Response(error.message, { status: 413 });
    if (error instanceof WebhookError) return new Response(`bad event at ${error.path}`, { status: 400 });
    throw error;
  }
  // RecordType tells the events apart, and narrows the type.
  switch (event.RecordType) {
    case "Bounce":
      console.log(`bounce ${event.Type} for ${event.Email ?? "?"}: ${event.Description ?? ""}`);
      break;
    case "Delivery":
      console.log(`delivered ${event.MessageID ?? "?"} to ${event.Recipient ?? "?"}`);
      break;
    case "Inbound":
      console.log(`inbound from ${event.FromFull?.Email ?? "?"}: ${event.Subject ?? ""}`);
      break;
    case "Unknown":
      console.log(`an event this version does not know: ${event.UnknownRecordType ?? "no RecordType"}`);
      break;
  }
  return new Response(null, { status: 204 });
}
