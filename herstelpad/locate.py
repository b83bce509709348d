"""Finds the programs a run uses (Chromium, Mailpit, chromedriver, Java) and says how to install what is missing; it never installs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

MAILPIT_VERSION = "v1.33.1"
MAILPIT_MODULE = "github.com/axllent/mailpit"
TOOLS_ENV = "HERSTELPAD_TOOLS"  # where herstelpad installs the tools it builds or downloads
SOURCE_CHECKOUT = Path(__file__).resolve().parent.parent  # herstelpad's own repository when installed editable
SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "`herstelpad install` (in herstelpad's repository: `make setup`)"
CHROMIUM_ARGS = [  # every Chromium herstelpad starts: launched, behind a browser server, or for the CDP test
    "--no-sandbox",  # root in containers and CI
    "--disable-background-networking",  # the four: no calls into a closed network
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


class SetupError(RuntimeError):
    """A missing or misconfigured program; the message says how to install or fix it."""


@dataclass(frozen=True)
class Found:
    """Where a tool was found and how."""

    path: str
    how: str


def tools_dirs() -> list[Path]:
    """Where installed tools are looked for, in order: HERSTELPAD_TOOLS, ./.tools, herstelpad's checkout, the user cache."""
    dirs = [Path(os.environ[TOOLS_ENV])] if os.environ.get(TOOLS_ENV) else []
    dirs.append(Path.cwd() / ".tools")
    if (SOURCE_CHECKOUT / "pyproject.toml").exists():
        dirs.append(SOURCE_CHECKOUT / ".tools")
    dirs.append(Path.home() / ".cache" / "herstelpad" / "tools")
    return list(dict.fromkeys(dirs))


def install_dir() -> Path:
    """Where tools get installed: HERSTELPAD_TOOLS, else a project's .tools (this folder's or the checkout's), else the user cache."""
    if os.environ.get(TOOLS_ENV):
        return Path(os.environ[TOOLS_ENV])
    for project in (Path.cwd(), SOURCE_CHECKOUT):
        if (project / "pyproject.toml").exists():
            return project / ".tools"
    return Path.home() / ".cache" / "herstelpad" / "tools"


# --- browser -------------------------------------------------------------------------


def playwright_chromium() -> str | None:
    """Returns Playwright's own Chromium build when it is installed (starts a Playwright driver to ask)."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # noqa: BLE001 - any failure means: not usable
        return None
    return existing(path)


def existing(path: str | None) -> str | None:
    """The path when a file is there, else None."""
    return path if path and Path(path).exists() else None


def find_browser(own: Callable[[], str | None] = playwright_chromium) -> Found | None:
    """Finds a Chromium: HERSTELPAD_BROWSER_PATH, Playwright's own (`own` tells where), then the system's.

    A caller with a running Playwright passes `own` reading its executable_path, which saves starting a second
    Playwright driver (about a second of CPU per test process).
    """
    configured = os.environ.get("HERSTELPAD_BROWSER_PATH")
    if configured:
        if Path(configured).exists():
            return Found(configured, "HERSTELPAD_BROWSER_PATH")
        raise SetupError(
            f"HERSTELPAD_BROWSER_PATH={configured} does not exist. "
            "Point it at a Chromium executable or unset it."
        )
    own_path = own()
    if own_path:
        return Found(own_path, "Playwright's Chromium")
    for name in SYSTEM_BROWSERS:
        path = shutil.which(name)
        if path:
            return Found(path, "system Chromium")
    return None


def browser_install_hint() -> str:
    """Says how a person installs a browser for herstelpad."""
    return (
        f"No Chromium found. {INSTALL_HINT} installs one, or install it yourself with "
        "`python -m playwright install chromium` (needs internet) or Debian/Ubuntu's package "
        "`sudo apt-get install chromium`, or set HERSTELPAD_BROWSER_PATH to a Chromium executable."
    )


# --- any program ----------------------------------------------------------------------


def find_binary(
    env_var: str,
    name: str,
    places: Iterable[tuple[Path | str, str]] = (),
    usable: Callable[[str], str | None] | None = None,
    from_env: Callable[[str], Path] = Path,
) -> Found | None:
    """Finds a program: the one the environment variable names, then `name` on PATH, then `places` (path, how) in order.

    `usable(path)` returns None for a program that will do, or why it will not (a too old version): such a program
    is passed over. A program the variable names must be there and usable, or a SetupError says to fix or unset it.
    `from_env` turns the variable's value into the program's path (JAVA_HOME names a folder).
    """
    configured = os.environ.get(env_var)
    if configured:
        path = str(from_env(configured))
        problem = None if Path(path).exists() else f"{path} does not exist"
        if problem is None and usable is not None:
            problem = usable(path)
        if problem is None:
            return Found(path, env_var)
        raise SetupError(f"{env_var}={configured}: {problem}. Fix or unset it.")
    candidates: list[tuple[str | None, str]] = [(shutil.which(name), "PATH"), *((str(place), how) for place, how in places)]
    for candidate, how in candidates:
        if candidate and Path(candidate).exists() and (usable is None or usable(candidate) is None):
            return Found(candidate, how)
    return None


def java_version(java: str) -> int | None:
    """The major version of a java executable, or None when it does not run."""
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def find_java(minimum: int) -> Found | None:
    """A Java of at least this major version: JAVA_HOME's (which must be one), then the one on PATH."""

    versions: dict[str, int | None] = {}  # each java asked once (`java -version` starts a JVM)

    def usable(java: str) -> str | None:
        version = versions.setdefault(java, java_version(java))
        if version is None:
            return "it does not run"
        return None if version >= minimum else f"it is Java {version}, {minimum} or newer is needed"

    found = find_binary("JAVA_HOME", "java", usable=usable, from_env=lambda home: Path(home) / "bin" / "java")
    return Found(found.path, f"{found.how}, Java {versions[found.path]}") if found else None


def java_install_hint(needed_by: str, minimum: int) -> str:
    """Says how a person installs a Java for Keycloak or the grid."""
    return (f"{needed_by} needs Java {minimum} or newer and none was found. Install one (Debian/Ubuntu: "
            "`sudo apt-get install openjdk-17-jre-headless`) or set JAVA_HOME.")


# --- Mailpit ---------------------------------------------------------------------------


def find_mailpit() -> Found | None:
    """Finds the Mailpit binary: MAILPIT_BIN, PATH, then the tools folders (tools_dirs)."""
    return find_binary("MAILPIT_BIN", "mailpit", [(tools / "bin" / "mailpit", str(tools / "bin")) for tools in tools_dirs()])


def mailpit_install_hint() -> str:
    """Says how a person installs the pinned Mailpit, or does without one."""
    return (
        f"Mailpit {MAILPIT_VERSION} is not installed. {INSTALL_HINT} installs it, or run "
        f"`go install {MAILPIT_MODULE}@{MAILPIT_VERSION}`, or download it from Mailpit's releases and set "
        "MAILPIT_BIN, or point HERSTELPAD_MAILPIT_URL at a running Mailpit."
    )


def require_mailpit() -> Found:
    """The Mailpit binary, or a SetupError that says how to install it."""
    found = find_mailpit()
    if found is None:
        raise SetupError(mailpit_install_hint())
    return found
