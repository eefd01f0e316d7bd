"""No token in anything the package shows: every error the blocking and asyncio clients
end in (each of the mock's faults, a wrong token, a refused connection, a timeout,
refusals before sending and at construction), the clients and walks themselves, each
shown every way Python shows a value (str, repr, the arguments, the attributes, the
formatted traceback with its causes), is scanned for the tokens it was made with."""

import asyncio
import traceback
from typing import Any, Awaitable, Callable, Dict, List, Tuple, Union

from postmark_kit import AccountClient, PostmarkError, ServerClient
from postmark_kit.aio import AsyncServerClient

from conftest import Mock, closed_port_url
from test_operations import message

WRONG = "wrong-secret-token-value"
UNPRINTABLE = "bad\nsecret-token-value"
PASSWORD = "url-secret-password"

FAULTS: List[Dict[str, Any]] = [
    {"kind": "status", "status": 500},
    {"kind": "status", "status": 503, "retry_after": 1},
    {"kind": "status", "status": 429},
    {"kind": "page", "status": 502, "content_type": "text/html", "body": "<html>gateway</html>"},
    {"kind": "drop"},
    {"kind": "delay", "ms": 1000},
]


def every_showing(value: object) -> str:
    """A value as a log line, a `repr`, an error report or a traceback would show it."""
    shown = [str(value), repr(value), repr(getattr(value, "__dict__", None))]
    if isinstance(value, BaseException):
        shown.append(repr(value.args))
        shown.extend(traceback.format_exception(type(value), value, value.__traceback__))
    return "\n".join(shown)


def leaks(values: List[Tuple[str, object]], tokens: List[str]) -> List[str]:
    """Which showings hold which token, to report them all at once."""
    return [
        f"{what} shows {token}"
        for what, value in values
        for token in tokens
        if token in every_showing(value)
    ]


def failure(call: Callable[[], object]) -> BaseException:
    try:
        call()
    except Exception as error:  # what is scanned is whatever the call ends in
        return error
    raise AssertionError("the call did not fail")


def async_failure(call: Callable[[], Awaitable[object]]) -> BaseException:
    async def main() -> Union[BaseException, None]:
        try:
            await call()
        except Exception as error:
            return error
        return None

    error = asyncio.run(main())
    assert error is not None, "the call did not fail"
    return error


def test_no_error_client_or_walk_shows_a_token(mock: Mock) -> None:
    server = ServerClient(mock.server_token, base_url=mock.url, max_attempts=1, timeout=0.3)
    account = AccountClient(mock.account_token, base_url=mock.url, max_attempts=1)
    aio = AsyncServerClient(mock.server_token, base_url=mock.url, max_attempts=1, timeout=0.3)
    shown: List[Tuple[str, object]] = [
        ("a server client", server),
        ("an account client", account),
        ("an asyncio client", aio),
        ("a walk", account.list_servers_all(count=2, limit=3)),
    ]
    for fault in FAULTS:
        mock.fault(**fault)
        shown.append((f"the {fault} fault", failure(lambda: server.send_email(message()))))
        mock.fault(**fault)
        shown.append((
            f"the {fault} fault, asyncio",
            async_failure(lambda: AsyncServerClient(
                mock.server_token, base_url=mock.url, max_attempts=1, timeout=0.3,
            ).send_email(message())),
        ))
    shown.append((
        "Postmark's 422", failure(lambda: server.send_email(message(From="not an address"))),
    ))
    wrong = ServerClient(WRONG, base_url=mock.url, max_attempts=1)
    shown.append(("a wrong token's 401", failure(wrong.get_current_server)))
    nowhere = ServerClient(WRONG, base_url=closed_port_url(), max_attempts=1)
    shown.append(("a refused connection", failure(nowhere.get_current_server)))
    shown.append((
        "a refused connection, asyncio",
        async_failure(lambda: AsyncServerClient(
            WRONG, base_url=closed_port_url(), max_attempts=1,
        ).get_current_server()),
    ))
    shown.append(("a refusal before sending", failure(lambda: server.send_email(message(To=None)))))
    shown.append(("an unprintable token", failure(lambda: ServerClient(UNPRINTABLE))))
    shown.append(("an unprintable token, asyncio", failure(lambda: AsyncServerClient(UNPRINTABLE))))
    shown.append((
        "a base URL with a password",
        failure(lambda: ServerClient(WRONG, base_url=f"https://user:{PASSWORD}@example.com")),
    ))
    tokens = [mock.server_token, mock.account_token, WRONG, "secret-token-value", PASSWORD]
    assert leaks(shown, tokens) == []
    # The scan finds a token where there is one, and sees the errors' content.
    assert leaks([("a token's own error", ValueError(f"x {WRONG}"))], [WRONG]) != []
    first_fault = dict(shown)[f"the {FAULTS[0]} fault"]
    assert isinstance(first_fault, PostmarkError) and "500" in every_showing(first_fault)
