"""Scenarios run in a Chromium that herstelpad does not launch: over CDP, and through a Playwright browser server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from herstelpad.locate import CHROMIUM_ARGS, browser_install_hint, find_browser
from herstelpad.services import free_port, terminate
from herstelpad.tooling.bench import read_cases
from herstelpad.tooling.browser_server import BrowserServer, start_browser_server
from herstelpad.waiting import poll_until

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the repository


def chromium_path() -> str:
    """The Chromium to start as the 'remote' browser; a missing one fails the test, never skips it."""
    found = find_browser()
    if found is None:
        pytest.fail(browser_install_hint(), pytrace=False)
    return found.path


def devtools_version(url: str) -> dict[str, str] | None:
    """Chromium's /json/version once its DevTools endpoint answers, else None."""
    try:
        return httpx.get(f"{url}/json/version", timeout=1.0).json()
    except (httpx.HTTPError, ValueError):
        return None


@pytest.fixture
def cdp_url(tmp_path: Path) -> Iterator[str]:
    """A headless Chromium with a DevTools port, as Browserless or a Selenium Grid node would offer."""
    binary = chromium_path()
    port = free_port()
    cmd = [binary, "--headless", f"--remote-debugging-port={port}", "--remote-debugging-address=127.0.0.1",
           *CHROMIUM_ARGS, f"--user-data-dir={tmp_path / 'profile'}", "about:blank"]
    log = (tmp_path / "chromium.log").open("wb")
    chromium = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    try:
        version = poll_until(lambda: devtools_version(url), timeout=30, interval=0.1,
                             what=f"Chromium's DevTools endpoint at {url}")
        print(f"remote browser: {version.get('Browser')} at {url}")
        yield url
    finally:
        terminate(chromium, grace=10.0)
        log.close()


def run_sso_through(option: str, url: str, tmp_path: Path) -> None:
    """Runs the reference portal's two @sso scenarios (log in, log out, log in with a push approval) with
    `option url` and checks that both passed (the remote browser is the harness's, not a target's: one target
    proves it; more scenarios would prove nothing more about where the browser runs).

    The proof that the run used the remote browser: no browser of its own can start. The
    configured one is /bin/false, and Playwright's own builds are looked for in an empty folder.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HERSTELPAD_", "PYTEST_XDIST"))
           or k == "HERSTELPAD_TOOLS"}  # where the set-up put Chromium and Mailpit: a run never installs them
    env["HERSTELPAD_REPORTS"] = str(tmp_path / "reports")
    env["HERSTELPAD_BROWSER_PATH"] = "/bin/false"
    env["PLAYWRIGHT_BROWSERS_PATH"] = str(tmp_path / "geen-browsers")
    cmd = [sys.executable, "-m", "pytest", "steps/portaal", "-m", "sso", option, url,
           "-p", "no:cacheprovider", "-q"]
    done = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=600, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    cases = read_cases(tmp_path / "reports")
    assert len(cases) == 2 and all(case.outcome == "passed" for case in cases), output


def test_sso_scenarios_pass_in_a_browser_over_cdp(cdp_url: str, tmp_path: Path) -> None:
    """The @sso scenarios pass with --herstelpad-cdp-url; contexts come from browser.new_context."""
    run_sso_through("--herstelpad-cdp-url", cdp_url, tmp_path)


@pytest.fixture
def browser_server() -> Iterator[BrowserServer]:
    """A Playwright browser server (BrowserType.launchServer) on this machine's Chromium."""
    with start_browser_server() as server:
        print(f"browser server: {server.ws_endpoint} ({server.browser.path})")
        yield server


def test_sso_scenarios_pass_through_a_playwright_browser_server(browser_server: BrowserServer, tmp_path: Path) -> None:
    """The @sso scenarios pass with --herstelpad-ws-endpoint (browser_type.connect)."""
    assert browser_server.ws_endpoint.startswith("ws://127.0.0.1:")
    run_sso_through("--herstelpad-ws-endpoint", browser_server.ws_endpoint, tmp_path)
    assert browser_server.process.poll() is None, "the server stopped during the run"
