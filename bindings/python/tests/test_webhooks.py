"""Receiving webhooks: Postmark's documented payloads parsed into typed event
dicts, and the Basic-auth check."""

import base64
import io
import json
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import pytest

import ipaddress

from postmark_kit import (
    MAX_WEBHOOK_BODY_BYTES,
    BasicAuth,
    WebhookError,
    check_basic_auth,
    is_postmark_webhook_ip,
    parse_webhook,
    read_webhook_body,
)

from conftest import REPO

EXAMPLES = REPO / "tests" / "fixtures" / "postmark" / "webhooks"

RECORD_TYPES = {
    "bounce": "Bounce",
    "click": "Click",
    "delivery": "Delivery",
    "inbound": "Inbound",
    "open": "Open",
    "spam_complaint": "SpamComplaint",
    "subscription_change": "SubscriptionChange",
}


def example_files() -> List[Path]:
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
    assert inbound["FromFull"] is not None
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
    for wrong in (42, None, [b"{}"]):
        with pytest.raises(TypeError, match="bytes, bytearray, memoryview or str"):
            parse_webhook(wrong)  # type: ignore[arg-type]


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


# --- what the web frameworks hand a handler --------------------------------------------------

BODY = b'{"RecordType": "Delivery", "Recipient": "a@example.com"}'
AUTH = BasicAuth("postmark", "s3cret")
GOOD = basic(b"postmark:s3cret")

#: What a handler gets: the body, and the Authorization header value (None when absent).
Received = Tuple[Union[bytes, bytearray, memoryview, str], Union[str, bytes, None]]


def wsgi_environ(authorization: Optional[str]) -> Dict[str, Any]:
    """What a WSGI server gives Flask and Django: header values are str (the
    bytes read as Latin-1, PEP 3333), the body a stream of bytes."""
    environ: Dict[str, Any] = {"wsgi.input": io.BytesIO(BODY), "CONTENT_LENGTH": str(len(BODY))}
    if authorization is not None:
        environ["HTTP_AUTHORIZATION"] = authorization
    return environ


def flask(authorization: Optional[str]) -> Received:
    # request.get_data() reads the stream; request.headers.get("Authorization")
    # reads the environ.
    environ = wsgi_environ(authorization)
    body: bytes = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
    return body, environ.get("HTTP_AUTHORIZATION")


def django(authorization: Optional[str]) -> Received:
    # request.body is the stream read whole; request.META is the environ.
    meta = wsgi_environ(authorization)
    body: bytes = meta["wsgi.input"].read()
    return body, meta.get("HTTP_AUTHORIZATION")


def asgi_scope(authorization: Optional[str]) -> List[Tuple[bytes, bytes]]:
    """ASGI headers: lower-case names and values as bytes."""
    return [] if authorization is None else [(b"authorization", authorization.encode("latin-1"))]


def starlette(authorization: Optional[str]) -> Received:
    # FastAPI's and Starlette's `await request.body()` joins the ASGI body
    # chunks into bytes; `request.headers.get("authorization")` decodes the
    # header bytes as Latin-1.
    chunks = [BODY[:10], BODY[10:]]
    headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in asgi_scope(authorization)}
    return b"".join(chunks), headers.get("authorization")


def raw_asgi(authorization: Optional[str]) -> Received:
    # A bare ASGI app: body chunks gathered in a bytearray, header bytes as sent.
    body = bytearray()
    for chunk in (BODY[:10], BODY[10:]):
        body += chunk
    return body, dict(asgi_scope(authorization)).get(b"authorization")


def buffered(authorization: Optional[str]) -> Received:
    # A zero-copy view of a receive buffer, and the header as text.
    return memoryview(b"...." + BODY)[4:], authorization


FRAMEWORKS: Dict[str, Callable[[Optional[str]], Received]] = {
    "flask": flask, "django": django, "starlette": starlette,
    "raw-asgi": raw_asgi, "memoryview": buffered,
}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_what_frameworks_hand_over_is_read_as_it_comes(framework: str) -> None:
    receive = FRAMEWORKS[framework]
    body, authorization = receive(GOOD)
    assert type(body) is {"raw-asgi": bytearray, "memoryview": memoryview}.get(framework, bytes)
    assert type(authorization) is (bytes if framework == "raw-asgi" else str)
    assert AUTH.verify(authorization)
    assert check_basic_auth(authorization, "postmark", "s3cret")
    event = parse_webhook(body)
    assert event == parse_webhook(BODY)
    assert event["RecordType"] == "Delivery"
    assert event.get("Recipient") == "a@example.com"
    # No header, or the wrong one, as the framework hands it over.
    assert not AUTH.verify(receive(None)[1])
    assert not AUTH.verify(receive(basic(b"postmark:wrong"))[1])


def test_header_bytes_that_are_not_ascii_are_not_credentials() -> None:
    assert not AUTH.verify(b"Basic \xff\xfe")
    assert not check_basic_auth(b"\xc3\xa9", "postmark", "s3cret")
    with pytest.raises(TypeError, match="str, bytes or None"):
        AUTH.verify(42)  # type: ignore[arg-type]


def test_postmarks_webhook_addresses_are_known_also_as_ipv4_on_an_ipv6_socket() -> None:
    assert is_postmark_webhook_ip("50.31.156.6")
    assert is_postmark_webhook_ip("::ffff:3.134.147.250")
    assert is_postmark_webhook_ip(ipaddress.ip_address("18.217.206.57"))
    for other in ["50.31.156.7", "127.0.0.1", "::1", "not an address", "", None, 50]:
        assert not is_postmark_webhook_ip(other), other


class Chunked(io.RawIOBase):
    """A stream that answers at most `size` bytes a read, and counts what it handed out."""

    def __init__(self, body: bytes, size: int) -> None:
        self.body, self.size, self.handed = body, size, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        chunk = self.body[self.handed : self.handed + min(n, self.size)]
        self.handed += len(chunk)
        return chunk


def test_a_webhook_body_is_read_up_to_its_limit_and_no_further() -> None:
    event = b'{"RecordType": "Delivery", "MessageID": "m-1"}'
    assert read_webhook_body(Chunked(event, 7), limit=len(event)) == event
    assert parse_webhook(read_webhook_body(io.BytesIO(event)))["RecordType"] == "Delivery"
    # Past the limit by a byte: refused, having read one byte past it.
    stream = Chunked(b"x" * 100, 7)
    with pytest.raises(WebhookError) as refused:
        read_webhook_body(stream, limit=20)
    assert (refused.value.kind, str(refused.value)) == ("too_large", "the webhook body is over 20 bytes")
    assert stream.handed == 21
    # A Content-Length over the limit is refused before a byte is read; one
    # under it bounds the reading, as what follows is not this body.
    stream = Chunked(b"x" * 100, 7)
    with pytest.raises(WebhookError, match="over 52428800 bytes"):
        read_webhook_body(stream, content_length=MAX_WEBHOOK_BODY_BYTES + 1)
    assert stream.handed == 0
    assert read_webhook_body(Chunked(b"x" * 100, 7), content_length=10) == b"x" * 10


def test_a_stream_that_fails_raises_as_it_did() -> None:
    class Broken(io.RawIOBase):
        def read(self, n: int = -1) -> bytes:
            raise ConnectionResetError("the client went away")

    with pytest.raises(ConnectionResetError, match="went away"):
        read_webhook_body(Broken())
    # As `json.load` does with what is not a stream.
    with pytest.raises(AttributeError, match="read"):
        read_webhook_body(object())
