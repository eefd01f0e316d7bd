"""A webhook endpoint: checks Postmark's Basic auth, parses the event and
handles it by RecordType, with each branch typed for that event.

It is a plain WSGI app (what Flask and Django run on); the same two calls
work in any framework: `BasicAuth.verify()` takes the Authorization header
value, `parse_webhook()` the raw body. Run as a script, it serves on a free
loopback port and posts itself a few events.

    python examples/python/webhook_receiver.py
"""

import base64
import json
import threading
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple
from wsgiref.simple_server import WSGIRequestHandler, make_server

from postmark_kit import BasicAuth, WebhookError, parse_webhook, types

# The webhook's HttpAuth, as configured with create_webhook(HttpAuth=...).
AUTH = BasicAuth("postmark", "s3cret")
#: The Authorization header Postmark sends with those credentials.
GOOD_AUTHORIZATION = "Basic " + base64.b64encode(b"postmark:s3cret").decode()

#: A few events as Postmark posts them: the framework examples post them too.
SAMPLE_EVENTS: List[Dict[str, Any]] = [
    {"RecordType": "Delivery", "Recipient": "john@example.com",
     "DeliveredAt": "2026-01-01T10:00:00Z", "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483"},
    {"RecordType": "Bounce", "ID": 42, "Type": "HardBounce", "TypeCode": 1,
     "Email": "jane@example.com", "BouncedAt": "2026-01-01T10:00:00Z"},
    {"FromFull": {"Email": "alice@example.com", "Name": "Alice"}, "From": "alice@example.com",
     "Subject": "Re: hello"},
    {"RecordType": "SomethingNew", "MessageID": "0a129aee-e1cd-480d-b08d-4f48548ff48d"},
]

StartResponse = Callable[[str, List[Tuple[str, str]]], Any]


def handle(event: types.WebhookEvent) -> str:
    """What the application does with each kind of event."""
    if event["RecordType"] == "Bounce":
        return f"bounce ({event['Type']}) for {event.get('Email')}"
    if event["RecordType"] == "Delivery":
        return f"delivered to {event.get('Recipient')} at {event.get('DeliveredAt')}"
    if event["RecordType"] == "Open":
        return f"opened by {event.get('Recipient')}, first open: {event.get('FirstOpen')}"
    if event["RecordType"] == "Inbound":
        return f"inbound mail from {event.get('From')}: {event.get('Subject')}"
    if event["RecordType"] == "Unknown":
        return f"an event this version does not know: {event['UnknownRecordType']}"
    return f"{event['RecordType']} event"


def app(environ: Dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    if not AUTH.verify(environ.get("HTTP_AUTHORIZATION")):
        start_response("401 Unauthorized", [("WWW-Authenticate", 'Basic realm="webhooks"')])
        return [b""]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    try:
        event = parse_webhook(environ["wsgi.input"].read(length))
    except WebhookError as error:
        start_response("400 Bad Request", [("Content-Type", "text/plain")])
        return [str(error).encode()]
    print(f"  handled: {handle(event)}")
    # Postmark retries unless it gets a 200.
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def post(url: str, event: Dict[str, Any], authorization: Optional[str]) -> int:
    request = urllib.request.Request(url, data=json.dumps(event).encode(), method="POST")
    if authorization is not None:
        request.add_header("Authorization", authorization)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def main() -> None:
    server = make_server("127.0.0.1", 0, app, handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/postmark"
    print(f"webhook endpoint at {url}")
    for event in SAMPLE_EVENTS:
        print(f"POST {event.get('RecordType', '(inbound)')}: {post(url, event, GOOD_AUTHORIZATION)}")
    print(f"POST without credentials: {post(url, SAMPLE_EVENTS[0], None)}")
    server.shutdown()


if __name__ == "__main__":
    main()
