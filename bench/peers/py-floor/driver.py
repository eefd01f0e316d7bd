"""The Python floor of the peers benchmark: what the runtime allows with no client library.
http.client on one keep-alive connection, json.dumps for the bodies, json.loads for the
answers; no checks, no models, no retries. Env: BASE_URL WORKLOAD N FIXTURES. Prints one
JSON line.
"""
import time

T_START = time.perf_counter()

import base64  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

BASE = urlsplit(os.environ.get("BASE_URL", "http://127.0.0.1:18480"))
WORKLOAD = os.environ.get("WORKLOAD", "send1")
N = int(os.environ.get("N", "1"))
FIXTURES = os.environ.get("FIXTURES", ".work/fixtures")
HEADERS = {"Accept": "application/json", "Content-Type": "application/json",
           "X-Postmark-Server-Token": "bench-token"}

NOTES = {
    "attach": "base64 by the driver, json.dumps of the batch",
    "search": "json.loads of the page",
    "paginate": "offset loop, json.loads of each page",
}


def emit(**kw):
    out = {"peer": "py-floor", "workload": WORKLOAD, "n": N}
    out.update(kw)
    out["process_s"] = time.perf_counter() - T_START
    out["version"] = "CPython %s http.client + json" % sys.version.split()[0]
    print(json.dumps(out), flush=True)


def main():
    connection = http.client.HTTPConnection(BASE.hostname, BASE.port)

    def call(method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        connection.request(method, path, body=data, headers=HEADERS)
        response = connection.getresponse()
        return response.status, json.loads(response.read())

    if WORKLOAD == "cold":
        status, server = call("GET", "/server")
        emit(seconds=time.perf_counter() - T_START, ok=server["ID"] == 100000, requests=1)
        return
    with open(os.path.join(FIXTURES, "message.json"), encoding="utf-8") as fh:
        m = json.load(fh)
    with open(os.path.join(FIXTURES, "attachment.bin"), "rb") as fh:
        attachment = fh.read()

    def fields():
        return dict(From=m["From"], To=m["To"], Subject=m["Subject"], HtmlBody=m["HtmlBody"],
                    TextBody=m["TextBody"], Tag=m["Tag"], Metadata=dict(m["Metadata"]),
                    TrackOpens=m["TrackOpens"])

    ok = call("GET", "/server")[1]["ID"] == 100000  # warm-up: opens the keep-alive connection
    requests = 0
    cpu0, t0 = time.process_time(), time.perf_counter()
    if WORKLOAD == "send1":
        for _ in range(N):
            status, r = call("POST", "/email", fields())
            ok = ok and status == 200 and r["ErrorCode"] == 0
            requests += 1
    elif WORKLOAD in ("batch500", "attach"):
        for _ in range(N):
            if WORKLOAD == "attach":
                batch = []
                for _ in range(100):
                    e = fields()
                    e["Attachments"] = [{"Name": "statement.pdf", "ContentType": "application/pdf",
                                         "Content": base64.b64encode(attachment).decode()}]
                    batch.append(e)
            else:
                batch = [fields() for _ in range(500)]
            status, r = call("POST", "/email/batch", batch)
            ok = ok and len(r) == 500 and all(x["ErrorCode"] == 0 for x in r)
            requests += 1
    elif WORKLOAD == "search":
        for _ in range(N):
            status, page = call("GET", "/messages/outbound?count=500&offset=0")
            ok = ok and len(page["Messages"]) == 500 and page["TotalCount"] == 10000
            requests += 1
    elif WORKLOAD == "paginate":
        for _ in range(N):
            walked = 0
            for offset in range(0, 10000, 500):
                status, page = call("GET", "/bounces?count=500&offset=%d" % offset)
                walked += sum(1 for b in page["Bounces"] if b["ID"] > 0)
                requests += 1
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
