// A Cloudflare Worker that uses the package as an application would: it sends
// an email and a batch, and receives Postmark's webhooks behind Basic auth.
import { BuildError, ServerClient, WebhookError, checkBasicAuth, parseWebhook, readWebhookBody } from "postmark-kit";

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const client = new ServerClient(env.POSTMARK_SERVER_TOKEN, { baseUrl: env.POSTMARK_API_URL });
    const message = (to) => ({ From: "worker@example.com", To: to, Subject: "From the edge", TextBody: "Hi" });
    if (pathname === "/send") {
      // A display name past ASCII, which the mock answers back.
      const sent = await client.sendEmail(message("Zoë 😀 <one@example.com>"));
      const batch = await client.sendEmailBatch([message("two@example.com"), message("not-an-address")]);
      let refused = null;
      try {
        await client.sendEmail(message(""));
      } catch (error) {
        refused = error instanceof BuildError ? error.kind : `unexpected: ${error}`;
      }
      return Response.json({ sent, batch, refused });
    }
    if (pathname === "/webhook") {
      if (!checkBasicAuth(request.headers.get("authorization"), env.WEBHOOK_USER, env.WEBHOOK_PASSWORD)) {
        return new Response("unauthorized", { status: 401 });
      }
      let event;
      try {
        event = parseWebhook(await readWebhookBody(request, { limit: 1024 }));
      } catch (error) {
        if (error instanceof WebhookError && error.kind === "too_large") return new Response(error.message, { status: 413 });
        throw error;
      }
      const recipient = event.RecordType === "Bounce" ? event.Email : event.RecordType === "Delivery" ? event.Recipient : null;
      const messageId = event.RecordType === "Unknown" ? event.Payload.MessageID : event.MessageID;
      return Response.json({ recordType: event.RecordType, messageId, recipient });
    }
    return new Response("not found", { status: 404 });
  },
};
