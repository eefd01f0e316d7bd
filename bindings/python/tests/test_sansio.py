"""`build_request` and `parse_response`: the core without its transport, for
callers who send requests their own way (here: the example's urllib, against
the mock)."""

import email.message
import json
from typing import Any, List, Tuple

import pytest

from postmark_kit import (
    ConfigurationError,
    DecodeError,
    InactiveRecipientError,
    InvalidParameterError,
    LimitExceededError,
    MissingFieldError,
    UnavailableError,
    build_request,
    parse_response,
)
from sansio_asyncio import send  # the example's urllib transport

from conftest import Mock
from test_operations import message


def test_a_send_built_sent_and_parsed(mock: Mock) -> None:
    request = build_request("send_email", message(), token=mock.server_token, base_url=mock.url)
    assert (request["method"], request["url"]) == ("POST", mock.url + "/email")
    assert request["headers"]["x-postmark-server-token"] == mock.server_token
    assert request["headers"]["content-type"] == "application/json"
    assert request["headers"]["accept"] == "application/json"
    assert request["body"] is not None and json.loads(request["body"]) == message()
    assert request["idempotent"] is False
    sent = parse_response("send_email", *send(request))
    assert (sent["ErrorCode"], sent["To"]) == (0, "receiver@example.com")
    assert [m["MessageID"] for m in mock.messages()] == [sent["MessageID"]]


def test_the_token_goes_in_the_header_of_the_operations_kind(mock: Mock) -> None:
    request = build_request("get_server", {"id": 1}, token=mock.account_token, base_url=mock.url)
    assert request["url"] == mock.url + "/servers/1"
    assert request["headers"]["x-postmark-account-token"] == mock.account_token
    assert "x-postmark-server-token" not in request["headers"]
    assert (request["body"], request["idempotent"]) == (None, True)
    assert "content-type" not in request["headers"]
    assert parse_response("get_server", *send(request))["Name"] == "Default Server"
    listed = build_request("list_servers", {"count": 20, "name": "a b"}, token="t")
    assert listed["url"] == "https://api.postmarkapp.com/servers?count=20&offset=0&name=a+b"


def test_raw_takes_any_path_with_the_token_kind_asked_for(mock: Mock) -> None:
    request = build_request(
        "raw", {"method": "get", "path": "/servers", "query": {"count": 1, "offset": 0}},
        token=mock.account_token, token_kind="account", base_url=mock.url,
        user_agent="my-app/1.0",
    )
    assert request["url"] == mock.url + "/servers?count=1&offset=0"
    assert request["headers"]["x-postmark-account-token"] == mock.account_token
    assert request["headers"]["user-agent"] == "my-app/1.0"
    assert parse_response("raw", *send(request))["TotalCount"] == 1
    default = build_request("raw", {"method": "GET", "path": "/server"}, token="t")
    assert "x-postmark-server-token" in default["headers"]
    assert mock.requests()[-1]["token"] == "account"


def test_what_a_client_would_refuse_is_refused() -> None:
    with pytest.raises(MissingFieldError) as missing:
        build_request("send_email", message(From=""), token="t")
    assert (missing.value.kind, missing.value.field) == ("missing_field", "From")
    with pytest.raises(LimitExceededError) as batch:
        build_request("send_email_batch", [message()] * 501, token="t")
    assert (batch.value.actual, batch.value.limit) == (501, 500)
    with pytest.raises(InvalidParameterError) as unknown:
        build_request("send_mail", message(), token="t")
    assert (unknown.value.kind, unknown.value.operation) == ("unknown_operation", "send_mail")
    with pytest.raises(InvalidParameterError) as wrong_kind:
        build_request("send_email", message(), token="t", token_kind="account")
    assert wrong_kind.value.kind == "wrong_token_kind"


def test_bad_settings_are_configuration_errors() -> None:
    cases: List[Tuple[Any, str]] = [
        (dict(token=""), "missing_field"),
        (dict(token="t", base_url="ftp://example.com"), "invalid_base_url"),
        (dict(token="t", user_agent="bad\nagent"), "invalid_header_value"),
        (dict(token="t", token_kind="root"), "invalid_options"),
    ]
    for settings, kind in cases:
        with pytest.raises(ConfigurationError) as caught:
            build_request("raw", {"method": "GET", "path": "/server"}, **settings)
        assert caught.value.kind == kind, settings


def test_errors_are_the_clients_exceptions() -> None:
    headers = {"X-Request-Id": "req-9", "Retry-After": "3"}
    with pytest.raises(InactiveRecipientError) as inactive:
        parse_response("send_email", 422, headers, '{"ErrorCode": 406, "Message": "Inactive"}')
    error = inactive.value
    assert (error.status, error.error_code, error.error_name, error.message) == (
        422, 406, "INACTIVE_RECIPIENT", "Inactive",
    )
    assert (error.request_id, error.retry_after) == ("req-9", 3)
    with pytest.raises(UnavailableError) as down:
        parse_response("get_current_server", 503, [(b"retry-after", b"5")], b"<html>down</html>")
    assert (down.value.retry_after, down.value.body, down.value.error_code) == (
        5, "<html>down</html>", None,
    )
    with pytest.raises(DecodeError) as decode:
        parse_response("list_servers", 200, None, b'{"TotalCount": "many"}')
    assert (decode.value.kind, decode.value.path) == ("decode", "TotalCount")


def test_headers_and_bodies_come_in_any_common_form() -> None:
    body = '{"ID": 3, "Name": "A", "Color": "purple", "NewField": 1}'
    message_headers = email.message.Message()  # what urllib's responses carry
    message_headers["X-Request-Id"] = "req-1"
    forms: List[Tuple[Any, Any]] = [
        ({"Content-Type": "application/json"}, body),
        ([("content-type", "application/json")], body.encode()),
        ([(b"content-type", b"application/json")], bytearray(body.encode())),
        (message_headers, memoryview(body.encode())),
        (None, body),
    ]
    for headers, payload in forms:
        server = parse_response("get_server", 200, headers, payload)
        # Unknown fields are kept, enums take their documented spelling.
        assert (server["ID"], server.get("Color"), server.get("NewField")) == (3, "Purple", 1)
    assert parse_response("raw", 200, None, None) is None
    assert parse_response("raw", 200, {}, "") is None


def test_arguments_that_are_not_a_response_are_refused() -> None:
    for status in (1000, -1, 99):
        with pytest.raises(ValueError, match="not an HTTP status"):
            parse_response("raw", status, None, "")
    with pytest.raises(TypeError, match="bytes, bytearray, memoryview, str or None"):
        parse_response("raw", 200, None, 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str or bytes"):
        parse_response("raw", 200, [("x-count", 1)], "")  # type: ignore[list-item]
    with pytest.raises(InvalidParameterError) as unknown:
        parse_response("send_mail", 200, None, "{}")
    assert unknown.value.kind == "unknown_operation"


def test_a_batch_repeating_one_body_is_written_whole_each_time() -> None:
    # Long strings repeated as one object are copied from where they were first
    # written; the request must read back as the batch, escapes and all.
    body = 'He said "hi"\n\u00e9\u4e2d ' * 20
    batch: List[Any] = [
        {"From": "a@example.com", "To": f"r{i}@example.com", "Subject": "s",
         "HtmlBody": body, "TextBody": body if i % 2 else body + "!"}
        for i in range(5)
    ]
    sent = build_request("send_email_batch", batch, token="t")["body"]
    assert json.loads(sent or b"") == batch
