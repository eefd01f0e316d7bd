"""Every kind of failure raises its own class with its details, and no
exception or repr ever shows a token."""

import datetime
import json
import pickle
from typing import Any, Callable, Dict, Iterator, List, Tuple, Type, TypeVar, get_args

import pytest

import postmark_kit
from postmark_kit import (
    AccountClient,
    ApiError,
    ConfigurationError,
    ConnectError,
    DecodeError,
    InactiveRecipientError,
    InvalidParameterError,
    InvalidRequestError,
    InvalidTokenError,
    LimitExceededError,
    MissingFieldError,
    NotFoundError,
    PostmarkError,
    ServerClient,
    ServerError,
    TransportError,
    TransportTimeoutError,
    UnavailableError,
    build_request,
)
from postmark_kit.types import BuildErrorKind

from conftest import Mock, Scripted, closed_port_url
from test_operations import create, message

E = TypeVar("E", bound=PostmarkError)


def raises(error_type: Type[E], call: Callable[[], object]) -> E:
    with pytest.raises(error_type) as caught:
        call()
    return caught.value


# --- refused before sending: nothing reaches the mock -------------------------------------


@pytest.fixture
def nothing_sent(mock: Mock) -> Iterator[None]:
    yield
    assert mock.requests() == []


def test_missing_fields_are_refused(server: ServerClient, nothing_sent: None) -> None:
    error = raises(MissingFieldError, lambda: server.send_email(From="a@example.com", To="b@example.com"))
    assert (error.kind, error.field) == ("missing_field", "HtmlBody or TextBody")
    assert isinstance(error, InvalidRequestError) and isinstance(error, ValueError)
    error = raises(MissingFieldError, lambda: server.send_email(message(From="  ")))
    assert error.field == "From"
    error = raises(
        MissingFieldError,
        lambda: server.send_email_with_template(
            From="a@example.com", To="b@example.com", TemplateModel={}
        ),
    )
    assert error.kind == "template_choice"


def test_limits_are_checked_before_sending(
    server: ServerClient, account: AccountClient, nothing_sent: None
) -> None:
    recipients = ",".join(f"r{i}@example.com" for i in range(51))
    error = raises(LimitExceededError, lambda: server.send_email(message(To=recipients)))
    assert (error.kind, error.actual, error.limit) == ("too_many_recipients", 51, 50)

    error = raises(LimitExceededError, lambda: server.send_email_batch([message()] * 501))
    assert (error.kind, error.actual, error.limit) == ("too_many_messages", 501, 500)

    huge = "x" * (10 * 1024 * 1024)
    error = raises(LimitExceededError, lambda: server.send_email(message(TextBody=huge)))
    assert error.kind == "payload_too_large"
    assert error.limit == 10 * 1024 * 1024
    assert error.actual is not None and error.actual > error.limit

    error = raises(LimitExceededError, lambda: account.list_servers(count=501))
    assert (error.kind, error.actual, error.limit) == ("count_too_large", 501, 500)

    error = raises(LimitExceededError, lambda: account.edit_server(id=1, InboundSpamThreshold=31))
    assert (error.kind, error.field, error.actual, error.limit) == (
        "out_of_range", "InboundSpamThreshold", 31, 30,
    )


def test_a_bad_message_in_a_batch_is_named_by_its_index(
    server: ServerClient, nothing_sent: None
) -> None:
    batch = [message(), message(), message(TextBody="")]
    error = raises(MissingFieldError, lambda: server.send_email_batch(batch))
    assert (error.index, error.field) == (2, "HtmlBody or TextBody")
    assert str(error) == "message 2 of the batch: `HtmlBody or TextBody` is required"


def test_unknown_and_mistyped_parameters_are_refused(
    server: ServerClient, nothing_sent: None
) -> None:
    error = raises(InvalidParameterError, lambda: server.send_email(message(Htmlbody="<p>")))
    assert (error.kind, error.operation, error.path) == ("invalid_params", "send_email", "Htmlbody")
    error = raises(
        InvalidParameterError,
        lambda: server.send_email(message(Headers=[{"Name": "X", "Value": "y", "Extra": 1}])),
    )
    assert error.path == "Headers[0].Extra"
    error = raises(InvalidParameterError, lambda: server.get_webhook(id="seven"))  # type: ignore[call-overload]
    assert error.path == "id"
    error = raises(InvalidParameterError, lambda: server.send_email_batch({"From": "a@example.com"}))  # type: ignore[arg-type]
    assert error.path == "."
    # No JSON form: refused with its path before the core sees it.
    error = raises(
        InvalidParameterError,
        lambda: server.send_email(message(Metadata={"when": datetime.date(2026, 1, 1)})),
    )
    assert error.path == "Metadata.when"
    assert "date is not a JSON value" in str(error)
    error = raises(InvalidParameterError, lambda: server.send_email(message(TrackOpens=float("nan"))))
    assert error.path == "TrackOpens"
    error = raises(
        InvalidParameterError,
        lambda: server.create_webhook(Url="/hook", Triggers={"Open": {"Enabled": True}}),
    )
    assert (error.kind, error.field) == ("invalid_value", "Url")


def test_every_kind_of_refusal_has_its_own_class() -> None:
    # Every kind the core names (types.BuildErrorKind is generated from its
    # list): a refusal of the request is one of InvalidRequestError's
    # subclasses, by what the caller has to change; a refusal of the settings
    # is a ConfigurationError, whatever the call.
    def build(operation: str, params: Any = None, **options: Any) -> Callable[[], object]:
        return lambda: build_request(operation, params, token="t", **options)

    sender = {"From": "a@example.com", "To": "b@example.com"}
    recipients = ",".join(f"r{i}@example.com" for i in range(51))
    addresses = [{"EmailAddress": f"r{i}@example.com"} for i in range(51)]
    saved = json.loads(ServerClient("t").list_bounces_all().cursor)
    not_paged = json.dumps({**saved, "operation": "send_email"})
    refusals: Dict[BuildErrorKind, Tuple[Type[InvalidRequestError], Callable[[], object]]] = {
        "missing_field": (MissingFieldError, build("send_email", sender)),
        "template_choice": (
            MissingFieldError, build("send_email_with_template", {**sender, "TemplateModel": {}}),
        ),
        "too_many_recipients": (LimitExceededError, build("send_email", message(To=recipients))),
        "too_many_messages": (LimitExceededError, build("send_email_batch", [message()] * 501)),
        "payload_too_large": (
            LimitExceededError, build("send_email", message(TextBody="x" * (10 * 1024 * 1024))),
        ),
        "count_too_large": (LimitExceededError, build("list_servers", {"count": 501})),
        "paged_too_deep": (LimitExceededError, build("list_bounces", {"count": 500, "offset": 9_600})),
        "out_of_range": (
            LimitExceededError, build("edit_server", {"id": 1, "InboundSpamThreshold": 31}),
        ),
        "too_many_items": (
            LimitExceededError,
            build("create_suppressions", {"stream_id": "outbound", "Suppressions": addresses}),
        ),
        "too_long": (
            LimitExceededError,
            build(
                "create_sender_signature",
                {"FromEmail": "a@example.com", "Name": "A", "ConfirmationPersonalNote": "n" * 401},
                token_kind="account",
            ),
        ),
        "invalid_value": (InvalidParameterError, build("create_webhook", {"Url": "/hook"})),
        "invalid_path": (InvalidParameterError, build("raw", {"method": "GET", "path": "servers"})),
        "unknown_operation": (InvalidParameterError, build("no_such_operation")),
        "wrong_token_kind": (InvalidParameterError, build("send_email", message(), token_kind="account")),
        "not_paged": (InvalidParameterError, lambda: ServerClient("t").resume(not_paged)),
        "invalid_params": (InvalidParameterError, build("send_email", message(Htmlbody="<p>"))),
    }
    settings: Dict[BuildErrorKind, Callable[[], object]] = {
        "invalid_header_value": build("get_current_server", user_agent="bad\nagent"),
        "invalid_base_url": build("get_current_server", base_url="ftp://example.com"),
    }
    assert sorted([*refusals, *settings]) == sorted(get_args(BuildErrorKind))
    for kind, (error_type, call) in refusals.items():
        error = raises(InvalidRequestError, call)
        assert (type(error), error.kind) == (error_type, kind)
    for kind, call in settings.items():
        assert raises(ConfigurationError, call).kind == kind


def test_a_dict_and_keyword_arguments_together_are_a_type_error(server: ServerClient) -> None:
    with pytest.raises(TypeError, match="not both"):
        server.send_email(message(), Subject="x")  # type: ignore[call-overload]


# --- Postmark's answers --------------------------------------------------------------------


def test_a_wrong_token_is_invalid_token(mock: Mock) -> None:
    client = ServerClient("not-the-token", base_url=mock.url)
    error = raises(InvalidTokenError, client.get_current_server)
    assert isinstance(error, ApiError)
    assert (error.status, error.kind, error.error_code, error.error_name) == (
        401, "invalid_token", 10, "INVALID_TOKEN",
    )
    assert error.message and error.message in str(error)


def test_an_account_token_on_a_server_client_is_invalid_token(mock: Mock) -> None:
    client = ServerClient(mock.account_token, base_url=mock.url)
    assert raises(InvalidTokenError, client.get_current_server).error_code == 10


def test_inactive_recipient(server: ServerClient, mock: Mock) -> None:
    mock.suppress("gone@example.com")
    error = raises(InactiveRecipientError, lambda: server.send_email(message(To="gone@example.com")))
    assert (error.status, error.error_code, error.error_name) == (422, 406, "INACTIVE_RECIPIENT")
    assert mock.messages() == []


def test_an_unprocessable_request_is_an_api_error(account: AccountClient) -> None:
    account.create_server(Name="Twin")
    error = raises(ApiError, lambda: account.create_server(Name="Twin"))
    assert type(error) is ApiError
    assert (error.status, error.kind, error.error_code, error.error_name) == (
        422, "unprocessable", 603, "SERVER_NAME_EXISTS",
    )


def test_not_found(server: ServerClient) -> None:
    error = raises(NotFoundError, lambda: server.raw("GET", "/no-such-route"))
    assert (error.status, error.kind) == (404, "not_found")
    # Postmark reports a missing resource as 422 with its own ErrorCode.
    missing = raises(ApiError, lambda: server.get_webhook(id=999))
    assert (missing.status, missing.error_code, missing.error_name) == (422, 1352, "WEBHOOK_NOT_FOUND")
    assert postmark_kit.error_code_name(1352) == "WEBHOOK_NOT_FOUND"
    description = postmark_kit.error_code_description(406)
    assert description is not None and description.startswith("Every recipient is inactive")
    assert postmark_kit.error_code_name(98765) is None


def test_connection_refused_is_a_connect_error() -> None:
    client = ServerClient("token", base_url=closed_port_url(), max_attempts=1)
    error = raises(ConnectError, client.get_current_server)
    assert error.kind == "connect"
    assert isinstance(error, TransportError) and isinstance(error, ConnectionError)


def test_a_slow_answer_is_a_timeout(mock: Mock) -> None:
    mock.fault(kind="delay", ms=1500)
    client = ServerClient(mock.server_token, base_url=mock.url, timeout=0.3)
    error = raises(TransportTimeoutError, lambda: client.send_email(message()))
    assert error.kind == "timeout"
    assert isinstance(error, TimeoutError)
    # A send that may have gone through is not repeated.
    assert len(mock.requests()) == 1


def test_an_html_error_page_keeps_its_status_and_body(mock: Mock) -> None:
    mock.fault(kind="page", status=502, content_type="text/html", body="<html>Bad gateway</html>")
    client = ServerClient(mock.server_token, base_url=mock.url, max_attempts=1)
    error = raises(ServerError, client.get_current_server)
    assert (error.status, error.kind, error.error_code, error.error_name) == (
        502, "server_error", None, None,
    )
    assert (error.body, error.details) == ("<html>Bad gateway</html>", None)
    assert isinstance(error.request_id, str) and len(error.request_id) == 36


def test_a_webhook_that_fails_verification_carries_each_trigger(server: ServerClient) -> None:
    # The mock cannot reach this host, so every trigger fails verification.
    error = raises(
        ApiError,
        lambda: server.create_webhook(
            Url="https://fail.invalid/hook",
            Triggers={"Delivery": {"Enabled": True}, "Bounce": {"Enabled": True}},
        ),
    )
    assert (error.status, error.error_code) == (422, 1364)
    assert error.details is not None
    assert error.details["Success"] is False
    assert [(r["TriggerType"], r["Success"]) for r in error.details["Results"]] == [
        ("Delivery", False), ("Bounce", False),
    ]
    assert "ErrorCode" not in error.details and "Message" not in error.details
    assert server.list_webhooks()["Webhooks"] == []


def test_a_failed_delete_by_url_says_what_it_deleted(server: ServerClient, mock: Mock) -> None:
    url = "https://example.com/doomed"
    first, second, third = (create(server, url) for _ in range(3))
    mock.fault(kind="status", status=422, path=f"/webhooks/{second}")
    error = raises(ApiError, lambda: server.delete_webhooks_pointing_at(url))
    assert (error.status, error.error_code) == (422, 422)
    assert error.deleted == [first]
    assert [w["ID"] for w in server.list_webhooks()["Webhooks"]] == [second, third]


def test_a_delete_by_url_that_cannot_list_deleted_nothing(mock: Mock) -> None:
    server = ServerClient(mock.server_token, base_url=mock.url, max_attempts=1)
    create(server, "https://example.com/kept")
    mock.fault(kind="status", status=503)
    error = raises(UnavailableError, lambda: server.delete_webhooks_pointing_at("https://example.com/kept"))
    assert error.deleted == []
    assert len(server.list_webhooks()["Webhooks"]) == 1


# --- answers the mock cannot give: a scripted server ---------------------------------------


def test_a_body_that_does_not_match_the_model_is_a_decode_error(scripted: Scripted) -> None:
    scripted.answer(200, "application/json", b'{"ID": "one", "Name": "x"}')
    client = ServerClient("token", base_url=scripted.url)
    error = raises(DecodeError, client.get_current_server)
    assert (error.status, error.kind, error.path) == (200, "decode", "ID")
    assert error.body == '{"ID": "one", "Name": "x"}'


# --- configuration ---------------------------------------------------------------------------


def test_a_client_needs_a_token() -> None:
    with pytest.raises(ConfigurationError, match="POSTMARK_SERVER_TOKEN"):
        ServerClient()
    with pytest.raises(ConfigurationError, match="POSTMARK_ACCOUNT_TOKEN"):
        AccountClient()
    error = raises(ConfigurationError, lambda: ServerClient("   "))
    assert error.kind == "missing_field"


def test_tokens_and_url_come_from_the_environment(
    mock: Mock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTMARK_SERVER_TOKEN", mock.server_token)
    monkeypatch.setenv("POSTMARK_ACCOUNT_TOKEN", mock.account_token)
    monkeypatch.setenv("POSTMARK_API_URL", mock.url)
    assert ServerClient().get_current_server()["ID"] == 1
    assert AccountClient().get_server(id=1)["ID"] == 1
    # An explicit base URL wins over the environment.
    assert ServerClient(base_url="http://127.0.0.1:1").base_url == "http://127.0.0.1:1"


def test_bad_settings_are_configuration_errors() -> None:
    error = raises(ConfigurationError, lambda: ServerClient("t", base_url="ftp://example.com"))
    assert error.kind == "invalid_base_url"
    error = raises(ConfigurationError, lambda: ServerClient("t", user_agent="bad\nagent"))
    assert error.kind == "invalid_header_value"
    with pytest.raises(ConfigurationError, match="timeout"):
        ServerClient("t", timeout=-1)
    with pytest.raises(ConfigurationError, match="retry_max_delay"):
        ServerClient("t", retry_max_delay=float("inf"))


# --- secrets -----------------------------------------------------------------------------------


SECRET = "secret-token-0123456789"


def test_tokens_are_never_shown(mock: Mock) -> None:
    server = ServerClient(SECRET, base_url=mock.url)
    account = AccountClient(SECRET, base_url=mock.url)
    assert SECRET not in repr(server) and SECRET not in repr(account)
    closed = closed_port_url()
    failures: List[Callable[[], object]] = [
        lambda: server.get_current_server(),  # 401
        lambda: account.get_server(id=1),  # 401
        lambda: ServerClient(SECRET, base_url=closed, max_attempts=1).get_current_server(),
        lambda: server.send_email(message(From="")),
        lambda: ServerClient(SECRET + "\x01"),
    ]
    for failure in failures:
        with pytest.raises(PostmarkError) as caught:
            failure()
        error = caught.value
        shown = " ".join([str(error), repr(error), repr(vars(error)), repr(error.args)])
        assert SECRET not in shown, shown
    auth = postmark_kit.BasicAuth("postmark", SECRET)
    assert SECRET not in repr(auth)
    assert auth.username == "postmark"


def test_exceptions_pickle_with_their_details(server: ServerClient) -> None:
    with pytest.raises(LimitExceededError) as caught:
        server.send_email_batch([message()] * 501)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is LimitExceededError
    assert (str(copy), copy.kind, copy.actual, copy.limit) == (
        str(caught.value), "too_many_messages", 501, 500,
    )
