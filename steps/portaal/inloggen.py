"""Steps of logging in: password, second factor, the portal after login."""

from __future__ import annotations

from playwright.sync_api import expect
from pytest_bdd import given, parsers, then, when

from fixtures.portaal.pocket import pocket_of, wrong_code
from fixtures.portaal.screens import Screens
from herstelpad.actors import Actor


@given("ik ben op het aanmeldscherm van afasonline.nl")
def on_login_screen(screens: Screens) -> None:
    """Opens the login screen, as typing afasonline.nl in the browser does."""
    screens.login.open()


@given("ik ben ingelogd met de 6-cijferige code uit AFAS Pocket")
def logged_in_with_pocket_code(screens: Screens, me: Actor) -> None:
    """Logs in with password and the Pocket's current code."""
    screens.login.log_in(me.person.email, me.person.password)
    screens.second_factor.enter_code(pocket_of(me).code())


@when("ik inlog met mijn e-mailadres en wachtwoord")
def log_in(screens: Screens, me: Actor) -> None:
    """Logs in with e-mail address and password on the computer."""
    screens.login.log_in(me.person.email, me.person.password)


@when("ik inlog met mijn e-mailadres en een onjuist wachtwoord")
def log_in_with_wrong_password(screens: Screens, me: Actor) -> None:
    """Logs in with a password that is not the person's."""
    screens.login.log_in(me.person.email, me.person.password + "x")


@when("ik de 6-cijferige code uit AFAS Pocket invul")
def enter_pocket_code(screens: Screens, me: Actor) -> None:
    """Types the current code of the 'afasonline.com' account."""
    screens.second_factor.enter_code(pocket_of(me).code())


@when("ik een onjuiste 6-cijferige code invul")
def enter_wrong_pocket_code(screens: Screens, me: Actor) -> None:
    """Types a code that is valid in no accepted time step."""
    screens.second_factor.enter_code(wrong_code(pocket_of(me)))


@when("ik uitlog")
def log_out(screens: Screens) -> None:
    """Logs out of the portal."""
    screens.portal.log_out()


@then("ben ik ingelogd op de AFAS Online Portal")
def logged_in(screens: Screens, me: Actor) -> None:
    """The portal's start screen greets the person."""
    screens.portal.expect_shown()
    expect(screens.portal.greeting(me.person.name)).to_be_visible()


@then("ben ik niet ingelogd")
def not_logged_in(screens: Screens) -> None:
    """The portal's start screen sends the browser back to the login screen."""
    screens.portal.open()
    screens.login.expect_shown()


@then(parsers.parse('zie ik de melding "{message}"'))
def message_shown(screens: Screens, message: str) -> None:
    """The screen shows this error message, whole."""
    expect(screens.login.alert).to_have_text(message)


@then(parsers.parse('zie ik de tabbladen "{first}" en "{second}"'))
def tabs_shown(screens: Screens, first: str, second: str) -> None:
    """The portal shows these tabs."""
    for name in (first, second):
        expect(screens.portal.tab(name)).to_be_visible()


@then("toont het inlogscherm mijn e-mailadres")
def email_remembered(screens: Screens, me: Actor) -> None:
    """The login screen remembers the address of the last successful login."""
    screens.login.open()
    expect(screens.login.remembered_email).to_contain_text(me.person.email)
    expect(screens.login.email).to_have_value(me.person.email)


@then("wacht het inlogscherm op AFAS Pocket")
def waiting_for_pocket(screens: Screens) -> None:
    """The second-factor screen says a login request was sent."""
    screens.second_factor.expect_shown()
    expect(screens.second_factor.waiting_text).to_be_visible()
