"""Sends an email and a batch, creates a webhook and a server, and lists them.

With no environment it runs against a local mock server (see local_mock.py),
offline. With POSTMARK_SERVER_TOKEN and/or POSTMARK_ACCOUNT_TOKEN set (and
optionally POSTMARK_API_URL) it talks to that server instead; the account
steps need the account token.

    python examples/python/quickstart.py
"""

import os
from contextlib import ExitStack
from typing import Optional, Tuple

from local_mock import LocalMock
from postmark_kit import AccountClient, ServerClient, error_code_name, types


def main() -> None:
    with ExitStack() as stack:
        server, account, on_mock = clients(stack)

        email: types.SendEmail = {
            "From": "sender@example.com",
            "To": "receiver@example.com",
            "Subject": "Hello",
            "HtmlBody": "<p>Hello from <b>postmark-kit</b></p>",
            "TextBody": "Hello from postmark-kit",
        }
        sent = server.send_email(email)
        print(f"email accepted: MessageID {sent.get('MessageID')}")

        # A batch answers per message: a bad one does not fail the others.
        bad = email.copy()
        bad["To"] = "not-an-address"
        batch = [email, bad, email]
        print(f"batch of {len(batch)}:")
        for i, result in enumerate(server.send_email_batch(batch)):
            if result["ErrorCode"] == 0:
                print(f"  message {i}: accepted as {result.get('MessageID')}")
            else:
                name = error_code_name(result["ErrorCode"])
                print(f"  message {i}: rejected: ErrorCode {result['ErrorCode']} ({name}): "
                      f"{result['Message']}")

        webhook = server.create_webhook(
            Url="https://example.com/postmark-webhook",
            Triggers={
                "Open": {"Enabled": True},
                "Click": {"Enabled": True},
                "Delivery": {"Enabled": True},
                "Bounce": {"Enabled": True, "IncludeContent": True},
                "SpamComplaint": {"Enabled": True, "IncludeContent": True},
                "SubscriptionChange": {"Enabled": True},
            },
        )
        print(f"webhook {webhook['ID']} created for {webhook['Url']}")
        for hook in server.list_webhooks()["Webhooks"]:
            print(f"  webhook {hook['ID']}: {hook['Url']} ({hook.get('MessageStream')})")

        if account is None:
            print("POSTMARK_ACCOUNT_TOKEN is not set: skipping the server steps")
            return
        created = account.create_server(Name=f"postmark-kit quickstart {os.getpid()}")
        print(f"server {created['ID']} created: {created['Name']}")
        print("servers:")
        for listed in account.list_servers_all():
            print(f"  {listed['ID']}: {listed['Name']}")
        if not on_mock:
            # Leave a real account as it was.
            account.delete_server(id=created["ID"])


def clients(stack: ExitStack) -> Tuple[ServerClient, Optional[AccountClient], bool]:
    """The clients, from the environment when a token is set, else on a fresh
    mock; and whether it is the mock."""
    server_token = os.environ.get("POSTMARK_SERVER_TOKEN")
    account_token = os.environ.get("POSTMARK_ACCOUNT_TOKEN")
    if server_token or account_token:
        if not server_token:
            raise SystemExit("POSTMARK_SERVER_TOKEN is needed when POSTMARK_ACCOUNT_TOKEN is set")
        return ServerClient(), AccountClient() if account_token else None, False
    mock = stack.enter_context(LocalMock())
    print(f"no POSTMARK_* token set: using a local mock server at {mock.url}")
    server = ServerClient(mock.server_token, base_url=mock.url)
    account = AccountClient(mock.account_token, base_url=mock.url)
    return server, account, True


if __name__ == "__main__":
    main()
