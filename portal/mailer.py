"""Outgoing e-mail over SMTP (plain text + HTML) and the texts of the portal's e-mails."""
from __future__ import annotations

import html
import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from portal.security import een_adres, heeft_stuurtekens

AFZENDER = formataddr(("AFAS Online", "noreply@afasonline.nl"))
GELDIGHEID_TEKST = "Deze code is 10 minuten geldig."

log = logging.getLogger("portal.mailer")


class MailFout(Exception):
    """Sending an e-mail failed."""


@dataclass(frozen=True)
class Bericht:
    """One e-mail to one person: plain-text paragraphs, optionally one link."""

    aan: str
    onderwerp: str
    alineas: tuple[str, ...]
    link: str | None = None

    def tekst(self) -> str:
        """Return the plain-text body."""
        delen = list(self.alineas)
        if self.link:
            delen.append(f"Of open deze link: {self.link}")
        return "\n\n".join(delen) + "\n"

    def html(self) -> str:
        """Return the HTML body."""
        delen = [f"<p>{html.escape(a)}</p>" for a in self.alineas]
        if self.link:
            link = html.escape(self.link, quote=True)
            delen.append(f'<p>Of open deze link: <a href="{link}">{link}</a></p>')
        return '<!doctype html><html lang="nl"><body>' + "\n".join(delen) + "</body></html>\n"


class Mailer:
    """Sends e-mails to an SMTP server."""

    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        """Send through this SMTP server."""
        self._host = host
        self._port = port
        self._timeout = timeout

    def verstuur(self, bericht: Bericht) -> None:
        """Send one e-mail; raise MailFout when the server cannot be reached or refuses it."""
        if not een_adres(bericht.aan) or heeft_stuurtekens(bericht.onderwerp):
            log.warning("e-mail '%s' geweigerd: geen enkel adres of stuurtekens in de kop", bericht.onderwerp[:40])
            raise MailFout("ongeldig adres of onderwerp")
        mail = EmailMessage()
        mail["From"] = AFZENDER
        mail["To"] = bericht.aan
        mail["Subject"] = bericht.onderwerp
        mail["Message-ID"] = make_msgid(domain="afasonline.nl")
        mail.set_content(bericht.tekst())
        mail.add_alternative(bericht.html(), subtype="html")
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as fout:
            log.warning("e-mail '%s' kon niet worden verstuurd: %s", bericht.onderwerp, type(fout).__name__)
            raise MailFout(str(fout)) from fout
        log.info("e-mail '%s' verstuurd", bericht.onderwerp)


def gekoppeld_bericht(aan: str) -> Bericht:
    """Return the e-mail that tells the person their authenticator was (re)linked."""
    return Bericht(
        aan=aan,
        onderwerp="AFAS Pocket is opnieuw gekoppeld aan je account",
        alineas=(
            "AFAS Pocket is zojuist opnieuw gekoppeld aan het inloggen bij AFAS Online. "
            "De vorige koppeling en je andere sessies werken niet meer.",
            "Heb je dit niet zelf gedaan? Neem dan direct contact op met de beheerder van je organisatie.",
        ),
    )


def code_regel(code: str) -> str:
    """Return the line that carries a confirmation code."""
    return f"Bevestigingscode: {code}"


def pocket_bericht(aan: str, code: str, link: str) -> Bericht:
    """Return the e-mail of manier 1 (AFAS Pocket opnieuw instellen)."""
    return Bericht(
        aan=aan,
        onderwerp="Bevestig het opnieuw instellen van AFAS Pocket",
        alineas=(
            "Je hebt gevraagd om AFAS Pocket opnieuw in te stellen.",
            code_regel(code),
            GELDIGHEID_TEKST,
            "Heb je dit niet zelf gevraagd? Dan kun je deze e-mail negeren.",
        ),
        link=link,
    )


def eigen_code_bericht(aan: str, code: str) -> Bericht:
    """Return the e-mail with the person's own code of manier 2."""
    return Bericht(
        aan=aan,
        onderwerp="Bevestigingscode voor inloggen via een collega",
        alineas=(
            "Je wilt inloggen bij AFAS Online met hulp van een collega.",
            code_regel(code),
            GELDIGHEID_TEKST,
            "Heb je dit niet zelf gevraagd? Dan kun je deze e-mail negeren.",
        ),
    )


def collega_bericht(aan: str, code: str, naam: str, email: str) -> Bericht:
    """Return the e-mail to the colleague who helps a person log in."""
    return Bericht(
        aan=aan,
        onderwerp=f"{naam} wil inloggen met jouw hulp",
        alineas=(
            f"Je collega {naam} ({email}) kan (tijdelijk) niet inloggen met "
            "twee-factorauthenticatie en vraagt je om hulp.",
            "Geef deze code alleen aan je collega als je zeker weet dat hij of zij erom vraagt.",
            code_regel(code),
            GELDIGHEID_TEKST,
        ),
    )
