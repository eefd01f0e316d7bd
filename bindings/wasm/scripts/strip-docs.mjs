// Drops the comments from wasm-bindgen's glue as it ships in pkg/: the doc
// comments it copies from the Rust sources (JSDoc blocks, each on lines of
// its own) and its whole-line `//` notes. They are for reading the Rust side,
// and the package's types are in index.d.ts, so they only weigh on every
// download. Code lines are kept as they are.
//
//   node bindings/wasm/scripts/strip-docs.mjs pkg/postmark_kit_wasm.js   (`just wasm-build` runs it)
import { readFileSync, writeFileSync } from "node:fs";

const path = process.argv[2];
if (!path) throw new Error("usage: strip-docs.mjs FILE.js");
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
writeFileSync(path, kept.join("\n"));
