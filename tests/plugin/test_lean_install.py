"""The lean install: the wheel holds the plugin and its library only, and a run finds its tools but never installs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("fastapi", "uvicorn", "starlette", "argon2", "segno", "keycloak", "multipart")  # the portal's and a pack's


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Runs a command and returns its outcome, output included."""
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def clean_env() -> dict[str, str]:
    """This environment without pytest's, herstelpad's and the virtualenv's variables."""
    return {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "HERSTELPAD_", "VIRTUAL_ENV"))}


def test_the_wheel_holds_only_herstelpad_and_installs_without_the_portal_libraries(tmp_path: Path) -> None:
    env = clean_env()
    built = run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check",
                 "-w", str(tmp_path / "dist"), str(REPO)], tmp_path, env, 600)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheels = list((tmp_path / "dist").glob("herstelpad-*.whl"))
    assert len(wheels) == 1, wheels
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        metadata = Parser().parsestr(wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode())
    tops = {name.split("/")[0] for name in names}
    assert tops == {"herstelpad", wheels[0].name.split("-py")[0] + ".dist-info"}, sorted(tops)
    assert {"herstelpad/py.typed", "herstelpad/plugin.py", "herstelpad/locate.py",
            "herstelpad/tooling/install.py", "herstelpad/report/templates/index.html.j2", "herstelpad/report/report.css"} <= set(names)
    always = [req for req in metadata.get_all("Requires-Dist") or [] if "extra ==" not in req]
    assert not [req for req in always if req.lower().startswith(("fastapi", "uvicorn", "argon2", "segno", "python-keycloak",
                                                                  "python-multipart"))], always
    assert "keycloak" in (metadata.get_all("Provides-Extra") or [])

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = str(env_dir / "bin" / "python")
    installed = run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheels[0])], tmp_path, env, 900)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    empty = tmp_path / "leeg"
    empty.mkdir()
    probe = (
        "import importlib.util, herstelpad.plugin, herstelpad.fixtures, herstelpad.browser\n"
        f"print(herstelpad.plugin.__file__); print([m for m in {HEAVY!r} if importlib.util.find_spec(m)])\n"
    )
    loaded = run([python, "-c", probe], empty, env, 120)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    where, heavy = loaded.stdout.splitlines()
    assert where.startswith(str(env_dir)) and heavy == "[]", loaded.stdout  # the wheel's copy, none of the portal's
    options = run([python, "-m", "pytest", "--help"], empty, env, 120)
    assert "--herstelpad-target-url" in options.stdout, options.stdout[-2000:] + options.stderr[-2000:]


NO_MAILPIT = """
from pathlib import Path
import herstelpad
from herstelpad.services import ServiceError, start_mailpit
print(herstelpad.__file__)
try:
    endpoints = start_mailpit(Path("logs"))
except ServiceError as exc:
    print(exc)
else:
    endpoints.process.stop()
    print("started")
"""


def test_a_run_without_mailpit_says_how_to_install_it_and_installs_nothing(tmp_path: Path) -> None:
    """No Mailpit anywhere herstelpad looks: starting one fails with the command to run; nothing is built or fetched."""
    tools, home = tmp_path / "tools", tmp_path / "home"
    tools.mkdir()
    home.mkdir()
    go = tmp_path / "bin" / "go"  # a Go that would record being asked to build Mailpit
    go.parent.mkdir()
    go.write_text(f"#!/bin/sh\necho \"$@\" > {tmp_path / 'go-called'}\nexit 1\n")
    go.chmod(0o755)
    source = tmp_path / "src"  # herstelpad outside its checkout: the checkout's own .tools is not looked in
    shutil.copytree(REPO / "herstelpad", source / "herstelpad", ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(clean_env(), HERSTELPAD_TOOLS=str(tools), HOME=str(home), PATH=f"{go.parent}:/usr/bin:/bin",
               PYTHONPATH=str(source))
    env.pop("MAILPIT_BIN", None)
    done = run([sys.executable, "-c", NO_MAILPIT], tmp_path, env, 120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(str(source)), done.stdout
    assert "Mailpit v1.33.1 is not installed" in done.stdout and "herstelpad install" in done.stdout, done.stdout
    assert "make setup" in done.stdout and "HERSTELPAD_MAILPIT_URL" in done.stdout, done.stdout
    assert not (tmp_path / "go-called").exists() and list(tools.iterdir()) == [], done.stdout
