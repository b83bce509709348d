"""E-mailed confirmation codes: issue, resend throttle, verify, expiry, tries, single use."""
from __future__ import annotations

import asyncio
import enum
import hashlib
import hmac
import math
import secrets
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from portal.clock import Klok
from portal.db import Database
from portal.mailer import Bericht, Mailer, MailFout
from portal.security import gelijk, token_hash

DOEL_POCKET = "pocket"  # manier 1: AFAS Pocket opnieuw instellen
DOEL_EIGEN = "collega_eigen"  # manier 2: the person's own code
DOEL_COLLEGA = "collega_hulp"  # manier 2: the colleague's code

GELDIG_SECONDEN = 10 * 60
MAX_FOUTEN = 5
WACHT_TUSSEN_SECONDEN = 30
MAX_PER_UUR = 5


class Uitkomst(enum.Enum):
    """The result of checking an entered code."""

    GOED = "goed"
    ONJUIST = "onjuist"
    VERLOPEN = "verlopen"
    TE_VEEL = "te_veel"


@dataclass(frozen=True)
class Uitdaging:
    """One confirmation challenge: who, for what, in which login, and its state."""

    id: str
    gebruiker_id: int
    ontvanger_id: int
    doel: str
    login_id: str
    zout: str
    code_hash: str | None
    link_hash: str | None
    verloopt: float
    fouten: int
    aantal_verzonden: int
    laatst_verzonden: float
    status: str


@dataclass(frozen=True)
class Verzending:
    """The result of (re)sending a challenge's e-mail."""

    verstuurd: bool
    wacht_seconden: int = 0
    mislukt: bool = False


MaakBericht = Callable[[str, str], Bericht]
"""Builds the e-mail from a fresh code and link token."""


def _code_hash(zout: str, code: str) -> str:
    """Return the keyed hash under which a code is stored."""
    return hmac.new(zout.encode("ascii"), code.encode("utf-8"), hashlib.sha256).hexdigest()


class Codes:
    """All e-mailed code challenges (manier 1, manier 2 own code and colleague code)."""

    def __init__(self, db: Database, klok: Klok, mailer: Mailer) -> None:
        """Store challenges in db, tell time by the organisation clock, send with mailer."""
        self._db = db
        self._klok = klok
        self._mailer = mailer
        self._sloten: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def start(self, gebruiker_id: int, doel: str, login_id: str, ontvanger_id: int) -> Uitdaging:
        """Begin a challenge for this login; the person's earlier one of the same purpose ends (any login)."""
        self._db.uitvoeren(
            "UPDATE uitdagingen SET status = 'vervangen', code_hash = NULL, link_hash = NULL"
            " WHERE (login_id = ? OR gebruiker_id = ?) AND doel = ? AND status = 'open'",
            (login_id, gebruiker_id, doel),
        )
        uitdaging_id = secrets.token_urlsafe(16)
        self._db.uitvoeren(
            "INSERT INTO uitdagingen (id, gebruiker_id, ontvanger_id, doel, login_id, zout)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (uitdaging_id, gebruiker_id, ontvanger_id, doel, login_id, secrets.token_hex(16)),
        )
        uitdaging = self.haal(uitdaging_id, login_id)
        assert uitdaging is not None
        return uitdaging

    def haal(self, uitdaging_id: str | None, login_id: str | None) -> Uitdaging | None:
        """Return a challenge, but only to the login (browser session) that started it."""
        if not uitdaging_id or not login_id:
            return None
        rij = self._db.een("SELECT * FROM uitdagingen WHERE id = ?", (uitdaging_id,))
        if rij is None or not gelijk(rij["login_id"], login_id):
            return None
        return Uitdaging(**dict(rij))

    def wachttijd(self, uitdaging: Uitdaging) -> int:
        """Return how many seconds until an e-mail may be sent again (0: now)."""
        nu = self._klok.nu_voor(uitdaging.gebruiker_id)
        wacht = 0.0
        if uitdaging.aantal_verzonden >= 2:
            wacht = uitdaging.laatst_verzonden + WACHT_TUSSEN_SECONDEN - nu
        for kolom, wie in (("gebruiker_id", uitdaging.gebruiker_id), ("ontvanger_id", uitdaging.ontvanger_id)):
            recent = self._db.alle(
                f"SELECT tijd FROM verzendingen WHERE {kolom} = ? AND doel = ? AND tijd > ? ORDER BY tijd",
                (wie, uitdaging.doel, nu - 3600),
            )
            if len(recent) >= MAX_PER_UUR:
                wacht = max(wacht, recent[-MAX_PER_UUR]["tijd"] + 3600 - nu)
        return max(0, math.ceil(wacht))

    def _reserveer(self, uitdaging: Uitdaging, nu: float) -> int | None:
        """Count one e-mail if fewer than 5 went to this person and to this recipient in the hour (one statement)."""
        cursor = self._db.uitvoeren(
            "INSERT INTO verzendingen (gebruiker_id, ontvanger_id, doel, tijd) SELECT ?, ?, ?, ?"
            " WHERE (SELECT COUNT(*) FROM verzendingen WHERE gebruiker_id = ? AND doel = ? AND tijd > ?) < ?"
            " AND (SELECT COUNT(*) FROM verzendingen WHERE ontvanger_id = ? AND doel = ? AND tijd > ?) < ?",
            (uitdaging.gebruiker_id, uitdaging.ontvanger_id, uitdaging.doel, nu,
             uitdaging.gebruiker_id, uitdaging.doel, nu - 3600, MAX_PER_UUR,
             uitdaging.ontvanger_id, uitdaging.doel, nu - 3600, MAX_PER_UUR),
        )
        return cursor.lastrowid if cursor.rowcount == 1 else None

    async def verstuur(self, uitdaging: Uitdaging, maak_bericht: MaakBericht) -> Verzending:
        """Send (or resend) the challenge's e-mail with a new code, within the throttle."""
        slot = self._sloten.setdefault(uitdaging.id, asyncio.Lock())
        async with slot:
            actueel = self.haal(uitdaging.id, uitdaging.login_id)
            if actueel is None or actueel.status != "open":
                return Verzending(verstuurd=False, mislukt=True)
            wacht = self.wachttijd(actueel)
            if wacht > 0:
                return Verzending(verstuurd=False, wacht_seconden=wacht)
            nu = self._klok.nu_voor(actueel.gebruiker_id)
            reservering = self._reserveer(actueel, nu)  # other logins may be sending at this moment
            if reservering is None:
                return Verzending(verstuurd=False, wacht_seconden=max(1, self.wachttijd(actueel)))
            code = f"{secrets.randbelow(10**6):06d}"
            link_token = secrets.token_urlsafe(32)
            try:
                await run_in_threadpool(self._mailer.verstuur, maak_bericht(code, link_token))
            except MailFout:
                self._db.uitvoeren("DELETE FROM verzendingen WHERE id = ?", (reservering,))
                return Verzending(verstuurd=False, mislukt=True)
            self._db.uitvoeren(
                "UPDATE uitdagingen SET code_hash = ?, link_hash = ?, verloopt = ?, fouten = 0,"
                " aantal_verzonden = aantal_verzonden + 1, laatst_verzonden = ?"
                " WHERE id = ? AND status = 'open'",
                (_code_hash(actueel.zout, code), token_hash(link_token), nu + GELDIG_SECONDEN, nu, actueel.id),
            )
            return Verzending(verstuurd=True)

    def controleer(self, uitdaging: Uitdaging, invoer: str, *, via_link: bool = False, verbruik: bool = True) -> Uitkomst:
        """Check an entered code (or the e-mail's link token); a right one is used up (unless verbruik is False)."""
        actueel = self.haal(uitdaging.id, uitdaging.login_id)
        if actueel is None or actueel.status != "open" or actueel.code_hash is None:
            return Uitkomst.ONJUIST
        if actueel.fouten >= MAX_FOUTEN:
            return Uitkomst.TE_VEEL
        if self._klok.nu_voor(actueel.gebruiker_id) > actueel.verloopt:
            return Uitkomst.VERLOPEN
        if via_link:  # a random 256-bit token: a wrong one (a link on another site) must not use up the typed tries
            if not gelijk(actueel.link_hash, token_hash(invoer.strip())):
                return Uitkomst.ONJUIST
            return Uitkomst.GOED if not verbruik or self.verbruik(actueel) else Uitkomst.ONJUIST
        geteld = self._db.uitvoeren(  # count the try first: parallel tries cannot pass the limit
            "UPDATE uitdagingen SET fouten = fouten + 1 WHERE id = ? AND status = 'open' AND fouten < ?",
            (actueel.id, MAX_FOUTEN),
        )
        if geteld.rowcount != 1:
            return Uitkomst.TE_VEEL
        if gelijk(actueel.code_hash, _code_hash(actueel.zout, invoer.strip())):
            return Uitkomst.GOED if not verbruik or self.verbruik(actueel) else Uitkomst.ONJUIST
        rij = self._db.een("SELECT fouten FROM uitdagingen WHERE id = ?", (actueel.id,))
        return Uitkomst.TE_VEEL if rij is not None and rij["fouten"] >= MAX_FOUTEN else Uitkomst.ONJUIST

    def verbruik(self, uitdaging: Uitdaging) -> bool:
        """Use up a challenge whose code was found right: once, also under parallel requests, and not after a resend."""
        gebruikt = self._db.uitvoeren(
            "UPDATE uitdagingen SET status = 'gebruikt', code_hash = NULL, link_hash = NULL"
            " WHERE id = ? AND status = 'open' AND code_hash = ?",
            (uitdaging.id, uitdaging.code_hash),
        )
        return gebruikt.rowcount == 1

    def beeindig_login(self, login_id: str) -> None:
        """End every open challenge of a login (Stoppen, or the login completed)."""
        self._db.uitvoeren(
            "UPDATE uitdagingen SET status = 'gestopt', code_hash = NULL, link_hash = NULL"
            " WHERE login_id = ? AND status = 'open'",
            (login_id,),
        )
