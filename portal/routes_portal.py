"""The portal after login: start page, Instellingen / Beveiliging (re-linking) and SSO."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from portal.db import Gebruiker
from portal.koppelen import bevestig_koppelen, nieuw_geheim, toon_koppelen
from portal.routes_login import ONJUIST_WACHTWOORD, wachtwoord_klopt
from portal.security import formulier, veld
from portal.web import FASE_INGELOGD, METHODE_SSO, diensten, gebruiker_in_fase, naar, rond_login_af, sessie, toon

ALLEEN_TWEE_FACTOR = "Deze tabbladen zijn alleen zichtbaar als je inlogt met twee-factorauthenticatie."
HOERA = "Hoera! Je hebt AFAS Pocket nu opnieuw gekoppeld aan het inloggen."


class Deelnemersnummer(Convertor[str]):
    """A path segment of exactly five digits."""

    regex = r"[0-9]{5}"

    def convert(self, value: str) -> str:
        """Keep the number as text."""
        return value

    def to_string(self, value: str) -> str:
        """Keep the number as text."""
        return value


register_url_convertor("deelnemersnummer", Deelnemersnummer())

router = APIRouter()


def _tabbladen(request: Request, titel: str = "Beveiliging") -> Gebruiker | Response:
    """Return the person for the tabs, a redirect to log in, or the 403 after SSO."""
    gebruiker = gebruiker_in_fase(request, FASE_INGELOGD)
    if gebruiker is None:
        return naar("/inloggen")
    if sessie(request).data.get("methode") == METHODE_SSO:
        return toon(request, "fout.html", status_code=403, titel=titel, melding=ALLEEN_TWEE_FACTOR)
    return gebruiker


@router.get("/portal")
async def portal(request: Request) -> Response:
    """The start page after login."""
    gebruiker = gebruiker_in_fase(request, FASE_INGELOGD)
    if gebruiker is None:
        return RedirectResponse("/inloggen", status_code=303)
    return toon(request, "portal.html", gebruiker=gebruiker)


@router.get("/instellingen")
async def instellingen(request: Request) -> Response:
    """The tab Instellingen: name and e-mail."""
    gebruiker = _tabbladen(request, "Instellingen")
    if isinstance(gebruiker, Response):
        return gebruiker
    return toon(request, "instellingen.html", gebruiker=gebruiker)


@router.get("/instellingen/beveiliging")
async def beveiliging(request: Request) -> Response:
    """The tab Beveiliging with 'Opnieuw koppelen'."""
    gebruiker = _tabbladen(request)
    if isinstance(gebruiker, Response):
        return gebruiker
    return toon(request, "beveiliging.html", gebruiker=gebruiker)


@router.post("/instellingen/beveiliging/opnieuw-koppelen")
async def opnieuw_koppelen(request: Request) -> Response:
    """'Opnieuw koppelen': a fresh secret, then the QR screen."""
    await formulier(request)
    gebruiker = _tabbladen(request)
    if isinstance(gebruiker, Response):
        return gebruiker
    nieuw_geheim(request)
    return naar("/instellingen/beveiliging/koppelen")


@router.get("/instellingen/beveiliging/koppelen")
async def koppelen(request: Request) -> Response:
    """The QR screen of re-linking from Beveiliging."""
    gebruiker = _tabbladen(request)
    if isinstance(gebruiker, Response):
        return gebruiker
    return toon_koppelen(request, gebruiker, "/instellingen/beveiliging/koppelen")


@router.post("/instellingen/beveiliging/koppelen")
async def koppelen_verstuur(request: Request) -> Response:
    """Link the scanned secret; the old secret and devices stop working."""
    gegevens = await formulier(request)
    gebruiker = _tabbladen(request)
    if isinstance(gebruiker, Response):
        return gebruiker
    if not bevestig_koppelen(request, gebruiker, veld(gegevens, "code")):
        return naar("/instellingen/beveiliging/koppelen")
    sessie(request).meld(status=HOERA)
    return naar("/instellingen/beveiliging")


# -- SSO ----------------------------------------------------------------------------------


@router.get("/{nummer:deelnemersnummer}")
async def sso_ingang(nummer: str) -> Response:
    """afasonline.nl/12345: to the organisation's identity provider."""
    return RedirectResponse(f"/sso/{nummer}", status_code=302)


def _organisatie(request: Request, nummer: str) -> tuple[int, str]:
    """Return id and name of the organisation with this number, or 404."""
    organisatie = diensten(request).db.organisatie_met_nummer(nummer)
    if organisatie is None:
        raise HTTPException(status_code=404)
    return organisatie.id, organisatie.naam


@router.get("/sso/{nummer:deelnemersnummer}")
async def sso(request: Request, nummer: str) -> Response:
    """The organisation's identity provider (served by the reference portal)."""
    _, naam = _organisatie(request, nummer)
    return toon(request, "sso.html", organisatie=naam, nummer=nummer)


@router.post("/sso/{nummer:deelnemersnummer}")
async def sso_verstuur(request: Request, nummer: str) -> Response:
    """Sign on with the organisation's account: logged in without a second factor."""
    gegevens = await formulier(request)
    organisatie_id, _ = _organisatie(request, nummer)
    email, wachtwoord = veld(gegevens, "email"), str(gegevens.get("wachtwoord") or "")
    if not await wachtwoord_klopt(request, email, wachtwoord, organisatie_id):
        sessie(request).meld(alert=ONJUIST_WACHTWOORD, email=email)
        return naar(f"/sso/{nummer}")
    gebruiker = diensten(request).db.gebruiker_met_email(email)
    assert gebruiker is not None
    return rond_login_af(request, gebruiker, METHODE_SSO)
