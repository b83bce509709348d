"""The core's `me`: the person a pack's Gegeven step returns with target_fixture="me", or, for a pack written against
the older docs, with target_fixture="ik"; a step that needs the person when no Gegeven step made one says what to do.
A real pytest-bdd project (pytester, in a subprocess) with the core's generic phone steps and a real Mailpit."""

from __future__ import annotations

import pytest

from herstelpad.fixtures import NO_PERSON

FEATURE = """\
# language: nl
Functionaliteit: De persoon van het scenario
  Scenario: Een pack met de oude naam ik
    Gegeven ik ben een persoon van een pack met de oude naam
    En ik bewaar mijn oude telefoon
    Als ik een nieuwe telefoon neem
    Dan heeft de persoon met de oude naam een nieuwe telefoon

  Scenario: Een pack met de naam me
    Gegeven ik ben een persoon
    En ik bewaar mijn oude telefoon
    Als ik een nieuwe telefoon neem
    Dan heb ik een nieuwe telefoon

  Scenario: Geen persoon
    Als ik een nieuwe telefoon neem
"""

STEPS = '''
import pyotp
from pytest_bdd import given, scenarios, then

from herstelpad.actors import Actor
from herstelpad.authenticator import Authenticator
from herstelpad.mailbox import Mailbox
from herstelpad.people import Person

scenarios("persoon.feature")


def person_with_app(shared_mailpit, journal):
    uri = f"otpauth://totp/Voorbeeld:jan%40voorbeeld.example?secret={pyotp.random_base32()}&issuer=Voorbeeld"
    person = Person("Jan Jansen", "Jan", "jan@voorbeeld.example", "Geheim-Wachtwoord-42", None, 1, uri)
    phone = Authenticator()
    phone.add_account(uri)
    return Actor("de persoon", person, Mailbox(shared_mailpit, person.email), phone, journal, 5.0)


@given("ik ben een persoon van een pack met de oude naam", target_fixture="ik")
def old_name(shared_mailpit, journal):
    return person_with_app(shared_mailpit, journal)


@given("ik ben een persoon", target_fixture="me")
def new_name(shared_mailpit, journal):
    return person_with_app(shared_mailpit, journal)


@then("heeft de persoon met de oude naam een nieuwe telefoon")
def old_name_has_new_phone(ik, old_phone):
    assert ik.phone.accounts() == [] and len(old_phone.accounts()) == 1


@then("heb ik een nieuwe telefoon")
def new_name_has_new_phone(me, old_phone):
    assert me.phone.accounts() == [] and len(old_phone.accounts()) == 1
'''


def test_me_is_the_gegeven_steps_person_under_either_name_and_missing_it_is_explained(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", persoon=FEATURE)
    pytester.makepyfile(test_persoon=STEPS)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=2, failed=1)
    failed = [line for line in result.outlines if line.startswith(("FAILED", "PASSED"))]
    assert any(line.startswith("FAILED") and "geen_persoon" in line for line in failed), failed
    assert NO_PERSON in result.stdout.str()


def test_the_run_id_of_a_run_without_xdist(pytester: pytest.Pytester) -> None:
    """`-p no:xdist` (as one debugs a scenario) leaves out xdist's fixtures: the id in every e-mail address the run
    makes comes from pytest's own config, with and without workers."""
    pytester.makepyfile(test_id="def test_id(run_id):\n    assert len(run_id) >= 6 and run_id.isalnum(), run_id\n")
    for plugins in (("-p", "no:xdist"), ("-n", "2")):
        result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", *plugins)
        assert "fixture 'worker_id' not found" not in result.stdout.str()
        result.assert_outcomes(passed=1)
