// The errors the package throws. The wasm module creates them (see
// src/errors.rs); every detail is a plain property, so they log and
// serialize well. None of them ever holds a token.

/** Postmark answered with an error, or with a body that does not match the model. */
export class PostmarkError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = "PostmarkError";
    this.kind = details.kind ?? "other";
    this.status = details.status ?? 0;
    this.errorCode = details.errorCode ?? null;
    this.errorName = details.errorName ?? null;
    this.requestId = details.requestId ?? null;
    this.retryAfter = details.retryAfter ?? null;
    this.path = details.path ?? null;
    this.body = details.body ?? null;
    this.details = details.details ?? null;
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
