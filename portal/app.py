"""Builds the FastAPI application of the reference portal."""
from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from portal import routes_api, routes_herstel, routes_login, routes_portal, routes_test
from portal.routes_portal import ALLEEN_TWEE_FACTOR, AlleenTweeFactor
from portal.clock import Klok
from portal.codes import Codes
from portal.config import Config
from portal.db import Database
from portal.limieten import Limieten
from portal.mailer import Mailer
from portal.pocket import Pocket
from portal.push import Push
from portal.security import SESSIE_COOKIE, OngeldigeInvoer, OngeldigFormulier, Sessie, Sessies, Wachtwoorden, gelijk
from portal.web import Diensten, GeenLogin, naar, toon

log = logging.getLogger("portal.http")

ONGELDIGE_INVOER = (
    "Een veld bevat tekens die niet zijn toegestaan, meer dan één e-mailadres of te veel tekens."
    " Ga terug en controleer wat je hebt ingevuld."
)
ZONDER_SESSIE = ("/api/", "/__test__/", "/static/", "/gezondheid")


def _csp(nonce: str) -> str:
    """Return the Content-Security-Policy of a page with this script nonce."""
    return (
        "default-src 'self'; script-src 'nonce-" + nonce + "'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )


def _check_base_url(base_url: str | None) -> None:
    """E-mailed links are built from the configured base URL only, never from a request's Host header."""
    parts = urlsplit(base_url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"the portal needs an absolute http(s) base URL for the links in its e-mails, got {base_url!r} "
            "(--base-url / PORTAL_BASE_URL)"
        )


def create_app(config: Config) -> FastAPI:
    """Create the portal app with its database, mailer and (in test mode) the test-data API."""
    _check_base_url(config.base_url)
    db = Database(config.database)
    klok = Klok(db)
    mailer = Mailer(config.smtp_host, config.smtp_port)
    limieten = Limieten(db)
    wachtwoorden = Wachtwoorden(testmodus=bool(config.test_token))
    logging.getLogger("portal").info("wachtwoorden: %s", wachtwoorden.aankondiging())
    app = FastAPI(title="AFAS Online (reference portal)", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.diensten = Diensten(
        config=config,
        db=db,
        klok=klok,
        wachtwoorden=wachtwoorden,
        sessies=Sessies(db, config.secure_cookies),
        mailer=mailer,
        codes=Codes(db, klok, mailer),
        pocket=Pocket(db, klok, limieten),
        push=Push(db, klok, limieten),
        limieten=limieten,
    )
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    for router in (routes_login.router, routes_herstel.router, routes_api.router):
        app.include_router(router)
    if config.test_token:
        app.include_router(routes_test.router)
    app.include_router(routes_portal.router)  # last: its /{deelnemersnummer} route is a catch-all

    @app.middleware("http")
    async def verwerk(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """Load and save the session, add security headers, log the request (path only)."""
        begin = time.perf_counter()
        pad = request.url.path
        if pad.startswith("/__test__"):
            soort, _, token = request.headers.get("authorization", "").partition(" ")
            if not config.test_token or soort.lower() != "bearer" or not gelijk(config.test_token, token.strip()):
                antwoord: Response = JSONResponse({"detail": "Not Found"}, status_code=404)
                log.info("%s %s %s", request.method, pad, antwoord.status_code)
                return antwoord
        sessies = app.state.diensten.sessies
        met_sessie = not pad.startswith(ZONDER_SESSIE)
        request.state.sessie = sessies.laad(request.cookies.get(SESSIE_COOKIE)) if met_sessie else Sessie()
        request.state.nonce = secrets.token_urlsafe(16)
        antwoord = await call_next(request)
        if met_sessie:
            sessies.bewaar(request.state.sessie, antwoord)
        if not pad.startswith("/static/"):  # pages and JSON (device tokens, otpauth URIs): never kept by a cache
            antwoord.headers.setdefault("Cache-Control", "no-store")
        if config.secure_cookies:  # served over https: browsers must never fall back to http
            antwoord.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        antwoord.headers["Content-Security-Policy"] = _csp(request.state.nonce)
        antwoord.headers["X-Content-Type-Options"] = "nosniff"
        antwoord.headers["X-Frame-Options"] = "DENY"
        antwoord.headers["Referrer-Policy"] = "no-referrer"
        log.info("%s %s %s %.0fms", request.method, pad, antwoord.status_code, (time.perf_counter() - begin) * 1000)
        return antwoord

    @app.exception_handler(OngeldigFormulier)
    async def ongeldig_formulier(request: Request, _fout: OngeldigFormulier) -> Response:
        """A POST without the right CSRF token: 403 'Ongeldig formulier'."""
        return toon(request, "fout.html", status_code=403, titel="Ongeldig formulier",
                    melding="Dit formulier is verlopen of ongeldig. Ga terug en probeer het opnieuw.")

    @app.exception_handler(OngeldigeInvoer)
    async def ongeldige_formulierinvoer(request: Request, _fout: OngeldigeInvoer) -> Response:
        """A field with control characters, a list of addresses or too long: 400 'Ongeldige invoer', nothing done."""
        return toon(request, "fout.html", status_code=400, titel="Ongeldige invoer",
                    melding=ONGELDIGE_INVOER)

    @app.exception_handler(GeenLogin)
    async def geen_login(_request: Request, _fout: GeenLogin) -> Response:
        """A screen of the login in progress without one: back to the login screen."""
        return naar("/inloggen")

    @app.exception_handler(AlleenTweeFactor)
    async def alleen_twee_factor(request: Request, fout: AlleenTweeFactor) -> Response:
        """The tabs after an SSO login: the article's explanation, with 403."""
        return toon(request, "fout.html", status_code=403, titel=fout.titel, melding=ALLEEN_TWEE_FACTOR)

    @app.exception_handler(StarletteHTTPException)
    async def http_fout(request: Request, fout: StarletteHTTPException) -> Response:
        """JSON errors for the APIs, a Dutch page for people."""
        if request.url.path.startswith(("/api/", "/__test__")) or fout.status_code != 404:
            return JSONResponse({"detail": fout.detail}, status_code=fout.status_code, headers=fout.headers)
        if not hasattr(request.state, "sessie"):
            request.state.sessie = Sessie()
            request.state.nonce = secrets.token_urlsafe(16)
        return toon(request, "fout.html", status_code=404, titel="Pagina niet gevonden",
                    melding="Deze pagina bestaat niet.")

    @app.exception_handler(RequestValidationError)
    async def ongeldige_invoer(request: Request, fout: RequestValidationError) -> Response:
        """Invalid JSON or parameters: 422 with a short Dutch message (no echo of the input)."""
        return JSONResponse({"fout": "Ongeldige invoer."}, status_code=422)

    return app
