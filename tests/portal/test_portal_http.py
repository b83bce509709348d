"""The portal as a real process: login, CSRF, cookies, recovery, SSO and the test-data API."""
from __future__ import annotations

import re
from urllib.parse import unquote

import httpx
import pyotp
from portal_testhulp import (
    TEST_TOKEN,
    Browser,
    Mailpit,
    Organisatie,
    Portal,
    bij_tweede_stap,
    maak_organisatie,
    org_code,
    qr_uri,
    tekst_van,
)

ONJUIST = "Het e-mailadres of wachtwoord is onjuist."


def test_gezondheid(portal: Portal) -> None:
    """GET /gezondheid answers ok."""
    assert httpx.get(f"{portal.url}/gezondheid").json() == {"status": "ok"}


def test_test_api_bestaat_niet_zonder_token(portal_zonder_token: Portal, portal: Portal) -> None:
    """Without --test-token, or with a wrong or missing token: 404, even with a bad body."""
    for url, headers in [
        (portal_zonder_token.url, {"Authorization": f"Bearer {TEST_TOKEN}"}),
        (portal.url, {}),
        (portal.url, {"Authorization": "Bearer fout"}),
    ]:
        assert httpx.post(f"{url}/__test__/organisaties", json={"naam": "x"}, headers=headers).status_code == 404
        assert httpx.post(f"{url}/__test__/klok", content=b"{kapot", headers=headers).status_code == 404
        assert httpx.get(f"{url}/__test__/aanmeldingen", headers=headers).status_code == 404


def test_geen_enumeratie(organisatie: Organisatie) -> None:
    """Unknown e-mail and wrong password: same status, same page, same text."""
    persoon = organisatie.persoon()
    paginas = []
    for email in (persoon.email, "niemand-" + persoon.email):
        browser = Browser(organisatie.portal.url)
        browser.get("/inloggen")
        antwoord = browser.post("/inloggen", email=email, wachtwoord="verkeerd")
        assert antwoord.status_code == 303 and antwoord.headers["location"] == "/inloggen"
        pagina = browser.follow(antwoord)
        assert pagina.status_code == 200 and tekst_van(pagina.text, "alert") == ONJUIST
        paginas.append(re.sub(r'value="[^"]*"', 'value=""', pagina.text))
    assert paginas[0] == paginas[1]


def test_csrf_verplicht(portal: Portal) -> None:
    """A POST without or with a wrong token gets 403 'Ongeldig formulier'."""
    browser = Browser(portal.url)
    browser.get("/inloggen")
    for data in ({"email": "a@b.nl", "wachtwoord": "x"}, {"email": "a@b.nl", "wachtwoord": "x", "csrf_token": "fout"}):
        antwoord = browser.client.post("/inloggen", data=data)
        assert antwoord.status_code == 403
        assert "<h1>Ongeldig formulier</h1>" in antwoord.text
    kaal = httpx.post(f"{portal.url}/uitloggen", data={"csrf_token": "x"})
    assert kaal.status_code == 403


def test_zonder_login_terug_naar_inloggen(portal: Portal) -> None:
    """Without a login in progress its screens go to /inloggen; a POST without token is still 403."""
    browser = Browser(portal.url)
    browser.get("/inloggen")
    schermen = ["/inloggen/tweede-stap", "/inloggen/geen-melding", "/herstel/pocket", "/herstel/bevestig?token=x",
                "/herstel/pocket/koppelen", "/herstel/collega", "/herstel/collega/code",
                "/herstel/collega/collega-code"]
    for pad in schermen:
        antwoord = browser.get(pad)
        assert (antwoord.status_code, antwoord.headers.get("location")) == (303, "/inloggen"), pad
    formulieren = ["/inloggen/tweede-stap", "/inloggen/push", "/herstel/opnieuw", "/herstel/pocket",
                   "/herstel/pocket/code", "/herstel/pocket/koppelen", "/herstel/collega/volgende",
                   "/herstel/collega/code", "/herstel/collega/collega-code"]
    for pad in formulieren:
        antwoord = browser.post(pad, doel="pocket", code="123456")
        assert (antwoord.status_code, antwoord.headers.get("location")) == (303, "/inloggen"), pad
        assert browser.client.post(pad, data={"code": "123456"}).status_code == 403, pad


def test_cookie_vlaggen_en_rotatie(organisatie: Organisatie) -> None:
    """HttpOnly, SameSite=Lax, Path=/; a new id at the password step and at login completion."""
    persoon = organisatie.persoon()
    browser = Browser(organisatie.portal.url)
    eerste = browser.get("/inloggen")
    cookie = eerste.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    anoniem = browser.sessie
    antwoord = browser.post("/inloggen", email=persoon.email, wachtwoord=persoon.wachtwoord)
    na_wachtwoord = browser.sessie
    assert antwoord.headers["location"] == "/inloggen/tweede-stap" and na_wachtwoord != anoniem
    browser.follow(antwoord)
    klaar = browser.post("/inloggen/tweede-stap", code=persoon.totp.now())
    assert klaar.headers["location"] == "/portal"
    assert browser.sessie not in (anoniem, na_wachtwoord)
    assert browser.get("/portal").status_code == 200
    oud = httpx.get(f"{organisatie.portal.url}/portal", cookies={"sessie": na_wachtwoord or ""})
    assert oud.status_code == 303 and oud.headers["location"] == "/inloggen"


def test_code_eenmalig_en_vijf_fouten(organisatie: Organisatie) -> None:
    """A TOTP code logs in once; 5 wrong codes end the login attempt."""
    persoon = organisatie.persoon(naam="Anna de Vries")
    code = persoon.totp.now()
    eerste = bij_tweede_stap(organisatie, persoon)
    assert eerste.post("/inloggen/tweede-stap", code=code).headers["location"] == "/portal"
    portal = eerste.get("/portal").text
    assert "Welkom, Anna de Vries" in portal and 'aria-label="Tabbladen"' in portal
    tweede = bij_tweede_stap(organisatie, persoon)
    for poging in range(4):
        pagina = tweede.follow(tweede.post("/inloggen/tweede-stap", code=code))
        assert tekst_van(pagina.text, "alert") == "De code is onjuist.", poging
    laatste = tweede.post("/inloggen/tweede-stap", code=code)
    assert laatste.headers["location"] == "/inloggen"
    assert tekst_van(tweede.follow(laatste).text, "alert") == "Te veel onjuiste pogingen. Log opnieuw in."
    assert tweede.get("/inloggen/tweede-stap").headers["location"] == "/inloggen"
    assert [a["methode"] for a in organisatie.aanmeldingen()] == ["code"]


def test_onthoudt_email(organisatie: Organisatie) -> None:
    """After a successful login the login screen shows the e-mail address."""
    persoon = organisatie.persoon()
    browser = bij_tweede_stap(organisatie, persoon)
    browser.follow(browser.post("/inloggen/tweede-stap", code=persoon.totp.now()))
    assert browser.post("/uitloggen").headers["location"] == "/inloggen"
    pagina = browser.get("/inloggen").text
    assert f"Je e-mailadres: {persoon.email}" in pagina and f'value="{persoon.email}"' in pagina


def test_zonder_pocket(organisatie: Organisatie) -> None:
    """Without a linked Pocket the second step offers both recovery ways."""
    persoon = organisatie.persoon(pocket=False)
    browser = Browser(organisatie.portal.url)
    pagina = browser.follow(browser.wachtwoordstap(persoon)).text
    assert "Je hebt AFAS Pocket nog niet gekoppeld." in pagina
    assert ">Stel AFAS Pocket opnieuw in</button>" in pagina and ">Ik ben mijn telefoon vergeten</button>" in pagina


def test_inactief_kan_niet_inloggen(organisatie: Organisatie) -> None:
    """An inactive person gets the same error as a wrong password."""
    persoon = organisatie.persoon(actief=False)
    browser = Browser(organisatie.portal.url)
    assert tekst_van(browser.follow(browser.wachtwoordstap(persoon)).text, "alert") == ONJUIST


def test_sso(organisatie: Organisatie) -> None:
    """/{deelnemersnummer} → the IdP; logged in without tabs; Beveiliging is 403."""
    persoon = organisatie.persoon(naam="Sanne Bakker")
    browser = Browser(organisatie.portal.url)
    ingang = browser.get(f"/{organisatie.deelnemersnummer}")
    assert ingang.status_code == 302 and ingang.headers["location"] == f"/sso/{organisatie.deelnemersnummer}"
    pagina = browser.follow(ingang).text
    assert "<h1>Aanmelden bij Voorbeeld BV</h1>" in pagina and "Single sign-on van Voorbeeld BV" in pagina
    fout = browser.follow(browser.post(f"/sso/{organisatie.deelnemersnummer}", email=persoon.email, wachtwoord="x"))
    assert tekst_van(fout.text, "alert") == ONJUIST
    klaar = browser.post(f"/sso/{organisatie.deelnemersnummer}", email=persoon.email, wachtwoord=persoon.wachtwoord)
    portal = browser.follow(klaar).text
    assert "Welkom, Sanne Bakker" in portal and "Tabbladen" not in portal
    geweigerd = browser.get("/instellingen/beveiliging")
    assert geweigerd.status_code == 403
    assert "Deze tabbladen zijn alleen zichtbaar als je inlogt met twee-factorauthenticatie." in geweigerd.text
    assert organisatie.aanmeldingen() == [{"email": persoon.email, "methode": "sso", "collega": None}]
    assert browser.get("/1234").status_code == 404 and browser.get("/sso/123456").status_code == 404


def test_sso_van_andere_organisatie_geweigerd(portal: Portal, organisatie: Organisatie) -> None:
    """An account of another organisation cannot sign on at this organisation's IdP."""
    ander = maak_organisatie(portal).persoon()
    browser = Browser(portal.url)
    browser.get(f"/sso/{organisatie.deelnemersnummer}")
    fout = browser.follow(browser.post(f"/sso/{organisatie.deelnemersnummer}", email=ander.email, wachtwoord=ander.wachtwoord))
    assert tekst_van(fout.text, "alert") == ONJUIST


def test_manier_1_via_mailpit(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """Geen melding → Stel AFAS Pocket opnieuw in → code from the e-mail → QR → linked."""
    persoon = organisatie.persoon()
    browser = bij_tweede_stap(organisatie, persoon)
    browser.follow(browser.post("/inloggen/geen-melding"))
    pagina = browser.follow(browser.post("/herstel/pocket")).text
    assert tekst_van(pagina, "status") == f"Een e-mail met bevestigingscode is verzonden naar {persoon.email}."
    mail = mailpit.wacht_op(persoon.email)
    assert mail["Subject"] == "Bevestig het opnieuw instellen van AFAS Pocket"
    assert mail["From"]["Address"] == "noreply@afasonline.nl" and mail["From"]["Name"] == "AFAS Online"
    assert "Deze code is 10 minuten geldig." in mail["Text"] and "Bevestigingscode: " in mail["HTML"]
    fout = browser.follow(browser.post("/herstel/pocket/code", code="abcdef"))
    assert tekst_van(fout.text, "alert") == "De bevestigingscode is onjuist."
    link = re.search(r"(http://\S+/herstel/bevestig\?token=\S+)", mail["Text"])
    assert link
    vreemde = Browser(organisatie.portal.url)
    assert vreemde.get(link.group(1)).headers["location"] == "/inloggen"
    koppelen = browser.follow(browser.get(link.group(1)))
    assert "<h1>Koppel AFAS Pocket</h1>" in koppelen.text
    assert 'alt="QR-code om AFAS Pocket te koppelen"' in koppelen.text and "data:image/png;base64," in koppelen.text
    fout = browser.follow(browser.post("/herstel/pocket/koppelen", code="000000"))
    assert tekst_van(fout.text, "alert") == "De code is onjuist."
    geheim = re.search(r"secret=([A-Z2-7]{32})", unquote(koppelen.text))  # not in the page: only in the QR
    assert geheim is None
    uri = qr_uri(koppelen.text)
    nieuw = pyotp.parse_uri(uri)
    klaar = browser.follow(browser.post("/herstel/pocket/koppelen", code=org_code(nieuw, organisatie)))
    assert tekst_van(klaar.text, "status") == (
        "AFAS Pocket is gekoppeld. Log nu opnieuw in met de zojuist gekoppelde inlogmethode."
    )
    assert "<h1>Inloggen bij AFAS Online</h1>" in klaar.text
    assert browser.get("/portal").headers["location"] == "/inloggen"
    browser.follow(browser.wachtwoordstap(persoon))
    oud = browser.follow(browser.post("/inloggen/tweede-stap", code=org_code(persoon.totp, organisatie, 1)))
    assert tekst_van(oud.text, "alert") == "De code is onjuist."
    assert browser.post("/inloggen/tweede-stap", code=org_code(nieuw, organisatie)).headers["location"] == "/portal"


def test_geen_geheimen_in_het_log(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """The request log holds no passwords, codes, link tokens or the test token."""
    persoon = organisatie.persoon()
    browser = bij_tweede_stap(organisatie, persoon)
    browser.follow(browser.post("/herstel/pocket"))
    mail = mailpit.wacht_op(persoon.email)
    code = mailpit.code(persoon.email)
    token = re.search(r"token=(\S+)", mail["Text"])
    assert token
    browser.get(f"/herstel/bevestig?token={token.group(1)}")
    organisatie.portal.uitvoer.wacht_op(r"GET /herstel/bevestig 303", 5)
    log = "\n".join(organisatie.portal.uitvoer.regels)
    for geheim in (persoon.wachtwoord, code, token.group(1), TEST_TOKEN):
        assert geheim not in log


def test_manier_2_via_mailpit(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """Ik ben mijn telefoon vergeten → own code → colleague's code → logged in, recorded."""
    persoon = organisatie.persoon(naam="Piet Pocketloos", pocket=False)
    collega = organisatie.persoon(naam="Carla Collega")
    vreemde = maak_organisatie(organisatie.portal).persoon()
    browser = bij_tweede_stap(organisatie, persoon)
    stap1 = browser.follow(browser.post("/herstel/collega")).text
    assert "<h1>Inloggen via een collega</h1>" in stap1 and "readonly" in stap1
    stap2 = browser.follow(browser.post("/herstel/collega/volgende")).text
    assert tekst_van(stap2, "status") == f"Een e-mail met bevestigingscode is verzonden naar {persoon.email}."
    mail = mailpit.wacht_op(persoon.email)
    assert mail["Subject"] == "Bevestigingscode voor inloggen via een collega"
    code = mailpit.code(persoon.email)
    for adres, melding in [
        (persoon.email, "Je kunt niet jezelf als collega opgeven."),
        (vreemde.email, "Deze collega kan je niet helpen met inloggen. Controleer het e-mailadres."),
        ("onbekend@voorbeeld.nl", "Deze collega kan je niet helpen met inloggen. Controleer het e-mailadres."),
    ]:
        pagina = browser.follow(browser.post("/herstel/collega/code", code=code, collega=adres))
        assert tekst_van(pagina.text, "alert") == melding
    stap3 = browser.follow(browser.post("/herstel/collega/code", code=code, collega=collega.email)).text
    assert f"Een e-mail met bevestigingscode is verzonden naar {collega.email}." in stap3
    hulp = mailpit.wacht_op(collega.email)
    assert hulp["Subject"] == "Piet Pocketloos wil inloggen met jouw hulp"
    assert f"Je collega Piet Pocketloos ({persoon.email}) kan (tijdelijk) niet inloggen" in hulp["Text"]
    klaar = browser.post("/herstel/collega/collega-code", code=mailpit.code(collega.email))
    assert klaar.headers["location"] == "/portal"
    assert 'aria-label="Tabbladen"' in browser.follow(klaar).text
    assert organisatie.aanmeldingen() == [{"email": persoon.email, "methode": "collega", "collega": collega.email}]


def test_stoppen(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """'Stoppen' ends the challenge: back to the login screen, not logged in."""
    persoon = organisatie.persoon()
    browser = bij_tweede_stap(organisatie, persoon)
    browser.follow(browser.post("/herstel/pocket"))
    code = mailpit.code(persoon.email)
    gestopt = browser.follow(browser.post("/herstel/stoppen"))
    assert tekst_van(gestopt.text, "status") == "Het inloggen is gestopt."
    assert browser.post("/herstel/pocket/code", code=code).headers["location"] == "/inloggen"
    assert browser.get("/portal").headers["location"] == "/inloggen"


def test_opnieuw_versturen_throttle(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """First resend at once; the next one within 30 s is refused with the seconds to wait."""
    persoon = organisatie.persoon()
    browser = bij_tweede_stap(organisatie, persoon)
    browser.follow(browser.post("/herstel/pocket"))
    eerste = browser.follow(browser.post("/herstel/opnieuw", doel="pocket"))
    assert tekst_van(eerste.text, "alert") is None
    mailpit.wacht_op(persoon.email, aantal=2)
    tweede = browser.follow(browser.post("/herstel/opnieuw", doel="pocket"))
    assert tekst_van(tweede.text, "alert") == "Je kunt over 30 seconden opnieuw een e-mail laten versturen."
    organisatie.verzet_klok(30)
    browser.follow(browser.post("/herstel/opnieuw", doel="pocket"))
    mailpit.wacht_op(persoon.email, aantal=3)
    assert len(mailpit.berichten_aan(persoon.email)) == 3


def test_code_verloopt_op_organisatieklok(organisatie: Organisatie, mailpit: Mailpit) -> None:
    """After 10 minutes of the organisation's clock the code is expired."""
    persoon = organisatie.persoon()
    browser = bij_tweede_stap(organisatie, persoon)
    browser.follow(browser.post("/herstel/pocket"))
    code = mailpit.code(persoon.email)
    organisatie.verzet_klok(601)
    pagina = browser.follow(browser.post("/herstel/pocket/code", code=code))
    assert tekst_van(pagina.text, "alert") == "De bevestigingscode is verlopen. Vraag een nieuwe e-mail aan."


def test_smtp_fout(portal_zonder_smtp: Portal) -> None:
    """An SMTP failure shows the Dutch error, does not crash and does not count."""
    organisatie = maak_organisatie(portal_zonder_smtp)
    persoon = organisatie.persoon()
    browser = bij_tweede_stap(organisatie, persoon)
    melding = "De e-mail kon niet worden verstuurd. Probeer het opnieuw met 'Verstuur e-mail opnieuw'."
    for pad, data in [("/herstel/pocket", {}), ("/herstel/opnieuw", {"doel": "pocket"}),
                      ("/herstel/opnieuw", {"doel": "pocket"}), ("/herstel/opnieuw", {"doel": "pocket"})]:
        pagina = browser.follow(browser.post(pad, **data))
        assert pagina.status_code == 200 and tekst_van(pagina.text, "alert") == melding
        assert tekst_van(pagina.text, "status") is None
