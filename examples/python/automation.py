"""What the automation examples share: an account client on a real account
when POSTMARK_ACCOUNT_TOKEN is set (and optionally POSTMARK_API_URL), else on
a local mock server (see local_mock.py); and clients of the tokens they are
handed, at the same base URL."""

import os
from contextlib import ExitStack
from typing import Optional

from local_mock import LocalMock
from postmark_kit import AccountClient, ServerClient


class Env:
    """Where an example runs: the account client, and the mock when there is one."""

    def __init__(self, stack: ExitStack) -> None:
        self.mock: Optional[LocalMock] = None
        if os.environ.get("POSTMARK_ACCOUNT_TOKEN"):
            self.base_url = os.environ.get("POSTMARK_API_URL")
            self.account = AccountClient()
            return
        self.mock = stack.enter_context(LocalMock())
        print(f"no POSTMARK_ACCOUNT_TOKEN set: using a local mock server at {self.mock.url}")
        self.base_url = self.mock.url
        self.account = AccountClient(self.mock.account_token, base_url=self.mock.url)

    def server_client(self, token: str) -> ServerClient:
        """A client of another server's token, at the same base URL."""
        return ServerClient(token, base_url=self.base_url)


def masked(token: str) -> str:
    """A token as an example may print it: its first four characters."""
    return token[:4] + "…"
