"""The asyncio clients against the mock: every operation of the table (the
cases of operation_cases.py, checked against the request log), paged lists as
async iterators, retries with the blocking clients' expectations, many sends
at once on one client, cancellation, and what they never show: the token."""

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Tuple, TypeVar

import aiohttp
import httpx2
import pytest

import postmark_kit
from postmark_kit import (
    AccountClient,
    ApiError,
    ConnectError,
    InvalidParameterError,
    RateLimitedError,
    ServerClient,
    ServerError,
    TransportError,
    TransportTimeoutError,
    UnavailableError,
)
from postmark_kit.aio import AsyncAccountClient, AsyncPages, AsyncServerClient

from conftest import Mock, closed_port_url
from operation_cases import CASES, Setup, expected_request
from test_operations import message

OPERATIONS: Dict[str, Dict[str, Any]] = {op["name"]: dict(op) for op in postmark_kit.operations()}

_T = TypeVar("_T")


def run(make: Callable[[], Awaitable[_T]]) -> _T:
    """Runs a coroutine on a fresh event loop, as a test without a plugin can."""
    async def main() -> _T:
        return await make()

    return asyncio.run(main())


def server_client(mock: Mock, **options: Any) -> AsyncServerClient:
    options.setdefault("retry_base_delay", 0.01)
    return AsyncServerClient(mock.server_token, base_url=mock.url, **options)


def account_client(mock: Mock, **options: Any) -> AsyncAccountClient:
    return AsyncAccountClient(mock.account_token, base_url=mock.url, **options)


def paths(mock: Mock) -> List[Tuple[str, str]]:
    return [(r["method"], r["path"]) for r in mock.requests()]


# --- the methods: from the table, as the blocking clients have them ----------------------


def test_each_operation_is_a_coroutine_method_of_the_client_for_its_token() -> None:
    for op in postmark_kit.operations():
        owner = AsyncServerClient if op["token"] == "server" else AsyncAccountClient
        other = AsyncAccountClient if owner is AsyncServerClient else AsyncServerClient
        method = getattr(owner, op["name"])
        assert asyncio.iscoroutinefunction(method), op
        assert method.__doc__ == getattr(ServerClient if op["token"] == "server" else AccountClient,
                                         op["name"]).__doc__
        assert not hasattr(other, op["name"]), op
        assert hasattr(owner, op["name"] + "_all") == op["paged"], op
    blocking = {name for name in dir(ServerClient) if not name.startswith("_")}
    asynchronous = {name for name in dir(AsyncServerClient) if not name.startswith("_")}
    assert blocking <= asynchronous
    assert asynchronous - blocking == {"aclose"}
    assert postmark_kit.AsyncServerClient is AsyncServerClient


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_operation(name: str, mock: Mock, server: ServerClient, account: AccountClient) -> None:
    op, case = OPERATIONS[name], CASES[name]
    params, check = case.prepare(Setup(mock, server, account))
    mock.clear_requests()

    async def call() -> Any:
        make = server_client if op["token"] == "server" else account_client
        async with make(mock) as client:
            method = getattr(client, name)
            return await (method() if params is None else method(params))

    answer = run(call)
    requests = mock.requests()
    check(answer)
    assert [(r["method"], r["path"], r["token"]) for r in requests] == [expected_request(op, params)]
    if case.query is not None:
        assert requests[0]["query"] == case.query


def test_keyword_arguments_and_refusals_before_sending(mock: Mock) -> None:
    async def calls() -> Tuple[Any, InvalidParameterError]:
        async with server_client(mock) as client:
            sent = await client.send_email(**message(Subject="By keyword"))
            with pytest.raises(InvalidParameterError) as refused:
                await client.send_email(message(Htmlbody="<p>"))
            return sent, refused.value

    sent, refused = run(calls)
    assert sent["ErrorCode"] == 0
    assert mock.messages()[0]["Subject"] == "By keyword"
    assert refused.path == "Htmlbody"
    assert paths(mock) == [("POST", "/email")]


def test_errors_are_the_blocking_clients_exceptions(mock: Mock) -> None:
    async def call() -> ApiError:
        async with server_client(mock) as client:
            with pytest.raises(ApiError) as caught:
                await client.get_bounce(id=42)
            return caught.value

    error = run(call)
    assert (error.status, error.error_code, error.error_name) == (422, 1001, "BOUNCE_NOT_FOUND")


def test_raw_and_the_webhook_helpers(mock: Mock) -> None:
    async def calls() -> Tuple[Any, List[int], List[str]]:
        async with server_client(mock) as client:
            current = await client.raw("GET", "/server")
            await client.create_webhook(Url="https://Example.com/hook/",
                                        Triggers={"Delivery": {"Enabled": True}})
            await client.raw("POST", "/webhooks", body={"Url": "https://example.com/other"})
            deleted = await client.delete_webhooks_pointing_at("https://example.com/hook")
            left = [w["Url"] for w in await client.webhooks_pointing_at("https://example.com/other")]
            return current, deleted, left

    current, deleted, left = run(calls)
    assert current["Name"] == "Default Server"
    assert deleted == [1]
    assert left == ["https://example.com/other"]


# --- paged lists -------------------------------------------------------------------------


@pytest.fixture
def seven_servers(account: AccountClient) -> List[str]:
    for i in range(1, 7):
        account.create_server(Name=f"node {i}")
    return ["Default Server"] + [f"node {i}" for i in range(1, 7)]


def test_a_paged_list_is_an_async_iterator(mock: Mock, seven_servers: List[str]) -> None:
    async def walk() -> Tuple[List[str], AsyncPages[Any]]:
        async with account_client(mock) as client:
            pages = client.list_servers_all(count=3)
            return [server["Name"] async for server in pages], pages

    mock.clear_requests()
    names, pages = run(walk)
    assert names == seven_servers
    assert [r["query"] for r in mock.requests()] == [
        "count=3&offset=0", "count=3&offset=3", "count=3&offset=6",
    ]
    assert (pages.total, pages.yielded, pages.stop_reason) == (7, 7, "exhausted")


def test_a_walk_resumes_from_its_cursor_with_either_client(
    mock: Mock, account: AccountClient, seven_servers: List[str]
) -> None:
    async def first_four() -> str:
        async with account_client(mock) as client:
            pages = client.list_servers_all({"count": 3}, limit=6)
            for _ in range(4):
                await pages.__anext__()
            return pages.cursor

    cursor = run(first_four)
    assert [s["Name"] for s in account.resume(cursor)] == seven_servers[4:6]

    async def rest() -> List[str]:
        async with account_client(mock) as client:
            return [s["Name"] async for s in client.resume(cursor)]

    assert run(rest) == seven_servers[4:6]
    saved = account.list_servers_all(count=2)
    next(saved)

    async def from_blocking() -> List[str]:
        async with account_client(mock) as client:
            return [s["Name"] async for s in client.resume(saved.cursor)]

    assert run(from_blocking) == seven_servers[1:]


def test_a_failed_page_is_fetched_again(mock: Mock, seven_servers: List[str]) -> None:
    async def walk() -> Tuple[List[str], List[str]]:
        async with account_client(mock, max_attempts=1) as client:
            pages = client.list_servers_all(count=4)
            first = [(await pages.__anext__())["Name"] for _ in range(4)]
            mock.fault(kind="status", status=503, count=1)
            with pytest.raises(UnavailableError):
                await pages.__anext__()
            return first, [s["Name"] async for s in pages]

    first, rest = run(walk)
    assert first + rest == seven_servers


# --- retries: the blocking clients' expectations (test_retries.py) ------------------------


def call_with(mock: Mock, make: Callable[[AsyncServerClient], Awaitable[_T]], **options: Any) -> _T:
    async def main() -> _T:
        async with server_client(mock, **options) as client:
            return await make(client)

    return asyncio.run(main())


def test_a_503_is_retried_even_for_a_send(mock: Mock) -> None:
    mock.fault(kind="status", status=503, count=1)
    assert call_with(mock, lambda c: c.send_email(message()))["ErrorCode"] == 0
    assert paths(mock) == [("POST", "/email")] * 2
    assert len(mock.messages()) == 1


def test_a_429_is_retried_after_its_retry_after(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    waits: List[float] = []
    sleep = asyncio.sleep

    async def recorded(delay: float) -> None:
        waits.append(delay)
        await sleep(0)

    monkeypatch.setattr(asyncio, "sleep", recorded)
    mock.fault(kind="status", status=429, count=1, retry_after=2)
    assert call_with(mock, lambda c: c.get_current_server())["ID"] == 1
    assert waits == [2.0]
    assert len(mock.requests()) == 2


def test_retries_stop_after_max_attempts(mock: Mock) -> None:
    mock.fault(kind="status", status=429, count=5)

    async def call(client: AsyncServerClient) -> RateLimitedError:
        with pytest.raises(RateLimitedError) as caught:
            await client.get_current_server()
        return caught.value

    error = call_with(mock, call, max_attempts=3)
    assert (error.status, error.error_code) == (429, None)
    assert len(mock.requests()) == 3


def test_a_retry_after_longer_than_allowed_is_not_waited_for(mock: Mock) -> None:
    mock.fault(kind="status", status=503, count=1, retry_after=120)

    async def call(client: AsyncServerClient) -> UnavailableError:
        with pytest.raises(UnavailableError) as caught:
            await client.get_current_server()
        return caught.value

    assert call_with(mock, call, max_retry_after=5).retry_after == 120
    assert len(mock.requests()) == 1


def test_a_500_on_a_send_is_not_repeated_unless_the_caller_opts_in(mock: Mock) -> None:
    mock.fault(kind="status", status=500, count=1)

    async def refused(client: AsyncServerClient) -> ServerError:
        with pytest.raises(ServerError) as caught:
            await client.send_email(message())
        return caught.value

    assert call_with(mock, refused).status == 500
    assert len(mock.requests()) == 1
    mock.fault(kind="status", status=500, count=1)
    sent = call_with(mock, lambda c: c.send_email(message()), retry_non_idempotent=True)
    assert sent["ErrorCode"] == 0
    assert len(mock.requests()) == 3


def test_a_500_on_a_read_is_retried(mock: Mock) -> None:
    mock.fault(kind="status", status=500, count=2)
    assert call_with(mock, lambda c: c.get_current_server())["ID"] == 1
    assert len(mock.requests()) == 3


def test_a_dropped_send_is_not_repeated_but_a_dropped_read_is(mock: Mock) -> None:
    mock.fault(kind="drop", count=1)

    async def dropped(client: AsyncServerClient) -> TransportError:
        with pytest.raises(TransportError) as caught:
            await client.send_email(message())
        return caught.value

    assert call_with(mock, dropped).kind == "io"
    assert len(mock.requests()) == 1
    mock.fault(kind="drop", count=1)
    assert call_with(mock, lambda c: c.get_current_server())["ID"] == 1
    assert len(mock.requests()) == 3


def test_a_read_that_times_out_is_retried_and_a_send_is_not(mock: Mock) -> None:
    mock.fault(kind="delay", ms=1000, count=1)
    options: Dict[str, Any] = {"timeout": 0.3, "max_attempts": 2}
    assert call_with(mock, lambda c: c.get_current_server(), **options)["ID"] == 1
    assert paths(mock) == [("GET", "/server")] * 2
    mock.reset()
    mock.fault(kind="delay", ms=1000, count=1)

    async def timed_out(client: AsyncServerClient) -> TransportTimeoutError:
        with pytest.raises(TransportTimeoutError) as caught:
            await client.send_email(message())
        return caught.value

    assert call_with(mock, timed_out, **options).kind == "timeout"
    assert paths(mock) == [("POST", "/email")]


def test_a_refused_connection_is_retried_even_for_a_send(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: List[float] = []
    sleep = asyncio.sleep

    async def recorded(delay: float) -> None:
        waits.append(delay)
        await sleep(0)

    monkeypatch.setattr(asyncio, "sleep", recorded)

    async def call() -> ConnectError:
        async with AsyncServerClient("token", base_url=closed_port_url(), max_attempts=3) as client:
            with pytest.raises(ConnectError) as caught:
                await client.send_email(message())
            return caught.value

    assert run(call).kind == "connect"
    assert len(waits) == 2


# --- many at once, and cancellation ------------------------------------------------------


def test_a_hundred_concurrent_sends_on_one_client_are_each_recorded_once(mock: Mock) -> None:
    async def send_all() -> List[Any]:
        async with server_client(mock) as client:
            return await asyncio.gather(
                *(client.send_email(message(To=f"r{i}@example.com")) for i in range(100))
            )

    sent = run(send_all)
    assert sorted(r["To"] for r in sent) == sorted(f"r{i}@example.com" for i in range(100))
    assert paths(mock) == [("POST", "/email")] * 100
    stored = mock.messages()
    assert sorted(m["MessageID"] for m in stored) == sorted(r["MessageID"] for r in sent)
    assert len({m["MessageID"] for m in stored}) == 100


def test_a_cancelled_call_leaves_the_client_usable_and_counts_once(mock: Mock) -> None:
    mock.fault(kind="delay", ms=5000, count=1)

    async def cancel_then_send() -> Any:
        async with server_client(mock) as client:
            call = asyncio.ensure_future(client.send_email(message(Subject="Cancelled")))
            while mock.stats()["in_flight"] < 1:
                await asyncio.sleep(0.005)
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call
            return await client.send_email(message(Subject="After"))

    after = run(cancel_then_send)
    assert after["ErrorCode"] == 0
    assert paths(mock) == [("POST", "/email")] * 2
    mock.reset()  # waits for the held request to end


def test_a_timeout_around_a_call_cancels_it(mock: Mock) -> None:
    mock.fault(kind="delay", ms=5000, count=1)

    async def bounded() -> Any:
        async with server_client(mock) as client:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.get_current_server(), 0.2)
            return await client.get_current_server()

    assert run(bounded)["ID"] == 1
    assert paths(mock) == [("GET", "/server")] * 2


def test_a_page_fetch_cancelled_midway_is_fetched_again(
    mock: Mock, seven_servers: List[str]
) -> None:
    async def walk() -> Tuple[List[str], int, List[str]]:
        async with account_client(mock) as client:
            pages = client.list_servers_all(count=4)
            first = [(await pages.__anext__())["Name"] for _ in range(4)]
            mock.fault(kind="delay", ms=5000, count=1)
            fetch = asyncio.ensure_future(pages.__anext__())
            while mock.stats()["in_flight"] < 1:
                await asyncio.sleep(0.005)
            fetch.cancel()
            with pytest.raises(asyncio.CancelledError):
                await fetch
            yielded = pages.yielded
            return first, yielded, [s["Name"] async for s in pages]

    mock.clear_requests()
    first, yielded, rest = run(walk)
    assert yielded == 4
    assert first + rest == seven_servers
    assert [r["query"] for r in mock.requests()] == [
        "count=4&offset=0", "count=4&offset=4", "count=4&offset=4",
    ]
    mock.reset()


# --- a client of the caller's own --------------------------------------------------------


def test_a_client_of_your_own_is_used_and_left_open(mock: Mock) -> None:
    seen: List[str] = []

    async def record(request: httpx2.Request) -> None:
        seen.append(f"{request.method} {request.url.path}")

    async def calls() -> Tuple[Any, bool]:
        async with httpx2.AsyncClient(event_hooks={"request": [record]}) as http:
            async with server_client(mock, http_client=http) as client:
                current = await client.get_current_server()
            return current, http.is_closed

    current, closed = run(calls)
    assert current["ID"] == 1
    assert (seen, closed) == (["GET /server"], False)


def test_an_aiohttp_session_of_your_own_is_used_and_left_open(mock: Mock) -> None:
    async def calls() -> Tuple[Any, bool, List[str]]:
        async with aiohttp.ClientSession() as http:
            async with server_client(mock, http_client=http) as client:
                current = await client.get_current_server()
                with pytest.raises(TransportError) as dropped:
                    mock.fault(kind="drop", count=1)
                    await client.send_email(message())
            return current, http.closed, [dropped.value.kind]

    current, closed, kinds = run(calls)
    assert current["ID"] == 1
    assert (closed, kinds) == (False, ["io"])
    assert paths(mock) == [("GET", "/server"), ("POST", "/email")]


def test_async_with_closes_the_pool_the_client_made(mock: Mock) -> None:
    async def calls() -> Tuple[Any, str]:
        async with server_client(mock) as client:
            current = await client.get_current_server()
        with pytest.raises(RuntimeError) as closed:
            await client.get_current_server()
        return current, str(closed.value)

    current, closed = run(calls)
    assert current["ID"] == 1
    assert "closed" in closed
    assert len(mock.requests()) == 1


def test_a_test_double_answers_without_a_network() -> None:
    def answer(request: httpx2.Request) -> httpx2.Response:
        assert request.headers["x-postmark-server-token"] == "token"
        return httpx2.Response(200, json={"ID": 7, "Name": "Double", "Extra": [1]})

    async def call() -> Any:
        http = httpx2.AsyncClient(transport=httpx2.MockTransport(answer))
        async with AsyncServerClient("token", http_client=http) as client:
            return await client.get_current_server()

    current = run(call)
    assert (current["ID"], current["Name"], current["Extra"]) == (7, "Double", [1])


# --- the token is never shown ------------------------------------------------------------


@pytest.mark.parametrize("transport", ["aiohttp", "httpx2"])
def test_the_token_never_appears_in_repr_logs_or_errors(
    transport: str, mock: Mock, caplog: pytest.LogCaptureFixture
) -> None:
    token = mock.server_token
    caplog.set_level(logging.DEBUG)
    shown: List[str] = []

    async def calls() -> None:
        # httpx2 logs each request; aiohttp, the default, logs none.
        http = httpx2.AsyncClient() if transport == "httpx2" else None
        async with server_client(mock, max_attempts=1, http_client=http) as client:
            shown.append(repr(client))
            await client.get_current_server()
            pages = client.list_bounces_all(count=2)
            shown.append(repr(pages))
            for fault in ({"kind": "status", "status": 500}, {"kind": "drop"}):
                mock.fault(count=1, **fault)
                # A send: aiohttp sends a read again on a new connection when a
                # kept-alive one turns out closed, whatever max_attempts says.
                with pytest.raises(postmark_kit.PostmarkError) as caught:
                    await client.send_email(message())
                error = caught.value
                shown.extend([str(error), repr(error), json.dumps(vars(error), default=str)])
        if http is not None:
            await http.aclose()
        async with AsyncServerClient("wrong-token", base_url=mock.url) as wrong:
            with pytest.raises(postmark_kit.InvalidTokenError) as refused:
                await wrong.get_current_server()
            shown.extend([str(refused.value), repr(refused.value)])

    run(calls)
    shown.append(caplog.text)
    if transport == "httpx2":
        assert "http://127.0.0.1" in caplog.text  # the transport did log its requests
    for text in shown:
        assert token not in text
        assert "wrong-token" not in text


def test_settings_are_checked_like_the_blocking_clients(mock: Mock) -> None:
    with pytest.raises(postmark_kit.ConfigurationError):
        AsyncServerClient()
    with pytest.raises(postmark_kit.ConfigurationError) as caught:
        AsyncServerClient("t", base_url="ftp://example.com")
    assert caught.value.kind == "invalid_base_url"
    with pytest.raises(postmark_kit.ConfigurationError):
        AsyncServerClient("t", timeout=-1)
    client = AsyncServerClient("t", base_url=mock.url)
    assert repr(client) == f"AsyncServerClient(base_url={mock.url!r})"
    run(client.aclose)
