// A failed TLS handshake proves the request never left: it is a failure "not sent",
// retried even for a send, as the Rust clients do (crates/*/tests/transport_safety.rs).
// The peer is a plain TCP listener on loopback that does not speak TLS.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";
import { ServerClient, TransportError } from "postmark-kit";

/** A listener answering `answer` to whatever comes first, counting connections. */
async function plainListener(answer) {
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    socket.once("data", () => socket.end(answer));
    socket.on("error", () => {});
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: server.address().port, accepted: () => accepted, close: () => server.close() };
}

for (const [name, answer] of [
  ["a plain HTTP answer", "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"],
  ["a hang-up mid-handshake", ""],
]) {
  test(`a TLS handshake that fails (${name}) is retried even for a send`, async () => {
    const listener = await plainListener(answer);
    try {
      const client = new ServerClient("tls-test-token", {
        baseUrl: `https://127.0.0.1:${listener.port}`,
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      });
      const sending = client.sendEmail({ From: "a@example.com", To: "b@example.com", Subject: "s", TextBody: "t" });
      await assert.rejects(sending, (error) => error instanceof TransportError && !error.message.includes("tls-test-token"));
      assert.equal(listener.accepted(), 3);
    } finally {
      listener.close();
    }
  });
}

test("a failed lookup (ENOTFOUND, EAI_AGAIN) is retried even for a send", async () => {
  for (const code of ["ENOTFOUND", "EAI_AGAIN"]) {
    // Node's fetch rejects this way when the name does not resolve; nothing is looked up here.
    let calls = 0;
    const fetch = async () => {
      calls++;
      throw new TypeError("fetch failed", { cause: Object.assign(new Error(`getaddrinfo ${code}`), { code }) });
    };
    const client = new ServerClient("t", {
      baseUrl: "https://no-such-host.invalid",
      fetch,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const sending = client.sendEmail({ From: "a@example.com", To: "b@example.com", Subject: "s", TextBody: "t" });
    await assert.rejects(sending, (error) => error instanceof TransportError && error.kind === "network");
    assert.equal(calls, 3, code);
  }
});

test("plain http off this machine is refused before any fetch; to this machine it is taken", () => {
  let calls = 0;
  const fetch = async () => {
    calls++;
    return new Response("{}");
  };
  for (const baseUrl of ["http://api.postmarkapp.com", "http://192.0.2.1:8025"]) {
    assert.throws(() => new ServerClient("t", { baseUrl, fetch }), { kind: "invalid_base_url", message: /clear text/ });
  }
  assert.equal(calls, 0);
  for (const baseUrl of ["http://127.0.0.1:8025", "http://localhost:8025", "http://[::1]:8025"]) {
    assert.doesNotThrow(() => new ServerClient("t", { baseUrl, fetch }));
  }
});
