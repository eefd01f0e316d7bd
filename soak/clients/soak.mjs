// The soak's Node driver: the npm package's ServerClient against the mock, with
// SOAK_CONCURRENCY calls in flight. Settings come from the SOAK_* environment variables
// that soak/src/main.rs sets; one JSON line per call goes to stdout:
// {"n", "send", "error": kind or null, "ms", "text"}, `text` holding the error's message
// and its inspection for the token scan.
import { inspect } from "node:util";
import { pathToFileURL } from "node:url";

const env = process.env;
const { ServerClient } = await import(pathToFileURL(env.SOAK_WASM).href);
const calls = Number(env.SOAK_CALLS);
const client = new ServerClient(env.SOAK_TOKEN, {
  baseUrl: env.SOAK_URL,
  timeoutMs: Number(env.SOAK_TIMEOUT_MS),
  retry: {
    maxAttempts: Number(env.SOAK_MAX_ATTEMPTS),
    baseDelayMs: Number(env.SOAK_BASE_DELAY_MS),
    maxDelayMs: Number(env.SOAK_MAX_DELAY_MS),
    retryNonIdempotent: env.SOAK_RETRY_SENDS === "1",
  },
});

let next = 0;
const lines = [];

async function call(n) {
  const tag = `soak-${n}`;
  const send = n % 10 < 4;
  const started = performance.now();
  let error = null;
  let text = "";
  try {
    if (send) {
      await client.sendEmail({ From: "soak@example.com", To: "reader@example.com", Subject: "Soak", TextBody: "soak", Tag: tag });
    } else {
      await client.listBounces({ count: 1, offset: 0, tag });
    }
  } catch (e) {
    error = String(e?.kind ?? e?.name ?? "unknown");
    text = `${e?.message} ${inspect(e, { depth: 5 })} ${inspect(client, { depth: 5 })}`;
  }
  return JSON.stringify({ n, send, error, ms: performance.now() - started, text });
}

async function worker() {
  while (next < calls) {
    lines.push(await call(next++));
    if (lines.length >= 1000) process.stdout.write(lines.splice(0).join("\n") + "\n");
  }
}

await Promise.all(Array.from({ length: Number(env.SOAK_CONCURRENCY) }, worker));
if (lines.length) process.stdout.write(lines.join("\n") + "\n");
