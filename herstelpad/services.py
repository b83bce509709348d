"""Starts, awaits and stops the processes a run needs (Mailpit; a pack's target uses the same helpers)."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from herstelpad.http import client, shown_url
from herstelpad.locate import SetupError, require_mailpit
from herstelpad.secrets import mask_file


class ServiceError(RuntimeError):
    """A service did not start or cannot be reached; the message names the cause and fix."""


def free_port() -> int:
    """Returns a TCP port on the loopback interface that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(url: str, timeout: float = 2.0) -> bool:
    """True when an HTTP GET of the URL answers with a status below 500.

    Through herstelpad.http's client, which reuses one TLS context: `httpx.get` makes one per call (50 ms of CPU),
    and a service's start polls this every 50 ms."""
    try:
        with client(timeout=timeout) as http:
            return http.get(url).status_code < 500
    except httpx.HTTPError:
        return False


def terminate(popen: subprocess.Popen[Any], grace: float = 5.0) -> None:
    """Stops a child process: SIGTERM, and SIGKILL when it is still there after `grace` seconds."""
    if popen.poll() is None:
        popen.terminate()
        try:
            popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait(timeout=grace)


@dataclass
class Process:
    """A service process started by herstelpad, with its log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    _log_file: object = field(repr=False, default=None)

    def log_tail(self, lines: int = 20) -> str:
        """Returns the last lines of the process's log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def end(self, keep_log: bool) -> None:
        """Stops the process; keeps its log only when asked (a scenario failed), masked (secrets.mask_file)."""
        self.stop()
        if keep_log:
            mask_file(self.log_path)
        else:
            self.log_path.unlink(missing_ok=True)

    def stop(self) -> None:
        """Stops the process, first politely, then for good."""
        terminate(self.popen)
        if self._log_file is not None:
            self._log_file.close()  # type: ignore[attr-defined]


def start_process(
    name: str, cmd: list[str], log_dir: Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Process:
    """Starts a service process with its output going to a log file in log_dir."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    log_file = log_path.open("wb")
    popen = subprocess.Popen(  # noqa: S603 - fixed argument lists
        cmd, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=cwd
    )
    return Process(name, popen, log_path, log_file)


def await_ready(process: Process | None, url: str, timeout: float, what: str) -> float:
    """Polls the URL to a deadline until it answers; returns the seconds it took.

    A process that stops, or does not answer in time, is stopped and the ServiceError quotes its log.
    """
    started = time.monotonic()
    deadline = started + timeout
    pause = threading.Event()
    while time.monotonic() < deadline:
        if process is not None and process.popen.poll() is not None:
            process.stop()
            raise ServiceError(
                f"{what} stopped while starting (exit code {process.popen.returncode}). "
                f"Its log ({process.log_path}):\n{process.log_tail()}"
            )
        if answers(url, timeout=1.0):
            return time.monotonic() - started
        pause.wait(0.05)
    if process is not None:
        process.stop()
    tail = f"\nIts log ({process.log_path}):\n{process.log_tail()}" if process else ""
    raise ServiceError(f"{what} did not answer at {url} within {timeout:.0f} s.{tail}")


@dataclass
class MailpitEndpoints:
    """Where Mailpit's web API and SMTP server are."""

    url: str
    smtp_host: str
    smtp_port: int
    process: Process | None = None
    ready_seconds: float = 0.0


def start_mailpit(log_dir: Path, timeout: float = 20.0) -> MailpitEndpoints:
    """Starts the pinned Mailpit on free ports (temporary store) and waits until it answers."""
    try:
        binary = require_mailpit().path
    except SetupError as exc:
        raise ServiceError(str(exc)) from exc
    http_port, smtp_port = free_port(), free_port()
    cmd = [
        binary,
        "--listen", f"127.0.0.1:{http_port}",
        "--smtp", f"127.0.0.1:{smtp_port}",
        "--smtp-auth-accept-any",
        "--smtp-auth-allow-insecure",
        "--disable-version-check",
        "--enable-chaos",
        "--max", "20000",
    ]
    process = start_process("mailpit", cmd, log_dir)
    url = f"http://127.0.0.1:{http_port}"
    seconds = await_ready(process, f"{url}/livez", timeout, "Mailpit")
    return MailpitEndpoints(url, "127.0.0.1", smtp_port, process, seconds)


def connect_mailpit(url: str, smtp: str) -> MailpitEndpoints:
    """Uses an already running Mailpit (for example a CI service container)."""
    host, _, port = smtp.rpartition(":")
    if not host or not port.isdigit():
        raise ServiceError(f"HERSTELPAD_MAILPIT_SMTP must look like host:port, not {smtp!r}.")
    url = url.rstrip("/")
    if not answers(f"{url}/livez", timeout=3.0):
        raise ServiceError(
            f"Mailpit is not reachable at {shown_url(url)} (HERSTELPAD_MAILPIT_URL / --herstelpad-mailpit-url). "
            "Start it, or leave the setting empty so herstelpad starts its own."
        )
    return MailpitEndpoints(url, host, int(port))
