"""The bench's runs take turns round by round, so that the machine's load hits the bare script and herstelpad alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from herstelpad.tooling.bench import PeerError, take_turns
from herstelpad.tooling.benchphases import PLAYER_ENV, ROUNDS_ENV, TURNS_ENV

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ROUND_TEST = '''
import os
from pathlib import Path

def test_one(bench_round):
    with Path(os.environ["TURN_LOG"]).open("a") as log:
        log.write(f"{os.environ['HERSTELPAD_BENCH_PLAYER']} {bench_round} one\\n")

def test_two(bench_round):
    with Path(os.environ["TURN_LOG"]).open("a") as log:
        log.write(f"{os.environ['HERSTELPAD_BENCH_PLAYER']} {bench_round} two\\n")
'''


def player(tmp_path: Path, name: str, rounds: int, turns: Path, test: str = ROUND_TEST) -> subprocess.Popen[Any]:
    """A pytest run of two tests, `rounds` rounds, taking turns as `name`."""
    folder = tmp_path / name
    folder.mkdir()
    (folder / "test_rounds.py").write_text(test)
    env = dict(os.environ, **{ROUNDS_ENV: str(rounds), TURNS_ENV: str(turns), PLAYER_ENV: name,
                              "TURN_LOG": str(tmp_path / "turns.log")})
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",  # noqa: S603
                             "herstelpad.tooling.benchphases", "-p", "no:herstelpad", str(folder)],
                            cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def test_the_rounds_of_two_runs_alternate_and_never_overlap(tmp_path: Path) -> None:
    turns = tmp_path / "turns"
    turns.mkdir()
    players = {name: player(tmp_path, name, 3, turns) for name in ("first", "second")}
    take_turns(turns, players, 3)
    assert [process.wait(timeout=60) for process in players.values()] == [0, 0]
    lines = (tmp_path / "turns.log").read_text().splitlines()
    assert lines == [f"{name} {number} {test}" for number in (1, 2, 3) for name in ("first", "second")
                     for test in ("one", "two")]


def test_a_run_that_ends_early_stops_the_turns_with_its_name(tmp_path: Path) -> None:
    turns = tmp_path / "turns"
    turns.mkdir()
    broken = player(tmp_path, "broken", 3, turns, test="import nowhere_to_be_found\n")
    with pytest.raises(PeerError, match=r"broken ended \(\d+\) before finishing round 1 of 3"):
        take_turns(turns, {"broken": broken}, 3)
