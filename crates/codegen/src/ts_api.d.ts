// The package's own API. The models, the operation map, the error names and
// the clients' methods follow, generated from the core's operation table.

/** How the clients send requests. Every field is optional. */
export interface ClientOptions {
  /** Where requests go (a mock server, a proxy): an absolute http(s) URL, without query. Default `https://api.postmarkapp.com`. */
  baseUrl?: string;
  /** The `fetch` to send with; default the global one, looked up at each call. */
  fetch?: typeof globalThis.fetch;
  /** Milliseconds one attempt may take, response body included (default 30000); 0 for no limit. */
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
  /** Tries in all, the first included (default 3); 1 never retries. */
  maxAttempts?: number;
  /** The backoff before the first retry, doubling after each (default 250). */
  baseDelayMs?: number;
  /** The longest backoff (default 8000). */
  maxDelayMs?: number;
  /** The longest `Retry-After` honoured; a longer one gives up (default 60000). */
  maxRetryAfterMs?: number;
  /** Resend sends after failures Postmark may have acted on (default false). */
  retryNonIdempotent?: boolean;
}

/** The second argument of the `…All` methods. */
export interface PageOptions {
  /** Hand out at most this many items. */
  limit?: number;
  /** Resume a walk from the `cursor` it had, with the same parameters; the walk's own `limit` goes on with it. */
  cursor?: Cursor;
}

/** Where a walk over a paged list stands: plain JSON, to store and pass back as `{cursor}`. Treat it as opaque. */
export interface Cursor {
  readonly [field: string]: unknown;
}

/** Why a walk stopped: every item handed out, an empty page, the caller's limit, or Postmark's paging cap (items remain: narrow the query). */
export type StopReason = "exhausted" | "empty_page" | "limit" | "cap";

/**
 * Every item of a paged list, fetched a page at a time as the iteration
 * reaches it: `for await (const item of pages)`. After an error the iteration
 * ends; `cursor` tells where, to resume later.
 */
export interface Pages<T> extends AsyncIterableIterator<T> {
  /** Where the walk stands, from the first item not handed out yet. */
  readonly cursor: Cursor;
  /** Why the walk stopped, or `null` while it goes on. */
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
  userAgent?: string;
  /** Which header the token goes in; only `raw` needs it (default `server`). */
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
 * Reads a webhook request body (text, bytes, or parsed JSON) into its event.
 * Throws a `WebhookError` for a body that is not a JSON object, or a known
 * event whose fields have the wrong type. An event type this version does not
 * know comes back as received.
 */
export declare function parseWebhook(body: string | Uint8Array | ArrayBuffer | object): WebhookEvent;

/** Narrows an event to one `RecordType` (`"Inbound"` for inbound mail). */
export declare function isWebhookEvent<T extends WebhookEventType>(
  event: WebhookEvent,
  recordType: T,
): event is Extract<KnownWebhookEvent, { RecordType: T }>;

/**
 * Whether an `Authorization` header value (`request.headers.get("authorization")`)
 * carries exactly these Basic credentials, compared in constant time.
 */
export declare function checkBasicAuth(
  authorization: string | null | undefined,
  username: string,
  password: string,
): boolean;

/** An event this version does not model, kept as received. */
export interface UnknownWebhookEvent {
  readonly RecordType?: string | null;
  readonly [key: string]: unknown;
}

/** What kind of failure a `PostmarkError` is. */
export type ErrorKind =
  | "invalid_token"
  | "not_found"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unprocessable"
  | "rate_limited"
  | "server_error"
  | "unavailable"
  | "decode"
  | "other"
  | (string & {});

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
}

/** What kind of request a `BuildError` refused. */
export type BuildErrorKind =
  | "missing_field"
  | "too_many_recipients"
  | "too_many_messages"
  | "payload_too_large"
  | "count_too_large"
  | "paged_too_deep"
  | "out_of_range"
  | "template_choice"
  | "invalid_header_value"
  | "invalid_base_url"
  | "invalid_path"
  | "unknown_operation"
  | "wrong_token_kind"
  | "not_paged"
  | "invalid_params"
  | "invalid_options"
  | "invalid_status"
  | "invalid_body"
  | "no_fetch"
  | "other"
  | (string & {});

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
}

/** No answer: the connection failed (`network`) or the attempt ran out of time (`timeout`). `cause` is what `fetch` threw. */
export declare class TransportError extends Error {
  readonly name: "TransportError";
  readonly kind: "timeout" | "network";
}

/** A webhook body that is not a readable Postmark event. */
export declare class WebhookError extends Error {
  readonly name: "WebhookError";
  readonly kind: "syntax" | "not_an_object" | "invalid_payload";
  /** The JSON path of the value at fault; `.` for the whole body. */
  readonly path: string;
}
