"""The device API (AFAS Pocket): registration, long poll, approve/deny, re-linking."""
from __future__ import annotations

import socket
import threading
import time

import httpx
import pyotp
import pytest
from portal_testhulp import (
    Browser,
    Organisatie,
    Persoon,
    api_client,
    bij_tweede_stap,
    org_code,
    qr_uri,
    tekst_van,
    tot_deadline,
)


def registreer(organisatie: Organisatie, persoon: Persoon, stappen_verder: int = 0) -> str:
    """Register a device for the person and return its token."""
    code = org_code(persoon.totp, organisatie, stappen_verder)
    with api_client(organisatie.portal) as api:
        antwoord = api.post("/api/pocket/registreer", json={
            "email": persoon.email, "wachtwoord": persoon.wachtwoord, "code": code, "naam": "Telefoon",
        })
    assert antwoord.status_code == 201, antwoord.text
    return str(antwoord.json()["token"])


def eerste_verzoek(api: httpx.Client) -> str:
    """Return the id of the first push request the device sees."""
    return str(api.get("/api/pocket/verzoeken").json()["verzoeken"][0]["id"])


def test_registreren_vraagt_een_geldige_code(organisatie: Organisatie) -> None:
    """Wrong code, wrong password or unknown e-mail: 401; a used code is refused the second time."""
    persoon = organisatie.persoon()
    goed = {"email": persoon.email, "wachtwoord": persoon.wachtwoord, "naam": "x"}
    with api_client(organisatie.portal) as api:
        for body in ({**goed, "code": "000000" if persoon.totp.now() != "000000" else "111111"},
                     {**goed, "wachtwoord": "fout", "code": persoon.totp.now()},
                     {**goed, "email": "onbekend@voorbeeld.nl", "code": "123456"}):
            antwoord = api.post("/api/pocket/registreer", json=body)
            assert antwoord.status_code == 401 and "fout" in antwoord.json()
        code = org_code(persoon.totp, organisatie, 1)
        assert api.post("/api/pocket/registreer", json={**goed, "code": code}).status_code == 201
        assert api.post("/api/pocket/registreer", json={**goed, "code": code}).status_code == 401


def test_onbekend_apparaat(organisatie: Organisatie) -> None:
    """No or an unknown token: 401."""
    for token in (None, "onzin"):
        with api_client(organisatie.portal, token) as api:
            assert api.get("/api/pocket/verzoeken").status_code == 401


def test_long_poll_en_goedkeuren(organisatie: Organisatie) -> None:
    """The long poll returns when a login request appears; approving completes that login."""
    persoon = organisatie.persoon()
    token = registreer(organisatie, persoon)
    resultaat: dict[str, object] = {}

    def poll() -> None:
        """Wait (long poll) for a login request."""
        with api_client(organisatie.portal, token) as api:
            begin = time.monotonic()
            resultaat["antwoord"] = api.get("/api/pocket/verzoeken", params={"wacht": 20}).json()
            resultaat["duur"] = time.monotonic() - begin

    draad = threading.Thread(target=poll)
    draad.start()
    browser = Browser(organisatie.portal.url)
    pagina = browser.follow(browser.wachtwoordstap(persoon)).text
    assert "Er is een inlogverzoek verstuurd naar AFAS Pocket." in pagina and "/inloggen/push-status" in pagina
    draad.join(timeout=15)
    assert not draad.is_alive()
    verzoeken = resultaat["antwoord"]["verzoeken"]  # type: ignore[index]
    assert len(verzoeken) == 1 and resultaat["duur"] < 10  # type: ignore[operator]
    verzoek_id = verzoeken[0]["id"]
    with api_client(organisatie.portal, token) as api:
        assert api.post(f"/api/pocket/verzoeken/{verzoek_id}/goedkeuren").json() == {"status": "goedgekeurd"}
        assert api.post(f"/api/pocket/verzoeken/{verzoek_id}/goedkeuren").status_code == 409
    assert browser.get("/inloggen/push-status").json() == {"status": "goedgekeurd"}
    klaar = browser.post("/inloggen/push")
    assert klaar.headers["location"] == "/portal"
    assert organisatie.aanmeldingen() == [{"email": persoon.email, "methode": "push", "collega": None}]


def test_push_status_wacht_op_besluit(organisatie: Organisatie) -> None:
    """The browser's long poll wakes as soon as the request is denied."""
    persoon = organisatie.persoon()
    token = registreer(organisatie, persoon)
    browser = bij_tweede_stap(organisatie, persoon)
    with api_client(organisatie.portal, token) as api:
        verzoek_id = eerste_verzoek(api)
        timer = threading.Timer(0.3, lambda: api.post(f"/api/pocket/verzoeken/{verzoek_id}/weigeren"))
        timer.start()
        begin = time.monotonic()
        assert browser.get("/inloggen/push-status").json() == {"status": "geweigerd"}
        assert time.monotonic() - begin < 5
        timer.join()
    pagina = browser.get("/inloggen/tweede-stap").text
    assert tekst_van(pagina, "alert") == "Het inlogverzoek is geweigerd."
    assert browser.post("/inloggen/push").headers["location"] == "/inloggen/tweede-stap"


def test_goedkeuren_voltooit_alleen_de_eigen_login(organisatie: Organisatie) -> None:
    """Two logins of one person: approving A's request does not log B in."""
    persoon = organisatie.persoon()
    token = registreer(organisatie, persoon)
    a, b = Browser(organisatie.portal.url), Browser(organisatie.portal.url)
    a.follow(a.wachtwoordstap(persoon))
    with api_client(organisatie.portal, token) as api:
        verzoek_a = eerste_verzoek(api)
        b.follow(b.wachtwoordstap(persoon))
        assert len(api.get("/api/pocket/verzoeken").json()["verzoeken"]) == 2
        assert api.post(f"/api/pocket/verzoeken/{verzoek_a}/goedkeuren").status_code == 200
    assert b.post("/inloggen/push").headers["location"] == "/inloggen/tweede-stap"
    assert b.get("/portal").headers["location"] == "/inloggen"
    assert a.post("/inloggen/push").headers["location"] == "/portal"


def test_ander_apparaat_krijgt_404(organisatie: Organisatie) -> None:
    """A device of another person cannot approve this person's request."""
    persoon, ander = organisatie.persoon(), organisatie.persoon()
    token = registreer(organisatie, persoon)
    token_ander = registreer(organisatie, ander)
    bij_tweede_stap(organisatie, persoon)  # the password step creates the push request
    with api_client(organisatie.portal, token) as api:
        verzoek_id = eerste_verzoek(api)
    with api_client(organisatie.portal, token_ander) as api:
        assert api.get("/api/pocket/verzoeken").json() == {"verzoeken": []}
        assert api.post(f"/api/pocket/verzoeken/{verzoek_id}/goedkeuren").status_code == 404
        assert api.post("/api/pocket/verzoeken/bestaat-niet/weigeren").status_code == 404


def test_verzoek_verloopt_na_twee_minuten(organisatie: Organisatie) -> None:
    """After 2 minutes of the organisation's clock the request is gone; approving gives 409."""
    persoon = organisatie.persoon()
    token = registreer(organisatie, persoon)
    bij_tweede_stap(organisatie, persoon)  # the password step creates the push request
    with api_client(organisatie.portal, token) as api:
        verzoek_id = eerste_verzoek(api)
        organisatie.verzet_klok(121)
        assert api.get("/api/pocket/verzoeken").json() == {"verzoeken": []}
        assert api.post(f"/api/pocket/verzoeken/{verzoek_id}/goedkeuren").status_code == 409


def test_opnieuw_koppelen_maakt_oud_geheim_en_apparaat_ongeldig(organisatie: Organisatie) -> None:
    """Instellingen / Beveiliging → Opnieuw koppelen: the old secret and device stop working."""
    persoon = organisatie.persoon()
    oud_token = registreer(organisatie, persoon)
    browser = bij_tweede_stap(organisatie, persoon)
    assert browser.post("/inloggen/tweede-stap", code=org_code(persoon.totp, organisatie, 1)).headers["location"] == "/portal"
    assert "Bij het inloggen ontvang je een notificatie via AFAS Pocket" in browser.get("/instellingen/beveiliging").text
    pagina = browser.follow(browser.post("/instellingen/beveiliging/opnieuw-koppelen", wachtwoord=persoon.wachtwoord)).text
    uri = qr_uri(pagina)
    assert uri.startswith(f"otpauth://totp/afasonline.com:{persoon.email.replace('@', '%40')}?secret=")
    assert uri.endswith("&issuer=afasonline.com")
    nieuw = pyotp.parse_uri(uri)
    klaar = browser.follow(browser.post("/instellingen/beveiliging/koppelen", code=org_code(nieuw, organisatie)))
    assert tekst_van(klaar.text, "status") == "Hoera! Je hebt AFAS Pocket nu opnieuw gekoppeld aan het inloggen."
    with api_client(organisatie.portal, oud_token) as api:
        assert api.get("/api/pocket/verzoeken").status_code == 401
    opnieuw = bij_tweede_stap(organisatie, persoon)
    pagina = opnieuw.follow(opnieuw.post("/inloggen/tweede-stap", code=org_code(persoon.totp, organisatie, 1)))
    assert tekst_van(pagina.text, "alert") == "De code is onjuist."
    assert opnieuw.post("/inloggen/tweede-stap", code=org_code(nieuw, organisatie)).headers["location"] == "/portal"


def test_push_status_eindigt_als_de_pagina_weg_is(organisatie: Organisatie) -> None:
    """A long poll whose page closed ends at once (it held the portal's shutdown for seconds), not after 20 s."""
    persoon = organisatie.persoon()
    registreer(organisatie, persoon)
    browser = bij_tweede_stap(organisatie, persoon)
    uitvoer = organisatie.portal.uitvoer

    def polls() -> int:
        """How many push-status requests the portal has logged as answered."""
        return sum("/inloggen/push-status" in regel for regel in list(uitvoer.regels))

    eerder = polls()
    poort = int(organisatie.portal.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", poort), timeout=5) as verbinding:
        verbinding.sendall(f"GET /inloggen/push-status HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           f"Cookie: sessie={browser.sessie}\r\n\r\n".encode())
        verbinding.settimeout(0.5)
        with pytest.raises(TimeoutError):  # the long poll waits for a decision
            verbinding.recv(1)
        assert polls() == eerder
    tot_deadline(lambda: polls() > eerder, 10, "het einde van de long poll van een gesloten pagina (log van de portal)")


def test_apparaattoken_verloopt(organisatie: Organisatie) -> None:
    """A device token ends after 90 days without use, and a year after registration even when it was used."""
    dag = 24 * 3600
    gebruikt, stil = organisatie.persoon("Anna Actief"), organisatie.persoon("Sven Stil")
    tokens = {"gebruikt": registreer(organisatie, gebruikt, 1), "stil": registreer(organisatie, stil, 1)}

    def status(wie: str) -> int:
        """What the device API answers this device's poll."""
        with api_client(organisatie.portal, tokens[wie]) as api:
            return api.get("/api/pocket/verzoeken").status_code

    organisatie.verzet_klok(89 * dag)
    assert status("gebruikt") == 200
    organisatie.verzet_klok(2 * dag)
    assert (status("stil"), status("gebruikt")) == (401, 200), "91 dagen ongebruikt / 2 dagen ongebruikt"
    for _ in range(3):
        organisatie.verzet_klok(89 * dag)
        assert status("gebruikt") == 200
    organisatie.verzet_klok(9 * dag)
    assert status("gebruikt") == 401, "366 dagen na registreren, steeds gebruikt"
