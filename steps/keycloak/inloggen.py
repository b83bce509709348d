"""Steps on Keycloak's login screens and the account console."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect
from pytest_bdd import parsers, then, when

from fixtures.keycloak.provisioning import KeycloakProvisioner
from fixtures.keycloak.screens import AccountConsole, LoginScreens
from herstelpad.actors import Actor


@when("ik inlog met mijn e-mailadres en wachtwoord")
def log_in(me: Actor, login: LoginScreens, account_console: AccountConsole) -> None:
    """Opens the account console and logs in with my e-mail address and password."""
    login.log_in_at(account_console.url, me.person.email, me.person.password)


@when("ik later opnieuw inlog met mijn e-mailadres en wachtwoord")
def log_in_later(me: Actor, login: LoginScreens, account_console: AccountConsole) -> None:
    """Closes the browser (its cookies are gone) and logs in again."""
    login.log_in_at(account_console.url, me.person.email, me.person.password, fresh_browser=True)


@then(parsers.parse('zie ik het scherm "{title}"'))
def screen_shown(login: LoginScreens, title: str) -> None:
    """Keycloak shows the screen with this title."""
    expect(login.title()).to_have_text(title)


@then(parsers.parse('zie ik de melding "{text}"'))
def message_shown(login: LoginScreens, text: str) -> None:
    """Keycloak shows this message."""
    expect(login.message(text)).to_be_visible()


@then("ben ik ingelogd in de accountconsole")
def logged_in(me: Actor, account_console: AccountConsole) -> None:
    """The account console shows my name."""
    expect(account_console.shown_for(me.person.name)).to_be_visible()


@then("ben ik niet ingelogd")
def not_logged_in(login: LoginScreens) -> None:
    """Keycloak still asks for the second factor (the authenticator's code or a recovery code)."""
    expect(login.second_factor_field()).to_be_visible()


@when(parsers.parse("ik {count:d} keer een onjuiste code uit mijn authenticator-app invul"))
def enter_wrong_codes(me: Actor, count: int, code_entry: Callable[[str], None], login: LoginScreens) -> None:
    """Types a wrong code this many times, each time after Keycloak refused the one before."""
    for _ in range(count):
        code_entry(me.phone.wrong_code())
        expect(login.message("Ongeldige authenticatiecode.")).to_be_visible()


@when("ik dezelfde code nog een keer invul")
def enter_the_same_code_again(typed_codes: list[str], code_entry: Callable[[str], None]) -> None:
    """Types the code I typed last once more."""
    code_entry(typed_codes[-1])


@then("heeft Keycloak mijn account tijdelijk geblokkeerd")
def account_locked(me: Actor, provisioner: KeycloakProvisioner) -> None:
    """Brute-force detection reports my account as locked (admin API)."""
    assert provisioner.locked(str(me.person.user_id)), "Keycloak heeft het account niet geblokkeerd"


@when("ik de QR-code op het scherm scan met mijn authenticator-app")
def scan_qr_code(me: Actor, login: LoginScreens) -> None:
    """Points the phone's camera at Keycloak's QR code (scrolled into view: it sits below the fold)."""
    me.phone.scan(login.qr_code())
    me.did("scant de QR-code op het scherm")
