"""Operations called through their generated methods against the mock, with
the answers checked in detail; the Bounces and Messages groups are in
test_bounces_messages.py, and every operation of the table, with the request
log, in test_every_operation.py."""

import base64
from typing import Any

import pytest

import postmark_kit
from postmark_kit import AccountClient, ServerClient, types

from conftest import Mock


def message(**changes: Any) -> types.SendEmail:
    email: types.SendEmail = {
        "From": "sender@example.com",
        "To": "receiver@example.com",
        "Subject": "Hello",
        "TextBody": "Hi there",
    }
    email.update(changes)  # type: ignore[typeddict-item]
    return email


def test_each_operation_is_a_method_of_the_client_for_its_token() -> None:
    for op in postmark_kit.operations():
        owner = ServerClient if op["token"] == "server" else AccountClient
        other = AccountClient if owner is ServerClient else ServerClient
        assert callable(getattr(owner, op["name"])), op
        assert not hasattr(other, op["name"]), op
        assert hasattr(owner, op["name"] + "_all") == op["paged"], op


def test_send_email(server: ServerClient, mock: Mock) -> None:
    sent = server.send_email(
        From="sender@example.com",
        To="receiver@example.com",
        Subject="Hello",
        HtmlBody="<p>Hi</p>",
        Metadata={"order": "42"},
        Headers=[{"Name": "X-Trace", "Value": "abc"}],
    )
    assert sent["ErrorCode"] == 0
    assert sent["Message"] == "OK"
    assert sent["To"] == "receiver@example.com"
    stored = mock.messages()
    assert [m["MessageID"] for m in stored] == [sent["MessageID"]]
    assert stored[0]["Subject"] == "Hello"
    assert stored[0]["HtmlBody"] == "<p>Hi</p>"
    assert stored[0]["Metadata"] == {"order": "42"}


def test_send_email_takes_one_dict_as_well(server: ServerClient, mock: Mock) -> None:
    sent = server.send_email(message(Subject="From a dict"))
    assert sent["ErrorCode"] == 0
    assert mock.messages()[0]["Subject"] == "From a dict"


def test_send_email_batch(server: ServerClient, mock: Mock) -> None:
    results = server.send_email_batch(
        [message(To="a@example.com"), message(To="not-an-address"), message(To="b@example.com")]
    )
    # One result per message, in order; the rejected one does not raise.
    assert [r["ErrorCode"] for r in results] == [0, 300, 0]
    assert "MessageID" not in results[1]
    assert "not-an-address" in results[1]["Message"]
    assert [m["To"] for m in mock.messages()] == [
        [{"Email": "a@example.com", "Name": ""}],
        [{"Email": "b@example.com", "Name": ""}],
    ]


def test_send_email_with_template(server: ServerClient, mock: Mock) -> None:
    mock.add_template("welcome", "Welcome {{name}}", "<p>Hi {{name}}</p>")
    sent = server.send_email_with_template(
        From="sender@example.com",
        To="receiver@example.com",
        TemplateAlias="welcome",
        TemplateModel={"name": "Ada"},
    )
    assert sent["ErrorCode"] == 0
    assert mock.messages()[0]["Subject"] == "Welcome Ada"


def test_send_email_batch_with_templates(server: ServerClient, mock: Mock) -> None:
    template_id = mock.add_template("receipt", "Receipt {{n}}", "<p>{{n}}</p>")
    results = server.send_email_batch_with_templates(
        Messages=[
            {"From": "sender@example.com", "To": "a@example.com",
             "TemplateId": template_id, "TemplateModel": {"n": 1}},
            {"From": "sender@example.com", "To": "b@example.com",
             "TemplateAlias": "missing", "TemplateModel": {}},
        ]
    )
    assert [r["ErrorCode"] for r in results] == [0, 1101]
    assert [m["Subject"] for m in mock.messages()] == ["Receipt 1"]


def test_get_current_server(server: ServerClient) -> None:
    current = server.get_current_server()
    assert current["ID"] == 1
    assert current["Name"] == "Default Server"


def test_edit_current_server(server: ServerClient) -> None:
    edited = server.edit_current_server(Name="Renamed", Color="Blue", TrackOpens=True)
    assert (edited["Name"], edited.get("Color"), edited.get("TrackOpens")) == (
        "Renamed", "Blue", True,
    )
    assert server.get_current_server()["Name"] == "Renamed"


def create(server: ServerClient, url: str = "https://example.com/hook", **extra: Any) -> int:
    webhook = server.create_webhook(Url=url, Triggers={"Delivery": {"Enabled": True}}, **extra)
    webhook_id: int = webhook["ID"]
    return webhook_id


def test_create_webhook(server: ServerClient) -> None:
    webhook = server.create_webhook(
        Url="https://example.com/hook",
        HttpAuth={"Username": "postmark", "Password": "s3cret"},
        HttpHeaders=[{"Name": "X-Env", "Value": "test"}],
        Triggers={"Open": {"Enabled": True, "PostFirstOpenOnly": True}},
    )
    assert webhook["ID"] > 0
    assert webhook["Url"] == "https://example.com/hook"
    assert webhook.get("MessageStream") == "outbound"
    assert webhook["HttpHeaders"] == [{"Name": "X-Env", "Value": "test"}]
    assert webhook["Triggers"].get("Open") == {"Enabled": True, "PostFirstOpenOnly": True}


def test_list_webhooks(server: ServerClient) -> None:
    first, second = create(server, "https://example.com/a"), create(server, "https://example.com/b")
    listed = server.list_webhooks()
    assert [w["ID"] for w in listed["Webhooks"]] == [first, second]
    assert server.list_webhooks(MessageStream="outbound")["Webhooks"][0]["ID"] == first


def test_get_webhook(server: ServerClient) -> None:
    webhook_id = create(server)
    assert server.get_webhook(id=webhook_id)["Url"] == "https://example.com/hook"
    assert server.get_webhook({"id": webhook_id})["ID"] == webhook_id


def test_edit_webhook(server: ServerClient) -> None:
    webhook_id = create(server)
    edited = server.edit_webhook(id=webhook_id, Url="https://example.com/moved")
    assert edited["Url"] == "https://example.com/moved"
    assert server.get_webhook(id=webhook_id)["Url"] == "https://example.com/moved"


def test_delete_webhook(server: ServerClient) -> None:
    webhook_id = create(server)
    deleted = server.delete_webhook(id=webhook_id)
    assert deleted["ErrorCode"] == 0
    assert server.list_webhooks()["Webhooks"] == []


def test_verify_webhook(server: ServerClient) -> None:
    webhook_id = create(server)
    verification = server.verify_webhook(id=webhook_id)
    assert verification["Id"] == webhook_id
    assert verification["Success"] is True
    assert [r["TriggerType"] for r in verification["Results"]] == ["Delivery"]


def test_get_webhook_statistics(server: ServerClient) -> None:
    webhook_id = create(server)
    statistics = server.get_webhook_statistics(id=webhook_id)
    assert statistics["WebhookId"] == webhook_id
    assert statistics["Metrics"]["TotalRequests"] == 0
    assert statistics["TimeRange"]["Hours"] == 24


def test_webhooks_pointing_at(server: ServerClient) -> None:
    first = create(server, "https://Example.com/hook/")
    create(server, "https://example.com/other")
    found = server.webhooks_pointing_at("https://example.com/hook")
    assert [w["ID"] for w in found] == [first]
    assert server.delete_webhooks_pointing_at("https://example.com/hook") == [first]
    assert [w["Url"] for w in server.list_webhooks()["Webhooks"]] == ["https://example.com/other"]


def test_list_servers(account: AccountClient) -> None:
    for name in ("alpha", "beta", "alphabet"):
        account.create_server(Name=name)
    page = account.list_servers(count=2, offset=1)
    assert page["TotalCount"] == 4
    assert [s["Name"] for s in page["Servers"]] == ["alpha", "beta"]
    assert [s["Name"] for s in account.list_servers(name="alpha")["Servers"]] == [
        "alpha", "alphabet",
    ]


def test_get_server(account: AccountClient) -> None:
    assert account.get_server(id=1)["Name"] == "Default Server"


def test_create_server(account: AccountClient) -> None:
    created = account.create_server(Name="Staging", Color="Green", DeliveryType="Sandbox")
    assert created["Name"] == "Staging"
    assert (created.get("Color"), created.get("DeliveryType")) == ("Green", "Sandbox")
    assert len(created["ApiTokens"]) == 1
    assert account.get_server(id=created["ID"])["Name"] == "Staging"


def test_edit_server(account: AccountClient) -> None:
    created = account.create_server(Name="Staging")
    edited = account.edit_server(id=created["ID"], Name="Production", InboundSpamThreshold=5)
    assert (edited["Name"], edited.get("InboundSpamThreshold")) == ("Production", 5)


def test_delete_server(account: AccountClient) -> None:
    created = account.create_server(Name="Doomed")
    assert account.delete_server(id=created["ID"])["ErrorCode"] == 0
    assert [s["Name"] for s in account.list_servers()["Servers"]] == ["Default Server"]


def test_raw_reaches_any_endpoint(server: ServerClient, mock: Mock) -> None:
    current = server.raw("GET", "/server")
    assert current["Name"] == "Default Server"
    created = server.raw(
        "post", "/webhooks", body={"Url": "https://example.com/raw", "Verify": False}
    )
    assert created["Url"] == "https://example.com/raw"
    server.raw("GET", "/webhooks", query={"MessageStream": "outbound"})
    assert mock.requests()[-1] == {
        "method": "GET", "path": "/webhooks", "query": "MessageStream=outbound", "token": "server",
    }



def test_attachment_content_as_bytes_is_sent_base64_encoded(server: ServerClient, mock: Mock) -> None:
    data = bytes(range(256)) * 3
    encoded = base64.b64encode(data).decode()

    def email(content: Any) -> types.SendEmail:
        return message(Attachments=[
            {"Name": "data.bin", "ContentType": "application/octet-stream", "Content": content}
        ])

    bodies = [postmark_kit.build_request("send_email", email(content), token="t")["body"]
              for content in (data, bytearray(data), memoryview(data), encoded)]
    assert bodies[:3] == [bodies[3]] * 3
    assert f'"Content":"{encoded}"'.encode() in (bodies[3] or b"")
    assert server.send_email(email(data))["ErrorCode"] == 0
    assert mock.messages()[0]["Attachments"] == ["data.bin"]
