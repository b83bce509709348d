"""Login screens: password step, second step (push or code), 'Geen melding ontvangen?', logout."""
from __future__ import annotations

import enum
import time
from urllib.parse import unquote

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from portal.db import Gebruiker
from portal.limieten import TWEEDE_STAP, WACHTWOORD
from portal.pocket import TweedeStap
from portal.security import BROWSER_COOKIE, EMAIL_COOKIE, email_veld, veld, wachtwoord_veld
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
    zolang_verbonden,
)

ONJUIST_WACHTWOORD = "Het e-mailadres of wachtwoord is onjuist."
CODE_ONJUIST = "De code is onjuist."
TE_VEEL_POGINGEN = "Te veel onjuiste pogingen. Log opnieuw in."
GEWEIGERD = "Het inlogverzoek is geweigerd."
WACHTWOORD_GEBLOKKEERD = (
    f"Te veel onjuiste pogingen met dit e-mailadres. Probeer het over {WACHTWOORD.minuten} minuten opnieuw, "
    "of log in op een apparaat waarop je eerder bent ingelogd."
)
TWEEDE_STAP_GEBLOKKEERD = (
    f"Te veel onjuiste codes. De tweede stap is {TWEEDE_STAP.minuten} minuten geblokkeerd. "
    "Kom je er niet in? Kies 'Geen melding ontvangen?' en herstel je toegang via e-mail."
)
PUSH_GEPAUZEERD = "Er zijn te veel inlogverzoeken verstuurd. Vul de 6-cijferige code uit AFAS Pocket in."
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


class Wachtwoordstap(enum.Enum):
    """The result of a password check against the address's limit."""

    GOED = "goed"
    ONJUIST = "onjuist"
    GEBLOKKEERD = "geblokkeerd"


async def wachtwoord_klopt(
    request: Request, email: str, wachtwoord: str, organisatie_id: int | None = None
) -> Wachtwoordstap:
    """Check e-mail and password the same way for known and unknown people (no enumeration), within the limit.

    Wrong passwords count per e-mail address (known or not, so the lock tells nothing); a browser in which
    the person completed a login before counts on its own, so a stranger's guesses do not lock the person out.
    """
    d = diensten(request)
    gebruiker = d.db.gebruiker_met_email(email) if email else None
    bruikbaar = gebruiker is not None and gebruiker.actief and (
        organisatie_id is None or gebruiker.organisatie_id == organisatie_id
    )
    browser = d.sessies.vertrouwde_browser(request.cookies.get(BROWSER_COOKIE), gebruiker.id if gebruiker else None)
    sleutel = f"browser:{browser}" if browser else f"email:{email.lower()}"
    poging = d.limieten.neem(WACHTWOORD, sleutel, time.time())
    if poging is None:
        return Wachtwoordstap.GEBLOKKEERD
    hash_ = gebruiker.wachtwoord_hash if bruikbaar and gebruiker else None
    if await run_in_threadpool(d.wachtwoorden.controleer, hash_, wachtwoord):
        d.limieten.geef_terug(poging)
        return Wachtwoordstap.GOED
    return Wachtwoordstap.ONJUIST


def wachtwoord_melding(uitkomst: Wachtwoordstap) -> str:
    """The alert of a refused password step."""
    return WACHTWOORD_GEBLOKKEERD if uitkomst is Wachtwoordstap.GEBLOKKEERD else ONJUIST_WACHTWOORD


@router.post("/inloggen")
async def inloggen_verstuur(request: Request, gegevens: Formulier) -> Response:
    """The password step: on success, on to the second step with a new session id."""
    email, wachtwoord = email_veld(gegevens, "email"), wachtwoord_veld(gegevens, "wachtwoord")
    uitkomst = await wachtwoord_klopt(request, email, wachtwoord)
    if uitkomst is not Wachtwoordstap.GOED:
        sessie(request).meld(alert=wachtwoord_melding(uitkomst), email=email)
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
        verzoek_id = diensten(request).push.maak(gebruiker.id, str(s.data["login_id"]))
        s.zet(verzoek_id=verzoek_id)
        status = "wacht" if verzoek_id else "gepauzeerd"
    if status == "goedgekeurd":
        return await _push_afronden(request, gebruiker)
    alert = GEWEIGERD if status == "geweigerd" else PUSH_GEPAUZEERD if status == "gepauzeerd" else None
    return toon(request, "tweede_stap.html", gekoppeld=True, wacht=status == "wacht", push_alert=alert)


@router.post("/inloggen/tweede-stap")
async def tweede_stap_code(request: Request, gegevens: Formulier, gebruiker: LoginPersoon) -> Response:
    """Complete the login with the 6-digit code from AFAS Pocket; 5 wrong codes end it, 10 per account lock it."""
    uitkomst = diensten(request).pocket.controleer(gebruiker, veld(gegevens, "code"))
    if uitkomst is TweedeStap.GOED:
        return rond_login_af(request, gebruiker, "code")
    s = sessie(request)
    if uitkomst is TweedeStap.GEBLOKKEERD:
        s.meld(alert=TWEEDE_STAP_GEBLOKKEERD)
        return naar("/inloggen/tweede-stap")
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
    status = await zolang_verbonden(request, diensten(request).push.wacht_op_besluit(
        s.data.get("verzoek_id"), s.data.get("login_id"), PUSH_WACHT_SECONDEN
    ), "wacht")
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
