"""A local Postmark mock for the examples (and the Python tests): the
`postmark-mock` binary of this repository, started on a free loopback port.

It is found through $POSTMARK_MOCK_BIN, else in the Cargo target folder
($CARGO_TARGET_DIR or target/, debug or release build), else run with
`cargo run -p postmark-kit-mock`.
"""

import json
import os
import signal
import subprocess
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any, Dict, List, Optional, Type

REPO = Path(__file__).resolve().parents[2]


def mock_command() -> List[str]:
    explicit = os.environ.get("POSTMARK_MOCK_BIN")
    if explicit:
        return [explicit]
    target = REPO / os.environ.get("CARGO_TARGET_DIR", "target")
    for profile in ("debug", "release"):
        binary = target / profile / "postmark-mock"
        if binary.is_file():
            return [str(binary)]
    return ["cargo", "run", "--quiet", "--package", "postmark-kit-mock", "--"]


class LocalMock:
    """A running mock: `url`, `server_token`, `account_token`, and `control()`
    for its test routes (/__mock/faults, /__mock/requests...). Stop it with
    `close()` or use it as a context manager."""

    def __init__(self) -> None:
        # A session of its own, so that closing stops `cargo run` and the mock alike.
        self._process = subprocess.Popen(
            mock_command(),
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert self._process.stdout is not None
        printed: Dict[str, str] = {}
        while len(printed) < 3:
            line = self._process.stdout.readline()
            if not line:
                self.close()
                raise RuntimeError("postmark-mock exited before printing its address")
            key, _, value = line.strip().partition("=")
            printed[key] = value
        self.url = printed["url"]
        self.server_token = printed["server_token"]
        self.account_token = printed["account_token"]

    def control(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        """Calls a control route (`/__mock/...`) and returns its JSON answer."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def close(self) -> None:
        if self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def __enter__(self) -> "LocalMock":
        return self

    def __exit__(
        self,
        kind: Optional[Type[BaseException]],
        error: Optional[BaseException],
        trace: Optional[TracebackType],
    ) -> None:
        self.close()
