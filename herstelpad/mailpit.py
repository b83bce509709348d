"""Mailpit's client: its REST API (search, messages, delete, chaos) and one shared websocket listener for new mail."""

from __future__ import annotations

import itertools
import json
import re
import threading
import warnings
from collections import deque
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import httpx
from mailpit.client.api import API as MailpitApiClient
from websockets.sync.client import ClientConnection, connect

from herstelpad import http
from herstelpad.secrets import mask
from herstelpad.waiting import Deadline

MAILPIT_URL_ENV = "HERSTELPAD_MAILPIT_URL"
EVENT_BUFFER = 2000
SEARCH_LIMIT = 500  # the page size: one search or delete call handles at most this many messages
LISTING_RESTARTS = 3  # a listing starts over when messages vanished while it paged (they shift the pages)

Summary = dict[str, Any]


class MailpitUnavailable(ConnectionError):
    """Mailpit cannot be reached."""


class MailpitError(RuntimeError):
    """Mailpit answered a request with an error."""


def parse_time(value: str) -> datetime:
    """Mailpit's RFC 3339 (nano) timestamp as an aware datetime."""
    match = re.match(r"^(.*?\.\d{1,6})\d*(.*)$", value)
    if match:
        value = match.group(1) + match.group(2)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def oldest_first(summaries: Iterable[Summary]) -> list[Summary]:
    """Summaries by arrival, oldest first: Created, then ID for messages of the same millisecond."""
    return sorted(summaries, key=lambda summary: (parse_time(summary["Created"]), summary["ID"]))


class EventListener:
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
        self._listener: EventListener | None = None
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
                return oldest_first(found.values())
        return oldest_first(found.values())

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
                "From": {"Address": m.from_.address, "Name": m.from_.name} if m.from_ else {},
                "To": [{"Address": c.address, "Name": c.name} for c in m.to or []],
                "Created": m.created.isoformat() if hasattr(m.created, "isoformat") else str(m.created),
            }
            for m in messages
        ]

    def message(self, message_id: str, deadline: Deadline | None = None) -> dict[str, Any]:
        """One message as Mailpit parsed it (/api/v1/message/ID: From, To, Subject, Text, HTML, …)."""
        data: dict[str, Any] = self._request("GET", f"/api/v1/message/{message_id}", deadline).json()
        return data

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

    def listener(self, timeout: float | None = None) -> EventListener | None:
        """The shared, started event listener (waiting at most `timeout` s for its first connection), or None when websockets are off."""
        if not self.use_websocket:
            return None
        with self._lock:
            if self._listener is None:
                self._listener = EventListener(self.events_url, self.connect_timeout)
            listener = self._listener
        listener.start(timeout)
        return listener
