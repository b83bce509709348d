"""Journal: what happened in one scenario besides the steps — e-mails read and who did what."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from herstelpad.report.masking import mask
from herstelpad.report.model import Email, Event


def _now() -> str:
    """Returns the local time as an ISO 8601 string with seconds."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _as_text(value: object) -> str:
    """Turns a field of an e-mail (string, list of addresses, datetime, None) into one line of text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, Mapping):
        name, address = value.get("Name") or value.get("name"), value.get("Address") or value.get("address")
        return f"{name} <{address}>" if name and address else str(address or name or "")
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        return ", ".join(_as_text(item) for item in value)
    return str(value)


@dataclass
class Journal:
    """Per-scenario record of e-mails and events; every text is masked before it is stored."""

    emails: list[Email] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    step: int | None = None

    def record_email(self, email_dict: Mapping[str, Any], reader: str) -> Email:
        """Stores an e-mail ({subject, sender, to, text, received}) as read by `reader`."""
        entry = Email(
            subject=mask(_as_text(email_dict.get("subject"))),
            sender=mask(_as_text(email_dict.get("sender"))),
            to=mask(_as_text(email_dict.get("to"))),
            text=mask(_as_text(email_dict.get("text"))),
            received=mask(_as_text(email_dict.get("received")) or _now()),
            reader=mask(reader),
            step=self.step,
        )
        self.emails.append(entry)
        return entry

    def record_event(self, actor: str, text: str, accounts: list[str] | None = None) -> Event:
        """Stores that `actor` (a person's role, their phone's app, the target) did or saw `text`; a phone's event
        may list the accounts its app shows afterwards (for the report's phone card)."""
        listed = [mask(account) for account in accounts] if accounts is not None else None
        entry = Event(actor=mask(actor), text=mask(text), at=_now(), step=self.step, accounts=listed)
        self.events.append(entry)
        return entry
