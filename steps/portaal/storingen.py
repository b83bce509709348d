"""Steps of e-mail failures: Mailpit's SMTP server refuses mail (its chaos triggers)."""

from __future__ import annotations

from pytest_bdd import given, then, when

from herstelpad.actors import Actor
from herstelpad.mailbox import Mailpit

SMTP_TRY_AGAIN_LATER = 451  # "Requested action aborted: local error in processing"


@given("de e-mailserver weigert elke e-mail")
def mailserver_weigert(email_failure: Mailpit) -> None:
    """Mailpit answers every recipient with an SMTP error (only this scenario's Mailpit)."""
    email_failure.set_chaos(recipient_error=SMTP_TRY_AGAIN_LATER, probability=100)


@when("de e-mailserver weer e-mail aanneemt")
def mailserver_neemt_aan(email_failure: Mailpit) -> None:
    """Mailpit accepts mail again."""
    email_failure.clear_chaos()


@then("is er geen e-mail voor mij aangekomen")
def geen_email(ik: Actor) -> None:
    """Nothing reached the person's mailbox."""
    assert ik.mailbox.summaries() == [], ik.mailbox.describe_arrivals()
