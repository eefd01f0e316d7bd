"""The webhook examples in the frameworks people use, through each
framework's own test client: events are handled, typed by RecordType; bad
credentials get 401 and a body that is not an event 400, never a 500."""

import base64
from typing import Callable, Dict, List, Optional

import pytest
from fastapi.testclient import TestClient

import webhook_fastapi
import webhook_flask
from webhook_receiver import GOOD_AUTHORIZATION, SAMPLE_EVENTS

from test_package import run_example

#: Posts a body with an Authorization header (None: without one); the status.
Post = Callable[[bytes, Optional[str]], int]


def fastapi_post(body: bytes, authorization: Optional[str]) -> int:
    # Server errors come back as 500s instead of being raised in the test.
    client = TestClient(webhook_fastapi.app, raise_server_exceptions=False)
    headers: Dict[str, str] = {} if authorization is None else {"Authorization": authorization}
    return client.post("/postmark", content=body, headers=headers).status_code


def flask_post(body: bytes, authorization: Optional[str]) -> int:
    headers: Dict[str, str] = {} if authorization is None else {"Authorization": authorization}
    return webhook_flask.app.test_client().post("/postmark", data=body, headers=headers).status_code


POSTS: Dict[str, Post] = {"fastapi": fastapi_post, "flask": flask_post}


@pytest.mark.parametrize("post", POSTS.values(), ids=POSTS.keys())
def test_events_are_handled_by_record_type(post: Post, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert [post(json.dumps(event).encode(), GOOD_AUTHORIZATION) for event in SAMPLE_EVENTS] == [200] * 4
    handled = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert handled == [
        "handled: delivered to john@example.com at 2026-01-01T10:00:00Z",
        "handled: bounce (HardBounce) for jane@example.com",
        "handled: inbound mail from alice@example.com: Re: hello",
        "handled: an event this version does not know: SomethingNew",
    ]


def basic(credentials: bytes) -> str:
    return "Basic " + base64.b64encode(credentials).decode()


BAD_CREDENTIALS: List[Optional[str]] = [
    None, "", basic(b"postmark:wrong"), basic(b"someone:s3cret"), "Bearer s3cret", "Basic %%%",
    basic("postmark:s3crét".encode()),
]
BAD_BODIES: List[bytes] = [
    b"", b"not json", b"[]", b"42", b'{"RecordType": "Bounce", "ID": "forty-two"}',
    b'{"RecordType": "Delivery", "Recipient": 7}', b"\xff\xfe{",
]


@pytest.mark.parametrize("post", POSTS.values(), ids=POSTS.keys())
def test_bad_credentials_get_401_whatever_the_body(post: Post) -> None:
    body = b'{"RecordType": "Delivery", "Recipient": "a@example.com"}'
    assert [post(body, authorization) for authorization in BAD_CREDENTIALS] == [401] * len(
        BAD_CREDENTIALS
    )
    assert [post(b"not json", authorization) for authorization in BAD_CREDENTIALS[:2]] == [401] * 2


@pytest.mark.parametrize("post", POSTS.values(), ids=POSTS.keys())
def test_a_body_that_is_not_an_event_gets_400(post: Post) -> None:
    assert [post(body, GOOD_AUTHORIZATION) for body in BAD_BODIES] == [400] * len(BAD_BODIES)


@pytest.mark.parametrize("example", ["webhook_fastapi.py", "webhook_flask.py"])
def test_the_framework_examples_run(example: str) -> None:
    out = run_example(example)
    assert "handled: bounce (HardBounce) for jane@example.com" in out
    assert "POST Bounce: 200" in out
    assert "POST without credentials: 401" in out
    assert "POST a body that is not JSON: 400" in out


def test_flask_refuses_a_body_larger_than_any_postmark_sends_by_its_length() -> None:
    from postmark_kit import MAX_WEBHOOK_BODY_BYTES

    body = b" " * (MAX_WEBHOOK_BODY_BYTES + 1)
    assert flask_post(body, GOOD_AUTHORIZATION) == 413
