"""Every exception postmark_kit raises.

::

    PostmarkError
    ├── ConfigurationError          a client cannot be made (no token, bad base URL)
    ├── InvalidRequestError         refused before anything was sent
    │   ├── MissingFieldError       a required field is absent (From, To, a body...)
    │   ├── LimitExceededError      over a Postmark limit (recipients, batch size, bytes...)
    │   └── InvalidParameterError   unknown or mistyped parameters
    ├── ApiError                    Postmark answered with an error
    │   ├── InvalidTokenError       401: missing, wrong or wrong-kind token
    │   ├── NotFoundError           404
    │   ├── InactiveRecipientError  ErrorCode 406: every recipient is suppressed
    │   ├── RateLimitedError        429 (already retried by the client's policy)
    │   └── ServerError             5xx: Postmark may have acted on the request
    │       └── UnavailableError    503: it did not
    ├── TransportError              no answer: the connection broke
    │   ├── ConnectError            never connected: the request was not sent
    │   └── TransportTimeoutError   sent, then timed out: it may have gone through
    ├── DecodeError                 a success whose body does not match the model
    └── WebhookError                a webhook body that is not a readable event

The classes are plain Python, so they subclass, pickle and compare like any
exception; the extension module picks the class and fills in the attributes.
``InvalidRequestError``, ``ConfigurationError`` and ``WebhookError`` are also
``ValueError``; ``ConnectError`` is also ``ConnectionError`` and
``TransportTimeoutError`` also ``TimeoutError``. No exception carries a token.
"""

from __future__ import annotations

# `typing` costs more to import than the whole package: annotations stay strings.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Literal, Optional, Tuple, Type, TypeVar, Union

    from postmark_kit.types import BuildErrorKind, ErrorKind, WebhookErrorKind

    _E = TypeVar("_E", bound="PostmarkError")

__all__ = [
    "PostmarkError",
    "ConfigurationError",
    "InvalidRequestError",
    "MissingFieldError",
    "LimitExceededError",
    "InvalidParameterError",
    "ApiError",
    "InvalidTokenError",
    "NotFoundError",
    "InactiveRecipientError",
    "RateLimitedError",
    "ServerError",
    "UnavailableError",
    "TransportError",
    "ConnectError",
    "TransportTimeoutError",
    "DecodeError",
    "WebhookError",
]

def _restore(cls: Type[_E], description: str, details: Dict[str, Any]) -> _E:
    error = cls.__new__(cls, description)
    error.__init__(description)  # type: ignore[misc]
    error.__dict__.update(details)
    return error


class PostmarkError(Exception):
    """Base of every postmark_kit exception.

    ``str(error)`` describes the failure; ``message`` is the same text, or
    Postmark's own ``Message`` for an ``ApiError``.
    """

    message: str
    #: Set when ``ServerClient.delete_webhooks_pointing_at`` stopped on this
    #: failure: the IDs of the webhooks it had deleted by then.
    deleted: Optional[List[int]] = None
    #: Set when ``send_email_batches`` (or its template form) stopped on this
    #: failure: the results of the batches answered until then, in order.
    sent: Optional[List[Dict[str, Any]]] = None

    def __init__(self, description: str, **details: Any) -> None:
        super().__init__(description)
        self.message = description
        for name, value in details.items():
            setattr(self, name, value)

    def __reduce__(self) -> Tuple[Any, ...]:
        # The details are keyword arguments, which the default pickling of
        # exceptions (``cls(*args)``) would drop.
        return (_restore, (type(self), str(self), dict(self.__dict__)))


class ConfigurationError(PostmarkError, ValueError):
    """A client cannot be made: no token, an invalid base URL, user agent or timeout."""

    #: The core's check for a token, base URL or user agent it refuses
    #: (``"missing_field"``, ``"invalid_base_url"``, ``"invalid_header_value"``),
    #: ``"invalid_options"`` for a ``token_kind`` that is neither, None otherwise.
    kind: Optional[Union[BuildErrorKind, Literal["invalid_options"]]] = None


class InvalidRequestError(PostmarkError, ValueError):
    """A request refused before anything was sent; nothing went out.

    ``kind`` names the check (``"missing_field"``, ``"too_many_recipients"``,
    ``"invalid_params"``...). For one bad message of a batch, ``index`` is its
    position and the class is the message's own problem.
    """

    #: A ``BuildErrorKind``, or ``"invalid_cursor"`` for a cursor ``resume`` cannot read;
    #: ``"other"`` only for an instance made by hand.
    kind: Union[BuildErrorKind, Literal["invalid_cursor", "other"]] = "other"
    #: Wire name of the field at fault, when there is one.
    field: Optional[str] = None
    #: JSON path of the offending parameter (``.Headers[0].Name``), for invalid parameters.
    path: Optional[str] = None
    #: The operation called, when the error is about its parameters.
    operation: Optional[str] = None
    #: Zero-based position of the bad message in a batch.
    index: Optional[int] = None
    #: The value that broke a limit (a count, a size in bytes).
    actual: Optional[int] = None
    #: The limit it broke.
    limit: Optional[int] = None


class MissingFieldError(InvalidRequestError):
    """A required field is absent or empty (or a template send names neither
    or both of TemplateId and TemplateAlias)."""


class LimitExceededError(InvalidRequestError):
    """Over one of Postmark's limits: 50 recipients, 500 messages in a batch,
    10 MB per message (50 MB per batch), 500 items per page, a value out of range."""


class InvalidParameterError(InvalidRequestError):
    """Parameters that do not fit the operation: a misspelt or unknown field,
    a value of the wrong type, or a value with no JSON form."""


class ApiError(PostmarkError):
    """Postmark (or a proxy in front of it) answered with an error status."""

    #: The HTTP status.
    status: int = 0
    #: The kind of failure by status: ``"invalid_token"``, ``"not_found"``,
    #: ``"unprocessable"``, ``"rate_limited"``, ``"server_error"``, ``"unavailable"``...
    kind: ErrorKind = "other"
    #: Postmark's ErrorCode, when the body carried one.
    error_code: Optional[int] = None
    #: The ErrorCode's name (``"INACTIVE_RECIPIENT"``), when it is a documented one.
    error_name: Optional[str] = None
    #: ``X-Request-Id``, for Postmark support.
    request_id: Optional[str] = None
    #: ``Retry-After`` in seconds, when the server sent one.
    retry_after: Optional[int] = None
    #: The start of a body that was not Postmark's error envelope (an HTML error page).
    body: Optional[str] = None
    #: The error body's fields besides ``ErrorCode`` and ``Message``, when it has any:
    #: a webhook that failed verification (ErrorCode 1364) carries each trigger's
    #: outcome here (``details["Results"]``).
    details: Optional[Dict[str, Any]] = None
    #: For ErrorCode 406: the inactive addresses Postmark's message names
    #: (empty when it names none, and for every other error).
    inactive_recipients: List[str] = []


class InvalidTokenError(ApiError):
    """401: the token is missing, wrong, or of the wrong kind (ErrorCode 10)."""


class NotFoundError(ApiError):
    """404: the resource or route does not exist."""


class InactiveRecipientError(ApiError):
    """ErrorCode 406: every recipient is inactive (bounced, complained or
    suppressed). Nothing was sent."""


class RateLimitedError(ApiError):
    """429: too many requests. Raised once the client's retries are spent, or
    when ``retry_after`` is longer than the client waits."""


class ServerError(ApiError):
    """A 5xx answer. Except for ``UnavailableError``, Postmark may have acted on
    the request: a send is not repeated unless ``retry_non_idempotent`` is set."""


class UnavailableError(ServerError):
    """503: Postmark is unavailable or in maintenance; the request did not take effect."""


class TransportError(PostmarkError):
    """No answer came back: the connection failed, broke or timed out."""

    #: ``"connect"``, ``"timeout"`` or ``"io"``.
    kind: Literal["connect", "timeout", "io"] = "io"


class ConnectError(TransportError, ConnectionError):
    """Could not connect (refused, DNS, TLS): the request was never sent."""


class TransportTimeoutError(TransportError, TimeoutError):
    """The request was sent and timed out: it may have taken effect."""


class DecodeError(PostmarkError):
    """A success status whose body does not match the expected model."""

    kind: Literal["decode"] = "decode"
    #: The HTTP status.
    status: int = 0
    #: JSON path of the offending value.
    path: str = "."
    #: The start of the body.
    body: str = ""


class WebhookError(PostmarkError, ValueError):
    """A webhook body that is not JSON, not an object, or a known event whose
    fields have the wrong type; or one larger than `read_webhook_body` reads.
    An unknown RecordType is not an error."""

    #: ``"syntax"``, ``"not_an_object"``, ``"invalid_payload"`` or ``"too_large"``.
    kind: WebhookErrorKind = "syntax"
    #: JSON path of the offending value; ``.`` when the whole body is at fault.
    path: str = "."
