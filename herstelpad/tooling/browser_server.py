"""A Playwright browser server on a Chromium of this machine, for `--herstelpad-ws-endpoint`.

`playwright run-server` launches Playwright's own Chromium build, which not every machine can
download. This starts `BrowserType.launchServer` through the Node.js driver that ships inside the
playwright package, with the Chromium herstelpad finds (`find_browser`): the same server and the
same `ws://` protocol, so `browser_type.connect()` elsewhere uses it like any Playwright server.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import tempfile
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import IO

from playwright._impl._driver import compute_driver_executable, get_driver_env

from herstelpad.locate import CHROMIUM_ARGS, Found, SetupError, browser_install_hint, find_browser
from herstelpad.services import terminate
from herstelpad.waiting import Deadline

READY_TIMEOUT = 30.0  # seconds for the server to print its endpoint
DEFAULT_PATH = "/herstelpad"


class BrowserServerError(RuntimeError):
    """The browser server did not start; the message says why (with its last output)."""


@dataclass
class BrowserServer:
    """A running browser server: its `ws://` endpoint and the Chromium behind it."""

    process: subprocess.Popen[str]
    ws_endpoint: str
    browser: Found
    output: deque[str] = field(default_factory=lambda: deque(maxlen=50))

    def stop(self) -> None:
        """Stops the server and its Chromium (SIGTERM, then SIGKILL after 10 s)."""
        terminate(self.process, grace=10.0)

    def __enter__(self) -> BrowserServer:
        """Use as a context manager: stopped on exit."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stops the server."""
        self.stop()


def launch_options(browser: Found, host: str, port: int, path: str) -> dict[str, object]:
    """The options of BrowserType.launchServer: headless, our flags, where to listen, which binary."""
    options: dict[str, object] = {"headless": True, "args": CHROMIUM_ARGS, "host": host, "port": port, "wsPath": path}
    if browser.how != "Playwright's Chromium":
        options["executablePath"] = browser.path
    return options


def cause(output: deque[str]) -> str:
    """The line of the server's output that names the error (Node prints a stack around it)."""
    for line in output:
        if re.search(r"\w*Error\b.*:", line):
            return line.strip().rstrip(".")
    return output[-1].strip().rstrip(".") if output else "no output"


def _pump(stream: IO[str], lines: queue.Queue[str | None], output: deque[str]) -> None:
    """Reads the server's output to its end (so its pipe never fills), handing each line on."""
    for line in stream:
        output.append(line.rstrip())
        lines.put(line.strip())
    lines.put(None)


def start_browser_server(
    host: str = "127.0.0.1", port: int = 0, path: str = DEFAULT_PATH, timeout: float = READY_TIMEOUT
) -> BrowserServer:
    """Starts the server (port 0: any free port) and returns once it prints its endpoint.

    Raises SetupError when there is no Chromium, BrowserServerError when the server exits or says
    nothing within `timeout` seconds (with what it did print).
    """
    browser = find_browser()
    if browser is None:
        raise SetupError(browser_install_hint())
    node, cli = compute_driver_executable()
    handle, config = tempfile.mkstemp(prefix="herstelpad-browser-server-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(launch_options(browser, host, port, path), out)
    process = subprocess.Popen(  # noqa: S603 - Playwright's own driver
        [node, cli, "launch-server", "--browser", "chromium", "--config", config],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
        env=get_driver_env(),
    )
    server = BrowserServer(process, "", browser)
    lines: queue.Queue[str | None] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=_pump, args=(process.stdout, lines, server.output), daemon=True).start()
    deadline = Deadline(timeout)
    try:
        while True:
            try:
                line = lines.get(timeout=max(deadline.remaining(), 0.001))
            except queue.Empty:
                server.stop()
                raise BrowserServerError(
                    f"the Playwright browser server ({browser.path}) printed no endpoint within {timeout:g} s; "
                    f"it said: {cause(server.output)}"
                ) from None
            if line is None:
                process.wait(timeout=10)
                raise BrowserServerError(
                    f"the Playwright browser server could not start {browser.path} (exit code {process.returncode}): "
                    f"{cause(server.output)}. Check HERSTELPAD_BROWSER_PATH, or run `herstelpad install`."
                )
            if line.startswith(("ws://", "wss://")):
                server.ws_endpoint = line
                return server
    finally:
        os.remove(config)
