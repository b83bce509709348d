"""Steps in the portal after login: Instellingen / Beveiliging, opnieuw koppelen, SSO."""

from __future__ import annotations

from playwright.sync_api import expect
from pytest_bdd import given, parsers, then, when

from fixtures.portaal.flows import Flows
from fixtures.portaal.pocket import pocket_of
from fixtures.portaal.screens import Screens
from herstelpad.actors import Actor


@when("ik de QR-code scan met AFAS Pocket")
def scan_qr_code_with_pocket(screens: Screens, me: Actor) -> None:
    """The phone's camera reads the QR code from the screen and adds the account."""
    pocket_of(me).scan(screens.link_pocket.qr_code)


@when(parsers.parse('ik de code van het nieuwe account invul bij "{button}"'))
def enter_new_account_code(screens: Screens, me: Actor, button: str) -> None:
    """Confirms the link with a code of the newly added account."""
    assert button == "Koppelen", f"het koppelscherm heeft de knop 'Koppelen', niet {button!r}"
    screens.link_pocket.confirm(pocket_of(me).code())


@then("zie ik de QR-code om AFAS Pocket te koppelen")
def qr_code_shown(screens: Screens) -> None:
    """The linking screen with its QR code is shown."""
    screens.link_pocket.expect_shown()
    expect(screens.link_pocket.qr_code).to_be_visible()


@when(parsers.parse('ik ga naar "Instellingen / Beveiliging"'))
def go_to_security(screens: Screens) -> None:
    """Opens Beveiliging through the tabs."""
    screens.security.open_from_tabs()


@then(parsers.parse('zie ik "{text}" met "{button}"'))
def text_with_button(screens: Screens, text: str, button: str) -> None:
    """The Beveiliging screen shows the text with the button behind it."""
    screens.security.open_from_tabs()
    expect(screens.security.text(text)).to_be_visible()
    expect(screens.security.button(button)).to_be_visible()


@then(parsers.parse('zie ik "{text}"'))
def status_text_shown(screens: Screens, text: str) -> None:
    """The screen shows this text as a status message."""
    expect(screens.security.status).to_have_text(text)


@when("ik mijn wachtwoord nog eens invul")
def enter_password_again(screens: Screens, me: Actor) -> None:
    """Types the password again on Beveiliging: re-linking asks for it."""
    screens.security.confirm_password(me.person.password)


@given('ik heb AFAS Pocket opnieuw gekoppeld in "Instellingen / Beveiliging"')
@when('ik AFAS Pocket opnieuw koppel in "Instellingen / Beveiliging"')
def relink_pocket(flows: Flows, me: Actor) -> None:
    """Instellingen / Beveiliging → 'Opnieuw koppelen' → scan → 'Koppelen'."""
    flows.relink_in_settings(me)


# --- SSO ----------------------------------------------------------------------------


@when("ik inlog via SSO op de URL met het deelnemersnummer van mijn organisatie")
@given("ik ben ingelogd via SSO")
def log_in_via_sso(screens: Screens, me: Actor) -> None:
    """Opens /<deelnemersnummer> and signs in at the organisation's identity provider."""
    screens.sso.open_for(me.person.organisation.details["deelnemersnummer"])
    screens.sso.sign_in(me.person.email, me.person.password)


@then(parsers.parse('zie ik de tabbladen "{first}" en "{second}" niet'))
def no_tabs(screens: Screens, first: str, second: str) -> None:
    """The portal shows neither tab."""
    screens.portal.expect_shown()
    for name in (first, second):
        expect(screens.portal.any_link(name)).to_have_count(0)


@then('meldt "Instellingen / Beveiliging" dat de tabbladen alleen zichtbaar zijn met twee-factorauthenticatie')
def security_after_sso(screens: Screens) -> None:
    """Beveiliging, opened by its address, explains why it is not there."""
    screens.security.open()
    expect(screens.security.sso_explanation).to_be_visible()
    expect(screens.security.button("Opnieuw koppelen")).to_have_count(0)
