"""Steps that bring the people of a scenario into being."""

from __future__ import annotations

from collections.abc import Callable

from pytest_bdd import given, parsers

from herstelpad.actors import Actor


@given("ik ben een medewerker met een gekoppelde AFAS Pocket", target_fixture="me")
def employee_with_pocket(make_actor: Callable[..., Actor]) -> Actor:
    """A person whose AFAS Pocket is linked and registered for push."""
    return make_actor("de persoon")


@given("ik ben een medewerker zonder gekoppelde AFAS Pocket", target_fixture="me")
def employee_without_pocket(make_actor: Callable[..., Actor]) -> Actor:
    """A person who never linked AFAS Pocket."""
    return make_actor("de persoon", pocket=False)


@given("mijn collega werkt bij dezelfde organisatie", target_fixture="colleague")
def colleague_in_same_organisation(make_actor: Callable[..., Actor]) -> Actor:
    """An active colleague of the same organisation, registered on the portal."""
    return make_actor("de collega")


@given(parsers.parse("{who} heeft het e-mailadres dat ik als collega opgeef"), target_fixture="given_address")
def unsuitable_address(who: str, me: Actor, unsuitable_colleague: Callable[[str, Actor], str]) -> str:
    """The address the person will give as a colleague's, belonging to someone unsuitable."""
    return unsuitable_colleague(who, me)
