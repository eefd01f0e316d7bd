// What the module is made of, from the function names wasm-bindgen leaves in
// it (wasm-opt drops them, so this reads the module before wasm-opt): code
// bytes by crate, the largest functions, and the generic functions compiled
// once per type they are used with. Sizes are before wasm-opt, which makes
// the code somewhat smaller; the proportions hold.
//
//   node bindings/wasm/scripts/wasm-profile.mjs [module.wasm] [--top N]
//
// The default module is the one `just wasm-build` leaves in
// $CARGO_TARGET_DIR/wasm-bindgen (target/wasm-bindgen).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const topAt = args.indexOf("--top");
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
const repo = fileURLToPath(new URL("../../../", import.meta.url));
const path = args[0] ?? `${process.env.CARGO_TARGET_DIR ?? `${repo}target`}/wasm-bindgen/postmark_kit_wasm_bg.wasm`;

/** The module's sections by id (custom ones by name), and its functions with their code size. */
function parse(bytes) {
  let at = 8; // after the magic number and the version
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
    }
  };
  const name = () => {
    const length = leb();
    at += length;
    return bytes.toString("utf8", at - length, at);
  };
  const sections = new Map();
  const bodies = [];
  const names = new Map();
  let imported = 0;
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    let label = `section ${id}`;
    if (id === 0) {
      label = `custom "${name()}"`;
      if (label === 'custom "name"') {
        while (at < end) {
          const kind = bytes[at++];
          const subEnd = leb() + at;
          if (kind === 1) for (let n = leb(); n > 0; n--) names.set(leb(), name());
          at = subEnd;
        }
      }
    } else if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        name();
        name();
        const kind = bytes[at++];
        if (kind === 0) {
          leb();
          imported++;
        } else if (kind === 1 || kind === 2) {
          if (kind === 1) at++; // the table's element type
          const flags = bytes[at++];
          leb();
          if (flags & 1) leb();
        } else if (kind === 3) at += 2;
        else {
          at++;
          leb();
        }
      }
    } else if (id === 10) {
      for (let n = leb(); n > 0; n--) {
        const length = leb();
        bodies.push(length);
        at += length;
      }
    }
    sections.set(label, (sections.get(label) ?? 0) + size);
    at = end;
  }
  const functions = bodies.map((size, i) => ({ size, name: names.get(imported + i) ?? `function ${imported + i}` }));
  return { sections, functions };
}

/** A name without its hash suffix, so that the copies of one generic function group together. */
const generic = (name) => name.replace(/::h[0-9a-f]{16}$/, "");

/** The crate a function belongs to: the first path segment, looking through `<Type as Trait>` to the type. */
function crate(name) {
  const path = name.replace(/^<+/, "").replace(/^(&\s*)?(mut\s+|dyn\s+)?/, "");
  const segment = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path)?.[0] ?? "?";
  // Exports (`parseWebhook`) and wasm-bindgen's shims (`serverclient_sendEmail`) have no path.
  return path.includes("::") ? segment : "exports and shims";
}

const sum = (items) => items.reduce((total, item) => total + item.size, 0);
const row = (size, label, extra = "") => `${String(size).padStart(9)}  ${extra}${label}`;

const { sections, functions } = parse(readFileSync(path));
console.log(`${path}\n\nsections (bytes):`);
for (const [label, size] of sections) console.log(row(size, label));

const byCrate = new Map();
for (const f of functions) byCrate.set(crate(f.name), (byCrate.get(crate(f.name)) ?? 0) + f.size);
console.log(`\ncode by crate (${sum(functions)} bytes in ${functions.length} functions):`);
for (const [name, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(row(size, name));

console.log(`\nlargest functions:`);
for (const f of [...functions].sort((a, b) => b.size - a.size).slice(0, top)) console.log(row(f.size, generic(f.name).slice(0, 150)));

const groups = new Map();
for (const f of functions) {
  const group = groups.get(generic(f.name)) ?? { size: 0, copies: 0 };
  group.size += f.size;
  group.copies++;
  groups.set(generic(f.name), group);
}
console.log(`\ngeneric functions by their copies' total size:`);
for (const [name, { size, copies }] of [...groups].filter(([, g]) => g.copies > 1).sort((a, b) => b[1].size - a[1].size).slice(0, top)) {
  console.log(row(size, name.slice(0, 140), `${String(copies).padStart(3)}×  `));
}
