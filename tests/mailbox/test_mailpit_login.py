"""A Mailpit behind a login and a webroot (--ui-auth-file, --webroot): mail is read, its password never shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests_mailbox_support import free_port, required_binary, run_mailpit, send_to, stop_mailpit

from herstelpad.mailbox import Mailbox, Mailpit, MailpitError, MailpitUnavailable
from herstelpad.secrets import mask
from herstelpad.settings import SettingsError, resolve

PASSWORD = "Mailpit-Wachtwoord-77"


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real Mailpit that asks for a login, under /mail/: (its URL without login, its SMTP port)."""
    folder: Path = tmp_path_factory.mktemp("mailpit-login")
    (folder / "auth").write_text(f"qa:{{PLAIN}}{PASSWORD}\n", encoding="utf-8")
    http_port, smtp_port = free_port(), free_port()
    process = run_mailpit(
        required_binary(), http_port, smtp_port, folder / "mailpit.log", "--ui-auth-file", str(folder / "auth"),
        webroot="/mail/",
    )
    yield f"127.0.0.1:{http_port}/mail", smtp_port
    stop_mailpit(process)


def test_mail_is_read_through_the_login_and_the_webroot(locked: tuple[str, int]) -> None:
    """REST, the client library's list and the websocket all log in with the URL's user and password."""
    where, smtp_port = locked
    with Mailpit(f"http://qa:{PASSWORD}@{where}/") as mailpit:
        assert mailpit.listener(timeout=5) is not None and mailpit.listener().connected  # type: ignore[union-attr]
        send_to(smtp_port, "jan@voorbeeld.nl", "Inlogcode", "Bevestigingscode: 482915")
        mail = Mailbox(mailpit, "jan@voorbeeld.nl").wait_for(timeout=10)
        assert mail.code() == "482915"
        assert [m["Subject"] for m in mailpit.latest()] == ["Inlogcode"]


@pytest.mark.parametrize("call", ["info", "latest"])
def test_a_wrong_or_unreachable_login_is_told_without_the_password(locked: tuple[str, int], call: str) -> None:
    """A refused login and an unreachable server name the URL with *** for the password and say what to do."""
    where, _ = locked
    for url, error in ((f"http://qa:fout-{PASSWORD}@{where}", MailpitError),
                       (f"http://qa:{PASSWORD}@127.0.0.1:{free_port()}/mail", MailpitUnavailable)):
        with Mailpit(url, use_websocket=False) as mailpit, pytest.raises(error) as refused:
            getattr(mailpit, call)()
        message = str(refused.value)
        assert PASSWORD not in message and "qa:***@" in message, message
        if error is MailpitError:
            assert "gebruikersnaam en wachtwoord" in message


def test_the_setting_never_shows_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad HERSTELPAD_MAILPIT_URL is refused without its password; a good one's password is masked from then on."""
    monkeypatch.setenv("HERSTELPAD_MAILPIT_URL", f"ftp://qa:{PASSWORD}@127.0.0.1:8025")
    with pytest.raises(SettingsError) as refused:
        resolve({})
    assert PASSWORD not in str(refused.value) and "qa:***@" in str(refused.value)
    monkeypatch.setenv("HERSTELPAD_MAILPIT_URL", f"http://qa:{PASSWORD}@127.0.0.1:8025")
    monkeypatch.setenv("HERSTELPAD_MAILPIT_SMTP", "127.0.0.1:1025")
    resolve({})
    assert PASSWORD not in mask(f"verbonden met http://qa:{PASSWORD}@127.0.0.1:8025")
