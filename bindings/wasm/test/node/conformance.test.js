// The cross-language conformance cases of tests/conformance (see its README),
// through buildRequest and parseResponse, asserting what the core's runner
// (crates/core/tests/conformance.rs) asserts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { BuildError, PostmarkError, buildRequest, operations, parseResponse } from "postmark-kit";

const cases = (file) => JSON.parse(readFileSync(new URL(`../../../../tests/conformance/${file}`, import.meta.url), "utf8"));
const TOKEN = "conformance-token";
const HEADERS = { server: "x-postmark-server-token", account: "x-postmark-account-token" };

/** The name the package calls a table operation by; unknown names (and `raw`) as they are. */
const jsNames = new Map(operations().map((op) => [op.name, op.jsName]));
const jsName = (name) => jsNames.get(name) ?? name;

/** Every key of `expected` is in `actual` with the same value. */
function assertSubset(name, expected, actual) {
  for (const [key, value] of Object.entries(expected)) assert.deepEqual(actual[key], value, `${name}: ${key}`);
}

/** What `call` answers, or what it throws. */
function caught(call) {
  try {
    return { answer: call() };
  } catch (error) {
    return { error };
  }
}

test("requests: built as every case expects, or refused as it expects", () => {
  const all = cases("requests.json");
  assert.ok(all.length >= 40);
  for (const { name, operation, token, params, expect, error: refusal } of all) {
    const { answer: request, error } = caught(() => buildRequest(jsName(operation), params, { token: TOKEN, tokenKind: token }));
    if (refusal) {
      assert.ok(error instanceof BuildError, `${name}: ${error ?? "built"}`);
      assertSubset(name, refusal, error);
      continue;
    }
    assert.equal(error, undefined, `${name}: ${error}`);
    // Taken apart by hand: URL would normalise the path and the query.
    const [, host, path, query = ""] = /^https:\/\/([^/]+)([^?]*)(?:\?(.*))?$/.exec(request.url);
    assert.equal(request.method, expect.method, name);
    assert.equal(host, "api.postmarkapp.com", name);
    assert.equal(path, expect.path, name);
    assert.equal(query, expect.query, name);
    assert.equal(request.idempotent, expect.idempotent, name);
    assert.equal(request.headers[HEADERS[token]], TOKEN, name);
    assert.equal(request.headers.accept, "application/json", name);
    const body = request.body === null ? null : JSON.parse(request.body);
    assert.deepEqual(body, expect.body, name);
    assert.equal("content-type" in request.headers, body !== null, name);
  }
});

/** A PostmarkError's properties under the keys of the cases. */
const errorFields = (error) => ({
  kind: error.kind,
  status: error.status,
  code: error.errorCode ?? undefined,
  code_name: error.errorName ?? undefined,
  retry_after: error.retryAfter ?? undefined,
  path: error.kind === "decode" ? error.path : undefined,
});

test("responses: read as every case expects, or refused as it expects", () => {
  const all = cases("responses.json");
  assert.ok(all.length >= 20);
  for (const { name, operation, status, headers, body, expect, error: failure } of all) {
    const { answer, error } = caught(() => parseResponse(jsName(operation), status, headers, body));
    if (failure) {
      assert.ok(error instanceof PostmarkError, `${name}: ${error ?? "read"}`);
      assertSubset(name, failure, errorFields(error));
      continue;
    }
    assert.equal(error, undefined, `${name}: ${error}`);
    assert.deepEqual(answer, expect, name);
  }
});
