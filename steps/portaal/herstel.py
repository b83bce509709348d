"""Steps of the recovery paths: manier 1, manier 2 and the confirmation e-mails."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect
from pytest_bdd import given, parsers, then, when

from fixtures.portaal.flows import (
    SUBJECT_COLLEAGUE,
    SUBJECT_OWN_CODE,
    SUBJECT_RESET,
    Flows,
)
from fixtures.portaal.screens import Screens
from herstelpad.actors import Actor
from herstelpad.mailbox import Mailbox


@when(parsers.parse('ik klik op "{knop}"'))
def klik_op(screens: Screens, knop: str) -> None:
    """Clicks the button or link with this text."""
    screens.login.click(knop)


@when(parsers.parse('ik kies "{optie}"'))
def kies(screens: Screens, optie: str) -> None:
    """Chooses one of the options offered."""
    screens.login.click(optie)


@when(parsers.parse('ik ontvang een bevestigingsmail "{onderwerp}"'))
@then(parsers.parse('ontvang ik een bevestigingsmail "{onderwerp}"'))
def bevestigingsmail(ik: Actor, onderwerp: str) -> None:
    """A confirmation e-mail with a code arrives for the person."""
    assert len(ik.read_email(onderwerp).code()) == 6


@when("ik de bevestigingscode uit mijn e-mail invul")
def eigen_code_invullen(screens: Screens, ik: Actor) -> None:
    """Types the code of the person's newest e-mail and clicks 'Volgende'."""
    screens.reset_pocket.enter_code(ik.emails[-1].code())
    screens.reset_pocket.next()


@when("ik de link in de bevestigingsmail open")
def link_openen(screens: Screens, ik: Actor) -> None:
    """Opens the link of the confirmation e-mail in the same browser."""
    screens.page.goto(ik.last_email().link("/herstel/bevestig"))


@given("ik heb het opnieuw instellen van AFAS Pocket aangevraagd")
def opnieuw_instellen_aangevraagd(flows: Flows, ik: Actor) -> None:
    """At manier 1's code screen (the screens before it over HTTP)."""
    flows.start_reset(ik, quick=True)


@when("ik het opnieuw instellen van AFAS Pocket aanvraag")
def opnieuw_instellen_aanvragen(flows: Flows, ik: Actor) -> None:
    """Logs in and chooses 'Geen melding ontvangen?' → 'Stel AFAS Pocket opnieuw in'."""
    flows.start_reset(ik)


@given("ik heb een bevestigingsmail voor het opnieuw instellen ontvangen")
def bevestigingsmail_opnieuw_instellen(flows: Flows, ik: Actor) -> None:
    """Manier 1 up to the confirmation e-mail, read (the screens before it over HTTP)."""
    flows.start_reset(ik, quick=True)
    ik.read_email(SUBJECT_RESET)


@given("ik heb het opnieuw instellen van AFAS Pocket aangevraagd, maar de bevestigingsmail is niet aangekomen")
def mail_komt_niet_aan(flows: Flows, ik: Actor) -> None:
    """Manier 1 up to the e-mail, which gets lost: it is removed before the person sees it."""
    flows.start_reset(ik, quick=True)
    flows.lose_email(ik, SUBJECT_RESET)


@given(parsers.parse("de code van mijn collega is ouder dan {minuten:d} minuten"))
def collega_code_verouderd(flows: Flows, minuten: int) -> None:
    """Moves the organisation's clock one minute past the code's age."""
    flows.advance_clock(minuten + 1)


@when(parsers.parse("ik de bevestigingscode uit mijn e-mail invul als de code ouder is dan {minuten:d} minuten"))
def oude_code_invullen(flows: Flows, ik: Actor, minuten: int) -> None:
    """Moves the clock one minute past the age and types the e-mail's code."""
    flows.advance_clock(minuten + 1)
    flows.enter_code("de bevestigingscode uit de e-mail", ik.emails[-1].code())


@when(parsers.parse("ik {aantal:d} keer een onjuiste bevestigingscode invul"))
def onjuiste_codes(flows: Flows, ik: Actor, aantal: int) -> None:
    """Types a wrong confirmation code several times."""
    for _ in range(aantal):
        flows.enter_wrong("de bevestigingscode uit de e-mail", ik, None)


@given('ik heb AFAS Pocket opnieuw ingesteld via "Geen melding ontvangen?"')
def opnieuw_ingesteld(flows: Flows, ik: Actor) -> None:
    """Manier 1 done: the screens before the QR code over HTTP, the scan on the rendered page."""
    flows.reset_pocket(ik, quick=True)


@when('ik AFAS Pocket opnieuw instel via "Geen melding ontvangen?"')
def opnieuw_instellen(flows: Flows, ik: Actor) -> None:
    """Walks manier 1 from the login screen back to the login screen."""
    flows.reset_pocket(ik)


@then(parsers.parse('kom ik terug op het inlogscherm met de melding "{melding}"'))
def terug_op_inlogscherm(screens: Screens, melding: str) -> None:
    """The login screen is shown with this information message."""
    screens.login.expect_shown()
    expect(screens.login.status).to_have_text(melding)


# --- manier 2 -----------------------------------------------------------------------


@then("zie ik mijn e-mailadres, dat ik niet kan wijzigen")
def adres_niet_te_wijzigen(screens: Screens, ik: Actor) -> None:
    """The address is shown, read-only, with the article's remark."""
    expect(screens.colleague_start.email).to_have_value(ik.person.email)
    expect(screens.colleague_start.email).not_to_be_editable()
    expect(screens.colleague_start.cannot_change_text).to_be_visible()


@then("zie ik dat AFAS Pocket nog niet gekoppeld is")
def niet_gekoppeld(screens: Screens) -> None:
    """The second-factor screen says no Pocket is linked."""
    expect(screens.second_factor.not_linked_text).to_be_visible()


@when("ik mijn bevestigingscode en het e-mailadres van mijn collega invul")
def code_en_collega(flows: Flows, ik: Actor, collega: Actor) -> None:
    """Types the code of the e-mail just received and the colleague's address."""
    flows.screens.colleague_code.ask_colleague(ik.emails[-1].code(), collega.person.email)


@when("mijn collega ontvangt een e-mail met een bevestigingscode en mijn naam")
@then("ontvangt mijn collega een e-mail met een bevestigingscode en mijn naam")
def collega_ontvangt_code(ik: Actor, collega: Actor) -> None:
    """The colleague's e-mail says who asked, and holds a code."""
    email = collega.read_email(SUBJECT_COLLEAGUE)
    assert ik.person.name in email.text, f"de e-mail noemt {ik.person.name} niet: {email.subject}"
    assert len(email.code()) == 6


@when("ik de bevestigingscode van mijn collega invul")
def collega_code_invullen(flows: Flows, collega: Actor) -> None:
    """Types the code the colleague passed on."""
    flows.enter_colleague_code(collega.emails[-1].code())


@given("ik heb een bevestigingsmail voor inloggen via een collega ontvangen")
def eigen_code_via_collega(flows: Flows, ik: Actor) -> None:
    """Reaches the screen that asks for the own code and the colleague's address (over HTTP); the e-mail is read."""
    flows.road_to_colleague(ik).show()
    ik.read_email(SUBJECT_OWN_CODE)


@given("mijn collega heeft een bevestigingscode voor mij ontvangen")
def collega_heeft_code(flows: Flows, ik: Actor, collega: Actor) -> None:
    """Manier 2 up to the last screen (over HTTP): the colleague's e-mail has arrived."""
    flows.road_to_colleague(ik, collega).show()


@when("ik mijn eigen e-mailadres als collega opgeef", target_fixture="opgegeven_adres")
def zelf_opgeven(flows: Flows, ik: Actor) -> str:
    """Gives the own address as the colleague's."""
    flows.give_colleague(ik, ik.person.email)
    return ik.person.email


@when("ik inlog via mijn collega")
def inloggen_via_collega(flows: Flows, ik: Actor, collega: Actor) -> None:
    """Continues from 'Ik ben mijn telefoon vergeten' to a login with the colleague's code."""
    flows.screens.colleague_start.click("Volgende")
    flows.ask_colleague(ik, collega.person.email)
    flows.enter_colleague_code(flows.colleague_code(collega))


@given("ik ben ingelogd via mijn collega")
def ingelogd_via_collega(flows: Flows, ik: Actor, collega: Actor) -> None:
    """Manier 2, stap 1, from start to finish (over HTTP; the scenarios of manier 2 walk its screens)."""
    flows.log_in_via_colleague(ik, collega, quick=True)


@when("ik dat e-mailadres als collega opgeef")
def opgegeven_adres_invullen(flows: Flows, ik: Actor, opgegeven_adres: str) -> None:
    """Gives the unsuitable address as the colleague's."""
    flows.give_colleague(ik, opgegeven_adres)


@when("ik een onjuiste bevestigingscode invul")
def onjuiste_collega_code(flows: Flows, ik: Actor, collega: Actor) -> None:
    """Types a code that is not the colleague's."""
    flows.enter_wrong("de code van de collega", ik, collega)


@then("ontvangt niemand een bevestigingscode voor mij")
def niemand_ontvangt(collega: Actor, opgegeven_adres: str, mailbox_for: Callable[[str], Mailbox]) -> None:
    """No colleague e-mail went out (the portal sends before it answers, so none is under way)."""
    sent = [m.subject for m in mailbox_for(opgegeven_adres).messages() if SUBJECT_COLLEAGUE.fullmatch(m.subject)]
    assert sent == [], f"toch verstuurd naar {opgegeven_adres}: {sent}"
    assert collega.mailbox.messages() == [], "de collega kreeg toch een e-mail"


@then("is mijn inlog vastgelegd met mijn collega als helper")
def inlog_vastgelegd(flows: Flows, ik: Actor, collega: Actor) -> None:
    """The portal's login record names the colleague who helped."""
    logins = flows.test_data_api.logins(flows.organisation_id)
    assert {"email": ik.person.email, "methode": "collega", "collega": collega.person.email} in logins, logins
