"""Mailpit client: wait for the e-mail to one person and read its code or link."""

from __future__ import annotations

import html as html_lib
import itertools
import json
import re
import threading
import time
import warnings
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from mailpit.client.api import API as MailpitApiClient
from websockets.sync.client import ClientConnection, connect

from herstelpad import http
from herstelpad.secrets import mask, register
from herstelpad.waiting import Deadline, pause, poll_until

MAILPIT_URL_ENV = "HERSTELPAD_MAILPIT_URL"
# Where a code stands in an e-mail unless the pack says otherwise: a short label, a colon and 6-8 digits
# alone on their line ("Code: 123456"). A pack gives its own pattern; group 1 is the code.
DEFAULT_CODE = re.compile(r"^[^\n:]{1,60}:\s*(\d{6,8})\s*$", re.MULTILINE)
URL = re.compile(r"https?://[^\s<>\"']+")
SECRET_QUERY_PARAMS = ("token", "code", "secret")
EVENT_BUFFER = 2000
SEARCH_LIMIT = 500  # the page size: one search or delete call handles at most this many messages
LISTING_RESTARTS = 3  # a listing starts over when messages vanished while it paged (they shift the pages)
DESCRIBE_SECONDS = 1.0  # how long a timed-out wait may spend saying what did arrive
SEARCH_SAFE = re.compile(r"[a-z0-9._+=@-]+")  # characters Mailpit's search keeps as they are in its JSON
REST_RECHECK_SECONDS = 2.0
POLL_INTERVAL = 0.1

Summary = dict[str, Any]


class MailpitUnavailable(ConnectionError):
    """Mailpit cannot be reached."""


class MailpitError(RuntimeError):
    """Mailpit answered a request with an error."""


class MailContentError(ValueError):
    """An e-mail lacks what a step expected in it (a code, a link)."""


def _parse_time(value: str) -> datetime:
    """Mailpit's RFC 3339 (nano) timestamp as an aware datetime."""
    match = re.match(r"^(.*?\.\d{1,6})\d*(.*)$", value)
    if match:
        value = match.group(1) + match.group(2)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _as_datetime(moment: datetime | float) -> datetime:
    """A moment (aware or naive-local datetime, or Unix time) as an aware datetime."""
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.astimezone()
    return datetime.fromtimestamp(moment, tz=UTC)


def _addresses(contacts: Iterable[dict[str, str]] | None) -> tuple[str, ...]:
    """The e-mail addresses of Mailpit contact objects."""
    return tuple(contact.get("Address", "") for contact in contacts or ())


def _recipients(summary: Summary) -> tuple[str, ...]:
    """The To addresses of a message summary."""
    return _addresses(summary.get("To"))


def _all_recipients(summary: Summary) -> tuple[str, ...]:
    """Everyone a message was delivered to: To, Cc and Bcc (Mailpit puts envelope-only recipients in Bcc)."""
    return tuple(address for field_name in ("To", "Cc", "Bcc") for address in _addresses(summary.get(field_name)))


def address_key(address: str) -> str:
    """An RFC 5322 address in the form two spellings of one mailbox share.

    Drops a display name (`Jan <jan@x.nl>`), unquotes a quoted local part (`"j d"@x.nl` as Mailpit
    stores it: `j d@x.nl`) and ignores case (domains always; local parts too, as mail providers do).
    """
    text = address.strip()
    if text.endswith(">"):
        text = parseaddr(text)[1] or text
    local, at, domain = text.rpartition("@")
    if not at:
        return text.casefold()
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = re.sub(r"\\(.)", r"\1", local[1:-1])
    return f"{local}@{domain}".casefold()


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


def _oldest_first(summaries: Iterable[Summary]) -> list[Summary]:
    """Summaries by arrival, oldest first: Created, then ID for messages of the same millisecond."""
    return sorted(summaries, key=lambda summary: (_parse_time(summary["Created"]), summary["ID"]))


def _one_line(summary: Summary) -> str:
    """A short description of a message summary: time, subject, recipients."""
    created = summary.get("Created", "")[:19].replace("T", " ")
    return f"{created}  {summary.get('Subject', '')!r} → {', '.join(_recipients(summary)) or '(no To)'}"


def _urls(text: str) -> list[str]:
    """The absolute URLs in `text`, without trailing punctuation."""
    return [url.rstrip(".,);:!?") for url in URL.findall(text)]


@dataclass(frozen=True)
class Email:
    """One received e-mail."""

    id: str
    subject: str
    sender: str
    to: tuple[str, ...]
    text: str = field(repr=False)
    html: str = field(repr=False)
    received: datetime
    code_pattern: re.Pattern[str] = field(default=DEFAULT_CODE, repr=False, compare=False)

    def _readable(self) -> list[str]:
        """Plain text first, then the HTML with tags removed and entities decoded."""
        return [self.text, html_lib.unescape(re.sub(r"<[^>]+>", "\n", self.html))]

    def _secret_label(self) -> str:
        """The label of this e-mail's secrets in masked text."""
        return f"e-mail aan {', '.join(self.to)}"

    def register_secrets(self) -> None:
        """Register this e-mail's confirmation codes and link tokens as secrets."""
        for body in self._readable():
            for code in self.code_pattern.findall(body):
                register(code, self._secret_label())
        for url in self.links():
            for name, values in parse_qs(urlsplit(url).query).items():
                if name.lower() in SECRET_QUERY_PARAMS:
                    for value in values:
                        register(value, f"{self._secret_label()} ({name})")

    def code(self) -> str:
        """The code in the e-mail, where the target's pattern finds it (group 1)."""
        for body in self._readable():
            match = self.code_pattern.search(body)
            if match:
                return register(match.group(1), self._secret_label()) or ""
        raise MailContentError(
            f"De e-mail {self.subject!r} aan {', '.join(self.to)} heeft geen code waar het patroon "
            f"{self.code_pattern.pattern!r} die zoekt (no code). Text:\n{mask(self.text)[:500]}"
        )

    def links(self) -> list[str]:
        """All absolute URLs in the e-mail, text part first, without duplicates."""
        found: list[str] = []
        for body in (self.text, html_lib.unescape(self.html)):
            for url in _urls(body):
                if url not in found:
                    found.append(url)
        return found

    def link(self, contains: str = "") -> str:
        """The first absolute URL containing `contains`."""
        links = self.links()
        for url in links:
            if contains in url:
                return url
        raise MailContentError(
            f"De e-mail {self.subject!r} aan {', '.join(self.to)} heeft geen link met {contains!r}; "
            f"links: {[mask(url) for url in links]}"
        )


class _EventListener:
    """One background websocket connection to Mailpit's /api/events, fanning 'new' events out to waiters."""

    def __init__(self, url: str, connect_timeout: float) -> None:
        """Listen on `url` once started."""
        self.url = url
        self.connect_timeout = connect_timeout
        self.condition = threading.Condition()
        self.connected = False
        self.generation = 0
        self.last_error: BaseException | None = None
        self._seq = 0
        self._events: deque[tuple[int, Summary]] = deque(maxlen=EVENT_BUFFER)
        self._stop = threading.Event()
        self._first_attempt = threading.Event()
        self._socket: ClientConnection | None = None
        self._started = False
        self._thread = threading.Thread(target=self._run, name=f"mailpit-events {url}", daemon=True)

    def start(self, timeout: float | None = None) -> None:
        """Start the thread and wait (at most `timeout` seconds) for the outcome of the first connection attempt."""
        with self.condition:
            if not self._started:
                self._started = True
                self._thread.start()
        limit = self.connect_timeout + 1.0
        self._first_attempt.wait(limit if timeout is None else min(limit, timeout))

    def stop(self) -> None:
        """Close the connection and end the thread."""
        self._stop.set()
        sock = self._socket
        if sock is not None:
            sock.close()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _set_connected(self, connected: bool) -> None:
        """Record a (dis)connection and wake every waiter."""
        with self.condition:
            self.connected = connected
            if connected:
                self.generation += 1
            self.condition.notify_all()

    def _run(self) -> None:
        """Connect, read events, reconnect with a growing pause until stopped."""
        backoff = 0.05
        while not self._stop.is_set():
            try:
                with connect(self.url, open_timeout=self.connect_timeout, proxy=None) as sock:
                    self._socket = sock
                    self._set_connected(True)
                    self._first_attempt.set()
                    backoff = 0.05
                    while not self._stop.is_set():
                        try:
                            raw = sock.recv(timeout=0.5)
                        except TimeoutError:
                            continue
                        self._publish(raw)
            except Exception as exc:  # noqa: BLE001 - any failure means: not connected, try again later
                self.last_error = exc
            finally:
                self._socket = None
            self._set_connected(False)
            self._first_attempt.set()
            self._stop.wait(backoff)
            backoff = min(backoff * 2, 1.0)

    def _publish(self, raw: str | bytes) -> None:
        """Store a 'new message' event and wake the waiters."""
        try:
            event = json.loads(raw)
        except ValueError:
            return
        if not isinstance(event, dict) or event.get("Type") != "new" or not isinstance(event.get("Data"), dict):
            return
        with self.condition:
            self._seq += 1
            self._events.append((self._seq, event["Data"]))
            self.condition.notify_all()

    def cursor(self) -> tuple[int, int]:
        """The current event number and connection generation: where a new waiter starts reading."""
        with self.condition:
            return self._seq, self.generation

    def since(self, seq: int) -> tuple[list[Summary], int, bool]:
        """Events after `seq`, the new cursor, and whether some were lost from the buffer."""
        with self.condition:
            events = [data for number, data in self._events if number > seq]
            lost = bool(self._events) and self._events[0][0] > seq + 1
            return events, self._seq, lost

    def wait(self, seq: int, timeout: float) -> None:
        """Block until an event after `seq` arrives, the connection changes, or `timeout` passes."""
        with self.condition:
            if self._seq == seq:
                self.condition.wait(timeout)


class Mailpit:
    """A Mailpit server: REST calls and the shared event listener."""

    def __init__(
        self,
        base_url: str,
        *,
        use_websocket: bool = True,
        events_url: str | None = None,
        timeout: float = 10.0,
        connect_timeout: float = 2.0,
        page_size: int = SEARCH_LIMIT,
    ) -> None:
        """Talk to Mailpit at `base_url` (e.g. http://127.0.0.1:8025); lists and deletes `page_size` messages a call."""
        if page_size < 1:
            raise ValueError(f"page_size={page_size}: a page holds at least one message")
        self.base_url = base_url.rstrip("/")
        self.use_websocket = use_websocket
        self.events_url = events_url or re.sub(r"^http", "ws", self.base_url) + "/api/events"
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self.page_size = page_size
        self._http = http.client(base_url=self.base_url, timeout=timeout)
        self._listener: _EventListener | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Mailpit:
        """Use as a context manager."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close on leaving the block."""
        self.close()

    def close(self) -> None:
        """Stop the event listener and close HTTP connections."""
        with self._lock:
            listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()
        self._http.close()

    def _budget(self, deadline: Deadline | None) -> float:
        """Seconds one call may take: the client's timeout, cut to what is left of `deadline`."""
        if deadline is None:
            return self.timeout
        return max(0.001, min(self.timeout, deadline.remaining()))

    def _unavailable(self, exc: Exception) -> MailpitUnavailable:
        """The error for a call that got no answer."""
        return MailpitUnavailable(
            f"Mailpit is niet bereikbaar op {http.shown_url(self.base_url)}: {mask(repr(exc))}. "
            f"Start it with `herstelpad serve` or set {MAILPIT_URL_ENV}."
        )

    def _request(self, method: str, path: str, deadline: Deadline | None = None, **kwargs: Any) -> httpx.Response:
        """One REST call, ending by `deadline` at the latest, with a helpful error when Mailpit is down or refuses."""
        try:
            response = self._http.request(method, path, timeout=self._budget(deadline), **kwargs)
        except httpx.TransportError as exc:
            raise self._unavailable(exc) from exc
        if response.is_error:
            raise self._refused(response)
        return response

    def _refused(self, response: httpx.Response) -> MailpitError:
        """The error for a call Mailpit answered with an error status."""
        if response.status_code == 401:
            return MailpitError(
                f"Mailpit op {http.shown_url(self.base_url)} vraagt een gebruikersnaam en wachtwoord (--ui-auth-file) "
                "of kent ze niet: zet ze in de URL, http://gebruiker:wachtwoord@host:8025 (asks for a login)."
            )
        request = response.request
        return MailpitError(f"Mailpit: {request.method} {request.url.path} → {response.status_code}: {response.text[:300]}")

    def info(self) -> dict[str, Any]:
        """Mailpit's /api/v1/info (version, database, message counts)."""
        info: dict[str, Any] = self._request("GET", "/api/v1/info").json()
        return info

    def search_page(self, query: str, start: int, limit: int, deadline: Deadline | None = None) -> dict[str, Any]:
        """One page of /api/v1/search: `messages` (newest first) from `start` on, and `messages_count` in all."""
        params: dict[str, str | int] = {"query": query, "start": start, "limit": limit}
        answer: dict[str, Any] = self._request("GET", "/api/v1/search", deadline, params=params).json()
        return answer

    def search_all(self, query: str, deadline: Deadline | None = None) -> list[Summary]:
        """Every message summary matching a Mailpit search query, oldest first, paging until Mailpit has no more.

        Mail arriving meanwhile only pushes pages back (seen twice, kept once); mail deleted meanwhile
        would pull unseen messages onto pages already read, so the listing starts over then.
        """
        for _ in range(LISTING_RESTARTS):
            found: dict[str, Summary] = {}
            start, counts = 0, []
            while True:
                page = self.search_page(query, start, self.page_size, deadline)
                messages = page.get("messages") or []
                counts.append(int(page.get("messages_count", 0)))
                found.update((summary["ID"], summary) for summary in messages)
                start += len(messages)
                if not messages or start >= counts[-1]:
                    break
            if all(later >= earlier for earlier, later in itertools.pairwise(counts)):
                return _oldest_first(found.values())
        return _oldest_first(found.values())

    def latest(self, limit: int = 10, deadline: Deadline | None = None) -> list[Summary]:
        """The newest message summaries for anyone, newest first (listed by mailpit-api-client).

        The client's list call fits Mailpit 1.33; its single-message call does not (its model
        expects fields Mailpit no longer sends), so everything else goes over REST directly.
        """
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # the client's models warn on empty Bcc
                client = MailpitApiClient(self.base_url, timeout=self._budget(deadline))
                messages = client.get_messages(limit=limit).messages
        except httpx.TransportError as exc:
            raise self._unavailable(exc) from exc
        except httpx.HTTPStatusError as exc:
            raise self._refused(exc.response) from None
        return [
            {
                "ID": m.id,
                "Subject": m.subject,
                "To": [{"Address": c.address, "Name": c.name} for c in m.to or []],
                "Created": m.created.isoformat() if hasattr(m.created, "isoformat") else str(m.created),
            }
            for m in messages
        ]

    def email(
        self, summary: Summary, code_pattern: re.Pattern[str] = DEFAULT_CODE, deadline: Deadline | None = None
    ) -> Email:
        """The full e-mail behind a message summary; its codes and link tokens get registered as secrets."""
        data = self._request("GET", f"/api/v1/message/{summary['ID']}", deadline).json()
        sender = data.get("From") or {}
        email = Email(
            id=data["ID"],
            subject=data.get("Subject", ""),
            sender=sender.get("Address", ""),
            to=_addresses(data.get("To")),
            text=data.get("Text") or "",
            html=data.get("HTML") or "",
            received=_parse_time(summary["Created"]),
            code_pattern=code_pattern,
        )
        email.register_secrets()
        return email

    def delete(self, ids: list[str]) -> None:
        """Delete the messages with these IDs, a page at a time (never all: an empty list does nothing)."""
        for first in range(0, len(ids), self.page_size):
            batch = ids[first : first + self.page_size]
            if batch:  # Mailpit deletes every message when the list is empty
                self._request("DELETE", "/api/v1/messages", json={"IDs": batch})

    def set_chaos(
        self, *, recipient_error: int | None = None, sender_error: int | None = None, probability: int = 100
    ) -> dict[str, Any]:
        """Makes Mailpit's SMTP server refuse mail (needs --enable-chaos); global to this Mailpit."""
        triggers: dict[str, dict[str, int]] = {}
        if recipient_error is not None:
            triggers["Recipient"] = {"ErrorCode": recipient_error, "Probability": probability}
        if sender_error is not None:
            triggers["Sender"] = {"ErrorCode": sender_error, "Probability": probability}
        answer: dict[str, Any] = self._request("PUT", "/api/v1/chaos", json=triggers).json()
        return answer

    def clear_chaos(self) -> None:
        """Lets Mailpit accept mail again (every chaos trigger back to probability 0)."""
        self._request("PUT", "/api/v1/chaos", json={})

    def listener(self, timeout: float | None = None) -> _EventListener | None:
        """The shared, started event listener (waiting at most `timeout` s for its first connection), or None when websockets are off."""
        if not self.use_websocket:
            return None
        with self._lock:
            if self._listener is None:
                self._listener = _EventListener(self.events_url, self.connect_timeout)
            listener = self._listener
        listener.start(timeout)
        return listener

    def mailbox(self, address: str, code_pattern: re.Pattern[str] = DEFAULT_CODE) -> Mailbox:
        """The view of one recipient's mail."""
        return Mailbox(self, address, code_pattern)


class Mailbox:
    """One person's mailbox in Mailpit: the mail delivered to exactly this address (in To, Cc or Bcc)."""

    def __init__(self, mailpit: Mailpit, address: str, code_pattern: re.Pattern[str] = DEFAULT_CODE) -> None:
        """View the mail to `address` (an RFC 5322 address, compared as address_key does); codes where `code_pattern` finds them."""
        self.mailpit = mailpit
        self.address = address
        self.code_pattern = code_pattern
        self._key = address_key(address)
        self._taken: set[str] = set()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        """Show the address."""
        return f"Mailbox({self.address!r})"

    def _is_mine(self, summary: Summary) -> bool:
        """Whether the message was delivered to exactly this address."""
        return any(address_key(address) == self._key for address in _all_recipients(summary))

    def summaries(self, deadline: Deadline | None = None) -> list[Summary]:
        """Summaries of every message to this recipient, oldest first, however many Mailpit holds."""
        found = self.mailpit.search_all(_search_term(self._key), deadline)
        return [summary for summary in found if self._is_mine(summary)]

    def messages(self) -> list[Email]:
        """This recipient's messages, oldest first."""
        return [self.mailpit.email(summary, self.code_pattern) for summary in self.summaries()]

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
        lines += [f"  - {_one_line(s)}{'  (al gelezen)' if s['ID'] in taken else ''}" for s in mine]
        newest = self.mailpit.latest(others + min(len(mine), self.mailpit.page_size), deadline)
        rest = [s for s in newest if not self._is_mine(s)][:others]
        lines.append(f"voor anderen (nieuwste {len(rest)}):")
        lines += [f"  - {_one_line(s)}" for s in rest]
        return "\n".join(lines)

    def _take(self, summary: Summary, deadline: Deadline | None = None) -> Email | None:
        """Claim a message for one wait (None when another wait already has it) and fetch it."""
        with self._lock:
            if summary["ID"] in self._taken:
                return None
            self._taken.add(summary["ID"])
        try:
            return self.mailpit.email(summary, self.code_pattern, deadline)
        except BaseException:
            with self._lock:  # not fetched: a later wait may still take it
                self._taken.discard(summary["ID"])
            raise

    def wait_for(
        self,
        subject_contains: str | None = None,
        *,
        timeout: float = 10.0,
        after: datetime | float | None = None,
    ) -> Email:
        """The oldest message to this address not returned before (optionally: subject, received after).

        Listens for Mailpit's 'new' events and checks REST once right after subscribing (mail that came
        before the wait) and whenever events may have been missed; polls REST when the websocket is down.
        Every call to Mailpit it makes ends by the deadline, also when Mailpit hangs; saying what did
        arrive after a timeout takes at most DESCRIBE_SECONDS more.
        """
        waiter = _Waiter(self, subject_contains, _as_datetime(after) if after is not None else None, timeout)
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

    def __init__(self, mailbox: Mailbox, subject_contains: str | None, since: datetime | None, timeout: float) -> None:
        """Subscribe to events first, so that a REST check afterwards closes the gap."""
        self.mailbox = mailbox
        self.subject_contains = subject_contains
        self.since = since
        self.deadline = Deadline(timeout)
        self.listener = mailbox.mailpit.listener(self.deadline.remaining())
        self.cursor, self.generation = self.listener.cursor() if self.listener else (0, 0)
        self.rest_due = True
        self.rest_at = time.monotonic()

    def what(self) -> str:
        """What this wait is for, in words."""
        text = f"een e-mail aan {self.mailbox.address}"
        if self.subject_contains is not None:
            text += f" met {self.subject_contains!r} in het onderwerp"
        if self.since is not None:
            text += f", ontvangen na {self.since.isoformat(timespec='seconds')}"
        return text

    def wanted(self, summary: Summary) -> bool:
        """Whether this summary answers the wait."""
        if not self.mailbox._is_mine(summary):
            return False
        subject = summary.get("Subject", "")
        if self.subject_contains is not None and self.subject_contains.lower() not in subject.lower():
            return False
        return self.since is None or _parse_time(summary["Created"]) >= self.since

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
