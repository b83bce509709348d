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
from herstelpad.pack import TargetPack
from herstelpad.recovery_codes import read_recovery_codes

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
    """Waits for the next e-mail to me whose subject holds these words."""
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


# --- recovery codes: the target shows them once; the person keeps them and uses each once ------------


@pytest.fixture
def recovery_code_entry(code_entry: Callable[[str], None]) -> Callable[[str], None]:
    """Types a recovery code on the screen that asks for one and sends it (default: as any code; a pack overrides it)."""
    return code_entry


@pytest.fixture
def asked_recovery_code() -> Callable[[], int | None]:
    """Which recovery code the screen asks for (1 = the first shown), or None when any unused one will do."""
    return lambda: None


@pytest.fixture
def recovery_code_login() -> Callable[[Actor, str], bool]:
    """Logs the actor in afresh up to the recovery-code screen, types the code; True when that logged them in.

    A pack that uses the steps about using recovery codes again overrides this fixture for its screens.
    """
    pytest.fail(
        "herstelpad: this step needs your pack's `recovery_code_login` fixture (log the actor in up to the "
        "screen that asks for a recovery code, type the code, return whether it logged in); see docs/packs.md.",
        pytrace=False,
    )


@given("ik bewaar de herstelcodes die op het scherm staan")
@when("ik de herstelcodes bewaar die op het scherm staan")
def herstelcodes_bewaren(ik: Actor, prepared_page: Page, target_pack: TargetPack) -> None:
    """Notes the recovery codes the screen shows (they are registered as secrets and masked everywhere)."""
    count = ik.recovery_codes.keep(read_recovery_codes(prepared_page, target_pack.recovery_codes_selector))
    ik.did(f"bewaart de {count} herstelcodes die op het scherm staan")


@when("ik een ongebruikte herstelcode invul")
def ongebruikte_herstelcode(
    ik: Actor, recovery_code_entry: Callable[[str], None], asked_recovery_code: Callable[[], int | None]
) -> None:
    """Types an unused recovery code (the one the screen asks for, when it asks for one); it counts as used."""
    recovery_code_entry(ik.recovery_codes.hand_out(asked_recovery_code()))
    ik.did(f"vult een herstelcode in ({len(ik.recovery_codes.unused())} ongebruikt over)")


@when("ik de gebruikte herstelcode nog een keer invul")
def gebruikte_herstelcode_invullen(ik: Actor, recovery_code_entry: Callable[[str], None]) -> None:
    """Types the recovery code I used last once more."""
    recovery_code_entry(ik.recovery_codes.last_used())


@then("werkt een gebruikte herstelcode geen tweede keer")
def gebruikte_herstelcode_geweigerd(ik: Actor, recovery_code_login: Callable[[Actor, str], bool]) -> None:
    """Logging in afresh with the recovery code I used last does not get me in."""
    assert not recovery_code_login(ik, ik.recovery_codes.last_used()), "een gebruikte herstelcode werkt nog"


@when("ik met elke ongebruikte herstelcode een keer inlog")
def alle_herstelcodes(ik: Actor, recovery_code_login: Callable[[Actor, str], bool]) -> None:
    """Logs in afresh with each unused recovery code in turn; each must get me in."""
    while ik.recovery_codes.unused():
        code = ik.recovery_codes.hand_out()
        assert recovery_code_login(ik, code), (
            f"herstelcode {ik.recovery_codes.codes.index(code) + 1} van {len(ik.recovery_codes)} werkte niet"
        )
    ik.did(f"heeft alle {len(ik.recovery_codes)} herstelcodes gebruikt")


@then(parsers.parse("heb ik nog {aantal:d} ongebruikte herstelcodes"))
def ongebruikte_herstelcodes_over(ik: Actor, aantal: int) -> None:
    """This many of my kept recovery codes are unused."""
    left = len(ik.recovery_codes.unused())
    assert left == aantal, f"nog {left} ongebruikte herstelcodes van de {len(ik.recovery_codes)}, niet {aantal}"


@then("heb ik geen ongebruikte herstelcodes meer")
def herstelcodes_op(ik: Actor) -> None:
    """Every recovery code I kept has been used: the next one has to come from a new set."""
    left = len(ik.recovery_codes.unused())
    assert left == 0, f"nog {left} ongebruikte herstelcodes van de {len(ik.recovery_codes)}"
