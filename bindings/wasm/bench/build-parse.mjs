// CPU time per call of the core in wasm, as a JavaScript caller pays it, next to the same
// work in native Rust: building the request of send_email and of a 500-message batch
// (buildRequest), and parsing their answers (parseResponse).
//
// The native figures are criterion's medians of the `dynamic` group of
// `cargo bench -p postmark-kit --bench build_parse`, read from its results
// ($CARGO_TARGET_DIR/criterion); `just bench-wasm` runs that first. Both sides build the
// same message (the peers benchmark's typical message, ../shared/bench/mock/gen_canned.py,
// which the native bench builds in code) and parse the same answers (made here as the
// native bench makes them).
//
//   node bindings/wasm/bench/build-parse.mjs      (after `just wasm-build`)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildRequest, parseResponse } from "../node.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const target = process.env.CARGO_TARGET_DIR ?? `${repo}target`;
const work = `${target}/js-bench`;
mkdirSync(work, { recursive: true });
// The message comes from the peers benchmark, which lives outside this repository
// (BENCH_HARNESS, by default ../shared/bench beside it, as for `just bench-peers`).
const harness = resolve(process.env.BENCH_HARNESS ?? `${repo}../shared/bench`);
const generator = `${harness}/mock/gen_canned.py`;
if (!existsSync(generator)) {
  console.error(
    `build-parse: the peers benchmark's message generator ${generator} is missing; ` +
      "this benchmark needs the shared peers benchmark beside the repository " +
      "(or BENCH_HARNESS=/path/to/bench).",
  );
  process.exit(1);
}
execFileSync("python3", [generator, work], { stdio: "ignore" });
const message = JSON.parse(readFileSync(`${work}/fixtures/message.json`, "utf8"));
const BATCH = 500;
const batch = Array.from({ length: BATCH }, () => message);

/** `send_result(i)` of crates/core/benches/build_parse.rs, byte for byte. */
function sendResult(i) {
  const x = BigInt.asUintN(64, (BigInt(i) + 1n) * 0x9e3779b97f4a7c15n);
  const dec = (value, width) => String(value).padStart(width, "0");
  const hex = (value, width) => value.toString(16).padStart(width, "0");
  const submitted = `2026-11-${dec(6n + (x % 15n), 2)}T${dec((x >> 8n) % 24n, 2)}:${dec((x >> 16n) % 60n, 2)}:${dec((x >> 24n) % 60n, 2)}.${dec((x >> 32n) % 10_000_000n, 7)}-05:00`;
  const id = `${hex(x >> 32n, 8)}-${hex((x >> 16n) & 0xffffn, 4)}-4${hex((x >> 4n) & 0xfffn, 3)}-a${hex((x >> 20n) & 0xfffn, 3)}-${hex(x & 0xffffffffffffn, 12)}`;
  return `{"To":"Jane Doe <jane.doe@example.org>","SubmittedAt":"${submitted}","MessageID":"${id}","ErrorCode":0,"Message":"OK"}`;
}
const oneAnswer = sendResult(0);
const batchAnswer = `[${Array.from({ length: BATCH }, (_, i) => sendResult(i)).join(",")}]`;
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

/** Criterion's median for a case of the native `dynamic` group, in µs; null if it has not run. */
function native(name) {
  const file = `${target}/criterion/dynamic/${name.replace("/", "_")}/new/estimates.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).median.point_estimate / 1000 : null;
}

const build = (operation, params) => () => buildRequest(operation, params, options);
const parse = (operation, answer) => () => parseResponse(operation, 200, null, answer);
const both = (first, second) => () => [first(), second()];
const cases = [
  ["send_email/build", 5000, build("sendEmail", message)],
  ["send_email/parse", 5000, parse("sendEmail", oneAnswer)],
  ["send_email/build+parse", 5000, both(build("sendEmail", message), parse("sendEmail", oneAnswer))],
  ["send_email_batch/build", 40, build("sendEmailBatch", batch)],
  ["send_email_batch/parse", 40, parse("sendEmailBatch", batchAnswer)],
  ["send_email_batch/build+parse", 40, both(build("sendEmailBatch", batch), parse("sendEmailBatch", batchAnswer))],
];

const time = (us) => (us === null ? "–" : us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);
console.log(`per call                        wasm (node ${process.version}, CPU)   native (criterion median)   wasm ÷ native`);
for (const [name, n, call] of cases) {
  const wasm = measure(n, call);
  const rust = native(name);
  const ratio = rust === null ? "–" : `${(wasm / rust).toFixed(1)}×`;
  console.log(`${name.padEnd(32)}${time(wasm).padStart(22)}${time(rust).padStart(28)}${ratio.padStart(16)}`);
}
console.log(`
wasm: buildRequest and parseResponse called from JavaScript, so each call also pays the
  crossing: the parameters through JSON.stringify into the module, the request back as a
  JS object (headers, the body as a string); the answer's text copied in, the model back
  through JSON.parse. Process CPU time (process.cpuUsage), V8's collector threads included.
native: the same dynamic interface on JSON text already made (op.build, op.parse), wall
  time per iteration on one core, as criterion measures it.`);
if (cases.some(([name]) => native(name) === null)) {
  console.log("\nNo native figures yet: run `cargo bench -p postmark-kit --bench build_parse -- dynamic` first.");
}
