"""The three automation examples (examples/python), run as a user would,
offline against the mock each starts: what they print is what they did."""

import os
import re
import subprocess
import sys

from conftest import EXAMPLES


def run_example_with(name: str, *args: str) -> str:
    """Runs an example with arguments, without the caller's POSTMARK_* tokens."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTMARK_") or k == "POSTMARK_MOCK_BIN"}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args], env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_provision_server_creates_a_server_and_sends_with_its_token() -> None:
    out = run_example_with("provision_server.py", "qa")
    assert "no POSTMARK_ACCOUNT_TOKEN set: using a local mock server" in out
    created = re.search(r'server (\d+) "qa \(\d+\)" created; its token (\S+) is', out)
    assert created is not None, out
    assert created.group(1) == "2"  # the mock's default server is 1
    assert len(created.group(2)) == 5 and created.group(2).endswith("…"), "the token is masked"
    assert re.search(r"first message sent with the new token: MessageID [0-9a-f-]{36}", out), out


def test_confirm_sender_polls_until_the_mock_confirms() -> None:
    out = run_example_with("confirm_sender.py", "ops@example.com", "--resend")
    lines = out.splitlines()
    assert "sender signature 1 for ops@example.com created; confirmed: false" in lines
    assert "confirmation email sent again" in lines
    assert [line.split(":")[0] for line in lines if line.startswith("poll ")] == ["poll 1", "poll 2"]
    assert lines[-1] == "confirmed after 3 polls"


def test_audit_webhooks_prints_one_table_and_deletes_everywhere() -> None:
    out = run_example_with("audit_webhooks.py", "--delete", "https://OLD.example.com/hook/")
    rows = [line.split() for line in out.splitlines() if line.startswith(("shop ", "blog "))]
    every = "Open,Click,Delivery,Bounce,SpamComplaint,SubscriptionChange"
    assert rows[:4] == [
        ["shop", "https://old.example.com/hook", every],
        ["shop", "https://shop.example.com/events", every],
        ["blog", "https://old.example.com/hook", every],
        ["blog", "https://blog.example.com/events", every],
    ]
    assert "deleted 2 webhooks pointing at https://OLD.example.com/hook/" in out
    assert "4 webhooks" in out
    # The example's second audit, after the deletion, lists the servers' own URLs only.
    assert [row[1] for row in rows[4:]] == [
        "https://shop.example.com/events", "https://blog.example.com/events"
    ]
