"""The docs/ example pack runs in an empty folder with herstelpad installed by pip into a fresh virtualenv."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from herstelpad.locate import find_mailpit

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "example-pack"


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Runs a command and returns its outcome, output included."""
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603


def test_the_example_pack_runs_from_a_pip_install_in_an_empty_folder(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "HERSTELPAD_", "VIRTUAL_ENV"))}
    installed = run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(REPO)], tmp_path, env, 900)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]

    project = tmp_path / "mijn-project"
    shutil.copytree(EXAMPLE, project)
    mailpit = find_mailpit()
    assert mailpit is not None, "Mailpit is not installed here: run `make setup`"
    env["MAILPIT_BIN"] = mailpit.path  # the installed herstelpad would otherwise build its own
    outcome = run([str(python), "-m", "pytest", "-p", "no:cacheprovider"], project, env, 600)

    assert outcome.returncode == 0, outcome.stdout[-3000:] + outcome.stderr[-2000:]
    assert "2 passed" in outcome.stdout
    assert "herstelpad" in run([str(python), "-m", "pip", "show", "herstelpad"], project, env, 60).stdout
    assert not (project / "herstelpad").exists() and sys.prefix != str(env_dir)  # the installed copy ran, not ours
    results = json.loads((project / "reports" / "results.json").read_text(encoding="utf-8"))
    assert {s["target"] for s in results["scenarios"]} == {"voorbeeld"}
    assert {s["status"] for s in results["scenarios"]} == {"passed"}
    assert (project / "reports" / "index.html").is_file()
