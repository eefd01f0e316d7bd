// The errors the package throws. The core describes them (src/lib.rs throws
// `[class, details]` as JSON text); every detail is a plain property, so they
// log and serialize well. None of them ever holds a token.

/**
 * Postmark answered with an error, or with a body that does not match the model.
 * `details` is what the core describes the error with, with its snake_case
 * keys: `kind`, `status`, `error_code`, `error_name`, `request_id`,
 * `retry_after`, `path`, `body`, `details`; absent ones are null. An
 * ErrorCode 406 adds `inactive_recipients`, the addresses Postmark named.
 */
export class PostmarkError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = "PostmarkError";
    this.kind = details.kind ?? "other";
    this.status = details.status ?? 0;
    this.errorCode = details.error_code ?? null;
    this.errorName = details.error_name ?? null;
    this.requestId = details.request_id ?? null;
    this.retryAfter = details.retry_after ?? null;
    this.path = details.path ?? null;
    this.body = details.body ?? null;
    this.details = details.details ?? null;
    this.inactiveRecipients = details.inactive_recipients ?? [];
  }
}

/** The request was refused before anything was sent. */
export class BuildError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = "BuildError";
    this.kind = details.kind;
    this.field = details.field ?? null;
    this.operation = details.operation ?? null;
    this.path = details.path ?? null;
    this.index = details.index ?? null;
    this.actual = details.actual ?? null;
    this.limit = details.limit ?? null;
  }
}

/** No answer: the connection failed, the attempt timed out, or the caller aborted the call. */
export class TransportError extends Error {
  constructor(message, kind, cause = undefined) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "TransportError";
    this.kind = kind;
  }
}

/** A webhook body that is not a readable Postmark event. */
export class WebhookError extends Error {
  constructor(message, kind, path = ".") {
    super(message);
    this.name = "WebhookError";
    this.kind = kind;
    this.path = path;
  }
}

/** A refusal of the package's own: bad options, arguments of the wrong type, no `fetch`. */
export function refusal(kind, message) {
  return new BuildError(message, { kind });
}

/**
 * Runs `call` into the wasm module; what the module throws (the JSON text of
 * `[class, details]`) becomes the package's error.
 */
export function core(call) {
  try {
    return call();
  } catch (thrown) {
    if (typeof thrown !== "string") throw thrown;
    const [kind, details] = JSON.parse(thrown);
    switch (kind) {
      case "api":
        throw new PostmarkError(details.message, details);
      case "webhook":
        throw new WebhookError(details.message, details.kind, details.path);
      default:
        throw new BuildError(details.message, details);
    }
  }
}
