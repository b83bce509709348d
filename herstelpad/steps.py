"""Dutch steps that belong to no one target: e-mail, the authenticator app, the old phone, another person.

They work on the scenario's `me` (an herstelpad.actors.Actor that the pack's Gegeven step makes with the
core's `make_actor` and returns with `target_fixture="me"`; see herstelpad.fixtures.me), the browser page, and the pack's methods (herstelpad.pack.TargetPack): `enter_code`
(through the `code_entry` fixture), `second_factor_login`, `parallel_actions` and `parallel_counts`.
A pack adds only the steps about its own screens, and may override any of these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from playwright.sync_api import Page
from pytest_bdd import given, parsers, then, when

from herstelpad.actors import Actor
from herstelpad.authenticator import Authenticator
from herstelpad.concurrency import Outcome, at_most, fire_all
from herstelpad.pack import ParallelAction, ParallelCount, Scenario, TargetPack


@then("ontvang ik een e-mail")
@when("ik een e-mail ontvang")
def receive_email(me: Actor) -> None:
    """Waits for the next e-mail to me."""
    me.read_email()


@then(parsers.parse('ontvang ik een e-mail over "{subject}"'))
@when(parsers.parse('ik een e-mail ontvang over "{subject}"'))
def receive_email_about(me: Actor, subject: str) -> None:
    """Waits for the target's next e-mail to me with exactly this subject."""
    me.read_email(subject)


@when("ik de link in de e-mail open")
def open_email_link(me: Actor, prepared_page: Page) -> None:
    """Opens the (first) link of the e-mail I read last."""
    prepared_page.goto(me.last_email().link())


@when("ik de code uit de e-mail invul")
def enter_email_code(me: Actor, code_entry: Callable[[str], None]) -> None:
    """Types the code of the e-mail I read last."""
    code_entry(me.last_email().code())


@when("ik de QR-code op het scherm scan met mijn authenticator-app")
def scan_qr_code(me: Actor, prepared_page: Page) -> None:
    """Points the phone's camera at the screen and adds the account of the QR code."""
    me.phone.scan(prepared_page)
    me.did("scant de QR-code op het scherm")


@when("ik de code uit mijn authenticator-app invul")
def enter_authenticator_code(me: Actor, code_entry: Callable[[str], None]) -> None:
    """Types the current code of my authenticator app."""
    code_entry(me.phone.code())


@when("ik een onjuiste code uit mijn authenticator-app invul")
def enter_wrong_authenticator_code(me: Actor, code_entry: Callable[[str], None]) -> None:
    """Types a well-formed code that is valid in no time step around now."""
    code_entry(me.phone.wrong_code())


@given("ik bewaar mijn oude telefoon", target_fixture="old_phone")
def keep_old_phone(me: Actor) -> Authenticator:
    """Keeps a copy of the phone as it is now, to try its codes later."""
    return me.phone.clone()


@given("ik heb een nieuwe telefoon")
@when("ik een nieuwe telefoon neem")
def take_new_phone(me: Actor) -> None:
    """Swaps my phone for a new one with the app freshly installed."""
    me.new_phone()
    me.did("neemt een nieuwe telefoon")


@when("ik de code van mijn oude telefoon invul")
def enter_old_phone_code(old_phone: Authenticator, code_entry: Callable[[str], None]) -> None:
    """Types the code the old phone shows."""
    code_entry(old_phone.code())


@then("werkt de code van mijn oude telefoon niet meer")
def old_phone_code_refused(me: Actor, old_phone: Authenticator, target_pack: TargetPack, scenario: Scenario) -> None:
    """Logging in afresh with the old phone's current code does not get me in."""
    assert not target_pack.second_factor_login(scenario, me, old_phone.code()), "de code van de oude telefoon werkt nog"


# --- parallel requests: limits that concurrent attempts cannot race ----------------------------------


@pytest.fixture
def parallel_actions(target_pack: TargetPack, scenario: Scenario) -> Mapping[str, ParallelAction]:
    """The pack's attempts that the 'tegelijk' step can fire, by their Dutch wording."""
    return target_pack.parallel_actions(scenario)


@pytest.fixture
def parallel_counts(target_pack: TargetPack, scenario: Scenario) -> Mapping[str, ParallelCount]:
    """The pack's ways to count what the target let through, by their Dutch wording."""
    return target_pack.parallel_counts(scenario)


def _lookup(table: Mapping[str, Any], key: str, what: str) -> Any:
    """One entry of a pack's table, or a plain error that lists what the pack does offer."""
    if key not in table:
        raise LookupError(f"De pack kent geen {what} '{key}'; wel: {sorted(table) or 'geen'}")
    return table[key]


@when(parsers.parse('iemand {count:d} keer tegelijk "{action}"'), target_fixture="parallel_outcomes")
def at_the_same_moment(parallel_actions: Mapping[str, ParallelAction], count: int, action: str) -> list[Outcome[Any]]:
    """Prepares the attempts one by one, then fires them all at the same moment (one that fails fails the step)."""
    return fire_all(count, _lookup(parallel_actions, action, "gelijktijdige actie")(count))


@then(parsers.parse('zijn er hoogstens {limit:d} {what}'))
def at_most_this_many(parallel_counts: Mapping[str, ParallelCount], limit: int, what: str) -> None:
    """No more than the limit got through, however the parallel attempts interleaved."""
    at_most(_lookup(parallel_counts, what, "telling")(), limit, what)


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
def keep_recovery_codes(me: Actor, prepared_page: Page, target_pack: TargetPack) -> None:
    """Notes the recovery codes the screen shows (they are registered as secrets and masked everywhere)."""
    count = me.recovery_codes.keep_shown(prepared_page, target_pack.recovery_codes_selector)
    me.did(f"bewaart de {count} herstelcodes die op het scherm staan")


@when("ik een ongebruikte herstelcode invul")
def enter_unused_recovery_code(
    me: Actor, recovery_code_entry: Callable[[str], None], asked_recovery_code: Callable[[], int | None]
) -> None:
    """Types an unused recovery code (the one the screen asks for, when it asks for one); it counts as used."""
    recovery_code_entry(me.recovery_codes.hand_out(asked_recovery_code()))
    me.did(f"vult een herstelcode in ({len(me.recovery_codes.unused())} ongebruikt over)")


@when("ik de gebruikte herstelcode nog een keer invul")
def enter_used_recovery_code_again(me: Actor, recovery_code_entry: Callable[[str], None]) -> None:
    """Types the recovery code I used last once more."""
    recovery_code_entry(me.recovery_codes.last_used())


@then("werkt een gebruikte herstelcode geen tweede keer")
def used_recovery_code_refused(me: Actor, recovery_code_login: Callable[[Actor, str], bool]) -> None:
    """Logging in afresh with the recovery code I used last does not get me in."""
    assert not recovery_code_login(me, me.recovery_codes.last_used()), "een gebruikte herstelcode werkt nog"


@when("ik met elke ongebruikte herstelcode een keer inlog")
def log_in_with_each_recovery_code(me: Actor, recovery_code_login: Callable[[Actor, str], bool]) -> None:
    """Logs in afresh with each unused recovery code in turn; each must get me in."""
    me.recovery_codes.use_each(lambda code: recovery_code_login(me, code))
    me.did(f"heeft alle {len(me.recovery_codes)} herstelcodes gebruikt")


@then(parsers.parse("heb ik nog {count:d} ongebruikte herstelcodes"))
def unused_recovery_codes_left(me: Actor, count: int) -> None:
    """This many of my kept recovery codes are unused."""
    left = len(me.recovery_codes.unused())
    assert left == count, f"nog {left} ongebruikte herstelcodes van de {len(me.recovery_codes)}, niet {count}"


@then("heb ik geen ongebruikte herstelcodes meer")
def no_unused_recovery_codes_left(me: Actor) -> None:
    """Every recovery code I kept has been used: the next one has to come from a new set."""
    left = len(me.recovery_codes.unused())
    assert left == 0, f"nog {left} ongebruikte herstelcodes van de {len(me.recovery_codes)}"
