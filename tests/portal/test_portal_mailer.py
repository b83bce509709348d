"""portal.mailer against a real Mailpit, read back over Mailpit's HTTP API."""
from __future__ import annotations

import pytest
from portal_testhulp import Mailpit, vrije_poort

from portal.mailer import Mailer, MailFout, collega_bericht, pocket_bericht


def test_versturen_naar_mailpit(mailpit: Mailpit) -> None:
    """Plain text and HTML, the sender, the subject, the code line and the absolute link arrive."""
    aan = "mailer-test@voorbeeld.nl"
    link = "http://127.0.0.1:8000/herstel/bevestig?token=abc_DEF-123"
    Mailer("127.0.0.1", mailpit.smtp_port).verstuur(pocket_bericht(aan, "012345", link))
    bericht = mailpit.wacht_op(aan)
    assert bericht["From"] == {"Name": "AFAS Online", "Address": "noreply@afasonline.nl"}
    assert bericht["Subject"] == "Bevestig het opnieuw instellen van AFAS Pocket"
    assert mailpit.code(aan) == "012345"
    assert link in bericht["Text"] and f'href="{link}"' in bericht["HTML"]
    assert "Deze code is 10 minuten geldig." in bericht["Text"]
    assert "Bevestigingscode: 012345" in bericht["HTML"]


def test_collega_bericht_naar_mailpit(mailpit: Mailpit) -> None:
    """The colleague's e-mail names who asks for help (HTML-escaped in the HTML part)."""
    aan = "collega-test@voorbeeld.nl"
    Mailer("127.0.0.1", mailpit.smtp_port).verstuur(collega_bericht(aan, "999999", "Jan <de> Vries", "jan@voorbeeld.nl"))
    bericht = mailpit.wacht_op(aan)
    assert bericht["Subject"] == "Jan <de> Vries wil inloggen met jouw hulp"
    assert "Je collega Jan <de> Vries (jan@voorbeeld.nl) kan (tijdelijk) niet inloggen" in bericht["Text"]
    assert "Jan &lt;de&gt; Vries" in bericht["HTML"]


def test_smtp_niet_bereikbaar() -> None:
    """An unreachable SMTP server raises MailFout."""
    with pytest.raises(MailFout):
        Mailer("127.0.0.1", vrije_poort(), timeout=2).verstuur(pocket_bericht("x@y.nl", "123456", "http://x/"))
