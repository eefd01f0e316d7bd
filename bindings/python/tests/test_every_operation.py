"""Every operation of the table through the blocking clients, one test each
(the cases are in operation_cases.py): the answer checked by value, and the
mock's request log holding the one request it sent, with the operation's
method, path and token."""

from typing import Any, Dict

import pytest

import postmark_kit
from postmark_kit import AccountClient, ServerClient

from conftest import Mock
from operation_cases import CASES, Setup, expected_request

OPERATIONS: Dict[str, Dict[str, Any]] = {op["name"]: dict(op) for op in postmark_kit.operations()}


def test_every_operation_has_a_case() -> None:
    assert sorted(CASES) == sorted(OPERATIONS)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_operation(name: str, mock: Mock, server: ServerClient, account: AccountClient) -> None:
    op, case = OPERATIONS[name], CASES[name]
    params, check = case.prepare(Setup(mock, server, account))
    mock.clear_requests()
    method = getattr(server if op["token"] == "server" else account, name)
    answer = method() if params is None else method(params)
    requests = mock.requests()
    check(answer)
    assert [(r["method"], r["path"], r["token"]) for r in requests] == [expected_request(op, params)]
    if case.query is not None:
        assert requests[0]["query"] == case.query
