// `node --conditions=edge-light --import ./test/support/edge-light.js …`:
// Node resolving the package as Vercel Edge does, `.wasm?module` included.
import { register } from "node:module";

register("./wasm-module-hooks.js", import.meta.url);
