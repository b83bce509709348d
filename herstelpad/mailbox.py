"""One person's mailbox in Mailpit: the target's mail delivered to exactly that address, and waiting for it.

The layers: herstelpad.mailpit talks to Mailpit (REST and websocket), herstelpad.mail is the e-mail
itself (addresses, code, links, whose mail it may be), this module is the view and the waits.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from herstelpad.mail import (
    ANYONE,
    DEFAULT_CODE,
    Email,
    MailContentError,
    MailRefused,
    MailTrust,
    Subject,
    address_key,
    all_recipients,
    one_line,
    subject_matches,
)
from herstelpad.mailpit import (
    MAILPIT_URL_ENV,
    Mailpit,
    MailpitError,
    MailpitUnavailable,
    Summary,
    parse_time,
)
from herstelpad.waiting import Deadline, pause, poll_until

__all__ = [
    "DEFAULT_CODE", "MAILPIT_URL_ENV", "Email", "MailContentError", "MailRefused", "MailTrust", "Mailbox", "Mailpit",
    "MailpitError", "MailpitUnavailable",
]

DESCRIBE_SECONDS = 1.0  # how long a timed-out wait may spend saying what did arrive
SEARCH_SAFE = re.compile(r"[a-z0-9._+=@-]+")  # characters Mailpit's search keeps as they are in its JSON
REST_RECHECK_SECONDS = 2.0
POLL_INTERVAL = 0.1


def _as_datetime(moment: datetime | float) -> datetime:
    """A moment (aware or naive-local datetime, or Unix time) as an aware datetime."""
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.astimezone()
    return datetime.fromtimestamp(moment, tz=UTC)


def _search_term(key: str) -> str:
    """A Mailpit query finding at least every message to, from, cc or bcc `key` (an address_key).

    Mailpit matches `addressed:` as a case-insensitive substring of its JSON, where a local part may
    still wear its quotes: the whole address when it is plain, else the longest plain run of its
    `@domain` (quotes, spaces, '&' and non-ASCII are not plain there).
    """
    if SEARCH_SAFE.fullmatch(key):
        return f"addressed:{key}"
    domain = key[key.rfind("@") :]
    return f"addressed:{max(SEARCH_SAFE.findall(domain), key=len, default='@')}"


def _shown(subject: Subject) -> str:
    """A wanted subject in words."""
    return f"het patroon {subject.pattern!r}" if isinstance(subject, re.Pattern) else repr(subject)


class Mailbox:
    """One person's mailbox in Mailpit: the target's mail delivered to exactly this address (in To, Cc or Bcc)."""

    def __init__(
        self, mailpit: Mailpit, address: str, code_pattern: re.Pattern[str] = DEFAULT_CODE, trust: MailTrust = ANYONE,
    ) -> None:
        """View the mail to `address` (an RFC 5322 address, compared as address_key does); codes where `code_pattern`
        finds them; only mail and links `trust` allows (MailTrust.of(pack, target URL) in a scenario)."""
        self.mailpit = mailpit
        self.address = address
        self.code_pattern = code_pattern
        self.trust = trust
        self._key = address_key(address)
        self._taken: set[str] = set()
        self._refused: dict[str, str] = {}  # message ID → what arrived and why it was refused
        self._reported = 0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        """Show the address."""
        return f"Mailbox({self.address!r})"

    def _is_mine(self, summary: Summary) -> bool:
        """Whether the message was delivered to exactly this address."""
        return any(address_key(address) == self._key for address in all_recipients(summary))

    def summaries(self, deadline: Deadline | None = None) -> list[Summary]:
        """Summaries of every message to this recipient, oldest first, however many Mailpit holds."""
        found = self.mailpit.search_all(_search_term(self._key), deadline)
        return [summary for summary in found if self._is_mine(summary)]

    def messages(self) -> list[Email]:
        """The target's messages to this recipient (those the trust allows), oldest first."""
        return [self._email(summary) for summary in self.summaries() if self.refuse(summary) is None]

    def _email(self, summary: Summary, deadline: Deadline | None = None) -> Email:
        """The full e-mail behind a summary, read with this mailbox's code pattern and trust."""
        data = self.mailpit.message(summary["ID"], deadline)
        return Email.from_mailpit(data, summary, self.code_pattern, self.trust)

    def refuse(self, summary: Summary) -> str | None:
        """Why this message is not the target's (noted once, for refusals()); None when it is."""
        reason = self.trust.refusal(summary)
        if reason is not None:
            with self._lock:
                self._refused.setdefault(summary["ID"], f"geweigerd: {one_line(summary)}: {reason}")
        return reason

    def refusals(self) -> list[str]:
        """What was refused since the last call (what arrived and why), for the scenario's journal."""
        with self._lock:
            found = list(self._refused.values())
            new, self._reported = found[self._reported :], len(found)
        return new

    def clear(self) -> int:
        """Delete this recipient's messages (and nobody else's); returns how many."""
        ids = [summary["ID"] for summary in self.summaries()]
        self.mailpit.delete(ids)
        return len(ids)

    def describe_arrivals(self, others: int = 10, deadline: Deadline | None = None) -> str:
        """What did arrive: all mail for this address and the newest few for others."""
        mine = self.summaries(deadline)
        lines = [f"voor {self.address}: {len(mine)} e-mail(s)"]
        with self._lock:
            taken = set(self._taken)
        for s in mine:
            reason = self.trust.refusal(s)
            note = "  (al gelezen)" if s["ID"] in taken else f"  (geweigerd: {reason})" if reason else ""
            lines.append(f"  - {one_line(s)}{note}")
        newest = self.mailpit.latest(others + min(len(mine), self.mailpit.page_size), deadline)
        rest = [s for s in newest if not self._is_mine(s)][:others]
        lines.append(f"voor anderen (nieuwste {len(rest)}):")
        lines += [f"  - {one_line(s)}" for s in rest]
        return "\n".join(lines)

    def _take(self, summary: Summary, deadline: Deadline | None = None) -> Email | None:
        """Claim a message for one wait (None when another wait already has it) and fetch it."""
        with self._lock:
            if summary["ID"] in self._taken:
                return None
            self._taken.add(summary["ID"])
        try:
            return self._email(summary, deadline)
        except BaseException:
            with self._lock:  # not fetched: a later wait may still take it
                self._taken.discard(summary["ID"])
            raise

    def wait_for(
        self,
        subject: Subject | None = None,
        *,
        timeout: float = 10.0,
        after: datetime | float | None = None,
    ) -> Email:
        """The oldest of the target's messages to this address not returned before (optionally: with exactly this
        subject or one matching this pattern, received after). Mail the trust refuses is never returned: the wait
        goes on and, when it times out, says what arrived and why it was refused; when the pack declared no
        senders, the first mail ends the wait with MailRefused saying what to declare.

        Listens for Mailpit's 'new' events and checks REST once right after subscribing (mail that came
        before the wait) and whenever events may have been missed; polls REST when the websocket is down.
        Every call to Mailpit it makes ends by the deadline, also when Mailpit hangs; saying what did
        arrive after a timeout takes at most DESCRIBE_SECONDS more.
        """
        waiter = _Waiter(self, subject, _as_datetime(after) if after is not None else None, timeout)
        return poll_until(
            waiter.attempt,
            timeout=timeout,
            deadline=waiter.deadline,
            interval=POLL_INTERVAL,
            what=waiter.what(),
            describe=lambda: self.describe_arrivals(deadline=Deadline(DESCRIBE_SECONDS)),
            wait=waiter.wake,
        )


class _Waiter:
    """The state of one Mailbox.wait_for: event cursor, when REST was last asked, what is wanted."""

    def __init__(self, mailbox: Mailbox, subject: Subject | None, since: datetime | None, timeout: float) -> None:
        """Subscribe to events first, so that a REST check afterwards closes the gap."""
        self.mailbox = mailbox
        self.subject = subject
        self.since = since
        self.deadline = Deadline(timeout)
        self.listener = mailbox.mailpit.listener(self.deadline.remaining())
        self.cursor, self.generation = self.listener.cursor() if self.listener else (0, 0)
        self.rest_due = True
        self.rest_at = time.monotonic()

    def what(self) -> str:
        """What this wait is for, in words."""
        text = f"een e-mail aan {self.mailbox.address}"
        if self.subject is not None:
            text += f" met onderwerp {_shown(self.subject)}"
        if self.since is not None:
            text += f", ontvangen na {self.since.isoformat(timespec='seconds')}"
        return text

    def wanted(self, summary: Summary) -> bool:
        """Whether this summary answers the wait."""
        if not self.mailbox._is_mine(summary):
            return False
        if self.since is not None and parse_time(summary["Created"]) < self.since:
            return False
        reason = self.mailbox.refuse(summary)
        if reason is not None:
            if not self.mailbox.trust.senders:
                raise MailRefused(f"E-mail aan {self.mailbox.address} geweigerd: {one_line(summary)}: {reason}.")
            return False
        return self.subject is None or subject_matches(summary.get("Subject", ""), self.subject)

    def _first(self, summaries: Iterable[Summary]) -> Email | None:
        """The first wanted message that no other wait took."""
        for summary in summaries:
            if self.wanted(summary):
                email = self.mailbox._take(summary, self.deadline)
                if email is not None:
                    return email
        return None

    def _listening(self) -> bool:
        """Whether events are flowing right now."""
        return self.listener is not None and self.listener.connected

    def attempt(self) -> Email | None:
        """One look for the mail; None when Mailpit could not answer before the deadline (the wait then times out)."""
        try:
            return self._look()
        except MailpitUnavailable:
            if self.deadline.expired():
                return None
            raise

    def _look(self) -> Email | None:
        """Look at new events; ask REST when events may be missing or the websocket is down."""
        if self.listener is not None and self._listening():
            events, self.cursor, lost = self.listener.since(self.cursor)
            email = self._first(events)
            if email is not None:
                return email
            if lost or self.listener.generation != self.generation:
                self.generation = self.listener.generation
                self.rest_due = True
            recheck = time.monotonic() - self.rest_at >= REST_RECHECK_SECONDS
            if not (self.rest_due or recheck or self.deadline.remaining() <= 2 * POLL_INTERVAL):
                return None
        self.rest_due, self.rest_at = False, time.monotonic()
        return self._first(self.mailbox.summaries(self.deadline))

    def wake(self, seconds: float) -> None:
        """Wait for the next event, or just `seconds` when not listening."""
        if self.listener is not None and self._listening():
            self.listener.wait(self.cursor, seconds)
        else:
            pause(seconds)
