"""An organisation's TOTP window over HTTP: 0 accepts only the code of the current 30-second step (RFC 6238 §5.2)."""
from __future__ import annotations

import time

import pyotp
from portal_testhulp import Organisatie, Persoon, bij_tweede_stap


def aan_het_begin_van_een_stap(organisatie: Organisatie) -> float:
    """Moves the organisation's clock to one second into a new step (29 s before the next); its time."""
    offset = organisatie.verzet_klok(0)
    offset = organisatie.verzet_klok(31 - (time.time() + offset) % 30)
    return time.time() + offset


def zet_venster(organisatie: Organisatie, stappen: int) -> None:
    """Sets the organisation's TOTP window through the test-data API."""
    with organisatie.portal.test_api() as api:
        antwoord = api.post("/__test__/totp-venster", json={"organisatie_id": organisatie.id, "stappen": stappen})
    assert antwoord.status_code == 200 and antwoord.json() == {"stappen": stappen}, antwoord.text


def aangenomen(organisatie: Organisatie, persoon: Persoon, code: str) -> bool:
    """Whether the second step takes this code (a new login each time)."""
    browser = bij_tweede_stap(organisatie, persoon)
    return browser.post("/inloggen/tweede-stap", code=code).headers.get("location") == "/portal"


def test_venster_nul_neemt_alleen_de_code_van_het_huidige_tijdvak(organisatie: Organisatie) -> None:
    """The code of the step before and after is refused, the current one taken; the default window takes them."""
    persoon = organisatie.persoon()
    totp: pyotp.TOTP = persoon.totp
    zet_venster(organisatie, 0)
    nu = aan_het_begin_van_een_stap(organisatie)
    assert not aangenomen(organisatie, persoon, totp.at(nu - 30))
    assert not aangenomen(organisatie, persoon, totp.at(nu + 30))
    assert aangenomen(organisatie, persoon, totp.at(nu))
    zet_venster(organisatie, 1)
    organisatie.verzet_klok(60)  # past the step just used: a used step is refused whatever the window
    nu = aan_het_begin_van_een_stap(organisatie)
    assert aangenomen(organisatie, persoon, totp.at(nu - 30))  # one step of drift, as before


def test_een_venster_buiten_bereik_wordt_geweigerd(organisatie: Organisatie) -> None:
    """Negative or more than ten steps is refused by the test-data API."""
    with organisatie.portal.test_api() as api:
        for stappen in (-1, 11):
            antwoord = api.post("/__test__/totp-venster", json={"organisatie_id": organisatie.id, "stappen": stappen})
            assert antwoord.status_code == 422, antwoord.text
