// Browsers and anything else with fetch and top-level await: the module is
// fetched beside this file (bundlers recognise `new URL(…, import.meta.url)`
// and ship the .wasm as an asset) and compiled while it streams in.
import init from "./pkg/postmark_kit_wasm.js";

await init({ module_or_path: new URL("./pkg/postmark_kit_wasm_bg.wasm", import.meta.url) });

export * from "./pkg/api.js";
