"""The GIL is released while a request is in flight, shown by the mock's count
of requests in flight rather than by a clock."""

import threading
from typing import List

from postmark_kit import ServerClient, types

from conftest import Mock
from test_operations import message

#: How long the mock holds each request: long enough for every thread to
#: have its request in flight before the first one is answered.
HOLD_MS = 1000


def test_threads_send_concurrently(server: ServerClient, mock: Mock) -> None:
    threads = 4
    # Held during I/O, the GIL would keep every other thread from even
    # starting its send until the request in flight was answered: the mock
    # would never see more than one at a time.
    mock.fault(kind="delay", ms=HOLD_MS, count=threads)
    results: List[types.SendEmailResponse] = []
    ready = threading.Barrier(threads)

    def send(i: int) -> None:
        ready.wait()
        results.append(server.send_email(message(Subject=f"thread {i}")))

    workers = [threading.Thread(target=send, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(r["ErrorCode"] for r in results) == [0] * threads
    assert sorted(m["Subject"] for m in mock.messages()) == [f"thread {i}" for i in range(threads)]
    assert mock.stats()["peak_in_flight"] == threads


def test_python_threads_run_during_a_request(server: ServerClient, mock: Mock) -> None:
    mock.fault(kind="delay", ms=HOLD_MS)
    in_flight_seen: List[int] = []

    def watch() -> None:
        # Python code, run while the main thread is inside the call: it can
        # only see the request in flight if the call let go of the GIL.
        mock.wait_until_in_flight(1)
        in_flight_seen.append(mock.stats()["in_flight"])

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        assert server.get_current_server()["ID"] == 1
    finally:
        watcher.join()
    assert in_flight_seen == [1]
