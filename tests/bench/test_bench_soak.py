"""`herstelpad bench` and `herstelpad soak` run for real and write their figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from herstelpad.report.history import is_flaky
from herstelpad.tooling.bench import Case, scenario_phases
from herstelpad.tooling.soak import histories

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the repository

HERSTELPAD = Path(sys.executable).with_name("herstelpad")


def herstelpad(args: list[str], reports: Path) -> subprocess.CompletedProcess[str]:
    """Runs the herstelpad command with its reports in a temporary folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HERSTELPAD_", "PYTEST_XDIST"))
           or k == "HERSTELPAD_TOOLS"}  # where the set-up put Chromium and Mailpit: a run never installs them
    env["HERSTELPAD_REPORTS"] = str(reports)
    return subprocess.run([str(HERSTELPAD), *args], cwd=PROJECT_ROOT, env=env, capture_output=True,  # noqa: S603
                          text=True, timeout=300, check=False)


# One bench run for the three tests of its figures: the union of what each asks for (two cold starts and two e-mail
# waits per helper, so that a median is of more than one; the SSO suite on 1 and 2 workers; one counted round of the
# peer's 'wrong password' flow).
SHARED_BENCH = ["bench", "--messages", "2", "--starts", "2", "--tags", "sso", "--pack", "portaal",
                "--peer", "scripts/bare_playwright.py", "--rounds", "1", "--peer-flow", "wrong password"]


@dataclass(frozen=True)
class BenchRun:
    """The shared `herstelpad bench` run: its exit code, output and bench.json."""

    returncode: int
    stdout: str
    stderr: str
    figures: dict[str, Any]


@pytest.fixture(scope="session")
def bench_run(once_per_run: Callable[..., dict[str, Any]]) -> BenchRun:
    """`herstelpad bench` with SHARED_BENCH's arguments, run once per test run (shared by the xdist workers)."""

    def run(root: Path) -> dict[str, Any]:
        done = herstelpad(SHARED_BENCH, root / "reports")
        written = root / "reports" / "bench.json"
        figures = json.loads(written.read_text()) if written.exists() else {}
        return {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr, "figures": figures}

    return BenchRun(**once_per_run("bench-run", run))


def test_bench_writes_its_cold_start_and_email_wait_figures(bench_run: BenchRun) -> None:
    """The bench measures cold start and both e-mail waits against a real Mailpit."""
    assert bench_run.returncode == 0, bench_run.stdout + bench_run.stderr
    figures = bench_run.figures
    assert set(figures["email_wait_seconds"]) == {"websocket", "polling_100ms"}
    assert all(mode["n"] == 2 for mode in figures["email_wait_seconds"].values())
    assert figures["cold_start_seconds"]["portaal"]["n"] == 2
    assert "e-mail wait, websocket" in bench_run.stdout


def test_bench_times_a_suite_per_pack_with_cpu_and_phases(bench_run: BenchRun) -> None:
    """The SSO scenarios on 1 and 2 workers: wall and CPU seconds (Chromium's included), the ratio, the phases."""
    assert bench_run.returncode == 0, bench_run.stdout + bench_run.stderr
    suite = bench_run.figures["suites"]["portaal"]
    assert suite["paths"] == ["steps/portaal"]
    for run in suite["runs"].values():
        assert (run["ran"], run["failed"], run["exit_code"]) == (2, 0, 0)
        assert run["cpu_seconds_per_scenario"] > 0.5  # a browser, a portal and pytest: not pytest alone
    assert suite["speedup_2_workers"] > 0 and suite["cpu_ratio_2_workers"] > 0
    phases = {"set-up", "provisioning", "steps", "screenshots", "recording", "teardown"}
    per_scenario = suite["phase_seconds_per_scenario"]
    assert set(per_scenario) == phases
    assert per_scenario["screenshots"] > 0 and per_scenario["set-up"] > 0 and per_scenario["provisioning"] > 0
    assert "CPU seconds (user+sys, all processes), 1 worker(s)" in bench_run.stdout
    assert "per scenario, screenshots" in bench_run.stdout


def test_bench_runs_the_bare_playwright_peer_beside_its_scenario(bench_run: BenchRun) -> None:
    """One flow of the bare Playwright peer beside its herstelpad scenario, one counted round: medians, ratio, phases."""
    assert bench_run.returncode == 0, bench_run.stdout + bench_run.stderr
    phases = {"set-up", "provisioning", "steps", "screenshots", "recording", "teardown"}
    peer = bench_run.figures["peer"]
    assert peer["scenarios"] == {"wrong password": "steps/portaal/test_scenarios.py::test_een_onjuist_wachtwoord_logt_je_niet_in"}
    pairs = peer["variants"]["every step"]
    assert (pairs["exit_code"], pairs["failed"]) == (0, [])
    pair = pairs["flows"]["wrong password"]
    assert pair["n"] == [1, 1]  # the warm-up and the last round left out on both sides
    for side in ("bare", "herstelpad"):
        assert set(pair[side]) == {"seconds", *phases, "pictures"}
        assert pair[side]["set-up"] > 0 and pair[side]["provisioning"] > 0 and pair[side]["steps"] > 0
        assert sum(pair[side][phase] for phase in phases) <= pair[side]["seconds"] * 1.01
    assert pair["bare"]["screenshots"] == 0 and pair["herstelpad"]["screenshots"] > 0
    documented = peer["variants"]["documentation"]["flows"]["wrong password"]["herstelpad"]["pictures"]
    assert pair["bare"]["pictures"] == 0 and pair["herstelpad"]["pictures"] >= 3 > documented  # a picture a step
    assert pair["ratio"] == pair["herstelpad"]["seconds"] / pair["bare"]["seconds"]
    assert "peer (every step): wrong password, bare / herstelpad median" in bench_run.stdout
    fresh = peer["variants"]["documentation, new context"]  # the harness with a new context, as the script makes one
    assert (fresh["exit_code"], fresh["failed"]) == (0, []) and fresh["flows"]["wrong password"]["n"] == [1, 1]
    assert "peer (documentation, new context): wrong password, bare / herstelpad median" in bench_run.stdout


def test_bench_quick_times_the_services_and_the_email_waits_only(tmp_path: Path) -> None:
    """--quick without a pack: Mailpit's cold start and both e-mail waits, no suite and no peer."""
    done = herstelpad(["bench", "--quick", "--messages", "1", "--starts", "1"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads((tmp_path / "bench.json").read_text())
    assert set(figures["cold_start_seconds"]) == {"mailpit"} and figures["cold_start_seconds"]["mailpit"]["n"] == 1
    assert set(figures["email_wait_seconds"]) == {"websocket", "polling_100ms"}
    assert "suites" not in figures and "peer" not in figures
    assert "herstelpad bench (quick: no suite timings)" in done.stdout


def test_scenario_phases_split_browser_set_up_provisioning_and_recording() -> None:
    """Browser fixtures count as set-up in any step, the background's steps as provisioning, the rest of the call as
    recording."""
    scenario = {"line": 10, "steps": [
        {"line": 5, "duration": 0.5, "screenshot_seconds": 0.0},  # Achtergrond: makes the person (and the page)
        {"line": 11, "duration": 1.0, "screenshot_seconds": 0.25},
        {"line": 12, "duration": 0.5, "screenshot_seconds": 0.25},
    ]}
    pytest_phases = {"setup": 0.1, "call": 3.0, "teardown": 0.2,
                     "fixtures": {"5": {"browser": 0.25, "other": 0.1}, "None": {"browser": 0.0, "other": 0.5}}}
    assert scenario_phases(scenario, pytest_phases) == {
        "set-up": 0.35, "provisioning": 0.25, "steps": 1.5, "screenshots": 0.5, "recording": 0.5, "teardown": 0.2}


ORPHAN_CHECK = """
import subprocess, sys
from herstelpad.tooling.bench import adopt_orphans, child_cpu_seconds, reap_orphans
burn = "import time\\nend = time.process_time() + 1.0\\nwhile time.process_time() < end: pass"
parent = f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {burn!r}])"  # never waited for
assert adopt_orphans()
before = child_cpu_seconds()
subprocess.run([sys.executable, "-c", parent], check=True)
print(reap_orphans(timeout=30), child_cpu_seconds() - before)
"""


def test_cpu_of_orphaned_grandchildren_is_counted() -> None:
    """A grandchild left running by its parent (as Chromium's helpers are) is reaped and its CPU counted.

    In a process of its own: the bench's process becomes the reaper of every orphan below it.
    """
    done = subprocess.run([sys.executable, "-c", ORPHAN_CHECK], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    left, cpu = done.stdout.split()
    assert int(left) == 0 and float(cpu) >= 1.0, done.stdout


def test_soak_runs_the_suite_and_keeps_junit(tmp_path: Path) -> None:
    """Two runs of the SSO scenarios: JUnit per run and a summary without flaky scenarios."""
    done = herstelpad(["soak", "--runs", "2", "--tags", "sso"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads((tmp_path / "soak" / "soak-1w.json").read_text())
    assert summary["scenarios"] == 2 and summary["flaky"] == {} and summary["exit_codes"] == [0, 0]
    assert len(list((tmp_path / "soak").glob("run-1w-*.xml"))) == 2


def case(outcome: str) -> Case:
    """One scenario that passed or failed."""
    return Case("steps/test_scenarios.py::test_a", 1.5, outcome, "Gewacht op een e-mail: niet gekomen" if outcome != "passed" else "")


def test_flaky_means_failed_in_some_runs_and_passed_in_others() -> None:
    """Outcomes are gathered per scenario over the runs, with the failure messages; the report's rule decides."""
    found = histories({"run-1": [case("passed")], "run-2": [case("failed")], "run-3": [case("passed")]})
    history = found["steps/test_scenarios.py::test_a"]
    assert (history.passed(), history.failed()) == (2, 1)
    assert history.messages == ["run-2: Gewacht op een e-mail: niet gekomen"]
    assert is_flaky(history.outcomes) and not is_flaky(["passed", "passed"]) and not is_flaky(["failed", "error"])
