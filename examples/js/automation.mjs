// @ts-check
// What the automation examples share: an account client on a real account when
// POSTMARK_ACCOUNT_TOKEN is set (and optionally POSTMARK_API_URL), else on a
// local mock server (see local-mock.mjs); and clients of the tokens they are
// handed, at the same base URL.
import { AccountClient, ServerClient } from "postmark-kit";
import { startMock } from "./local-mock.mjs";

/** Where an example runs: the account client, and the mock when there is one. */
export async function environment() {
  const token = process.env.POSTMARK_ACCOUNT_TOKEN;
  const mock = token ? null : await startMock();
  if (mock) console.log(`no POSTMARK_ACCOUNT_TOKEN set: using a local mock server at ${mock.url}`);
  const baseUrl = mock?.url ?? process.env.POSTMARK_API_URL;
  return {
    mock,
    account: new AccountClient(mock?.accountToken ?? token ?? "", { baseUrl }),
    /** A client of another server's token, at the same base URL. @param {string} serverToken */
    serverClient: (serverToken) => new ServerClient(serverToken, { baseUrl }),
  };
}

/** A token as an example may print it: its first four characters. @param {string} token */
export const masked = (token) => `${token.slice(0, 4)}…`;
