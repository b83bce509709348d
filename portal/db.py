"""SQLite storage: schema, a thread-safe connection and the queries on people."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS organisaties (
    id INTEGER PRIMARY KEY,
    naam TEXT NOT NULL,
    deelnemersnummer TEXT NOT NULL UNIQUE,
    klok_offset REAL NOT NULL DEFAULT 0,
    sso INTEGER NOT NULL DEFAULT 0,
    totp_venster INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS gebruikers (
    id INTEGER PRIMARY KEY,
    organisatie_id INTEGER NOT NULL REFERENCES organisaties(id),
    naam TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    wachtwoord_hash TEXT NOT NULL,
    actief INTEGER NOT NULL DEFAULT 1,
    totp_geheim TEXT,
    totp_laatste_stap INTEGER NOT NULL DEFAULT -1,
    sessie_generatie INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS apparaten (
    id TEXT PRIMARY KEY,
    gebruiker_id INTEGER NOT NULL REFERENCES gebruikers(id),
    naam TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    aangemaakt REAL NOT NULL,
    gebruikt REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessies (
    id_hash TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    aangemaakt REAL NOT NULL,
    gebruikt REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS verzoeken (
    id TEXT PRIMARY KEY,
    gebruiker_id INTEGER NOT NULL REFERENCES gebruikers(id),
    login_id TEXT NOT NULL,
    status TEXT NOT NULL,
    aangemaakt REAL NOT NULL,
    omschrijving TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS uitdagingen (
    id TEXT PRIMARY KEY,
    gebruiker_id INTEGER NOT NULL REFERENCES gebruikers(id),
    ontvanger_id INTEGER NOT NULL REFERENCES gebruikers(id),
    doel TEXT NOT NULL,
    login_id TEXT NOT NULL,
    zout TEXT NOT NULL,
    code_hash TEXT,
    link_hash TEXT,
    verloopt REAL NOT NULL DEFAULT 0,
    fouten INTEGER NOT NULL DEFAULT 0,
    aantal_verzonden INTEGER NOT NULL DEFAULT 0,
    laatst_verzonden REAL NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open'
);
CREATE TABLE IF NOT EXISTS verzendingen (
    id INTEGER PRIMARY KEY,
    gebruiker_id INTEGER NOT NULL REFERENCES gebruikers(id),
    ontvanger_id INTEGER NOT NULL REFERENCES gebruikers(id),
    doel TEXT NOT NULL,
    tijd REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS aanmeldingen (
    id INTEGER PRIMARY KEY,
    gebruiker_id INTEGER NOT NULL REFERENCES gebruikers(id),
    organisatie_id INTEGER NOT NULL REFERENCES organisaties(id),
    email TEXT NOT NULL,
    methode TEXT NOT NULL,
    collega TEXT,
    tijd REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS pogingen (
    id INTEGER PRIMARY KEY,
    sleutel TEXT NOT NULL,
    soort TEXT NOT NULL,
    tijd REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS vertrouwde_browsers (
    token_hash TEXT PRIMARY KEY,
    gebruiker_id INTEGER NOT NULL REFERENCES gebruikers(id),
    aangemaakt REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS pogingen_sleutel ON pogingen(sleutel, soort, tijd);
CREATE INDEX IF NOT EXISTS verzendingen_ontvanger ON verzendingen(ontvanger_id, doel, tijd);
CREATE INDEX IF NOT EXISTS verzoeken_gebruiker ON verzoeken(gebruiker_id, status);
CREATE INDEX IF NOT EXISTS verzendingen_gebruiker ON verzendingen(gebruiker_id, doel, tijd);
"""


@dataclass(frozen=True)
class Organisatie:
    """An organisation (customer) with its own clock offset."""

    id: int
    naam: str
    deelnemersnummer: str
    klok_offset: float
    sso: bool
    totp_venster: int = 1  # time steps either side of now its TOTP check accepts (RFC 6238 section 5.2)


@dataclass(frozen=True)
class Gebruiker:
    """A person who can log in to the portal."""

    id: int
    organisatie_id: int
    naam: str
    email: str
    wachtwoord_hash: str
    actief: bool
    totp_geheim: str | None
    totp_laatste_stap: int
    sessie_generatie: int

    @property
    def pocket_gekoppeld(self) -> bool:
        """Whether the person has AFAS Pocket linked (a TOTP secret)."""
        return self.totp_geheim is not None


class Database:
    """One SQLite connection shared by all requests, guarded by a lock."""

    def __init__(self, pad: str) -> None:
        """Open (and create) the database file."""
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(pad, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.executescript(SCHEMA)
            kolommen = {rij["name"] for rij in self._conn.execute("PRAGMA table_info(apparaten)")}
            if "gebruikt" not in kolommen:  # a database made before device tokens expired
                self._conn.execute("ALTER TABLE apparaten ADD COLUMN gebruikt REAL NOT NULL DEFAULT 0")
                self._conn.execute("UPDATE apparaten SET gebruikt = aangemaakt")
            kolommen = {rij["name"] for rij in self._conn.execute("PRAGMA table_info(organisaties)")}
            if "totp_venster" not in kolommen:  # a database made before organisations set their TOTP window
                self._conn.execute("ALTER TABLE organisaties ADD COLUMN totp_venster INTEGER NOT NULL DEFAULT 1")

    def uitvoeren(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        """Run one statement (autocommit) and return its cursor."""
        with self._lock:
            return self._conn.execute(sql, tuple(params))

    def een(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """Return the first row of a query, or None."""
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchone()

    def alle(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Return all rows of a query."""
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    def sluit(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    # -- organisations and people -------------------------------------------------

    def organisatie(self, organisatie_id: int) -> Organisatie | None:
        """Return the organisation with this id."""
        rij = self.een("SELECT * FROM organisaties WHERE id = ?", (organisatie_id,))
        return _organisatie(rij)

    def organisatie_met_nummer(self, deelnemersnummer: str) -> Organisatie | None:
        """Return the organisation with this deelnemersnummer."""
        rij = self.een("SELECT * FROM organisaties WHERE deelnemersnummer = ?", (deelnemersnummer,))
        return _organisatie(rij)

    def gebruiker(self, gebruiker_id: int) -> Gebruiker | None:
        """Return the person with this id."""
        return _gebruiker(self.een("SELECT * FROM gebruikers WHERE id = ?", (gebruiker_id,)))

    def gebruiker_met_email(self, email: str) -> Gebruiker | None:
        """Return the person with this e-mail address (case-insensitive)."""
        return _gebruiker(self.een("SELECT * FROM gebruikers WHERE email = ?", (email.strip(),)))

    def sessie_generatie(self, gebruiker_id: int) -> int:
        """Return the person's session generation: a session of an older one has ended."""
        rij = self.een("SELECT sessie_generatie FROM gebruikers WHERE id = ?", (gebruiker_id,))
        return int(rij["sessie_generatie"]) if rij else -1

    def beeindig_sessies(self, gebruiker_id: int) -> int:
        """End every session of the person (a new generation) and return the new generation."""
        self.uitvoeren("UPDATE gebruikers SET sessie_generatie = sessie_generatie + 1 WHERE id = ?", (gebruiker_id,))
        self.uitvoeren("DELETE FROM vertrouwde_browsers WHERE gebruiker_id = ?", (gebruiker_id,))
        return self.sessie_generatie(gebruiker_id)


def _organisatie(rij: sqlite3.Row | None) -> Organisatie | None:
    """Turn an organisaties row into an Organisatie."""
    if rij is None:
        return None
    return Organisatie(
        id=rij["id"], naam=rij["naam"], deelnemersnummer=rij["deelnemersnummer"],
        klok_offset=rij["klok_offset"], sso=bool(rij["sso"]), totp_venster=int(rij["totp_venster"]),
    )


def _gebruiker(rij: sqlite3.Row | None) -> Gebruiker | None:
    """Turn a gebruikers row into a Gebruiker."""
    if rij is None:
        return None
    return Gebruiker(
        id=rij["id"],
        organisatie_id=rij["organisatie_id"],
        naam=rij["naam"],
        email=rij["email"],
        wachtwoord_hash=rij["wachtwoord_hash"],
        actief=bool(rij["actief"]),
        totp_geheim=rij["totp_geheim"],
        totp_laatste_stap=rij["totp_laatste_stap"],
        sessie_generatie=rij["sessie_generatie"],
    )
