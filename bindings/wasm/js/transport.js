// Sending one request with `fetch`: a timeout per attempt, the caller's
// AbortSignal, and retries when the core's policy says so.
import { retryDelay } from "../pkg/postmark_kit_wasm.js";
import { TransportError, refusal } from "./errors.js";

/**
 * `error.cause.code` values of Node's fetch (undici) that mean no connection
 * was made, so Postmark never saw the request. Browsers do not say; their
 * failures count as "maybe sent", which only makes retries more careful.
 */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

/**
 * Whether Node's fetch failed in the TLS handshake, before a byte of the
 * request was written: OpenSSL's and Node's TLS codes, the certificate checks,
 * and a peer that hung up mid-handshake (ECONNRESET, told apart by Node's
 * message for it).
 */
function failedHandshake(cause) {
  const code = typeof cause?.code === "string" ? cause.code : "";
  return (
    code.startsWith("ERR_SSL_") ||
    code.startsWith("ERR_TLS_") ||
    code.startsWith("CERT_") ||
    code.includes("SELF_SIGNED_CERT") ||
    code.startsWith("UNABLE_TO_") ||
    String(cause?.message ?? "").includes("before secure TLS connection was established")
  );
}

/**
 * Sends `request` (`{method, url, headers, body, idempotent}`) with
 * `transport` (`{fetch, timeoutMs, policy}`) until it gets a success, the
 * core's retry policy gives up or `signal` aborts. Answers the last answer,
 * `{status, headers, bytes}`, error statuses included, for the core to read;
 * throws a `TransportError` when there was none.
 */
export async function execute(transport, request, signal) {
  for (let attempt = 1; ; attempt++) {
    abortCheck(signal);
    const { answer, failure, sent } = await send(transport, request, signal);
    if (answer && answer.status >= 200 && answer.status < 300) return answer;
    // A failure the caller caused is not one to retry.
    if (failure) abortCheck(signal);
    const wait = retryDelay(
      transport.policy,
      attempt,
      request.idempotent,
      answer?.status ?? 0,
      sent === true,
      answer?.headers.get("retry-after") ?? undefined,
      Date.now(),
      Math.random(),
    );
    if (wait < 0) {
      if (failure) throw failure;
      return answer;
    }
    await sleep(wait, signal);
  }
}

/** One attempt: `{answer}`, or `{failure, sent}` when no answer came. */
async function send(transport, request, signal) {
  const fetch = transport.fetch ?? globalThis.fetch;
  if (typeof fetch !== "function") throw refusal("no_fetch", "there is no global fetch: pass one as options.fetch");
  const ms = transport.timeoutMs;
  // A timer of the package's own rather than AbortSignal.timeout, which not
  // every runtime has; both it and the listener go when the attempt ends.
  const controller = ms || signal ? new AbortController() : undefined;
  const abort = () => controller.abort();
  let timedOut = false;
  const timer = ms ? setTimeout(() => ((timedOut = true), controller.abort()), ms) : undefined;
  signal?.addEventListener("abort", abort);
  let sent = false;
  try {
    const { method, headers, body } = request;
    // Called as a plain function: a platform `fetch` called on another object
    // throws "Illegal invocation" in browsers and workers. Postmark does not
    // redirect, and following a redirect would carry the token elsewhere: a
    // 3xx is answered as it came, for the core to read as an error.
    const init = { method, headers, body: body ?? undefined, signal: controller?.signal, redirect: "manual" };
    const pending = fetch(request.url, init);
    sent = true;
    const response = await pending;
    const bytes = new Uint8Array(await response.arrayBuffer());
    // Browsers hide a redirect not followed behind status 0, and only a
    // `fetch` double answers otherwise outside 100..=999.
    if (response.type === "opaqueredirect") {
      return { failure: new TransportError("the server answered with a redirect, which is not followed", "network"), sent: true };
    }
    if (!(response.status >= 100 && response.status <= 999)) {
      return { failure: new TransportError(`unusable response: status ${response.status}`, "network"), sent: true };
    }
    return { answer: { status: response.status, headers: response.headers, bytes } };
  } catch (error) {
    if (timedOut) return { failure: new TransportError(`no answer within ${ms} ms`, "timeout", error), sent: true };
    const connected = sent && !NEVER_CONNECTED.has(error?.cause?.code) && !failedHandshake(error?.cause);
    return { failure: new TransportError(error?.message || "fetch failed", "network", error), sent: connected };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  }
}

/** Throws the error of a call whose signal has aborted. */
export function abortCheck(signal) {
  if (signal?.aborted) throw new TransportError("the call was aborted", "aborted", signal.reason);
}

/** Waits `ms`, or until `signal` aborts. */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done);
  });
}
