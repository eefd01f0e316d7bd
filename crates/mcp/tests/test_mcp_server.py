"""postmark-kit-mcp through the official MCP Python SDK's client, over stdio,
against the mock server (`postmark-mock`, on 127.0.0.1).

Each test starts the server as an MCP client does, with the environment it
would pass; every session is tapped: what the server wrote on stdout (every
protocol message) and on stderr, and so every tool result, is scanned for the
tokens, which must never appear.

Run by `just test-mcp`, which builds both binaries and installs the SDK.
"""

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Iterator, List, Optional, Sequence, Tuple

import anyio
import pytest
from mcp import ClientSession, MCPError, StdioServerParameters, stdio_client

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "examples" / "python"))

from local_mock import LocalMock  # noqa: E402

TARGET = REPO / os.environ.get("CARGO_TARGET_DIR", "target")
SERVER_BIN = os.environ.get("POSTMARK_MCP_BIN", str(TARGET / "debug" / "postmark-kit-mcp"))

#: The default toolsets' read-only tools, in the table's order.
DEFAULT_TOOLS = [
    "get_delivery_stats",
    "list_bounces",
    "get_bounce",
    "get_bounce_dump",
    "get_current_server",
    "search_outbound_messages",
    "get_outbound_message_details",
    "get_outbound_message_dump",
    "search_inbound_messages",
    "get_inbound_message_details",
    "search_message_opens",
    "get_message_opens",
    "search_message_clicks",
    "get_message_clicks",
    "list_templates",
    "get_template",
    "validate_template",
    "dump_suppressions",
]

SENDS = ["send_email", "send_email_batch", "send_email_with_template", "send_email_batch_with_templates"]


@pytest.fixture(scope="session")
def mock_process() -> Iterator[LocalMock]:
    with LocalMock() as mock:
        yield mock


@pytest.fixture
def mock(mock_process: LocalMock) -> LocalMock:
    mock_process.control("POST", "/__mock/reset")
    mock_process.control("DELETE", "/__mock/requests")
    return mock_process


class Session:
    """A connected client, and everything the server printed."""

    def __init__(self, client: ClientSession) -> None:
        self.client = client

    async def tools(self) -> List[Any]:
        return list((await self.client.list_tools()).tools)

    async def call(self, name: str, arguments: Dict[str, Any]) -> Tuple[bool, Any]:
        """Whether the call failed, and its answer's JSON."""
        result = await self.client.call_tool(name, arguments)
        assert len(result.content) == 1
        return bool(result.is_error), json.loads(result.content[0].text)

    async def ok(self, name: str, arguments: Dict[str, Any]) -> Any:
        failed, answer = await self.call(name, arguments)
        assert not failed, answer
        return answer

    async def error(self, name: str, arguments: Dict[str, Any]) -> Dict[str, Any]:
        failed, answer = await self.call(name, arguments)
        assert failed, answer
        assert isinstance(answer, dict) and answer["hint"], answer
        return answer


def environment(mock: LocalMock, tokens: Sequence[str], extra: Dict[str, str]) -> Dict[str, str]:
    env = {"POSTMARK_API_URL": mock.url}
    if "server" in tokens:
        env["POSTMARK_SERVER_TOKEN"] = mock.server_token
    if "account" in tokens:
        env["POSTMARK_ACCOUNT_TOKEN"] = mock.account_token
    env.update(extra)
    # Nothing but the mock: the API URL is on loopback.
    assert env["POSTMARK_API_URL"].startswith("http://127.0.0.1:")
    return env


@contextlib.asynccontextmanager
async def connect(
    mock: LocalMock,
    *flags: str,
    tokens: Sequence[str] = ("server",),
    env: Optional[Dict[str, str]] = None,
    secrets: Sequence[str] = (),
    log: Optional[List[str]] = None,
) -> AsyncIterator[Session]:
    """A session with the server started with `flags` and the environment an
    MCP client would give it. On leaving, the server's stdout and stderr are
    checked for every token (the mock's and `secrets`); `log` gets the stderr
    lines."""
    params = StdioServerParameters(
        command=SERVER_BIN, args=list(flags), env=environment(mock, tokens, env or {})
    )
    printed: List[str] = []
    with tempfile.TemporaryFile("w+") as stderr:
        async with stdio_client(params, errlog=stderr) as (read, write):
            tap_in, tap_out = anyio.create_memory_object_stream[Any](0)

            async def tap() -> None:
                async with tap_in:
                    async for message in read:
                        printed.append(
                            message.message.model_dump_json()
                            if hasattr(message, "message")
                            else repr(message)
                        )
                        await tap_in.send(message)

            async with anyio.create_task_group() as tasks:
                tasks.start_soon(tap)
                async with ClientSession(tap_out, write) as client:
                    await client.initialize()
                    yield Session(client)
                tasks.cancel_scope.cancel()
        stderr.seek(0)
        lines = stderr.read().splitlines()
    if log is not None:
        log.extend(lines)
    everything = "\n".join(printed + lines)
    for secret in [mock.server_token, mock.account_token, *secrets]:
        assert secret not in everything, "a token was printed"
    assert "panicked" not in everything


def run(scenario: Any) -> Any:
    return asyncio.run(scenario)


def names(tools: List[Any]) -> List[str]:
    return [tool.name for tool in tools]


def requests(mock: LocalMock) -> List[Dict[str, Any]]:
    seen: List[Dict[str, Any]] = mock.control("GET", "/__mock/requests")
    return seen


def listed(mock: LocalMock, flags: Sequence[str], tokens: Sequence[str]) -> List[Any]:
    """What `--list-tools --json` prints for the same flags and environment."""
    env = {"PATH": os.environ.get("PATH", ""), **environment(mock, tokens, {})}
    out = subprocess.run(
        [SERVER_BIN, *flags, "--list-tools", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert mock.server_token not in out.stdout + out.stderr
    tools: List[Any] = json.loads(out.stdout)
    return tools


# The tool list for each combination of flags and tokens: (flags, tokens,
# how many tools, some that must be there, some that must not).
COMBINATIONS = [
    ([], ["server"], 18, DEFAULT_TOOLS, SENDS + ["create_template", "delete_template"]),
    ([], ["server", "account"], 18, DEFAULT_TOOLS, ["push_templates"]),
    (["--allow-send"], ["server"], 22, SENDS, ["create_template", "delete_template"]),
    (["--allow-write"], ["server"], 25, ["create_template", "edit_template", "create_suppressions"], SENDS + ["delete_template"]),
    (["--allow-destructive"], ["server"], 20, ["delete_template", "delete_suppressions"], SENDS + ["create_template"]),
    (["--allow-send", "--allow-write", "--allow-destructive"], ["server"], 31, SENDS + ["delete_template"], ["list_webhooks", "push_templates"]),
    (["--toolsets", "all", "--allow-send", "--allow-write", "--allow-destructive"], ["server", "account"], 88, ["delete_server", "create_data_removal", "send_bulk_email"], []),
    (["--toolsets", "all"], ["account"], 7, ["list_servers", "get_domain"], ["send_email", "list_templates", "delete_server"]),
    (["--toolsets", "webhooks,stats"], ["server"], 16, ["list_webhooks", "get_outbound_overview"], ["create_webhook", "search_outbound_messages"]),
    (["--toolsets", "domains"], ["server"], 0, [], ["list_domains"]),
]


@pytest.mark.parametrize("flags, tokens, count, present, absent", COMBINATIONS)
def test_the_tool_list_follows_flags_toolsets_and_tokens(
    mock: LocalMock,
    flags: List[str],
    tokens: List[str],
    count: int,
    present: List[str],
    absent: List[str],
) -> None:
    async def scenario() -> List[Any]:
        async with connect(mock, *flags, tokens=tokens) as session:
            return await session.tools()

    tools = run(scenario())
    assert len(tools) == count
    assert set(present) <= set(names(tools))
    assert not set(absent) & set(names(tools))
    if not flags:
        assert names(tools) == DEFAULT_TOOLS
    for tool in tools:
        hints = tool.annotations
        destructive = tool.name.startswith("delete_") or tool.name in (
            "create_data_removal",
            "archive_message_stream",
        )
        assert hints.read_only_hint == (tool.name.startswith(("get_", "list_", "search_", "dump_")) or tool.name == "validate_template"), tool.name
        assert (hints.destructive_hint is True) == destructive, tool.name
        assert tool.input_schema["type"] == "object"
        assert tool.input_schema["properties"]["dry_run"]["type"] == "boolean"
    # --list-tools prints the very tools the server lists.
    printed = listed(mock, flags, tokens)
    assert [tool["name"] for tool in printed] == names(tools)
    for tool, shown in zip(tools, printed):
        assert tool.input_schema == shown["inputSchema"]
        assert tool.description == shown["description"]


def test_a_send_reaches_the_mock_with_the_defaults(mock: LocalMock) -> None:
    async def scenario() -> Tuple[Any, Any, Any]:
        async with connect(
            mock,
            "--allow-send",
            env={"DEFAULT_SENDER_EMAIL": "sender@example.com", "DEFAULT_MESSAGE_STREAM": "outbound"},
        ) as session:
            tool = next(t for t in await session.tools() if t.name == "send_email")
            sent = await session.ok(
                "send_email",
                {"To": "Ada <ada@example.com>", "Subject": "Hello", "TextBody": "Hi Ada"},
            )
            server = await session.ok("get_current_server", {})
            return tool, sent, server

    tool, sent, server = run(scenario())
    # The default sender is in the schema, and `From` is not required.
    assert tool.input_schema["properties"]["From"]["default"] == "sender@example.com"
    assert "From" not in tool.input_schema.get("required", [])
    assert sent["ErrorCode"] == 0 and sent["Message"] == "OK"
    assert sent["To"] == "Ada <ada@example.com>"
    [message] = mock.control("GET", "/__mock/messages")
    assert message["MessageID"] == sent["MessageID"]
    assert message["From"] == "sender@example.com"
    assert message["Subject"] == "Hello"
    assert message["MessageStream"] == "outbound"
    # The server's own tokens come back masked.
    assert server["ApiTokens"] == ["****"]
    assert [(r["method"], r["path"], r["token"]) for r in requests(mock)] == [
        ("POST", "/email", "server"),
        ("GET", "/server", "server"),
    ]


def test_a_template_send_is_rendered(mock: LocalMock) -> None:
    mock.control(
        "POST",
        "/__mock/templates",
        {"Alias": "welcome", "Subject": "Welcome, {{name}}", "TextBody": "Hello {{name}}, your plan is {{plan}}."},
    )

    async def scenario() -> Any:
        async with connect(mock, "--allow-send") as session:
            return await session.ok(
                "send_email_with_template",
                {
                    "From": "sender@example.com",
                    "To": "ada@example.com",
                    "TemplateAlias": "welcome",
                    "TemplateModel": {"name": "Ada", "plan": "Pro"},
                },
            )

    sent = run(scenario())
    assert sent["ErrorCode"] == 0
    [message] = mock.control("GET", "/__mock/messages")
    assert message["MessageID"] == sent["MessageID"]
    assert message["Subject"] == "Welcome, Ada"
    assert message["TextBody"] == "Hello Ada, your plan is Pro."


def test_a_search_pages_through_the_messages(mock: LocalMock) -> None:
    async def scenario() -> Tuple[List[Any], List[Any]]:
        async with connect(mock, "--allow-send") as session:
            batch = await session.ok(
                "send_email_batch",
                {
                    "Messages": [
                        {"From": "sender@example.com", "To": f"r{i}@example.com", "Subject": f"n{i}", "TextBody": "x", "Tag": "paged"}
                        for i in range(5)
                    ]
                },
            )
            pages = [
                await session.ok("search_outbound_messages", {"tag": "paged", "count": 2, "offset": offset})
                for offset in (0, 2, 4)
            ]
            return batch, pages

    batch, pages = run(scenario())
    assert [sent["ErrorCode"] for sent in batch] == [0] * 5
    assert [page["TotalCount"] for page in pages] == [5, 5, 5]
    assert [len(page["Messages"]) for page in pages] == [2, 2, 1]
    found = [m["MessageID"] for page in pages for m in page["Messages"]]
    assert sorted(found) == sorted(sent["MessageID"] for sent in batch)
    queries = [r["query"] for r in requests(mock) if r["path"] == "/messages/outbound"]
    assert queries == [f"count=2&offset={o}&tag=paged" for o in (0, 2, 4)]


def test_a_dry_run_sends_nothing(mock: LocalMock) -> None:
    async def scenario() -> Tuple[Any, Any]:
        async with connect(mock, "--allow-send", "--allow-destructive") as session:
            send = await session.ok(
                "send_email",
                {"From": "sender@example.com", "To": "ada@example.com", "TextBody": "Hi", "dry_run": True},
            )
            delete = await session.ok("delete_template", {"id_or_alias": "welcome", "dry_run": True})
            return send, delete

    send, delete = run(scenario())
    assert requests(mock) == []
    assert mock.control("GET", "/__mock/messages") == []
    assert send["dry_run"] is True
    assert send["method"] == "POST"
    assert send["url"] == mock.url + "/email"
    assert send["headers"]["x-postmark-server-token"] == "****"
    assert send["headers"]["content-type"] == "application/json"
    assert json.loads(send["body"]) == {"From": "sender@example.com", "To": "ada@example.com", "TextBody": "Hi"}
    assert send["idempotent"] is False
    assert (delete["method"], delete["url"], delete["body"]) == ("DELETE", mock.url + "/templates/welcome", None)


def test_a_destructive_call_is_refused_unless_allowed(mock: LocalMock) -> None:
    mock.control("POST", "/__mock/templates", {"Alias": "keep", "Subject": "s", "TextBody": "t"})

    async def refused() -> Tuple[List[str], Dict[str, Any]]:
        async with connect(mock, "--allow-write") as session:
            return names(await session.tools()), await session.error("delete_template", {"id_or_alias": "keep"})

    listed_names, refusal = run(refused())
    assert "delete_template" not in listed_names
    assert refusal["kind"] == "tool_disabled"
    assert refusal["message"] == "`delete_template` is a destructive operation, which this server does not allow"
    assert "--allow-destructive" in refusal["hint"]
    assert requests(mock) == []

    async def allowed() -> Any:
        async with connect(mock, "--allow-destructive") as session:
            deleted = await session.ok("delete_template", {"id_or_alias": "keep"})
            gone = await session.error("get_template", {"id_or_alias": "keep"})
            return deleted, gone

    deleted, gone = run(allowed())
    assert deleted["ErrorCode"] == 0
    assert (gone["kind"], gone["status"], gone["error_code"]) == ("unprocessable", 422, 1101)


def test_a_wrong_token_answers_its_error_code(mock: LocalMock) -> None:
    wrong = "6a1b9c3e-0000-4000-8000-123456789abc"

    async def scenario() -> Dict[str, Any]:
        async with connect(mock, tokens=(), env={"POSTMARK_SERVER_TOKEN": wrong}, secrets=[wrong]) as session:
            return await session.error("get_delivery_stats", {})

    error = run(scenario())
    assert error["kind"] == "invalid_token"
    assert error["status"] == 401
    assert error["error_code"] == 10
    assert error["error_name"] == "INVALID_TOKEN"
    assert "POSTMARK_SERVER_TOKEN" in error["hint"]
    assert [r["path"] for r in requests(mock)] == ["/deliverystats"]


def test_malformed_arguments_get_a_clear_error(mock: LocalMock) -> None:
    async def scenario() -> Tuple[List[Dict[str, Any]], MCPError]:
        async with connect(mock, "--allow-send") as session:
            errors = [
                await session.error("send_email", {"From": "a@example.com", "To": "b@example.com", "Textbody": "x"}),
                await session.error("get_bounce", {"id": "seven"}),
                await session.error("send_email", {"From": "a@example.com", "To": "b@example.com", "TextBody": "x", "dry_run": "yes"}),
                await session.error("send_email", {"To": "b@example.com", "TextBody": "x"}),
                await session.error("send_email_with_template", {"From": "a@example.com", "To": "b@example.com", "TemplateId": 1, "TemplateAlias": "a", "TemplateModel": {}}),
            ]
            with pytest.raises(MCPError) as unknown:
                await session.client.call_tool("send_sms", {})
            return errors, unknown.value

    errors, unknown = run(scenario())
    assert [(e["kind"], e.get("path")) for e in errors] == [
        ("invalid_params", "Textbody"),
        ("invalid_params", "id"),
        ("invalid_params", "dry_run"),
        ("missing_field", None),
        ("template_choice", None),
    ]
    assert errors[0]["message"] == "invalid parameters for `send_email` at `Textbody`: unknown field"
    assert errors[0]["hint"].startswith("Nothing was sent. Fix the argument at `Textbody`")
    assert errors[3]["field"] == "From"
    assert "no tool is named `send_sms`" in unknown.message
    assert requests(mock) == []


def test_sends_off_the_allow_list_are_refused(mock: LocalMock) -> None:
    async def scenario() -> Tuple[Dict[str, Any], Any]:
        async with connect(mock, "--allow-send", "--allowed-recipients", "@example.com") as session:
            refused = await session.error(
                "send_email",
                {"From": "a@example.com", "To": "ada@example.com", "Cc": "eve@elsewhere.example", "TextBody": "x"},
            )
            sent = await session.ok("send_email", {"From": "a@example.com", "To": "ada@example.com", "TextBody": "x"})
            return refused, sent

    refused, sent = run(scenario())
    assert refused["kind"] == "recipient_not_allowed"
    assert refused["refused"] == ["eve@elsewhere.example"]
    assert sent["ErrorCode"] == 0
    assert [r["path"] for r in requests(mock)] == ["/email"]


def test_account_operations_need_the_account_token(mock: LocalMock) -> None:
    async def scenario() -> Tuple[Dict[str, Any], Any]:
        async with connect(mock, "--toolsets", "servers,templates", tokens=("server",)) as session:
            refused = await session.error("list_servers", {})
        async with connect(mock, "--toolsets", "servers", tokens=("account",)) as session:
            servers = await session.ok("list_servers", {})
        return refused, servers

    refused, servers = run(scenario())
    assert refused["kind"] == "tool_disabled"
    assert "POSTMARK_ACCOUNT_TOKEN" in refused["hint"]
    assert servers["TotalCount"] >= 1
    assert all(server["ApiTokens"] == ["****"] for server in servers["Servers"])
    assert [(r["path"], r["token"]) for r in requests(mock)] == [("/servers", "account")]


def test_a_cancelled_call_is_dropped_and_the_session_goes_on(mock: LocalMock) -> None:
    log: List[str] = []
    mock.control("POST", "/__mock/faults", {"kind": "delay", "ms": 3000, "path": "/email", "count": 2})
    send = {"From": "a@example.com", "To": "b@example.com", "TextBody": "x"}

    async def scenario() -> Any:
        async with connect(mock, "--allow-send", log=log) as session:
            # The client gives up on a slow call, and says so: the server drops it.
            with pytest.raises(MCPError):
                await session.client.call_tool("send_email", send, read_timeout_seconds=0.5)
            stats = await session.ok("get_delivery_stats", {})
            # The client leaves with a call in flight.
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(session.client.call_tool, "send_email", send)
                await anyio.sleep(0.5)
                tasks.cancel_scope.cancel()
            return stats

    started = time.monotonic()
    stats = run(scenario())
    # The SDK closes stdin, then waits 2 s before it would terminate the
    # server: it left on its own, and said why.
    assert time.monotonic() - started < 6
    assert "InactiveMails" in stats
    assert sum("send_email: cancelled by the client" in line for line in log) == 2, log
    assert "postmark-kit-mcp: get_delivery_stats: ok" in "\n".join(log)
    assert log[-1] == "postmark-kit-mcp: session over (Closed)", log


def test_a_client_that_dies_mid_call_leaves_the_server_to_exit_cleanly(mock: LocalMock) -> None:
    """The SDK cancels before it closes; a client that crashes does not: its
    pipes just close, with the call in flight."""
    mock.control("POST", "/__mock/faults", {"kind": "delay", "ms": 3000, "path": "/email"})
    env = {"PATH": os.environ.get("PATH", ""), **environment(mock, ["server"], {})}
    with tempfile.TemporaryFile("w+") as stderr:
        server = subprocess.Popen(
            [SERVER_BIN, "--allow-send"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
        )
        assert server.stdin is not None and server.stdout is not None

        def say(message: Dict[str, Any]) -> None:
            assert server.stdin is not None
            server.stdin.write(json.dumps({"jsonrpc": "2.0", **message}).encode() + b"\n")
            server.stdin.flush()

        say({"id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "dying-client", "version": "0"}}})
        answer = json.loads(server.stdout.readline())
        assert answer["result"]["serverInfo"]["name"] == "postmark-kit-mcp"
        say({"method": "notifications/initialized"})
        say({"id": 2, "method": "tools/call", "params": {"name": "send_email", "arguments": {
            "From": "a@example.com", "To": "b@example.com", "TextBody": "x"}}})
        deadline = time.monotonic() + 10
        while mock.control("GET", "/__mock/stats")["in_flight"] < 1:
            assert time.monotonic() < deadline, "the call never reached the mock"
            time.sleep(0.01)
        server.stdin.close()
        server.stdout.close()
        code = server.wait(timeout=5)
        stderr.seek(0)
        printed = stderr.read()
    assert code == 0, printed
    assert printed.splitlines()[-1] == "postmark-kit-mcp: session over (Closed)", printed
    assert "panicked" not in printed and mock.server_token not in printed


def test_mock_mode_serves_without_any_token(mock: LocalMock) -> None:
    async def scenario() -> Any:
        async with connect(mock, "--mock", "--allow-send", tokens=()) as session:
            return await session.ok("send_email", {"From": "a@example.com", "To": "b@example.com", "TextBody": "x"})

    sent = run(scenario())
    assert sent["ErrorCode"] == 0
    # The in-process mock took it, not the shared one.
    assert requests(mock) == []
