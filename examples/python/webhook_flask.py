"""Postmark webhooks in Flask: the Basic-auth check, then the body read into
a typed event, answered 401 for bad credentials, 413 for a body larger than
any Postmark sends and 400 for one that is not an event, never a 500. Run as a script, it posts itself the sample events
through Flask's test client.

    flask --app webhook_flask run        # serve it
    python examples/python/webhook_flask.py
"""

from flask import Flask, Response, request

from postmark_kit import WebhookError, parse_webhook, read_webhook_body
from webhook_receiver import AUTH, GOOD_AUTHORIZATION, SAMPLE_EVENTS, handle

app = Flask(__name__)


@app.post("/postmark")
def postmark_webhook() -> Response:
    if not AUTH.verify(request.headers.get("Authorization")):
        return Response(status=401, headers={"WWW-Authenticate": 'Basic realm="webhooks"'})
    try:
        event = parse_webhook(read_webhook_body(request.stream, request.content_length))
    except WebhookError as error:
        status = 413 if error.kind == "too_large" else 400
        return Response(str(error), status=status, mimetype="text/plain")
    print(f"  handled: {handle(event)}")
    # Postmark retries unless it gets a 200.
    return Response("ok", mimetype="text/plain")


def main() -> None:
    client = app.test_client()
    for event in SAMPLE_EVENTS:
        posted = client.post("/postmark", json=event, headers={"Authorization": GOOD_AUTHORIZATION})
        print(f"POST {event.get('RecordType', '(inbound)')}: {posted.status_code}")
    print(f"POST without credentials: {client.post('/postmark', json=SAMPLE_EVENTS[0]).status_code}")
    bad = client.post("/postmark", data=b"not json", headers={"Authorization": GOOD_AUTHORIZATION})
    print(f"POST a body that is not JSON: {bad.status_code}")


if __name__ == "__main__":
    main()
