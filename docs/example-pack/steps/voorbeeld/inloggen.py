"""(3) The steps about the login page's own screens; the rest come from herstelpad."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page
from pytest_bdd import given, parsers, then, when

from fixtures.voorbeeld.screens import LoginScreen
from herstelpad.actors import Actor


@given("ik heb een account met een gekoppelde authenticator-app", target_fixture="me")
def account_with_authenticator(make_actor: Callable[..., Actor]) -> Actor:
    """A Dutch person in the target whose authenticator app holds the account."""
    return make_actor("de persoon")


@when("ik inlog met mijn e-mailadres en wachtwoord")
def log_in(prepared_page: Page, me: Actor) -> None:
    """The login page's password step."""
    LoginScreen(prepared_page).log_in(me.person.email, me.person.password)


@then(parsers.parse('zie ik de pagina "{title}"'))
def page_shown(prepared_page: Page, title: str) -> None:
    """The screen with this heading is shown."""
    LoginScreen(prepared_page).expect_title(title)


@then(parsers.parse('zie ik de melding "{message}"'))
def message_shown(prepared_page: Page, message: str) -> None:
    """The screen shows this message."""
    LoginScreen(prepared_page).expect_message(message)
