// Cold start of the package: the time to compile and instantiate the wasm module and load
// its glue, in Node and in workerd (through miniflare). Each figure is the median of
// fresh starts.
//
//   node bindings/wasm/bench/cold-start.mjs      (after `just wasm-build`)
import { execFileSync } from "node:child_process";
import { Miniflare } from "miniflare";
import { root, workerModules } from "../test/support/package.js";

const runs = Number(process.env.RUNS ?? 10);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(1)} ms`;

// Node: in a fresh process each time, `initSync` on the module's bytes alone, and the
// whole `import("postmark-kit")` (file read, compile, instantiate, glue).
const probe = `
  const glue = await import(${JSON.stringify(`${root}pkg/postmark_kit_wasm.js`)});
  const bytes = (await import("node:fs")).readFileSync(${JSON.stringify(`${root}pkg/postmark_kit_wasm_bg.wasm`)});
  const t1 = performance.now();
  glue.initSync({ module: bytes });
  const t2 = performance.now();
  console.log(JSON.stringify({ instantiate: t2 - t1 }));
`;
const entry = `
  const t0 = performance.now();
  await import("postmark-kit");
  console.log(JSON.stringify({ import: performance.now() - t0 }));
`;
// Run in the package's folder, where `postmark-kit` resolves to the package itself.
const node = (script) =>
  JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" }));
const instantiate = Array.from({ length: runs }, () => node(probe).instantiate);
const imported = Array.from({ length: runs }, () => node(entry).import);
console.log(`Node ${process.version}: initSync (compile + instantiate) ${ms(median(instantiate))}; import("postmark-kit") ${ms(median(imported))}`);

// workerd: from a new runtime to the first answer of a Worker that imports the package,
// against the same for a Worker that does not; the difference is the package's start.
const workers = {
  bare: `export default { fetch() { return new Response("0"); } };`,
  package: `import { operations } from "postmark-kit";
            export default { fetch() { return new Response(String(operations().length)); } };`,
};
async function firstAnswer(kind) {
  const started = performance.now();
  const mf = new Miniflare({
    modulesRoot: root,
    modules:
      kind === "package" ? workerModules(workers[kind]) : [{ type: "ESModule", path: `${root}worker.js`, contents: workers[kind] }],
    compatibilityDate: "2026-04-01",
  });
  const body = await (await mf.dispatchFetch("http://worker.test/")).text();
  const elapsed = performance.now() - started;
  await mf.dispose();
  if (kind === "package" && !(Number(body) > 0)) throw new Error(`unexpected answer ${body}`);
  return elapsed;
}
// In pairs, one after the other, so that each pair meets the machine in the same state;
// what the package adds is the median of the pairs' differences.
const bare = [];
const withPackage = [];
for (let i = 0; i < runs; i++) {
  bare.push(await firstAnswer("bare"));
  withPackage.push(await firstAnswer("package"));
}
const added = withPackage.map((time, i) => time - bare[i]);
console.log(
  `workerd (miniflare): first answer ${ms(median(withPackage))} with the package, ${ms(median(bare))} without: ` +
    `the package adds ${ms(median(added))} (median of ${runs} pairs)`,
);
