"""The GIL is released while a request is in flight."""

import threading
import time
from typing import List

from postmark_kit import ServerClient, types

from conftest import Mock
from test_operations import message

DELAY = 0.6


def test_threads_send_concurrently(server: ServerClient, mock: Mock) -> None:
    threads = 4
    # Every request waits DELAY in the mock before it is answered. With the
    # GIL held during I/O the sends would run one after another: 4 × DELAY.
    mock.fault(kind="delay", ms=int(DELAY * 1000), count=threads)
    results: List[types.SendEmailResponse] = []

    def send(i: int) -> None:
        results.append(server.send_email(message(Subject=f"thread {i}")))

    workers = [threading.Thread(target=send, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    assert sorted(r["ErrorCode"] for r in results) == [0] * threads
    assert len(mock.messages()) == threads
    assert DELAY <= elapsed < threads * DELAY / 2, f"{elapsed:.2f} s"


def test_python_threads_run_during_a_request(server: ServerClient, mock: Mock) -> None:
    counter = [0]
    stop = threading.Event()

    def count() -> None:
        while not stop.is_set():
            counter[0] += 1

    spinner = threading.Thread(target=count)
    spinner.start()
    try:
        before = counter[0]
        time.sleep(DELAY)  # releases the GIL: the baseline
        while_sleeping = counter[0] - before
        mock.fault(kind="delay", ms=int(DELAY * 1000))
        before = counter[0]
        assert server.get_current_server()["ID"] == 1
        while_calling = counter[0] - before
    finally:
        stop.set()
        spinner.join()
    # Held, the GIL would let the counter run for a switch interval or two
    # (a few ms) out of DELAY.
    assert while_calling > while_sleeping * 0.3, (while_calling, while_sleeping)
