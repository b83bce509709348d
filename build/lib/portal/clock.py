"""The organisation clock: real time plus the organisation's offset."""
from __future__ import annotations

import time

from portal.db import Database


class Klok:
    """Tells the time as an organisation's screens see it."""

    def __init__(self, db: Database) -> None:
        """Read offsets from this database."""
        self._db = db

    def nu(self, organisatie_id: int) -> float:
        """Return the organisation's current time in seconds since the epoch."""
        rij = self._db.een("SELECT klok_offset FROM organisaties WHERE id = ?", (organisatie_id,))
        return time.time() + (rij["klok_offset"] if rij else 0.0)

    def nu_voor(self, gebruiker_id: int) -> float:
        """Return the current time of the person's organisation."""
        rij = self._db.een(
            "SELECT o.klok_offset FROM gebruikers g JOIN organisaties o ON o.id = g.organisatie_id"
            " WHERE g.id = ?",
            (gebruiker_id,),
        )
        return time.time() + (rij["klok_offset"] if rij else 0.0)

    def verzet(self, organisatie_id: int, seconden: float) -> float:
        """Move the organisation's clock forward and return the new offset."""
        self._db.uitvoeren(
            "UPDATE organisaties SET klok_offset = klok_offset + ? WHERE id = ?", (seconden, organisatie_id)
        )
        rij = self._db.een("SELECT klok_offset FROM organisaties WHERE id = ?", (organisatie_id,))
        return float(rij["klok_offset"]) if rij else 0.0
