"""Steps of e-mail failures: Mailpit's SMTP server refuses mail (its chaos triggers)."""

from __future__ import annotations

from pytest_bdd import given, then, when

from herstelpad.actors import Actor
from herstelpad.mailbox import Mailpit

SMTP_TRY_AGAIN_LATER = 451  # "Requested action aborted: local error in processing"


@given("de e-mailserver weigert elke e-mail")
def mail_server_refuses(email_failure: Mailpit) -> None:
    """Mailpit answers every recipient with an SMTP error (only this scenario's Mailpit)."""
    email_failure.set_chaos(recipient_error=SMTP_TRY_AGAIN_LATER, probability=100)


@when("de e-mailserver weer e-mail aanneemt")
def mail_server_accepts(email_failure: Mailpit) -> None:
    """Mailpit accepts mail again."""
    email_failure.clear_chaos()


@then("is er geen e-mail voor mij aangekomen")
def no_email_arrived(me: Actor) -> None:
    """Nothing reached the person's mailbox."""
    assert me.mailbox.summaries() == [], me.mailbox.describe_arrivals()
