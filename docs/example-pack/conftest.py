"""An example target pack: herstelpad against one login portal, in one conftest.

Copy this folder (conftest.py, the .feature and test_*.py) into your own repository, `pip install herstelpad`,
and change the three marked places for your portal:
  (1) how the target is started or reached,
  (2) how people are created in it,
  (3) the steps about its own screens.
The steps about e-mail, the authenticator app and the old phone come from herstelpad itself.
Here the target is the reference portal that ships with herstelpad (`python -m portal`).
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from faker import Faker
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from herstelpad.actors import Actor
from herstelpad.authenticator import Authenticator
from herstelpad.mailbox import Mailbox, Mailpit
from herstelpad.pack import PROVISIONING, RunningTarget, StartContext, TargetPack
from herstelpad.people import Organisation, PeopleFactory, Person
from herstelpad.services import await_ready, free_port, start_process
from herstelpad.settings import Settings


class VoorbeeldPortaal(TargetPack):
    """The target: its name in the report, what it offers, what to paint over in its screenshots."""

    name = "voorbeeld"
    title = "Voorbeeldportaal"
    capabilities = frozenset({PROVISIONING})
    mask_selectors = ("input[name*='code']",)  # besides herstelpad's own: password and one-time-code fields, QR pictures

    def start(self, context: StartContext) -> RunningTarget:
        """(1) Starts the target for this test run; for a deployed portal: `return RunningTarget(its_url)`."""
        port, token = free_port(), secrets.token_urlsafe(16)
        url = f"http://127.0.0.1:{port}"
        database = Path(tempfile.mkdtemp(prefix="voorbeeld-")) / "portal.sqlite3"
        cmd = [sys.executable, "-m", "portal", "--host", "127.0.0.1", "--port", str(port), "--database", str(database),
               "--smtp-host", context.mailpit.smtp_host, "--smtp-port", str(context.mailpit.smtp_port), "--base-url", url]
        process = start_process("voorbeeld", cmd, context.log_dir, env=dict(os.environ, PORTAL_TEST_TOKEN=token))
        seconds = await_ready(process, f"{url}/gezondheid", 30, "Het voorbeeldportaal")
        return RunningTarget(url, {"token": token}, [process], seconds)


class Provisioner:
    """(2) Creates organisations and people in the target (here: the portal's test-data API)."""

    def __init__(self, target: RunningTarget) -> None:
        """Talk to the target's API with its token."""
        self.http = httpx.Client(base_url=target.url, headers={"Authorization": f"Bearer {target.details['token']}"})

    def create_organisation(self, naam: str) -> dict[str, Any]:
        """An organisation: {"id", ...}."""
        answer = self.http.post("/__test__/organisaties", json={"naam": naam})
        answer.raise_for_status()
        return dict(answer.json())

    def create_user(self, organisation: Organisation, person: Person, **options: Any) -> dict[str, Any]:
        """A user with a linked authenticator: {"id", "otpauth_uri"}."""
        body = {"organisatie_id": organisation.id, "naam": person.naam, "email": person.email,
                "wachtwoord": person.wachtwoord, "actief": True, "pocket": True}
        answer = self.http.post("/__test__/gebruikers", json=body)
        answer.raise_for_status()
        return dict(answer.json())


@pytest.fixture
def target_pack() -> TargetPack:
    """The scenarios in this folder run against the example portal."""
    return VoorbeeldPortaal()


@given("ik heb een account met een gekoppelde authenticator-app", target_fixture="ik")
def account(
    target: RunningTarget, target_pack: TargetPack, faker: Faker, run_id: str, mailpit: Mailpit, journal: Any,
    settings: Settings,
) -> Actor:
    """A Dutch person in the target whose authenticator app holds the account."""
    people = PeopleFactory(faker, Provisioner(target), run_id)
    person = people.person(people.organisation())
    phone = Authenticator()
    phone.add_account(person.otpauth_uri or "")
    return Actor("de persoon", person, Mailbox(mailpit, person.email, target_pack.email_code), phone, journal,
                 settings.timeout)


@when("ik inlog met mijn e-mailadres en wachtwoord")
def inloggen(prepared_page: Page, ik: Actor) -> None:
    """(3) The target's own login screen."""
    prepared_page.goto("/inloggen")
    prepared_page.get_by_label("E-mailadres").fill(ik.person.email)
    prepared_page.get_by_label("Wachtwoord").fill(ik.person.wachtwoord)
    prepared_page.get_by_role("button", name="Volgende").click()


@then(parsers.parse('zie ik de pagina "{titel}"'))
def pagina(prepared_page: Page, titel: str) -> None:
    """The screen with this heading is shown."""
    expect(prepared_page.get_by_role("heading", level=1)).to_have_text(titel)


@then(parsers.parse('zie ik de melding "{melding}"'))
def melding(prepared_page: Page, melding: str) -> None:
    """The screen shows this message."""
    expect(prepared_page.get_by_role("alert")).to_contain_text(melding)
