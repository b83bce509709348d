"""Steps of the security scenarios: tries, single use, sessions, CSRF, push binding, throttling."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect
from pytest_bdd import given, parsers, then, when

from fixtures.portaal.flows import SUBJECT_RESET, Flows
from fixtures.portaal.pocket import pocket_of
from fixtures.portaal.screens import Screens
from herstelpad.actors import Actor
from herstelpad.people import PeopleFactory

RESEND_WAIT = re.compile(r"^Je kunt over \d+ seconden? opnieuw een e-mail laten versturen\.$")  # the portal's throttle message


@given(parsers.parse('ik ben bij de invoer van "{soort}"'))
def bij_de_invoer(flows: Flows, ik: Actor, collega: Actor, soort: str) -> None:
    """Goes to the screen that asks for this kind of code, with the code at hand (the screens before it over HTTP)."""
    flows.reach_code_entry(soort, ik, collega, quick=True)


@when(parsers.parse('ik opnieuw kom bij de invoer van "{soort}"'))
def opnieuw_bij_de_invoer(flows: Flows, ik: Actor, collega: Actor, soort: str) -> None:
    """Walks, screen by screen, to the screen that asks for this kind of code, with the code at hand."""
    flows.reach_code_entry(soort, ik, collega)


@when(parsers.parse('ik {aantal:d} keer een onjuiste code invul bij "{soort}"'))
def onjuist_bij(flows: Flows, ik: Actor, collega: Actor, aantal: int, soort: str) -> None:
    """Types a wrong code of this kind several times."""
    for _ in range(aantal):
        flows.enter_wrong(soort, ik, collega)


@then(parsers.parse('werkt de juiste "{soort}" daarna niet meer'))
def juiste_werkt_niet_meer(flows: Flows, ik: Actor, collega: Actor, soort: str) -> None:
    """The challenge has ended: the right code no longer gets the person in."""
    flows.expect_challenge_ended(soort, ik, collega, "Te veel onjuiste pogingen.")


@given(parsers.parse('ik ben ingelogd met "{soort}"'), target_fixture="gebruikte_code")
def ingelogd_met(flows: Flows, ik: Actor, collega: Actor, soort: str) -> str:
    """Logs in along the path of this kind of code and keeps the code used."""
    return flows.log_in_with(soort, ik, collega)


@when(parsers.parse('ik dezelfde "{soort}" nog eens invul'))
def dezelfde_code(flows: Flows, soort: str, gebruikte_code: str) -> None:
    """Types the code that was already used once."""
    flows.enter_code(soort, gebruikte_code)


@when("ik mijn collega een nieuwe e-mail laat sturen")
def collega_nieuwe_mail(flows: Flows, collega: Actor) -> None:
    """'Verstuur e-mail opnieuw' on the colleague-code screen; the colleague gets a new code."""
    flows.screens.colleague_confirm.resend()
    flows.colleague_code(collega)


@when("ik stop en mijn collega opnieuw om een code vraag")
def stoppen_en_opnieuw(flows: Flows, ik: Actor, collega: Actor) -> None:
    """'Stoppen', then the whole colleague path again up to a new colleague code."""
    flows.screens.colleague_confirm.stop()
    flows.reach_code_entry("de code van de collega", ik, collega)


@when("ik de eerdere bevestigingscode van mijn collega invul")
def eerdere_collega_code(flows: Flows, collega: Actor) -> None:
    """Types the colleague's code from before the newest e-mail."""
    assert len(collega.emails) >= 2, f"mijn collega ontving {[m.subject for m in collega.emails]}"
    flows.enter_colleague_code(collega.emails[-2].code())


@given("een andere medewerker vraagt in een eigen browser een bevestigingsmail aan", target_fixture="andere")
def andere_medewerker(flows: Flows, make_actor: Callable[..., Actor]) -> Actor:
    """A second person starts manier 1 in a browser of their own and receives a code."""
    andere = make_actor("een andere medewerker")
    flows.in_browser(flows.other_browser()).reach_code_entry("de bevestigingscode uit de e-mail", andere, None, quick=True)
    return andere


@when("ik de bevestigingscode van de andere medewerker invul")
def code_van_andere(flows: Flows, andere: Actor) -> None:
    """Types the other person's code in the own session."""
    flows.enter_code("de bevestigingscode uit de e-mail", andere.emails[-1].code())


@when("ik inlog met een onbekend e-mailadres")
def onbekend_adres(screens: Screens, people: PeopleFactory, ik: Actor) -> None:
    """Logs in with an address no one has."""
    screens.login.log_in(people.unregistered_email(), ik.person.password)


@when("ik noteer wat het inlogscherm antwoordt", target_fixture="eerste_antwoord")
def noteer_antwoord(screens: Screens) -> dict[str, Any]:
    """Keeps what the login screen answered: address, heading, message, fields."""
    return screens.login.answer()


@then("antwoordt het inlogscherm precies hetzelfde")
def zelfde_antwoord(screens: Screens, eerste_antwoord: dict[str, Any]) -> None:
    """A wrong password gets the very answer an unknown address got."""
    assert screens.login.answer() == eerste_antwoord


@when("ik het inlogformulier verstuur zonder CSRF-token")
def zonder_csrf(screens: Screens, ik: Actor) -> None:
    """Posts the login form after removing its CSRF token, as a forged form would."""
    screens.login.submit_without_csrf(ik.person.email, ik.person.password)


@then(parsers.parse('zie ik de pagina "{titel}"'))
def pagina(screens: Screens, titel: str) -> None:
    """The page with this heading is shown."""
    expect(screens.login.heading).to_have_text(titel)


@given("ik noteer het sessiecookie van het inlogscherm", target_fixture="eerste_cookie")
def noteer_cookie(screens: Screens) -> dict[str, Any]:
    """Keeps the session cookie the login screen set."""
    screens.login.open()
    return screens.login.session_cookie()


@then("is het sessiecookie gewisseld")
def cookie_gewisseld(screens: Screens, eerste_cookie: dict[str, Any]) -> None:
    """The session id after login differs from the one before."""
    assert screens.login.session_cookie()["value"] != eerste_cookie["value"]


@then("is het sessiecookie HttpOnly en SameSite")
def cookie_vlaggen(screens: Screens) -> None:
    """Scripts cannot read the cookie and other sites do not get it sent along."""
    cookie = screens.login.session_cookie()
    assert cookie["httpOnly"] is True, cookie.keys()
    assert cookie["sameSite"] in ("Lax", "Strict"), cookie["sameSite"]


@given("iemand anders logt met mijn wachtwoord in een eigen browser in", target_fixture="andere_browser")
def andere_browser(screens: Screens, ik: Actor, flows: Flows) -> Screens:
    """Someone who knows the password logs in elsewhere and waits for the phone."""
    other = flows.other_browser()
    other.login.log_in_and_wait_for_pocket(ik.person.email, ik.person.password)
    return other


@given(
    "iemand anders is met mijn wachtwoord en een code uit AFAS Pocket ingelogd in een eigen browser",
    target_fixture="andere_browser",
)
def ander_ingelogd(ik: Actor, flows: Flows) -> Screens:
    """Someone with my password and one code from my phone holds a session of their own."""
    other = flows.other_browser()
    other.login.log_in(ik.person.email, ik.person.password)
    other.second_factor.enter_code(pocket_of(ik).code())
    other.portal.expect_shown()
    return other


@when(parsers.parse('ik in "Instellingen / Beveiliging" op "{knop}" klik zonder mijn wachtwoord'))
def zonder_wachtwoord(screens: Screens, knop: str) -> None:
    """Clicks the button on Beveiliging with the password field left empty."""
    screens.security.open_from_tabs()
    screens.security.click(knop)


@when("ik in AFAS Pocket alleen het nieuwste inlogverzoek goedkeur")
def nieuwste_goedkeuren(ik: Actor) -> None:
    """The phone shows two requests; the person approves only the newest, their own."""
    requests = pocket_of(ik).wait_for_requests(count=2, timeout=ik.timeout)
    pocket_of(ik).approve(requests[-1])


@then("is de andere browser niet ingelogd")
def andere_niet_ingelogd(andere_browser: Screens) -> None:
    """The other browser is still outside the portal."""
    andere_browser.portal.open()
    andere_browser.login.expect_shown()


@when(parsers.parse('ik {aantal:d} keer klik op "{knop}"'))
def vaak_klikken(screens: Screens, aantal: int, knop: str) -> None:
    """Clicks a button many times in a row."""
    for _ in range(aantal):
        screens.login.click(knop)


@then(parsers.parse('heb ik precies {aantal:d} bevestigingsmails ontvangen'))
def aantal_mails(ik: Actor, aantal: int) -> None:
    """Counts the confirmation e-mails (the portal sends before it answers, so none is under way)."""
    subjects = [m.subject for m in ik.mailbox.messages() if SUBJECT_RESET in m.subject]
    assert len(subjects) == aantal, f"ontvangen: {subjects}"


@then("zegt de portal hoeveel seconden ik moet wachten voor een nieuwe e-mail")
def wachttijd_gemeld(screens: Screens) -> None:
    """The whole throttle message, whatever number of seconds is left."""
    expect(screens.login.alert).to_have_text(RESEND_WAIT)
