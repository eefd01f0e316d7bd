"""What the transport does with the token and with failures that prove the request never
left, in the blocking and the asyncio clients: plain `http://` only to this machine,
refused before any connection; a failed TLS handshake and a failed lookup classified
as a connection never made, and so retried even for a send. The Rust clients' tests
(crates/*/tests/transport_safety.rs) make the same checks."""

import asyncio
import socket
import threading
from typing import Any, Callable, Dict, List, Type

import pytest

from postmark_kit import ConfigurationError, ConnectError, ServerClient, build_request
from postmark_kit._native import Engine
from postmark_kit.aio import AsyncServerClient

from test_operations import message

#: Off this machine; nothing may be tried there.
FAR_AWAY = ["http://api.postmarkapp.com", "http://192.0.2.1:8025"]
CLIENTS: List[Type[Any]] = [ServerClient, AsyncServerClient]


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> List[Any]:
    """Records every connection a socket of this process tries."""
    tried: List[Any] = []
    real = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        tried.append(address)
        real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return tried


@pytest.mark.parametrize("client", CLIENTS, ids=["blocking", "asyncio"])
@pytest.mark.parametrize("url", FAR_AWAY)
def test_plain_http_to_another_host_is_refused_without_connecting(
    client: Type[Any], url: str, no_connections: List[Any],
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        client("t", base_url=url)
    assert caught.value.kind == "invalid_base_url"
    assert "clear text" in str(caught.value)
    assert no_connections == []


@pytest.mark.parametrize("client", CLIENTS, ids=["blocking", "asyncio"])
def test_plain_http_to_this_machine_is_taken(client: Type[Any]) -> None:
    for url in ["http://127.0.0.1:8025", "http://localhost:8025", "http://[::1]:8025"]:
        assert client("t", base_url=url).base_url == url


@pytest.mark.parametrize("url", FAR_AWAY)
def test_build_request_and_the_engine_refuse_plain_http_to_another_host(
    url: str, no_connections: List[Any],
) -> None:
    refusals: List[Callable[[], object]] = [
        lambda: build_request("send_email", message(), token="t", base_url=url),
        lambda: build_request(
            "send_email", message(), token="t", base_url=url, allow_insecure_http=False
        ),
        lambda: Engine("server", "t", base_url=url),
        lambda: Engine("server", "t", base_url=url, allow_insecure_http=False),
    ]
    for refused in refusals:
        with pytest.raises(ConfigurationError, match="clear text") as caught:
            refused()
        assert caught.value.kind == "invalid_base_url"
    assert no_connections == []


@pytest.mark.parametrize("client", CLIENTS, ids=["blocking", "asyncio"])
@pytest.mark.parametrize("url", FAR_AWAY)
def test_allow_insecure_http_takes_plain_http_to_another_host(
    client: Type[Any], url: str, no_connections: List[Any],
) -> None:
    made = client("t", base_url=url, allow_insecure_http=True)
    assert made.base_url == url
    if isinstance(made, AsyncServerClient):
        asyncio.run(made.aclose())
    built = build_request("send_email", message(), token="t", base_url=url, allow_insecure_http=True)
    assert built["url"] == f"{url}/email"
    engine = Engine("server", "t", base_url=f"{url}/pm/", allow_insecure_http=True)
    assert engine.build("send_email", message())[1] == f"{url}/pm/email"
    assert no_connections == []


def test_allow_insecure_http_applies_to_the_base_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = FAR_AWAY[1]
    monkeypatch.setenv("POSTMARK_API_URL", url)
    with pytest.raises(ConfigurationError, match="clear text"):
        ServerClient("t")
    assert ServerClient("t", allow_insecure_http=True).base_url == url


class PlainListener:
    """A loopback listener that answers every connection with `answer` after reading
    what the client sends first (a TLS hello, here), counting the connections."""

    def __init__(self, answer: bytes) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted = 0
        self.answer = answer
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.accepted += 1
            with connection:
                connection.settimeout(0.2)
                try:
                    connection.recv(4096)
                    connection.sendall(self.answer)
                except OSError:
                    pass

    def close(self) -> None:
        self.server.close()


def run(call: Callable[[], Any]) -> Any:
    async def main() -> Any:
        return await call()

    return asyncio.run(main())


ANSWERS = [b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", b""]


@pytest.mark.parametrize("answer", ANSWERS, ids=["plain http answer", "closed"])
def test_a_failed_tls_handshake_is_a_connect_error_retried_even_for_a_send(answer: bytes) -> None:
    for asynchronous in (False, True):
        listener = PlainListener(answer)
        url = f"https://127.0.0.1:{listener.port}"
        options: Dict[str, Any] = dict(
            base_url=url, max_attempts=3, retry_base_delay=0.001, retry_max_delay=0.002,
        )
        with pytest.raises(ConnectError) as caught:
            if asynchronous:
                run(lambda: AsyncServerClient("t", **options).send_email(message()))
            else:
                ServerClient("t", **options).send_email(message())
        listener.close()
        assert caught.value.kind == "connect"
        assert listener.accepted == 3, f"asyncio: {asynchronous}"


def test_a_failed_lookup_is_a_connect_error_retried_even_for_a_send(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The asyncio transport looks names up through socket.getaddrinfo: no name leaves
    # this machine, each lookup fails and is counted. (The blocking client looks names
    # up in Rust, through the ureq client, which classifies a host not found the same.)
    lookups: List[str] = []

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        lookups.append(host.decode() if isinstance(host, bytes) else host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    client = AsyncServerClient(
        "t", base_url="https://no-such-host.invalid", max_attempts=3,
        retry_base_delay=0.001, retry_max_delay=0.002,
    )
    with pytest.raises(ConnectError) as caught:
        run(lambda: client.send_email(message()))
    assert caught.value.kind == "connect"
    assert lookups == ["no-such-host.invalid"] * 3
