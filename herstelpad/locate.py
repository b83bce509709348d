"""Finds the programs a run uses (Chromium, Mailpit) and says how to install what is missing; it never installs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
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


# --- Mailpit ---------------------------------------------------------------------------


def find_mailpit() -> Found | None:
    """Finds the Mailpit binary: MAILPIT_BIN, PATH, then the tools folders (tools_dirs)."""
    configured = os.environ.get("MAILPIT_BIN")
    if configured:
        if Path(configured).exists():
            return Found(configured, "MAILPIT_BIN")
        raise SetupError(f"MAILPIT_BIN={configured} does not exist. Fix or unset it.")
    on_path = shutil.which("mailpit")
    if on_path:
        return Found(on_path, "PATH")
    for tools in tools_dirs():
        local = tools / "bin" / "mailpit"
        if local.exists():
            return Found(str(local), str(tools / "bin"))
    return None


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
