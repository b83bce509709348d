"""The 'Koppel AFAS Pocket' (QR) screen, shared by manier 1 and Instellingen / Beveiliging."""
from __future__ import annotations

import segno
from starlette.requests import Request
from starlette.responses import Response

from portal import totp
from portal.db import Gebruiker
from portal.web import diensten, sessie, toon

CODE_ONJUIST = "De code is onjuist."


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


def bevestig_koppelen(request: Request, gebruiker: Gebruiker, code: str) -> bool:
    """Link the pending secret if the code proves it was scanned; else leave the alert."""
    s = sessie(request)
    geheim = s.data.get("koppel_geheim")
    if geheim and diensten(request).pocket.koppel(gebruiker, str(geheim), code):
        s.haal_weg("koppel_geheim")
        return True
    s.meld(alert=CODE_ONJUIST)
    return False
