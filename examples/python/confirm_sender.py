"""Adds a sender signature and waits until it is confirmed: creates it, polls
with backoff and a deadline until `Confirmed`, and with --resend sends the
confirmation email again first.

Offline against a local mock server by default, whose control route confirms
the signature part-way through the wait; with POSTMARK_ACCOUNT_TOKEN (and
optionally POSTMARK_API_URL) set, on that account.

    python examples/python/confirm_sender.py billing@example.com --resend
"""

import sys
import time
from contextlib import ExitStack

from automation import Env


def main() -> None:
    args = sys.argv[1:]
    sender = next((a for a in args if not a.startswith("--")), "billing@example.com")
    resend = "--resend" in args
    with ExitStack() as stack:
        env = Env(stack)
        # A person takes minutes to click a link; the mock, milliseconds.
        first, most, deadline = (0.02, 0.2, 10.0) if env.mock else (5.0, 60.0, 30 * 60.0)
        account = env.account
        signature = account.create_sender_signature(FromEmail=sender, Name="Billing")
        print(f"sender signature {signature['ID']} for {signature['EmailAddress']} created; "
              f"confirmed: {str(signature['Confirmed']).lower()}")
        if resend:
            account.resend_sender_signature_confirmation(id=signature["ID"])
            print("confirmation email sent again")

        started = time.monotonic()
        wait = first
        poll = 0
        while True:
            poll += 1
            if account.get_sender_signature(id=signature["ID"])["Confirmed"]:
                print(f"confirmed after {poll} polls")
                return
            if time.monotonic() - started + wait > deadline:
                raise SystemExit(f"{sender} was not confirmed within {deadline:.0f} s; "
                                 "run again with --resend")
            print(f"poll {poll}: not confirmed yet; next look in {wait:.2f} s")
            if poll == 2 and env.mock is not None:
                # Offline, the owner "clicks the link" now, part-way through the wait.
                env.mock.control("POST", f"/__mock/senders/{signature['ID']}/confirm")
            time.sleep(wait)
            wait = min(wait * 2, most)


if __name__ == "__main__":
    main()
