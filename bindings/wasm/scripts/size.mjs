// The package's size as npm ships it: the .wasm and its JS glue, raw and
// `gzip -9`. Prints the figures and writes them into the README, between its
// size markers, so that the README states what the current build weighs.
//
//   node bindings/wasm/scripts/size.mjs      (`just wasm-build` runs it)
import { execFileSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const files = [
  ["the `.wasm`", "pkg/postmark_kit_wasm_bg.wasm"],
  ["its JS glue", "pkg/postmark_kit_wasm.js"],
];

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const sizes = files.map(([what, path]) => ({
  what,
  path,
  raw: statSync(`${root}${path}`).size,
  gzip: execFileSync("gzip", ["-9", "-c", `${root}${path}`], { maxBuffer: 64 << 20 }).length,
}));
const total = { raw: sizes.reduce((sum, s) => sum + s.raw, 0), gzip: sizes.reduce((sum, s) => sum + s.gzip, 0) };

for (const { path, raw, gzip } of sizes) console.log(`${path.padEnd(32)} ${String(raw).padStart(8)} B raw ${String(gzip).padStart(8)} B gzip -9`);
console.log(`${"total".padEnd(32)} ${String(total.raw).padStart(8)} B raw ${String(total.gzip).padStart(8)} B gzip -9`);

const table = [
  "| | raw | `gzip -9` |",
  "|---|---|---|",
  ...sizes.map(({ what, raw, gzip }) => `| ${what} | ${kb(raw)} | ${kb(gzip)} |`),
  `| together | ${kb(total.raw)} | ${kb(total.gzip)} |`,
];
const readme = `${root}README.md`;
const text = readFileSync(readme, "utf8");
const section = /(<!-- size:start -->\n)[^]*?(<!-- size:end -->)/;
if (!section.test(text)) throw new Error("README.md has no size:start … size:end section");
writeFileSync(readme, text.replace(section, `$1\n${table.join("\n")}\n\n$2`));
