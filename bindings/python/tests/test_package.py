"""The installed wheel: what it is, that its stub matches it method by
method and parameter by parameter, that its examples run and type-check (the
tests too), and that the stubs catch mistakes."""

import ast
import importlib.metadata
import inspect
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple, Union

import pytest

import postmark_kit
from postmark_kit import _native, aio

from conftest import EXAMPLES

PACKAGE = Path(postmark_kit.__file__).parent
TESTS = Path(__file__).parent


def test_the_installed_wheel_is_tested() -> None:
    assert "site-packages" in PACKAGE.parts, PACKAGE
    assert Path(_native.__file__).name == "_native.abi3.so"
    wheel = importlib.metadata.distribution("postmark-kit").read_text("WHEEL") or ""
    tags = [line.split(": ", 1)[1] for line in wheel.splitlines() if line.startswith("Tag: ")]
    # One abi3 wheel for CPython 3.9 on, for glibc 2.17 on (manylinux2014).
    assert tags and all(tag.startswith("cp39-abi3-") for tag in tags), tags
    platforms = {tag.split("-")[2] for tag in tags}
    assert any(re.fullmatch(r"manylinux_2_17_\w+", p) for p in platforms), tags
    assert postmark_kit.__version__ == importlib.metadata.version("postmark-kit")
    for shipped in ("py.typed", "_native.pyi", "aio.pyi", "types.py", "errors.py"):
        assert (PACKAGE / shipped).is_file(), shipped


# --- the stub against the compiled module ------------------------------------------------

#: A `def` of a stub, `async` or not.
Def = Union[ast.FunctionDef, ast.AsyncFunctionDef]

#: Each module with a stub, and its stub.
STUBS = {module: ast.parse((PACKAGE / f"{module.__name__.rpartition('.')[2]}.pyi").read_text())
         for module in (_native, aio)}

#: One parameter: name (`*` and `**` for the variadic ones), kind, and
#: default: a value, REQUIRED, OPTIONAL (left out of some overload of the
#: stub: any default will do), or VARIADIC.
Param = Tuple[str, str, Any]
REQUIRED, OPTIONAL, VARIADIC = "<required>", "<optional>", "<variadic>"
KINDS = ["POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD", "VAR_POSITIONAL", "KEYWORD_ONLY", "VAR_KEYWORD"]


def is_property(node: Def) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list)


def stub_definitions(module: Any = _native) -> Dict[str, List[Def]]:
    """`function` or `Class.method` → its `def`s in the stub (several for overloads)."""
    found: Dict[str, List[Def]] = {}
    for node in STUBS[module].body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.setdefault(f"{node.name}.{item.name}", []).append(item)
        elif isinstance(node, ast.FunctionDef):
            found.setdefault(node.name, []).append(node)
    return found


def default_of(node: Optional[ast.expr]) -> Any:
    return REQUIRED if node is None else ast.literal_eval(node)


def stub_params(definition: Def) -> List[Param]:
    args = definition.args
    positional = [(a, "POSITIONAL_ONLY") for a in args.posonlyargs]
    positional += [(a, "POSITIONAL_OR_KEYWORD") for a in args.args]
    defaults: List[Optional[ast.expr]] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    params = [(a.arg, kind, default_of(d)) for (a, kind), d in zip(positional, defaults)]
    if args.vararg:
        params.append(("*", "VAR_POSITIONAL", VARIADIC))
    params += [(a.arg, "KEYWORD_ONLY", default_of(d)) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg:
        params.append(("**", "VAR_KEYWORD", VARIADIC))
    return params


def merged(overloads: List[Def], method: bool) -> List[Param]:
    """One parameter list for all the overloads of a `def` (without `self`)."""
    lists = [stub_params(d)[1 if method else 0:] for d in overloads]
    found: Dict[Tuple[str, str], List[Any]] = {}
    for params in lists:
        for name, kind, default in params:
            found.setdefault((name, kind), []).append(default)
    result = []
    for (name, kind), defaults in found.items():
        same = len(defaults) == len(lists) and len(set(map(repr, defaults))) == 1
        result.append((name, kind, defaults[0] if same or kind.startswith("VAR") else OPTIONAL))
    return sorted(result, key=lambda p: KINDS.index(p[1]))


def runtime_params(item: Any, method: bool) -> List[Param]:
    params = list(inspect.signature(item).parameters.values())[1 if method else 0:]
    variadic = {"VAR_POSITIONAL": "*", "VAR_KEYWORD": "**"}
    return [
        (variadic.get(p.kind.name, p.name), p.kind.name,
         VARIADIC if p.kind.name in variadic
         else REQUIRED if p.default is inspect.Parameter.empty else p.default)
        for p in params
    ]


def is_operation_method(name: str) -> bool:
    member = name.rpartition(".")[2]
    return any(member in (op["name"], op["name"] + "_all") for op in postmark_kit.operations())


#: What every operation method takes at run time besides its own keywords.
OPERATION_PARAMS = [("params", "POSITIONAL_ONLY", None), ("**", "VAR_KEYWORD", VARIADIC)]


def narrowed(stub: List[Param], runtime: List[Param]) -> List[Param]:
    """An operation method's run-time parameters as its stub narrows them:
    for an operation that takes nothing it leaves both of OPERATION_PARAMS
    out, for one that takes a list the keywords, and then requires the list."""
    kept = []
    for param in runtime:
        declared = next((s for s in stub if s[:2] == param[:2]), None)
        if param in OPERATION_PARAMS:
            if declared is None:
                continue
            if declared[2] == REQUIRED:
                param = (*param[:2], REQUIRED)
        kept.append(param)
    return kept


def compare(name: str, stub: List[Param], runtime: List[Param]) -> None:
    """The same parameters in the same order, of the same kinds, with the same defaults."""
    if is_operation_method(name):
        runtime = narrowed(stub, runtime)
    assert [p[:2] for p in stub] == [p[:2] for p in runtime], name
    for (param, _, declared), (_, _, actual) in zip(stub, runtime):
        if declared == OPTIONAL:
            assert actual not in (REQUIRED, VARIADIC), (name, param)
        else:
            assert declared == actual, (name, param, declared, actual)


@pytest.mark.parametrize("module", STUBS, ids=lambda module: module.__name__)
def test_the_stub_declares_exactly_what_the_module_has(module: Any) -> None:
    stub = stub_definitions(module)
    public = {name for name in vars(module) if not name.startswith("_")}
    classes = {n.name for n in STUBS[module].body
               if isinstance(n, ast.ClassDef) and not n.name.startswith("_")}
    constants = {n.target.id for n in STUBS[module].body
                 if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
                 and not n.target.id.startswith("_")}
    assert {name for name in stub if "." not in name} | classes | constants == public
    for name in public:
        item = getattr(module, name)
        if isinstance(item, type):
            runtime = {m for m in dir(item) if not m.startswith("_")}
            declared = {key.split(".")[1] for key in stub if key.startswith(name + ".")}
            assert {m for m in declared if not m.startswith("_")} == runtime, name


@pytest.mark.parametrize("module", STUBS, ids=lambda module: module.__name__)
def test_every_signature_matches_the_stub(module: Any) -> None:
    checked = 0
    for name, definitions in stub_definitions(module).items():
        owner, _, member = name.rpartition(".")
        if not owner:
            compare(name, merged(definitions, method=False), runtime_params(getattr(module, name), False))
        elif member == "__init__":
            if sys.version_info < (3, 10) and module is _native:
                continue  # 3.9 reads no signature off an extension class; newer ones check it
            cls = getattr(module, owner)
            compare(name, merged(definitions, method=True), runtime_params(cls, False))
        else:
            attribute = inspect.getattr_static(getattr(module, owner), member)
            if is_property(definitions[0]):
                assert inspect.isdatadescriptor(attribute), name
                continue
            assert callable(attribute) and not inspect.isdatadescriptor(attribute), name
            compare(name, merged(definitions, method=True), runtime_params(attribute, True))
        checked += 1
    assert checked > 30
    # A class whose stub has no constructor has none at run time either.
    for without_constructor in (_native.Pages, _native.PageWalk):
        with pytest.raises(TypeError):
            without_constructor()


def test_the_signature_check_sees_a_keyword_the_stub_lacks() -> None:
    # As if `#[pyo3(signature)]` had gained `strict=False` and the stub had not.
    for name in ("BasicAuth.verify", "ServerClient.send_email", "AccountClient.list_servers_all"):
        owner, member = name.split(".")
        stub = merged(stub_definitions()[name], method=True)
        runtime = runtime_params(getattr(getattr(_native, owner), member), method=True)
        compare(name, stub, runtime)
        widened = sorted(runtime + [("strict", "KEYWORD_ONLY", False)], key=lambda p: KINDS.index(p[1]))
        with pytest.raises(AssertionError):
            compare(name, stub, widened)


def run_example(name: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTMARK_") or k == "POSTMARK_MOCK_BIN"}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_quickstart_runs_against_a_mock_it_starts() -> None:
    out = run_example("quickstart.py")
    assert "no POSTMARK_* token set: using a local mock server" in out
    assert "email accepted: MessageID" in out
    assert "message 1: rejected: ErrorCode 300 (INVALID_EMAIL_REQUEST)" in out
    assert "webhook 1 created for https://example.com/postmark-webhook" in out
    assert "  1: Default Server" in out and "  2: postmark-kit quickstart" in out


def test_the_sansio_example_runs_on_asyncio() -> None:
    out = run_example("sansio_asyncio.py")
    assert "no POSTMARK_SERVER_TOKEN set: using a local mock server" in out
    sent = sorted(line for line in out.splitlines() if line.startswith("sent to "))
    assert [line.split(":")[0] for line in sent] == [f"sent to user{i}@example.com" for i in range(3)]
    assert "server 1: Default Server" in out
    assert "get_webhook 999999: HTTP 422, ErrorCode 1352 (WEBHOOK_NOT_FOUND)" in out


def test_the_webhook_receiver_runs() -> None:
    out = run_example("webhook_receiver.py")
    assert "handled: bounce (HardBounce) for jane@example.com" in out
    assert "handled: inbound mail from alice@example.com: Re: hello" in out
    assert "handled: an event this version does not know: SomethingNew" in out
    assert "POST without credentials: 401" in out


def mypy(*args: str, cwd: Path = EXAMPLES) -> "subprocess.CompletedProcess[str]":
    # The tests import the examples' local_mock, as the conftest puts it on sys.path.
    env = {**os.environ, "MYPYPATH": str(EXAMPLES)}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, *args],
        capture_output=True, text=True, timeout=300, cwd=cwd, env=env,
    )


@pytest.mark.parametrize("folder", [EXAMPLES, TESTS], ids=["examples", "tests"])
def test_the_code_passes_mypy_strict(folder: Path) -> None:
    done = mypy(".", cwd=folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout


def test_the_package_passes_mypy_strict(tmp_path: Path) -> None:
    done = mypy("-p", "postmark_kit", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_stubs_catch_mistakes(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.py"
    lines = {
        "misspelt keyword": 'client.send_email(From="a@x.com", To="b@x.com", Subjct="x")',
        "filter in the wrong case": 'client.list_bounces(emailfilter="example.com")',
        "wrong value type": 'client.send_email(From=1, To="b@x.com")',
        "missing required key": 'client.send_email(To="b@x.com")',
        "account operation on a server client": "client.get_server(id=1)",
        "unknown response key": 'print(client.get_current_server()["Nmae"])',
        "item of a walk": 'print(account.list_servers_all()[0])',
        "narrowed event": 'event = parse_webhook(b"")\nif event["RecordType"] == "Open":\n    print(event["Email"])',
        "webhook body of the wrong type": "parse_webhook(42)",
        "header value of the wrong type": 'BasicAuth("u", "p").verify(42)',
        "unknown token kind": 'build_request("raw", token="t", token_kind="root")',
        "built request key": 'print(build_request("get_current_server", token="t")["uri"])',
        "async answer not awaited": 'print(aclient.get_current_server()["Name"])',
        "async misspelt keyword": 'aclient.send_email(From="a@x.com", To="b@x.com", Subjct="x")',
        "async walk with a plain for": "print([server for server in aaccount.list_servers_all()])",
        "async account operation on a server client": "aclient.get_server(id=1)",
    }
    source = textwrap.dedent("""\
        from postmark_kit import AccountClient, BasicAuth, ServerClient, build_request, parse_webhook
        from postmark_kit.aio import AsyncAccountClient, AsyncServerClient
        client = ServerClient("t")
        account = AccountClient("t")
        aclient = AsyncServerClient("t")
        aaccount = AsyncAccountClient("t")
    """)
    expected: Dict[int, str] = {}
    for what, line in lines.items():
        source += line + "\n"
        expected[source.count("\n")] = what
    wrong.write_text(source)
    done = mypy(str(wrong))
    assert done.returncode == 1
    flagged = {int(line.split(":")[1]) for line in done.stdout.splitlines() if ": error:" in line}
    missed = {what for number, what in expected.items() if number not in flagged}
    assert missed == set(), done.stdout


def test_importing_the_package_imports_neither_typing_nor_asyncio() -> None:
    # The cold start: `typing` and the asyncio clients' imports cost more than the package.
    done = subprocess.run(
        [sys.executable, "-c", "import sys, postmark_kit; print(sorted({'typing', 'asyncio'} & set(sys.modules)))"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.stdout.strip() == "[]", done.stderr
