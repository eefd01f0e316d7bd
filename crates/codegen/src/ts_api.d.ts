// The package's own API; crates/codegen/src/ts.rs fills in its defaults from
// the core's retry policy and the package's own timeout. The error kinds and
// names, the stop reasons, the models, the operation map and the clients'
// methods follow, generated from the core.

/** How the clients send requests. Every field is optional. */
export interface ClientOptions {
  /** Where requests go (a mock server, a proxy): an absolute http(s) URL, without query. Default `https://api.postmarkapp.com`. */
  baseUrl?: string;
  /**
   * Lets `baseUrl` be plain `http://` to another machine (a trusted proxy on
   * a private network), sending the token unencrypted. Without it such a URL
   * is refused (`invalid_base_url`); `localhost` and loopback addresses
   * need no opt-in.
   */
  allowInsecureHttp?: boolean;
  /** The `fetch` to send with; default the global one, looked up at each call. */
  fetch?: typeof globalThis.fetch;
  /** Milliseconds one attempt may take, response body included (default {{timeout_ms}}); 0 for no limit. */
  timeoutMs?: number;
  /** When to try again; absent fields keep their defaults. */
  retry?: RetryOptions;
  /** Replaces the `User-Agent` header (where the runtime lets it be set). */
  userAgent?: string;
}

/**
 * The core's retry policy. 429 and 503 are retried (Postmark did not act on
 * them), honouring `Retry-After`; after a 500, 502, 504, a timeout or a broken
 * connection only idempotent requests are, unless `retryNonIdempotent` is set,
 * since a send may have gone through.
 */
export interface RetryOptions {
  /** Tries in all, the first included (default {{max_attempts}}); 1 never retries. */
  maxAttempts?: number;
  /** The backoff before the first retry, doubling after each (default {{base_delay_ms}}). */
  baseDelayMs?: number;
  /** The longest backoff (default {{max_delay_ms}}). */
  maxDelayMs?: number;
  /** The longest `Retry-After` honoured; a longer one gives up (default {{max_retry_after_ms}}). */
  maxRetryAfterMs?: number;
  /** Resend sends after failures Postmark may have acted on (default {{retry_non_idempotent}}). */
  retryNonIdempotent?: boolean;
}

/** The second argument of every method. */
export interface CallOptions {
  /**
   * Cancels the call: the attempt under way and any retry still to come. The
   * call then rejects with a `TransportError` of kind `aborted`.
   */
  signal?: AbortSignal;
}

/** The second argument of a paged list's method. `limit` and `cursor` apply to iterating it. */
export interface PageOptions extends CallOptions {
  /** Hand out at most this many items. */
  limit?: number;
  /** Resume a walk from the `cursor` it had, with the same parameters; the walk's own `limit` goes on with it. */
  cursor?: Cursor;
}

/** Where a walk over a paged list stands: plain JSON, to store and pass back as `{cursor}`. Treat it as opaque. */
export interface Cursor {
  readonly [field: string]: unknown;
}

/**
 * What the method of a paged list returns. Awaited, it is the one page its
 * parameters name, fetched when first awaited (once). Iterated with
 * `for await`, it is every item from that page on, fetched a page at a time
 * as the loop reaches it; breaking out of the loop ends the walk. After an
 * error the walk is over: `cursor` resumes it. A refused call (bad
 * parameters or options) rejects both ways.
 */
export interface PagedList<Page, Item> extends PromiseLike<Page> {
  then<R1 = Page, R2 = never>(
    onfulfilled?: ((page: Page) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2>;
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<Page | R>;
  finally(onfinally?: (() => void) | null): Promise<Page>;
  /** An iterator sharing this walk. */
  [Symbol.asyncIterator](): PagedList<Page, Item>;
  /** The next item, fetching the next page when the last one is used up. */
  next(): Promise<IteratorResult<Item, undefined>>;
  /** Ends the walk (what `break` calls); `cursor` still resumes it. */
  return(): Promise<IteratorResult<Item, undefined>>;
  /** Where the walk stands, from the first item not handed out yet; `null` for a refused call. */
  readonly cursor: Cursor | null;
  /** Why the walk stopped, or `null` while it goes on (or was ended by `return`). */
  readonly stopReason: StopReason | null;
  /** Frees the walk now rather than when it is garbage-collected. */
  free(): void;
}

/** `raw`: any request, for endpoints without a method yet. */
export interface RawRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | (string & {});
  /** Below the base URL, starting with `/`, without a query. */
  path: string;
  /** Strings, numbers and booleans; an array repeats the key. */
  query?: Record<string, string | number | boolean | null | Array<string | number | boolean>>;
  /** The JSON body. */
  body?: unknown;
}

/** The third argument of `buildRequest`. */
export interface BuildOptions {
  token: string;
  baseUrl?: string;
  /** As the clients' `allowInsecureHttp`. */
  allowInsecureHttp?: boolean;
  userAgent?: string;
  /**
   * Which kind of token `token` is, so which header it goes in. Default: the
   * kind the operation needs (`server` for `raw`); the other kind is refused
   * (`wrong_token_kind`).
   */
  tokenKind?: "server" | "account";
}

/** What `buildRequest` gives: ready for `fetch(url, {method, headers, body})`. */
export interface BuiltRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The JSON text, or `null` for no body. */
  body: string | null;
  /** Whether resending after an ambiguous failure (a timeout, a 500) is harmless. */
  idempotent: boolean;
}

/** Response headers: a `Headers`, pairs, or a plain object. */
export type HeadersLike = Iterable<readonly [string, string]> | Record<string, string>;

/** A body: text, bytes, or `null` for none. */
export type BodyLike = string | Uint8Array | ArrayBuffer | null;

/** What a row of the operation table says. */
export interface OperationInfo {
  name: string;
  jsName: OperationName;
  token: "server" | "account";
  paged: boolean;
  method: string;
  path: string;
  /** Whether sending it twice has the same effect as once: retried after an ambiguous failure. */
  idempotent: boolean;
  /** For a paged list: the field of its answer with the page's items. */
  items: string | null;
}

/**
 * Builds the request for an operation without sending it, for callers with
 * their own transport. Throws a `BuildError` for a request Postmark would
 * refuse (a missing field, more than 50 recipients…).
 */
export declare function buildRequest<O extends OperationName>(
  operation: O,
  params: Operations[O]["params"],
  options: BuildOptions,
): BuiltRequest;
export declare function buildRequest(operation: "raw", params: RawRequest, options: BuildOptions): BuiltRequest;

/** Reads the response to an operation: its model, or a thrown `PostmarkError`. */
export declare function parseResponse<O extends OperationName>(
  operation: O,
  status: number,
  headers: HeadersLike | null | undefined,
  body: BodyLike | undefined,
): Operations[O]["result"];
export declare function parseResponse(
  operation: "raw",
  status: number,
  headers: HeadersLike | null | undefined,
  body: BodyLike | undefined,
): unknown;

/** The operation table, in order. */
export declare function operations(): OperationInfo[];

/**
 * Reads a webhook request body into its event, told apart by `RecordType`
 * (`"Inbound"` for inbound mail, `"Unknown"` for a type this version does not
 * model). The body is text or bytes (`await request.text()`), or JSON that
 * is already parsed. Throws a `WebhookError` for anything that is not a JSON
 * object, and for a known event whose fields have the wrong type.
 */
export declare function parseWebhook(body: string | Uint8Array | ArrayBuffer | object): WebhookEvent;

/**
 * Whether an `Authorization` header value (`request.headers.get("authorization")`)
 * carries exactly these Basic credentials, compared in constant time.
 */
export declare function checkBasicAuth(
  authorization: string | null | undefined,
  username: string,
  password: string,
): boolean;

/**
 * Whether `address`, the TCP peer of a webhook request (Node's
 * `request.socket.remoteAddress`, or the address a proxy you run appended
 * last to `X-Forwarded-For`), is one of the addresses Postmark publishes for
 * its webhooks. Use it beside `checkBasicAuth`, not instead of it.
 */
export declare function isPostmarkWebhookIp(address: string | null | undefined): boolean;

/**
 * A webhook request's body as bytes for `parseWebhook`, refused with a
 * `WebhookError` of kind `too_large` past `limit` bytes (by default 50 MiB,
 * more than any Postmark webhook carries) without reading further: at once
 * when its `Content-Length` says so. Answer 413 then.
 */
export declare function readWebhookBody(
  request: Request | AsyncIterable<Uint8Array> & { headers: Record<string, string | string[] | undefined> },
  options?: { limit?: number },
): Promise<Uint8Array>;

/**
 * The recipients Postmark will not deliver to as inactive: from a
 * `PostmarkError` (ErrorCode 406), or from the answer to one message (a send,
 * or an item of a batch's answer) refused with ErrorCode 406 or accepted
 * without them (`Message OK, but will not deliver to these inactive
 * addresses: …`). Empty when none are named.
 */
export declare function inactiveRecipients(answer: SendEmailResponse | PostmarkError): string[];

/** Whether two webhook URLs name the same endpoint: scheme and host without case, a trailing slash not counted. */
export declare function sameWebhookUrl(a: string, b: string): boolean;

/** What `walkWindows` answers. */
export interface WindowedItems<Item> {
  /** Every item reached, newest window first. */
  items: Item[];
  /** Windows of a single second holding more items than the cap: walked only as far as the cap reaches. */
  truncated: Array<{ from: string; to: string }>;
}

/** An event of a type this version does not model, with the body as received. */
export interface UnknownWebhookEvent {
  RecordType: "Unknown";
  /** The `RecordType` received; `null` when the body had none. */
  UnknownRecordType: string | null;
  /** The body as received. */
  Payload: Record<string, unknown>;
}

/** Postmark answered with an error, or with a body that does not match the model. */
export declare class PostmarkError extends Error {
  readonly name: "PostmarkError";
  readonly kind: ErrorKind;
  /** The HTTP status. */
  readonly status: number;
  /** Postmark's `ErrorCode`, when the body carried one. */
  readonly errorCode: number | null;
  /** The code's name (`"INACTIVE_RECIPIENT"`), for a documented code. */
  readonly errorName: ErrorName | null;
  /** `X-Request-Id`, for Postmark support. */
  readonly requestId: string | null;
  /** `Retry-After` in seconds. */
  readonly retryAfter: number | null;
  /** For `decode`: the JSON path of the value that did not match. */
  readonly path: string | null;
  /** For `decode` and bodies that are not Postmark's envelope: the start of the body. */
  readonly body: string | null;
  /**
   * The error body's fields besides `ErrorCode` and `Message`, when it has
   * any: a webhook that failed verification (ErrorCode 1364) carries the
   * outcome of every trigger here (`Results`, `Success`…).
   */
  readonly details: Readonly<Record<string, unknown>> | null;
  /** For ErrorCode 406: the inactive addresses Postmark's message names (empty when it names none). */
  readonly inactiveRecipients: readonly string[];
  /** Set by `sendEmailBatches` when it stopped on this failure: the results answered until then. */
  sent?: SendEmailResponse[];
}

/** The package's own refusals, besides the core's: bad options, arguments of the wrong type, no `fetch` to send with. */
export type PackageRefusal = "invalid_options" | "invalid_status" | "invalid_body" | "no_fetch";

/** The request was refused before anything was sent. */
export declare class BuildError extends Error {
  readonly name: "BuildError";
  readonly kind: BuildErrorKind;
  /** The wire name of the field at fault. */
  readonly field: string | null;
  readonly operation: string | null;
  /** For `invalid_params`: the JSON path of the offending value. */
  readonly path: string | null;
  /** In a batch: the position of the message at fault. */
  readonly index: number | null;
  /** For a limit (recipients, messages, page size, a range): the value given… */
  readonly actual: number | null;
  /** …and the limit it is over. */
  readonly limit: number | null;
}

/**
 * No answer: the connection failed (`network`), the attempt ran out of time
 * (`timeout`), or the caller's signal cancelled the call (`aborted`). `cause`
 * is what `fetch` threw, or the signal's reason.
 */
export declare class TransportError extends Error {
  readonly name: "TransportError";
  readonly kind: "timeout" | "network" | "aborted";
  /** Set by `sendEmailBatches` when it stopped on this failure: the results answered until then. */
  sent?: SendEmailResponse[];
}

/** A webhook body that is not a readable Postmark event. */
export declare class WebhookError extends Error {
  readonly name: "WebhookError";
  readonly kind: WebhookErrorKind;
  /** The JSON path of the value at fault; `.` for the whole body. */
  readonly path: string;
}
