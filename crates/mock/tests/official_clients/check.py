"""Drives the official postmarker client against a running postmark-mock.

Env: MOCK_URL, MOCK_SERVER_TOKEN, MOCK_ACCOUNT_TOKEN. Raises on the first mismatch.
postmarker 1.0 has no Servers or Webhooks managers, so those go through its generic
``client.call`` (same session, headers and error handling as every manager).
"""
import json
import os
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import postmarker
from postmarker.core import PostmarkClient
from postmarker.exceptions import ClientError
from requests import HTTPError

URL = os.environ["MOCK_URL"]
client = PostmarkClient(
    server_token=os.environ["MOCK_SERVER_TOKEN"],
    account_token=os.environ["MOCK_ACCOUNT_TOKEN"],
    root_api_url=URL + "/",
)
MESSAGE = dict(From="sender@example.com", To="receiver@example.com", Subject="Hi", TextBody="Hello")


def control(path, body=None, method=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def expect_error(code, call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except ClientError as error:
        assert error.error_code == code, (error.error_code, error)
        return
    raise AssertionError(f"expected ErrorCode {code}")


def expect_http_error(status, call):
    """Answers without an envelope surface as the HTTP error of requests."""
    try:
        call()
    except HTTPError as error:
        assert error.response.status_code == status, error
        return
    raise AssertionError(f"expected HTTP {status}")


control("/__mock/reset", {})

sent = client.emails.send(**MESSAGE, Cc=["a@example.com", "b@example.com"], Metadata={"k": "v"})
assert sent["ErrorCode"] == 0 and len(sent["MessageID"]) == 36, sent
batch = client.emails.send_batch(MESSAGE, dict(MESSAGE, To="inactive@example.com"))
assert [r["ErrorCode"] for r in batch] == [0, 406], batch
templated = client.emails.send_with_template(
    From=MESSAGE["From"], To=MESSAGE["To"], TemplateAlias="welcome", TemplateModel={"name": "Bo"}
)
assert templated["ErrorCode"] == 0, templated
template_batch = client.emails.send_template_batch(
    dict(From=MESSAGE["From"], To=MESSAGE["To"], TemplateId=1000, TemplateModel={"name": "Cy"})
)
assert [r["ErrorCode"] for r in template_batch] == [0], template_batch
messages = control("/__mock/messages")
assert [m["Subject"] for m in messages] == ["Hi", "Hi", "Welcome, Bo!", "Welcome, Cy!"], messages
assert messages[0]["Cc"] == [{"Email": "a@example.com", "Name": ""}, {"Email": "b@example.com", "Name": ""}]
expect_error(300, client.emails.send, From="", To="x@example.com", TextBody="x")

server = client.server.get()
assert server.ApiTokens == [os.environ["MOCK_SERVER_TOKEN"]], server.ApiTokens
server.edit(Color="Green", TrackLinks="textonly")
assert (server.Color, server.TrackLinks) == ("green", "TextOnly"), (server.Color, server.TrackLinks)

servers = client.call("GET", "/servers", token_type="account", count=10, offset=0)
assert servers["TotalCount"] == 1, servers
expect_error(600, client.call, "GET", "/servers", token_type="account", count=600, offset=0)

hook = client.call(
    "POST",
    "/webhooks",
    data={"Url": "https://example.com/hook", "Triggers": {"Delivery": {"Enabled": True}}},
)
assert hook["MessageStream"] == "outbound" and hook["Triggers"]["Delivery"]["Enabled"], hook
verified = client.call("POST", f"/webhooks/{hook['ID']}/verify")
assert verified["Success"] and verified["Results"][0]["TriggerType"] == "Delivery", verified
expect_error(1352, client.call, "GET", "/webhooks/999999")

control("/__mock/faults", {"kind": "status", "status": 503, "count": 1})
expect_error(100, client.server.get)
control("/__mock/faults", {"kind": "status", "status": 429})
expect_http_error(429, client.server.get)
control("/__mock/faults", {"kind": "page", "status": 502, "content_type": "text/html", "body": "<html>Bad Gateway</html>"})
expect_http_error(502, client.server.get)

# Four threads at once really overlap: the mock saw them in flight together.
control("/__mock/stats", method="DELETE")
control("/__mock/faults", {"kind": "delay", "ms": 300, "count": 4})
with ThreadPoolExecutor(4) as pool:
    assert [s.ID for s in pool.map(lambda _: client.server.get(), range(4))] == [1, 1, 1, 1]
stats = control("/__mock/stats")
assert (stats["in_flight"], stats["peak_in_flight"]) == (0, 4), stats

print(f"postmarker {postmarker.__version__}: OK ({len(control('/__mock/requests'))} requests)")
