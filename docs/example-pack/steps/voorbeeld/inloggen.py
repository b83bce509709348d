"""(3) The steps about the login page's own screens; the rest come from herstelpad."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from herstelpad.actors import Actor


@given("ik heb een account met een gekoppelde authenticator-app", target_fixture="ik")
def account(make_actor: Callable[..., Actor]) -> Actor:
    """A Dutch person in the target whose authenticator app holds the account."""
    return make_actor("de persoon")


@when("ik inlog met mijn e-mailadres en wachtwoord")
def inloggen(prepared_page: Page, ik: Actor) -> None:
    """The login page's password step."""
    prepared_page.goto("/inloggen")
    prepared_page.get_by_label("E-mailadres").fill(ik.person.email)
    prepared_page.get_by_label("Wachtwoord").fill(ik.person.password)
    prepared_page.get_by_role("button", name="Volgende").click()


@then(parsers.parse('zie ik de pagina "{titel}"'))
def pagina(prepared_page: Page, titel: str) -> None:
    """The screen with this heading is shown."""
    expect(prepared_page.get_by_role("heading", level=1)).to_have_text(titel)


@then(parsers.parse('zie ik de melding "{melding}"'))
def melding(prepared_page: Page, melding: str) -> None:
    """The screen shows this message."""
    expect(prepared_page.get_by_role("alert")).to_contain_text(melding)
