"""The people who act in a scenario: who they are, their mailbox and their phone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from herstelpad.authenticator import Authenticator
from herstelpad.mail import Subject
from herstelpad.mailbox import Email, Mailbox
from herstelpad.people import Person
from herstelpad.recovery_codes import RecoveryCodes


@dataclass
class Actor:
    """Someone who acts in a scenario: the person logging in, a colleague, a helpdesk employee.

    The core's `make_actor` fixture builds one: the person provisioned through the pack, a phone from the pack's
    `make_phone` (its own app, e.g. a subclass of Authenticator), a mailbox view with the pack's code pattern.
    """

    role: str
    person: Person
    mailbox: Mailbox
    phone: Authenticator
    journal: Any
    timeout: float
    emails: list[Email] = field(default_factory=list)
    recovery_codes: RecoveryCodes = field(default_factory=RecoveryCodes)  # what the target showed once, kept

    def read_email(self, subject: Subject | None = None) -> Email:
        """Waits for the target's next e-mail to this actor (with exactly this subject, or one matching this pattern,
        when given) and notes it in the report, with the look-alikes the mailbox refused meanwhile."""
        try:
            email = self.mailbox.wait_for(subject, timeout=self.timeout)
        finally:
            for refusal in self.mailbox.refusals():
                self.journal.record_event(self.role, refusal)
        self.emails.append(email)
        self.journal.record_email(
            {"subject": email.subject, "sender": email.sender, "to": email.to, "text": email.text,
             "received": str(email.received)},
            reader=self.role,
        )
        return email

    def last_email(self) -> Email:
        """The e-mail this actor read last; AssertionError when none was read yet."""
        assert self.emails, f"{self.role} heeft nog geen e-mail gelezen"
        return self.emails[-1]

    def new_phone(self) -> None:
        """Swaps the phone for a new one with the app freshly installed."""
        self.phone = self.phone.new_phone()

    def change_password(self, password: str) -> None:
        """The person now knows a new password (typed on a screen); it is registered as a secret."""
        self.person = self.person.with_password(password)

    def did(self, text: str) -> None:
        """Notes in the report what this actor did."""
        self.journal.record_event(self.role, text)
