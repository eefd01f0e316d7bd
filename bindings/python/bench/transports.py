"""The per-request cost of the async HTTP clients the asyncio clients could use, on one
keep-alive connection, next to a bare asyncio-streams HTTP/1.1 loop and the blocking
http.client: the floor under which no asyncio transport goes.

    python bindings/python/bench/transports.py http://127.0.0.1:18480 FIXTURES [N] [ROUNDS]

Each client sends N `POST /email` requests with the peers benchmark's message (and N/10
`GET /messages/outbound` of 500 messages) and reads each body whole; no JSON work. The
rounds rotate the clients' order; the table shows each one's median wall and CPU time
per request. A client that is not installed is left out.
"""

import asyncio
import http.client
import json
import os
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Tuple
from urllib.parse import urlsplit

HEADERS = {
    "Accept": "application/json",
    "Content-Type": "application/json",
    "X-Postmark-Server-Token": "bench-token",
    "User-Agent": "transport-floor",
}


class Target:
    def __init__(self, base: str, body: bytes) -> None:
        parts = urlsplit(base)
        self.base = base
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.body = body


async def bare_streams(target: Target, requests: List[Tuple[str, str]]) -> None:
    """HTTP/1.1 by hand over asyncio streams: prebuilt request bytes, the status line and
    headers read up to the blank line, then Content-Length bytes."""
    reader, writer = await asyncio.open_connection(target.host, target.port)
    head = "".join(f"{name}: {value}\r\n" for name, value in HEADERS.items())
    wire = {}
    for method, path in set(requests):
        body = target.body if method == "POST" else b""
        wire[method, path] = (
            f"{method} {path} HTTP/1.1\r\nHost: {target.host}\r\n{head}"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
    for request in requests:
        writer.write(wire[request])
        headers = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in headers.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await reader.readexactly(length)
    writer.close()
    await writer.wait_closed()


def httpx_family(module_name: str) -> Callable[[Target, List[Tuple[str, str]]], Any]:
    async def run(target: Target, requests: List[Tuple[str, str]]) -> None:
        module = __import__(module_name)
        async with module.AsyncClient() as client:
            for method, path in requests:
                body = target.body if method == "POST" else None
                response = await client.request(
                    method, target.base + path, headers=HEADERS, content=body
                )
                response.content

    return run


async def aiohttp_client(target: Target, requests: List[Tuple[str, str]]) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        for method, path in requests:
            body = target.body if method == "POST" else None
            async with session.request(
                method, target.base + path, headers=HEADERS, data=body
            ) as response:
                await response.read()


def blocking_http_client(target: Target, requests: List[Tuple[str, str]]) -> None:
    connection = http.client.HTTPConnection(target.host, target.port)
    for method, path in requests:
        body = target.body if method == "POST" else None
        connection.request(method, path, body=body, headers=HEADERS)
        connection.getresponse().read()
    connection.close()


CLIENTS: Dict[str, Tuple[str, Callable[..., Any]]] = {
    "http.client (blocking)": ("http", blocking_http_client),
    "asyncio streams (bare)": ("asyncio", bare_streams),
    "aiohttp": ("aiohttp", aiohttp_client),
    "httpx2": ("httpx2", httpx_family("httpx2")),
    "httpx": ("httpx", httpx_family("httpx")),
}


def measure(run: Callable[..., Any], target: Target, requests: List[Tuple[str, str]]) -> Tuple[float, float]:
    """Wall and CPU seconds per request, after one warm-up request."""
    go = (lambda reqs: asyncio.run(run(target, reqs))) if asyncio.iscoroutinefunction(run) \
        else (lambda reqs: run(target, reqs))
    go(requests[:1])
    cpu, wall = time.process_time(), time.perf_counter()
    go(requests)
    return (time.perf_counter() - wall) / len(requests), (time.process_time() - cpu) / len(requests)


def main() -> None:
    base, fixtures = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    with open(os.path.join(fixtures, "message.json"), "rb") as fh:
        target = Target(base, json.dumps(json.load(fh)).encode())
    available = {}
    for name, (module, run) in CLIENTS.items():
        try:
            version = __import__(module).__dict__.get("__version__", "")
        except ImportError:
            continue
        available[name] = (version, run)
    workloads = {
        "POST /email": [("POST", "/email")] * n,
        "GET /messages/outbound": [("GET", "/messages/outbound?count=500&offset=0")] * (n // 10),
    }
    for workload, requests in workloads.items():
        results: Dict[str, List[Tuple[float, float]]] = {name: [] for name in available}
        names = list(available)
        for round_ in range(rounds):
            for name in names[round_ % len(names):] + names[:round_ % len(names)]:
                results[name].append(measure(available[name][1], target, requests))
        print(f"\n{workload}, {len(requests)} requests, median of {rounds} rounds")
        print("| client | version | wall µs/request | CPU µs/request |")
        print("|---|---|---:|---:|")
        for name, runs in results.items():
            wall = statistics.median(r[0] for r in runs) * 1e6
            cpu = statistics.median(r[1] for r in runs) * 1e6
            print(f"| {name} | {available[name][0]} | {wall:.0f} | {cpu:.0f} |")


if __name__ == "__main__":
    main()
