"""pytest plugin for `herstelpad bench`: every test's setup, call and teardown seconds, one JSON line each."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

PHASES_ENV = "HERSTELPAD_BENCH_PHASES"  # the file the controller appends its lines to


class _PhaseWriter:
    """Appends {nodeid, when, seconds} for every phase report the (controlling) pytest process receives."""

    def __init__(self, path: Path) -> None:
        """Write to `path`."""
        self.path = path

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """One line per setup, call or teardown of a test."""
        line = {"nodeid": report.nodeid, "when": report.when, "seconds": report.duration}
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")


def pytest_configure(config: pytest.Config) -> None:
    """Registers the writer in the controller only (xdist workers' reports reach the controller too)."""
    path = os.environ.get(PHASES_ENV)
    if path and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_PhaseWriter(Path(path)), "herstelpad-bench-phases")


def read_phases(path: Path) -> dict[str, dict[str, float]]:
    """The seconds per test and phase written by the plugin ({nodeid: {"setup": …, "call": …, "teardown": …}})."""
    phases: dict[str, dict[str, float]] = {}
    if not path.exists():
        return phases
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        phases.setdefault(entry["nodeid"], {})[entry["when"]] = entry["seconds"]
    return phases
