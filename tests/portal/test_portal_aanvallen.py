"""Attacks by someone who has the password (or only an e-mail address), against the real portal process.

Each test is one attack from issue 16; parallel requests go out together through herstelpad.concurrency.
"""
from __future__ import annotations

import re

import httpx
import pyotp
from portal_testhulp import (
    Browser,
    Mailpit,
    Organisatie,
    Persoon,
    Portal,
    api_client,
    bij_tweede_stap,
    maak_organisatie,
    org_code,
    qr_uri,
    tekst_van,
)

from herstelpad.concurrency import at_most, fire, tally

ONJUIST = "Het e-mailadres of wachtwoord is onjuist."
ONDERWERP_GEKOPPELD = "AFAS Pocket is opnieuw gekoppeld aan je account"


def onjuist(code: str) -> str:
    """A well-formed code that differs from this one."""
    return f"{(int(code) + 500_000) % 10**6:06d}"


def ingelogd(organisatie: Organisatie, persoon: Persoon) -> Browser:
    """A browser in which the person logged in with password and Pocket code."""
    browser = bij_tweede_stap(organisatie, persoon)
    antwoord = browser.post("/inloggen/tweede-stap", code=org_code(persoon.totp, organisatie, 1))
    assert antwoord.headers.get("location") == "/portal", antwoord.headers.get("location")
    browser.get("/portal")
    return browser


def koppel_met(browser: Browser, organisatie: Organisatie, pagina: httpx.Response, actie: str) -> pyotp.TOTP:
    """Scan the QR code on a koppelen page and confirm it; the new authenticator."""
    nieuw: pyotp.TOTP = pyotp.parse_uri(qr_uri(pagina.text))  # type: ignore[assignment]
    antwoord = browser.post(actie, code=org_code(nieuw, organisatie, 1))
    assert antwoord.status_code == 303 and "koppelen" not in antwoord.headers["location"], antwoord.headers
    return nieuw


def herstel_via_manier_1(organisatie: Organisatie, persoon: Persoon, mailpit: Mailpit) -> pyotp.TOTP:
    """Manier 1 in a new browser: bevestigingscode, then link a new secret."""
    browser = bij_tweede_stap(organisatie, persoon)
    eerder = len(mailpit.berichten_aan(persoon.email))
    browser.post("/herstel/pocket")
    code = mailpit.code(persoon.email, eerder + 1)
    browser.get("/herstel/pocket")
    pagina = browser.follow(browser.post("/herstel/pocket/code", code=code))
    return koppel_met(browser, organisatie, pagina, "/herstel/pocket/koppelen")


def naar_portal(browser: Browser) -> str:
    """Where /portal sends this browser: '/portal' when still logged in."""
    antwoord = browser.get("/portal")
    return "/portal" if antwoord.status_code == 200 else antwoord.headers["location"]


# -- limits per account, also for parallel requests ---------------------------------------------


def test_tweede_stap_geblokkeerd_na_tien_onjuiste_codes_over_logins(organisatie: Organisatie) -> None:
    """12 wrong Pocket codes at once, each in its own login: at most 10 count, then even the right code is refused."""
    persoon = organisatie.persoon()
    fout = onjuist(org_code(persoon.totp, organisatie))
    browsers = [bij_tweede_stap(organisatie, persoon) for _ in range(12)]
    tally(fire(12, lambda i: browsers[i].post("/inloggen/tweede-stap", code=fout)), lambda r: r.status_code)
    browser = bij_tweede_stap(organisatie, persoon)
    antwoord = browser.post("/inloggen/tweede-stap", code=org_code(persoon.totp, organisatie, 1))
    assert antwoord.headers["location"] == "/inloggen/tweede-stap"
    assert "geblokkeerd" in (tekst_van(browser.follow(antwoord).text, "alert") or "")
    organisatie.verzet_klok(15 * 60)
    assert ingelogd(organisatie, persoon).get("/portal").status_code == 200


def test_wachtwoord_geblokkeerd_na_tien_onjuiste_ook_voor_onbekend(organisatie: Organisatie) -> None:
    """15 wrong passwords at once lock the address (the right one too); an unknown address answers the same."""
    persoon = organisatie.persoon()
    meldingen = []
    for email in (persoon.email, "niemand-" + persoon.email):
        browsers = [Browser(organisatie.portal.url) for _ in range(15)]
        for b in browsers:
            b.get("/inloggen")
        fire(15, lambda i, browsers=browsers, email=email: browsers[i].post(
            "/inloggen", email=email, wachtwoord=f"fout-{i}"))
        browser = Browser(organisatie.portal.url)
        browser.get("/inloggen")
        antwoord = browser.post("/inloggen", email=email, wachtwoord=persoon.wachtwoord)
        assert antwoord.headers["location"] == "/inloggen"
        meldingen.append(tekst_van(browser.follow(antwoord).text, "alert"))
    assert meldingen[0] == meldingen[1] and meldingen[0] != ONJUIST and "Probeer het over" in (meldingen[0] or "")


def test_wachtwoordblokkade_houdt_eigen_browser_niet_buiten(organisatie: Organisatie) -> None:
    """A browser that logged in before the attack still gets past the password step (no denial of service)."""
    persoon = organisatie.persoon()
    eigen = ingelogd(organisatie, persoon)
    eigen.post("/uitloggen")
    aanvaller = Browser(organisatie.portal.url)
    aanvaller.get("/inloggen")
    for i in range(12):
        aanvaller.post("/inloggen", email=persoon.email, wachtwoord=f"fout-{i}")
        aanvaller.get("/inloggen")
    eigen.get("/inloggen")
    assert eigen.post("/inloggen", email=persoon.email, wachtwoord=persoon.wachtwoord).headers["location"] == (
        "/inloggen/tweede-stap"
    )


def test_parallelle_bevestigingsmails_hoogstens_vijf(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """12 logins ask for manier 1 at the same moment: at most 5 e-mails an hour go out."""
    persoon = organisatie.persoon()
    browsers = [bij_tweede_stap(organisatie, persoon) for _ in range(12)]
    fire(12, lambda i: browsers[i].post("/herstel/pocket"))
    at_most(len(mailpit.berichten_aan(persoon.email)), 5, f"een bevestigingsmail aan {persoon.email}")


def test_parallelle_mails_aan_een_collega_hoogstens_vijf(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """8 people ask the same colleague at the same moment: the colleague gets at most 5 e-mails an hour."""
    collega = organisatie.persoon("Collega Hulp")
    mensen = [organisatie.persoon(f"Persoon {i}") for i in range(8)]
    browsers, codes = [], []
    for persoon in mensen:
        browser = bij_tweede_stap(organisatie, persoon)
        browser.post("/herstel/collega/volgende")
        codes.append(mailpit.code(persoon.email))
        browser.get("/herstel/collega/code")
        browsers.append(browser)
    fire(8, lambda i: browsers[i].post("/herstel/collega/code", code=codes[i], collega=collega.email))
    at_most(len(mailpit.berichten_aan(collega.email)), 5, f"een e-mail aan collega {collega.email}")


def test_collega_pas_na_juiste_eigen_code(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """Without the right own code, manier 2 tells nothing about which colleagues exist; with it, a guess costs a try."""
    persoon, collega = organisatie.persoon(), organisatie.persoon("Collega Hulp")
    browser = bij_tweede_stap(organisatie, persoon)
    browser.post("/herstel/collega/volgende")
    code = mailpit.code(persoon.email)
    browser.get("/herstel/collega/code")

    def melding(invoer: str, adres: str) -> str | None:
        """The alert after 'Volgende' with this code and colleague address."""
        return tekst_van(browser.follow(browser.post("/herstel/collega/code", code=invoer, collega=adres)).text, "alert")

    assert melding(onjuist(code), collega.email) == melding(onjuist(code), "niemand@voorbeeld.nl")
    assert melding(code, "niemand@voorbeeld.nl") == "Deze collega kan je niet helpen met inloggen. Controleer het e-mailadres."
    for adres in ("ook-niemand@voorbeeld.nl", "nog-niemand@voorbeeld.nl"):  # the fourth and fifth try
        assert melding(code, adres) == "Deze collega kan je niet helpen met inloggen. Controleer het e-mailadres."
    verbruikt = "Te veel onjuiste pogingen. Vraag een nieuwe e-mail aan."
    assert (melding(code, collega.email), melding(code, "niemand@voorbeeld.nl")) == (verbruikt, verbruikt)
    assert mailpit.berichten_aan(collega.email) == []


def test_vervangen_uitdaging_werkt_niet_meer(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """A second manier-1 request (another login) closes the first: its code no longer works."""
    persoon = organisatie.persoon()
    eerste = bij_tweede_stap(organisatie, persoon)
    eerste.post("/herstel/pocket")
    eerste_code = mailpit.code(persoon.email, 1)
    tweede = bij_tweede_stap(organisatie, persoon)
    tweede.post("/herstel/pocket")
    mailpit.code(persoon.email, 2)
    eerste.get("/herstel/pocket")
    assert eerste.post("/herstel/pocket/code", code=eerste_code).headers["location"] == "/herstel/pocket"


def test_pushverzoeken_begrensd(organisatie: Organisatie) -> None:
    """10 password steps in a row do not put 10 login requests on the phone (MFA fatigue)."""
    persoon = organisatie.persoon()
    with api_client(organisatie.portal) as api:
        registratie = api.post("/api/pocket/registreer", json={
            "email": persoon.email, "wachtwoord": persoon.wachtwoord, "code": org_code(persoon.totp, organisatie, 1),
        })
    assert registratie.status_code == 201, registratie.text
    for _ in range(10):
        bij_tweede_stap(organisatie, persoon)
    with api_client(organisatie.portal, registratie.json()["token"]) as apparaat:
        at_most(len(apparaat.get("/api/pocket/verzoeken").json()["verzoeken"]), 5, "een inlogverzoek op de telefoon")


# -- other sessions, re-authentication, notification ------------------------------------------------


def test_manier_1_beeindigt_andere_sessies(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """A session someone already holds ends when the person recovers through manier 1."""
    persoon = organisatie.persoon()
    aanvaller = ingelogd(organisatie, persoon)
    herstel_via_manier_1(organisatie, persoon, mailpit)
    assert naar_portal(aanvaller) == "/inloggen"


def test_manier_2_beeindigt_andere_sessies(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """A session someone already holds ends when the person logs in through a colleague."""
    persoon, collega = organisatie.persoon(), organisatie.persoon("Collega Hulp")
    aanvaller = ingelogd(organisatie, persoon)
    browser = bij_tweede_stap(organisatie, persoon)
    browser.post("/herstel/collega/volgende")
    browser.get("/herstel/collega/code")
    browser.post("/herstel/collega/code", code=mailpit.code(persoon.email), collega=collega.email)
    browser.get("/herstel/collega/collega-code")
    assert browser.post("/herstel/collega/collega-code", code=mailpit.code(collega.email)).headers["location"] == (
        "/portal"
    )
    assert naar_portal(browser) == "/portal"
    assert naar_portal(aanvaller) == "/inloggen"


def test_opnieuw_koppelen_vraagt_wachtwoord(organisatie: Organisatie) -> None:
    """'Opnieuw koppelen' without (or with a wrong) password does not show a QR code."""
    persoon = organisatie.persoon()
    browser = ingelogd(organisatie, persoon)
    browser.get("/instellingen/beveiliging")
    for velden in ({}, {"wachtwoord": "fout"}):
        antwoord = browser.post("/instellingen/beveiliging/opnieuw-koppelen", **velden)
        assert antwoord.headers["location"] == "/instellingen/beveiliging", velden
        assert tekst_van(browser.follow(antwoord).text, "alert") == "Het wachtwoord is onjuist."
    assert browser.get("/instellingen/beveiliging/koppelen").headers["location"] == "/instellingen/beveiliging"


def test_opnieuw_koppelen_beeindigt_andere_sessies_en_meldt_het(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """Re-linking with the password ends the other sessions (not this one) and e-mails the person."""
    persoon = organisatie.persoon()
    aanvaller, browser = ingelogd(organisatie, persoon), ingelogd(organisatie, persoon)
    browser.get("/instellingen/beveiliging")
    antwoord = browser.post("/instellingen/beveiliging/opnieuw-koppelen", wachtwoord=persoon.wachtwoord)
    assert antwoord.headers["location"] == "/instellingen/beveiliging/koppelen"
    koppel_met(browser, organisatie, browser.follow(antwoord), "/instellingen/beveiliging/koppelen")
    assert naar_portal(browser) == "/portal"
    assert naar_portal(aanvaller) == "/inloggen"
    melding = mailpit.wacht_op(persoon.email)
    assert melding["Subject"] == ONDERWERP_GEKOPPELD and "niet zelf" in melding["Text"]


def test_manier_1_meldt_nieuwe_koppeling(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """After manier 1 the person gets an e-mail that the authenticator changed."""
    persoon = organisatie.persoon()
    herstel_via_manier_1(organisatie, persoon, mailpit)
    assert mailpit.wacht_op(persoon.email, 2)["Subject"] == ONDERWERP_GEKOPPELD


# -- the device API ------------------------------------------------------------------------------


def test_apparaat_api_zelfde_antwoord_bestaand_en_onbekend(organisatie: Organisatie) -> None:
    """Seven wrong registrations answer alike for a linked and an unknown account; the person can still register."""
    persoon = organisatie.persoon()
    antwoorden = []
    with api_client(organisatie.portal) as api:
        for email in (persoon.email, "niemand-" + persoon.email):
            antwoorden.append([
                (r.status_code, r.json()) for r in (
                    api.post("/api/pocket/registreer", json={"email": email, "wachtwoord": "fout", "code": "123456"})
                    for _ in range(7)
                )
            ])
        assert antwoorden[0] == antwoorden[1]
        registratie = api.post("/api/pocket/registreer", json={
            "email": persoon.email, "wachtwoord": persoon.wachtwoord, "code": org_code(persoon.totp, organisatie, 1),
        })
    assert registratie.status_code == 201, registratie.text


def test_apparaat_api_vraagt_wachtwoord(organisatie: Organisatie) -> None:
    """A current code alone (without the password) does not register a device."""
    persoon = organisatie.persoon()
    with api_client(organisatie.portal) as api:
        antwoord = api.post("/api/pocket/registreer", json={
            "email": persoon.email, "code": org_code(persoon.totp, organisatie, 1),
        })
    assert antwoord.status_code in (401, 422), antwoord.text


# -- bad input -----------------------------------------------------------------------------------


def test_testdata_weigert_stuurtekens_en_adreslijsten(organisatie: Organisatie) -> None:
    """A name with a line break or an address list is refused with a Dutch 422, not stored."""
    with organisatie.portal.test_api() as api:
        for naam, email in (("Jan\r\nBcc: x@voorbeeld.nl", "jan-ok@voorbeeld.nl"),
                            ("Jan", "a@voorbeeld.nl, b@voorbeeld.nl"), ("Jan\x00", "jan-nul@voorbeeld.nl")):
            antwoord = api.post("/__test__/gebruikers", json={
                "organisatie_id": organisatie.id, "naam": naam, "email": email, "wachtwoord": "x",
            })
            assert antwoord.status_code == 422, (naam, email, antwoord.text)
            assert "fout" in antwoord.json()


def test_formulier_met_stuurtekens_of_te_lang_geeft_400(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """Control characters, address lists and over-long fields get a Dutch 400 page, and nothing is sent."""
    persoon = organisatie.persoon()
    browser = Browser(organisatie.portal.url)
    browser.get("/inloggen")
    for email in ("jan\x00@voorbeeld.nl", "a@voorbeeld.nl, b@voorbeeld.nl", "x" * 5000 + "@voorbeeld.nl"):
        antwoord = browser.post("/inloggen", email=email, wachtwoord="x")
        assert antwoord.status_code == 400 and "<h1>Ongeldige invoer</h1>" in antwoord.text, (email[:40], antwoord.text[:300])
    browser = bij_tweede_stap(organisatie, persoon)
    browser.post("/herstel/collega/volgende")
    code = mailpit.code(persoon.email)
    browser.get("/herstel/collega/code")
    antwoord = browser.post("/herstel/collega/code", code=code, collega="a@voorbeeld.nl,\r\nb@voorbeeld.nl")
    assert antwoord.status_code == 400 and "<h1>Ongeldige invoer</h1>" in antwoord.text
    assert len(mailpit.berichten_aan(persoon.email)) == 1


# -- SSO -----------------------------------------------------------------------------------------


def test_sso_alleen_voor_organisatie_met_sso(portal: Portal) -> None:
    """/sso/NNNNN of an organisation without SSO answers as an unknown number: no name, no login."""
    zonder = maak_organisatie(portal, naam="Geheime Organisatie BV", sso=False)
    persoon = zonder.persoon()
    browser = Browser(portal.url)
    pagina = browser.get(f"/sso/{zonder.deelnemersnummer}")
    onbekend = browser.get("/sso/00000")
    assert pagina.status_code == onbekend.status_code == 404 and "Geheime" not in pagina.text
    assert re.sub(r'value="[^"]*"', "", pagina.text) == re.sub(r'value="[^"]*"', "", onbekend.text)
    browser.get("/inloggen")
    antwoord = browser.post(f"/sso/{zonder.deelnemersnummer}", email=persoon.email, wachtwoord=persoon.wachtwoord)
    assert antwoord.status_code == 404 and naar_portal(browser) == "/inloggen"
