"""Postmark webhooks in FastAPI (async): the Basic-auth check, then the body
read into a typed event, answered 401 for bad credentials and 400 for a body
that is not an event, never a 500. Run as a script, it posts itself the
sample events through FastAPI's test client.

    uvicorn webhook_fastapi:app          # serve it
    python examples/python/webhook_fastapi.py
"""

from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient

from postmark_kit import WebhookError, parse_webhook
from webhook_receiver import AUTH, GOOD_AUTHORIZATION, SAMPLE_EVENTS, handle

app = FastAPI()


@app.post("/postmark")
async def postmark_webhook(request: Request) -> Response:
    if not AUTH.verify(request.headers.get("authorization")):
        return Response(status_code=401, headers={"WWW-Authenticate": 'Basic realm="webhooks"'})
    try:
        event = parse_webhook(await request.body())
    except WebhookError as error:
        return Response(str(error), status_code=400, media_type="text/plain")
    print(f"  handled: {handle(event)}")
    # Postmark retries unless it gets a 200.
    return Response("ok", media_type="text/plain")


def main() -> None:
    with TestClient(app) as client:
        for event in SAMPLE_EVENTS:
            posted = client.post("/postmark", json=event,
                                 headers={"Authorization": GOOD_AUTHORIZATION})
            print(f"POST {event.get('RecordType', '(inbound)')}: {posted.status_code}")
        print(f"POST without credentials: {client.post('/postmark', json=SAMPLE_EVENTS[0]).status_code}")
        bad = client.post("/postmark", content=b"not json", headers={"Authorization": GOOD_AUTHORIZATION})
        print(f"POST a body that is not JSON: {bad.status_code}")


if __name__ == "__main__":
    main()
