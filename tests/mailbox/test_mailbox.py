"""The mailbox against a real Mailpit: waiting, exact recipients, timeouts, clearing, fallback."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests_mailbox_support import MailpitServer, Send, free_port, required_binary, run_mailpit, send_to, stop_mailpit

from herstelpad.mailbox import Mailbox, MailContentError, Mailpit, MailpitUnavailable, MailRefused, MailTrust
from herstelpad.secrets import REGISTRY, marker
from herstelpad.waiting import WaitTimeout, poll_until

BODY = "Beste Jan,\n\nBevestigingscode: 482913\n\nDeze code is 10 minuten geldig.\n"
LINK_BODY = BODY + "Of klik: http://127.0.0.1:8000/herstel/bevestig?token=tok-abcdef123456.\n"


def later(seconds: float, fn: Callable[..., object], *args: object) -> threading.Timer:
    """Run `fn(*args)` in `seconds` on a timer thread (no sleeping)."""
    timer = threading.Timer(seconds, fn, args=args)
    timer.start()
    return timer


def test_mail_sent_after_the_wait_started(mailpit: Mailpit, send: Send, domain: str) -> None:
    address = f"jan@{domain}"
    later(0.3, send, address, "Bevestig het opnieuw instellen van AFAS Pocket", LINK_BODY)
    email = Mailbox(mailpit, address).wait_for("Bevestig het opnieuw instellen van AFAS Pocket", timeout=10)
    returned = datetime.now(UTC)
    latency = (returned - email.received).total_seconds() * 1000
    print(f"\nlatency Mailpit received → wait_for returned: {latency:.1f} ms")
    assert email.subject == "Bevestig het opnieuw instellen van AFAS Pocket"
    assert email.to == (address,) and email.sender == "noreply@afasonline.nl"
    assert email.code() == "482913"
    assert email.link("/herstel/bevestig") == "http://127.0.0.1:8000/herstel/bevestig?token=tok-abcdef123456"


def test_mail_sent_just_before_the_wait(mailpit: Mailpit, send: Send, domain: str) -> None:
    address = f"piet@{domain}"
    send(address, "Bevestigingscode voor inloggen via een collega", BODY)
    started = time.monotonic()
    email = Mailbox(mailpit, address).wait_for(re.compile(r".*collega"), timeout=5)
    print(f"\nalready there: returned in {(time.monotonic() - started) * 1000:.1f} ms")
    assert email.subject == "Bevestigingscode voor inloggen via een collega"


def test_latency_of_many_deliveries(mailpit: Mailpit, send: Send, domain: str) -> None:
    mailbox = Mailbox(mailpit, f"snel@{domain}")
    latencies = []
    for n in range(5):
        later(0.05, send, mailbox.address, f"bericht {n}")
        email = mailbox.wait_for(f"bericht {n}", timeout=5)
        latencies.append((datetime.now(UTC) - email.received).total_seconds() * 1000)
    print(f"\nlatencies (ms): {[round(latency, 1) for latency in latencies]}")


def test_exact_recipient_not_substring(mailpit: Mailpit, send: Send, domain: str) -> None:
    send(f"ba@{domain}", "voor ba")
    send(f"a+x@{domain}", "voor a+x")
    send(f"a@{domain}.evil", "voor een ander domein")
    mailbox = Mailbox(mailpit, f"a@{domain}")
    with pytest.raises(WaitTimeout) as caught:
        mailbox.wait_for(timeout=0.5)
    assert "voor ba" in str(caught.value) and "voor a+x" in str(caught.value)
    send(f"A@{domain.upper()}", "voor a")  # addresses compare case-insensitively
    assert mailbox.wait_for(timeout=5).subject == "voor a"
    assert [m.subject for m in mailbox.messages()] == ["voor a"]
    assert Mailbox(mailpit, f"a+x@{domain}").wait_for(timeout=5).subject == "voor a+x"


def test_each_wait_returns_a_new_message_oldest_first(mailpit: Mailpit, send: Send, domain: str) -> None:
    mailbox = Mailbox(mailpit, f"kees@{domain}")
    send(mailbox.address, "eerste")
    send(mailbox.address, "tweede")
    assert mailbox.wait_for(timeout=5).subject == "eerste"
    assert mailbox.wait_for(timeout=5).subject == "tweede"
    with pytest.raises(WaitTimeout, match="al gelezen"):
        mailbox.wait_for(timeout=0.3)


def test_after_skips_older_mail(mailpit: Mailpit, send: Send, domain: str) -> None:
    mailbox = Mailbox(mailpit, f"els@{domain}")
    send(mailbox.address, "oud")
    first = Mailbox(mailpit, mailbox.address).wait_for(timeout=5)
    later(0.2, send, mailbox.address, "nieuw")
    assert mailbox.wait_for(after=first.received.timestamp() + 0.001, timeout=5).subject == "nieuw"


def test_two_waits_at_once_in_two_threads(mailpit: Mailpit, send: Send, domain: str) -> None:
    results: dict[str, str] = {}
    errors: list[BaseException] = []

    def wait(name: str) -> None:
        try:
            results[name] = Mailbox(mailpit, f"{name}@{domain}").wait_for(timeout=10).subject
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=wait, args=(name,)) for name in ("ik", "collega")]
    for thread in threads:
        thread.start()
    later(0.3, send, f"collega@{domain}", "Jan wil inloggen met jouw hulp")
    later(0.4, send, f"ik@{domain}", "Bevestigingscode voor inloggen via een collega")
    for thread in threads:
        thread.join(timeout=15)
    assert not errors
    assert results == {
        "ik": "Bevestigingscode voor inloggen via een collega",
        "collega": "Jan wil inloggen met jouw hulp",
    }


def test_timeout_lists_what_did_arrive(mailpit: Mailpit, send: Send, domain: str) -> None:
    send(f"jan@{domain}", "Bevestigingscode voor inloggen via een collega")
    send(f"collega@{domain}", "Jan wil inloggen met jouw hulp")
    with pytest.raises(WaitTimeout) as caught:
        Mailbox(mailpit, f"jan@{domain}").wait_for("Bevestig het opnieuw instellen van AFAS Pocket", timeout=0.5)
    message = str(caught.value)
    print("\n" + message)
    assert f"een e-mail aan jan@{domain} met onderwerp 'Bevestig het opnieuw instellen van AFAS Pocket'" in message
    assert f"voor jan@{domain}: 1 e-mail(s)" in message
    assert "van noreply@afasonline.nl  'Bevestigingscode voor inloggen via een collega'" in message
    assert f"'Jan wil inloggen met jouw hulp' → collega@{domain}" in message


def test_clear_removes_only_this_recipients_mail(mailpit: Mailpit, send: Send, domain: str) -> None:
    send(f"a@{domain}", "weg 1")
    send(f"a@{domain}", "weg 2")
    send(f"ba@{domain}", "blijft")
    mine = Mailbox(mailpit, f"a@{domain}")
    poll_until(lambda: len(mine.summaries()) == 2, timeout=5, interval=0.05, what="twee e-mails")
    assert mine.clear() == 2
    assert mine.messages() == []
    assert [m.subject for m in Mailbox(mailpit, f"ba@{domain}").messages()] == ["blijft"]
    assert mine.clear() == 0  # nothing left: must not delete everyone's mail


@pytest.mark.parametrize(
    "options",
    [{"use_websocket": False}, {"events_url": "ws://127.0.0.1:9/api/events", "connect_timeout": 0.5}],
    ids=["websocket-off", "websocket-unreachable"],
)
def test_polling_fallback(mailpit_server: MailpitServer, send: Send, domain: str, options: dict[str, Any]) -> None:
    with Mailpit(mailpit_server.url, **options) as client:
        mailbox = Mailbox(client, f"poll@{domain}")
        later(0.3, send, mailbox.address, "via polling")
        started = time.monotonic()
        assert mailbox.wait_for(timeout=10).subject == "via polling"
        print(f"\n{options}: returned after {(time.monotonic() - started) * 1000:.0f} ms")
        listener = client.listener()
        assert listener is None or not listener.connected


def test_codes_and_link_tokens_are_registered_as_secrets(mailpit: Mailpit, send: Send, domain: str) -> None:
    body = LINK_BODY.replace("482913", "731904").replace("tok-abcdef123456", "tok-zyxwvu987654")
    send(f"geheim@{domain}", "code", body, html="<p>Bevestigingscode: 731904</p>")
    email = Mailbox(mailpit, f"geheim@{domain}").wait_for(timeout=5)
    assert REGISTRY.is_secret("731904") and REGISTRY.is_secret("tok-zyxwvu987654")
    masked = REGISTRY.mask(email.text)
    assert "731904" not in masked and "tok-zyxwvu987654" not in masked
    assert f"Bevestigingscode: {marker('e-mail aan geheim@' + domain)}" in masked
    assert "731904" not in repr(email)


def test_missing_code_or_link_is_explained(mailpit: Mailpit, send: Send, domain: str) -> None:
    send(f"leeg@{domain}", "Welkom", "Geen code hier.")
    email = Mailbox(mailpit, f"leeg@{domain}").wait_for(timeout=5)
    with pytest.raises(MailContentError, match="geen code waar het patroon"):
        email.code()
    with pytest.raises(MailContentError, match="geen link met '/herstel'"):
        email.link("/herstel")


def test_info(mailpit: Mailpit) -> None:
    assert "Version" in mailpit.info()


def test_unreachable_mailpit_is_explained() -> None:
    with Mailpit("http://127.0.0.1:9", use_websocket=False) as client:
        expected = r"Mailpit is niet bereikbaar op http://127.0.0.1:9.*herstelpad serve.*HERSTELPAD_MAILPIT_URL"
        with pytest.raises(MailpitUnavailable, match=expected):
            Mailbox(client, "x@y.nl").wait_for(timeout=1)


def test_listener_reconnects_after_mailpit_restarts(tmp_path: Path) -> None:
    binary = required_binary()
    http_port, smtp_port = free_port(), free_port()
    log = tmp_path / "mailpit.log"
    process = run_mailpit(binary, http_port, smtp_port, log)
    try:
        with Mailpit(f"http://127.0.0.1:{http_port}") as client:
            mailbox = Mailbox(client, "herstart@voorbeeld.example.com")
            later(0.2, send_to, smtp_port, mailbox.address, "voor de herstart")
            assert mailbox.wait_for(timeout=5).subject == "voor de herstart"
            listener = client.listener()
            assert listener is not None and listener.generation == 1
            stop_mailpit(process)
            poll_until(lambda: not listener.connected, timeout=5, interval=0.02, what="verbroken websocket")
            process = run_mailpit(binary, http_port, smtp_port, log)
            poll_until(lambda: listener.connected, timeout=10, interval=0.02, what="opnieuw verbonden websocket")
            assert listener.generation == 2
            later(0.2, send_to, smtp_port, mailbox.address, "na de herstart")
            email = mailbox.wait_for(timeout=5)
            latency = (datetime.now(UTC) - email.received).total_seconds() * 1000
            print(f"\nafter reconnect: latency {latency:.1f} ms")
            assert email.subject == "na de herstart"
    finally:
        stop_mailpit(process)


def test_a_pack_names_where_its_code_stands(mailpit: Mailpit, send: Send, domain: str) -> None:
    send(f"eigen@{domain}", "Je code", "Hallo,\n\nJe inlogcode is 55 31 07 -> 553107 (geldig 5 minuten)\n")
    pattern = re.compile(r"-> (\d{6}) \(geldig")
    assert Mailbox(mailpit, f"eigen@{domain}", pattern).wait_for(timeout=5).code() == "553107"
    assert REGISTRY.is_secret("553107")


# --- only the target's own mail (MailTrust: the pack's senders, subjects and origins) ---------------

TRUST = MailTrust(
    senders=("noreply@afasonline.nl", "*@mail.herstelpad-*.example.com"),
    subjects=("Bevestig het opnieuw instellen van AFAS Pocket", re.compile(r".+ wil inloggen met jouw hulp")),
    origins=("http://127.0.0.1:8000",), owner="testpack",
)


def test_a_look_alike_sender_is_refused_and_the_real_mail_is_taken(mailpit: Mailpit, send: Send, domain: str) -> None:
    """Mail from another sender (even with the target's display name) is never used; it is named as refused."""
    mailbox = Mailbox(mailpit, f"jan@{domain}", trust=TRUST)
    subject = "Bevestig het opnieuw instellen van AFAS Pocket"
    send(mailbox.address, subject, "Bevestigingscode: 111111\n", sender='"noreply@afasonline.nl" <aanvaller@evil.example>')
    later(0.3, send, mailbox.address, subject, BODY)
    email = mailbox.wait_for(subject, timeout=10)
    assert email.sender == "noreply@afasonline.nl" and email.code() == "482913"
    refused = mailbox.refusals()
    assert len(refused) == 1 and "aanvaller@evil.example" in refused[0] and "afzender" in refused[0], refused
    assert mailbox.refusals() == []


def test_a_subject_that_merely_contains_the_words_is_not_taken(mailpit: Mailpit, send: Send, domain: str) -> None:
    """'Re: Bevestig het …' from the right sender is refused for its subject; the wait says so when it times out."""
    mailbox = Mailbox(mailpit, f"piet@{domain}", trust=TRUST)
    send(mailbox.address, "Re: Bevestig het opnieuw instellen van AFAS Pocket", BODY)
    with pytest.raises(WaitTimeout) as caught:
        mailbox.wait_for("Bevestig het opnieuw instellen van AFAS Pocket", timeout=1.0)
    message = str(caught.value)
    assert "'Re: Bevestig het opnieuw instellen van AFAS Pocket'" in message and "geweigerd: onderwerp" in message, message


def test_an_exact_subject_or_a_declared_pattern_is_taken(mailpit: Mailpit, send: Send, domain: str) -> None:
    """A wait for an exact subject skips other subjects; a pattern matches the whole subject; wildcards in senders."""
    mailbox = Mailbox(mailpit, f"els@{domain}", trust=TRUST)
    send(mailbox.address, "Jan Jansen wil inloggen met jouw hulp", BODY, sender="helpdesk@mail.herstelpad-ab12.example.com")
    send(mailbox.address, "Bevestig het opnieuw instellen van AFAS Pocket", BODY)
    assert mailbox.wait_for("Bevestig het opnieuw instellen van AFAS Pocket", timeout=5).sender == "noreply@afasonline.nl"
    assert mailbox.wait_for(re.compile(r".+ wil inloggen met jouw hulp"), timeout=5).subject.startswith("Jan Jansen")
    assert mailbox.refusals() == []


def test_a_pack_without_senders_gets_told_what_to_declare(mailpit: Mailpit, send: Send, domain: str) -> None:
    """No senders declared: the first mail ends the wait at once, naming its sender as the one to declare."""
    mailbox = Mailbox(mailpit, f"kees@{domain}", trust=MailTrust(owner="mijnapp"))
    send(mailbox.address, "Welkom", BODY, sender="Mijn App <hallo@mijnapp.example>")
    started = time.monotonic()
    with pytest.raises(MailRefused) as caught:
        mailbox.wait_for(timeout=10)
    assert time.monotonic() - started < 5
    assert "pack mijnapp noemt geen afzenders" in str(caught.value) and "senders = ('hallo@mijnapp.example',)" in str(caught.value)


def test_a_link_to_another_origin_is_not_opened(mailpit: Mailpit, send: Send, domain: str) -> None:
    """A link on another origin is refused with its origin named; the target's own link is given."""
    mailbox = Mailbox(mailpit, f"ans@{domain}", trust=TRUST)
    text = BODY + "Klik: http://127.0.0.1:8001/herstel/bevestig?token=tok-abcdef654321\n"
    send(mailbox.address, "Bevestig het opnieuw instellen van AFAS Pocket", text)
    email = mailbox.wait_for(timeout=5)
    with pytest.raises(MailRefused) as caught:
        email.link("/herstel/bevestig")
    assert "http://127.0.0.1:8001" in str(caught.value) and "tok-abcdef654321" not in str(caught.value)
    send(mailbox.address, "Bevestig het opnieuw instellen van AFAS Pocket", LINK_BODY)
    assert mailbox.wait_for(timeout=5).link("/herstel/bevestig").startswith("http://127.0.0.1:8000/herstel/bevestig?token=")
