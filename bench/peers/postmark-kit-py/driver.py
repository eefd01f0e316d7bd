"""Peers benchmark driver for postmark-kit's Python package. KIT_MODE=sync (default): the
blocking client (the Rust core over ureq, GIL released during I/O); KIT_MODE=async: the
asyncio client (the same core over aiohttp) under asyncio.run, as postmark-kit-py-async.
Env: BASE_URL WORKLOAD N FIXTURES. Prints one JSON line.
"""
import time

T_START = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402

import postmark_kit  # noqa: E402
from postmark_kit import ServerClient  # noqa: E402

MODE = os.environ.get("KIT_MODE", "sync")
PEER = "postmark-kit-py" if MODE == "sync" else "postmark-kit-py-async"

BASE = os.environ.get("BASE_URL", "http://127.0.0.1:18480")
WORKLOAD = os.environ.get("WORKLOAD", "send1")
N = int(os.environ.get("N", "1"))
FIXTURES = os.environ.get("FIXTURES", ".work/fixtures")

NOTES = {
    "send1": "send_email(**fields) returns a plain dict; checked before sending",
    "batch500": "send_email_batch(list) returns one dict per message",
    "attach": "attachment base64 by the package (Content takes bytes)",
    "search": "search_outbound_messages: checked against the models, read into plain dicts",
    "paginate": "the package's own pagination: list_bounces_all(count=500), fetched lazily",
}


def emit(**kw):
    out = {"peer": PEER, "workload": WORKLOAD, "n": N}
    out.update(kw)
    out["process_s"] = time.perf_counter() - T_START
    transport = "ureq" if MODE == "sync" else "aiohttp, asyncio"
    out["version"] = "postmark-kit %s (abi3 wheel, Rust core over %s)" % (
        postmark_kit.__version__, transport)
    print(json.dumps(out), flush=True)


def load():
    with open(os.path.join(FIXTURES, "message.json"), encoding="utf-8") as fh:
        m = json.load(fh)
    with open(os.path.join(FIXTURES, "attachment.bin"), "rb") as fh:
        attachment = fh.read()

    def fields():
        return dict(From=m["From"], To=m["To"], Subject=m["Subject"], HtmlBody=m["HtmlBody"],
                    TextBody=m["TextBody"], Tag=m["Tag"], Metadata=dict(m["Metadata"]),
                    TrackOpens=m["TrackOpens"])

    def with_attachment():
        e = fields()
        # Content takes the bytes: the package writes them as base64 into the request.
        e["Attachments"] = [{"Name": "statement.pdf", "ContentType": "application/pdf",
                             "Content": attachment}]
        return e

    return fields, with_attachment


async def main_async():
    from postmark_kit.aio import AsyncServerClient

    async with AsyncServerClient("bench-token", base_url=BASE) as client:
        if WORKLOAD == "cold":
            s = await client.get_current_server()
            emit(seconds=time.perf_counter() - T_START, ok=s["ID"] == 100000, requests=1)
            return
        fields, with_attachment = load()
        ok = (await client.get_current_server())["ID"] == 100000  # warm-up
        requests = 0
        cpu0, t0 = time.process_time(), time.perf_counter()
        if WORKLOAD == "send1":
            for _ in range(N):
                r = await client.send_email(**fields())
                ok = ok and r["ErrorCode"] == 0
                requests += 1
        elif WORKLOAD in ("batch500", "attach"):
            size, make = (100, with_attachment) if WORKLOAD == "attach" else (500, fields)
            for _ in range(N):
                r = await client.send_email_batch([make() for _ in range(size)])
                ok = ok and len(r) == 500 and all(x["ErrorCode"] == 0 for x in r)
                requests += 1
        elif WORKLOAD == "search":
            for _ in range(N):
                page = await client.search_outbound_messages(count=500, offset=0)
                ok = ok and len(page["Messages"]) == 500 and page["TotalCount"] == 10000
                requests += 1
        elif WORKLOAD == "paginate":
            for _ in range(N):
                walked = [b async for b in client.list_bounces_all(count=500) if b["ID"] > 0]
                requests += 20
                ok = ok and len(walked) == 10000
        else:
            ok = False
        secs = time.perf_counter() - t0
        emit(seconds=secs, ok=ok, cpu_s=time.process_time() - cpu0, requests=requests,
             notes=NOTES.get(WORKLOAD, ""))


def main():
    if MODE == "async":
        import asyncio

        asyncio.run(main_async())
        return
    client = ServerClient("bench-token", base_url=BASE)
    if WORKLOAD == "cold":
        s = client.get_current_server()
        emit(seconds=time.perf_counter() - T_START, ok=s["ID"] == 100000, requests=1)
        return
    fields, with_attachment = load()
    ok = client.get_current_server()["ID"] == 100000  # warm-up: opens the keep-alive connection
    requests = 0
    cpu0, t0 = time.process_time(), time.perf_counter()
    if WORKLOAD == "send1":
        for _ in range(N):
            r = client.send_email(**fields())
            ok = ok and r["ErrorCode"] == 0
            requests += 1
    elif WORKLOAD == "batch500":
        for _ in range(N):
            r = client.send_email_batch([fields() for _ in range(500)])
            ok = ok and len(r) == 500 and all(x["ErrorCode"] == 0 for x in r)
            requests += 1
    elif WORKLOAD == "attach":
        for _ in range(N):
            r = client.send_email_batch([with_attachment() for _ in range(100)])
            ok = ok and len(r) == 500 and all(x["ErrorCode"] == 0 for x in r)
            requests += 1
    elif WORKLOAD == "search":
        for _ in range(N):
            page = client.search_outbound_messages(count=500, offset=0)
            ok = ok and len(page["Messages"]) == 500 and page["TotalCount"] == 10000
            requests += 1
    elif WORKLOAD == "paginate":
        for _ in range(N):
            walked = sum(1 for bounce in client.list_bounces_all(count=500) if bounce["ID"] > 0)
            requests += 20
            ok = ok and walked == 10000
    else:
        ok = False
    secs = time.perf_counter() - t0
    emit(seconds=secs, ok=ok, cpu_s=time.process_time() - cpu0, requests=requests,
         notes=NOTES.get(WORKLOAD, ""))


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # one JSON line even on failure
        emit(seconds=0, ok=False, error="%s: %s" % (type(e).__name__, str(e)[:300]))
        raise SystemExit(1)
