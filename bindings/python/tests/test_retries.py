"""Retries by the core's policy, against faults injected into the mock."""

import time

import pytest

from postmark_kit import (
    RateLimitedError,
    ServerClient,
    ServerError,
    TransportError,
    UnavailableError,
)

from conftest import Mock
from test_operations import message


def paths(mock: Mock) -> list:
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
    assert (caught.value.status, caught.value.error_code) == (429, None)
    assert len(mock.requests()) == 3


def test_a_retry_after_longer_than_allowed_is_not_waited_for(mock: Mock) -> None:
    mock.fault(kind="status", status=503, count=1, retry_after=120)
    client = ServerClient(mock.server_token, base_url=mock.url, max_retry_after=5)
    started = time.monotonic()
    with pytest.raises(UnavailableError) as caught:
        client.get_current_server()
    assert time.monotonic() - started < 5
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
