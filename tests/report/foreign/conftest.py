"""The foreign-shapes target as a pack: its server, people, and the steps about its screens (for the leak test)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from faker import Faker
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from herstelpad.actors import Actor
from herstelpad.authenticator import Authenticator
from herstelpad.mail import MailTrust
from herstelpad.mailbox import Mailbox, Mailpit
from herstelpad.pack import PROVISIONING, RunningTarget, StartContext, TargetPack, TotpWindow
from herstelpad.people import PeopleFactory, Person
from herstelpad.services import await_ready, free_port, start_process
from herstelpad.settings import Settings

SERVER = Path(__file__).with_name("server.py")


class ForeignTarget(TargetPack):
    """A target whose secrets have other shapes than the reference portal's."""

    name = "vreemd"
    title = "Vreemd doelsysteem"
    capabilities = frozenset({PROVISIONING})
    senders = ("noreply@foreign.example",)
    subjects = ("Reset your password",)
    totp_window = TotpWindow(behind=0, ahead=0)  # server.py: RFC 6238's strictest check, the current step only

    def start(self, context: StartContext) -> RunningTarget:
        """Starts server.py on a free port, sending mail to the context's Mailpit."""
        port = free_port()
        cmd = [sys.executable, str(SERVER), "--port", str(port), "--smtp-port", str(context.mailpit.smtp_port)]
        process = start_process("vreemd", cmd, context.log_dir)
        url = f"http://127.0.0.1:{port}"
        return RunningTarget(url, {}, [process], await_ready(process, f"{url}/health", 30, "Het vreemde doelsysteem"))


PACK = ForeignTarget()


class Provisioner:
    """Users through the target's test-data API."""

    def __init__(self, url: str) -> None:
        """Talk to the target at `url`."""
        self.url = url

    def create_organisation(self, name: str) -> dict[str, Any]:
        """The target has no organisations: one for the people factory."""
        return {"id": "vreemd", "naam": name}

    def create_user(self, person: Person, **options: Any) -> dict[str, Any]:
        """A user with a password."""
        httpx.post(f"{self.url}/__test__/users", json={"email": person.email, "password": person.password}).raise_for_status()
        return {"id": person.email}

    def delete_user(self, person: Person) -> None:
        """Users live as long as the target."""

    def close(self) -> None:
        """Nothing to close."""


class Screens:
    """The target's screens: every locator of this pack lives here, so its steps read as the rules they check."""

    def __init__(self, page: Page, url: str) -> None:
        """The screens on `page` of the target at `url`."""
        self.page, self.url = page, url

    def ask_for_reset_link(self, email: str) -> None:
        """The 'forgot' form: the address typed and sent, until the target says to check the mail."""
        self.page.goto(f"{self.url}/forgot")
        self.page.get_by_label("E-mail").fill(email)
        self.page.get_by_role("button", name="Send link").click()
        self.expect_heading("Check your mail")

    def enrol(self, phone: Authenticator) -> None:
        """The phone scans the SVG QR code; its code is typed and confirmed."""
        phone.scan(self.page.locator(".enrol svg"))
        self.page.get_by_label("Code").fill(phone.code())
        self.page.get_by_role("button", name="Confirm").click()

    def expect_heading(self, name: str) -> None:
        """The page's heading says `name`."""
        expect(self.page.get_by_role("heading", name=name)).to_be_visible()

    def expect_text(self, text: str, timeout_ms: float = 2000) -> None:
        """`text` is on the page."""
        expect(self.page.get_by_text(text)).to_be_visible(timeout=timeout_ms)


@pytest.fixture
def screens(prepared_page: Page, target: RunningTarget) -> Screens:
    """The target's screens on the scenario's page."""
    return Screens(prepared_page, target.url)


@pytest.fixture
def target_pack() -> TargetPack:
    """These scenarios run against the foreign target."""
    return PACK


@pytest.fixture
def make_actor(
    faker: Faker, target: RunningTarget, mailpit: Mailpit, journal: Any, settings: Settings, run_id: str,
) -> Iterator[Callable[[str], Actor]]:
    """Makes actors: users of the target with a mailbox view (only the target's mail) and a phone."""
    people = PeopleFactory(faker, Provisioner(target.url), run_id)
    organisation = people.organisation("Vreemd")
    made: list[Actor] = []

    def make(role: str) -> Actor:
        person = people.person(organisation)
        mailbox = Mailbox(mailpit, person.email, PACK.email_code, MailTrust.of(PACK, target.url))
        phone = Authenticator(listener=lambda line: journal.record_event(f"telefoon van {role}", line))
        made.append(Actor(role, person, mailbox, phone, journal, settings.timeout))
        return made[-1]

    yield make
    for actor in made:
        actor.mailbox.clear()


@given("ik ben een gebruiker van het vreemde doelsysteem", target_fixture="me")
def user_of_foreign_target(make_actor: Callable[[str], Actor]) -> Actor:
    """A user of the target."""
    return make_actor("de persoon")


@when("ik een herstellink aanvraag")
def request_reset_link(me: Actor, screens: Screens) -> None:
    """Asks for the reset link on the target's own form."""
    screens.ask_for_reset_link(me.person.email)


@when("ik de QR-code scan en de code bevestig")
def scan_and_confirm(me: Actor, screens: Screens) -> None:
    """The phone scans the SVG QR code; the code is typed and confirmed."""
    screens.enrol(me.phone)


@then("is mijn authenticator ingesteld")
def authenticator_set_up(screens: Screens) -> None:
    """The target says so, after its redirect with a code and a state."""
    screens.expect_heading("Your authenticator is set up")


@then(parsers.parse('staat er "{text}"'))
def text_shown(screens: Screens, text: str) -> None:
    """Fails on purpose in the leak test: the text is not there."""
    screens.expect_text(text)
