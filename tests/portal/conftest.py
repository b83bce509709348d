"""Fixtures of the portal tests: a real Mailpit and real portal processes (session-wide)."""
from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # portal_testhulp, also under --import-mode=importlib

from portal_testhulp import (  # noqa: E402
    TEST_TOKEN,
    Mailpit,
    Organisatie,
    Portal,
    maak_organisatie,
    start_portal,
    start_proces,
    stop_proces,
    vrije_poort,
)


@pytest.fixture(scope="session")
def mailpit() -> Iterator[Mailpit]:
    """A real Mailpit on free ports (in-memory: no --database)."""
    binary = os.environ.get("MAILPIT_BIN") or shutil.which("mailpit") or "/tmp/gobin/mailpit"
    if not Path(binary).exists():
        pytest.skip(f"Mailpit niet gevonden ({binary}); zet MAILPIT_BIN")
    http_port, smtp_port = vrije_poort(), vrije_poort()
    proces, uitvoer = start_proces(
        [binary, "--listen", f"127.0.0.1:{http_port}", "--smtp", f"127.0.0.1:{smtp_port}"]
    )
    try:
        uitvoer.wacht_op(r"\[http\] accessible via", 10)
        uitvoer.wacht_op(r"\[smtpd\] starting", 10)
        api = f"http://127.0.0.1:{http_port}"
        assert httpx.get(f"{api}/livez", timeout=5).status_code == 200
        yield Mailpit(smtp_port=smtp_port, api=api)
    finally:
        stop_proces(proces)


@pytest.fixture(scope="session")
def portal(mailpit: Mailpit, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """The portal in test mode, sending to Mailpit."""
    proces, p = start_portal(tmp_path_factory.mktemp("portal"), mailpit.smtp_port, TEST_TOKEN)
    yield p
    stop_proces(proces)


@pytest.fixture(scope="session")
def portal_zonder_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """The portal started without a test token."""
    proces, p = start_portal(tmp_path_factory.mktemp("zonder_token"), vrije_poort(), None)
    yield p
    stop_proces(proces)


@pytest.fixture(scope="session")
def portal_zonder_smtp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """The portal in test mode whose SMTP server does not answer."""
    proces, p = start_portal(tmp_path_factory.mktemp("zonder_smtp"), vrije_poort(), TEST_TOKEN)
    yield p
    stop_proces(proces)


@pytest.fixture
def organisatie(portal: Portal) -> Organisatie:
    """A fresh organisation per test (its own clock)."""
    return maak_organisatie(portal)


