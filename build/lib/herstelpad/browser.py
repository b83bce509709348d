"""Browser fixtures: which Chromium to launch or connect to, and the context's locale."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserType
from playwright.sync_api import Error as PlaywrightError

from herstelpad.install import CHROMIUM_ARGS, SetupError, browser_install_hint, find_browser
from herstelpad.settings import Settings


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """pytest-playwright's launch options plus the Chromium to use and its quiet flags."""
    args = dict(browser_type_launch_args)
    args["args"] = [*args.get("args", []), *CHROMIUM_ARGS]
    if settings.cdp_url or settings.ws_endpoint:
        return args
    if settings.browser_path:  # the option as well as the environment variable
        args["executable_path"] = settings.browser_path
        return args
    try:
        found = find_browser()
    except SetupError as exc:
        pytest.exit(f"herstelpad: {exc}", returncode=4)
    if found is None:
        pytest.exit(f"herstelpad: {browser_install_hint()}", returncode=4)
    if found.how != "Playwright's Chromium":
        args["executable_path"] = found.path
    return args


@pytest.fixture(scope="session")
def connect_options(settings: Settings) -> dict[str, Any] | None:
    """Connects to a Playwright browser server when --herstelpad-ws-endpoint is given."""
    if not settings.ws_endpoint:
        return None
    return {_endpoint_keyword(): settings.ws_endpoint, "timeout": settings.timeout * 1000}


def _endpoint_keyword() -> str:
    """The name of BrowserType.connect's endpoint argument: `ws_endpoint` in older Playwright, `endpoint` now."""
    return next(name for name in inspect.signature(BrowserType.connect).parameters if name != "self")


@pytest.fixture(scope="session")
def launch_browser(
    launch_browser: Callable[..., Browser],
    browser_type: BrowserType,
    browser_type_launch_args: dict[str, Any],
    settings: Settings,
) -> Callable[..., Browser]:
    """Launches Chromium (or connects over CDP with --herstelpad-cdp-url); a failure ends the run plainly."""

    def launch(**kwargs: Any) -> Browser:
        where = settings.cdp_url or settings.ws_endpoint
        try:
            if settings.cdp_url:
                return browser_type.connect_over_cdp(settings.cdp_url, timeout=settings.timeout * 1000)
            return launch_browser(**kwargs)
        except PlaywrightError as exc:
            executable = browser_type_launch_args.get("executable_path")
            pytest.exit(f"herstelpad: {launch_failure(exc, where, executable)}", returncode=4)

    return launch


def launch_failure(exc: PlaywrightError, where: str | None, executable: str | None) -> str:
    """Says in one sentence why no browser is there and what to do about it."""
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
    if where:
        return f"no browser answers at {where}: {first_line}. Start it, or check the URL."
    if executable:
        return (
            f"the browser {executable} did not start ({first_line}). Point HERSTELPAD_BROWSER_PATH "
            "(--herstelpad-browser-path) at a Chromium executable, or unset it to use the one herstelpad finds."
        )
    return f"Chromium did not start: {first_line}. {browser_install_hint()}"


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any], request: pytest.FixtureRequest) -> dict[str, Any]:
    """A Dutch browser in Amsterdam, at the scenario's target URL when it has one (a private target has its own)."""
    args = {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}
    if request.getfixturevalue("target_pack") is not None:
        args["base_url"] = request.getfixturevalue("target").url
    return args
