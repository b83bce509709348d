"""Steps in the portal after login: Instellingen / Beveiliging, opnieuw koppelen, SSO."""

from __future__ import annotations

from playwright.sync_api import expect
from pytest_bdd import given, parsers, then, when

from fixtures.portaal.flows import Flows
from fixtures.portaal.pocket import pocket_of
from fixtures.portaal.screens import Screens
from herstelpad.actors import Actor


@when("ik de QR-code scan met AFAS Pocket")
def qr_scannen(screens: Screens, ik: Actor) -> None:
    """The phone's camera reads the QR code from the screen and adds the account."""
    pocket_of(ik).scan(screens.link_pocket.qr_code)


@when(parsers.parse('ik de code van het nieuwe account invul bij "{knop}"'))
def nieuwe_code_invullen(screens: Screens, ik: Actor, knop: str) -> None:
    """Confirms the link with a code of the newly added account."""
    assert knop == "Koppelen", f"het koppelscherm heeft de knop 'Koppelen', niet {knop!r}"
    screens.link_pocket.confirm(pocket_of(ik).code())


@then("zie ik de QR-code om AFAS Pocket te koppelen")
def qr_zichtbaar(screens: Screens) -> None:
    """The linking screen with its QR code is shown."""
    screens.link_pocket.expect_shown()
    expect(screens.link_pocket.qr_code).to_be_visible()


@when(parsers.parse('ik ga naar "Instellingen / Beveiliging"'))
def naar_beveiliging(screens: Screens) -> None:
    """Opens Beveiliging through the tabs."""
    screens.security.open_from_tabs()


@then(parsers.parse('zie ik "{tekst}" met "{knop}"'))
def tekst_met_knop(screens: Screens, tekst: str, knop: str) -> None:
    """The Beveiliging screen shows the text with the button behind it."""
    screens.security.open_from_tabs()
    expect(screens.security.text(tekst)).to_be_visible()
    expect(screens.security.button(knop)).to_be_visible()


@then(parsers.parse('zie ik "{tekst}"'))
def zie_tekst(screens: Screens, tekst: str) -> None:
    """The screen shows this text as a status message."""
    expect(screens.security.status).to_have_text(tekst)


@when("ik mijn wachtwoord nog eens invul")
def wachtwoord_nog_eens(screens: Screens, ik: Actor) -> None:
    """Types the password again on Beveiliging: re-linking asks for it."""
    screens.security.confirm_password(ik.person.password)


@given('ik heb AFAS Pocket opnieuw gekoppeld in "Instellingen / Beveiliging"')
@when('ik AFAS Pocket opnieuw koppel in "Instellingen / Beveiliging"')
def opnieuw_koppelen(flows: Flows, ik: Actor) -> None:
    """Instellingen / Beveiliging → 'Opnieuw koppelen' → scan → 'Koppelen'."""
    flows.relink_in_settings(ik)


# --- SSO ----------------------------------------------------------------------------


@when("ik inlog via SSO op de URL met het deelnemersnummer van mijn organisatie")
@given("ik ben ingelogd via SSO")
def inloggen_sso(screens: Screens, ik: Actor) -> None:
    """Opens /<deelnemersnummer> and signs in at the organisation's identity provider."""
    screens.sso.open_for(ik.person.organisation.details["deelnemersnummer"])
    screens.sso.sign_in(ik.person.email, ik.person.password)


@then(parsers.parse('zie ik de tabbladen "{eerste}" en "{tweede}" niet'))
def geen_tabbladen(screens: Screens, eerste: str, tweede: str) -> None:
    """The portal shows neither tab."""
    screens.portal.expect_shown()
    for naam in (eerste, tweede):
        expect(screens.portal.any_link(naam)).to_have_count(0)


@then('meldt "Instellingen / Beveiliging" dat de tabbladen alleen zichtbaar zijn met twee-factorauthenticatie')
def beveiliging_na_sso(screens: Screens) -> None:
    """Beveiliging, opened by its address, explains why it is not there."""
    screens.security.open()
    expect(screens.security.sso_explanation).to_be_visible()
    expect(screens.security.button("Opnieuw koppelen")).to_have_count(0)
