"""A plain install of herstelpad (its wheel, in a fresh virtualenv) and how its tests run commands.

Building the wheel and installing it with its dependencies is most of what those tests cost; it is done once per
test run, also across xdist workers (the first one builds it under a file lock, the others wait and reuse it).
The installer is uv (a dev dependency) where it is installed, else pip: both build the wheel from pyproject.toml
and install what its metadata declares, from the package index, into a virtualenv that has nothing else but pip; uv takes
about 4 s for what pip takes 31 s here (pip's venv with ensurepip, an isolated build, an unpacking install).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Runs a command and returns its outcome, output included."""
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603


def clean_env() -> dict[str, str]:
    """This environment without pytest's, herstelpad's and the virtualenv's variables."""
    return {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "HERSTELPAD_", "VIRTUAL_ENV"))}


@dataclass(frozen=True)
class PlainInstall:
    """The wheel built from this checkout and a fresh virtualenv where `pip install <wheel>` put it."""

    wheel: Path
    python: Path


def build_plain_install(root: Path) -> PlainInstall:
    """Builds the wheel and installs it in a new virtualenv under `root`; a failure fails the test with the installer's words."""
    env = clean_env()
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    dist, python = root / "dist", root / "venv" / "bin" / "python"

    def succeed(cmd: list[str]) -> None:
        done = run(cmd, root, env, 900)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    if uv:
        succeed([uv, "build", "-q", "--wheel", "-o", str(dist), str(REPO)])
        succeed([uv, "venv", "-q", "--seed", "-p", sys.executable, str(root / "venv")])
    else:
        succeed([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check", "-w", str(dist), str(REPO)])
        venv.create(root / "venv", with_pip=True)
    wheels = list(dist.glob("herstelpad-*.whl"))
    assert len(wheels) == 1, wheels
    succeed([uv, "pip", "install", "-q", "-p", str(python), str(wheels[0])] if uv else
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-compile", str(wheels[0])])
    return PlainInstall(wheels[0], python)
