"""Helpers of the portal tests: start processes (Mailpit, the portal) and talk to them over HTTP."""
from __future__ import annotations

import base64
import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pyotp
import zxingcpp
from PIL import Image

from fixtures.portaal.forms import FormClient

ROOT = Path(__file__).resolve().parents[2]
TEST_TOKEN = "test-token-voor-de-portal-tests"
T = TypeVar("T")


def vrije_poort() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tot_deadline(vraag: Callable[[], T | None], seconden: float, wat: str) -> T:
    """Ask again and again until vraag() gives a value or the deadline passes."""
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        antwoord = vraag()
        if antwoord:
            return antwoord
    raise AssertionError(f"niet binnen {seconden} s: {wat}")


class Uitvoer:
    """Collects a process's output lines in a thread; lets tests wait for a line."""

    def __init__(self, proces: subprocess.Popen[str]) -> None:
        """Start reading the process's stdout."""
        self.regels: list[str] = []
        self._conditie = threading.Condition()
        self._draad = threading.Thread(target=self._lees, args=(proces,), daemon=True)
        self._draad.start()

    def _lees(self, proces: subprocess.Popen[str]) -> None:
        """Read lines until the process closes its output."""
        assert proces.stdout is not None
        for regel in proces.stdout:
            with self._conditie:
                self.regels.append(regel.rstrip("\n"))
                self._conditie.notify_all()
        with self._conditie:
            self.regels.append("<einde>")
            self._conditie.notify_all()

    def wacht_op(self, patroon: str, seconden: float) -> str:
        """Return the first line matching patroon; fail with the output so far on a timeout."""
        def gevonden() -> str | None:
            """The matching line, if any."""
            return next((r for r in self.regels if re.search(patroon, r) or r == "<einde>"), None)

        with self._conditie:
            regel = self._conditie.wait_for(gevonden, timeout=seconden)
        if not regel or regel == "<einde>":
            raise AssertionError(f"'{patroon}' niet gezien; uitvoer:\n" + "\n".join(self.regels[-30:]))
        return regel


def start_proces(args: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], Uitvoer]:
    """Start a process with stdout+stderr captured by an Uitvoer."""
    proces = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=env
    )
    return proces, Uitvoer(proces)


def stop_proces(proces: subprocess.Popen[str]) -> None:
    """Stop a process this test session started."""
    proces.terminate()
    try:
        proces.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proces.kill()
        proces.wait()


@dataclass
class Mailpit:
    """A running Mailpit: its SMTP port and HTTP API."""

    smtp_port: int
    api: str

    def berichten_aan(self, email: str) -> list[dict[str, Any]]:
        """Return the summaries of all messages to this address, newest first."""
        antwoord = httpx.get(f"{self.api}/api/v1/messages", params={"limit": 500}, timeout=5)
        antwoord.raise_for_status()
        return [
            m for m in antwoord.json()["messages"]
            if any(t["Address"].lower() == email.lower() for t in m["To"])
        ]

    def bericht(self, bericht_id: str) -> dict[str, Any]:
        """Return one full message (Text, HTML, headers)."""
        antwoord = httpx.get(f"{self.api}/api/v1/message/{bericht_id}", timeout=5)
        antwoord.raise_for_status()
        return dict(antwoord.json())

    def wacht_op(self, email: str, aantal: int = 1, seconden: float = 5) -> dict[str, Any]:
        """Wait until the address has aantal messages; return the newest in full."""
        def genoeg() -> list[dict[str, Any]] | None:
            """The messages, once there are enough."""
            lijst = self.berichten_aan(email)
            return lijst if len(lijst) >= aantal else None

        berichten = tot_deadline(genoeg, seconden, f"{aantal} e-mail(s) aan {email}")
        return self.bericht(berichten[0]["ID"])

    def code(self, email: str, aantal: int = 1) -> str:
        """Return the Bevestigingscode of the newest e-mail to the address."""
        tekst = self.wacht_op(email, aantal)["Text"]
        gevonden = re.search(r"^Bevestigingscode: (\d{6})\r?$", tekst, re.M)
        assert gevonden, tekst
        return gevonden.group(1)


@dataclass
class Portal:
    """A running reference portal (a subprocess)."""

    url: str
    uitvoer: Uitvoer
    test_token: str | None

    def test_api(self) -> httpx.Client:
        """Return a client for the test-data API."""
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.test_token}"}, timeout=10)


def start_portal(tmp: Path, smtp_port: int, test_token: str | None) -> tuple[subprocess.Popen[str], Portal]:
    """Start `python -m portal` on a free port with a fresh SQLite file."""
    poort = vrije_poort()
    args = [
        sys.executable, "-m", "portal", "--host", "127.0.0.1", "--port", str(poort),
        "--database", str(tmp / "portal.sqlite3"), "--smtp-host", "127.0.0.1",
        "--smtp-port", str(smtp_port), "--base-url", f"http://127.0.0.1:{poort}",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    if test_token:
        env["PORTAL_TEST_TOKEN"] = test_token
    proces, uitvoer = start_proces(args, env)
    try:
        uitvoer.wacht_op(r"^portal ready on http://", 20)
    except AssertionError:
        stop_proces(proces)
        raise
    return proces, Portal(url=f"http://127.0.0.1:{poort}", uitvoer=uitvoer, test_token=test_token)


@dataclass
class Persoon:
    """A person provisioned through the test-data API."""

    id: int
    email: str
    wachtwoord: str
    organisatie_id: int
    deelnemersnummer: str
    otpauth_uri: str | None

    @property
    def totp(self) -> pyotp.TOTP:
        """The authenticator of the linked secret."""
        assert self.otpauth_uri
        return pyotp.parse_uri(self.otpauth_uri)  # type: ignore[return-value]


@dataclass
class Organisatie:
    """An organisation in the portal, to add people to."""

    portal: Portal
    id: int
    deelnemersnummer: str
    teller: list[int] = field(default_factory=lambda: [0])

    def persoon(self, naam: str = "Jan Jansen", pocket: bool = True, actief: bool = True) -> Persoon:
        """Create a person with a unique e-mail address."""
        self.teller[0] += 1
        email = f"p{self.id}-{self.teller[0]}-{time.monotonic_ns()}@voorbeeld.nl"
        with self.portal.test_api() as api:
            antwoord = api.post("/__test__/gebruikers", json={
                "organisatie_id": self.id, "naam": naam, "email": email,
                "wachtwoord": "Geheim-123", "actief": actief, "pocket": pocket,
            })
        assert antwoord.status_code == 201, antwoord.text
        gegevens = antwoord.json()
        return Persoon(gegevens["id"], email, "Geheim-123", self.id, self.deelnemersnummer, gegevens["otpauth_uri"])

    def verzet_klok(self, seconden: float) -> float:
        """Move this organisation's clock forward; its offset from real time."""
        with self.portal.test_api() as api:
            antwoord = api.post("/__test__/klok", json={"organisatie_id": self.id, "seconden": seconden})
        assert antwoord.status_code == 200, antwoord.text
        return float(antwoord.json()["offset"])

    def aanmeldingen(self) -> list[dict[str, Any]]:
        """Return the organisation's login audit log."""
        with self.portal.test_api() as api:
            return list(api.get("/__test__/aanmeldingen", params={"organisatie_id": self.id}).json()["aanmeldingen"])


def maak_organisatie(p: Portal, naam: str = "Voorbeeld BV", sso: bool = True) -> Organisatie:
    """Create a fresh organisation in a portal (with its own SSO unless sso=False)."""
    with p.test_api() as api:
        antwoord = api.post("/__test__/organisaties", json={"naam": naam, "sso": sso})
    assert antwoord.status_code == 201, antwoord.text
    return Organisatie(portal=p, id=antwoord.json()["id"], deelnemersnummer=antwoord.json()["deelnemersnummer"])


class Browser(FormClient):
    """A cookie-keeping HTTP client that fills in the CSRF token of the last page."""

    def wachtwoordstap(self, persoon: Persoon, wachtwoord: str | None = None) -> httpx.Response:
        """Open the login screen and post e-mail and password."""
        self.get("/inloggen")
        return self.post("/inloggen", email=persoon.email, wachtwoord=wachtwoord or persoon.wachtwoord)

    @property
    def sessie(self) -> str | None:
        """The current session cookie."""
        return self.client.cookies.get("sessie")


def bij_tweede_stap(organisatie: Organisatie, persoon: Persoon) -> Browser:
    """Return a new browser in which persoon has passed the password step."""
    browser = Browser(organisatie.portal.url)
    browser.follow(browser.wachtwoordstap(persoon))
    return browser


def tekst_van(html: str, rol: str) -> str | None:
    """Return the text of the first element with this role attribute."""
    gevonden = re.search(rf'role="{rol}"[^>]*>([^<]*)<', html)
    return unescape(gevonden.group(1).strip()) if gevonden else None


def api_client(p: Portal, token: str | None = None) -> httpx.Client:
    """Return a device-API client, with a bearer token when given."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=p.url, headers=headers, timeout=40)


def org_code(totp: pyotp.TOTP, organisatie: Organisatie, stappen_verder: int = 0) -> str:
    """Move the organisation's clock stappen_verder steps on; return the code of its current time."""
    with organisatie.portal.test_api() as api:
        antwoord = api.post("/__test__/klok", json={"organisatie_id": organisatie.id, "seconden": 30 * stappen_verder})
    return str(totp.at(time.time() + float(antwoord.json()["offset"])))


def qr_uri(html: str) -> str:
    """Decode the QR code (a PNG data URI) on a koppelen page."""
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html)
    assert data, html
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(data.group(1)))))
    assert len(codes) == 1
    return str(codes[0].text)
