"""Steps that bring the people of a scenario into being."""

from __future__ import annotations

from collections.abc import Callable

from pytest_bdd import given

from fixtures.actors import Actor


@given("ik ben een medewerker met een gekoppelde AFAS Pocket", target_fixture="ik")
def medewerker_met_pocket(make_actor: Callable[..., Actor]) -> Actor:
    """A person whose AFAS Pocket is linked and registered for push."""
    return make_actor("de persoon")


@given("ik ben een medewerker zonder gekoppelde AFAS Pocket", target_fixture="ik")
def medewerker_zonder_pocket(make_actor: Callable[..., Actor]) -> Actor:
    """A person who never linked AFAS Pocket."""
    return make_actor("de persoon", pocket=False)
