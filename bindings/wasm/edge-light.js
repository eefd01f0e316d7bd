// Vercel Edge: like Workers, no compiling at run time; its bundler turns a
// `.wasm?module` import into a compiled WebAssembly.Module.
import wasm from "./pkg/postmark_kit_wasm_bg.wasm?module";
import { initSync } from "./pkg/postmark_kit_wasm.js";

initSync({ module: wasm });

export * from "./pkg/api.js";
