"""Login screens: password step, second step (push or code), 'Geen melding ontvangen?', logout."""
from __future__ import annotations

from urllib.parse import unquote

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from portal.db import Gebruiker
from portal.security import EMAIL_COOKIE, veld
from portal.web import (
    FASE_INGELOGD,
    FASE_TWEEDE_STAP,
    Formulier,
    LoginPersoon,
    begin_tweede_stap,
    diensten,
    naar,
    rond_login_af,
    sessie,
    stop_login,
    toon,
)

ONJUIST_WACHTWOORD = "Het e-mailadres of wachtwoord is onjuist."
CODE_ONJUIST = "De code is onjuist."
TE_VEEL_POGINGEN = "Te veel onjuiste pogingen. Log opnieuw in."
GEWEIGERD = "Het inlogverzoek is geweigerd."
MAX_CODE_FOUTEN = 5
PUSH_WACHT_SECONDEN = 20.0

router = APIRouter()


@router.get("/")
async def begin() -> Response:
    """Send visitors to the login screen."""
    return RedirectResponse("/inloggen", status_code=302)


@router.get("/gezondheid")
async def gezondheid() -> Response:
    """Tell that the portal is ready."""
    return JSONResponse({"status": "ok"})


@router.get("/inloggen")
async def inloggen(request: Request) -> Response:
    """Show the login screen, prefilled with the remembered e-mail address."""
    if sessie(request).data.get("fase") == FASE_INGELOGD:
        return RedirectResponse("/portal", status_code=303)
    onthouden = unquote(request.cookies.get(EMAIL_COOKIE, "")) or None
    return toon(request, "inloggen.html", onthouden=onthouden)


async def wachtwoord_klopt(request: Request, email: str, wachtwoord: str, organisatie_id: int | None = None) -> bool:
    """Check e-mail and password the same way for known and unknown people (no enumeration)."""
    d = diensten(request)
    gebruiker = d.db.gebruiker_met_email(email) if email else None
    bruikbaar = gebruiker is not None and gebruiker.actief and (
        organisatie_id is None or gebruiker.organisatie_id == organisatie_id
    )
    hash_ = gebruiker.wachtwoord_hash if bruikbaar and gebruiker else None
    return await run_in_threadpool(d.wachtwoorden.controleer, hash_, wachtwoord)


@router.post("/inloggen")
async def inloggen_verstuur(request: Request, gegevens: Formulier) -> Response:
    """The password step: on success, on to the second step with a new session id."""
    email, wachtwoord = veld(gegevens, "email"), str(gegevens.get("wachtwoord") or "")
    if not await wachtwoord_klopt(request, email, wachtwoord):
        sessie(request).meld(alert=ONJUIST_WACHTWOORD, email=email)
        return naar("/inloggen")
    gebruiker = diensten(request).db.gebruiker_met_email(email)
    assert gebruiker is not None
    begin_tweede_stap(request, gebruiker)
    return naar("/inloggen/tweede-stap")


@router.get("/inloggen/tweede-stap")
async def tweede_stap(request: Request, gebruiker: LoginPersoon) -> Response:
    """Show the second step: wait for the push request or type the code; or the recovery options."""
    if not gebruiker.pocket_gekoppeld:
        return toon(request, "tweede_stap.html", gekoppeld=False)
    s = sessie(request)
    status = diensten(request).push.status(s.data.get("verzoek_id"), s.data.get("login_id"))
    if status == "verlopen":
        s.zet(verzoek_id=diensten(request).push.maak(gebruiker.id, str(s.data["login_id"])))
        status = "wacht"
    if status == "goedgekeurd":
        return await _push_afronden(request, gebruiker)
    alert = GEWEIGERD if status == "geweigerd" else None
    return toon(request, "tweede_stap.html", gekoppeld=True, wacht=status == "wacht", push_alert=alert)


@router.post("/inloggen/tweede-stap")
async def tweede_stap_code(request: Request, gegevens: Formulier, gebruiker: LoginPersoon) -> Response:
    """Complete the login with the 6-digit code from AFAS Pocket; 5 wrong codes end it."""
    if diensten(request).pocket.verbruik_code(gebruiker, veld(gegevens, "code")):
        return rond_login_af(request, gebruiker, "code")
    s = sessie(request)
    fouten = int(s.data.get("totp_fouten", 0)) + 1
    if fouten >= MAX_CODE_FOUTEN:
        return stop_login(request, alert=TE_VEEL_POGINGEN)
    s.zet(totp_fouten=fouten)
    s.meld(alert=CODE_ONJUIST)
    return naar("/inloggen/tweede-stap")


@router.get("/inloggen/push-status")
async def push_status(request: Request) -> Response:
    """Long poll for the page's script: the status of this login's push request."""
    s = sessie(request)
    if s.data.get("fase") != FASE_TWEEDE_STAP:
        return JSONResponse({"status": "verlopen"})
    status = await diensten(request).push.wacht_op_besluit(
        s.data.get("verzoek_id"), s.data.get("login_id"), PUSH_WACHT_SECONDEN
    )
    return JSONResponse({"status": status}, headers={"Cache-Control": "no-store"})


@router.post("/inloggen/push")
async def push_afronden(request: Request, _: Formulier, gebruiker: LoginPersoon) -> Response:
    """Complete the login whose own push request was approved (the script posts here)."""
    return await _push_afronden(request, gebruiker)


async def _push_afronden(request: Request, gebruiker: Gebruiker) -> Response:
    """Use up the session's approved request and complete its login."""
    s = sessie(request)
    if diensten(request).push.gebruik(s.data.get("verzoek_id"), s.data.get("login_id")):
        return rond_login_af(request, gebruiker, "push")
    return naar("/inloggen/tweede-stap")


@router.post("/inloggen/geen-melding")
async def geen_melding_knop(_: Formulier) -> Response:
    """The button 'Geen melding ontvangen?'."""
    return naar("/inloggen/geen-melding")


@router.get("/inloggen/geen-melding")
async def geen_melding(request: Request, gebruiker: LoginPersoon) -> Response:
    """Explain what to do without a notification and offer both ways to recover."""
    s = sessie(request)
    wacht = gebruiker.pocket_gekoppeld and diensten(request).push.status(
        s.data.get("verzoek_id"), s.data.get("login_id")
    ) == "wacht"
    return toon(request, "geen_melding.html", wacht=wacht)


@router.post("/uitloggen")
async def uitloggen(request: Request, _: Formulier) -> Response:
    """End the session and go to the login screen."""
    s = sessie(request)
    s.data = {}
    s.vernieuw()
    return naar("/inloggen")
