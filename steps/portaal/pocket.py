"""Steps on the phone: AFAS Pocket's notifications, login requests and accounts."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from fixtures.portaal.pocket import Pocket, phone_situation, pocket_of
from fixtures.portaal.screens import Screens
from herstelpad.actors import Actor


@given("de push-notificaties van mijn telefoon staan uit")
def meldingen_uit(ik: Actor) -> None:
    """Switches the phone's push notifications off."""
    pocket_of(ik).notifications_enabled = False


@when("ik het inlogverzoek goedkeur in AFAS Pocket")
def verzoek_goedkeuren(ik: Actor) -> None:
    """Approves the login request on the phone (pushed, or fetched by opening the app)."""
    pocket_of(ik).approve(pocket_of(ik).pending_request(timeout=ik.timeout))


@when("ik het inlogverzoek weiger in AFAS Pocket")
def verzoek_weigeren(ik: Actor) -> None:
    """Denies the login request on the phone."""
    pocket_of(ik).deny(pocket_of(ik).pending_request(timeout=ik.timeout))


@when("ik AFAS Pocket open tijdens het inloggen")
def pocket_openen(ik: Actor) -> None:
    """Opens the app, which fetches the pending login request."""
    pocket_of(ik).open_app()


@then("staat het inlogverzoek klaar in AFAS Pocket")
def verzoek_klaar(ik: Actor) -> None:
    """The opened app shows one pending login request."""
    assert len(pocket_of(ik).shown_requests) == 1, f"AFAS Pocket toont {pocket_of(ik).shown_requests}"


@then("heeft mijn telefoon geen pushbericht getoond")
def geen_pushbericht(ik: Actor) -> None:
    """With notifications off, no push message was shown on the phone."""
    assert pocket_of(ik).notifications_shown == [], f"toch getoond: {pocket_of(ik).notifications_shown}"


@given(parsers.parse('op mijn telefoon geldt: "{situatie}"'))
def telefoon_situatie(ik: Actor, situatie: str) -> None:
    """Puts the phone in one of the article's situations (account gone, app removed, new phone)."""
    phone_situation(ik, situatie)


@when("ik de 6-cijferige code van mijn oude telefoon invul")
def oude_code(screens: Screens, old_phone: Pocket) -> None:
    """Types the code the old phone shows."""
    screens.second_factor.enter_code(old_phone.code())


@then("weigert de portal de oude telefoon bij het ophalen van inlogverzoeken")
def oude_telefoon_geweigerd(old_phone: Pocket) -> None:
    """The portal no longer knows the old phone's push registration."""
    assert not old_phone.portal_knows_device(), "de portal kent de oude telefoon nog"


@when("ik in AFAS Pocket het account 'afasonline.com' verwijder met het prullenbakje")
def account_verwijderen(ik: Actor) -> None:
    """Deletes the 'afasonline.com' account, as the article's step 2 says."""
    pocket_of(ik).delete_account("afasonline.com")


@then("staat het account 'afasonline.com' niet in AFAS Pocket")
def account_niet_aanwezig(ik: Actor) -> None:
    """There is nothing to delete on this phone."""
    assert [a.label for a in pocket_of(ik).accounts() if a.issuer == "afasonline.com"] == []
