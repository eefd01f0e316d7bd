// Node (and Deno, Bun): the module is read from the package's files and
// instantiated before anything can use it.
import { readFileSync } from "node:fs";
import { initSync } from "./pkg/postmark_kit_wasm.js";

initSync({ module: readFileSync(new URL("./pkg/postmark_kit_wasm_bg.wasm", import.meta.url)) });

export * from "./pkg/api.js";
