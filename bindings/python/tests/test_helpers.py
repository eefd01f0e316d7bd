"""The server clients' methods made of several calls, blocking and asyncio,
against the mock: ``send_email_batches`` past 500 messages, ``walk_windows``
past the 10,000-item cap, and the inactive recipients of a send, refused or
accepted, in every wording Postmark uses (tests/conformance)."""

import json
from typing import Any, Dict, List, cast

import pytest

import postmark_kit
from postmark_kit import types
from postmark_kit import (
    ApiError,
    InactiveRecipientError,
    InvalidParameterError,
    LimitExceededError,
    MissingFieldError,
    ServerClient,
    ServerError,
    inactive_recipients,
    parse_response,
)
from postmark_kit.aio import AsyncServerClient

from conftest import REPO, Mock
from test_aio import run, server_client
from test_operations import message

WORDINGS: List[Dict[str, Any]] = json.loads(
    (REPO / "tests" / "conformance" / "inactive_recipients.json").read_text()
)


def sent_paths(mock: Mock) -> List[str]:
    return [f'{r["method"]} {r["path"]}' for r in mock.requests()]


def many(count: int) -> List[types.SendEmail]:
    return [message(To=f"r{i}@example.com") for i in range(count)]


def check_1234_in_order(results: List[types.SendEmailResponse], mock: Mock) -> None:
    assert len(results) == 1234
    assert sent_paths(mock) == ["POST /email/batch"] * 3
    for i, result in enumerate(results):
        if i == 700:
            continue
        assert result["ErrorCode"] == 0, (i, result["Message"])
        assert str(result.get("To")).startswith(f"r{i}@example.com"), (i, result.get("To"))
    assert results[700]["ErrorCode"] == 406
    assert inactive_recipients(results[700]) == ["inactive@example.com"]
    assert inactive_recipients(results[1100]) == ["inactive@example.com"]
    assert inactive_recipients(results[1099]) == []
    assert len(mock.messages()) == 1233


def with_inactive(messages: List[types.SendEmail]) -> List[types.SendEmail]:
    """The mock's inactive address: refused alone, left out beside another."""
    messages[700] = message(To="inactive@example.com")
    messages[1100] = message(To="r1100@example.com, inactive@example.com")
    return messages


def test_1234_messages_go_out_as_3_batches_one_result_each(
    server: ServerClient, mock: Mock
) -> None:
    check_1234_in_order(server.send_email_batches(with_inactive(many(1234))), mock)


def test_1234_messages_go_out_as_3_batches_asyncio(mock: Mock) -> None:
    async def send() -> List[types.SendEmailResponse]:
        async with server_client(mock) as client:
            return await client.send_email_batches(with_inactive(many(1234)))

    check_1234_in_order(run(send), mock)


def test_a_refused_message_is_named_by_its_index_and_nothing_is_sent(
    server: ServerClient, mock: Mock
) -> None:
    oversized = many(600)
    oversized[555] = message(TextBody="x" * (10 * 1024 * 1024 + 1))
    missing = many(501)
    missing[500] = cast(types.SendEmail, {k: v for k, v in message().items() if k != "From"})

    async def refusals() -> List[BaseException]:
        async with server_client(mock) as client:
            caught: List[BaseException] = []
            for messages in (oversized, missing):
                with pytest.raises(postmark_kit.InvalidRequestError) as refused:
                    await client.send_email_batches(messages)
                caught.append(refused.value)
            return caught

    blocking: List[BaseException] = []
    for messages in (oversized, missing):
        with pytest.raises(postmark_kit.InvalidRequestError) as refused:
            server.send_email_batches(messages)
        blocking.append(refused.value)
    for errors in (blocking, run(refusals)):
        too_large, absent = errors
        assert isinstance(too_large, LimitExceededError)
        assert (too_large.kind, too_large.index) == ("payload_too_large", 555)
        assert isinstance(absent, MissingFieldError)
        assert (absent.kind, absent.field, absent.index) == ("missing_field", "From", 500)
    with pytest.raises(InvalidParameterError):
        server.send_email_batches({"not": "a list"})  # type: ignore[arg-type]
    assert server.send_email_batches([]) == []
    assert mock.requests() == []


def test_a_failure_after_a_batch_carries_the_results_until_then(
    server: ServerClient, mock: Mock
) -> None:
    quiet = ServerClient(mock.server_token, base_url=mock.url, max_attempts=1)
    messages = many(501)
    for client_run in ("blocking", "asyncio"):
        # The first batch is answered (after a short delay), the second meets a 500.
        mock.fault(kind="delay", ms=1, count=1, path="/email/batch")
        mock.fault(kind="status", status=500, count=1, path="/email/batch")
        if client_run == "blocking":
            with pytest.raises(ServerError) as stopped:
                quiet.send_email_batches(messages)
        else:
            async def send() -> None:
                async with server_client(mock, max_attempts=1) as client:
                    await client.send_email_batches(messages)

            with pytest.raises(ServerError) as stopped:
                run(send)
        assert stopped.value.status == 500
        sent = stopped.value.sent
        assert sent is not None
        assert [r["To"] for r in sent] == [m["To"] for m in messages[:500]]


def test_template_batches_go_out_wrapped(server: ServerClient, mock: Mock) -> None:
    mock.add_template("welcome", "Hi {{name}}", "<p>Hello {{name}}</p>")
    messages: List[types.SendEmailWithTemplate] = [
        {"From": "sender@example.com", "To": f"t{i}@example.com", "TemplateAlias": "welcome",
         "TemplateModel": {"name": f"n{i}"}}
        for i in range(501)
    ]
    results = server.send_email_batches_with_templates(messages)
    assert [r["To"] for r in results] == [m["To"] for m in messages]
    assert sent_paths(mock) == ["POST /email/batchWithTemplates"] * 2
    mock.clear_requests()

    async def send() -> List[types.SendEmailResponse]:
        async with server_client(mock) as client:
            return await client.send_email_batches_with_templates(messages[:3])

    assert [r["To"] for r in run(send)] == [m["To"] for m in messages[:3]]
    assert sent_paths(mock) == ["POST /email/batchWithTemplates"]
    subjects = {m["Recipients"][0]: m["Subject"] for m in mock.messages()}
    assert subjects["t500@example.com"] == "Hi n500"


def seed(mock: Mock, date: str, count: int) -> List[str]:
    answer = mock.process.control(
        "POST", "/__mock/stats/seed", {"Date": date, "Count": count, "Tag": "seeded"}
    )
    ids: List[str] = answer["MessageIDs"]
    return ids


def check_11000(walked: Any, seeded: List[str], mock: Mock) -> None:
    assert walked["truncated"] == []
    ids = [m["MessageID"] for m in walked["items"]]
    assert len(ids) == 11_000
    assert sorted(ids) == sorted(seeded)
    days = [m["ReceivedAt"][:10] for m in walked["items"]]
    assert days == sorted(days, reverse=True)
    requests = mock.requests()
    assert all(r["path"] == "/messages/outbound" for r in requests)
    assert any("todate=2026-01-06T" in r["query"] for r in requests), "the window was split"
    assert len(requests) < 40


def test_a_search_over_10000_messages_is_walked_whole(server: ServerClient, mock: Mock) -> None:
    seeded = [i for day in range(1, 12) for i in seed(mock, f"2026-01-{day:02}", 1000)]
    seed(mock, "2026-01-12", 5)
    mock.clear_requests()
    # One walk stops at the cap.
    capped = server.search_outbound_messages_all(
        tag="seeded", fromdate="2026-01-01", todate="2026-01-11"
    )
    assert sum(1 for _ in capped) == 10_000
    mock.clear_requests()
    check_11000(
        server.walk_windows("search_outbound_messages", "2026-01-01", "2026-01-11", tag="seeded"),
        seeded, mock,
    )
    mock.clear_requests()

    async def walk() -> Any:
        async with server_client(mock) as client:
            return await client.walk_windows(
                "search_outbound_messages", "2026-01-01", "2026-01-11", {"tag": "seeded"}
            )

    check_11000(run(walk), seeded, mock)


def test_a_window_under_the_cap_is_one_walk_and_bad_searches_are_refused(
    server: ServerClient, mock: Mock
) -> None:
    for email in ("a@example.com", "b@example.com"):
        mock.add_bounce(email, BouncedAt="2026-02-03T10:00:00.0000000-05:00")
    mock.clear_requests()
    expected_query = "count=500&offset=0&fromdate=2026-02-01T00%3A00%3A00&todate=2026-02-28T23%3A59%3A59"
    walked = server.walk_windows("list_bounces", "2026-02-01", "2026-02-28")
    assert [b["Email"] for b in walked["items"]] == ["b@example.com", "a@example.com"]
    assert [r["query"] for r in mock.requests()] == [expected_query]
    mock.clear_requests()

    async def walk() -> Any:
        async with server_client(mock) as client:
            return await client.walk_windows("list_bounces", "2026-02-01", "2026-02-28")

    assert [b["Email"] for b in run(walk)["items"]] == ["b@example.com", "a@example.com"]
    assert [r["query"] for r in mock.requests()] == [expected_query]
    mock.clear_requests()
    with pytest.raises(InvalidParameterError) as bad_date:
        server.walk_windows("list_bounces", "2026-02-30", "2026-03-01")
    assert (bad_date.value.kind, bad_date.value.field) == ("invalid_value", "fromdate")
    with pytest.raises(InvalidParameterError) as not_capped:
        server.walk_windows("list_templates", "2026-02-01", "2026-03-01")  # type: ignore[arg-type]
    assert not_capped.value.kind == "invalid_params"
    with pytest.raises(InvalidParameterError):
        postmark_kit._native.DateWindows("list_templates", "2026-02-01", "2026-03-01")
    assert mock.requests() == []


def test_every_inactive_wording_refused_with_406_and_accepted_with_0() -> None:
    assert len(WORDINGS) >= 10
    for wording in WORDINGS:
        text, addresses = wording["message"], wording["addresses"]
        refusal = json.dumps({"ErrorCode": 406, "Message": text})
        with pytest.raises(InactiveRecipientError) as refused:
            parse_response("send_email", 422, None, refusal)
        assert refused.value.inactive_recipients == addresses, text
        assert inactive_recipients(refused.value) == addresses, text
        accepted = parse_response(
            "send_email", 200, None,
            json.dumps({"To": "a@example.com", "MessageID": "m", "ErrorCode": 0, "Message": text}),
        )
        assert inactive_recipients(accepted) == addresses, text
        # In a batch's answer, a message refused with 406 names them as well.
        assert inactive_recipients({"ErrorCode": 406, "Message": text}) == addresses, text
    # Another refusal names none, whatever its words.
    other = {"ErrorCode": 300, "Message": "Found inactive addresses: f@example.com."}
    assert inactive_recipients(other) == []


def test_inactive_recipients_from_the_mock(server: ServerClient, mock: Mock) -> None:
    with pytest.raises(InactiveRecipientError) as refused:
        server.send_email(message(To="inactive@example.com"))
    assert refused.value.inactive_recipients == ["inactive@example.com"]
    accepted = server.send_email(message(To="ok@example.com, inactive@example.com"))
    assert accepted["ErrorCode"] == 0
    assert inactive_recipients(accepted) == ["inactive@example.com"]
    assert inactive_recipients(server.send_email(message())) == []
    with pytest.raises(ApiError) as missing:
        server.get_bounce(id=404404)
    assert missing.value.inactive_recipients == []

    async def refuse() -> None:
        async with server_client(mock) as client:
            await client.send_email(message(To="inactive@example.com"))

    with pytest.raises(InactiveRecipientError) as refused_async:
        run(refuse)
    assert refused_async.value.inactive_recipients == ["inactive@example.com"]


def test_the_helpers_are_in_both_clients() -> None:
    for name in ("send_email_batches", "send_email_batches_with_templates", "walk_windows"):
        assert callable(getattr(ServerClient, name))
        assert callable(getattr(AsyncServerClient, name))
