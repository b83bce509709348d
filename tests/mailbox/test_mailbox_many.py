"""The mailbox against a real Mailpit holding many messages, and addresses spelled the RFC 5322 ways."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from tests_mailbox_support import MailpitServer, Send

from herstelpad.mailbox import Mailbox
from herstelpad.mailpit import Mailpit, parse_time
from herstelpad.services import MailpitEndpoints, start_mailpit
from herstelpad.waiting import poll_until


def message(to: str, subject: str, cc: str | None = None) -> EmailMessage:
    """A plain e-mail."""
    mail = EmailMessage()
    mail["From"] = "Portaal <noreply@portaal.example.com>"
    mail["To"] = to
    if cc:
        mail["Cc"] = cc
    mail["Subject"] = subject
    mail.set_content("Hallo")
    return mail


def send_many(port: int, mails: list[tuple[str, str]]) -> None:
    """Send (to, subject) mails over one SMTP session, in this order."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for to, subject in mails:
            smtp.send_message(message(to, subject))


def arrived(client: Mailpit, count: int) -> None:
    """Wait until Mailpit holds at least `count` messages."""
    poll_until(
        lambda: client.info().get("Messages", 0) >= count,
        timeout=60,
        interval=0.1,
        what=f"{count} berichten in Mailpit",
        describe=lambda: str(client.info().get("Messages")),
    )


def assert_oldest_first(summaries: list[dict[str, object]]) -> None:
    """The summaries are in order of arrival (Created), oldest first."""
    created = [parse_time(str(summary["Created"])) for summary in summaries]
    assert created == sorted(created)


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailpitEndpoints]:
    """A Mailpit of this module alone, started as herstelpad starts it, holding more than 500 messages."""
    endpoints = start_mailpit(tmp_path_factory.mktemp("mailpit-many"))
    try:
        mails = [("a@crowd.example.com", "het oude bericht")]
        mails += [("ba@crowd.example.com", f"lokaas {n}") for n in range(520)]  # a substring of to:"a@..."
        mails += [("veel@crowd.example.com", f"eigen {n:03d}") for n in range(530)]
        send_many(endpoints.smtp_port, mails)
        with Mailpit(endpoints.url, use_websocket=False) as client:
            arrived(client, len(mails))
        yield endpoints
    finally:
        assert endpoints.process is not None
        endpoints.process.stop()


def test_old_mail_is_found_behind_more_than_500_others(crowded: MailpitEndpoints) -> None:
    with Mailpit(crowded.url) as client:
        mailbox = Mailbox(client, "a@crowd.example.com")
        assert [s["Subject"] for s in mailbox.summaries()] == ["het oude bericht"]
        assert mailbox.wait_for(timeout=10).subject == "het oude bericht"


def test_more_than_500_own_mails_come_oldest_first(crowded: MailpitEndpoints) -> None:
    with Mailpit(crowded.url) as client:
        mailbox = Mailbox(client, "veel@crowd.example.com")
        summaries = mailbox.summaries()
        assert len(summaries) == 530
        assert_oldest_first(summaries)
        assert sorted(s["Subject"] for s in summaries) == [f"eigen {n:03d}" for n in range(530)]
        assert mailbox.wait_for(timeout=10).subject == "eigen 000"
        assert mailbox.wait_for(timeout=10).subject == "eigen 001"
        assert len(Mailbox(client, "ba@crowd.example.com").summaries()) == 520


def test_small_pages_list_every_message(mailpit_server: MailpitServer, send: Send, domain: str) -> None:
    for n in range(11):
        send(f"klein@{domain}", f"bericht {n:02d}")
        send(f"ook.klein@{domain}", f"lokaas {n:02d}")
    with Mailpit(mailpit_server.url, page_size=3, use_websocket=False) as client:
        mailbox = Mailbox(client, f"klein@{domain}")
        poll_until(lambda: len(mailbox.summaries()) == 11, timeout=10, interval=0.05, what="11 e-mails")
        summaries = mailbox.summaries()
        assert_oldest_first(summaries)
        assert sorted(s["Subject"] for s in summaries) == [f"bericht {n:02d}" for n in range(11)]
        assert mailbox.wait_for(timeout=5).subject == "bericht 00"
        assert mailbox.clear() == 11  # deleted in batches of 3
        assert mailbox.summaries() == []
        assert len(Mailbox(client, f"ook.klein@{domain}").summaries()) == 11


def test_clear_deletes_more_than_a_page(tmp_path: Path) -> None:
    endpoints = start_mailpit(tmp_path)
    try:
        mails = [("weg@clear.example.com", f"weg {n}") for n in range(25)] + [("blijf@clear.example.com", "blijft")]
        send_many(endpoints.smtp_port, mails)
        with Mailpit(endpoints.url, page_size=4, use_websocket=False) as client:
            arrived(client, 26)
            assert Mailbox(client, "weg@clear.example.com").clear() == 25
            assert client.info()["Messages"] == 1
            assert [s["Subject"] for s in Mailbox(client, "blijf@clear.example.com").summaries()] == ["blijft"]
    finally:
        assert endpoints.process is not None
        endpoints.process.stop()


def test_addresses_compare_as_rfc_5322_addresses(mailpit_server: MailpitServer, domain: str) -> None:
    with smtplib.SMTP("127.0.0.1", mailpit_server.smtp_port, timeout=10) as smtp:
        smtp.send_message(message(f'"Jan Jansen" <Jan.Jansen@{domain.upper()}>', "met weergavenaam"))
        smtp.send_message(message(f'"j d"@{domain}', "geciteerd lokaal deel"))
        smtp.send_message(message(f"iemand@{domain}", "in cc", cc=f"Collega <collega@{domain}>"))
        smtp.send_message(message(f"iemand@{domain}", "in bcc"), to_addrs=[f"iemand@{domain}", f"stil@{domain}"])
    with Mailpit(mailpit_server.url) as client:
        assert Mailbox(client, f"jan.jansen@{domain}").wait_for(timeout=5).subject == "met weergavenaam"
        assert Mailbox(client, f"Jan <jan.jansen@{domain}>").wait_for(timeout=5).subject == "met weergavenaam"
        assert Mailbox(client, f'"j d"@{domain}').wait_for(timeout=5).subject == "geciteerd lokaal deel"
        assert Mailbox(client, f"collega@{domain}").wait_for(timeout=5).subject == "in cc"
        assert Mailbox(client, f"stil@{domain}").wait_for(timeout=5).subject == "in bcc"
        assert [s["Subject"] for s in Mailbox(client, f"iemand@{domain}").summaries()] == ["in cc", "in bcc"]
        assert Mailbox(client, f"d@{domain}").summaries() == []
