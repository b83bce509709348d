"""What every screen shares: services, rendering, redirects and the login state of a session."""
from __future__ import annotations

import asyncio
import secrets
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from portal.clock import Klok
from portal.codes import Codes
from portal.config import Config
from portal.db import Database, Gebruiker
from portal.limieten import Limieten
from portal.mailer import Mailer
from portal.pocket import Pocket
from portal.push import Push
from portal.security import Sessie, Sessies, Wachtwoorden, formulier

T = TypeVar("T")

FASE_TWEEDE_STAP = "tweede_stap"  # password accepted, second factor or recovery pending
FASE_INGELOGD = "ingelogd"
METHODE_SSO = "sso"

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


@dataclass
class Diensten:
    """The portal's services, built once per app."""

    config: Config
    db: Database
    klok: Klok
    wachtwoorden: Wachtwoorden
    sessies: Sessies
    mailer: Mailer
    codes: Codes
    pocket: Pocket
    push: Push
    limieten: Limieten


def diensten(request: Request) -> Diensten:
    """Return the services of the app serving this request."""
    return request.app.state.diensten  # type: ignore[no-any-return]


def sessie(request: Request) -> Sessie:
    """Return the session of this request."""
    return request.state.sessie  # type: ignore[no-any-return]


def basis_url(request: Request) -> str:
    """Return the absolute base URL for links in e-mails."""
    base_url = diensten(request).config.base_url
    assert base_url, "create_app checks the base URL"
    return base_url


def toon(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """Render a screen with the session's CSRF token, messages and tabs."""
    s = sessie(request)
    meldingen = s.pak_meldingen()
    gegevens = {
        "csrf_token": s.csrf(),
        "nonce": request.state.nonce,
        "status": meldingen["status"],
        "alert": meldingen["alert"],
        "velden": meldingen["velden"],
        "tabs": s.data.get("fase") == FASE_INGELOGD and s.data.get("methode") != METHODE_SSO,
        "ingelogd": s.data.get("fase") == FASE_INGELOGD,
    }
    gegevens.update(context)
    return templates.TemplateResponse(request, template, gegevens, status_code=status_code)


def naar(url: str) -> RedirectResponse:
    """Redirect after a form post (303 See Other)."""
    return RedirectResponse(url, status_code=303)


def gebruiker_in_fase(request: Request, fase: str) -> Gebruiker | None:
    """Return the active person of this session if the session is in this phase."""
    s = sessie(request)
    if s.data.get("fase") != fase:
        return None
    gebruiker = diensten(request).db.gebruiker(int(s.data.get("gebruiker_id", 0)))
    if gebruiker is None or not gebruiker.actief:
        return None
    if s.data.get("generatie") != gebruiker.sessie_generatie:  # ended by a recovery or re-linking elsewhere
        s.data = {}
        s.vernieuw()
        return None
    return gebruiker


class GeenLogin(Exception):
    """The session has no login in progress; the app answers with a redirect to /inloggen."""


def persoon_van_login(request: Request) -> Gebruiker:
    """Return the person whose login is in progress (second step or recovery), else raise GeenLogin."""
    gebruiker = gebruiker_in_fase(request, FASE_TWEEDE_STAP)
    if gebruiker is None:
        raise GeenLogin()
    return gebruiker


# Dependencies run in the order of the parameters: on a POST, declare Formulier before
# LoginPersoon, so a form without the right CSRF token gets its 403 before any redirect.
Formulier = Annotated[FormData, Depends(formulier)]
LoginPersoon = Annotated[Gebruiker, Depends(persoon_van_login)]


def begin_tweede_stap(request: Request, gebruiker: Gebruiker) -> None:
    """After the password: new session id, a new login, and a push request when Pocket is linked."""
    _beeindig_login(request)
    s = sessie(request)
    s.wis()
    s.vernieuw()
    login_id = secrets.token_urlsafe(16)
    s.zet(fase=FASE_TWEEDE_STAP, gebruiker_id=gebruiker.id, login_id=login_id, totp_fouten=0,
          generatie=gebruiker.sessie_generatie)
    if gebruiker.pocket_gekoppeld:
        s.zet(verzoek_id=diensten(request).push.maak(gebruiker.id, login_id))


def _beeindig_login(request: Request) -> None:
    """End the open challenges and push requests of the session's login."""
    login_id = sessie(request).data.get("login_id")
    if login_id:
        diensten(request).codes.beeindig_login(login_id)
        diensten(request).push.vervallen(login_id)


def rond_login_af(request: Request, gebruiker: Gebruiker, methode: str, collega: str | None = None) -> Response:
    """Complete a login: record it, new session id, remember the e-mail, go to the portal."""
    d = diensten(request)
    _beeindig_login(request)
    s = sessie(request)
    s.wis()
    s.vernieuw()
    s.zet(fase=FASE_INGELOGD, gebruiker_id=gebruiker.id, methode=methode,
          generatie=d.db.sessie_generatie(gebruiker.id))
    d.db.uitvoeren(
        "INSERT INTO aanmeldingen (gebruiker_id, organisatie_id, email, methode, collega, tijd)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (gebruiker.id, gebruiker.organisatie_id, gebruiker.email, methode, collega,
         d.klok.nu(gebruiker.organisatie_id)),
    )
    antwoord = naar("/portal")
    d.sessies.onthoud_email(antwoord, gebruiker.email)
    d.sessies.vertrouw_browser(antwoord, gebruiker.id)
    return antwoord


def stop_login(request: Request, *, status: str | None = None, alert: str | None = None) -> Response:
    """End the login in progress (not logged in) and go back to the login screen."""
    _beeindig_login(request)
    s = sessie(request)
    s.wis()
    s.meld(status=status, alert=alert)
    return naar("/inloggen")


async def zolang_verbonden(request: Request, wachten: Coroutine[Any, Any, T], anders: T) -> T:
    """Await a long poll's answer, or `anders` as soon as the client has gone (a closed page holds no task open)."""
    antwoord = asyncio.ensure_future(wachten)
    weg = asyncio.ensure_future(_verbinding_weg(request))
    klaar, _ = await asyncio.wait({antwoord, weg}, return_when=asyncio.FIRST_COMPLETED)
    for taak in (antwoord, weg):
        if taak not in klaar:
            taak.cancel()
    return antwoord.result() if antwoord in klaar else anders


async def _verbinding_weg(request: Request) -> None:
    """Return when the client closes its connection (the ASGI `http.disconnect` message)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
