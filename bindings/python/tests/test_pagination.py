"""Walking paged lists: lazily, to the end, to a limit, and resumed from a
cursor; every reason a walk stops; one thread at a time."""

import json
import threading
from typing import Any, Dict, List

import pytest

from postmark_kit import (
    AccountClient,
    InvalidParameterError,
    LimitExceededError,
    Pages,
    ServerClient,
    UnavailableError,
)

from conftest import Mock, Scripted


@pytest.fixture
def seven_servers(account: AccountClient) -> List[str]:
    """The default server and six more: names in list order."""
    for i in range(1, 7):
        account.create_server(Name=f"node {i}")
    return ["Default Server"] + [f"node {i}" for i in range(1, 7)]


def list_requests(mock: Mock) -> List[str]:
    return [r["query"] for r in mock.requests() if r["path"] == "/servers"]


def test_every_item_is_walked_page_by_page(
    account: AccountClient, mock: Mock, seven_servers: List[str]
) -> None:
    mock.clear_requests()
    pages = account.list_servers_all(count=3)
    assert isinstance(pages, Pages)
    assert list_requests(mock) == []  # nothing is fetched before the iteration asks
    assert [s["Name"] for s in pages] == seven_servers
    assert list_requests(mock) == ["count=3&offset=0", "count=3&offset=3", "count=3&offset=6"]
    assert (pages.total, pages.yielded, pages.stop_reason) == (7, 7, "exhausted")


def test_the_default_page_is_500_and_filters_apply(
    account: AccountClient, mock: Mock, seven_servers: List[str]
) -> None:
    mock.clear_requests()
    names = [s["Name"] for s in account.list_servers_all(name="node")]
    assert names == seven_servers[1:]
    assert list_requests(mock) == ["count=500&offset=0&name=node"]
    assert [s["Name"] for s in account.list_servers_all({"name": "3"})] == ["node 3"]


def test_a_limit_stops_the_walk_and_shrinks_the_last_page(
    account: AccountClient, mock: Mock, seven_servers: List[str]
) -> None:
    mock.clear_requests()
    pages = account.list_servers_all(count=3, offset=1, limit=4)
    assert [s["Name"] for s in pages] == seven_servers[1:5]
    assert list_requests(mock) == ["count=3&offset=1", "count=1&offset=4"]
    assert pages.stop_reason == "limit"


def test_a_cursor_resumes_at_the_first_item_not_handed_out(
    account: AccountClient, mock: Mock, seven_servers: List[str]
) -> None:
    pages = account.list_servers_all(count=3)
    first = [next(pages)["Name"] for _ in range(4)]  # a page and a half
    cursor = pages.cursor
    assert json.loads(cursor)["operation"] == "list_servers"
    assert (pages.yielded, pages.stop_reason) == (4, None)
    # Another client (another process, later) picks up where this one stopped.
    other = AccountClient(mock.account_token, base_url=mock.url)
    rest = [s["Name"] for s in other.resume(cursor)]
    assert first + rest == seven_servers
    # The original walk is untouched by the resumed one.
    assert [s["Name"] for s in pages] == seven_servers[4:]


def test_a_finished_walk_resumes_to_nothing(account: AccountClient, seven_servers: List[str]) -> None:
    pages = account.list_servers_all()
    assert len(list(pages)) == 7
    assert list(account.resume(pages.cursor)) == []


def test_an_error_leaves_the_walk_where_it_was(
    mock: Mock, seven_servers: List[str]
) -> None:
    account = AccountClient(mock.account_token, base_url=mock.url, max_attempts=1)
    pages = account.list_servers_all(count=4)
    assert next(pages)["Name"] == "Default Server"
    for _ in range(3):
        next(pages)
    mock.fault(kind="status", status=503, count=1)
    with pytest.raises(UnavailableError):
        next(pages)
    # Iterating again asks for the same page.
    assert [s["Name"] for s in pages] == seven_servers[4:]


def test_bad_walks_are_refused(account: AccountClient, server: ServerClient) -> None:
    with pytest.raises(LimitExceededError):
        account.list_servers_all(count=501)
    with pytest.raises(InvalidParameterError) as caught:
        account.list_servers_all(nme="typo")  # type: ignore[call-overload]
    assert caught.value.path == "nme"
    cursor = account.list_servers_all().cursor
    with pytest.raises(InvalidParameterError, match="an operation of AccountClient"):
        server.resume(cursor)
    with pytest.raises(InvalidParameterError, match="invalid cursor"):
        account.resume("not a cursor")


def test_a_walk_stops_at_the_depth_its_cursor_allows(
    account: AccountClient, mock: Mock, seven_servers: List[str]
) -> None:
    # list_servers has no depth cap, but a cursor carries the cap of the list
    # it was saved from (bounces stop at 10,000 deep) and keeps it when resumed.
    saved = json.loads(account.list_servers_all(count=2).cursor)
    assert saved["cursor"]["cap"] is None
    saved["cursor"]["cap"] = 5
    mock.clear_requests()
    pages = account.resume(json.dumps(saved))
    assert [s["Name"] for s in pages] == seven_servers[:5]
    assert (pages.stop_reason, pages.yielded, pages.total) == ("cap", 5, 7)
    # The last page shrinks to stay within the cap.
    assert list_requests(mock) == ["count=2&offset=0", "count=2&offset=2", "count=1&offset=4"]


def servers_page(total: int, ids: List[int]) -> bytes:
    page: Dict[str, Any] = {
        "TotalCount": total, "Servers": [{"ID": i, "Name": f"s{i}"} for i in ids],
    }
    return json.dumps(page).encode()


def test_an_empty_page_before_the_total_ends_the_walk(scripted: Scripted) -> None:
    # What Postmark answers when the list shrinks during the walk while its
    # TotalCount lags behind; the mock's lists are always consistent.
    scripted.answer(200, "application/json", servers_page(5, [1, 2]))
    scripted.answer(200, "application/json", servers_page(5, []))
    account = AccountClient("token", base_url=scripted.url)
    pages = account.list_servers_all(count=2)
    assert [s["ID"] for s in pages] == [1, 2]
    assert (pages.stop_reason, pages.yielded, pages.total) == ("empty_page", 2, 5)
    assert scripted.paths == ["/servers?count=2&offset=0", "/servers?count=2&offset=2"]


def test_a_walk_used_by_two_threads_at_once_is_refused(
    account: AccountClient, mock: Mock, seven_servers: List[str]
) -> None:
    pages = account.list_servers_all(count=4)
    mock.fault(kind="delay", ms=1000, path="/servers")
    first: List[str] = []
    walker = threading.Thread(target=lambda: first.append(next(pages)["Name"]))
    walker.start()
    try:
        mock.wait_until_in_flight(1)
        for use in (lambda: next(pages), lambda: pages.cursor, lambda: pages.stop_reason):
            with pytest.raises(RuntimeError, match="fetching a page elsewhere"):
                use()
        # What needs no lock still answers.
        assert (pages.operation, repr(pages)) == (
            "list_servers", 'Pages(operation="list_servers", fetching)',
        )
    finally:
        walker.join()
    # The walk itself is intact: the thread got its item, the rest follows.
    assert first == ["Default Server"]
    assert repr(pages) == 'Pages(operation="list_servers", yielded=1, total=7)'
    assert [s["Name"] for s in pages] == seven_servers[1:]


def test_pages_subscript_for_annotations() -> None:
    assert Pages[Dict[str, Any]].__origin__ is Pages  # type: ignore[attr-defined]
