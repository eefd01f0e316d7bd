"""Receiving webhooks: Postmark's documented payloads parsed into typed event
dicts, and the Basic-auth check."""

import base64
import json
from pathlib import Path
from typing import Any, Dict

import pytest

from postmark_kit import BasicAuth, WebhookError, check_basic_auth, parse_webhook

from conftest import REPO

EXAMPLES = REPO.parent / "shared" / "postmark-api" / "examples" / "webhooks"

RECORD_TYPES = {
    "bounce": "Bounce",
    "click": "Click",
    "delivery": "Delivery",
    "inbound": "Inbound",
    "open": "Open",
    "spam_complaint": "SpamComplaint",
    "subscription_change": "SubscriptionChange",
}


def example_files() -> list:
    files = sorted(EXAMPLES.glob("*.json"))
    assert files, f"no webhook examples in {EXAMPLES}"
    return files


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_documented_payloads_parse_to_their_record_type(path: Path) -> None:
    body = path.read_bytes()
    original: Dict[str, Any] = json.loads(body)
    event = parse_webhook(body)
    assert event["RecordType"] == RECORD_TYPES[path.name.split(".")[0]]
    # What the model keeps comes back as sent; absent optional fields come
    # back as None, and blank enum values read as None.
    clean = without_nulls(event)
    kept = {k: v for k, v in original.items() if k in clean}
    assert {k: clean[k] for k in kept} == kept
    assert len(kept) >= 5
    assert parse_webhook(body.decode()) == event


def test_fields_are_typed_values() -> None:
    bounce = parse_webhook((EXAMPLES / "bounce.docs.json").read_bytes())
    assert bounce["RecordType"] == "Bounce"
    assert bounce["ID"] == 4323372036854775807  # above 2**53: kept exactly
    assert bounce["Type"] == "HardBounce"
    assert bounce["Metadata"] == {"a_key": "a_value", "b_key": "b_value"}
    inbound = parse_webhook((EXAMPLES / "inbound.docs.json").read_bytes())
    assert inbound["RecordType"] == "Inbound"
    assert inbound["FromFull"]["Email"] == "support@postmarkapp.com"


def test_record_types_match_in_any_casing() -> None:
    event = parse_webhook(b'{"RecordType": "delivery", "Recipient": "a@example.com"}')
    assert event["RecordType"] == "Delivery"
    assert event.get("Recipient") == "a@example.com"


def test_unknown_events_come_back_whole() -> None:
    event = parse_webhook(b'{"RecordType": "Future", "Answer": 42}')
    assert event == {
        "RecordType": "Unknown",
        "UnknownRecordType": "Future",
        "Payload": {"RecordType": "Future", "Answer": 42},
    }
    event = parse_webhook(b'{"Answer": 42}')
    assert event["RecordType"] == "Unknown"
    assert event["UnknownRecordType"] is None


@pytest.mark.parametrize(
    "body, kind, path",
    [
        (b'{"RecordType": "Delivery"', "syntax", "."),
        (b"\xff", "syntax", "."),
        (b"[1, 2]", "not_an_object", "."),
        (b'{"RecordType": "Bounce", "ID": "seven"}', "invalid_payload", "ID"),
    ],
)
def test_bodies_that_are_not_events_raise(body: bytes, kind: str, path: str) -> None:
    with pytest.raises(WebhookError) as caught:
        parse_webhook(body)
    assert (caught.value.kind, caught.value.path) == (kind, path)
    assert isinstance(caught.value, ValueError)


def test_the_body_must_be_bytes_or_text() -> None:
    with pytest.raises(TypeError):
        parse_webhook(42)  # type: ignore[arg-type]


def basic(credentials: bytes) -> str:
    return "Basic " + base64.b64encode(credentials).decode()


def test_basic_auth() -> None:
    auth = BasicAuth("postmark", "pa:ss")
    assert auth.verify(basic(b"postmark:pa:ss"))
    assert auth.verify("  basic " + base64.b64encode(b"postmark:pa:ss").decode().rstrip("="))
    for wrong in [None, "", basic(b"postmark:pa:sX"), basic(b"postmar:pa:ss"),
                  "Bearer abc", "Basic %%%", basic(b"postmark:pa:ss:")]:
        assert not auth.verify(wrong), wrong
    assert check_basic_auth(basic(b"u:p"), "u", "p")
    assert not check_basic_auth(basic(b"u:p"), "u", "q")
    assert repr(auth) == "BasicAuth(username='postmark', password='****')"
