"""`herstelpad install`: installs what is missing (Chromium, the pinned Mailpit, the npm readers) and says what is used."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable
from pathlib import Path

from herstelpad.locate import (
    MAILPIT_MODULE,
    MAILPIT_VERSION,
    Found,
    SetupError,
    browser_install_hint,
    find_browser,
    find_mailpit,
    install_dir,
    tools_dirs,
)

NODE_PACKAGES = (  # the npm readers of the report's outputs (Allure, Cucumber's HTML formatter)
    "allure@3.18.0",
    "@cucumber/html-formatter@24.2.0",
    "@cucumber/message-streams@5.0.1",
    "@cucumber/messages@34.2.1",
)


def say(message: str) -> None:
    """Prints one progress line of the set-up."""
    print(f"    {message}", flush=True)


def run_command(cmd: list[str], timeout: float, env: dict[str, str] | None = None) -> bool:
    """Runs an install command with its output shown; True when it succeeded."""
    say("$ " + " ".join(cmd))
    try:
        done = subprocess.run(cmd, timeout=timeout, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        say(f"failed: {exc}")
        return False
    return done.returncode == 0


# --- browser -------------------------------------------------------------------------


def ensure_browser() -> Found:
    """Returns a usable Chromium, installing Playwright's or the system's when missing."""
    found = find_browser()
    if found:
        return found
    say("no Chromium yet; trying Playwright's own download")
    if run_command([sys.executable, "-m", "playwright", "install", "chromium"], timeout=600):
        found = find_browser()
        if found:
            return found
    return ensure_with_apt(find_browser, "chromium", "Playwright's download failed", browser_install_hint())


def ensure_with_apt(find: Callable[[], Found | None], package: str, why: str, hint: str) -> Found:
    """What `find` finds, else Debian's `package` installed with apt (as root there) and found again, else SetupError(hint)."""
    found = find()
    if found:
        return found
    if apt_install(package, why):
        found = find()
        if found:
            return found
    raise SetupError(hint)


def apt_install(package: str, why: str) -> bool:
    """Installs a Debian package with apt-get when running as root there; True when it was installed."""
    apt = shutil.which("apt-get")
    if not apt or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    say(f"{why}; installing Debian's {package} package")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return run_command([apt, "update", "-qq"], timeout=600, env=env) and run_command(
        [apt, "install", "-y", "-qq", package], timeout=1200, env=env
    )


# --- Mailpit ---------------------------------------------------------------------------


def _go_install_mailpit() -> bool:
    """Builds the pinned Mailpit from the Go module proxy into .tools/bin."""
    go = shutil.which("go") or ("/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None)
    if not go:
        return False
    tools_bin = install_dir() / "bin"
    tools_bin.mkdir(parents=True, exist_ok=True)
    say(f"building Mailpit {MAILPIT_VERSION} with Go into {tools_bin} (about a minute)")
    env = dict(os.environ, GOBIN=str(tools_bin), CGO_ENABLED=os.environ.get("CGO_ENABLED", "0"))
    return run_command([go, "install", f"{MAILPIT_MODULE}@{MAILPIT_VERSION}"], timeout=1200, env=env)


def _download_mailpit() -> bool:
    """Downloads the official Mailpit release archive into .tools/bin."""
    machine = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(
        platform.machine().lower()
    )
    system = platform.system().lower()
    if not machine or system not in ("linux", "darwin"):
        return False
    url = (
        f"https://github.com/axllent/mailpit/releases/download/{MAILPIT_VERSION}/"
        f"mailpit-{system}-{machine}.tar.gz"
    )
    say(f"downloading {url}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "mailpit.tar.gz"
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - fixed https URL
                archive.write_bytes(response.read())
            with tarfile.open(archive) as tar:
                member = tar.getmember("mailpit")
                tar.extractall(tmp, members=[member], filter="data")
            tools_bin = install_dir() / "bin"
            tools_bin.mkdir(parents=True, exist_ok=True)
            target = tools_bin / "mailpit"
            shutil.move(str(Path(tmp) / "mailpit"), target)
            target.chmod(0o755)
    except Exception as exc:  # noqa: BLE001 - report and fall through
        say(f"download failed: {exc}")
        return False
    return True


def ensure_mailpit() -> Found:
    """Returns the Mailpit binary, building or downloading the pinned version when missing."""
    found = find_mailpit()
    if found:
        return found
    if _go_install_mailpit() or _download_mailpit():
        found = find_mailpit()
        if found:
            return found
    raise SetupError(
        f"Mailpit {MAILPIT_VERSION} is not installed and could not be built or downloaded. "
        f"Install Go and run `go install {MAILPIT_MODULE}@{MAILPIT_VERSION}`, or download it "
        "from Mailpit's releases and set MAILPIT_BIN, or point HERSTELPAD_MAILPIT_URL at a "
        "running Mailpit."
    )


# --- the readers of the report's outputs (npm) ---------------------------------------------


def node_dir() -> Path:
    """Where the npm readers are: the first tools folder that has them, else where they would be installed."""
    for tools in tools_dirs():
        if (tools / "node" / "node_modules").is_dir():
            return tools / "node"
    return install_dir() / "node"


def node_readers_missing() -> str | None:
    """Says what is missing to read reports/allure-results and the Cucumber Messages, or None when all is there."""
    modules = node_dir() / "node_modules"
    missing = [name.rsplit("@", 1)[0] for name in NODE_PACKAGES if not (modules / name.rsplit("@", 1)[0]).is_dir()]
    if shutil.which("node") is None:
        return "Node.js (`node`) is not installed: install Node.js 20 or newer with npm, then run `make setup`."
    if missing:
        return (
            f"{', '.join(missing)} not installed in {node_dir()}: run `make setup` (it runs "
            f"`npm install --prefix {install_dir() / 'node'} {' '.join(NODE_PACKAGES)}`; needs npm and the npm registry)."
        )
    return None


def ensure_node_readers() -> str:
    """Installs the npm readers (Allure 3, Cucumber's HTML formatter) into .tools/node; never fails the set-up."""
    if node_readers_missing() is None:
        return f"{node_dir()} (already installed)"
    npm = shutil.which("npm")
    if npm is None:
        return "not installed: npm is missing (install Node.js with npm to read Allure results and Cucumber Messages)"
    target = install_dir() / "node"
    target.mkdir(parents=True, exist_ok=True)
    ok = run_command([npm, "install", "--prefix", str(target), "--no-audit", "--no-fund", "--loglevel=error", *NODE_PACKAGES],
              timeout=900)
    problem = node_readers_missing()
    if not ok or problem:
        return f"not installed (npm or the npm registry failed); the report is written all the same. {problem or ''}"
    return str(target)


def main() -> int:
    """Installs what is missing and prints what will be used."""
    try:
        browser = ensure_browser()
        print(f"    browser: {browser.path} ({browser.how})")
        running = os.environ.get("HERSTELPAD_MAILPIT_URL")
        if running:
            print(f"    Mailpit: {running} (HERSTELPAD_MAILPIT_URL)")
        if not running or not os.environ.get("HERSTELPAD_TARGET_URL"):
            # a scenario that makes e-mail fail (@vereist-smtp-storing) starts a Mailpit of its own
            mailpit = ensure_mailpit()
            print(f"    Mailpit{' for @vereist-smtp-storing' if running else ''}: {mailpit.path} ({mailpit.how})")
    except SetupError as exc:
        print(f"herstelpad set-up: {exc}", file=sys.stderr)
        return 2
    print(f"    readers of Allure results and Cucumber Messages: {ensure_node_readers()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
