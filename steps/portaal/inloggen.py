"""Steps of logging in: password, second factor, the portal after login."""

from __future__ import annotations

from playwright.sync_api import expect
from pytest_bdd import given, parsers, then, when

from fixtures.portaal.pocket import pocket_of, wrong_code
from fixtures.portaal.screens import Screens
from herstelpad.actors import Actor


@given("ik ben op het aanmeldscherm van afasonline.nl")
def op_aanmeldscherm(screens: Screens) -> None:
    """Opens the login screen, as typing afasonline.nl in the browser does."""
    screens.login.open()


@given("ik ben ingelogd met de 6-cijferige code uit AFAS Pocket")
def ingelogd_met_code(screens: Screens, ik: Actor) -> None:
    """Logs in with password and the Pocket's current code."""
    screens.login.log_in(ik.person.email, ik.person.password)
    screens.second_factor.enter_code(pocket_of(ik).code())


@when("ik inlog met mijn e-mailadres en wachtwoord")
def inloggen(screens: Screens, ik: Actor) -> None:
    """Logs in with e-mail address and password on the computer."""
    screens.login.log_in(ik.person.email, ik.person.password)


@when("ik inlog met mijn e-mailadres en een onjuist wachtwoord")
def inloggen_onjuist_wachtwoord(screens: Screens, ik: Actor) -> None:
    """Logs in with a password that is not the person's."""
    screens.login.log_in(ik.person.email, ik.person.password + "x")


@when("ik de 6-cijferige code uit AFAS Pocket invul")
def code_invullen(screens: Screens, ik: Actor) -> None:
    """Types the current code of the 'afasonline.com' account."""
    screens.second_factor.enter_code(pocket_of(ik).code())


@when("ik een onjuiste 6-cijferige code invul")
def onjuiste_code_invullen(screens: Screens, ik: Actor) -> None:
    """Types a code that is valid in no accepted time step."""
    screens.second_factor.enter_code(wrong_code(pocket_of(ik)))


@when("ik uitlog")
def uitloggen(screens: Screens) -> None:
    """Logs out of the portal."""
    screens.portal.log_out()


@then("ben ik ingelogd op de AFAS Online Portal")
def ingelogd(screens: Screens, ik: Actor) -> None:
    """The portal's start screen greets the person."""
    screens.portal.expect_shown()
    expect(screens.portal.greeting(ik.person.name)).to_be_visible()


@then("ben ik niet ingelogd")
def niet_ingelogd(screens: Screens) -> None:
    """The portal's start screen sends the browser back to the login screen."""
    screens.portal.open()
    screens.login.expect_shown()


@then(parsers.parse('zie ik de melding "{melding}"'))
def melding(screens: Screens, melding: str) -> None:
    """The screen shows this error message, whole."""
    expect(screens.login.alert).to_have_text(melding)


@then(parsers.parse('zie ik de tabbladen "{eerste}" en "{tweede}"'))
def tabbladen(screens: Screens, eerste: str, tweede: str) -> None:
    """The portal shows these tabs."""
    for naam in (eerste, tweede):
        expect(screens.portal.tab(naam)).to_be_visible()


@then("toont het inlogscherm mijn e-mailadres")
def email_onthouden(screens: Screens, ik: Actor) -> None:
    """The login screen remembers the address of the last successful login."""
    screens.login.open()
    expect(screens.login.remembered_email).to_contain_text(ik.person.email)
    expect(screens.login.email).to_have_value(ik.person.email)


@then("wacht het inlogscherm op AFAS Pocket")
def wacht_op_pocket(screens: Screens) -> None:
    """The second-factor screen says a login request was sent."""
    screens.second_factor.expect_shown()
    expect(screens.second_factor.waiting_text).to_be_visible()
