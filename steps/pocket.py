"""Steps on the phone: AFAS Pocket's notifications, login requests and accounts."""

from __future__ import annotations

from pytest_bdd import given, then, when

from fixtures.actors import Actor


@given("de push-notificaties van mijn telefoon staan uit")
def meldingen_uit(ik: Actor) -> None:
    """Switches the phone's push notifications off."""
    ik.pocket.notifications_enabled = False


@when("ik het inlogverzoek goedkeur in AFAS Pocket")
def verzoek_goedkeuren(ik: Actor) -> None:
    """Approves the login request on the phone (pushed, or fetched by opening the app)."""
    ik.pocket.approve(ik.pocket.pending_request(timeout=ik.timeout))


@when("ik het inlogverzoek weiger in AFAS Pocket")
def verzoek_weigeren(ik: Actor) -> None:
    """Denies the login request on the phone."""
    ik.pocket.deny(ik.pocket.pending_request(timeout=ik.timeout))


@when("ik AFAS Pocket open tijdens het inloggen")
def pocket_openen(ik: Actor) -> None:
    """Opens the app, which fetches the pending login request."""
    ik.pocket.open_app()


@then("staat het inlogverzoek klaar in AFAS Pocket")
def verzoek_klaar(ik: Actor) -> None:
    """The opened app shows one pending login request."""
    assert len(ik.pocket.shown_requests) == 1, f"AFAS Pocket toont {ik.pocket.shown_requests}"


@then("heeft mijn telefoon geen pushbericht getoond")
def geen_pushbericht(ik: Actor) -> None:
    """With notifications off, no push message was shown on the phone."""
    assert ik.pocket.notifications_shown == [], f"toch getoond: {ik.pocket.notifications_shown}"
