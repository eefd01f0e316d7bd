// Peers benchmark driver for this repository's npm package `postmark-kit` (the Rust core
// in wasm, over Node's global fetch). Env: BASE_URL WORKLOAD N FIXTURES. Prints one JSON line.
const started = process.hrtime.bigint();
const { ServerClient } = await import("postmark-kit");
const { readFileSync } = await import("node:fs");
const { join } = await import("node:path");

const workload = process.env.WORKLOAD || "send1";
const n = parseInt(process.env.N || "1", 10);
const fixtures = process.env.FIXTURES || ".work/fixtures";
const version = JSON.parse(readFileSync(new URL("node_modules/postmark-kit/package.json", import.meta.url))).version;

const client = new ServerClient("bench-token", { baseUrl: process.env.BASE_URL || "http://127.0.0.1:18480" });

const since = (t) => Number(process.hrtime.bigint() - t) / 1e9;
function emit(fields) {
  const line = { peer: "postmark-kit-js", workload, n, ...fields };
  line.process_s = since(started);
  line.version = `postmark-kit ${version} (wasm, node ${process.version})`;
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main() {
  if (workload === "cold") {
    const server = await client.getCurrentServer();
    emit({ seconds: since(started), ok: server.ID === 100000, requests: 1 });
    return;
  }
  const msg = JSON.parse(readFileSync(join(fixtures, "message.json"), "utf8"));
  const attachment = readFileSync(join(fixtures, "attachment.bin"));
  const build = () => ({
    From: msg.From, To: msg.To, Subject: msg.Subject, HtmlBody: msg.HtmlBody, TextBody: msg.TextBody,
    Tag: msg.Tag, Metadata: { ...msg.Metadata }, TrackOpens: msg.TrackOpens,
  });

  let ok = (await client.getCurrentServer()).ID === 100000; // warm-up: opens the keep-alive connection
  let requests = 0;
  let notes = "";
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  if (workload === "send1") {
    for (let i = 0; i < n; i++) {
      const r = await client.sendEmail(build());
      ok = ok && r.ErrorCode === 0 && typeof r.MessageID === "string";
      requests++;
    }
  } else if (workload === "batch500" || workload === "attach") {
    const size = workload === "attach" ? 100 : 500;
    if (workload === "attach") notes = "attachment base64 by driver (Buffer.toString; the package takes encoded Content)";
    for (let i = 0; i < n; i++) {
      const batch = [];
      for (let j = 0; j < size; j++) {
        const m = build();
        if (workload === "attach") {
          m.Attachments = [{ Name: "statement.pdf", Content: attachment.toString("base64"), ContentType: "application/pdf" }];
        }
        batch.push(m);
      }
      const r = await client.sendEmailBatch(batch);
      ok = ok && r.length === 500 && r.every((x) => x.ErrorCode === 0);
      requests++;
    }
  } else if (workload === "search") {
    notes = "searchOutboundMessages: checked by the core against the models, JSON.parse of the answer";
    for (let i = 0; i < n; i++) {
      const r = await client.searchOutboundMessages({ count: 500, offset: 0 });
      ok = ok && r.Messages.length === 500 && r.TotalCount === 10000;
      requests++;
    }
  } else if (workload === "paginate") {
    notes = "the package's own pagination: for await over listBounces({count: 500})";
    for (let i = 0; i < n; i++) {
      let seen = 0;
      for await (const bounce of client.listBounces({ count: 500 })) {
        seen += bounce.ID > 0 ? 1 : 0;
      }
      requests += 20;
      ok = ok && seen === 10000;
    }
  } else {
    ok = false;
  }
  const seconds = since(t0);
  const cpu = process.cpuUsage(cpu0);
  emit({ seconds, ok, cpu_s: (cpu.user + cpu.system) / 1e6, requests, notes });
}

main().catch((e) => {
  emit({ seconds: 0, ok: false, error: String((e && e.message) || e) });
  process.exitCode = 1;
});
