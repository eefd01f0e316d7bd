// The package as a bundler sees it: the entry its `exports` map picks under a
// runtime's conditions, and the modules that entry loads. The tests and the
// cold-start benchmark load the package this way, so that a broken exports
// map or a missing file fails them.
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** The conditions wrangler resolves packages with for a Worker. */
export const WORKERD = ["workerd", "worker", "browser", "import"];

/**
 * The file `import "postmark-kit"` resolves to under `conditions`, relative
 * to the package: in each conditions object, the first key that is one of
 * them or `default`, as Node and bundlers read the map.
 */
export function entry(conditions) {
  let target = manifest.exports["."];
  while (typeof target === "object") {
    const key = Object.keys(target).find((condition) => condition === "default" || conditions.includes(condition));
    if (key === undefined) throw new Error(`no export for the conditions ${conditions.join(", ")}`);
    target = target[key];
  }
  return normalize(target);
}

/** The package files a module imports or loads by `new URL(…)`, `?module` suffixes dropped. */
export function imports(file) {
  const source = readFileSync(join(root, file), "utf8");
  return [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*["'](\.[^"']+)["']|new URL\("(\.[^"]+)"/g)].map((m) =>
    normalize(join(dirname(file), (m[1] ?? m[2]).replace(/\?module$/, ""))),
  );
}

/** `file` and every package file it loads, directly or not. */
export function moduleGraph(file) {
  const seen = new Set();
  const queue = [file];
  while (queue.length) {
    const next = queue.pop();
    if (seen.has(next)) continue;
    seen.add(next);
    if (next.endsWith(".js")) queue.push(...imports(next));
  }
  return [...seen];
}

/**
 * miniflare's modules for a Worker (`worker`, its source) that imports
 * `postmark-kit`: the package as wrangler would bundle it, its workerd entry
 * and everything that loads, the .wasm as a compiled module. A module named
 * `postmark-kit` at the root re-exports the entry, so the bare import
 * resolves as it does in a bundle.
 */
export function workerModules(worker) {
  const file = entry(WORKERD);
  return [
    { type: "ESModule", path: join(root, "worker.js"), contents: worker },
    { type: "ESModule", path: join(root, "postmark-kit"), contents: `export * from "./${file}";` },
    ...moduleGraph(file).map((path) => ({ type: path.endsWith(".wasm") ? "CompiledWasm" : "ESModule", path: join(root, path) })),
  ];
}
