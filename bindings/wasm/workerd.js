// Cloudflare Workers: code cannot be compiled at run time there, so the
// module comes in as an import, which wrangler (and workerd's module rules)
// turn into a compiled WebAssembly.Module.
import wasm from "./pkg/postmark_kit_wasm_bg.wasm";
import { initSync } from "./pkg/postmark_kit_wasm.js";

initSync({ module: wasm });

export * from "./pkg/api.js";
