// The package's API, the same from every entry point; the entry points
// differ only in how they load the wasm module.
export {
  AccountClient,
  ServerClient,
  buildRequest,
  checkBasicAuth,
  operations,
  parseResponse,
  parseWebhook,
} from "../pkg/postmark_kit_wasm.js";
export { BuildError, PostmarkError, TransportError, WebhookError } from "./errors.js";
