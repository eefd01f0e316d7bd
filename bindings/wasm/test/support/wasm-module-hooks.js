// Node module hooks that load `import wasm from "./x.wasm?module"` the way
// Vercel's bundler does for the edge-light entry: as the compiled
// WebAssembly.Module. Registered by edge-light.js.
export async function load(url, context, nextLoad) {
  if (!url.endsWith(".wasm?module")) return nextLoad(url, context);
  const file = new URL(url);
  file.search = "";
  const source = `import { readFileSync } from "node:fs";
export default new WebAssembly.Module(readFileSync(new URL(${JSON.stringify(file.href)})));`;
  return { format: "module", source, shortCircuit: true };
}
