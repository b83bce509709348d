"""Steps that bring the people of a scenario into being."""

from __future__ import annotations

from collections.abc import Callable

from pytest_bdd import given, parsers

from fixtures.actors import Actor
from herstelpad.people import PeopleFactory


@given("ik ben een medewerker met een gekoppelde AFAS Pocket", target_fixture="ik")
def medewerker_met_pocket(make_actor: Callable[..., Actor]) -> Actor:
    """A person whose AFAS Pocket is linked and registered for push."""
    return make_actor("de persoon")


@given("ik ben een medewerker zonder gekoppelde AFAS Pocket", target_fixture="ik")
def medewerker_zonder_pocket(make_actor: Callable[..., Actor]) -> Actor:
    """A person who never linked AFAS Pocket."""
    return make_actor("de persoon", pocket=False)


@given("mijn collega werkt bij dezelfde organisatie", target_fixture="collega")
def collega(make_actor: Callable[..., Actor]) -> Actor:
    """An active colleague of the same organisation, registered on the portal."""
    return make_actor("de collega")


@given(parsers.parse('"{wie}" heeft het e-mailadres dat ik opgeef'), target_fixture="opgegeven_adres")
def opgegeven_adres(wie: str, ik: Actor, make_actor: Callable[..., Actor], people: PeopleFactory) -> str:
    """The address the person will give as a colleague's, belonging to someone unsuitable."""
    unsuitable = {
        "iemand die niet aangemeld is": lambda: people.unregistered_email(),
        "een collega die niet meer actief is": lambda: make_actor("een oud-collega", actief=False).person.email,
        "iemand van een andere organisatie": lambda: make_actor(
            "iemand van een andere organisatie", organisation=people.organisation()
        ).person.email,
        "ikzelf": lambda: ik.person.email,
    }
    return unsuitable[wie]()
