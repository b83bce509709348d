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


@given(parsers.parse('ik ben bij de invoer van "{kind}"'))
def at_code_entry(flows: Flows, me: Actor, colleague: Actor, kind: str) -> None:
    """Goes to the screen that asks for this kind of code, with the code at hand (the screens before it over HTTP)."""
    flows.reach_code_entry(kind, me, colleague, quick=True)


@when(parsers.parse('ik opnieuw kom bij de invoer van "{kind}"'))
def reach_code_entry_again(flows: Flows, me: Actor, colleague: Actor, kind: str) -> None:
    """Walks, screen by screen, to the screen that asks for this kind of code, with the code at hand."""
    flows.reach_code_entry(kind, me, colleague)


@when(parsers.parse('ik {count:d} keer een onjuiste code invul bij "{kind}"'))
def enter_wrong_codes_at(flows: Flows, me: Actor, colleague: Actor, count: int, kind: str) -> None:
    """Types a wrong code of this kind several times."""
    for _ in range(count):
        flows.enter_wrong(kind, me, colleague)


@then(parsers.parse('werkt de juiste "{kind}" daarna niet meer'))
def right_code_no_longer_works(flows: Flows, me: Actor, colleague: Actor, kind: str) -> None:
    """The challenge has ended: the right code no longer gets the person in."""
    flows.expect_challenge_ended(kind, me, colleague, "Te veel onjuiste pogingen.")


@given(parsers.parse('ik ben ingelogd met "{kind}"'), target_fixture="used_code")
def logged_in_with(flows: Flows, me: Actor, colleague: Actor, kind: str) -> str:
    """Logs in along the path of this kind of code and keeps the code used."""
    return flows.log_in_with(kind, me, colleague)


@when(parsers.parse('ik dezelfde "{kind}" nog eens invul'))
def enter_same_code_again(flows: Flows, kind: str, used_code: str) -> None:
    """Types the code that was already used once."""
    flows.enter_code(kind, used_code)


@when("ik mijn collega een nieuwe e-mail laat sturen")
def resend_colleague_email(flows: Flows, colleague: Actor) -> None:
    """'Verstuur e-mail opnieuw' on the colleague-code screen; the colleague gets a new code."""
    flows.screens.colleague_confirm.resend()
    flows.colleague_code(colleague)


@when("ik stop en mijn collega opnieuw om een code vraag")
def stop_and_ask_colleague_again(flows: Flows, me: Actor, colleague: Actor) -> None:
    """'Stoppen', then the whole colleague path again up to a new colleague code."""
    flows.screens.colleague_confirm.stop()
    flows.reach_code_entry("de code van de collega", me, colleague)


@when("ik de eerdere bevestigingscode van mijn collega invul")
def enter_earlier_colleague_code(flows: Flows, colleague: Actor) -> None:
    """Types the colleague's code from before the newest e-mail."""
    assert len(colleague.emails) >= 2, f"mijn collega ontving {[m.subject for m in colleague.emails]}"
    flows.enter_colleague_code(colleague.emails[-2].code())


@given("een andere medewerker vraagt in een eigen browser een bevestigingsmail aan", target_fixture="other")
def other_employee_requests_email(flows: Flows, make_actor: Callable[..., Actor]) -> Actor:
    """A second person starts manier 1 in a browser of their own and receives a code."""
    other = make_actor("een andere medewerker")
    flows.in_browser(flows.other_browser()).reach_code_entry("de bevestigingscode uit de e-mail", other, None, quick=True)
    return other


@when("ik de bevestigingscode van de andere medewerker invul")
def enter_other_employees_code(flows: Flows, other: Actor) -> None:
    """Types the other person's code in the own session."""
    flows.enter_code("de bevestigingscode uit de e-mail", other.emails[-1].code())


@when("ik inlog met een onbekend e-mailadres")
def log_in_with_unknown_address(screens: Screens, people: PeopleFactory, me: Actor) -> None:
    """Logs in with an address no one has."""
    screens.login.log_in(people.unregistered_email(), me.person.password)


@when("ik noteer wat het inlogscherm antwoordt", target_fixture="first_answer")
def note_login_answer(screens: Screens) -> dict[str, Any]:
    """Keeps what the login screen answered: address, heading, message, fields."""
    return screens.login.answer()


@then("antwoordt het inlogscherm precies hetzelfde")
def same_login_answer(screens: Screens, first_answer: dict[str, Any]) -> None:
    """A wrong password gets the very answer an unknown address got."""
    assert screens.login.answer() == first_answer


@when("ik het inlogformulier verstuur zonder CSRF-token")
def submit_without_csrf(screens: Screens, me: Actor) -> None:
    """Posts the login form after removing its CSRF token, as a forged form would."""
    screens.login.submit_without_csrf(me.person.email, me.person.password)


@then(parsers.parse('zie ik de pagina "{title}"'))
def page_shown(screens: Screens, title: str) -> None:
    """The page with this heading is shown."""
    expect(screens.login.heading).to_have_text(title)


@given("ik noteer het sessiecookie van het inlogscherm", target_fixture="first_cookie")
def note_session_cookie(screens: Screens) -> dict[str, Any]:
    """Keeps the session cookie the login screen set."""
    screens.login.open()
    return screens.login.session_cookie()


@then("is het sessiecookie gewisseld")
def session_cookie_changed(screens: Screens, first_cookie: dict[str, Any]) -> None:
    """The session id after login differs from the one before."""
    assert screens.login.session_cookie()["value"] != first_cookie["value"]


@then("is het sessiecookie HttpOnly en SameSite")
def session_cookie_flags(screens: Screens) -> None:
    """Scripts cannot read the cookie and other sites do not get it sent along."""
    cookie = screens.login.session_cookie()
    assert cookie["httpOnly"] is True, cookie.keys()
    assert cookie["sameSite"] in ("Lax", "Strict"), cookie["sameSite"]


@given("iemand anders logt met mijn wachtwoord in een eigen browser in", target_fixture="other_browser")
def other_browser_waiting_for_pocket(screens: Screens, me: Actor, flows: Flows) -> Screens:
    """Someone who knows the password logs in elsewhere and waits for the phone."""
    return flows.other_login_waiting_for_pocket(me)


@given(
    "iemand anders is met mijn wachtwoord en een code uit AFAS Pocket ingelogd in een eigen browser",
    target_fixture="other_browser",
)
def other_browser_logged_in(me: Actor, flows: Flows) -> Screens:
    """Someone with my password and one code from my phone holds a session of their own."""
    return flows.other_session(me)


@when(parsers.parse('ik in "Instellingen / Beveiliging" op "{button}" klik zonder mijn wachtwoord'))
def click_without_password(screens: Screens, button: str) -> None:
    """Clicks the button on Beveiliging with the password field left empty."""
    screens.security.open_from_tabs()
    screens.security.click(button)


@when("ik in AFAS Pocket alleen het nieuwste inlogverzoek goedkeur")
def approve_newest_request(me: Actor) -> None:
    """The phone shows two requests; the person approves only the newest, their own."""
    requests = pocket_of(me).wait_for_requests(count=2, timeout=me.timeout)
    pocket_of(me).approve(requests[-1])


@then("is de andere browser niet ingelogd")
def other_browser_not_logged_in(other_browser: Screens) -> None:
    """The other browser is still outside the portal."""
    other_browser.portal.open()
    other_browser.login.expect_shown()


@when(parsers.parse('ik {count:d} keer klik op "{button}"'))
def click_many_times(screens: Screens, count: int, button: str) -> None:
    """Clicks a button many times in a row."""
    for _ in range(count):
        screens.login.click(button)


@then(parsers.parse('heb ik precies {count:d} bevestigingsmails ontvangen'))
def confirmation_email_count(me: Actor, count: int) -> None:
    """Counts the confirmation e-mails (the portal sends before it answers, so none is under way)."""
    subjects = [m.subject for m in me.mailbox.messages() if SUBJECT_RESET in m.subject]
    assert len(subjects) == count, f"ontvangen: {subjects}"


@then("zegt de portal hoeveel seconden ik moet wachten voor een nieuwe e-mail")
def wait_time_told(screens: Screens) -> None:
    """The whole throttle message, whatever number of seconds is left."""
    expect(screens.login.alert).to_have_text(RESEND_WAIT)
