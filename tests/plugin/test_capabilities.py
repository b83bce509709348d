"""A scenario that needs what its target does not offer is skipped with the reason, in pytest and in the report."""

from __future__ import annotations

import json

import pytest

CONFTEST = '''
import pytest
from herstelpad.pack import PROVISIONING, RunningTarget, StartContext, TargetPack

class Zonder(TargetPack):
    name = "zonder-klok"
    title = "Een doel zonder klok"
    capabilities = frozenset({PROVISIONING})

    def start(self, context: StartContext) -> RunningTarget:
        raise AssertionError("a skipped scenario must not start its target")

@pytest.fixture
def target_pack():
    return Zonder()
'''

FEATURE = '''# language: nl
Functionaliteit: Verlopen codes
  @vereist-klok
  Scenario: Een code ouder dan tien minuten wordt geweigerd
    Gegeven er verstrijken elf minuten

  Scenario: Zonder vereiste draait het gewoon
    Gegeven niets bijzonders
'''

TEST = '''
from pytest_bdd import given, scenarios

scenarios("verlopen.feature")

@given("er verstrijken elf minuten")
def verstrijken():
    raise AssertionError("must not run")

@given("niets bijzonders")
def niets():
    pass
'''


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A small pack project whose target offers no clock."""
    pytester.makeconftest(CONFTEST)
    pytester.makefile(".feature", verlopen=FEATURE)
    pytester.makepyfile(test_verlopen=TEST)
    return pytester


def test_missing_capability_skips_with_the_reason_in_pytest_and_the_report(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(
        ["SKIPPED [1] verlopen.feature:4: Een doel zonder klok biedt niet: de klok van het doelsysteem vooruitzetten (@vereist-klok)"]
    )  # the scenario itself, not a line inside pytest-bdd
    results = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    skipped = [s for s in results["scenarios"] if s["status"] == "skipped"]
    assert len(skipped) == 1
    assert "@vereist-klok" in json.dumps(skipped[0]) and "biedt niet" in json.dumps(skipped[0])
    assert skipped[0]["target"] == "zonder-klok"
    assert "biedt niet" in (project.path / "reports" / "index.html").read_text(encoding="utf-8")


def test_an_unknown_capability_is_a_clear_error(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST.replace("frozenset({PROVISIONING})", "frozenset({'teleportatie'})"))
    pytester.makefile(".feature", verlopen=FEATURE)
    pytester.makepyfile(test_verlopen=TEST)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(errors=2)
    output = result.stdout.str()
    assert "herstelpad: pack zonder-klok: unknown capabilities ['teleportatie']" in output
    assert "raise PackError" not in output and "During handling" not in output
