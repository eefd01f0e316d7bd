// CPU time per call of the core in wasm, as a JavaScript caller pays it: building the
// request of send_email and of a 500-message batch from JS objects (buildRequest), and
// parsing their answers from text (parseResponse). The same work natively is
// `cargo bench -p postmark-kit --bench build_parse` (group `dynamic`).
//
// The message and the answers are the shared peers benchmark's fixtures
// (../shared/bench/mock/gen_canned.py), written to target/js-bench first.
//
//   node bindings/wasm/bench/build-parse.mjs      (after `just wasm-build`)
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildRequest, parseResponse } from "../node.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const work = `${repo}target/js-bench`;
mkdirSync(work, { recursive: true });
execFileSync("python3", [`${repo}../shared/bench/mock/gen_canned.py`, work], { stdio: "ignore" });
const read = (path) => readFileSync(`${work}/${path}`, "utf8");
const message = JSON.parse(read("fixtures/message.json"));
const batch = Array.from({ length: 500 }, () => message);
const oneAnswer = read("canned/email.json");
const batchAnswer = read("canned/email_batch.json");
const options = { token: "bench-server-token", baseUrl: "http://127.0.0.1:18480" };

/** CPU microseconds per call: the median of 5 rounds of `n` calls, after a warm-up round. */
function measure(n, call) {
  for (let i = 0; i < n; i++) call();
  const rounds = [];
  for (let round = 0; round < 5; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) call();
    const used = process.cpuUsage(before);
    rounds.push((used.user + used.system) / n);
  }
  return rounds.sort((a, b) => a - b)[2];
}

const cases = [
  ["send_email/build", 5000, () => buildRequest("sendEmail", message, options)],
  ["send_email/parse", 5000, () => parseResponse("sendEmail", 200, null, oneAnswer)],
  ["send_email/build+parse", 5000, () => [buildRequest("sendEmail", message, options), parseResponse("sendEmail", 200, null, oneAnswer)]],
  ["send_email_batch/build", 40, () => buildRequest("sendEmailBatch", batch, options)],
  ["send_email_batch/parse", 40, () => parseResponse("sendEmailBatch", 200, null, batchAnswer)],
  ["send_email_batch/build+parse", 40, () => [buildRequest("sendEmailBatch", batch, options), parseResponse("sendEmailBatch", 200, null, batchAnswer)]],
];
console.log(`node ${process.version}, CPU time per call (median of 5 rounds)`);
for (const [name, n, call] of cases) {
  const us = measure(n, call);
  console.log(`${name.padEnd(30)} ${us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`}`);
}
