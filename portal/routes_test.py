"""The test-data API: only in test mode, only with the test token; 404 for everyone else."""
from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field, field_validator
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from portal import totp
from portal.security import een_adres, gelijk, heeft_stuurtekens
from portal.web import diensten


def _test_token(request: Request) -> None:
    """Refuse (as 'not found') every call without the right bearer token."""
    soort, _, token = request.headers.get("authorization", "").partition(" ")
    if soort.lower() != "bearer" or not gelijk(diensten(request).config.test_token, token.strip()):
        raise HTTPException(status_code=404)


router = APIRouter(prefix="/__test__", dependencies=[Depends(_test_token)], include_in_schema=False)


def _zonder_stuurtekens(waarde: str) -> str:
    """Refuse a name with control characters (they would end up in e-mail headers)."""
    if heeft_stuurtekens(waarde):
        raise ValueError("stuurtekens in de naam")
    return waarde


class NieuweOrganisatie(BaseModel):
    """Body of POST /__test__/organisaties."""

    naam: str = Field(min_length=1, max_length=200)
    deelnemersnummer: str | None = Field(default=None, pattern=r"^[0-9]{5}$")
    sso: bool = False

    @field_validator("naam")
    @classmethod
    def _naam(cls, waarde: str) -> str:
        """No control characters in the name."""
        return _zonder_stuurtekens(waarde)


class NieuweGebruiker(BaseModel):
    """Body of POST /__test__/gebruikers."""

    organisatie_id: int
    naam: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=320)
    wachtwoord: str = Field(min_length=1, max_length=1000)
    actief: bool = True
    pocket: bool = True

    @field_validator("naam")
    @classmethod
    def _naam(cls, waarde: str) -> str:
        """No control characters in the name."""
        return _zonder_stuurtekens(waarde)

    @field_validator("email")
    @classmethod
    def _een_adres(cls, waarde: str) -> str:
        """Exactly one plain address: no list, no name, no control characters."""
        if not een_adres(waarde.strip()):
            raise ValueError("geen enkel e-mailadres")
        return waarde


class KlokVerzetten(BaseModel):
    """Body of POST /__test__/klok."""

    organisatie_id: int
    seconden: float = Field(ge=0)


class TotpVenster(BaseModel):
    """Body of POST /__test__/totp-venster: the steps either side of now an organisation's TOTP check accepts."""

    organisatie_id: int
    stappen: int = Field(ge=0, le=10)


@router.get("/modus")
async def modus(request: Request) -> Response:
    """Say that the portal runs in test mode and with which (cheaper) argon2 parameters."""
    wachtwoorden = diensten(request).wachtwoorden
    return JSONResponse({"testmodus": wachtwoorden.testmodus, "argon2": wachtwoorden.parameters(),
                         "melding": wachtwoorden.aankondiging()})


@router.post("/organisaties")
async def organisatie(request: Request, nieuw: NieuweOrganisatie) -> Response:
    """Create an organisation (a free 5-digit number when none is given)."""
    db = diensten(request).db
    nummer = nieuw.deelnemersnummer
    if nummer is not None and db.organisatie_met_nummer(nummer):
        return JSONResponse({"fout": "Dit deelnemersnummer bestaat al."}, status_code=409)
    while nummer is None or db.organisatie_met_nummer(nummer):
        nummer = str(10000 + secrets.randbelow(90000))
    cursor = db.uitvoeren(
        "INSERT INTO organisaties (naam, deelnemersnummer, sso) VALUES (?, ?, ?)", (nieuw.naam, nummer, int(nieuw.sso))
    )
    return JSONResponse(
        {"id": cursor.lastrowid, "naam": nieuw.naam, "deelnemersnummer": nummer, "sso": nieuw.sso}, status_code=201
    )


@router.post("/gebruikers")
async def gebruiker(request: Request, nieuw: NieuweGebruiker) -> Response:
    """Create a person; with pocket, a linked secret whose otpauth URI is handed over."""
    d = diensten(request)
    if d.db.organisatie(nieuw.organisatie_id) is None:
        return JSONResponse({"fout": "Onbekende organisatie."}, status_code=404)
    email = nieuw.email.strip()
    if d.db.gebruiker_met_email(email) is not None:
        return JSONResponse({"fout": "Dit e-mailadres bestaat al."}, status_code=409)
    geheim = totp.nieuw_geheim() if nieuw.pocket else None
    wachtwoord_hash = await run_in_threadpool(d.wachtwoorden.hash, nieuw.wachtwoord)
    cursor = d.db.uitvoeren(
        "INSERT INTO gebruikers (organisatie_id, naam, email, wachtwoord_hash, actief, totp_geheim)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (nieuw.organisatie_id, nieuw.naam, email, wachtwoord_hash, int(nieuw.actief), geheim),
    )
    uri = totp.otpauth_uri(email, geheim) if geheim else None
    return JSONResponse({"id": cursor.lastrowid, "email": email, "otpauth_uri": uri}, status_code=201)


@router.post("/klok")
async def klok(request: Request, verzet: KlokVerzetten) -> Response:
    """Move an organisation's clock forward."""
    d = diensten(request)
    if d.db.organisatie(verzet.organisatie_id) is None:
        return JSONResponse({"fout": "Onbekende organisatie."}, status_code=404)
    return JSONResponse({"offset": d.klok.verzet(verzet.organisatie_id, verzet.seconden)})


@router.post("/totp-venster")
async def totp_venster(request: Request, venster: TotpVenster) -> Response:
    """Set how strict an organisation's TOTP check is (0: only the code of the current 30-second step)."""
    d = diensten(request)
    if d.db.organisatie(venster.organisatie_id) is None:
        return JSONResponse({"fout": "Onbekende organisatie."}, status_code=404)
    d.pocket.zet_venster(venster.organisatie_id, venster.stappen)
    return JSONResponse({"stappen": d.pocket.venster(venster.organisatie_id)})


@router.get("/aanmeldingen")
async def aanmeldingen(request: Request, organisatie_id: int | None = None) -> Response:
    """The audit log of completed logins (optionally of one organisation)."""
    db = diensten(request).db
    if organisatie_id is None:
        rijen = db.alle("SELECT email, methode, collega FROM aanmeldingen ORDER BY id")
    else:
        rijen = db.alle(
            "SELECT email, methode, collega FROM aanmeldingen WHERE organisatie_id = ? ORDER BY id", (organisatie_id,)
        )
    return JSONResponse({"aanmeldingen": [dict(rij) for rij in rijen]})
