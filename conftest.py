"""Wiring only: herstelpad itself comes in as a pytest plugin (its pytest11 entry point); each target's
scenarios get their pack from the conftest.py next to them (steps/portaal/, steps/keycloak/)."""

pytest_plugins = ["pytester"]  # tests/report runs small pytest-bdd projects of its own
