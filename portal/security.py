"""Passwords, server-side sessions, CSRF and token hashing."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from portal.db import Database

SESSIE_COOKIE = "sessie"
EMAIL_COOKIE = "laatste_email"
BROWSER_COOKIE = "vertrouwde_browser"  # set by a completed login: this browser skips the password lock
MAX_VELD = 1000  # characters of any form field
MAX_EMAIL = 320
_STUURTEKENS = re.compile(r"[\x00-\x1f\x7f]")
_LIJST = re.compile(r"[\s,;<>]")
_EEN_ADRES = re.compile(r"[^\s@,;<>()\[\]\\\"]+@[^\s@,;<>()\[\]\\\"]+")
SESSIE_INACTIEF = 60 * 60  # seconds of inactivity before a session ends
SESSIE_MAXIMAAL = 12 * 60 * 60  # absolute lifetime of a session
TESTMODUS_ARGON2 = {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1}  # only with a test token (KiB)


def token_hash(token: str) -> str:
    """Return the SHA-256 hex digest under which a random token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def gelijk(a: str | None, b: str | None) -> bool:
    """Compare two secrets in constant time; None never matches."""
    if a is None or b is None:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class Wachtwoorden:
    """Argon2 password hashing; an unknown account still costs one verify."""

    def __init__(self, testmodus: bool = False) -> None:
        """Prepare the hasher (argon2-cffi's defaults; cheap ones only in test mode) and a dummy hash."""
        self.testmodus = testmodus
        self._hasher = PasswordHasher(**TESTMODUS_ARGON2) if testmodus else PasswordHasher()
        self._dummy = self._hasher.hash(secrets.token_urlsafe(24))

    def parameters(self) -> dict[str, int]:
        """The argon2 parameters new hashes get (memory in KiB)."""
        h = self._hasher
        return {"time_cost": h.time_cost, "memory_cost": h.memory_cost, "parallelism": h.parallelism}

    def aankondiging(self) -> str:
        """One line saying which argon2 parameters are in use, and whether that is test mode."""
        p = self.parameters()
        soort = "test mode" if self.testmodus else "production defaults"
        return (f"{soort}: argon2id time_cost={p['time_cost']} memory_cost={p['memory_cost'] // 1024} MiB "
                f"parallelism={p['parallelism']}")

    def hash(self, wachtwoord: str) -> str:
        """Return the argon2 hash of a password."""
        return self._hasher.hash(wachtwoord)

    def controleer(self, wachtwoord_hash: str | None, wachtwoord: str) -> bool:
        """Verify a password; with no hash, verify against the dummy and refuse."""
        try:
            juist = self._hasher.verify(wachtwoord_hash or self._dummy, wachtwoord)
        except (VerificationError, InvalidHashError):
            return False
        return juist and wachtwoord_hash is not None


@dataclass
class Sessie:
    """The server-side state of one browser; the cookie holds only a random id."""

    id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    aangemaakt: float = field(default_factory=time.time)
    gewijzigd: bool = False
    oud_id: str | None = None

    def csrf(self) -> str:
        """Return this session's CSRF token, creating the session when needed."""
        if "csrf" not in self.data:
            self.data["csrf"] = secrets.token_urlsafe(32)
            self.gewijzigd = True
        return str(self.data["csrf"])

    def zet(self, **waarden: Any) -> None:
        """Set values in the session."""
        self.data.update(waarden)
        self.gewijzigd = True

    def haal_weg(self, *sleutels: str) -> None:
        """Remove values from the session."""
        for sleutel in sleutels:
            self.data.pop(sleutel, None)
        self.gewijzigd = True

    def vernieuw(self) -> None:
        """Give the session a new id and CSRF token (against session fixation)."""
        if self.id is not None and self.oud_id is None:
            self.oud_id = self.id
        self.id = None
        self.aangemaakt = time.time()
        self.data["csrf"] = secrets.token_urlsafe(32)
        self.gewijzigd = True

    def wis(self) -> None:
        """Forget who is logging in; keep only the CSRF token and the messages."""
        bewaren = {k: v for k, v in self.data.items() if k in ("csrf", "meldingen")}
        self.data = bewaren
        self.gewijzigd = True

    def meld(self, *, status: str | None = None, alert: str | None = None, **velden: str) -> None:
        """Leave a message (and form values) for the next page shown."""
        self.data["meldingen"] = {"status": status, "alert": alert, "velden": velden}
        self.gewijzigd = True

    def pak_meldingen(self) -> dict[str, Any]:
        """Take the messages left for this page."""
        if "meldingen" not in self.data:
            return {"status": None, "alert": None, "velden": {}}
        self.gewijzigd = True
        return dict(self.data.pop("meldingen"))


class Sessies:
    """Stores sessions in the database under the hash of their id."""

    def __init__(self, db: Database, secure: bool) -> None:
        """Use this database; set the Secure flag on cookies when served over https."""
        self._db = db
        self._secure = secure

    def laad(self, cookie: str | None) -> Sessie:
        """Return the session of a cookie value, or a new empty one."""
        if not cookie:
            return Sessie()
        rij = self._db.een("SELECT * FROM sessies WHERE id_hash = ?", (token_hash(cookie),))
        nu = time.time()
        if rij is None or nu - rij["gebruikt"] > SESSIE_INACTIEF or nu - rij["aangemaakt"] > SESSIE_MAXIMAAL:
            return Sessie(oud_id=cookie if rij else None)
        if nu - rij["gebruikt"] > 60:
            self._db.uitvoeren("UPDATE sessies SET gebruikt = ? WHERE id_hash = ?", (nu, rij["id_hash"]))
        return Sessie(id=cookie, data=json.loads(rij["data"]), aangemaakt=rij["aangemaakt"])

    def bewaar(self, sessie: Sessie, response: Response) -> None:
        """Write a changed session and set its cookie on the response."""
        if sessie.oud_id is not None:
            self._db.uitvoeren("DELETE FROM sessies WHERE id_hash = ?", (token_hash(sessie.oud_id),))
            sessie.oud_id = None
        if not sessie.gewijzigd:
            return
        nu = time.time()
        if sessie.id is None:
            sessie.id = secrets.token_urlsafe(32)
            self._db.uitvoeren("DELETE FROM sessies WHERE gebruikt < ?", (nu - SESSIE_INACTIEF,))
            response.set_cookie(
                SESSIE_COOKIE, sessie.id, path="/", httponly=True, samesite="lax", secure=self._secure
            )
        self._db.uitvoeren(
            "INSERT INTO sessies (id_hash, data, aangemaakt, gebruikt) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(id_hash) DO UPDATE SET data = excluded.data, gebruikt = excluded.gebruikt",
            (token_hash(sessie.id), json.dumps(sessie.data), sessie.aangemaakt, nu),
        )
        sessie.gewijzigd = False

    def vertrouw_browser(self, response: Response, gebruiker_id: int) -> None:
        """Mark this browser as one the person completed a login in (long-lived, HttpOnly cookie)."""
        token = secrets.token_urlsafe(32)
        self._db.uitvoeren(
            "INSERT INTO vertrouwde_browsers (token_hash, gebruiker_id, aangemaakt) VALUES (?, ?, ?)",
            (token_hash(token), gebruiker_id, time.time()),
        )
        response.set_cookie(
            BROWSER_COOKIE, token, max_age=365 * 24 * 3600, path="/",
            httponly=True, samesite="lax", secure=self._secure,
        )

    def vertrouwde_browser(self, cookie: str | None, gebruiker_id: int | None) -> str | None:
        """The hash of this browser's token when the person completed a login in it, else None."""
        if not cookie or gebruiker_id is None:
            return None
        rij = self._db.een("SELECT gebruiker_id FROM vertrouwde_browsers WHERE token_hash = ?", (token_hash(cookie),))
        return token_hash(cookie) if rij is not None and rij["gebruiker_id"] == gebruiker_id else None

    def onthoud_email(self, response: Response, email: str) -> None:
        """Remember the e-mail address of a successful login in a long-lived cookie."""
        response.set_cookie(
            EMAIL_COOKIE, quote(email, safe=""), max_age=365 * 24 * 3600, path="/",
            httponly=True, samesite="lax", secure=self._secure,
        )


class OngeldigFormulier(Exception):
    """A POST without the session's CSRF token."""


class OngeldigeInvoer(Exception):
    """A field with control characters, a list of addresses or too many characters (answered with 400)."""


async def formulier(request: Request) -> FormData:
    """Read a posted form and check its CSRF token against the session's."""
    gegevens = await request.form()
    sessie: Sessie = request.state.sessie
    gegeven = gegevens.get("csrf_token")
    if not isinstance(gegeven, str) or not gelijk(sessie.data.get("csrf"), gegeven):
        raise OngeldigFormulier()
    return gegevens


def veld(gegevens: FormData, naam: str) -> str:
    """Return a text field of a form, stripped ('' when missing); OngeldigeInvoer on control characters or length."""
    waarde = wachtwoord_veld(gegevens, naam).strip()
    if heeft_stuurtekens(waarde):
        raise OngeldigeInvoer()
    return waarde


def heeft_stuurtekens(tekst: str) -> bool:
    """Whether a text has control characters (a line break in a name would end up in an e-mail header)."""
    return _STUURTEKENS.search(tekst) is not None


def wachtwoord_veld(gegevens: FormData, naam: str) -> str:
    """Return a field as typed (a password: not stripped); OngeldigeInvoer when over-long."""
    waarde = gegevens.get(naam)
    if not isinstance(waarde, str):
        return ""
    if len(waarde) > MAX_VELD:
        raise OngeldigeInvoer()
    return waarde


def email_veld(gegevens: FormData, naam: str) -> str:
    """Return an e-mail field: no list of addresses, no spaces, at most 320 characters; else OngeldigeInvoer."""
    waarde = veld(gegevens, naam)
    if len(waarde) > MAX_EMAIL or _LIJST.search(waarde):
        raise OngeldigeInvoer()
    return waarde


def een_adres(waarde: str) -> bool:
    """Whether a text is one plain e-mail address (no name, no list, no control characters) of at most 320 characters."""
    return len(waarde) <= MAX_EMAIL and _EEN_ADRES.fullmatch(waarde) is not None
