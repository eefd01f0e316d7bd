"""Provisions a server for a new environment and keeps its token: creates the
server with the account token, takes the server token from the answer, and
sends a first message with it.

Offline against a local mock server by default; with POSTMARK_ACCOUNT_TOKEN
(and optionally POSTMARK_API_URL) set, on that account, sending from
POSTMARK_FROM (a confirmed sender signature) to POSTMARK_TO.

    python examples/python/provision_server.py staging
"""

import os
import sys
from contextlib import ExitStack

from automation import Env, masked


def main() -> None:
    environment = sys.argv[1] if len(sys.argv) > 1 else "staging"
    with ExitStack() as stack:
        env = Env(stack)
        server = env.account.create_server(Name=f"{environment} ({os.getpid()})")
        # The answer to the creation is the one place the account hands out the
        # new server's token: keep it (a secret store, the environment's config).
        tokens = server["ApiTokens"]
        if not tokens:
            raise SystemExit("Postmark answered the new server without a token")
        print(f'server {server["ID"]} "{server["Name"]}" created; its token {masked(tokens[0])} '
              "is the environment's POSTMARK_SERVER_TOKEN")

        client = env.server_client(tokens[0])
        sent = client.send_email(
            From=os.environ.get("POSTMARK_FROM", "sender@example.com"),
            To=os.environ.get("POSTMARK_TO", "receiver@example.com"),
            Subject=f"{environment} is ready",
            TextBody="The first message of a new server.",
        )
        print(f"first message sent with the new token: MessageID {sent.get('MessageID')}")
        if env.mock is not None:
            # Offline, the mock shows the message went out.
            last = env.mock.control("GET", "/__mock/messages")[-1]
            assert last["Subject"] == f"{environment} is ready", last


if __name__ == "__main__":
    main()
