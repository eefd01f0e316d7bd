"""Drives the official postmarker client against a running postmark-mock.

Env: MOCK_URL, MOCK_SERVER_TOKEN, MOCK_ACCOUNT_TOKEN. Raises on the first mismatch.
postmarker 1.0 has no Servers or Webhooks managers, so those go through its generic
``client.call`` (same session, headers and error handling as every manager).
"""
import json
import os
import urllib.request

import postmarker
from postmarker.core import PostmarkClient
from postmarker.exceptions import ClientError

URL = os.environ["MOCK_URL"]
client = PostmarkClient(
    server_token=os.environ["MOCK_SERVER_TOKEN"],
    account_token=os.environ["MOCK_ACCOUNT_TOKEN"],
    root_api_url=URL + "/",
)
MESSAGE = dict(From="sender@example.com", To="receiver@example.com", Subject="Hi", TextBody="Hello")


def control(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def expect_error(code, call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except ClientError as error:
        assert error.error_code == code, (error.error_code, error)
        return
    raise AssertionError(f"expected ErrorCode {code}")


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
server.edit(Color="green")
assert server.Color == "Green", server.Color

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

print(f"postmarker {postmarker.__version__}: OK ({len(control('/__mock/requests'))} requests)")
