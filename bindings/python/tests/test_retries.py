"""Retries by the core's policy, against faults injected into the mock."""

import time
from typing import List, Tuple

import pytest

from postmark_kit import (
    ConnectError,
    RateLimitedError,
    ServerClient,
    ServerError,
    TransportError,
    TransportTimeoutError,
    UnavailableError,
)

from conftest import Mock, closed_port_url
from test_operations import message


def paths(mock: Mock) -> List[Tuple[str, str]]:
    return [(r["method"], r["path"]) for r in mock.requests()]


def test_a_503_is_retried_even_for_a_send(server: ServerClient, mock: Mock) -> None:
    mock.fault(kind="status", status=503, count=1)
    assert server.send_email(message())["ErrorCode"] == 0
    assert paths(mock) == [("POST", "/email")] * 2
    assert len(mock.messages()) == 1


def test_a_429_waits_for_retry_after(server: ServerClient, mock: Mock) -> None:
    mock.fault(kind="status", status=429, count=1, retry_after=1)
    started = time.monotonic()
    assert server.get_current_server()["ID"] == 1
    assert time.monotonic() - started >= 1.0
    assert len(mock.requests()) == 2


def test_retries_stop_after_max_attempts(mock: Mock) -> None:
    mock.fault(kind="status", status=429, count=5)
    client = ServerClient(
        mock.server_token, base_url=mock.url, max_attempts=3, retry_base_delay=0.01
    )
    with pytest.raises(RateLimitedError) as caught:
        client.get_current_server()
    # Postmark's 429 is plain text, without an ErrorCode.
    assert (caught.value.status, caught.value.error_code) == (429, None)
    assert caught.value.body == "Too many requests. Slow down and retry later."
    assert len(mock.requests()) == 3


def test_a_retry_after_longer_than_allowed_is_not_waited_for(mock: Mock) -> None:
    mock.fault(kind="status", status=503, count=1, retry_after=120)
    client = ServerClient(mock.server_token, base_url=mock.url, max_retry_after=5)
    with pytest.raises(UnavailableError) as caught:
        client.get_current_server()
    assert (caught.value.retry_after, caught.value.error_name) == (120, "MAINTENANCE")
    assert len(mock.requests()) == 1


def test_a_500_on_a_send_is_not_repeated(server: ServerClient, mock: Mock) -> None:
    mock.fault(kind="status", status=500, count=1)
    with pytest.raises(ServerError) as caught:
        server.send_email(message())
    assert type(caught.value) is ServerError
    assert (caught.value.status, caught.value.error_code) == (500, 101)
    assert len(mock.requests()) == 1


def test_a_500_on_a_send_is_repeated_when_the_caller_opts_in(mock: Mock) -> None:
    mock.fault(kind="status", status=500, count=1)
    client = ServerClient(
        mock.server_token, base_url=mock.url, retry_base_delay=0.01, retry_non_idempotent=True
    )
    assert client.send_email(message())["ErrorCode"] == 0
    assert len(mock.requests()) == 2


def test_a_500_on_a_read_is_retried(server: ServerClient, mock: Mock) -> None:
    mock.fault(kind="status", status=500, count=2)
    assert server.get_current_server()["ID"] == 1
    assert len(mock.requests()) == 3


def test_a_dropped_send_is_not_repeated_but_a_dropped_read_is(
    server: ServerClient, mock: Mock
) -> None:
    mock.fault(kind="drop", count=1)
    with pytest.raises(TransportError) as caught:
        server.send_email(message())
    assert caught.value.kind == "io"
    assert len(mock.requests()) == 1
    mock.fault(kind="drop", count=1)
    assert server.get_current_server()["ID"] == 1
    assert len(mock.requests()) == 3


def test_one_attempt_means_no_retry(mock: Mock) -> None:
    mock.fault(kind="status", status=503, count=1)
    client = ServerClient(mock.server_token, base_url=mock.url, max_attempts=1)
    with pytest.raises(UnavailableError):
        client.get_current_server()
    assert len(mock.requests()) == 1


def test_a_read_that_times_out_is_retried(mock: Mock) -> None:
    mock.fault(kind="delay", ms=1000, count=1)
    client = ServerClient(
        mock.server_token, base_url=mock.url, timeout=0.3, max_attempts=2, retry_base_delay=0.01
    )
    assert client.get_current_server()["ID"] == 1
    assert paths(mock) == [("GET", "/server")] * 2


def test_a_read_that_times_out_every_time_raises_after_max_attempts(mock: Mock) -> None:
    mock.fault(kind="delay", ms=1000, count=2)
    client = ServerClient(
        mock.server_token, base_url=mock.url, timeout=0.3, max_attempts=2, retry_base_delay=0.01
    )
    with pytest.raises(TransportTimeoutError) as caught:
        client.get_current_server()
    assert caught.value.kind == "timeout"
    assert len(mock.requests()) == 2


def test_a_refused_connection_is_retried_even_for_a_send() -> None:
    # Nothing listens, so every attempt fails at once and the call lasts as
    # long as the backoff between attempts. With both delays at 0.2 s each
    # backoff is in [0.1, 0.2) (equal jitter): at least 0.2 s in all means two
    # retries, the most three attempts allow.
    client = ServerClient(
        "token", base_url=closed_port_url(), max_attempts=3,
        retry_base_delay=0.2, retry_max_delay=0.2,
    )
    started = time.monotonic()
    with pytest.raises(ConnectError) as caught:
        client.send_email(message())
    assert time.monotonic() - started >= 0.2
    assert caught.value.kind == "connect"
