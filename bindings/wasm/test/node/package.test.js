// What `npm pack` ships: every file an entry point loads, and exports that
// resolve for each runtime.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const root = fileURLToPath(new URL("../../", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const packed = new Set(
  JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" }))[0].files.map(
    (file) => file.path,
  ),
);

/** The relative imports of a module, `?module` suffixes dropped. */
function imports(file) {
  const source = readFileSync(join(root, file), "utf8");
  return [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*["'](\.[^"']+)["']|new URL\("(\.[^"]+)"/g)].map((m) =>
    normalize(join(dirname(file), (m[1] ?? m[2]).replace(/\?module$/, ""))),
  );
}

test("every entry point and everything it loads is packed", () => {
  const entries = Object.values(manifest.exports["."]).map((path) => normalize(path));
  const seen = new Set();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    assert.ok(packed.has(file), `${file} is packed`);
    if (file.endsWith(".js")) queue.push(...imports(file));
  }
  for (const needed of ["pkg/postmark_kit_wasm_bg.wasm", "js/errors.js", "index.d.ts", "README.md"]) {
    assert.ok(seen.has(needed) || packed.has(needed), needed);
  }
  assert.ok(![...packed].some((file) => file.startsWith("test/") || file.startsWith("src/")), "no tests or sources");
});

test("the exports map: types first, one entry per runtime, default last", () => {
  const conditions = Object.keys(manifest.exports["."]);
  assert.equal(conditions[0], "types");
  assert.equal(conditions.at(-1), "default");
  assert.deepEqual(conditions.slice(1, -1), ["workerd", "edge-light", "node"]);
  assert.equal(manifest.type, "module");
  // The entries instantiate the module when imported: bundlers must keep them.
  assert.deepEqual([...manifest.sideEffects].sort(), conditions.slice(1).map((c) => manifest.exports["."][c]).sort());
});
