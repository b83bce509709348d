"""A broken set-up ends a run quickly with one plain message, a non-zero exit and no stack trace."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from herstelpad.services import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the repository

HERSTELPAD = Path(sys.executable).with_name("herstelpad")
SCENARIOS = ["-m", "pytest", "steps/portaal", "-m", "inloggen", "-p", "no:cacheprovider", "-q", "-x"]
LIMIT = 60  # a hang guard only; the elapsed time is printed, not asserted


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Runs a command and returns its exit code and its output (stdout and stderr together)."""
    started = time.monotonic()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=LIMIT, check=False)  # noqa: S603
    print(f"{' '.join(cmd[-6:])}: exit {done.returncode} after {time.monotonic() - started:.1f} s")
    return done.returncode, done.stdout + done.stderr


def closed_url() -> str:
    """A loopback URL nothing listens on."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of a run with its reports in a temporary folder and no herstelpad settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HERSTELPAD_", "PYTEST_XDIST"))
           or k == "HERSTELPAD_TOOLS"}  # where the set-up put Chromium and Mailpit: a run never installs them
    return dict(clean, HERSTELPAD_REPORTS=str(tmp_path / "reports"))


CASES = {
    "mailpit-down": (lambda: {"HERSTELPAD_MAILPIT_URL": closed_url()}, [], "Mailpit is not reachable at"),
    "portal-down": (
        lambda: {"HERSTELPAD_TARGET_URL": closed_url(), "HERSTELPAD_TARGET_TOKEN": "t"},
        [],
        "The target portal is not reachable at",
    ),
    "browser-path-missing": (
        lambda: {"HERSTELPAD_BROWSER_PATH": "/nonexistent/chromium"},
        [],
        "/nonexistent/chromium does not exist",
    ),
    "browser-not-a-browser": (
        lambda: {"HERSTELPAD_BROWSER_PATH": "/bin/false"},
        [],
        "the browser /bin/false did not start",
    ),
    "browser-server-down": (
        lambda: {"HERSTELPAD_WS_ENDPOINT": closed_url().replace("http://", "ws://") + "/herstelpad"},
        [],
        "no browser answers at ws://127.0.0.1:",
    ),
    "timeout-not-a-number": (dict, ["--herstelpad-timeout", "abc"], "'abc' is not a number of seconds"),
    "browser-not-chromium": (dict, ["--browser", "firefox"], "herstelpad drives Chromium only"),
    "unmasked-screenshots": (dict, ["--screenshot", "only-on-failure"], "show the typed codes and the QR code"),
}
FIXES = {  # the part of each message that says what to do
    "mailpit-down": "Start it, or leave the setting empty",
    "portal-down": "Start it, or leave the setting empty",
    "browser-path-missing": "--herstelpad-browser-path",
    "browser-not-a-browser": "Point HERSTELPAD_BROWSER_PATH",
    "browser-server-down": "Start it, or check the URL",
    "timeout-not-a-number": "--herstelpad-timeout",
    "browser-not-chromium": "Leave --browser out",
    "unmasked-screenshots": "Leave these options out",
}


@pytest.mark.parametrize("case", list(CASES))
def test_pytest_run_fails_plainly(case: str, env: dict[str, str]) -> None:
    """`python -m pytest steps` with a broken set-up: one message with cause and fix, no traceback."""
    extra_env, args, cause = CASES[case]
    code, output = run([sys.executable, *SCENARIOS, *args], PROJECT_ROOT, dict(env, **extra_env()))
    assert code != 0, output
    assert cause in output and FIXES[case] in output, output
    assert "Traceback" not in output, output


@pytest.mark.parametrize("case", list(CASES))
def test_herstelpad_run_fails_plainly(case: str, env: dict[str, str]) -> None:
    """`herstelpad run` with a broken set-up: the same message, no traceback."""
    extra_env, args, cause = CASES[case]
    cmd = [str(HERSTELPAD), "run", "--pack", "portaal", "--tags", "inloggen", "--", "-x", "-p", "no:cacheprovider", *args]
    code, output = run(cmd, PROJECT_ROOT, dict(env, **extra_env()))
    assert code != 0, output
    assert cause in output and FIXES[case] in output, output
    assert "Traceback" not in output, output


def test_no_browser_anywhere(env: dict[str, str], tmp_path: Path) -> None:
    """No Chromium on PATH and no Playwright build: the message says how to install one."""
    empty = tmp_path / "empty"
    empty.mkdir()
    env = dict(env, PATH=str(empty), PLAYWRIGHT_BROWSERS_PATH=str(empty))
    code, output = run([sys.executable, *SCENARIOS], PROJECT_ROOT, env)
    assert code != 0, output
    assert "No Chromium found" in output and "playwright install chromium" in output, output
    assert "Traceback" not in output, output


@pytest.mark.parametrize(
    ("extra_env", "args", "message"),
    [
        ({"HERSTELPAD_BROWSER_PATH": "/bin/false"}, [], "could not start /bin/false"),
        ({}, ["--port", "99999"], "'99999' is not a port"),
    ],
    ids=["not-a-browser", "bad-port"],
)
def test_browser_server_fails_plainly(env: dict[str, str], extra_env: dict[str, str], args: list[str], message: str) -> None:
    """`herstelpad browser-server` that cannot start: one line naming the cause, no traceback, no hang."""
    code, output = run([str(HERSTELPAD), "browser-server", *args], PROJECT_ROOT, dict(env, **extra_env))
    assert code == 2, output
    assert message in output and "Traceback" not in output, output
    assert len(output.strip().splitlines()) <= 2, output


UNKNOWN_STEP_FEATURE = """# language: nl
Functionaliteit: Een tikfout
  Scenario: Een stap die niemand kent
    Gegeven ik ben een medewerkr met een gekoppelde AFAS Pocket
"""


def test_unknown_step_names_the_step_and_the_closest_one(env: dict[str, str], tmp_path: Path) -> None:
    """A step text without a definition: the file, line and the closest known text, no traceback."""
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "tikfout.feature").write_text(UNKNOWN_STEP_FEATURE, encoding="utf-8")
    pack_conftest = PROJECT_ROOT / "steps" / "portaal" / "conftest.py"  # the reference portal's pack and its steps
    (tmp_path / "conftest.py").write_text(pack_conftest.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "test_tikfout.py").write_text('from pytest_bdd import scenarios\n\nscenarios("features")\n')
    env = dict(env, PYTHONPATH=str(PROJECT_ROOT))
    code, output = run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(tmp_path)], tmp_path, env)
    assert code != 0, output
    assert 'Onbekende stap: Gegeven "ik ben een medewerkr met een gekoppelde AFAS Pocket"' in output, output
    assert "tikfout.feature, regel 4" in output, output
    assert 'Bedoel je: "ik ben een medewerker met een gekoppelde AFAS Pocket"?' in output, output
    assert "Traceback" not in output, output


def test_unknown_step_names_a_module_whose_all_hides_its_steps(env: dict[str, str], tmp_path: Path) -> None:
    """A step module with `__all__` hides pytest-bdd's step fixtures from `import *`: the message names that module."""
    (tmp_path / "verborgen.feature").write_text(
        "# language: nl\nFunctionaliteit: Verborgen\n  Scenario: Een stap achter __all__\n    Gegeven een stap van de pack\n",
        encoding="utf-8",
    )
    (tmp_path / "mijnstappen.py").write_text(
        'from pytest_bdd import given\n\n__all__ = ["hulp"]\n\n\ndef hulp():\n    pass\n\n\n'
        '@given("een stap van de pack")\ndef stap():\n    pass\n',
        encoding="utf-8",
    )
    (tmp_path / "conftest.py").write_text("from mijnstappen import *  # noqa: F403\n", encoding="utf-8")
    (tmp_path / "test_verborgen.py").write_text('from pytest_bdd import scenarios\n\nscenarios("verborgen.feature")\n')
    env = dict(env, PYTHONPATH=str(tmp_path))
    code, output = run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(tmp_path)], tmp_path, env)
    assert code != 0, output
    assert 'Onbekende stap: Gegeven "een stap van de pack"' in output, output
    assert "De module mijnstappen definieert __all__ zonder zijn stapdefinities" in output, output
    assert "Traceback" not in output, output
