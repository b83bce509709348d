"""Steps on the phone: AFAS Pocket's notifications, login requests and accounts."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from fixtures.portaal.flows import Flows
from fixtures.portaal.pocket import Pocket, phone_situation, pocket_of
from fixtures.portaal.screens import Screens
from herstelpad.actors import Actor
from herstelpad.pack import TotpWindow


@given("de push-notificaties van mijn telefoon staan uit")
def notifications_off(me: Actor) -> None:
    """Switches the phone's push notifications off."""
    pocket_of(me).notifications_enabled = False


@given("AFAS Online neemt voor mijn organisatie alleen de code van het huidige tijdvak aan")
def only_current_time_step(flows: Flows, me: Actor) -> None:
    """The organisation's TOTP check looks around no step (RFC 6238's strictest verifier); the phone learns that
    window (a code handed out late in its step would arrive after it)."""
    flows.set_totp_window(0)
    me.phone.window = TotpWindow(behind=0, ahead=0)


@when("ik het inlogverzoek goedkeur in AFAS Pocket")
def approve_request(me: Actor) -> None:
    """Approves the login request on the phone (pushed, or fetched by opening the app)."""
    pocket_of(me).approve(pocket_of(me).pending_request(timeout=me.timeout))


@when("ik het inlogverzoek weiger in AFAS Pocket")
def deny_request(me: Actor) -> None:
    """Denies the login request on the phone."""
    pocket_of(me).deny(pocket_of(me).pending_request(timeout=me.timeout))


@when("ik AFAS Pocket open tijdens het inloggen")
def open_pocket(me: Actor) -> None:
    """Opens the app, which fetches the pending login request."""
    pocket_of(me).open_app()


@then("staat het inlogverzoek klaar in AFAS Pocket")
def request_pending(me: Actor) -> None:
    """The opened app shows one pending login request."""
    assert len(pocket_of(me).shown_requests) == 1, f"AFAS Pocket toont {pocket_of(me).shown_requests}"


@then("heeft mijn telefoon geen pushbericht getoond")
def no_push_message(me: Actor) -> None:
    """With notifications off, no push message was shown on the phone."""
    assert pocket_of(me).notifications_shown == [], f"toch getoond: {pocket_of(me).notifications_shown}"


@given(parsers.parse('op mijn telefoon geldt: "{situation}"'))
def phone_situation_is(me: Actor, situation: str) -> None:
    """Puts the phone in one of the article's situations (account gone, app removed, new phone)."""
    phone_situation(me, situation)


@when("ik de 6-cijferige code van mijn oude telefoon invul")
def enter_old_pocket_code(screens: Screens, old_phone: Pocket) -> None:
    """Types the code the old phone shows."""
    screens.second_factor.enter_code(old_phone.code())


@then("weigert de portal de oude telefoon bij het ophalen van inlogverzoeken")
def old_phone_refused(old_phone: Pocket) -> None:
    """The portal no longer knows the old phone's push registration."""
    assert not old_phone.portal_knows_device(), "de portal kent de oude telefoon nog"


@when("ik in AFAS Pocket het account 'afasonline.com' verwijder met het prullenbakje")
def delete_account(me: Actor) -> None:
    """Deletes the 'afasonline.com' account, as the article's step 2 says."""
    pocket_of(me).delete_account("afasonline.com")


@then("staat het account 'afasonline.com' niet in AFAS Pocket")
def account_absent(me: Actor) -> None:
    """There is nothing to delete on this phone."""
    assert [a.label for a in pocket_of(me).accounts() if a.issuer == "afasonline.com"] == []
