"""A new user's first afternoon, in a fresh virtualenv with herstelpad's wheel installed by pip (shared with the lean-install test):
the docs/ example pack runs as it is copied, and `herstelpad init` writes a pack whose first scenario passes
against a small login page (a real HTTP server this test starts: a login form, a code form)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from plain_install_support import PlainInstall, clean_env, run

from herstelpad.locate import find_mailpit
from herstelpad.services import free_port
from herstelpad.waiting import poll_until

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "example-pack"
LOGIN_PAGE = EXAMPLE / "fixtures" / "voorbeeld" / "loginpagina.py"


@pytest.fixture(scope="module")
def installed(plain_install: PlainInstall) -> tuple[Path, dict[str, str]]:
    """The fresh virtualenv with herstelpad installed by pip (tests/plugin/conftest.py), and the environment to run it in."""
    env = clean_env()
    mailpit = find_mailpit()
    assert mailpit is not None, "Mailpit is not installed here: run `make setup`"
    env["MAILPIT_BIN"] = mailpit.path  # the installed herstelpad finds only what it is told of or what is on PATH
    return plain_install.python, env


@pytest.fixture
def login_page(tmp_path: Path) -> Iterator[str]:
    """The small login page, served on a free port until the test ends; its URL."""
    port = free_port()
    with (tmp_path / "loginpagina.log").open("w") as log:
        server = subprocess.Popen([sys.executable, str(LOGIN_PAGE), "--port", str(port)], stdout=log, stderr=log)  # noqa: S603
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        """Whether the page answers (or the server stopped: then the wait ends with its log)."""
        try:
            return httpx.get(f"{url}/health", timeout=1.0).status_code == 200 or server.poll() is not None
        except httpx.TransportError:
            return server.poll() is not None

    poll_until(up, timeout=15.0, what=f"the login page at {url}",
               describe=lambda: (tmp_path / "loginpagina.log").read_text()[-500:])
    assert server.poll() is None, (tmp_path / "loginpagina.log").read_text()[-500:]
    yield url
    server.terminate()
    server.wait(10)


def scenario_results(project: Path) -> list[dict[str, str]]:
    """The scenarios of the project's last run, from its report's results."""
    return list(json.loads((project / "reports" / "results.json").read_text(encoding="utf-8"))["scenarios"])


def test_the_example_pack_runs_from_a_pip_install_in_an_empty_folder(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    python, env = installed
    project = tmp_path / "mijn-project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__", "reports"))
    outcome = run([str(python), "-m", "pytest", "-p", "no:cacheprovider"], project, env, 600)

    assert outcome.returncode == 0, outcome.stdout[-3000:] + outcome.stderr[-2000:]
    assert "2 passed" in outcome.stdout
    assert "herstelpad" in run([str(python), "-m", "pip", "show", "herstelpad"], project, env, 60).stdout
    assert not (project / "herstelpad").exists() and sys.prefix != str(python.parents[1])  # the installed copy ran
    results = scenario_results(project)
    assert {s["target"] for s in results} == {"voorbeeld"}
    assert {s["status"] for s in results} == {"passed"}
    assert (project / "reports" / "index.html").is_file()


def test_herstelpad_init_writes_a_pack_whose_first_scenario_passes(
    installed: tuple[Path, dict[str, str]], tmp_path: Path, login_page: str
) -> None:
    python, env = installed
    herstelpad = str(python.parent / "herstelpad")
    project = tmp_path / "leeg"
    project.mkdir()

    made = run([herstelpad, "init", "mijn_app", "--url", f"{login_page}/inloggen"], project, env, 60)
    assert made.returncode == 0, made.stdout + made.stderr
    for folder in ("features/mijn_app", "steps/mijn_app", "fixtures/mijn_app"):
        assert (project / folder).is_dir(), made.stdout
    again = run([herstelpad, "init", "mijn_app", "--url", login_page], project, env, 60)
    assert again.returncode == 2 and "exists already" in again.stderr

    ran = run([herstelpad, "run", "--pack", "mijn_app", "--no-tracing"], project, env, 600)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-2000:]
    assert [(s["target"], s["status"]) for s in scenario_results(project)] == [("mijn_app", "passed")]

    by_option = run([str(python), "-m", "pytest", "-p", "no:cacheprovider", "-q", "--herstelpad-pack", "mijn_app"],
                    project, env, 600)
    assert by_option.returncode == 0 and "1 passed" in by_option.stdout, by_option.stdout[-3000:]
    wrong = run([str(python), "-m", "pytest", "-q", "--herstelpad-pack", "mijn_ap"], project, env, 120)
    assert wrong.returncode == 4 and "no pack named 'mijn_ap'; packs here: mijn_app" in wrong.stderr, wrong.stderr
