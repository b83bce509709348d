"""Helpers of the mailbox tests: find, start and stop a real Mailpit, and send it mail."""

from __future__ import annotations

import smtplib
import socket
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import httpx

from herstelpad.locate import require_mailpit
from herstelpad.waiting import poll_until

Send = Callable[..., None]


def free_port() -> int:
    """A TCP port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class MailpitServer:
    """A running Mailpit: its web/API URL and SMTP port."""

    url: str
    smtp_port: int


def run_mailpit(
    binary: str, http_port: int, smtp_port: int, log_path: Path, *extra: str, webroot: str = ""
) -> subprocess.Popen[bytes]:
    """Start Mailpit on these ports (with `extra` options, under `webroot`) and wait until /livez answers."""
    log = log_path.open("ab")
    process = subprocess.Popen(
        [
            binary,
            "--listen",
            f"127.0.0.1:{http_port}",
            "--smtp",
            f"127.0.0.1:{smtp_port}",
            "--pop3",
            f"127.0.0.1:{free_port()}",
            "--disable-version-check",
            "--quiet",
            *(("--webroot", webroot) if webroot else ()),
            *extra,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    url = f"http://127.0.0.1:{http_port}{webroot.rstrip('/')}"

    def ready() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"Mailpit exited with {process.returncode}: {log_path.read_text()}")
        try:
            return httpx.get(f"{url}/livez", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        poll_until(ready, timeout=15, interval=0.05, what=f"Mailpit op {url}", describe=log_path.read_text)
    except BaseException:
        stop_mailpit(process)
        raise
    return process


def stop_mailpit(process: subprocess.Popen[bytes]) -> None:
    """Stop a Mailpit started by run_mailpit."""
    process.terminate()
    process.wait(timeout=10)


def required_binary() -> str:
    """The Mailpit binary, found the way herstelpad does; a missing one fails the test, never skips it."""
    return require_mailpit().path


SENDER = "AFAS Online <noreply@afasonline.nl>"


def send_to(
    smtp_port: int, to: str, subject: str, text: str = "Hallo", html: str | None = None, sender: str = SENDER
) -> None:
    """Send an e-mail over SMTP to the Mailpit on `smtp_port`, like the portal does (or from another sender)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
        smtp.send_message(message)
