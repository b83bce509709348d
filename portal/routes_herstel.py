"""Recovery: manier 1 (AFAS Pocket opnieuw instellen) and manier 2 (inloggen via een collega)."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from portal import mailer
from portal.codes import DOEL_COLLEGA, DOEL_EIGEN, DOEL_POCKET, MaakBericht, Uitdaging, Uitkomst
from portal.db import Gebruiker
from portal.koppelen import bevestig_koppelen, nieuw_geheim, toon_koppelen
from portal.security import email_veld, veld
from portal.web import (
    Formulier,
    LoginPersoon,
    basis_url,
    diensten,
    naar,
    rond_login_af,
    sessie,
    stop_login,
    toon,
)

MAIL_MISLUKT = "De e-mail kon niet worden verstuurd. Probeer het opnieuw met 'Verstuur e-mail opnieuw'."
GESTOPT = "Het inloggen is gestopt."
GEKOPPELD = "AFAS Pocket is gekoppeld. Log nu opnieuw in met de zojuist gekoppelde inlogmethode."
COLLEGA_ONBEKEND = "Deze collega kan je niet helpen met inloggen. Controleer het e-mailadres."
COLLEGA_ZELF = "Je kunt niet jezelf als collega opgeven."
CODE_MELDINGEN = {
    Uitkomst.ONJUIST: "De bevestigingscode is onjuist.",
    Uitkomst.VERLOPEN: "De bevestigingscode is verlopen. Vraag een nieuwe e-mail aan.",
    Uitkomst.TE_VEEL: "Te veel onjuiste pogingen. Vraag een nieuwe e-mail aan.",
}


@dataclass(frozen=True)
class Scherm:
    """Where a challenge of one purpose is shown and under which session key it lives."""

    pad: str
    sleutel: str


SCHERMEN = {
    DOEL_POCKET: Scherm("/herstel/pocket", "uitdaging_pocket"),
    DOEL_EIGEN: Scherm("/herstel/collega/code", "uitdaging_eigen"),
    DOEL_COLLEGA: Scherm("/herstel/collega/collega-code", "uitdaging_collega"),
}

router = APIRouter(prefix="/herstel")


def _uitdaging(request: Request, doel: str) -> Uitdaging | None:
    """Return this session's challenge of a purpose."""
    s = sessie(request)
    return diensten(request).codes.haal(s.data.get(SCHERMEN[doel].sleutel), s.data.get("login_id"))


def _bericht(request: Request, uitdaging: Uitdaging) -> MaakBericht:
    """Return how to write the e-mail of a challenge, given its new code and link token."""
    db = diensten(request).db
    persoon, ontvanger = db.gebruiker(uitdaging.gebruiker_id), db.gebruiker(uitdaging.ontvanger_id)
    assert persoon is not None and ontvanger is not None
    if uitdaging.doel == DOEL_POCKET:
        basis = basis_url(request)
        return lambda code, link: mailer.pocket_bericht(ontvanger.email, code, f"{basis}/herstel/bevestig?token={link}")
    if uitdaging.doel == DOEL_EIGEN:
        return lambda code, _link: mailer.eigen_code_bericht(ontvanger.email, code)
    return lambda code, _link: mailer.collega_bericht(ontvanger.email, code, persoon.naam, persoon.email)


async def _verstuur(request: Request, uitdaging: Uitdaging) -> None:
    """Send the challenge's e-mail and leave the alert when it was refused or failed."""
    verzending = await diensten(request).codes.verstuur(uitdaging, _bericht(request, uitdaging))
    if verzending.mislukt:
        sessie(request).meld(alert=MAIL_MISLUKT)
    elif verzending.wacht_seconden:
        sessie(request).meld(
            alert=f"Je kunt over {verzending.wacht_seconden} seconden opnieuw een e-mail laten versturen."
        )


async def _start(request: Request, persoon: Gebruiker, doel: str, ontvanger: Gebruiker) -> None:
    """Begin a challenge of this login and send its first e-mail."""
    s = sessie(request)
    uitdaging = diensten(request).codes.start(persoon.id, doel, str(s.data["login_id"]), ontvanger.id)
    s.zet(**{SCHERMEN[doel].sleutel: uitdaging.id})
    await _verstuur(request, uitdaging)


def _controleer(
    request: Request, doel: str, code: str, *, via_link: bool = False, verbruik: bool = True, **velden: str
) -> Uitdaging | None:
    """Check a code of this session's challenge: the challenge when right, else None with the alert (and form values)."""
    uitdaging = _uitdaging(request, doel)
    codes = diensten(request).codes
    uitkomst = codes.controleer(uitdaging, code, via_link=via_link, verbruik=verbruik) if uitdaging else Uitkomst.ONJUIST
    if uitkomst is not Uitkomst.GOED:
        sessie(request).meld(alert=CODE_MELDINGEN[uitkomst], **velden)
        return None
    return uitdaging


def _toon_code(request: Request, doel: str, template: str, **context: object) -> Response:
    """Show a code screen; the sent-status only when an e-mail went out."""
    uitdaging = _uitdaging(request, doel)
    if uitdaging is None:
        return naar("/inloggen/tweede-stap")
    ontvanger = diensten(request).db.gebruiker(uitdaging.ontvanger_id)
    verzonden = ontvanger.email if ontvanger and uitdaging.aantal_verzonden > 0 else None
    return toon(request, template, doel=doel, verzonden_naar=verzonden, **context)


@router.post("/opnieuw")
async def opnieuw(request: Request, gegevens: Formulier, _: LoginPersoon) -> Response:
    """'Verstuur e-mail opnieuw' on any code screen (within the throttle)."""
    doel = veld(gegevens, "doel")
    if doel not in SCHERMEN:
        return naar("/inloggen")
    uitdaging = _uitdaging(request, doel)
    if uitdaging is None:
        return naar("/inloggen/tweede-stap")
    await _verstuur(request, uitdaging)
    return naar(SCHERMEN[doel].pad)


@router.post("/stoppen")
async def stoppen(request: Request, _: Formulier) -> Response:
    """'Stoppen' on any recovery screen: end the challenge, not logged in."""
    return stop_login(request, status=GESTOPT)


# -- manier 1: AFAS Pocket opnieuw instellen ---------------------------------------------


@router.post("/pocket")
async def pocket_start(request: Request, _: Formulier, gebruiker: LoginPersoon) -> Response:
    """'Stel AFAS Pocket opnieuw in': send the bevestigingsmail and show the code screen."""
    sessie(request).haal_weg("herstel_bevestigd", "koppel_geheim")
    await _start(request, gebruiker, DOEL_POCKET, gebruiker)
    return naar("/herstel/pocket")


@router.get("/pocket")
async def pocket(request: Request, _: LoginPersoon) -> Response:
    """Show the code screen of manier 1."""
    if sessie(request).data.get("herstel_bevestigd"):
        return naar("/herstel/pocket/koppelen")
    return _toon_code(request, DOEL_POCKET, "herstel_pocket.html")


@router.post("/pocket/code")
async def pocket_code(request: Request, gegevens: Formulier, _: LoginPersoon) -> Response:
    """Check the bevestigingscode of manier 1; right: on to koppelen."""
    return _na_bevestiging(request, _controleer(request, DOEL_POCKET, veld(gegevens, "code")) is not None)


@router.get("/bevestig")
async def bevestig(request: Request, _: LoginPersoon, token: str = "") -> Response:
    """The e-mail's link: does what typing the code does, in the session that started it."""
    if _uitdaging(request, DOEL_POCKET) is None:
        return naar("/inloggen")
    return _na_bevestiging(request, _controleer(request, DOEL_POCKET, token, via_link=True) is not None)


def _na_bevestiging(request: Request, juist: bool) -> Response:
    """Go on to koppelen after a right code, else back to the code screen."""
    if not juist:
        return naar("/herstel/pocket")
    sessie(request).zet(herstel_bevestigd=True)
    nieuw_geheim(request)
    return naar("/herstel/pocket/koppelen")


@router.get("/pocket/koppelen")
async def pocket_koppelen(request: Request, gebruiker: LoginPersoon) -> Response:
    """Show the QR code of manier 1 (only after the bevestigingscode)."""
    if not sessie(request).data.get("herstel_bevestigd"):
        return naar("/inloggen")
    return toon_koppelen(request, gebruiker, "/herstel/pocket/koppelen")


@router.post("/pocket/koppelen")
async def pocket_koppelen_verstuur(request: Request, gegevens: Formulier, gebruiker: LoginPersoon) -> Response:
    """Link the scanned secret; then log in again with it."""
    if not sessie(request).data.get("herstel_bevestigd"):
        return naar("/inloggen")
    if not await bevestig_koppelen(request, gebruiker, veld(gegevens, "code")):
        return naar("/herstel/pocket/koppelen")
    return stop_login(request, status=GEKOPPELD)


# -- manier 2: inloggen via een collega --------------------------------------------------


@router.post("/collega")
async def collega_start(_: Formulier) -> Response:
    """'Ik ben mijn telefoon vergeten': show step 1 of manier 2."""
    return naar("/herstel/collega")


@router.get("/collega")
async def collega(request: Request, gebruiker: LoginPersoon) -> Response:
    """Step 1: the person's e-mail address, which cannot be changed."""
    return toon(request, "collega.html", email=gebruiker.email)


@router.post("/collega/volgende")
async def collega_volgende(request: Request, _: Formulier, gebruiker: LoginPersoon) -> Response:
    """Step 1 'Volgende': send the person their own bevestigingscode."""
    sessie(request).haal_weg(SCHERMEN[DOEL_COLLEGA].sleutel)
    await _start(request, gebruiker, DOEL_EIGEN, gebruiker)
    return naar("/herstel/collega/code")


@router.get("/collega/code")
async def collega_code(request: Request, _: LoginPersoon) -> Response:
    """Step 2: own code and the colleague's e-mail address."""
    return _toon_code(request, DOEL_EIGEN, "collega_code.html")


@router.post("/collega/code")
async def collega_code_verstuur(request: Request, gegevens: Formulier, persoon: LoginPersoon) -> Response:
    """Step 2 'Volgende': check the own code, then the colleague; then e-mail the colleague."""
    s = sessie(request)
    adres = email_veld(gegevens, "collega")
    collega = diensten(request).db.gebruiker_met_email(adres) if adres else None
    if collega is not None and collega.id == persoon.id:
        s.meld(alert=COLLEGA_ZELF, collega=adres)
        return naar("/herstel/collega/code")
    eigen = _controleer(request, DOEL_EIGEN, veld(gegevens, "code"), verbruik=False, collega=adres)
    if eigen is None:  # only the right own code may tell which colleagues exist
        return naar("/herstel/collega/code")
    if collega is None or not collega.actief or collega.organisatie_id != persoon.organisatie_id:
        s.meld(alert=COLLEGA_ONBEKEND, collega=adres)  # the try stays counted: guessing colleagues costs tries
        return naar("/herstel/collega/code")
    if not diensten(request).codes.verbruik(eigen):
        s.meld(alert=CODE_MELDINGEN[Uitkomst.ONJUIST], collega=adres)
        return naar("/herstel/collega/code")
    await _start(request, persoon, DOEL_COLLEGA, collega)
    return naar("/herstel/collega/collega-code")


@router.get("/collega/collega-code")
async def collega_collega_code(request: Request, _: LoginPersoon) -> Response:
    """Step 3: the code the colleague received."""
    return _toon_code(request, DOEL_COLLEGA, "collega_collega_code.html")


@router.post("/collega/collega-code")
async def collega_collega_code_verstuur(request: Request, gegevens: Formulier, persoon: LoginPersoon) -> Response:
    """Step 3 'Volgende': the colleague's code logs the person in."""
    uitdaging = _uitdaging(request, DOEL_COLLEGA)
    if uitdaging is None or _controleer(request, DOEL_COLLEGA, veld(gegevens, "code")) is None:
        return naar("/herstel/collega/collega-code")
    d = diensten(request)
    collega = d.db.gebruiker(uitdaging.ontvanger_id)
    d.db.beeindig_sessies(persoon.id)  # a recovery ends every other session of the person
    return rond_login_af(request, persoon, "collega", collega.email if collega else None)
