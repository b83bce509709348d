"""Odd input an attacker with the password can send, against the real portal process (issue 21's holes).

Non-ASCII digits in every code field, a wrong e-mail link token, headers of an https portal and of JSON answers
that carry a device token or an otpauth URI, and an app built without its base URL.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from portal_testhulp import (
    Browser,
    Mailpit,
    Organisatie,
    api_client,
    bij_tweede_stap,
    org_code,
    start_proces,
    stop_proces,
    vrije_poort,
)

from portal.app import create_app
from portal.config import Config

# Six digits that str.isdigit() accepts but that are not the ASCII digits of a code: Arabic-Indic,
# superscript and full-width. hmac.compare_digest refuses non-ASCII str with a TypeError (a 500 before).
NIET_ASCII_CODES = ("١٢٣٤٥٦", "¹²³⁴⁵⁶", "１２３４５６")


def _geen_serverfout(antwoord: httpx.Response, waar: str) -> None:
    """A code field's answer to odd digits: a normal refusal, never a 5xx."""
    assert antwoord.status_code < 500, f"{waar}: {antwoord.status_code} {antwoord.text[:200]}"


@pytest.mark.parametrize("code", NIET_ASCII_CODES)
def test_niet_ascii_cijfers_in_elk_codeveld(organisatie: Organisatie, mailpit: Mailpit, code: str) -> None:
    """Every code form refuses non-ASCII digits like a wrong code (303 back to its screen), no 500."""
    persoon = organisatie.persoon()
    browser = bij_tweede_stap(organisatie, persoon)
    antwoord = browser.post("/inloggen/tweede-stap", code=code)
    _geen_serverfout(antwoord, "tweede stap")
    assert antwoord.status_code == 303 and antwoord.headers["location"] == "/inloggen/tweede-stap"

    eerder = len(mailpit.berichten_aan(persoon.email))
    browser.post("/herstel/pocket")
    browser.get("/herstel/pocket")
    _geen_serverfout(browser.post("/herstel/pocket/code", code=code), "bevestigingscode manier 1")
    _geen_serverfout(browser.get(f"/herstel/bevestig?token={code}"), "link van manier 1")
    echte_code = mailpit.code(persoon.email, eerder + 1)
    browser.get("/herstel/pocket")
    assert browser.post("/herstel/pocket/code", code=echte_code).headers["location"] == "/herstel/pocket/koppelen"
    browser.get("/herstel/pocket/koppelen")
    antwoord = browser.post("/herstel/pocket/koppelen", code=code)
    _geen_serverfout(antwoord, "koppelen manier 1")
    assert antwoord.headers["location"] == "/herstel/pocket/koppelen"

    collega = organisatie.persoon("Collega")
    tweede = bij_tweede_stap(organisatie, persoon)
    tweede.post("/herstel/collega")
    tweede.get("/herstel/collega")
    tweede.post("/herstel/collega/volgende")
    tweede.get("/herstel/collega/code")
    _geen_serverfout(tweede.post("/herstel/collega/code", code=code, collega=collega.email), "eigen code manier 2")


def test_niet_ascii_cijfers_geen_wachtwoord_orakel(organisatie: Organisatie) -> None:
    """POST /api/pocket/registreer with odd digits answers the same 401 for the right and a wrong password."""
    persoon = organisatie.persoon()
    with api_client(organisatie.portal) as api:
        antwoorden = [
            api.post("/api/pocket/registreer", json={"email": persoon.email, "wachtwoord": wachtwoord, "code": code})
            for code in NIET_ASCII_CODES
            for wachtwoord in (persoon.wachtwoord, "niet-" + persoon.wachtwoord)
        ]
    assert [a.status_code for a in antwoorden] == [401] * len(antwoorden), [a.text for a in antwoorden]
    assert len({a.text for a in antwoorden}) == 1


def test_foute_link_telt_niet_tegen_de_getypte_code(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """Five wrong link tokens (a link on another site) leave the typed code's five tries alone."""
    persoon = organisatie.persoon()
    browser = bij_tweede_stap(organisatie, persoon)
    eerder = len(mailpit.berichten_aan(persoon.email))
    browser.post("/herstel/pocket")
    code = mailpit.code(persoon.email, eerder + 1)
    for _ in range(6):
        assert browser.get("/herstel/bevestig?token=verkeerd").headers["location"] == "/herstel/pocket"
    browser.get("/herstel/pocket")
    assert browser.post("/herstel/pocket/code", code=code).headers["location"] == "/herstel/pocket/koppelen"


def test_json_met_apparaattoken_of_otpauth_wordt_niet_bewaard(organisatie: Organisatie) -> None:
    """The device token (device API) and the otpauth URI (test-data API) are answered with Cache-Control: no-store."""
    persoon = organisatie.persoon()
    with api_client(organisatie.portal) as api:
        registratie = api.post("/api/pocket/registreer", json={
            "email": persoon.email, "wachtwoord": persoon.wachtwoord, "code": org_code(persoon.totp, organisatie, 1),
        })
    assert registratie.status_code == 201 and "token" in registratie.json()
    assert registratie.headers.get("cache-control") == "no-store"
    with organisatie.portal.test_api() as api:
        gebruiker = api.post("/__test__/gebruikers", json={
            "organisatie_id": organisatie.id, "naam": "Piet", "email": f"x-{persoon.email}",
            "wachtwoord": "Geheim-123", "actief": True, "pocket": True,
        })
    assert gebruiker.status_code == 201 and gebruiker.json()["otpauth_uri"].startswith("otpauth://")
    assert gebruiker.headers.get("cache-control") == "no-store"


def test_hsts_alleen_bij_https(tmp_path: Path) -> None:
    """A portal whose base URL is https sends Strict-Transport-Security; over plain http it does not."""
    for basis, verwacht in (("https://portaal.voorbeeld.nl", True), (None, False)):
        poort = vrije_poort()
        args = [sys.executable, "-m", "portal", "--host", "127.0.0.1", "--port", str(poort),
                "--database", str(tmp_path / f"{verwacht}.sqlite3"), "--smtp-port", str(vrije_poort())]
        proces, uitvoer = start_proces(args + (["--base-url", basis] if basis else []))
        try:
            uitvoer.wacht_op(r"^portal ready on http://", 20)
            for pad in ("/inloggen", "/gezondheid"):
                antwoord = httpx.get(f"http://127.0.0.1:{poort}{pad}")
                hsts = antwoord.headers.get("strict-transport-security")
                assert (hsts is not None) is verwacht, (basis, pad, hsts)
                if verwacht:
                    assert hsts.startswith("max-age=") and int(hsts.split("=")[1].split(";")[0]) >= 31536000
        finally:
            stop_proces(proces)


def test_zonder_basis_url_geen_app(tmp_path: Path) -> None:
    """create_app refuses to build e-mail links from the Host header: it needs an absolute base URL."""
    for basis in (None, "", "portaal.voorbeeld.nl", "ftp://portaal.voorbeeld.nl"):
        with pytest.raises(ValueError, match="base URL"):
            create_app(Config(database=str(tmp_path / "p.sqlite3"), base_url=basis))
    assert create_app(Config(database=str(tmp_path / "p.sqlite3"), base_url="http://127.0.0.1:8000")) is not None


def test_mail_links_naar_de_basis_url_ook_met_andere_host(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """A request with a forged Host header still gets e-mail links to the configured base URL."""
    persoon = organisatie.persoon()
    browser = Browser(organisatie.portal.url)
    browser.client.headers["Host"] = "aanvaller.example"
    browser.follow(browser.wachtwoordstap(persoon))
    eerder = len(mailpit.berichten_aan(persoon.email))
    browser.post("/herstel/pocket")
    tekst = mailpit.wacht_op(persoon.email, eerder + 1)["Text"]
    assert "aanvaller.example" not in tekst and f"{organisatie.portal.url}/herstel/bevestig?token=" in tekst


def test_poort_nul_kent_zijn_basis_url(tmp_path: Path) -> None:
    """`python -m portal --port 0` (no --base-url) still builds its links from the port it got."""
    args = [sys.executable, "-m", "portal", "--host", "127.0.0.1", "--port", "0",
            "--database", str(tmp_path / "p.sqlite3"), "--smtp-port", str(vrije_poort())]
    proces, uitvoer = start_proces(args)
    try:
        regel = uitvoer.wacht_op(r"^portal ready on http://127\.0\.0\.1:\d+$", 20)
        url = regel.removeprefix("portal ready on ").strip()
        assert httpx.get(f"{url}/gezondheid").json() == {"status": "ok"}
    finally:
        stop_proces(proces)
    assert isinstance(proces, subprocess.Popen)
