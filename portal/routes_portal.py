"""The portal after login: start page, Instellingen / Beveiliging (re-linking) and SSO."""
from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from portal.db import Gebruiker
from portal.koppelen import bevestig_koppelen, nieuw_geheim, toon_koppelen
from portal.routes_login import Wachtwoordstap, wachtwoord_klopt, wachtwoord_melding
from portal.security import email_veld, veld, wachtwoord_veld
from portal.web import (
    FASE_INGELOGD,
    METHODE_SSO,
    Formulier,
    GeenLogin,
    diensten,
    gebruiker_in_fase,
    naar,
    rond_login_af,
    sessie,
    toon,
)

ALLEEN_TWEE_FACTOR = "Deze tabbladen zijn alleen zichtbaar als je inlogt met twee-factorauthenticatie."
HOERA = "Hoera! Je hebt AFAS Pocket nu opnieuw gekoppeld aan het inloggen."
WACHTWOORD_ONJUIST = "Het wachtwoord is onjuist."
HERKOPPELEN_SECONDEN = 10 * 60  # how long the password just typed allows the koppelen screen


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


class AlleenTweeFactor(Exception):
    """The tabs were asked for after an SSO login; the app answers with the 403 page."""

    def __init__(self, titel: str) -> None:
        super().__init__(titel)
        self.titel = titel


def persoon_met_tabbladen(request: Request) -> Gebruiker:
    """The person for the tabs; GeenLogin when nobody is logged in, AlleenTweeFactor after SSO."""
    gebruiker = gebruiker_in_fase(request, FASE_INGELOGD)
    if gebruiker is None:
        raise GeenLogin()
    if sessie(request).data.get("methode") == METHODE_SSO:
        raise AlleenTweeFactor("Instellingen" if request.url.path == "/instellingen" else "Beveiliging")
    return gebruiker


# on a POST, Formulier comes first: a form without its CSRF token gets the 403 before anything else
TabbladPersoon = Annotated[Gebruiker, Depends(persoon_met_tabbladen)]


@router.get("/portal")
async def portal(request: Request) -> Response:
    """The start page after login."""
    gebruiker = gebruiker_in_fase(request, FASE_INGELOGD)
    if gebruiker is None:
        return RedirectResponse("/inloggen", status_code=303)
    return toon(request, "portal.html", gebruiker=gebruiker)


@router.get("/instellingen")
async def instellingen(request: Request, gebruiker: TabbladPersoon) -> Response:
    """The tab Instellingen: name and e-mail."""
    return toon(request, "instellingen.html", gebruiker=gebruiker)


@router.get("/instellingen/beveiliging")
async def beveiliging(request: Request, gebruiker: TabbladPersoon) -> Response:
    """The tab Beveiliging with 'Opnieuw koppelen'."""
    return toon(request, "beveiliging.html", gebruiker=gebruiker)


@router.post("/instellingen/beveiliging/opnieuw-koppelen")
async def opnieuw_koppelen(request: Request, gegevens: Formulier, gebruiker: TabbladPersoon) -> Response:
    """'Opnieuw koppelen' with the password typed again: a fresh secret, then the QR screen."""
    uitkomst = await wachtwoord_klopt(request, gebruiker.email, wachtwoord_veld(gegevens, "wachtwoord"))
    if uitkomst is not Wachtwoordstap.GOED:
        geblokkeerd = uitkomst is Wachtwoordstap.GEBLOKKEERD
        sessie(request).meld(alert=wachtwoord_melding(uitkomst) if geblokkeerd else WACHTWOORD_ONJUIST)
        return naar("/instellingen/beveiliging")
    sessie(request).zet(herkoppelen_tot=time.time() + HERKOPPELEN_SECONDEN)
    nieuw_geheim(request)
    return naar("/instellingen/beveiliging/koppelen")


def _herkoppelen_toegestaan(request: Request) -> bool:
    """Whether the password was typed again for re-linking, a short while ago, in this session."""
    return float(sessie(request).data.get("herkoppelen_tot", 0)) > time.time()


@router.get("/instellingen/beveiliging/koppelen")
async def koppelen(request: Request, gebruiker: TabbladPersoon) -> Response:
    """The QR screen of re-linking from Beveiliging (only right after the password)."""
    if not _herkoppelen_toegestaan(request):
        return naar("/instellingen/beveiliging")
    return toon_koppelen(request, gebruiker, "/instellingen/beveiliging/koppelen")


@router.post("/instellingen/beveiliging/koppelen")
async def koppelen_verstuur(request: Request, gegevens: Formulier, gebruiker: TabbladPersoon) -> Response:
    """Link the scanned secret; the old secret, devices and every other session stop working."""
    if not _herkoppelen_toegestaan(request):
        return naar("/instellingen/beveiliging")
    if not await bevestig_koppelen(request, gebruiker, veld(gegevens, "code")):
        return naar("/instellingen/beveiliging/koppelen")
    sessie(request).haal_weg("herkoppelen_tot")
    sessie(request).meld(status=HOERA)
    return naar("/instellingen/beveiliging")


# -- SSO ----------------------------------------------------------------------------------


@router.get("/{nummer:deelnemersnummer}")
async def sso_ingang(nummer: str) -> Response:
    """afasonline.nl/12345: to the organisation's identity provider."""
    return RedirectResponse(f"/sso/{nummer}", status_code=302)


def _organisatie(request: Request, nummer: str) -> tuple[int, str]:
    """Return id and name of the organisation with this number and SSO; else 404, the same as an unknown number."""
    organisatie = diensten(request).db.organisatie_met_nummer(nummer)
    if organisatie is None or not organisatie.sso:
        raise HTTPException(status_code=404)
    return organisatie.id, organisatie.naam


@router.get("/sso/{nummer:deelnemersnummer}")
async def sso(request: Request, nummer: str) -> Response:
    """The organisation's identity provider (served by the reference portal)."""
    _, naam = _organisatie(request, nummer)
    return toon(request, "sso.html", organisatie=naam, nummer=nummer)


@router.post("/sso/{nummer:deelnemersnummer}")
async def sso_verstuur(request: Request, nummer: str, gegevens: Formulier) -> Response:
    """Sign on with the organisation's account: logged in without a second factor."""
    organisatie_id, _ = _organisatie(request, nummer)
    email, wachtwoord = email_veld(gegevens, "email"), wachtwoord_veld(gegevens, "wachtwoord")
    uitkomst = await wachtwoord_klopt(request, email, wachtwoord, organisatie_id)
    if uitkomst is not Wachtwoordstap.GOED:
        sessie(request).meld(alert=wachtwoord_melding(uitkomst), email=email)
        return naar(f"/sso/{nummer}")
    gebruiker = diensten(request).db.gebruiker_met_email(email)
    assert gebruiker is not None
    return rond_login_af(request, gebruiker, METHODE_SSO)
