"""The soak's Python driver: the installed wheel's ServerClient against the mock, from
threads. Settings come from the SOAK_* environment variables that soak/src/main.rs sets;
one JSON line per call goes to stdout: {"n", "send", "error": kind or null, "ms", "text"},
`text` holding the error's str() and repr() for the token scan."""

import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from postmark_kit import PostmarkError, ServerClient

env = os.environ
calls = int(env["SOAK_CALLS"])
client = ServerClient(
    env["SOAK_TOKEN"],
    base_url=env["SOAK_URL"],
    timeout=int(env["SOAK_TIMEOUT_MS"]) / 1000,
    max_attempts=int(env["SOAK_MAX_ATTEMPTS"]),
    retry_base_delay=int(env["SOAK_BASE_DELAY_MS"]) / 1000,
    retry_max_delay=int(env["SOAK_MAX_DELAY_MS"]) / 1000,
    retry_non_idempotent=env["SOAK_RETRY_SENDS"] == "1",
)
lock = threading.Lock()
counter = iter(range(calls))


def call(n: int) -> str:
    tag = f"soak-{n}"
    send = n % 10 < 4
    started = time.perf_counter()
    error, text = None, ""
    try:
        if send:
            client.send_email(From="soak@example.com", To="reader@example.com",
                              Subject="Soak", TextBody="soak", Tag=tag)
        else:
            client.list_bounces(count=1, offset=0, tag=tag)
    except PostmarkError as e:
        error, text = str(getattr(e, "kind", type(e).__name__)), f"{e} {e!r} {client!r}"
    ms = (time.perf_counter() - started) * 1000
    return json.dumps({"n": n, "send": send, "error": error, "ms": ms, "text": text})


def worker() -> None:
    lines = []
    while True:
        with lock:
            n = next(counter, None)
        if n is None:
            break
        lines.append(call(n))
    with lock:
        sys.stdout.write("\n".join(lines) + ("\n" if lines else ""))


with ThreadPoolExecutor(int(env["SOAK_CONCURRENCY"])) as pool:
    for _ in range(int(env["SOAK_CONCURRENCY"])):
        pool.submit(worker)
