"""A Selenium Grid 4 as the place where a run's Chromium lives: the grid's status, one session per browser, its CDP URL.

Playwright connects over CDP to the `se:cdp` endpoint that Selenium Grid 4 gives every Chromium session
(the grid proxies it to the node's browser). herstelpad asks for the session itself, with the W3C
WebDriver `POST /session`, rather than through Playwright's SELENIUM_REMOTE_URL: a run first waits on
the grid's `/status` to a deadline for a free Chromium slot (so a full grid gives one clear message
instead of a request that waits in the grid's queue), keeps the session alive while only CDP talks to
it (a node counts WebDriver commands alone as activity), and ends it when the browser closes.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from herstelpad.http import client, shown_url
from herstelpad.waiting import Deadline, pause

CHROMIUM_BROWSER_NAMES = ("chrome", "chromium")  # a Chromium slot's browserName (Selenium says "chrome")
JSON_UTF8 = {"Content-Type": "application/json; charset=utf-8"}  # the grid refuses JSON without its charset
STATUS_TIMEOUT = 5.0  # seconds for one answer of /status
SESSION_START_TIMEOUT = 180.0  # seconds for a node to start Chromium and its driver (Playwright's launch default)
POLL_INTERVAL = 0.5  # seconds between two looks at /status while waiting for a slot
KEEP_ALIVE_SHARE = 3  # a session is touched this many times per node session-timeout


class GridError(RuntimeError):
    """The grid gives no Chromium; the message says why (down, not a grid, no Chromium node, full) and what to do."""


@dataclass(frozen=True)
class Slot:
    """One slot of a grid node: the browser it offers and the session in it, if any."""

    node: str
    browser: str
    session: str | None


@dataclass(frozen=True)
class GridStatus:
    """What a grid's /status says: whether it is ready, its message and every node's slots."""

    ready: bool
    message: str
    nodes: int
    slots: tuple[Slot, ...]
    session_timeout: float | None  # the shortest session timeout of its nodes, in seconds

    def chromium_slots(self) -> list[Slot]:
        """The slots that offer Chromium."""
        return [slot for slot in self.slots if slot.browser.lower() in CHROMIUM_BROWSER_NAMES]

    def free_chromium_slots(self) -> list[Slot]:
        """The Chromium slots without a session."""
        return [slot for slot in self.chromium_slots() if slot.session is None]

    def sessions(self) -> dict[str, str]:
        """Every running session's id and the node it runs on."""
        return {slot.session: slot.node for slot in self.slots if slot.session}

    def describe(self) -> str:
        """One line on what the grid offers now."""
        chromium = self.chromium_slots()
        busy = [slot for slot in chromium if slot.session]
        others = sorted({slot.browser for slot in self.slots} - {slot.browser for slot in chromium})
        text = f"{self.nodes} node(s), {len(chromium)} Chromium slot(s), {len(busy)} busy"
        if others:
            text += f"; other browsers: {', '.join(others)}"
        return f"{text}; the grid says {self.message!r}" if self.message else text


def _auth_header(url: str) -> dict[str, str]:
    """The Basic authorization of a grid URL with user:password (Selenium's --username/--password), else nothing."""
    parts = urlsplit(url)
    if parts.username is None:
        return {}
    token = base64.b64encode(f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _without_userinfo(url: str) -> str:
    """The URL without user:password (httpx gets them as a header instead)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def parse_status(document: Any) -> GridStatus | None:
    """Reads a Selenium Grid 4 /status document; None when it is not one (no value.nodes)."""
    value = document.get("value") if isinstance(document, dict) else None
    if not isinstance(value, dict) or not isinstance(value.get("nodes"), list):
        return None
    slots: list[Slot] = []
    timeouts: list[float] = []
    for node in value["nodes"]:
        if not isinstance(node, dict) or node.get("availability", "UP") != "UP":
            continue
        if isinstance(node.get("sessionTimeout"), int | float):
            timeouts.append(node["sessionTimeout"] / 1000)
        for slot in node.get("slots") or []:
            stereotype = slot.get("stereotype") or {}
            session = slot.get("session") or None
            slots.append(Slot(str(node.get("uri", "?")), str(stereotype.get("browserName", "?")),
                              str(session.get("sessionId")) if isinstance(session, dict) else None))
    return GridStatus(bool(value.get("ready")), str(value.get("message") or ""), len(value["nodes"]), tuple(slots),
                      min(timeouts) if timeouts else None)


def grid_status(url: str, http: httpx.Client | None = None) -> GridStatus:
    """Asks the grid at `url` for its /status; raises GridError when nothing answers or it is no Selenium Grid 4."""
    own = http is None
    http = http or client(timeout=STATUS_TIMEOUT)
    try:
        response = http.get(f"{_without_userinfo(url)}/status", headers=_auth_header(url))
        document = response.json()
    except httpx.HTTPError as exc:
        raise GridError(f"no Selenium Grid answers at {shown_url(url)} ({exc or type(exc).__name__}). "
                        "Start one (`herstelpad grid` starts a hub and two nodes here), or check the URL.") from None
    except ValueError:
        document = None
    finally:
        if own:
            http.close()
    status = parse_status(document)
    if status is None:
        raise GridError(f"{shown_url(url)} answers (HTTP {response.status_code}), but not as a Selenium Grid 4: its "
                        "/status has no nodes. Give the grid's own URL (its router or hub, for example "
                        "http://selenium-hub:4444).")
    return status


def await_free_slot(url: str, timeout: float) -> GridStatus:
    """Polls /status until the grid has a free Chromium slot; at the deadline, one GridError says what it had."""
    deadline = Deadline(timeout)
    with client(timeout=STATUS_TIMEOUT) as http:
        while True:
            try:
                status: GridStatus | GridError = grid_status(url, http)
            except GridError as exc:
                status = exc
            if isinstance(status, GridStatus) and status.free_chromium_slots():
                return status
            if deadline.expired():
                break
            pause(min(POLL_INTERVAL, deadline.remaining()))
    if isinstance(status, GridError):
        raise GridError(f"{status} (tried for {timeout:g} s)")
    where = shown_url(url)
    if not status.chromium_slots():
        raise GridError(f"the Selenium Grid at {where} has no node that offers Chromium (browserName chrome) "
                        f"after {timeout:g} s: {status.describe()}. Add a node with Chromium and its chromedriver.")
    raise GridError(f"the Selenium Grid at {where} is full: all its Chromium slots stayed busy for {timeout:g} s "
                    f"({status.describe()}). Wait until its sessions end, add nodes, or run fewer workers (-n).")


@dataclass
class GridSession:
    """A Chromium session on a grid node: its id, the CDP URL to connect Playwright to, and its keep-alive."""

    grid: str
    id: str
    cdp_url: str
    headers: dict[str, str]
    keep_alive_every: float | None
    _stopped: threading.Event = field(default_factory=threading.Event, repr=False)

    def keep_alive(self) -> None:
        """Touches the session with a WebDriver command until it ends (CDP traffic alone does not keep it)."""
        if not self.keep_alive_every:
            return

        def touch() -> None:
            with client(timeout=STATUS_TIMEOUT) as http:
                while not self._stopped.wait(self.keep_alive_every):
                    try:
                        http.get(f"{_without_userinfo(self.grid)}/session/{self.id}/timeouts", headers=self.headers)
                    except httpx.HTTPError:
                        continue  # the next touch tries again; a grid that is gone shows in the browser's errors

        threading.Thread(target=touch, name=f"grid-keep-alive-{self.id[:8]}", daemon=True).start()

    def end(self) -> None:
        """Ends the session on the grid (frees the node's slot); safe to call twice."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        try:
            with client(timeout=30.0) as http:
                http.delete(f"{_without_userinfo(self.grid)}/session/{self.id}", headers=self.headers)
        except httpx.HTTPError:
            pass  # the grid is gone: so is its session


def cdp_endpoint(grid_url: str, se_cdp: str) -> str:
    """The session's CDP URL as this machine reaches it: the grid URL's host and scheme with se:cdp's path.

    A grid names itself by the address it knows (127.0.0.1, a container's name); the client reaches the
    router by the URL it was given, which also serves /session/<id>/se/cdp.
    """
    grid, cdp = urlsplit(_without_userinfo(grid_url)), urlsplit(se_cdp)
    return urlunsplit(("wss" if grid.scheme == "https" else "ws", grid.netloc, cdp.path, cdp.query, ""))


def start_session(url: str, args: list[str], wait: float, start_timeout: float = SESSION_START_TIMEOUT) -> GridSession:
    """Waits up to `wait` s for a free Chromium slot, asks the grid for a Chromium with `args` and returns its session."""
    status = await_free_slot(url, wait)
    headers = _auth_header(url)
    request = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"args": args}}}}
    where = shown_url(url)
    try:
        with client(timeout=httpx.Timeout(STATUS_TIMEOUT, read=start_timeout)) as http:
            response = http.post(f"{_without_userinfo(url)}/session", content=json.dumps(request),
                                 headers={**JSON_UTF8, **headers})
    except httpx.TimeoutException:
        raise GridError(f"the Selenium Grid at {where} started no Chromium within {start_timeout:g} s (its slots "
                        "were taken meanwhile, or its node is too slow). Try again, or give the grid more nodes.") from None
    except httpx.HTTPError as exc:
        raise GridError(f"the Selenium Grid at {where} stopped answering while starting a Chromium ({exc}).") from None
    try:
        value = response.json()["value"]
    except (ValueError, KeyError, TypeError):
        value = {}
    if response.status_code != 200 or not value.get("sessionId"):
        said = str(value.get("message") or response.text).strip().splitlines()
        raise GridError(f"the Selenium Grid at {where} could not start a Chromium (HTTP {response.status_code}): "
                        f"{said[0] if said else 'no reason given'}. Check its node's Chromium and chromedriver.")
    session = GridSession(url, str(value["sessionId"]), "", headers,
                          status.session_timeout / KEEP_ALIVE_SHARE if status.session_timeout else None)
    se_cdp = (value.get("capabilities") or {}).get("se:cdp")
    if not se_cdp:
        session.end()
        raise GridError(f"the Selenium Grid at {where} gave its Chromium session no se:cdp endpoint, so Playwright "
                        "cannot reach the browser. Use Selenium Grid 4 with Chromium nodes (CDP is not turned off).")
    session.cdp_url = cdp_endpoint(url, str(se_cdp))
    session.keep_alive()
    return session
