"""The asyncio clients: the core builds every request, decides every retry and
reads every answer (``_native.Engine``); an async HTTP client moves the bytes.

The methods are made from the operation table when this module is imported,
one per row, named and documented as the blocking clients' are; their types
are in ``aio.pyi`` (generated with the blocking clients' stub). Import from
``postmark_kit.aio`` (or ``postmark_kit``) instead.
"""

import asyncio
import importlib
from types import ModuleType, TracebackType
from typing import (
    Any, Awaitable, Callable, Dict, Generic, List, Literal, Optional, Tuple, Type, TypeVar, Union,
    cast,
)

from postmark_kit import _native, errors

_T = TypeVar("_T")
_C = TypeVar("_C", bound="_AsyncClient")

#: A request as the engine builds it: method, URL, headers, body, idempotent.
_Request = Tuple[str, str, List[Tuple[str, str]], Optional[bytes], bool]
#: An answer as the transport got it: status, headers (only for a failure), body.
_Answer = Tuple[int, Any, bytes]
_Send = Callable[[_Request], Awaitable[_Answer]]

#: Postmark's ErrorCode for a webhook that is gone.
_WEBHOOK_NOT_FOUND = 1352


class _Failures:
    """How a transport says that no answer came: its exception classes, by
    whether the request may have reached Postmark."""

    __slots__ = ("transport", "not_sent", "timeout")

    def __init__(
        self,
        transport: Tuple[Type[BaseException], ...] = (),
        not_sent: Tuple[Type[BaseException], ...] = (),
        timeout: Tuple[Type[BaseException], ...] = (TimeoutError,),
    ) -> None:
        self.transport = transport
        self.not_sent = not_sent
        self.timeout = timeout

    def exception(self, error: BaseException) -> Tuple[bool, errors.TransportError]:
        """Whether the request may have been sent, and the client's exception."""
        sent = not isinstance(error, self.not_sent)
        cls: Type[errors.TransportError]
        if not sent:
            kind, cls = "connect", errors.ConnectError
        elif isinstance(error, self.timeout):
            kind, cls = "timeout", errors.TransportTimeoutError
        else:
            kind, cls = "io", errors.TransportError
        detail = str(error) or type(error).__name__
        return sent, cls(f"transport error ({kind}): {detail}", kind=kind)


class _Httpx:
    """An `AsyncClient` of httpx2 or httpx, or anything with its `request()`
    (a test double, which raises what it raises)."""

    __slots__ = ("client", "failures")

    def __init__(self, client: Any) -> None:
        self.client = client
        family = type(client).__module__.partition(".")[0]
        try:
            module = importlib.import_module(family)
            not_sent = ("ConnectError", "ConnectTimeout", "PoolTimeout", "ProxyError",
                        "UnsupportedProtocol", "LocalProtocolError")
            self.failures = _Failures(
                (module.TransportError,),
                tuple(getattr(module, name) for name in not_sent),
                (module.TimeoutException,),
            )
        except (ImportError, AttributeError):
            self.failures = _Failures()

    async def send(self, method: str, url: str, headers: Any, body: Optional[bytes]) -> _Answer:
        response = await self.client.request(method, url, headers=headers, content=body)
        return response.status_code, response.headers, response.content

    async def aclose(self) -> None:
        await self.client.aclose()


class _Aiohttp:
    """An aiohttp `ClientSession`: given, or made on the first request (it
    belongs to the event loop it is made in). aiohttp itself sends a read
    again, once, on a new connection when a kept-alive one turns out closed."""

    __slots__ = ("module", "url", "session", "timeout", "closed", "failures")

    def __init__(self, module: ModuleType, session: Any = None, timeout: Any = None) -> None:
        self.module = module
        # The core's URL is sent as it is: aiohttp would otherwise requote it
        # (`%40` in a query becomes `@`).
        self.url = importlib.import_module("yarl").URL
        self.session = session
        self.timeout = timeout
        self.closed = False
        self.failures = _Failures(
            (module.ClientError, asyncio.TimeoutError),
            # Refused, unreachable, or no connection in time: nothing was sent.
            (module.ClientConnectorError, module.ConnectionTimeoutError),
            (asyncio.TimeoutError,),
        )

    async def send(self, method: str, url: str, headers: Any, body: Optional[bytes]) -> _Answer:
        session = self.session
        if session is None:
            if self.closed:
                raise RuntimeError("the client is closed")
            # Postmark sets no cookies worth keeping between calls.
            session = self.session = self.module.ClientSession(
                timeout=self.timeout, cookie_jar=self.module.DummyCookieJar()
            )
        # Postmark does not redirect; following one could carry the token elsewhere.
        async with session.request(
            method, self.url(url, encoded=True), headers=headers, data=body,
            allow_redirects=False,
        ) as response:
            return response.status, response.headers, await response.read()

    async def aclose(self) -> None:
        self.closed = True
        if self.session is not None:
            await self.session.close()
            self.session = None


_Transport = Union[_Httpx, _Aiohttp]


def _default_transport(timeout: float, connect_timeout: float) -> _Transport:
    """aiohttp, what ``pip install postmark-kit[async]`` installs (the fastest
    per request of the async HTTP clients measured, see bench/transports.py);
    else httpx2, or httpx."""
    try:
        import aiohttp
    except ImportError:
        pass
    else:
        limits = aiohttp.ClientTimeout(total=timeout, connect=connect_timeout)
        return _Aiohttp(aiohttp, timeout=limits)
    for name in ("httpx2", "httpx"):
        try:
            http = importlib.import_module(name)
        except ImportError:
            continue
        client = http.AsyncClient(
            timeout=http.Timeout(timeout, connect=connect_timeout), follow_redirects=False
        )
        return _Httpx(client)
    raise ImportError(
        "the asyncio clients need an async HTTP client: pip install 'postmark-kit[async]' "
        "(or pass http_client=)"
    )


def _transport_of(client: Any) -> _Transport:
    """The transport for a client of the caller's own: an aiohttp session, or
    an httpx-like client."""
    if type(client).__module__.partition(".")[0] == "aiohttp":
        return _Aiohttp(importlib.import_module("aiohttp"), session=client)
    return _Httpx(client)


class AsyncPages(Generic[_T]):
    """Every item of a paged list, for ``async for``: a page is fetched when
    the iteration reaches it. After an error, or a cancelled fetch, the walk
    stays where it was: iterating again fetches the same page, and ``cursor``
    resumes it later with ``client.resume(cursor)``. One task at a time."""

    __slots__ = ("_walk", "_send", "_fetching")

    def __init__(self, walk: _native.PageWalk, send: _Send) -> None:
        self._walk = walk
        self._send = send
        self._fetching = False

    def __aiter__(self) -> "AsyncPages[_T]":
        return self

    async def __anext__(self) -> _T:
        item = self._walk.pop()
        if item is not None:
            return cast(_T, item)
        if self._fetching:
            raise RuntimeError(
                "this AsyncPages is fetching a page in another task: a walk is used by one "
                "task at a time (give each its own)"
            )
        self._fetching = True
        try:
            while True:
                request = self._walk.next_request()
                if request is None:
                    raise StopAsyncIteration
                status, headers, body = await self._send(request)
                self._walk.advance(status, body, headers)
                item = self._walk.pop()
                if item is not None:
                    return cast(_T, item)
        finally:
            self._fetching = False

    @property
    def operation(self) -> str:
        return self._walk.operation

    @property
    def cursor(self) -> str:
        return self._walk.cursor

    @property
    def yielded(self) -> int:
        return self._walk.yielded

    @property
    def total(self) -> Optional[int]:
        return self._walk.total

    @property
    def stop_reason(self) -> Optional[str]:
        return self._walk.stop_reason

    def __repr__(self) -> str:
        return repr(self._walk).replace("PageWalk", "AsyncPages", 1)


class _AsyncClient:
    """What both asyncio clients share; the operation methods are added below."""

    _token_kind: Literal["server", "account"]

    def __init__(
        self,
        token: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
        retry_max_delay: Optional[float] = None,
        max_retry_after: Optional[float] = None,
        retry_non_idempotent: Optional[bool] = None,
        user_agent: Optional[str] = None,
        allow_insecure_http: bool = False,
        http_client: Any = None,
    ) -> None:
        self._engine = _native.Engine(
            self._token_kind, token, base_url=base_url, max_attempts=max_attempts,
            retry_base_delay=retry_base_delay, retry_max_delay=retry_max_delay,
            max_retry_after=max_retry_after, retry_non_idempotent=retry_non_idempotent,
            user_agent=user_agent, allow_insecure_http=allow_insecure_http,
        )
        self._owns_http = http_client is None
        if http_client is None:
            for name, value in (("timeout", timeout), ("connect_timeout", connect_timeout)):
                if value is not None and not value >= 0:
                    raise errors.ConfigurationError(
                        f"`{name}` must be a non-negative number of seconds, not {value}"
                    )
            self._http = _default_transport(
                30.0 if timeout is None else timeout,
                10.0 if connect_timeout is None else connect_timeout,
            )
        else:
            self._http = _transport_of(http_client)

    @property
    def base_url(self) -> str:
        return self._engine.base_url

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    async def __aenter__(self: _C) -> _C:
        return self

    async def __aexit__(
        self,
        kind: Optional[Type[BaseException]],
        error: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Closes the connection pool, unless it came from ``http_client=``."""
        if self._owns_http:
            await self._http.aclose()

    async def _send(self, request: _Request) -> _Answer:
        """Sends until an answer is a success or the core's policy gives up;
        the last answer, or the exception for no answer."""
        method, url, headers, body, idempotent = request
        http = self._http
        attempt = 0
        while True:
            attempt += 1
            try:
                status, answer_headers, answer = await http.send(method, url, headers, body)
            except http.failures.transport as error:
                sent, failure = http.failures.exception(error)
                wait = self._engine.retry_delay(attempt, idempotent, None, sent=sent)
                if wait is None:
                    raise failure from error
            else:
                if 200 <= status < 300:
                    return status, None, answer
                retry_after = answer_headers.get("retry-after")
                wait = self._engine.retry_delay(attempt, idempotent, status, retry_after)
                if wait is None:
                    return status, answer_headers, answer
            await asyncio.sleep(wait)

    async def _call(self, operation: str, params: Any, kwargs: Dict[str, Any]) -> Any:
        request = self._engine.build(operation, params, kwargs)
        status, headers, body = await self._send(request)
        return _native.parse_response(operation, status, headers, body)

    def _pages(
        self, operation: str, params: Any, kwargs: Dict[str, Any], limit: Optional[int]
    ) -> AsyncPages[Any]:
        return AsyncPages(self._engine.pages(operation, params, kwargs, limit), self._send)

    async def raw(
        self, method: str, path: str, *, query: Optional[Dict[str, Any]] = None, body: Any = None
    ) -> Any:
        request: Dict[str, Any] = {"method": method, "path": path}
        for key, value in (("query", query), ("body", body)):
            if value is not None:
                request[key] = value
        return await self._call("raw", request, {})

    def resume(self, cursor: str) -> AsyncPages[Dict[str, Any]]:
        return AsyncPages(self._engine.resume(cursor), self._send)


class AsyncServerClient(_AsyncClient):
    _token_kind: Literal["server", "account"] = "server"

    async def webhooks_pointing_at(self, url: str) -> List[Dict[str, Any]]:
        listed = await self._call("list_webhooks", None, {})
        return [hook for hook in listed["Webhooks"] if _native.same_webhook_url(hook["Url"], url)]

    async def delete_webhooks_pointing_at(self, url: str) -> List[int]:
        deleted: List[int] = []
        try:
            for hook in await self.webhooks_pointing_at(url):
                try:
                    await self._call("delete_webhook", {"id": hook["ID"]}, {})
                except errors.ApiError as error:
                    if error.error_code != _WEBHOOK_NOT_FOUND:
                        raise
                deleted.append(hook["ID"])
        except errors.PostmarkError as error:
            error.deleted = deleted
            raise
        return deleted


    async def send_email_batches(self, messages: Any) -> List[Dict[str, Any]]:
        return await self._send_batches("send_email_batch", messages)

    async def send_email_batches_with_templates(self, messages: Any) -> List[Dict[str, Any]]:
        return await self._send_batches("send_email_batch_with_templates", messages)

    async def _send_batches(self, operation: str, messages: Any) -> List[Dict[str, Any]]:
        """Every batch request the core cut and checked, sent one after the
        other; a failure carries the results until then in ``sent``."""
        sent: List[Dict[str, Any]] = []
        requests = self._engine.batches(operation, messages)
        try:
            for request in requests:
                status, headers, body = await self._send(request)
                sent.extend(_native.parse_response(operation, status, headers, body))
        except errors.PostmarkError as error:
            error.sent = sent
            raise
        return sent

    async def walk_windows(
        self, operation: str, from_: str, to: str, params: Any = None, /, **kwargs: Any
    ) -> Dict[str, Any]:
        windows = _native.DateWindows(operation, from_, to)
        filters: Dict[str, Any] = dict(params or {}, **kwargs)
        items: List[Any] = []
        truncated: List[Dict[str, str]] = []
        window = windows.next_window()
        while window is not None:
            start, end = window
            search = {**filters, "offset": 0, "fromdate": start, "todate": end}
            pages = self._pages(operation, search, {}, None)
            try:  # the first page tells the window's TotalCount
                first = [await pages.__anext__()]
            except StopAsyncIteration:
                first = []
            plan = windows.plan(start, end, pages.total or 0)
            if plan != "split":
                if plan == "truncated":
                    truncated.append({"from": start, "to": end})
                items.extend(first)
                items.extend([item async for item in pages])
                windows.walked(start, end)
            window = windows.next_window()
        return {"items": items, "truncated": truncated}


class AsyncAccountClient(_AsyncClient):
    _token_kind: Literal["server", "account"] = "account"


def _call_method(name: str, doc: Optional[str]) -> Callable[..., Awaitable[Any]]:
    async def method(self: _AsyncClient, params: Any = None, /, **kwargs: Any) -> Any:
        return await self._call(name, params, kwargs)

    method.__name__ = name
    method.__doc__ = doc
    return method


def _pages_method(name: str, doc: Optional[str]) -> Callable[..., AsyncPages[Any]]:
    def method(
        self: _AsyncClient, params: Any = None, /, *, limit: Optional[int] = None, **kwargs: Any
    ) -> AsyncPages[Any]:
        return self._pages(name, params, kwargs, limit)

    method.__name__ = name + "_all"
    method.__doc__ = doc
    return method


def _add_operations() -> None:
    """One coroutine method per row of the operation table, on the client of
    its token, and ``<name>_all`` for paged lists; named and documented as the
    blocking client's."""
    owners: Dict[str, Tuple[Type[_AsyncClient], type]] = {
        "server": (AsyncServerClient, _native.ServerClient),
        "account": (AsyncAccountClient, _native.AccountClient),
    }
    for op in _native.operations():
        cls, blocking = owners[op["token"]]
        name = op["name"]
        methods: List[Callable[..., Any]] = [_call_method(name, getattr(blocking, name).__doc__)]
        if op["paged"]:
            methods.append(_pages_method(name, getattr(blocking, name + "_all").__doc__))
        for method in methods:
            method.__qualname__ = f"{cls.__name__}.{method.__name__}"
            method.__module__ = "postmark_kit.aio"
            setattr(cls, method.__name__, method)


_add_operations()
