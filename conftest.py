"""Wiring only: herstelpad's plugin, the fixtures and the step definitions."""

pytest_plugins = [
    "herstelpad.plugin",
    "herstelpad.report.recorder",
    "fixtures.services",
    "fixtures.browser",
    "fixtures.actors",
    "fixtures.flows",
    "steps.personen",
    "steps.inloggen",
    "steps.herstel",
    "steps.instellingen",
    "steps.beveiliging",
    "steps.pocket",
    "steps.storingen",
    "pytester",  # tests/report runs small pytest-bdd projects of its own
]
