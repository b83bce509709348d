"""The device API that AFAS Pocket talks to (JSON, bearer tokens, no cookies)."""
from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from portal.pocket import Apparaat, TweedeStap
from portal.routes_login import Wachtwoordstap, wachtwoord_klopt
from portal.web import diensten, zolang_verbonden

router = APIRouter(prefix="/api/pocket")

ONJUIST = "Het e-mailadres, het wachtwoord of de code is onjuist."
GEBLOKKEERD = "Te veel onjuiste pogingen. Probeer het over 15 minuten opnieuw."


class Registratie(BaseModel):
    """The body of a device registration."""

    email: str = Field(max_length=320)
    wachtwoord: str = Field(max_length=1000)
    code: str = Field(max_length=16)
    naam: str = Field(default="AFAS Pocket", max_length=100)


def _fout(status: int, tekst: str) -> JSONResponse:
    """Return a JSON error answer."""
    return JSONResponse({"fout": tekst}, status_code=status)


def _apparaat(request: Request) -> Apparaat | None:
    """Return the registered device of the request's bearer token."""
    soort, _, token = request.headers.get("authorization", "").partition(" ")
    if soort.lower() != "bearer" or not token.strip():
        return None
    return diensten(request).pocket.apparaat(token.strip())


@router.post("/registreer")
async def registreer(request: Request, registratie: Registratie) -> Response:
    """Register the phone for push with the password and a current TOTP code; replaces an earlier device.

    Unknown and existing accounts get the same answers after the same work (one argon2 verify); the code is
    only looked at after the right password, so a stranger cannot use up the account's code limit.
    """
    d = diensten(request)
    wachtwoord = await wachtwoord_klopt(request, registratie.email.strip(), registratie.wachtwoord)
    if wachtwoord is Wachtwoordstap.GEBLOKKEERD:
        return _fout(429, GEBLOKKEERD)
    gebruiker = d.db.gebruiker_met_email(registratie.email)
    if wachtwoord is not Wachtwoordstap.GOED or gebruiker is None or not gebruiker.pocket_gekoppeld:
        return _fout(401, ONJUIST)
    code = d.pocket.controleer(gebruiker, registratie.code)
    if code is TweedeStap.GEBLOKKEERD:
        return _fout(429, GEBLOKKEERD)
    if code is not TweedeStap.GOED:
        return _fout(401, ONJUIST)
    apparaat, token = d.pocket.registreer(gebruiker, registratie.naam)
    return JSONResponse({"apparaat_id": apparaat.id, "token": token}, status_code=201)


@router.get("/verzoeken")
async def verzoeken(request: Request, wacht: float = Query(default=0, ge=0, le=25)) -> Response:
    """The pending login requests of the device's person; with wacht: a long poll."""
    apparaat = _apparaat(request)
    if apparaat is None:
        return _fout(401, "Onbekend apparaat.")
    lijst = await zolang_verbonden(request, diensten(request).push.wacht_op_openstaand(apparaat.gebruiker_id, wacht), [])
    return JSONResponse({"verzoeken": lijst}, headers={"Cache-Control": "no-store"})


async def _beslis(request: Request, verzoek_id: str, goedkeuren: bool) -> Response:
    """Approve or deny one request of this device's person."""
    apparaat = _apparaat(request)
    if apparaat is None:
        return _fout(401, "Onbekend apparaat.")
    uitkomst = diensten(request).push.beslis(verzoek_id, apparaat.gebruiker_id, goedkeuren)
    if uitkomst is None:
        return _fout(404, "Onbekend inlogverzoek.")
    if uitkomst == "niet_open":
        return _fout(409, "Dit inlogverzoek is niet meer open.")
    return JSONResponse({"status": uitkomst})


@router.post("/verzoeken/{verzoek_id}/goedkeuren")
async def goedkeuren(request: Request, verzoek_id: str) -> Response:
    """Approve a login request: completes exactly the login it belongs to."""
    return await _beslis(request, verzoek_id, True)


@router.post("/verzoeken/{verzoek_id}/weigeren")
async def weigeren(request: Request, verzoek_id: str) -> Response:
    """Deny a login request."""
    return await _beslis(request, verzoek_id, False)
