"""Postmark from asyncio with a transport of your own: `build_request` gives
the request, any HTTP client sends it, `parse_response` reads the answer
(raising the same exceptions as the clients). Here the transport is the
standard library's urllib, run off the event loop with `asyncio.to_thread`;
httpx or aiohttp fit the same two calls.

With no environment it runs against a local mock server (see local_mock.py);
with POSTMARK_SERVER_TOKEN set (and optionally POSTMARK_API_URL) it sends
for real.

    python examples/python/sansio_asyncio.py
"""

import asyncio
import os
import urllib.error
import urllib.request
from contextlib import ExitStack
from typing import Any, List, Optional, Tuple

from local_mock import LocalMock
from postmark_kit import ApiError, build_request, parse_response, types

#: An answer as the transport got it: status, headers, body.
Answer = Tuple[int, List[Tuple[str, str]], bytes]


def send(request: types.BuiltRequest) -> Answer:
    """Blocking urllib: sends the request and returns the answer, error statuses included."""
    prepared = urllib.request.Request(
        request["url"], data=request["body"], headers=request["headers"],
        method=request["method"],
    )
    try:
        with urllib.request.urlopen(prepared, timeout=30) as response:
            return response.status, response.headers.items(), response.read()
    except urllib.error.HTTPError as error:  # a 4xx or 5xx: Postmark's answer all the same
        with error:
            return error.code, error.headers.items(), error.read()


class Postmark:
    """A few lines of glue: every call is build, send in a thread, parse."""

    def __init__(self, token: str, base_url: Optional[str]) -> None:
        self.token = token
        self.base_url = base_url

    async def call(self, operation: str, params: Any = None) -> Any:
        request = build_request(operation, params, token=self.token, base_url=self.base_url)
        status, headers, body = await asyncio.to_thread(send, request)
        return parse_response(operation, status, headers, body)


async def main(postmark: Postmark) -> None:
    emails: List[types.SendEmail] = [
        {"From": "sender@example.com", "To": f"user{i}@example.com",
         "Subject": "Hello", "TextBody": f"Hello number {i}"}
        for i in range(3)
    ]
    # Three sends at once on one event loop.
    sent: List[types.SendEmailResponse] = await asyncio.gather(
        *(postmark.call("send_email", email) for email in emails)
    )
    for result in sent:
        print(f"sent to {result.get('To')}: MessageID {result.get('MessageID')}")

    server: types.Server = await postmark.call("get_current_server")
    print(f"server {server['ID']}: {server['Name']}")

    try:
        await postmark.call("get_webhook", {"id": 999999})
    except ApiError as error:
        print(f"get_webhook 999999: HTTP {error.status}, ErrorCode {error.error_code} "
              f"({error.error_name})")


def postmark(stack: ExitStack) -> Postmark:
    """From the environment when a token is set, else on a fresh mock."""
    token = os.environ.get("POSTMARK_SERVER_TOKEN")
    if token:
        return Postmark(token, os.environ.get("POSTMARK_API_URL"))
    mock = stack.enter_context(LocalMock())
    print(f"no POSTMARK_SERVER_TOKEN set: using a local mock server at {mock.url}")
    return Postmark(mock.server_token, mock.url)


if __name__ == "__main__":
    with ExitStack() as stack:
        asyncio.run(main(postmark(stack)))
