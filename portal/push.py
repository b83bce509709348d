"""Push login requests: created at the password step, approved or denied by the Pocket app."""
from __future__ import annotations

import asyncio
import secrets
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from portal.clock import Klok
from portal.db import Database
from portal.limieten import PUSH, Limieten
from portal.security import gelijk

VERLOOPT_SECONDEN = 2 * 60
OMSCHRIJVING = "Inloggen bij AFAS Online"

T = TypeVar("T")


class Wachtkamer:
    """Lets long polls wait for a named event without busy looping."""

    def __init__(self) -> None:
        """Start with nobody waiting."""
        self._wachtenden: defaultdict[str, set[asyncio.Event]] = defaultdict(set)

    def meld(self, sleutel: str) -> None:
        """Wake everyone waiting on this key."""
        for gebeurtenis in self._wachtenden.get(sleutel, set()):
            gebeurtenis.set()

    async def wacht_tot(self, sleutel: str, voorwaarde: Callable[[], T], seconden: float) -> T:
        """Return voorwaarde() as soon as it is truthy, or its value when the time is up."""
        loop = asyncio.get_running_loop()
        einde = loop.time() + seconden
        while True:
            gebeurtenis = asyncio.Event()
            self._wachtenden[sleutel].add(gebeurtenis)
            try:
                resultaat = voorwaarde()
                over = einde - loop.time()
                if resultaat or over <= 0:
                    return resultaat
                try:
                    await asyncio.wait_for(gebeurtenis.wait(), over)
                except TimeoutError:
                    pass
            finally:
                self._wachtenden[sleutel].discard(gebeurtenis)
                if not self._wachtenden[sleutel]:
                    del self._wachtenden[sleutel]


class Push:
    """The login requests that AFAS Pocket fetches and answers."""

    def __init__(self, db: Database, klok: Klok, limieten: Limieten) -> None:
        """Use this database, organisation clock and account limits."""
        self._db = db
        self._klok = klok
        self._limieten = limieten
        self.wachtkamer = Wachtkamer()

    def maak(self, gebruiker_id: int, login_id: str) -> str | None:
        """Create a pending request bound to one login and wake the person's devices; None over the limit."""
        self.vervallen(login_id)
        nu = self._klok.nu_voor(gebruiker_id)
        if self._limieten.neem(PUSH, f"gebruiker:{gebruiker_id}", nu) is None:
            return None
        verzoek_id = secrets.token_hex(16)
        self._db.uitvoeren(
            "INSERT INTO verzoeken (id, gebruiker_id, login_id, status, aangemaakt, omschrijving)"
            " VALUES (?, ?, ?, 'wacht', ?, ?)",
            (verzoek_id, gebruiker_id, login_id, nu, OMSCHRIJVING),
        )
        self.wachtkamer.meld(f"gebruiker:{gebruiker_id}")
        return verzoek_id

    def _verlopen(self, rij: Any) -> bool:
        """Whether a request is older than two minutes on its organisation's clock."""
        return self._klok.nu_voor(rij["gebruiker_id"]) - rij["aangemaakt"] > VERLOOPT_SECONDEN

    def status(self, verzoek_id: str | None, login_id: str | None) -> str:
        """Return wacht, goedgekeurd, geweigerd or verlopen for the login's own request."""
        rij = self._db.een("SELECT * FROM verzoeken WHERE id = ?", (verzoek_id or "",))
        if rij is None or not gelijk(rij["login_id"], login_id):
            return "verlopen"
        if rij["status"] == "wacht":
            return "verlopen" if self._verlopen(rij) else "wacht"
        return rij["status"] if rij["status"] in ("goedgekeurd", "geweigerd") else "verlopen"

    async def wacht_op_besluit(self, verzoek_id: str | None, login_id: str | None, seconden: float) -> str:
        """Return the request's status as soon as it is no longer pending (long poll)."""

        def besluit() -> str:
            """Return the status once decided, '' while pending."""
            status = self.status(verzoek_id, login_id)
            return "" if status == "wacht" else status

        return await self.wachtkamer.wacht_tot(f"verzoek:{verzoek_id}", besluit, seconden) or "wacht"

    def openstaand(self, gebruiker_id: int) -> list[dict[str, str]]:
        """Return the person's pending, unexpired requests for the device API."""
        rijen = self._db.alle(
            "SELECT * FROM verzoeken WHERE gebruiker_id = ? AND status = 'wacht' ORDER BY aangemaakt",
            (gebruiker_id,),
        )
        return [
            {
                "id": rij["id"],
                "aangemaakt": datetime.fromtimestamp(rij["aangemaakt"], UTC).isoformat(),
                "omschrijving": rij["omschrijving"],
            }
            for rij in rijen
            if not self._verlopen(rij)
        ]

    async def wacht_op_openstaand(self, gebruiker_id: int, seconden: float) -> list[dict[str, str]]:
        """Return the pending requests as soon as there is one (long poll)."""
        return await self.wachtkamer.wacht_tot(
            f"gebruiker:{gebruiker_id}", lambda: self.openstaand(gebruiker_id), seconden
        )

    def beslis(self, verzoek_id: str, gebruiker_id: int, goedkeuren: bool) -> str | None:
        """Approve or deny a pending request of this person; None when it is not theirs."""
        rij = self._db.een("SELECT * FROM verzoeken WHERE id = ?", (verzoek_id,))
        if rij is None or rij["gebruiker_id"] != gebruiker_id:
            return None
        if rij["status"] != "wacht" or self._verlopen(rij):
            return "niet_open"
        nieuw = "goedgekeurd" if goedkeuren else "geweigerd"
        bijgewerkt = self._db.uitvoeren(
            "UPDATE verzoeken SET status = ? WHERE id = ? AND status = 'wacht'", (nieuw, verzoek_id)
        )
        if bijgewerkt.rowcount != 1:
            return "niet_open"
        self.wachtkamer.meld(f"verzoek:{verzoek_id}")
        return nieuw

    def gebruik(self, verzoek_id: str | None, login_id: str | None) -> bool:
        """Use up the login's own approved request to complete that login (once)."""
        if self.status(verzoek_id, login_id) != "goedgekeurd":
            return False
        bijgewerkt = self._db.uitvoeren(
            "UPDATE verzoeken SET status = 'gebruikt' WHERE id = ? AND login_id = ? AND status = 'goedgekeurd'",
            (verzoek_id, login_id),
        )
        return bijgewerkt.rowcount == 1

    def vervallen(self, login_id: str) -> None:
        """End the pending requests of a login (it completed, stopped or asked again)."""
        rijen = self._db.alle("SELECT id FROM verzoeken WHERE login_id = ? AND status = 'wacht'", (login_id,))
        self._db.uitvoeren(
            "UPDATE verzoeken SET status = 'vervallen' WHERE login_id = ? AND status = 'wacht'", (login_id,)
        )
        for rij in rijen:
            self.wachtkamer.meld(f"verzoek:{rij['id']}")
