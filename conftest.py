"""Wiring only: herstelpad itself comes in as a pytest plugin (its pytest11 entry point); each target's
scenarios get their pack from the conftest.py next to them (steps/portaal/, steps/keycloak/).

Besides, `once_per_run`: what several tests share and is costly to make (a wheel's virtualenv, a bench run) is made
once per test run, also across xdist workers.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["pytester"]  # tests/report runs small pytest-bdd projects of its own

@pytest.fixture(scope="session")
def once_per_run(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Callable[[str, Callable[[Path], dict[str, Any]]], dict[str, Any]]:
    """`once_per_run(name, make)`: the JSON-able result of `make(folder)`, made once per run in a folder of its own.

    The first xdist worker to ask makes it under a file lock in the workers' shared base temp folder and writes it to
    done.json; the others wait for the lock and read it. A `make` that raises leaves no done.json: the next one tries.
    """
    base = tmp_path_factory.getbasetemp()
    worker = hasattr(pytestconfig, "workerinput")  # (not xdist's worker_id fixture: `-p no:xdist` has none)

    def made(name: str, make: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
        root = (base.parent if worker else base) / name
        root.mkdir(exist_ok=True)
        done = root / "done.json"
        with (root / "lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when a worker dies
            if not done.exists():
                done.write_text(json.dumps(make(root)), encoding="utf-8")
        found: dict[str, Any] = json.loads(done.read_text(encoding="utf-8"))
        return found

    return made
