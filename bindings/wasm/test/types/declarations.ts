// Type-level tests of index.d.ts, checked by `tsc --strict` (`just test-js`):
// what must compile with the types it must have, and, marked
// `@ts-expect-error`, what must not compile.
import {
  type AccountClient,
  type BounceType,
  BuildError,
  type BuildOptions,
  type BulkEmail,
  type BulkEmailList,
  type ClientOptions,
  type NamedCountsDay,
  type PagedList,
  type Server,
  type ServerClient,
  type ServerList,
  TransportError,
  parseWebhook,
} from "postmark-kit";

/** Compiles only when `A` and `B` are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function same<T extends true>(): T | void {}

export async function pagedLists(account: AccountClient): Promise<void> {
  const servers = account.listServers({ count: 10 }, { limit: 20, signal: new AbortController().signal });
  same<Equal<typeof servers, PagedList<ServerList, Server>>>();
  const page = await servers;
  same<Equal<typeof page, ServerList>>();
  for await (const server of account.listServers()) same<Equal<typeof server, Server>>();
  same<Equal<typeof servers.stopReason, "exhausted" | "empty_page" | "limit" | "cap" | null>>();
  const first = await servers.then((list) => list.Servers[0]);
  same<Equal<typeof first, Server>>();
  // @ts-expect-error: limit and cursor are options of paged lists only
  await account.getServer({ id: 1 }, { limit: 3 });
  // @ts-expect-error: one way to iterate: the method itself
  account.listServersAll();
}

export async function wireNames(client: ServerClient): Promise<void> {
  const sent = await client.sendEmail({ From: "a@example.com", To: "b@example.com", TextBody: "Hi" });
  same<Equal<typeof sent.MessageID, string | null | undefined>>();
  // @ts-expect-error: a misspelt field
  await client.sendEmail({ From: "a@example.com", To: "b@example.com", Htmlbody: "<p>Hi</p>" });
  // @ts-expect-error: a server client has no account methods
  client.listServers();
}

export async function pathsKeysAndReports(client: ServerClient, account: AccountClient): Promise<void> {
  // A list paged by key: awaited, a page with the next page's key; iterated, its requests.
  const bulk = client.listBulkEmails({ count: 2, paginationKey: null });
  same<Equal<typeof bulk, PagedList<BulkEmailList, BulkEmail>>>();
  const page = await bulk;
  same<Equal<typeof page.PaginationKey, string | null | undefined>>();
  for await (const request of client.listBulkEmails()) same<Equal<typeof request, BulkEmail>>();
  // Path parameters as the table names them.
  await client.getTemplate({ id_or_alias: "welcome" });
  await client.dumpSuppressions({ stream_id: "outbound" });
  await account.getDomain({ id: 1 });
  // @ts-expect-error: a template is found by id_or_alias
  await client.getTemplate({ id: 1000 });
  // @ts-expect-error: a stream's path parameter is stream_id
  await client.archiveMessageStream({ id: "digest" });
  // @ts-expect-error: pushTemplates is an account operation
  await client.pushTemplates({ SourceServerID: 1, DestinationServerID: 2, PerformChanges: false });
  // A report keyed by names: a count per name, and the days.
  const clients = await client.getEmailClientUsage({ fromdate: "2026-01-01" });
  same<Equal<typeof clients.Days, Array<NamedCountsDay>>>();
  const gmail = clients["Gmail"];
  same<Equal<typeof gmail, number | Array<NamedCountsDay>>>();
}

export function webhookEvents(body: string): string | null {
  const event = parseWebhook(body);
  switch (event.RecordType) {
    case "Bounce":
      same<Equal<typeof event.Type, BounceType>>();
      return event.Email ?? null;
    case "Unknown":
      same<Equal<typeof event.UnknownRecordType, string | null>>();
      return String(event.Payload.MessageID);
    case "Inbound":
      return event.FromFull?.Email ?? null;
  }
  // @ts-expect-error: only bounces and spam complaints have an Email
  return event.Email;
}

export function errorKinds(error: unknown): void {
  if (error instanceof TransportError) same<Equal<typeof error.kind, "timeout" | "network" | "aborted">>();
  if (error instanceof BuildError) {
    same<Equal<Extract<typeof error.kind, "too_many_recipients" | "no_fetch">, "too_many_recipients" | "no_fetch">>();
    // @ts-expect-error: the kinds are a closed set
    if (error.kind === "too_many_recipient") return;
  }
}

export function insecureHttpIsABooleanOptIn(): void {
  const client: ClientOptions = { baseUrl: "http://proxy.internal.example", allowInsecureHttp: true };
  const build: BuildOptions = { token: "t", baseUrl: client.baseUrl, allowInsecureHttp: false };
  same<Equal<typeof build.allowInsecureHttp, boolean | undefined>>();
  // @ts-expect-error: a boolean, not a string that might read "false"
  const spelt: ClientOptions = { allowInsecureHttp: "false" };
}
