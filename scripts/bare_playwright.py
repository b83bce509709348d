"""The peer of `herstelpad bench`: three flows of the reference portal as a careful tester writes them in bare Playwright.

No herstelpad: Playwright's role locators, Mailpit's REST API, pyotp, and the QR code decoded from a screenshot of the
page with zxing-cpp. Every flow runs in a fresh browser context with a freshly provisioned person; each phase is timed.

    HERSTELPAD_TARGET_URL=… HERSTELPAD_TARGET_TOKEN=… HERSTELPAD_MAILPIT_URL=… \
        python scripts/bare_playwright.py --rounds 5 --out peer.json
    python scripts/bare_playwright.py --scenarios     # the herstelpad scenario each flow matches, as JSON

With --turns FOLDER --player NAME (as `herstelpad bench` runs it), each round waits for the file NAME.go.<round> in
FOLDER and writes NAME.done.<round> after it: the bench hands out the rounds in turn to this script and to the
herstelpad runs beside it, so that all see the same load.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pyotp
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright

# the settings herstelpad reads for a running portal and Mailpit (the token never on the command line: ps shows that)
PORTAL_ENV, TOKEN_ENV, MAILPIT_ENV = "HERSTELPAD_TARGET_URL", "HERSTELPAD_TARGET_TOKEN", "HERSTELPAD_MAILPIT_URL"
TIMEOUT = 15.0  # seconds for any screen, e-mail or login request
RESET_SUBJECT = "Bevestig het opnieuw instellen van AFAS Pocket"
CODE_LINE = re.compile(r"^Bevestigingscode: (\d{6})\r?$", re.MULTILINE)  # docs/portal.md, 'E-mailed codes'
PHASES = ("set-up", "provisioning", "steps", "teardown")

# Each flow and the herstelpad scenario it matches (pytest node id, from the repository's root).
SCENARIOS = {
    "log in + 6-digit code": "steps/portaal/test_scenarios.py::test_de_6cijferige_code_uit_afas_pocket_logt_je_in",
    "wrong password": "steps/portaal/test_scenarios.py::test_een_onjuist_wachtwoord_logt_je_niet_in",
    "manier 1 end to end": (
        "steps/portaal/test_scenarios.py::test_na_het_opnieuw_instellen_log_je_in_met_de_zojuist_gekoppelde_afas_pocket"
    ),
}


@dataclass
class Person:
    """A provisioned user: address, password and the TOTP of the linked AFAS Pocket."""

    email: str
    password: str = field(repr=False)
    totp: pyotp.TOTP = field(repr=False)
    used_step: int = -1  # the portal accepts each time step once

    def code(self) -> str:
        """A code for a time step not used before (the portal accepts one step ahead)."""
        step = max(int(time.time() // 30), self.used_step + 1)
        self.used_step = step
        return self.totp.at(step * 30)


class Timer:
    """Seconds per phase of one flow."""

    def __init__(self) -> None:
        """All phases at zero."""
        self.seconds = dict.fromkeys(PHASES, 0.0)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Adds the time of the block to `name`."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started


def poll(what: str, attempt: Callable[[], Any], timeout: float = TIMEOUT, interval: float = 0.05) -> Any:
    """Calls `attempt` until it returns something, to a deadline; TimeoutError says what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        found = attempt()
        if found:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        threading.Event().wait(interval)  # the poll's interval; the deadline above ends the wait


class Portal:
    """The reference portal's test-data API and device API (docs/portal.md)."""

    def __init__(self, url: str, token: str) -> None:
        """Talk to the portal at `url`."""
        self.url = url.rstrip("/")
        self.test_api = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
        self.device_api = httpx.Client(base_url=self.url, timeout=TIMEOUT + 10)

    def close(self) -> None:
        """Close the connections."""
        self.test_api.close()
        self.device_api.close()

    def person(self) -> Person:
        """A new organisation with one user whose AFAS Pocket is linked."""
        suffix = secrets.token_hex(4)
        organisation = self.test_api.post("/__test__/organisaties", json={"naam": f"Bench {suffix} BV"})
        organisation.raise_for_status()
        email, password = f"bare.{suffix}@bench-{suffix}.example.com", secrets.token_urlsafe(16) + "!a1"
        body = {"organisatie_id": organisation.json()["id"], "naam": f"Bare {suffix}", "email": email,
                "wachtwoord": password, "actief": True, "pocket": True}
        user = self.test_api.post("/__test__/gebruikers", json=body)
        user.raise_for_status()
        return Person(email, password, pyotp.parse_uri(user.json()["otpauth_uri"]))

    def register_phone(self, person: Person) -> str:
        """Registers the phone for login requests (password and a fresh code); its device token."""
        body = {"email": person.email, "wachtwoord": person.password, "code": person.code(), "naam": "bare"}
        answer = self.device_api.post("/api/pocket/registreer", json=body)
        answer.raise_for_status()
        return str(answer.json()["token"])

    def approve_login_request(self, device_token: str) -> None:
        """Waits for the pending login request (long poll) and approves it."""
        headers = {"Authorization": f"Bearer {device_token}"}

        def pending() -> list[dict[str, Any]]:
            answer = self.device_api.get("/api/pocket/verzoeken", params={"wacht": 10}, headers=headers)
            answer.raise_for_status()
            return list(answer.json()["verzoeken"])

        request = poll("a login request on the phone", pending)[0]
        self.device_api.post(f"/api/pocket/verzoeken/{request['id']}/goedkeuren", headers=headers).raise_for_status()


class Mailpit:
    """Mailpit's REST API: search one address's messages, read one, delete them."""

    def __init__(self, url: str) -> None:
        """Talk to the Mailpit at `url`."""
        self.http = httpx.Client(base_url=url.rstrip("/"), timeout=TIMEOUT)

    def close(self) -> None:
        """Close the connection."""
        self.http.close()

    def _search(self, email: str) -> list[dict[str, Any]]:
        """The messages to `email`."""
        answer = self.http.get("/api/v1/search", params={"query": f'to:"{email}"'})
        answer.raise_for_status()
        return list(answer.json()["messages"])

    def wait_for_text(self, email: str, subject: str) -> str:
        """The plain text of the first message to `email` with `subject`, waiting for it to arrive."""
        found = poll(f"an e-mail '{subject}' to the person",
                     lambda: [m for m in self._search(email) if m["Subject"] == subject])
        message = self.http.get(f"/api/v1/message/{found[0]['ID']}")
        message.raise_for_status()
        return str(message.json()["Text"])

    def delete_all_for(self, email: str) -> None:
        """Deletes the messages to `email` (other flows' mail stays)."""
        ids = [m["ID"] for m in self._search(email)]
        if ids:
            self.http.request("DELETE", "/api/v1/messages", json={"IDs": ids}).raise_for_status()


def decode_qr(png: bytes) -> str:
    """The text of the one QR code in a screenshot."""
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)
    if not found:
        raise AssertionError("no QR code in the screenshot of the koppel screen")
    return str(found[0].text)


def log_in(page: Page, person: Person, password: str | None = None) -> None:
    """Opens the login screen and sends e-mail address and password."""
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(person.email)
    page.get_by_label("Wachtwoord").fill(password if password is not None else person.password)
    page.get_by_role("button", name="Volgende", exact=True).click()


def code_login(page: Page, person: Person, portal: Portal, mailpit: Mailpit) -> None:
    """Log in with the password and the 6-digit code of AFAS Pocket."""
    log_in(page, person)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestig je inlog")
    page.get_by_label("6-cijferige code").fill(person.code())
    page.get_by_role("button", name="Volgende", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("AFAS Online Portal")


def wrong_password(page: Page, person: Person, portal: Portal, mailpit: Mailpit) -> None:
    """A wrong password: the message, and the portal still asks to log in."""
    log_in(page, person, person.password + "x")
    expect(page.get_by_role("alert")).to_have_text("Het e-mailadres of wachtwoord is onjuist.")
    page.goto("/portal")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij AFAS Online")


def manier_1(page: Page, person: Person, portal: Portal, mailpit: Mailpit) -> None:
    """'Geen melding ontvangen?' → e-mailed code → scan the QR code → 'Koppelen' → log in again with a push request."""
    log_in(page, person)
    page.get_by_role("button", name="Geen melding ontvangen?", exact=True).click()
    page.get_by_role("button", name="Stel AFAS Pocket opnieuw in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("AFAS Pocket opnieuw instellen")
    code = CODE_LINE.search(mailpit.wait_for_text(person.email, RESET_SUBJECT))
    assert code, "no 'Bevestigingscode' line in the e-mail"
    page.get_by_label("Bevestigingscode").fill(code.group(1))
    page.get_by_role("button", name="Volgende", exact=True).click()
    uri = decode_qr(page.get_by_role("img", name="QR-code om AFAS Pocket te koppelen").screenshot())
    assert unquote(uri).startswith(f"otpauth://totp/afasonline.com:{person.email}?"), "not this person's account"
    person.totp, person.used_step = pyotp.parse_uri(uri), -1
    page.get_by_label("Code uit AFAS Pocket").fill(person.code())
    page.get_by_role("button", name="Koppelen", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("AFAS Pocket is gekoppeld.")
    device = portal.register_phone(person)
    log_in(page, person)
    portal.approve_login_request(device)
    expect(page.get_by_role("heading", level=1)).to_have_text("AFAS Online Portal")


FLOWS: dict[str, Callable[[Page, Person, Portal, Mailpit], None]] = {
    "log in + 6-digit code": code_login, "wrong password": wrong_password, "manier 1 end to end": manier_1,
}


def run_flow(browser: Browser, base_url: str, flow: Callable[..., None], portal: Portal, mailpit: Mailpit) -> dict[str, Any]:
    """One flow in a fresh context with a fresh person: total seconds and seconds per phase."""
    timer = Timer()
    started = time.perf_counter()
    with timer.phase("set-up"):
        context = browser.new_context(base_url=base_url, locale="nl-NL", timezone_id="Europe/Amsterdam")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT * 1000)
    with timer.phase("provisioning"):
        person = portal.person()
    try:
        with timer.phase("steps"):
            flow(page, person, portal, mailpit)
    finally:
        with timer.phase("teardown"):
            context.close()
            mailpit.delete_all_for(person.email)
    return {"seconds": time.perf_counter() - started, "phases": timer.seconds}


@dataclass
class Turns:
    """Takes turns with other runs: waits for NAME.go.<round> before a round, writes NAME.done.<round> after it."""

    folder: Path | None = None
    player: str = "bare"
    timeout: float = 1800.0

    @contextmanager
    def round(self, number: int) -> Iterator[None]:
        """The block is round `number`: it starts when it is its turn."""
        if self.folder is None:
            yield
            return
        go, deadline = self.folder / f"{self.player}.go.{number}", time.monotonic() + self.timeout
        while not go.exists():  # polled to a deadline: the other runs' rounds come first
            if time.monotonic() > deadline:
                raise SystemExit(f"no turn for round {number} within {self.timeout:g} s (waited for {go})")
            threading.Event().wait(0.02)
        yield
        (self.folder / f"{self.player}.done.{number}").touch()


def run(portal_url: str, mailpit_url: str, rounds: int, browser_path: str | None, args: list[str],
        names: list[str], turns: Turns | None = None) -> dict[str, Any]:
    """Every flow named once per round (rounds outer, so the flows see the same conditions); the figures."""
    token = os.environ.get(TOKEN_ENV, "")
    if not token:
        raise SystemExit(f"${TOKEN_ENV} is not set: the token of the portal's test-data API")
    portal, mailpit = Portal(portal_url, token), Mailpit(mailpit_url)
    figures: dict[str, Any] = {"flows": {name: [] for name in names}}
    try:
        with sync_playwright() as playwright:
            started = time.perf_counter()
            browser = playwright.chromium.launch(executable_path=browser_path, args=args)
            figures["browser_start_seconds"] = time.perf_counter() - started
            for number in range(1, rounds + 1):
                with (turns or Turns()).round(number):
                    for name in names:
                        figures["flows"][name].append(run_flow(browser, portal.url, FLOWS[name], portal, mailpit))
            browser.close()
    finally:
        portal.close()
        mailpit.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    """Runs the flows and writes their figures as JSON, or prints the matching herstelpad scenarios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", action="store_true", help="print each flow's herstelpad scenario (JSON)")
    parser.add_argument("--portal", default=os.environ.get(PORTAL_ENV),
                        help=f"the reference portal's URL, started in test mode (${PORTAL_ENV})")
    parser.add_argument("--mailpit", default=os.environ.get(MAILPIT_ENV),
                        help=f"the URL of the Mailpit that receives the portal's e-mail (${MAILPIT_ENV})")
    parser.add_argument("--rounds", type=int, default=5, help="how often each flow runs (default 5)")
    parser.add_argument("--browser-path", help="the Chromium to launch (default: Playwright's)")
    parser.add_argument("--chromium-arg", action="append", default=[], help="an argument for Chromium (repeatable)")
    parser.add_argument("--flow", action="append", choices=list(FLOWS), help="only this flow (repeatable; default all)")
    parser.add_argument("--out", type=Path, help="where to write the figures (default: standard output)")
    parser.add_argument("--turns", type=Path, help="take turns with other runs through the files in this folder")
    parser.add_argument("--player", default="bare", help="this script's name in the turn files (default bare)")
    options = parser.parse_args(argv)
    if options.scenarios:
        print(json.dumps(SCENARIOS, indent=2))
        return 0
    if not options.portal or not options.mailpit or options.rounds < 1:
        parser.error(f"--portal (${PORTAL_ENV}) and --mailpit (${MAILPIT_ENV}) are needed, --rounds at least 1")
    figures = run(options.portal, options.mailpit, options.rounds, options.browser_path, options.chromium_arg,
                  options.flow or list(FLOWS), Turns(options.turns, options.player))
    text = json.dumps(figures, indent=2) + "\n"
    if options.out:
        options.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
