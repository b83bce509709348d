"""One run's settings, from command-line options or environment variables, validated."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from herstelpad.http import register_url_password, shown_url

# The screenshot policy (like Serenity's serenity.take.screenshots, Playwright Test's `screenshot`): which pictures a
# run takes, and how the report names it.
EVERY_STEP, DOCUMENTATION, FAILURES = "elke-stap", "documentatie", "fouten"
SCREENSHOT_POLICIES: dict[str, str] = {
    EVERY_STEP: "na elke stap",
    DOCUMENTATION: "alleen wat de handleiding en de weergave van een fout tonen",
    FAILURES: "alleen van een mislukte stap",
}

# The browser context a scenario gets: a kept one cleaned of the scenario before (herstelpad/contexts.py), or a new one.
CLEANED_CONTEXT, FRESH_CONTEXT = "schoongemaakt", "nieuw"
CONTEXT_CHOICES = (CLEANED_CONTEXT, FRESH_CONTEXT)


class SettingsError(ValueError):
    """A setting has a value herstelpad cannot use; the message says which and why."""


@dataclass(frozen=True)
class Setting:
    """One setting: its option, its environment variable and its help."""

    option: str
    env: str
    help: str
    default: str | None = None


SETTINGS: dict[str, Setting] = {
    "target_url": Setting(
        "--herstelpad-target-url", "HERSTELPAD_TARGET_URL",
        "URL of an already running target portal (default: start the reference portal). "
        "--base-url does the same.",
    ),
    "target_token": Setting(
        "--herstelpad-target-token", "HERSTELPAD_TARGET_TOKEN",
        "token of the target's test-data API (needed with --herstelpad-target-url)",
    ),
    "mailpit_url": Setting(
        "--herstelpad-mailpit-url", "HERSTELPAD_MAILPIT_URL",
        "web/API URL of an already running Mailpit (default: start the pinned Mailpit)",
    ),
    "mailpit_smtp": Setting(
        "--herstelpad-mailpit-smtp", "HERSTELPAD_MAILPIT_SMTP",
        "host:port of that Mailpit's SMTP server, for the reference portal", "127.0.0.1:1025",
    ),
    "browser_path": Setting(
        "--herstelpad-browser-path", "HERSTELPAD_BROWSER_PATH",
        "Chromium executable to launch (default: Playwright's, else the system's)",
    ),
    "cdp_url": Setting(
        "--herstelpad-cdp-url", "HERSTELPAD_CDP_URL",
        "connect to a running Chromium over the DevTools protocol (http://host:9222, "
        "Selenium Grid 4, Browserless, Moon) instead of launching one",
    ),
    "ws_endpoint": Setting(
        "--herstelpad-ws-endpoint", "HERSTELPAD_WS_ENDPOINT",
        "connect to a Playwright browser server (ws://host:port/...) instead of launching one",
    ),
    "grid_url": Setting(
        "--herstelpad-grid-url", "HERSTELPAD_GRID_URL",
        "take each worker's Chromium from a Selenium Grid 4 (http://host:4444; `herstelpad grid` starts one here) "
        "instead of launching one",
    ),
    "timeout": Setting(
        "--herstelpad-timeout", "HERSTELPAD_TIMEOUT",
        "seconds to wait for an e-mail, a push request or a screen", "15",
    ),
    "reports": Setting(
        "--herstelpad-reports", "HERSTELPAD_REPORTS",
        "folder for the report, cucumber.json, junit.xml and logs", "reports",
    ),
    "screenshots": Setting(
        "--herstelpad-screenshots", "HERSTELPAD_SCREENSHOTS",
        "which masked screenshots to take: elke-stap (after every step: the full living documentation), "
        "documentatie (only those the Handleiding and the failure view show) or fouten (only of a failed step)",
        EVERY_STEP,
    ),
    "context": Setting(
        "--herstelpad-context", "HERSTELPAD_CONTEXT",
        "the browser context of a scenario: schoongemaakt (a kept one, cleared of cookies, storage, service workers, "
        "permissions, cache and history of the scenario before) or nieuw (a new one per scenario)",
        CLEANED_CONTEXT,
    ),
    "allure_dir": Setting(  # the option allure-pytest and allure-pytest-bdd users type
        "--alluredir", "HERSTELPAD_ALLUREDIR",
        "folder for the Allure results, kept between runs unless --clean-alluredir (default: <reports>/allure-results, "
        "emptied every run)",
    ),
}
TRACES_DIR = "traces"  # in the reports folder: pytest-playwright's --output under `herstelpad run` (emptied at each run)
CLEAN_ALLURE_DIR = "--clean-alluredir"  # a flag, as allure-pytest's: empty --alluredir before writing


@dataclass(frozen=True)
class Settings:
    """The validated settings of one run."""

    target_url: str | None
    target_token: str | None
    mailpit_url: str | None
    mailpit_smtp: str
    browser_path: str | None
    cdp_url: str | None
    ws_endpoint: str | None
    timeout: float
    reports: Path
    screenshots: str = EVERY_STEP
    allure_dir: Path | None = None  # --alluredir; None: <reports>/allure-results
    clean_allure_dir: bool = False
    grid_url: str | None = None
    context: str = CLEANED_CONTEXT

    @property
    def remote_browser(self) -> str | None:
        """Where the browser comes from when herstelpad does not launch it: the CDP, browser-server or grid URL."""
        return self.cdp_url or self.ws_endpoint or self.grid_url


def _check_url(name: str, value: str | None, schemes: tuple[str, ...]) -> str | None:
    """Returns the URL without a trailing slash, or raises SettingsError."""
    if not value:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not parsed.netloc:
        raise SettingsError(
            f"{SETTINGS[name].option} / {SETTINGS[name].env}: {shown_url(value)!r} is not a "
            f"{' or '.join(schemes)} URL (for example {schemes[0]}://127.0.0.1:8000)."
        )
    register_url_password(value)
    return value.rstrip("/")


def reports_path(value: str | None, invocation_dir: Path, root: Path | None = None) -> Path:
    """The reports folder: the option or HERSTELPAD_REPORTS (relative to where the run started), else <root>/reports."""
    explicit = value or os.environ.get(SETTINGS["reports"].env)
    if explicit:
        return (invocation_dir / explicit).resolve()
    return ((root or invocation_dir) / (SETTINGS["reports"].default or "reports")).resolve()


def resolve(raw: Mapping[str, Any], invocation_dir: Path | None = None, root: Path | None = None) -> Settings:
    """Validates raw values (option, else environment, else default) into Settings."""
    values = {
        name: raw.get(name) or os.environ.get(s.env) or s.default for name, s in SETTINGS.items()
    }
    try:
        timeout = float(values["timeout"] or "")
    except ValueError:
        timeout = -1.0
    if not 0 < timeout <= 600:
        raise SettingsError(
            f"{SETTINGS['timeout'].option}: {values['timeout']!r} is not a number of seconds "
            "between 0 and 600."
        )
    smtp = values["mailpit_smtp"] or ""
    host, _, port = smtp.rpartition(":")
    if not host or not port.isdigit():
        raise SettingsError(f"{SETTINGS['mailpit_smtp'].option}: {smtp!r} is not host:port.")
    browser_path = values["browser_path"]
    if browser_path and not Path(browser_path).exists():
        raise SettingsError(f"{SETTINGS['browser_path'].option}: {browser_path} does not exist.")
    cdp = _check_url("cdp_url", values["cdp_url"], ("http", "https", "ws", "wss"))
    ws = _check_url("ws_endpoint", values["ws_endpoint"], ("ws", "wss"))
    grid = _check_url("grid_url", values["grid_url"], ("http", "https"))
    if len([url for url in (cdp, ws, grid) if url]) > 1:
        raise SettingsError(
            "Give one of --herstelpad-cdp-url, --herstelpad-ws-endpoint and --herstelpad-grid-url, not more."
        )
    target = _check_url("target_url", values["target_url"], ("http", "https"))
    if target and not values["target_token"]:
        raise SettingsError(
            "An external target needs the token of its test-data API: "
            "--herstelpad-target-token or HERSTELPAD_TARGET_TOKEN."
        )
    screenshots = values["screenshots"] or EVERY_STEP
    if screenshots not in SCREENSHOT_POLICIES:
        raise SettingsError(
            f"{SETTINGS['screenshots'].option} / {SETTINGS['screenshots'].env}: {screenshots!r} is not a screenshot "
            f"policy; choose {', '.join(SCREENSHOT_POLICIES)}."
        )
    context = values["context"] or CLEANED_CONTEXT
    if context not in CONTEXT_CHOICES:
        raise SettingsError(
            f"{SETTINGS['context'].option} / {SETTINGS['context'].env}: {context!r} is not a choice; choose "
            f"{' or '.join(CONTEXT_CHOICES)}."
        )
    return Settings(
        target_url=target,
        target_token=values["target_token"],
        mailpit_url=_check_url("mailpit_url", values["mailpit_url"], ("http", "https")),
        mailpit_smtp=smtp,
        browser_path=browser_path,
        cdp_url=cdp,
        ws_endpoint=ws,
        timeout=timeout,
        reports=reports_path(raw.get("reports"), invocation_dir or Path.cwd(), root),
        screenshots=screenshots,
        allure_dir=(invocation_dir or Path.cwd()).joinpath(values["allure_dir"]).resolve() if values["allure_dir"] else None,
        clean_allure_dir=bool(raw.get("clean_allure_dir")),
        grid_url=grid,
        context=context,
    )
