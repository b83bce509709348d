"""pytest plugin for `herstelpad bench`: every test's setup, call and teardown seconds, one JSON line each.

Also, in the process that runs the tests (an xdist worker or the only one), the seconds of every fixture set-up during
a scenario's steps, by step line and by kind (the browser's, or anything else), and, with HERSTELPAD_BENCH_ROUNDS=N,
every test N times, round by round (as pytest-repeat would, without the dependency).

With HERSTELPAD_BENCH_TURNS=<folder> and HERSTELPAD_BENCH_PLAYER=<name> as well, the rounds take turns with other
processes (the bare Playwright peer, another policy) so that a change in the machine's load hits all of them alike:
before round r the run waits for the file `<name>.go.<r>` in the folder, and it writes `<name>.done.<r>` when round r
is over (at the start of round r+1, or when the session ends). `herstelpad bench --peer` hands out the turns.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from herstelpad.waiting import poll_until

PHASES_ENV = "HERSTELPAD_BENCH_PHASES"  # the file every process appends its lines to
ROUNDS_ENV = "HERSTELPAD_BENCH_ROUNDS"  # run every test this many times, round by round
ROUND = "bench_round"
ROUND_ID = "round{}"  # the id of a round in the test's node id
TURNS_ENV = "HERSTELPAD_BENCH_TURNS"  # the folder of the turn files (see above)
PLAYER_ENV = "HERSTELPAD_BENCH_PLAYER"  # this run's name in the turn files
TURN_TIMEOUT = 1800.0  # seconds a round waits for its turn (the others' rounds before it)
# Fixtures that make the browser, its context and page: the scenario's browser set-up (pytest-playwright's and ours)
BROWSER_MODULES = ("pytest_playwright.", "herstelpad.browser")
BROWSER_FIXTURES = frozenset({"browser", "context", "page", "new_context", "prepared_page", "open_page"})


def _append(path: Path, line: dict[str, Any]) -> None:
    """One JSON line, appended in one write (O_APPEND: safe across processes)."""
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


class _PhaseWriter:
    """Appends {nodeid, when, seconds} for every phase report the (controlling) pytest process receives."""

    def __init__(self, path: Path) -> None:
        """Write to `path`."""
        self.path = path

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """One line per setup, call or teardown of a test."""
        _append(self.path, {"nodeid": report.nodeid, "when": report.when, "seconds": report.duration})


def is_browser_fixture(fixturedef: pytest.FixtureDef[Any]) -> bool:
    """Whether a fixture makes the browser, its context or its page."""
    module = getattr(fixturedef.func, "__module__", "") or ""
    return fixturedef.argname in BROWSER_FIXTURES or module.startswith(BROWSER_MODULES)


class _FixtureTimer:
    """Times every fixture set-up inside a test's call, by the step it happened in (its line) and kind."""

    def __init__(self, path: Path) -> None:
        """Write to `path`."""
        self.path = path
        self.step: int | None = None
        self.in_call = False
        self.seconds: dict[str, dict[str, float]] = {}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, Any, Any]:
        """Counts only the call's fixtures; writes them when the call ends."""
        self.in_call, self.seconds, self.step = True, {}, None
        try:
            return (yield)
        finally:
            self.in_call = False
            _append(self.path, {"nodeid": item.nodeid, "when": "fixtures", "by_step": self.seconds})

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest) -> Generator[None, Any, Any]:
        """The fixture's own set-up time (pytest made its dependencies before this hook)."""
        started = time.perf_counter()
        try:
            return (yield)
        finally:
            if self.in_call:
                kind = "browser" if is_browser_fixture(fixturedef) else "other"
                bucket = self.seconds.setdefault(str(self.step), {"browser": 0.0, "other": 0.0})
                bucket[kind] += time.perf_counter() - started

    @pytest.hookimpl(optionalhook=True, tryfirst=True)
    def pytest_bdd_before_step(self, step: Any) -> None:
        """The step whose fixtures follow."""
        self.step = int(step.line_number)

    @pytest.hookimpl(optionalhook=True, trylast=True)
    def pytest_bdd_after_step(self) -> None:
        """Between steps: fixtures made by the harness's hooks."""
        self.step = None


def _rounds() -> int:
    """The number of rounds asked for (1 when not set or not a number)."""
    try:
        return max(1, int(os.environ.get(ROUNDS_ENV, "1")))
    except ValueError:
        return 1


@pytest.fixture
def bench_round(request: pytest.FixtureRequest) -> int:
    """The round of this run of the test (1…N)."""
    return int(request.param)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test N times with HERSTELPAD_BENCH_ROUNDS=N."""
    rounds = _rounds()
    if rounds > 1:
        metafunc.fixturenames.append(ROUND)
        metafunc.parametrize(ROUND, range(1, rounds + 1), indirect=True, ids=ROUND_ID.format)


def round_of(item: pytest.Item) -> int:
    """The round a test item belongs to (0 without rounds)."""
    callspec = getattr(item, "callspec", None)
    return int(callspec.params.get(ROUND, 0)) if callspec is not None else 0


def go_file(turns: Path, player: str, number: int) -> Path:
    """The file that gives `player` its turn for round `number`."""
    return turns / f"{player}.go.{number}"


def done_file(turns: Path, player: str, number: int) -> Path:
    """The file `player` writes when its round `number` is over."""
    return turns / f"{player}.done.{number}"


class _Turns:
    """Waits for this run's turn before each round and says when a round is over (outside every test's timing)."""

    def __init__(self, turns: Path, player: str) -> None:
        """Take turns in the folder `turns` as `player`."""
        self.turns, self.player, self.round = turns, player, 0

    def finish_round(self) -> None:
        """The current round is over."""
        if self.round:
            done_file(self.turns, self.player, self.round).touch()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> None:
        """At the first test of a round: the round before is over; wait for this round's turn."""
        number = round_of(item)
        if number == self.round:
            return
        self.finish_round()
        self.round = number
        go = go_file(self.turns, self.player, number)
        poll_until(lambda: go.exists() or None, timeout=TURN_TIMEOUT, interval=0.02,
                   what=f"the turn of {self.player} for round {number} ({go})")

    def pytest_sessionfinish(self) -> None:
        """The last round is over."""
        self.finish_round()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Round by round: every test of round 1, then of round 2, … (so the tests of a round see the same load)."""
    if _rounds() > 1:
        items.sort(key=round_of)


def pytest_configure(config: pytest.Config) -> None:
    """Registers the phase writer in the controller only (xdist workers' reports reach the controller too), the fixture
    timer where the tests run."""
    turns, player = os.environ.get(TURNS_ENV), os.environ.get(PLAYER_ENV)
    if turns and player and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Turns(Path(turns), player), "herstelpad-bench-turns")
    path = os.environ.get(PHASES_ENV)
    if not path:
        return
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(_PhaseWriter(Path(path)), "herstelpad-bench-phases")
    config.pluginmanager.register(_FixtureTimer(Path(path)), "herstelpad-bench-fixtures")


def read_phases(path: Path) -> dict[str, dict[str, Any]]:
    """The seconds per test and phase written by the plugin.

    {nodeid: {"setup": s, "call": s, "teardown": s, "fixtures": {step line or "None": {"browser": s, "other": s}}}}
    """
    phases: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return phases
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        value = entry["by_step"] if entry["when"] == "fixtures" else entry["seconds"]
        phases.setdefault(entry["nodeid"], {})[entry["when"]] = value
    return phases
