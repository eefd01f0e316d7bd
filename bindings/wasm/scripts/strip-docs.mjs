// Drops whole-line comments from JavaScript as it ships in pkg/: doc comments
// (JSDoc blocks, each on lines of its own) and `//` notes. wasm-bindgen's glue
// has the Rust sources' docs, which are for reading the Rust side; the
// package's own modules (js/) are commented for their readers here. The
// package's types and their docs are in index.d.ts, so the comments would
// only weigh on every download. Code lines are kept as they are, so a stack
// trace still reads against the code.
//
//   node scripts/strip-docs.mjs FILE.js [OUT.js]    (`just wasm-build` runs it)
import { readFileSync, writeFileSync } from "node:fs";

const [path, out = path] = process.argv.slice(2);
if (!path) throw new Error("usage: strip-docs.mjs FILE.js [OUT.js]");
const kept = [];
let inDoc = false;
for (const line of readFileSync(path, "utf8").split("\n")) {
  const text = line.trim();
  if (!inDoc && text.startsWith("/*")) inDoc = true;
  if (inDoc) {
    if (text.endsWith("*/")) inDoc = false;
    continue;
  }
  if (text.startsWith("//")) continue;
  kept.push(line);
}
if (inDoc) throw new Error(`${path}: a comment is not closed`);
writeFileSync(out, kept.join("\n"));
