"""Audits every server's webhooks across the account: walks every server,
lists each one's webhooks with that server's token, prints one table
(server, URL, triggers), and with --delete URL deletes those pointing at URL
everywhere.

Offline against a local mock server by default (two servers are set up on it
first, each with a webhook to a shared URL and one of its own); with
POSTMARK_ACCOUNT_TOKEN (and optionally POSTMARK_API_URL) set, on that account.

    python examples/python/audit_webhooks.py --delete https://old.example.com/hook
"""

import sys
from contextlib import ExitStack
from typing import Any, Dict, List, Optional, Tuple

from automation import Env
from postmark_kit import types

TRIGGERS = ("Open", "Click", "Delivery", "Bounce", "SpamComplaint", "SubscriptionChange")


def set_up(env: Env) -> None:
    """Offline: two servers more, each with a webhook to a URL they share and one of its own."""
    for name in ("shop", "blog"):
        server = env.account.create_server(Name=name)
        client = env.server_client(server["ApiTokens"][0])
        for url in ("https://old.example.com/hook", f"https://{name}.example.com/events"):
            client.create_webhook(Url=url, Triggers={
                "Open": {"Enabled": True}, "Click": {"Enabled": True},
                "Delivery": {"Enabled": True}, "Bounce": {"Enabled": True},
                "SpamComplaint": {"Enabled": True}, "SubscriptionChange": {"Enabled": True},
            })


def triggers(webhook: types.Webhook) -> str:
    """The triggers a webhook has on, by name."""
    on: Dict[str, Any] = dict(webhook.get("Triggers") or {})
    return ",".join(t for t in TRIGGERS if (on.get(t) or {}).get("Enabled"))


def audit(env: Env, doomed: Optional[str]) -> List[Tuple[str, str, str]]:
    """Prints the table and deletes what points at `doomed`; answers the rows
    as they were before any deletion."""
    rows: List[Tuple[str, str, str]] = []
    deleted = 0
    for server in env.account.list_servers_all():
        tokens = server["ApiTokens"]
        if not tokens:
            raise SystemExit(f"server {server['ID']} came without a token")
        # Webhooks belong to a server: only its own token lists them.
        client = env.server_client(tokens[0])
        for webhook in client.list_webhooks()["Webhooks"]:
            rows.append((server["Name"], webhook["Url"], triggers(webhook)))
        if doomed is not None:
            deleted += len(client.delete_webhooks_pointing_at(doomed))
    server_width = max([6] + [len(r[0]) for r in rows])
    url_width = max([3] + [len(r[1]) for r in rows])
    print(f"{'SERVER':{server_width}}  {'URL':{url_width}}  TRIGGERS")
    for name, url, on in rows:
        print(f"{name:{server_width}}  {url:{url_width}}  {on}")
    if doomed is not None:
        print(f"deleted {deleted} webhooks pointing at {doomed}")
    return rows


def main() -> None:
    args = sys.argv[1:]
    doomed = None
    if "--delete" in args:
        at = args.index("--delete")
        if at + 1 >= len(args):
            raise SystemExit("--delete needs a URL")
        doomed = args[at + 1]
    with ExitStack() as stack:
        env = Env(stack)
        if env.mock is not None:
            set_up(env)
        rows = audit(env, doomed)
        print(f"{len(rows)} webhooks")
        if env.mock is not None and doomed is not None:
            # A second audit finds only the webhooks of the servers' own URLs.
            left = audit(env, None)
            assert [url for _, url, _ in left] == [
                "https://shop.example.com/events", "https://blog.example.com/events"
            ], left


if __name__ == "__main__":
    main()
