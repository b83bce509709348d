"""Fixtures of the portal tests: a real Mailpit and real portal processes (session-wide)."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from herstelpad.services import start_mailpit

sys.path.insert(0, str(Path(__file__).parent))  # portal_testhulp, also under --import-mode=importlib

from portal_testhulp import (  # noqa: E402
    TEST_TOKEN,
    Mailpit,
    Organisatie,
    Portal,
    maak_organisatie,
    start_portal,
    stop_proces,
    vrije_poort,
)


@pytest.fixture(scope="session")
def mailpit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mailpit]:
    """A real Mailpit on free ports, found and started the way herstelpad does (a missing one fails, never skips)."""
    started = start_mailpit(tmp_path_factory.mktemp("mailpit"))
    assert started.process is not None
    try:
        yield Mailpit(smtp_port=started.smtp_port, api=started.url)
    finally:
        started.process.stop()


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


