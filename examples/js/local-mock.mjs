// @ts-check
// A local Postmark mock for the examples (and the npm package's tests): the
// `postmark-mock` binary of this repository, started on a free loopback port.
//
// It is found through $POSTMARK_MOCK_BIN, else in the Cargo target folder
// ($CARGO_TARGET_DIR or target/, debug or release build), else run with
// `cargo run -p postmark-kit-mock`.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../../", import.meta.url));

/** @returns {[string, string[]]} */
function mockCommand() {
  const explicit = process.env.POSTMARK_MOCK_BIN;
  if (explicit) return [explicit, []];
  const target = process.env.CARGO_TARGET_DIR ?? `${repo}target`;
  for (const profile of ["debug", "release"]) {
    const binary = `${target}/${profile}/postmark-mock`;
    if (existsSync(binary)) return [binary, []];
  }
  return ["cargo", ["run", "--quiet", "--package", "postmark-kit-mock", "--"]];
}

/** A running mock: its URL, tokens, and its control routes (/__mock/...). */
export class LocalMock {
  /**
   * @param {import("node:child_process").ChildProcess} child
   * @param {Record<string, string>} printed
   */
  constructor(child, printed) {
    this.child = child;
    this.url = printed.url;
    this.serverToken = printed.server_token;
    this.accountToken = printed.account_token;
  }

  /**
   * Calls a control route and returns its JSON answer.
   * @param {string} method
   * @param {string} path below /__mock/
   * @param {unknown} [body]
   * @returns {Promise<any>}
   */
  async control(method, path, body) {
    const response = await fetch(`${this.url}/__mock/${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`mock ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  /**
   * Queues a fault for the next API requests.
   * @param {{kind: "status", status: number, retry_after?: number}
   *   | {kind: "page", status: number, content_type: string, body: string, retry_after?: number}
   *   | {kind: "delay", ms: number}
   *   | {kind: "drop"}} fault
   * @param {{count?: number, path?: string}} [which] how many requests, and a path prefix they must have
   */
  fault(fault, which = {}) {
    return this.control("POST", "faults", { ...fault, ...which });
  }

  /** @returns {Promise<Array<{method: string, path: string, query: string, token: "server" | "account" | null}>>} */
  requests() {
    return this.control("GET", "requests");
  }

  clearRequests() {
    return this.control("DELETE", "requests");
  }

  /** @returns {Promise<{in_flight: number, peak_in_flight: number, connections: number}>} */
  stats() {
    return this.control("GET", "stats");
  }

  close() {
    // `cargo run` leads a process group of its own: stop the mock with it.
    if (this.child.pid !== undefined) process.kill(-this.child.pid);
  }
}

/** Starts a mock and waits for the address it prints. */
export async function startMock() {
  const [command, args] = mockCommand();
  const child = spawn(command, args, { cwd: repo, stdio: ["ignore", "pipe", "inherit"], detached: true });
  /** @type {Record<string, string>} */
  const printed = await new Promise((resolve, reject) => {
    let text = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`postmark-mock exited (${code}) before printing its address`)));
    child.stdout?.on("data", (chunk) => {
      text += chunk;
      const fields = Object.fromEntries(
        text
          .split("\n")
          .filter((line) => line.includes("="))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1).trim()]),
      );
      if (fields.url && fields.server_token && fields.account_token) resolve(fields);
    });
  });
  child.removeAllListeners("exit");
  return new LocalMock(child, printed);
}
