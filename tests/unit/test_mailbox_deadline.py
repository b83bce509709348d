"""Mailbox.wait_for keeps its deadline when Mailpit accepts connections and never answers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Self

import pytest

from herstelpad.mailbox import Mailbox, Mailpit
from herstelpad.waiting import WaitTimeout

SLACK = 2.0  # seconds a wait may overrun its timeout, saying what did arrive included (under CI load; below the 3 s connect timeout a hang would show)


class SilentServer:
    """A TCP server that accepts every connection, reads what comes, and never answers nor closes."""

    def __init__(self) -> None:
        """Listen on a free local port."""
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.1)
        self.port = int(self.socket.getsockname()[1])
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        """Accept until stopped, keeping every connection open."""
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.accepted.append(connection)

    def __enter__(self) -> Self:
        """Start accepting."""
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the server and every connection."""
        self._stop.set()
        self._thread.join(timeout=5)
        for connection in self.accepted:
            connection.close()
        self.socket.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    """A Mailpit stand-in that hangs."""
    with SilentServer() as server:
        yield server


@pytest.mark.parametrize("use_websocket", [True, False], ids=["websocket", "polling"])
@pytest.mark.parametrize("timeout", [0.5, 2.0])
def test_wait_ends_in_time_when_mailpit_hangs(silent: SilentServer, use_websocket: bool, timeout: float) -> None:
    client = Mailpit(f"http://127.0.0.1:{silent.port}", use_websocket=use_websocket, connect_timeout=3.0)
    try:
        started = time.monotonic()
        with pytest.raises(WaitTimeout) as caught:
            Mailbox(client, "jan@voorbeeld.example.com").wait_for("opnieuw instellen", timeout=timeout)
        elapsed = time.monotonic() - started
    finally:
        client.close()
    message = str(caught.value)
    print(f"\nelapsed {elapsed:.2f} s for timeout {timeout} s\n{message}")
    assert elapsed <= timeout + SLACK
    assert elapsed >= timeout
    assert "een e-mail aan jan@voorbeeld.example.com met onderwerp 'opnieuw instellen'" in message
    assert "could not describe what arrived" in message and "Mailpit is niet bereikbaar" in message
    assert silent.accepted, "the client never reached the silent server"
