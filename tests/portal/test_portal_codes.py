"""E-mailed codes: single use, tries, expiry on the organisation clock, throttle, SMTP failure."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from portal.clock import Klok
from portal.codes import DOEL_EIGEN, DOEL_POCKET, Codes, Uitdaging, Uitkomst, Verzending
from portal.db import Database
from portal.mailer import Bericht, MailFout, eigen_code_bericht


class NepMailer:
    """Keeps sent e-mails in a list; can be told to fail."""

    def __init__(self) -> None:
        """Start with no e-mails and a working server."""
        self.verstuurd: list[Bericht] = []
        self.faalt = False

    def verstuur(self, bericht: Bericht) -> None:
        """Keep the e-mail, or fail like an unreachable SMTP server."""
        if self.faalt:
            raise MailFout("verbinding geweigerd")
        self.verstuurd.append(bericht)

    def laatste_code(self) -> str:
        """Return the code of the last e-mail."""
        regel = next(r for r in self.verstuurd[-1].alineas if r.startswith("Bevestigingscode: "))
        return regel.split(": ")[1]


class Omgeving:
    """A database with one organisation and person, the clock, a fake mailer and the codes."""

    def __init__(self, pad: Path) -> None:
        """Create everything in a fresh SQLite file."""
        self.db = Database(str(pad / "codes.sqlite3"))
        self.db.uitvoeren("INSERT INTO organisaties (id, naam, deelnemersnummer) VALUES (1, 'Org', '12345')")
        self.db.uitvoeren(
            "INSERT INTO gebruikers (id, organisatie_id, naam, email, wachtwoord_hash) VALUES (1, 1, 'Jan', 'jan@x.nl', 'x')"
        )
        self.klok = Klok(self.db)
        self.mailer = NepMailer()
        self.codes = Codes(self.db, self.klok, self.mailer)  # type: ignore[arg-type]

    def start(self, doel: str = DOEL_EIGEN, login_id: str = "login-a") -> Uitdaging:
        """Begin a challenge and send its first e-mail."""
        uitdaging = self.codes.start(1, doel, login_id, 1)
        assert self.verstuur(uitdaging).verstuurd
        return uitdaging

    def verstuur(self, uitdaging: Uitdaging) -> Verzending:
        """(Re)send the challenge's e-mail."""
        return asyncio.run(self.codes.verstuur(uitdaging, lambda code, _link: eigen_code_bericht("jan@x.nl", code)))


@pytest.fixture
def omgeving(tmp_path: Path) -> Omgeving:
    """A fresh set-up per test."""
    return Omgeving(tmp_path)


def test_code_eenmalig(omgeving: Omgeving) -> None:
    """The right code works once."""
    uitdaging = omgeving.start()
    code = omgeving.mailer.laatste_code()
    assert len(code) == 6 and code.isdigit()
    assert omgeving.codes.controleer(uitdaging, code) is Uitkomst.GOED
    assert omgeving.codes.controleer(uitdaging, code) is Uitkomst.ONJUIST


def test_code_als_hash_bewaard(omgeving: Omgeving) -> None:
    """The database never holds the code itself."""
    uitdaging = omgeving.start()
    code = omgeving.mailer.laatste_code()
    rij = omgeving.db.een("SELECT * FROM uitdagingen WHERE id = ?", (uitdaging.id,))
    assert rij is not None and code not in "".join(str(v) for v in dict(rij).values())


def test_vijf_foute_pogingen_beeindigen_de_uitdaging(omgeving: Omgeving) -> None:
    """After 5 wrong codes even the right one is refused, until a new e-mail."""
    uitdaging = omgeving.start()
    code = omgeving.mailer.laatste_code()
    fout = "000000" if code != "000000" else "111111"
    uitkomsten = [omgeving.codes.controleer(uitdaging, fout) for _ in range(5)]
    assert uitkomsten == [Uitkomst.ONJUIST] * 4 + [Uitkomst.TE_VEEL]
    assert omgeving.codes.controleer(uitdaging, code) is Uitkomst.TE_VEEL
    assert omgeving.verstuur(uitdaging).verstuurd
    assert omgeving.codes.controleer(uitdaging, omgeving.mailer.laatste_code()) is Uitkomst.GOED


def test_verloopt_na_tien_minuten_op_de_organisatieklok(omgeving: Omgeving) -> None:
    """Valid for 10 minutes of the organisation's clock."""
    uitdaging = omgeving.start()
    code = omgeving.mailer.laatste_code()
    omgeving.klok.verzet(1, 9 * 60)
    assert omgeving.codes.controleer(uitdaging, "abc") is Uitkomst.ONJUIST
    omgeving.klok.verzet(1, 61)
    assert omgeving.codes.controleer(uitdaging, code) is Uitkomst.VERLOPEN


def test_nieuwe_mail_maakt_oude_code_ongeldig(omgeving: Omgeving) -> None:
    """'Verstuur e-mail opnieuw' replaces the code."""
    uitdaging = omgeving.start()
    oud = omgeving.mailer.laatste_code()
    assert omgeving.verstuur(uitdaging).verstuurd
    nieuw = omgeving.mailer.laatste_code()
    if oud != nieuw:
        assert omgeving.codes.controleer(uitdaging, oud) is Uitkomst.ONJUIST
    assert omgeving.codes.controleer(uitdaging, nieuw) is Uitkomst.GOED


def test_throttle(omgeving: Omgeving) -> None:
    """First resend at once; further ones 30 s after the previous e-mail; 5 per hour."""
    uitdaging = omgeving.start()
    assert omgeving.verstuur(uitdaging).verstuurd  # first resend: at once
    geweigerd = omgeving.verstuur(uitdaging)
    assert not geweigerd.verstuurd and geweigerd.wacht_seconden == 30
    omgeving.klok.verzet(1, 12)
    assert omgeving.verstuur(uitdaging).wacht_seconden == 18
    omgeving.klok.verzet(1, 18)
    assert omgeving.verstuur(uitdaging).verstuurd  # 3rd e-mail
    omgeving.klok.verzet(1, 30)
    assert omgeving.verstuur(uitdaging).verstuurd  # 4th
    omgeving.klok.verzet(1, 30)
    assert omgeving.verstuur(uitdaging).verstuurd  # 5th (at t=90)
    omgeving.klok.verzet(1, 30)
    per_uur = omgeving.verstuur(uitdaging)  # t=120: the hour is full until the first drops out at t=3600
    assert not per_uur.verstuurd and per_uur.wacht_seconden == 3600 - 120
    assert len(omgeving.mailer.verstuurd) == 5
    omgeving.klok.verzet(1, 3600 - 120)
    assert omgeving.verstuur(uitdaging).verstuurd


def test_smtp_fout_telt_niet_mee(omgeving: Omgeving) -> None:
    """A failed e-mail is reported and not counted for the throttle."""
    uitdaging = omgeving.start()
    assert omgeving.verstuur(uitdaging).verstuurd
    omgeving.klok.verzet(1, 30)
    omgeving.mailer.faalt = True
    assert omgeving.verstuur(uitdaging).mislukt
    omgeving.mailer.faalt = False
    assert omgeving.verstuur(uitdaging).verstuurd  # the failure did not start a 30 s wait
    telling = omgeving.db.een("SELECT COUNT(*) AS n FROM verzendingen")
    assert telling is not None and telling["n"] == 3


def test_uitdaging_hoort_bij_haar_login(omgeving: Omgeving) -> None:
    """Another login can neither see nor use the challenge."""
    uitdaging = omgeving.start(login_id="login-a")
    assert omgeving.codes.haal(uitdaging.id, "login-b") is None
    vreemd = Uitdaging(**{**uitdaging.__dict__, "login_id": "login-b"})
    assert omgeving.codes.controleer(vreemd, omgeving.mailer.laatste_code()) is Uitkomst.ONJUIST


def test_nieuwe_uitdaging_vervangt_de_vorige(omgeving: Omgeving) -> None:
    """Starting again in the same login ends the previous challenge of that purpose."""
    eerste = omgeving.start(DOEL_POCKET)
    oude_code = omgeving.mailer.laatste_code()
    omgeving.start(DOEL_POCKET)
    assert omgeving.codes.controleer(eerste, oude_code) is Uitkomst.ONJUIST


def test_link_token(omgeving: Omgeving) -> None:
    """The e-mail's link token confirms like the code, once."""
    uitdaging = omgeving.codes.start(1, DOEL_POCKET, "login-a", 1)
    tokens: list[str] = []

    def bericht(code: str, link: str) -> Bericht:
        """Remember the link token."""
        tokens.append(link)
        return eigen_code_bericht("jan@x.nl", code)

    assert asyncio.run(omgeving.codes.verstuur(uitdaging, bericht)).verstuurd
    assert omgeving.codes.controleer(uitdaging, "verkeerd", via_link=True) is Uitkomst.ONJUIST
    assert omgeving.codes.controleer(uitdaging, tokens[0], via_link=True) is Uitkomst.GOED
    assert omgeving.codes.controleer(uitdaging, tokens[0], via_link=True) is Uitkomst.ONJUIST
