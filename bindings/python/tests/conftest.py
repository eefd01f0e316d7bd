"""Fixtures: one `postmark-mock` process for the session, reset before each
test, clients pointed at it, and a scripted server for answers the mock
cannot give.

Every API request a test sends to the mock is recorded for the session: once
the tests of the files in TABLE_TESTS have all run, every row of the operation
table must have reached the mock (see `every_operation_reaches_the_mock`)."""

import http.server
import inspect
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Set, Tuple

import pytest

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples" / "python"
sys.path.insert(0, str(EXAMPLES))

from local_mock import LocalMock  # noqa: E402

import postmark_kit  # noqa: E402

#: (method, path) of an API request.
Route = Tuple[str, str]


class Mock:
    """The running mock and its control routes."""

    def __init__(self, process: LocalMock, reached: Set[Route]) -> None:
        self.process = process
        self.url = process.url
        self.server_token = process.server_token
        self.account_token = process.account_token
        self._reached = reached

    def reset(self) -> None:
        """Waits for requests still in flight, then forgets everything."""
        self.process.control("POST", "/__mock/reset")

    def fault(self, **fault: Any) -> None:
        """Queues a fault: kind="status"|"page"|"delay"|"drop", count, path, status,
        retry_after, ms, content_type, body."""
        self.process.control("POST", "/__mock/faults", fault)

    def requests(self) -> List[Dict[str, Any]]:
        seen: List[Dict[str, Any]] = self.process.control("GET", "/__mock/requests")
        return seen

    def record_requests(self) -> None:
        """Adds the requests logged so far to the session's record."""
        self._reached.update((r["method"], r["path"]) for r in self.requests())

    def clear_requests(self) -> None:
        self.record_requests()
        self.process.control("DELETE", "/__mock/requests")

    def messages(self) -> List[Dict[str, Any]]:
        sent: List[Dict[str, Any]] = self.process.control("GET", "/__mock/messages")
        return sent

    def stats(self) -> Dict[str, int]:
        """`in_flight`, `peak_in_flight` (since the reset) and `connections`."""
        stats: Dict[str, int] = self.process.control("GET", "/__mock/stats")
        return stats

    def wait_until_in_flight(self, count: int) -> None:
        """Returns once `count` API requests are being handled (held by a delay fault)."""
        deadline = time.monotonic() + 10
        while self.stats()["in_flight"] < count:
            assert time.monotonic() < deadline, f"{count} requests never were in flight"
            time.sleep(0.005)

    def suppress(self, email: str) -> None:
        self.process.control("POST", "/__mock/suppressions", {"EmailAddress": email})

    def add_template(self, alias: str, subject: str, html: str) -> int:
        template = self.process.control(
            "POST", "/__mock/templates", {"Alias": alias, "Subject": subject, "HtmlBody": html}
        )
        template_id: int = template["TemplateId"]
        return template_id

    def add_bounce(self, email: str, **fields: Any) -> int:
        """Records a bounce of `email` (HardBounce unless `Type` says otherwise) and
        returns its ID; `fields` as the route takes them: Type, MessageID, Tag, Content..."""
        bounce = self.process.control("POST", "/__mock/bounces", {"Email": email, **fields})
        bounce_id: int = bounce["ID"]
        return bounce_id

    def receive(self, **fields: Any) -> str:
        """Receives an inbound message (From, To, Subject, TextBody, Status...) and
        returns its MessageID."""
        received = self.process.control("POST", "/__mock/inbound", fields)
        message_id: str = received["MessageID"]
        return message_id

    def add_open(self, message_id: str, **fields: Any) -> None:
        """Records an open of a sent message: Recipient, Client, OS, Platform, ReadSeconds..."""
        self.process.control("POST", "/__mock/opens", {"MessageID": message_id, **fields})

    def publish_domain(self, domain_id: int) -> None:
        """The mock's stand-in for publishing a domain's DNS records: every one verifies."""
        self.process.control("POST", f"/__mock/domains/{domain_id}/verify")

    def confirm_sender(self, signature_id: int) -> None:
        """The mock's stand-in for the confirmation link a sender signature's owner follows."""
        self.process.control("POST", f"/__mock/senders/{signature_id}/confirm")

    def add_click(self, message_id: str, link: str, **fields: Any) -> None:
        """Records a click on `link` in a sent message: ClickLocation, Platform..."""
        self.process.control(
            "POST", "/__mock/clicks", {"MessageID": message_id, "OriginalLink": link, **fields}
        )


@pytest.fixture(scope="session")
def mock_process() -> Iterator[LocalMock]:
    with LocalMock() as process:
        yield process


@pytest.fixture(scope="session")
def reached() -> Set[Route]:
    """The (method, path) of every API request the mock saw this session."""
    return set()


@pytest.fixture
def mock(mock_process: LocalMock, reached: Set[Route]) -> Iterator[Mock]:
    mock = Mock(mock_process, reached)
    mock.reset()
    yield mock
    mock.record_requests()


@pytest.fixture
def server(mock: Mock) -> postmark_kit.ServerClient:
    # Short backoff: the retry tests wait for real.
    return postmark_kit.ServerClient(
        mock.server_token, base_url=mock.url, retry_base_delay=0.01, timeout=10
    )


@pytest.fixture
def account(mock: Mock) -> postmark_kit.AccountClient:
    return postmark_kit.AccountClient(
        mock.account_token, base_url=mock.url, retry_base_delay=0.01, timeout=10
    )


def closed_port_url() -> str:
    """A loopback URL nothing listens on: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose their tokens: the developer's must not leak in. A client
    made without a base URL goes to a closed loopback port, never to Postmark."""
    for name in ("POSTMARK_SERVER_TOKEN", "POSTMARK_ACCOUNT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("POSTMARK_API_URL", closed_port_url())


# --- coverage of the operation table ---------------------------------------------------------

#: The test file that calls every operation of the table.
TABLE_TESTS = ("test_every_operation.py",)


def matches(template: str, path: str) -> bool:
    """Whether `path` fills the table's path `template` (`/webhooks/{id}`)."""
    wanted, got = template.split("/"), path.split("/")
    return len(wanted) == len(got) and all(
        w == g or (w.startswith("{") and g != "") for w, g in zip(wanted, got)
    )


def ran_every_test_of(session: pytest.Session, module_name: str) -> bool:
    selected = [
        item for item in session.items
        if isinstance(item, pytest.Function) and item.path.name == module_name
    ]
    if not selected:
        return False
    module = selected[0].module
    defined = {
        name for name, value in vars(module).items()
        if name.startswith("test_") and inspect.isfunction(value)
        and value.__module__ == module.__name__
    }
    return defined <= {item.originalname for item in selected}


@pytest.fixture(scope="session", autouse=True)
def every_operation_reaches_the_mock(
    request: pytest.FixtureRequest, reached: Set[Route]
) -> Iterator[None]:
    """After the session: every operation of the table was sent to the mock at
    least once, by the request log rather than by test names. Checked when
    every test of TABLE_TESTS ran, which cover the table between them."""
    yield
    if not all(ran_every_test_of(request.session, name) for name in TABLE_TESTS):
        return
    missed = [
        op["name"] for op in postmark_kit.operations()
        if not any(m == op["method"] and matches(op["path"], p) for m, p in reached)
    ]
    assert missed == [], f"operations no test sent to the mock: {missed}"


# --- a scripted server for answers the mock cannot give --------------------------------------

#: What the scripted server answers: status, content type, body.
Answer = Tuple[int, str, bytes]


class Scripted:
    """A loopback HTTP server answering each GET with the next answer of its script."""

    def __init__(self) -> None:
        self.script: List[Answer] = []
        self.paths: List[str] = []
        scripted = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                scripted.paths.append(self.path)
                status, content_type, body = scripted.script.pop(0)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def answer(self, status: int, content_type: str, body: bytes) -> None:
        self.script.append((status, content_type, body))

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    server = Scripted()
    yield server
    server.close()
    assert server.script == [], "answers left unsent"
