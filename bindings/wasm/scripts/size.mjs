// What the package weighs where it is loaded: the .wasm, and the JavaScript
// an app loads with it (wasm-bindgen's glue, the package's own modules and
// one entry point, gzipped together as a bundle would serve them), raw and
// `gzip -9`. Prints the figures and writes them into the README, between its
// size markers, so that the README states what the current build weighs.
//
//   node bindings/wasm/scripts/size.mjs      (`just wasm-build` runs it)
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const parts = [
  ["the `.wasm`", ["pkg/postmark_kit_wasm_bg.wasm"]],
  ["its JavaScript", [...readdirSync(`${root}pkg`).filter((file) => file.endsWith(".js")).map((file) => `pkg/${file}`), "browser.js"]],
];

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const sizes = parts.map(([what, paths]) => {
  const bytes = Buffer.concat(paths.map((path) => readFileSync(`${root}${path}`)));
  const gzip = execFileSync("gzip", ["-9", "-c"], { input: bytes, maxBuffer: 64 << 20 }).length;
  return { what, path: paths.length === 1 ? paths[0] : `${paths[0]} and ${paths.length - 1} more`, raw: bytes.length, gzip };
});
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
