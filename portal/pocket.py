"""The AFAS Pocket link of a person: TOTP codes, (re)linking and registered devices."""
from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass

from portal import totp
from portal.clock import Klok
from portal.db import Database, Gebruiker
from portal.limieten import TWEEDE_STAP, Limieten
from portal.security import token_hash

APPARAAT_STIL_DAGEN = 90  # a device token ends after 90 days without a call
APPARAAT_MAX_DAGEN = 365  # and a year after registration in any case: the app registers again
DAG = 24 * 3600


class TweedeStap(enum.Enum):
    """The result of checking a Pocket code against the account's limit."""

    GOED = "goed"
    ONJUIST = "onjuist"
    GEBLOKKEERD = "geblokkeerd"


@dataclass(frozen=True)
class Apparaat:
    """A registered AFAS Pocket app that receives push login requests."""

    id: str
    gebruiker_id: int
    naam: str


class Pocket:
    """Checks TOTP codes, links new secrets and keeps the registered devices."""

    def __init__(self, db: Database, klok: Klok, limieten: Limieten) -> None:
        """Use this database, organisation clock and account limits."""
        self._db = db
        self._klok = klok
        self._limieten = limieten

    def venster(self, organisatie_id: int) -> int:
        """The time steps either side of now that the organisation's TOTP check accepts (1 unless it set another)."""
        organisatie = self._db.organisatie(organisatie_id)
        return organisatie.totp_venster if organisatie else 1

    def zet_venster(self, organisatie_id: int, stappen: int) -> None:
        """Sets how many time steps either side of now the organisation's TOTP check accepts."""
        self._db.uitvoeren("UPDATE organisaties SET totp_venster = ? WHERE id = ?", (stappen, organisatie_id))

    def verbruik_code(self, gebruiker: Gebruiker, invoer: str) -> bool:
        """Accept a current TOTP code of the person's linked secret, each step only once."""
        if gebruiker.totp_geheim is None:
            return False
        nu = self._klok.nu(gebruiker.organisatie_id)
        venster = self.venster(gebruiker.organisatie_id)
        gevonden = totp.zoek_stap(gebruiker.totp_geheim, invoer, nu, gebruiker.totp_laatste_stap, venster)
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
        gevonden = totp.zoek_stap(geheim, invoer, nu, -1, self.venster(gebruiker.organisatie_id))
        if gevonden is None:
            return False
        self._db.uitvoeren(
            "UPDATE gebruikers SET totp_geheim = ?, totp_laatste_stap = ? WHERE id = ?",
            (geheim, gevonden, gebruiker.id),
        )
        self._db.uitvoeren("DELETE FROM apparaten WHERE gebruiker_id = ?", (gebruiker.id,))
        return True

    def controleer(self, gebruiker: Gebruiker, invoer: str) -> TweedeStap:
        """Check a Pocket code against the account's limit of wrong codes (shared by every login and the API)."""
        sleutel, nu = f"gebruiker:{gebruiker.id}", self._klok.nu(gebruiker.organisatie_id)
        poging = self._limieten.neem(TWEEDE_STAP, sleutel, nu)
        if poging is None:
            return TweedeStap.GEBLOKKEERD
        if self.verbruik_code(gebruiker, invoer):
            self._limieten.geef_terug(poging)
            return TweedeStap.GOED
        return TweedeStap.ONJUIST

    def geblokkeerd(self, gebruiker: Gebruiker) -> bool:
        """Whether the account's second step is locked after too many wrong codes."""
        return self._limieten.bereikt(TWEEDE_STAP, f"gebruiker:{gebruiker.id}", self._klok.nu(gebruiker.organisatie_id))

    def registreer(self, gebruiker: Gebruiker, naam: str) -> tuple[Apparaat, str]:
        """Register the person's (only) device, after password and code were checked; return it and its token."""
        self._db.uitvoeren("DELETE FROM apparaten WHERE gebruiker_id = ?", (gebruiker.id,))
        apparaat = Apparaat(id=secrets.token_hex(16), gebruiker_id=gebruiker.id, naam=naam[:100])
        token, nu = secrets.token_urlsafe(32), self._klok.nu(gebruiker.organisatie_id)
        self._db.uitvoeren(
            "INSERT INTO apparaten (id, gebruiker_id, naam, token_hash, aangemaakt, gebruikt) VALUES (?, ?, ?, ?, ?, ?)",
            (apparaat.id, gebruiker.id, apparaat.naam, token_hash(token), nu, nu),
        )
        return apparaat, token

    def apparaat(self, token: str) -> Apparaat | None:
        """Return the device that holds this token (None when unknown, removed or expired); a call keeps it alive."""
        rij = self._db.een("SELECT * FROM apparaten WHERE token_hash = ?", (token_hash(token),))
        if rij is None:
            return None
        nu = self._klok.nu_voor(rij["gebruiker_id"])
        if nu - rij["gebruikt"] > APPARAAT_STIL_DAGEN * DAG or nu - rij["aangemaakt"] > APPARAAT_MAX_DAGEN * DAG:
            self._db.uitvoeren("DELETE FROM apparaten WHERE id = ?", (rij["id"],))
            return None
        self._db.uitvoeren("UPDATE apparaten SET gebruikt = MAX(gebruikt, ?) WHERE id = ?", (nu, rij["id"]))
        return Apparaat(id=rij["id"], gebruiker_id=rij["gebruiker_id"], naam=rij["naam"])
