// Peers benchmark floor for JavaScript: what Node itself allows, with no
// client library. Node's global fetch on one keep-alive connection,
// `JSON.stringify` of the request and `JSON.parse` of the answer, nothing
// checked. The JavaScript peers read as a ratio to this.
// Env: BASE_URL WORKLOAD N FIXTURES. Prints one JSON line.
const started = process.hrtime.bigint();
const { readFileSync } = await import("node:fs");
const { join } = await import("node:path");

const base = process.env.BASE_URL || "http://127.0.0.1:18480";
const workload = process.env.WORKLOAD || "send1";
const n = parseInt(process.env.N || "1", 10);
const fixtures = process.env.FIXTURES || ".work/fixtures";
const headers = { accept: "application/json", "content-type": "application/json", "x-postmark-server-token": "bench-token" };

const since = (t) => Number(process.hrtime.bigint() - t) / 1e9;
function emit(fields) {
  const line = { peer: "node-floor", workload, n, ...fields, process_s: since(started), version: `fetch + JSON (node ${process.version})` };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function get(path) {
  const response = await fetch(base + path, { headers });
  return JSON.parse(await response.text());
}

async function post(path, body) {
  const response = await fetch(base + path, { method: "POST", headers, body: JSON.stringify(body) });
  return JSON.parse(await response.text());
}

async function main() {
  if (workload === "cold") {
    const server = await get("/server");
    emit({ seconds: since(started), ok: server.ID === 100000, requests: 1 });
    return;
  }
  const msg = JSON.parse(readFileSync(join(fixtures, "message.json"), "utf8"));
  const attachment = readFileSync(join(fixtures, "attachment.bin"));
  const build = () => ({
    From: msg.From, To: msg.To, Subject: msg.Subject, HtmlBody: msg.HtmlBody, TextBody: msg.TextBody,
    Tag: msg.Tag, Metadata: { ...msg.Metadata }, TrackOpens: msg.TrackOpens,
  });
  let ok = (await get("/server")).ID === 100000; // warm-up: opens the keep-alive connection
  let requests = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  if (workload === "send1") {
    for (let i = 0; i < n; i++) {
      const r = await post("/email", build());
      ok = ok && r.ErrorCode === 0;
      requests++;
    }
  } else if (workload === "batch500" || workload === "attach") {
    const size = workload === "attach" ? 100 : 500;
    for (let i = 0; i < n; i++) {
      const batch = [];
      for (let j = 0; j < size; j++) {
        const m = build();
        if (workload === "attach") {
          m.Attachments = [{ Name: "statement.pdf", Content: attachment.toString("base64"), ContentType: "application/pdf" }];
        }
        batch.push(m);
      }
      const r = await post("/email/batch", batch);
      ok = ok && r.length === 500;
      requests++;
    }
  } else if (workload === "search") {
    for (let i = 0; i < n; i++) {
      const r = await get("/messages/outbound?count=500&offset=0");
      ok = ok && r.Messages.length === 500;
      requests++;
    }
  } else if (workload === "paginate") {
    for (let i = 0; i < n; i++) {
      let seen = 0;
      for (let offset = 0; ; ) {
        const page = await get(`/bounces?count=500&offset=${offset}`);
        requests++;
        seen += page.Bounces.length;
        offset += page.Bounces.length;
        if (page.Bounces.length === 0 || offset >= page.TotalCount) break;
      }
      ok = ok && seen === 10000;
    }
  } else {
    ok = false;
  }
  const seconds = since(t0);
  const cpu = process.cpuUsage(cpu0);
  emit({ seconds, ok, cpu_s: (cpu.user + cpu.system) / 1e6, requests, notes: "fetch + JSON.parse, nothing checked" });
}

main().catch((e) => {
  emit({ seconds: 0, ok: false, error: String((e && e.message) || e) });
  process.exitCode = 1;
});
