"""Steps of Keycloak's recovery codes and of its strict TOTP window (the generic recovery-code steps are the core's)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page
from pytest_bdd import given, when

from fixtures.keycloak.screens import AccountConsole, LoginScreens
from fixtures.keycloak.provisioning import KeycloakProvisioner
from fixtures.keycloak.recovery_codes import set_totp_window, totp_window
from herstelpad.actors import Actor
from herstelpad.pack import TargetPack, TotpWindow
from herstelpad.recovery_codes import read_recovery_codes

STRICT = TotpWindow(0, 0)


@given("ik ben een medewerker met een gekoppelde authenticator-app die herstelcodes moet aanmaken", target_fixture="ik")
def medewerker_zonder_herstelcodes(make_actor: Callable[..., Actor]) -> Actor:
    """A user with a linked authenticator whom Keycloak shows a set of recovery codes at the next login."""
    return make_actor("de persoon", herstelcodes=True)


@given("ik heb herstelcodes aangemaakt en bewaard", target_fixture="ik")
def herstelcodes_aangemaakt(
    make_actor: Callable[..., Actor], login: LoginScreens, account_console: AccountConsole, prepared_page: Page,
    target_pack: TargetPack,
) -> Actor:
    """A user who logged in with the app, noted the recovery codes Keycloak showed, confirmed, and logged out."""
    ik = make_actor("de persoon", herstelcodes=True)
    login.log_in_at(account_console.url, ik.person.email, ik.person.password)
    login.enter_code(ik.phone.code())
    ik.recovery_codes.keep(read_recovery_codes(prepared_page, target_pack.recovery_codes_selector))
    login.confirm_recovery_codes_kept()
    account_console.shown_for(ik.person.name).wait_for()
    ik.did(f"heeft {len(ik.recovery_codes)} herstelcodes bewaard")
    return ik


@when("ik bevestig dat ik de herstelcodes veilig heb bewaard")
def herstelcodes_bevestigen(login: LoginScreens) -> None:
    """Ticks 'Ik heb deze codes op een veilige plaats bewaard' and completes the set-up."""
    login.confirm_recovery_codes_kept()


@when("ik kies om in te loggen met een herstelcode")
def kies_herstelcode(login: LoginScreens) -> None:
    """'Probeer op een ander manier' → 'Herstelcode voor authenticatie'."""
    login.choose_recovery_code()


@pytest.fixture
def strict_realm(provisioner: KeycloakProvisioner, realm: str) -> Iterator[TotpWindow]:
    """The session realm accepts only the current time step for this scenario; its window is restored afterwards."""
    before = totp_window(provisioner.admin, realm)
    set_totp_window(provisioner.admin, realm, STRICT)
    yield STRICT
    set_totp_window(provisioner.admin, realm, before)


@given("Keycloak neemt alleen de code van het huidige tijdvak aan")
def alleen_huidig_tijdvak(ik: Actor, strict_realm: TotpWindow) -> None:
    """The realm's OTP policy looks around no step (RFC 6238's strictest verifier); the phone learns that window."""
    ik.phone.window = strict_realm
