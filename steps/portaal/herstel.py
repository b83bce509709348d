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


@when(parsers.parse('ik klik op "{button}"'))
def click_on(screens: Screens, button: str) -> None:
    """Clicks the button or link with this text."""
    screens.login.click(button)


@when(parsers.parse('ik kies "{option}"'))
def choose(screens: Screens, option: str) -> None:
    """Chooses one of the options offered."""
    screens.login.click(option)


@when(parsers.parse('ik ontvang een bevestigingsmail "{subject}"'))
@then(parsers.parse('ontvang ik een bevestigingsmail "{subject}"'))
def receive_confirmation_email(me: Actor, subject: str) -> None:
    """A confirmation e-mail with a code arrives for the person."""
    assert len(me.read_email(subject).code()) == 6


@when("ik de bevestigingscode uit mijn e-mail invul")
def enter_own_email_code(screens: Screens, me: Actor) -> None:
    """Types the code of the person's newest e-mail and clicks 'Volgende'."""
    screens.reset_pocket.enter_code(me.emails[-1].code())
    screens.reset_pocket.next()


@when("ik de link in de bevestigingsmail open")
def open_confirmation_link(screens: Screens, me: Actor) -> None:
    """Opens the link of the confirmation e-mail in the same browser."""
    screens.page.goto(me.last_email().link("/herstel/bevestig"))


@given("ik heb het opnieuw instellen van AFAS Pocket aangevraagd")
def reset_requested(flows: Flows, me: Actor) -> None:
    """At manier 1's code screen (the screens before it over HTTP)."""
    flows.start_reset(me, quick=True)


@when("ik het opnieuw instellen van AFAS Pocket aanvraag")
def request_reset(flows: Flows, me: Actor) -> None:
    """Logs in and chooses 'Geen melding ontvangen?' → 'Stel AFAS Pocket opnieuw in'."""
    flows.start_reset(me)


@given("ik heb een bevestigingsmail voor het opnieuw instellen ontvangen")
def reset_email_received(flows: Flows, me: Actor) -> None:
    """Manier 1 up to the confirmation e-mail, read (the screens before it over HTTP)."""
    flows.start_reset(me, quick=True)
    me.read_email(SUBJECT_RESET)


@given("ik heb het opnieuw instellen van AFAS Pocket aangevraagd, maar de bevestigingsmail is niet aangekomen")
def reset_email_lost(flows: Flows, me: Actor) -> None:
    """Manier 1 up to the e-mail, which gets lost: it is removed before the person sees it."""
    flows.start_reset(me, quick=True)
    flows.lose_email(me, SUBJECT_RESET)


@given(parsers.parse("de code van mijn collega is ouder dan {minutes:d} minuten"))
def colleague_code_expired(flows: Flows, minutes: int) -> None:
    """Moves the organisation's clock one minute past the code's age."""
    flows.advance_clock(minutes + 1)


@when(parsers.parse("ik de bevestigingscode uit mijn e-mail invul als de code ouder is dan {minutes:d} minuten"))
def enter_expired_email_code(flows: Flows, me: Actor, minutes: int) -> None:
    """Moves the clock one minute past the age and types the e-mail's code."""
    flows.advance_clock(minutes + 1)
    flows.enter_code("de bevestigingscode uit de e-mail", me.emails[-1].code())


@when(parsers.parse("ik {count:d} keer een onjuiste bevestigingscode invul"))
def enter_wrong_confirmation_codes(flows: Flows, me: Actor, count: int) -> None:
    """Types a wrong confirmation code several times."""
    for _ in range(count):
        flows.enter_wrong("de bevestigingscode uit de e-mail", me, None)


@given('ik heb AFAS Pocket opnieuw ingesteld via "Geen melding ontvangen?"')
def pocket_was_reset(flows: Flows, me: Actor) -> None:
    """Manier 1 done: the screens before the QR code over HTTP, the scan on the rendered page."""
    flows.reset_pocket(me, quick=True)


@when('ik AFAS Pocket opnieuw instel via "Geen melding ontvangen?"')
def reset_pocket(flows: Flows, me: Actor) -> None:
    """Walks manier 1 from the login screen back to the login screen."""
    flows.reset_pocket(me)


@then(parsers.parse('kom ik terug op het inlogscherm met de melding "{message}"'))
def back_on_login_screen(screens: Screens, message: str) -> None:
    """The login screen is shown with this information message."""
    screens.login.expect_shown()
    expect(screens.login.status).to_have_text(message)


# --- manier 2 -----------------------------------------------------------------------


@then("zie ik mijn e-mailadres, dat ik niet kan wijzigen")
def address_not_editable(screens: Screens, me: Actor) -> None:
    """The address is shown, read-only, with the article's remark."""
    expect(screens.colleague_start.email).to_have_value(me.person.email)
    expect(screens.colleague_start.email).not_to_be_editable()
    expect(screens.colleague_start.cannot_change_text).to_be_visible()


@then("zie ik dat AFAS Pocket nog niet gekoppeld is")
def pocket_not_linked(screens: Screens) -> None:
    """The second-factor screen says no Pocket is linked."""
    expect(screens.second_factor.not_linked_text).to_be_visible()


@when("ik mijn bevestigingscode en het e-mailadres van mijn collega invul")
def enter_code_and_colleague(flows: Flows, me: Actor, colleague: Actor) -> None:
    """Types the code of the e-mail just received and the colleague's address."""
    flows.screens.colleague_code.ask_colleague(me.emails[-1].code(), colleague.person.email)


@when("mijn collega ontvangt een e-mail met een bevestigingscode en mijn naam")
@then("ontvangt mijn collega een e-mail met een bevestigingscode en mijn naam")
def colleague_receives_code(me: Actor, colleague: Actor) -> None:
    """The colleague's e-mail says who asked, and holds a code."""
    email = colleague.read_email(SUBJECT_COLLEAGUE)
    assert me.person.name in email.text, f"de e-mail noemt {me.person.name} niet: {email.subject}"
    assert len(email.code()) == 6


@when("ik de bevestigingscode van mijn collega invul")
def enter_colleague_code(flows: Flows, colleague: Actor) -> None:
    """Types the code the colleague passed on."""
    flows.enter_colleague_code(colleague.emails[-1].code())


@given("ik heb een bevestigingsmail voor inloggen via een collega ontvangen")
def own_code_for_colleague_path_received(flows: Flows, me: Actor) -> None:
    """Reaches the screen that asks for the own code and the colleague's address (over HTTP); the e-mail is read."""
    flows.road_to_colleague(me).show()
    me.read_email(SUBJECT_OWN_CODE)


@given("mijn collega heeft een bevestigingscode voor mij ontvangen")
def colleague_has_code(flows: Flows, me: Actor, colleague: Actor) -> None:
    """Manier 2 up to the last screen (over HTTP): the colleague's e-mail has arrived."""
    flows.road_to_colleague(me, colleague).show()


@when("ik mijn eigen e-mailadres als collega opgeef", target_fixture="given_address")
def give_own_address(flows: Flows, me: Actor) -> str:
    """Gives the own address as the colleague's."""
    flows.give_colleague(me, me.person.email)
    return me.person.email


@when("ik inlog via mijn collega")
def log_in_via_colleague(flows: Flows, me: Actor, colleague: Actor) -> None:
    """Continues from 'Ik ben mijn telefoon vergeten' to a login with the colleague's code."""
    flows.screens.colleague_start.click("Volgende")
    flows.ask_colleague(me, colleague.person.email)
    flows.enter_colleague_code(flows.colleague_code(colleague))


@given("ik ben ingelogd via mijn collega")
def logged_in_via_colleague(flows: Flows, me: Actor, colleague: Actor) -> None:
    """Manier 2, stap 1, from start to finish (over HTTP; the scenarios of manier 2 walk its screens)."""
    flows.log_in_via_colleague(me, colleague, quick=True)


@when("ik dat e-mailadres als collega opgeef")
def give_that_address(flows: Flows, me: Actor, given_address: str) -> None:
    """Gives the unsuitable address as the colleague's."""
    flows.give_colleague(me, given_address)


@when("ik een onjuiste bevestigingscode invul")
def enter_wrong_colleague_code(flows: Flows, me: Actor, colleague: Actor) -> None:
    """Types a code that is not the colleague's."""
    flows.enter_wrong("de code van de collega", me, colleague)


@then("ontvangt niemand een bevestigingscode voor mij")
def nobody_receives_code(colleague: Actor, given_address: str, mailbox_for: Callable[[str], Mailbox]) -> None:
    """No colleague e-mail went out (the portal sends before it answers, so none is under way)."""
    sent = [m.subject for m in mailbox_for(given_address).messages() if SUBJECT_COLLEAGUE.fullmatch(m.subject)]
    assert sent == [], f"toch verstuurd naar {given_address}: {sent}"
    assert colleague.mailbox.messages() == [], "de collega kreeg toch een e-mail"


@then("is mijn inlog vastgelegd met mijn collega als helper")
def login_recorded(flows: Flows, me: Actor, colleague: Actor) -> None:
    """The portal's login record names the colleague who helped."""
    logins = flows.test_data_api.logins(flows.organisation_id)
    assert {"email": me.person.email, "methode": "collega", "collega": colleague.person.email} in logins, logins
