"""Binds the scenarios of this folder to pytest tests."""

from pytest_bdd import scenarios

scenarios("inloggen.feature")
