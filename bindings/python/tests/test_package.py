"""The installed wheel: what it is, that its stub matches it, that its
examples run and type-check, and that the stubs catch mistakes."""

import ast
import importlib.metadata
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, Set

import pytest

import postmark_kit
from postmark_kit import _native

from conftest import EXAMPLES

PACKAGE = Path(postmark_kit.__file__).parent


def test_the_installed_wheel_is_tested() -> None:
    assert "site-packages" in PACKAGE.parts, PACKAGE
    assert Path(_native.__file__).name == "_native.abi3.so"
    wheel = importlib.metadata.distribution("postmark-kit").read_text("WHEEL") or ""
    tags = [line.split(": ", 1)[1] for line in wheel.splitlines() if line.startswith("Tag: ")]
    assert len(tags) == 1 and tags[0].startswith("cp39-abi3-"), tags
    assert postmark_kit.__version__ == importlib.metadata.version("postmark-kit")
    for shipped in ("py.typed", "_native.pyi", "types.py", "errors.py"):
        assert (PACKAGE / shipped).is_file(), shipped


def stub_members() -> Dict[str, Set[str]]:
    tree = ast.parse((PACKAGE / "_native.pyi").read_text())
    members: Dict[str, Set[str]] = {"": set()}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            members[node.name] = {
                item.name for item in node.body
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("__")
            }
            members[""].add(node.name)
        elif isinstance(node, ast.FunctionDef):
            members[""].add(node.name)
    return members


def test_the_stub_declares_exactly_what_the_module_has() -> None:
    stub = stub_members()
    public = {name for name in vars(_native) if not name.startswith("_")}
    assert stub[""] - {"_Operation"} == public
    for name in public:
        item = getattr(_native, name)
        if isinstance(item, type):
            runtime = {m for m in dir(item) if not m.startswith("__")}
            assert stub[name] == runtime, name


def run_example(name: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTMARK_") or k == "POSTMARK_MOCK_BIN"}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_quickstart_runs_against_a_mock_it_starts() -> None:
    out = run_example("quickstart.py")
    assert "no POSTMARK_* token set: using a local mock server" in out
    assert "email accepted: MessageID" in out
    assert "message 1: rejected: ErrorCode 300 (INVALID_EMAIL_REQUEST)" in out
    assert "webhook 1 created for https://example.com/postmark-webhook" in out
    assert "  1: Default Server" in out and "  2: postmark-kit quickstart" in out


def test_the_webhook_receiver_runs() -> None:
    out = run_example("webhook_receiver.py")
    assert "handled: bounce (HardBounce) for jane@example.com" in out
    assert "handled: inbound mail from alice@example.com: Re: hello" in out
    assert "handled: an event this version does not know: SomethingNew" in out
    assert "POST without credentials: 401" in out


def mypy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, *args],
        capture_output=True, text=True, timeout=300, cwd=EXAMPLES,
    )


def test_the_examples_pass_mypy_strict() -> None:
    done = mypy(".")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout


def test_the_stubs_catch_mistakes(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.py"
    lines = {
        "misspelt keyword": 'client.send_email(From="a@x.com", To="b@x.com", Subjct="x")',
        "wrong value type": 'client.send_email(From=1, To="b@x.com")',
        "missing required key": 'client.send_email(To="b@x.com")',
        "account operation on a server client": "client.get_server(id=1)",
        "unknown response key": 'print(client.get_current_server()["Nmae"])',
        "item of a walk": 'print(account.list_servers_all()[0])',
        "narrowed event": 'event = parse_webhook(b"")\nif event["RecordType"] == "Open":\n    print(event["Email"])',
    }
    source = textwrap.dedent("""\
        from postmark_kit import AccountClient, ServerClient, parse_webhook
        client = ServerClient("t")
        account = AccountClient("t")
    """)
    expected: Dict[int, str] = {}
    for what, line in lines.items():
        source += line + "\n"
        expected[source.count("\n")] = what
    wrong.write_text(source)
    done = mypy(str(wrong))
    assert done.returncode == 1
    flagged = {int(line.split(":")[1]) for line in done.stdout.splitlines() if ": error:" in line}
    missed = {what for number, what in expected.items() if number not in flagged}
    assert missed == set(), done.stdout
