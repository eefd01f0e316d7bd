"""The cross-language conformance cases of tests/conformance/ (see its
README), run through `build_request` and `parse_response` with the checks
of the Rust runner (crates/core/tests/conformance.rs)."""

import json
import urllib.parse
from typing import Any, Dict, List

import pytest

from postmark_kit import PostmarkError, build_request, parse_response, types

from conftest import REPO

CASES = REPO / "tests" / "conformance"
TOKEN = "conformance-token"
TOKEN_HEADERS = {"server": "x-postmark-server-token", "account": "x-postmark-account-token"}

Case = Dict[str, Any]


def cases(name: str, at_least: int) -> List[Case]:
    loaded: List[Case] = json.loads((CASES / name).read_text())
    assert len(loaded) >= at_least, name
    return loaded


def assert_details(error: PostmarkError, expected: Dict[str, Any]) -> None:
    """Every key the case names is an attribute of the error with that value."""
    actual = {key: getattr(error, key, "<absent>") for key in expected}
    assert actual == expected


def build(case: Case) -> types.BuiltRequest:
    # `token` names the header the token goes in, which `token_kind` chooses.
    return build_request(case["operation"], case["params"], token=TOKEN, token_kind=case["token"])


@pytest.mark.parametrize("case", cases("requests.json", 40), ids=lambda case: case["name"])
def test_request(case: Case) -> None:
    if "error" in case:
        with pytest.raises(PostmarkError) as caught:
            build(case)
        assert_details(caught.value, case["error"])
        return
    built, expect = build(case), case["expect"]
    url = urllib.parse.urlsplit(built["url"])
    assert (built["method"], url.hostname, url.path, url.query) == (
        expect["method"], "api.postmarkapp.com", expect["path"], expect["query"],
    )
    assert built["idempotent"] == expect["idempotent"]
    headers = built["headers"]
    assert headers[TOKEN_HEADERS[case["token"]]] == TOKEN
    assert headers["accept"] == "application/json"
    body = None if built["body"] is None else json.loads(built["body"])
    assert body == expect["body"]
    assert ("content-type" in headers) == (body is not None)


#: The runner's error fields, by the names of the Python exceptions' attributes.
ERROR_ATTRIBUTES = {"code": "error_code", "code_name": "error_name"}


def parse(case: Case) -> Any:
    return parse_response(case["operation"], case["status"], case["headers"], case["body"])


@pytest.mark.parametrize("case", cases("responses.json", 20), ids=lambda case: case["name"])
def test_response(case: Case) -> None:
    if "error" in case:
        with pytest.raises(PostmarkError) as caught:
            parse(case)
        expected = {ERROR_ATTRIBUTES.get(k, k): v for k, v in case["error"].items()}
        assert_details(caught.value, expected)
        return
    assert parse(case) == case["expect"]
