"""Limits per account (not per session) that parallel requests cannot race.

An attempt is counted by one conditional INSERT (SQLite runs a statement atomically, and the connection's
lock serialises them): it is only written while fewer than the limit are in the window. The attempt is
counted before the slow check (argon2, TOTP, SMTP) and given back when it turned out right, so N parallel
requests never get more than the limit of checks, whatever order they finish in.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from portal.db import Database


@dataclass(frozen=True)
class Limiet:
    """At most `aantal` counted attempts of one kind per key in a sliding window of `venster` seconds."""

    soort: str
    aantal: int
    venster: float

    @property
    def minuten(self) -> int:
        """The window in whole minutes, for messages."""
        return math.ceil(self.venster / 60)


TWEEDE_STAP = Limiet("tweede_stap", 10, 15 * 60)  # wrong Pocket codes per account (login and device API)
WACHTWOORD = Limiet("wachtwoord", 10, 15 * 60)  # wrong passwords per e-mail address (or per trusted browser)
PUSH = Limiet("push", 5, 15 * 60)  # push login requests per account (MFA fatigue)


class Limieten:
    """Counts attempts per key in the database."""

    def __init__(self, db: Database) -> None:
        """Count in this database."""
        self._db = db

    def neem(self, limiet: Limiet, sleutel: str, nu: float) -> int | None:
        """Count one attempt if the limit allows it; its id (to give back), or None when the limit is reached."""
        cursor = self._db.uitvoeren(
            "INSERT INTO pogingen (sleutel, soort, tijd) SELECT ?, ?, ?"
            " WHERE (SELECT COUNT(*) FROM pogingen WHERE sleutel = ? AND soort = ? AND tijd > ?) < ?",
            (sleutel, limiet.soort, nu, sleutel, limiet.soort, nu - limiet.venster, limiet.aantal),
        )
        return cursor.lastrowid if cursor.rowcount == 1 else None

    def geef_terug(self, poging_id: int) -> None:
        """Uncount an attempt that turned out right."""
        self._db.uitvoeren("DELETE FROM pogingen WHERE id = ?", (poging_id,))

    def bereikt(self, limiet: Limiet, sleutel: str, nu: float) -> bool:
        """Whether the limit is reached right now (for showing a screen; counting uses neem)."""
        rij = self._db.een(
            "SELECT COUNT(*) AS n FROM pogingen WHERE sleutel = ? AND soort = ? AND tijd > ?",
            (sleutel, limiet.soort, nu - limiet.venster),
        )
        return bool(rij) and int(rij["n"]) >= limiet.aantal
