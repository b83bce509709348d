"""The lean install: the wheel holds the plugin and its library only, and a run finds its tools but never installs them."""

from __future__ import annotations

import shutil
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from plain_install_support import PlainInstall, clean_env, run

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("fastapi", "uvicorn", "starlette", "argon2", "segno", "keycloak", "multipart")  # the portal's and a pack's


def test_the_wheel_holds_only_herstelpad_and_installs_without_the_portal_libraries(
    plain_install: PlainInstall, tmp_path: Path
) -> None:
    env = clean_env()
    wheel_path = plain_install.wheel
    with zipfile.ZipFile(wheel_path) as wheel:
        names = wheel.namelist()
        metadata = Parser().parsestr(wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode())
    tops = {name.split("/")[0] for name in names}
    assert tops == {"herstelpad", wheel_path.name.split("-py")[0] + ".dist-info"}, sorted(tops)
    assert {"herstelpad/py.typed", "herstelpad/plugin.py", "herstelpad/locate.py",
            "herstelpad/tooling/install.py", "herstelpad/report/templates/index.html.j2", "herstelpad/report/report.css"} <= set(names)
    always = [req for req in metadata.get_all("Requires-Dist") or [] if "extra ==" not in req]
    assert not [req for req in always if req.lower().startswith(("fastapi", "uvicorn", "argon2", "segno", "python-keycloak",
                                                                  "python-multipart"))], always
    assert "keycloak" in (metadata.get_all("Provides-Extra") or [])

    env_dir = plain_install.python.parents[1]
    python = str(plain_install.python)
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
