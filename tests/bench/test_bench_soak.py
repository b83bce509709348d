"""`herstelpad bench --quick` and `herstelpad soak` run for real and write their figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the repository
from herstelpad.bench import scenario_phases
from herstelpad.soak import histories

HERSTELPAD = Path(sys.executable).with_name("herstelpad")


def herstelpad(args: list[str], reports: Path) -> subprocess.CompletedProcess[str]:
    """Runs the herstelpad command with its reports in a temporary folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HERSTELPAD_", "PYTEST_XDIST"))}
    env["HERSTELPAD_REPORTS"] = str(reports)
    return subprocess.run([str(HERSTELPAD), *args], cwd=PROJECT_ROOT, env=env, capture_output=True,  # noqa: S603
                          text=True, timeout=300, check=False)


def test_bench_quick_writes_its_figures(tmp_path: Path) -> None:
    """The quick bench measures cold start and both e-mail waits against a real Mailpit."""
    done = herstelpad(["bench", "--quick", "--messages", "3", "--pack", "portaal"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads((tmp_path / "bench.json").read_text())
    assert set(figures["email_wait_seconds"]) == {"websocket", "polling_100ms"}
    assert all(mode["n"] == 3 for mode in figures["email_wait_seconds"].values())
    assert figures["cold_start_seconds"]["portaal"]["n"] == 3
    assert "e-mail wait, websocket" in done.stdout


def test_bench_times_a_suite_per_pack_with_cpu_and_phases(tmp_path: Path) -> None:
    """The SSO scenarios on 1 and 2 workers: wall and CPU seconds (Chromium's included), the ratio, the phases."""
    done = herstelpad(["bench", "--messages", "1", "--starts", "1", "--tags", "sso", "--pack", "portaal"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads((tmp_path / "bench.json").read_text())
    suite = figures["suites"]["portaal"]
    assert suite["paths"] == ["steps/portaal"]
    for run in suite["runs"].values():
        assert (run["ran"], run["failed"], run["exit_code"]) == (2, 0, 0)
        assert run["cpu_seconds_per_scenario"] > 0.5  # a browser, a portal and pytest: not pytest alone
    assert suite["speedup_2_workers"] > 0 and suite["cpu_ratio_2_workers"] > 0
    phases = {"set-up", "provisioning", "steps", "screenshots", "recording", "teardown"}
    per_scenario = suite["phase_seconds_per_scenario"]
    assert set(per_scenario) == phases
    assert per_scenario["screenshots"] > 0 and per_scenario["set-up"] > 0 and per_scenario["provisioning"] > 0
    assert "CPU seconds (user+sys, all processes), 1 worker(s)" in done.stdout
    assert "per scenario, screenshots" in done.stdout


def test_bench_runs_the_bare_playwright_peer_beside_its_scenario(tmp_path: Path) -> None:
    """One flow of the bare Playwright peer beside its herstelpad scenario, one counted round: medians, ratio, phases."""
    done = herstelpad(["bench", "--quick", "--messages", "1", "--starts", "1", "--pack", "portaal",
                       "--peer", "scripts/bare_playwright.py", "--rounds", "1", "--peer-flow", "wrong password"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads((tmp_path / "bench.json").read_text())
    phases = {"set-up", "provisioning", "steps", "screenshots", "recording", "teardown"}
    peer = figures["peer"]
    assert peer["scenarios"] == {"wrong password": "steps/portaal/test_scenarios.py::test_een_onjuist_wachtwoord_logt_je_niet_in"}
    pairs = peer["variants"]["every step"]
    assert (pairs["exit_code"], pairs["failed"]) == (0, [])
    pair = pairs["flows"]["wrong password"]
    assert pair["n"] == [1, 1]  # the warm-up and the last round left out on both sides
    for side in ("bare", "herstelpad"):
        assert set(pair[side]) == {"seconds", *phases}
        assert pair[side]["set-up"] > 0 and pair[side]["provisioning"] > 0 and pair[side]["steps"] > 0
        assert sum(pair[side][phase] for phase in phases) <= pair[side]["seconds"] * 1.01
    assert pair["bare"]["screenshots"] == 0 and pair["herstelpad"]["screenshots"] > 0
    assert pair["ratio"] == pair["herstelpad"]["seconds"] / pair["bare"]["seconds"]
    assert "peer (every step): wrong password, bare / herstelpad median" in done.stdout



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
from herstelpad.bench import adopt_orphans, child_cpu_seconds, reap_orphans
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


def junit(path: Path, failed: bool) -> Path:
    """A JUnit file with one scenario that passed or failed."""
    problem = '<failure message="Gewacht op een e-mail: niet gekomen"/>' if failed else ""
    path.write_text(f'<testsuites><testsuite><testcase classname="steps.test_scenarios" name="test_a" time="1.5">'
                    f"{problem}</testcase></testsuite></testsuites>")
    return path


def test_flaky_means_failed_in_some_runs_and_passed_in_others(tmp_path: Path) -> None:
    """Outcomes are gathered per scenario over the runs, with the failure messages."""
    found = histories([junit(tmp_path / "run-1.xml", False), junit(tmp_path / "run-2.xml", True)])
    history = found["steps.test_scenarios::test_a"]
    assert (history.passed(), history.failed()) == (1, 1)
    assert history.messages == ["run-2: Gewacht op een e-mail: niet gekomen"]
