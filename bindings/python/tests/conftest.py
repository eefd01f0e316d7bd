"""Fixtures: one `postmark-mock` process for the session, reset before each
test, and clients pointed at it."""

import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples" / "python"
sys.path.insert(0, str(EXAMPLES))

from local_mock import LocalMock  # noqa: E402

import postmark_kit  # noqa: E402


class Mock:
    """The running mock and its control routes."""

    def __init__(self, process: LocalMock) -> None:
        self.process = process
        self.url = process.url
        self.server_token = process.server_token
        self.account_token = process.account_token

    def reset(self) -> None:
        self.process.control("POST", "/__mock/reset")

    def fault(self, **fault: Any) -> None:
        """Queues a fault: kind="status"|"delay"|"drop", count, path, status, retry_after, ms."""
        self.process.control("POST", "/__mock/faults", fault)

    def requests(self) -> List[Dict[str, Any]]:
        seen: List[Dict[str, Any]] = self.process.control("GET", "/__mock/requests")
        return seen

    def messages(self) -> List[Dict[str, Any]]:
        sent: List[Dict[str, Any]] = self.process.control("GET", "/__mock/messages")
        return sent

    def suppress(self, email: str) -> None:
        self.process.control("POST", "/__mock/suppressions", {"EmailAddress": email})

    def add_template(self, alias: str, subject: str, html: str) -> int:
        template = self.process.control(
            "POST", "/__mock/templates", {"Alias": alias, "Subject": subject, "HtmlBody": html}
        )
        template_id: int = template["TemplateId"]
        return template_id


@pytest.fixture(scope="session")
def mock_process() -> Iterator[LocalMock]:
    with LocalMock() as process:
        yield process


@pytest.fixture
def mock(mock_process: LocalMock) -> Mock:
    mock = Mock(mock_process)
    mock.reset()
    return mock


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


@pytest.fixture(autouse=True)
def no_environment_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose their tokens and URL; the developer's environment must not leak in."""
    for name in ("POSTMARK_SERVER_TOKEN", "POSTMARK_ACCOUNT_TOKEN", "POSTMARK_API_URL"):
        monkeypatch.delenv(name, raising=False)
