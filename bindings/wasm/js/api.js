// The package's API, the same from every entry point; the entry points differ
// only in how they load the wasm module. Nothing here knows an endpoint: the
// clients get one method per row of the core's operation table, and every
// request is checked and every answer read by the core.
import * as wasm from "../pkg/postmark_kit_wasm.js";
import { BuildError, core, PostmarkError, refusal, WebhookError } from "./errors.js";
import { abortCheck, execute } from "./transport.js";

export { BuildError, PostmarkError, TransportError, WebhookError } from "./errors.js";

const decoder = new TextDecoder();
const encoder = new TextEncoder();
// The core answers ASCII, which decodes as Latin-1 (the same characters
// below 0x80) several times faster than as UTF-8 in Node.
const ascii = new TextDecoder("latin1");

// Read from the module when first needed: the entry point instantiates it
// after this module has been evaluated.
let table, byJsName, defaults, memory;

/** The operation table, `raw` last, each row with its index in the module. */
function rows() {
  if (!table) {
    table = JSON.parse(wasm.table()).map((row, index) => ({ ...row, index }));
    byJsName = new Map(table.map((row) => [row.jsName, row]));
  }
  return table;
}

/** The row of the method `jsName`, or the core's refusal of the name. */
function operation(jsName) {
  rows();
  const op = byJsName.get(jsName);
  if (!op) throw new BuildError(`unknown operation \`${jsName}\``, { kind: "unknown_operation", operation: jsName });
  return op;
}

// ---- options ---------------------------------------------------------------

const isInteger = Object.assign((v) => Number.isSafeInteger(v) && v >= 0, { expects: "a non-negative integer" });
const isString = Object.assign((v) => typeof v === "string", { expects: "a string" });
const isBoolean = Object.assign((v) => typeof v === "boolean", { expects: "a boolean" });
const isFunction = Object.assign((v) => typeof v === "function", { expects: "a function" });
const isObject = Object.assign((v) => typeof v === "object" && v !== null, { expects: "an object" });
const isSignal = Object.assign((v) => typeof AbortSignal !== "undefined" && v instanceof AbortSignal, {
  expects: "an AbortSignal",
});

/**
 * `value`, an options object whose keys are those of `fields` (each with its
 * check), as a plain object without its `undefined` values; `{}` for none.
 */
function options(value, what, fields) {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw refusal("invalid_options", `invalid ${what}: expected an object`);
  const read = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    const check = fields[key];
    if (!Object.hasOwn(fields, key)) throw refusal("invalid_options", `invalid ${what}: unknown option \`${key}\``);
    if (!check(field)) throw refusal("invalid_options", `invalid ${what}: options.${key} must be ${check.expects}`);
    read[key] = field;
  }
  return read;
}

const RETRY = {
  maxAttempts: isInteger,
  baseDelayMs: isInteger,
  maxDelayMs: isInteger,
  maxRetryAfterMs: isInteger,
  retryNonIdempotent: isBoolean,
};
const CLIENT = {
  baseUrl: isString,
  allowInsecureHttp: isBoolean,
  fetch: isFunction,
  timeoutMs: isInteger,
  retry: isObject,
  userAgent: isString,
};
const CALL = { signal: isSignal, limit: isInteger, cursor: isObject };

/** A method's options; `limit` and `cursor` only for a paged list. */
function callOptions(value, paged) {
  const read = options(value, "call options", CALL);
  if (!paged && (read.limit !== undefined || read.cursor !== undefined)) {
    throw refusal("invalid_options", "limit and cursor are options of paged lists only");
  }
  return read;
}

// ---- requests and answers ---------------------------------------------------

/** `params` as JSON text for `op`; the empty text for none. */
function paramsText(op, params) {
  let text;
  try {
    text = JSON.stringify(params);
  } catch (error) {
    throw new BuildError(`invalid parameters for \`${op.name}\` at \`.\`: not JSON: ${error.message}`, {
      kind: "invalid_params",
      operation: op.name,
      path: ".",
    });
  }
  return text ?? "";
}

/**
 * `text` encoded as UTF-8 into the module's buffer for parameters (see
 * `paramsBuffer` in src/lib.rs): its place and length in the module's memory.
 */
function encodeParams(text) {
  // Room for one byte a character first; a text that needs more (characters
  // past ASCII) has its rest written after, with room for three bytes each.
  let at = wasm.paramsBuffer(text.length);
  const first = encoder.encodeInto(text, new Uint8Array(wasmMemory().buffer, at, text.length));
  let written = first.written;
  if (first.read < text.length) {
    const rest = text.slice(first.read);
    at = wasm.paramsBuffer(written + rest.length * 3);
    written += encoder.encodeInto(rest, new Uint8Array(wasmMemory().buffer, at + written, rest.length * 3)).written;
  }
  return { at, written };
}

/** The module's memory; its `buffer` changes whenever the memory grows. */
function wasmMemory() {
  memory ??= wasm.moduleMemory();
  return memory;
}

/**
 * The request of `op` with parameters `text`, for `config`
 * (`{kind, token, baseUrl, userAgent, header}`): `{method, url, headers,
 * body, idempotent}`, the body the parameters' bytes, bytes the core
 * edited, or `null`.
 */
function request(op, text, config) {
  const { at, written } = encodeParams(text);
  const line = core(() => wasm.build(op.index, config.kind, written));
  // `METHOD IDEMPOTENT BODY PATH`: the path is encoded, without spaces.
  const [method, idempotent, body, path] = line.split(" ");
  const headers = { accept: "application/json", "user-agent": config.userAgent, [config.header]: config.token };
  if (body !== "-") headers["content-type"] = "application/json";
  return {
    method,
    url: config.baseUrl + path,
    headers,
    body:
      body === "=" ? new Uint8Array(wasmMemory().buffer, at, written).slice() : body === "*" ? wasm.takeBody() : null,
    idempotent: idempotent === "1",
  };
}

/** The settings of a client or a `buildRequest` (`read`) as the core checked them: `{kind, token, baseUrl, userAgent, header}`. */
function checkedConfig(kind, token, read) {
  const checked = JSON.parse(
    core(() => wasm.checkClient(kind, token, read.baseUrl, read.userAgent, read.allowInsecureHttp === true)),
  );
  return { ...checked, header: checked.header.toLowerCase(), kind, token };
}

/** A response header from a `Headers`, pairs, or a plain object. */
function header(headers, name) {
  if (!isObject(headers)) return undefined;
  if (typeof headers.get === "function") return headers.get(name) ?? undefined;
  const pairs = Symbol.iterator in headers ? headers : Object.entries(headers);
  for (const [key, value] of pairs) if (String(key).toLowerCase() === name) return String(value);
  return undefined;
}

/**
 * The answer of `op` to a response: the core reads it, `JSON.parse` builds it
 * from the text the core wrote, or from the body as received.
 */
function answer(op, status, headers, bytes) {
  const retryAfter = header(headers, "retry-after");
  const requestId = header(headers, "x-request-id");
  const length = core(() => wasm.read(op.index, status, retryAfter, requestId, bytes));
  const text = length === undefined ? bytes : new Uint8Array(wasmMemory().buffer, wasm.answerText(), length);
  return JSON.parse(ascii.decode(text));
}

// ---- clients ----------------------------------------------------------------

/** Each client's settings and transport, out of sight of logs and `console.log`. */
const state = new WeakMap();

class Client {
  constructor(kind, token, clientOptions) {
    const read = options(clientOptions, "client options", CLIENT);
    const retry = options(read.retry, "retry options", RETRY);
    defaults ??= JSON.parse(wasm.defaults());
    const policy = { ...defaults.retry, ...retry };
    state.set(this, {
      config: checkedConfig(kind, typeof token === "string" ? token : "", read),
      transport: {
        fetch: read.fetch,
        timeoutMs: read.timeoutMs ?? defaults.timeoutMs,
        policy: new Float64Array([
          policy.maxAttempts,
          policy.baseDelayMs,
          policy.maxDelayMs,
          policy.maxRetryAfterMs,
          policy.retryNonIdempotent ? 1 : 0,
        ]),
      },
    });
    install();
  }
}

/** A client for server-token operations. `new ServerClient(token, {baseUrl?, allowInsecureHttp?, fetch?, timeoutMs?, retry?, userAgent?})` */
export class ServerClient extends Client {
  constructor(token, clientOptions) {
    super("server", token, clientOptions);
  }

  /**
   * Sends any number of messages as batches Postmark takes (500 messages and
   * 50 MB each, cut by the core): one result per message, in their order.
   */
  async sendEmailBatches(messages, options) {
    return sendBatches(state.get(this), operation("sendEmailBatch"), messages, options);
  }

  /** `sendEmailBatches` of template sends, through `POST /email/batchWithTemplates`. */
  async sendEmailBatchesWithTemplates(messages, options) {
    return sendBatches(state.get(this), operation("sendEmailBatchWithTemplates"), messages, options);
  }

  /**
   * Every item of a capped search (`listBounces`, `searchOutboundMessages`,
   * `searchInboundMessages`) from `from` to `to`, past the 10,000 items
   * Postmark pages, in date windows the core splits: `{items, truncated}`.
   */
  async walkWindows(operationName, params, from, to, options) {
    return walkWindows(state.get(this), operation(operationName), params, from, to, options);
  }
}

/** A client for account-token operations. `new AccountClient(token, {baseUrl?, allowInsecureHttp?, fetch?, timeoutMs?, retry?, userAgent?})` */
export class AccountClient extends Client {
  constructor(token, clientOptions) {
    super("account", token, clientOptions);
  }
}

let installed = false;

/** Gives the clients one method per row of the table, `raw` to both. */
function install() {
  if (installed) return;
  installed = true;
  for (const op of rows()) {
    const method = op.paged
      ? function (params, options) {
          return new PagedList(state.get(this), op, params, options);
        }
      : function (params, options) {
          return call(state.get(this), op, params, options);
        };
    Object.defineProperty(method, "name", { value: op.jsName });
    const classes = op.token === "server" ? [ServerClient] : op.token === "account" ? [AccountClient] : [ServerClient, AccountClient];
    for (const { prototype } of classes) {
      Object.defineProperty(prototype, op.jsName, { value: method, writable: true, configurable: true });
    }
  }
}

/**
 * One call: the parameters and options are read at once, so that changing
 * them afterwards changes nothing; every refusal rejects the Promise.
 */
async function call(client, op, params, options) {
  const { signal } = callOptions(options, false);
  return send(client, op, paramsText(op, params), signal);
}

async function send(client, op, text, signal) {
  const built = request(op, text, client.config);
  const response = await execute(client.transport, built, signal);
  return answer(op, response.status, response.headers, response.bytes);
}

/**
 * The batches of `messages` for the batch send `op`, every one checked by the
 * core before the first is sent, then sent one after the other. A failure
 * after the first send carries the results answered until then as `sent`.
 */
async function sendBatches(client, op, messages, options) {
  const { signal } = callOptions(options, false);
  const text = paramsText(op, messages);
  const { written } = encodeParams(text);
  const batches = core(() => wasm.batches(op.index, client.config.kind, written));
  const sent = [];
  for (const params of batches) {
    try {
      for (const result of await send(client, op, params, signal)) sent.push(result);
    } catch (error) {
      error.sent = sent;
      throw error;
    }
  }
  return sent;
}

/**
 * The search `op` walked window by window as the core plans them: a window's
 * first page tells its `TotalCount`, and a window over the cap is halved
 * (its page dropped) until each is walked whole, newest first. The search's
 * own date window and offset are replaced, its other filters kept.
 */
async function walkWindows(client, op, params, from, to, options) {
  const { signal } = callOptions(options, false);
  if (params !== undefined && params !== null && !isObject(params)) {
    throw refusal("invalid_options", "walkWindows takes the search's parameters as an object");
  }
  const windows = core(() => new wasm.Windows(op.index, String(from), String(to)));
  const walked = { items: [], truncated: [] };
  try {
    for (let window = windows.next(); window; window = windows.next()) {
      const [fromdate, todate] = window;
      const list = new PagedList(client, op, { ...params, offset: 0, fromdate, todate }, { signal });
      try {
        const first = await list.next();
        const plan = windows.plan(fromdate, todate, list.total ?? 0);
        if (plan === "split") continue;
        if (plan === "truncated") walked.truncated.push({ from: fromdate, to: todate });
        if (!first.done) walked.items.push(first.value);
        for await (const item of list) walked.items.push(item);
        windows.walked(fromdate, todate);
      } finally {
        list.free();
      }
    }
  } finally {
    windows.free();
  }
  return walked;
}

/**
 * What a paged list's method answers: awaited, the one page its parameters
 * name, fetched when first awaited; iterated, every item from that page on,
 * a page at a time, as the core's cursor says.
 */
class PagedList {
  #client;
  #op;
  #text;
  #signal;
  #refused;
  #walk;
  #page;
  #items = [];
  #next = 0;
  #over = false;

  constructor(client, op, params, options) {
    this.#client = client;
    this.#op = op;
    try {
      const read = callOptions(options, true);
      this.#signal = read.signal;
      this.#text = paramsText(op, params);
      const cursor = read.cursor === undefined ? undefined : JSON.stringify(read.cursor);
      this.#walk = core(() => new wasm.Walk(op.index, this.#text, read.limit, cursor));
    } catch (error) {
      this.#refused = error;
    }
  }

  #first() {
    this.#page ??= this.#refused
      ? Promise.reject(this.#refused)
      : send(this.#client, this.#op, this.#text, this.#signal);
    return this.#page;
  }

  then(onFulfilled, onRejected) {
    return this.#first().then(onFulfilled, onRejected);
  }

  catch(onRejected) {
    return this.#first().catch(onRejected);
  }

  finally(onFinally) {
    return this.#first().finally(onFinally);
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  next() {
    // Most calls of a walk answer an item of the page in hand: without an
    // async function's frame, they cost a third less.
    if (!this.#over && this.#next < this.#items.length) {
      return Promise.resolve({ value: this.#items[this.#next++], done: false });
    }
    return this.#turn();
  }

  /** The end of the walk, or its next page fetched. */
  async #turn() {
    if (this.#refused) throw this.#refused;
    for (;;) {
      if (this.#over) return { value: undefined, done: true };
      if (this.#next < this.#items.length) return { value: this.#items[this.#next++], done: false };
      const page = this.#walk.next();
      if (!page) return { value: undefined, done: true };
      const [count, offset] = page;
      const { count: _, offset: __, ...filters } = this.#text ? JSON.parse(this.#text) : {};
      const [keyParam, keyField] = this.#walk.keyNames ?? [];
      if (keyParam) delete filters[keyParam];
      const key = this.#walk.key;
      const pageParams = keyParam ? { count, ...(key === undefined ? {} : { [keyParam]: key }) } : { count, offset };
      let answered;
      try {
        abortCheck(this.#signal);
        answered = await send(this.#client, this.#op, JSON.stringify({ ...pageParams, ...filters }), this.#signal);
      } catch (error) {
        this.#over = true;
        throw error;
      }
      const items = answered[this.#op.items] ?? [];
      const nextKey = keyField ? answered[keyField] ?? undefined : undefined;
      const [start, end] = this.#walk.advance(count, offset, items.length, answered.TotalCount ?? 0, nextKey);
      // A page fetched twice (two `next()` at once) hands out nothing the second time.
      this.#items = this.#items.slice(this.#next).concat(items.slice(start, end));
      this.#next = 0;
    }
  }

  return() {
    this.#over = true;
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Where the walk stands, from the first item not handed out yet; `null` for a refused call. */
  get cursor() {
    return this.#walk ? JSON.parse(this.#walk.cursor(this.#items.length - this.#next)) : null;
  }

  /** Why the walk stopped, or `null` while it goes on. */
  get stopReason() {
    return this.#walk?.stopReason ?? null;
  }

  /** The list's `TotalCount` as the last page fetched gave it; `null` before the first page or for a list paged by key. */
  get total() {
    return this.#walk?.total ?? null;
  }

  /** Frees the walk now rather than when it is garbage-collected. */
  free() {
    this.#walk?.free();
    this.#walk = undefined;
  }
}

// ---- without a client -------------------------------------------------------

/** The operation table, in order: `[{name, jsName, token, paged, method, path, idempotent, items}]`. */
export function operations() {
  return rows()
    .filter((op) => op.name !== "raw")
    .map(({ index: _, ...row }) => row);
}

const BUILD = {
  token: isString,
  baseUrl: isString,
  allowInsecureHttp: isBoolean,
  userAgent: isString,
  tokenKind: isString,
};

/** Builds the request of an operation without sending it: `{method, url, headers, body, idempotent}`. */
export function buildRequest(operationName, params, buildOptions) {
  const op = operation(operationName);
  const read = options(buildOptions, "build options", BUILD);
  if (read.token === undefined) throw refusal("invalid_options", "buildRequest needs options with a token");
  const kind = read.tokenKind ?? (op.token === "account" ? "account" : "server");
  if (kind !== "server" && kind !== "account") {
    throw refusal("invalid_options", "invalid build options: tokenKind must be \"server\" or \"account\"");
  }
  const built = request(op, paramsText(op, params), checkedConfig(kind, read.token, read));
  if (built.body !== null) built.body = decoder.decode(built.body);
  return built;
}

/** The bytes of a body given as text, bytes or an `ArrayBuffer`; `undefined` for anything else. */
function bytesOf(body) {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return undefined;
}

/** Reads the response to an operation: its answer, or a thrown `PostmarkError`. */
export function parseResponse(operationName, status, headers, body) {
  const op = operation(operationName);
  const bytes = body === null || body === undefined ? new Uint8Array() : bytesOf(body);
  if (!bytes) throw refusal("invalid_body", "the body must be a string, a Uint8Array, an ArrayBuffer or null");
  if (!Number.isInteger(status)) throw refusal("invalid_status", `${status} is not an HTTP status`);
  return answer(op, status, headers, bytes);
}

/**
 * Reads a webhook request body into its event, told apart by `RecordType`:
 * text, bytes, or JSON that is already parsed.
 */
export function parseWebhook(body) {
  let bytes = bytesOf(body);
  if (!bytes) {
    let text;
    try {
      text = JSON.stringify(body) ?? "";
    } catch (error) {
      throw new WebhookError(`webhook body is not valid JSON: JSON.stringify failed: ${error.message}`, "syntax");
    }
    bytes = encoder.encode(text);
  }
  return JSON.parse(core(() => wasm.readWebhook(bytes)));
}

/**
 * The recipients Postmark will not deliver to as inactive: from a
 * `PostmarkError` (ErrorCode 406), or from the answer to one message (a send,
 * or an item of a batch's answer) that was refused with 406 or accepted
 * without them. Empty when none are named.
 */
export function inactiveRecipients(answer) {
  if (answer instanceof PostmarkError) return [...answer.inactiveRecipients];
  if (!isObject(answer)) throw refusal("invalid_params", "inactiveRecipients takes a send's answer or a PostmarkError");
  const code = Number.isSafeInteger(answer.ErrorCode) && answer.ErrorCode >= 0 && answer.ErrorCode <= 0xffffffff ? answer.ErrorCode : 0;
  return wasm.inactiveRecipients(code, String(answer.Message ?? ""));
}

/** Whether two webhook URLs name the same endpoint: scheme and host without case, a trailing slash not counted. */
export function sameWebhookUrl(a, b) {
  return wasm.sameWebhookUrl(String(a), String(b));
}

/** Whether an `Authorization` header value carries exactly these Basic credentials, compared in constant time. */
export function checkBasicAuth(authorization, username, password) {
  return wasm.checkBasicAuth(authorization ?? undefined, String(username), String(password));
}

/** Whether `address`, the TCP peer of a webhook request, is one Postmark publishes for its webhooks. */
export function isPostmarkWebhookIp(address) {
  // Postmark's addresses are IPv4, also seen on an IPv6 socket after `::ffff:`.
  const octets = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(String(address))?.slice(1).map(Number);
  return octets?.every((octet) => octet < 256) === true && wasm.isPostmarkWebhookIpv4(...octets);
}

/** A webhook request's body (a fetch `Request` or Node's `IncomingMessage`), refused past `limit` bytes without reading further. */
export async function readWebhookBody(request, readOptions) {
  const { limit } = options(readOptions, "webhook body options", { limit: isInteger });
  const check = (length) => core(() => wasm.checkWebhookBodySize(length, limit));
  const declared = header(request?.headers, "content-length");
  if (/^\d+$/.test(declared ?? "")) check(Number(declared));
  // A `Request`'s body is a stream, or null for none; a Node request is its own.
  const source = isObject(request) && "body" in request ? request.body : request;
  if (source === null) return new Uint8Array(0);
  if (typeof source?.[Symbol.asyncIterator] !== "function") {
    throw refusal("invalid_params", "readWebhookBody takes a fetch Request or a Node IncomingMessage");
  }
  const chunks = [];
  let length = 0;
  for await (const chunk of source) {
    check((length += chunk.byteLength));
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(length);
  chunks.reduce((at, chunk) => (bytes.set(chunk, at), at + chunk.byteLength), 0);
  return bytes;
}
