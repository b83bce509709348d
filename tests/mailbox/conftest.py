"""Fixtures of the mailbox tests: a real Mailpit on free ports, a client, a way to send mail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from tests_mailbox_support import (
    SENDER,
    MailpitServer,
    Send,
    free_port,
    required_binary,
    run_mailpit,
    send_to,
    stop_mailpit,
)

from herstelpad.mailbox import Mailpit


@pytest.fixture(scope="session")
def mailpit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailpitServer]:
    """Mailpit started for this test session (skips when no binary is found)."""
    http_port, smtp_port = free_port(), free_port()
    log_path = tmp_path_factory.mktemp("mailpit") / "mailpit.log"
    process = run_mailpit(required_binary(), http_port, smtp_port, log_path)
    yield MailpitServer(f"http://127.0.0.1:{http_port}", smtp_port)
    stop_mailpit(process)


@pytest.fixture
def mailpit(mailpit_server: MailpitServer) -> Iterator[Mailpit]:
    """A client of the session's Mailpit, with the websocket listener."""
    client = Mailpit(mailpit_server.url)
    yield client
    client.close()


@pytest.fixture
def send(mailpit_server: MailpitServer) -> Send:
    """Send an e-mail to the session's Mailpit."""

    def send_mail(to: str, subject: str, text: str = "Hallo", html: str | None = None, sender: str = SENDER) -> None:
        send_to(mailpit_server.smtp_port, to, subject, text, html, sender)

    return send_mail


@pytest.fixture
def domain() -> str:
    """A mail domain of this test alone, so tests never see each other's mail."""
    return f"t{uuid.uuid4().hex[:10]}.example.com"
