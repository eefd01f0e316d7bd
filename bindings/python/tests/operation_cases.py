"""One case per operation of the table: what to set up on the mock, the
parameters to call it with, and what the answer must say. The blocking
clients (test_every_operation.py) and the asyncio clients (test_aio.py) run
every case, and check the mock's request log: the one request the call sent,
with the operation's method, path and token."""

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from postmark_kit import AccountClient, ServerClient, types

from conftest import Mock

#: What a case calls with, and how it checks the answer.
Call = Tuple[Any, Callable[[Any], None]]


@dataclass
class Setup:
    """What a case may use to prepare the mock: its control routes, and the
    blocking clients (their own calls are not in the log the case checks)."""

    mock: Mock
    server: ServerClient
    account: AccountClient


@dataclass
class Case:
    prepare: Callable[[Setup], Call]
    #: The query string the request must carry, when the case says.
    query: Optional[str] = None
    path_params: Dict[str, str] = field(default_factory=dict)


CASES: Dict[str, Case] = {}


def case(name: str, query: Optional[str] = None) -> Callable[[Callable[[Setup], Call]], None]:
    def register(prepare: Callable[[Setup], Call]) -> None:
        assert name not in CASES, name
        CASES[name] = Case(prepare, query)

    return register


def message(**changes: Any) -> types.SendEmail:
    email: types.SendEmail = {"From": "sender@example.com", "To": "receiver@example.com",
                              "Subject": "Hello", "TextBody": "Hi there"}
    email.update(changes)  # type: ignore[typeddict-item]
    return email


def sent_id(s: Setup, **changes: Any) -> str:
    message_id = s.server.send_email(message(**changes))["MessageID"]
    assert message_id is not None
    return message_id


def webhook_id(s: Setup, url: str = "https://example.com/hook") -> int:
    created: int = s.server.create_webhook(
        Url=url, Triggers={"Delivery": {"Enabled": True}}
    )["ID"]
    return created


def template_id(s: Setup, alias: str = "receipt") -> int:
    created: int = s.server.create_template(
        Name="Receipt", Alias=alias, Subject="Receipt {{n}}", HtmlBody="<p>{{n}}</p>"
    )["TemplateId"]
    return created


def domain_id(s: Setup, name: str = "example.org") -> int:
    created: int = s.account.create_domain(Name=name)["ID"]
    return created


def signature_id(s: Setup) -> int:
    created: int = s.account.create_sender_signature(FromEmail="jp@example.org", Name="JP")["ID"]
    return created


def equal(expected: Any, read: Callable[[Any], Any] = lambda answer: answer) -> Callable[[Any], None]:
    def check(answer: Any) -> None:
        assert read(answer) == expected

    return check


# --- email -------------------------------------------------------------------------------


@case("send_email")
def _send_email(s: Setup) -> Call:
    def check(answer: Any) -> None:
        assert (answer["ErrorCode"], answer["To"]) == (0, "receiver@example.com")
        assert [m["MessageID"] for m in s.mock.messages()] == [answer["MessageID"]]

    return message(Metadata={"order": "42"}), check


@case("send_email_batch")
def _send_email_batch(s: Setup) -> Call:
    batch = [message(To="a@example.com"), message(To="not-an-address")]
    return batch, equal([0, 300], lambda answer: [r["ErrorCode"] for r in answer])


@case("send_email_with_template")
def _send_email_with_template(s: Setup) -> Call:
    s.mock.add_template("welcome", "Welcome {{name}}", "<p>Hi {{name}}</p>")
    params = {"From": "sender@example.com", "To": "receiver@example.com",
              "TemplateAlias": "welcome", "TemplateModel": {"name": "Ada"}}

    def check(answer: Any) -> None:
        assert answer["ErrorCode"] == 0
        assert s.mock.messages()[0]["Subject"] == "Welcome Ada"

    return params, check


@case("send_email_batch_with_templates")
def _send_email_batch_with_templates(s: Setup) -> Call:
    template = s.mock.add_template("receipt", "Receipt {{n}}", "<p>{{n}}</p>")
    params = {"Messages": [
        {"From": "sender@example.com", "To": "a@example.com", "TemplateId": template,
         "TemplateModel": {"n": 1}},
        {"From": "sender@example.com", "To": "b@example.com", "TemplateAlias": "missing",
         "TemplateModel": {}},
    ]}
    return params, equal([0, 1101], lambda answer: [r["ErrorCode"] for r in answer])


# --- bounces -----------------------------------------------------------------------------


@case("get_delivery_stats")
def _get_delivery_stats(s: Setup) -> Call:
    before = s.server.get_delivery_stats()["InactiveMails"]
    s.mock.add_bounce("a@example.com")
    return None, equal(before + 1, lambda answer: answer["InactiveMails"])


@case("list_bounces", query="count=10&offset=0&type=HardBounce&emailFilter=a%40example.com")
def _list_bounces(s: Setup) -> Call:
    s.mock.add_bounce("a@example.com")
    s.mock.add_bounce("a@example.com", Type="SoftBounce")
    params = {"count": 10, "type": "HardBounce", "emailFilter": "a@example.com"}
    return params, equal(
        (1, ["a@example.com"]),
        lambda answer: (answer["TotalCount"], [b.get("Email") for b in answer["Bounces"]]),
    )


@case("get_bounce")
def _get_bounce(s: Setup) -> Call:
    bounce = s.mock.add_bounce("a@example.com", Tag="digest")
    return {"id": bounce}, equal(
        (bounce, "a@example.com", "digest"), lambda a: (a["ID"], a.get("Email"), a.get("Tag"))
    )


@case("get_bounce_dump")
def _get_bounce_dump(s: Setup) -> Call:
    bounce = s.mock.add_bounce("a@example.com", Content="raw bounce")
    return {"id": bounce}, equal({"Body": "raw bounce"})


@case("activate_bounce")
def _activate_bounce(s: Setup) -> Call:
    bounce = s.mock.add_bounce("a@example.com")
    return {"id": bounce}, equal(
        (bounce, False), lambda a: (a["Bounce"]["ID"], a["Bounce"].get("Inactive"))
    )


# --- servers -----------------------------------------------------------------------------


@case("get_current_server")
def _get_current_server(s: Setup) -> Call:
    return None, equal((1, "Default Server"), lambda a: (a["ID"], a["Name"]))


@case("edit_current_server")
def _edit_current_server(s: Setup) -> Call:
    return {"Name": "Renamed", "Color": "Blue"}, equal(
        ("Renamed", "Blue"), lambda a: (a["Name"], a.get("Color"))
    )


@case("list_servers", query="count=2&offset=1")
def _list_servers(s: Setup) -> Call:
    for name in ("alpha", "beta"):
        s.account.create_server(Name=name)
    return {"count": 2, "offset": 1}, equal(
        (3, ["alpha", "beta"]), lambda a: (a["TotalCount"], [x["Name"] for x in a["Servers"]])
    )


@case("get_server")
def _get_server(s: Setup) -> Call:
    return {"id": 1}, equal("Default Server", lambda a: a["Name"])


@case("create_server")
def _create_server(s: Setup) -> Call:
    return {"Name": "Staging", "Color": "Green"}, equal(
        ("Staging", "Green", 1), lambda a: (a["Name"], a.get("Color"), len(a["ApiTokens"]))
    )


@case("edit_server")
def _edit_server(s: Setup) -> Call:
    created = s.account.create_server(Name="Staging")["ID"]
    return {"id": created, "Name": "Production"}, equal(
        (created, "Production"), lambda a: (a["ID"], a["Name"])
    )


@case("delete_server")
def _delete_server(s: Setup) -> Call:
    created = s.account.create_server(Name="Doomed")["ID"]

    def check(answer: Any) -> None:
        assert answer["ErrorCode"] == 0
        assert [x["Name"] for x in s.account.list_servers()["Servers"]] == ["Default Server"]

    return {"id": created}, check


# --- messages ----------------------------------------------------------------------------


@case("search_outbound_messages", query="count=5&offset=0&tag=digest")
def _search_outbound_messages(s: Setup) -> Call:
    first = sent_id(s, Tag="digest")
    sent_id(s, Tag="other")
    return {"count": 5, "offset": 0, "tag": "digest"}, equal(
        (1, [first]), lambda a: (a["TotalCount"], [m["MessageID"] for m in a["Messages"]])
    )


@case("get_outbound_message_details")
def _get_outbound_message_details(s: Setup) -> Call:
    sent = sent_id(s, Subject="Details")
    return {"id": sent}, equal(
        (sent, "Details", "Hi there"), lambda a: (a["MessageID"], a["Subject"], a.get("TextBody"))
    )


@case("get_outbound_message_dump")
def _get_outbound_message_dump(s: Setup) -> Call:
    sent = sent_id(s)

    def check(answer: Any) -> None:
        assert "\r\nSubject: Hello\r\n" in answer["Body"]

    return {"id": sent}, check


def received(s: Setup, status: str) -> str:
    return s.mock.receive(From="Ann <ann@example.com>", To="desk@inbound.example.com",
                          Subject="Help", TextBody="Please", Status=status)


@case("search_inbound_messages", query="count=5&offset=0&status=blocked")
def _search_inbound_messages(s: Setup) -> Call:
    blocked = received(s, "Blocked")
    received(s, "Failed")
    return {"count": 5, "offset": 0, "status": "blocked"}, equal(
        (1, [blocked]), lambda a: (a["TotalCount"], [m.get("MessageID") for m in a["InboundMessages"]])
    )


@case("get_inbound_message_details")
def _get_inbound_message_details(s: Setup) -> Call:
    failed = received(s, "Failed")
    return {"id": failed}, equal(("Failed", "Please"), lambda a: (a.get("Status"), a.get("TextBody")))


@case("bypass_inbound_message")
def _bypass_inbound_message(s: Setup) -> Call:
    blocked = received(s, "Blocked")
    return {"id": blocked}, equal(
        {"ErrorCode": 0, "Message": f"Successfully bypassed message: {blocked}"}
    )


@case("retry_inbound_message")
def _retry_inbound_message(s: Setup) -> Call:
    failed = received(s, "Failed")
    return {"id": failed}, equal(0, lambda a: a["ErrorCode"])


def opened_and_clicked(s: Setup) -> str:
    sent = sent_id(s, To="jane@example.com")
    s.mock.add_open(sent, Platform="Mobile")
    s.mock.add_click(sent, "https://example.com/a")
    return sent


@case("search_message_opens", query="count=5&offset=0")
def _search_message_opens(s: Setup) -> Call:
    sent = opened_and_clicked(s)
    return {"count": 5, "offset": 0}, equal(
        (1, [sent]), lambda a: (a["TotalCount"], [o.get("MessageID") for o in a["Opens"]])
    )


@case("get_message_opens", query="count=5&offset=0")
def _get_message_opens(s: Setup) -> Call:
    sent = opened_and_clicked(s)
    return {"id": sent, "count": 5, "offset": 0}, equal(
        ["Mobile"], lambda a: [o.get("Platform") for o in a["Opens"]]
    )


@case("search_message_clicks", query="count=5&offset=0")
def _search_message_clicks(s: Setup) -> Call:
    opened_and_clicked(s)
    return {"count": 5, "offset": 0}, equal(
        ["https://example.com/a"], lambda a: [c.get("OriginalLink") for c in a["Clicks"]]
    )


@case("get_message_clicks", query="count=5&offset=0")
def _get_message_clicks(s: Setup) -> Call:
    sent = opened_and_clicked(s)
    return {"id": sent, "count": 5, "offset": 0}, equal(
        [sent], lambda a: [c.get("MessageID") for c in a["Clicks"]]
    )


# --- webhooks ----------------------------------------------------------------------------


@case("list_webhooks")
def _list_webhooks(s: Setup) -> Call:
    first, second = webhook_id(s, "https://example.com/a"), webhook_id(s, "https://example.com/b")
    return None, equal([first, second], lambda a: [w["ID"] for w in a["Webhooks"]])


@case("get_webhook")
def _get_webhook(s: Setup) -> Call:
    hook = webhook_id(s)
    return {"id": hook}, equal((hook, "https://example.com/hook"), lambda a: (a["ID"], a["Url"]))


@case("create_webhook")
def _create_webhook(s: Setup) -> Call:
    params = {"Url": "https://example.com/hook", "HttpAuth": {"Username": "u", "Password": "p"},
              "Triggers": {"Open": {"Enabled": True, "PostFirstOpenOnly": True}}}
    return params, equal(
        ("https://example.com/hook", {"Enabled": True, "PostFirstOpenOnly": True}),
        lambda a: (a["Url"], a["Triggers"].get("Open")),
    )


@case("edit_webhook")
def _edit_webhook(s: Setup) -> Call:
    hook = webhook_id(s)
    return {"id": hook, "Url": "https://example.com/moved"}, equal(
        "https://example.com/moved", lambda a: a["Url"]
    )


@case("delete_webhook")
def _delete_webhook(s: Setup) -> Call:
    hook = webhook_id(s)

    def check(answer: Any) -> None:
        assert answer["ErrorCode"] == 0
        assert s.server.list_webhooks()["Webhooks"] == []

    return {"id": hook}, check


@case("verify_webhook")
def _verify_webhook(s: Setup) -> Call:
    hook = webhook_id(s)
    return {"id": hook}, equal(
        (hook, True, ["Delivery"]),
        lambda a: (a["Id"], a["Success"], [r["TriggerType"] for r in a["Results"]]),
    )


@case("get_webhook_statistics")
def _get_webhook_statistics(s: Setup) -> Call:
    hook = webhook_id(s)
    return {"id": hook}, equal(
        (hook, 0), lambda a: (a["WebhookId"], a["Metrics"]["TotalRequests"])
    )


# --- templates ---------------------------------------------------------------------------


@case("list_templates", query="count=10&offset=0&TemplateType=Standard")
def _list_templates(s: Setup) -> Call:
    created = template_id(s)
    return {"count": 10, "offset": 0, "TemplateType": "Standard"}, equal(
        created, lambda a: a["Templates"][-1]["TemplateId"]
    )


@case("get_template")
def _get_template(s: Setup) -> Call:
    created = template_id(s)
    return {"id_or_alias": "receipt"}, equal(
        (created, "Receipt {{n}}"), lambda a: (a["TemplateId"], a.get("Subject"))
    )


@case("create_template")
def _create_template(s: Setup) -> Call:
    params = {"Name": "Base", "Alias": "base", "TemplateType": "Layout",
              "HtmlBody": "<main>{{{@content}}}</main>"}
    return params, equal(("base", "Layout"), lambda a: (a.get("Alias"), a.get("TemplateType")))


@case("edit_template")
def _edit_template(s: Setup) -> Call:
    created = template_id(s)
    return {"id_or_alias": str(created), "Name": "Payment receipt"}, equal(
        (created, "Payment receipt"), lambda a: (a["TemplateId"], a["Name"])
    )


@case("delete_template")
def _delete_template(s: Setup) -> Call:
    template_id(s)
    return {"id_or_alias": "receipt"}, equal(0, lambda a: a["ErrorCode"])


@case("validate_template")
def _validate_template(s: Setup) -> Call:
    params = {"Subject": "Hi {{name}}", "HtmlBody": "<p>{{name}}</p>",
              "TestRenderModel": {"name": "Ada"}}
    return params, equal(
        (True, "Hi Ada"), lambda a: (a["AllContentIsValid"], a["Subject"].get("RenderedContent"))
    )


@case("push_templates")
def _push_templates(s: Setup) -> Call:
    template_id(s)
    target = s.account.create_server(Name="Target")["ID"]
    params = {"SourceServerID": 1, "DestinationServerID": target, "PerformChanges": False}
    return params, equal(True, lambda a: a["TotalCount"] >= 1)


# --- bulk --------------------------------------------------------------------------------


def bulk_params() -> types.SendBulkEmail:
    return {"From": "sender@example.com", "Subject": "Hi {{name}}", "TextBody": "Hello {{name}}",
            "Messages": [{"To": "a@example.com", "TemplateModel": {"name": "A"}},
                         {"To": "b@example.com", "TemplateModel": {"name": "B"}}]}


@case("send_bulk_email")
def _send_bulk_email(s: Setup) -> Call:
    return bulk_params(), equal(True, lambda a: bool(a["ID"]))


@case("get_bulk_email_status")
def _get_bulk_email_status(s: Setup) -> Call:
    bulk = s.server.send_bulk_email(bulk_params())["ID"]
    return {"id": bulk}, equal((bulk, 2), lambda a: (a["Id"], a["TotalMessages"]))


@case("list_bulk_emails")
def _list_bulk_emails(s: Setup) -> Call:
    bulk = s.server.send_bulk_email(bulk_params())["ID"]
    return None, equal([bulk], lambda a: [b["Id"] for b in a["Requests"]])


# --- message streams ---------------------------------------------------------------------


def stream(s: Setup, stream_id: str = "news") -> str:
    created: str = s.server.create_message_stream(
        ID=stream_id, Name="News", MessageStreamType="Broadcasts"
    )["ID"]
    return created


@case("list_message_streams")
def _list_message_streams(s: Setup) -> Call:
    stream(s)

    def check(answer: Any) -> None:
        assert "news" in [m["ID"] for m in answer["MessageStreams"]]

    return {"MessageStreamType": "All"}, check


@case("get_message_stream")
def _get_message_stream(s: Setup) -> Call:
    return {"stream_id": "outbound"}, equal(
        ("outbound", "Transactional"), lambda a: (a["ID"], a["MessageStreamType"])
    )


@case("edit_message_stream")
def _edit_message_stream(s: Setup) -> Call:
    stream(s)
    return {"stream_id": "news", "Name": "Weekly news"}, equal("Weekly news", lambda a: a["Name"])


@case("create_message_stream")
def _create_message_stream(s: Setup) -> Call:
    return {"ID": "news", "Name": "News", "MessageStreamType": "Broadcasts"}, equal(
        ("news", "Broadcasts"), lambda a: (a["ID"], a["MessageStreamType"])
    )


@case("archive_message_stream")
def _archive_message_stream(s: Setup) -> Call:
    stream(s)
    return {"stream_id": "news"}, equal("news", lambda a: a["ID"])


@case("unarchive_message_stream")
def _unarchive_message_stream(s: Setup) -> Call:
    stream(s)
    s.server.archive_message_stream(stream_id="news")
    return {"stream_id": "news"}, equal(("news", None), lambda a: (a["ID"], a.get("ArchivedAt")))


# --- suppressions ------------------------------------------------------------------------


def addresses(*emails: str) -> List[types.SuppressionAddress]:
    return [{"EmailAddress": email} for email in emails]


@case("dump_suppressions", query="EmailAddress=a%40example.com")
def _dump_suppressions(s: Setup) -> Call:
    s.server.create_suppressions(stream_id="outbound", Suppressions=addresses("a@example.com",
                                                                             "b@example.com"))
    return {"stream_id": "outbound", "EmailAddress": "a@example.com"}, equal(
        ["a@example.com"], lambda a: [x["EmailAddress"] for x in a["Suppressions"]]
    )


@case("create_suppressions")
def _create_suppressions(s: Setup) -> Call:
    return {"stream_id": "outbound", "Suppressions": addresses("a@example.com")}, equal(
        [("a@example.com", "Suppressed")],
        lambda a: [(x["EmailAddress"], x["Status"]) for x in a["Suppressions"]],
    )


@case("delete_suppressions")
def _delete_suppressions(s: Setup) -> Call:
    s.server.create_suppressions(stream_id="outbound", Suppressions=addresses("a@example.com"))
    return {"stream_id": "outbound", "Suppressions": addresses("a@example.com")}, equal(
        [("a@example.com", "Deleted")],
        lambda a: [(x["EmailAddress"], x["Status"]) for x in a["Suppressions"]],
    )


# --- inbound rules -----------------------------------------------------------------------


@case("list_inbound_rules", query="count=10&offset=0")
def _list_inbound_rules(s: Setup) -> Call:
    s.server.create_inbound_rule(Rule="spam@example.com")
    return {"count": 10, "offset": 0}, equal(
        (1, ["spam@example.com"]), lambda a: (a["TotalCount"], [r["Rule"] for r in a["InboundRules"]])
    )


@case("create_inbound_rule")
def _create_inbound_rule(s: Setup) -> Call:
    return {"Rule": "bad.example"}, equal("bad.example", lambda a: a["Rule"])


@case("delete_inbound_rule")
def _delete_inbound_rule(s: Setup) -> Call:
    rule = s.server.create_inbound_rule(Rule="spam@example.com")["ID"]

    def check(answer: Any) -> None:
        assert answer["ErrorCode"] == 0
        assert s.server.list_inbound_rules(count=10, offset=0)["TotalCount"] == 0

    return {"id": rule}, check


# --- stats: every report of two tracked messages, one bounced, one complained of -----------


def stats_case(name: str, expected: Dict[str, Any]) -> None:
    @case(name, query="tag=digest")
    def _stats(s: Setup) -> Call:
        bounced, complained = (sent_id(s, Tag="digest", TrackOpens=True) for _ in range(2))
        s.mock.add_bounce("receiver@example.com", MessageID=bounced, Type="HardBounce")
        s.mock.add_bounce("receiver@example.com", MessageID=complained, Type="SpamComplaint")
        s.mock.add_open(bounced, Platform="Mobile", ReadSeconds=7,
                        Client={"Name": "Gmail 10", "Company": "Google", "Family": "Gmail"})
        s.mock.add_click(bounced, "https://example.com/a", ClickLocation="HTML",
                         Platform="Desktop", Client={"Name": "Chrome", "Family": "Chrome"})
        return {"tag": "digest"}, equal(expected, lambda a: {key: a.get(key) for key in expected})


stats_case("get_outbound_overview", {"Sent": 2, "Bounced": 1, "SpamComplaints": 1, "Opens": 1,
                                     "TotalClicks": 1, "Tracked": 2})
stats_case("get_sent_counts", {"Sent": 2})
stats_case("get_bounce_counts", {"HardBounce": 1, "SoftBounce": 0})
stats_case("get_spam_complaint_counts", {"SpamComplaint": 1})
stats_case("get_tracked_email_counts", {"Tracked": 2})
stats_case("get_email_open_counts", {"Opens": 1, "Unique": 1})
stats_case("get_email_platform_usage", {"Mobile": 1, "Desktop": 0})
stats_case("get_email_client_usage", {"Gmail": 1})
stats_case("get_email_read_times", {"7s": 1})
stats_case("get_click_counts", {"Clicks": 1, "Unique": 1})
stats_case("get_browser_usage", {"Chrome": 1})
stats_case("get_browser_platform_usage", {"Desktop": 1, "Mobile": 0})
stats_case("get_click_location", {"HTML": 1, "Text": 0})


# --- domains -----------------------------------------------------------------------------


@case("list_domains", query="count=10&offset=0")
def _list_domains(s: Setup) -> Call:
    domain_id(s)
    return {"count": 10, "offset": 0}, equal(
        (1, ["example.org"]), lambda a: (a["TotalCount"], [d["Name"] for d in a["Domains"]])
    )


@case("get_domain")
def _get_domain(s: Setup) -> Call:
    created = domain_id(s)
    return {"id": created}, equal((created, "example.org"), lambda a: (a["ID"], a["Name"]))


@case("create_domain")
def _create_domain(s: Setup) -> Call:
    return {"Name": "example.org"}, equal("example.org", lambda a: a["Name"])


@case("edit_domain")
def _edit_domain(s: Setup) -> Call:
    created = domain_id(s)
    s.mock.publish_domain(created)
    return {"id": created, "ReturnPathDomain": "pm-bounces.example.org"}, equal(
        "pm-bounces.example.org", lambda a: a.get("ReturnPathDomain")
    )


@case("delete_domain")
def _delete_domain(s: Setup) -> Call:
    created = domain_id(s)
    return {"id": created}, equal(0, lambda a: a["ErrorCode"])


def domain_check(name: str, read: Callable[[Any], Any], expected: Any) -> None:
    @case(name)
    def _check(s: Setup) -> Call:
        created = domain_id(s)
        return {"id": created}, equal(expected, read)


domain_check("verify_domain_dkim", lambda a: a["Name"], "example.org")
domain_check("verify_domain_return_path", lambda a: a["Name"], "example.org")
domain_check("verify_domain_spf", lambda a: type(a.get("SPFVerified")), bool)


@case("rotate_domain_dkim")
def _rotate_domain_dkim(s: Setup) -> Call:
    created = domain_id(s)
    s.mock.publish_domain(created)
    return {"id": created}, equal(("example.org", "Pending"), lambda a: (a["Name"], a.get("DKIMUpdateStatus")))


# --- sender signatures -------------------------------------------------------------------


@case("list_sender_signatures", query="count=10&offset=0")
def _list_sender_signatures(s: Setup) -> Call:
    signature_id(s)
    return {"count": 10, "offset": 0}, equal(
        (1, ["jp@example.org"]),
        lambda a: (a["TotalCount"], [x["EmailAddress"] for x in a["SenderSignatures"]]),
    )


@case("get_sender_signature")
def _get_sender_signature(s: Setup) -> Call:
    created = signature_id(s)
    return {"id": created}, equal((created, "JP"), lambda a: (a["ID"], a["Name"]))


@case("create_sender_signature")
def _create_sender_signature(s: Setup) -> Call:
    return {"FromEmail": "jp@example.org", "Name": "JP"}, equal(
        ("jp@example.org", False), lambda a: (a["EmailAddress"], a["Confirmed"])
    )


@case("edit_sender_signature")
def _edit_sender_signature(s: Setup) -> Call:
    created = signature_id(s)
    return {"id": created, "Name": "John"}, equal("John", lambda a: a["Name"])


def signature_call(name: str, read: Callable[[Any], Any], expected: Any) -> None:
    @case(name)
    def _call(s: Setup) -> Call:
        created = signature_id(s)
        return {"id": created}, equal(expected, read)


signature_call("delete_sender_signature", lambda a: a["ErrorCode"], 0)
signature_call("resend_sender_signature_confirmation", lambda a: a["ErrorCode"], 0)
signature_call("verify_sender_signature_spf", lambda a: a["EmailAddress"], "jp@example.org")


@case("request_new_sender_signature_dkim")
def _request_new_sender_signature_dkim(s: Setup) -> Call:
    created = signature_id(s)
    s.mock.confirm_sender(created)
    return {"id": created}, equal(
        {"ErrorCode": 0, "Message": "A new DKIM key was requested for example.org."}
    )


# --- data removals -----------------------------------------------------------------------


@case("create_data_removal")
def _create_data_removal(s: Setup) -> Call:
    return {"RequestedBy": "privacy@example.com", "RequestedFor": "jane@example.org"}, equal(
        "Pending", lambda a: a.get("Status")
    )


@case("get_data_removal_status")
def _get_data_removal_status(s: Setup) -> Call:
    created = s.account.create_data_removal(
        RequestedBy="privacy@example.com", RequestedFor="jane@example.org"
    )["ID"]
    return {"id": created}, equal((created, "Pending"), lambda a: (a["ID"], a.get("Status")))


# --- what the request log must show ------------------------------------------------------


def expected_request(op: Dict[str, Any], params: Any) -> Tuple[str, str, str]:
    """The method, path (the template filled from the parameters) and token
    of the one request a case's call sends."""
    path = op["path"]
    for part in path.split("/"):
        if part.startswith("{"):
            path = path.replace(part, str(params[part[1:-1]]))
    return op["method"], path, op["token"]
