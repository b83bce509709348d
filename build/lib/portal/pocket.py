"""The AFAS Pocket link of a person: TOTP codes, (re)linking and registered devices."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from portal import totp
from portal.clock import Klok
from portal.db import Database, Gebruiker
from portal.security import token_hash

MAX_REGISTRATIE_FOUTEN = 5
REGISTRATIE_BLOKKADE_SECONDEN = 5 * 60


@dataclass(frozen=True)
class Apparaat:
    """A registered AFAS Pocket app that receives push login requests."""

    id: str
    gebruiker_id: int
    naam: str


class Pocket:
    """Checks TOTP codes, links new secrets and keeps the registered devices."""

    def __init__(self, db: Database, klok: Klok) -> None:
        """Use this database and organisation clock."""
        self._db = db
        self._klok = klok

    def verbruik_code(self, gebruiker: Gebruiker, invoer: str) -> bool:
        """Accept a current TOTP code of the person's linked secret, each step only once."""
        if gebruiker.totp_geheim is None:
            return False
        nu = self._klok.nu(gebruiker.organisatie_id)
        gevonden = totp.zoek_stap(gebruiker.totp_geheim, invoer, nu, gebruiker.totp_laatste_stap)
        if gevonden is None:
            return False
        bijgewerkt = self._db.uitvoeren(
            "UPDATE gebruikers SET totp_laatste_stap = ?"
            " WHERE id = ? AND totp_geheim = ? AND totp_laatste_stap < ?",
            (gevonden, gebruiker.id, gebruiker.totp_geheim, gevonden),
        )
        return bijgewerkt.rowcount == 1

    def koppel(self, gebruiker: Gebruiker, geheim: str, invoer: str) -> bool:
        """Link a new secret when the code proves it was scanned; old secret and devices end."""
        nu = self._klok.nu(gebruiker.organisatie_id)
        gevonden = totp.zoek_stap(geheim, invoer, nu, -1)
        if gevonden is None:
            return False
        self._db.uitvoeren(
            "UPDATE gebruikers SET totp_geheim = ?, totp_laatste_stap = ?, registratie_fouten = 0"
            " WHERE id = ?",
            (geheim, gevonden, gebruiker.id),
        )
        self._db.uitvoeren("DELETE FROM apparaten WHERE gebruiker_id = ?", (gebruiker.id,))
        return True

    def registratie_geblokkeerd(self, gebruiker: Gebruiker) -> bool:
        """Whether device registration is blocked after too many wrong codes."""
        rij = self._db.een("SELECT registratie_geblokkeerd_tot FROM gebruikers WHERE id = ?", (gebruiker.id,))
        return bool(rij) and self._klok.nu(gebruiker.organisatie_id) < rij["registratie_geblokkeerd_tot"]

    def registreer(self, gebruiker: Gebruiker, invoer: str, naam: str) -> tuple[Apparaat, str] | None:
        """Register the person's (only) device after a TOTP proof; return it and its token."""
        if not self.verbruik_code(gebruiker, invoer):
            self._db.uitvoeren(
                "UPDATE gebruikers SET registratie_fouten = registratie_fouten + 1 WHERE id = ?",
                (gebruiker.id,),
            )
            self._db.uitvoeren(
                "UPDATE gebruikers SET registratie_fouten = 0, registratie_geblokkeerd_tot = ?"
                " WHERE id = ? AND registratie_fouten >= ?",
                (self._klok.nu(gebruiker.organisatie_id) + REGISTRATIE_BLOKKADE_SECONDEN,
                 gebruiker.id, MAX_REGISTRATIE_FOUTEN),
            )
            return None
        self._db.uitvoeren("UPDATE gebruikers SET registratie_fouten = 0 WHERE id = ?", (gebruiker.id,))
        self._db.uitvoeren("DELETE FROM apparaten WHERE gebruiker_id = ?", (gebruiker.id,))
        apparaat = Apparaat(id=secrets.token_hex(16), gebruiker_id=gebruiker.id, naam=naam[:100])
        token = secrets.token_urlsafe(32)
        self._db.uitvoeren(
            "INSERT INTO apparaten (id, gebruiker_id, naam, token_hash, aangemaakt) VALUES (?, ?, ?, ?, ?)",
            (apparaat.id, gebruiker.id, apparaat.naam, token_hash(token), self._klok.nu(gebruiker.organisatie_id)),
        )
        return apparaat, token

    def apparaat(self, token: str) -> Apparaat | None:
        """Return the device that holds this token (None when unknown or removed)."""
        rij = self._db.een("SELECT id, gebruiker_id, naam FROM apparaten WHERE token_hash = ?", (token_hash(token),))
        return Apparaat(id=rij["id"], gebruiker_id=rij["gebruiker_id"], naam=rij["naam"]) if rij else None
