"""`herstelpad bench --quick` and `herstelpad soak` run for real and write their figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the repository
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
    done = herstelpad(["bench", "--quick", "--messages", "3", "--pack", "fixtures.portaal.pack"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads((tmp_path / "bench.json").read_text())
    assert set(figures["email_wait_seconds"]) == {"websocket", "polling_100ms"}
    assert all(mode["n"] == 3 for mode in figures["email_wait_seconds"].values())
    assert figures["cold_start_seconds"]["referentieportaal"]["n"] == 3
    assert "e-mail wait, websocket" in done.stdout


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
