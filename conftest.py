"""Wiring only: herstelpad's plugin, the fixtures and the step definitions."""

pytest_plugins = [
    "herstelpad.plugin",
    "herstelpad.report.recorder",
    "fixtures.services",
    "fixtures.browser",
    "fixtures.actors",
    "steps.personen",
    "steps.inloggen",
    "steps.pocket",
]
