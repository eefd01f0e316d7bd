"""A client for the Postmark email API, over a Rust core.

::

    from postmark_kit import ServerClient

    client = ServerClient()  # POSTMARK_SERVER_TOKEN, or ServerClient("token")
    sent = client.send_email(
        From="you@example.com", To="them@example.com", Subject="Hello", HtmlBody="<p>Hi</p>"
    )
    print(sent["MessageID"])

Every operation is a method named after it, taking Postmark's wire names as
keyword arguments (or one dict) and returning a plain dict. Requests are
checked before they are sent, errors are exceptions of ``postmark_kit.errors``,
and the GIL is released while a request is in flight, so threads send in
parallel. The request and response shapes are ``TypedDict`` s in
``postmark_kit.types``. ``AsyncServerClient`` and ``AsyncAccountClient``
(``postmark_kit.aio``, with ``pip install postmark-kit[async]``) have the same
methods as coroutines. With a transport of your own, ``build_request`` and
``parse_response`` do the rest.
"""

# `typing` costs more to import than the whole package (see errors.py).
TYPE_CHECKING = False

from postmark_kit import _native
from postmark_kit._native import (
    MAX_WEBHOOK_BODY_BYTES,
    AccountClient,
    BasicAuth,
    Pages,
    ServerClient,
    build_request,
    check_basic_auth,
    error_code_description,
    error_code_name,
    is_postmark_webhook_ip,
    operations,
    parse_response,
    parse_webhook,
    read_webhook_body,
)
from postmark_kit.errors import (
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
    RateLimitedError,
    ServerError,
    TransportError,
    TransportTimeoutError,
    UnavailableError,
    WebhookError,
)
from postmark_kit._native import __version__

if TYPE_CHECKING:
    from typing import List, Mapping, Union


def inactive_recipients(answer: "Union[Mapping[str, object], ApiError]") -> "List[str]":
    """The recipients Postmark will not deliver to as inactive: from an
    ``ApiError`` (ErrorCode 406), or from the answer to one message (a send,
    or an item of a batch's answer) refused with 406 or accepted without them
    ("Message OK, but will not deliver to these inactive addresses: ...").
    Empty when none are named."""
    if isinstance(answer, ApiError):
        return list(answer.inactive_recipients)
    code = answer.get("ErrorCode", 0)
    if not isinstance(code, int) or not 0 <= code <= 0xFFFFFFFF:
        code = 0
    return _native.inactive_recipients_of(code, str(answer.get("Message", "")))


if TYPE_CHECKING:
    from postmark_kit.aio import AsyncAccountClient, AsyncPages, AsyncServerClient

__all__ = [
    "MAX_WEBHOOK_BODY_BYTES",
    "AccountClient",
    "ApiError",
    "AsyncAccountClient",
    "AsyncPages",
    "AsyncServerClient",
    "BasicAuth",
    "ConfigurationError",
    "ConnectError",
    "DecodeError",
    "InactiveRecipientError",
    "InvalidParameterError",
    "InvalidRequestError",
    "InvalidTokenError",
    "LimitExceededError",
    "MissingFieldError",
    "NotFoundError",
    "Pages",
    "PostmarkError",
    "RateLimitedError",
    "ServerClient",
    "ServerError",
    "TransportError",
    "TransportTimeoutError",
    "UnavailableError",
    "WebhookError",
    "__version__",
    "build_request",
    "check_basic_auth",
    "error_code_description",
    "inactive_recipients",
    "error_code_name",
    "is_postmark_webhook_ip",
    "operations",
    "parse_response",
    "parse_webhook",
    "read_webhook_body",
    "types",
]


#: Imported on first use: the asyncio clients bring asyncio and the HTTP client.
_ASYNC = ("AsyncAccountClient", "AsyncPages", "AsyncServerClient")


def __getattr__(name: str) -> object:
    # `postmark_kit.types` is only needed for annotations: imported on first
    # use, it keeps `typing` and its ~100 classes out of the import time.
    if name == "types":
        import postmark_kit.types

        return postmark_kit.types
    if name in _ASYNC:
        import postmark_kit.aio

        return getattr(postmark_kit.aio, name)
    raise AttributeError(f"module 'postmark_kit' has no attribute {name!r}")
