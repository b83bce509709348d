"""Dutch steps that belong to no one target: e-mail, the authenticator app, the old phone, another person.

They work on the scenario's `ik` (an herstelpad.actors.Actor that the pack's Gegeven-step makes), the
browser page, and the `code_entry` fixture (the pack's way to type a code; by default the page's
one-time-code field). A pack adds only the steps about its own screens, and may override any of these.
The steps about parallel requests at the end use the pack's `parallel_actions` and `parallel_counts`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from playwright.sync_api import Page
from pytest_bdd import given, parsers, then, when

from herstelpad.actors import Actor
from herstelpad.authenticator import Authenticator
from herstelpad.concurrency import Outcome, at_most, fire, values

ParallelAction = Callable[[int], Callable[[int], Any]]
"""Prepares n independent attempts (sessions, logins) and returns the call that makes attempt i."""


@then("ontvang ik een e-mail")
@when("ik een e-mail ontvang")
def email_ontvangen(ik: Actor) -> None:
    """Waits for the next e-mail to me."""
    ik.read_email()


@then(parsers.parse('ontvang ik een e-mail over "{onderwerp}"'))
@when(parsers.parse('ik een e-mail ontvang over "{onderwerp}"'))
def email_over(ik: Actor, onderwerp: str) -> None:
    """Waits for the target's next e-mail to me with exactly this subject."""
    ik.read_email(onderwerp)


@when("ik de link in de e-mail open")
def link_openen(ik: Actor, prepared_page: Page) -> None:
    """Opens the (first) link of the e-mail I read last."""
    prepared_page.goto(ik.last_email().link())


@when("ik de code uit de e-mail invul")
def code_uit_email(ik: Actor, code_entry: Callable[[str], None]) -> None:
    """Types the code of the e-mail I read last."""
    code_entry(ik.last_email().code())


@when("ik de QR-code op het scherm scan met mijn authenticator-app")
def qr_scannen(ik: Actor, prepared_page: Page) -> None:
    """Points the phone's camera at the screen and adds the account of the QR code."""
    ik.phone.scan(prepared_page)
    ik.did("scant de QR-code op het scherm")


@when("ik de code uit mijn authenticator-app invul")
def authenticator_code(ik: Actor, code_entry: Callable[[str], None]) -> None:
    """Types the current code of my authenticator app."""
    code_entry(ik.phone.code())


@when("ik een onjuiste code uit mijn authenticator-app invul")
def onjuiste_authenticator_code(ik: Actor, code_entry: Callable[[str], None]) -> None:
    """Types a well-formed code that is valid in no time step around now."""
    code_entry(ik.phone.wrong_code())


@given("ik bewaar mijn oude telefoon", target_fixture="oude_telefoon")
def oude_telefoon(ik: Actor) -> Authenticator:
    """Keeps a copy of the phone as it is now, to try its codes later."""
    return ik.phone.clone()


@given("ik heb een nieuwe telefoon")
@when("ik een nieuwe telefoon neem")
def nieuwe_telefoon(ik: Actor) -> None:
    """Swaps my phone for a new one with the app freshly installed."""
    ik.new_phone()
    ik.did("neemt een nieuwe telefoon")


@when("ik de code van mijn oude telefoon invul")
def oude_code(oude_telefoon: Authenticator, code_entry: Callable[[str], None]) -> None:
    """Types the code the old phone shows."""
    code_entry(oude_telefoon.code())


@then("werkt de code van mijn oude telefoon niet meer")
def oude_code_geweigerd(ik: Actor, oude_telefoon: Authenticator, second_factor_login: Callable[[Actor, str], bool]) -> None:
    """Logging in afresh with the old phone's current code does not get me in."""
    assert not second_factor_login(ik, oude_telefoon.code()), "de code van de oude telefoon werkt nog"


# --- parallel requests: limits that concurrent attempts cannot race ----------------------------------


@pytest.fixture
def parallel_actions() -> Mapping[str, ParallelAction]:
    """The pack's attempts that the 'tegelijk' step can fire, by their Dutch wording (a pack overrides this)."""
    return {}


@pytest.fixture
def parallel_counts() -> Mapping[str, Callable[[], int]]:
    """The pack's ways to count what the target let through, by their Dutch wording (a pack overrides this)."""
    return {}


def _lookup(table: Mapping[str, Any], key: str, what: str) -> Any:
    """One entry of a pack's table, or a plain error that lists what the pack does offer."""
    if key not in table:
        raise LookupError(f"De pack kent geen {what} '{key}'; wel: {sorted(table) or 'geen'}")
    return table[key]


@when(parsers.parse('iemand {aantal:d} keer tegelijk "{actie}"'), target_fixture="parallel_outcomes")
def tegelijk(parallel_actions: Mapping[str, ParallelAction], aantal: int, actie: str) -> list[Outcome[Any]]:
    """Prepares the attempts one by one, then fires them all at the same moment."""
    call = _lookup(parallel_actions, actie, "gelijktijdige actie")(aantal)
    outcomes = fire(aantal, call)
    values(outcomes)  # a failed request is a failed scenario, not an attempt that 'did not count'
    return outcomes


@then(parsers.parse('zijn er hoogstens {limiet:d} {wat}'))
def hoogstens(parallel_counts: Mapping[str, Callable[[], int]], limiet: int, wat: str) -> None:
    """No more than the limit got through, however the parallel attempts interleaved."""
    at_most(_lookup(parallel_counts, wat, "telling")(), limiet, wat)
