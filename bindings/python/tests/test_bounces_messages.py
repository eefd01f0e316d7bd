"""The Bounces and Messages groups against the mock: every operation called
through its generated method, with keyword arguments and with one dict, the
paged lists walked, and each refusal checked, Postmark's by its ErrorCode and
the client's before anything is sent. The bounces, received messages, opens
and clicks are seeded through the mock's control routes (see the conftest)."""

from typing import Any, Callable, Dict, List, Optional, Tuple, Type

import pytest

from postmark_kit import (
    ApiError,
    InactiveRecipientError,
    InvalidParameterError,
    InvalidRequestError,
    LimitExceededError,
    MissingFieldError,
    Pages,
    ServerClient,
)

from conftest import Mock
from test_errors import raises
from test_operations import message


def queries(mock: Mock, path: str) -> List[str]:
    """The query strings of the requests sent to `path`, in order."""
    return [r["query"] for r in mock.requests() if r["path"] == path]


def refusal(call: Callable[[], object]) -> Tuple[int, str, Optional[int], Optional[str]]:
    """Status, kind, ErrorCode and its name of Postmark's refusal of `call`:
    a 422 with an ErrorCode of its own raises ApiError, none of its subclasses."""
    error = raises(ApiError, call)
    assert type(error) is ApiError
    return (error.status, error.kind, error.error_code, error.error_name)


def send(server: ServerClient, to: str, **changes: Any) -> str:
    """Sends `message()` to `to` and returns its MessageID."""
    message_id = server.send_email(message(To=to, **changes)).get("MessageID")
    assert message_id is not None
    return message_id


# --- bounces -----------------------------------------------------------------------------


def test_get_delivery_stats(server: ServerClient, mock: Mock) -> None:
    mock.add_bounce("a@example.com", Type="SoftBounce")
    mock.add_bounce("b@example.com", Type="SoftBounce")
    mock.add_bounce("c@example.org", Type="SpamComplaint")
    stats = server.get_delivery_stats()
    # The seeded HardBounce of inactive@example.com and the complaint deactivated
    # their recipients; soft bounces do not.
    assert stats["InactiveMails"] == 2
    assert [(b.get("Type"), b["Name"], b["Count"]) for b in stats["Bounces"]] == [
        (None, "All", 4),
        ("HardBounce", "Hard bounce", 1),
        ("SoftBounce", "Soft bounce", 2),
        ("SpamComplaint", "Spam complaint", 1),
    ]


def test_list_bounces_takes_its_filters_as_keywords_or_one_dict(
    server: ServerClient, mock: Mock
) -> None:
    mock.add_bounce("a@example.com", Type="SoftBounce", Tag="digest")
    mock.add_bounce("b@example.com", Type="SoftBounce", Tag="digest")
    mock.add_bounce("c@example.com", Type="SoftBounce")
    mock.clear_requests()
    page = server.list_bounces(
        count=1,
        type="SoftBounce",
        inactive=False,
        emailFilter="EXAMPLE.COM",
        tag="digest",
        fromdate="2020-01-01",
        todate="2100-12-31T23:59:59",
        messagestream="outbound",
    )
    assert page["TotalCount"] == 2
    [newest] = page["Bounces"]
    assert (newest.get("Email"), newest["Type"], newest.get("Tag")) == (
        "b@example.com", "SoftBounce", "digest",
    )
    assert newest["ID"] > 2**32  # Postmark's bounce IDs pass 32 bits
    assert queries(mock, "/bounces") == [
        "count=1&offset=0&type=SoftBounce&inactive=false&emailFilter=EXAMPLE.COM&tag=digest"
        "&fromdate=2020-01-01&todate=2100-12-31T23%3A59%3A59&messagestream=outbound"
    ]
    same = server.list_bounces({"count": 1, "tag": "digest", "emailFilter": "example.com"})
    assert same == page


@pytest.mark.parametrize("spelling", ["SoftBounce", "softbounce", "SOFTBOUNCE"])
def test_an_enum_filter_is_sent_in_postmarks_spelling(
    server: ServerClient, mock: Mock, spelling: str
) -> None:
    mock.add_bounce("soft@example.com", Type="SoftBounce")
    mock.clear_requests()
    page = server.list_bounces(type=spelling)
    assert [b.get("Email") for b in page["Bounces"]] == ["soft@example.com"]
    assert queries(mock, "/bounces") == ["count=500&offset=0&type=SoftBounce"]


def test_every_bounce_is_walked_page_by_page(server: ServerClient, mock: Mock) -> None:
    emails = [f"r{i}@example.com" for i in range(6)]
    for email in emails:
        mock.add_bounce(email, Type="SoftBounce")
    mock.clear_requests()
    pages = server.list_bounces_all(count=2)
    assert isinstance(pages, Pages)
    assert queries(mock, "/bounces") == []  # nothing is fetched before the iteration asks
    # Newest first, and last the seeded bounce of inactive@example.com.
    assert [b.get("Email") for b in pages] == emails[::-1] + ["inactive@example.com"]
    assert queries(mock, "/bounces") == [f"count=2&offset={offset}" for offset in (0, 2, 4, 6)]
    assert (pages.total, pages.yielded, pages.stop_reason) == (7, 7, "exhausted")


def test_a_bounce_walk_shrinks_its_page_to_stay_within_postmarks_depth(
    server: ServerClient, mock: Mock
) -> None:
    mock.clear_requests()
    assert list(server.list_bounces_all(count=500, offset=9_600)) == []
    assert queries(mock, "/bounces") == ["count=400&offset=9600"]


def test_one_bounce_its_dump_and_reactivation(server: ServerClient, mock: Mock) -> None:
    bounce_id = mock.add_bounce("hard@example.com", Content="raw bounce")
    bounce = server.get_bounce(id=bounce_id)
    assert (bounce["ID"], bounce["Type"], bounce.get("Content")) == (
        bounce_id, "HardBounce", "raw bounce",
    )
    assert (bounce.get("Inactive"), bounce.get("CanActivate"), bounce.get("DumpAvailable")) == (
        True, True, True,
    )
    assert server.get_bounce_dump({"id": bounce_id}) == {"Body": "raw bounce"}
    with pytest.raises(InactiveRecipientError):
        server.send_email(message(To="hard@example.com"))

    activation = server.activate_bounce(id=bounce_id)
    assert activation["Message"] == "OK"
    reactivated = activation.get("Bounce")
    assert reactivated is not None
    assert (reactivated["ID"], reactivated.get("Inactive")) == (bounce_id, False)
    assert server.send_email(message(To="hard@example.com"))["ErrorCode"] == 0


def test_postmark_refuses_unknown_and_permanent_bounces(server: ServerClient, mock: Mock) -> None:
    complaint = mock.add_bounce("spam@example.com", Type="SpamComplaint")
    not_found = (422, "unprocessable", 1001, "BOUNCE_NOT_FOUND")
    assert refusal(lambda: server.get_bounce(id=42)) == not_found
    assert refusal(lambda: server.get_bounce_dump(id=42)) == not_found
    assert refusal(lambda: server.activate_bounce(id=complaint)) == (
        422, "unprocessable", 1003, "BOUNCE_NOT_ACTIVATABLE",
    )
    assert server.get_bounce(id=complaint).get("Inactive") is True
    # A type this version does not know is sent as given, for Postmark to judge.
    assert refusal(lambda: server.list_bounces(type="NoSuchType")) == (
        422, "unprocessable", 1000, "BOUNCE_QUERY_INVALID",
    )


# --- outbound messages -------------------------------------------------------------------


def test_search_outbound_messages_by_every_filter(server: ServerClient, mock: Mock) -> None:
    ids = [
        send(server, f"Reader {i} <r{i}@example.com>", Tag=f"t{i}", Metadata={"order": f"o{i}"})
        for i in range(3)
    ]
    mock.clear_requests()
    found = server.search_outbound_messages(
        recipient="r1@example.com",
        fromemail="sender@example.com",
        tag="t1",
        subject="Hello",
        status="SENT",
        fromdate="2020-01-01",
        messagestream="outbound",
        metadata={"key": "order", "value": "o1"},
    )
    assert found["TotalCount"] == 1
    [sent] = found["Messages"]
    assert sent["MessageID"] == ids[1]
    assert sent["To"] == [{"Email": "r1@example.com", "Name": "Reader 1"}]
    assert (sent.get("Status"), sent.get("Tag"), sent["Metadata"]) == (
        "Sent", "t1", {"order": "o1"},
    )
    assert queries(mock, "/messages/outbound") == [
        "count=500&offset=0&recipient=r1%40example.com&fromemail=sender%40example.com&tag=t1"
        "&subject=Hello&status=sent&fromdate=2020-01-01&messagestream=outbound&metadata_order=o1"
    ]
    by_dict = server.search_outbound_messages({"metadata": {"key": "order", "value": "o2"}})
    assert [m["MessageID"] for m in by_dict["Messages"]] == [ids[2]]


def test_sent_messages_are_walked_page_by_page_to_a_limit(server: ServerClient, mock: Mock) -> None:
    ids = [send(server, f"r{i}@example.com", Tag="digest") for i in range(5)]
    send(server, "other@example.com", Tag="news")
    mock.clear_requests()
    pages = server.search_outbound_messages_all({"count": 2, "tag": "digest"}, limit=3)
    assert queries(mock, "/messages/outbound") == []
    assert next(pages)["MessageID"] == ids[4]
    assert queries(mock, "/messages/outbound") == ["count=2&offset=0&tag=digest"]
    assert [m["MessageID"] for m in pages] == [ids[3], ids[2]]
    # The last page shrinks to the limit.
    assert queries(mock, "/messages/outbound") == [
        "count=2&offset=0&tag=digest", "count=1&offset=2&tag=digest",
    ]
    assert (pages.total, pages.yielded, pages.stop_reason) == (5, 3, "limit")


def test_outbound_details_tell_what_happened_and_the_dump_is_the_source(
    server: ServerClient, mock: Mock
) -> None:
    message_id = send(server, "jane@example.com")
    mock.add_bounce("jane@example.com", Type="SoftBounce", MessageID=message_id)
    mock.add_open(message_id, Client={"Name": "Gmail"})
    mock.add_click(message_id, "https://example.com/a")

    details = server.get_outbound_message_details(id=message_id)
    assert (details["MessageID"], details.get("Subject"), details.get("TextBody")) == (
        message_id, "Hello", "Hi there",
    )
    events = details["MessageEvents"]
    assert [(e.get("Type"), e.get("Recipient")) for e in events] == [
        ("Bounced", "jane@example.com"),
        ("Opened", "jane@example.com"),
        ("LinkClicked", "jane@example.com"),
    ]
    assert events[1]["Details"] == {"Summary": "Opened with Gmail"}
    assert events[2]["Details"]["Link"] == "https://example.com/a"

    dump = server.get_outbound_message_dump({"id": message_id})
    body = dump.get("Body")
    assert body is not None and body == details.get("Body")
    assert "\r\nSubject: Hello\r\n" in body and body.endswith("\r\n\r\nHi there")


# --- inbound messages --------------------------------------------------------------------


def receive_ticket(mock: Mock, status: str) -> str:
    """Receives a message from Ann to a `+ticket-9` address; returns its MessageID."""
    return mock.receive(
        From="Ann <ann@example.com>",
        To="desk+ticket-9@inbound.example.com",
        Subject="Help",
        TextBody="Please",
        Status=status,
    )


def test_inbound_search_details_bypass_and_retry(server: ServerClient, mock: Mock) -> None:
    blocked, failed = receive_ticket(mock, "Blocked"), receive_ticket(mock, "Failed")
    found = server.search_inbound_messages(
        fromemail="ann@example.com", mailboxhash="ticket-9", subject="help", status="blocked"
    )
    assert found["TotalCount"] == 1
    [item] = found["InboundMessages"]
    assert (item.get("MessageID"), item.get("Status"), item.get("MailboxHash")) == (
        blocked, "Blocked", "ticket-9",
    )
    assert item.get("FromFull") == {"Email": "ann@example.com", "Name": "Ann", "MailboxHash": ""}
    assert item.get("TextBody") is None  # searches leave the bodies to the details
    # Without a status filter, Postmark lists the processed messages only.
    assert server.search_inbound_messages()["TotalCount"] == 0

    details = server.get_inbound_message_details(id=failed)
    assert (details.get("Status"), details.get("TextBody")) == ("Failed", "Please")

    assert server.bypass_inbound_message(id=blocked) == {
        "ErrorCode": 0, "Message": f"Successfully bypassed message: {blocked}",
    }
    assert server.retry_inbound_message({"id": failed})["ErrorCode"] == 0
    processed = server.search_inbound_messages_all(status="Processed")
    assert [m.get("MessageID") for m in processed] == [failed, blocked]


# --- opens and clicks --------------------------------------------------------------------


def test_opens_and_clicks_of_all_messages_and_of_one(server: ServerClient, mock: Mock) -> None:
    message_id = send(server, "jane@example.com", Tag="digest")
    gmail = {"Name": "Gmail", "Company": "Google", "Family": "Gmail"}
    for platform in ("WebMail", "Mobile", "Desktop"):
        mock.add_open(message_id, Platform=platform, Client=gmail)
    mock.add_click(message_id, "https://example.com/a", ClickLocation="Text")
    mock.clear_requests()

    mobile = server.search_message_opens(
        recipient="jane@example.com", tag="digest", client_family="gmail", platform="mobile"
    )
    assert mobile["TotalCount"] == 1
    [opened] = mobile["Opens"]
    assert (opened.get("Platform"), opened.get("MessageID"), opened.get("FirstOpen")) == (
        "Mobile", message_id, False,
    )
    assert opened.get("Client") == gmail
    assert queries(mock, "/messages/outbound/opens") == [
        "count=500&offset=0&recipient=jane%40example.com&tag=digest&client_family=gmail"
        "&platform=Mobile"
    ]
    newest_two = server.get_message_opens(id=message_id, count=2)
    assert newest_two["TotalCount"] == 3
    assert [o.get("Platform") for o in newest_two["Opens"]] == ["Desktop", "Mobile"]

    clicks = server.search_message_clicks()
    assert clicks["TotalCount"] == 1
    [click] = clicks["Clicks"]
    assert (click.get("OriginalLink"), click.get("ClickLocation"), click.get("Recipient")) == (
        "https://example.com/a", "Text", "jane@example.com",
    )
    assert server.get_message_clicks({"id": message_id}) == clicks


# --- refusals ----------------------------------------------------------------------------


def test_postmark_refuses_unknown_messages_and_wrong_states(
    server: ServerClient, mock: Mock
) -> None:
    not_found = (422, "unprocessable", 701, "MESSAGE_NOT_FOUND")
    assert refusal(lambda: server.get_outbound_message_details(id="unknown")) == not_found
    assert refusal(lambda: server.get_outbound_message_dump(id="unknown")) == not_found
    assert refusal(lambda: server.get_inbound_message_details(id="unknown")) == not_found
    assert refusal(lambda: server.retry_inbound_message(id="unknown")) == not_found

    blocked = receive_ticket(mock, "Blocked")
    server.bypass_inbound_message(id=blocked)
    assert refusal(lambda: server.bypass_inbound_message(id=blocked)) == (
        422, "unprocessable", 702, "INBOUND_BYPASS_FAILED",
    )
    assert refusal(lambda: server.retry_inbound_message(id=blocked)) == (
        422, "unprocessable", 703, "INBOUND_RETRY_FAILED",
    )
    assert refusal(lambda: server.search_message_clicks(platform="Watch")) == (
        422, "unprocessable", 700, "MESSAGES_QUERY_INVALID",
    )


def test_a_misspelt_filter_is_refused_before_sending(server: ServerClient, mock: Mock) -> None:
    error = raises(InvalidParameterError, lambda: server.list_bounces(tpye="SoftBounce"))  # type: ignore[call-overload]
    assert (error.kind, error.operation, error.path) == ("invalid_params", "list_bounces", "tpye")
    assert mock.requests() == []


@pytest.mark.parametrize(
    "operation, params, error_type, details",
    [
        # The filters go by the names of the query, not by the answers' wire names.
        pytest.param(
            "search_message_opens", {"Recipient": "jane@example.com"},
            InvalidParameterError, {"path": "Recipient"}, id="answer-cased filter",
        ),
        pytest.param(
            "search_outbound_messages", {"metadata": {"key": "order"}},
            MissingFieldError, {"field": "metadata.value"}, id="metadata without a value",
        ),
        pytest.param(
            "get_bounce", {"id": "5"}, InvalidParameterError, {"path": "id"}, id="ID as text",
        ),
        pytest.param(
            "search_inbound_messages", {"fromdate": "yesterday"},
            InvalidParameterError, {"kind": "invalid_value", "field": "fromdate"}, id="no date",
        ),
        pytest.param(
            "get_outbound_message_dump", {"id": ""}, MissingFieldError, {"field": "id"},
            id="blank ID",
        ),
        pytest.param(
            "list_bounces", {"count": 500, "offset": 9_600}, LimitExceededError,
            {"kind": "paged_too_deep", "actual": 10_100, "limit": 10_000}, id="past the depth",
        ),
    ],
)
def test_parameters_that_do_not_fit_are_refused_before_sending(
    server: ServerClient,
    mock: Mock,
    operation: str,
    params: Dict[str, Any],
    error_type: Type[InvalidRequestError],
    details: Dict[str, Any],
) -> None:
    error = raises(error_type, lambda: getattr(server, operation)(**params))
    assert {key: getattr(error, key) for key in details} == details
    assert mock.requests() == []
