"""The foreign target's scenarios; named apart from test_*.py so that only the leak test runs them (one fails on purpose)."""

from pytest_bdd import scenarios

scenarios("foreign.feature")
