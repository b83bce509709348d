"""The 'Koppel AFAS Pocket' (QR) screen, shared by manier 1 and Instellingen / Beveiliging."""
from __future__ import annotations

import logging

import segno
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from portal import mailer, totp
from portal.db import Gebruiker
from portal.web import diensten, sessie, toon

CODE_ONJUIST = "De code is onjuist."

log = logging.getLogger("portal.koppelen")


def nieuw_geheim(request: Request) -> None:
    """Prepare a fresh secret for the next koppelen screen of this session."""
    sessie(request).zet(koppel_geheim=totp.nieuw_geheim())


def toon_koppelen(request: Request, gebruiker: Gebruiker, actie: str) -> Response:
    """Show the QR code of the session's pending secret; the form posts to actie."""
    s = sessie(request)
    if not s.data.get("koppel_geheim"):
        nieuw_geheim(request)
    uri = totp.otpauth_uri(gebruiker.email, str(s.data["koppel_geheim"]))
    qr = segno.make(uri, error="m").png_data_uri(scale=6, border=4)
    return toon(request, "koppelen.html", qr=qr, actie=actie)


async def bevestig_koppelen(request: Request, gebruiker: Gebruiker, code: str) -> bool:
    """Link the pending secret if the code proves it was scanned: every other session ends, the person is e-mailed."""
    d, s = diensten(request), sessie(request)
    geheim = s.data.get("koppel_geheim")
    if not geheim or not d.pocket.koppel(gebruiker, str(geheim), code):
        s.meld(alert=CODE_ONJUIST)
        return False
    s.haal_weg("koppel_geheim")
    s.zet(generatie=d.db.beeindig_sessies(gebruiker.id))  # this session goes on, all others end
    try:
        await run_in_threadpool(d.mailer.verstuur, mailer.gekoppeld_bericht(gebruiker.email))
    except mailer.MailFout:
        log.warning("melding van de nieuwe koppeling kon niet worden verstuurd")
    return True
